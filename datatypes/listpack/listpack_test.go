package listpack

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestAppendEncodings checks each encoding's bytes against what
// redis-server 7 writes (lpAppend / lpAppendInteger): the header, the entry
// and its back-length.
func TestAppendEncodings(t *testing.T) {
	for _, tc := range []struct{ in, entry string }{
		{"0", "0001"},
		{"127", "7f01"},
		{"128", "c08002"},
		{"-1", "dfff02"},
		{"-4096", "d00002"},
		{"4096", "f1001003"},
		{"-32769", "f2ff7fff04"},
		{"8388608", "f30000800005"},
		{"2147483648", "f4000000800000000009"},
		{"-9223372036854775808", "f4000000000000008009"},
		{"01", "8230310" + "3"},
		{"-0", "822d3003"},
		{"9223372036854775808", "93393232333337323033363835343737353830381" + "4"},
		{"", "8001"},
	} {
		lp := Append(New(), []byte(tc.in))
		if got := hex.EncodeToString(lp[HeaderSize : len(lp)-1]); got != tc.entry {
			t.Errorf("Append(%q) entry = %s, want %s", tc.in, got, tc.entry)
		}
		if n, err := Validate(lp); err != nil || n != 1 {
			t.Errorf("Append(%q): Validate = %d, %v", tc.in, n, err)
		}
		if got := string(Get(lp, First(lp)).Bytes()); got != tc.in {
			t.Errorf("Append(%q) reads back %q", tc.in, got)
		}
	}
}

func TestAppendIntMatchesAppend(t *testing.T) {
	for _, v := range []int64{0, 127, 128, -1, -4096, 4095, 4096, -32768, 32768, -8388608, 8388608, 1 << 31, -1 << 63, 1<<63 - 1} {
		if a, b := AppendInt(New(), v), Append(New(), fmt.Appendf(nil, "%d", v)); !bytes.Equal(a, b) {
			t.Errorf("AppendInt(%d) = %x, Append = %x", v, a, b)
		}
	}
}

// TestLongStringsAndBacklens covers the 12- and 32-bit string lengths and
// back-lengths of two and three bytes, walking both ways.
func TestLongStringsAndBacklens(t *testing.T) {
	vals := []string{strings.Repeat("a", 63), strings.Repeat("b", 64), strings.Repeat("c", 4095), strings.Repeat("d", 4096), strings.Repeat("e", 20000), "x"}
	lp := New()
	for _, v := range vals {
		lp = Append(lp, []byte(v))
	}
	if n, err := Validate(lp); err != nil || n != len(vals) {
		t.Fatalf("Validate = %d, %v", n, err)
	}
	var fwd, back []string
	for p := First(lp); p >= 0; p = Next(lp, p) {
		fwd = append(fwd, string(Get(lp, p).Str))
	}
	for p := Last(lp); p >= 0; p = Prev(lp, p) {
		back = append(back, string(Get(lp, p).Str))
	}
	slices.Reverse(back)
	if !slices.Equal(fwd, vals) || !slices.Equal(back, vals) {
		t.Fatalf("walks differ from the input")
	}
}

func TestCountUnknownHeader(t *testing.T) {
	lp := New()
	for i := range CountUnknown + 1 {
		lp = AppendInt(lp, int64(i%100))
	}
	if got := headerCount(lp); got != CountUnknown {
		t.Fatalf("header count %d, want %d", got, CountUnknown)
	}
	if n, err := Validate(lp); err != nil || n != CountUnknown+1 || Len(lp) != n {
		t.Fatalf("Validate = %d, %v; Len = %d", n, err, Len(lp))
	}
}

func TestValidateRejects(t *testing.T) {
	good := Append(Append(New(), []byte("hello")), []byte("-300"))
	mutate := func(at int, b byte) []byte {
		c := bytes.Clone(good)
		c[at] = b
		return c
	}
	for name, lp := range map[string][]byte{
		"empty":            nil,
		"short":            good[:6],
		"total bytes":      mutate(0, 99),
		"count":            mutate(4, 3),
		"no terminator":    mutate(len(good)-1, 0),
		"bad encoding":     mutate(HeaderSize, 0xf5),
		"string too long":  mutate(HeaderSize, 0xbf),
		"bad backlen":      mutate(HeaderSize+6, 9),
		"early terminator": mutate(HeaderSize, EOF),
	} {
		if _, err := Validate(lp); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: Validate = %v, want ErrMalformed", name, err)
		}
	}
}

// FuzzValidate: Validate never panics, and whatever it accepts the walking
// functions handle, forwards and backwards, with the count it reported.
func FuzzValidate(f *testing.F) {
	f.Add(New())
	f.Add(Append(Append(New(), []byte("hello")), []byte("-300")))
	f.Add(AppendInt(Append(New(), bytes.Repeat([]byte{'z'}, 300)), 1<<40))
	f.Add([]byte{7, 0, 0, 0, 0xff, 0xff, EOF})
	f.Fuzz(func(t *testing.T, lp []byte) {
		n, err := Validate(lp)
		if err != nil {
			return
		}
		fwd := 0
		for p := First(lp); p >= 0; p = Next(lp, p) {
			_ = Get(lp, p).Bytes()
			fwd++
		}
		back := 0
		for p := Last(lp); p >= 0; p = Prev(lp, p) {
			back++
		}
		if fwd != n || back != n || Len(lp) != n {
			t.Fatalf("Validate says %d entries; forwards %d, backwards %d, Len %d", n, fwd, back, Len(lp))
		}
	})
}
