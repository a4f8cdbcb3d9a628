package dict

const (
	// fairSampleSize is GETFAIR_NUM_ENTRIES: RandomEntry picks uniformly among
	// this many sampled entries, which evens out long and short chains.
	fairSampleSize = 20
	// randomBucketTries bounds the random probes for a non-empty bucket
	// before RandomEntry walks forward from the last probe instead; with the
	// table at least 10% full the bound is essentially never reached, but a
	// bad rnd must not loop forever.
	randomBucketTries = 1000
)

// RandomEntry returns an entry chosen at random using rnd, or ok=false if d is
// empty. Like Redis's dictGetFairRandomKey, it samples a run of neighbouring
// buckets and picks one of the entries found uniformly, so an entry's chance
// hardly depends on the length of its chain.
func (d *Dict[V]) RandomEntry(rnd func() uint64) (key string, v V, ok bool) {
	if d.Len() == 0 {
		return "", v, false
	}
	d.helpRehash(fairSampleSize)
	var found [fairSampleSize]*entry[V]
	n := 0
	d.sample(len(found), rnd, func(e *entry[V]) {
		found[n] = e
		n++
	})
	var e *entry[V]
	if n > 0 {
		e = found[rnd()%uint64(n)]
	} else {
		e = d.randomEntry(rnd)
	}
	return e.key, e.value, true
}

// Sample calls fn for up to n entries taken from a random place in the table
// and returns how many it passed: fewer than n if d is smaller or not enough
// were found within 10n buckets. It is Redis's dictGetSomeKeys: fast rather
// than fair (neighbouring entries come together, and an entry may come twice),
// which suits eviction and active expiry. fn must not mutate d.
func (d *Dict[V]) Sample(n int, rnd func() uint64, fn func(key string, v V)) int {
	d.helpRehash(min(n, d.Len()))
	d.iterating++
	defer func() { d.iterating-- }()
	return d.sample(n, rnd, func(e *entry[V]) { fn(e.key, e.value) })
}

// helpRehash moves up to n buckets when a rehash is in progress, in proportion
// to the sample asked for (as dictGetSomeKeys does), so that samples meet
// fewer buckets of the old table.
func (d *Dict[V]) helpRehash(n int) {
	for j := 0; j < n && d.rehashing() && d.iterating == 0; j++ {
		d.rehash(1)
	}
}

func (d *Dict[V]) sample(n int, rnd func() uint64, visit func(e *entry[V])) int {
	n = min(n, d.Len())
	if n <= 0 {
		return 0
	}
	tables := 1
	maxMask := uint64(len(d.tables[0]) - 1)
	if d.rehashing() {
		tables = 2
		maxMask = max(maxMask, uint64(len(d.tables[1])-1))
	}

	stored, emptyRun := 0, 0
	i := rnd() & maxMask
	for steps := 10 * n; stored < n && steps > 0; steps-- {
		for t := 0; t < tables; t++ {
			// Buckets of the old table below rehashIdx are empty. If the new
			// table is the smaller one and i is past its end too, jump to
			// the first old bucket still in use.
			if tables == 2 && t == 0 && i < uint64(d.rehashIdx) {
				if i < uint64(len(d.tables[1])) {
					continue
				}
				i = uint64(d.rehashIdx)
			}
			table := d.tables[t]
			if i >= uint64(len(table)) {
				continue
			}
			e := table[i]
			if e == nil {
				// A long run of empty buckets: try somewhere else.
				if emptyRun++; emptyRun >= 5 && emptyRun > n {
					i = rnd() & maxMask
					emptyRun = 0
				}
				continue
			}
			emptyRun = 0
			for ; e != nil; e = e.next {
				visit(e)
				if stored++; stored == n {
					return stored
				}
			}
		}
		i = (i + 1) & maxMask
	}
	return stored
}

// randomEntry is dictGetRandomKey: a random non-empty bucket, then a random
// entry of its chain. d must not be empty.
func (d *Dict[V]) randomEntry(rnd func() uint64) *entry[V] {
	if d.rehashing() && d.iterating == 0 {
		d.rehash(1)
	}
	// Index the live buckets as one range: old-table buckets from rehashIdx
	// on, then the new table.
	first := 0
	if d.rehashing() {
		first = d.rehashIdx
	}
	size0 := len(d.tables[0])
	live := uint64(d.Buckets() - first)
	bucket := func(i uint64) *entry[V] {
		if j := first + int(i); j < size0 {
			return d.tables[0][j]
		}
		return d.tables[1][first+int(i)-size0]
	}
	i := rnd() % live
	e := bucket(i)
	for tries := 1; e == nil; tries++ {
		if tries < randomBucketTries {
			i = rnd() % live
		} else {
			i = (i + 1) % live
		}
		e = bucket(i)
	}
	chainLen := uint64(0)
	for c := e; c != nil; c = c.next {
		chainLen++
	}
	for skip := rnd() % chainLen; skip > 0; skip-- {
		e = e.next
	}
	return e
}
