package hash

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// model is the reference: pairs in insertion order (an update keeps its
// place, as in Redis's listpack), and whether the hash must have converted.
type model struct {
	fields, values []string
	table          bool
}

func (m *model) find(f string) int { return slices.Index(m.fields, f) }

func (m *model) set(f, v string, lim Limits) bool {
	if len(f) > lim.MaxListpackValue || len(v) > lim.MaxListpackValue {
		m.table = true
	}
	created := false
	if i := m.find(f); i >= 0 {
		m.values[i] = v
	} else {
		m.fields = append(m.fields, f)
		m.values = append(m.values, v)
		created = true
	}
	if len(m.fields) > lim.MaxListpackEntries {
		m.table = true
	}
	return created
}

func (m *model) del(f string) bool {
	i := m.find(f)
	if i < 0 {
		return false
	}
	m.fields = slices.Delete(m.fields, i, i+1)
	m.values = slices.Delete(m.values, i, i+1)
	return true
}

// check compares h with m in every observable way.
func check(t testing.TB, h *Hash, m *model) {
	t.Helper()
	if h.Len() != len(m.fields) {
		t.Fatalf("Len %d, model %d", h.Len(), len(m.fields))
	}
	if h.IsCompact() == m.table {
		t.Fatalf("IsCompact %v, model table %v (len %d)", h.IsCompact(), m.table, len(m.fields))
	}
	for i, f := range m.fields {
		v, ok := h.Get([]byte(f))
		if !ok || string(v) != m.values[i] {
			t.Fatalf("Get %q = %q %v, model %q", f, v, ok, m.values[i])
		}
		if !h.Has([]byte(f)) {
			t.Fatalf("Has %q false", f)
		}
	}
	var got []string
	h.Range(func(f, v []byte) bool {
		got = append(got, string(f)+"="+string(v))
		return true
	})
	want := make([]string, len(m.fields))
	for i := range m.fields {
		want[i] = m.fields[i] + "=" + m.values[i]
	}
	if !h.IsCompact() {
		slices.Sort(got)
		slices.Sort(want)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Range %q, model %q", got, want)
	}
}

func TestCompactSetGetDelete(t *testing.T) {
	h := New()
	lim := DefaultLimits
	if !h.Set([]byte("a"), []byte("1"), lim) || !h.Set([]byte("b"), []byte("2"), lim) {
		t.Fatal("new fields reported as updates")
	}
	if h.Set([]byte("a"), []byte("longer value"), lim) {
		t.Fatal("update reported as new")
	}
	h.Set([]byte(""), []byte(""), lim)
	m := &model{fields: []string{"a", "b", ""}, values: []string{"longer value", "2", ""}}
	check(t, h, m)
	if _, ok := h.Get([]byte("c")); ok || h.Has([]byte("c")) {
		t.Fatal("missing field found")
	}
	h.Set([]byte("a"), []byte("x"), lim) // shrink in place
	m.values[0] = "x"
	check(t, h, m)
	if !h.Delete([]byte("b")) || h.Delete([]byte("b")) {
		t.Fatal("Delete results wrong")
	}
	m.del("b")
	check(t, h, m)
}

func TestLongStringsUseMultiByteLengths(t *testing.T) {
	h := New()
	lim := Limits{MaxListpackEntries: 128, MaxListpackValue: 1 << 20}
	long := strings.Repeat("x", 300)
	h.Set([]byte(long), []byte("v"), lim)
	h.Set([]byte("k"), []byte(long), lim)
	h.Set([]byte("k"), []byte("short"), lim)
	h.Set([]byte(long), []byte(long+long), lim)
	check(t, h, &model{fields: []string{long, "k"}, values: []string{long + long, "short"}})
}

func TestConversionThresholds(t *testing.T) {
	lim := Limits{MaxListpackEntries: 3, MaxListpackValue: 5}
	h := New()
	for i := range 3 {
		h.Set([]byte{byte('a' + i)}, []byte("v"), lim)
	}
	if !h.IsCompact() {
		t.Fatal("3 entries at limit 3 converted")
	}
	h.Set([]byte("a"), []byte("12345"), lim) // value at the limit: stays
	if !h.IsCompact() {
		t.Fatal("value of exactly MaxListpackValue converted")
	}
	h.Set([]byte("d"), []byte("v"), lim)
	if h.IsCompact() {
		t.Fatal("4 entries at limit 3 did not convert")
	}
	// Deleting never converts back.
	h.Delete([]byte("d"))
	h.Delete([]byte("c"))
	if h.IsCompact() {
		t.Fatal("converted back")
	}

	h = New()
	h.Set([]byte("f"), []byte("123456"), lim)
	if h.IsCompact() {
		t.Fatal("long value did not convert")
	}
	h = New()
	h.Set([]byte("123456"), []byte("v"), lim)
	if h.IsCompact() {
		t.Fatal("long field did not convert")
	}
	// An update with a long value converts too.
	h = New()
	h.Set([]byte("f"), []byte("v"), lim)
	h.Set([]byte("f"), []byte("123456"), lim)
	if h.IsCompact() {
		t.Fatal("long update did not convert")
	}
	if v, _ := h.Get([]byte("f")); string(v) != "123456" {
		t.Fatalf("value after conversion %q", v)
	}
	// A lowered limit (CONFIG SET) converts on the next write, an update
	// included.
	h = New()
	h.Set([]byte("a"), []byte("1"), lim)
	h.Set([]byte("b"), []byte("1"), lim)
	h.Set([]byte("a"), []byte("2"), Limits{MaxListpackEntries: 2, MaxListpackValue: 5})
	if !h.IsCompact() {
		t.Fatal("update at the limit converted")
	}
	h.Set([]byte("a"), []byte("3"), Limits{MaxListpackEntries: 1, MaxListpackValue: 5})
	if h.IsCompact() {
		t.Fatal("update over a lowered limit did not convert")
	}
	// Limit 0 entries: the first field converts (Redis: 1 > 0).
	h = New()
	h.Set([]byte("f"), []byte("v"), Limits{MaxListpackEntries: 0, MaxListpackValue: 64})
	if h.IsCompact() {
		t.Fatal("entries limit 0 kept the hash compact")
	}
}

func TestTableUpdateInPlaceAndGrow(t *testing.T) {
	h := New()
	h.Convert()
	lim := DefaultLimits
	h.Set([]byte("f"), []byte("hello"), lim)
	h.Set([]byte("f"), []byte("hi"), lim)
	h.Set([]byte("g"), []byte("x"), lim)
	h.Set([]byte("f"), []byte("a much longer value than before"), lim)
	h.Set([]byte(""), nil, lim)
	check(t, h, &model{fields: []string{"f", "g", ""}, values: []string{"a much longer value than before", "x", ""}, table: true})
}

func TestReturnedSlicesCannotGrowIntoStorage(t *testing.T) {
	h := New()
	h.Set([]byte("a"), []byte("1"), DefaultLimits)
	h.Set([]byte("b"), []byte("2"), DefaultLimits)
	v, _ := h.Get([]byte("a"))
	_ = append(v, 'X') // must reallocate, not overwrite field "b"
	if got, _ := h.Get([]byte("b")); string(got) != "2" {
		t.Fatalf("append through Get corrupted the hash: b=%q", got)
	}
}

func TestCloneIsDeep(t *testing.T) {
	for _, convert := range []bool{false, true} {
		h := New()
		for i := range 10 {
			h.Set(fmt.Appendf(nil, "f%d", i), fmt.Appendf(nil, "v%d", i), DefaultLimits)
		}
		if convert {
			h.Convert()
		}
		c := h.Clone().(*Hash)
		if c.IsCompact() != h.IsCompact() {
			t.Fatal("clone changed encoding")
		}
		h.Set([]byte("f1"), []byte("changed"), DefaultLimits)
		h.Delete([]byte("f2"))
		if v, _ := c.Get([]byte("f1")); string(v) != "v1" {
			t.Fatalf("clone sees update: %q", v)
		}
		if !c.Has([]byte("f2")) || c.Len() != 10 {
			t.Fatal("clone sees delete")
		}
	}
	if c := New().Clone().(*Hash); c.Len() != 0 || !c.IsCompact() {
		t.Fatal("clone of empty hash")
	}
}

func TestNewSizedAllocatesOnce(t *testing.T) {
	pairs := [][2]string{{"user", "alice"}, {"session", "0123456789abcdef"}, {"ttl", "3600"}}
	n := 0
	for _, p := range pairs {
		n += len(p[0]) + len(p[1])
	}
	allocs := testing.AllocsPerRun(100, func() {
		h := NewSized(len(pairs), n)
		for _, p := range pairs {
			h.Set([]byte(p[0]), []byte(p[1]), DefaultLimits)
		}
	})
	if allocs > 2 { // the Hash and its buffer
		t.Fatalf("filling a pre-sized hash: %v allocations", allocs)
	}
}

func TestGetAllocatesNothing(t *testing.T) {
	for _, convert := range []bool{false, true} {
		h := New()
		for i := range 20 {
			h.Set(fmt.Appendf(nil, "field%d", i), []byte("value"), DefaultLimits)
		}
		if convert {
			h.Convert()
		}
		key := []byte("field13")
		if allocs := testing.AllocsPerRun(100, func() { h.Get(key) }); allocs != 0 {
			t.Fatalf("Get (table %v): %v allocations", convert, allocs)
		}
	}
}

func TestAgainstModel(t *testing.T) {
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 7))
		lim := Limits{MaxListpackEntries: 1 + r.IntN(20), MaxListpackValue: 1 + r.IntN(40)}
		h, m := New(), &model{}
		for range 400 {
			if r.IntN(100) == 0 { // CONFIG SET
				lim = Limits{MaxListpackEntries: 1 + r.IntN(20), MaxListpackValue: 1 + r.IntN(40)}
			}
			f := fmt.Sprintf("f%d", r.IntN(30))
			if r.IntN(50) == 0 {
				f = strings.Repeat("F", r.IntN(50))
			}
			switch r.IntN(3) {
			case 0, 1:
				v := strings.Repeat("v", r.IntN(45))
				if h.Set([]byte(f), []byte(v), lim) != m.set(f, v, lim) {
					t.Fatalf("seed %d: Set %q created mismatch", seed, f)
				}
			case 2:
				if h.Delete([]byte(f)) != m.del(f) {
					t.Fatalf("seed %d: Delete %q mismatch", seed, f)
				}
			}
			check(t, h, m)
		}
	}
}

// FuzzOps runs a byte-coded sequence of operations against the model.
func FuzzOps(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 0, 1, 1, 9, 200, 3})
	f.Add([]byte{7, 7, 7, 0, 0, 0, 255, 255, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add(bytes.Repeat([]byte{0, 5, 1}, 60))
	f.Fuzz(func(t *testing.T, ops []byte) {
		lim := Limits{MaxListpackEntries: 8, MaxListpackValue: 150}
		h, m := New(), &model{}
		for i := 0; i+1 < len(ops); i += 2 {
			op, arg := ops[i], ops[i+1]
			f := []byte{'f', arg % 16}
			switch op % 4 {
			case 0, 1:
				v := bytes.Repeat([]byte{arg}, int(op)) // up to 255: crosses the 128 uvarint boundary and the limit
				if h.Set(f, v, lim) != m.set(string(f), string(v), lim) {
					t.Fatalf("Set %q created mismatch", f)
				}
			case 2:
				if h.Delete(f) != m.del(string(f)) {
					t.Fatalf("Delete %q mismatch", f)
				}
			case 3:
				if arg%8 == 0 {
					h.Convert()
					m.table = true
				}
			}
			check(t, h, m)
		}
	})
}

func TestHashStructSize(t *testing.T) {
	// A keyspace entry holds a compact hash without the struct (View,
	// Parts); only tables allocate one, so it may take the 48-byte class
	// (a slice, a pointer and the value-byte count).
	if size := unsafe.Sizeof(Hash{}); size > 48 {
		t.Fatalf("Hash is %d bytes", size)
	}
}

func TestMemoryBytesFollowsChanges(t *testing.T) {
	lim := Limits{MaxListpackEntries: 2, MaxListpackValue: 64}
	h := New()
	h.Set([]byte("a"), []byte("1"), lim)
	if got := h.MemoryBytes(); got < 4 {
		t.Fatalf("compact MemoryBytes %d", got)
	}
	for i := range 10 {
		h.Set([]byte{byte('b' + i)}, []byte("12345678"), lim)
	}
	before := h.MemoryBytes()
	h.Set([]byte("zz"), make([]byte, 1000), lim)
	grown := h.MemoryBytes()
	if grown < before+900 {
		t.Fatalf("a 1000-byte value grew MemoryBytes from %d to %d", before, grown)
	}
	h.Set([]byte("zz"), []byte("x"), lim)
	if got := h.MemoryBytes(); got >= grown-900 {
		t.Fatalf("shrinking the value left MemoryBytes at %d (was %d)", got, grown)
	}
	h.Delete([]byte("zz"))
	if got, want := h.valueBytes, 1+10*8; got != want {
		t.Fatalf("valueBytes %d, want %d", got, want)
	}
	if c := h.Clone().(*Hash); c.valueBytes != h.valueBytes {
		t.Fatalf("clone valueBytes %d, want %d", c.valueBytes, h.valueBytes)
	}
}

func TestFirstSetAllocatesOnceForTheBuffer(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		h := New()
		h.Set([]byte("field"), []byte("value"), DefaultLimits)
	})
	if allocs > 2 {
		t.Fatalf("New + first Set: %v allocations", allocs)
	}
}

func TestViewParts(t *testing.T) {
	lim := Limits{MaxListpackEntries: 2, MaxListpackValue: 64}
	// A compact hash lives in str alone.
	var tmp Hash
	h := View(nil, nil, &tmp)
	if h != &tmp || h.Len() != 0 {
		t.Fatalf("empty view: %p %d", h, h.Len())
	}
	h.Set([]byte("a"), []byte("1"), lim)
	str, obj := Parts(h, nil)
	if obj != nil || len(str) == 0 {
		t.Fatalf("compact parts: %q %v", str, obj)
	}
	var tmp2 Hash
	h2 := View(str, obj, &tmp2)
	if v, ok := h2.Get([]byte("a")); !ok || string(v) != "1" {
		t.Fatalf("reloaded compact: %q %v", v, ok)
	}
	// Crossing the entry limit converts; Parts moves the table to the heap.
	h2.Set([]byte("b"), []byte("2"), lim)
	h2.Set([]byte("c"), []byte("3"), lim)
	if h2.IsCompact() {
		t.Fatal("still compact after 3 fields with a limit of 2")
	}
	str, obj = Parts(h2, nil)
	p, ok := obj.(*Hash)
	if str != nil || !ok || p == &tmp2 {
		t.Fatalf("table parts: %q %T (tmp %v)", str, obj, p == &tmp2)
	}
	// A table's view is the held *Hash itself, and Parts keeps it.
	var tmp3 Hash
	h3 := View(nil, obj, &tmp3)
	if h3 != p {
		t.Fatal("table view is not the held hash")
	}
	h3.Set([]byte("d"), []byte("4"), lim)
	if _, obj2 := Parts(h3, obj); obj2 != obj {
		t.Fatal("Parts replaced the held table")
	}
	if h3.Len() != 4 {
		t.Fatalf("len %d", h3.Len())
	}
}
