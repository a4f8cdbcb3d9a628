package hll

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"strconv"
	"testing"
)

// addAll runs PFADD's loop: add every element, invalidate the cache when a
// register changed (or the HLL is new).
func addAll(t testing.TB, s []byte, created bool, elems ...[]byte) []byte {
	t.Helper()
	updated := created
	for _, e := range elems {
		var changed bool
		var err error
		s, changed, err = Add(s, e, DefaultSparseMaxBytes)
		if err != nil {
			t.Fatalf("Add(%q): %v", e, err)
		}
		updated = updated || changed
	}
	if updated {
		InvalidateCache(s)
	}
	return s
}

// pfcount is PFCOUNT on one key: the cache or a fresh count stored back.
func pfcount(t testing.TB, s []byte) uint64 {
	t.Helper()
	if card, ok := CachedCard(s); ok {
		return card
	}
	card, err := Count(s)
	if err != nil {
		t.Fatalf("Count: %v", err)
	}
	SetCachedCard(s, card)
	return card
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}

// TestAgainstRedisRecording replays PFADD k e0 .. e<n-1> (in batches of 500,
// after a bare PFADD k) and compares the value, PFCOUNT and the value after
// PFCOUNT with what redis-server 7.0.15 returned for the same commands.
func TestAgainstRedisRecording(t *testing.T) {
	cases := []struct {
		n                  int
		size               int
		before, after, hex string
		count              uint64
	}{
		{0, 18, "a548e8daa487445a", "d9596e4bda3ed904", "48594c4c0100000000000000000000807fff", 0},
		{1, 21, "b0e9338b711c718f", "ccda8ba82764c30e", "48594c4c0100000000000000000000804525807ad8", 1},
		{2, 24, "ec5816a909ed5192", "92b278a2c210952b", "48594c4c01000000000000000000008045258079258441b1", 2},
		{3, 27, "a959110bed486c1a", "20fad011f1c9cf44", "48594c4c010000000000000000000080452580782f8440f48441b1", 3},
		{10, 48, "5e1f7c888c80593c", "0bba112db5cc118c", "48594c4c010000000000000000000080452580472e844fc9804412844a5184430d844103844eb984408880406a8441b1", 10},
		{100, 285, "53986fa020104b2d", "aebee27e50c67272", "", 100},
		{500, 1068, "fdd072e10d5463ce", "70c1bb138b0e357f", "", 506},
		{1000, 1906, "519a7f0764d633e0", "ab6313e24c05ff99", "", 1008},
		{2000, DenseSize, "2a070facb0df784f", "934a6aaa45ebe9f4", "", 2000},
		{3000, DenseSize, "641370c2fb88649b", "a79c6647dea1e857", "", 2979},
		{5000, DenseSize, "0a4b61a05c269540", "bd470063c39f632f", "", 4968},
		{20000, DenseSize, "f491acb3b4a2b530", "e0b65a9f0a68fd60", "", 19901},
		{100000, DenseSize, "db44442a96c3ca47", "548dba672576d8a2", "", 100853},
	}
	for _, tc := range cases {
		t.Run(strconv.Itoa(tc.n), func(t *testing.T) {
			s := addAll(t, New(), true)
			for i := 0; i < tc.n; i += 500 {
				var batch [][]byte
				for j := i; j < min(tc.n, i+500); j++ {
					batch = append(batch, []byte("e"+strconv.Itoa(j)))
				}
				s = addAll(t, s, false, batch...)
			}
			if len(s) != tc.size {
				t.Fatalf("length %d, want %d", len(s), tc.size)
			}
			if tc.hex != "" && hex.EncodeToString(s) != tc.hex {
				t.Fatalf("value %x\nwant  %s", s, tc.hex)
			}
			if got := sum(s); got != tc.before {
				t.Fatalf("value digest %s, want %s", got, tc.before)
			}
			if got := pfcount(t, s); got != tc.count {
				t.Fatalf("PFCOUNT %d, want %d", got, tc.count)
			}
			if got := sum(s); got != tc.after {
				t.Fatalf("digest after PFCOUNT %s, want %s", got, tc.after)
			}
		})
	}
}

// TestHash checks MurmurHash64A on every tail length against values
// derived from Redis's registers above (e0's register and run).
func TestHashTails(t *testing.T) {
	// Reference implementation written from the C loop, byte at a time.
	ref := func(key []byte) uint64 {
		const m = 0xc6a4a7935bd1e995
		h := uint64(hashSeed) ^ uint64(len(key))*m
		n := len(key) - len(key)%8
		for i := 0; i < n; i += 8 {
			var k uint64
			for b := 7; b >= 0; b-- {
				k = k<<8 | uint64(key[i+b])
			}
			k *= m
			k ^= k >> 47
			k *= m
			h ^= k
			h *= m
		}
		switch len(key) & 7 {
		case 7:
			h ^= uint64(key[n+6]) << 48
			fallthrough
		case 6:
			h ^= uint64(key[n+5]) << 40
			fallthrough
		case 5:
			h ^= uint64(key[n+4]) << 32
			fallthrough
		case 4:
			h ^= uint64(key[n+3]) << 24
			fallthrough
		case 3:
			h ^= uint64(key[n+2]) << 16
			fallthrough
		case 2:
			h ^= uint64(key[n+1]) << 8
			fallthrough
		case 1:
			h ^= uint64(key[n])
			h *= m
		}
		h ^= h >> 47
		h *= m
		h ^= h >> 47
		return h
	}
	key := []byte("abcdefghijklmnopqrstuvwxyz0123456789")
	for n := 0; n <= len(key); n++ {
		if got, want := Hash(key[:n]), ref(key[:n]); got != want {
			t.Errorf("Hash(%q) = %x, want %x", key[:n], got, want)
		}
	}
	// "e0" lands in register 1318 with run 1 in Redis (PFADD s1 above:
	// XZERO:1318 VAL:1,1 XZERO:15065).
	if i, c := patLen([]byte("e0")); i != 1318 || c != 1 {
		t.Errorf("patLen(e0) = %d,%d; want 1318,1", i, c)
	}
}

// model is the obvious HLL: one byte per register.
type model [RegisterCount]uint8

func registersOf(t testing.TB, s []byte) model {
	t.Helper()
	var m Max
	if err := m.Merge(s); err != nil {
		t.Fatalf("Merge: %v", err)
	}
	return model(m)
}

// TestSparseMatchesModel adds random elements to a sparse HLL (with small
// and default promotion limits) and a byte-per-register model, checking
// the registers, the reported change, canonical opcodes and the count.
func TestSparseMatchesModel(t *testing.T) {
	for _, maxBytes := range []int{0, 40, 300, DefaultSparseMaxBytes, 20000} {
		rnd := rand.New(rand.NewPCG(uint64(maxBytes), 7))
		s := New()
		var m model
		for i := range 6000 {
			ele := []byte(strconv.FormatUint(rnd.Uint64N(5000), 36))
			idx, cnt := patLen(ele)
			wantChange := cnt > m[idx]
			if wantChange {
				m[idx] = cnt
			}
			var changed bool
			var err error
			s, changed, err = Add(s, ele, maxBytes)
			if err != nil {
				t.Fatal(err)
			}
			if changed != wantChange {
				t.Fatalf("max %d step %d: changed=%v want %v", maxBytes, i, changed, wantChange)
			}
			if s[4] == Sparse && len(s) > max(maxBytes, HeaderSize+2) {
				t.Fatalf("max %d: sparse HLL of %d bytes", maxBytes, len(s))
			}
			if i%500 == 0 || i < 50 {
				if got := registersOf(t, s); got != m {
					t.Fatalf("max %d step %d: registers differ", maxBytes, i)
				}
				mm := Max(m)
				c1, err := Count(s)
				if err != nil || c1 != mm.Count() {
					t.Fatalf("max %d step %d: Count %d (%v), raw count %d", maxBytes, i, c1, err, mm.Count())
				}
				if s[4] == Sparse {
					d, err := ToDense(s)
					if err != nil {
						t.Fatal(err)
					}
					if registersOf(t, d) != m {
						t.Fatalf("ToDense changed registers")
					}
				}
			}
		}
	}
}

// TestMaxWriteToSparse merges random sparse HLLs through Max.WriteTo into
// a sparse target and checks the result is what adding the same elements
// one by one gives, register for register.
func TestMaxWriteTo(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for round := range 30 {
		a, b := New(), New()
		var want model
		for range rnd.IntN(400) {
			e := []byte(strconv.Itoa(rnd.Int()))
			a, _, _ = Add(a, e, DefaultSparseMaxBytes)
			i, c := patLen(e)
			want[i] = max(want[i], c)
		}
		for range rnd.IntN(400) {
			e := []byte(strconv.Itoa(rnd.Int()))
			b, _, _ = Add(b, e, DefaultSparseMaxBytes)
			i, c := patLen(e)
			want[i] = max(want[i], c)
		}
		var m Max
		if err := m.Merge(a); err != nil {
			t.Fatal(err)
		}
		if err := m.Merge(b); err != nil {
			t.Fatal(err)
		}
		out := m.WriteTo(a, DefaultSparseMaxBytes)
		if registersOf(t, out) != want {
			t.Fatalf("round %d: merged registers differ", round)
		}
		if _, ok := CachedCard(out); ok {
			t.Fatalf("round %d: cache still valid after merge", round)
		}
	}
}

func TestIsValid(t *testing.T) {
	dense, err := ToDense(New())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		s    []byte
		want bool
	}{
		{New(), true},
		{dense, true},
		{dense[:DenseSize-1], false},
		{append(bytes.Clone(dense), 0), false},
		{[]byte("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"), false}, // 15 bytes
		{[]byte("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"), true},
		{[]byte("HYLL\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"), false},
		{[]byte("hyll\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"), false},
	} {
		if got := IsValid(tc.s); got != tc.want {
			t.Errorf("IsValid(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

// TestCorrupt covers the corrupt forms Redis reports (checked against
// redis-server 7.0.15): too few registers, too many, a VAL past the end.
func TestCorrupt(t *testing.T) {
	hdr := "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"
	short := []byte(hdr + "\x40\x00")        // XZERO:1
	long := []byte(hdr + "\x7f\xff\x7f\xff") // XZERO:16384 twice
	if _, err := Count(short); err != ErrCorrupt {
		t.Errorf("Count(short) err = %v", err)
	}
	if _, _, err := Add(short, []byte("x"), DefaultSparseMaxBytes); err != ErrCorrupt {
		t.Errorf("Add(short) err = %v", err)
	}
	if _, err := Count(long); err != ErrCorrupt {
		t.Errorf("Count(long) err = %v", err)
	}
	// Redis accepts PFADD here: the register is covered by the first XZERO.
	if _, changed, err := Add(bytes.Clone(long), []byte("x"), DefaultSparseMaxBytes); err != nil || !changed {
		t.Errorf("Add(long) = %v, %v", changed, err)
	}
	var m Max
	if err := m.Merge(long); err != ErrCorrupt {
		t.Errorf("Merge(long) err = %v", err)
	}
	if _, err := ToDense(long); err != ErrCorrupt {
		t.Errorf("ToDense(long) err = %v", err)
	}
	if got := Decode(long); got != "Z:16384 Z:16384" {
		t.Errorf("Decode = %q", got)
	}
}

func TestDecode(t *testing.T) {
	s := addAll(t, New(), true, []byte("e0"), []byte("e1"))
	if got, want := Decode(s), "Z:1318 v:1,1 Z:14630 v:2,1 Z:434"; got != want {
		t.Errorf("Decode = %q, want %q", got, want)
	}
}

func TestSelfTest(t *testing.T) {
	if err := selfTest(DefaultSparseMaxBytes, rand.New(rand.NewPCG(3, 4)), 3, 100_000); err != nil {
		t.Fatal(err)
	}
}

func TestEstimateEdges(t *testing.T) {
	var m Max
	if got := m.Count(); got != 0 {
		t.Errorf("empty count %d", got)
	}
	for i := range m {
		m[i] = 63 // beyond q+1: ignored by the estimator, as in Redis
	}
	// redis-server 7.0.15 replies -9223372036854775808 for these (z is 0).
	if got := m.Count(); got != 1<<63 {
		t.Errorf("all-63 count %d", got)
	}
	// Registers 51,51,12,51 repeated: 193635251 in redis-server 7.0.15.
	for i := range m {
		m[i] = 51
		if i%4 == 2 {
			m[i] = 12
		}
	}
	if got := m.Count(); got != 193635251 {
		t.Errorf("51/12 count %d", got)
	}
}
