package stream

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
)

func TestParseID(t *testing.T) {
	cases := []struct {
		in     string
		strict bool
		want   ID
		ok     bool
	}{
		{"1-2", true, ID{1, 2}, true},
		{"5", true, ID{5, 7}, true},
		{"-", false, ID{}, true},
		{"+", false, MaxID, true},
		{"-", true, ID{}, false},
		{"+", true, ID{}, false},
		{"18446744073709551615-18446744073709551615", true, MaxID, true},
		{"18446744073709551616-0", true, ID{}, false},
		{"1-", true, ID{}, false},
		{"-1", true, ID{}, false},
		{"1--1", true, ID{}, false},
		{"1--0", true, ID{1, 0}, true},
		{" 1-+2", true, ID{1, 2}, true},
		{"007-01", true, ID{7, 1}, true},
		{"a-1", true, ID{}, false},
		{"1-2-3", true, ID{}, false},
		{"", true, ID{}, false},
		{"1-*", true, ID{}, false},
	}
	for _, c := range cases {
		got, ok := ParseID([]byte(c.in), 7, c.strict)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("ParseID(%q, strict=%v) = %v, %v; want %v, %v", c.in, c.strict, got, ok, c.want, c.ok)
		}
	}
	if id, auto, ok := ParseAddID([]byte("5-*")); !ok || !auto || id.Ms != 5 {
		t.Errorf("ParseAddID(5-*) = %v %v %v", id, auto, ok)
	}
	if _, _, ok := ParseAddID([]byte("*-5")); ok {
		t.Error("ParseAddID(*-5) accepted")
	}
	long := make([]byte, 128)
	for i := range long {
		long[i] = '0'
	}
	if _, ok := ParseID(long, 0, true); ok {
		t.Error("128-byte ID accepted")
	}
	if id, excl, ok := ParseExclusiveID([]byte("(3-4"), 0); !ok || !excl || id != (ID{3, 4}) {
		t.Errorf("ParseExclusiveID = %v %v %v", id, excl, ok)
	}
	if _, _, ok := ParseExclusiveID([]byte("(-"), 0); ok {
		t.Error("(- accepted")
	}
}

func TestIncrDecr(t *testing.T) {
	if id, ok := (ID{1, ^uint64(0)}).Incr(); !ok || id != (ID{2, 0}) {
		t.Errorf("Incr = %v %v", id, ok)
	}
	if _, ok := MaxID.Incr(); ok {
		t.Error("MaxID.Incr ok")
	}
	if id, ok := (ID{2, 0}).Decr(); !ok || id != (ID{1, ^uint64(0)}) {
		t.Errorf("Decr = %v %v", id, ok)
	}
	if _, ok := (ID{}).Decr(); ok {
		t.Error("0-0 Decr ok")
	}
}

type modelEntry struct {
	id ID
	fv []string
}

func toStrings(fv [][]byte) []string {
	out := make([]string, len(fv))
	for i, b := range fv {
		out[i] = string(b)
	}
	return out
}

func checkModel(t *testing.T, s *Stream, model []modelEntry) {
	t.Helper()
	if s.Len() != uint64(len(model)) {
		t.Fatalf("Len = %d, model %d", s.Len(), len(model))
	}
	var got []modelEntry
	s.Range(ID{}, MaxID, false, func(id ID, fv [][]byte) bool {
		got = append(got, modelEntry{id, toStrings(fv)})
		return true
	})
	if fmt.Sprint(got) != fmt.Sprint(model) && !(len(got) == 0 && len(model) == 0) {
		t.Fatalf("forward range\n got %v\nwant %v", got, model)
	}
	var rev []modelEntry
	s.Range(ID{}, MaxID, true, func(id ID, fv [][]byte) bool {
		rev = append(rev, modelEntry{id, toStrings(fv)})
		return true
	})
	slices.Reverse(rev)
	if fmt.Sprint(rev) != fmt.Sprint(got) {
		t.Fatalf("reverse range differs\n got %v\nwant %v", rev, got)
	}
	if len(model) > 0 && s.FirstID() != model[0].id {
		t.Fatalf("FirstID = %v, want %v", s.FirstID(), model[0].id)
	}
	live := 0
	s.Nodes(func(v NodeView) bool {
		n := 0
		v.EachEntry(func(id ID, fv [][]byte, deleted, _ bool) bool {
			if !deleted {
				n++
			}
			return true
		})
		if n == 0 {
			t.Fatalf("node %v without live entries", v.Master)
		}
		live += n
		return true
	})
	if live != len(model) {
		t.Fatalf("live entries in nodes %d, want %d", live, len(model))
	}
}

// TestAgainstModel runs random adds, deletes, trims and ranges against a
// sorted slice.
func TestAgainstModel(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for round := 0; round < 30; round++ {
		s := New()
		var model []modelEntry
		lim := Limits{NodeMaxBytes: 4096, NodeMaxEntries: int64(1 + rng.Intn(8))}
		next := ID{1, 0}
		for op := 0; op < 400; op++ {
			switch r := rng.Intn(10); {
			case r < 6:
				next = ID{next.Ms + uint64(rng.Intn(3)), uint64(rng.Intn(5))}
				if next.Cmp(s.LastID()) <= 0 {
					next, _ = s.LastID().Incr()
				}
				fields := []string{"a", "b", "c"}[:1+rng.Intn(3)]
				var fv [][]byte
				var sv []string
				for _, f := range fields {
					v := fmt.Sprint(rng.Intn(100))
					fv = append(fv, []byte(f), []byte(v))
					sv = append(sv, f, v)
				}
				id, err := s.Add(AddID{ID: next}, fv, 0, lim)
				if err != nil || id != next {
					t.Fatalf("Add(%v) = %v, %v", next, id, err)
				}
				if _, err := s.Add(AddID{ID: next}, fv, 0, lim); err != ErrIDTooSmall {
					t.Fatalf("re-Add err = %v", err)
				}
				model = append(model, modelEntry{id, sv})
			case r < 8 && len(model) > 0:
				i := rng.Intn(len(model))
				if n := s.Delete(model[i].id, ID{0, 1}); n != 1 {
					t.Fatalf("Delete = %d", n)
				}
				if model[i].id.Cmp(s.MaxDeletedID()) > 0 {
					t.Fatal("MaxDeletedID not raised")
				}
				model = slices.Delete(model, i, i+1)
			case r == 8:
				maxLen := uint64(rng.Intn(len(model) + 1))
				approx := rng.Intn(2) == 0
				n := s.Trim(TrimArgs{Strategy: TrimMaxLen, MaxLen: maxLen, Approx: approx})
				if approx {
					if s.Len() < maxLen && len(model) >= int(maxLen) {
						t.Fatalf("approx trim went below %d", maxLen)
					}
					model = model[n:]
				} else {
					want := 0
					if len(model) > int(maxLen) {
						want = len(model) - int(maxLen)
					}
					if int(n) != want {
						t.Fatalf("Trim MAXLEN %d removed %d, want %d", maxLen, n, want)
					}
					model = model[want:]
				}
			default:
				if len(model) == 0 {
					continue
				}
				min := model[rng.Intn(len(model))].id
				n := s.Trim(TrimArgs{Strategy: TrimMinID, MinID: min})
				i := 0
				for i < len(model) && model[i].id.Less(min) {
					i++
				}
				if int(n) != i {
					t.Fatalf("Trim MINID removed %d want %d", n, i)
				}
				model = model[i:]
			}
			checkModel(t, s, model)
			if len(model) > 0 {
				a, b := model[rng.Intn(len(model))].id, model[rng.Intn(len(model))].id
				if b.Less(a) {
					a, b = b, a
				}
				var got []ID
				s.Range(a, b, false, func(id ID, _ [][]byte) bool { got = append(got, id); return true })
				var want []ID
				for _, e := range model {
					if e.id.Cmp(a) >= 0 && e.id.Cmp(b) <= 0 {
						want = append(want, e.id)
					}
				}
				if !slices.Equal(got, want) {
					t.Fatalf("Range(%v,%v) = %v want %v", a, b, got, want)
				}
			}
		}
		c := s.Clone().(*Stream)
		s.Trim(TrimArgs{Strategy: TrimMaxLen, MaxLen: 0})
		checkModel(t, c, model)
	}
}

// TestApproxTrimNodes: with 100 entries per node, MAXLEN ~ removes whole
// nodes only (Redis: 250 entries, MAXLEN ~ 120 leaves 150).
func TestApproxTrimNodes(t *testing.T) {
	s := New()
	lim := Limits{NodeMaxBytes: 4096, NodeMaxEntries: 100}
	for i := 1; i <= 250; i++ {
		s.Add(AddID{ID: ID{uint64(i), 0}}, [][]byte{[]byte("f"), []byte("v")}, 0, lim)
	}
	if s.NumNodes() != 3 {
		t.Fatalf("nodes = %d", s.NumNodes())
	}
	if n := s.Trim(TrimArgs{Strategy: TrimMaxLen, MaxLen: 120, Approx: true}); n != 100 || s.Len() != 150 {
		t.Fatalf("trimmed %d, len %d", n, s.Len())
	}
	if n := s.Trim(TrimArgs{Strategy: TrimMaxLen, MaxLen: 0, Approx: true, Limit: 99}); n != 0 {
		t.Fatalf("LIMIT 99 trimmed %d", n)
	}
	if s.FirstID() != (ID{101, 0}) {
		t.Fatalf("FirstID %v", s.FirstID())
	}
}

// TestNodeBytes: the byte limit splits nodes where Redis does. A node of
// one-field entries with 1000-byte values: header 7 + master (2+2+2+3+2)
// ... each entry 2+2+2+1003+2 = 1011; so the 5th entry opens a new node.
func TestNodeBytes(t *testing.T) {
	s := New()
	lim := Limits{NodeMaxBytes: 4096, NodeMaxEntries: 100}
	v := make([]byte, 1000)
	for i := range v {
		v[i] = 'x'
	}
	for i := 1; i <= 10; i++ {
		s.Add(AddID{ID: ID{uint64(i), 0}}, [][]byte{[]byte("f"), v}, 0, lim)
	}
	var sizes []int
	s.Nodes(func(nv NodeView) bool { sizes = append(sizes, len(nv.n.entries)); return true })
	if !slices.Equal(sizes, []int{4, 4, 2}) {
		t.Fatalf("node sizes %v", sizes)
	}
}

func TestGroupsAndLag(t *testing.T) {
	s := New()
	lim := Limits{NodeMaxBytes: 4096, NodeMaxEntries: 100}
	for i := 1; i <= 5; i++ {
		s.Add(AddID{ID: ID{uint64(i), 0}}, [][]byte{[]byte("f"), []byte("v")}, 0, lim)
	}
	g := s.CreateGroup([]byte("g"), ID{}, InvalidEntriesRead)
	if s.CreateGroup([]byte("g"), ID{}, 0) != nil {
		t.Fatal("duplicate group created")
	}
	if lag, ok := s.Lag(g); !ok || lag != 5 {
		t.Fatalf("lag %d %v", lag, ok)
	}
	c := g.CreateConsumer([]byte("alice"), 100)
	for i := 1; i <= 3; i++ {
		id := ID{uint64(i), 0}
		s.Advance(g, id)
		g.Deliver(id, c, 100)
	}
	if g.EntriesRead != 3 || g.LastID != (ID{3, 0}) {
		t.Fatalf("entries-read %d last %v", g.EntriesRead, g.LastID)
	}
	if lag, ok := s.Lag(g); !ok || lag != 2 {
		t.Fatalf("lag %d %v", lag, ok)
	}
	s.Delete(ID{4, 0})
	if _, ok := s.Lag(g); ok {
		t.Fatal("lag known across a tombstone")
	}
	bob := g.CreateConsumer([]byte("bob"), 200)
	g.Claim(g.Pending(ID{2, 0}), bob)
	if c.PendingLen() != 2 || bob.PendingLen() != 1 || g.PendingLen() != 3 {
		t.Fatalf("PEL sizes %d %d %d", c.PendingLen(), bob.PendingLen(), g.PendingLen())
	}
	if !g.Ack(ID{1, 0}) || g.Ack(ID{1, 0}) {
		t.Fatal("Ack")
	}
	cl := s.Clone().(*Stream)
	if n, ok := g.DeleteConsumer([]byte("alice")); !ok || n != 1 || g.PendingLen() != 1 {
		t.Fatalf("DeleteConsumer %d %v %d", n, ok, g.PendingLen())
	}
	cg := cl.Group([]byte("g"))
	if cg.PendingLen() != 2 || cg.Consumer([]byte("alice")).PendingLen() != 1 || cg.NumConsumers() != 2 {
		t.Fatal("clone shares group state")
	}
	if !s.DestroyGroup([]byte("g")) || s.NumGroups() != 0 || cl.NumGroups() != 1 {
		t.Fatal("DestroyGroup")
	}
}

func TestMemoryBytesGrowsWithEntries(t *testing.T) {
	s := New()
	small := s.MemoryBytes()
	for i := range 1000 {
		if _, err := s.Add(AddID{ID: ID{Ms: uint64(i + 1)}}, [][]byte{[]byte("field"), []byte("some value")}, 0, Limits{NodeMaxEntries: 100}); err != nil {
			t.Fatal(err)
		}
	}
	big := s.MemoryBytes()
	if big < small+1000*10 {
		t.Fatalf("1000 entries: MemoryBytes %d (empty %d)", big, small)
	}
	// The estimate stays within a factor of two of the full walk.
	if full := s.MemoryUsage(); big < full/2 || big > full*2 {
		t.Fatalf("MemoryBytes %d, MemoryUsage %d", big, full)
	}
}
