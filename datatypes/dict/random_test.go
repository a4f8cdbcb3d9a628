package dict

import (
	"math/rand/v2"
	"testing"
)

func newRnd(seed uint64) func() uint64 {
	return rand.New(rand.NewPCG(seed, 7)).Uint64
}

func TestRandomEntryEmpty(t *testing.T) {
	for _, d := range []*Dict[int]{{}, New[int](64)} {
		if k, v, ok := d.RandomEntry(newRnd(1)); ok {
			t.Fatalf("RandomEntry of an empty dict = %q, %d, true", k, v)
		}
		if n := d.Sample(5, newRnd(1), func(string, int) { t.Fatal("Sample of an empty dict called fn") }); n != 0 {
			t.Fatalf("Sample of an empty dict = %d", n)
		}
	}
}

// TestRandomEntryCoversAllKeys draws many times from a stable table and from
// tables mid-rehash: every key must come up, and none far more often than its
// share. The log shows the spread.
func TestRandomEntryCoversAllKeys(t *testing.T) {
	stable := New[int](0)
	for i := 0; i < 1000; i++ {
		stable.Set(key(i), i)
	}
	for stable.Rehash(100) {
	}
	// dictGetFairRandomKey is only roughly fair: the entries just past a run
	// of empty buckets come up more often than their share, and mid-rehash
	// the not-yet-moved half of the new table is one long run. (Outside this
	// test, every RandomEntry call advances the rehash by 20 buckets.)
	for _, c := range []struct {
		name     string
		d        *Dict[int]
		maxShare int
	}{
		{"stable", stable, 3},
		{"growing", growingDict(t, 600), 10},
		{"shrinking", shrinkingDict(t, 8192, 100), 10},
	} {
		d, maxShare := c.d, c.maxShare
		t.Run(c.name, func(t *testing.T) {
			rnd := newRnd(3)
			counts := map[string]int{}
			const perKey = 100
			draws := perKey * d.Len()
			rehashing := d.IsRehashing()
			// Draw inside a Range callback: rehashing pauses there, so the
			// draws see the table in the state under test.
			d.Range(func(string, int) bool {
				for i := 0; i < draws; i++ {
					k, v, ok := d.RandomEntry(rnd)
					if !ok || k != key(v) {
						t.Fatalf("RandomEntry = %q, %d, %v", k, v, ok)
					}
					counts[k]++
				}
				return false
			})
			if d.IsRehashing() != rehashing {
				t.Fatal("rehash state changed while paused")
			}
			if len(counts) != d.Len() {
				t.Fatalf("%d draws hit %d of %d keys", draws, len(counts), d.Len())
			}
			lo, hi := draws, 0
			for _, n := range counts {
				lo, hi = min(lo, n), max(hi, n)
			}
			t.Logf("draws per key: min %d, max %d, expected %d", lo, hi, perKey)
			for k, n := range counts {
				if n > maxShare*perKey {
					t.Fatalf("key %q drawn %d times, expected about %d", k, n, perKey)
				}
			}
		})
	}
}

func TestRandomEntryInSparseTableWithBadRandomness(t *testing.T) {
	d := New[int](1 << 16)
	d.Set("only", 1)
	for _, rnd := range []func() uint64{newRnd(5), func() uint64 { return 0 }} {
		if k, v, ok := d.RandomEntry(rnd); !ok || k != "only" || v != 1 {
			t.Fatalf("RandomEntry = %q, %d, %v; want the only key", k, v, ok)
		}
	}
}

func TestSample(t *testing.T) {
	d := growingDict(t, 5000)
	rnd := newRnd(9)
	seen := map[string]bool{}
	const rounds = 20000
	total := 0
	for round := 0; round < rounds; round++ {
		calls := 0
		n := d.Sample(16, rnd, func(k string, v int) {
			calls++
			if k != key(v) {
				t.Fatalf("Sample gave %q with value %d", k, v)
			}
			if _, ok := d.GetString(k); !ok {
				t.Fatalf("Sample gave %q, not in the dict", k)
			}
			seen[k] = true
		})
		// Like dictGetSomeKeys, Sample may give up early on a run of empty
		// buckets (common mid-rehash), but must count what it passed.
		if n != calls || n > 16 {
			t.Fatalf("Sample(16) returned %d after %d calls of fn", n, calls)
		}
		total += n
	}
	if total < rounds*15 {
		t.Fatalf("Sample(16) of 5000 entries averaged %.1f entries", float64(total)/rounds)
	}
	if len(seen) != d.Len() {
		t.Fatalf("20000 samples of 16 saw %d of %d keys", len(seen), d.Len())
	}

	small := New[int](0)
	for i := 0; i < 3; i++ {
		small.Set(key(i), i)
	}
	calls := 0
	if n := small.Sample(10, rnd, func(string, int) { calls++ }); n != 3 || calls != 3 {
		t.Fatalf("Sample(10) of 3 entries returned %d after %d calls, want 3", n, calls)
	}
	if n := small.Sample(0, rnd, func(string, int) { t.Fatal("Sample(0) called fn") }); n != 0 {
		t.Fatalf("Sample(0) = %d", n)
	}
}
