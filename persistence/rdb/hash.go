package rdb

// The hash value codec. A compact hash is written as Redis writes a
// listpack-encoded hash (RDB_TYPE_HASH_LISTPACK: the listpack's bytes as one
// string), byte for byte, so DUMP equals redis-server's; a table as
// RDB_TYPE_HASH (a count, then field and value strings) in table order,
// which Redis's own dict order cannot match, so those payloads are checked
// by RESTORE round trips instead of byte equality.
//
// Reading accepts every form Redis 7.0-7.2 loads: RDB_TYPE_HASH, the
// listpack, and the older ziplist (Redis 3.2-6.2) and zipmap (Redis 2.x)
// blobs. The in-memory encoding after loading is the one Redis 7.0 picks:
// RDB_TYPE_HASH fills a listpack while the limits allow; a listpack or
// ziplist stays compact unless it has more than hash-max-listpack-entries
// fields (long values do not convert it); a zipmap converts on either
// limit. Blobs are checked entry by entry (Redis's deep integrity check):
// lengths inside the blob, back-lengths, counts, terminators, and no
// duplicate fields. An empty hash is an error, as Redis's RESTORE says.
//
// The listpack, ziplist and zipmap helpers carry a "hash" prefix only to
// stay clear of the other value codecs of this package while they are
// written side by side.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"

	"github.com/vireodb/vireo/datatypes/hash"
	"github.com/vireodb/vireo/datatypes/keyspace"
)

func init() {
	Register(keyspace.TypeHash, encodeHash, decodeHash,
		TypeHash, TypeHashZipmap, TypeHashZiplist, TypeHashListpack)
}

func encodeHash(e *keyspace.Entry, dst []byte, compress bool) (byte, []byte, error) {
	h, ok := e.Obj.(*hash.Hash)
	if !ok {
		return 0, dst, fmt.Errorf("rdb: hash entry holds %T, not *hash.Hash", e.Obj)
	}
	if h.IsCompact() {
		lp := hashListpack(h)
		return TypeHashListpack, AppendString(dst, lp, compress), nil
	}
	dst = AppendLen(dst, uint64(h.Len()))
	h.Range(func(f, v []byte) bool {
		dst = AppendString(dst, f, compress)
		dst = AppendString(dst, v, compress)
		return true
	})
	return TypeHash, dst, nil
}

// hashEncoding is the encoding OBJECT ENCODING reports for h.
func hashEncoding(h *hash.Hash) keyspace.Encoding {
	if h.IsCompact() {
		return keyspace.EncListpack
	}
	return keyspace.EncHashtable
}

func decodeHash(typ byte, body []byte, lim Limits) (keyspace.Entry, error) {
	var h *hash.Hash
	var err error
	switch typ {
	case TypeHash:
		h, err = decodeHashPairs(body, lim)
	case TypeHashListpack, TypeHashZiplist, TypeHashZipmap:
		h, err = decodeHashBlob(typ, body, lim)
	default:
		err = fmt.Errorf("rdb: object type %d is not a hash: %w", typ, ErrBadFormat)
	}
	if err != nil {
		return keyspace.Entry{}, err
	}
	return keyspace.Entry{Type: keyspace.TypeHash, Enc: hashEncoding(h), Obj: h}, nil
}

func hashLimits(lim Limits) hash.Limits {
	return hash.Limits{MaxListpackEntries: lim.HashMaxListpackEntries, MaxListpackValue: lim.HashMaxListpackValue}
}

// noConversion makes hash.Set keep a hash compact while a blob is loaded;
// the loader decides about conversion once the blob is read.
var noConversion = hash.Limits{MaxListpackEntries: math.MaxInt, MaxListpackValue: math.MaxInt}

// decodeHashPairs reads RDB_TYPE_HASH: a count, then field and value strings.
func decodeHashPairs(body []byte, lim Limits) (*hash.Hash, error) {
	d := NewDecoder(bytes.NewReader(body))
	n, err := d.ReadLen()
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, fmt.Errorf("rdb: empty hash: %w", ErrBadFormat)
	}
	h := hash.New()
	hl := hashLimits(lim)
	if n > uint64(hl.MaxListpackEntries) {
		h.Convert()
	}
	for i := uint64(0); i < n; i++ {
		field, err := d.ReadString()
		if err != nil {
			return nil, err
		}
		value, err := d.ReadString()
		if err != nil {
			return nil, err
		}
		if !h.Set(field, value, hl) {
			return nil, fmt.Errorf("rdb: hash: duplicate field %q: %w", field, ErrBadFormat)
		}
	}
	return h, nil
}

// decodeHashBlob reads a hash stored as one string: a listpack, a ziplist or
// a zipmap.
func decodeHashBlob(typ byte, body []byte, lim Limits) (*hash.Hash, error) {
	blob, err := NewDecoder(bytes.NewReader(body)).ReadString()
	if err != nil {
		return nil, err
	}
	h := hash.New()
	// The range functions pass strings that may alias their scratch space,
	// so a field is copied until its value arrives.
	var field []byte
	haveField := false
	var longest int
	add := func(s []byte) error {
		longest = max(longest, len(s))
		if !haveField {
			field = append(field[:0], s...)
			haveField = true
			return nil
		}
		if !h.Set(field, s, noConversion) {
			return fmt.Errorf("rdb: hash: duplicate field %q: %w", field, ErrBadFormat)
		}
		haveField = false
		return nil
	}
	switch typ {
	case TypeHashListpack:
		err = hashListpackRange(blob, add)
	case TypeHashZiplist:
		err = hashZiplistRange(blob, add)
	default:
		err = hashZipmapRange(blob, add)
	}
	if err != nil {
		return nil, err
	}
	if haveField {
		return nil, fmt.Errorf("rdb: hash: odd number of strings: %w", ErrBadFormat)
	}
	if h.Len() == 0 {
		return nil, fmt.Errorf("rdb: empty hash: %w", ErrBadFormat)
	}
	if h.Len() > lim.HashMaxListpackEntries || (typ == TypeHashZipmap && longest > lim.HashMaxListpackValue) {
		h.Convert()
	}
	return h, nil
}

// Listpack layout (Redis's listpack.c):
//
//	<total bytes uint32 LE> <count uint16 LE, 65535 = unknown> <entry> ... <0xFF>
//
// An entry is an encoding byte (holding a small integer or a string length,
// or announcing what follows), the data, then the entry's own length
// (encoding + data) as a "backlen" of 1-5 bytes readable backwards.
const (
	hashLPHeader       = 6
	hashLPEOF          = 0xff
	hashLPCountUnknown = 0xffff
)

// hashListpack builds the listpack Redis would hold for h's pairs: each
// string that is a canonical 64-bit integer (lpStringToInt64) integer-
// encoded in the smallest form, the rest as strings.
func hashListpack(h *hash.Hash) []byte {
	lp := make([]byte, hashLPHeader, 64)
	h.Range(func(f, v []byte) bool {
		lp = hashAppendListpackEntry(lp, f)
		lp = hashAppendListpackEntry(lp, v)
		return true
	})
	lp = append(lp, hashLPEOF)
	binary.LittleEndian.PutUint32(lp, uint32(len(lp)))
	binary.LittleEndian.PutUint16(lp[4:], uint16(min(2*h.Len(), hashLPCountUnknown)))
	return lp
}

// hashAppendListpackEntry appends s as lpAppend would encode it.
func hashAppendListpackEntry(lp, s []byte) []byte {
	start := len(lp)
	if v, ok := parseRedisInt(s); ok {
		switch {
		case v >= 0 && v <= 127:
			lp = append(lp, byte(v))
		case v >= -4096 && v <= 4095:
			u := uint64(v) & (1<<13 - 1)
			lp = append(lp, 0xc0|byte(u>>8), byte(u))
		case v >= -32768 && v <= 32767:
			lp = append(lp, 0xf1, byte(v), byte(v>>8))
		case v >= -8388608 && v <= 8388607:
			lp = append(lp, 0xf2, byte(v), byte(v>>8), byte(v>>16))
		case v >= math.MinInt32 && v <= math.MaxInt32:
			lp = append(lp, 0xf3)
			lp = binary.LittleEndian.AppendUint32(lp, uint32(v))
		default:
			lp = append(lp, 0xf4)
			lp = binary.LittleEndian.AppendUint64(lp, uint64(v))
		}
	} else {
		switch n := len(s); {
		case n < 64:
			lp = append(lp, 0x80|byte(n))
		case n < 4096:
			lp = append(lp, 0xe0|byte(n>>8), byte(n))
		default:
			lp = append(lp, 0xf0)
			lp = binary.LittleEndian.AppendUint32(lp, uint32(n))
		}
		lp = append(lp, s...)
	}
	return hashAppendBacklen(lp, uint64(len(lp)-start))
}

// hashAppendBacklen appends l as lpEncodeBacklen does: 7 bits per byte,
// most significant first, every byte but the first with the high bit set.
func hashAppendBacklen(lp []byte, l uint64) []byte {
	switch {
	case l <= 127:
		return append(lp, byte(l))
	case l < 16383:
		return append(lp, byte(l>>7), byte(l&127)|128)
	case l < 2097151:
		return append(lp, byte(l>>14), byte((l>>7)&127)|128, byte(l&127)|128)
	case l < 268435455:
		return append(lp, byte(l>>21), byte((l>>14)&127)|128, byte((l>>7)&127)|128, byte(l&127)|128)
	default:
		return append(lp, byte(l>>28), byte((l>>21)&127)|128, byte((l>>14)&127)|128, byte((l>>7)&127)|128, byte(l&127)|128)
	}
}

// hashBacklenSize is the size of l's backlen.
func hashBacklenSize(l uint64) int {
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

// hashListpackRange checks a listpack entry by entry and calls fn with each
// entry as a string (integers in decimal). The string passed to fn may
// alias lp.
func hashListpackRange(lp []byte, fn func(s []byte) error) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("rdb: listpack: "+format+": %w", append(args, ErrBadFormat)...)
	}
	if len(lp) < hashLPHeader+1 {
		return bad("%d bytes, too short", len(lp))
	}
	if total := binary.LittleEndian.Uint32(lp); uint64(total) != uint64(len(lp)) {
		return bad("header says %d bytes, blob has %d", total, len(lp))
	}
	if lp[len(lp)-1] != hashLPEOF {
		return bad("no terminator")
	}
	declared := int(binary.LittleEndian.Uint16(lp[4:]))
	count := 0
	var digits [20]byte
	for p := hashLPHeader; ; {
		if p >= len(lp) {
			return bad("entry runs past the end")
		}
		b := lp[p]
		if b == hashLPEOF {
			if p != len(lp)-1 {
				return bad("terminator at %d of %d", p, len(lp))
			}
			break
		}
		var hdr, size int // encoding bytes, data bytes
		var v int64
		isInt := true
		rest := len(lp) - p
		need := func(n int) bool { return n <= rest }
		switch {
		case b&0x80 == 0:
			hdr, v = 1, int64(b)
		case b&0xc0 == 0x80:
			hdr, size, isInt = 1, int(b&0x3f), false
		case b&0xe0 == 0xc0:
			if !need(2) {
				return bad("truncated 13-bit integer")
			}
			u := uint64(b&0x1f)<<8 | uint64(lp[p+1])
			hdr, v = 2, int64(u<<51)>>51
		case b&0xf0 == 0xe0:
			if !need(2) {
				return bad("truncated 12-bit string length")
			}
			hdr, size, isInt = 2, int(b&0x0f)<<8|int(lp[p+1]), false
		case b == 0xf0:
			if !need(5) {
				return bad("truncated 32-bit string length")
			}
			hdr, size, isInt = 5, int(binary.LittleEndian.Uint32(lp[p+1:])), false
		case b == 0xf1:
			if !need(3) {
				return bad("truncated 16-bit integer")
			}
			hdr, v = 3, int64(int16(binary.LittleEndian.Uint16(lp[p+1:])))
		case b == 0xf2:
			if !need(4) {
				return bad("truncated 24-bit integer")
			}
			u := uint32(lp[p+1]) | uint32(lp[p+2])<<8 | uint32(lp[p+3])<<16
			hdr, v = 4, int64(int32(u<<8)>>8)
		case b == 0xf3:
			if !need(5) {
				return bad("truncated 32-bit integer")
			}
			hdr, v = 5, int64(int32(binary.LittleEndian.Uint32(lp[p+1:])))
		case b == 0xf4:
			if !need(9) {
				return bad("truncated 64-bit integer")
			}
			hdr, v = 9, int64(binary.LittleEndian.Uint64(lp[p+1:]))
		default:
			return bad("unknown encoding 0x%02x at %d", b, p)
		}
		entryLen := uint64(hdr) + uint64(size)
		backlen := hashBacklenSize(entryLen)
		if entryLen+uint64(backlen) > uint64(rest) {
			return bad("entry at %d runs past the end", p)
		}
		end := p + int(entryLen)
		if want := hashAppendBacklen(digits[:0], entryLen); !bytes.Equal(lp[end:end+backlen], want) {
			return bad("wrong back-length at %d", end)
		}
		var s []byte
		if isInt {
			s = strconv.AppendInt(digits[:0], v, 10)
		} else {
			s = lp[p+hdr : end]
		}
		if err := fn(s); err != nil {
			return err
		}
		count++
		p = end + backlen
	}
	if declared != hashLPCountUnknown && declared != count {
		return bad("header says %d entries, found %d", declared, count)
	}
	return nil
}

// Ziplist layout (Redis 3.2-6.2's ziplist.c), all integers little endian:
//
//	<zlbytes uint32> <zltail uint32> <zllen uint16> <entry> ... <0xFF>
//
// An entry is the previous entry's length (1 byte, or 0xFE and 4 bytes), an
// encoding (string lengths in 1, 2 or 5 bytes, or an integer type), the data.
const (
	hashZLHeader       = 10
	hashZLEnd          = 0xff
	hashZLBigPrevLen   = 0xfe
	hashZLCountUnknown = 0xffff
)

// hashZiplistRange checks a ziplist entry by entry (as Redis's deep
// ziplistValidateIntegrity) and calls fn with each entry as a string.
func hashZiplistRange(zl []byte, fn func(s []byte) error) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("rdb: ziplist: "+format+": %w", append(args, ErrBadFormat)...)
	}
	if len(zl) < hashZLHeader+1 {
		return bad("%d bytes, too short", len(zl))
	}
	if total := binary.LittleEndian.Uint32(zl); uint64(total) != uint64(len(zl)) {
		return bad("header says %d bytes, blob has %d", total, len(zl))
	}
	if zl[len(zl)-1] != hashZLEnd {
		return bad("no terminator")
	}
	tail := int(binary.LittleEndian.Uint32(zl[4:]))
	declared := int(binary.LittleEndian.Uint16(zl[8:]))
	count, prevLen, last := 0, 0, hashZLHeader
	var digits [20]byte
	p := hashZLHeader
	for p < len(zl) && zl[p] != hashZLEnd {
		start := p
		// Previous entry length.
		var pl int
		if zl[p] < hashZLBigPrevLen {
			pl = int(zl[p])
			p++
		} else {
			if p+5 > len(zl) {
				return bad("truncated prevlen")
			}
			pl = int(binary.LittleEndian.Uint32(zl[p+1:]))
			p += 5
		}
		if pl != prevLen {
			return bad("prevlen %d at %d, previous entry is %d bytes", pl, start, prevLen)
		}
		if p >= len(zl) {
			return bad("truncated entry")
		}
		enc := zl[p]
		var s []byte
		var v int64
		isInt := true
		size := 0
		switch {
		case enc>>6 == 0:
			p++
			size, isInt = int(enc&0x3f), false
		case enc>>6 == 1:
			if p+2 > len(zl) {
				return bad("truncated 14-bit length")
			}
			size, isInt = int(enc&0x3f)<<8|int(zl[p+1]), false
			p += 2
		case enc == 0x80:
			if p+5 > len(zl) {
				return bad("truncated 32-bit length")
			}
			size, isInt = int(binary.BigEndian.Uint32(zl[p+1:])), false
			p += 5
		case enc == 0xc0: // int16
			size = 2
			p++
		case enc == 0xd0: // int32
			size = 4
			p++
		case enc == 0xe0: // int64
			size = 8
			p++
		case enc == 0xf0: // int24
			size = 3
			p++
		case enc == 0xfe: // int8
			size = 1
			p++
		case enc >= 0xf1 && enc <= 0xfd: // 4-bit immediate 0..12
			v = int64(enc&0x0f) - 1
			p++
		default:
			return bad("unknown encoding 0x%02x at %d", enc, p)
		}
		if size > len(zl)-1-p {
			return bad("entry at %d runs past the end", start)
		}
		data := zl[p : p+size]
		if isInt {
			switch size {
			case 1:
				v = int64(int8(data[0]))
			case 2:
				v = int64(int16(binary.LittleEndian.Uint16(data)))
			case 3:
				v = int64(int32(uint32(data[0])<<8|uint32(data[1])<<16|uint32(data[2])<<24) >> 8)
			case 4:
				v = int64(int32(binary.LittleEndian.Uint32(data)))
			case 8:
				v = int64(binary.LittleEndian.Uint64(data))
			}
			s = strconv.AppendInt(digits[:0], v, 10)
		} else {
			s = data
		}
		p += size
		if err := fn(s); err != nil {
			return err
		}
		count++
		prevLen = p - start
		last = start
	}
	if p != len(zl)-1 {
		return bad("terminator at %d of %d", p, len(zl))
	}
	if count > 0 && tail != last || count == 0 && tail != hashZLHeader {
		return bad("tail offset %d, last entry at %d", tail, last)
	}
	if declared != hashZLCountUnknown && declared != count {
		return bad("header says %d entries, found %d", declared, count)
	}
	return nil
}

// Zipmap layout (Redis 2.x's zipmap.c):
//
//	<zmlen 1 byte> <len>field <len><free>value<free bytes> ... <0xFF>
//
// where a length is 1 byte below 254, or 254 and a 4-byte little-endian
// integer, and zmlen is the pair count when below 254.
const (
	hashZMBigLen = 254
	hashZMEnd    = 0xff
)

// hashZipmapRange checks a zipmap and calls fn with each field and value.
func hashZipmapRange(zm []byte, fn func(s []byte) error) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("rdb: zipmap: "+format+": %w", append(args, ErrBadFormat)...)
	}
	if len(zm) < 2 {
		return bad("%d bytes, too short", len(zm))
	}
	readLen := func(p int) (n, next int, err error) {
		if p >= len(zm) {
			return 0, 0, bad("truncated length")
		}
		if zm[p] < hashZMBigLen {
			return int(zm[p]), p + 1, nil
		}
		if zm[p] == hashZMEnd {
			return 0, 0, bad("terminator inside a pair")
		}
		if p+5 > len(zm) {
			return 0, 0, bad("truncated length")
		}
		return int(binary.LittleEndian.Uint32(zm[p+1:])), p + 5, nil
	}
	pairs := 0
	p := 1
	for p < len(zm) && zm[p] != hashZMEnd {
		n, next, err := readLen(p)
		if err != nil {
			return err
		}
		if n > len(zm)-next {
			return bad("field runs past the end")
		}
		if err := fn(zm[next : next+n]); err != nil {
			return err
		}
		p = next + n
		n, next, err = readLen(p)
		if err != nil {
			return err
		}
		if next >= len(zm) {
			return bad("truncated free count")
		}
		free := int(zm[next])
		next++
		if n > len(zm)-next || free > len(zm)-next-n {
			return bad("value runs past the end")
		}
		if err := fn(zm[next : next+n]); err != nil {
			return err
		}
		p = next + n + free
		pairs++
	}
	if p != len(zm)-1 {
		return bad("terminator at %d of %d", p, len(zm))
	}
	if zm[0] < hashZMBigLen && int(zm[0]) != pairs {
		return bad("header says %d pairs, found %d", zm[0], pairs)
	}
	return nil
}
