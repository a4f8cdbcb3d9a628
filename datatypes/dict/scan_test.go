package dict

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// scanAll runs a full scan without changes between calls and counts how often
// each key came back.
func scanAll[V any](t *testing.T, d *Dict[V]) map[string]int {
	t.Helper()
	seen := map[string]int{}
	cursor, calls := uint64(0), 0
	for {
		cursor = d.Scan(cursor, func(k string, _ V) { seen[k]++ })
		if cursor == 0 {
			return seen
		}
		if calls++; calls > d.Buckets()+1 {
			t.Fatalf("scan of %d buckets not done after %d calls", d.Buckets(), calls)
		}
	}
}

// growingDict returns a Dict of n entries (n > 4) in the middle of growing.
func growingDict(t *testing.T, n int) *Dict[int] {
	d := New[int](0)
	for i := 0; i < n; i++ {
		d.Set(key(i), i)
	}
	if d.Rehash(0); !d.IsRehashing() || len(d.tables[1]) < len(d.tables[0]) {
		t.Fatalf("%d inserts did not leave a growth in progress", n)
	}
	return d
}

// shrinkingDict returns a Dict of size entries, shrunk by deletes until a
// shrink starts, then rehashed by steps buckets (not enough to finish).
func shrinkingDict(t *testing.T, size, steps int) *Dict[int] {
	d := New[int](0)
	for i := 0; i < size; i++ {
		d.Set(key(i), i)
	}
	for d.Rehash(100) {
	}
	for i := 0; i < size && !d.IsRehashing(); i++ {
		d.DeleteString(key(i))
	}
	d.Rehash(steps)
	if !d.IsRehashing() || len(d.tables[1]) > len(d.tables[0]) {
		t.Fatalf("could not build a dict mid-shrink from %d entries", size)
	}
	return d
}

func TestScanEmpty(t *testing.T) {
	for _, d := range []*Dict[int]{{}, New[int](100)} {
		called := false
		if next := d.Scan(0, func(string, int) { called = true }); next != 0 || called {
			t.Fatalf("Scan of an empty dict returned %d, called fn %v", next, called)
		}
	}
}

// TestScanWithoutChangesReturnsEachKeyOnce checks that a scan with no changes
// between calls is exact, in a stable table and in both directions of rehash.
func TestScanWithoutChangesReturnsEachKeyOnce(t *testing.T) {
	cases := map[string]*Dict[int]{}
	for _, n := range []int{1, 3, 4, 100, 1000} {
		d := New[int](0)
		for i := 0; i < n; i++ {
			d.Set(key(i), i)
		}
		for d.Rehash(100) {
		}
		cases[fmt.Sprintf("stable/%d", n)] = d
	}
	for _, n := range []int{5, 9, 600, 5000} {
		cases[fmt.Sprintf("growing/%d", n)] = growingDict(t, n)
	}
	for _, c := range []struct{ size, steps int }{{64, 0}, {1024, 0}, {1024, 20}, {8192, 300}} {
		cases[fmt.Sprintf("shrinking/%d-%d", c.size, c.steps)] = shrinkingDict(t, c.size, c.steps)
	}
	for name, d := range cases {
		t.Run(name, func(t *testing.T) {
			rehashing := d.IsRehashing()
			seen := scanAll(t, d)
			if d.IsRehashing() != rehashing {
				t.Fatal("Scan changed the rehash state")
			}
			if len(seen) != d.Len() {
				t.Fatalf("scan returned %d distinct keys of %d", len(seen), d.Len())
			}
			for k, n := range seen {
				if n != 1 {
					t.Fatalf("scan returned %q %d times", k, n)
				}
				if _, ok := d.GetString(k); !ok {
					t.Fatalf("scan returned %q, which is not in the dict", k)
				}
			}
		})
	}
}

// TestScanGuaranteeAcrossResizes is the SCAN contract as a property: keys
// present for the whole scan are all returned, while between calls other keys
// come and go in bursts that grow and shrink the table, often mid-rehash.
func TestScanGuaranteeAcrossResizes(t *testing.T) {
	grewMidScan, shrankMidScan := 0, 0
	for seed := uint64(1); seed <= 8; seed++ {
		rng := rand.New(rand.NewPCG(seed, 0x5ca1ab1e))
		d := New[int](0)
		everSet := map[string]bool{}
		set := func(k string) {
			d.Set(k, 0)
			everSet[k] = true
		}

		stable := make([]string, 20+rng.IntN(300))
		for i := range stable {
			stable[i] = fmt.Sprintf("stable:%d", i)
		}
		var volatile []string
		nextVolatile := 0
		addVolatile := func(n int) {
			for ; n > 0; n-- {
				k := fmt.Sprintf("volatile:%d", nextVolatile)
				nextVolatile++
				set(k)
				volatile = append(volatile, k)
			}
		}
		removeVolatile := func(n int) {
			for ; n > 0 && len(volatile) > 0; n-- {
				i := rng.IntN(len(volatile))
				if _, ok := d.DeleteString(volatile[i]); !ok {
					t.Fatalf("seed %d: volatile key %q missing", seed, volatile[i])
				}
				volatile[i] = volatile[len(volatile)-1]
				volatile = volatile[:len(volatile)-1]
			}
		}
		addVolatile(rng.IntN(3000))
		for _, k := range stable {
			set(k)
		}

		seen := map[string]bool{}
		cursor, calls := uint64(0), 0
		for {
			size := len(d.tables[0])
			cursor = d.Scan(cursor, func(k string, _ int) {
				if !everSet[k] {
					t.Fatalf("seed %d: scan returned %q, never set", seed, k)
				}
				seen[k] = true
			})
			if cursor == 0 {
				break
			}
			if calls++; calls > 1_000_000 {
				t.Fatalf("seed %d: scan not done after %d calls", seed, calls)
			}
			switch r := rng.IntN(100); {
			case r < 3: // burst of inserts: grows the table
				addVolatile(rng.IntN(2000))
			case r < 5: // burst of deletes: shrinks it
				removeVolatile(len(volatile) - rng.IntN(10))
			case r < 60: // a little churn
				addVolatile(rng.IntN(4))
				removeVolatile(rng.IntN(4))
			}
			if rng.IntN(10) == 0 {
				d.Rehash(rng.IntN(8))
			}
			switch newSize := len(d.tables[0]); {
			case newSize > size:
				grewMidScan++
			case newSize < size:
				shrankMidScan++
			}
		}
		for _, k := range stable {
			if !seen[k] {
				t.Fatalf("seed %d: stable key %q never returned by a scan of %d calls", seed, k, calls)
			}
		}
		checkInvariants(t, d)
	}
	// The property only means something if the table really resized between
	// calls, in both directions.
	if grewMidScan < 10 || shrankMidScan < 10 {
		t.Fatalf("table grew %d and shrank %d times mid-scan; the test needs both often", grewMidScan, shrankMidScan)
	}
	t.Logf("table grew %d and shrank %d times mid-scan", grewMidScan, shrankMidScan)
}

func TestRange(t *testing.T) {
	d := growingDict(t, 600)
	seen := map[string]int{}
	d.Range(func(k string, v int) bool {
		if k != key(v) {
			t.Fatalf("Range gave %q with value %d", k, v)
		}
		seen[k]++
		return true
	})
	if len(seen) != 600 {
		t.Fatalf("Range visited %d distinct keys, want 600", len(seen))
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("Range visited %q %d times", k, n)
		}
	}

	visits := 0
	d.Range(func(string, int) bool {
		visits++
		return visits < 10
	})
	if visits != 10 {
		t.Fatalf("Range went on for %d calls after fn returned false at the 10th", visits)
	}

	visits = 0
	for k, v := range d.All() {
		if k != key(v) {
			t.Fatalf("All gave %q with value %d", k, v)
		}
		if visits++; visits == 100 {
			break
		}
	}
	if visits != 100 {
		t.Fatalf("All loop ran %d times, want 100", visits)
	}
	// break released the iteration: mutation is allowed again.
	d.Set("after", 1)
}
