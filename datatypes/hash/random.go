package hash

// Random picks for HRANDFIELD, with Redis's strategies (t_hash.c
// hrandfieldWithCountCommand): with repetition, each pick independent; without
// repetition, selection sampling over a compact hash (the picks come in
// hash order, as lpRandomPairsUnique returns them), and for a table either
// removing random pairs from a copy (when most pairs are wanted) or drawing
// random pairs until enough distinct ones came up.

// Random returns a random pair; ok is false when h is empty. rnd returns
// uniformly random 64-bit values.
func (h *Hash) Random(rnd func() uint64) (field, value []byte, ok bool) {
	if h.table != nil {
		k, v, ok := h.table.RandomEntry(rnd)
		return stringBytes(k), v, ok
	}
	n := h.compactLen()
	if n == 0 {
		return nil, nil, false
	}
	skip := int(rnd() % uint64(n))
	h.compactRange(func(f, v []byte) bool {
		if skip == 0 {
			field, value, ok = f, v, true
			return false
		}
		skip--
		return true
	})
	return field, value, ok
}

// RandomPairs calls fn count times with a random pair each time (repetitions
// allowed), until fn returns false. It does nothing when h is empty.
func (h *Hash) RandomPairs(count int, rnd func() uint64, fn func(field, value []byte) bool) {
	if h.Len() == 0 {
		return
	}
	if h.table != nil {
		for ; count > 0; count-- {
			k, v, _ := h.table.RandomEntry(rnd)
			if !fn(stringBytes(k), v) {
				return
			}
		}
		return
	}
	offs := h.compactOffsets()
	for ; count > 0; count-- {
		f, v := h.compactPairAt(int(offs[rnd()%uint64(len(offs))]))
		if !fn(f, v) {
			return
		}
	}
}

// RandomDistinct calls fn with min(count, Len) distinct pairs picked at
// random. When count >= Len every pair comes, in Range order.
func (h *Hash) RandomDistinct(count int, rnd func() uint64, fn func(field, value []byte)) {
	size := h.Len()
	if count <= 0 || size == 0 {
		return
	}
	if count >= size {
		h.Range(func(f, v []byte) bool { fn(f, v); return true })
		return
	}
	if h.table == nil {
		// Selection sampling (Knuth's algorithm S): pair i is taken with
		// probability wanted/left, which yields a uniform subset in order.
		wanted, left := count, size
		h.compactRange(func(f, v []byte) bool {
			if rnd()%uint64(left) < uint64(wanted) {
				fn(f, v)
				wanted--
			}
			left--
			return wanted > 0
		})
		return
	}
	if count*3 > size {
		// Most pairs are wanted: copy them all and drop random ones.
		type pair struct {
			f string
			v []byte
		}
		all := make([]pair, 0, size)
		h.table.Range(func(k string, v []byte) bool {
			all = append(all, pair{k, v})
			return true
		})
		for len(all) > count {
			i := rnd() % uint64(len(all))
			all[i] = all[len(all)-1]
			all = all[:len(all)-1]
		}
		for _, p := range all {
			fn(stringBytes(p.f), p.v)
		}
		return
	}
	// Few pairs are wanted: draw until count distinct ones came up.
	seen := make(map[string]struct{}, count)
	for len(seen) < count {
		k, v, _ := h.table.RandomEntry(rnd)
		if _, dup := seen[k]; dup {
			continue
		}
		seen[k] = struct{}{}
		fn(stringBytes(k), v)
	}
}
