package hash

import (
	"unsafe"

	"github.com/vireodb/vireo/datatypes/dict"
)

// Limits are the conversion thresholds, Redis's hash-max-listpack-entries
// and hash-max-listpack-value.
type Limits struct {
	MaxListpackEntries int
	MaxListpackValue   int
}

// DefaultLimits are Redis 7's built-in defaults (config.c: 512 entries, 64
// bytes; the sample redis.conf lowers the entries to 128).
var DefaultLimits = Limits{MaxListpackEntries: 512, MaxListpackValue: 64}

// maxCompactBytes is LISTPACK_MAX_SAFETY_SIZE: Redis converts a listpack
// that would grow past 1 GiB (lpSafeToAdd), whatever the thresholds say.
const maxCompactBytes = 1 << 30

// Hash is a Redis hash value. The zero value is an empty compact hash.
type Hash struct {
	// compact holds the pairs while the hash is small (table == nil); see
	// compact.go for the layout.
	compact []byte
	// table holds the pairs once the hash has converted; compact is then nil.
	table *dict.Dict[[]byte]
	// valueBytes is the table's value bytes (the dict counts its fields),
	// for MemoryBytes.
	valueBytes int
}

// New returns an empty compact hash.
func New() *Hash { return &Hash{} }

// NewSized returns an empty compact hash with room for pairs pairs of
// dataBytes bytes in all (fields and values), so that filling it allocates
// once. HSET on a new key knows both.
func NewSized(pairs, dataBytes int) *Hash {
	h := &Hash{}
	h.Grow(pairs, dataBytes)
	return h
}

// Grow makes room in a compact hash for pairs more pairs of dataBytes bytes
// in all. It does nothing to a table.
func (h *Hash) Grow(pairs, dataBytes int) {
	if h.table != nil || pairs <= 0 {
		return
	}
	need := compactSizeHint(pairs, dataBytes)
	if len(h.compact) == 0 {
		need += compactHeader
	}
	if need <= 0 || len(h.compact)+need > maxCompactBytes {
		return
	}
	if cap(h.compact)-len(h.compact) < need {
		grown := make([]byte, len(h.compact), len(h.compact)+need)
		copy(grown, h.compact)
		h.compact = grown
	}
}

// Len returns the number of fields.
func (h *Hash) Len() int {
	if h.table != nil {
		return h.table.Len()
	}
	return h.compactLen()
}

// IsCompact reports whether the hash is in the compact encoding (Redis's
// "listpack"); false means "hashtable".
func (h *Hash) IsCompact() bool { return h.table == nil }

// Get returns field's value.
func (h *Hash) Get(field []byte) (value []byte, ok bool) {
	if h.table != nil {
		return h.table.Get(field)
	}
	_, val, _, ok := h.compactFind(field)
	if !ok {
		return nil, false
	}
	value, _ = readString(h.compact, val)
	return value, true
}

// Has reports whether field is present.
func (h *Hash) Has(field []byte) bool {
	if h.table != nil {
		_, ok := h.table.Get(field)
		return ok
	}
	_, _, _, ok := h.compactFind(field)
	return ok
}

// Set stores value under field (copying both) and reports whether field is
// new. The hash converts to a table first when field or value is longer
// than lim.MaxListpackValue, and afterwards when it holds more than
// lim.MaxListpackEntries fields, even if field was only updated (Redis's
// hashTypeSet). value must not alias
// the hash's own storage.
func (h *Hash) Set(field, value []byte, lim Limits) (created bool) {
	if h.table == nil {
		if len(field) > lim.MaxListpackValue || len(value) > lim.MaxListpackValue ||
			len(h.compact)+compactSizeHint(1, len(field)+len(value)) > maxCompactBytes {
			h.Convert()
		} else {
			created = h.compactSet(field, value)
			// Checked after an update too: a CONFIG SET may have lowered
			// the limit under the hash's size (Redis's hashTypeSet).
			if h.compactLen() > lim.MaxListpackEntries {
				h.Convert()
			}
			return created
		}
	}
	return h.tableSet(field, value)
}

// Delete removes field and reports whether it was present.
func (h *Hash) Delete(field []byte) bool {
	if h.table != nil {
		v, ok := h.table.Delete(field)
		h.valueBytes -= len(v)
		return ok
	}
	return h.compactDelete(field)
}

// Convert moves a compact hash into a table (Redis's hashTypeConvert). It
// does nothing to a table.
func (h *Hash) Convert() {
	if h.table != nil {
		return
	}
	pairs := h.compact
	h.table = dict.New[[]byte](h.compactLen())
	h.compact = nil
	(&Hash{compact: pairs}).compactRange(func(field, value []byte) bool {
		h.tableSet(field, value)
		return true
	})
}

// Range calls fn for every pair until fn returns false: in insertion order
// for a compact hash, in table order otherwise. fn must not modify h.
func (h *Hash) Range(fn func(field, value []byte) bool) {
	if h.table != nil {
		h.table.Range(func(k string, v []byte) bool { return fn(stringBytes(k), v) })
		return
	}
	h.compactRange(fn)
}

// Clone returns a deep copy of h, in the same encoding (keyspace.Cloner:
// COPY duplicates values through it).
func (h *Hash) Clone() any {
	if h.table == nil {
		out := &Hash{}
		if len(h.compact) > 0 {
			out.compact = append(make([]byte, 0, len(h.compact)), h.compact...)
		}
		return out
	}
	out := &Hash{table: dict.New[[]byte](h.table.Len())}
	h.table.Range(func(k string, v []byte) bool {
		out.tableSet(stringBytes(k), v)
		return true
	})
	return out
}

// tableSet stores a copy of field and value in the table and reports whether field
// is new. A new field and its value share one allocation: the field is the
// head of it (as the dict's immutable string key), the value the tail. An
// update overwrites the value in place when it fits.
func (h *Hash) tableSet(field, value []byte) (created bool) {
	t := h.table
	if ref := t.Ref(field); ref != nil {
		h.valueBytes += len(value) - len(*ref)
		if len(value) <= cap(*ref) {
			*ref = (*ref)[:len(value)]
			copy(*ref, value)
		} else {
			*ref = append([]byte(nil), value...)
		}
		return false
	}
	h.valueBytes += len(value)
	buf := make([]byte, len(field)+len(value))
	copy(buf, field)
	copy(buf[len(field):], value)
	key := unsafe.String(unsafe.SliceData(buf), len(field))
	t.Set(key, buf[len(field):len(buf):len(buf)])
	return true
}

// stringBytes views a stored field as bytes without copying; callers only
// read it.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// A keyspace entry keeps a compact hash as its bytes alone, in Entry.Str
// with no Obj, and a table as Obj *Hash. Leaving out the Hash struct saves an
// allocation of 32 bytes per key, which is a fifth of what a session store's
// small hash costs. View and Parts convert between the two forms.

// View returns the hash an entry with str and obj holds: obj itself when it
// is a *Hash (a table), otherwise *tmp, set to a compact hash over str.
func View(str []byte, obj any, tmp *Hash) *Hash {
	if h, ok := obj.(*Hash); ok {
		return h
	}
	*tmp = Hash{compact: str}
	return tmp
}

// Parts returns what an entry keeps for h: its compact bytes and a nil obj
// while h is compact, a nil str and a *Hash once h is a table. held is the
// entry's current obj: when h is that *Hash it is kept, otherwise a table h
// (one that has just converted, or a View's tmp) is copied to the heap.
func Parts(h *Hash, held any) (str []byte, obj any) {
	if h.table == nil {
		return h.compact, nil
	}
	if p, ok := held.(*Hash); ok && p == h {
		return nil, p
	}
	p := new(Hash)
	*p = *h
	return nil, p
}

// MemoryBytes estimates the bytes h takes, in O(1) (the keyspace's memory
// accounting calls it on every write): its compact bytes, or its table with
// the fields and values.
func (h *Hash) MemoryBytes() int {
	if h.table == nil {
		return dict.AllocSize(cap(h.compact))
	}
	return int(unsafe.Sizeof(*h)) + h.table.MemoryUsage() + h.valueBytes
}
