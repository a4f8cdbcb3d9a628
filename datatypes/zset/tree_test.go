package zset

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// cmpItem orders (score, member) against it, for tests.
func cmpItem(score float64, member string, it *item) int {
	switch {
	case less(score, member, it.score, it.member):
		return -1
	case less(it.score, it.member, score, member):
		return 1
	}
	return 0
}

// checkTree verifies every invariant of the B+ tree: order, counts, maxes,
// fill, leaf links, head and tail.
func checkTree(t testing.TB, tr *tree) {
	t.Helper()
	if tr.root == nil {
		if tr.size != 0 {
			t.Fatalf("nil root with size %d", tr.size)
		}
		return
	}
	var leaves []*node
	var walk func(n *node, isRoot bool) (int, *item)
	walk = func(n *node, isRoot bool) (int, *item) {
		if n.isLeaf() {
			if len(n.scores) != len(n.members) {
				t.Fatal("leaf arrays of different lengths")
			}
			if len(n.scores) == 0 && !isRoot {
				t.Fatal("empty leaf below the root")
			}
			if len(n.scores) > leafMax {
				t.Fatalf("leaf over capacity: %d", len(n.scores))
			}
			for i := 1; i < len(n.scores); i++ {
				if !less(n.scores[i-1], n.members[i-1], n.scores[i], n.members[i]) {
					t.Fatalf("leaf out of order at %d", i)
				}
			}
			leaves = append(leaves, n)
			if len(n.scores) == 0 {
				return 0, nil
			}
			it := item{n.scores[len(n.scores)-1], n.members[len(n.members)-1]}
			return len(n.scores), &it
		}
		if len(n.children) != len(n.counts) || len(n.children) != len(n.maxScores) || len(n.children) != len(n.maxMembers) {
			t.Fatal("inner arrays of different lengths")
		}
		if len(n.children) < 2 && !isRoot || len(n.children) > innerMax {
			t.Fatalf("inner node with %d children", len(n.children))
		}
		total := 0
		var last *item
		for i, c := range n.children {
			size, max := walk(c, false)
			if size != int(n.counts[i]) {
				t.Fatalf("count %d, child holds %d", n.counts[i], size)
			}
			if max == nil || max.score != n.maxScores[i] || max.member != n.maxMembers[i] {
				t.Fatalf("max of child %d is stale", i)
			}
			if last != nil && !less(last.score, last.member, max.score, max.member) {
				t.Fatal("children out of order")
			}
			last = max
			total += size
		}
		return total, last
	}
	size, _ := walk(tr.root, true)
	if size != tr.size {
		t.Fatalf("tree holds %d items, size says %d", size, tr.size)
	}
	if tr.head != leaves[0] || tr.tail != leaves[len(leaves)-1] {
		t.Fatal("head or tail is not the first or last leaf")
	}
	for i, l := range leaves {
		var prev, next *node
		if i > 0 {
			prev = leaves[i-1]
		}
		if i+1 < len(leaves) {
			next = leaves[i+1]
		}
		if l.prev != prev || l.next != next {
			t.Fatalf("leaf %d is mislinked", i)
		}
	}
}

func TestTreeRandom(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	var tr tree
	present := map[string]float64{}
	key := func(i int) string { return fmt.Sprintf("k%05d", i) }
	for step := 0; step < 60000; step++ {
		i := rnd.IntN(20000)
		k := key(i)
		if s, ok := present[k]; ok && rnd.IntN(3) > 0 {
			if _, deleted := tr.delete(s, k); !deleted {
				t.Fatalf("delete %s failed", k)
			}
			delete(present, k)
		} else if !ok {
			s := float64(rnd.IntN(1000))
			tr.insert(s, k)
			present[k] = s
		}
		if step%5000 == 0 {
			checkTree(t, &tr)
		}
	}
	checkTree(t, &tr)
	// Ranks agree with an in-order walk, both ways.
	r := 0
	for p := tr.first(); p.valid(); p = p.next() {
		got, ok := tr.rank(p.item().score, p.item().member)
		if !ok || got != r {
			t.Fatalf("rank of item %d is %d, %v", r, got, ok)
		}
		if at := tr.at(r); at.n != p.n || at.i != p.i {
			t.Fatalf("at(%d) is another item", r)
		}
		r++
	}
	if r != tr.size {
		t.Fatalf("walked %d of %d", r, tr.size)
	}
	// Delete everything by rank from the middle.
	for tr.size > 0 {
		tr.deleteAt(tr.size / 2)
		if tr.size%1000 == 0 {
			checkTree(t, &tr)
		}
	}
	checkTree(t, &tr)
	if tr.first().valid() || tr.last().valid() {
		t.Fatal("empty tree has positions")
	}
}

// Sets built in order fill their leaves: appending (a growing leaderboard)
// and prepending (an RDB load, greatest member first).
func TestTreeOrderedFill(t *testing.T) {
	for _, desc := range []bool{false, true} {
		var tr tree
		const n = 100000
		for i := 0; i < n; i++ {
			v := i
			if desc {
				v = n - i
			}
			tr.insert(float64(v), "m")
		}
		checkTree(t, &tr)
		leaves := 0
		for l := tr.head; l != nil; l = l.next {
			leaves++
		}
		if min := n / leafMax; leaves > min+min/20 {
			t.Errorf("descending=%v: %d leaves for %d items, %d would do", desc, leaves, n, min)
		}
	}
}

func TestTreeClone(t *testing.T) {
	var tr tree
	for i := 0; i < 5000; i++ {
		tr.insert(float64(i%97), fmt.Sprint(i))
	}
	cl := tr.clone()
	checkTree(t, &cl)
	for i := 0; i < 2500; i++ {
		cl.deleteAt(0)
	}
	checkTree(t, &cl)
	checkTree(t, &tr)
	if tr.size != 5000 {
		t.Fatal("deleting from the clone changed the original")
	}
}

// TestTreeMove changes scores by small and large steps, so members move
// inside their leaf and across leaves.
func TestTreeMove(t *testing.T) {
	rnd := rand.New(rand.NewPCG(11, 12))
	var tr tree
	scores := map[string]float64{}
	for i := 0; i < 5000; i++ {
		k := fmt.Sprintf("k%d", i)
		scores[k] = float64(rnd.IntN(20000))
		tr.insert(scores[k], k)
	}
	for step := 0; step < 50000; step++ {
		k := fmt.Sprintf("k%d", rnd.IntN(5000))
		delta := float64(rnd.IntN(7) - 3)
		if step%10 == 0 {
			delta = float64(rnd.IntN(40000) - 20000)
		}
		if delta == 0 {
			continue
		}
		tr.move(scores[k], k, scores[k]+delta)
		scores[k] += delta
		if step%5000 == 0 {
			checkTree(t, &tr)
		}
	}
	checkTree(t, &tr)
	for k, s := range scores {
		if _, ok := tr.rank(s, k); !ok {
			t.Fatalf("%s not found at %v", k, s)
		}
	}
}
