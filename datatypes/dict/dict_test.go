package dict

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// checkInvariants walks d's tables and fails t if the bookkeeping disagrees
// with them: power-of-two sizes, every entry in the bucket its hash selects,
// emptied old buckets below rehashIdx, counts, unique keys, key bytes.
func checkInvariants[V any](t *testing.T, d *Dict[V]) {
	t.Helper()
	seen := make(map[string]bool, d.Len())
	keyBytes := 0
	for ti, table := range d.tables {
		if n := len(table); n != 0 && (n&(n-1) != 0 || n < minTableSize) {
			t.Fatalf("table %d has size %d, want a power of two >= %d", ti, n, minTableSize)
		}
		mask := uint64(len(table) - 1)
		count := 0
		for i, e := range table {
			if ti == 0 && d.rehashing() && i < d.rehashIdx && e != nil {
				t.Fatalf("old bucket %d below rehashIdx %d is not empty", i, d.rehashIdx)
			}
			for ; e != nil; e = e.next {
				count++
				if got := HashString(e.key) & mask; got != uint64(i) {
					t.Fatalf("key %q in bucket %d of table %d, its hash selects %d", e.key, i, ti, got)
				}
				if seen[e.key] {
					t.Fatalf("key %q stored twice", e.key)
				}
				seen[e.key] = true
				keyBytes += stringAllocSize(len(e.key))
			}
		}
		if count != d.used[ti] {
			t.Fatalf("table %d holds %d entries, used says %d", ti, count, d.used[ti])
		}
	}
	if !d.rehashing() && d.used[1] != 0 {
		t.Fatalf("not rehashing but used[1] = %d", d.used[1])
	}
	if keyBytes != d.keyBytes {
		t.Fatalf("keyBytes = %d, entries hold %d", d.keyBytes, keyBytes)
	}
}

func key(i int) string { return fmt.Sprintf("key:%d", i) }

func TestHashBytesEqualsHashString(t *testing.T) {
	for _, s := range []string{"", "a", "key:1", "a somewhat longer key that spans several words of input"} {
		if Hash([]byte(s)) != HashString(s) {
			t.Errorf("Hash(%q) != HashString(%q)", s, s)
		}
	}
	if HashString("a") == HashString("b") {
		t.Error("HashString(\"a\") == HashString(\"b\"): seed or hash broken")
	}
}

func TestZeroValueIsUsable(t *testing.T) {
	var d Dict[int]
	if _, ok := d.GetString("x"); ok {
		t.Fatal("empty Dict found a key")
	}
	if _, ok := d.DeleteString("x"); ok {
		t.Fatal("empty Dict deleted a key")
	}
	if d.Set("x", 1) {
		t.Fatal("first Set reported a replacement")
	}
	if v, ok := d.GetString("x"); !ok || v != 1 {
		t.Fatalf("Get = %v, %v; want 1, true", v, ok)
	}
	checkInvariants(t, &d)
}

func TestSetGetDeleteOverwrite(t *testing.T) {
	d := New[string](0)
	if d.Set("k", "v1") {
		t.Fatal("Set of a new key reported replaced")
	}
	if !d.Set("k", "v2") {
		t.Fatal("Set of an existing key did not report replaced")
	}
	if d.Len() != 1 {
		t.Fatalf("Len = %d after overwrite, want 1", d.Len())
	}
	for _, get := range []func() (string, bool){
		func() (string, bool) { return d.Get([]byte("k")) },
		func() (string, bool) { return d.GetString("k") },
		func() (string, bool) { return d.GetHashed(Hash([]byte("k")), []byte("k")) },
	} {
		if v, ok := get(); !ok || v != "v2" {
			t.Fatalf("get = %q, %v; want v2, true", v, ok)
		}
	}
	if _, ok := d.Get([]byte("other")); ok {
		t.Fatal("Get of a missing key succeeded")
	}
	if _, ok := d.Get(nil); ok {
		t.Fatal("Get(nil) succeeded before the empty key was set")
	}
	d.Set("", "empty")
	if v, ok := d.Get(nil); !ok || v != "empty" {
		t.Fatalf("Get(nil) = %q, %v; want the empty key's value", v, ok)
	}
	if v, ok := d.Delete([]byte("k")); !ok || v != "v2" {
		t.Fatalf("Delete = %q, %v; want v2, true", v, ok)
	}
	if _, ok := d.Delete([]byte("k")); ok {
		t.Fatal("second Delete succeeded")
	}
	if v, ok := d.DeleteHashed(HashString(""), nil); !ok || v != "empty" {
		t.Fatalf("DeleteHashed = %q, %v; want empty, true", v, ok)
	}
	if d.Len() != 0 {
		t.Fatalf("Len = %d, want 0", d.Len())
	}
	checkInvariants(t, d)
}

// TestAgainstMap runs random operations on a Dict and a map side by side,
// with sizes that swing up and down so tables grow and shrink mid-rehash.
func TestAgainstMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	d := New[int](0)
	model := map[string]int{}
	const keySpace = 5000
	for step := 0; step < 60000; step++ {
		// Bias toward inserts in the first half of every 20000 steps and
		// toward deletes in the second, so the table swings.
		insertBias := 60
		if step%20000 >= 10000 {
			insertBias = 25
		}
		k := key(rng.IntN(keySpace))
		switch op := rng.IntN(100); {
		case op < insertBias:
			_, had := model[k]
			if replaced := d.Set(k, step); replaced != had {
				t.Fatalf("step %d: Set(%q) replaced = %v, want %v", step, k, replaced, had)
			}
			model[k] = step
		case op < 90:
			want, had := model[k]
			got, ok := d.DeleteString(k)
			if ok != had || got != want {
				t.Fatalf("step %d: Delete(%q) = %d, %v; want %d, %v", step, k, got, ok, want, had)
			}
			delete(model, k)
		default:
			want, had := model[k]
			got, ok := d.Get([]byte(k))
			if ok != had || got != want {
				t.Fatalf("step %d: Get(%q) = %d, %v; want %d, %v", step, k, got, ok, want, had)
			}
		}
		if d.Len() != len(model) {
			t.Fatalf("step %d: Len = %d, want %d", step, d.Len(), len(model))
		}
		if step%997 == 0 {
			checkInvariants(t, d)
		}
	}
	checkInvariants(t, d)
	for k, want := range model {
		if got, ok := d.GetString(k); !ok || got != want {
			t.Fatalf("final Get(%q) = %d, %v; want %d", k, got, ok, want)
		}
	}
}

func TestGrowthThroughRehash(t *testing.T) {
	d := New[int](0)
	if d.Buckets() != 0 {
		t.Fatalf("New(0) allocated %d buckets", d.Buckets())
	}
	sawRehash := false
	for i := 0; i < 10000; i++ {
		d.Set(key(i), i)
		if d.IsRehashing() {
			sawRehash = true
			// The new table is the next power of two above the count at the
			// moment growth started, i.e. twice the old one.
			if len(d.tables[1]) != 2*len(d.tables[0]) {
				t.Fatalf("growing from %d to %d buckets", len(d.tables[0]), len(d.tables[1]))
			}
		}
		// Every key inserted so far stays reachable mid-rehash.
		if i%500 == 0 {
			checkInvariants(t, d)
			for j := 0; j <= i; j++ {
				if v, ok := d.GetString(key(j)); !ok || v != j {
					t.Fatalf("after %d inserts, Get(%q) = %d, %v", i+1, key(j), v, ok)
				}
			}
		}
	}
	if !sawRehash {
		t.Fatal("10000 inserts never rehashed")
	}
	for d.Rehash(100) {
	}
	// Growth happens when an insert finds Len >= buckets: 10000 entries live
	// in 16384 buckets.
	if d.Buckets() != 16384 {
		t.Fatalf("Buckets = %d after 10000 inserts, want 16384", d.Buckets())
	}
	checkInvariants(t, d)
}

func TestGrowthPolicyMatchesRedis(t *testing.T) {
	d := New[int](0)
	for i := 0; i < 4; i++ {
		d.Set(key(i), i)
	}
	if d.Buckets() != 4 || d.IsRehashing() {
		t.Fatalf("4 entries: %d buckets, rehashing %v; want 4, false", d.Buckets(), d.IsRehashing())
	}
	d.Set(key(4), 4)
	if !d.IsRehashing() || len(d.tables[1]) != 8 {
		t.Fatalf("5th insert: rehashing %v to %d buckets; want a rehash to 8", d.IsRehashing(), len(d.tables[1]))
	}
}

func TestShrinkThroughRehash(t *testing.T) {
	d := New[int](0)
	const n = 20000
	for i := 0; i < n; i++ {
		d.Set(key(i), i)
	}
	for d.Rehash(1000) {
	}
	sawShrink := false
	for i := 0; i < n-50; i++ {
		if _, ok := d.DeleteString(key(i)); !ok {
			t.Fatalf("Delete(%q) missed", key(i))
		}
		if d.IsRehashing() && len(d.tables[1]) < len(d.tables[0]) {
			sawShrink = true
			if d.Len()*100/len(d.tables[0]) >= minFillPercent {
				t.Fatalf("shrinking with %d entries in %d buckets", d.Len(), len(d.tables[0]))
			}
		}
		if i%1000 == 0 {
			checkInvariants(t, d)
			for j := i + 1; j < n; j += 7 {
				if v, ok := d.GetString(key(j)); !ok || v != j {
					t.Fatalf("after %d deletes, Get(%q) = %d, %v", i+1, key(j), v, ok)
				}
			}
		}
	}
	if !sawShrink {
		t.Fatal("deleting almost everything never shrank the table")
	}
	for d.Rehash(1000) {
	}
	// Shrinks land on the smallest power of two >= Len when they start, so
	// never below 64 for 50 entries. A shrink can start only when no rehash
	// runs, so where the last one landed depends on how far the incremental
	// rehashes had got (the hash seed is random): any size is right that
	// owes no further shrink.
	if d.Buckets() < 64 || d.Len()*100/d.Buckets() < minFillPercent {
		t.Fatalf("Buckets = %d for %d entries: want at least 64 and a fill of at least %d%%", d.Buckets(), d.Len(), minFillPercent)
	}
	for i := n - 50; i < n; i++ {
		d.DeleteString(key(i))
	}
	for d.Rehash(1000) {
	}
	if d.Buckets() != minTableSize || d.Len() != 0 {
		t.Fatalf("empty dict has %d buckets, %d entries; want %d, 0", d.Buckets(), d.Len(), minTableSize)
	}
	checkInvariants(t, d)
}

func TestNewSizeHintAvoidsResize(t *testing.T) {
	d := New[int](1000)
	if d.Buckets() != 1024 {
		t.Fatalf("New(1000) has %d buckets, want 1024", d.Buckets())
	}
	for i := 0; i < 1000; i++ {
		d.Set(key(i), i)
		if d.IsRehashing() {
			t.Fatalf("rehash started at insert %d despite the size hint", i+1)
		}
	}
}

func TestGrow(t *testing.T) {
	d := New[int](0)
	for i := 0; i < 100; i++ {
		d.Set(key(i), i)
	}
	d.Grow(5000)
	for d.Rehash(1000) {
	}
	if d.Buckets() != 8192 {
		t.Fatalf("Grow(5000): %d buckets, want 8192", d.Buckets())
	}
	for i := 100; i < 5000; i++ {
		d.Set(key(i), i)
		if d.IsRehashing() {
			t.Fatalf("rehash started at entry %d after Grow(5000)", i+1)
		}
	}
	checkInvariants(t, d)
}

func TestSizeHintsAreCapped(t *testing.T) {
	for _, hint := range []int{-1, 0} {
		if d := New[int](hint); d.Buckets() != 0 {
			t.Fatalf("New(%d) allocated %d buckets", hint, d.Buckets())
		}
	}
	// A hint read from a corrupt file must not ask for an impossible table.
	huge := int(^uint(0) >> 1)
	if d := New[int](huge); d.Buckets() != maxSizeHint {
		t.Fatalf("New(MaxInt) allocated %d buckets, want %d", d.Buckets(), maxSizeHint)
	}
	d := New[int](0)
	d.Set("a", 1)
	d.Grow(huge)
	if d.Buckets() > maxSizeHint+minTableSize || d.Len() != 1 {
		t.Fatalf("Grow(MaxInt): %d buckets, Len %d", d.Buckets(), d.Len())
	}
}

func TestRef(t *testing.T) {
	type counter struct{ hits int }
	d := New[counter](0)
	if d.Ref([]byte("a")) != nil {
		t.Fatal("Ref of a missing key is not nil")
	}
	d.Set("a", counter{})
	for i := 0; i < 3; i++ {
		d.Ref([]byte("a")).hits++
	}
	d.RefString("a").hits++
	d.RefHashed(HashString("a"), []byte("a")).hits++
	if v, _ := d.GetString("a"); v.hits != 5 {
		t.Fatalf("hits = %d after 5 in-place increments, want 5", v.hits)
	}
	// A Ref taken mid-rehash must keep pointing at the live value as the
	// entry moves: entries move between tables by pointer.
	for i := 0; i < 4; i++ {
		d.Set(key(i), counter{})
	}
	if !d.IsRehashing() {
		t.Fatal("expected a rehash in progress")
	}
	p := d.RefString("a")
	for d.Rehash(1) {
	}
	p.hits = 42
	if v, _ := d.GetString("a"); v.hits != 42 {
		t.Fatalf("write through a Ref taken before the rehash finished was lost: hits = %d", v.hits)
	}
}

func TestClear(t *testing.T) {
	d := New[int](0)
	for i := 0; i < 1000; i++ {
		d.Set(key(i), i)
	}
	d.Clear()
	if d.Len() != 0 || d.Buckets() != 0 || d.IsRehashing() {
		t.Fatalf("after Clear: Len %d, Buckets %d, rehashing %v", d.Len(), d.Buckets(), d.IsRehashing())
	}
	if _, ok := d.GetString(key(1)); ok {
		t.Fatal("key survived Clear")
	}
	n := 0
	d.Range(func(string, int) bool { n++; return true })
	if n != 0 {
		t.Fatalf("Range after Clear visited %d entries", n)
	}
	d.Set("x", 1)
	if v, ok := d.GetString("x"); !ok || v != 1 {
		t.Fatal("Dict unusable after Clear")
	}
	checkInvariants(t, d)
}

func TestMutationInsideCallbackPanics(t *testing.T) {
	mutations := map[string]func(d *Dict[int]){
		"Set":    func(d *Dict[int]) { d.Set("new", 1) },
		"Delete": func(d *Dict[int]) { d.DeleteString("a") },
		"Clear":  func(d *Dict[int]) { d.Clear() },
		"Grow":   func(d *Dict[int]) { d.Grow(100) },
	}
	walks := map[string]func(d *Dict[int], fn func()){
		"Range": func(d *Dict[int], fn func()) { d.Range(func(string, int) bool { fn(); return false }) },
		"Scan": func(d *Dict[int], fn func()) {
			for c := d.Scan(0, func(string, int) { fn() }); c != 0; c = d.Scan(c, func(string, int) { fn() }) {
			}
		},
		"Sample": func(d *Dict[int], fn func()) { d.Sample(1, rand.Uint64, func(string, int) { fn() }) },
	}
	for wn, walk := range walks {
		for mn, mutate := range mutations {
			t.Run(wn+"/"+mn, func(t *testing.T) {
				d := New[int](0)
				d.Set("a", 1)
				func() {
					defer func() {
						if recover() == nil {
							t.Errorf("%s inside %s did not panic", mn, wn)
						}
					}()
					walk(d, func() { mutate(d) })
				}()
				// The walk's bookkeeping is restored after the panic.
				d.Set("b", 2)
				if d.Len() != 2 {
					t.Fatalf("Len = %d after recovering, want 2", d.Len())
				}
			})
		}
	}
}

func TestLookupsInsideCallbackDoNotMoveEntries(t *testing.T) {
	d := New[int](0)
	// Growth to 1024 buckets starts at entry 513 and takes a few hundred
	// operations: 600 entries leave it in progress.
	const n = 600
	for i := 0; i < n; i++ {
		d.Set(key(i), i)
	}
	if !d.IsRehashing() {
		t.Fatal("expected a rehash in progress")
	}
	seen := map[string]int{}
	d.Range(func(k string, v int) bool {
		seen[k]++
		d.GetString(key(v / 2))
		d.RandomEntry(rand.Uint64)
		return true
	})
	if len(seen) != n {
		t.Fatalf("Range with lookups inside visited %d distinct keys, want %d", len(seen), n)
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("Range visited %q %d times", k, n)
		}
	}
}

func TestMemoryUsage(t *testing.T) {
	d := New[int](0)
	empty := d.MemoryUsage()
	for i := 0; i < 1000; i++ {
		d.Set(key(i), i)
	}
	for d.Rehash(100) {
	}
	// 1000 entries of 32 bytes, 1024 buckets of 8, keys under 16 bytes
	// counted at their length.
	keyLen := 0
	for i := 0; i < 1000; i++ {
		keyLen += len(key(i))
	}
	got := d.MemoryUsage() - empty
	want := 1000*32 + 1024*8 + keyLen
	if got != want {
		t.Fatalf("MemoryUsage grew by %d for 1000 entries, want about %d", got, want)
	}
	d.Clear()
	if d.MemoryUsage() != empty {
		t.Fatalf("MemoryUsage = %d after Clear, want %d", d.MemoryUsage(), empty)
	}
}

func TestAllocSize(t *testing.T) {
	for _, c := range []struct{ n, want int }{
		{0, 0}, {1, 8}, {8, 8}, {9, 16}, {32, 32}, {33, 48}, {32768, 32768}, {32769, 40960},
	} {
		if got := allocSize(c.n); got != c.want {
			t.Errorf("allocSize(%d) = %d, want %d", c.n, got, c.want)
		}
	}
}
