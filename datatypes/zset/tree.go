package zset

// The ordered index of a big sorted set: a B+ tree whose inner nodes count
// the members under each child (an order-statistics tree), so that finding
// a member's rank and the member at a rank both take O(log n), as Redis's
// skiplist does with its spans.
//
// Why a tree of our own: tidwall/btree keeps subtree counts too but exposes
// only index -> item (GetAt), not item -> index; a rank via binary search
// over GetAt costs O(log² n) (measured in bench_test.go). And a B+ tree holds
// 24-byte items in arrays of 64, about 35 bytes per member all told, where a
// skiplist node costs a separate allocation with two to three pointers.
//
// Layout:
//   - leaves hold items (score, member) in order, at most leafMax, and are
//     linked to their neighbours, so range scans walk leaf to leaf in either
//     direction without going back up the tree;
//   - inner nodes hold up to innerMax children with, for each child, the
//     number of items under it and the greatest item under it; a search
//     picks the first child whose greatest item is not below the key.
//
// Inserts split full nodes; an insert past the last item (or before the
// first) leaves the old node full instead of halving it, so sets built in
// order — loading an RDB file, whose big sorted sets are saved greatest
// first, or a leaderboard of growing timestamps — pack their leaves full.
// Deletes merge a node that falls under a quarter full with a sibling, or
// move items over from it.

import (
	"slices"
	"sort"
	"strings"
)

const (
	leafMax  = 64 // 64 items of 24 bytes: a 1536-byte array, a Go size class
	innerMax = 64
	leafMin  = leafMax / 4
	innerMin = innerMax / 4
)

// item is one member and its score.
type item struct {
	score  float64
	member string
}

// cmpItem orders (score, member) against it: by score, then member bytes.
func cmpItem(score float64, member string, it *item) int {
	switch {
	case score < it.score:
		return -1
	case score > it.score:
		return 1
	}
	return strings.Compare(member, it.member)
}

type node struct {
	// Leaves.
	items      []item
	prev, next *node
	// Inner nodes (children == nil marks a leaf).
	children []*node
	counts   []int  // items under each child
	maxes    []item // the greatest item under each child
}

func (n *node) isLeaf() bool { return n.children == nil }

// fill is how many entries the node holds: items or children.
func (n *node) fill() int {
	if n.isLeaf() {
		return len(n.items)
	}
	return len(n.children)
}

// size is the number of items under n.
func (n *node) size() int {
	if n.isLeaf() {
		return len(n.items)
	}
	s := 0
	for _, c := range n.counts {
		s += c
	}
	return s
}

// maxItem is the greatest item under a non-empty n.
func (n *node) maxItem() item {
	if n.isLeaf() {
		return n.items[len(n.items)-1]
	}
	return n.maxes[len(n.maxes)-1]
}

func newLeaf() *node { return &node{items: make([]item, 0, leafMax)} }

// newInner allocates room for one child over the maximum: an insert adds the
// child first and splits the node after.
func newInner() *node {
	return &node{
		children: make([]*node, 0, innerMax+1),
		counts:   make([]int, 0, innerMax+1),
		maxes:    make([]item, 0, innerMax+1),
	}
}

// childFor returns the first child whose greatest item is >= (score,
// member), or len(children) when the key is past every item.
func (n *node) childFor(score float64, member string) int {
	return sort.Search(len(n.maxes), func(i int) bool {
		return cmpItem(score, member, &n.maxes[i]) <= 0
	})
}

// leafIndex returns the index of the first item >= (score, member) and
// whether it is that item.
func (n *node) leafIndex(score float64, member string) (int, bool) {
	i := sort.Search(len(n.items), func(i int) bool {
		return cmpItem(score, member, &n.items[i]) <= 0
	})
	return i, i < len(n.items) && n.items[i].score == score && n.items[i].member == member
}

// tree is the B+ tree. The zero value is an empty tree.
type tree struct {
	root       *node
	head, tail *node // first and last leaves
	size       int
}

// insert adds an item that is not in the tree.
func (t *tree) insert(score float64, member string) {
	it := item{score, member}
	if t.root == nil {
		t.root = newLeaf()
		t.head, t.tail = t.root, t.root
	}
	if right := t.insertInto(t.root, &it, true, true); right != nil {
		left := t.root
		root := newInner()
		root.children = append(root.children, left, right)
		root.counts = append(root.counts, left.size(), right.size())
		root.maxes = append(root.maxes, left.maxItem(), right.maxItem())
		t.root = root
	}
	t.size++
}

// insertInto adds it under n and returns n's new right sibling when n had
// to split. leftmost and rightmost say whether n is at an edge of its level.
func (t *tree) insertInto(n *node, it *item, leftmost, rightmost bool) *node {
	if n.isLeaf() {
		i, _ := n.leafIndex(it.score, it.member)
		if len(n.items) < leafMax {
			n.items = slices.Insert(n.items, i, *it)
			return nil
		}
		return t.splitLeaf(n, i, it)
	}
	i := n.childFor(it.score, it.member)
	if i == len(n.children) {
		i-- // past every item: the last child, whose greatest item grows
		n.maxes[i] = *it
	}
	n.counts[i]++
	right := t.insertInto(n.children[i], it, leftmost && i == 0, rightmost && i == len(n.children)-1)
	if right == nil {
		return nil
	}
	// Child i split: its upper part becomes child i+1.
	left := n.children[i]
	rightSize := right.size()
	n.counts[i] -= rightSize
	n.maxes[i] = left.maxItem()
	n.children = slices.Insert(n.children, i+1, right)
	n.counts = slices.Insert(n.counts, i+1, rightSize)
	n.maxes = slices.Insert(n.maxes, i+1, right.maxItem())
	if len(n.children) <= innerMax {
		return nil
	}
	// Split this node, keeping it nearly full when the growth is at an edge.
	// Both halves keep at least two children: a leaf emptied by deletes
	// then always has a sibling to merge with.
	mid := len(n.children) / 2
	switch {
	case rightmost && i+1 == len(n.children)-1:
		mid = len(n.children) - 2
	case leftmost && i == 0:
		mid = 2
	}
	sib := newInner()
	sib.children = append(sib.children, n.children[mid:]...)
	sib.counts = append(sib.counts, n.counts[mid:]...)
	sib.maxes = append(sib.maxes, n.maxes[mid:]...)
	clear(n.children[mid:])
	clear(n.maxes[mid:])
	n.children, n.counts, n.maxes = n.children[:mid], n.counts[:mid], n.maxes[:mid]
	return sib
}

// splitLeaf splits the full leaf n to insert it at index i and returns the
// new right leaf.
func (t *tree) splitLeaf(n *node, i int, it *item) *node {
	mid := leafMax / 2
	switch {
	case i == leafMax && n.next == nil:
		mid = leafMax // appending after the last item: n stays full
	case i == 0 && n.prev == nil:
		mid = 0 // prepending before the first item: n keeps only the new one
	}
	right := newLeaf()
	right.items = append(right.items, n.items[mid:]...)
	clear(n.items[mid:])
	n.items = n.items[:mid]
	right.prev, right.next = n, n.next
	if n.next != nil {
		n.next.prev = right
	} else {
		t.tail = right
	}
	n.next = right
	if i < mid || (i == mid && mid < leafMax) {
		n.items = slices.Insert(n.items, i, *it)
	} else {
		right.items = slices.Insert(right.items, i-mid, *it)
	}
	return right
}

// delete removes (score, member) and returns the removed item, whose member
// is the tree's own string.
func (t *tree) delete(score float64, member string) (item, bool) {
	if t.root == nil {
		return item{}, false
	}
	it, ok := t.deleteKey(t.root, score, member)
	if !ok {
		return item{}, false
	}
	t.size--
	t.shrinkRoot()
	return it, true
}

func (t *tree) deleteKey(n *node, score float64, member string) (item, bool) {
	if n.isLeaf() {
		i, found := n.leafIndex(score, member)
		if !found {
			return item{}, false
		}
		it := n.items[i]
		n.items = slices.Delete(n.items, i, i+1)
		return it, true
	}
	i := n.childFor(score, member)
	if i == len(n.children) {
		return item{}, false
	}
	it, ok := t.deleteKey(n.children[i], score, member)
	if !ok {
		return item{}, false
	}
	n.counts[i]--
	t.fixChild(n, i)
	return it, true
}

// deleteAt removes and returns the item at rank (0 <= rank < size).
func (t *tree) deleteAt(rank int) item {
	it := t.deleteRank(t.root, rank)
	t.size--
	t.shrinkRoot()
	return it
}

func (t *tree) deleteRank(n *node, rank int) item {
	if n.isLeaf() {
		it := n.items[rank]
		n.items = slices.Delete(n.items, rank, rank+1)
		return it
	}
	i := 0
	for rank >= n.counts[i] {
		rank -= n.counts[i]
		i++
	}
	it := t.deleteRank(n.children[i], rank)
	n.counts[i]--
	t.fixChild(n, i)
	return it
}

// fixChild restores the invariants of child i of n after a delete under it:
// its greatest item, and a minimum fill through a merge or a transfer with a
// sibling.
func (t *tree) fixChild(n *node, i int) {
	child := n.children[i]
	min := leafMin
	if !child.isLeaf() {
		min = innerMin
	}
	if child.fill() >= min || len(n.children) == 1 {
		if child.fill() > 0 {
			n.maxes[i] = child.maxItem()
		}
		return
	}
	l := i
	if l == len(n.children)-1 {
		l--
	}
	left, right := n.children[l], n.children[l+1]
	capacity := leafMax
	if !left.isLeaf() {
		capacity = innerMax
	}
	if left.fill()+right.fill() <= capacity {
		t.merge(left, right)
		n.counts[l] += n.counts[l+1]
		n.maxes[l] = left.maxItem()
		n.children = slices.Delete(n.children, l+1, l+2)
		n.counts = slices.Delete(n.counts, l+1, l+2)
		n.maxes = slices.Delete(n.maxes, l+1, l+2)
		return
	}
	moved := balance(left, right)
	n.counts[l] += moved
	n.counts[l+1] -= moved
	n.maxes[l] = left.maxItem()
	n.maxes[l+1] = right.maxItem()
}

// merge appends right's entries to left; right leaves the tree.
func (t *tree) merge(left, right *node) {
	if left.isLeaf() {
		left.items = append(left.items, right.items...)
		left.next = right.next
		if right.next != nil {
			right.next.prev = left
		} else {
			t.tail = left
		}
		return
	}
	left.children = append(left.children, right.children...)
	left.counts = append(left.counts, right.counts...)
	left.maxes = append(left.maxes, right.maxes...)
}

// balance evens out two siblings that together hold more than a node can,
// and returns how many items moved from right to left (negative: the other
// way).
func balance(left, right *node) int {
	half := (left.fill() + right.fill()) / 2
	if left.isLeaf() {
		if k := half - len(left.items); k > 0 {
			left.items = append(left.items, right.items[:k]...)
			right.items = slices.Delete(right.items, 0, k)
			return k
		}
		k := len(left.items) - half
		right.items = slices.Insert(right.items, 0, left.items[half:]...)
		clear(left.items[half:])
		left.items = left.items[:half]
		return -k
	}
	moved := 0
	if k := half - len(left.children); k > 0 {
		for _, c := range right.counts[:k] {
			moved += c
		}
		left.children = append(left.children, right.children[:k]...)
		left.counts = append(left.counts, right.counts[:k]...)
		left.maxes = append(left.maxes, right.maxes[:k]...)
		right.children = slices.Delete(right.children, 0, k)
		right.counts = slices.Delete(right.counts, 0, k)
		right.maxes = slices.Delete(right.maxes, 0, k)
		return moved
	}
	for _, c := range left.counts[half:] {
		moved -= c
	}
	right.children = slices.Insert(right.children, 0, left.children[half:]...)
	right.counts = slices.Insert(right.counts, 0, left.counts[half:]...)
	right.maxes = slices.Insert(right.maxes, 0, left.maxes[half:]...)
	clear(left.children[half:])
	clear(left.maxes[half:])
	left.children, left.counts, left.maxes = left.children[:half], left.counts[:half], left.maxes[:half]
	return moved
}

// shrinkRoot removes root levels with a single child.
func (t *tree) shrinkRoot() {
	for !t.root.isLeaf() && len(t.root.children) == 1 {
		t.root = t.root.children[0]
	}
}

// rank returns the 0-based rank of (score, member) and whether it is in the
// tree.
func (t *tree) rank(score float64, member string) (int, bool) {
	if t.root == nil {
		return 0, false
	}
	n, r := t.root, 0
	for !n.isLeaf() {
		i := n.childFor(score, member)
		if i == len(n.children) {
			return 0, false
		}
		for _, c := range n.counts[:i] {
			r += c
		}
		n = n.children[i]
	}
	i, found := n.leafIndex(score, member)
	return r + i, found
}

// pos is a position in the tree: a leaf and an index in it. A nil leaf is
// the position past either end.
type pos struct {
	n *node
	i int
}

func (p pos) valid() bool { return p.n != nil }

func (p pos) item() *item { return &p.n.items[p.i] }

func (p pos) next() pos {
	if p.i+1 < len(p.n.items) {
		return pos{p.n, p.i + 1}
	}
	return pos{p.n.next, 0}
}

func (p pos) prev() pos {
	if p.i > 0 {
		return pos{p.n, p.i - 1}
	}
	if p.n.prev == nil {
		return pos{}
	}
	return pos{p.n.prev, len(p.n.prev.items) - 1}
}

// at returns the position of the item at rank (0 <= rank < size).
func (t *tree) at(rank int) pos {
	n := t.root
	for !n.isLeaf() {
		i := 0
		for rank >= n.counts[i] {
			rank -= n.counts[i]
			i++
		}
		n = n.children[i]
	}
	return pos{n, rank}
}

// lowerBound returns the first item for which pred is true, pred being false
// then true along the order, and its rank; past the end when there is none.
func (t *tree) lowerBound(pred func(it *item) bool) (pos, int) {
	if t.size == 0 {
		return pos{}, 0
	}
	n, r := t.root, 0
	for !n.isLeaf() {
		i := sort.Search(len(n.maxes), func(i int) bool { return pred(&n.maxes[i]) })
		if i == len(n.children) {
			return pos{}, t.size
		}
		for _, c := range n.counts[:i] {
			r += c
		}
		n = n.children[i]
	}
	i := sort.Search(len(n.items), func(i int) bool { return pred(&n.items[i]) })
	if i == len(n.items) {
		return pos{n.next, 0}, r + i
	}
	return pos{n, i}, r + i
}

// first and last are the positions of the smallest and greatest items.
func (t *tree) first() pos {
	if t.size == 0 {
		return pos{}
	}
	return pos{t.head, 0}
}

func (t *tree) last() pos {
	if t.size == 0 {
		return pos{}
	}
	return pos{t.tail, len(t.tail.items) - 1}
}

// clone returns a deep copy (members are immutable strings and are shared).
func (t *tree) clone() tree {
	out := tree{size: t.size}
	if t.root == nil {
		return out
	}
	var prev *node
	var cp func(n *node) *node
	cp = func(n *node) *node {
		if n.isLeaf() {
			c := newLeaf()
			c.items = append(c.items, n.items...)
			c.prev = prev
			if prev != nil {
				prev.next = c
			} else {
				out.head = c
			}
			prev = c
			return c
		}
		c := newInner()
		c.counts = append(c.counts, n.counts...)
		c.maxes = append(c.maxes, n.maxes...)
		for _, child := range n.children {
			c.children = append(c.children, cp(child))
		}
		return c
	}
	out.root = cp(t.root)
	out.tail = prev
	return out
}
