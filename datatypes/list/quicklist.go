package list

// The quicklist: a doubly linked list of listpack nodes, ported from Redis
// 7.0's quicklist.c so that the same commands leave the same node layout
// (which DUMP exposes). Node size rules, from list-max-listpack-size ("fill"):
//   - fill < 0: a node's listpack may grow to 4, 8, 16, 32 or 64 KiB
//     (fill -1 .. -5), estimated before each insert as bytes + element length
//     + 8 (SIZE_ESTIMATE_OVERHEAD);
//   - fill >= 0: at most fill elements per node, and never past 8 KiB
//     (SIZE_SAFETY_LIMIT).

import (
	"bytes"

	"github.com/vireodb/vireo/datatypes/listpack"
)

const (
	sizeSafetyLimit      = 8192
	sizeEstimateOverhead = 8
	fillMax              = 1<<15 - 1
	fillMin              = -5
)

var optimizationLevel = [...]int{4096, 8192, 16384, 32768, 65536}

// Elem is one element: a string (Str, possibly empty, not nil) or, when IsInt,
// an integer the list stores packed (Redis hands these out as integers too).
// It is the listpack's entry, so elements come out of nodes without copying.
type Elem = listpack.Entry

type node struct {
	prev, next *node
	lp         []byte
	count      int
}

// List is a Redis list.
type List struct {
	head, tail *node
	count      int // elements
	nodes      int
	fill       int
}

// New returns an empty list whose nodes follow list-max-listpack-size fill
// (clamped as quicklistSetFill does). Redis fixes a list's fill when the list
// is created; later CONFIG SETs apply to new lists.
func New(fill int) *List {
	if fill > fillMax {
		fill = fillMax
	} else if fill < fillMin {
		fill = fillMin
	}
	return &List{fill: fill}
}

// Len is the number of elements.
func (l *List) Len() int { return l.count }

// NumNodes is the number of quicklist nodes.
func (l *List) NumNodes() int { return l.nodes }

func sizeMeetsOptimization(sz, fill int) bool {
	if fill >= 0 {
		return false
	}
	off := -fill - 1
	return off < len(optimizationLevel) && sz <= optimizationLevel[off]
}

// allowInsert is _quicklistNodeAllowInsert: may n take an element of sz bytes?
func (l *List) allowInsert(n *node, sz int) bool {
	if n == nil {
		return false
	}
	newSz := len(n.lp) + sz + sizeEstimateOverhead
	if sizeMeetsOptimization(newSz, l.fill) {
		return true
	}
	if newSz > sizeSafetyLimit {
		return false
	}
	return n.count < l.fill
}

// allowMerge is _quicklistNodeAllowMerge.
func (l *List) allowMerge(a, b *node) bool {
	if a == nil || b == nil {
		return false
	}
	mergeSz := len(a.lp) + len(b.lp) - 11 // one listpack header and terminator less
	if sizeMeetsOptimization(mergeSz, l.fill) {
		return true
	}
	if mergeSz > sizeSafetyLimit {
		return false
	}
	return a.count+b.count <= l.fill
}

// insertNode links nn after (after) or before old; old nil means the list is
// empty.
func (l *List) insertNode(old, nn *node, after bool) {
	if after {
		nn.prev = old
		if old != nil {
			nn.next = old.next
			if old.next != nil {
				old.next.prev = nn
			}
			old.next = nn
		}
		if l.tail == old {
			l.tail = nn
		}
	} else {
		nn.next = old
		if old != nil {
			nn.prev = old.prev
			if old.prev != nil {
				old.prev.next = nn
			}
			old.prev = nn
		}
		if l.head == old {
			l.head = nn
		}
	}
	if l.nodes == 0 {
		l.head, l.tail = nn, nn
	}
	l.nodes++
}

// delNode unlinks n and drops its elements from the count.
func (l *List) delNode(n *node) {
	if n.next != nil {
		n.next.prev = n.prev
	}
	if n.prev != nil {
		n.prev.next = n.next
	}
	if n == l.tail {
		l.tail = n.prev
	}
	if n == l.head {
		l.head = n.next
	}
	l.nodes--
	l.count -= n.count
	n.prev, n.next, n.lp = nil, nil, nil
}

func newNode(v []byte) *node {
	return &node{lp: listpack.Append(listpack.New(), v), count: 1}
}

// PushHead adds v (copied) before the first element.
func (l *List) PushHead(v []byte) {
	if l.allowInsert(l.head, len(v)) {
		l.head.lp = listpack.Prepend(l.head.lp, v)
		l.head.count++
	} else {
		l.insertNode(l.head, newNode(v), false)
	}
	l.count++
}

// PushTail adds v (copied) after the last element.
func (l *List) PushTail(v []byte) {
	if l.allowInsert(l.tail, len(v)) {
		l.tail.lp = listpack.Append(l.tail.lp, v)
		l.tail.count++
	} else {
		l.insertNode(l.tail, newNode(v), true)
	}
	l.count++
}

// Push adds v at the head (head true) or the tail.
func (l *List) Push(v []byte, head bool) {
	if head {
		l.PushHead(v)
	} else {
		l.PushTail(v)
	}
}

// Pop removes and returns the first (head true) or last element; ok is false
// when the list is empty. The returned bytes are the caller's.
func (l *List) Pop(head bool) (v []byte, ok bool) {
	n := l.tail
	if head {
		n = l.head
	}
	if n == nil {
		return nil, false
	}
	p := listpack.Last(n.lp)
	if head {
		p = listpack.First(n.lp)
	}
	v = listpack.Get(n.lp, p).Bytes()
	l.delIndex(n, p)
	return v, true
}

// delIndex deletes the entry at offset p of n (quicklistDelIndex) and
// reports whether the node went away with it.
func (l *List) delIndex(n *node, p int) bool {
	n.lp = listpack.Delete(n.lp, p)
	n.count--
	l.count--
	if n.count == 0 {
		l.delNode(n)
		return true
	}
	return false
}

// locate finds element index (negative counts from the tail) like
// quicklistGetIteratorAtIdx: the node and the element's position in it.
func (l *List) locate(index int) (*node, int) {
	forward := index >= 0
	idx := index
	if !forward {
		idx = -index - 1
	}
	if idx >= l.count {
		return nil, 0
	}
	seekForward := forward
	seek := idx
	if idx > (l.count-1)/2 {
		seekForward = !forward
		seek = l.count - 1 - idx
	}
	accum := 0
	n := l.tail
	if seekForward {
		n = l.head
	}
	for n != nil && accum+n.count <= seek {
		accum += n.count
		if seekForward {
			n = n.next
		} else {
			n = n.prev
		}
	}
	if n == nil {
		return nil, 0
	}
	if seekForward != forward {
		accum = l.count - n.count - accum
	}
	// Position from the head of the node.
	if forward {
		return n, idx - accum
	}
	return n, n.count - 1 - (idx - accum)
}

// Index returns element index (negative counts from the tail).
func (l *List) Index(index int) (Elem, bool) {
	n, off := l.locate(index)
	if n == nil {
		return Elem{}, false
	}
	return listpack.Get(n.lp, listpack.Seek(n.lp, off)), true
}

// Set replaces element index with v (quicklistReplaceAtIndex); false when
// index is out of range.
func (l *List) Set(index int, v []byte) bool {
	n, off := l.locate(index)
	if n == nil {
		return false
	}
	n.lp = listpack.Replace(n.lp, listpack.Seek(n.lp, off), v)
	return true
}

// Range calls fn for n elements starting at index start (0 <= start <
// Len()), towards the tail, or towards the head when reverse, until fn returns
// false. fn's Elem aliases node memory: don't keep it past the call.
func (l *List) Range(start, n int, reverse bool, fn func(Elem) bool) {
	nd, off := l.locate(start)
	if nd == nil {
		return
	}
	p := listpack.Seek(nd.lp, off)
	for i := 0; i < n && nd != nil; i++ {
		if !fn(listpack.Get(nd.lp, p)) {
			return
		}
		if reverse {
			p = listpack.Prev(nd.lp, p)
			for p < 0 {
				nd = nd.prev
				if nd == nil {
					return
				}
				p = listpack.Last(nd.lp)
			}
		} else {
			p = listpack.Next(nd.lp, p)
			for p < 0 {
				nd = nd.next
				if nd == nil {
					return
				}
				p = listpack.First(nd.lp)
			}
		}
	}
}

// Each calls fn for every element from the head (or from the tail when
// reverse) until fn returns false.
func (l *List) Each(reverse bool, fn func(Elem) bool) {
	if l.count == 0 {
		return
	}
	start := 0
	if reverse {
		start = l.count - 1
	}
	l.Range(start, l.count, reverse, fn)
}

// DelRange deletes count elements starting at start (negative counts from
// the tail), as quicklistDelRange: used by LTRIM and the counted pops.
func (l *List) DelRange(start, count int) {
	if count <= 0 {
		return
	}
	extent := count
	if start >= 0 && extent > l.count-start {
		extent = l.count - start
	} else if start < 0 && extent > -start {
		extent = -start
	}
	n, off := l.locate(start)
	if n == nil {
		return
	}
	for extent > 0 && n != nil {
		next := n.next
		var del int
		entire := false
		switch {
		case off == 0 && extent >= n.count:
			entire = true
			del = n.count
		case extent+off >= n.count:
			del = n.count - off
		default:
			del = extent
		}
		if entire {
			l.delNode(n)
		} else {
			n.lp = listpack.DeleteRange(n.lp, off, del)
			n.count -= del
			l.count -= del
			if n.count == 0 {
				l.delNode(n)
			}
		}
		extent -= del
		n = next
		off = 0
	}
}

// Insert puts v before (after false) or after the first element equal to
// pivot, searching from the head, and reports whether pivot was found.
func (l *List) Insert(pivot, v []byte, after bool) bool {
	for n := l.head; n != nil; n = n.next {
		off := 0
		for p := listpack.First(n.lp); p >= 0; p = listpack.Next(n.lp, p) {
			if listpack.Get(n.lp, p).Equal(pivot) {
				l.insertAt(n, off, p, v, after)
				return true
			}
			off++
		}
	}
	return false
}

// insertAt is _quicklistInsert for the entry at position off (offset p) of n.
func (l *List) insertAt(n *node, off, p int, v []byte, after bool) {
	sz := len(v)
	full := !l.allowInsert(n, sz)
	atTail, atHead, availNext, availPrev := false, false, false, false
	if after && off == n.count-1 {
		atTail = true
		availNext = l.allowInsert(n.next, sz)
	}
	if !after && off == 0 {
		atHead = true
		availPrev = l.allowInsert(n.prev, sz)
	}
	switch {
	case !full && after:
		n.lp = listpack.Insert(n.lp, p+listpack.EntrySize(n.lp, p), v)
		n.count++
	case !full:
		n.lp = listpack.Insert(n.lp, p, v)
		n.count++
	case atTail && availNext && after:
		n.next.lp = listpack.Prepend(n.next.lp, v)
		n.next.count++
	case atHead && availPrev && !after:
		n.prev.lp = listpack.Append(n.prev.lp, v)
		n.prev.count++
	case (atTail && !availNext && after) || (atHead && !availPrev && !after):
		l.insertNode(n, newNode(v), after)
	default:
		nn := l.splitNode(n, off, after)
		if after {
			nn.lp = listpack.Prepend(nn.lp, v)
		} else {
			nn.lp = listpack.Append(nn.lp, v)
		}
		nn.count++
		l.insertNode(n, nn, after)
		l.mergeNodes(n)
	}
	l.count++
}

// splitNode is _quicklistSplitNode: the returned node holds the elements
// after off (after true) or before off; n keeps the rest.
func (l *List) splitNode(n *node, off int, after bool) *node {
	nn := &node{lp: bytes.Clone(n.lp)}
	origStart, origExtent := 0, off
	newStart, newExtent := off, -1
	if after {
		origStart, origExtent = off+1, -1
		newStart, newExtent = 0, off+1
	}
	n.lp = listpack.DeleteRange(n.lp, origStart, origExtent)
	n.count = listpack.Len(n.lp)
	nn.lp = listpack.DeleteRange(nn.lp, newStart, newExtent)
	nn.count = listpack.Len(nn.lp)
	return nn
}

// mergeNodes is _quicklistMergeNodes around center.
func (l *List) mergeNodes(center *node) {
	var prev, prevPrev, next, nextNext *node
	if center.prev != nil {
		prev = center.prev
		prevPrev = prev.prev
	}
	if center.next != nil {
		next = center.next
		nextNext = next.next
	}
	if l.allowMerge(prev, prevPrev) {
		l.mergePair(prevPrev, prev)
	}
	if l.allowMerge(next, nextNext) {
		l.mergePair(next, nextNext)
	}
	target := center
	if l.allowMerge(center, center.prev) {
		target = l.mergePair(center.prev, center)
	}
	if l.allowMerge(target, target.next) {
		l.mergePair(target, target.next)
	}
}

// mergePair moves b's elements to the end of a (a is left of b), drops b and
// returns a.
func (l *List) mergePair(a, b *node) *node {
	a.lp = listpack.Merge(a.lp, b.lp)
	a.count = listpack.Len(a.lp)
	b.count = 0
	l.delNode(b)
	return a
}

// Remove deletes up to count elements equal to v, from the head (count > 0),
// from the tail (count < 0), or all of them (count == 0), as LREM; it returns
// how many went.
func (l *List) Remove(count int, v []byte) int {
	removed := 0
	limit := count
	if limit < 0 {
		limit = -limit
	}
	if count >= 0 {
		for n := l.head; n != nil; {
			next := n.next
			for p := listpack.First(n.lp); p >= 0; {
				if !listpack.Get(n.lp, p).Equal(v) {
					p = listpack.Next(n.lp, p)
					continue
				}
				gone := l.delIndex(n, p)
				removed++
				if limit != 0 && removed == limit {
					return removed
				}
				if gone {
					break
				}
				if n.lp[p] == listpack.EOF {
					p = -1
				}
			}
			n = next
		}
		return removed
	}
	for n := l.tail; n != nil; {
		prev := n.prev
		for p := listpack.Last(n.lp); p >= 0; {
			if !listpack.Get(n.lp, p).Equal(v) {
				p = listpack.Prev(n.lp, p)
				continue
			}
			before := listpack.Prev(n.lp, p)
			gone := l.delIndex(n, p)
			removed++
			if removed == limit {
				return removed
			}
			if gone {
				break
			}
			p = before
		}
		n = prev
	}
	return removed
}

// Clone returns a deep copy (keyspace.Cloner).
func (l *List) Clone() any {
	c := &List{fill: l.fill}
	for n := l.head; n != nil; n = n.next {
		c.insertNode(c.tail, &node{lp: bytes.Clone(n.lp), count: n.count}, true)
		c.count += n.count
	}
	return c
}

// EachNode calls fn with each node's listpack bytes, head first (the RDB
// writer saves them as they are). fn must not keep or change them.
func (l *List) EachNode(fn func(lp []byte)) {
	for n := l.head; n != nil; n = n.next {
		fn(n.lp)
	}
}

// AppendListpack adds an untrusted listpack as a new tail node (the RDB
// loader's quicklistAppendListpack), after checking every byte of it. An
// empty listpack adds nothing. The list takes ownership of lp.
func (l *List) AppendListpack(lp []byte) error {
	n, err := listpack.Validate(lp)
	if err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	l.insertNode(l.tail, &node{lp: lp, count: n}, true)
	l.count += n
	return nil
}

// AppendNodeOf adds a new tail node holding exactly vals, as the RDB loader
// does for each ziplist of an old QUICKLIST encoding.
func (l *List) AppendNodeOf(vals [][]byte) {
	if len(vals) == 0 {
		return
	}
	lp := listpack.New()
	for _, v := range vals {
		lp = listpack.Append(lp, v)
	}
	l.insertNode(l.tail, &node{lp: lp, count: len(vals)}, true)
	l.count += len(vals)
}

// MemoryBytes estimates the bytes l takes, in O(1) (the keyspace's memory
// accounting calls it on every write): exact for up to three nodes; longer
// lists count their inner nodes as the size of the head's neighbour, which
// a list filled by pushes at either end resembles.
func (l *List) MemoryBytes() int {
	const nodeBytes = 48
	size := 48 + l.nodes*nodeBytes
	if l.nodes <= 3 {
		for n := l.head; n != nil; n = n.next {
			size += cap(n.lp)
		}
		return size
	}
	return size + cap(l.head.lp) + cap(l.tail.lp) + (l.nodes-2)*cap(l.head.next.lp)
}
