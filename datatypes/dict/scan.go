package dict

import (
	"iter"
	"math/bits"
)

// Scan calls fn for the entries of one or more buckets starting at cursor and
// returns the cursor to pass next; 0 means the scan is complete. Start with 0.
//
// This is Redis's dictScan. The cursor counts through bucket indexes with its
// bits reversed, that is from the high bit of the index down. Growing the
// table splits bucket i into buckets whose indexes end in the bits of i;
// shrinking merges them back; counting the high bits first means the buckets
// already visited are exactly those whose low bits come before the cursor's,
// at any table size. So every entry present from the first call to the last
// is returned at least once, however the table is resized in between; an
// entry may be returned more than once if the table shrank. While rehashing,
// the bucket of the smaller table and every bucket of the larger table it
// expands to are visited in the same call.
//
// fn must not mutate d (it may look entries up).
func (d *Dict[V]) Scan(cursor uint64, fn func(key string, v V)) (next uint64) {
	if d.Len() == 0 {
		return 0
	}
	d.iterating++
	defer func() { d.iterating-- }()

	v := cursor
	if !d.rehashing() {
		table := d.tables[0]
		mask := uint64(len(table) - 1)
		emitChain(table[v&mask], fn)
		return nextCursor(v, mask)
	}

	small, large := d.tables[0], d.tables[1]
	if len(small) > len(large) {
		small, large = large, small
	}
	smallMask, largeMask := uint64(len(small)-1), uint64(len(large)-1)
	emitChain(small[v&smallMask], fn)
	// Visit every bucket of the larger table that the small bucket expands
	// to: those whose low bits equal the small index.
	for {
		emitChain(large[v&largeMask], fn)
		v = nextCursor(v, largeMask)
		if v&(smallMask^largeMask) == 0 {
			break
		}
	}
	return v
}

// nextCursor increments the bits of v under mask in reverse order: setting
// the unmasked bits first makes the carry of the increment (done on the
// reversed value) run out past the masked bits.
func nextCursor(v, mask uint64) uint64 {
	v |= ^mask
	v = bits.Reverse64(v)
	v++
	return bits.Reverse64(v)
}

func emitChain[V any](e *entry[V], fn func(key string, v V)) {
	for ; e != nil; e = e.next {
		fn(e.key, e.value)
	}
}

// Range calls fn for every entry, in no particular order, until fn returns
// false. fn must not mutate d (it may look entries up).
func (d *Dict[V]) Range(fn func(key string, v V) bool) {
	d.iterating++
	defer func() { d.iterating-- }()
	for _, table := range d.tables {
		for _, e := range table {
			for ; e != nil; e = e.next {
				if !fn(e.key, e.value) {
					return
				}
			}
		}
	}
}

// All returns an iterator over every entry, for range-over-func loops. The
// loop body must not mutate d.
func (d *Dict[V]) All() iter.Seq2[string, V] {
	return d.Range
}
