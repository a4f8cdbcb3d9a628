package hash

// The compact encoding. Pairs are stored back to back in one byte slice
// after a 4-byte pair count (little endian):
//
//	<count uint32><uvarint len><field bytes><uvarint len><value bytes> ...
//
// in insertion order. An empty hash has no slice at all. Keeping the count in
// the buffer rather than in Hash keeps Hash at 32 bytes, the smallest
// allocation class that holds it: a session store has millions of small
// hashes. A lookup is a linear walk, as in Redis's listpack; with
// at most hash-max-listpack-entries pairs (128 by default) of short strings
// the walk stays inside a few cache lines, and comparing lengths first skips
// most fields without touching their bytes.

import (
	"encoding/binary"
	"slices"
)

// compactHeader is the size of the pair count in front of the pairs.
const compactHeader = 4

// compactSizeHint is the bytes pairs pairs of dataBytes bytes in all take:
// one length byte per string is exact for strings under 128 bytes, which is
// what the compact encoding holds with the default limits.
func compactSizeHint(pairs, dataBytes int) int { return 2*pairs + dataBytes }

// compactLen is the number of pairs.
func (h *Hash) compactLen() int {
	if len(h.compact) < compactHeader {
		return 0
	}
	return int(binary.LittleEndian.Uint32(h.compact))
}

// setCompactLen stores the number of pairs; the header must exist.
func (h *Hash) setCompactLen(n int) { binary.LittleEndian.PutUint32(h.compact, uint32(n)) }

// uvarintLen is the size of n as a uvarint.
func uvarintLen(n int) int {
	size := 1
	for ; n >= 0x80; n >>= 7 {
		size++
	}
	return size
}

// readString returns the string at off and the offset after it. The result
// is capped at its length so that an append by the caller cannot write into
// the encoding.
func readString(b []byte, off int) (s []byte, next int) {
	n := int(b[off])
	if n < 0x80 {
		off++
	} else {
		v, size := binary.Uvarint(b[off:])
		n = int(v)
		off += size
	}
	return b[off : off+n : off+n], off + n
}

// appendString appends s in the encoding's form.
func appendString(dst, s []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// compactFind locates field: the offsets of its pair, of its value and of
// the end of the pair.
func (h *Hash) compactFind(field []byte) (pair, val, end int, ok bool) {
	b := h.compact
	for off := compactHeader; off < len(b); {
		f, v := readString(b, off)
		_, next := readString(b, v)
		if string(f) == string(field) {
			return off, v, next, true
		}
		off = next
	}
	return 0, 0, 0, false
}

// compactSet stores value under field and reports whether field is new: an
// existing field keeps its place, a new one goes to the end.
func (h *Hash) compactSet(field, value []byte) (created bool) {
	if _, val, end, ok := h.compactFind(field); ok {
		h.compactReplace(val, end, value)
		return false
	}
	n := h.compactLen()
	grow := compactSizeHint(1, len(field)+len(value))
	if len(h.compact) == 0 {
		h.compact = slices.Grow(h.compact, compactHeader+grow)[:compactHeader]
	} else {
		h.compact = slices.Grow(h.compact, grow)
	}
	h.compact = appendString(h.compact, field)
	h.compact = appendString(h.compact, value)
	h.setCompactLen(n + 1)
	return true
}

// compactReplace replaces the string at [start, end) with value, moving what
// follows.
func (h *Hash) compactReplace(start, end int, value []byte) {
	size := uvarintLen(len(value)) + len(value)
	switch old := end - start; {
	case size > old:
		grow := size - old
		tail := len(h.compact)
		h.compact = slices.Grow(h.compact, grow)[:tail+grow]
		copy(h.compact[end+grow:], h.compact[end:tail])
	case size < old:
		shrink := old - size
		copy(h.compact[end-shrink:], h.compact[end:])
		h.compact = h.compact[:len(h.compact)-shrink]
	}
	n := binary.PutUvarint(h.compact[start:], uint64(len(value)))
	copy(h.compact[start+n:], value)
}

// compactDelete removes field's pair and reports whether it was present.
// The buffer is reallocated when it is mostly empty, so a hash that shrank
// does not keep its peak size.
func (h *Hash) compactDelete(field []byte) bool {
	pair, _, end, ok := h.compactFind(field)
	if !ok {
		return false
	}
	n := h.compactLen() - 1
	h.compact = append(h.compact[:pair], h.compact[end:]...)
	h.setCompactLen(n)
	switch c := cap(h.compact); {
	case n == 0:
		h.compact = nil
	case c > 64 && len(h.compact) < c/4:
		h.compact = append(make([]byte, 0, len(h.compact)), h.compact...)
	}
	return true
}

// compactRange calls fn for every pair in order until fn returns false.
func (h *Hash) compactRange(fn func(field, value []byte) bool) {
	b := h.compact
	for off := compactHeader; off < len(b); {
		f, v := readString(b, off)
		val, next := readString(b, v)
		if !fn(f, val) {
			return
		}
		off = next
	}
}

// compactOffsets returns the offset of every pair, for random access.
func (h *Hash) compactOffsets() []int32 {
	offs := make([]int32, 0, h.compactLen())
	b := h.compact
	for off := compactHeader; off < len(b); {
		offs = append(offs, int32(off))
		_, v := readString(b, off)
		_, off = readString(b, v)
	}
	return offs
}

// compactPairAt returns the pair at offset off.
func (h *Hash) compactPairAt(off int) (field, value []byte) {
	field, v := readString(h.compact, off)
	value, _ = readString(h.compact, v)
	return field, value
}
