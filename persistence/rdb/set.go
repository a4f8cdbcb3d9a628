package rdb

// The set value codec.
//
// Written: an intset-encoded set as RDB_TYPE_SET_INTSET, its intset blob
// saved as one string (datatypes/set keeps Redis's exact intset bytes, so
// this is byte for byte what redis-server writes); a hashtable-encoded set
// as RDB_TYPE_SET, the member count then each member as a string, in the
// table's order. Redis writes its own table's order, which depends on its
// hash function and table history, so a big set's bytes cannot equal
// Redis's; RESTORE round trips in both directions are what is checked.
//
// Read: RDB_TYPE_SET, RDB_TYPE_SET_INTSET and Redis 7.2's
// RDB_TYPE_SET_LISTPACK. The in-memory encoding is the one Redis 7.0 would
// pick (Vireo follows 7.0 for sets, see datatypes/set): an intset while the
// members are integers and no more than set-max-intset-entries, a hash table
// otherwise; a 7.2 listpack set is converted. Empty sets and duplicate
// members are errors, as in Redis.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/set"
)

func init() {
	Register(keyspace.TypeSet, encodeSet, decodeSet, TypeSet, TypeSetIntset, TypeSetListpack)
}

func encodeSet(e *keyspace.Entry, dst []byte, compress bool) (byte, []byte, error) {
	s, ok := e.Obj.(*set.Set)
	if !ok {
		return 0, dst, fmt.Errorf("rdb: set value holds %T", e.Obj)
	}
	if blob := s.IntsetBytes(); blob != nil {
		return TypeSetIntset, AppendString(dst, blob, compress), nil
	}
	dst = AppendLen(dst, uint64(s.Len()))
	s.Range(func(m []byte) bool {
		dst = AppendString(dst, m, compress)
		return true
	})
	return TypeSet, dst, nil
}

// setEncoding is the OBJECT ENCODING of a set value.
func setEncoding(s *set.Set) keyspace.Encoding {
	if s.IsIntset() {
		return keyspace.EncIntset
	}
	return keyspace.EncHashtable
}

func decodeSet(typ byte, body []byte, lim Limits) (keyspace.Entry, error) {
	var s *set.Set
	var err error
	switch typ {
	case TypeSet:
		s, err = decodeSetMembers(body, lim)
	case TypeSetIntset:
		s, err = decodeSetIntset(body, lim)
	case TypeSetListpack:
		s, err = decodeSetListpack(body, lim)
	default:
		err = fmt.Errorf("rdb: object type %d is not a set: %w", typ, ErrBadFormat)
	}
	if err != nil {
		return keyspace.Entry{}, err
	}
	return keyspace.Entry{Type: keyspace.TypeSet, Enc: setEncoding(s), Obj: s}, nil
}

// decodeSetMembers reads RDB_TYPE_SET: a count, then the members. The count
// is not trusted for allocation: a hostile one fails when the input ends.
func decodeSetMembers(body []byte, lim Limits) (*set.Set, error) {
	d := NewDecoder(bytes.NewReader(body))
	n, err := d.ReadLen()
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, fmt.Errorf("rdb: empty set: %w", ErrBadFormat)
	}
	s := set.New()
	for i := uint64(0); i < n; i++ {
		m, err := d.ReadString()
		if err != nil {
			return nil, err
		}
		if !s.Add(m, lim.SetMaxIntsetEntries) {
			return nil, fmt.Errorf("rdb: duplicate set member %q: %w", m, ErrBadFormat)
		}
	}
	return s, nil
}

// decodeSetIntset reads RDB_TYPE_SET_INTSET: one string holding an intset
// blob. A set longer than set-max-intset-entries becomes a hash table, as
// Redis's loader does.
func decodeSetIntset(body []byte, lim Limits) (*set.Set, error) {
	blob, err := DecodeStringValue(body)
	if err != nil {
		return nil, err
	}
	s, err := set.FromIntsetBytes(blob)
	if err != nil {
		return nil, fmt.Errorf("rdb: %w: %w", ErrBadFormat, err)
	}
	if s.Len() == 0 {
		return nil, fmt.Errorf("rdb: empty intset: %w", ErrBadFormat)
	}
	if s.Len() > lim.SetMaxIntsetEntries {
		s.ConvertToHashtable()
	}
	return s, nil
}

// decodeSetListpack reads Redis 7.2's RDB_TYPE_SET_LISTPACK: one string
// holding a listpack of the members.
func decodeSetListpack(body []byte, lim Limits) (*set.Set, error) {
	blob, err := DecodeStringValue(body)
	if err != nil {
		return nil, err
	}
	s := set.New()
	err = setListpackRange(blob, func(m []byte) error {
		if !s.Add(m, lim.SetMaxIntsetEntries) {
			return fmt.Errorf("rdb: duplicate set member %q: %w", m, ErrBadFormat)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if s.Len() == 0 {
		return nil, fmt.Errorf("rdb: empty listpack set: %w", ErrBadFormat)
	}
	return s, nil
}

// Listpack layout (Redis's listpack.c):
//
//	<total bytes uint32 LE> <count uint16 LE, 65535 = unknown> <entry> ... <0xFF>
//
// where an entry is an encoding byte (with the integer or string length in
// it or after it), the data, then the entry's own length (encoding + data)
// as a "backlen" of 1-5 bytes that can be read from its last byte backwards.
const (
	setLPHeader       = 6
	setLPEOF          = 0xff
	setLPCountUnknown = 0xffff
)

// setListpackRange checks a listpack as Redis's lpValidateIntegrity does
// with deep checking (every entry inside the blob, every backlen right, the
// count right when known, the terminator last) and calls fn with each entry
// as a string; integers come as their decimal form. The member passed to fn
// is only valid during the call.
func setListpackRange(lp []byte, fn func(m []byte) error) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("rdb: listpack: "+format+": %w", append(args, ErrBadFormat)...)
	}
	if len(lp) < setLPHeader+1 {
		return bad("%d bytes, too short", len(lp))
	}
	if total := binary.LittleEndian.Uint32(lp); uint64(total) != uint64(len(lp)) {
		return bad("header says %d bytes, have %d", total, len(lp))
	}
	if lp[len(lp)-1] != setLPEOF {
		return bad("no terminator")
	}
	declared := int(binary.LittleEndian.Uint16(lp[4:]))
	var num [20]byte
	count := 0
	p := setLPHeader
	for p < len(lp)-1 {
		hdr, data, v, isInt, err := setListpackEntry(lp[p : len(lp)-1])
		if err != nil {
			return bad("entry %d: %v", count, err)
		}
		entryLen := hdr + len(data)
		if isInt {
			entryLen = hdr
		}
		var backlen [5]byte
		bl := setListpackBacklen(backlen[:], uint64(entryLen))
		end := p + entryLen
		if end+bl > len(lp)-1 || !bytes.Equal(lp[end:end+bl], backlen[:bl]) {
			return bad("entry %d: bad backlen", count)
		}
		m := data
		if isInt {
			m = strconv.AppendInt(num[:0], v, 10)
		}
		if err := fn(m); err != nil {
			return err
		}
		count++
		p = end + bl
	}
	if declared != setLPCountUnknown && declared != count {
		return bad("header says %d entries, found %d", declared, count)
	}
	return nil
}

// setListpackEntry decodes the entry at the front of b (which excludes the
// terminator): the size of its encoding header (for an integer, header and
// value together), its string data, or its integer value.
func setListpackEntry(b []byte) (hdr int, data []byte, v int64, isInt bool, err error) {
	need := func(n int) error {
		if len(b) < n {
			return fmt.Errorf("runs past the end")
		}
		return nil
	}
	first := b[0]
	switch {
	case first&0x80 == 0: // 0xxxxxxx: 7-bit unsigned integer
		return 1, nil, int64(first & 0x7f), true, nil
	case first&0xc0 == 0x80: // 10xxxxxx: string of up to 63 bytes
		n := int(first & 0x3f)
		if err := need(1 + n); err != nil {
			return 0, nil, 0, false, err
		}
		return 1, b[1 : 1+n], 0, false, nil
	case first&0xe0 == 0xc0: // 110xxxxx yyyyyyyy: 13-bit signed integer
		if err := need(2); err != nil {
			return 0, nil, 0, false, err
		}
		u := int64(first&0x1f)<<8 | int64(b[1])
		if u >= 1<<12 {
			u -= 1 << 13
		}
		return 2, nil, u, true, nil
	case first&0xf0 == 0xe0: // 1110xxxx yyyyyyyy: string of up to 4095 bytes
		if err := need(2); err != nil {
			return 0, nil, 0, false, err
		}
		n := int(first&0x0f)<<8 | int(b[1])
		if err := need(2 + n); err != nil {
			return 0, nil, 0, false, err
		}
		return 2, b[2 : 2+n], 0, false, nil
	}
	switch first {
	case 0xf0: // 32-bit string length
		if err := need(5); err != nil {
			return 0, nil, 0, false, err
		}
		n := uint64(binary.LittleEndian.Uint32(b[1:]))
		if n > uint64(len(b)-5) {
			return 0, nil, 0, false, fmt.Errorf("string of %d bytes runs past the end", n)
		}
		return 5, b[5 : 5+int(n)], 0, false, nil
	case 0xf1: // int16
		if err := need(3); err != nil {
			return 0, nil, 0, false, err
		}
		return 3, nil, int64(int16(binary.LittleEndian.Uint16(b[1:]))), true, nil
	case 0xf2: // int24
		if err := need(4); err != nil {
			return 0, nil, 0, false, err
		}
		u := int32(uint32(b[1])<<8|uint32(b[2])<<16|uint32(b[3])<<24) >> 8
		return 4, nil, int64(u), true, nil
	case 0xf3: // int32
		if err := need(5); err != nil {
			return 0, nil, 0, false, err
		}
		return 5, nil, int64(int32(binary.LittleEndian.Uint32(b[1:]))), true, nil
	case 0xf4: // int64
		if err := need(9); err != nil {
			return 0, nil, 0, false, err
		}
		return 9, nil, int64(binary.LittleEndian.Uint64(b[1:])), true, nil
	}
	return 0, nil, 0, false, fmt.Errorf("unknown encoding byte 0x%02x", first)
}

// setListpackBacklen writes l as Redis's lpEncodeBacklen does (7 bits a
// byte, the first byte without the continuation bit) and returns its size.
func setListpackBacklen(buf []byte, l uint64) int {
	var n int
	switch {
	case l <= 127:
		n = 1
	case l < 16383:
		n = 2
	case l < 2097151:
		n = 3
	case l < 268435455:
		n = 4
	default:
		n = 5
	}
	for i := n - 1; i >= 0; i-- {
		buf[i] = byte(l & 127)
		if i != 0 {
			buf[i] |= 128
		}
		l >>= 7
	}
	return n
}
