package server

// Consumer groups (XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM) and XINFO,
// after Redis 7.0.15's t_stream.c. XREADGROUP is in stream.go with XREAD.
//
// Redis 7.0 creates a consumer implicitly only when it is handed entries
// (XREADGROUP serving something, XCLAIM/XAUTOCLAIM claiming something), and
// reports consumers without 7.2's active-time/inactive fields; Vireo keeps
// the active time for RDB but replies in 7.0's shapes.

import (
	"strings"

	"github.com/vireodb/vireo/datatypes/stream"
)

const (
	errXGroupNoKey     = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."
	xautoclaimMaxCount = (1<<63 - 1) / 16 // LONG_MAX / max(sizeof(streamID), attempts factor)
)

// subcommandSyntaxError is Redis's addReplySubcommandSyntaxError.
func (c *Ctx) subcommandSyntaxError(args [][]byte) {
	c.Error("ERR unknown subcommand or wrong number of arguments for '" + string(args[1]) + "'. Try " + strings.ToUpper(string(args[0])) + " HELP.")
}

func errNoGroupForKey(group, key []byte) string {
	return "NOGROUP No such consumer group '" + string(group) + "' for key name '" + string(key) + "'"
}

// streamGroup looks key up through lookup and finds its consumer group
// groupName; ok is false when an error (WRONGTYPE, NOGROUP for a missing key
// or group) has been sent.
func (c *Ctx) streamGroup(lookup func([]byte) (*stream.Stream, bool), key, groupName []byte) (*stream.Stream, *stream.Group, bool) {
	s, ok := lookup(key)
	if !ok {
		return nil, nil, false
	}
	var g *stream.Group
	if s != nil {
		g = s.Group(groupName)
	}
	if g == nil {
		c.Error(errNoKeyOrGroup(key, groupName))
		return nil, nil, false
	}
	return s, g, true
}

func errNoKeyOrGroup(key, group []byte) string {
	return "NOGROUP No such key '" + string(key) + "' or consumer group '" + string(group) + "'"
}

// lookupConsumerSeen finds a consumer, creating it (with the
// xgroup-createconsumer event) when missing, and marks it seen now
// (streamLookupConsumer + streamCreateConsumer).
func (c *Ctx) lookupConsumerSeen(key []byte, g *stream.Group, name []byte) *stream.Consumer {
	cons, created := g.LookupOrCreateConsumer(name, c.now)
	if created {
		c.dirty++
		c.Notify(NotifyStream, "xgroup-createconsumer", key)
	}
	cons.SeenTime = c.now
	return cons
}

// XGROUP CREATE key group id | $ [MKSTREAM] [ENTRIESREAD entries-read]
// XGROUP SETID key group id | $ [ENTRIESREAD entries-read]
// XGROUP DESTROY key group
// XGROUP CREATECONSUMER key group consumer
// XGROUP DELCONSUMER key group consumer
//
// One handler for all, as Redis's xgroupCommand: the checks run in its order.
func cmdXGroup(c *Ctx, args [][]byte) {
	opt := args[1]
	create, setid := eq(opt, "create"), eq(opt, "setid")
	mkstream := false
	entriesRead := stream.InvalidEntriesRead
	key, groupName := args[2], args[3]
	for i := 5; i < len(args); {
		switch {
		case create && eq(args[i], "mkstream"):
			mkstream = true
			i++
		case (create || setid) && eq(args[i], "entriesread") && i+1 < len(args):
			v, ok := c.intArg(args[i+1])
			if !ok {
				return
			}
			if v < 0 && v != stream.InvalidEntriesRead {
				c.Error("ERR value for ENTRIESREAD must be positive or -1")
				return
			}
			entriesRead = v
			i += 2
		default:
			c.subcommandSyntaxError(args)
			return
		}
	}
	s, ok := c.getStreamWrite(key)
	if !ok {
		return
	}
	var g *stream.Group
	if !mkstream {
		if s == nil {
			c.Error(errXGroupNoKey)
			return
		}
		if g = s.Group(groupName); g == nil && (setid || eq(opt, "createconsumer") || eq(opt, "delconsumer")) {
			c.Error(errNoGroupForKey(groupName, key))
			return
		}
	}
	switch {
	case create && len(args) <= 8:
		var id stream.ID
		if len(args[4]) == 1 && args[4][0] == '$' {
			if s != nil {
				id = s.LastID()
			}
		} else if id, ok = c.parseStreamID(args[4], 0, true); !ok {
			return
		}
		if s == nil {
			s = c.newStreamKey(key)
			c.Modified(key)
			c.dirty--
		}
		if s.CreateGroup(groupName, id, entriesRead) == nil {
			c.Error(errBusyGroup)
			return
		}
		c.OK()
		c.dirty++
		c.Notify(NotifyStream, "xgroup-create", key)
	case setid && (len(args) == 5 || len(args) == 7):
		var id stream.ID
		if len(args[4]) == 1 && args[4][0] == '$' {
			id = s.LastID()
		} else if id, ok = c.parseStreamID(args[4], 0, false); !ok {
			return
		}
		g.LastID = id
		g.EntriesRead = entriesRead
		c.OK()
		c.dirty++
		c.Notify(NotifyStream, "xgroup-setid", key)
	case eq(opt, "destroy") && len(args) == 4:
		if g == nil {
			c.Int(0)
			return
		}
		s.DestroyGroup(groupName)
		c.db.SignalReady(key) // its blocked XREADGROUP clients get NOGROUP
		c.Int(1)
		c.dirty++
		c.Notify(NotifyStream, "xgroup-destroy", key)
	case eq(opt, "createconsumer") && len(args) == 5:
		if g.CreateConsumer(args[4], c.now) == nil {
			c.Int(0)
			return
		}
		c.Int(1)
		c.dirty++
		c.Notify(NotifyStream, "xgroup-createconsumer", key)
	case eq(opt, "delconsumer") && len(args) == 5:
		pending, existed := g.DeleteConsumer(args[4])
		c.Int(int64(pending))
		if existed {
			c.dirty++
			c.Notify(NotifyStream, "xgroup-delconsumer", key)
		}
	default:
		c.subcommandSyntaxError(args)
	}
}

// XGROUP HELP
func cmdXGroupHelp(c *Ctx, args [][]byte) {
	c.helpReply("XGROUP", []string{
		"CREATE <key> <groupname> <id|$> [option]",
		"    Create a new consumer group. Options are:",
		"    * MKSTREAM",
		"      Create the empty stream if it does not exist.",
		"    * ENTRIESREAD entries_read",
		"      Set the group's entries_read counter (internal use).",
		"CREATECONSUMER <key> <groupname> <consumer>",
		"    Create a new consumer in the specified group.",
		"DELCONSUMER <key> <groupname> <consumer>",
		"    Remove the specified consumer.",
		"DESTROY <key> <groupname>",
		"    Remove the specified group.",
		"SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
		"    Set the current group ID and entries_read counter.",
	})
}

// XACK key group id [id ...]
func cmdXAck(c *Ctx, args [][]byte) {
	s, ok := c.getStreamGroupWrite(args[1])
	if !ok {
		return
	}
	var g *stream.Group
	if s != nil {
		g = s.Group(args[2])
	}
	if g == nil {
		c.Int(0)
		return
	}
	ids := make([]stream.ID, 0, len(args)-3)
	for _, a := range args[3:] {
		id, ok := c.parseStreamID(a, 0, true)
		if !ok {
			return
		}
		ids = append(ids, id)
	}
	acked := 0
	for _, id := range ids {
		if g.Ack(id) {
			acked++
		}
	}
	c.dirty += acked
	c.Int(int64(acked))
}

// XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
func cmdXPending(c *Ctx, args [][]byte) {
	justInfo := len(args) == 3
	if len(args) != 3 && (len(args) < 6 || len(args) > 9) {
		c.Error(ErrSyntax)
		return
	}
	var start, end stream.ID
	var count, minIdle int64
	var consumerName []byte
	if len(args) >= 6 {
		startIdx := 3
		if eq(args[3], "idle") {
			v, ok := c.intArg(args[4])
			if !ok {
				return
			}
			minIdle = v
			if len(args) < 8 {
				c.Error(ErrSyntax)
				return
			}
			startIdx += 2
		}
		v, ok := c.intArg(args[startIdx+2])
		if !ok {
			return
		}
		count = max(v, 0)
		if start, ok = c.parseRangeStart(args[startIdx]); !ok {
			return
		}
		if end, ok = c.parseRangeEnd(args[startIdx+1]); !ok {
			return
		}
		if startIdx+3 < len(args) {
			consumerName = args[startIdx+3]
		}
	}
	_, g, ok := c.streamGroup(c.getStream, args[1], args[2])
	if !ok {
		return
	}
	if justInfo {
		c.Array(4)
		c.Int(int64(g.PendingLen()))
		if g.PendingLen() == 0 {
			c.Null()
			c.Null()
			c.NullArray()
			return
		}
		c.streamIDReply(g.FirstPending().ID)
		c.streamIDReply(g.LastPending().ID)
		c.deferredLen(c.Array, func() int {
			n := 0
			g.Consumers(func(cons *stream.Consumer) bool {
				if cons.PendingLen() > 0 {
					c.Array(2)
					c.BulkString(cons.Name())
					c.BulkInt(int64(cons.PendingLen()))
					n++
				}
				return true
			})
			return n
		})
		return
	}
	rangePEL := g.RangePending
	if consumerName != nil {
		cons := g.Consumer(consumerName)
		if cons == nil {
			c.Array(0)
			return
		}
		rangePEL = cons.RangePending
	}
	c.deferredLen(c.Array, func() int {
		n := 0
		if count == 0 {
			return 0
		}
		rangePEL(start, end, func(p *stream.Pending) bool {
			idle := c.now - p.DeliveryTime
			if minIdle != 0 && idle < minIdle {
				return true
			}
			c.Array(4)
			c.streamIDReply(p.ID)
			c.BulkString(p.Consumer.Name())
			c.Int(max(idle, 0))
			c.Int(int64(p.DeliveryCount))
			n++
			return int64(n) < count
		})
		return n
	})
}

// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
func cmdXClaim(c *Ctx, args [][]byte) {
	c.preventPropagation()
	key, groupName := args[1], args[2]
	s, g, ok := c.streamGroup(c.getStreamGroupWrite, key, groupName)
	if !ok {
		return
	}
	minIdle, ok := parseInt(args[4])
	if !ok {
		c.Error("ERR Invalid min-idle-time argument for XCLAIM")
		return
	}
	minIdle = max(minIdle, 0)
	var ids []stream.ID
	j := 5
	for ; j < len(args); j++ {
		id, ok := stream.ParseID(args[j], 0, true)
		if !ok {
			break
		}
		ids = append(ids, id)
	}
	retryCount := int64(-1)
	deliveryTime := int64(-1)
	force, justID := false, false
	var lastID stream.ID
	for ; j < len(args); j++ {
		more := len(args) - 1 - j
		opt := args[j]
		switch {
		case eq(opt, "force"):
			force = true
		case eq(opt, "justid"):
			justID = true
		case eq(opt, "idle") && more > 0:
			j++
			v, ok := parseInt(args[j])
			if !ok {
				c.Error("ERR Invalid IDLE option argument for XCLAIM")
				return
			}
			deliveryTime = c.now - v
		case eq(opt, "time") && more > 0:
			j++
			v, ok := parseInt(args[j])
			if !ok {
				c.Error("ERR Invalid TIME option argument for XCLAIM")
				return
			}
			deliveryTime = v
		case eq(opt, "retrycount") && more > 0:
			j++
			v, ok := parseInt(args[j])
			if !ok {
				c.Error("ERR Invalid RETRYCOUNT option argument for XCLAIM")
				return
			}
			retryCount = v
		case eq(opt, "lastid") && more > 0:
			j++
			id, ok := c.parseStreamID(args[j], 0, true)
			if !ok {
				return
			}
			lastID = id
		default:
			c.Error("ERR Unrecognized XCLAIM option '" + string(opt) + "'")
			return
		}
	}
	propagateLastID := false
	if lastID.Cmp(g.LastID) > 0 {
		g.LastID = lastID
		propagateLastID = true
	}
	if deliveryTime != -1 {
		// A bogus time (negative, in the future) means now, as in Redis:
		// clients compute it from their own clocks.
		if deliveryTime < 0 || deliveryTime > c.now {
			deliveryTime = c.now
		}
	} else {
		deliveryTime = c.now
	}
	var consumer *stream.Consumer
	c.deferredLen(c.Array, func() int {
		n := 0
		for i, id := range ids {
			p := g.Pending(id)
			if !s.Exists(id) {
				if p != nil {
					// The entry is gone: drop its PEL entry, propagated.
					c.propagateXClaim(key, groupName, g, args[5+i], p)
					g.Ack(id)
					propagateLastID = false
					c.dirty++
				}
				continue
			}
			if p != nil && minIdle > 0 && c.now-p.DeliveryTime < minIdle {
				continue
			}
			if p == nil && !force {
				continue
			}
			if consumer == nil {
				consumer = c.lookupConsumerSeen(key, g, args[3])
			}
			if p == nil {
				p, _ = g.AddPending(id, consumer, deliveryTime, 0)
			} else {
				g.Claim(p, consumer)
			}
			p.DeliveryTime = deliveryTime
			if retryCount >= 0 {
				p.DeliveryCount = uint64(retryCount)
			} else if !justID {
				p.DeliveryCount++
			}
			if justID {
				c.streamIDReply(id)
			} else {
				fv, _ := s.Get(id)
				c.streamEntryReply(id, fv)
			}
			n++
			consumer.ActiveTime = c.now
			c.propagateXClaim(key, groupName, g, args[5+i], p)
			propagateLastID = false
			c.dirty++
		}
		return n
	})
	if propagateLastID {
		c.propagateGroupID(key, groupName, g)
		c.dirty++
	}
}

// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
func cmdXAutoClaim(c *Ctx, args [][]byte) {
	c.preventPropagation()
	key, groupName := args[1], args[2]
	minIdle, ok := parseInt(args[4])
	if !ok {
		c.Error("ERR Invalid min-idle-time argument for XAUTOCLAIM")
		return
	}
	minIdle = max(minIdle, 0)
	start, ok := c.parseRangeStart(args[5])
	if !ok {
		return
	}
	count := int64(100)
	justID := false
	for j := 6; j < len(args); j++ {
		more := len(args) - 1 - j
		switch {
		case eq(args[j], "count") && more > 0:
			v, ok := parseInt(args[j+1])
			if !ok || v < 1 || v > xautoclaimMaxCount {
				c.Error("ERR COUNT must be > 0")
				return
			}
			count = v
			j++
		case eq(args[j], "justid"):
			justID = true
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	s, g, ok := c.streamGroup(c.getStreamGroupWrite, key, groupName)
	if !ok {
		return
	}
	attempts := count * 10
	var consumer *stream.Consumer
	var deleted []stream.ID
	var claimed []*stream.Pending
	next := stream.ID{}
	// Walk the PEL first (the walk must not change it), then act.
	var visit []*stream.Pending
	more := false
	g.RangePending(start, stream.MaxID, func(p *stream.Pending) bool {
		if attempts == 0 || count == 0 {
			next, more = p.ID, true
			return false
		}
		attempts--
		visit = append(visit, p)
		if !s.Exists(p.ID) {
			count--
			return true
		}
		if minIdle > 0 && c.now-p.DeliveryTime < minIdle {
			return true
		}
		count--
		return true
	})
	if !more {
		next = stream.ID{}
	}
	c.Array(3)
	c.streamIDReply(next)
	c.deferredLen(c.Array, func() int {
		for _, p := range visit {
			if !s.Exists(p.ID) {
				c.propagateXClaim(key, groupName, g, p.ID.Append(nil), p)
				g.Ack(p.ID)
				deleted = append(deleted, p.ID)
				c.dirty++
				continue
			}
			if minIdle > 0 && c.now-p.DeliveryTime < minIdle {
				continue
			}
			if consumer == nil {
				consumer = c.lookupConsumerSeen(key, g, args[3])
			}
			g.Claim(p, consumer)
			p.DeliveryTime = c.now
			if !justID {
				p.DeliveryCount++
			}
			if justID {
				c.streamIDReply(p.ID)
			} else {
				fv, _ := s.Get(p.ID)
				c.streamEntryReply(p.ID, fv)
			}
			claimed = append(claimed, p)
			consumer.ActiveTime = c.now
			c.propagateXClaim(key, groupName, g, p.ID.Append(nil), p)
			c.dirty++
		}
		return len(claimed)
	})
	c.Array(len(deleted))
	for _, id := range deleted {
		c.streamIDReply(id)
	}
}

// XINFO STREAM key [FULL [COUNT count]]
func cmdXInfoStream(c *Ctx, args [][]byte) {
	s, ok := c.getStream(args[2])
	if !ok {
		return
	}
	if s == nil {
		c.Error(ErrNoSuchKey)
		return
	}
	full := false
	count := int64(10)
	opts := args[3:]
	if len(opts) > 0 {
		if (len(opts) != 1 && len(opts) != 3) || !eq(opts[0], "full") {
			c.subcommandSyntaxError(args)
			return
		}
		if len(opts) == 3 {
			if !eq(opts[1], "count") {
				c.subcommandSyntaxError(args)
				return
			}
			v, ok := c.intArg(opts[2])
			if !ok {
				return
			}
			count = v
			if count < 0 {
				count = 10
			}
		}
		full = true
	}
	if full {
		c.Map(9)
	} else {
		c.Map(10)
	}
	c.BulkString("length")
	c.Int(int64(s.Len()))
	c.BulkString("radix-tree-keys")
	c.Int(int64(s.NumNodes()))
	c.BulkString("radix-tree-nodes")
	c.Int(radixTreeNodesEstimate(s.NumNodes()))
	c.BulkString("last-generated-id")
	c.streamIDReply(s.LastID())
	c.BulkString("max-deleted-entry-id")
	c.streamIDReply(s.MaxDeletedID())
	c.BulkString("entries-added")
	c.Int(int64(s.EntriesAdded()))
	c.BulkString("recorded-first-entry-id")
	c.streamIDReply(s.FirstID())
	if !full {
		c.BulkString("groups")
		c.Int(int64(s.NumGroups()))
		for _, rev := range []bool{false, true} {
			if rev {
				c.BulkString("last-entry")
			} else {
				c.BulkString("first-entry")
			}
			emitted := false
			s.Range(stream.ID{}, stream.MaxID, rev, func(id stream.ID, fv [][]byte) bool {
				c.streamEntryReply(id, fv)
				emitted = true
				return false
			})
			if !emitted {
				c.Null()
			}
		}
		return
	}
	c.BulkString("entries")
	c.streamRangeReply(s, stream.ID{}, stream.MaxID, count, false)
	c.BulkString("groups")
	c.Array(s.NumGroups())
	s.Groups(func(g *stream.Group) bool {
		c.Map(7)
		c.BulkString("name")
		c.BulkString(g.Name())
		c.BulkString("last-delivered-id")
		c.streamIDReply(g.LastID)
		c.BulkString("entries-read")
		c.entriesReadReply(g)
		c.BulkString("lag")
		c.lagReply(s, g)
		c.BulkString("pel-count")
		c.Int(int64(g.PendingLen()))
		c.BulkString("pending")
		c.deferredLen(c.Array, func() int {
			n := 0
			g.RangePending(stream.ID{}, stream.MaxID, func(p *stream.Pending) bool {
				if count != 0 && int64(n) >= count {
					return false
				}
				c.Array(4)
				c.streamIDReply(p.ID)
				c.BulkString(p.Consumer.Name())
				c.Int(p.DeliveryTime)
				c.Int(int64(p.DeliveryCount))
				n++
				return true
			})
			return n
		})
		c.BulkString("consumers")
		c.Array(g.NumConsumers())
		g.Consumers(func(cons *stream.Consumer) bool {
			c.Map(4)
			c.BulkString("name")
			c.BulkString(cons.Name())
			c.BulkString("seen-time")
			c.Int(cons.SeenTime)
			c.BulkString("pel-count")
			c.Int(int64(cons.PendingLen()))
			c.BulkString("pending")
			c.deferredLen(c.Array, func() int {
				n := 0
				cons.RangePending(stream.ID{}, stream.MaxID, func(p *stream.Pending) bool {
					if count != 0 && int64(n) >= count {
						return false
					}
					c.Array(3)
					c.streamIDReply(p.ID)
					c.Int(p.DeliveryTime)
					c.Int(int64(p.DeliveryCount))
					n++
					return true
				})
				return n
			})
			return true
		})
		return true
	})
}

// radixTreeNodesEstimate stands in for XINFO STREAM's radix-tree-nodes, the
// node count of Redis's rax, which depends on how the rax compresses its
// 128-bit keys. Vireo has no rax; this is Redis's count for an empty stream
// (1) and for a single node (2), and grows with the nodes beyond.
func radixTreeNodesEstimate(keys int) int64 {
	if keys == 0 {
		return 1
	}
	return int64(2 * keys)
}

func (c *Ctx) entriesReadReply(g *stream.Group) {
	if g.EntriesRead == stream.InvalidEntriesRead {
		c.Null()
		return
	}
	c.Int(g.EntriesRead)
}

func (c *Ctx) lagReply(s *stream.Stream, g *stream.Group) {
	if lag, ok := s.Lag(g); ok {
		c.Int(lag)
	} else {
		c.Null()
	}
}

// XINFO GROUPS key
func cmdXInfoGroups(c *Ctx, args [][]byte) {
	s, ok := c.getStream(args[2])
	if !ok {
		return
	}
	if s == nil {
		c.Error(ErrNoSuchKey)
		return
	}
	c.Array(s.NumGroups())
	s.Groups(func(g *stream.Group) bool {
		c.Map(6)
		c.BulkString("name")
		c.BulkString(g.Name())
		c.BulkString("consumers")
		c.Int(int64(g.NumConsumers()))
		c.BulkString("pending")
		c.Int(int64(g.PendingLen()))
		c.BulkString("last-delivered-id")
		c.streamIDReply(g.LastID)
		c.BulkString("entries-read")
		c.entriesReadReply(g)
		c.BulkString("lag")
		c.lagReply(s, g)
		return true
	})
}

// XINFO CONSUMERS key group
func cmdXInfoConsumers(c *Ctx, args [][]byte) {
	key := args[2]
	s, ok := c.getStream(key)
	if !ok {
		return
	}
	if s == nil {
		c.Error(ErrNoSuchKey)
		return
	}
	g := s.Group(args[3])
	if g == nil {
		c.Error(errNoGroupForKey(args[3], key))
		return
	}
	c.Array(g.NumConsumers())
	g.Consumers(func(cons *stream.Consumer) bool {
		c.Map(3)
		c.BulkString("name")
		c.BulkString(cons.Name())
		c.BulkString("pending")
		c.Int(int64(cons.PendingLen()))
		c.BulkString("idle")
		c.Int(max(c.now-cons.SeenTime, 0))
		return true
	})
}

// XINFO HELP
func cmdXInfoHelp(c *Ctx, args [][]byte) {
	c.helpReply("XINFO", []string{
		"CONSUMERS <key> <groupname>",
		"    Show consumers of <groupname>.",
		"GROUPS <key>",
		"    Show the stream consumer groups.",
		"STREAM <key> [FULL [COUNT <count>]",
		"    Show information about the stream.",
	})
}

func registerStreamGroupCommands(t *Table, one func(*Command) *Command) {
	const g = "stream"
	writeFast := []string{"write", "stream", "fast"}
	writeSlow := []string{"write", "stream", "slow"}
	readSlow := []string{"read", "stream", "slow"}
	nondet := []string{"nondeterministic_output"}
	sub := func(c *Command) *Command {
		c.Group = g
		if c.Name != "help" {
			c.FirstKey, c.LastKey, c.KeyStep = 2, 2, 1
		}
		return c
	}
	t.Add(
		one(&Command{Name: "xack", Arity: -4, Flags: FlagWrite | FlagFast, ACL: writeFast, Since: "5.0.0",
			Summary: "Acknowledges entries of a group's pending list, removing them.",
			Usage:   "key group id [id ...]", Handler: cmdXAck}),
		one(&Command{Name: "xpending", Arity: -3, Flags: FlagReadonly, ACL: readSlow, Since: "5.0.0",
			Summary: "Returns a group's pending entries list, as a summary or entry by entry.",
			Usage:   "key group [[IDLE min-idle-time] start end count [consumer]]", Tips: nondet, Handler: cmdXPending}),
		one(&Command{Name: "xclaim", Arity: -6, Flags: FlagWrite | FlagFast, ACL: writeFast, Since: "5.0.0",
			Summary: "Gives pending entries idle long enough to another consumer.",
			Usage:   "key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]",
			Tips:    nondet, Handler: cmdXClaim}),
		one(&Command{Name: "xautoclaim", Arity: -6, Flags: FlagWrite | FlagFast, ACL: writeFast, Since: "6.2.0",
			Summary: "Gives pending entries idle long enough to another consumer, scanning the pending list from a cursor.",
			Usage:   "key group consumer min-idle-time start [COUNT count] [JUSTID]", Tips: nondet, Handler: cmdXAutoClaim}),
		&Command{Name: "xgroup", Arity: -2, Group: g, Since: "5.0.0", Summary: "A container for consumer group commands.", Lock: LockNone,
			Subcommands: Sub(
				sub(&Command{Name: "create", Arity: -5, Flags: FlagWrite | FlagDenyOOM, ACL: writeSlow, Since: "5.0.0",
					Summary: "Creates a consumer group.", Usage: "key group <id | $> [MKSTREAM] [ENTRIESREAD entries-read]", Handler: cmdXGroup}),
				sub(&Command{Name: "setid", Arity: -5, Flags: FlagWrite, ACL: writeSlow, Since: "5.0.0",
					Summary: "Sets a consumer group's last delivered ID.", Usage: "key group <id | $> [ENTRIESREAD entries-read]", Handler: cmdXGroup}),
				sub(&Command{Name: "destroy", Arity: 4, Flags: FlagWrite, ACL: writeSlow, Since: "5.0.0",
					Summary: "Destroys a consumer group.", Usage: "key group", Handler: cmdXGroup}),
				sub(&Command{Name: "createconsumer", Arity: 5, Flags: FlagWrite | FlagDenyOOM, ACL: writeSlow, Since: "6.2.0",
					Summary: "Creates a consumer in a consumer group.", Usage: "key group consumer", Handler: cmdXGroup}),
				sub(&Command{Name: "delconsumer", Arity: 5, Flags: FlagWrite, ACL: writeSlow, Since: "5.0.0",
					Summary: "Deletes a consumer from a consumer group.", Usage: "key group consumer", Handler: cmdXGroup}),
				sub(&Command{Name: "help", Arity: 2, Flags: FlagLoading | FlagStale, ACL: []string{"stream", "slow"}, Since: "5.0.0",
					Summary: "Returns helpful text about the different subcommands.", Lock: LockNone, Handler: cmdXGroupHelp}),
			)},
		&Command{Name: "xinfo", Arity: -2, Group: g, Since: "5.0.0", Summary: "A container for stream introspection commands.", Lock: LockNone,
			Subcommands: Sub(
				sub(&Command{Name: "stream", Arity: -3, Flags: FlagReadonly, ACL: readSlow, Since: "5.0.0",
					Summary: "Returns information about a stream.", Usage: "key [FULL [COUNT count]]", Handler: cmdXInfoStream}),
				sub(&Command{Name: "groups", Arity: 3, Flags: FlagReadonly, ACL: readSlow, Since: "5.0.0",
					Summary: "Returns the consumer groups of a stream.", Usage: "key", Handler: cmdXInfoGroups}),
				sub(&Command{Name: "consumers", Arity: 4, Flags: FlagReadonly, ACL: readSlow, Since: "5.0.0",
					Summary: "Returns the consumers of a consumer group.", Usage: "key group", Tips: nondet, Handler: cmdXInfoConsumers}),
				sub(&Command{Name: "help", Arity: 2, Flags: FlagLoading | FlagStale, ACL: []string{"stream", "slow"}, Since: "5.0.0",
					Summary: "Returns helpful text about the different subcommands.", Lock: LockNone, Handler: cmdXInfoHelp}),
			)},
	)
}
