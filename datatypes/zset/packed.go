package zset

// The compact encoding: members and scores in order, packed into one byte
// slice. Each entry is
//
//	uvarint(len) | member | score (8 bytes, little endian) | uvarint(len) reversed
//
// The trailing copy of the length, written backwards, lets a scan step from
// the end of an entry to its start, so the set can be walked from either end
// (ZREVRANGE, ZPOPMAX) as a listpack is. A member under 128 bytes costs ten
// bytes of overhead. Scores are stored as float64 bits; a zero score is
// stored as +0, because Redis stores an integral score in a listpack as an
// integer and so loses the sign of zero.

import (
	"bytes"
	"encoding/binary"
	"math"
)

type packed struct {
	buf []byte
	n   int // number of entries
}

// compareBytes orders members: plain byte order, like Redis's memcmp-based
// comparison.
func compareBytes(a, b []byte) int { return bytes.Compare(a, b) }

// compactScore is the score the compact form keeps for v.
func compactScore(v float64) float64 {
	if v == 0 {
		return 0 // drop the sign of -0, as the listpack's integer 0 does
	}
	return v
}

// entry decodes the entry starting at off and returns the offset of the next.
func (p *packed) entry(off int) (member []byte, score float64, next int) {
	l, k := binary.Uvarint(p.buf[off:])
	m := off + k
	s := m + int(l)
	member = p.buf[m:s:s]
	score = math.Float64frombits(binary.LittleEndian.Uint64(p.buf[s:]))
	return member, score, s + 8 + k
}

// scoreAt returns the score of the entry starting at off.
func (p *packed) scoreAt(off int) float64 {
	l, k := binary.Uvarint(p.buf[off:])
	return math.Float64frombits(binary.LittleEndian.Uint64(p.buf[off+k+int(l):]))
}

// prev returns the start of the entry that ends at end (end > 0).
func (p *packed) prev(end int) int {
	var l uint64
	var shift uint
	i := end - 1
	for {
		b := p.buf[i]
		l |= uint64(b&0x7f) << shift
		i--
		if b < 0x80 {
			break
		}
		shift += 7
	}
	k := end - 1 - i
	return end - 2*k - int(l) - 8
}

// last returns the start of the last entry, or -1 when empty.
func (p *packed) last() int {
	if p.n == 0 {
		return -1
	}
	return p.prev(len(p.buf))
}

func uvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

func entrySize(memberLen int) int {
	return 2*uvarintLen(uint64(memberLen)) + memberLen + 8
}

// putEntry writes an entry at dst, which must be entrySize(len(member)) long.
func putEntry(dst, member []byte, score float64) {
	k := binary.PutUvarint(dst, uint64(len(member)))
	copy(dst[k:], member)
	s := k + len(member)
	binary.LittleEndian.PutUint64(dst[s:], math.Float64bits(score))
	// The trailing length: the same varint bytes in reverse order.
	end := len(dst)
	for i := 0; i < k; i++ {
		dst[end-1-i] = dst[i]
	}
}

// find returns the offset and score of member's entry.
func (p *packed) find(member []byte) (off int, score float64, ok bool) {
	for off = 0; off < len(p.buf); {
		m, s, next := p.entry(off)
		if bytes.Equal(m, member) {
			return off, s, true
		}
		off = next
	}
	return -1, 0, false
}

// insertOffset returns where (score, member) belongs: before the first entry
// that orders after it.
func (p *packed) insertOffset(member []byte, score float64) int {
	// Members arriving in order (a set loaded from a dump, a ZRANGESTORE)
	// go at the end without a scan.
	if last := p.last(); last >= 0 {
		m, s, _ := p.entry(last)
		if s < score || (s == score && compareBytes(m, member) < 0) {
			return len(p.buf)
		}
	}
	off := 0
	for off < len(p.buf) {
		m, s, next := p.entry(off)
		if s > score || (s == score && compareBytes(m, member) > 0) {
			return off
		}
		off = next
	}
	return off
}

// insert adds an entry for a member known to be absent.
func (p *packed) insert(member []byte, score float64) {
	score = compactScore(score)
	off := p.insertOffset(member, score)
	size := entrySize(len(member))
	old := len(p.buf)
	if cap(p.buf)-old < size {
		grown := make([]byte, old, growCap(old+size))
		copy(grown, p.buf)
		p.buf = grown
	}
	p.buf = p.buf[:old+size]
	copy(p.buf[off+size:], p.buf[off:old])
	putEntry(p.buf[off:off+size], member, score)
	p.n++
}

// growCap picks a capacity for a buffer that must hold need bytes: doubling
// while small, then a quarter more, so a set built one ZADD at a time does
// not reallocate at every member.
func growCap(need int) int {
	if need < 256 {
		return max(need*2, 32)
	}
	return need + need/4
}

// deleteRange removes the entries in [off, end), count of them.
func (p *packed) deleteRange(off, end, count int) {
	p.buf = append(p.buf[:off], p.buf[end:]...)
	p.n -= count
	p.shrink()
}

// deleteAt removes the entry starting at off.
func (p *packed) deleteAt(off int) {
	_, _, next := p.entry(off)
	p.deleteRange(off, next, 1)
}

// shrink gives memory back when the buffer is mostly unused.
func (p *packed) shrink() {
	if cap(p.buf) > 64 && len(p.buf) < cap(p.buf)/4 {
		p.buf = append(make([]byte, 0, growCap(len(p.buf))), p.buf...)
	}
}

// seek returns the start of the entry at rank (0 <= rank < n), walking from
// the nearer end.
func (p *packed) seek(rank int) int {
	if rank <= p.n/2 {
		off := 0
		for ; rank > 0; rank-- {
			_, _, off = p.entry(off)
		}
		return off
	}
	off := len(p.buf)
	for i := p.n; i > rank; i-- {
		off = p.prev(off)
	}
	return off
}

// firstInScoreRange is zzlFirstInRange: the first entry with score in r, or
// -1 (with its rank).
func (p *packed) firstInScoreRange(r *ScoreRange) (off, rank int) {
	if !p.inScoreRange(r) {
		return -1, 0
	}
	for off = 0; off < len(p.buf); rank++ {
		s := p.scoreAt(off)
		if r.gteMin(s) {
			if !r.lteMax(s) {
				return -1, 0
			}
			return off, rank
		}
		_, _, off = p.entry(off)
	}
	return -1, 0
}

// lastInScoreRange is zzlLastInRange: the last entry with score in r, or -1
// (with its rank).
func (p *packed) lastInScoreRange(r *ScoreRange) (off, rank int) {
	if !p.inScoreRange(r) {
		return -1, 0
	}
	rank = p.n - 1
	for end := len(p.buf); end > 0; rank-- {
		off = p.prev(end)
		s := p.scoreAt(off)
		if r.lteMax(s) {
			if !r.gteMin(s) {
				return -1, 0
			}
			return off, rank
		}
		end = off
	}
	return -1, 0
}

// inScoreRange is zzlIsInRange: whether any part of the set can be in r.
func (p *packed) inScoreRange(r *ScoreRange) bool {
	if r.empty() || p.n == 0 {
		return false
	}
	return r.gteMin(p.scoreAt(p.last())) && r.lteMax(p.scoreAt(0))
}

// inLexRange is zzlIsInLexRange.
func (p *packed) inLexRange(r *LexRange) bool {
	if r.empty() || p.n == 0 {
		return false
	}
	last, _, _ := p.entry(p.last())
	first, _, _ := p.entry(0)
	return r.gteMin(last) && r.lteMax(first)
}

// firstInLexRange is zzlFirstInLexRange: a scan from the head for the first
// member >= min, which must also be <= max. When scores differ the members
// are not in lexicographic order and this scan is what defines the answer.
func (p *packed) firstInLexRange(r *LexRange) (off, rank int) {
	if !p.inLexRange(r) {
		return -1, 0
	}
	for off = 0; off < len(p.buf); rank++ {
		m, _, next := p.entry(off)
		if r.gteMin(m) {
			if !r.lteMax(m) {
				return -1, 0
			}
			return off, rank
		}
		off = next
	}
	return -1, 0
}

// lastInLexRange is zzlLastInLexRange: a scan from the tail for the first
// member <= max, which must also be >= min.
func (p *packed) lastInLexRange(r *LexRange) (off, rank int) {
	if !p.inLexRange(r) {
		return -1, 0
	}
	rank = p.n - 1
	for end := len(p.buf); end > 0; rank-- {
		off = p.prev(end)
		m, _, _ := p.entry(off)
		if r.lteMax(m) {
			if !r.gteMin(m) {
				return -1, 0
			}
			return off, rank
		}
		end = off
	}
	return -1, 0
}
