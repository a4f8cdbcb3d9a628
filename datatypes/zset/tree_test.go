package zset

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

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
			if len(n.items) == 0 && !isRoot {
				t.Fatal("empty leaf below the root")
			}
			if len(n.items) > leafMax {
				t.Fatalf("leaf over capacity: %d", len(n.items))
			}
			for i := 1; i < len(n.items); i++ {
				if cmpItem(n.items[i].score, n.items[i].member, &n.items[i-1]) <= 0 {
					t.Fatalf("leaf out of order at %d", i)
				}
			}
			leaves = append(leaves, n)
			if len(n.items) == 0 {
				return 0, nil
			}
			return len(n.items), &n.items[len(n.items)-1]
		}
		if len(n.children) != len(n.counts) || len(n.children) != len(n.maxes) {
			t.Fatal("inner arrays of different lengths")
		}
		if len(n.children) < 2 && !isRoot || len(n.children) > innerMax {
			t.Fatalf("inner node with %d children", len(n.children))
		}
		total := 0
		var last *item
		for i, c := range n.children {
			size, max := walk(c, false)
			if size != n.counts[i] {
				t.Fatalf("count %d, child holds %d", n.counts[i], size)
			}
			if max == nil || *max != n.maxes[i] {
				t.Fatalf("max of child %d is stale", i)
			}
			if last != nil && cmpItem(max.score, max.member, last) <= 0 {
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
		if at := tr.at(r); at.item() != p.item() {
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
