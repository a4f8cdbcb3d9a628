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
// Listpacks and ziplists are read with the package's shared readers
// (listpack.go, ziplist.go); the zipmap, a hash-only format, lives here.

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/vireodb/vireo/datatypes/hash"
	"github.com/vireodb/vireo/datatypes/keyspace"
	listpackfmt "github.com/vireodb/vireo/datatypes/listpack"
)

func init() {
	Register(keyspace.TypeHash, encodeHash, decodeHash,
		TypeHash, TypeHashZipmap, TypeHashZiplist, TypeHashListpack)
}

func encodeHash(e *keyspace.Entry, dst []byte, compress bool) (byte, []byte, error) {
	if e.Obj != nil {
		if _, ok := e.Obj.(*hash.Hash); !ok {
			return 0, dst, fmt.Errorf("rdb: hash entry holds %T, not *hash.Hash", e.Obj)
		}
	}
	var tmp hash.Hash
	h := hash.View(e.Str, e.Obj, &tmp)
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

func decodeHash(typ byte, d *Decoder, lim Limits) (keyspace.Entry, error) {
	var h *hash.Hash
	var err error
	switch typ {
	case TypeHash:
		h, err = decodeHashPairs(d, lim)
	case TypeHashListpack, TypeHashZiplist, TypeHashZipmap:
		h, err = decodeHashBlob(typ, d, lim)
	default:
		err = fmt.Errorf("rdb: object type %d is not a hash: %w", typ, ErrBadFormat)
	}
	if err != nil {
		return keyspace.Entry{}, err
	}
	out := keyspace.Entry{Type: keyspace.TypeHash, Enc: hashEncoding(h)}
	out.Str, out.Obj = hash.Parts(h, h)
	return out, nil
}

func hashLimits(lim Limits) hash.Limits {
	return hash.Limits{MaxListpackEntries: lim.HashMaxListpackEntries, MaxListpackValue: lim.HashMaxListpackValue}
}

// noConversion makes hash.Set keep a hash compact while a blob is loaded;
// the loader decides about conversion once the blob is read.
var noConversion = hash.Limits{MaxListpackEntries: math.MaxInt, MaxListpackValue: math.MaxInt}

// decodeHashPairs reads RDB_TYPE_HASH: a count, then field and value strings.
func decodeHashPairs(d *Decoder, lim Limits) (*hash.Hash, error) {
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
func decodeHashBlob(typ byte, d *Decoder, lim Limits) (*hash.Hash, error) {
	blob, err := d.ReadString()
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
		err = listpackStrings(blob, add)
	case TypeHashZiplist:
		err = ziplistStrings(blob, add)
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

// hashListpack builds the listpack Redis would hold for h's pairs: each
// string that is a canonical 64-bit integer integer-encoded in the smallest
// form, the rest as strings.
func hashListpack(h *hash.Hash) []byte {
	lp := listpackfmt.New()
	h.Range(func(f, v []byte) bool {
		lp = listpackfmt.Append(lp, f)
		lp = listpackfmt.Append(lp, v)
		return true
	})
	return lp
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
