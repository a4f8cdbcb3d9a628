package config

import (
	"math"
	"os"
	"reflect"
	"testing"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSplitArgs(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string // nil with ok false: unbalanced
		ok   bool
	}{
		{"", nil, true},
		{"   \t ", nil, true},
		{"port 6379", []string{"port", "6379"}, true},
		{"  port\t 6379  ", []string{"port", "6379"}, true},
		{`save ""`, []string{"save", ""}, true},
		{`a "b c" d`, []string{"a", "b c", "d"}, true},
		{`"\n\r\t\b\a\\\"\q"`, []string{"\n\r\t\b\a\\\"q"}, true},
		{`"\x41\x4a\x4A\x7"`, []string{"AJJx7"}, true},
		{`"\x"`, []string{"x"}, true},
		{`'it\'s' 'a\nb'`, []string{"it's", `a\nb`}, true},
		{`'a\b'`, []string{`a\b`}, true},
		{`'\\'`, nil, false},                           // \' is an escaped quote, so the string never ends
		{`foo"bar baz"`, []string{"foobar baz"}, true}, // a quote opens mid-word
		{`"abc`, nil, false},
		{`'abc`, nil, false},
		{`"abc"x`, nil, false},
		{`'abc'x`, nil, false},
		{`"a"  "b"`, []string{"a", "b"}, true},
		{"a\vb", []string{"a\vb"}, true}, // \v separates only before a word
		{"\va b", []string{"a", "b"}, true},
		{"a\x00b c", []string{"a"}, true}, // C string: NUL ends the line
		{`"abc\`, nil, false},
	} {
		got, ok := splitArgs(tc.line)
		if ok != tc.ok || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("splitArgs(%q) = %q, %v; want %q, %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}

func TestQuoteReprRoundTrip(t *testing.T) {
	for _, s := range []string{"", "plain", "with space", "q\"uote", `back\slash`, "\n\r\t\a\b", "\x00\x01\xff é", "'"} {
		q := quoteRepr(s)
		got, ok := splitArgs(q)
		if !ok || len(got) != 1 || got[0] != s {
			t.Errorf("splitArgs(quoteRepr(%q)) = %q, %v", s, got, ok)
		}
	}
	if got := quoteRepr("a\"b\\c\x01"); got != `"a\"b\\c\x01"` {
		t.Errorf("quoteRepr = %s", got)
	}
}

func TestString2ll(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"1", 1, true}, {"-1", -1, true},
		{"9223372036854775807", math.MaxInt64, true}, {"-9223372036854775808", math.MinInt64, true},
		{"9223372036854775808", 0, false}, {"", 0, false}, {"-", 0, false}, {"-0", 0, false},
		{"007", 0, false}, {"+1", 0, false}, {" 1", 0, false}, {"1 ", 0, false}, {"1kb", 0, false},
	} {
		got, ok := string2ll(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("string2ll(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestMemToULL(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0", 0, true}, {"100", 100, true}, {"5b", 5, true}, {"5B", 5, true},
		{"1k", 1000, true}, {"1K", 1000, true}, {"1kb", 1024, true}, {"1KB", 1024, true}, {"1kB", 1024, true},
		{"2m", 2000000, true}, {"2mb", 2 << 20, true}, {"3g", 3000000000, true}, {"3gb", 3 << 30, true},
		{"", 0, true}, {"kb", 0, true}, // no digits reads as 0, as in Redis
		{"99999999999999999999999", math.MaxUint64, true},
		{"18446744073709551615kb", math.MaxUint64 - 1023, true}, // wraps like C
		{"-1", 0, false}, {"+1", 0, false}, {" 1", 0, false}, {"1.5gb", 0, false},
		{"1 kb", 0, false}, {"1tb", 0, false}, {"5\x00junk", 5, true},
	} {
		got, ok := memToULL(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("memToULL(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestStrtoll(t *testing.T) {
	for _, tc := range []struct {
		in       string
		base     int64
		want     int64
		overflow bool
		rest     string
	}{
		{"123", 10, 123, false, ""},
		{"  -12x", 10, -12, false, "x"},
		{"+5", 10, 5, false, ""},
		{"", 10, 0, false, ""},
		{"abc", 10, 0, false, "abc"},
		{"   ", 10, 0, false, "   "},
		{"99999999999999999999", 10, math.MaxInt64, true, ""},
		{"-99999999999999999999", 10, math.MinInt64, true, ""},
		{"-9223372036854775808", 10, math.MinInt64, false, ""},
		{"0755", 8, 0o755, false, ""},
		{"758", 8, 0o75, false, "8"},
	} {
		got, overflow, rest := strtoll(tc.in, tc.base)
		if got != tc.want || overflow != tc.overflow || rest != tc.rest {
			t.Errorf("strtoll(%q, %d) = %d, %v, %q; want %d, %v, %q", tc.in, tc.base, got, overflow, rest, tc.want, tc.overflow, tc.rest)
		}
	}
}

func TestFormatMemory(t *testing.T) {
	for in, want := range map[uint64]string{
		0: "0", 1: "1", 1023: "1023", 1024: "1kb", 1536: "1536", 1 << 20: "1mb",
		3 << 30: "3gb", 1<<30 + 1024: "1048577kb", math.MaxUint64: "18446744073709551615",
	} {
		if got := formatMemory(in); got != want {
			t.Errorf("formatMemory(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"*", "port", true}, {"*", "", false}, {"", "", true}, {"", "a", false},
		{"p*", "port", true}, {"P*", "port", true}, {"*rt", "port", true}, {"*r*", "port", true},
		{"p?rt", "port", true}, {"p?rt", "prt", false}, {"[pq]ort", "port", true}, {"[^p]ort", "port", false},
		{"[a-z]ort", "port", true}, {"[z-a]ort", "port", true}, {"[A-Z]ort", "port", true},
		{`\*`, "*", true}, {`\*`, "a", false}, {`[\]]`, "]", true}, {"[abc", "a", true}, {"[abc", "d", false},
		{"a*b*c", "aXbYc", true}, {"a*b*c", "aXbY", false}, {"**", "x", true}, {"*x**", "abx", true},
		{"hash-max-*-entries", "hash-max-listpack-entries", true},
		{"*a*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
	} {
		if got := globMatch(tc.pattern, tc.s, true); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
	if globMatch("P*", "port", false) {
		t.Error("case-sensitive match ignored case")
	}
}
