package rdb

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
)

// lzfInputs returns inputs that exercise literal runs (32-byte limit), short
// and long back references (up to 264 bytes), the 8 KiB window, and data
// that does not compress.
func lzfInputs() [][]byte {
	r := rand.New(rand.NewPCG(7, 11))
	rnd := func(n int, alphabet int) []byte {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte('a' + r.IntN(alphabet))
		}
		return p
	}
	ins := [][]byte{
		[]byte("a"), []byte("ab"), []byte("abc"), []byte("abcd"), []byte("aaaaa"),
		bytes.Repeat([]byte("a"), 21),
		bytes.Repeat([]byte("a"), 300),
		bytes.Repeat([]byte("a"), 100000),
		bytes.Repeat([]byte("abcdefgh"), 50),
		[]byte("hello world hello world hello world hello world"),
		rnd(100, 26), rnd(1000, 4), rnd(5000, 2), rnd(20000, 256-'a'),
	}
	// Repeats just inside and just outside the 8 KiB window.
	block := rnd(64, 26)
	for _, gap := range []int{8100, 8126, 8127, 8128, 8129, 8200} {
		in := append([]byte{}, block...)
		in = append(in, rnd(gap-len(block), 256-'a')...)
		in = append(in, block...)
		in = append(in, rnd(10, 26)...)
		ins = append(ins, in)
	}
	// Text-like data: words drawn from a small vocabulary.
	words := []string{"redis ", "vireo ", "key ", "value ", "the ", "of ", "0123 ", "\x00\xff"}
	var text []byte
	for len(text) < 50000 {
		text = append(text, words[r.IntN(len(words))]...)
	}
	ins = append(ins, text, text[:777], text[:33])
	return ins
}

func TestLZFRoundTrip(t *testing.T) {
	for _, in := range lzfInputs() {
		out := make([]byte, len(in)+len(in)/32+16) // room for incompressible data
		n := LZFCompress(in, out)
		if n == 0 {
			t.Fatalf("len %d: compression failed with a large enough buffer", len(in))
		}
		got := make([]byte, len(in))
		m, err := LZFDecompress(out[:n], got)
		if err != nil || m != len(in) || !bytes.Equal(got, in) {
			t.Fatalf("len %d: round trip: n=%d err=%v equal=%v", len(in), m, err, bytes.Equal(got, in))
		}
	}
}

func TestLZFCompressLimits(t *testing.T) {
	in := bytes.Repeat([]byte("abcdefgh"), 50)
	out := make([]byte, 1000)
	n := LZFCompress(in, out)
	if n == 0 || n >= len(in) {
		t.Fatalf("repetitive input: n = %d", n)
	}
	// liblzf wants a little slack: with too little room it gives up (0)
	// rather than truncate, and otherwise writes the same bytes.
	if m := LZFCompress(in, make([]byte, n-1)); m != 0 {
		t.Fatalf("with %d bytes of room: got %d, want 0", n-1, m)
	}
	for room := n; room < n+8; room++ {
		small := make([]byte, room)
		if m := LZFCompress(in, small); m != 0 && !bytes.Equal(small[:m], out[:n]) {
			t.Fatalf("with %d bytes of room: different output", room)
		}
	}
	if LZFCompress(nil, out) != 0 || LZFCompress(in, nil) != 0 {
		t.Fatal("empty input or output must give 0")
	}
	// Compression is deterministic across pooled tables.
	a := append([]byte{}, out[:n]...)
	for range 3 {
		LZFCompress(lzfInputs()[12], make([]byte, 30000))
		if m := LZFCompress(in, out); m != n || !bytes.Equal(out[:m], a) {
			t.Fatal("compression output changed between calls")
		}
	}
}

func TestLZFKnownEncoding(t *testing.T) {
	// 21 x 'a'. liblzf never refers back to the first input byte, so the
	// first match starts at position 2 against position 1: a 2-byte literal
	// run "aa", then one long back reference (offset 0+1, length 10+7+2).
	// Redis stores these bytes for SET k aaaaaaaaaaaaaaaaaaaaa (the
	// differential test checks it against redis-server).
	in := bytes.Repeat([]byte("a"), 21)
	out := make([]byte, 17)
	n := LZFCompress(in, out)
	want := []byte{0x01, 'a', 'a', 0xe0, 0x0a, 0x00}
	if !bytes.Equal(out[:n], want) {
		t.Fatalf("got % x, want % x", out[:n], want)
	}
}

func TestLZFDecompressErrors(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		out  int
		want error
	}{
		{"empty input", nil, 10, ErrLZFCorrupt},
		{"literal past input", []byte{0x03, 'a'}, 10, ErrLZFCorrupt},
		{"literal past output", []byte{0x03, 'a', 'b', 'c', 'd'}, 2, ErrLZFOutputTooSmall},
		{"ref without offset", []byte{0x00, 'a', 0x20}, 10, ErrLZFCorrupt},
		{"long ref without length", []byte{0x00, 'a', 0xe0}, 10, ErrLZFCorrupt},
		{"long ref without offset", []byte{0x00, 'a', 0xe0, 0x01}, 10, ErrLZFCorrupt},
		{"ref before start", []byte{0x00, 'a', 0x20, 0x01}, 10, ErrLZFCorrupt},
		{"ref past output", []byte{0x00, 'a', 0x20, 0x00}, 3, ErrLZFOutputTooSmall},
	}
	for _, c := range cases {
		n, err := LZFDecompress(c.in, make([]byte, c.out))
		if !errors.Is(err, c.want) || n != 0 {
			t.Errorf("%s: n=%d err=%v, want %v", c.name, n, err, c.want)
		}
	}
	// A stream shorter than the buffer is not an error: the count says so.
	n, err := LZFDecompress([]byte{0x01, 'a', 'b'}, make([]byte, 10))
	if err != nil || n != 2 {
		t.Fatalf("short stream: n=%d err=%v", n, err)
	}
}

func FuzzLZF(f *testing.F) {
	for _, in := range lzfInputs() {
		if len(in) < 2000 {
			f.Add(in)
		}
	}
	f.Add([]byte{0x00, 'a', 0xe0, 0x0a, 0x00, 0x01, 'a', 'a'})
	f.Add([]byte{0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		// Arbitrary input as compressed data: must not panic, and never
		// report more than the buffer holds.
		for _, size := range []int{0, 1, len(data), 4 * len(data), 300} {
			n, err := LZFDecompress(data, make([]byte, size))
			if (err != nil && n != 0) || n > size {
				t.Fatalf("decompress(size %d): n=%d err=%v", size, n, err)
			}
		}
		// Arbitrary input as plain data: the round trip holds.
		out := make([]byte, len(data)+len(data)/32+16)
		n := LZFCompress(data, out)
		if len(data) > 0 && n == 0 {
			t.Fatal("compression failed with room for incompressible data")
		}
		if n == 0 {
			return
		}
		back := make([]byte, len(data))
		m, err := LZFDecompress(out[:n], back)
		if err != nil || m != len(data) || !bytes.Equal(back, data) {
			t.Fatalf("round trip: m=%d err=%v", m, err)
		}
		// And with Redis's budget (len-4), either it fits or it reports 0.
		if len(data) > 4 {
			small := make([]byte, len(data)-4)
			if k := LZFCompress(data, small); k != 0 && (k != n || !bytes.Equal(small[:k], out[:n])) {
				t.Fatalf("output depends on buffer size: %d vs %d", k, n)
			}
		}
	})
}
