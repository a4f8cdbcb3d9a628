package glob

import (
	"bytes"
	"strings"
	"testing"
)

// Expected answers were taken from redis-server 7.0.15 (KEYS pattern against
// a database holding only the key s).
var redisCases = []struct {
	pattern, s string
	want       bool
}{
	{"h?llo", "hello", true},
	{"h?llo", "hllo", false},
	{"h*llo", "heeeello", true},
	{"h*llo", "hllo", true},
	{"h[ae]llo", "hello", true},
	{"h[ae]llo", "hillo", false},
	{"h[^e]llo", "hallo", true},
	{"h[^e]llo", "hello", false},
	{"h[a-b]llo", "hbllo", true},
	{"h[a-b]llo", "hcllo", false},
	{"h[b-a]llo", "hallo", true}, // reversed range
	{"h\\*llo", "h*llo", true},
	{"h\\*llo", "hello", false},
	{"**", "", false}, // stars never match an empty string (KEYS only short-cuts "*")
	{"a*", "a", true},
	{"*a", "a", true},
	{"?", "", false},
	{"[abc", "c", true}, // unterminated class
	{"[abc", "d", false},
	{"[^", "x", true},
	{"[", "[", false},
	{"[]", "]", false},
	{"[]]", "]", false},
	{"[\\]]", "]", true},
	{"[a-]", "]", true}, // "a-]" is the range a..]
	{"[a-]", "-", false},
	{"\\", "\\", true},
	{"a\\", "a\\", true},
	{"[\\", "\\", true},
	{"[a-\xff]", "b", false}, // 0xff is -1 as a signed char: the range is -1..'a'
	{"[a-\xff]", "A", true},
	{"[\x80-\xff]", "\x90", true},
	{"*a*a*a*a*a*a*a*a*b", strings.Repeat("a", 40), false},
	{"abc", "ABC", false},
	{"a*b*c", "axxbyyc", true},
	{"a*b*c", "axxbyy", false},
	{"[a-c]*", "b", true},
	{"*[", "x", false},
	{"\\[a]", "[a]", true},
	{"[!a]", "!", true}, // '!' is not negation in Redis
}

func TestMatchAgreesWithRedis(t *testing.T) {
	for _, tc := range redisCases {
		if got := MatchString(tc.pattern, tc.s, false); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
		if strings.Count(tc.pattern, "*") > 6 {
			continue // the plain recursion is exponential there
		}
		if got := reference([]byte(tc.pattern), []byte(tc.s), false); got != tc.want {
			t.Errorf("reference(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

func TestMatchStarAlone(t *testing.T) {
	if MatchString("*", "", false) {
		t.Error(`Match("*", "") = true; Redis's matcher says false (callers short-cut "*")`)
	}
	if !MatchString("*", "anything", false) {
		t.Error(`Match("*", "anything") = false`)
	}
	if !MatchString("", "", false) || MatchString("", "a", false) {
		t.Error("empty pattern must match only the empty string")
	}
}

func TestMatchNocase(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"HeLLo", "hello", true},
		{"h*O", "HELLO", true},
		{"[A-C]x", "bX", true},
		{"[a-c]x", "BX", true},
		{"[^A]", "a", false},
		{"[Q]", "q", true},
		{"[\\Q]", "q", false}, // escaped class members compare exactly, even with nocase
		{"[\\Q]", "Q", true},
		{"\\A", "a", true}, // an escape outside a class still folds
		{"é", "É", false},  // ASCII folding only
	}
	for _, tc := range cases {
		if got := MatchString(tc.pattern, tc.s, true); got != tc.want {
			t.Errorf("Match(%q, %q, nocase) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
	if MatchString("HeLLo", "hello", false) {
		t.Error("case-sensitive match folded case")
	}
}

func TestMatchNestingLimit(t *testing.T) {
	// 1000 '*' separated by 'a' recurse past the limit before they can
	// match, so Redis answers no even though the plain reading says yes.
	p := strings.Repeat("a*", 1002) + "b"
	s := strings.Repeat("a", 1002) + "b"
	if MatchString(p, s, false) {
		t.Error("match past the nesting limit")
	}
	p = strings.Repeat("a*", 100) + "b"
	s = strings.Repeat("a", 100) + "b"
	if !MatchString(p, s, false) {
		t.Error("no match well inside the nesting limit")
	}
}

func TestMatchAdversarialIsFast(t *testing.T) {
	// Without skipLongerMatches this pattern takes exponential time.
	p := []byte(strings.Repeat("*a", 40) + "*b")
	s := bytes.Repeat([]byte("a"), 5000)
	if Match(p, s, false) {
		t.Error("unexpected match")
	}
}

// reference is the matcher without the skipLongerMatches shortcut and the
// nesting bound, written as plain recursion over indexes. Where the pattern
// recurses less than maxNesting deep it must give the same answers.
func reference(p, s []byte, nocase bool) bool {
	eqb := func(a, b byte) bool {
		if nocase {
			return lower(a) == lower(b)
		}
		return a == b
	}
	var rec func(pi, si int) bool
	rec = func(pi, si int) bool {
		for pi < len(p) && si < len(s) {
			switch p[pi] {
			case '*':
				for at(p, pi+1) == '*' {
					pi++
				}
				if pi == len(p)-1 {
					return true
				}
				for ; si < len(s); si++ {
					if rec(pi+1, si) {
						return true
					}
				}
				return false
			case '?':
				si++
			case '[':
				rest, ok := matchClass(p[pi:], s[si], nocase)
				if !ok {
					return false
				}
				pi = len(p) - len(rest)
				si++
			case '\\':
				if pi+1 < len(p) {
					pi++
				}
				fallthrough
			default:
				if !eqb(p[pi], s[si]) {
					return false
				}
				si++
			}
			pi++
			if si == len(s) {
				for at(p, pi) == '*' {
					pi++
				}
				break
			}
		}
		return pi == len(p) && si == len(s)
	}
	return rec(0, 0)
}

func FuzzMatch(f *testing.F) {
	for _, tc := range redisCases {
		f.Add([]byte(tc.pattern), []byte(tc.s), false)
	}
	f.Add([]byte("[A-C]*"), []byte("bcd"), true)
	f.Add([]byte("[\\"), []byte(""), false)
	f.Add([]byte("*\x00*"), []byte("a\x00b"), false)
	f.Fuzz(func(t *testing.T, p, s []byte, nocase bool) {
		got := Match(p, s, nocase) // must not panic or hang
		// The reference is exponential in the number of stars; compare on
		// inputs small enough for it.
		if len(p) > 24 || len(s) > 24 || bytes.Count(p, []byte("*")) > 6 {
			return
		}
		if want := reference(p, s, nocase); got != want {
			t.Fatalf("Match(%q, %q, %v) = %v, reference says %v", p, s, nocase, got, want)
		}
	})
}
