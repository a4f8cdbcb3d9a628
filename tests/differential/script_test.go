package differential_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vireodb/vireo/tests/differential"
)

func TestSplitArgs(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
	}{
		{`SET k v`, []string{"SET", "k", "v"}},
		{"  GET\tk  ", []string{"GET", "k"}},
		{`SET k "a b"`, []string{"SET", "k", "a b"}},
		{`SET k "\x00\xff\n\r\t\b\a\"\\\q"`, []string{"SET", "k", "\x00\xff\n\r\t\b\a\"\\q"}},
		{`SET k "\x4"`, []string{"SET", "k", "x4"}}, // not two hex digits: \x is just x
		{`SET k 'it\'s "raw" \n'`, []string{"SET", "k", `it's "raw" \n`}},
		{`SET k ""`, []string{"SET", "k", ""}},
		{`SET k ''`, []string{"SET", "k", ""}},
		{`a"b c"`, []string{"ab c"}}, // a quote inside a word starts quoting
		{``, nil},
	} {
		got, err := differential.SplitArgs(tc.line)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("SplitArgs(%q) = %q, %v; want %q", tc.line, got, err, tc.want)
		}
	}
	for _, bad := range []string{`"abc`, `'abc`, `"a"b`, `'a'b`, `"a\"`} {
		if got, err := differential.SplitArgs(bad); err == nil {
			t.Errorf("SplitArgs(%q) = %q, want an error", bad, got)
		}
	}
}

func TestParseScript(t *testing.T) {
	script := strings.Join([]string{
		"# comment",
		"SET k v",
		"",
		"!conn 2",
		"!unordered",
		"!ttl",
		"KEYS *",
		"!skip-compare",
		"TIME",
		"!sleep 15",
		"!resp3",
		`!raw "PING\r\n"`,
		"!read",
	}, "\n")
	steps, err := differential.ParseScript("s.txt", script)
	if err != nil {
		t.Fatal(err)
	}
	kinds := make([]differential.StepKind, len(steps))
	for i, s := range steps {
		kinds[i] = s.Kind
	}
	wantKinds := []differential.StepKind{differential.StepCommand, differential.StepConn, differential.StepCommand,
		differential.StepCommand, differential.StepSleep, differential.StepHello, differential.StepRaw, differential.StepRead}
	if !slices.Equal(kinds, wantKinds) {
		t.Fatalf("kinds = %v, want %v", kinds, wantKinds)
	}
	if steps[0].Pos != "s.txt:2" || steps[1].Conn != 2 || steps[4].Sleep != 15*time.Millisecond || steps[5].Protocol != 3 {
		t.Errorf("fields wrong: %+v", steps)
	}
	if steps[2].Compare != differential.CompareUnordered|differential.CompareTTL || steps[3].Compare != differential.CompareSkip {
		t.Errorf("compare modes: %v %v", steps[2].Compare, steps[3].Compare)
	}
	if string(steps[6].Raw) != "PING\r\n" {
		t.Errorf("raw = %q", steps[6].Raw)
	}
	// Rendering and parsing again gives the same steps.
	var lines []string
	for _, s := range steps {
		lines = append(lines, s.Script())
	}
	again, err := differential.ParseScript("s.txt", strings.Join(lines, "\n"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range steps {
		a, b := steps[i], again[i]
		if a.Kind != b.Kind || !slices.Equal(a.Args, b.Args) || string(a.Raw) != string(b.Raw) || a.Compare != b.Compare ||
			a.Sleep != b.Sleep || a.Conn != b.Conn || a.Protocol != b.Protocol {
			t.Errorf("step %d changed on round trip: %+v -> %+v", i, a, b)
		}
	}

	for _, bad := range []string{
		"!unordered",            // at the end
		"!ttl\n!sleep 1\nGET k", // modifier before a non-command
		"!sleep x",
		"!conn -1",
		"!resp3 now",
		"!read now",
		"!bogus",
		`!raw`,
		`SET "k`,
	} {
		if _, err := differential.ParseScript("bad.txt", bad); err == nil {
			t.Errorf("ParseScript(%q) accepted", bad)
		}
	}
}

func TestQuoteArgsRoundTrip(t *testing.T) {
	args := []string{"!bang", "#hash", "", "a b", `q"uo'te`, "\x00\xff\r\n\\", "plain"}
	line := differential.QuoteArgs(args)
	got, err := differential.SplitArgs(line)
	if err != nil || !slices.Equal(got, args) {
		t.Fatalf("QuoteArgs(%q) = %s, splits to %q (%v)", args, line, got, err)
	}
	steps, err := differential.ParseScript("q", line)
	if err != nil || len(steps) != 1 || !slices.Equal(steps[0].Args, args) {
		t.Errorf("a quoted line starting with ! is not a command again: %+v %v", steps, err)
	}
}

// FuzzSplitArgs checks that splitting never panics and that quoting what it
// returns splits back to the same arguments.
func FuzzSplitArgs(f *testing.F) {
	for _, s := range []string{`SET k "a\x00b"`, `'it\'s'`, `"unterminated`, `a"b c" d`, "GET\tk\r\n", `"\x4g"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args, err := differential.SplitArgs(line)
		if err != nil || len(args) == 0 {
			return
		}
		again, err := differential.SplitArgs(differential.QuoteArgs(args))
		if err != nil || !slices.Equal(again, args) {
			t.Fatalf("round trip of %q: %q -> %q (%v)", line, args, again, err)
		}
	})
}
