package differential_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vireodb/vireo/tests/differential"
	"github.com/vireodb/vireo/tests/harness"
)

func TestMinimiseKeepsWhatTheFailureNeeds(t *testing.T) {
	// The "failure" needs 3 and 7 before the final 99, in that order.
	fails := func(items []int) bool {
		i3, i7 := slices.Index(items, 3), slices.Index(items, 7)
		return items[len(items)-1] == 99 && i3 >= 0 && i7 > i3
	}
	var items []int
	for i := range 20 {
		items = append(items, i)
	}
	items = append(items, 99)
	got := differential.Minimise(items, fails, time.Now().Add(time.Minute))
	if want := []int{3, 7, 99}; !slices.Equal(got, want) {
		t.Errorf("Minimise = %v, want %v", got, want)
	}
}

func TestMinimiseAloneAndDeadline(t *testing.T) {
	calls := 0
	always := func([]int) bool { calls++; return true }
	if got := differential.Minimise([]int{1, 2, 3}, always, time.Now().Add(time.Minute)); !slices.Equal(got, []int{3}) {
		t.Errorf("stateless failure minimised to %v, want [3]", got)
	}
	never := func(items []int) bool { return len(items) == 4 }
	got := differential.Minimise([]int{1, 2, 3, 4}, never, time.Now().Add(-time.Second))
	if !slices.Equal(got, []int{1, 2, 3, 4}) {
		t.Errorf("past deadline: %v, want the input back", got)
	}
}

func TestNormalise(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		mode differential.CompareMode
		same bool
	}{
		{"*2\r\n$1\r\na\r\n$1\r\nb\r\n", "*2\r\n$1\r\nb\r\n$1\r\na\r\n", differential.CompareUnordered, true},
		{"*2\r\n$1\r\na\r\n$1\r\nb\r\n", "*2\r\n$1\r\nb\r\n$1\r\na\r\n", 0, false},
		{"*2\r\n$1\r\na\r\n$1\r\na\r\n", "*2\r\n$1\r\na\r\n$1\r\nb\r\n", differential.CompareUnordered, false},
		{"*2\r\n$1\r\n0\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n", "*2\r\n$1\r\n0\r\n*2\r\n$1\r\ny\r\n$1\r\nx\r\n", differential.CompareUnordered, true},
		{"%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n", "%2\r\n+b\r\n:2\r\n+a\r\n:1\r\n", differential.CompareUnordered, true},
		{"%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n", "%2\r\n+b\r\n:1\r\n+a\r\n:2\r\n", differential.CompareUnordered, false},
		{":99\r\n", ":100\r\n", differential.CompareTTL, true},
		{":-1\r\n", ":100\r\n", differential.CompareTTL, false},
		{":-2\r\n", ":-1\r\n", differential.CompareTTL, false},
		{":0\r\n", ":1\r\n", differential.CompareTTL, false},
	} {
		a := differential.Normalise([]byte(tc.a), tc.mode)
		b := differential.Normalise([]byte(tc.b), tc.mode)
		if (string(a) == string(b)) != tc.same {
			t.Errorf("Normalise(%q) vs Normalise(%q) under %v: equal=%v, want %v", tc.a, tc.b, tc.mode, !tc.same, tc.same)
		}
	}
}

func TestGeneratorsAreDeterministic(t *testing.T) {
	gens := differential.Generators(differential.Families()...)
	if len(gens) == 0 {
		t.Fatal("no generators registered")
	}
	a := differential.NewGen(42, 1, nil).Sequence(gens, 300, "a")
	b := differential.NewGen(42, 1, nil).Sequence(gens, 300, "b")
	c := differential.NewGen(42, 2, nil).Sequence(gens, 300, "c")
	same := func(x, y []differential.Step) bool {
		return slices.EqualFunc(x, y, func(s, u differential.Step) bool { return slices.Equal(s.Args, u.Args) })
	}
	if !same(a, b) {
		t.Error("the same seed made different sequences")
	}
	if same(a, c) {
		t.Error("different streams made the same sequence")
	}
	for _, s := range a {
		if len(s.Args) == 0 {
			t.Fatalf("%s: empty command", s.Pos)
		}
	}
}

// TestReportShrinksARealMismatch drives two redis-servers that differ in one
// setting, so OBJECT ENCODING disagrees after two HSETs, and checks that the
// report names the command and shrinks the script to what matters.
func TestReportShrinksARealMismatch(t *testing.T) {
	pair := &differential.Pair{
		Vireo:       harness.StartRedis(t, "--hash-max-listpack-entries", "1"),
		Redis:       harness.StartRedis(t),
		ReadTimeout: time.Second,
	}
	steps, err := differential.ParseScript("enc.txt", strings.Join([]string{
		"SET a 1", "HSET h f v", "SET b 2", "!conn 2", "HSET h g w", "GET a", "!sleep 1", "OBJECT ENCODING h", "GET b",
	}, "\n"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := pair.Run(t, steps)
	if err != nil {
		t.Fatal(err)
	}
	if m == nil || m.Step.Pos != "enc.txt:8" {
		t.Fatalf("mismatch = %v, want one at enc.txt:8", m)
	}
	if string(m.Vireo) != "$9\r\nhashtable\r\n" || string(m.Redis) != "$8\r\nlistpack\r\n" {
		t.Errorf("replies %q / %q", m.Vireo, m.Redis)
	}
	report := pair.Report(t, steps, m, 10*time.Second)
	want := "(3 of 8 steps):\n    HSET h f v\n    HSET h g w\n    OBJECT ENCODING h\n"
	if !strings.Contains(report, want) {
		t.Errorf("report lacks the minimal script %q:\n%s", want, report)
	}
}
