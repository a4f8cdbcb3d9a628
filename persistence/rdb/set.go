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
	"fmt"

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

func decodeSet(typ byte, d *Decoder, lim Limits) (keyspace.Entry, error) {
	var s *set.Set
	var err error
	switch typ {
	case TypeSet:
		s, err = decodeSetMembers(d, lim)
	case TypeSetIntset:
		s, err = decodeSetIntset(d, lim)
	case TypeSetListpack:
		s, err = decodeSetListpack(d, lim)
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
func decodeSetMembers(d *Decoder, lim Limits) (*set.Set, error) {
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
func decodeSetIntset(d *Decoder, lim Limits) (*set.Set, error) {
	blob, err := d.ReadString()
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
func decodeSetListpack(d *Decoder, lim Limits) (*set.Set, error) {
	blob, err := d.ReadString()
	if err != nil {
		return nil, err
	}
	s := set.New()
	err = listpackStrings(blob, func(m []byte) error {
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
