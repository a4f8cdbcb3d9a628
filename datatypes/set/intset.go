package set

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// intset is Redis's intset blob: encoding (uint32 LE: 2, 4 or 8), length
// (uint32 LE), then length members of encoding bytes each, little endian,
// strictly ascending. The width only grows (an add that does not fit widens
// every member); removing members never narrows it, as in Redis, so a set's
// bytes depend on its history exactly as they do there.
type intset []byte

const intsetHeader = 8

// zeroMember is room for one member, appended before an insert shifts the tail.
var zeroMember [encInt64]byte

// Widths of the three intset encodings (INTSET_ENC_INT16/32/64).
const (
	encInt16 = 2
	encInt32 = 4
	encInt64 = 8
)

func newIntset() intset {
	is := make(intset, intsetHeader, intsetHeader+4*encInt16)
	binary.LittleEndian.PutUint32(is, encInt16)
	return is
}

// widthFor is the narrowest encoding that holds v (_intsetValueEncoding).
func widthFor(v int64) int {
	switch {
	case v < math.MinInt32 || v > math.MaxInt32:
		return encInt64
	case v < math.MinInt16 || v > math.MaxInt16:
		return encInt32
	}
	return encInt16
}

func (is intset) width() int { return int(binary.LittleEndian.Uint32(is)) }
func (is intset) len() int   { return int(binary.LittleEndian.Uint32(is[4:])) }

func (is intset) setLen(n int) { binary.LittleEndian.PutUint32(is[4:], uint32(n)) }

// getW reads member i at width w.
func (is intset) getW(i, w int) int64 {
	p := is[intsetHeader+i*w:]
	switch w {
	case encInt16:
		return int64(int16(binary.LittleEndian.Uint16(p)))
	case encInt32:
		return int64(int32(binary.LittleEndian.Uint32(p)))
	}
	return int64(binary.LittleEndian.Uint64(p))
}

func (is intset) get(i int) int64 { return is.getW(i, is.width()) }

// setW writes member i at width w (v must fit).
func (is intset) setW(i, w int, v int64) {
	p := is[intsetHeader+i*w:]
	switch w {
	case encInt16:
		binary.LittleEndian.PutUint16(p, uint16(v))
	case encInt32:
		binary.LittleEndian.PutUint32(p, uint32(v))
	default:
		binary.LittleEndian.PutUint64(p, uint64(v))
	}
}

// search returns v's position, or where it would be inserted.
func (is intset) search(v int64) (int, bool) {
	w := is.width()
	lo, hi := 0, is.len()
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch m := is.getW(mid, w); {
		case m < v:
			lo = mid + 1
		case m > v:
			hi = mid
		default:
			return mid, true
		}
	}
	return lo, false
}

func (is intset) contains(v int64) bool {
	if widthFor(v) > is.width() {
		return false
	}
	_, ok := is.search(v)
	return ok
}

// add inserts v and reports whether it was absent.
func (is intset) add(v int64) (intset, bool) {
	w, n := is.width(), is.len()
	if nw := widthFor(v); nw > w {
		return is.upgradeAndAdd(v, nw), true
	}
	pos, found := is.search(v)
	if found {
		return is, false
	}
	is = append(is, zeroMember[:w]...)
	start := intsetHeader + pos*w
	copy(is[start+w:], is[start:intsetHeader+n*w])
	is.setW(pos, w, v)
	is.setLen(n + 1)
	return is, true
}

// upgradeAndAdd widens every member to nw and adds v, which does not fit the
// old width and so is below or above every member.
func (is intset) upgradeAndAdd(v int64, nw int) intset {
	w, n := is.width(), is.len()
	out := make(intset, intsetHeader+(n+1)*nw)
	binary.LittleEndian.PutUint32(out, uint32(nw))
	out.setLen(n + 1)
	shift := 0
	if v < 0 {
		shift = 1
		out.setW(0, nw, v)
	} else {
		out.setW(n, nw, v)
	}
	for i := 0; i < n; i++ {
		out.setW(i+shift, nw, is.getW(i, w))
	}
	return out
}

// remove deletes v and reports whether it was present.
func (is intset) remove(v int64) (intset, bool) {
	if widthFor(v) > is.width() {
		return is, false
	}
	pos, found := is.search(v)
	if !found {
		return is, false
	}
	w, n := is.width(), is.len()
	start := intsetHeader + pos*w
	copy(is[start:], is[start+w:intsetHeader+n*w])
	is = is[:intsetHeader+(n-1)*w]
	is.setLen(n - 1)
	return is, true
}

// Errors from ValidateIntset.
var errBadIntset = errors.New("set: malformed intset")

// validateIntset checks a blob read from outside as Redis's
// intsetValidateIntegrity does with deep checking: a known encoding, a
// length that matches the size, members strictly ascending. (Redis checks the
// order only with sanitize-dump-payload; Vireo always does, since its
// lookups rely on it.)
func validateIntset(b []byte) error {
	if len(b) < intsetHeader {
		return fmt.Errorf("%w: %d bytes, shorter than the header", errBadIntset, len(b))
	}
	is := intset(b)
	w := is.width()
	if w != encInt16 && w != encInt32 && w != encInt64 {
		return fmt.Errorf("%w: encoding %d", errBadIntset, w)
	}
	n := uint64(binary.LittleEndian.Uint32(b[4:]))
	if uint64(len(b)-intsetHeader) != n*uint64(w) {
		return fmt.Errorf("%w: %d members of %d bytes in %d bytes", errBadIntset, n, w, len(b)-intsetHeader)
	}
	for i := 1; i < int(n); i++ {
		if is.getW(i-1, w) >= is.getW(i, w) {
			return fmt.Errorf("%w: members not strictly ascending at %d", errBadIntset, i)
		}
	}
	return nil
}
