package server

// Stream commands (XADD, XRANGE, XREAD, consumer groups, XINFO, ...), after
// Redis 7.0's t_stream.c. The data structure is datatypes/stream; this file
// parses, calls it, replies and propagates.
//
// Propagation follows Redis: XADD propagates its own arguments with the
// generated ID in place of "*" / "ms-*", and an approximate trim ("~") as an
// exact one ("=") to the length (or first ID) it left; XTRIM likewise.
// XREADGROUP, XCLAIM and XAUTOCLAIM propagate XCLAIM ... FORCE JUSTID LASTID
// per entry they hand out (and XGROUP SETID / CREATECONSUMER for NOACK), so
// replicas and the AOF rebuild the same pending entries lists.

import (
	"strconv"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/stream"
	"github.com/vireodb/vireo/server/config"
)

const (
	errStreamID          = "ERR Invalid stream ID specified as stream command argument"
	errXAddZeroID        = "ERR The ID specified in XADD must be greater than 0-0"
	errXAddExhausted     = "ERR The stream has exhausted the last possible ID, unable to add more items"
	errXAddIDTooSmall    = "ERR The ID specified in XADD is equal or smaller than the target stream top item"
	errXAddTooLarge      = "ERR Elements are too large to be stored"
	errTrimBoth          = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"
	errTrimMaxLenNeg     = "ERR The MAXLEN argument must be >= 0."
	errTrimLimitNeg      = "ERR The LIMIT argument must be >= 0."
	errTrimLimitNoStrat  = "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"
	errTrimNoStrategy    = "ERR syntax error, XTRIM must be called with a trimming strategy"
	errTrimLimitNoApprox = "ERR syntax error, LIMIT cannot be used without the special ~ option"
	errStartInterval     = "ERR invalid start ID for the interval"
	errEndInterval       = "ERR invalid end ID for the interval"
	errBusyGroup         = "BUSYGROUP Consumer Group name already exists"
)

// streamTrimDefaultLimitCap bounds the default LIMIT of an approximate trim
// (100 * stream-node-max-entries); beyond it, or at 0, the default is 10000.
const streamTrimDefaultLimitCap = 1000000

var (
	argXClaim     = []byte("XCLAIM")
	argXGroup     = []byte("XGROUP")
	argSetID      = []byte("SETID")
	argEntriesRd  = []byte("ENTRIESREAD")
	argCreateCons = []byte("CREATECONSUMER")
	argTime       = []byte("TIME")
	argRetryCount = []byte("RETRYCOUNT")
	argForce      = []byte("FORCE")
	argJustID     = []byte("JUSTID")
	argLastID     = []byte("LASTID")
	argZero       = []byte("0")
	argEquals     = []byte("=")
)

// getStream looks key up for reading; nil when missing, ok false after a
// WRONGTYPE reply.
func (c *Ctx) getStream(key []byte) (*stream.Stream, bool) {
	return readTyped[*stream.Stream](c, key, keyspace.TypeStream)
}

// getStreamGroupWrite is getStream for the group commands that change a
// group's state (XACK, XCLAIM, XAUTOCLAIM, XREADGROUP): Redis looks their
// key up for reading (keyspace hits and misses count), yet the value
// changes, so the keyspace is told as for a write (snapshots, memory
// accounting).
func (c *Ctx) getStreamGroupWrite(key []byte) (*stream.Stream, bool) {
	s, ok := c.getStream(key)
	if s != nil {
		c.db.LookupWrite(key, c.now)
	}
	return s, ok
}

// getStreamWrite looks key up for modification.
func (c *Ctx) getStreamWrite(key []byte) (*stream.Stream, bool) {
	_, s, ok := writeTyped[*stream.Stream](c, key, keyspace.TypeStream)
	return s, ok
}

// newStreamKey stores an empty stream at key (a missing key, caller
// checked).
func (c *Ctx) newStreamKey(key []byte) *stream.Stream {
	s := stream.New()
	c.db.Put(clone(key), keyspace.Entry{Type: keyspace.TypeStream, Enc: keyspace.EncStream, Obj: s})
	return s
}

// streamLimits reads stream-node-max-bytes and stream-node-max-entries.
func (c *Ctx) streamLimits() stream.Limits {
	var lim stream.Limits
	c.srv.cfg.View(func(s *config.Settings) {
		lim.NodeMaxBytes = s.StreamNodeMaxBytes
		lim.NodeMaxEntries = s.StreamNodeMaxEntries
	})
	return lim
}

// preventPropagation stops the command's own arguments from being
// propagated: its effects went out through Propagate (or need none), as
// with Redis's preventCommandPropagation.
func (c *Ctx) preventPropagation() { c.customProp = true }

// mustObeyClient reports whether the client replays a primary's stream or
// the AOF, where Redis lifts the default LIMIT of approximate trims. Vireo
// has no such client in the command path yet.
func (c *Ctx) mustObeyClient() bool { return false }

// parseStreamID parses an ID argument, replying the error when invalid.
func (c *Ctx) parseStreamID(arg []byte, missingSeq uint64, strict bool) (stream.ID, bool) {
	id, ok := stream.ParseID(arg, missingSeq, strict)
	if !ok {
		c.Error(errStreamID)
	}
	return id, ok
}

// parseRangeStart and parseRangeEnd read an XRANGE/XPENDING bound, "(" for
// an exclusive one (streamParseIntervalIDOrReply plus the incr/decr).
func (c *Ctx) parseRangeStart(arg []byte) (stream.ID, bool) {
	id, excl, ok := stream.ParseExclusiveID(arg, 0)
	if !ok {
		c.Error(errStreamID)
		return id, false
	}
	if excl {
		if id, ok = id.Incr(); !ok {
			c.Error(errStartInterval)
			return id, false
		}
	}
	return id, true
}

func (c *Ctx) parseRangeEnd(arg []byte) (stream.ID, bool) {
	id, excl, ok := stream.ParseExclusiveID(arg, ^uint64(0))
	if !ok {
		c.Error(errStreamID)
		return id, false
	}
	if excl {
		if id, ok = id.Decr(); !ok {
			c.Error(errEndInterval)
			return id, false
		}
	}
	return id, true
}

// --- replies ---

func (c *Ctx) streamIDReply(id stream.ID) {
	var buf [48]byte
	c.Bulk(id.Append(buf[:0]))
}

// streamEntryReply writes [id, [field, value, ...]].
func (c *Ctx) streamEntryReply(id stream.ID, fv [][]byte) {
	c.Array(2)
	c.streamIDReply(id)
	c.Array(len(fv))
	for _, b := range fv {
		c.Bulk(b)
	}
}

// streamRangeReply writes the entries of s in [start, end] (count 0: all) as
// an array, Redis's streamReplyWithRange without a group.
func (c *Ctx) streamRangeReply(s *stream.Stream, start, end stream.ID, count int64, rev bool) {
	c.deferredLen(c.Array, func() int {
		n := 0
		s.Range(start, end, rev, func(id stream.ID, fv [][]byte) bool {
			c.streamEntryReply(id, fv)
			n++
			return count == 0 || int64(n) < count
		})
		return n
	})
}

// deferredLen writes what fill writes, preceded by the header that header
// writes for the number of elements fill returns (addReplyDeferredLen).
func (c *Ctx) deferredLen(header func(n int), fill func() int) {
	mark := len(c.out)
	n := fill()
	body := append([]byte(nil), c.out[mark:]...)
	c.out = c.out[:mark]
	header(n)
	c.out = append(c.out, body...)
}

// --- XADD / XTRIM arguments ---

// trimArgs are the parsed trimming options of XADD and XTRIM
// (streamAddTrimArgs).
type trimArgs struct {
	stream.TrimArgs
	argIdx     int // the index of the MAXLEN/MINID value, for the rewrite
	limitGiven bool
	// XADD only.
	noMkStream bool
	idGiven    bool
	id         stream.AddID
}

// parseAddOrTrimArgs parses XADD's or XTRIM's options from args[2]
// (streamParseAddOrTrimArgsOrReply); for XADD it returns the index of the
// ID argument, for XTRIM len(args). -1 after an error reply.
func (c *Ctx) parseAddOrTrimArgs(args [][]byte, xadd bool) (trimArgs, int) {
	var a trimArgs
	var limit int64
	i := 2
	for ; i < len(args); i++ {
		more := len(args) - 1 - i
		opt := args[i]
		switch {
		case xadd && len(opt) == 1 && opt[0] == '*':
			a.id = stream.AddID{Auto: true}
			return c.finishTrimArgs(a, limit, xadd, i)
		case eq(opt, "maxlen") && more > 0, eq(opt, "minid") && more > 0:
			if a.Strategy != stream.TrimNone {
				c.Error(errTrimBoth)
				return a, -1
			}
			a.Approx = false
			next := args[i+1]
			if more >= 2 && len(next) == 1 && (next[0] == '~' || next[0] == '=') {
				a.Approx = next[0] == '~'
				i++
			}
			if eq(opt, "maxlen") {
				v, ok := c.intArg(args[i+1])
				if !ok {
					return a, -1
				}
				if v < 0 {
					c.Error(errTrimMaxLenNeg)
					return a, -1
				}
				a.Strategy, a.MaxLen = stream.TrimMaxLen, uint64(v)
			} else {
				id, ok := c.parseStreamID(args[i+1], 0, true)
				if !ok {
					return a, -1
				}
				a.Strategy, a.MinID = stream.TrimMinID, id
			}
			i++
			a.argIdx = i
		case eq(opt, "limit") && more > 0:
			v, ok := c.intArg(args[i+1])
			if !ok {
				return a, -1
			}
			if v < 0 {
				c.Error(errTrimLimitNeg)
				return a, -1
			}
			limit, a.limitGiven = v, true
			i++
		case xadd && eq(opt, "nomkstream"):
			a.noMkStream = true
		case xadd:
			id, seqAuto, ok := stream.ParseAddID(opt)
			if !ok {
				c.Error(errStreamID)
				return a, -1
			}
			a.idGiven = true
			a.id = stream.AddID{ID: id, SeqAuto: seqAuto}
			return c.finishTrimArgs(a, limit, xadd, i)
		default:
			c.Error(ErrSyntax)
			return a, -1
		}
	}
	return c.finishTrimArgs(a, limit, xadd, i)
}

func (c *Ctx) finishTrimArgs(a trimArgs, limit int64, xadd bool, i int) (trimArgs, int) {
	if limit != 0 && a.Strategy == stream.TrimNone {
		c.Error(errTrimLimitNoStrat)
		return a, -1
	}
	if !xadd && a.Strategy == stream.TrimNone {
		c.Error(errTrimNoStrategy)
		return a, -1
	}
	switch {
	case c.mustObeyClient():
		a.Limit = 0
	case a.limitGiven:
		if !a.Approx {
			c.Error(errTrimLimitNoApprox)
			return a, -1
		}
		a.Limit = limit
	case a.Approx:
		a.Limit = 100 * c.streamLimits().NodeMaxEntries
		if a.Limit <= 0 || a.Limit > streamTrimDefaultLimitCap {
			a.Limit = 10000
		}
	}
	return a, i
}

// trimRewrite is the propagated form of an approximate trim: "~" becomes
// "=" and the count the length left (or the first ID left), so replicas
// trim exactly as much (streamRewriteTrimArgument).
func trimRewrite(argv [][]byte, s *stream.Stream, a *trimArgs) {
	argv[a.argIdx-1] = argEquals
	if a.Strategy == stream.TrimMaxLen {
		argv[a.argIdx] = strconv.AppendUint(nil, s.Len(), 10)
	} else {
		argv[a.argIdx] = s.HeadID().Append(nil)
	}
}

// XADD key [NOMKSTREAM] [MAXLEN | MINID [= | ~] threshold [LIMIT count]] * | id field value [field value ...]
func cmdXAdd(c *Ctx, args [][]byte) {
	a, idPos := c.parseAddOrTrimArgs(args, true)
	if idPos < 0 {
		return
	}
	fieldPos := idPos + 1
	if n := len(args) - fieldPos; n < 2 || n%2 == 1 {
		c.Error("ERR wrong number of arguments for 'xadd' command")
		return
	}
	if a.idGiven && !a.id.SeqAuto && a.id.ID.IsZero() {
		c.Error(errXAddZeroID)
		return
	}
	key := args[1]
	s, ok := c.getStreamWrite(key)
	if !ok {
		return
	}
	if s == nil {
		if a.noMkStream {
			c.Null()
			return
		}
		s = c.newStreamKey(key)
	}
	if s.LastID() == stream.MaxID {
		c.Error(errXAddExhausted)
		return
	}
	id, err := s.Add(a.id, args[fieldPos:], uint64(c.now), c.streamLimits())
	if err != nil {
		if err == stream.ErrIDTooSmall {
			c.Error(errXAddIDTooSmall)
		} else {
			c.Error(errXAddTooLarge)
		}
		return
	}
	var idBuf [48]byte
	idText := id.Append(idBuf[:0])
	c.Bulk(idText)
	c.Modified(key)
	c.Notify(NotifyStream, "xadd", key)
	argv := args
	rewritten := false
	if a.Strategy != stream.TrimNone {
		if s.Trim(a.TrimArgs) > 0 {
			c.Notify(NotifyStream, "xtrim", key)
		}
		if a.Approx {
			argv = append([][]byte(nil), args...)
			rewritten = true
			trimRewrite(argv, s, &a)
		}
	}
	if !a.idGiven || a.id.SeqAuto {
		if !rewritten {
			argv = append([][]byte(nil), args...)
			rewritten = true
		}
		argv[idPos] = clone(idText)
	}
	if rewritten {
		c.Propagate(argv...)
	}
	c.db.SignalReady(key)
}

// XTRIM key MAXLEN | MINID [= | ~] threshold [LIMIT count]
func cmdXTrim(c *Ctx, args [][]byte) {
	a, i := c.parseAddOrTrimArgs(args, false)
	if i < 0 {
		return
	}
	key := args[1]
	s, ok := c.getStreamWrite(key)
	if !ok {
		return
	}
	if s == nil {
		c.Int(0)
		return
	}
	deleted := s.Trim(a.TrimArgs)
	if deleted > 0 {
		c.Notify(NotifyStream, "xtrim", key)
		if a.Approx {
			argv := append([][]byte(nil), args...)
			trimRewrite(argv, s, &a)
			c.Propagate(argv...)
		}
		c.Modified(key)
		c.dirty += int(deleted) - 1
	}
	c.Int(deleted)
}

// XLEN key
func cmdXLen(c *Ctx, args [][]byte) {
	s, ok := c.getStream(args[1])
	if !ok {
		return
	}
	if s == nil {
		c.Int(0)
		return
	}
	c.Int(int64(s.Len()))
}

// XRANGE key start end [COUNT count]
func cmdXRange(c *Ctx, args [][]byte) { xrangeGeneric(c, args, false) }

// XREVRANGE key end start [COUNT count]
func cmdXRevRange(c *Ctx, args [][]byte) { xrangeGeneric(c, args, true) }

func xrangeGeneric(c *Ctx, args [][]byte, rev bool) {
	startArg, endArg := args[2], args[3]
	if rev {
		startArg, endArg = endArg, startArg
	}
	start, ok := c.parseRangeStart(startArg)
	if !ok {
		return
	}
	end, ok := c.parseRangeEnd(endArg)
	if !ok {
		return
	}
	count := int64(-1)
	for j := 4; j < len(args); j++ {
		if eq(args[j], "count") && j+1 < len(args) {
			v, ok := c.intArg(args[j+1])
			if !ok {
				return
			}
			count = max(v, 0)
			j++
		} else {
			c.Error(ErrSyntax)
			return
		}
	}
	s, ok := c.getStream(args[1])
	if !ok {
		return
	}
	if s == nil {
		c.Array(0)
		return
	}
	if count == 0 {
		c.NullArray()
		return
	}
	c.streamRangeReply(s, start, end, max(count, 0), rev)
}

// XDEL key id [id ...]
func cmdXDel(c *Ctx, args [][]byte) {
	key := args[1]
	s, ok := c.getStreamWrite(key)
	if !ok {
		return
	}
	if s == nil {
		c.Int(0)
		return
	}
	ids := make([]stream.ID, 0, len(args)-2)
	for _, a := range args[2:] {
		id, ok := c.parseStreamID(a, 0, true)
		if !ok {
			return
		}
		ids = append(ids, id)
	}
	deleted := s.Delete(ids...)
	if deleted > 0 {
		c.Modified(key)
		c.Notify(NotifyStream, "xdel", key)
		c.dirty += deleted - 1
	}
	c.Int(int64(deleted))
}

// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
func cmdXSetID(c *Ctx, args [][]byte) {
	id, ok := c.parseStreamID(args[2], 0, true)
	if !ok {
		return
	}
	entriesAdded := int64(-1)
	var maxDel stream.ID
	for i := 3; i < len(args); i++ {
		more := len(args) - 1 - i
		switch {
		case eq(args[i], "entriesadded") && more > 0:
			v, ok := c.intArg(args[i+1])
			if !ok {
				return
			}
			if v < 0 {
				c.Error("ERR entries_added must be positive")
				return
			}
			entriesAdded = v
			i++
		case eq(args[i], "maxdeletedid") && more > 0:
			v, ok := c.parseStreamID(args[i+1], 0, true)
			if !ok {
				return
			}
			if id.Cmp(v) < 0 {
				c.Error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id")
				return
			}
			maxDel = v
			i++
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	key := args[1]
	s, ok := c.getStreamWrite(key)
	if !ok {
		return
	}
	if s == nil {
		c.Error(ErrNoSuchKey)
		return
	}
	if s.Len() > 0 {
		if last, _ := s.LastEntryID(); id.Cmp(last) < 0 {
			c.Error("ERR The ID specified in XSETID is smaller than the target stream top item")
			return
		}
		if entriesAdded != -1 && s.Len() > uint64(entriesAdded) {
			c.Error("ERR The entries_added specified in XSETID is smaller than the target stream length")
			return
		}
	}
	s.SetLastID(id)
	if entriesAdded != -1 {
		s.SetEntriesAdded(uint64(entriesAdded))
	}
	if !maxDel.IsZero() {
		s.SetMaxDeletedID(maxDel)
	}
	c.OK()
	c.Modified(key)
	c.Notify(NotifyStream, "xsetid", key)
}

// xreadKeys finds XREAD/XREADGROUP's keys: the first half of the arguments
// after STREAMS (xreadGetKeys).
func xreadKeys(args [][]byte) []int {
	streamsPos := -1
	for i := 1; i < len(args) && streamsPos < 0; i++ {
		switch {
		case eq(args[i], "block"), eq(args[i], "count"):
			i++
		case eq(args[i], "group"):
			i += 2
		case eq(args[i], "noack"):
		case eq(args[i], "streams"):
			streamsPos = i
		default:
			return nil
		}
	}
	if streamsPos < 0 {
		return nil
	}
	num := len(args) - streamsPos - 1
	if num == 0 || num%2 != 0 {
		return nil
	}
	keys := make([]int, num/2)
	for i := range keys {
		keys[i] = streamsPos + 1 + i
	}
	return keys
}

// xreadBlockedDefaultCount is the COUNT of a blocked XREAD served later
// without one (XREAD_BLOCKED_DEFAULT_COUNT).
const xreadBlockedDefaultCount = 1000

// XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
func cmdXRead(c *Ctx, args [][]byte) { xreadGeneric(c, args, false) }

// XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]
func cmdXReadGroup(c *Ctx, args [][]byte) { xreadGeneric(c, args, true) }

// xreadGeneric is Redis's xreadCommand for both commands. A blocked call
// runs again when a key is readied; the IDs "$" stood for on the first run
// are kept for the retries (blockOnData).
func xreadGeneric(c *Ctx, args [][]byte, xreadgroup bool) {
	c.preventPropagation() // effects go out as XCLAIM / XGROUP (below)
	timeout := int64(-1)
	var count int64
	streamsArg, nStreams := 0, 0
	var groupName, consumerName []byte
	noack := false
	for i := 1; i < len(args); i++ {
		more := len(args) - i - 1
		o := args[i]
		switch {
		case eq(o, "block") && more > 0:
			if c.block.deny {
				c.Error("ERR " + string(args[0]) + " command is not allowed with BLOCK option from scripts")
				return
			}
			i++
			t, ok := c.parseTimeoutMS(args[i])
			if !ok {
				return
			}
			timeout = t
		case eq(o, "count") && more > 0:
			i++
			v, ok := c.intArg(args[i])
			if !ok {
				return
			}
			count = max(v, 0)
		case eq(o, "streams") && more > 0:
			streamsArg = i + 1
			nStreams = len(args) - streamsArg
			if nStreams%2 != 0 {
				symbol, name := "$", "XREAD"
				if xreadgroup {
					symbol, name = ">", "XREADGROUP"
				}
				c.Error("ERR Unbalanced " + name + " list of streams: for each stream key an ID or '" + symbol + "' must be specified.")
				return
			}
			nStreams /= 2
			i = len(args)
		case eq(o, "group") && more >= 2:
			if !xreadgroup {
				c.Error("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.")
				return
			}
			groupName, consumerName = args[i+1], args[i+2]
			i += 2
		case eq(o, "noack"):
			if !xreadgroup {
				c.Error("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.")
				return
			}
			noack = true
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	if streamsArg == 0 {
		c.Error(ErrSyntax)
		return
	}
	if xreadgroup && groupName == nil {
		c.Error("ERR Missing GROUP option for XREADGROUP")
		return
	}
	keys := args[streamsArg : streamsArg+nStreams]
	idArgs := args[streamsArg+nStreams:]
	kept, _ := c.blockData().([]stream.ID)
	ids := make([]stream.ID, nStreams)
	groups := make([]*stream.Group, nStreams)
	for i, key := range keys {
		lookup := c.getStream
		if groupName != nil {
			lookup = c.getStreamGroupWrite
		}
		var s *stream.Stream
		if e := c.db.LookupNoTouch(key, c.now); c.block.retrying && (e == nil || e.Type != keyspace.TypeStream) {
			// The key was deleted or now holds another type. Redis
			// unblocks XREADGROUP with an error
			// (unblockDeletedStreamReadgroupClients); XREAD keeps waiting,
			// as for a key that does not exist.
			if groupName != nil {
				c.Error("UNBLOCKED the stream key no longer exists")
				return
			}
		} else {
			var ok bool
			if s, ok = lookup(key); !ok {
				return
			}
		}
		if groupName != nil {
			var g *stream.Group
			if s != nil {
				g = s.Group(groupName)
			}
			if g == nil && c.block.retrying {
				c.Error("NOGROUP the consumer group this client was blocked on no longer exists")
				return
			}
			if g == nil {
				c.Error("NOGROUP No such key '" + string(key) + "' or consumer group '" + string(groupName) + "' in XREADGROUP with GROUP option")
				return
			}
			groups[i] = g
		}
		arg := idArgs[i]
		switch {
		case len(arg) == 1 && arg[0] == '$':
			if xreadgroup {
				c.Error("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.")
				return
			}
			switch {
			case kept != nil:
				ids[i] = kept[i]
			case s != nil:
				ids[i] = s.LastID()
			}
		case len(arg) == 1 && arg[0] == '>':
			if !xreadgroup {
				c.Error("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.")
				return
			}
			ids[i] = stream.MaxID
		default:
			id, ok := c.parseStreamID(arg, 0, true)
			if !ok {
				return
			}
			ids[i] = id
		}
	}
	if c.block.retrying && count == 0 {
		count = xreadBlockedDefaultCount
	}

	served := 0
	mark := len(c.out)
	for i, key := range keys {
		if e := c.db.LookupNoTouch(key, c.now); e == nil || e.Type != keyspace.TypeStream {
			continue // see the first loop: an XREAD retry skips a changed key
		}
		s, _ := c.getStream(key)
		gt := ids[i]
		serve, history := false, false
		if g := groups[i]; g != nil {
			if gt != stream.MaxID {
				serve, history = true, true
			} else if last, ok := s.LastEntryID(); ok && last.Cmp(g.LastID) > 0 {
				serve, gt = true, g.LastID
			}
		} else if last, ok := s.LastEntryID(); ok && last.Cmp(gt) > 0 {
			// The last entry, not the last ID: after XSETID or XDEL of
			// the top entry there may be nothing to serve (streamLastValidID).
			serve = true
		}
		if !serve {
			continue
		}
		served++
		start, _ := gt.Incr()
		if c.proto == 2 {
			c.Array(2)
		}
		c.Bulk(key)
		if g := groups[i]; g != nil {
			consumer := g.Consumer(consumerName)
			if consumer == nil {
				consumer = g.CreateConsumer(consumerName, c.now)
				c.dirty++
				c.Notify(NotifyStream, "xgroup-createconsumer", key)
				if noack {
					c.Propagate(argXGroup, argCreateCons, key, groupName, consumerName)
				}
			}
			consumer.SeenTime = c.now
			if history {
				c.streamHistoryReply(s, consumer, start, count)
			} else {
				c.streamGroupReadReply(s, key, groupName, g, consumer, start, count, noack)
			}
			c.dirty++
		} else {
			c.streamRangeReply(s, start, stream.MaxID, count, false)
		}
	}
	if served > 0 {
		body := append([]byte(nil), c.out[mark:]...)
		c.out = c.out[:mark]
		if c.proto == 2 {
			c.Array(served)
		} else {
			c.Map(served)
		}
		c.out = append(c.out, body...)
		return
	}
	if timeout != -1 {
		if !c.mayBlock() {
			c.NullArray()
			return
		}
		c.block.whenGone = xreadgroup
		c.blockOnData(keys, keyspace.TypeStream, timeout, (*Ctx).NullArray, ids)
		c.block.whenGone = false
		return
	}
	c.NullArray()
}

// streamHistoryReply serves XREADGROUP with an explicit ID: the consumer's
// own pending entries from start (streamReplyWithRangeFromConsumerPEL). An
// entry deleted from the stream shows as [id, nil].
func (c *Ctx) streamHistoryReply(s *stream.Stream, consumer *stream.Consumer, start stream.ID, count int64) {
	c.deferredLen(c.Array, func() int {
		n := 0
		consumer.RangePending(start, stream.MaxID, func(p *stream.Pending) bool {
			if count > 0 && int64(n) >= count {
				return false
			}
			if fv, ok := s.Get(p.ID); ok {
				c.streamEntryReply(p.ID, fv)
				p.DeliveryTime = c.now
				p.DeliveryCount++
			} else {
				c.Array(2)
				c.streamIDReply(p.ID)
				c.NullArray()
			}
			n++
			return true
		})
		return n
	})
}

// streamGroupReadReply serves XREADGROUP ">": entries after the group's last
// delivered ID, which advances; each goes into the PEL (unless NOACK) and
// is propagated as XCLAIM (streamReplyWithRange with a group).
func (c *Ctx) streamGroupReadReply(s *stream.Stream, key, groupName []byte, g *stream.Group, consumer *stream.Consumer, start stream.ID, count int64, noack bool) {
	propagateLastID := false
	c.deferredLen(c.Array, func() int {
		n := 0
		s.Range(start, stream.MaxID, false, func(id stream.ID, fv [][]byte) bool {
			if s.Advance(g, id) && noack {
				propagateLastID = true
			}
			c.streamEntryReply(id, fv)
			if !noack {
				p := g.Deliver(id, consumer, c.now)
				consumer.ActiveTime = c.now
				c.propagateXClaim(key, groupName, g, id.Append(nil), p)
			}
			n++
			return count == 0 || int64(n) < count
		})
		return n
	})
	if propagateLastID {
		c.propagateGroupID(key, groupName, g)
	}
}

// propagateXClaim propagates the state of one PEL entry as
// XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n FORCE JUSTID LASTID id
// (streamPropagateXCLAIM).
func (c *Ctx) propagateXClaim(key, groupName []byte, g *stream.Group, idArg []byte, p *stream.Pending) {
	c.Propagate(argXClaim, key, groupName, []byte(p.Consumer.Name()), argZero, clone(idArg),
		argTime, strconv.AppendInt(nil, p.DeliveryTime, 10),
		argRetryCount, strconv.AppendUint(nil, p.DeliveryCount, 10),
		argForce, argJustID, argLastID, g.LastID.Append(nil))
}

// propagateGroupID propagates XGROUP SETID key group id ENTRIESREAD n
// (streamPropagateGroupID).
func (c *Ctx) propagateGroupID(key, groupName []byte, g *stream.Group) {
	c.Propagate(argXGroup, argSetID, key, groupName, g.LastID.Append(nil),
		argEntriesRd, strconv.AppendInt(nil, g.EntriesRead, 10))
}

func init() {
	familyRegistrars = append(familyRegistrars, registerStreamCommands)
	valueDigesters[keyspace.TypeStream] = digestStream
}

// digestStream mixes each entry's "ms.seq" ID, then its fields and values,
// in ID order (xorObjectDigest's stream branch; groups are not digested).
func digestStream(d *digest, e *keyspace.Entry) {
	var buf [48]byte
	e.Obj.(*stream.Stream).Range(stream.ID{}, stream.MaxID, false, func(id stream.ID, fv [][]byte) bool {
		b := strconv.AppendUint(buf[:0], id.Ms, 10)
		b = append(b, '.')
		b = strconv.AppendUint(b, id.Seq, 10)
		d.mix(b)
		for _, v := range fv {
			d.mix(v)
		}
		return true
	})
}

func registerStreamCommands(t *Table) {
	const g = "stream"
	one := func(c *Command) *Command {
		c.FirstKey, c.LastKey, c.KeyStep = 1, 1, 1
		c.Group = g
		return c
	}
	writeFast := []string{"write", "stream", "fast"}
	writeSlow := []string{"write", "stream", "slow"}
	readFast := []string{"read", "stream", "fast"}
	readSlow := []string{"read", "stream", "slow"}
	nondet := []string{"nondeterministic_output"}
	t.Add(
		one(&Command{Name: "xadd", Arity: -5, Flags: FlagWrite | FlagDenyOOM | FlagFast, ACL: writeFast, Since: "5.0.0",
			Summary: "Appends an entry to a stream, creating the key if needed; may trim the stream.",
			Usage:   "key [NOMKSTREAM] [<MAXLEN | MINID> [= | ~] threshold [LIMIT count]] <* | id> field value [field value ...]",
			Tips:    nondet, Handler: cmdXAdd}),
		one(&Command{Name: "xlen", Arity: 2, Flags: FlagReadonly | FlagFast, ACL: readFast, Since: "5.0.0",
			Summary: "Returns the number of entries in a stream.", Usage: "key", Handler: cmdXLen}),
		one(&Command{Name: "xrange", Arity: -4, Flags: FlagReadonly, ACL: readSlow, Since: "5.0.0",
			Summary: "Returns the entries of a stream within a range of IDs.",
			Usage:   "key start end [COUNT count]", Handler: cmdXRange}),
		one(&Command{Name: "xrevrange", Arity: -4, Flags: FlagReadonly, ACL: readSlow, Since: "5.0.0",
			Summary: "Returns the entries of a stream within a range of IDs, newest first.",
			Usage:   "key end start [COUNT count]", Handler: cmdXRevRange}),
		one(&Command{Name: "xdel", Arity: -3, Flags: FlagWrite | FlagFast, ACL: writeFast, Since: "5.0.0",
			Summary: "Removes entries from a stream by ID.", Usage: "key id [id ...]", Handler: cmdXDel}),
		one(&Command{Name: "xtrim", Arity: -4, Flags: FlagWrite, ACL: writeSlow, Since: "5.0.0",
			Summary: "Removes the oldest entries of a stream by length or by ID.",
			Usage:   "key <MAXLEN | MINID> [= | ~] threshold [LIMIT count]", Tips: nondet, Handler: cmdXTrim}),
		one(&Command{Name: "xsetid", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, ACL: writeFast, Since: "5.0.0",
			Summary: "Sets a stream's last generated ID and counters (internal use).",
			Usage:   "key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]", Handler: cmdXSetID}),
		&Command{Name: "xread", Arity: -4, Flags: FlagReadonly | FlagBlocking | FlagMovableKeys, ACL: []string{"read", "stream", "slow", "blocking"},
			Group: g, Since: "5.0.0", Summary: "Reads entries after given IDs from one or more streams, optionally waiting for them.",
			Usage: "[COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]", Keys: xreadKeys, Handler: cmdXRead},
		&Command{Name: "xreadgroup", Arity: -7, Flags: FlagWrite | FlagBlocking | FlagMovableKeys, ACL: []string{"write", "stream", "slow", "blocking"},
			Group: g, Since: "5.0.0", Summary: "Reads entries for a consumer of a group, recording them as pending, optionally waiting for them.",
			Usage: "GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]", Keys: xreadKeys, Handler: cmdXReadGroup},
	)
	registerStreamGroupCommands(t, one)
}
