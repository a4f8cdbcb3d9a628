package zset

import (
	"math"
	"unsafe"

	"github.com/vireodb/vireo/datatypes/dict"
)

// Limits are the thresholds above which a sorted set leaves the compact
// encoding: zset-max-listpack-entries and zset-max-listpack-value.
type Limits struct {
	MaxListpackEntries int // most members a compact set holds
	MaxListpackValue   int // longest member (bytes) a compact set holds
}

// Fits reports whether a set of count members, the longest maxLen bytes,
// stays compact under lim.
func (lim Limits) Fits(count, maxLen int) bool {
	return count <= lim.MaxListpackEntries && maxLen <= lim.MaxListpackValue
}

// ZSet is a sorted set. The zero value is an empty compact set.
type ZSet struct {
	p   packed  // the compact encoding, while big is nil
	big *bigSet // the big encoding
}

// bigSet is the big encoding: member -> score, and the members in order. The
// two share each member string.
type bigSet struct {
	dict *dict.Dict[float64]
	tree tree
}

// New returns an empty compact set.
func New() *ZSet { return &ZSet{} }

// NewBig returns an empty set in the big encoding, sized for sizeHint members.
func NewBig(sizeHint int) *ZSet {
	return &ZSet{big: &bigSet{dict: dict.New[float64](sizeHint)}}
}

// NewSized returns an empty set in the encoding a set of count members, the
// longest maxLen bytes, has under lim. It is for results built in one go
// (ZUNIONSTORE and friends, RDB loading), which Redis builds big and then
// converts when they fit.
func NewSized(count, maxLen int, lim Limits) *ZSet {
	if lim.Fits(count, maxLen) {
		return New()
	}
	return NewBig(count)
}

// Len returns the number of members.
func (z *ZSet) Len() int {
	if z.big != nil {
		return z.big.tree.size
	}
	return z.p.n
}

// IsCompact reports whether the set is in the compact encoding (Redis's
// "listpack"; the big one is "skiplist").
func (z *ZSet) IsCompact() bool { return z.big == nil }

// stringBytes views a stored member as bytes, for callbacks that only read.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// bytesString views b as a string for a lookup; the result must not be kept.
func bytesString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// Score returns member's score.
func (z *ZSet) Score(member []byte) (float64, bool) {
	if z.big != nil {
		return z.big.dict.Get(member)
	}
	_, s, ok := z.p.find(member)
	return s, ok
}

// convert moves a compact set to the big encoding.
func (z *ZSet) convert() {
	b := &bigSet{dict: dict.New[float64](z.p.n + 1)}
	for off := 0; off < len(z.p.buf); {
		m, s, next := z.p.entry(off)
		ms := string(m)
		b.dict.Set(ms, s)
		b.tree.insert(s, ms)
		off = next
	}
	z.big = b
	z.p = packed{}
}

// ConvertToBig moves the set to the big encoding; a set already there is
// left alone. Redis's SORT converts a listpack zset to a skiplist this way
// as a side effect, which OBJECT ENCODING shows.
func (z *ZSet) ConvertToBig() {
	if z.big == nil {
		z.convert()
	}
}

// Insert adds member, which must not be in the set, without converting the
// encoding (the caller picked it, see NewSized). It returns false, changing
// nothing, when member is already there or score is NaN.
func (z *ZSet) Insert(member []byte, score float64) bool {
	if math.IsNaN(score) {
		return false
	}
	if z.big != nil {
		h := dict.Hash(member)
		if _, ok := z.big.dict.GetHashed(h, member); ok {
			return false
		}
		ms := string(member)
		z.big.dict.SetHashed(h, ms, score)
		z.big.tree.insert(score, ms)
		return true
	}
	if _, _, ok := z.p.find(member); ok {
		return false
	}
	z.p.insert(member, score)
	return true
}

// AddFlags are ZADD's options.
type AddFlags uint8

const (
	AddNX   AddFlags = 1 << iota // only add new members
	AddXX                        // only update existing members
	AddGT                        // only update when the new score is greater
	AddLT                        // only update when the new score is less
	AddIncr                      // add score to the current one (ZINCRBY)
)

// AddResult says what Add did.
type AddResult uint8

const (
	Added   AddResult = 1 << iota // member is new
	Updated                       // member's score changed
	NoOp                          // NX, XX, GT or LT said no
	NaN                           // the increment made the score NaN; nothing changed
)

// Add is Redis's zsetAdd: it adds member or updates its score as flags say,
// and returns the member's new score and what happened. A compact set that
// outgrows lim is converted to the big encoding.
func (z *ZSet) Add(member []byte, score float64, flags AddFlags, lim Limits) (float64, AddResult) {
	if math.IsNaN(score) {
		return 0, NaN
	}
	if z.big == nil {
		off, cur, ok := z.p.find(member)
		if ok {
			newScore, res := addExisting(cur, score, flags)
			if res == Updated {
				z.p.deleteAt(off)
				z.p.insert(member, newScore)
			}
			return newScore, res
		}
		if flags&AddXX != 0 {
			return 0, NoOp
		}
		if z.p.n+1 <= lim.MaxListpackEntries && len(member) <= lim.MaxListpackValue {
			z.p.insert(member, score)
			return score, Added
		}
		// Convert first and add to the big set, as Redis does: the member
		// that overflows the listpack keeps the sign of a zero score.
		z.convert()
	}
	b := z.big
	h := dict.Hash(member)
	if ref := b.dict.RefHashed(h, member); ref != nil {
		cur := *ref
		newScore, res := addExisting(cur, score, flags)
		if res == Updated {
			*ref = newScore
			b.tree.move(cur, bytesString(member), newScore)
		}
		return newScore, res
	}
	if flags&AddXX != 0 {
		return 0, NoOp
	}
	ms := string(member)
	b.dict.SetHashed(h, ms, score)
	b.tree.insert(score, ms)
	return score, Added
}

// addExisting decides an update of a member whose score is cur.
func addExisting(cur, score float64, flags AddFlags) (float64, AddResult) {
	if flags&AddNX != 0 {
		return cur, NoOp
	}
	if flags&AddIncr != 0 {
		score += cur
		if math.IsNaN(score) {
			return 0, NaN
		}
	}
	if (flags&AddLT != 0 && score >= cur) || (flags&AddGT != 0 && score <= cur) {
		return cur, NoOp
	}
	if score == cur {
		return score, 0
	}
	return score, Updated
}

// Remove deletes member and reports whether it was there.
func (z *ZSet) Remove(member []byte) bool {
	if z.big != nil {
		h := dict.Hash(member)
		s, ok := z.big.dict.GetHashed(h, member)
		if !ok {
			return false
		}
		z.big.tree.delete(s, bytesString(member))
		z.big.dict.DeleteHashed(h, member)
		return true
	}
	off, _, ok := z.p.find(member)
	if ok {
		z.p.deleteAt(off)
	}
	return ok
}

// Rank returns member's 0-based rank, counted from the lowest score, or from
// the highest when reverse, and its score.
func (z *ZSet) Rank(member []byte, reverse bool) (rank int, score float64, ok bool) {
	n := z.Len()
	if z.big != nil {
		s, found := z.big.dict.Get(member)
		if !found {
			return 0, 0, false
		}
		rank, _ = z.big.tree.rank(s, bytesString(member))
		score = s
	} else {
		for off := 0; off < len(z.p.buf); rank++ {
			m, s, next := z.p.entry(off)
			if string(m) == string(member) {
				score, ok = s, true
				break
			}
			off = next
		}
		if !ok {
			return 0, 0, false
		}
	}
	if reverse {
		rank = n - 1 - rank
	}
	return rank, score, true
}

// Visitor receives members in order; member is valid only during the call.
// Returning false stops the walk.
type Visitor func(member []byte, score float64) bool

// cursor walks either encoding from a position, in either direction.
type cursor struct {
	z   *ZSet
	off int // compact: entry start, or -1 past the end
	p   pos // big
	rev bool
}

func (c *cursor) valid() bool {
	if c.z.big != nil {
		return c.p.valid()
	}
	return c.off >= 0
}

func (c *cursor) get() (member []byte, score float64) {
	if c.z.big != nil {
		it := c.p.item()
		return stringBytes(it.member), it.score
	}
	m, s, _ := c.z.p.entry(c.off)
	return m, s
}

func (c *cursor) step() {
	if c.z.big != nil {
		if c.rev {
			c.p = c.p.prev()
		} else {
			c.p = c.p.next()
		}
		return
	}
	if c.rev {
		if c.off == 0 {
			c.off = -1
		} else {
			c.off = c.z.p.prev(c.off)
		}
		return
	}
	_, _, next := c.z.p.entry(c.off)
	if next >= len(c.z.p.buf) {
		next = -1
	}
	c.off = next
}

// cursorAt returns a cursor on the member at rank (counted from the lowest
// score), or an invalid one when rank is out of range.
func (z *ZSet) cursorAt(rank int, rev bool) cursor {
	c := cursor{z: z, off: -1, rev: rev}
	if rank < 0 || rank >= z.Len() {
		return c
	}
	if z.big != nil {
		c.p = z.big.tree.at(rank)
	} else {
		c.off = z.p.seek(rank)
	}
	return c
}

// walk calls fn for up to limit members from c on (all when limit < 0) while
// fn returns true, and returns how many it visited.
func (c *cursor) walk(limit int, fn Visitor) int {
	n := 0
	for ; c.valid() && n != limit; c.step() {
		m, s := c.get()
		n++
		if !fn(m, s) {
			break
		}
	}
	return n
}

// Ascend calls fn for every member from the lowest score up.
func (z *ZSet) Ascend(fn Visitor) {
	c := z.cursorAt(0, false)
	c.walk(-1, fn)
}

// Descend calls fn for every member from the highest score down.
func (z *ZSet) Descend(fn Visitor) {
	c := z.cursorAt(z.Len()-1, true)
	c.walk(-1, fn)
}

// RangeByRank calls fn for the members with ranks start..end (inclusive,
// 0 <= start <= end < Len), ranks counted from the highest score when
// reverse, in that order.
func (z *ZSet) RangeByRank(start, end int, reverse bool, fn Visitor) {
	rank := start
	if reverse {
		rank = z.Len() - 1 - start
	}
	c := z.cursorAt(rank, reverse)
	c.walk(end-start+1, fn)
}

// RangeByScore calls fn for the members with a score in r, from the lowest
// (or from the highest when reverse), skipping the first offset of them and
// stopping after limit (limit < 0: no limit). A negative offset yields
// nothing, as in Redis. It returns how many members fn saw.
func (z *ZSet) RangeByScore(r *ScoreRange, reverse bool, offset, limit int, fn Visitor) int {
	if offset < 0 || limit == 0 {
		return 0
	}
	rank, ok := z.scoreRangeStart(r, reverse)
	if !ok {
		return 0
	}
	end := r.lteMax
	if reverse {
		end = r.gteMin
	}
	return z.walkRange(rank, reverse, offset, limit, func(_ []byte, s float64) bool { return end(s) }, fn)
}

// walkRange is the walk RangeByScore and RangeByLex share: from the member
// at rank (the first in range), offset members on, while inRange holds,
// at most limit members (limit < 0: no limit).
func (z *ZSet) walkRange(rank int, reverse bool, offset, limit int, inRange func(m []byte, s float64) bool, fn Visitor) int {
	if reverse {
		rank -= offset
	} else {
		rank += offset
	}
	n := 0
	for c := z.cursorAt(rank, reverse); c.valid() && n != limit; c.step() {
		m, s := c.get()
		if !inRange(m, s) {
			break
		}
		n++
		if !fn(m, s) {
			break
		}
	}
	return n
}

// scoreRangeStart returns the rank of the first member in r (the last when
// reverse).
func (z *ZSet) scoreRangeStart(r *ScoreRange, reverse bool) (int, bool) {
	if z.big == nil {
		var off, rank int
		if reverse {
			off, rank = z.p.lastInScoreRange(r)
		} else {
			off, rank = z.p.firstInScoreRange(r)
		}
		return rank, off >= 0
	}
	t := &z.big.tree
	if r.empty() || t.size == 0 {
		return 0, false
	}
	if reverse {
		p, rank := t.lowerBound(func(it item) bool { return !r.lteMax(it.score) })
		p, rank = p.prevOr(t), rank-1
		if !p.valid() || !r.gteMin(p.item().score) {
			return 0, false
		}
		return rank, true
	}
	p, rank := t.lowerBound(func(it item) bool { return r.gteMin(it.score) })
	if !p.valid() || !r.lteMax(p.item().score) {
		return 0, false
	}
	return rank, true
}

// prevOr steps back from p; from past the end it goes to the last item.
func (p pos) prevOr(t *tree) pos {
	if !p.valid() {
		return t.last()
	}
	return p.prev()
}

// RangeByLex is RangeByScore for a lexicographic range. Like Redis, it
// assumes all members in range share a score; when they do not, a compact
// set answers as Redis's listpack scan does.
func (z *ZSet) RangeByLex(r *LexRange, reverse bool, offset, limit int, fn Visitor) int {
	if offset < 0 || limit == 0 {
		return 0
	}
	rank, ok := z.lexRangeStart(r, reverse)
	if !ok {
		return 0
	}
	end := r.lteMax
	if reverse {
		end = r.gteMin
	}
	return z.walkRange(rank, reverse, offset, limit, func(m []byte, _ float64) bool { return end(m) }, fn)
}

func (z *ZSet) lexRangeStart(r *LexRange, reverse bool) (int, bool) {
	if z.big == nil {
		var off, rank int
		if reverse {
			off, rank = z.p.lastInLexRange(r)
		} else {
			off, rank = z.p.firstInLexRange(r)
		}
		return rank, off >= 0
	}
	t := &z.big.tree
	if r.empty() || t.size == 0 {
		return 0, false
	}
	if reverse {
		p, rank := t.lowerBound(func(it item) bool { return !r.lteMax(stringBytes(it.member)) })
		p, rank = p.prevOr(t), rank-1
		if !p.valid() || !r.gteMin(stringBytes(p.item().member)) {
			return 0, false
		}
		return rank, true
	}
	p, rank := t.lowerBound(func(it item) bool { return r.gteMin(stringBytes(it.member)) })
	if !p.valid() || !r.lteMax(stringBytes(p.item().member)) {
		return 0, false
	}
	return rank, true
}

// scoreRangeRanks returns the ranks [first, end) of the members in r.
func (z *ZSet) scoreRangeRanks(r *ScoreRange) (first, end int) {
	first, ok := z.scoreRangeStart(r, false)
	if !ok {
		return 0, 0
	}
	if z.big == nil {
		// zzlDeleteRangeByScore and ZCOUNT walk on from the first member
		// while the score is in range.
		end = first
		c := z.cursorAt(first, false)
		c.walk(-1, func(_ []byte, s float64) bool {
			if !r.lteMax(s) {
				return false
			}
			end++
			return true
		})
		return first, end
	}
	_, end = z.big.tree.lowerBound(func(it item) bool { return !r.lteMax(it.score) })
	return first, end
}

// lexRangeRanks returns the ranks [first, end) of the members in r.
func (z *ZSet) lexRangeRanks(r *LexRange) (first, end int) {
	first, ok := z.lexRangeStart(r, false)
	if !ok {
		return 0, 0
	}
	if z.big == nil {
		end = first
		c := z.cursorAt(first, false)
		c.walk(-1, func(m []byte, _ float64) bool {
			if !r.lteMax(m) {
				return false
			}
			end++
			return true
		})
		return first, end
	}
	_, end = z.big.tree.lowerBound(func(it item) bool { return !r.lteMax(stringBytes(it.member)) })
	return first, max(end, first)
}

// CountByScore returns how many members have a score in r (ZCOUNT).
func (z *ZSet) CountByScore(r *ScoreRange) int {
	first, end := z.scoreRangeRanks(r)
	return end - first
}

// CountByLex returns how many members are in r (ZLEXCOUNT).
func (z *ZSet) CountByLex(r *LexRange) int {
	first, end := z.lexRangeRanks(r)
	return end - first
}

// RemoveRangeByRank deletes the members with ranks start..end (inclusive,
// 0 <= start <= end < Len) and returns how many it deleted.
func (z *ZSet) RemoveRangeByRank(start, end int) int {
	if start < 0 || end >= z.Len() || start > end {
		return 0
	}
	n := end - start + 1
	if z.big == nil {
		off := z.p.seek(start)
		stop := off
		for i := 0; i < n; i++ {
			_, _, stop = z.p.entry(stop)
		}
		z.p.deleteRange(off, stop, n)
		return n
	}
	for i := 0; i < n; i++ {
		it := z.big.tree.deleteAt(start)
		z.big.dict.DeleteString(it.member)
	}
	return n
}

// RemoveRangeByScore deletes the members with a score in r.
func (z *ZSet) RemoveRangeByScore(r *ScoreRange) int {
	first, end := z.scoreRangeRanks(r)
	return z.RemoveRangeByRank(first, end-1)
}

// RemoveRangeByLex deletes the members in r.
func (z *ZSet) RemoveRangeByLex(r *LexRange) int {
	first, end := z.lexRangeRanks(r)
	return z.RemoveRangeByRank(first, end-1)
}

// Pop removes and returns the member with the lowest score (the highest
// when max); ok is false when the set is empty.
func (z *ZSet) Pop(max bool) (member string, score float64, ok bool) {
	n := z.Len()
	if n == 0 {
		return "", 0, false
	}
	if z.big != nil {
		rank := 0
		if max {
			rank = n - 1
		}
		it := z.big.tree.deleteAt(rank)
		z.big.dict.DeleteString(it.member)
		return it.member, it.score, true
	}
	off := 0
	if max {
		off = z.p.last()
	}
	m, s, _ := z.p.entry(off)
	member = string(m)
	z.p.deleteAt(off)
	return member, s, true
}

// Random returns a member picked uniformly at random (fairly, as Redis's
// dictGetFairRandomKey, in the big encoding); the set must not be empty.
func (z *ZSet) Random(rnd func() uint64) (member []byte, score float64) {
	if z.big != nil {
		k, s, _ := z.big.dict.RandomEntry(rnd)
		return stringBytes(k), s
	}
	m, s, _ := z.p.entry(z.p.seek(int(rnd() % uint64(z.p.n))))
	return m, s
}

// RandomDistinct calls fn for count distinct members picked at random
// (0 < count < Len), as ZRANDMEMBER with a positive count does: a compact
// set yields them in order (lpRandomPairsUnique); a big set close in size to
// count yields what is left after deleting random members from a copy, a
// much bigger one yields random picks as they come.
func (z *ZSet) RandomDistinct(count int, rnd func() uint64, fn Visitor) {
	n := z.Len()
	if z.big == nil {
		// Selection sampling: each member is taken with probability
		// (still needed) / (still unseen).
		need := count
		i := 0
		for off := 0; off < len(z.p.buf) && need > 0; i++ {
			m, s, next := z.p.entry(off)
			if rnd()%uint64(n-i) < uint64(need) {
				need--
				if !fn(m, s) {
					return
				}
			}
			off = next
		}
		return
	}
	if count*3 > n {
		members := make([]string, 0, n)
		z.big.dict.Range(func(k string, _ float64) bool {
			members = append(members, k)
			return true
		})
		for len(members) > count {
			i := rnd() % uint64(len(members))
			members[i] = members[len(members)-1]
			members = members[:len(members)-1]
		}
		for _, k := range members {
			s, _ := z.big.dict.GetString(k)
			if !fn(stringBytes(k), s) {
				return
			}
		}
		return
	}
	seen := make(map[string]struct{}, count)
	for len(seen) < count {
		k, s, _ := z.big.dict.RandomEntry(rnd)
		if _, dup := seen[k]; dup {
			continue
		}
		seen[k] = struct{}{}
		if !fn(stringBytes(k), s) {
			return
		}
	}
}

// Scan is ZSCAN's step for a big set: it calls fn for the members of one or
// more hash buckets from cursor on and returns the next cursor (0: done),
// with the guarantees of dict.Scan. A compact set has no cursor: it calls fn
// for every member and returns 0.
func (z *ZSet) Scan(cursor uint64, fn func(member []byte, score float64)) uint64 {
	if z.big != nil {
		return z.big.dict.Scan(cursor, func(k string, s float64) { fn(stringBytes(k), s) })
	}
	z.Ascend(func(m []byte, s float64) bool {
		fn(m, s)
		return true
	})
	return 0
}

// Clone returns a deep copy of the set in the same encoding (COPY).
func (z *ZSet) Clone() any {
	out := &ZSet{}
	if z.big == nil {
		out.p = packed{buf: append([]byte(nil), z.p.buf...), n: z.p.n}
		return out
	}
	b := &bigSet{dict: dict.New[float64](z.big.dict.Len()), tree: z.big.tree.clone()}
	// The copy's dict must share the member strings of the copy's tree;
	// they are the same immutable strings as the original's.
	z.big.dict.Range(func(k string, s float64) bool {
		b.dict.Set(k, s)
		return true
	})
	out.big = b
	return out
}

// MemoryBytes estimates the bytes z takes, in O(1) (the keyspace's memory
// accounting calls it on every write): the compact buffer, or the member
// dict (which counts the member strings) plus the tree's score and member
// slots and node overhead, about 32 bytes a member.
func (z *ZSet) MemoryBytes() int {
	if z.big == nil {
		return dict.AllocSize(cap(z.p.buf)) + 32
	}
	return z.big.dict.MemoryUsage() + 32*z.big.tree.size + 64
}
