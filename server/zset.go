package server

// Sorted set commands: parse, operate on a datatypes/zset under the
// dispatcher's shard locks, reply. Replies, error texts and their order
// follow redis-server 7.0.15 (scores in replies are %.17g, as 7.0 prints
// them); ZRANK/ZREVRANK WITHSCORE is Redis 7.2's.
//
// The order of checks inside each command is Redis's: for example ZCOUNT
// parses its range before it looks the key up (a bad range on a missing key
// is still an error), ZADD parses every score before it touches the key, and
// ZUNION looks its keys up (WRONGTYPE) before it parses WEIGHTS.
//
// A key's entry holds a *zset.ZSet in Obj; Entry.Enc follows the set's
// encoding (listpack / skiplist) after every write, and a set that becomes
// empty is deleted with the "del" event, as Redis does.
//
// Blocking pops (BZPOPMIN, BZPOPMAX, BZMPOP) block on the keyspace's waiter
// queues like BLPOP (server/blocking.go); served or not, they pop through
// zpopGeneric and propagate as ZPOPMIN/ZPOPMAX.

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/tidwall/redcon"
	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/zset"
)

func init() {
	familyRegistrars = append(familyRegistrars, registerZSetCommands)
	valueDigesters[keyspace.TypeZSet] = digestZSet
}

// digestZSet is xorObjectDigest's sorted set case in Redis 7.0's debug.c:
// per member, the mixed digest of the member and of its score printed with
// "%.17g", XORed into d (so the order, and the encoding, do not matter).
func digestZSet(d *digest, e *keyspace.Entry) {
	var buf [32]byte
	e.Obj.(*zset.ZSet).Ascend(func(m []byte, score float64) bool {
		var el digest
		el.mix(m)
		el.mix(zset.AppendFloat17(buf[:0], score))
		d.xor(el[:])
		return true
	})
}

// Errors only this family sends.
const (
	errZAddXXNX        = "ERR XX and NX options at the same time are not compatible"
	errZAddGTLTNX      = "ERR GT, LT, and/or NX options at the same time are not compatible"
	errZAddIncrPair    = "ERR INCR option supports a single increment-element pair"
	errZScoreNaN       = "ERR resulting score is not a number (NaN)"
	errZMinMaxFloat    = "ERR min or max is not a float"
	errZMinMaxLex      = "ERR min or max not valid string range item"
	errZRangeLimit     = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
	errZRangeLexScores = "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
	errZWeightFloat    = "ERR weight value is not a float"
	errZLimitNegative  = "ERR LIMIT can't be negative"
	errZNumkeys        = "ERR numkeys should be greater than 0"
	errZRandRange      = "ERR value is out of range"
	errZRandCount      = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
	errZSetInput       = "ERR this set value cannot be read as a sorted set input"
)

// zsetMaxReply bounds the reply a single ZRANDMEMBER may build. Redis writes
// until the client's output buffer limit closes the connection; so do we,
// at this size, instead of exhausting memory.
const zsetMaxReply = 1 << 30

// zsetLimits are the live zset-max-listpack-* settings.
func (c *Ctx) zsetLimits() zset.Limits {
	l := c.srv.Limits()
	return zset.Limits{MaxListpackEntries: l.ZsetMaxListpackEntries, MaxListpackValue: l.ZsetMaxListpackValue}
}

// zsetEncoding is what OBJECT ENCODING reports for z.
func zsetEncoding(z *zset.ZSet) keyspace.Encoding {
	if z.IsCompact() {
		return keyspace.EncListpack
	}
	return keyspace.EncSkiplist
}

// getZSet looks key up for reading (Redis's lookupKeyRead: statistics and
// the keymiss event). ok is false when the key holds another type (the
// WRONGTYPE error has been sent).
func (c *Ctx) getZSet(key []byte) (z *zset.ZSet, ok bool) {
	return readTyped[*zset.ZSet](c, key, keyspace.TypeZSet)
}

// getZSetWrite looks key up for modification (lookupKeyWrite). ok is false
// when the key holds another type (the WRONGTYPE error has been sent).
func (c *Ctx) getZSetWrite(key []byte) (e *keyspace.Entry, z *zset.ZSet, ok bool) {
	return writeTyped[*zset.ZSet](c, key, keyspace.TypeZSet)
}

// zsetChanged finishes a write to the set in e under key: the encoding is
// brought up to date, or the key deleted when the set is empty (returning
// true). The caller sends its own event first, as Redis does.
func (c *Ctx) zsetChanged(key []byte, e *keyspace.Entry, z *zset.ZSet) (deleted bool) {
	if z.Len() == 0 {
		c.db.Delete(key)
		return true
	}
	e.Enc = zsetEncoding(z)
	return false
}

// storeZSet replaces dst with z (a STORE command's result) or deletes dst
// when z is empty, sends event, and replies with the size, as Redis's
// setKey / dbDelete paths in ZUNIONSTORE and ZRANGESTORE do.
func (c *Ctx) storeZSet(dst []byte, z *zset.ZSet, event string) {
	if z == nil || z.Len() == 0 {
		if c.db.Delete(dst) {
			c.Modified(dst)
			c.Notify(NotifyGeneric, "del", dst)
		}
		c.Int(0)
		return
	}
	existed := c.LookupWrite(dst) != nil
	c.db.Put(dst, keyspace.Entry{Type: keyspace.TypeZSet, Enc: zsetEncoding(z), Obj: z})
	if !existed {
		c.Notify(NotifyNew, "new", dst)
	}
	c.Modified(dst)
	c.Notify(NotifyZSet, event, dst)
	c.Int(int64(z.Len()))
}

// zsetHeader writes the array header for n members, with or without scores:
// n pairs flattened in RESP2, n [member, score] arrays in RESP3.
func (c *Ctx) zsetHeader(n int, withScores bool) {
	if withScores && c.proto == 2 {
		n *= 2
	}
	c.Array(n)
}

// zsetMember writes one member and, withScores, its score.
func (c *Ctx) zsetMember(member []byte, score float64, withScores bool) {
	if withScores && c.proto == 3 {
		c.Array(2)
	}
	c.Bulk(member)
	if withScores {
		c.zsetDouble(score)
	}
}

// zsetDouble writes a score as Ctx.Double does (a %.17g bulk string in
// RESP2, a double in RESP3) with zset.AppendFloat17, which gives the same
// bytes without allocating: a ZREVRANGE 0 9 WITHSCORES formats ten.
func (c *Ctx) zsetDouble(v float64) {
	var buf [32]byte
	b := zset.AppendFloat17(buf[:0], v)
	if c.proto == 3 {
		c.out = append(c.out, ',')
		c.out = append(c.out, b...)
		c.out = append(c.out, '\r', '\n')
		return
	}
	c.out = redcon.AppendBulk(c.out, b)
}

// deferredHeader inserts the array header for n members at start of the
// output, once the members written after start have been counted (Redis's
// deferred length).
func (c *Ctx) deferredHeader(start, n int, withScores bool) {
	if withScores && c.proto == 2 {
		n *= 2
	}
	var buf [24]byte
	c.out = slices.Insert(c.out, start, redcon.AppendArray(buf[:0], n)...)
}

// ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]
func cmdZAdd(c *Ctx, args [][]byte) { zaddGeneric(c, args, 0) }

// ZINCRBY key increment member
func cmdZIncrBy(c *Ctx, args [][]byte) { zaddGeneric(c, args, zset.AddIncr) }

// zaddGeneric is Redis's zaddGenericCommand: ZADD, and ZINCRBY as ZADD INCR.
func zaddGeneric(c *Ctx, args [][]byte, flags zset.AddFlags) {
	key := args[1]
	ch := false
	i := 2
options:
	for ; i < len(args); i++ {
		switch a := args[i]; {
		case eq(a, "nx"):
			flags |= zset.AddNX
		case eq(a, "xx"):
			flags |= zset.AddXX
		case eq(a, "ch"):
			ch = true
		case eq(a, "incr"):
			flags |= zset.AddIncr
		case eq(a, "gt"):
			flags |= zset.AddGT
		case eq(a, "lt"):
			flags |= zset.AddLT
		default:
			break options
		}
	}
	elements := len(args) - i
	if elements == 0 || elements%2 != 0 {
		c.Error(ErrSyntax)
		return
	}
	elements /= 2
	nx, xx := flags&zset.AddNX != 0, flags&zset.AddXX != 0
	gt, lt := flags&zset.AddGT != 0, flags&zset.AddLT != 0
	incr := flags&zset.AddIncr != 0
	switch {
	case nx && xx:
		c.Error(errZAddXXNX)
		return
	case (gt && nx) || (lt && nx) || (gt && lt):
		c.Error(errZAddGTLTNX)
		return
	case incr && elements > 1:
		c.Error(errZAddIncrPair)
		return
	}
	// Every score is parsed before the set is touched: the command applies
	// fully or not at all.
	var one [1]float64
	scores := one[:]
	if elements > 1 {
		scores = make([]float64, elements)
	}
	for j := range scores {
		v, ok := zset.ParseScore(args[i+2*j])
		if !ok {
			c.Error(ErrNotFloat)
			return
		}
		scores[j] = v
	}

	e, z, ok := c.getZSetWrite(key)
	if !ok {
		return
	}
	lim := c.zsetLimits()
	created := false
	if z == nil {
		if xx {
			if incr {
				c.Null()
			} else {
				c.Int(0)
			}
			return
		}
		// Redis 7.0 picks the new key's encoding from the first member
		// alone; Add converts as the set grows.
		if lim.MaxListpackEntries == 0 || len(args[i+1]) > lim.MaxListpackValue {
			z = zset.NewBig(elements)
		} else {
			z = zset.New()
		}
		created = true
	}
	added, updated, processed := 0, 0, 0
	var score float64
	nan := false
	for j := range scores {
		newScore, res := z.Add(args[i+2*j+1], scores[j], flags, lim)
		if res&zset.NaN != 0 {
			nan = true
			break
		}
		if res&zset.Added != 0 {
			added++
		}
		if res&zset.Updated != 0 {
			updated++
		}
		if res&zset.NoOp == 0 {
			processed++
		}
		score = newScore
	}
	if created {
		if z.Len() > 0 {
			c.db.Put(key, keyspace.Entry{Type: keyspace.TypeZSet, Enc: zsetEncoding(z), Obj: z})
			c.Notify(NotifyNew, "new", key)
		}
	} else {
		e.Enc = zsetEncoding(z)
	}
	if changed := added + updated; changed > 0 {
		c.Modified(key)
		c.dirty += changed - 1
		event := "zadd"
		if incr {
			event = "zincr"
		}
		c.Notify(NotifyZSet, event, key)
	}
	switch {
	case nan:
		c.Error(errZScoreNaN)
	case incr && processed > 0:
		c.zsetDouble(score)
	case incr:
		c.Null()
	case ch:
		c.Int(int64(added + updated))
	default:
		c.Int(int64(added))
	}
}

// ZREM key member [member ...]
func cmdZRem(c *Ctx, args [][]byte) {
	key := args[1]
	e, z, ok := c.getZSetWrite(key)
	if !ok {
		return
	}
	if z == nil {
		c.Int(0)
		return
	}
	deleted := 0
	for _, m := range args[2:] {
		if z.Remove(m) {
			deleted++
		}
		if z.Len() == 0 {
			break
		}
	}
	if deleted > 0 {
		c.Notify(NotifyZSet, "zrem", key)
		if c.zsetChanged(key, e, z) {
			c.Notify(NotifyGeneric, "del", key)
		}
		c.Modified(key)
		c.dirty += deleted - 1
	}
	c.Int(int64(deleted))
}

// ZCARD key
func cmdZCard(c *Ctx, args [][]byte) {
	z, ok := c.getZSet(args[1])
	if !ok {
		return
	}
	if z == nil {
		c.Int(0)
		return
	}
	c.Int(int64(z.Len()))
}

// ZSCORE key member
func cmdZScore(c *Ctx, args [][]byte) {
	z, ok := c.getZSet(args[1])
	if !ok {
		return
	}
	if z == nil {
		c.Null()
		return
	}
	s, found := z.Score(args[2])
	if !found {
		c.Null()
		return
	}
	c.zsetDouble(s)
}

// ZMSCORE key member [member ...]
func cmdZMScore(c *Ctx, args [][]byte) {
	z, ok := c.getZSet(args[1])
	if !ok {
		return
	}
	c.Array(len(args) - 2)
	for _, m := range args[2:] {
		if z == nil {
			c.Null()
			continue
		}
		if s, found := z.Score(m); found {
			c.zsetDouble(s)
		} else {
			c.Null()
		}
	}
}

// ZRANK key member [WITHSCORE]
func cmdZRank(c *Ctx, args [][]byte) { zrankGeneric(c, args, false) }

// ZREVRANK key member [WITHSCORE]
func cmdZRevRank(c *Ctx, args [][]byte) { zrankGeneric(c, args, true) }

func zrankGeneric(c *Ctx, args [][]byte, reverse bool) {
	if len(args) > 4 {
		c.Error(errArity(c.cmd.Name))
		return
	}
	withScore := false
	if len(args) == 4 {
		if !eq(args[3], "withscore") {
			c.Error(ErrSyntax)
			return
		}
		withScore = true
	}
	z, ok := c.getZSet(args[1])
	if !ok {
		return
	}
	var rank int
	var score float64
	found := false
	if z != nil {
		rank, score, found = z.Rank(args[2], reverse)
	}
	switch {
	case !found && withScore:
		c.NullArray()
	case !found:
		c.Null()
	case withScore:
		c.Array(2)
		c.Int(int64(rank))
		c.zsetDouble(score)
	default:
		c.Int(int64(rank))
	}
}

// ZCOUNT key min max
func cmdZCount(c *Ctx, args [][]byte) {
	r, ok := zset.ParseScoreRange(args[2], args[3])
	if !ok {
		c.Error(errZMinMaxFloat)
		return
	}
	z, ok := c.getZSet(args[1])
	if !ok {
		return
	}
	if z == nil {
		c.Int(0)
		return
	}
	c.Int(int64(z.CountByScore(&r)))
}

// ZLEXCOUNT key min max
func cmdZLexCount(c *Ctx, args [][]byte) {
	r, ok := zset.ParseLexRange(args[2], args[3])
	if !ok {
		c.Error(errZMinMaxLex)
		return
	}
	z, ok := c.getZSet(args[1])
	if !ok {
		return
	}
	if z == nil {
		c.Int(0)
		return
	}
	c.Int(int64(z.CountByLex(&r)))
}

// zrangeKind and zrangeDir are ZRANGE's BYSCORE/BYLEX and REV, fixed by the
// older commands (ZRANGEBYSCORE, ZREVRANGE, ...) and chosen by options in
// ZRANGE and ZRANGESTORE.
type zrangeKind uint8

const (
	zrangeAuto zrangeKind = iota
	zrangeRank
	zrangeScore
	zrangeLex
)

type zrangeDir uint8

const (
	zrangeDirAuto zrangeDir = iota
	zrangeForward
	zrangeReverse
)

// ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
func cmdZRange(c *Ctx, args [][]byte) { zrangeGeneric(c, args, 1, nil, zrangeAuto, zrangeDirAuto) }

// ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]
func cmdZRangeStore(c *Ctx, args [][]byte) {
	zrangeGeneric(c, args, 2, args[1], zrangeAuto, zrangeDirAuto)
}

// ZREVRANGE key start stop [WITHSCORES]
func cmdZRevRange(c *Ctx, args [][]byte) { zrangeGeneric(c, args, 1, nil, zrangeRank, zrangeReverse) }

// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
func cmdZRangeByScore(c *Ctx, args [][]byte) {
	zrangeGeneric(c, args, 1, nil, zrangeScore, zrangeForward)
}

// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
func cmdZRevRangeByScore(c *Ctx, args [][]byte) {
	zrangeGeneric(c, args, 1, nil, zrangeScore, zrangeReverse)
}

// ZRANGEBYLEX key min max [LIMIT offset count]
func cmdZRangeByLex(c *Ctx, args [][]byte) { zrangeGeneric(c, args, 1, nil, zrangeLex, zrangeForward) }

// ZREVRANGEBYLEX key max min [LIMIT offset count]
func cmdZRevRangeByLex(c *Ctx, args [][]byte) {
	zrangeGeneric(c, args, 1, nil, zrangeLex, zrangeReverse)
}

// zrangeGeneric is Redis's zrangeGenericCommand. src is the index of the
// source key; dst is ZRANGESTORE's destination (nil: reply to the client).
func zrangeGeneric(c *Ctx, args [][]byte, src int, dst []byte, kind zrangeKind, dir zrangeDir) {
	store := dst != nil
	minIdx, maxIdx := src+1, src+2
	withScores := false
	offset, limit := int64(0), int64(-1)
	for j := src + 3; j < len(args); j++ {
		left := len(args) - j - 1
		switch a := args[j]; {
		case !store && eq(a, "withscores"):
			withScores = true
		case eq(a, "limit") && left >= 2:
			var ok bool
			if offset, ok = c.intArg(args[j+1]); !ok {
				return
			}
			if limit, ok = c.intArg(args[j+2]); !ok {
				return
			}
			j += 2
		case dir == zrangeDirAuto && eq(a, "rev"):
			dir = zrangeReverse
		case kind == zrangeAuto && eq(a, "bylex"):
			kind = zrangeLex
		case kind == zrangeAuto && eq(a, "byscore"):
			kind = zrangeScore
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	if kind == zrangeAuto {
		kind = zrangeRank
	}
	reverse := dir == zrangeReverse
	// Redis tells "LIMIT given" by a count other than -1.
	if limit != -1 && kind == zrangeRank {
		c.Error(errZRangeLimit)
		return
	}
	if withScores && kind == zrangeLex {
		c.Error(errZRangeLexScores)
		return
	}
	if reverse && kind != zrangeRank {
		minIdx, maxIdx = maxIdx, minIdx // given as max, min
	}

	var start, end int64
	var sr zset.ScoreRange
	var lr zset.LexRange
	switch kind {
	case zrangeRank:
		var ok bool
		if start, ok = c.intArg(args[minIdx]); !ok {
			return
		}
		if end, ok = c.intArg(args[maxIdx]); !ok {
			return
		}
	case zrangeScore:
		var ok bool
		if sr, ok = zset.ParseScoreRange(args[minIdx], args[maxIdx]); !ok {
			c.Error(errZMinMaxFloat)
			return
		}
	case zrangeLex:
		var ok bool
		if lr, ok = zset.ParseLexRange(args[minIdx], args[maxIdx]); !ok {
			c.Error(errZMinMaxLex)
			return
		}
	}

	z, ok := c.getZSet(args[src])
	if !ok {
		return
	}
	if z == nil {
		if store {
			c.storeZSet(dst, nil, "zrangestore")
		} else {
			c.Array(0)
		}
		return
	}

	if store {
		// Redis creates the destination in the encoding its size calls for
		// when the size is known (a rank range), else as a listpack, and
		// adds the members one by one, converting as it outgrows the limits.
		// (Which one matters: a listpack stores -0 as 0.)
		out := zset.New()
		lim := c.zsetLimits()
		add := func(m []byte, s float64) bool {
			out.Add(m, s, 0, lim)
			return true
		}
		switch kind {
		case zrangeRank:
			if first, last, ok := clampRankRange(start, end, z.Len()); ok {
				out = zset.NewSized(last-first+1, 0, lim)
				z.RangeByRank(first, last, reverse, add)
			}
		case zrangeScore:
			z.RangeByScore(&sr, reverse, clampInt(offset), clampInt(limit), add)
		case zrangeLex:
			z.RangeByLex(&lr, reverse, clampInt(offset), clampInt(limit), add)
		}
		c.storeZSet(dst, out, "zrangestore")
		return
	}

	emit := func(m []byte, s float64) bool {
		c.zsetMember(m, s, withScores)
		return true
	}
	switch kind {
	case zrangeRank:
		first, last, ok := clampRankRange(start, end, z.Len())
		if !ok {
			c.Array(0)
			return
		}
		c.zsetHeader(last-first+1, withScores)
		z.RangeByRank(first, last, reverse, emit)
	case zrangeScore:
		at := len(c.out)
		n := z.RangeByScore(&sr, reverse, clampInt(offset), clampInt(limit), emit)
		c.deferredHeader(at, n, withScores)
	case zrangeLex:
		at := len(c.out)
		n := z.RangeByLex(&lr, reverse, clampInt(offset), clampInt(limit), emit)
		c.deferredHeader(at, n, withScores)
	}
}

// clampRankRange turns start and end (negative: from the end) into ranks
// 0 <= first <= last < n, or ok false when the range is empty.
func clampRankRange(start, end int64, n int) (first, last int, ok bool) {
	llen := int64(n)
	if start < 0 {
		start += llen
	}
	if end < 0 {
		end += llen
	}
	if start < 0 {
		start = 0
	}
	if start > end || start >= llen {
		return 0, 0, false
	}
	if end >= llen {
		end = llen - 1
	}
	return int(start), int(end), true
}

// clampInt narrows an int64 option to int (they are equal on 64-bit
// platforms; elsewhere huge values saturate, which has the same effect).
func clampInt(v int64) int {
	if v > math.MaxInt {
		return math.MaxInt
	}
	if v < math.MinInt {
		return math.MinInt
	}
	return int(v)
}

// ZREMRANGEBYRANK key start stop
func cmdZRemRangeByRank(c *Ctx, args [][]byte) { zremrangeGeneric(c, args, zrangeRank) }

// ZREMRANGEBYSCORE key min max
func cmdZRemRangeByScore(c *Ctx, args [][]byte) { zremrangeGeneric(c, args, zrangeScore) }

// ZREMRANGEBYLEX key min max
func cmdZRemRangeByLex(c *Ctx, args [][]byte) { zremrangeGeneric(c, args, zrangeLex) }

func zremrangeGeneric(c *Ctx, args [][]byte, kind zrangeKind) {
	key := args[1]
	var start, end int64
	var sr zset.ScoreRange
	var lr zset.LexRange
	var event string
	switch kind {
	case zrangeRank:
		event = "zremrangebyrank"
		var ok bool
		if start, ok = c.intArg(args[2]); !ok {
			return
		}
		if end, ok = c.intArg(args[3]); !ok {
			return
		}
	case zrangeScore:
		event = "zremrangebyscore"
		var ok bool
		if sr, ok = zset.ParseScoreRange(args[2], args[3]); !ok {
			c.Error(errZMinMaxFloat)
			return
		}
	case zrangeLex:
		event = "zremrangebylex"
		var ok bool
		if lr, ok = zset.ParseLexRange(args[2], args[3]); !ok {
			c.Error(errZMinMaxLex)
			return
		}
	}
	e, z, ok := c.getZSetWrite(key)
	if !ok {
		return
	}
	if z == nil {
		c.Int(0)
		return
	}
	deleted := 0
	switch kind {
	case zrangeRank:
		first, last, ok := clampRankRange(start, end, z.Len())
		if !ok {
			c.Int(0)
			return
		}
		deleted = z.RemoveRangeByRank(first, last)
	case zrangeScore:
		deleted = z.RemoveRangeByScore(&sr)
	case zrangeLex:
		deleted = z.RemoveRangeByLex(&lr)
	}
	if deleted > 0 {
		c.Modified(key)
		c.dirty += deleted - 1
		c.Notify(NotifyZSet, event, key)
		if c.zsetChanged(key, e, z) {
			c.Notify(NotifyGeneric, "del", key)
		}
	}
	c.Int(int64(deleted))
}

// ZPOPMIN key [count]
func cmdZPopMin(c *Ctx, args [][]byte) { zpopMinMax(c, args, false) }

// ZPOPMAX key [count]
func cmdZPopMax(c *Ctx, args [][]byte) { zpopMinMax(c, args, true) }

func zpopMinMax(c *Ctx, args [][]byte, max bool) {
	if len(args) > 3 {
		c.Error(ErrSyntax)
		return
	}
	count := int64(-1) // a plain single pop
	if len(args) == 3 {
		v, ok := parseInt(args[2])
		if !ok || v < 0 {
			c.Error(ErrNotPositive)
			return
		}
		count = v
	}
	// RESP3 nests the pairs when a count was given.
	nested := c.proto == 3 && count != -1
	zpopGeneric(c, args[1:2], max, false, count, nested, false)
}

// zpopGeneric is Redis's genericZpopCommand: it pops up to count members
// (-1: one, flat) from the first non-empty key of keys. emitKey puts the key
// name in the reply (ZMPOP, BZPOP*), nested gives [member, score] pairs,
// nilWhenEmpty answers a null array instead of an empty one when no key
// holds a set. It returns the key it popped from (nil: none) and how many
// members it popped.
func zpopGeneric(c *Ctx, keys [][]byte, max, emitKey bool, count int64, nested, nilWhenEmpty bool) ([]byte, int) {
	var key []byte
	var e *keyspace.Entry
	var z *zset.ZSet
	for _, k := range keys {
		var ok bool
		e, z, ok = c.getZSetWrite(k)
		if !ok {
			return nil, 0
		}
		if z != nil {
			key = k
			break
		}
	}
	if z == nil {
		if nilWhenEmpty {
			c.NullArray()
		} else {
			c.Array(0)
		}
		return nil, 0
	}
	if count == 0 {
		c.Array(0)
		return nil, 0
	}
	if count == -1 {
		count = 1
	}
	n := int(min(count, int64(z.Len())))
	switch {
	case !nested && !emitKey:
		c.Array(2 * n)
	case nested && !emitKey:
		c.Array(n)
	case !nested && emitKey:
		c.Array(2*n + 1)
		c.Bulk(key)
	default:
		c.Array(2)
		c.Bulk(key)
		c.Array(n)
	}
	for i := 0; i < n; i++ {
		m, s, _ := z.Pop(max)
		if nested {
			c.Array(2)
		}
		c.BulkString(m)
		c.zsetDouble(s)
	}
	event := "zpopmin"
	if max {
		event = "zpopmax"
	}
	c.Notify(NotifyZSet, event, key)
	if c.zsetChanged(key, e, z) {
		c.Notify(NotifyGeneric, "del", key)
	}
	c.Modified(key)
	c.dirty += n - 1
	return key, n
}

var (
	argZPOPMIN = []byte("ZPOPMIN")
	argZPOPMAX = []byte("ZPOPMAX")
)

// ZMPOP numkeys key [key ...] MIN | MAX [COUNT count]
func cmdZMPop(c *Ctx, args [][]byte) {
	keys, max, count, ok := c.parseZMPop(args, 1)
	if !ok {
		return
	}
	key, n := zpopGeneric(c, keys, max, true, count, true, true)
	if key != nil {
		c.propagateZPop(key, max, n)
	}
}

// parseZMPop parses "numkeys key [key ...] MIN | MAX [COUNT count]" at
// args[numkeysAt:] (zmpopGenericCommand's order and errors; BZMPOP's
// timeout is only read afterwards).
func (c *Ctx) parseZMPop(args [][]byte, numkeysAt int) (keys [][]byte, max bool, count int64, ok bool) {
	numkeys, isInt := parseInt(args[numkeysAt])
	if !isInt || numkeys < 1 {
		c.Error(errZNumkeys)
		return nil, false, 0, false
	}
	whereIdx := int64(numkeysAt) + 1 + numkeys
	if numkeys > int64(len(args)) || whereIdx >= int64(len(args)) {
		c.Error(ErrSyntax)
		return nil, false, 0, false
	}
	switch w := args[whereIdx]; {
	case eq(w, "min"):
	case eq(w, "max"):
		max = true
	default:
		c.Error(ErrSyntax)
		return nil, false, 0, false
	}
	if count, ok = c.parseMPopCount(args[whereIdx+1:]); !ok {
		return nil, false, 0, false
	}
	return args[numkeysAt+1 : whereIdx], max, count, true
}

// propagateZPop propagates a pop of n members as ZPOPMIN/ZPOPMAX key n, as
// Redis rewrites ZMPOP and BZMPOP.
func (c *Ctx) propagateZPop(key []byte, max bool, n int) {
	cmd := argZPOPMIN
	if max {
		cmd = argZPOPMAX
	}
	c.Propagate(cmd, key, strconv.AppendInt(nil, int64(n), 10))
}

// BZPOPMIN key [key ...] timeout
func cmdBZPopMin(c *Ctx, args [][]byte) {
	blockingZPop(c, args[1:len(args)-1], false, args[len(args)-1], -1)
}

// BZPOPMAX key [key ...] timeout
func cmdBZPopMax(c *Ctx, args [][]byte) {
	blockingZPop(c, args[1:len(args)-1], true, args[len(args)-1], -1)
}

// BZMPOP timeout numkeys key [key ...] MIN | MAX [COUNT count]
func cmdBZMPop(c *Ctx, args [][]byte) {
	keys, max, count, ok := c.parseZMPop(args, 2)
	if !ok {
		return
	}
	blockingZPop(c, keys, max, args[1], count)
}

// blockingZPop is Redis's blockingGenericZpopCommand: pop from the first
// non-empty sorted set among keys (count -1: one member, BZPOPMIN/BZPOPMAX's
// flat [key, member, score] reply; otherwise BZMPOP's nested one), or block
// until one gets members. The pop is propagated as ZPOPMIN/ZPOPMAX key
// (with the popped count for BZMPOP), whether or not the client waited.
func blockingZPop(c *Ctx, keys [][]byte, max bool, timeoutArg []byte, count int64) {
	timeout, ok := c.parseTimeout(timeoutArg)
	if !ok {
		return
	}
	for _, key := range keys {
		_, z, ok := c.getZSetWrite(key)
		if !ok {
			return
		}
		if z == nil || z.Len() == 0 {
			continue
		}
		key, n := zpopGeneric(c, [][]byte{key}, max, true, count, count != -1, true)
		if count == -1 {
			cmd := argZPOPMIN
			if max {
				cmd = argZPOPMAX
			}
			c.Propagate(cmd, key)
		} else {
			c.propagateZPop(key, max, n)
		}
		return
	}
	if !c.mayBlock() {
		c.NullArray()
		return
	}
	c.blockOn(keys, keyspace.TypeZSet, timeout, (*Ctx).NullArray)
}

// ZRANDMEMBER key [count [WITHSCORES]]
func cmdZRandMember(c *Ctx, args [][]byte) {
	if len(args) >= 3 {
		l, ok := parseInt(args[2])
		if !ok {
			c.Error(ErrNotInteger)
			return
		}
		if l == math.MinInt64 {
			c.Error(errZRandCount)
			return
		}
		withScores := false
		if len(args) > 4 || (len(args) == 4 && !eq(args[3], "withscores")) {
			c.Error(ErrSyntax)
			return
		}
		if len(args) == 4 {
			withScores = true
			if l < -math.MaxInt64/2 || l > math.MaxInt64/2 {
				c.Error(errZRandRange)
				return
			}
		}
		zrandmemberWithCount(c, args[1], l, withScores)
		return
	}
	z, ok := c.getZSet(args[1])
	if !ok {
		return
	}
	if z == nil {
		c.Null()
		return
	}
	m, _ := z.Random(rand.Uint64)
	c.Bulk(m)
}

func zrandmemberWithCount(c *Ctx, key []byte, l int64, withScores bool) {
	z, ok := c.getZSet(key)
	if !ok {
		return
	}
	if z == nil || l == 0 {
		c.Array(0)
		return
	}
	size := int64(z.Len())
	if l < 0 || l == 1 {
		// Picks with repetition, in random order.
		count := l
		if count < 0 {
			count = -count
		}
		c.zsetHeader(clampInt(count), withScores)
		for ; count > 0; count-- {
			m, s := z.Random(rand.Uint64)
			c.zsetMember(m, s, withScores)
			if len(c.out) > zsetMaxReply {
				c.closeAfterReply = true
				return
			}
		}
		return
	}
	if l >= size {
		// The whole set, walked from the end as Redis's iterator does.
		c.zsetHeader(int(size), withScores)
		z.Descend(func(m []byte, s float64) bool {
			c.zsetMember(m, s, withScores)
			return true
		})
		return
	}
	c.zsetHeader(int(l), withScores)
	z.RandomDistinct(int(l), rand.Uint64, func(m []byte, s float64) bool {
		c.zsetMember(m, s, withScores)
		return true
	})
}

// ZSCAN key cursor [MATCH pattern] [COUNT count]
func cmdZScan(c *Ctx, args [][]byte) {
	cursor, ok := parseScanCursor(args[2])
	if !ok {
		c.Error(ErrInvalidCursor)
		return
	}
	z, ok := c.getZSet(args[1])
	if !ok {
		return
	}
	if z == nil {
		c.replyScan(0, nil)
		return
	}
	// Options are read only once the key is known to hold a set, as in
	// Redis's scanGenericCommand.
	opts, ok := c.parseScanOptions(args[3:])
	if !ok {
		return
	}
	count := opts.count
	// Collect member/score strings, then filter by pattern, as Redis does.
	var elems [][]byte
	next := uint64(0)
	if z.IsCompact() {
		z.Ascend(func(m []byte, s float64) bool {
			elems = append(elems, clone(m), zset.AppendListpackScore(nil, s))
			return true
		})
	} else {
		// Redis counts the collected strings, two per member, against
		// COUNT, and stops after ten times COUNT empty buckets.
		steps := int64(math.MaxInt64)
		if count <= math.MaxInt64/10 {
			steps = count * 10
		}
		next = cursor
		for {
			next = z.Scan(next, func(m []byte, s float64) {
				elems = append(elems, clone(m), zset.AppendScoreString(nil, s))
			})
			steps--
			if next == 0 || steps <= 0 || int64(len(elems)) >= count {
				break
			}
		}
	}
	if opts.usePattern {
		kept := elems[:0]
		for i := 0; i < len(elems); i += 2 {
			if opts.matches(elems[i]) {
				kept = append(kept, elems[i], elems[i+1])
			}
		}
		elems = kept
	}
	c.replyScan(next, elems)
}

// zsetOp is the operation of ZUNION, ZINTER and ZDIFF (and their STORE
// forms, and ZINTERCARD).
type zsetOp uint8

const (
	zsetUnion zsetOp = iota
	zsetInter
	zsetDiff
)

// zsetAggregate is AGGREGATE SUM | MIN | MAX.
type zsetAggregate uint8

const (
	aggSum zsetAggregate = iota
	aggMin
	aggMax
)

// setInput is what ZUNION, ZINTER and ZDIFF need of a set value given as
// input (each of its members scores 1); datatypes/set's Set has it.
type setInput interface {
	Len() int
	Contains(member []byte) bool
	Range(fn func(member []byte) bool)
}

// zsetSource is one input key of a set operation.
type zsetSource struct {
	obj    any // the stored value, for telling a key given twice; nil when missing
	z      *zset.ZSet
	set    setInput
	weight float64
}

func (s *zsetSource) len() int {
	switch {
	case s.z != nil:
		return s.z.Len()
	case s.set != nil:
		return s.set.Len()
	}
	return 0
}

// each calls fn for every member (sorted sets from the highest score, as
// Redis iterates them; the order does not change any result).
func (s *zsetSource) each(fn func(member []byte, score float64) bool) {
	switch {
	case s.z != nil:
		s.z.Descend(fn)
	case s.set != nil:
		s.set.Range(func(m []byte) bool { return fn(m, 1) })
	}
}

func (s *zsetSource) find(member []byte) (float64, bool) {
	switch {
	case s.z != nil:
		return s.z.Score(member)
	case s.set != nil:
		if s.set.Contains(member) {
			return 1, true
		}
	}
	return 0, false
}

// aggregate is zunionInterAggregate: SUM turns NaN (inf + -inf) into 0.
func aggregate(target *float64, v float64, agg zsetAggregate) {
	switch agg {
	case aggSum:
		*target += v
		if math.IsNaN(*target) {
			*target = 0
		}
	case aggMin:
		if v < *target {
			*target = v
		}
	case aggMax:
		if v > *target {
			*target = v
		}
	}
}

// zsetResult is one member of a set operation's result.
type zsetResult struct {
	member string
	score  float64
}

// ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]
func cmdZUnion(c *Ctx, args [][]byte) { zsetOpGeneric(c, args, nil, 1, zsetUnion, false) }

// ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]
func cmdZInter(c *Ctx, args [][]byte) { zsetOpGeneric(c, args, nil, 1, zsetInter, false) }

// ZDIFF numkeys key [key ...] [WITHSCORES]
func cmdZDiff(c *Ctx, args [][]byte) { zsetOpGeneric(c, args, nil, 1, zsetDiff, false) }

// ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]
func cmdZUnionStore(c *Ctx, args [][]byte) { zsetOpGeneric(c, args, args[1], 2, zsetUnion, false) }

// ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]
func cmdZInterStore(c *Ctx, args [][]byte) { zsetOpGeneric(c, args, args[1], 2, zsetInter, false) }

// ZDIFFSTORE destination numkeys key [key ...]
func cmdZDiffStore(c *Ctx, args [][]byte) { zsetOpGeneric(c, args, args[1], 2, zsetDiff, false) }

// ZINTERCARD numkeys key [key ...] [LIMIT limit]
func cmdZInterCard(c *Ctx, args [][]byte) { zsetOpGeneric(c, args, nil, 1, zsetInter, true) }

// zsetOpGeneric is Redis's zunionInterDiffGenericCommand.
func zsetOpGeneric(c *Ctx, args [][]byte, dst []byte, numkeysIdx int, op zsetOp, cardOnly bool) {
	setnum, ok := c.intArg(args[numkeysIdx])
	if !ok {
		return
	}
	if setnum < 1 {
		c.Error("ERR at least 1 input key is needed for '" + c.cmd.Name + "' command")
		return
	}
	if setnum > int64(len(args)-numkeysIdx-1) {
		c.Error(ErrSyntax)
		return
	}
	srcs := make([]zsetSource, setnum)
	j := numkeysIdx + 1
	for i := range srcs {
		srcs[i].weight = 1
		e := c.lookupRead(args[j], 0)
		j++
		if e == nil {
			continue
		}
		switch e.Type {
		case keyspace.TypeZSet:
			srcs[i].z = e.Obj.(*zset.ZSet)
		case keyspace.TypeSet:
			s, ok := e.Obj.(setInput)
			if !ok {
				c.Error(errZSetInput)
				return
			}
			srcs[i].set = s
		default:
			c.Error(ErrWrongType)
			return
		}
		srcs[i].obj = e.Obj
	}

	agg := aggSum
	withScores := false
	limit := int64(0)
	for remaining := len(args) - j; remaining > 0; remaining = len(args) - j {
		a := args[j]
		switch {
		case op != zsetDiff && !cardOnly && remaining >= len(srcs)+1 && eq(a, "weights"):
			j++
			for i := range srcs {
				w, ok := zset.ParseScore(args[j])
				if !ok {
					c.Error(errZWeightFloat)
					return
				}
				srcs[i].weight = w
				j++
			}
		case op != zsetDiff && !cardOnly && remaining >= 2 && eq(a, "aggregate"):
			switch v := args[j+1]; {
			case eq(v, "sum"):
				agg = aggSum
			case eq(v, "min"):
				agg = aggMin
			case eq(v, "max"):
				agg = aggMax
			default:
				c.Error(ErrSyntax)
				return
			}
			j += 2
		case dst == nil && !cardOnly && eq(a, "withscores"):
			withScores = true
			j++
		case cardOnly && remaining >= 2 && eq(a, "limit"):
			v, ok := parseInt(args[j+1])
			if !ok || v < 0 {
				c.Error(errZLimitNegative)
				return
			}
			limit = v
			j += 2
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	if op != zsetDiff {
		// Smallest input first (a stable sort, as glibc's qsort is): the
		// order decides how SUM adds up floating-point scores.
		slices.SortStableFunc(srcs, func(a, b zsetSource) int { return a.len() - b.len() })
	}

	var result []zsetResult
	cardinality := int64(0)
	switch op {
	case zsetInter:
		if srcs[0].len() == 0 {
			break
		}
		srcs[0].each(func(m []byte, s float64) bool {
			score := srcs[0].weight * s
			if math.IsNaN(score) {
				score = 0
			}
			for k := 1; k < len(srcs); k++ {
				var v float64
				if srcs[k].obj == srcs[0].obj {
					v = s * srcs[k].weight
				} else if found, ok := srcs[k].find(m); ok {
					v = found * srcs[k].weight
				} else {
					return true
				}
				aggregate(&score, v, agg)
			}
			if cardOnly {
				cardinality++
				return limit == 0 || cardinality < limit
			}
			result = append(result, zsetResult{string(m), score})
			return true
		})
	case zsetUnion:
		acc := make(map[string]int)
		for i := range srcs {
			src := &srcs[i]
			src.each(func(m []byte, s float64) bool {
				score := src.weight * s
				if math.IsNaN(score) {
					score = 0
				}
				if k, ok := acc[string(m)]; ok {
					aggregate(&result[k].score, score, agg)
				} else {
					member := string(m)
					acc[member] = len(result)
					result = append(result, zsetResult{member, score})
				}
				return true
			})
		}
	case zsetDiff:
		if srcs[0].len() == 0 {
			break
		}
		for k := 1; k < len(srcs); k++ {
			if srcs[k].obj != nil && srcs[k].obj == srcs[0].obj {
				srcs[0] = zsetSource{} // a key minus itself: nothing left
			}
		}
		srcs[0].each(func(m []byte, s float64) bool {
			for k := 1; k < len(srcs); k++ {
				if _, ok := srcs[k].find(m); ok {
					return true
				}
			}
			result = append(result, zsetResult{string(m), s})
			return true
		})
	}

	if cardOnly {
		c.Int(cardinality)
		return
	}
	slices.SortFunc(result, func(a, b zsetResult) int {
		switch {
		case a.score < b.score:
			return -1
		case a.score > b.score:
			return 1
		}
		switch {
		case a.member < b.member:
			return -1
		case a.member > b.member:
			return 1
		}
		return 0
	})
	if dst == nil {
		c.zsetHeader(len(result), withScores)
		for _, r := range result {
			if withScores && c.proto == 3 {
				c.Array(2)
			}
			c.BulkString(r.member)
			if withScores {
				c.zsetDouble(r.score)
			}
		}
		return
	}
	maxLen := 0
	for _, r := range result {
		maxLen = max(maxLen, len(r.member))
	}
	out := zset.NewSized(len(result), maxLen, c.zsetLimits())
	for _, r := range result {
		out.Insert([]byte(r.member), r.score)
	}
	event := [...]string{zsetUnion: "zunionstore", zsetInter: "zinterstore", zsetDiff: "zdiffstore"}[op]
	c.storeZSet(dst, out, event)
}

// numkeysKeys returns a Keys function for commands whose keys follow a
// numkeys argument at numIdx, after a destination key at 1 when withDst.
// Positions it cannot trust (numkeys not a positive integer, or more keys
// than arguments) are left out: the handler rejects those commands before
// touching any key.
func numkeysKeys(numIdx int, withDst bool) func(args [][]byte) []int {
	return func(args [][]byte) []int {
		var out []int
		if withDst && len(args) > 1 {
			out = append(out, 1)
		}
		if numIdx >= len(args) {
			return out
		}
		n, ok := parseInt(args[numIdx])
		if !ok || n < 1 || n > int64(len(args)-numIdx-1) {
			return out
		}
		for i := 0; i < int(n); i++ {
			out = append(out, numIdx+1+i)
		}
		return out
	}
}

func registerZSetCommands(t *Table) {
	write := []string{"write", "sortedset", "fast"}
	writeSlow := []string{"write", "sortedset", "slow"}
	read := []string{"read", "sortedset", "fast"}
	readSlow := []string{"read", "sortedset", "slow"}
	const g = "sorted-set"
	one := func(c *Command) *Command {
		c.FirstKey, c.LastKey, c.KeyStep = 1, 1, 1
		c.Group = g
		return c
	}
	t.Add(
		one(&Command{Name: "zadd", Arity: -4, Flags: FlagWrite | FlagDenyOOM | FlagFast, ACL: write, Since: "1.2.0",
			Summary: "Adds members to a sorted set or updates their scores; creates the key if needed.",
			Usage:   "key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]", Handler: cmdZAdd}),
		one(&Command{Name: "zincrby", Arity: 4, Flags: FlagWrite | FlagDenyOOM | FlagFast, ACL: write, Since: "1.2.0",
			Summary: "Adds an increment to a member's score; the member starts at 0 if new.",
			Usage:   "key increment member", Handler: cmdZIncrBy}),
		one(&Command{Name: "zrem", Arity: -3, Flags: FlagWrite | FlagFast, ACL: write, Since: "1.2.0",
			Summary: "Removes members from a sorted set; deletes the key when it empties.",
			Usage:   "key member [member ...]", Handler: cmdZRem}),
		one(&Command{Name: "zcard", Arity: 2, Flags: FlagReadonly | FlagFast, ACL: read, Since: "1.2.0",
			Summary: "Returns the number of members in a sorted set.", Usage: "key", Handler: cmdZCard}),
		one(&Command{Name: "zcount", Arity: 4, Flags: FlagReadonly | FlagFast, ACL: read, Since: "2.0.0",
			Summary: "Counts the members whose score lies in a range.", Usage: "key min max", Handler: cmdZCount}),
		one(&Command{Name: "zlexcount", Arity: 4, Flags: FlagReadonly | FlagFast, ACL: read, Since: "2.8.9",
			Summary: "Counts the members in a lexicographic range.", Usage: "key min max", Handler: cmdZLexCount}),
		one(&Command{Name: "zscore", Arity: 3, Flags: FlagReadonly | FlagFast, ACL: read, Since: "1.2.0",
			Summary: "Returns a member's score.", Usage: "key member", Handler: cmdZScore}),
		one(&Command{Name: "zmscore", Arity: -3, Flags: FlagReadonly | FlagFast, ACL: read, Since: "6.2.0",
			Summary: "Returns the scores of several members.", Usage: "key member [member ...]", Handler: cmdZMScore}),
		one(&Command{Name: "zrank", Arity: -3, Flags: FlagReadonly | FlagFast, ACL: read, Since: "2.0.0",
			Summary: "Returns a member's rank from the lowest score, optionally with its score.",
			Usage:   "key member [WITHSCORE]", Handler: cmdZRank}),
		one(&Command{Name: "zrevrank", Arity: -3, Flags: FlagReadonly | FlagFast, ACL: read, Since: "2.0.0",
			Summary: "Returns a member's rank from the highest score, optionally with its score.",
			Usage:   "key member [WITHSCORE]", Handler: cmdZRevRank}),
		one(&Command{Name: "zrange", Arity: -4, Flags: FlagReadonly, ACL: readSlow, Since: "1.2.0",
			Summary: "Returns members in a range of ranks, scores or members.",
			Usage:   "key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]", Handler: cmdZRange}),
		&Command{Name: "zrangestore", Arity: -5, Flags: FlagWrite | FlagDenyOOM, ACL: writeSlow, Group: g, Since: "6.2.0",
			Summary:  "Stores a range of a sorted set in another key.",
			Usage:    "dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]",
			FirstKey: 1, LastKey: 2, KeyStep: 1, Handler: cmdZRangeStore},
		one(&Command{Name: "zrangebyscore", Arity: -4, Flags: FlagReadonly, ACL: readSlow, Since: "1.0.5",
			Summary: "Returns members with a score in a range, lowest first.",
			Usage:   "key min max [WITHSCORES] [LIMIT offset count]", Handler: cmdZRangeByScore}),
		one(&Command{Name: "zrevrangebyscore", Arity: -4, Flags: FlagReadonly, ACL: readSlow, Since: "2.2.0",
			Summary: "Returns members with a score in a range, highest first.",
			Usage:   "key max min [WITHSCORES] [LIMIT offset count]", Handler: cmdZRevRangeByScore}),
		one(&Command{Name: "zrangebylex", Arity: -4, Flags: FlagReadonly, ACL: readSlow, Since: "2.8.9",
			Summary: "Returns members in a lexicographic range.",
			Usage:   "key min max [LIMIT offset count]", Handler: cmdZRangeByLex}),
		one(&Command{Name: "zrevrangebylex", Arity: -4, Flags: FlagReadonly, ACL: readSlow, Since: "2.8.9",
			Summary: "Returns members in a lexicographic range, in reverse order.",
			Usage:   "key max min [LIMIT offset count]", Handler: cmdZRevRangeByLex}),
		one(&Command{Name: "zrevrange", Arity: -4, Flags: FlagReadonly, ACL: readSlow, Since: "1.2.0",
			Summary: "Returns members in a range of ranks, highest score first.",
			Usage:   "key start stop [WITHSCORES]", Handler: cmdZRevRange}),
		one(&Command{Name: "zremrangebyrank", Arity: 4, Flags: FlagWrite, ACL: writeSlow, Since: "2.0.0",
			Summary: "Removes the members in a range of ranks.", Usage: "key start stop", Handler: cmdZRemRangeByRank}),
		one(&Command{Name: "zremrangebyscore", Arity: 4, Flags: FlagWrite, ACL: writeSlow, Since: "1.2.0",
			Summary: "Removes the members with a score in a range.", Usage: "key min max", Handler: cmdZRemRangeByScore}),
		one(&Command{Name: "zremrangebylex", Arity: 4, Flags: FlagWrite, ACL: writeSlow, Since: "2.8.9",
			Summary: "Removes the members in a lexicographic range.", Usage: "key min max", Handler: cmdZRemRangeByLex}),
		one(&Command{Name: "zpopmin", Arity: -2, Flags: FlagWrite | FlagFast, ACL: write, Since: "5.0.0",
			Summary: "Removes and returns the members with the lowest scores.", Usage: "key [count]", Handler: cmdZPopMin}),
		one(&Command{Name: "zpopmax", Arity: -2, Flags: FlagWrite | FlagFast, ACL: write, Since: "5.0.0",
			Summary: "Removes and returns the members with the highest scores.", Usage: "key [count]", Handler: cmdZPopMax}),
		&Command{Name: "zmpop", Arity: -4, Flags: FlagWrite | FlagMovableKeys, ACL: writeSlow, Group: g, Since: "7.0.0",
			Summary: "Pops members with the lowest or highest scores from the first non-empty sorted set.",
			Usage:   "numkeys key [key ...] <MIN | MAX> [COUNT count]", Keys: numkeysKeys(1, false), Handler: cmdZMPop},
		&Command{Name: "bzpopmin", Arity: -3, Flags: FlagWrite | FlagNoScript | FlagFast | FlagBlocking, ACL: write, Group: g, Since: "5.0.0",
			Summary: "Removes and returns the member with the lowest score from the first non-empty sorted set, or blocks until one has members.",
			Usage:   "key [key ...] timeout", FirstKey: 1, LastKey: -2, KeyStep: 1, Handler: cmdBZPopMin},
		&Command{Name: "bzpopmax", Arity: -3, Flags: FlagWrite | FlagNoScript | FlagFast | FlagBlocking, ACL: write, Group: g, Since: "5.0.0",
			Summary: "Removes and returns the member with the highest score from the first non-empty sorted set, or blocks until one has members.",
			Usage:   "key [key ...] timeout", FirstKey: 1, LastKey: -2, KeyStep: 1, Handler: cmdBZPopMax},
		&Command{Name: "bzmpop", Arity: -5, Flags: FlagWrite | FlagBlocking | FlagMovableKeys, ACL: writeSlow, Group: g, Since: "7.0.0",
			Summary: "Pops members with the lowest or highest scores from the first non-empty sorted set, or blocks until one has members.",
			Usage:   "timeout numkeys key [key ...] <MIN | MAX> [COUNT count]", Keys: numkeysKeys(2, false), Handler: cmdBZMPop},
		one(&Command{Name: "zrandmember", Arity: -2, Flags: FlagReadonly, ACL: readSlow, Since: "6.2.0",
			Summary: "Returns random members, optionally with their scores.",
			Usage:   "key [count [WITHSCORES]]", Handler: cmdZRandMember}),
		&Command{Name: "zunion", Arity: -3, Flags: FlagReadonly | FlagMovableKeys, ACL: readSlow, Group: g, Since: "6.2.0",
			Summary: "Returns the union of sorted sets.",
			Usage:   "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]",
			Keys:    numkeysKeys(1, false), Handler: cmdZUnion},
		&Command{Name: "zinter", Arity: -3, Flags: FlagReadonly | FlagMovableKeys, ACL: readSlow, Group: g, Since: "6.2.0",
			Summary: "Returns the intersection of sorted sets.",
			Usage:   "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]",
			Keys:    numkeysKeys(1, false), Handler: cmdZInter},
		&Command{Name: "zdiff", Arity: -3, Flags: FlagReadonly | FlagMovableKeys, ACL: readSlow, Group: g, Since: "6.2.0",
			Summary: "Returns the members of the first sorted set that are in none of the others.",
			Usage:   "numkeys key [key ...] [WITHSCORES]", Keys: numkeysKeys(1, false), Handler: cmdZDiff},
		&Command{Name: "zunionstore", Arity: -4, Flags: FlagWrite | FlagDenyOOM | FlagMovableKeys, ACL: writeSlow, Group: g, Since: "2.0.0",
			Summary:  "Stores the union of sorted sets in a key.",
			Usage:    "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]",
			FirstKey: 1, LastKey: 1, KeyStep: 1, Keys: numkeysKeys(2, true), Handler: cmdZUnionStore},
		&Command{Name: "zinterstore", Arity: -4, Flags: FlagWrite | FlagDenyOOM | FlagMovableKeys, ACL: writeSlow, Group: g, Since: "2.0.0",
			Summary:  "Stores the intersection of sorted sets in a key.",
			Usage:    "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]",
			FirstKey: 1, LastKey: 1, KeyStep: 1, Keys: numkeysKeys(2, true), Handler: cmdZInterStore},
		&Command{Name: "zdiffstore", Arity: -4, Flags: FlagWrite | FlagDenyOOM | FlagMovableKeys, ACL: writeSlow, Group: g, Since: "6.2.0",
			Summary:  "Stores the difference of sorted sets in a key.",
			Usage:    "destination numkeys key [key ...]",
			FirstKey: 1, LastKey: 1, KeyStep: 1, Keys: numkeysKeys(2, true), Handler: cmdZDiffStore},
		&Command{Name: "zintercard", Arity: -3, Flags: FlagReadonly | FlagMovableKeys, ACL: readSlow, Group: g, Since: "7.0.0",
			Summary: "Counts the members of the intersection of sorted sets.",
			Usage:   "numkeys key [key ...] [LIMIT limit]", Keys: numkeysKeys(1, false), Handler: cmdZInterCard},
		one(&Command{Name: "zscan", Arity: -3, Flags: FlagReadonly, ACL: readSlow, Since: "2.8.0",
			Summary: "Iterates over the members and scores of a sorted set with a cursor.",
			Usage:   "key cursor [MATCH pattern] [COUNT count]", Handler: cmdZScan}),
	)
}
