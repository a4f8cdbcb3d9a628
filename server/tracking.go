package server

// Client-side caching: CLIENT TRACKING, CLIENT CACHING, CLIENT GETREDIR and
// CLIENT TRACKINGINFO, and the invalidation messages (Redis's tracking.c).
//
// Default mode remembers, under the command's key locks, the keys each
// read-only command of a tracking client read (key -> client ids); BCAST
// mode registers prefixes instead. A change to a key (Ctx.Modified, expiry)
// looks both up and sends each interested client an invalidation: a RESP3
// push (>2 "invalidate" [key]) to the client or its REDIRECT target, or, to
// a RESP2 redirect target in pub/sub mode, a message on __redis__:invalidate.
// Like publishing, an invalidation only appends to the target's output
// queue (outqueue.go): it runs under keyspace locks.
//
// Simplifications: BCAST invalidations go out one key per message as the
// change happens (Redis batches them per event-loop iteration), a RESP3
// redirect target receives them only once it has an output queue (it
// subscribed or enabled tracking itself), and no tracking-redir-broken
// push is sent when the target went away.

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/tidwall/redcon"
)

// trackConf is a client's tracking configuration. It is replaced, never
// changed, so invalidating goroutines can read it through Ctx.trackShared.
type trackConf struct {
	bcast, optin, optout, noloop bool
	redirect                     int64
	prefixes                     []string
}

// trackingTable is the server's tracking state; its zero value is ready.
type trackingTable struct {
	clients atomic.Int64 // tracking clients: the fast path when 0

	mu       sync.Mutex
	keys     map[string]map[int64]struct{} // default mode: key -> client ids
	prefixes map[string]map[int64]struct{} // BCAST: prefix -> client ids
	effort   int64                         // eviction effort of limitTrackingTable (cron goroutine only)
}

var trackingChannel = []byte("__redis__:invalidate")

// rememberKeys records that the tracking client read the command's keys;
// the dispatcher calls it under the keys' locks after a read-only command.
func (c *Ctx) rememberKeys(cmd *Command, args [][]byte) {
	conf := c.track
	caching := c.trackCaching
	// CLIENT CACHING covers the next command only — or, when that command
	// is MULTI, the whole transaction until EXEC or DISCARD (as Redis keeps
	// CLIENT_TRACKING_CACHING while CLIENT_MULTI is set). rueidis relies on
	// it: CLIENT CACHING YES, MULTI, PTTL k, GET k, EXEC.
	if (cmd.parent == nil || cmd.parent.Name != "client") && c.multi == nil {
		c.trackCaching = false
	}
	if cmd.Flags&FlagReadonly == 0 || conf.bcast {
		return
	}
	if (conf.optin && !caching) || (conf.optout && caching) {
		return
	}
	c.keyIdx = cmd.keyPositions(args, c.keyIdx[:0])
	if len(c.keyIdx) == 0 {
		return
	}
	t := &c.srv.tracking
	t.mu.Lock()
	if t.keys == nil {
		t.keys = make(map[string]map[int64]struct{})
	}
	for _, i := range c.keyIdx {
		ids := t.keys[string(args[i])]
		if ids == nil {
			ids = make(map[int64]struct{})
			t.keys[string(args[i])] = ids
		}
		ids[c.id] = struct{}{}
	}
	t.mu.Unlock()
}

// invalidateKey tells the clients tracking key that it changed; from is
// the client that changed it (nil for expiry), for NOLOOP.
func (s *Server) invalidateKey(from *Ctx, key []byte) {
	t := &s.tracking
	if t.clients.Load() == 0 {
		return
	}
	var targets []int64
	t.mu.Lock()
	if ids, ok := t.keys[string(key)]; ok {
		for id := range ids {
			targets = append(targets, id)
		}
		delete(t.keys, string(key))
	}
	for prefix, ids := range t.prefixes {
		if strings.HasPrefix(string(key), prefix) {
			for id := range ids {
				targets = append(targets, id)
			}
		}
	}
	t.mu.Unlock()
	for _, id := range targets {
		o := s.clientByID(id)
		if o == nil {
			continue
		}
		conf := o.trackShared.Load()
		if conf == nil || (conf.noloop && o == from) {
			continue
		}
		s.sendInvalidation(from, o, conf, key)
	}
}

// limitTrackingTable keeps the default-mode tracking table within
// tracking-table-max-keys, as Redis's trackingLimitUsedSlots does from its
// cron: keys over the limit are forgotten and their clients told, as if the
// keys had changed. Each call evicts at most an effort's worth of keys
// (growing while the table stays over the limit) so the cron stays short.
func (s *Server) limitTrackingTable() {
	max := s.set.trackingMaxKeys.Load()
	t := &s.tracking
	if max <= 0 || t.clients.Load() == 0 {
		t.effort = 0
		return
	}
	t.mu.Lock()
	over := int64(len(t.keys)) - max
	if over <= 0 {
		t.effort = 0
		t.mu.Unlock()
		return
	}
	t.effort += 100
	n := min(over, t.effort)
	victims := make([]string, 0, n)
	for k := range t.keys { // Go's map order is random: random victims
		if int64(len(victims)) == n {
			break
		}
		victims = append(victims, k)
	}
	t.mu.Unlock()
	for _, k := range victims {
		s.invalidateKey(nil, []byte(k))
	}
}

// trackingTotals are INFO's tracking_total_keys, tracking_total_items (key,
// client pairs) and tracking_total_prefixes.
func (s *Server) trackingTotals() (keys, items, prefixes int64) {
	t := &s.tracking
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, ids := range t.keys {
		items += int64(len(ids))
	}
	return int64(len(t.keys)), items, int64(len(t.prefixes))
}

// invalidateAll sends every tracking client the flush invalidation (a null
// key), for FLUSHALL and FLUSHDB; FLUSHALL also forgets every tracked key.
func (s *Server) invalidateAll(from *Ctx, all bool) {
	t := &s.tracking
	if t.clients.Load() == 0 {
		return
	}
	if all {
		t.mu.Lock()
		t.keys = nil
		t.mu.Unlock()
	}
	for _, o := range s.sortedClients() {
		if conf := o.trackShared.Load(); conf != nil {
			s.sendInvalidation(from, o, conf, nil)
		}
	}
}

// sendInvalidation queues one invalidation for client o (or its redirect
// target); a nil key invalidates everything. from is the client whose
// command caused it: an invalidation for that client itself follows the
// command's reply (trackPending), as in Redis.
func (s *Server) sendInvalidation(from, o *Ctx, conf *trackConf, key []byte) {
	target := o
	if conf.redirect != 0 {
		if target = s.clientByID(conf.redirect); target == nil {
			return
		}
	}
	q := target.oqShared.Load()
	if q == nil {
		return
	}
	var buf [128]byte
	var frame []byte
	switch {
	case q.proto.Load() == 3:
		frame = redcon.AppendArray(buf[:0], 2) // push() turns it into '>'
		frame = redcon.AppendBulkString(frame, "invalidate")
	case conf.redirect != 0 && q.pubsub.Load():
		frame = redcon.AppendArray(buf[:0], 3)
		frame = redcon.AppendBulkString(frame, "message")
		frame = redcon.AppendBulk(frame, trackingChannel)
	default:
		return // a RESP2 client cannot receive pushes
	}
	if key == nil {
		// Redis writes the tracking client's null, whoever receives it.
		if o.trackProto.Load() == 3 {
			frame = append(frame, "_\r\n"...)
		} else {
			frame = append(frame, "$-1\r\n"...)
		}
	} else {
		frame = redcon.AppendArray(frame, 1)
		frame = redcon.AppendBulk(frame, key)
	}
	if target == from {
		// Only from's goroutine gets here for from: no lock needed.
		if q.proto.Load() == 3 {
			from.trackPending = append(from.trackPending, '>')
			frame = frame[1:]
		}
		from.trackPending = append(from.trackPending, frame...)
		return
	}
	q.push(frame)
}

// enableTracking turns tracking on (again) with conf's options.
func (c *Ctx) enableTracking(conf *trackConf) {
	t := &c.srv.tracking
	if c.track == nil {
		t.clients.Add(1)
	}
	if conf.bcast {
		t.mu.Lock()
		if t.prefixes == nil {
			t.prefixes = make(map[string]map[int64]struct{})
		}
		for _, p := range conf.prefixes {
			ids := t.prefixes[p]
			if ids == nil {
				ids = make(map[int64]struct{})
				t.prefixes[p] = ids
			}
			ids[c.id] = struct{}{}
		}
		t.mu.Unlock()
	}
	c.outQueue() // invalidations are pushed through it
	c.trackProto.Store(int32(c.proto))
	c.track = conf
	c.trackShared.Store(conf)
}

// disableTracking turns tracking off; the keys it read are forgotten
// lazily (invalidateKey skips clients no longer tracking).
func (c *Ctx) disableTracking() {
	if c.track == nil {
		return
	}
	t := &c.srv.tracking
	if c.track.bcast {
		t.mu.Lock()
		for _, p := range c.track.prefixes {
			if ids := t.prefixes[p]; ids != nil {
				delete(ids, c.id)
				if len(ids) == 0 {
					delete(t.prefixes, p)
				}
			}
		}
		t.mu.Unlock()
	}
	t.clients.Add(-1)
	c.track = nil
	c.trackCaching = false
	c.trackShared.Store(nil)
}

// CLIENT TRACKING <ON | OFF> [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]
func cmdClientTracking(c *Ctx, args [][]byte) {
	conf := &trackConf{}
	var prefixes []string
	for j := 3; j < len(args); j++ {
		more := len(args) - 1 - j
		switch {
		case eq(args[j], "redirect") && more > 0:
			j++
			if conf.redirect != 0 {
				c.Error("ERR A client can only redirect to a single other client")
				return
			}
			id, ok := c.intArg(args[j])
			if !ok {
				return
			}
			if c.srv.clientByID(id) == nil {
				c.Error("ERR The client ID you want redirect to does not exist")
				return
			}
			conf.redirect = id
		case eq(args[j], "bcast"):
			conf.bcast = true
		case eq(args[j], "optin"):
			conf.optin = true
		case eq(args[j], "optout"):
			conf.optout = true
		case eq(args[j], "noloop"):
			conf.noloop = true
		case eq(args[j], "prefix") && more > 0:
			j++
			prefixes = append(prefixes, string(args[j]))
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	switch {
	case eq(args[2], "on"):
		old := c.track
		switch {
		case !conf.bcast && len(prefixes) > 0:
			c.Error("ERR PREFIX option requires BCAST mode to be enabled")
		case old != nil && old.bcast != conf.bcast:
			c.Error("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.")
		case conf.bcast && (conf.optin || conf.optout):
			c.Error("ERR OPTIN and OPTOUT are not compatible with BCAST")
		case conf.optin && conf.optout:
			c.Error("ERR You can't specify both OPTIN mode and OPTOUT mode")
		case old != nil && ((conf.optin && old.optout) || (conf.optout && old.optin)):
			c.Error("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.")
		default:
			if conf.bcast {
				var existing []string
				if old != nil {
					existing = append(existing, old.prefixes...) // conf is immutable once stored
				}
				if !c.checkPrefixCollisions(existing, prefixes) {
					return
				}
				if len(prefixes) == 0 {
					prefixes = []string{""}
				}
				// Prefixes accumulate over CLIENT TRACKING ON calls.
				for _, p := range prefixes {
					if !contains(existing, p) {
						existing = append(existing, p)
					}
				}
				conf.prefixes = existing
			}
			c.enableTracking(conf)
			c.OK()
		}
	case eq(args[2], "off"):
		c.disableTracking()
		c.OK()
	default:
		c.Error(ErrSyntax)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkPrefixCollisions rejects prefixes that overlap one another or the
// client's existing ones (Redis's checkPrefixCollisionsOrReply).
func (c *Ctx) checkPrefixCollisions(existing, prefixes []string) bool {
	for i, p := range prefixes {
		for _, e := range existing {
			if e == p {
				continue // the same prefix again is allowed
			}
			if strings.HasPrefix(e, p) || strings.HasPrefix(p, e) {
				c.Error("ERR Prefix '" + p + "' overlaps with an existing prefix '" + e + "'. Prefixes for a single client must not overlap.")
				return false
			}
		}
		for _, q := range prefixes[i+1:] {
			if q != p && (strings.HasPrefix(q, p) || strings.HasPrefix(p, q)) {
				c.Error("ERR Prefix '" + p + "' overlaps with another provided prefix '" + q + "'. Prefixes for a single client must not overlap.")
				return false
			}
		}
	}
	return true
}

// CLIENT CACHING <YES | NO>
func cmdClientCaching(c *Ctx, args [][]byte) {
	conf := c.track
	if conf == nil {
		c.Error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled")
		return
	}
	switch {
	case eq(args[2], "yes") && conf.optin, eq(args[2], "no") && conf.optout:
		c.trackCaching = true
		c.OK()
	case eq(args[2], "yes"):
		c.Error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.")
	case eq(args[2], "no"):
		c.Error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.")
	default:
		c.Error(ErrSyntax)
	}
}

// CLIENT GETREDIR
func cmdClientGetRedir(c *Ctx, args [][]byte) {
	if c.track == nil {
		c.Int(-1)
		return
	}
	c.Int(c.track.redirect)
}

// CLIENT TRACKINGINFO
func cmdClientTrackingInfo(c *Ctx, args [][]byte) {
	conf := c.track
	c.Map(3)
	c.BulkString("flags")
	var flags []string
	if conf == nil {
		flags = []string{"off"}
	} else {
		flags = []string{"on"}
		if conf.bcast {
			flags = append(flags, "bcast")
		}
		if conf.optin {
			flags = append(flags, "optin")
			if c.trackCaching {
				flags = append(flags, "caching-yes")
			}
		}
		if conf.optout {
			flags = append(flags, "optout")
			if c.trackCaching {
				flags = append(flags, "caching-no")
			}
		}
		if conf.noloop {
			flags = append(flags, "noloop")
		}
	}
	c.Set(len(flags))
	for _, f := range flags {
		c.BulkString(f)
	}
	c.BulkString("redirect")
	if conf == nil {
		c.Int(-1)
	} else {
		c.Int(conf.redirect)
	}
	c.BulkString("prefixes")
	if conf == nil || !conf.bcast {
		c.Array(0)
		return
	}
	n := 0
	for _, p := range conf.prefixes {
		if p != "" {
			n++
		}
	}
	c.Array(n)
	for _, p := range conf.prefixes {
		if p != "" {
			c.BulkString(p)
		}
	}
}
