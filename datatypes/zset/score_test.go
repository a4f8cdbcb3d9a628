package zset

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/vireodb/vireo/datatypes/num"
)

// Expected values come from redis-server 7.0.15: ZADD accepting or refusing
// the score, ZRANGEBYSCORE accepting or refusing the bound.
func TestParseScore(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1", 1, true},
		{"-2.5", -2.5, true},
		{"0x10", 16, true},       // strtod's hex, no 'p' needed
		{"0x1p3", 8, true},       // hex with exponent
		{"0X.8", 0.5, true},      // hex fraction only
		{"1e-310", 1e-310, true}, // subnormal: ERANGE but not zero, accepted
		{"1e-400", 0, false},     // underflow to zero
		{"1e400", 0, false},      // overflow
		{"inf", math.Inf(1), true},
		{"+inf", math.Inf(1), true},
		{"-infinity", math.Inf(-1), true},
		{"INF", math.Inf(1), true},
		{"nan", 0, false},
		{"-nan", 0, false},
		{"", 0, false},
		{" 1", 0, false},
		{"1 ", 0, false},
		{"1_0", 0, false},
		{"0x", 0, false},
		{"1e", 0, false},
		{"1.", 1, true},
		{".5", 0.5, true},
		{".", 0, false},
		{"+.5e1", 5, true},
		{"1\x00", 0, false},
		{"0012", 12, true},
		{"-0", math.Copysign(0, -1), true},
		{"infx", 0, false},
		{"nan(123)", 0, false},
	}
	for _, c := range cases {
		got, ok := ParseScore([]byte(c.in))
		if ok != c.ok || (ok && (got != c.want || math.Signbit(got) != math.Signbit(c.want))) {
			t.Errorf("ParseScore(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestParseScoreRange(t *testing.T) {
	cases := []struct {
		min, max string
		ok       bool
		want     ScoreRange
	}{
		{"1", "2", true, ScoreRange{Min: 1, Max: 2}},
		{"(1", "(2", true, ScoreRange{Min: 1, Max: 2, MinEx: true, MaxEx: true}},
		{" 1", "(20", true, ScoreRange{Min: 1, Max: 20, MaxEx: true}}, // strtod skips blanks
		{"", "+inf", true, ScoreRange{Min: 0, Max: math.Inf(1)}},      // empty parses as 0
		{"(", "inf", true, ScoreRange{Min: 0, Max: math.Inf(1), MinEx: true}},
		{"1\x00x", "inf", true, ScoreRange{Min: 1, Max: math.Inf(1)}}, // the C string ends at NUL
		{"1e-400", "1e400", true, ScoreRange{Min: 0, Max: math.Inf(1)}},
		{"nan", "1", false, ScoreRange{}},
		{"1 ", "2", false, ScoreRange{}},
		{"a", "2", false, ScoreRange{}},
		{"1", "((2", false, ScoreRange{}},
	}
	for _, c := range cases {
		got, ok := ParseScoreRange([]byte(c.min), []byte(c.max))
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("ParseScoreRange(%q, %q) = %+v, %v; want %+v, %v", c.min, c.max, got, ok, c.want, c.ok)
		}
	}
}

func TestParseLexRange(t *testing.T) {
	ok := []struct{ min, max string }{{"-", "+"}, {"[a", "(b"}, {"(", "["}, {"+", "-"}, {"-\x00x", "+"}}
	for _, c := range ok {
		if _, good := ParseLexRange([]byte(c.min), []byte(c.max)); !good {
			t.Errorf("ParseLexRange(%q, %q) refused", c.min, c.max)
		}
	}
	bad := []struct{ min, max string }{{"a", "b"}, {"", "+"}, {"+a", "["}, {"-", "--"}, {"[a", "b"}}
	for _, c := range bad {
		if _, good := ParseLexRange([]byte(c.min), []byte(c.max)); good {
			t.Errorf("ParseLexRange(%q, %q) accepted", c.min, c.max)
		}
	}
	r, _ := ParseLexRange([]byte("-"), []byte("-"))
	if !r.empty() {
		t.Error(`"- -" should be an empty range`)
	}
	r, _ = ParseLexRange([]byte("[a"), []byte("[a"))
	if r.empty() || !r.Contains([]byte("a")) || r.Contains([]byte("b")) {
		t.Error(`"[a [a" should hold exactly "a"`)
	}
	r, _ = ParseLexRange([]byte("(a"), []byte("[a"))
	if !r.empty() {
		t.Error(`"(a [a" should be empty`)
	}
}

// Formats as redis-server 7.0.15 prints them: ZSCAN of a skiplist-encoded
// set (d2string) and of a listpack-encoded one (integers up to 2^62).
func TestScoreFormats(t *testing.T) {
	cases := []struct {
		v        float64
		d2string string
		listpack string
	}{
		{0, "0", "0"},
		{math.Copysign(0, -1), "-0", "0"},
		{1.5, "1.5", "1.5"},
		{-2.5e-10, "-2.5000000000000002e-10", "-2.5000000000000002e-10"},
		{1e17, "1e+17", "100000000000000000"},
		{4503599627370495, "4503599627370495", "4503599627370495"},
		{4503599627370496, "4503599627370496", "4503599627370496"},
		{-4503599627370495, "-4503599627370495", "-4503599627370495"},
		{4611686018427387904, "4.6116860184273879e+18", "4611686018427387904"},
		{-4611686018427387904, "-4.6116860184273879e+18", "-4611686018427387904"},
		{9223372036854775807, "9.2233720368547758e+18", "9.2233720368547758e+18"},
		{1e300, "1.0000000000000001e+300", "1.0000000000000001e+300"},
		{math.Inf(1), "inf", "inf"},
		{math.Inf(-1), "-inf", "-inf"},
	}
	for _, c := range cases {
		if got := string(AppendScoreString(nil, c.v)); got != c.d2string {
			t.Errorf("AppendScoreString(%v) = %q, want %q", c.v, got, c.d2string)
		}
		if got := string(AppendListpackScore(nil, c.v)); got != c.listpack {
			t.Errorf("AppendListpackScore(%v) = %q, want %q", c.v, got, c.listpack)
		}
	}
}

func FuzzParseScore(f *testing.F) {
	for _, s := range []string{"1", "-2.5", "0x1p3", "0x.8", "inf", "nan", "1e-400", " 1", "(1", "0x", "1e+", "-0", "1\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, ok := ParseScore(b)
		if ok && math.IsNaN(v) {
			t.Fatalf("ParseScore(%q) accepted NaN", b)
		}
		// Plain decimal numbers must agree with strconv.
		if ref, err := strconv.ParseFloat(string(b), 64); err == nil && !math.IsNaN(ref) && !math.IsInf(ref, 0) && plainDecimal(b) {
			if !ok && !(ref == 0 && hasNonZeroDigit(b)) {
				t.Fatalf("ParseScore(%q) refused %v", b, ref)
			}
			if ok && v != ref {
				t.Fatalf("ParseScore(%q) = %v, strconv says %v", b, v, ref)
			}
		}
		// A parsed score prints and parses back to itself.
		if ok && !math.IsInf(v, 0) {
			back, ok2 := ParseScore(AppendScoreString(nil, v))
			if !ok2 || back != v {
				t.Fatalf("%v printed as %q parses back as %v, %v", v, AppendScoreString(nil, v), back, ok2)
			}
		}
		// Range bounds never panic either.
		ParseScoreRange(b, b)
		ParseLexRange(b, b)
	})
}

func plainDecimal(b []byte) bool {
	for _, c := range b {
		if !(isDigit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return false
		}
	}
	return len(b) > 0
}

func hasNonZeroDigit(b []byte) bool {
	for _, c := range b {
		if c == 'e' || c == 'E' {
			return false
		}
		if c >= '1' && c <= '9' {
			return true
		}
	}
	return false
}

// TestAppendFloat17 checks the allocation-free %.17g against num's.
func TestAppendFloat17(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 0.1, 1.5, 1e16, 1e17, -1e17, 99999999999999999, 1e-4, 1e-5, 0.0001234,
		123456.789, 1e300, -1e-300, 5e-324, math.MaxFloat64, 4611686018427387904, 9.999999999999999e16, 0.30000000000000004,
		math.Inf(1), math.Inf(-1), 12345678901234567, 1.0000000000000002, 100, 1e21, 2.5e-10}
	for i := 0; i < 200000; i++ {
		switch i % 4 {
		case 0:
			vals = append(vals, math.Float64frombits(r.Uint64()))
		case 1:
			vals = append(vals, float64(r.IntN(1_000_000))/float64(1+r.IntN(1000)))
		case 2:
			vals = append(vals, math.Ldexp(r.Float64(), r.IntN(200)-100))
		default:
			vals = append(vals, float64(r.Int64N(1<<62))*float64(1-2*r.IntN(2)))
		}
	}
	for _, v := range vals {
		if math.IsNaN(v) {
			continue
		}
		got, want := string(AppendFloat17(nil, v)), string(num.AppendFloat17(nil, v))
		if got != want {
			t.Fatalf("%v (%x): %q, num says %q", v, math.Float64bits(v), got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() {
		var buf [32]byte
		AppendFloat17(buf[:0], 0.1)
	}); n != 0 {
		t.Errorf("AppendFloat17 allocates %v times", n)
	}
}
