package set

import (
	"strconv"
	"unsafe"

	"github.com/vireodb/vireo/datatypes/dict"
	"github.com/vireodb/vireo/datatypes/num"
)

// Set is a set of byte strings. While ht is nil the members are integers
// in the intset is; once a member is not an integer, or there are more than
// the caller's maxIntset members, the set becomes a hash table for good (as
// in Redis, it never converts back).
type Set struct {
	is intset
	ht *dict.Dict[struct{}]
}

// New returns an empty intset-encoded set (Redis's createIntsetObject),
// the start of every set that SINTERSTORE, SUNIONSTORE and friends build.
func New() *Set { return &Set{is: newIntset()} }

// NewHashtable returns an empty hashtable-encoded set with room for
// sizeHint members.
func NewHashtable(sizeHint int) *Set { return &Set{ht: dict.New[struct{}](sizeHint)} }

// NewFor returns the empty set Redis creates for a first member (setTypeCreate):
// an intset when first is an integer, a hash table otherwise.
func NewFor(first []byte) *Set {
	if _, ok := num.ParseInt(first); ok {
		return New()
	}
	return NewHashtable(0)
}

// IsIntset reports whether the set is intset-encoded (OBJECT ENCODING
// "intset"); otherwise it is "hashtable".
func (s *Set) IsIntset() bool { return s.ht == nil }

// Len is the number of members.
func (s *Set) Len() int {
	if s.ht != nil {
		return s.ht.Len()
	}
	return s.is.len()
}

// Add adds m (copying it) and reports whether it was new. An intset that
// meets a non-integer, or grows past maxIntset members, becomes a hash table
// (setTypeAdd).
func (s *Set) Add(m []byte, maxIntset int) bool {
	if s.ht == nil {
		v, ok := num.ParseInt(m)
		if ok {
			return s.AddInt(v, maxIntset)
		}
		s.ConvertToHashtable()
	}
	h := dict.Hash(m)
	if s.ht.RefHashed(h, m) != nil {
		return false
	}
	s.ht.SetHashed(h, string(m), struct{}{})
	return true
}

// AddInt adds the integer v, as Add of its decimal form.
func (s *Set) AddInt(v int64, maxIntset int) bool {
	if s.ht != nil {
		var buf [20]byte
		return s.Add(strconv.AppendInt(buf[:0], v, 10), maxIntset)
	}
	is, added := s.is.add(v)
	s.is = is
	if added && s.is.len() > maxIntset {
		s.ConvertToHashtable()
	}
	return added
}

// Remove deletes m and reports whether it was a member.
func (s *Set) Remove(m []byte) bool {
	if s.ht != nil {
		_, ok := s.ht.Delete(m)
		return ok
	}
	v, ok := num.ParseInt(m)
	if !ok {
		return false
	}
	is, removed := s.is.remove(v)
	s.is = is
	return removed
}

// Contains reports whether m is a member.
func (s *Set) Contains(m []byte) bool {
	if s.ht != nil {
		return s.ht.Ref(m) != nil
	}
	v, ok := num.ParseInt(m)
	return ok && s.is.contains(v)
}

// ConvertToHashtable moves an intset's members into a hash table sized for
// them (setTypeConvert); a hash table is left alone.
func (s *Set) ConvertToHashtable() {
	if s.ht != nil {
		return
	}
	n, w := s.is.len(), s.is.width()
	ht := dict.New[struct{}](n)
	var buf [20]byte
	for i := 0; i < n; i++ {
		ht.Set(string(strconv.AppendInt(buf[:0], s.is.getW(i, w), 10)), struct{}{})
	}
	s.ht, s.is = ht, nil
}

// Range calls fn with every member until fn returns false: in ascending
// order for an intset, in table order for a hash table. The member is only
// valid during the call and must not be modified; fn must not change the
// set.
func (s *Set) Range(fn func(m []byte) bool) {
	if s.ht != nil {
		s.ht.Range(func(k string, _ struct{}) bool { return fn(stringBytes(k)) })
		return
	}
	n, w := s.is.len(), s.is.width()
	var buf [20]byte
	for i := 0; i < n; i++ {
		if !fn(strconv.AppendInt(buf[:0], s.is.getW(i, w), 10)) {
			return
		}
	}
}

// Members returns a copy of every member, in Range's order.
func (s *Set) Members() [][]byte {
	out := make([][]byte, 0, s.Len())
	s.Range(func(m []byte) bool {
		out = append(out, append([]byte(nil), m...))
		return true
	})
	return out
}

// Scan visits the members of a hash table from cursor with the dict's
// reverse-binary cursor (every member present for a whole scan is returned)
// and returns the next cursor, 0 at the end. An intset is visited whole in
// one call and the cursor is 0, as Redis's SSCAN does for small encodings.
// fn's member is only valid during the call.
func (s *Set) Scan(cursor uint64, fn func(m []byte)) uint64 {
	if s.ht == nil {
		s.Range(func(m []byte) bool { fn(m); return true })
		return 0
	}
	return s.ht.Scan(cursor, func(k string, _ struct{}) { fn(stringBytes(k)) })
}

// AppendRandom appends a member chosen at random with rnd to dst: uniformly
// from an intset (intsetRandom), nearly uniformly from a hash table
// (dictGetFairRandomKey). The set must not be empty.
func (s *Set) AppendRandom(dst []byte, rnd func() uint64) []byte {
	if s.ht != nil {
		k, _, ok := s.ht.RandomEntry(rnd)
		if !ok {
			return dst
		}
		return append(dst, k...)
	}
	n := s.is.len()
	if n == 0 {
		return dst
	}
	return strconv.AppendInt(dst, s.is.get(int(rnd()%uint64(n))), 10)
}

// IntsetBytes returns the intset blob in Redis's layout (the body of
// RDB_TYPE_SET_INTSET), or nil for a hash table. The caller must not modify
// it, and it is valid until the set next changes.
func (s *Set) IntsetBytes() []byte {
	if s.ht != nil {
		return nil
	}
	return s.is
}

// FromIntsetBytes builds an intset-encoded set from a blob in Redis's
// layout, checking it (a known width, a length that matches, members strictly
// ascending); the set keeps its own copy. Like Redis's RDB loader it does not
// convert a long intset: the caller checks Len against set-max-intset-entries.
func FromIntsetBytes(b []byte) (*Set, error) {
	if err := validateIntset(b); err != nil {
		return nil, err
	}
	return &Set{is: append(intset(nil), b...)}, nil
}

// Clone returns a deep copy with the same encoding (keyspace.Cloner, for
// COPY).
func (s *Set) Clone() any {
	if s.ht == nil {
		return &Set{is: append(intset(nil), s.is...)}
	}
	ht := dict.New[struct{}](s.ht.Len())
	s.ht.Range(func(k string, _ struct{}) bool {
		ht.Set(k, struct{}{}) // stored keys are immutable strings: share them
		return true
	})
	return &Set{ht: ht}
}

// MemoryUsage estimates the bytes the set holds.
func (s *Set) MemoryUsage() int {
	if s.ht != nil {
		return int(unsafe.Sizeof(*s)) + s.ht.MemoryUsage()
	}
	return int(unsafe.Sizeof(*s)) + cap(s.is)
}

// stringBytes views a stored member as bytes without copying, for callers
// that only read it.
func stringBytes(k string) []byte { return unsafe.Slice(unsafe.StringData(k), len(k)) }

// MemoryBytes is MemoryUsage under the name the keyspace's memory
// accounting looks for (O(1)).
func (s *Set) MemoryBytes() int { return s.MemoryUsage() }
