package dict

import (
	"hash/maphash"
	"unsafe"
)

// seed is shared by every Dict in the process so that a hash computed once
// (by the keyspace, to pick a shard) can be handed to GetHashed/SetHashed.
var seed = maphash.MakeSeed()

// Hash returns the hash Dict uses for key. HashString(string(key)) is equal.
func Hash(key []byte) uint64 { return maphash.Bytes(seed, key) }

// HashString returns the hash Dict uses for key. Hash([]byte(key)) is equal.
func HashString(key string) uint64 { return maphash.String(seed, key) }

// entry is one key/value pair and the link to the next pair in its bucket.
// The hash is not cached: at load factor <= 1 chains are short, string
// comparison rejects most mismatches on length, and rehashing recomputes the
// hash only when growing (shrinking derives the new bucket from the old one).
type entry[V any] struct {
	key   string
	next  *entry[V]
	value V
}

// Dict is a hash table from string keys to values of type V. The zero value
// is an empty Dict ready to use. See the package documentation for the rules
// on concurrency and on mutation inside callbacks.
type Dict[V any] struct {
	// tables[0] is the table in use; while rehashing, tables[1] is the table
	// being moved into and tables[0] buckets below rehashIdx are empty.
	tables [2][]*entry[V]
	used   [2]int
	// rehashIdx is the next bucket of tables[0] to move; meaningful only
	// while len(tables[1]) > 0.
	rehashIdx int
	// iterating counts Range, Scan and Sample callbacks in progress: while it
	// is non-zero rehashing pauses (so the callback's lookups cannot move
	// entries under the walk) and mutations panic.
	iterating int
	// keyBytes is the allocation size of the stored keys, for MemoryUsage.
	keyBytes int
	// shrinkDeferred records that a delete during a rehash skipped the
	// shrink check; the end of the rehash makes it.
	shrinkDeferred bool
}

// New returns an empty Dict with room for sizeHint entries (up to 1<<22)
// before it first grows. A sizeHint <= 0 allocates nothing until the first
// insert.
func New[V any](sizeHint int) *Dict[V] {
	d := &Dict[V]{}
	if sizeHint > 0 {
		d.tables[0] = make([]*entry[V], tableSizeFor(min(sizeHint, maxSizeHint)))
	}
	return d
}

// Len returns the number of entries.
func (d *Dict[V]) Len() int { return d.used[0] + d.used[1] }

// Get returns the value stored under key. It does not allocate.
func (d *Dict[V]) Get(key []byte) (V, bool) {
	return d.GetHashed(Hash(key), key)
}

// GetString returns the value stored under key.
func (d *Dict[V]) GetString(key string) (V, bool) {
	if e := d.find(HashString(key), key); e != nil {
		return e.value, true
	}
	var zero V
	return zero, false
}

// GetHashed is Get for a caller that already computed h = Hash(key). Buckets
// are chosen by the low bits of h, so a caller may use the high bits for
// something else (the keyspace picks a shard with them) without skewing the
// table.
func (d *Dict[V]) GetHashed(h uint64, key []byte) (V, bool) {
	if e := d.find(h, bytesAsString(key)); e != nil {
		return e.value, true
	}
	var zero V
	return zero, false
}

// Ref returns a pointer to the value stored under key, for updating it in
// place, or nil if key is absent. The pointer is meaningful until the next
// mutation of d: after the key is deleted, writes through it are lost.
func (d *Dict[V]) Ref(key []byte) *V {
	return d.RefHashed(Hash(key), key)
}

// RefString is Ref for a string key.
func (d *Dict[V]) RefString(key string) *V {
	if e := d.find(HashString(key), key); e != nil {
		return &e.value
	}
	return nil
}

// RefHashed is Ref for a caller that already computed h = Hash(key).
func (d *Dict[V]) RefHashed(h uint64, key []byte) *V {
	if e := d.find(h, bytesAsString(key)); e != nil {
		return &e.value
	}
	return nil
}

// Set stores v under key, overwriting any previous value, and reports whether
// a previous value was replaced. The Dict keeps key itself (strings are
// immutable, so no copy is needed).
func (d *Dict[V]) Set(key string, v V) (replaced bool) {
	return d.SetHashed(HashString(key), key, v)
}

// SetHashed is Set for a caller that already computed h = HashString(key).
func (d *Dict[V]) SetHashed(h uint64, key string, v V) (replaced bool) {
	d.mustNotBeIterating()
	if d.rehashing() {
		d.rehash(1)
	}
	if e := d.lookup(h, key); e != nil {
		e.value = v
		return true
	}
	d.growIfNeeded()
	// While rehashing, new entries go to the new table so that the old one
	// only ever empties.
	t := 0
	if d.rehashing() {
		t = 1
	}
	table := d.tables[t]
	i := h & uint64(len(table)-1)
	table[i] = &entry[V]{key: key, next: table[i], value: v}
	d.used[t]++
	d.keyBytes += stringAllocSize(len(key))
	return false
}

// Delete removes key and returns the value it had.
func (d *Dict[V]) Delete(key []byte) (V, bool) {
	return d.DeleteHashed(Hash(key), key)
}

// DeleteString removes key and returns the value it had.
func (d *Dict[V]) DeleteString(key string) (V, bool) {
	return d.delete(HashString(key), key)
}

// DeleteHashed is Delete for a caller that already computed h = Hash(key).
func (d *Dict[V]) DeleteHashed(h uint64, key []byte) (V, bool) {
	return d.delete(h, bytesAsString(key))
}

func (d *Dict[V]) delete(h uint64, key string) (V, bool) {
	d.mustNotBeIterating()
	var zero V
	if d.Len() == 0 {
		return zero, false
	}
	if d.rehashing() {
		d.rehash(1)
	}
	for t := range d.tables {
		table := d.tables[t]
		if len(table) == 0 {
			break
		}
		i := h & uint64(len(table)-1)
		var prev *entry[V]
		for e := table[i]; e != nil; prev, e = e, e.next {
			if e.key != key {
				continue
			}
			if prev == nil {
				table[i] = e.next
			} else {
				prev.next = e.next
			}
			// Unlink so that a stale Ref cannot keep the rest of the chain
			// alive.
			e.next = nil
			d.used[t]--
			d.keyBytes -= stringAllocSize(len(e.key))
			d.shrinkIfNeeded()
			return e.value, true
		}
		if !d.rehashing() {
			break
		}
	}
	return zero, false
}

// Clear removes every entry and releases the tables.
func (d *Dict[V]) Clear() {
	d.mustNotBeIterating()
	*d = Dict[V]{}
}

// find is the lookup behind the public getters: like Redis's dictFind it
// moves one bucket first when a rehash is in progress, so that a read-mostly
// table does not stay split (and probed twice) forever.
func (d *Dict[V]) find(h uint64, key string) *entry[V] {
	if d.rehashing() && d.iterating == 0 {
		d.rehash(1)
	}
	return d.lookup(h, key)
}

// lookup finds key without side effects.
func (d *Dict[V]) lookup(h uint64, key string) *entry[V] {
	table := d.tables[0]
	if len(table) == 0 {
		return nil
	}
	for e := table[h&uint64(len(table)-1)]; e != nil; e = e.next {
		if e.key == key {
			return e
		}
	}
	if table = d.tables[1]; len(table) == 0 {
		return nil
	}
	for e := table[h&uint64(len(table)-1)]; e != nil; e = e.next {
		if e.key == key {
			return e
		}
	}
	return nil
}

func (d *Dict[V]) mustNotBeIterating() {
	if d.iterating != 0 {
		panic("dict: Dict mutated inside a Range, Scan or Sample callback")
	}
}

// bytesAsString views b as a string without copying, for lookups only: the
// result must not be stored or outlive b's contents.
func bytesAsString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}
