package num

import (
	"math"
	"testing"
)

func TestParseInt(t *testing.T) {
	good := map[string]int64{"0": 0, "1": 1, "-1": -1, "9223372036854775807": math.MaxInt64, "-9223372036854775808": math.MinInt64, "123": 123}
	for s, want := range good {
		got, ok := ParseInt([]byte(s))
		if !ok || got != want {
			t.Errorf("ParseInt(%q) = %d,%v want %d", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "-", "+1", "01", "-0", " 1", "1 ", "1a", "9223372036854775808", "-9223372036854775809", "99999999999999999999", "1.0"} {
		if _, ok := ParseInt([]byte(s)); ok {
			t.Errorf("ParseInt(%q) accepted", s)
		}
	}
}

func TestParseFloat(t *testing.T) {
	good := map[string]float64{"1": 1, "1.5": 1.5, "-2e3": -2000, "inf": math.Inf(1), "-inf": math.Inf(-1), "+inf": math.Inf(1), ".5": 0.5}
	for s, want := range good {
		got, ok := ParseFloat([]byte(s))
		if !ok || got != want {
			t.Errorf("ParseFloat(%q) = %v,%v want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "nan", "abc", " 1", "1 ", "1e999"} {
		if _, ok := ParseFloat([]byte(s)); ok {
			t.Errorf("ParseFloat(%q) accepted", s)
		}
	}
}

func TestAppendFloat17(t *testing.T) {
	cases := map[float64]string{1: "1", 1.5: "1.5", 0.1: "0.10000000000000001", 1e20: "1e+20", 123456789: "123456789", 1e-5: "1.0000000000000001e-05", math.Inf(1): "inf", -3: "-3", 3.0e17: "3e+17"}
	for f, want := range cases {
		if got := string(AppendFloat17(nil, f)); got != want {
			t.Errorf("AppendFloat17(%v) = %q want %q", f, got, want)
		}
	}
}

func TestAppendHumanFloat(t *testing.T) {
	cases := map[float64]string{10.5: "10.5", 3: "3", 5.0e3: "5000", -0.0: "0", 0.1: "0.1"}
	for f, want := range cases {
		if got := string(AppendHumanFloat(nil, f)); got != want {
			t.Errorf("AppendHumanFloat(%v) = %q want %q", f, got, want)
		}
	}
}
