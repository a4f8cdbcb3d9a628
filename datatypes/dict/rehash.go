package dict

import "math/bits"

const (
	// minTableSize is Redis's DICT_HT_INITIAL_SIZE: the first table and the
	// smallest a shrink goes to.
	minTableSize = 4
	// minFillPercent is Redis 7.2's HASHTABLE_MIN_FILL: a table less full
	// than this is shrunk.
	minFillPercent = 10
	// emptyVisitsPerStep bounds the empty buckets one rehash step may skip,
	// as in dictRehash, so that a sparse table cannot make a step slow.
	emptyVisitsPerStep = 10
	// maxSizeHint caps the sizes New and Grow pre-allocate for (32 MiB of
	// buckets): a hint can come from a file (an RDB's RESIZEDB) and must not
	// be able to ask for an impossible table. Beyond it the table grows
	// with its contents as usual.
	maxSizeHint = 1 << 22
)

// IsRehashing reports whether entries are being moved to a new table.
func (d *Dict[V]) IsRehashing() bool { return d.rehashing() }

// Buckets returns the number of buckets in both tables (dictSlots).
func (d *Dict[V]) Buckets() int { return len(d.tables[0]) + len(d.tables[1]) }

// Rehash performs up to n rehash steps (one bucket each, skipping at most 10n
// empty buckets in all) and reports whether rehashing is still in progress.
// Lookups and mutations already rehash a bucket each; Rehash is for a
// periodic task that finishes rehashes of tables nobody writes to, like
// Redis's activerehashing. It does nothing inside a Range, Scan or Sample
// callback.
func (d *Dict[V]) Rehash(n int) bool {
	if d.rehashing() && d.iterating == 0 && n > 0 {
		d.rehash(n)
	}
	return d.rehashing()
}

// Grow makes room for n entries in all (up to 1<<22), so that inserting up
// to n entries does not resize the table (RDB loading knows the count in
// advance). A rehash in progress is completed first; the move to the bigger
// table is incremental like any other.
func (d *Dict[V]) Grow(n int) {
	d.mustNotBeIterating()
	for d.rehashing() {
		d.rehash(len(d.tables[0]))
	}
	n = min(n, maxSizeHint)
	if tableSizeFor(n) > len(d.tables[0]) {
		d.resize(n)
	}
}

func (d *Dict[V]) rehashing() bool { return len(d.tables[1]) != 0 }

// tableSizeFor returns the smallest power of two >= max(n, minTableSize).
func tableSizeFor(n int) int {
	if n <= minTableSize {
		return minTableSize
	}
	return 1 << bits.Len(uint(n-1))
}

// growIfNeeded is _dictExpandIfNeeded: it allocates the first table, or starts
// growing at load factor 1. A resize never starts while one is in progress.
func (d *Dict[V]) growIfNeeded() {
	if d.rehashing() {
		return
	}
	if len(d.tables[0]) == 0 {
		d.tables[0] = make([]*entry[V], minTableSize)
		return
	}
	if d.used[0] >= len(d.tables[0]) {
		d.resize(d.used[0] + 1)
	}
}

// shrinkIfNeeded applies Redis 7.2's htNeedsResize/dictResize after a delete:
// a table bigger than the minimum and under 10% full shrinks to the smallest
// power of two that holds its entries at load factor <= 1. During a rehash the
// check waits for the rehash to end.
func (d *Dict[V]) shrinkIfNeeded() {
	if d.rehashing() {
		d.shrinkDeferred = true
		return
	}
	size := len(d.tables[0])
	if size > minTableSize && d.used[0]*100/size < minFillPercent {
		d.resize(d.used[0])
	}
}

// resize starts moving the entries to a table sized for n entries. It must
// not be called while rehashing. An empty table is simply replaced.
func (d *Dict[V]) resize(n int) {
	size := tableSizeFor(n)
	if size == len(d.tables[0]) {
		return
	}
	table := make([]*entry[V], size)
	if d.used[0] == 0 {
		d.tables[0] = table
		return
	}
	d.tables[1] = table
	d.rehashIdx = 0
}

// rehash is dictRehash: it moves up to n non-empty buckets of the old table
// to the new one, visiting at most emptyVisitsPerStep*n empty buckets, and
// swaps the tables when the old one is empty. It reports whether a rehash is
// still in progress afterwards.
func (d *Dict[V]) rehash(n int) bool {
	from, to := d.tables[0], d.tables[1]
	toMask := uint64(len(to) - 1)
	growing := len(to) > len(from)
	emptyVisits := n * emptyVisitsPerStep
	for ; n > 0 && d.used[0] > 0; n-- {
		for from[d.rehashIdx] == nil {
			d.rehashIdx++
			if emptyVisits--; emptyVisits == 0 {
				return true
			}
		}
		e := from[d.rehashIdx]
		// Shrinking maps old bucket i to i & toMask: the low bits of the
		// hash that chose bucket i are the bits the smaller table uses.
		i := uint64(d.rehashIdx) & toMask
		for e != nil {
			next := e.next
			if growing {
				i = HashString(e.key) & toMask
			}
			e.next = to[i]
			to[i] = e
			d.used[0]--
			d.used[1]++
			e = next
		}
		from[d.rehashIdx] = nil
		d.rehashIdx++
	}
	if d.used[0] > 0 {
		return true
	}
	d.tables[0], d.tables[1] = to, nil
	d.used[0], d.used[1] = d.used[1], 0
	d.rehashIdx = 0
	// Deletes during the rehash could not start a shrink; Redis's cron would
	// catch that later, here the rehash's end does.
	if d.shrinkDeferred {
		d.shrinkDeferred = false
		d.shrinkIfNeeded()
	}
	return d.rehashing()
}
