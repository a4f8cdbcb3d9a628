package server

// Pub/Sub: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH, the shard
// variants SSUBSCRIBE SUNSUBSCRIBE SPUBLISH (standalone: a namespace of their
// own) and PUBSUB's introspection subcommands.
//
// The registry maps channels to their subscribers' output queues in sharded
// maps under RWMutexes (plain and shard channels apart), and keeps patterns
// in a list under one RWMutex. PUBLISH runs in the publisher's goroutine:
// it formats the message once and appends it to each subscriber's queue
// (outqueue.go), which that subscriber's writer goroutine sends. Publishing
// never writes to a socket, never blocks and takes no keyspace lock, so
// keyspace notifications (notify.go), raised under shard locks, publish the
// same way.
//
// Lock order: a registry lock, then an outQueue's mutex. Subscribing and
// unsubscribing take registry locks only from the subscriber's own
// connection goroutine, which owns the client's subscription sets.
//
// Ordering. A subscription confirmation is queued before the subscription
// is registered, so no message for the channel can precede it, and the
// writer holds it back until the registration is done, so a client that saw
// it can count on the subscription (a publisher it then signals reaches
// it); an
// unsubscription is unregistered before its confirmation is written, so no
// message for the channel follows it.

import (
	"hash/maphash"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/tidwall/redcon"
	"github.com/vireodb/vireo/datatypes/glob"
)

func init() { familyRegistrars = append(familyRegistrars, registerPubSubCommands) }

const pubsubShards = 64

// pubsubRegistry is the server's channel -> subscribers index. Its zero
// value is ready to use.
type pubsubRegistry struct {
	channels chanTable // PUBLISH / SUBSCRIBE
	shard    chanTable // SPUBLISH / SSUBSCRIBE

	patMu    sync.RWMutex
	patterns []*patternSubs // in order of first subscription
	npat     atomic.Int64   // len(patterns), read without the lock

	// subscriptions counts every (client, channel or pattern) pair, so
	// keyspace notifications cost one atomic load when nobody listens.
	subscriptions atomic.Int64
}

type chanTable struct {
	shards [pubsubShards]chanShard
	count  atomic.Int64 // channels with at least one subscriber
}

type chanShard struct {
	mu sync.RWMutex
	m  map[string][]*outQueue // subscribers in subscription order
}

type patternSubs struct {
	pattern []byte
	subs    []*outQueue
}

var pubsubSeed = maphash.MakeSeed()

func (t *chanTable) shardOf(channel []byte) *chanShard {
	return &t.shards[maphash.Bytes(pubsubSeed, channel)%pubsubShards]
}

// add registers q on channel; false if it already was.
func (t *chanTable) add(channel string, q *outQueue) {
	sh := t.shardOf([]byte(channel))
	sh.mu.Lock()
	if sh.m == nil {
		sh.m = make(map[string][]*outQueue)
	}
	subs := sh.m[channel]
	if len(subs) == 0 {
		t.count.Add(1)
	}
	sh.m[channel] = append(subs, q)
	sh.mu.Unlock()
}

func (t *chanTable) remove(channel string, q *outQueue) {
	sh := t.shardOf([]byte(channel))
	sh.mu.Lock()
	subs := sh.m[channel]
	if i := slices.Index(subs, q); i >= 0 {
		subs = slices.Delete(subs, i, i+1)
		if len(subs) == 0 {
			delete(sh.m, channel)
			t.count.Add(-1)
		} else {
			sh.m[channel] = subs
		}
	}
	sh.mu.Unlock()
}

// numSub is the number of subscribers of channel.
func (t *chanTable) numSub(channel []byte) int {
	sh := t.shardOf(channel)
	sh.mu.RLock()
	n := len(sh.m[string(channel)])
	sh.mu.RUnlock()
	return n
}

// names lists the channels matching pattern (all when nil).
func (t *chanTable) names(pattern []byte) []string {
	var out []string
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.RLock()
		for ch := range sh.m {
			if pattern == nil || glob.MatchString(string(pattern), ch, false) {
				out = append(out, ch)
			}
		}
		sh.mu.RUnlock()
	}
	slices.Sort(out) // Redis lists in dict order; sorted is as good and stable
	return out
}

// deliver appends frame to every subscriber of channel; it returns how many.
func (t *chanTable) deliver(channel, frame []byte) int {
	sh := t.shardOf(channel)
	sh.mu.RLock()
	subs := sh.m[string(channel)]
	for _, q := range subs {
		q.push(frame)
	}
	n := len(subs)
	sh.mu.RUnlock()
	return n
}

func (r *pubsubRegistry) addPattern(pattern string, q *outQueue) {
	r.patMu.Lock()
	for _, p := range r.patterns {
		if string(p.pattern) == pattern {
			p.subs = append(p.subs, q)
			r.patMu.Unlock()
			return
		}
	}
	r.patterns = append(r.patterns, &patternSubs{pattern: []byte(pattern), subs: []*outQueue{q}})
	r.npat.Store(int64(len(r.patterns)))
	r.patMu.Unlock()
}

func (r *pubsubRegistry) removePattern(pattern string, q *outQueue) {
	r.patMu.Lock()
	for i, p := range r.patterns {
		if string(p.pattern) != pattern {
			continue
		}
		if j := slices.Index(p.subs, q); j >= 0 {
			p.subs = slices.Delete(p.subs, j, j+1)
		}
		if len(p.subs) == 0 {
			r.patterns = slices.Delete(r.patterns, i, i+1)
			r.npat.Store(int64(len(r.patterns)))
		}
		break
	}
	r.patMu.Unlock()
}

func (r *pubsubRegistry) numChannels(shard bool) int64 {
	if shard {
		return r.shard.count.Load()
	}
	return r.channels.count.Load()
}

func (r *pubsubRegistry) numPatterns() int64 { return r.npat.Load() }

// publish delivers message on channel to its subscribers and to the
// subscribers of matching patterns, as Redis's pubsubPublishMessage: it
// returns the number of deliveries.
func (r *pubsubRegistry) publish(channel, message []byte) int {
	if r.subscriptions.Load() == 0 {
		return 0
	}
	var buf [256]byte
	frame := redcon.AppendArray(buf[:0], 3)
	frame = redcon.AppendBulkString(frame, "message")
	frame = redcon.AppendBulk(frame, channel)
	frame = redcon.AppendBulk(frame, message)
	n := r.channels.deliver(channel, frame)
	if r.npat.Load() == 0 {
		return n
	}
	r.patMu.RLock()
	for _, p := range r.patterns {
		if !glob.Match(p.pattern, channel, false) {
			continue
		}
		frame = redcon.AppendArray(frame[:0], 4)
		frame = redcon.AppendBulkString(frame, "pmessage")
		frame = redcon.AppendBulk(frame, p.pattern)
		frame = redcon.AppendBulk(frame, channel)
		frame = redcon.AppendBulk(frame, message)
		for _, q := range p.subs {
			q.push(frame)
		}
		n += len(p.subs)
	}
	r.patMu.RUnlock()
	return n
}

// spublish delivers message to the subscribers of shard channel.
func (r *pubsubRegistry) spublish(channel, message []byte) int {
	if r.subscriptions.Load() == 0 {
		return 0
	}
	var buf [256]byte
	frame := redcon.AppendArray(buf[:0], 3)
	frame = redcon.AppendBulkString(frame, "smessage")
	frame = redcon.AppendBulk(frame, channel)
	frame = redcon.AppendBulk(frame, message)
	return r.shard.deliver(channel, frame)
}

// ---------------------------------------------------------------------------
// A client's subscriptions.

// clientPubSub is one client's subscriptions. The sets are the connection
// goroutine's; the counters are what CLIENT LIST on other connections reads.
type clientPubSub struct {
	channels, patterns, shard orderedSet
	nsub, npsub, nssub        atomic.Int64
}

// orderedSet is a set of names that remembers insertion order (UNSUBSCRIBE
// without arguments leaves channels in the order they were joined).
type orderedSet struct {
	idx   map[string]struct{}
	order []string
}

func (s *orderedSet) has(name string) bool { _, ok := s.idx[name]; return ok }
func (s *orderedSet) len() int             { return len(s.order) }

func (s *orderedSet) add(name string) {
	if s.idx == nil {
		s.idx = make(map[string]struct{})
	}
	s.idx[name] = struct{}{}
	s.order = append(s.order, name)
}

func (s *orderedSet) remove(name string) {
	delete(s.idx, name)
	if i := slices.Index(s.order, name); i >= 0 {
		s.order = slices.Delete(s.order, i, i+1)
	}
}

// active is Redis's CLIENT_PUBSUB flag: set by a subscription, cleared when
// the last one of any kind goes.
func (p *clientPubSub) active() bool {
	return p.channels.len()+p.patterns.len()+p.shard.len() > 0
}

// count is the running count SUBSCRIBE/UNSUBSCRIBE/P* replies carry
// (Redis's clientSubscriptionsCount: channels and patterns).
func (p *clientPubSub) count() int { return p.channels.len() + p.patterns.len() }

func (p *clientPubSub) publishCounts() {
	p.nsub.Store(int64(p.channels.len()))
	p.npsub.Store(int64(p.patterns.len()))
	p.nssub.Store(int64(p.shard.len()))
}

// pubsubState returns the client's subscription state, creating it.
func (c *Ctx) pubsubState() *clientPubSub {
	if c.ps == nil {
		c.ps = &clientPubSub{}
		c.psShared.Store(c.ps)
	}
	return c.ps
}

// subscribed reports whether the client is in pub/sub mode.
func (c *Ctx) subscribed() bool { return c.ps != nil && c.ps.active() }

// subCounts is (channels, patterns, shard channels) for CLIENT LIST, safe
// from any goroutine.
func (c *Ctx) subCounts() (int64, int64, int64) {
	p := c.psShared.Load()
	if p == nil {
		return 0, 0, 0
	}
	return p.nsub.Load(), p.npsub.Load(), p.nssub.Load()
}

// outputMemory is the client's queued output (CLIENT LIST omem), safe from
// any goroutine.
func (c *Ctx) outputMemory() int64 {
	if q := c.oqShared.Load(); q != nil {
		return q.omem.Load()
	}
	return 0
}

// syncPubSub refreshes what publishers and other connections read of the
// client after a command: its protocol and pub/sub mode.
func (c *Ctx) syncPubSub() {
	if q := c.oq; q != nil {
		q.proto.Store(int32(c.proto))
		q.pubsub.Store(c.subscribed())
	}
	if c.track != nil {
		c.trackProto.Store(int32(c.proto))
	}
	if c.ps != nil {
		c.ps.publishCounts()
	}
}

// queueConfirmation hands the replies written so far (ending with a
// subscription confirmation) to the writer goroutine, so that they precede
// any message published once the subscription is registered. The bytes
// count as flushed for run's CLIENT REPLY bookkeeping.
func (c *Ctx) queueConfirmation(q *outQueue) {
	if c.replyMode != replyOn {
		return // run drops this command's reply anyway
	}
	c.block.flushed += len(c.out)
	q.appendReplies(c.out)
	c.out = c.out[:0]
}

// subscription kinds: the reply's name and the set and registry they use.
type subKind int

const (
	kindChannel subKind = iota
	kindPattern
	kindShard
)

func (k subKind) names() (sub, unsub string) {
	switch k {
	case kindPattern:
		return "psubscribe", "punsubscribe"
	case kindShard:
		return "ssubscribe", "sunsubscribe"
	}
	return "subscribe", "unsubscribe"
}

func (p *clientPubSub) set(k subKind) *orderedSet {
	switch k {
	case kindPattern:
		return &p.patterns
	case kindShard:
		return &p.shard
	}
	return &p.channels
}

func (p *clientPubSub) replyCount(k subKind) int {
	if k == kindShard {
		return p.shard.len()
	}
	return p.count()
}

func (r *pubsubRegistry) register(k subKind, name string, q *outQueue) {
	switch k {
	case kindPattern:
		r.addPattern(name, q)
	case kindShard:
		r.shard.add(name, q)
	default:
		r.channels.add(name, q)
	}
	r.subscriptions.Add(1)
}

func (r *pubsubRegistry) unregister(k subKind, name string, q *outQueue) {
	switch k {
	case kindPattern:
		r.removePattern(name, q)
	case kindShard:
		r.shard.remove(name, q)
	default:
		r.channels.remove(name, q)
	}
	r.subscriptions.Add(-1)
}

// subscribe joins names and confirms each with the running count.
func (c *Ctx) subscribe(k subKind, names [][]byte) {
	q := c.outQueue()
	p := c.pubsubState()
	set := p.set(k)
	verb, _ := k.names()
	q.hold()
	defer q.release()
	for _, b := range names {
		name := string(b)
		fresh := !set.has(name)
		if fresh {
			set.add(name)
		}
		c.Push(3)
		c.BulkString(verb)
		c.Bulk(b)
		c.Int(int64(p.replyCount(k)))
		c.queueConfirmation(q)
		if fresh {
			c.srv.pubsub.register(k, name, q)
		}
	}
	c.syncPubSub()
}

// unsubscribe leaves names (all when empty) and confirms each; leaving
// nothing when subscribed to nothing is confirmed with a null name.
func (c *Ctx) unsubscribe(k subKind, names [][]byte, reply bool) {
	p := c.pubsubState()
	set := p.set(k)
	_, verb := k.names()
	leave := func(name string, b []byte) {
		if set.has(name) {
			set.remove(name)
			c.srv.pubsub.unregister(k, name, c.oq)
		}
		if reply {
			c.Push(3)
			c.BulkString(verb)
			c.Bulk(b)
			c.Int(int64(p.replyCount(k)))
		}
	}
	if len(names) == 0 {
		if set.len() == 0 {
			if reply {
				c.Push(3)
				c.BulkString(verb)
				c.Null()
				c.Int(int64(p.replyCount(k)))
			}
		}
		for _, name := range slices.Clone(set.order) {
			leave(name, []byte(name))
		}
	} else {
		for _, b := range names {
			leave(string(b), b)
		}
	}
	c.syncPubSub()
}

// leaveAll drops every subscription without replies (RESET, disconnect).
func (c *Ctx) leaveAll() {
	if c.ps == nil {
		return
	}
	c.unsubscribe(kindChannel, nil, false)
	c.unsubscribe(kindPattern, nil, false)
	c.unsubscribe(kindShard, nil, false)
}

// leavePubSub runs when the connection closes: the client leaves its
// channels and its writer goroutine sends what is queued, then stops.
func (c *Ctx) leavePubSub() {
	c.leaveAll()
	if c.oq != nil {
		c.oq.close()
	}
}

// allowedWhileSubscribed: the commands a RESP2 client in pub/sub mode may
// run (Redis's processCommand check).
func (cmd *Command) allowedWhileSubscribed() bool {
	switch cmd.Name {
	case "ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe",
		"psubscribe", "punsubscribe", "quit", "reset":
		return true
	}
	return false
}

func errSubscribedContext(cmd *Command) string {
	return "ERR Can't execute '" + cmd.Name + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
}

// ---------------------------------------------------------------------------
// Commands.

// SUBSCRIBE channel [channel ...]
func cmdSubscribe(c *Ctx, args [][]byte) { c.subscribe(kindChannel, args[1:]) }

// UNSUBSCRIBE [channel [channel ...]]
func cmdUnsubscribe(c *Ctx, args [][]byte) { c.unsubscribe(kindChannel, args[1:], true) }

// PSUBSCRIBE pattern [pattern ...]
func cmdPSubscribe(c *Ctx, args [][]byte) { c.subscribe(kindPattern, args[1:]) }

// PUNSUBSCRIBE [pattern [pattern ...]]
func cmdPUnsubscribe(c *Ctx, args [][]byte) { c.unsubscribe(kindPattern, args[1:], true) }

// SSUBSCRIBE shardchannel [shardchannel ...]
func cmdSSubscribe(c *Ctx, args [][]byte) { c.subscribe(kindShard, args[1:]) }

// SUNSUBSCRIBE [shardchannel [shardchannel ...]]
func cmdSUnsubscribe(c *Ctx, args [][]byte) { c.unsubscribe(kindShard, args[1:], true) }

// PUBLISH channel message
func cmdPublish(c *Ctx, args [][]byte) {
	c.Int(int64(c.srv.pubsub.publish(args[1], args[2])))
	if c.srv.cluster.enabled { // every node's subscribers (cluster_pubsub.go)
		c.srv.clusterBroadcastPublish(args[1], args[2])
	}
}

// SPUBLISH shardchannel message
func cmdSPublish(c *Ctx, args [][]byte) {
	c.Int(int64(c.srv.pubsub.spublish(args[1], args[2])))
}

// PUBSUB CHANNELS [pattern]
func cmdPubsubChannels(c *Ctx, args [][]byte) { c.pubsubChannels(&c.srv.pubsub.channels, args) }

// PUBSUB SHARDCHANNELS [pattern]
func cmdPubsubShardChannels(c *Ctx, args [][]byte) { c.pubsubChannels(&c.srv.pubsub.shard, args) }

func (c *Ctx) pubsubChannels(t *chanTable, args [][]byte) {
	if len(args) > 3 {
		c.Error("ERR unknown subcommand or wrong number of arguments for '" + string(args[1]) + "'. Try PUBSUB HELP.")
		return
	}
	var pattern []byte
	if len(args) == 3 {
		pattern = args[2]
	}
	c.StringArray(t.names(pattern))
}

// PUBSUB NUMSUB [channel [channel ...]]
func cmdPubsubNumsub(c *Ctx, args [][]byte) { c.pubsubNumsub(&c.srv.pubsub.channels, args) }

// PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]
func cmdPubsubShardNumsub(c *Ctx, args [][]byte) { c.pubsubNumsub(&c.srv.pubsub.shard, args) }

func (c *Ctx) pubsubNumsub(t *chanTable, args [][]byte) {
	c.Array(2 * (len(args) - 2))
	for _, ch := range args[2:] {
		c.Bulk(ch)
		c.Int(int64(t.numSub(ch)))
	}
}

// PUBSUB NUMPAT
func cmdPubsubNumpat(c *Ctx, args [][]byte) { c.Int(c.srv.pubsub.numPatterns()) }

// PUBSUB HELP
func cmdPubsubHelp(c *Ctx, args [][]byte) {
	c.helpReply("PUBSUB", []string{
		"CHANNELS [<pattern>]",
		"    Return the currently active channels matching a <pattern> (default: '*').",
		"NUMPAT",
		"    Return number of subscriptions to patterns.",
		"NUMSUB [<channel> ...]",
		"    Return the number of subscribers for the specified channels, excluding",
		"    pattern subscriptions(default: no channels).",
		"SHARDCHANNELS [<pattern>]",
		"    Return the currently active shard level channels matching a <pattern> (default: '*').",
		"SHARDNUMSUB [<shardchannel> ...]",
		"    Return the number of subscribers for the specified shard level channel(s)",
	})
}

// pubsubPing is PING's reply in RESP2 pub/sub mode: ["pong", message].
func (c *Ctx) pubsubPing(args [][]byte) {
	c.Array(2)
	c.BulkString("pong")
	if len(args) == 2 {
		c.Bulk(args[1])
	} else {
		c.BulkString("")
	}
}

func registerPubSubCommands(t *Table) {
	acl := []string{"pubsub", "slow"}
	subFlags := FlagPubSub | FlagNoScript | FlagLoading | FlagStale
	pubFlags := FlagPubSub | FlagLoading | FlagStale | FlagFast
	cmd := func(name string, arity int, flags Flag, acl []string, since, summary, usage string, h func(*Ctx, [][]byte)) *Command {
		return &Command{Name: name, Arity: arity, Flags: flags, ACL: acl, Group: "pubsub", Since: since,
			Summary: summary, Usage: usage, Lock: LockNone, Handler: h}
	}
	shardKeys := func(c *Command, last int) *Command {
		// Redis gives the shard commands key specs (flagged not_key) so
		// cluster clients can route them; nothing is locked for them.
		c.FirstKey, c.LastKey, c.KeyStep = 1, last, 1
		return c
	}
	t.Add(
		cmd("subscribe", -2, subFlags, acl, "2.0.0", "Listens for messages published to channels.", "channel [channel ...]", cmdSubscribe),
		cmd("unsubscribe", -1, subFlags, acl, "2.0.0", "Stops listening to messages posted to channels.", "[channel [channel ...]]", cmdUnsubscribe),
		cmd("psubscribe", -2, subFlags, acl, "2.0.0", "Listens for messages published to channels that match one or more patterns.", "pattern [pattern ...]", cmdPSubscribe),
		cmd("punsubscribe", -1, subFlags, acl, "2.0.0", "Stops listening to messages published to channels that match one or more patterns.", "[pattern [pattern ...]]", cmdPUnsubscribe),
		cmd("publish", 3, pubFlags, []string{"pubsub", "fast"}, "2.0.0", "Posts a message to a channel.", "channel message", cmdPublish),
		shardKeys(cmd("ssubscribe", -2, subFlags, acl, "7.0.0", "Listens for messages published to shard channels.", "shardchannel [shardchannel ...]", cmdSSubscribe), -1),
		// Redis gives SUNSUBSCRIBE a key spec too, beyond what its arity
		// guarantees; the table's invariants do not allow that here.
		cmd("sunsubscribe", -1, subFlags, acl, "7.0.0", "Stops listening to messages posted to shard channels.", "[shardchannel [shardchannel ...]]", cmdSUnsubscribe),
		shardKeys(cmd("spublish", 3, pubFlags, []string{"pubsub", "fast"}, "7.0.0", "Posts a message to a shard channel.", "shardchannel message", cmdSPublish), 1),
	)
	sub := func(name string, arity int, flags Flag, acl []string, since, summary, usage string, h func(*Ctx, [][]byte)) *Command {
		c := cmd(name, arity, flags, acl, since, summary, usage, h)
		return c
	}
	introFlags := FlagPubSub | FlagLoading | FlagStale
	t.Add(&Command{Name: "pubsub", Arity: -2, ACL: []string{"slow"}, Group: "pubsub", Since: "2.8.0",
		Summary: "A container for Pub/Sub commands.", Lock: LockNone,
		Subcommands: Sub(
			sub("channels", -2, introFlags, acl, "2.8.0", "Returns the active channels.", "[pattern]", cmdPubsubChannels),
			sub("numsub", -2, introFlags, acl, "2.8.0", "Returns a count of subscribers to channels.", "[channel [channel ...]]", cmdPubsubNumsub),
			sub("numpat", 2, introFlags, acl, "2.8.0", "Returns a count of unique pattern subscriptions.", "", cmdPubsubNumpat),
			sub("shardchannels", -2, introFlags, acl, "7.0.0", "Returns the active shard channels.", "[pattern]", cmdPubsubShardChannels),
			sub("shardnumsub", -2, introFlags, acl, "7.0.0", "Returns the count of subscribers of shard channels.", "[shardchannel [shardchannel ...]]", cmdPubsubShardNumsub),
			sub("help", 2, FlagLoading|FlagStale, []string{"slow"}, "6.2.0", "Returns helpful text about the different subcommands.", "", cmdPubsubHelp),
		)})
}
