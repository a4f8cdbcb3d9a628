package rdb

// The sorted set codec. Vireo writes what Redis 7.0 writes:
//
//   - a compact set as RDB_TYPE_ZSET_LISTPACK (17): Redis's listpack bytes,
//     member then score for each member in order, as one RDB string. The
//     bytes are rebuilt from the set (Vireo's compact form is not a
//     listpack) exactly as Redis lays them out: members that read as
//     integers and integral scores within ±2^62 in integer encodings, other
//     scores as d2string text;
//   - a big set as RDB_TYPE_ZSET_2 (5): the length, then member and 8-byte
//     little-endian double for each member from the greatest to the
//     smallest, as Redis walks its skiplist backwards.
//
// Both orders are fixed by the set's contents, so a DUMP equals Redis's
// byte for byte. It reads those two and the older forms Redis 7 still
// loads: RDB_TYPE_ZSET_ZIPLIST (12) and RDB_TYPE_ZSET (3, scores as text).
// Input may be hostile: every length is checked against the bytes present,
// a listpack or ziplist is walked in full (header, each entry's encoding and
// back-length, the terminator), a member seen twice or a NaN score is an
// error, and an empty set is refused as Redis refuses it.
//
// The decoded set takes the encoding Redis would give it on load: a
// listpack or ziplist stays compact unless it has more members than
// zset-max-listpack-entries; a ZSET/ZSET_2 becomes compact when it has few
// enough members, all short enough.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/num"
	"github.com/vireodb/vireo/datatypes/zset"
)

func init() {
	Register(keyspace.TypeZSet, encodeZSet, decodeZSet,
		TypeZSet, TypeZSet2, TypeZSetZiplist, TypeZSetListpack)
}

func encodeZSet(e *keyspace.Entry, dst []byte, compress bool) (byte, []byte, error) {
	z, ok := e.Obj.(*zset.ZSet)
	if !ok {
		return 0, dst, fmt.Errorf("rdb: sorted set value is a %T", e.Obj)
	}
	if z.IsCompact() {
		return TypeZSetListpack, AppendString(dst, ZSetListpack(z), compress), nil
	}
	dst = AppendLen(dst, uint64(z.Len()))
	z.Descend(func(member []byte, score float64) bool {
		dst = AppendString(dst, member, compress)
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(score))
		return true
	})
	return TypeZSet2, dst, nil
}

// ZSetListpack returns the listpack Redis would hold for z: the blob of an
// RDB_TYPE_ZSET_LISTPACK value.
func ZSetListpack(z *zset.ZSet) []byte {
	lp := make([]byte, zsetLPHeaderSize, zsetLPHeaderSize+16*z.Len()+1)
	n := 0
	var scoreText [32]byte
	z.Ascend(func(member []byte, score float64) bool {
		if v, ok := num.ParseInt(member); ok {
			lp = zsetLPAppendInt(lp, v)
		} else {
			lp = zsetLPAppendString(lp, member)
		}
		if v, ok := zset.ListpackInt(score); ok {
			lp = zsetLPAppendInt(lp, v)
		} else {
			lp = zsetLPAppendString(lp, zset.AppendScoreString(scoreText[:0], score))
		}
		n += 2
		return true
	})
	lp = append(lp, zsetLPEnd)
	binary.LittleEndian.PutUint32(lp, uint32(len(lp)))
	binary.LittleEndian.PutUint16(lp[4:], uint16(min(n, zsetLPNumUnknown)))
	return lp
}

// Listpack layout (Redis's listpack.c): a 4-byte total size, a 2-byte
// element count (65535: too many to say), the entries, and 0xFF. Each entry
// is an encoding byte with its data, then its own length (encoding + data)
// as a back-length readable from the right.
const (
	zsetLPHeaderSize = 6
	zsetLPEnd        = 0xFF
	zsetLPNumUnknown = 65535
)

// zsetLPAppendInt appends v in the smallest listpack integer encoding.
func zsetLPAppendInt(lp []byte, v int64) []byte {
	start := len(lp)
	switch {
	case v >= 0 && v <= 127:
		lp = append(lp, byte(v))
	case v >= -4096 && v <= 4095:
		u := uint64(v) & (1<<13 - 1)
		lp = append(lp, 0xC0|byte(u>>8), byte(u))
	case v >= -32768 && v <= 32767:
		lp = append(lp, 0xF1, byte(v), byte(v>>8))
	case v >= -8388608 && v <= 8388607:
		lp = append(lp, 0xF2, byte(v), byte(v>>8), byte(v>>16))
	case v >= math.MinInt32 && v <= math.MaxInt32:
		lp = append(lp, 0xF3)
		lp = binary.LittleEndian.AppendUint32(lp, uint32(v))
	default:
		lp = append(lp, 0xF4)
		lp = binary.LittleEndian.AppendUint64(lp, uint64(v))
	}
	return zsetLPAppendBacklen(lp, len(lp)-start)
}

// zsetLPAppendString appends s as a listpack string entry.
func zsetLPAppendString(lp, s []byte) []byte {
	start := len(lp)
	switch n := len(s); {
	case n < 64:
		lp = append(lp, 0x80|byte(n))
	case n < 4096:
		lp = append(lp, 0xE0|byte(n>>8), byte(n))
	default:
		lp = append(lp, 0xF0)
		lp = binary.LittleEndian.AppendUint32(lp, uint32(n))
	}
	lp = append(lp, s...)
	return zsetLPAppendBacklen(lp, len(lp)-start)
}

// zsetLPAppendBacklen appends l as lpEncodeBacklen does: 7 bits per byte,
// most significant first, every byte but the first flagged with 0x80.
func zsetLPAppendBacklen(lp []byte, l int) []byte {
	switch {
	case l <= 127:
		return append(lp, byte(l))
	case l < 16383:
		return append(lp, byte(l>>7), byte(l&127)|128)
	case l < 2097151:
		return append(lp, byte(l>>14), byte((l>>7)&127)|128, byte(l&127)|128)
	case l < 268435455:
		return append(lp, byte(l>>21), byte((l>>14)&127)|128, byte((l>>7)&127)|128, byte(l&127)|128)
	}
	return append(lp, byte(l>>28), byte((l>>21)&127)|128, byte((l>>14)&127)|128, byte((l>>7)&127)|128, byte(l&127)|128)
}

// zsetLPBacklenSize is the size of the back-length of an entry of l bytes.
func zsetLPBacklenSize(l int) int {
	switch {
	case l <= 127:
		return 1
	case l < 16383:
		return 2
	case l < 2097151:
		return 3
	case l < 268435455:
		return 4
	}
	return 5
}

// zsetElem is one listpack or ziplist element: a string, or an integer
// when str is nil.
type zsetElem struct {
	str   []byte
	ival  int64
	isInt bool
}

func (e zsetElem) bytes() []byte {
	if e.isInt {
		return strconv.AppendInt(nil, e.ival, 10)
	}
	return e.str
}

// score reads the element as a score: integers as they are, text as strtod
// would (zzlGetScore); NaN and text that is not a number are errors.
func (e zsetElem) score() (float64, error) {
	if e.isInt {
		return float64(e.ival), nil
	}
	v, ok := zset.ParseScore(e.str)
	if !ok {
		return 0, fmt.Errorf("%w: sorted set score %q is not a number", ErrBadFormat, e.str)
	}
	return v, nil
}

// zsetParseListpack walks a listpack in full and returns its elements.
func zsetParseListpack(lp []byte) ([]zsetElem, error) {
	bad := func(what string) error { return fmt.Errorf("%w: listpack: %s", ErrBadFormat, what) }
	if len(lp) < zsetLPHeaderSize+1 {
		return nil, bad("shorter than its header")
	}
	if int(binary.LittleEndian.Uint32(lp)) != len(lp) {
		return nil, bad("total size does not match")
	}
	if lp[len(lp)-1] != zsetLPEnd {
		return nil, bad("no terminator")
	}
	count := int(binary.LittleEndian.Uint16(lp[4:]))
	var elems []zsetElem
	p := zsetLPHeaderSize
	for {
		if p >= len(lp) {
			return nil, bad("runs past its end")
		}
		b := lp[p]
		if b == zsetLPEnd {
			break
		}
		var e zsetElem
		var size int // encoding byte(s) and data
		rest := lp[p:]
		need := func(n int) bool { return len(rest) >= n }
		switch {
		case b&0x80 == 0: // 7-bit unsigned
			e, size = zsetElem{ival: int64(b), isInt: true}, 1
		case b&0xC0 == 0x80: // 6-bit string length
			n := int(b & 0x3F)
			if !need(1 + n) {
				return nil, bad("string runs past the end")
			}
			e, size = zsetElem{str: rest[1 : 1+n]}, 1+n
		case b&0xE0 == 0xC0: // 13-bit signed
			if !need(2) {
				return nil, bad("integer runs past the end")
			}
			u := int64(b&0x1F)<<8 | int64(rest[1])
			if u >= 1<<12 {
				u -= 1 << 13
			}
			e, size = zsetElem{ival: u, isInt: true}, 2
		case b&0xF0 == 0xE0: // 12-bit string length
			if !need(2) {
				return nil, bad("string runs past the end")
			}
			n := int(b&0x0F)<<8 | int(rest[1])
			if !need(2 + n) {
				return nil, bad("string runs past the end")
			}
			e, size = zsetElem{str: rest[2 : 2+n]}, 2+n
		case b == 0xF0: // 32-bit string length
			if !need(5) {
				return nil, bad("string runs past the end")
			}
			n := uint64(binary.LittleEndian.Uint32(rest[1:]))
			if uint64(len(rest)) < 5+n {
				return nil, bad("string runs past the end")
			}
			e, size = zsetElem{str: rest[5 : 5+n]}, 5+int(n)
		case b >= 0xF1 && b <= 0xF4: // 16, 24, 32, 64-bit signed
			width := [...]int{2, 3, 4, 8}[b-0xF1]
			if !need(1 + width) {
				return nil, bad("integer runs past the end")
			}
			var u uint64
			for i := width; i >= 1; i-- {
				u = u<<8 | uint64(rest[i])
			}
			shift := uint(64 - 8*width)
			e, size = zsetElem{ival: int64(u<<shift) >> shift, isInt: true}, 1+width
		default:
			return nil, bad(fmt.Sprintf("unknown encoding 0x%02x", b))
		}
		bl := zsetLPBacklenSize(size)
		if !need(size + bl) {
			return nil, bad("back-length runs past the end")
		}
		want := zsetLPAppendBacklen(nil, size)
		if !bytes.Equal(rest[size:size+bl], want) {
			return nil, bad("back-length does not match the entry")
		}
		elems = append(elems, e)
		p += size + bl
	}
	if p != len(lp)-1 {
		return nil, bad("data after the terminator")
	}
	if count != zsetLPNumUnknown && count != len(elems) {
		return nil, bad("element count does not match")
	}
	return elems, nil
}

// zsetParseZiplist walks a ziplist (Redis before 7.0) in full and returns
// its elements.
func zsetParseZiplist(zl []byte) ([]zsetElem, error) {
	bad := func(what string) error { return fmt.Errorf("%w: ziplist: %s", ErrBadFormat, what) }
	const header = 10
	if len(zl) < header+1 {
		return nil, bad("shorter than its header")
	}
	if int(binary.LittleEndian.Uint32(zl)) != len(zl) {
		return nil, bad("total size does not match")
	}
	if zl[len(zl)-1] != 0xFF {
		return nil, bad("no terminator")
	}
	tail := int(binary.LittleEndian.Uint32(zl[4:]))
	count := int(binary.LittleEndian.Uint16(zl[8:]))
	var elems []zsetElem
	p, prevSize, last := header, 0, header
	for {
		if p >= len(zl) {
			return nil, bad("runs past its end")
		}
		if zl[p] == 0xFF {
			break
		}
		start := p
		// prevlen: one byte, or 0xFE and four bytes.
		var prev int
		if zl[p] < 0xFE {
			prev = int(zl[p])
			p++
		} else if zl[p] == 0xFE && p+5 <= len(zl) {
			prev = int(binary.LittleEndian.Uint32(zl[p+1:]))
			p += 5
		} else {
			return nil, bad("bad previous-entry length")
		}
		if prev != prevSize {
			return nil, bad("previous-entry length does not match")
		}
		if p >= len(zl) {
			return nil, bad("entry runs past the end")
		}
		b := zl[p]
		rest := zl[p:]
		var e zsetElem
		var size int
		switch {
		case b>>6 == 0: // 6-bit string length
			n := int(b & 0x3F)
			size = 1 + n
			if len(rest) < size {
				return nil, bad("string runs past the end")
			}
			e = zsetElem{str: rest[1:size]}
		case b>>6 == 1: // 14-bit string length, big endian
			if len(rest) < 2 {
				return nil, bad("string runs past the end")
			}
			n := int(b&0x3F)<<8 | int(rest[1])
			size = 2 + n
			if len(rest) < size {
				return nil, bad("string runs past the end")
			}
			e = zsetElem{str: rest[2:size]}
		case b == 0x80: // 32-bit string length, big endian
			if len(rest) < 5 {
				return nil, bad("string runs past the end")
			}
			n := uint64(binary.BigEndian.Uint32(rest[1:]))
			if uint64(len(rest)) < 5+n {
				return nil, bad("string runs past the end")
			}
			size = 5 + int(n)
			e = zsetElem{str: rest[5:size]}
		case b == 0xC0, b == 0xD0, b == 0xE0, b == 0xF0, b == 0xFE:
			width := map[byte]int{0xC0: 2, 0xD0: 4, 0xE0: 8, 0xF0: 3, 0xFE: 1}[b]
			size = 1 + width
			if len(rest) < size {
				return nil, bad("integer runs past the end")
			}
			var u uint64
			for i := width; i >= 1; i-- {
				u = u<<8 | uint64(rest[i])
			}
			shift := uint(64 - 8*width)
			e = zsetElem{ival: int64(u<<shift) >> shift, isInt: true}
		case b >= 0xF1 && b <= 0xFD: // immediate 0..12
			size = 1
			e = zsetElem{ival: int64(b&0x0F) - 1, isInt: true}
		default:
			return nil, bad(fmt.Sprintf("unknown encoding 0x%02x", b))
		}
		p += size
		prevSize = p - start
		last = start
		elems = append(elems, e)
	}
	if p != len(zl)-1 {
		return nil, bad("data after the terminator")
	}
	if len(elems) > 0 && tail != last || len(elems) == 0 && tail != header {
		return nil, bad("tail offset does not match")
	}
	if count != 0xFFFF && count != len(elems) {
		return nil, bad("element count does not match")
	}
	return elems, nil
}

// decodeZSet reads any of the sorted set RDB types.
func decodeZSet(typ byte, body []byte, lim Limits) (keyspace.Entry, error) {
	zlim := zset.Limits{MaxListpackEntries: lim.ZsetMaxListpackEntries, MaxListpackValue: lim.ZsetMaxListpackValue}
	var z *zset.ZSet
	var err error
	switch typ {
	case TypeZSetListpack, TypeZSetZiplist:
		z, err = decodeZSetPacked(typ, body, zlim)
	case TypeZSet, TypeZSet2:
		z, err = decodeZSetPairs(typ, body, zlim)
	default:
		err = fmt.Errorf("%w: type %d is not a sorted set", ErrBadFormat, typ)
	}
	if err != nil {
		return keyspace.Entry{}, err
	}
	enc := keyspace.EncSkiplist
	if z.IsCompact() {
		enc = keyspace.EncListpack
	}
	return keyspace.Entry{Type: keyspace.TypeZSet, Enc: enc, Obj: z}, nil
}

func decodeZSetPacked(typ byte, body []byte, lim zset.Limits) (*zset.ZSet, error) {
	blob, err := NewDecoder(bytes.NewReader(body)).ReadString()
	if err != nil {
		return nil, err
	}
	var elems []zsetElem
	if typ == TypeZSetListpack {
		elems, err = zsetParseListpack(blob)
	} else {
		elems, err = zsetParseZiplist(blob)
	}
	if err != nil {
		return nil, err
	}
	if len(elems)%2 != 0 {
		return nil, fmt.Errorf("%w: sorted set with an odd number of elements", ErrBadFormat)
	}
	n := len(elems) / 2
	if n == 0 {
		return nil, fmt.Errorf("%w: empty sorted set", ErrBadFormat)
	}
	var z *zset.ZSet
	if n > lim.MaxListpackEntries {
		z = zset.NewBig(n)
	} else {
		z = zset.New()
	}
	for i := 0; i < len(elems); i += 2 {
		s, err := elems[i+1].score()
		if err != nil {
			return nil, err
		}
		if !z.Insert(elems[i].bytes(), s) {
			return nil, fmt.Errorf("%w: sorted set member %q twice", ErrBadFormat, elems[i].bytes())
		}
	}
	return z, nil
}

func decodeZSetPairs(typ byte, body []byte, lim zset.Limits) (*zset.ZSet, error) {
	d := NewDecoder(bytes.NewReader(body))
	n, err := d.ReadLen()
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: empty sorted set", ErrBadFormat)
	}
	// Every member takes at least two bytes: never trust n for sizing.
	if n > uint64(len(body)) {
		return nil, fmt.Errorf("%w: sorted set of %d members in %d bytes", ErrBadFormat, n, len(body))
	}
	type pair struct {
		member []byte
		score  float64
	}
	pairs := make([]pair, 0, n)
	maxLen := 0
	for i := uint64(0); i < n; i++ {
		m, err := d.ReadString()
		if err != nil {
			return nil, err
		}
		var s float64
		if typ == TypeZSet2 {
			var b [8]byte
			if err := d.ReadFull(b[:]); err != nil {
				return nil, formatErr("sorted set score", err)
			}
			s = math.Float64frombits(binary.LittleEndian.Uint64(b[:]))
		} else if s, err = zsetReadTextScore(d); err != nil {
			return nil, err
		}
		if math.IsNaN(s) {
			return nil, fmt.Errorf("%w: sorted set score is NaN", ErrBadFormat)
		}
		maxLen = max(maxLen, len(m))
		pairs = append(pairs, pair{m, s})
	}
	z := zset.NewSized(len(pairs), maxLen, lim)
	for _, p := range pairs {
		if !z.Insert(p.member, p.score) {
			return nil, fmt.Errorf("%w: sorted set member %q twice", ErrBadFormat, p.member)
		}
	}
	return z, nil
}

// zsetReadTextScore reads an RDB_TYPE_ZSET score (rdbLoadDoubleValue): a
// length byte, 253/254/255 for NaN/+inf/-inf, else that many bytes of text.
func zsetReadTextScore(d *Decoder) (float64, error) {
	l, err := d.ReadByte()
	if err != nil {
		return 0, err
	}
	switch l {
	case 253:
		return math.NaN(), nil
	case 254:
		return math.Inf(1), nil
	case 255:
		return math.Inf(-1), nil
	}
	buf := make([]byte, l)
	if err := d.ReadFull(buf); err != nil {
		return 0, formatErr("sorted set score", err)
	}
	v, ok := zset.ParseScore(buf)
	if !ok {
		return 0, fmt.Errorf("%w: sorted set score %q is not a number", ErrBadFormat, buf)
	}
	return v, nil
}
