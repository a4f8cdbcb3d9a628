package stream

import "sort"

// ordered is a sorted container of items in chunks of at most chunkMax:
// a one-level B+ tree. Lookups binary-search the chunks' last items, then
// the chunk; an insert or delete moves at most one chunk's items (plus,
// rarely, the chunk list). Items appended past the end fill chunks up
// completely, so IDs arriving in order (the common case for node lists
// and PELs) leave no half-empty chunks behind.
//
// It holds the stream's nodes, groups, consumers and PELs. (datatypes may
// import only the standard library, so no third-party B-tree here.)
type ordered[T any] struct {
	less   func(a, b T) bool
	chunks [][]T
	n      int
}

const chunkMax = 128

func newOrdered[T any](less func(a, b T) bool) *ordered[T] {
	return &ordered[T]{less: less}
}

// Len is the number of items.
func (o *ordered[T]) Len() int { return o.n }

// chunkFor is the index of the first chunk whose last item is not below
// key, len(chunks) when there is none.
func (o *ordered[T]) chunkFor(key T) int {
	return sort.Search(len(o.chunks), func(i int) bool {
		c := o.chunks[i]
		return !o.less(c[len(c)-1], key)
	})
}

// pos is the index in c of the first item not below key.
func (o *ordered[T]) pos(c []T, key T) int {
	return sort.Search(len(c), func(i int) bool { return !o.less(c[i], key) })
}

func (o *ordered[T]) equal(a, b T) bool { return !o.less(a, b) && !o.less(b, a) }

// Get returns the item equal to key.
func (o *ordered[T]) Get(key T) (T, bool) {
	ci := o.chunkFor(key)
	if ci < len(o.chunks) {
		c := o.chunks[ci]
		if i := o.pos(c, key); i < len(c) && o.equal(c[i], key) {
			return c[i], true
		}
	}
	var zero T
	return zero, false
}

// Set inserts item, or replaces the item equal to it (returned).
func (o *ordered[T]) Set(item T) (T, bool) {
	var zero T
	ci := o.chunkFor(item)
	if ci == len(o.chunks) {
		// Past the last item: append, opening a new chunk when full.
		if ci == 0 || len(o.chunks[ci-1]) >= chunkMax {
			o.chunks = append(o.chunks, make([]T, 0, 8))
			ci++
		}
		o.chunks[ci-1] = append(o.chunks[ci-1], item)
		o.n++
		return zero, false
	}
	c := o.chunks[ci]
	i := o.pos(c, item)
	if i < len(c) && o.equal(c[i], item) {
		old := c[i]
		c[i] = item
		return old, true
	}
	c = append(c, zero)
	copy(c[i+1:], c[i:])
	c[i] = item
	o.chunks[ci] = c
	o.n++
	if len(c) > chunkMax {
		half := len(c) / 2
		right := append(make([]T, 0, chunkMax), c[half:]...)
		clear(c[half:])
		o.chunks[ci] = c[:half]
		o.chunks = append(o.chunks, nil)
		copy(o.chunks[ci+2:], o.chunks[ci+1:])
		o.chunks[ci+1] = right
	}
	return zero, false
}

// Delete removes the item equal to key and returns it.
func (o *ordered[T]) Delete(key T) (T, bool) {
	var zero T
	ci := o.chunkFor(key)
	if ci == len(o.chunks) {
		return zero, false
	}
	c := o.chunks[ci]
	i := o.pos(c, key)
	if i == len(c) || !o.equal(c[i], key) {
		return zero, false
	}
	old := c[i]
	copy(c[i:], c[i+1:])
	c[len(c)-1] = zero
	c = c[:len(c)-1]
	o.n--
	if len(c) == 0 {
		copy(o.chunks[ci:], o.chunks[ci+1:])
		o.chunks[len(o.chunks)-1] = nil
		o.chunks = o.chunks[:len(o.chunks)-1]
	} else {
		o.chunks[ci] = c
	}
	return old, true
}

// Min is the smallest item.
func (o *ordered[T]) Min() (T, bool) {
	if o.n == 0 {
		var zero T
		return zero, false
	}
	return o.chunks[0][0], true
}

// Max is the greatest item.
func (o *ordered[T]) Max() (T, bool) {
	if o.n == 0 {
		var zero T
		return zero, false
	}
	c := o.chunks[len(o.chunks)-1]
	return c[len(c)-1], true
}

// Scan calls fn for every item in order until it returns false. fn must
// not change the container.
func (o *ordered[T]) Scan(fn func(T) bool) {
	for _, c := range o.chunks {
		for _, it := range c {
			if !fn(it) {
				return
			}
		}
	}
}

// Ascend calls fn for the items not below pivot, in order, until it
// returns false. fn must not change the container.
func (o *ordered[T]) Ascend(pivot T, fn func(T) bool) {
	ci := o.chunkFor(pivot)
	if ci == len(o.chunks) {
		return
	}
	i := o.pos(o.chunks[ci], pivot)
	for ; ci < len(o.chunks); ci, i = ci+1, 0 {
		c := o.chunks[ci]
		for ; i < len(c); i++ {
			if !fn(c[i]) {
				return
			}
		}
	}
}

// Descend calls fn for the items not above pivot, greatest first, until it
// returns false. fn must not change the container.
func (o *ordered[T]) Descend(pivot T, fn func(T) bool) {
	if o.n == 0 {
		return
	}
	ci := o.chunkFor(pivot)
	var i int
	if ci == len(o.chunks) {
		ci = len(o.chunks) - 1
		i = len(o.chunks[ci]) - 1
	} else {
		c := o.chunks[ci]
		i = o.pos(c, pivot)
		if i == len(c) || !o.equal(c[i], pivot) {
			i--
		}
	}
	for ; ci >= 0; ci-- {
		c := o.chunks[ci]
		if i == -2 { // a fresh, earlier chunk: start at its end
			i = len(c) - 1
		}
		for ; i >= 0; i-- {
			if !fn(c[i]) {
				return
			}
		}
		i = -2
	}
}
