package zset

// The ordered index of a big sorted set: a B+ tree whose inner nodes count
// the members under each child (an order-statistics tree), so that finding
// a member's rank and the member at a rank both take O(log n), as Redis's
// skiplist does with its spans.
//
// Why a tree of our own: tidwall/btree keeps subtree counts too but exposes
// only index -> item (GetAt), not item -> index; a rank by binary search
// over GetAt costs O(log² n) (BenchmarkTidwallRank). And a B+ tree keeps
// its members in arrays of 64, about 35 bytes per member all told, where a
// skiplist node is a separate allocation with two to three pointers.
//
// Layout:
//   - leaves hold up to leafMax members in order, scores and members in two
//     parallel arrays, and are linked to their neighbours, so range scans
//     walk leaf to leaf in either direction without going back up;
//   - inner nodes hold up to innerMax children with, for each child, the
//     number of members under it and the greatest (score, member) under it;
//     a search picks the first child whose greatest member is not below
//     the key.
//
// Scores sit apart from members so that a binary search, which compares
// scores and looks at a member only on a tie, reads 512 bytes of scores per
// node instead of 1.5 KB of (score, member) pairs: at a million members the
// leaves are far out of cache, and the lines a search touches are its cost.
//
// Inserts split full nodes; an insert past the last member (or before the
// first) leaves the old node (nearly) full instead of halving it, so sets
// built in order — loading an RDB file, whose big sorted sets are saved
// greatest first, or a leaderboard of growing timestamps — pack their
// leaves full. Deletes merge a node that falls under a quarter full with a
// sibling, or move entries over from it.

import "slices"

const (
	leafMax  = 64 // 64 scores (512 bytes) and 64 members (1 KB) per leaf
	innerMax = 64
	leafMin  = leafMax / 4
	innerMin = innerMax / 4
)

// item is one member and its score, as the tree hands them out.
type item struct {
	score  float64
	member string
}

// less orders (s1, m1) before (s2, m2): by score, then member bytes.
func less(s1 float64, m1 string, s2 float64, m2 string) bool {
	return s1 < s2 || (s1 == s2 && m1 < m2)
}

type node struct {
	// Leaves: parallel arrays of scores and members, and the neighbours.
	scores     []float64
	members    []string
	prev, next *node
	// Inner nodes (children == nil marks a leaf). Counts are int32: a
	// subtree of 2^31 members would need hundreds of gigabytes.
	children   []*node
	counts     []int32
	maxScores  []float64 // the greatest member under each child
	maxMembers []string
}

func (n *node) isLeaf() bool { return n.children == nil }

// fill is how many entries the node holds: members or children.
func (n *node) fill() int {
	if n.isLeaf() {
		return len(n.scores)
	}
	return len(n.children)
}

// size is the number of members under n.
func (n *node) size() int {
	if n.isLeaf() {
		return len(n.scores)
	}
	s := 0
	for _, c := range n.counts {
		s += int(c)
	}
	return s
}

// maxItem is the greatest member under a non-empty n.
func (n *node) maxItem() (float64, string) {
	if n.isLeaf() {
		i := len(n.scores) - 1
		return n.scores[i], n.members[i]
	}
	i := len(n.maxScores) - 1
	return n.maxScores[i], n.maxMembers[i]
}

func newLeaf() *node {
	return &node{scores: make([]float64, 0, leafMax), members: make([]string, 0, leafMax)}
}

// newInner allocates room for one child over the maximum: an insert adds the
// child first and splits the node after.
func newInner() *node {
	return &node{
		children:   make([]*node, 0, innerMax+1),
		counts:     make([]int32, 0, innerMax+1),
		maxScores:  make([]float64, 0, innerMax+1),
		maxMembers: make([]string, 0, innerMax+1),
	}
}

// search returns the first index i of the sorted (scores, members) with
// (scores[i], members[i]) >= (score, member).
func search(scores []float64, members []string, score float64, member string) int {
	lo, hi := 0, len(scores)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s := scores[m]; s < score || (s == score && members[m] < member) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// childFor returns the first child whose greatest member is >= (score,
// member), or len(children) when the key is past every member.
func (n *node) childFor(score float64, member string) int {
	return search(n.maxScores, n.maxMembers, score, member)
}

// leafIndex returns the index of the first member >= (score, member) and
// whether it is that member.
func (n *node) leafIndex(score float64, member string) (int, bool) {
	i := search(n.scores, n.members, score, member)
	return i, i < len(n.scores) && n.scores[i] == score && n.members[i] == member
}

// setMax records child i's greatest member.
func (n *node) setMax(i int, c *node) {
	n.maxScores[i], n.maxMembers[i] = c.maxItem()
}

// insertChild puts child c, holding count members, at index i.
func (n *node) insertChild(i int, c *node, count int) {
	s, m := c.maxItem()
	n.children = slices.Insert(n.children, i, c)
	n.counts = slices.Insert(n.counts, i, int32(count))
	n.maxScores = slices.Insert(n.maxScores, i, s)
	n.maxMembers = slices.Insert(n.maxMembers, i, m)
}

// deleteChildren removes children [i, j).
func (n *node) deleteChildren(i, j int) {
	n.children = slices.Delete(n.children, i, j)
	n.counts = slices.Delete(n.counts, i, j)
	n.maxScores = slices.Delete(n.maxScores, i, j)
	n.maxMembers = slices.Delete(n.maxMembers, i, j)
}

// truncate keeps the first k entries of n, releasing the references of the
// others.
func (n *node) truncate(k int) {
	if n.isLeaf() {
		clear(n.members[k:])
		n.scores, n.members = n.scores[:k], n.members[:k]
		return
	}
	clear(n.children[k:])
	clear(n.maxMembers[k:])
	n.children, n.counts = n.children[:k], n.counts[:k]
	n.maxScores, n.maxMembers = n.maxScores[:k], n.maxMembers[:k]
}

// appendFrom appends src's entries [i, j) to n.
func (n *node) appendFrom(src *node, i, j int) {
	if n.isLeaf() {
		n.scores = append(n.scores, src.scores[i:j]...)
		n.members = append(n.members, src.members[i:j]...)
		return
	}
	n.children = append(n.children, src.children[i:j]...)
	n.counts = append(n.counts, src.counts[i:j]...)
	n.maxScores = append(n.maxScores, src.maxScores[i:j]...)
	n.maxMembers = append(n.maxMembers, src.maxMembers[i:j]...)
}

// prependFrom inserts src's entries [i, j) at the front of n.
func (n *node) prependFrom(src *node, i, j int) {
	if n.isLeaf() {
		n.scores = slices.Insert(n.scores, 0, src.scores[i:j]...)
		n.members = slices.Insert(n.members, 0, src.members[i:j]...)
		return
	}
	n.children = slices.Insert(n.children, 0, src.children[i:j]...)
	n.counts = slices.Insert(n.counts, 0, src.counts[i:j]...)
	n.maxScores = slices.Insert(n.maxScores, 0, src.maxScores[i:j]...)
	n.maxMembers = slices.Insert(n.maxMembers, 0, src.maxMembers[i:j]...)
}

// dropFront removes n's first k entries.
func (n *node) dropFront(k int) {
	if n.isLeaf() {
		n.scores = slices.Delete(n.scores, 0, k)
		n.members = slices.Delete(n.members, 0, k)
		return
	}
	n.deleteChildren(0, k)
}

// tree is the B+ tree. The zero value is an empty tree.
type tree struct {
	root       *node
	head, tail *node // first and last leaves
	size       int
}

// insert adds a member that is not in the tree.
func (t *tree) insert(score float64, member string) {
	if t.root == nil {
		t.root = newLeaf()
		t.head, t.tail = t.root, t.root
	}
	if right := t.insertInto(t.root, score, member, true, true); right != nil {
		left := t.root
		root := newInner()
		root.insertChild(0, left, left.size())
		root.insertChild(1, right, right.size())
		t.root = root
	}
	t.size++
}

// insertInto adds the member under n and returns n's new right sibling when
// n had to split. leftmost and rightmost say whether n is at an edge of its
// level.
func (t *tree) insertInto(n *node, score float64, member string, leftmost, rightmost bool) *node {
	if n.isLeaf() {
		i, _ := n.leafIndex(score, member)
		if len(n.scores) < leafMax {
			n.scores = slices.Insert(n.scores, i, score)
			n.members = slices.Insert(n.members, i, member)
			return nil
		}
		return t.splitLeaf(n, i, score, member)
	}
	i := n.childFor(score, member)
	if i == len(n.children) {
		i-- // past every member: the last child, whose greatest member grows
		n.maxScores[i], n.maxMembers[i] = score, member
	}
	n.counts[i]++
	right := t.insertInto(n.children[i], score, member, leftmost && i == 0, rightmost && i == len(n.children)-1)
	if right == nil {
		return nil
	}
	// Child i split: its upper part becomes child i+1.
	rightSize := right.size()
	n.counts[i] -= int32(rightSize)
	n.setMax(i, n.children[i])
	n.insertChild(i+1, right, rightSize)
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
	sib.appendFrom(n, mid, len(n.children))
	n.truncate(mid)
	return sib
}

// splitLeaf splits the full leaf n to insert the member at index i and
// returns the new right leaf.
func (t *tree) splitLeaf(n *node, i int, score float64, member string) *node {
	mid := leafMax / 2
	switch {
	case i == leafMax && n.next == nil:
		mid = leafMax // appending after the last member: n stays full
	case i == 0 && n.prev == nil:
		mid = 0 // prepending before the first member: n keeps only the new one
	}
	right := newLeaf()
	right.appendFrom(n, mid, len(n.scores))
	n.truncate(mid)
	right.prev, right.next = n, n.next
	if n.next != nil {
		n.next.prev = right
	} else {
		t.tail = right
	}
	n.next = right
	target, at := right, i-mid
	if i < mid || (i == mid && mid < leafMax) {
		target, at = n, i
	}
	target.scores = slices.Insert(target.scores, at, score)
	target.members = slices.Insert(target.members, at, member)
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
		return n.removeAt(i), true
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

// move changes the score of (old, member) to score. When the member stays
// in its leaf without becoming the leaf's greatest or crossing into the
// leaf before — the usual case of a small increment — it moves inside the
// leaf, with one descent and no change to the inner nodes; otherwise it is
// deleted and inserted again. The tree keeps its own member string.
func (t *tree) move(old float64, member string, score float64) {
	n := t.root
	for !n.isLeaf() {
		i := n.childFor(old, member)
		if i == len(n.children) {
			return
		}
		n = n.children[i]
	}
	i, found := n.leafIndex(old, member)
	if !found {
		return
	}
	last := len(n.scores) - 1
	stays := i != last && less(score, member, n.scores[last], n.members[last]) &&
		(n.prev == nil || less(n.prev.scores[len(n.prev.scores)-1], n.prev.members[len(n.prev.members)-1], score, member))
	if !stays {
		it, _ := t.delete(old, member)
		t.insert(score, it.member)
		return
	}
	stored := n.members[i]
	j := search(n.scores, n.members, score, member) // where it goes among the others
	if j > i {
		j-- // the others after i shift down by one
		copy(n.scores[i:j], n.scores[i+1:j+1])
		copy(n.members[i:j], n.members[i+1:j+1])
	} else {
		copy(n.scores[j+1:i+1], n.scores[j:i])
		copy(n.members[j+1:i+1], n.members[j:i])
	}
	n.scores[j], n.members[j] = score, stored
}

// removeAt removes and returns a leaf's member at index i.
func (n *node) removeAt(i int) item {
	it := item{n.scores[i], n.members[i]}
	n.scores = slices.Delete(n.scores, i, i+1)
	n.members = slices.Delete(n.members, i, i+1)
	return it
}

// deleteAt removes and returns the member at rank (0 <= rank < size).
func (t *tree) deleteAt(rank int) item {
	it := t.deleteRank(t.root, rank)
	t.size--
	t.shrinkRoot()
	return it
}

func (t *tree) deleteRank(n *node, rank int) item {
	if n.isLeaf() {
		return n.removeAt(rank)
	}
	i := 0
	for rank >= int(n.counts[i]) {
		rank -= int(n.counts[i])
		i++
	}
	it := t.deleteRank(n.children[i], rank)
	n.counts[i]--
	t.fixChild(n, i)
	return it
}

// fixChild restores the invariants of child i of n after a delete under it:
// its greatest member, and a minimum fill through a merge or a transfer
// with a sibling.
func (t *tree) fixChild(n *node, i int) {
	child := n.children[i]
	min, capacity := leafMin, leafMax
	if !child.isLeaf() {
		min, capacity = innerMin, innerMax
	}
	if child.fill() >= min || len(n.children) == 1 {
		if child.fill() > 0 {
			n.setMax(i, child)
		}
		return
	}
	l := i
	if l == len(n.children)-1 {
		l--
	}
	left, right := n.children[l], n.children[l+1]
	if left.fill()+right.fill() <= capacity {
		t.merge(left, right)
		n.counts[l] += n.counts[l+1]
		n.setMax(l, left)
		n.deleteChildren(l+1, l+2)
		return
	}
	moved := balance(left, right)
	n.counts[l] += int32(moved)
	n.counts[l+1] -= int32(moved)
	n.setMax(l, left)
	n.setMax(l+1, right)
}

// merge appends right's entries to left; right leaves the tree.
func (t *tree) merge(left, right *node) {
	left.appendFrom(right, 0, right.fill())
	if left.isLeaf() {
		left.next = right.next
		if right.next != nil {
			right.next.prev = left
		} else {
			t.tail = left
		}
	}
}

// balance evens out two siblings that together hold more than a node can,
// and returns how many members moved from right to left (negative: the
// other way).
func balance(left, right *node) int {
	half := (left.fill() + right.fill()) / 2
	if k := half - left.fill(); k > 0 {
		moved := countOf(right, 0, k)
		left.appendFrom(right, 0, k)
		right.dropFront(k)
		return moved
	}
	moved := countOf(left, half, left.fill())
	right.prependFrom(left, half, left.fill())
	left.truncate(half)
	return -moved
}

// countOf is the number of members under n's entries [i, j).
func countOf(n *node, i, j int) int {
	if n.isLeaf() {
		return j - i
	}
	c := 0
	for _, v := range n.counts[i:j] {
		c += int(v)
	}
	return c
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
			r += int(c)
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

func (p pos) item() item { return item{p.n.scores[p.i], p.n.members[p.i]} }

func (p pos) next() pos {
	if p.i+1 < len(p.n.scores) {
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
	return pos{p.n.prev, len(p.n.prev.scores) - 1}
}

// at returns the position of the member at rank (0 <= rank < size).
func (t *tree) at(rank int) pos {
	n := t.root
	for !n.isLeaf() {
		i := 0
		for rank >= int(n.counts[i]) {
			rank -= int(n.counts[i])
			i++
		}
		n = n.children[i]
	}
	return pos{n, rank}
}

// lowerBound returns the first member for which pred is true, pred being
// false then true along the order, and its rank; past the end when there is
// none.
func (t *tree) lowerBound(pred func(it item) bool) (pos, int) {
	if t.size == 0 {
		return pos{}, 0
	}
	n, r := t.root, 0
	for !n.isLeaf() {
		i := firstTrue(len(n.maxScores), func(k int) bool { return pred(item{n.maxScores[k], n.maxMembers[k]}) })
		if i == len(n.children) {
			return pos{}, t.size
		}
		for _, c := range n.counts[:i] {
			r += int(c)
		}
		n = n.children[i]
	}
	i := firstTrue(len(n.scores), func(k int) bool { return pred(item{n.scores[k], n.members[k]}) })
	if i == len(n.scores) {
		return pos{n.next, 0}, r + i
	}
	return pos{n, i}, r + i
}

// firstTrue is sort.Search: the first k in [0, n) with f(k), or n.
func firstTrue(n int, f func(k int) bool) int {
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if !f(m) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// first and last are the positions of the smallest and greatest members.
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
	return pos{t.tail, len(t.tail.scores) - 1}
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
			c.appendFrom(n, 0, len(n.scores))
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
		c.maxScores = append(c.maxScores, n.maxScores...)
		c.maxMembers = append(c.maxMembers, n.maxMembers...)
		for _, child := range n.children {
			c.children = append(c.children, cp(child))
		}
		return c
	}
	out.root = cp(t.root)
	out.tail = prev
	return out
}
