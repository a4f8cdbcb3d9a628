package rdb

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strconv"
	"testing"
)

func TestAppendLen(t *testing.T) {
	cases := []struct {
		n    uint64
		want []byte
	}{
		{0, []byte{0x00}},
		{63, []byte{0x3f}},
		{64, []byte{0x40, 0x40}},
		{16383, []byte{0x7f, 0xff}},
		{16384, []byte{0x80, 0x00, 0x00, 0x40, 0x00}},
		{math.MaxUint32, []byte{0x80, 0xff, 0xff, 0xff, 0xff}},
		{math.MaxUint32 + 1, []byte{0x81, 0, 0, 0, 1, 0, 0, 0, 0}},
		{math.MaxUint64, []byte{0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
	}
	for _, c := range cases {
		got := AppendLen([]byte{0xAA}, c.n)
		if !bytes.Equal(got[1:], c.want) || got[0] != 0xAA {
			t.Errorf("AppendLen(%d) = % x, want % x", c.n, got[1:], c.want)
			continue
		}
		d := NewDecoder(bytes.NewReader(c.want))
		n, err := d.ReadLen()
		if err != nil || n != c.n || d.Offset() != int64(len(c.want)) {
			t.Errorf("ReadLen(% x) = %d, %v (offset %d)", c.want, n, err, d.Offset())
		}
	}
}

func TestParseRedisInt(t *testing.T) {
	good := []string{"0", "1", "-1", "12", "9223372036854775807", "-9223372036854775808", "2147483648"}
	bad := []string{"", "-", "+1", "01", "007", "-0", "-01", " 1", "1 ", "1e3", "0x1", "1.0",
		"9223372036854775808", "-9223372036854775809", "99999999999999999999", "123456789012345678901"}
	for _, s := range good {
		v, ok := parseRedisInt([]byte(s))
		if !ok || strconv.FormatInt(v, 10) != s {
			t.Errorf("parseRedisInt(%q) = %d, %v", s, v, ok)
		}
	}
	for _, s := range bad {
		if v, ok := parseRedisInt([]byte(s)); ok {
			t.Errorf("parseRedisInt(%q) = %d, accepted", s, v)
		}
	}
}

func TestAppendStringEncodings(t *testing.T) {
	cases := []struct {
		in       string
		compress bool
		want     []byte
	}{
		{"", true, []byte{0x00}},
		{"abc", true, []byte{0x03, 'a', 'b', 'c'}},
		{"0", true, []byte{0xc0, 0x00}},
		{"-1", true, []byte{0xc0, 0xff}},
		{"127", true, []byte{0xc0, 0x7f}},
		{"128", true, []byte{0xc1, 0x80, 0x00}},
		{"-32768", true, []byte{0xc1, 0x00, 0x80}},
		{"32768", true, []byte{0xc2, 0x00, 0x80, 0x00, 0x00}},
		{"-2147483648", true, []byte{0xc2, 0x00, 0x00, 0x00, 0x80}},
		{"2147483648", true, append([]byte{10}, "2147483648"...)},
		{"007", true, []byte{0x03, '0', '0', '7'}},
		{"-0", true, []byte{0x02, '-', '0'}},
		// 20 bytes: never compressed; 21: compressed when on.
		{"aaaaaaaaaaaaaaaaaaaa", true, append([]byte{20}, "aaaaaaaaaaaaaaaaaaaa"...)},
		{"aaaaaaaaaaaaaaaaaaaaa", true, []byte{0xc3, 0x06, 0x15, 0x01, 'a', 'a', 0xe0, 0x0a, 0x00}},
		{"aaaaaaaaaaaaaaaaaaaaa", false, append([]byte{21}, "aaaaaaaaaaaaaaaaaaaaa"...)},
		// Incompressible: stored raw.
		{"abcdefghijklmnopqrstuvwxyz", true, append([]byte{26}, "abcdefghijklmnopqrstuvwxyz"...)},
	}
	for _, c := range cases {
		got := AppendString(nil, []byte(c.in), c.compress)
		if !bytes.Equal(got, c.want) {
			t.Errorf("AppendString(%q, %v) = % x, want % x", c.in, c.compress, got, c.want)
		}
		back, err := DecodeStringValue(got)
		if err != nil || string(back) != c.in {
			t.Errorf("decode(% x) = %q, %v; want %q", got, back, err, c.in)
		}
	}
}

func TestAppendStringKeepsPrefixAndSavesFourBytes(t *testing.T) {
	prefix := []byte("prefix")
	for _, in := range lzfInputs() {
		dst := append(make([]byte, 0, len(prefix)), prefix...)
		out := AppendString(dst, in, true)
		if !bytes.HasPrefix(out, prefix) {
			t.Fatal("prefix clobbered")
		}
		enc := out[len(prefix):]
		if enc[0] == 0xc3 {
			d := NewDecoder(bytes.NewReader(enc[1:]))
			clen, _ := d.ReadLen()
			if clen > uint64(len(in)-4) {
				t.Fatalf("len %d: compressed to %d bytes, more than len-4", len(in), clen)
			}
		}
		back, err := DecodeStringValue(enc)
		if err != nil || !bytes.Equal(back, in) {
			t.Fatalf("len %d: round trip failed: %v", len(in), err)
		}
	}
}

func TestAppendInt(t *testing.T) {
	for _, v := range []int64{0, -1, 127, -128, 128, 32767, -32769, math.MaxInt32, math.MinInt32,
		math.MaxInt32 + 1, math.MinInt32 - 1, math.MaxInt64, math.MinInt64} {
		s := strconv.FormatInt(v, 10)
		if got, want := AppendInt(nil, v), AppendString(nil, []byte(s), true); !bytes.Equal(got, want) {
			t.Errorf("AppendInt(%d) = % x, AppendString = % x", v, got, want)
		}
	}
}

func TestEncoderDecoderRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	e := NewEncoder(&buf, true)
	values := [][]byte{[]byte("x"), []byte("12"), bytes.Repeat([]byte("ab"), 100), {}}
	_ = e.WriteRaw([]byte("REDIS0010"))
	_ = e.WriteType(OpSelectDB)
	_ = e.WriteLen(0)
	for _, v := range values {
		_ = e.WriteType(TypeString)
		_ = e.WriteString(v)
	}
	if err := e.WriteInt(-5); err != nil {
		t.Fatal(err)
	}
	if e.Written() != int64(buf.Len()) || e.Checksum() != CRC64(0, buf.Bytes()) {
		t.Fatalf("encoder accounting: written %d of %d, crc %x", e.Written(), buf.Len(), e.Checksum())
	}

	d := NewDecoder(bytes.NewReader(buf.Bytes()))
	magic := make([]byte, 9)
	if err := d.ReadFull(magic); err != nil || string(magic) != "REDIS0010" {
		t.Fatalf("magic %q %v", magic, err)
	}
	if op, _ := d.ReadType(); op != OpSelectDB {
		t.Fatalf("opcode %d", op)
	}
	if n, _ := d.ReadLen(); n != 0 {
		t.Fatalf("db %d", n)
	}
	for _, v := range values {
		if typ, _ := d.ReadType(); typ != TypeString {
			t.Fatalf("type %d", typ)
		}
		got, err := d.ReadString()
		if err != nil || !bytes.Equal(got, v) {
			t.Fatalf("ReadString = %q, %v; want %q", got, err, v)
		}
	}
	if got, err := d.ReadString(); err != nil || string(got) != "-5" {
		t.Fatalf("int: %q %v", got, err)
	}
	if d.Offset() != int64(buf.Len()) || d.Checksum() != e.Checksum() {
		t.Fatal("decoder accounting differs from encoder")
	}
	if _, err := d.ReadByte(); !errors.Is(err, ErrBadFormat) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("read past end: %v", err)
	}
}

type failWriter struct{ after int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.after <= 0 {
		return 0, io.ErrClosedPipe
	}
	w.after--
	return len(p), nil
}

func TestEncoderStickyError(t *testing.T) {
	e := NewEncoder(&failWriter{after: 1}, true)
	if err := e.WriteType(TypeString); err != nil {
		t.Fatal(err)
	}
	if err := e.WriteLen(5); !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("second write: %v", err)
	}
	if err := e.WriteString([]byte("x")); !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("after failure: %v", err)
	}
	if e.Written() != 1 {
		t.Fatalf("written %d", e.Written())
	}
}

// oneByteReader hides Len(), to exercise the chunked read of long strings.
type oneByteReader struct{ r io.Reader }

func (o oneByteReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func TestDecoderBogusLengths(t *testing.T) {
	// A 64-bit length far beyond the data must fail without allocating it,
	// with a reader that reports its size and with one that does not.
	in := append([]byte{0x81, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, "short"...)
	for _, r := range []io.Reader{bytes.NewReader(in), oneByteReader{bytes.NewReader(in)}} {
		if _, err := NewDecoder(r).ReadString(); !errors.Is(err, ErrBadFormat) || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("bogus length: %v", err)
		}
	}
	// A long string through the chunked path.
	long := bytes.Repeat([]byte{7}, 3*readBytesChunk+5)
	enc := AppendString(nil, long, false)
	got, err := NewDecoder(oneByteReader{bytes.NewReader(enc)}).ReadString()
	if err != nil || !bytes.Equal(got, long) {
		t.Fatalf("chunked read: %v", err)
	}
	// LZF claiming a huge original length from a few bytes.
	lzf := []byte{0xc3, 0x02, 0x81, 0, 0, 1, 0, 0, 0, 0, 0, 0x01, 'a'}
	if _, err := DecodeStringValue(lzf); !errors.Is(err, ErrBadFormat) {
		t.Fatalf("lzf bogus length: %v", err)
	}
}

func TestDecodeStringErrors(t *testing.T) {
	cases := map[string][]byte{
		"empty":            {},
		"raw truncated":    {0x05, 'a', 'b'},
		"14-bit truncated": {0x40},
		"32-bit truncated": {0x80, 0, 0},
		"64-bit truncated": {0x81, 0},
		"bad marker":       {0x82},
		"encoding 4":       {0xc4},
		"int8 truncated":   {0xc0},
		"int16 truncated":  {0xc1, 0},
		"int32 truncated":  {0xc2, 0, 0, 0},
		"lzf no lengths":   {0xc3},
		"lzf truncated":    {0xc3, 0x05, 0x05, 0x04},
		"lzf short":        {0xc3, 0x03, 0x05, 0x01, 'a', 'b'},
		"lzf bad ref":      {0xc3, 0x02, 0x05, 0x20, 0x05},
		"lzf encoded len":  {0xc3, 0xc0, 0x01},
	}
	for name, in := range cases {
		if v, err := DecodeStringValue(in); !errors.Is(err, ErrBadFormat) {
			t.Errorf("%s: got %q, %v; want ErrBadFormat", name, v, err)
		}
	}
}
