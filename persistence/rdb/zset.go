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
// a listpack or ziplist is validated in full first (listpack.go,
// ziplist.go), a member seen twice or a NaN score is an error, and an
// empty set is refused as Redis refuses it.
//
// The decoded set takes the encoding Redis would give it on load: a
// listpack or ziplist stays compact unless it has more members than
// zset-max-listpack-entries; a ZSET/ZSET_2 becomes compact when it has few
// enough members, all short enough.

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/vireodb/vireo/datatypes/keyspace"
	listpackfmt "github.com/vireodb/vireo/datatypes/listpack"
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
// RDB_TYPE_ZSET_LISTPACK value. Members go in as lpAppend stores strings
// (integer encodings for canonical integers); a score goes in as an integer
// when Redis's zzlInsertAt stores it so (integral within ±2^62), else as
// its d2string text.
func ZSetListpack(z *zset.ZSet) []byte {
	lp := listpackfmt.New()
	var scoreText [32]byte
	z.Ascend(func(member []byte, score float64) bool {
		lp = listpackfmt.Append(lp, member)
		if v, ok := zset.ListpackInt(score); ok {
			lp = listpackfmt.AppendInt(lp, v)
		} else {
			lp = listpackfmt.Append(lp, zset.AppendScoreString(scoreText[:0], score))
		}
		return true
	})
	return lp
}

// zsetPair is one member and the text or integer of its score, as a
// listpack or ziplist holds them.
type zsetPair struct {
	member []byte
	score  float64
}

// zsetScore reads a packed score: integers as they are, text as strtod would
// (zzlGetScore); NaN and text that is not a number are errors.
func zsetScore(e listpackfmt.Entry) (float64, error) {
	if e.IsInt {
		return float64(e.Int), nil
	}
	v, ok := zset.ParseScore(e.Str)
	if !ok {
		return 0, fmt.Errorf("rdb: sorted set score %q is not a number: %w", e.Str, ErrBadFormat)
	}
	return v, nil
}

// zsetPackedPairs validates a listpack or ziplist blob and returns its
// member/score pairs (members copied).
func zsetPackedPairs(typ byte, blob []byte) ([]zsetPair, error) {
	var pairs []zsetPair
	var member []byte
	odd := false
	add := func(e listpackfmt.Entry) error {
		if !odd {
			member = e.Bytes()
			odd = true
			return nil
		}
		s, err := zsetScore(e)
		if err != nil {
			return err
		}
		pairs = append(pairs, zsetPair{member, s})
		odd = false
		return nil
	}
	var err error
	if typ == TypeZSetListpack {
		err = listpackRange(blob, add)
	} else {
		// A ziplist gives every entry as text; integers come in decimal.
		err = ziplistStrings(blob, func(s []byte) error { return add(listpackfmt.Entry{Str: s}) })
	}
	if err != nil {
		return nil, err
	}
	if odd {
		return nil, fmt.Errorf("rdb: sorted set with an odd number of elements: %w", ErrBadFormat)
	}
	return pairs, nil
}

// decodeZSet reads any of the sorted set RDB types.
func decodeZSet(typ byte, d *Decoder, lim Limits) (keyspace.Entry, error) {
	zlim := zset.Limits{MaxListpackEntries: lim.ZsetMaxListpackEntries, MaxListpackValue: lim.ZsetMaxListpackValue}
	var z *zset.ZSet
	var err error
	switch typ {
	case TypeZSetListpack, TypeZSetZiplist:
		z, err = decodeZSetPacked(typ, d, zlim)
	case TypeZSet, TypeZSet2:
		z, err = decodeZSetPairs(typ, d, zlim)
	default:
		err = fmt.Errorf("rdb: type %d is not a sorted set: %w", typ, ErrBadFormat)
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

func decodeZSetPacked(typ byte, d *Decoder, lim zset.Limits) (*zset.ZSet, error) {
	blob, err := d.ReadString()
	if err != nil {
		return nil, err
	}
	pairs, err := zsetPackedPairs(typ, blob)
	if err != nil {
		return nil, err
	}
	if len(pairs) == 0 {
		return nil, fmt.Errorf("rdb: empty sorted set: %w", ErrBadFormat)
	}
	var z *zset.ZSet
	if len(pairs) > lim.MaxListpackEntries {
		z = zset.NewBig(len(pairs))
	} else {
		z = zset.New()
	}
	for _, p := range pairs {
		if !z.Insert(p.member, p.score) {
			return nil, fmt.Errorf("rdb: sorted set member %q twice: %w", p.member, ErrBadFormat)
		}
	}
	return z, nil
}

func decodeZSetPairs(typ byte, d *Decoder, lim zset.Limits) (*zset.ZSet, error) {
	n, err := d.ReadLen()
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, fmt.Errorf("rdb: empty sorted set: %w", ErrBadFormat)
	}
	// Every member takes at least two bytes: never trust n for sizing.
	if left, known := d.remaining(); known && n > uint64(left) {
		return nil, fmt.Errorf("rdb: sorted set of %d members in %d bytes: %w", n, left, ErrBadFormat)
	}
	pairs := make([]zsetPair, 0, min(n, 1024))
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
			return nil, fmt.Errorf("rdb: sorted set score is NaN: %w", ErrBadFormat)
		}
		maxLen = max(maxLen, len(m))
		pairs = append(pairs, zsetPair{m, s})
	}
	z := zset.NewSized(len(pairs), maxLen, lim)
	for _, p := range pairs {
		if !z.Insert(p.member, p.score) {
			return nil, fmt.Errorf("rdb: sorted set member %q twice: %w", p.member, ErrBadFormat)
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
		return 0, fmt.Errorf("rdb: sorted set score %q is not a number: %w", buf, ErrBadFormat)
	}
	return v, nil
}
