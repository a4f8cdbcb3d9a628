package server

// List commands, on datatypes/list (a quicklist of listpack nodes laid out as
// Redis 7.0 lays them out). Replies, error texts and their order follow
// redis-server 7.0.15; keyspace events, dirty counts and propagation follow
// Redis (blocking pops and moves propagate as the plain pop or move that
// happened: BLPOP -> LPOP, BLMPOP -> LPOP key count, BLMOVE -> LMOVE,
// BRPOPLPUSH -> RPOPLPUSH).
//
// The blocking commands use blocking.go: they try like their non-blocking
// form, and when every key is empty they either answer as on timeout (inside
// MULTI or a script) or block with blockOn; when served, the same handler
// runs again and finds the element.
//
// A push signals the key as ready (keyspace SignalReady) so blocked clients
// are served once the command has released its locks. An emptied list is
// deleted with a "del" event, as Redis does.

import (
	"strconv"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/list"
)

func init() {
	familyRegistrars = append(familyRegistrars, registerListCommands)
	valueDigesters[keyspace.TypeList] = digestList
}

// digestList is DEBUG DIGEST's view of a list (xorObjectDigest): the
// elements mixed in order, integers in decimal.
func digestList(d *digest, e *keyspace.Entry) {
	var buf []byte
	e.Obj.(*list.List).Each(false, func(el list.Elem) bool {
		buf = el.Append(buf[:0])
		d.mix(buf)
		return true
	})
}

// Errors only this family sends.
const (
	errLPosRankZero  = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"
	errLPosCountNeg  = "ERR COUNT can't be negative"
	errLPosMaxLenNeg = "ERR MAXLEN can't be negative"
	errNumKeys       = "ERR numkeys should be greater than 0"
	errCountPositive = "ERR count should be greater than 0"
)

// Command names of normalised effects.
var (
	argLPOP      = []byte("LPOP")
	argRPOP      = []byte("RPOP")
	argLMOVE     = []byte("LMOVE")
	argRPOPLPUSH = []byte("RPOPLPUSH")
)

// listEncoding is what OBJECT ENCODING reports for a list. Redis 7.2 says
// "listpack" while a list fits one node and converts at
// list-max-listpack-size (with hysteresis); redis-server 7.0.15, the
// reference Vireo is tested against, always says "quicklist" — and its node
// layout, which DUMP exposes and Vireo follows, never converts. So: quicklist.
const listEncoding = keyspace.EncQuicklist

// listRead looks key up for reading (hit/miss statistics, keymiss event). ok
// is false when the key holds another type (WRONGTYPE has been sent).
func (c *Ctx) listRead(key []byte) (l *list.List, ok bool) {
	return readTyped[*list.List](c, key, keyspace.TypeList)
}

// listWrite looks key up for modification.
func (c *Ctx) listWrite(key []byte) (l *list.List, ok bool) {
	_, l, ok = writeTyped[*list.List](c, key, keyspace.TypeList)
	return l, ok
}

// createList stores a new empty list under key (with the "new" event); its nodes follow
// list-max-listpack-size as set now (Redis fixes it at creation).
func (c *Ctx) createList(key []byte) *list.List {
	l := list.New(c.srv.Limits().ListMaxListpackSize)
	c.db.Put(key, keyspace.Entry{Type: keyspace.TypeList, Enc: listEncoding, Obj: l})
	c.Notify(NotifyNew, "new", key) // dbAdd's event
	return l
}

// changed records n changes to key: WATCH, dirty and propagation (Redis's
// signalModifiedKey plus server.dirty += n).
func (c *Ctx) changed(key []byte, n int) {
	c.db.SignalModified(key)
	c.dirty += n
}

// replyElem writes one element as a bulk string.
func (c *Ctx) replyElem(e list.Elem) {
	if e.IsInt {
		c.BulkInt(e.Int)
	} else {
		c.Bulk(e.Str)
	}
}

// replyListRange writes n elements from index start, towards the tail or
// (reverse) towards the head, as an array.
func (c *Ctx) replyListRange(l *list.List, start, n int, reverse bool) {
	c.Array(n)
	l.Range(start, n, reverse, func(e list.Elem) bool {
		c.replyElem(e)
		return true
	})
}

func popEvent(head bool) string {
	if head {
		return "lpop"
	}
	return "rpop"
}

func pushEvent(head bool) string {
	if head {
		return "lpush"
	}
	return "rpush"
}

// listElementsRemoved is Redis's listElementsRemoved: the pop event, the key
// deleted with a "del" event when emptied, n changes.
func (c *Ctx) listElementsRemoved(key []byte, head bool, l *list.List, n int) {
	c.Notify(NotifyList, popEvent(head), key)
	if l.Len() == 0 {
		c.db.Delete(key)
		c.Notify(NotifyGeneric, "del", key)
	}
	c.changed(key, n)
}

// popRange replies with and removes up to count elements from one end:
// LPOP/RPOP with a count, LMPOP, BLMPOP. It returns how many went.
func (c *Ctx) popRange(key []byte, l *list.List, head bool, count int64, withKey bool) int {
	n := l.Len()
	if count < int64(n) {
		n = int(count)
	}
	if withKey {
		c.Array(2)
		c.Bulk(key)
	}
	if head {
		c.replyListRange(l, 0, n, false)
		l.DelRange(0, n)
	} else {
		c.replyListRange(l, l.Len()-1, n, true)
		l.DelRange(-n, n)
	}
	c.listElementsRemoved(key, head, l, n)
	return n
}

// LPUSH key element [element ...]
func cmdLPush(c *Ctx, args [][]byte) { pushGeneric(c, args, true, false) }

// RPUSH key element [element ...]
func cmdRPush(c *Ctx, args [][]byte) { pushGeneric(c, args, false, false) }

// LPUSHX key element [element ...]
func cmdLPushX(c *Ctx, args [][]byte) { pushGeneric(c, args, true, true) }

// RPUSHX key element [element ...]
func cmdRPushX(c *Ctx, args [][]byte) { pushGeneric(c, args, false, true) }

// pushGeneric pushes args[2:] one by one at the head or tail; xx: only onto
// an existing list.
func pushGeneric(c *Ctx, args [][]byte, head, xx bool) {
	key := args[1]
	l, ok := c.listWrite(key)
	if !ok {
		return
	}
	if l == nil {
		if xx {
			c.Int(0)
			return
		}
		l = c.createList(key)
	}
	for _, v := range args[2:] {
		l.Push(v, head)
	}
	c.Int(int64(l.Len()))
	c.db.SignalReady(key)
	c.changed(key, len(args)-2)
	c.Notify(NotifyList, pushEvent(head), key)
}

// LPOP key [count]
func cmdLPop(c *Ctx, args [][]byte) { popGeneric(c, args, true) }

// RPOP key [count]
func cmdRPop(c *Ctx, args [][]byte) { popGeneric(c, args, false) }

func popGeneric(c *Ctx, args [][]byte, head bool) {
	if len(args) > 3 {
		c.Error(errArity(c.cmd.Name))
		return
	}
	hasCount := len(args) == 3
	var count int64
	if hasCount {
		v, ok := parseInt(args[2])
		if !ok || v < 0 {
			c.Error(ErrNotPositive)
			return
		}
		count = v
	}
	key := args[1]
	l, ok := c.listWrite(key)
	if !ok {
		return
	}
	if l == nil {
		if hasCount {
			c.NullArray()
		} else {
			c.Null()
		}
		return
	}
	if !hasCount {
		v, _ := l.Pop(head)
		c.Bulk(v)
		c.listElementsRemoved(key, head, l, 1)
		return
	}
	if count == 0 {
		c.Array(0)
		return
	}
	c.popRange(key, l, head, count, false)
}

// LLEN key
func cmdLLen(c *Ctx, args [][]byte) {
	l, ok := c.listRead(args[1])
	if !ok {
		return
	}
	if l == nil {
		c.Int(0)
		return
	}
	c.Int(int64(l.Len()))
}

// LINDEX key index
func cmdLIndex(c *Ctx, args [][]byte) {
	l, ok := c.listRead(args[1])
	if !ok {
		return
	}
	if l == nil {
		c.Null()
		return
	}
	index, ok := c.intArg(args[2])
	if !ok {
		return
	}
	e, found := l.Index(clampIndex(index))
	if !found {
		c.Null()
		return
	}
	c.replyElem(e)
}

// clampIndex maps an int64 index onto int without changing whether it is in
// range (lists are far shorter than 2^62 elements).
func clampIndex(i int64) int {
	const lim = 1 << 62
	switch {
	case i > lim:
		return lim
	case i < -lim:
		return -lim
	}
	return int(i)
}

// LSET key index element
func cmdLSet(c *Ctx, args [][]byte) {
	key := args[1]
	l, ok := c.listWrite(key)
	if !ok {
		return
	}
	if l == nil {
		c.Error(ErrNoSuchKey)
		return
	}
	index, ok := c.intArg(args[2])
	if !ok {
		return
	}
	if !l.Set(clampIndex(index), args[3]) {
		c.Error(ErrOutOfRangeIndex)
		return
	}
	c.OK()
	c.changed(key, 1)
	c.Notify(NotifyList, "lset", key)
}

// listRangeBounds converts LRANGE/LTRIM's start and stop into a start index
// and a length within a list of llen elements (n == 0: empty range).
func listRangeBounds(start, stop, llen int64) (from, n int64) {
	if start < 0 {
		start += llen
	}
	if stop < 0 {
		stop += llen
	}
	if start < 0 {
		start = 0
	}
	if start > stop || start >= llen {
		return 0, 0
	}
	if stop >= llen {
		stop = llen - 1
	}
	return start, stop - start + 1
}

// LRANGE key start stop
func cmdLRange(c *Ctx, args [][]byte) {
	start, ok := c.intArg(args[2])
	if !ok {
		return
	}
	stop, ok := c.intArg(args[3])
	if !ok {
		return
	}
	l, ok := c.listRead(args[1])
	if !ok {
		return
	}
	if l == nil {
		c.Array(0)
		return
	}
	from, n := listRangeBounds(start, stop, int64(l.Len()))
	if n == 0 {
		c.Array(0)
		return
	}
	c.replyListRange(l, int(from), int(n), false)
}

// LTRIM key start stop
func cmdLTrim(c *Ctx, args [][]byte) {
	start, ok := c.intArg(args[2])
	if !ok {
		return
	}
	stop, ok := c.intArg(args[3])
	if !ok {
		return
	}
	key := args[1]
	l, ok := c.listWrite(key)
	if !ok {
		return
	}
	if l == nil {
		c.OK()
		return
	}
	llen := int64(l.Len())
	from, n := listRangeBounds(start, stop, llen)
	ltrim, rtrim := llen, int64(0)
	if n > 0 {
		ltrim, rtrim = from, llen-from-n
	}
	l.DelRange(0, int(ltrim))
	l.DelRange(int(-rtrim), int(rtrim))
	c.Notify(NotifyList, "ltrim", key)
	if l.Len() == 0 {
		c.db.Delete(key)
		c.Notify(NotifyGeneric, "del", key)
	}
	// redis-server 7.0.15 signals the key even when nothing was trimmed
	// (a WATCH on it fails); the change count is what was removed.
	c.changed(key, int(ltrim+rtrim))
	c.OK()
}

// LREM key count element
func cmdLRem(c *Ctx, args [][]byte) {
	count, ok := c.intArg(args[2])
	if !ok {
		return
	}
	key := args[1]
	l, ok := c.listWrite(key)
	if !ok {
		return
	}
	if l == nil {
		c.Int(0)
		return
	}
	removed := l.Remove(clampIndex(count), args[3])
	if removed > 0 {
		c.Notify(NotifyList, "lrem", key)
		if l.Len() == 0 {
			c.db.Delete(key)
			c.Notify(NotifyGeneric, "del", key)
		}
		c.changed(key, removed)
	}
	c.Int(int64(removed))
}

// LINSERT key <BEFORE | AFTER> pivot element
func cmdLInsert(c *Ctx, args [][]byte) {
	var after bool
	switch {
	case eq(args[2], "after"):
		after = true
	case eq(args[2], "before"):
	default:
		c.Error(ErrSyntax)
		return
	}
	key := args[1]
	l, ok := c.listWrite(key)
	if !ok {
		return
	}
	if l == nil {
		c.Int(0)
		return
	}
	if !l.Insert(args[3], args[4], after) {
		c.Int(-1)
		return
	}
	c.changed(key, 1)
	c.Notify(NotifyList, "linsert", key)
	c.Int(int64(l.Len()))
}

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
func cmdLPos(c *Ctx, args [][]byte) {
	elem := args[2]
	var rank, count, maxLen int64 = 1, -1, 0 // count -1: no COUNT option
	for i := 3; i < len(args); i++ {
		more := i+1 < len(args)
		switch {
		case eq(args[i], "rank") && more:
			i++
			v, ok := c.intArg(args[i])
			if !ok {
				return
			}
			if v == 0 {
				c.Error(errLPosRankZero)
				return
			}
			rank = v
		case eq(args[i], "count") && more:
			i++
			v, ok := parseInt(args[i])
			if !ok || v < 0 {
				c.Error(errLPosCountNeg)
				return
			}
			count = v
		case eq(args[i], "maxlen") && more:
			i++
			v, ok := parseInt(args[i])
			if !ok || v < 0 {
				c.Error(errLPosMaxLenNeg)
				return
			}
			maxLen = v
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	fromTail := false
	if rank < 0 {
		// -LONG_MIN stays negative, as in Redis: the first match counts.
		rank = -rank
		fromTail = true
	}
	l, ok := c.listRead(args[1])
	if !ok {
		return
	}
	if l == nil {
		if count != -1 {
			c.Array(0)
		} else {
			c.Null()
		}
		return
	}
	llen := int64(l.Len())
	var index, matches int64
	matchIndex := int64(-1)
	var found []int64
	l.Each(fromTail, func(e list.Elem) bool {
		if maxLen != 0 && index >= maxLen {
			return false
		}
		if e.Equal(elem) {
			matches++
			matchIndex = index
			if fromTail {
				matchIndex = llen - index - 1
			}
			if matches >= rank {
				if count == -1 {
					return false
				}
				found = append(found, matchIndex)
				if count != 0 && matches-rank+1 >= count {
					return false
				}
			}
		}
		index++
		matchIndex = -1
		return true
	})
	switch {
	case count != -1:
		c.Array(len(found))
		for _, i := range found {
			c.Int(i)
		}
	case matchIndex != -1:
		c.Int(matchIndex)
	default:
		c.Null()
	}
}

// parseListEnd reads LEFT or RIGHT (true for LEFT, the head), or replies
// with a syntax error.
func (c *Ctx) parseListEnd(b []byte) (head, ok bool) {
	switch {
	case eq(b, "left"):
		return true, true
	case eq(b, "right"):
		return false, true
	}
	c.Error(ErrSyntax)
	return false, false
}

// LMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT>
func cmdLMove(c *Ctx, args [][]byte) {
	from, ok := c.parseListEnd(args[3])
	if !ok {
		return
	}
	to, ok := c.parseListEnd(args[4])
	if !ok {
		return
	}
	lmoveGeneric(c, args[1], args[2], from, to)
}

// RPOPLPUSH source destination
func cmdRPopLPush(c *Ctx, args [][]byte) { lmoveGeneric(c, args[1], args[2], false, true) }

// lmoveGeneric pops from src and pushes onto dst (which may be src), replying
// with the element; it reports whether it moved one.
func lmoveGeneric(c *Ctx, src, dst []byte, fromHead, toHead bool) bool {
	sl, ok := c.listWrite(src)
	if !ok {
		return false
	}
	if sl == nil {
		c.Null()
		return false
	}
	de := c.LookupWrite(dst)
	if de != nil && de.Type != keyspace.TypeList {
		c.Error(ErrWrongType)
		return false
	}
	v, _ := sl.Pop(fromHead)
	var dl *list.List
	if de == nil {
		dl = c.createList(dst)
	} else {
		dl = de.Obj.(*list.List)
	}
	c.db.SignalModified(dst)
	dl.Push(v, toHead)
	c.db.SignalReady(dst)
	c.Notify(NotifyList, pushEvent(toHead), dst)
	c.Bulk(v)
	c.Notify(NotifyList, popEvent(fromHead), src)
	if sl.Len() == 0 {
		c.db.Delete(src)
		c.Notify(NotifyGeneric, "del", src)
	}
	c.changed(src, 1)
	return true
}

// mpopKeys returns the key positions of LMPOP (numkeysAt 1) and BLMPOP (2):
// none when numkeys is invalid or the keys would run into the end, where the
// command fails before touching a key.
func mpopKeys(numkeysAt int) func(args [][]byte) []int {
	return func(args [][]byte) []int {
		if len(args) <= numkeysAt {
			return nil
		}
		n, ok := parseInt(args[numkeysAt])
		if !ok || n < 1 || n >= int64(len(args)-numkeysAt-1) {
			return nil
		}
		pos := make([]int, n)
		for i := range pos {
			pos[i] = numkeysAt + 1 + i
		}
		return pos
	}
}

// parseMPop parses "numkeys key [key ...] <LEFT | RIGHT> [COUNT count]" at
// args[numkeysAt:] (lmpopGenericCommand's order and errors).
func (c *Ctx) parseMPop(args [][]byte, numkeysAt int) (keys [][]byte, head bool, count int64, ok bool) {
	n, isInt := parseInt(args[numkeysAt])
	if !isInt || n < 1 {
		c.Error(errNumKeys)
		return nil, false, 0, false
	}
	if n >= int64(len(args)-numkeysAt-1) { // the keys would run past the end (no overflow)
		c.Error(ErrSyntax)
		return nil, false, 0, false
	}
	whereAt := numkeysAt + int(n) + 1
	if head, ok = c.parseListEnd(args[whereAt]); !ok {
		return nil, false, 0, false
	}
	if count, ok = c.parseMPopCount(args[whereAt+1:]); !ok {
		return nil, false, 0, false
	}
	return args[numkeysAt+1 : whereAt], head, count, true
}

// parseMPopCount parses the optional "COUNT count" that ends LMPOP, BLMPOP,
// ZMPOP and BZMPOP (default 1; a second COUNT or anything else is a syntax
// error), replying with Redis's error when it fails.
func (c *Ctx) parseMPopCount(opts [][]byte) (count int64, ok bool) {
	count = -1
	for i := 0; i < len(opts); i++ {
		if count == -1 && eq(opts[i], "count") && i+1 < len(opts) {
			i++
			v, isInt := parseInt(opts[i])
			if !isInt || v < 1 {
				c.Error(errCountPositive)
				return 0, false
			}
			count = v
			continue
		}
		c.Error(ErrSyntax)
		return 0, false
	}
	if count == -1 {
		count = 1
	}
	return count, true
}

// propagatePop propagates a counted pop as [LR]POP key n.
func (c *Ctx) propagatePop(key []byte, head bool, n int) {
	cmd := argRPOP
	if head {
		cmd = argLPOP
	}
	c.Propagate(cmd, key, strconv.AppendInt(nil, int64(n), 10))
}

// LMPOP numkeys key [key ...] <LEFT | RIGHT> [COUNT count]
func cmdLMPop(c *Ctx, args [][]byte) {
	keys, head, count, ok := c.parseMPop(args, 1)
	if !ok {
		return
	}
	for _, key := range keys {
		l, ok := c.listWrite(key)
		if !ok {
			return
		}
		if l == nil {
			continue
		}
		n := c.popRange(key, l, head, count, true)
		c.propagatePop(key, head, n)
		return
	}
	c.NullArray()
}

// BLPOP key [key ...] timeout
func cmdBLPop(c *Ctx, args [][]byte) {
	blockingPop(c, args[1:len(args)-1], true, args[len(args)-1], -1)
}

// BRPOP key [key ...] timeout
func cmdBRPop(c *Ctx, args [][]byte) {
	blockingPop(c, args[1:len(args)-1], false, args[len(args)-1], -1)
}

// BLMPOP timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]
func cmdBLMPop(c *Ctx, args [][]byte) {
	keys, head, count, ok := c.parseMPop(args, 2)
	if !ok {
		return
	}
	blockingPop(c, keys, head, args[1], count)
}

// blockingPop is blockingPopGenericCommand: pop from the first non-empty
// list among keys (count -1: one element, BLPOP/BRPOP's reply; otherwise
// BLMPOP's), or block until one gets an element.
func blockingPop(c *Ctx, keys [][]byte, head bool, timeoutArg []byte, count int64) {
	timeout, ok := c.parseTimeout(timeoutArg)
	if !ok {
		return
	}
	for _, key := range keys {
		l, ok := c.listWrite(key)
		if !ok {
			return
		}
		if l == nil {
			continue
		}
		if count != -1 {
			n := c.popRange(key, l, head, count, true)
			c.propagatePop(key, head, n)
			return
		}
		v, _ := l.Pop(head)
		c.Array(2)
		c.Bulk(key)
		c.Bulk(v)
		c.listElementsRemoved(key, head, l, 1)
		cmd := argRPOP
		if head {
			cmd = argLPOP
		}
		c.Propagate(cmd, key)
		return
	}
	if !c.mayBlock() {
		c.NullArray()
		return
	}
	c.blockOn(keys, keyspace.TypeList, timeout, (*Ctx).NullArray)
}

// BLMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout
func cmdBLMove(c *Ctx, args [][]byte) {
	from, ok := c.parseListEnd(args[3])
	if !ok {
		return
	}
	to, ok := c.parseListEnd(args[4])
	if !ok {
		return
	}
	timeout, ok := c.parseTimeout(args[5])
	if !ok {
		return
	}
	if blmoveGeneric(c, args[1], args[2], from, to, timeout) {
		c.Propagate(argLMOVE, args[1], args[2], args[3], args[4])
	}
}

// BRPOPLPUSH source destination timeout
func cmdBRPopLPush(c *Ctx, args [][]byte) {
	timeout, ok := c.parseTimeout(args[3])
	if !ok {
		return
	}
	if blmoveGeneric(c, args[1], args[2], false, true, timeout) {
		c.Propagate(argRPOPLPUSH, args[1], args[2])
	}
}

// blmoveGeneric moves like LMOVE when src has elements, else blocks on src
// (or, when it may not block, replies with a null). It reports whether an
// element moved.
func blmoveGeneric(c *Ctx, src, dst []byte, fromHead, toHead bool, timeout int64) bool {
	l, ok := c.listWrite(src)
	if !ok {
		return false
	}
	if l != nil {
		return lmoveGeneric(c, src, dst, fromHead, toHead)
	}
	if !c.mayBlock() {
		c.Null()
		return false
	}
	// redis-server 7.0.15 answers a timed out BLMOVE with a null array.
	c.blockOn([][]byte{src}, keyspace.TypeList, timeout, (*Ctx).NullArray)
	return false
}

// BZPOPMIN/BZPOPMAX/BZMPOP (the sorted set family) block the same way:
// blockOn(keys, keyspace.TypeZSet, timeout, (*Ctx).NullArray) when mayBlock,
// and a push (ZADD, ZINCRBY, ZUNIONSTORE ...) calls c.db.SignalReady(key) —
// any Put of a sorted set signals by itself.

func registerListCommands(t *Table) {
	lst := []string{"list"}
	one := func(cmd *Command) *Command {
		cmd.ACL, cmd.Group = lst, "list"
		if cmd.FirstKey == 0 && cmd.Keys == nil {
			cmd.FirstKey, cmd.LastKey, cmd.KeyStep = 1, 1, 1
		}
		return cmd
	}
	t.Add(
		one(&Command{Name: "lpush", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, Since: "1.0.0",
			Summary:    "Prepends elements to a list, creating it if needed; returns the new length.",
			Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
			Usage:      "key element [element ...]", Handler: cmdLPush}),
		one(&Command{Name: "rpush", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, Since: "1.0.0",
			Summary:    "Appends elements to a list, creating it if needed; returns the new length.",
			Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
			Usage:      "key element [element ...]", Handler: cmdRPush}),
		one(&Command{Name: "lpushx", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, Since: "2.2.0",
			Summary:    "Prepends elements to a list only if it exists; returns the new length.",
			Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
			Usage:      "key element [element ...]", Handler: cmdLPushX}),
		one(&Command{Name: "rpushx", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, Since: "2.2.0",
			Summary:    "Appends elements to a list only if it exists; returns the new length.",
			Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
			Usage:      "key element [element ...]", Handler: cmdRPushX}),
		one(&Command{Name: "lpop", Arity: -2, Flags: FlagWrite | FlagFast, Since: "1.0.0",
			Summary:    "Removes and returns the first element(s) of a list; deletes the list when emptied.",
			Complexity: "O(N) where N is the number of elements returned",
			Usage:      "key [count]", Handler: cmdLPop}),
		one(&Command{Name: "rpop", Arity: -2, Flags: FlagWrite | FlagFast, Since: "1.0.0",
			Summary:    "Removes and returns the last element(s) of a list; deletes the list when emptied.",
			Complexity: "O(N) where N is the number of elements returned",
			Usage:      "key [count]", Handler: cmdRPop}),
		one(&Command{Name: "llen", Arity: 2, Flags: FlagReadonly | FlagFast, Since: "1.0.0",
			Summary: "Returns the number of elements of a list.", Complexity: "O(1)",
			Usage: "key", Handler: cmdLLen}),
		one(&Command{Name: "lrange", Arity: 4, Flags: FlagReadonly, Since: "1.0.0",
			Summary: "Returns the elements between two indexes of a list.", Complexity: "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
			Usage: "key start stop", Handler: cmdLRange}),
		one(&Command{Name: "lindex", Arity: 3, Flags: FlagReadonly, Since: "1.0.0",
			Summary: "Returns the element at an index of a list.", Complexity: "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).",
			Usage: "key index", Handler: cmdLIndex}),
		one(&Command{Name: "lset", Arity: 4, Flags: FlagWrite | FlagDenyOOM, Since: "1.0.0",
			Summary: "Replaces the element at an index of a list.", Complexity: "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).",
			Usage: "key index element", Handler: cmdLSet}),
		one(&Command{Name: "linsert", Arity: 5, Flags: FlagWrite | FlagDenyOOM, Since: "2.2.0",
			Summary:    "Inserts an element before or after the first occurrence of a pivot element.",
			Complexity: "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).",
			Usage:      "key <BEFORE | AFTER> pivot element", Handler: cmdLInsert}),
		one(&Command{Name: "lrem", Arity: 4, Flags: FlagWrite, Since: "1.0.0",
			Summary:    "Removes occurrences of an element, from the head, the tail or everywhere.",
			Complexity: "O(N+M) where N is the length of the list and M is the number of elements removed.",
			Usage:      "key count element", Handler: cmdLRem}),
		one(&Command{Name: "ltrim", Arity: 4, Flags: FlagWrite, Since: "1.0.0",
			Summary: "Keeps only the elements between two indexes of a list.", Complexity: "O(N) where N is the number of elements to be removed by the operation.",
			Usage: "key start stop", Handler: cmdLTrim}),
		one(&Command{Name: "lpos", Arity: -3, Flags: FlagReadonly, Since: "6.0.6",
			Summary:    "Returns the index (or indexes) of matching elements of a list.",
			Complexity: "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
			Usage:      "key element [RANK rank] [COUNT num-matches] [MAXLEN len]", Handler: cmdLPos}),
		one(&Command{Name: "lmove", Arity: 5, Flags: FlagWrite | FlagDenyOOM, Since: "6.2.0",
			Summary:    "Pops an element from one end of a list and pushes it onto an end of another (or the same) list.",
			Complexity: "O(1)",
			Usage:      "source destination <LEFT | RIGHT> <LEFT | RIGHT>", FirstKey: 1, LastKey: 2, KeyStep: 1, Handler: cmdLMove}),
		one(&Command{Name: "rpoplpush", Arity: 3, Flags: FlagWrite | FlagDenyOOM, Since: "1.2.0",
			Summary:    "Pops the last element of a list and pushes it at the head of another (or the same) list.",
			Complexity: "O(1)",
			Usage:      "source destination", FirstKey: 1, LastKey: 2, KeyStep: 1, Handler: cmdRPopLPush,
			DocFlags: DocDeprecated, DeprecatedSince: "6.2.0", ReplacedBy: "`LMOVE` with the `RIGHT` and `LEFT` arguments"}),
		one(&Command{Name: "lmpop", Arity: -4, Flags: FlagWrite | FlagMovableKeys, Since: "7.0.0",
			Summary:    "Pops elements from the first non-empty list among several.",
			Complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
			Usage:      "numkeys key [key ...] <LEFT | RIGHT> [COUNT count]", Keys: mpopKeys(1), Handler: cmdLMPop}),
		one(&Command{Name: "blpop", Arity: -3, Flags: FlagWrite | FlagNoScript | FlagBlocking, Since: "2.0.0",
			Summary:    "Pops the first element of the first non-empty list, or blocks until one can be popped.",
			Complexity: "O(N) where N is the number of provided keys.",
			Usage:      "key [key ...] timeout", FirstKey: 1, LastKey: -2, KeyStep: 1, Handler: cmdBLPop}),
		one(&Command{Name: "brpop", Arity: -3, Flags: FlagWrite | FlagNoScript | FlagBlocking, Since: "2.0.0",
			Summary:    "Pops the last element of the first non-empty list, or blocks until one can be popped.",
			Complexity: "O(N) where N is the number of provided keys.",
			Usage:      "key [key ...] timeout", FirstKey: 1, LastKey: -2, KeyStep: 1, Handler: cmdBRPop}),
		one(&Command{Name: "blmove", Arity: 6, Flags: FlagWrite | FlagDenyOOM | FlagNoScript | FlagBlocking, Since: "6.2.0",
			Summary:    "Moves an element between lists like LMOVE, or blocks until the source has one.",
			Complexity: "O(1)",
			Usage:      "source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout", FirstKey: 1, LastKey: 2, KeyStep: 1, Handler: cmdBLMove}),
		one(&Command{Name: "brpoplpush", Arity: 4, Flags: FlagWrite | FlagDenyOOM | FlagNoScript | FlagBlocking, Since: "2.2.0",
			Summary:    "Moves an element like RPOPLPUSH, or blocks until the source has one.",
			Complexity: "O(1)",
			Usage:      "source destination timeout", FirstKey: 1, LastKey: 2, KeyStep: 1, Handler: cmdBRPopLPush,
			DocFlags: DocDeprecated, DeprecatedSince: "6.2.0", ReplacedBy: "`BLMOVE` with the `RIGHT` and `LEFT` arguments"}),
		one(&Command{Name: "blmpop", Arity: -5, Flags: FlagWrite | FlagBlocking | FlagMovableKeys, Since: "7.0.0",
			Summary:    "Pops elements from the first non-empty list among several, or blocks until one has some.",
			Complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
			Usage:      "timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]", Keys: mpopKeys(2), Handler: cmdBLMPop}),
	)
}
