package hash

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// filled returns a hash of n pairs fN=vN, converted to a table if asked.
func filled(n int, table bool) *Hash {
	h := New()
	for i := range n {
		h.Set(fmt.Appendf(nil, "f%d", i), fmt.Appendf(nil, "v%d", i), Limits{MaxListpackEntries: 1 << 20, MaxListpackValue: 64})
	}
	if table {
		h.Convert()
	}
	return h
}

func TestRandomEmpty(t *testing.T) {
	h := New()
	if _, _, ok := h.Random(rand.Uint64); ok {
		t.Fatal("Random on empty hash")
	}
	h.RandomPairs(5, rand.Uint64, func(f, v []byte) bool { t.Fatal("RandomPairs on empty hash"); return true })
	h.RandomDistinct(5, rand.Uint64, func(f, v []byte) { t.Fatal("RandomDistinct on empty hash") })
}

func TestRandomCoversAllPairs(t *testing.T) {
	for _, table := range []bool{false, true} {
		h := filled(20, table)
		seen := map[string]bool{}
		for range 2000 {
			f, v, ok := h.Random(rand.Uint64)
			if !ok || "v"+string(f[1:]) != string(v) {
				t.Fatalf("bad pair %q=%q", f, v)
			}
			seen[string(f)] = true
		}
		if len(seen) != 20 {
			t.Fatalf("table %v: %d of 20 fields picked", table, len(seen))
		}
	}
}

func TestRandomPairs(t *testing.T) {
	for _, table := range []bool{false, true} {
		h := filled(5, table)
		n := 0
		seen := map[string]bool{}
		h.RandomPairs(500, rand.Uint64, func(f, v []byte) bool {
			if "v"+string(f[1:]) != string(v) {
				t.Fatalf("bad pair %q=%q", f, v)
			}
			seen[string(f)] = true
			n++
			return true
		})
		if n != 500 || len(seen) != 5 {
			t.Fatalf("table %v: %d picks, %d distinct", table, n, len(seen))
		}
		n = 0
		h.RandomPairs(500, rand.Uint64, func(f, v []byte) bool { n++; return n < 3 })
		if n != 3 {
			t.Fatalf("RandomPairs did not stop: %d", n)
		}
	}
}

func TestRandomDistinct(t *testing.T) {
	for _, table := range []bool{false, true} {
		for _, size := range []int{1, 10, 100} {
			h := filled(size, table)
			for _, count := range []int{1, 2, size / 3, size/3 + 1, size - 1, size, size + 5} {
				if count <= 0 {
					continue
				}
				var got []string
				h.RandomDistinct(count, rand.Uint64, func(f, v []byte) {
					if "v"+string(f[1:]) != string(v) {
						t.Fatalf("bad pair %q=%q", f, v)
					}
					got = append(got, string(f))
				})
				if len(got) != min(count, size) {
					t.Fatalf("table %v size %d count %d: %d pairs", table, size, count, len(got))
				}
				sorted := slices.Clone(got)
				slices.Sort(sorted)
				if len(slices.Compact(sorted)) != len(got) {
					t.Fatalf("table %v size %d count %d: repeats in %q", table, size, count, got)
				}
				if table || count >= size {
					continue
				}
				// Compact picks come in hash order.
				var order []string
				h.Range(func(f, v []byte) bool {
					if slices.Contains(got, string(f)) {
						order = append(order, string(f))
					}
					return true
				})
				if !slices.Equal(order, got) {
					t.Fatalf("compact picks out of order: %q", got)
				}
			}
		}
	}
}

// TestRandomDistinctIsUniform checks that each field of a compact hash and
// of a table is picked about equally often.
func TestRandomDistinctIsUniform(t *testing.T) {
	for _, table := range []bool{false, true} {
		h := filled(10, table)
		counts := map[string]int{}
		const rounds = 3000
		for range rounds {
			h.RandomDistinct(3, rand.Uint64, func(f, v []byte) { counts[string(f)]++ })
		}
		for f, n := range counts {
			// Expected 900 each; allow a wide margin.
			if n < 700 || n > 1100 {
				t.Errorf("table %v: %s picked %d times of %d rounds", table, f, n, rounds)
			}
		}
	}
}

func TestScan(t *testing.T) {
	// Compact: everything at once, cursor 0, whatever the cursor.
	h := filled(10, false)
	n := 0
	if next := h.Scan(12345, func(f, v []byte) { n++ }); next != 0 || n != 10 {
		t.Fatalf("compact scan: next %d, %d pairs", next, n)
	}
	// Table: every pair present throughout comes at least once, while the
	// table grows between calls.
	h = filled(200, true)
	seen := map[string]bool{}
	cursor := uint64(0)
	added := 0
	for {
		cursor = h.Scan(cursor, func(f, v []byte) { seen[string(f)] = true })
		if cursor == 0 {
			break
		}
		if added < 300 {
			h.Set(fmt.Appendf(nil, "new%d", added), []byte("x"), DefaultLimits)
			added++
		}
	}
	for i := range 200 {
		if !seen[fmt.Sprintf("f%d", i)] {
			t.Fatalf("f%d never returned", i)
		}
	}
}
