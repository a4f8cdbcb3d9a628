package set

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// blob builds an intset blob by hand: width, then members.
func blob(width int, members ...int64) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(width))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(members)))
	for _, m := range members {
		switch width {
		case 2:
			b = binary.LittleEndian.AppendUint16(b, uint16(m))
		case 4:
			b = binary.LittleEndian.AppendUint32(b, uint32(m))
		default:
			b = binary.LittleEndian.AppendUint64(b, uint64(m))
		}
	}
	return b
}

func addAll(t *testing.T, s *Set, max int, members ...string) {
	t.Helper()
	for _, m := range members {
		s.Add([]byte(m), max)
	}
}

func TestIntsetLayoutAndUpgrade(t *testing.T) {
	s := New()
	addAll(t, s, 512, "3", "1", "2")
	if got, want := s.IntsetBytes(), blob(2, 1, 2, 3); !bytes.Equal(got, want) {
		t.Fatalf("intset bytes %x, want %x", got, want)
	}
	// A value past int16 widens every member to 4 bytes and goes last.
	s.Add([]byte("70000"), 512)
	if got, want := s.IntsetBytes(), blob(4, 1, 2, 3, 70000); !bytes.Equal(got, want) {
		t.Fatalf("after 70000: %x, want %x", got, want)
	}
	// A negative value past int32 widens to 8 bytes and goes first.
	s.Add([]byte("-5000000000"), 512)
	if got, want := s.IntsetBytes(), blob(8, -5000000000, 1, 2, 3, 70000); !bytes.Equal(got, want) {
		t.Fatalf("after -5e9: %x, want %x", got, want)
	}
	// Removing the wide members does not narrow the encoding (as in Redis).
	for _, m := range []string{"-5000000000", "70000"} {
		if !s.Remove([]byte(m)) {
			t.Fatalf("remove %s: not found", m)
		}
	}
	if got, want := s.IntsetBytes(), blob(8, 1, 2, 3); !bytes.Equal(got, want) {
		t.Fatalf("after removes: %x, want %x", got, want)
	}
	if !s.IsIntset() || s.Len() != 3 {
		t.Fatalf("intset %v len %d", s.IsIntset(), s.Len())
	}
	// Extremes of int64.
	s.Add([]byte(strconv.FormatInt(math.MinInt64, 10)), 512)
	s.Add([]byte(strconv.FormatInt(math.MaxInt64, 10)), 512)
	want := []string{"-9223372036854775808", "1", "2", "3", "9223372036854775807"}
	if got := strs(s.Members()); !slices.Equal(got, want) {
		t.Fatalf("members %q, want %q", got, want)
	}
}

func strs(ms [][]byte) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = string(m)
	}
	return out
}

func TestIntsetMembershipOfNonCanonicalIntegers(t *testing.T) {
	s := New()
	addAll(t, s, 512, "1", "-1", "0")
	for _, m := range []string{"+1", "01", "-0", " 1", "1.0", "0x1", ""} {
		if s.Contains([]byte(m)) {
			t.Errorf("%q is not a member of an intset of 1, -1, 0", m)
		}
		if s.Remove([]byte(m)) {
			t.Errorf("removed %q", m)
		}
	}
	if !s.Contains([]byte("-1")) || s.Contains([]byte("70000")) || s.Contains([]byte("-9223372036854775808")) {
		t.Error("membership of canonical integers is wrong")
	}
}

func TestConversions(t *testing.T) {
	// A non-integer converts, keeping every member.
	s := New()
	addAll(t, s, 512, "1", "2", "a")
	if s.IsIntset() || s.Len() != 3 || !s.Contains([]byte("1")) || !s.Contains([]byte("a")) {
		t.Fatalf("after a string: intset=%v len=%d", s.IsIntset(), s.Len())
	}
	// Removing the string does not convert back.
	s.Remove([]byte("a"))
	if s.IsIntset() {
		t.Fatal("a hash table went back to an intset")
	}
	// More than maxIntset members convert; exactly maxIntset does not.
	s = New()
	for i := range 4 {
		s.AddInt(int64(i), 4)
	}
	if !s.IsIntset() {
		t.Fatal("4 members with max 4 should stay an intset")
	}
	if s.AddInt(2, 4); !s.IsIntset() {
		t.Fatal("a duplicate converted the set")
	}
	s.AddInt(4, 4)
	if s.IsIntset() || s.Len() != 5 {
		t.Fatalf("5 members with max 4: intset=%v len=%d", s.IsIntset(), s.Len())
	}
	// max 0: the first member converts.
	s = New()
	if s.AddInt(7, 0); s.IsIntset() {
		t.Fatal("max 0 keeps no intset")
	}
	if NewFor([]byte("12")).IsIntset() != true || NewFor([]byte("x")).IsIntset() || NewFor([]byte("012")).IsIntset() {
		t.Fatal("NewFor picks the wrong encoding")
	}
}

// TestModel drives random operations on a Set and on a Go map and compares
// them after every step, across both encodings and the conversion.
func TestModel(t *testing.T) {
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 1))
		checkModel(t, r, 400)
	}
}

func randomMember(r *rand.Rand) []byte {
	switch r.IntN(10) {
	case 0:
		return []byte{} // the empty string
	case 1:
		return []byte("m" + strconv.Itoa(r.IntN(50)))
	case 2:
		return []byte(strconv.FormatInt(int64(r.Uint64()), 10))
	case 3:
		return []byte("9223372036854775808") // one past int64: a string
	case 4:
		return []byte("0" + strconv.Itoa(r.IntN(5))) // "00".."04": not canonical
	}
	return []byte(strconv.Itoa(r.IntN(200) - 100))
}

func checkModel(t *testing.T, r *rand.Rand, steps int) {
	t.Helper()
	maxIntset := []int{0, 1, 16, 512}[r.IntN(4)]
	s := New()
	model := map[string]bool{}
	intsOnly := r.IntN(2) == 0
	for i := 0; i < steps; i++ {
		m := randomMember(r)
		if intsOnly {
			m = []byte(strconv.Itoa(r.IntN(300) - 150))
		}
		switch r.IntN(4) {
		case 0, 1:
			if got, want := s.Add(m, maxIntset), !model[string(m)]; got != want {
				t.Fatalf("Add(%q) = %v, want %v", m, got, want)
			}
			model[string(m)] = true
		case 2:
			if got, want := s.Remove(m), model[string(m)]; got != want {
				t.Fatalf("Remove(%q) = %v, want %v", m, got, want)
			}
			delete(model, string(m))
		case 3:
			if got, want := s.Contains(m), model[string(m)]; got != want {
				t.Fatalf("Contains(%q) = %v, want %v", m, got, want)
			}
		}
		if s.Len() != len(model) {
			t.Fatalf("Len %d, model %d", s.Len(), len(model))
		}
	}
	got := strs(s.Members())
	var want []string
	for m := range model {
		want = append(want, m)
	}
	if s.IsIntset() {
		// Ascending numeric order.
		if !slices.IsSortedFunc(got, func(a, b string) int {
			x, _ := strconv.ParseInt(a, 10, 64)
			y, _ := strconv.ParseInt(b, 10, 64)
			return int(min(max(x-y, -1), 1))
		}) {
			t.Fatalf("intset members out of order: %q", got)
		}
		if s.Len() > maxIntset {
			t.Fatalf("intset of %d members with max %d", s.Len(), maxIntset)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("members %q, want %q", got, want)
	}
	if err := validateIntset(s.IntsetBytes()); s.IsIntset() && err != nil {
		t.Fatalf("intset invalid after operations: %v", err)
	}
}

func TestCloneIsDeep(t *testing.T) {
	for _, members := range [][]string{{"1", "2", "3"}, {"a", "b", "1"}} {
		s := New()
		addAll(t, s, 512, members...)
		c := s.Clone().(*Set)
		c.Add([]byte("zz"), 512)
		c.Remove([]byte(members[0]))
		if s.Len() != 3 || !s.Contains([]byte(members[0])) || s.Contains([]byte("zz")) {
			t.Fatalf("changing the clone changed the original %q", members)
		}
		if s.IsIntset() != (members[0] == "1" && members[2] == "3") {
			t.Fatal("clone changed the original's encoding")
		}
	}
	s := New()
	addAll(t, s, 512, "1", "2")
	c := s.Clone().(*Set)
	if !c.IsIntset() || !bytes.Equal(c.IntsetBytes(), s.IntsetBytes()) {
		t.Fatal("clone of an intset is not the same intset")
	}
	c.Add([]byte("5"), 512)
	if s.Len() != 2 {
		t.Fatal("clone shares the intset's bytes")
	}
}

func TestScanVisitsEveryMember(t *testing.T) {
	s := NewHashtable(0)
	for i := range 1000 {
		s.Add([]byte("m"+strconv.Itoa(i)), 512)
	}
	seen := map[string]bool{}
	cursor := uint64(0)
	for {
		cursor = s.Scan(cursor, func(m []byte) { seen[string(m)] = true })
		// Grow the table mid-scan: members present throughout must still
		// all come back.
		s.Add([]byte("extra"+strconv.FormatUint(cursor, 10)), 512)
		if cursor == 0 {
			break
		}
	}
	for i := range 1000 {
		if !seen["m"+strconv.Itoa(i)] {
			t.Fatalf("member m%d never returned", i)
		}
	}
	// An intset comes back whole with cursor 0.
	is := New()
	addAll(t, is, 512, "5", "1")
	var got []string
	if next := is.Scan(0, func(m []byte) { got = append(got, string(m)) }); next != 0 || !slices.Equal(got, []string{"1", "5"}) {
		t.Fatalf("intset scan: %q next %d", got, next)
	}
}

func TestRandomCoversMembers(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, members := range [][]string{{"1", "2", "3", "4"}, {"a", "b", "c", "d"}} {
		s := New()
		addAll(t, s, 512, members...)
		counts := map[string]int{}
		for range 4000 {
			counts[string(s.AppendRandom(nil, r.Uint64))]++
		}
		for _, m := range members {
			if counts[m] < 700 {
				t.Errorf("%q drawn %d times of 4000 among 4 members", m, counts[m])
			}
		}
		if len(counts) != len(members) {
			t.Errorf("drew non-members: %v", counts)
		}
	}
	if got := New().AppendRandom([]byte("x"), r.Uint64); string(got) != "x" {
		t.Fatalf("random from an empty set appended %q", got)
	}
}

func TestFromIntsetBytes(t *testing.T) {
	good := blob(4, -70000, 1, 70000)
	s, err := FromIntsetBytes(good)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(s.IntsetBytes(), good) || s.Len() != 3 || !s.Contains([]byte("-70000")) {
		t.Fatal("intset from bytes does not hold its members")
	}
	good[8] ^= 0xff
	if !s.Contains([]byte("-70000")) {
		t.Fatal("the set shares the caller's bytes")
	}
	bad := map[string][]byte{
		"short":          {2, 0, 0},
		"width 3":        blob(3),
		"width 0":        blob(0),
		"count too big":  append(blob(2, 1, 2), 0xff, 0xff)[:10],
		"trailing bytes": append(blob(2, 1), 0),
		"descending":     blob(2, 2, 1),
		"duplicate":      blob(8, 5, 5),
	}
	for name, b := range bad {
		if _, err := FromIntsetBytes(b); err == nil {
			t.Errorf("%s: accepted %x", name, b)
		}
	}
	if s, err := FromIntsetBytes(blob(2)); err != nil || s.Len() != 0 {
		t.Errorf("an empty intset is well formed: %v", err)
	}
}

// FuzzSet checks Set against a map model under arbitrary operation streams,
// and that FromIntsetBytes never panics and accepts only valid blobs.
func FuzzSet(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 0xff, 7}, uint8(4))
	f.Add(blob(2, 1, 2, 3), uint8(0))
	f.Add(blob(8, -1, 5), uint8(200))
	f.Fuzz(func(t *testing.T, ops []byte, maxIntset uint8) {
		if s, err := FromIntsetBytes(ops); err == nil {
			ms := s.Members()
			for i := 1; i < len(ms); i++ {
				a, _ := strconv.ParseInt(string(ms[i-1]), 10, 64)
				b, _ := strconv.ParseInt(string(ms[i]), 10, 64)
				if a >= b {
					t.Fatalf("accepted unsorted intset %x", ops)
				}
			}
		}
		s := New()
		model := map[string]bool{}
		for i := 0; i+1 < len(ops); i += 2 {
			var m []byte
			switch v := ops[i+1]; {
			case v < 200:
				m = []byte(strconv.Itoa(int(int8(v)) * 300))
			case v < 250:
				m = []byte{'s', v}
			default:
				m = []byte(strconv.FormatInt(math.MinInt64+int64(v), 10))
			}
			switch ops[i] % 3 {
			case 0:
				if s.Add(m, int(maxIntset)) != !model[string(m)] {
					t.Fatalf("Add(%q) disagrees with the model", m)
				}
				model[string(m)] = true
			case 1:
				if s.Remove(m) != model[string(m)] {
					t.Fatalf("Remove(%q) disagrees with the model", m)
				}
				delete(model, string(m))
			default:
				if s.Contains(m) != model[string(m)] {
					t.Fatalf("Contains(%q) disagrees with the model", m)
				}
			}
		}
		if s.Len() != len(model) {
			t.Fatalf("Len %d, model %d", s.Len(), len(model))
		}
		if s.IsIntset() {
			if err := validateIntset(s.IntsetBytes()); err != nil {
				t.Fatal(err)
			}
		}
	})
}
