package rdb

import (
	"math/rand/v2"
	"testing"
)

// crc64Bitwise is the textbook bit-at-a-time reflected CRC, independent of
// the table code under test.
func crc64Bitwise(crc uint64, p []byte) uint64 {
	for _, b := range p {
		crc ^= uint64(b)
		for range 8 {
			if crc&1 == 1 {
				crc = crc>>1 ^ jonesPoly
			} else {
				crc >>= 1
			}
		}
	}
	return crc
}

func TestCRC64Vector(t *testing.T) {
	// The check value from Redis's src/crc64.c.
	if got := CRC64(0, []byte("123456789")); got != 0xe9c6d914c4b8d9ca {
		t.Fatalf("CRC64(123456789) = %016x, want e9c6d914c4b8d9ca", got)
	}
	if got := CRC64(0, nil); got != 0 {
		t.Fatalf("CRC64(empty) = %016x, want 0", got)
	}
}

func TestCRC64TableMatchesRedis(t *testing.T) {
	// A few entries of crc64_tab from Redis's src/crc64.c.
	want := map[int]uint64{1: 0x7ad870c830358979, 2: 0xf5b0e190606b12f2, 128: 0x95ac9329ac4bc9b5, 255: 0x29b7d047efec8728}
	for i, w := range want {
		if crcTables[0][i] != w {
			t.Errorf("table[%d] = %016x, want %016x", i, crcTables[0][i], w)
		}
	}
}

func TestCRC64MatchesBitwiseAndSplits(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 100, 1000, 4099} {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte(r.Uint32())
		}
		want := crc64Bitwise(0, p)
		if got := CRC64(0, p); got != want {
			t.Fatalf("len %d: CRC64 = %016x, bitwise = %016x", n, got, want)
		}
		for _, cut := range []int{0, n / 3, n / 2, n} {
			if got := CRC64(CRC64(0, p[:cut]), p[cut:]); got != want {
				t.Fatalf("len %d cut %d: chained CRC64 = %016x, want %016x", n, cut, got, want)
			}
		}
	}
}
