package server

// Bitmap command tests. The exact-reply tests (TestSetBitGetBit ...
// TestBitField) were recorded from redis-server 7.0.15, as in
// string_test.go, whose helpers they share.

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"testing"
)

func i64toa(v int64) string { return strconv.FormatInt(v, 10) }

func TestBitmapEffects(t *testing.T) {
	c := newTestClient(t)
	rec := recordEffects(c)
	checkEffects(t, c, rec, []effectCase{
		{"SETBIT s 3 1", ":0\r\n", []string{"SETBIT s 3 1"}, []string{"setbit:s"}, 1},
		// An unchanged bit is no change: nothing propagated or notified.
		{"SETBIT s 3 1", ":1\r\n", nil, nil, 0},
		{"SETBIT s 3 0", ":1\r\n", []string{"SETBIT s 3 0"}, []string{"setbit:s"}, 1},
		// Growing the string is a change even when the bit stays 0.
		{"SETBIT s 30 0", ":0\r\n", []string{"SETBIT s 30 0"}, []string{"setbit:s"}, 1},
		{"GETBIT s 3", ":0\r\n", nil, nil, 0},
		{"BITCOUNT s", ":0\r\n", nil, nil, 0},
		{"BITPOS s 1", ":-1\r\n", nil, nil, 0},
		{"BITOP NOT d s", ":4\r\n", []string{"BITOP NOT d s"}, []string{"set:d"}, 1},
		{"BITOP AND d nope", ":0\r\n", []string{"BITOP AND d nope"}, []string{"keymiss:nope", "del:d"}, 1},
		{"BITOP AND d nope", ":0\r\n", nil, []string{"keymiss:nope"}, 0},
		{"BITFIELD s SET u8 0 1 GET u8 0", "*2\r\n:0\r\n:1\r\n", []string{"BITFIELD s SET u8 0 1 GET u8 0"}, []string{"setbit:s"}, 1},
		{"BITFIELD s SET u8 0 1", "*1\r\n:1\r\n", nil, nil, 0},
		// Redis counts each changing operation.
		{"BITFIELD s INCRBY u8 0 1 INCRBY u8 8 1 SET u8 8 1", "*3\r\n:2\r\n:1\r\n:1\r\n", []string{"BITFIELD s INCRBY u8 0 1 INCRBY u8 8 1 SET u8 8 1"}, []string{"setbit:s"}, 2},
		{"BITFIELD s GET u8 0", "*1\r\n:2\r\n", nil, nil, 0},
		{"BITFIELD s OVERFLOW FAIL INCRBY u8 0 1000", "*1\r\n$-1\r\n", nil, nil, 0},
		// As in Redis, a failed write still creates the key, unpropagated.
		{"BITFIELD bfn OVERFLOW FAIL INCRBY u8 0 1000", "*1\r\n$-1\r\n", nil, nil, 0},
		{"BITFIELD bfn2 SET u8 0 0", "*1\r\n:0\r\n", []string{"BITFIELD bfn2 SET u8 0 0"}, []string{"setbit:bfn2"}, 1},
		{"BITFIELD_RO s GET u8 0", "*1\r\n:2\r\n", nil, nil, 0},
		{"BITFIELD_RO s GET u8 0", "*1\r\n:2\r\n", nil, nil, 0},
	})
	c.expectExists("bfn", true)
}

// TestBitmapSizeLimit checks the bit offset limit follows
// proto-max-bulk-len.
func TestBitmapSizeLimit(t *testing.T) {
	c := newTestClient(t)
	c.expect("SETBIT b 4294967296 1", "-ERR bit offset is not an integer or out of range\r\n")
	c.expect("BITFIELD b GET u8 #536870912", "-ERR bit offset is not an integer or out of range\r\n")
	c.srv.set.protoMaxBulkLen.Store(1 << 20)
	c.expect("SETBIT b 8388608 1", "-ERR bit offset is not an integer or out of range\r\n")
	c.expect("GETBIT b 8388608", "-ERR bit offset is not an integer or out of range\r\n")
	c.expect("SETBIT b 8388607 1", ":0\r\n")
	c.expect("STRLEN b", ":1048576\r\n")
	c.expect("BITFIELD b SET u8 #1048576 1", "-ERR bit offset is not an integer or out of range\r\n")
	c.expect("BITFIELD b SET u8 #1048575 1", "*1\r\n:1\r\n") // bit 8388607 was set
	// The #N form multiplies and may wrap to a negative offset.
	c.expect("BITFIELD b GET i64 #144115188075855872", "-ERR bit offset is not an integer or out of range\r\n")
}

// TestBitCountBitPosModel compares BITCOUNT and BITPOS over random strings
// and ranges with a bit-by-bit model of Redis's range rules.
func TestBitCountBitPosModel(t *testing.T) {
	c := newTestClient(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 300; round++ {
		n := rng.IntN(40)
		s := make([]byte, n)
		for i := range s {
			switch rng.IntN(3) {
			case 0:
				s[i] = 0
			case 1:
				s[i] = 0xff
			default:
				s[i] = byte(rng.Uint32())
			}
		}
		c.doArgs([]byte("SET"), []byte("k"), s)
		bitAt := func(i int64) int { return int(s[i>>3]>>(7-i&7)) & 1 }
		for q := 0; q < 10; q++ {
			isBit := rng.IntN(2) == 0
			total := int64(n)
			unit := "BYTE"
			if isBit {
				total *= 8
				unit = "BIT"
			}
			start := rng.Int64N(2*total+20) - total - 10
			end := rng.Int64N(2*total+20) - total - 10
			// Model: clamp as Redis does, then look at bits [lo, hi].
			rs, re := start, end
			if rs < 0 {
				rs += total
			}
			if re < 0 {
				re += total
			}
			rs, re = max(rs, 0), max(re, 0)
			re = min(re, total-1)
			lo, hi := rs, re
			if !isBit {
				lo, hi = rs*8, re*8+7
			}
			var count int64
			first := [2]int64{-1, -1}
			for i := lo; i <= hi && rs <= re; i++ {
				b := bitAt(i)
				count += int64(b)
				if first[b] < 0 {
					first[b] = i
				}
			}
			if start < 0 && end < 0 && start > end {
				count = 0 // BITCOUNT's early exit (BITPOS has none)
			}
			args := func(cmd string, extra ...string) [][]byte {
				out := [][]byte{[]byte(cmd), []byte("k")}
				for _, e := range extra {
					out = append(out, []byte(e))
				}
				return append(out, []byte(i64toa(start)), []byte(i64toa(end)), []byte(unit))
			}
			if got, want := c.doArgs(args("BITCOUNT")...), ":"+i64toa(count)+"\r\n"; got != want {
				t.Fatalf("BITCOUNT %x %d %d %s = %q, want %q", s, start, end, unit, got, want)
			}
			for bit := 0; bit <= 1; bit++ {
				want := first[bit]
				if n == 0 {
					want = -1
				}
				if got, w := c.doArgs(args("BITPOS", i64toa(int64(bit)))...), ":"+i64toa(want)+"\r\n"; got != w {
					t.Fatalf("BITPOS %x %d %d %d %s = %q, want %q", s, bit, start, end, unit, got, w)
				}
			}
		}
	}
}

// TestBitFieldModel checks BITFIELD SET/GET at random offsets and widths
// against a bit-by-bit model.
func TestBitFieldModel(t *testing.T) {
	c := newTestClient(t)
	rng := rand.New(rand.NewPCG(3, 4))
	model := make([]byte, 0)
	for round := 0; round < 500; round++ {
		width := 1 + rng.IntN(63)
		off := rng.Int64N(200)
		v := rng.Uint64() & (1<<width - 1)
		reply := c.doArgs([]byte("BITFIELD"), []byte("k"), []byte("SET"), []byte("u"+i64toa(int64(width))),
			[]byte(i64toa(off)), []byte(i64toa(int64(v))), []byte("GET"), []byte("u"+i64toa(int64(width))), []byte(i64toa(off)))
		need := int((off + int64(width) + 7) / 8)
		for len(model) < need {
			model = append(model, 0)
		}
		var old uint64
		for j := 0; j < width; j++ {
			i := off + int64(j)
			bit := uint64(model[i>>3]>>(7-i&7)) & 1
			old = old<<1 | bit
			mask := byte(1) << (7 - i&7)
			if v>>(width-1-j)&1 == 1 {
				model[i>>3] |= mask
			} else {
				model[i>>3] &^= mask
			}
		}
		want := "*2\r\n:" + i64toa(int64(old)) + "\r\n:" + i64toa(int64(v)) + "\r\n"
		if reply != want {
			t.Fatalf("BITFIELD k SET u%d %d %d: %q, want %q", width, off, v, reply, want)
		}
	}
	if got := c.entry("k").Str; !bytes.Equal(got, model) {
		t.Fatalf("value %x, want %x", got, model)
	}
}
func TestSetBitGetBit(t *testing.T) {
	c := newTestClient(t)
	c.srv.set.protoMaxBulkLen.Store(1048576)
	c.expect(`SETBIT b 7 1`, ":0\r\n")
	c.expect(`SETBIT b 7 1`, ":1\r\n")
	c.expect(`SETBIT b 7 0`, ":1\r\n")
	c.expect(`GET b`, "$1\r\n\x00\r\n")
	c.expectEncoding("b", "raw")
	c.expect(`SETBIT b 100 2`, "-ERR bit is not an integer or out of range\r\n")
	c.expect(`SETBIT b 100 -1`, "-ERR bit is not an integer or out of range\r\n")
	c.expect(`SETBIT b 100 x`, "-ERR bit is not an integer or out of range\r\n")
	c.expect(`SETBIT b 100 01`, "-ERR bit is not an integer or out of range\r\n")
	c.expect(`SETBIT b -1 1`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`SETBIT b x 1`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`SETBIT b #1 1`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`SETBIT b 8388608 1`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`SETBIT b 8388607 0`, ":0\r\n")
	c.expect(`STRLEN b`, ":1048576\r\n")
	c.expect(`SETBIT b 9223372036854775807 1`, "-ERR bit offset is not an integer or out of range\r\n")
	putWrongType(c, "l")
	c.expect(`SETBIT l 0 1`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`SETBIT l -1 1`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`SETBIT l 0 5`, "-ERR bit is not an integer or out of range\r\n")
	c.expect(`GETBIT l 0`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`GETBIT l -1`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`GETBIT b 8388608`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`GETBIT b x`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`GETBIT nope 5`, ":0\r\n")
	c.expect(`GETBIT nope x`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`SET i 5`, "+OK\r\n")
	c.expect(`GETBIT i 5`, ":1\r\n")
	c.expect(`GETBIT i 7`, ":1\r\n")
	c.expect(`GETBIT i 8`, ":0\r\n")
	c.expect(`GETBIT i 1000`, ":0\r\n")
	c.expect(`SETBIT i 6 1`, ":0\r\n")
	c.expect(`GET i`, "$1\r\n7\r\n")
	c.expectEncoding("i", "raw")
	c.expect(`SET i2 5`, "+OK\r\n")
	c.expect(`SETBIT i2 2 1`, ":1\r\n")
	c.expectEncoding("i2", "raw")
	c.expect(`SETEX t 100 a`, "+OK\r\n")
	c.expect(`SETBIT t 0 1`, ":0\r\n")
	c.expectTTL("t", 100)
}

func TestBitCount(t *testing.T) {
	c := newTestClient(t)
	putWrongType(c, "l")
	c.expect(`SET i 5`, "+OK\r\n")
	c.expect(`SET s foobar`, "+OK\r\n")
	c.expect(`BITCOUNT s`, ":26\r\n")
	c.expect(`BITCOUNT s 0 0`, ":4\r\n")
	c.expect(`BITCOUNT s 1 1`, ":6\r\n")
	c.expect(`BITCOUNT s 1 1 BYTE`, ":6\r\n")
	c.expect(`BITCOUNT s 5 30 BIT`, ":17\r\n")
	c.expect(`BITCOUNT s -5 -1 BIT`, ":2\r\n")
	c.expect(`BITCOUNT s -1 -5 BIT`, ":0\r\n")
	c.expect(`BITCOUNT s -100 -100`, ":4\r\n")
	c.expect(`BITCOUNT s -100 -1`, ":26\r\n")
	c.expect(`BITCOUNT s 0`, "-ERR syntax error\r\n")
	c.expect(`BITCOUNT s 0 1 2`, "-ERR syntax error\r\n")
	c.expect(`BITCOUNT s 0 1 BITS`, "-ERR syntax error\r\n")
	c.expect(`BITCOUNT s x 1`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`BITCOUNT s 0 x`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`BITCOUNT s 0 1 bit`, ":1\r\n")
	c.expect(`BITCOUNT s 0 1 ByTe`, ":10\r\n")
	c.expect(`BITCOUNT nope 0 1 foo`, ":0\r\n")
	c.expect(`BITCOUNT nope 0 1`, ":0\r\n")
	c.expect(`BITCOUNT nope x`, ":0\r\n")
	c.expect(`BITCOUNT nope 0`, ":0\r\n")
	c.expect(`BITCOUNT l`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`BITCOUNT l x`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`BITCOUNT l 0 1 foo`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`BITCOUNT i`, ":4\r\n")
	c.expect(`BITCOUNT s 0 -1 BIT`, ":26\r\n")
	c.expect(`BITCOUNT s 47 47 BIT`, ":0\r\n")
	c.expect(`BITCOUNT s 48 100 BIT`, ":0\r\n")
	c.expect(`BITCOUNT s 9223372036854775807 9223372036854775807 BIT`, ":0\r\n")
	c.expect(`BITCOUNT s -9223372036854775808 -9223372036854775808 BIT`, ":0\r\n")
	c.expect(`BITCOUNT s -9223372036854775808 9223372036854775807 BIT`, ":26\r\n")
	c.expect(`BITCOUNT s -9223372036854775808 9223372036854775807`, ":26\r\n")
	c.expect(`BITCOUNT s -1 -5 FOO`, ":0\r\n")
	c.expect(`BITCOUNT s x 1 FOO`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`BITCOUNT s 0 1 FOO`, "-ERR syntax error\r\n")
	c.expect(`BITCOUNT s 0 x FOO`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`BITCOUNT nope 0 1 2 3`, ":0\r\n")
	c.expect(`BITCOUNT s 0 1 2 3`, "-ERR syntax error\r\n")
	c.expect(`BITCOUNT l 0 1 2 3`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`SET e ""`, "+OK\r\n")
	c.expect(`BITCOUNT e`, ":0\r\n")
	c.expect(`BITCOUNT e 0 -1`, ":0\r\n")
	c.expect(`BITCOUNT e 0 -1 BIT`, ":0\r\n")
	c.expect(`SET z "\xff\xf0\x00"`, "+OK\r\n")
	c.expect(`SET ff "\xff\xff"`, "+OK\r\n")
	c.expect(`BITCOUNT z 0 11 BIT`, ":12\r\n")
	c.expect(`BITCOUNT z 1 10 BIT`, ":10\r\n")
	c.expect(`BITCOUNT z 10 10 BIT`, ":1\r\n")
	c.expect(`BITCOUNT z 2 2 BIT`, ":1\r\n")
	c.expect(`BITCOUNT z 3 12 bit`, ":9\r\n")
	c.expect(`BITCOUNT z 4 4 bit`, ":1\r\n")
	c.expect(`BITCOUNT z 7 8 bit`, ":2\r\n")
	c.expect(`SET mid "\x00\x01\x00"`, "+OK\r\n")
	c.expect(`BITCOUNT mid 3 15 BIT`, ":1\r\n")
	c.expect(`BITCOUNT mid 3 14 BIT`, ":0\r\n")
	c.expect(`BITCOUNT mid -9 -1 bit`, ":1\r\n")
	c.expect(`SET long "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz"`, "+OK\r\n")
	c.expect(`BITCOUNT long`, ":294\r\n")
	c.expect(`BITCOUNT long 3 60`, ":236\r\n")
	c.expect(`BITCOUNT long 13 501 BIT`, ":246\r\n")
}

func TestBitPos(t *testing.T) {
	c := newTestClient(t)
	putWrongType(c, "l")
	c.expect(`SET s foobar`, "+OK\r\n")
	c.expect(`SET e ""`, "+OK\r\n")
	c.expect(`SET z "\xff\xf0\x00"`, "+OK\r\n")
	c.expect(`SET ff "\xff\xff"`, "+OK\r\n")
	c.expect(`SET mid "\x00\x01\x00"`, "+OK\r\n")
	c.expect(`SET long "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz"`, "+OK\r\n")
	putWrongType(c, "l")
	c.expect(`SET e ""`, "+OK\r\n")
	c.expect(`SET i 5`, "+OK\r\n")
	c.expect(`BITPOS z 0`, ":12\r\n")
	c.expect(`BITPOS z 1`, ":0\r\n")
	c.expect(`BITPOS z 1 2`, ":-1\r\n")
	c.expect(`BITPOS z 0 2`, ":16\r\n")
	c.expect(`BITPOS z 0 0 -1`, ":12\r\n")
	c.expect(`BITPOS z 0 0 1`, ":12\r\n")
	c.expect(`BITPOS z 1 2 -1`, ":-1\r\n")
	c.expect(`BITPOS z 0 0 1 BIT`, ":-1\r\n")
	c.expect(`BITPOS z 0 0 11 BIT`, ":-1\r\n")
	c.expect(`BITPOS z 0 0 12 BIT`, ":12\r\n")
	c.expect(`BITPOS z 0 12 BIT`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`BITPOS z 1 -5 -1 BIT`, ":-1\r\n")
	c.expect(`BITPOS z 1 -1 -5 BIT`, ":-1\r\n")
	c.expect(`BITPOS z 1 7 15 BIT`, ":7\r\n")
	c.expect(`BITPOS z 0 3 5 BIT`, ":-1\r\n")
	c.expect(`BITPOS z 1 8 11 BIT`, ":8\r\n")
	c.expect(`BITPOS z 1 12 23 BIT`, ":-1\r\n")
	c.expect(`BITPOS z 0 1 1`, ":12\r\n")
	c.expect(`BITPOS z 0 1`, ":12\r\n")
	c.expect(`BITPOS z 0 -1 BIT`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`BITPOS z 2`, "-ERR The bit argument must be 1 or 0.\r\n")
	c.expect(`BITPOS z -1`, "-ERR The bit argument must be 1 or 0.\r\n")
	c.expect(`BITPOS z x`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`BITPOS z 1 x`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`BITPOS z 1 0 x`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`BITPOS z 1 0 1 foo`, "-ERR syntax error\r\n")
	c.expect(`BITPOS z 1 0 1 2 3`, "-ERR syntax error\r\n")
	c.expect(`BITPOS z 1 9223372036854775807 9223372036854775807 BIT`, ":-1\r\n")
	c.expect(`BITPOS z 0 -9223372036854775808 9223372036854775807 BIT`, ":12\r\n")
	c.expect(`BITPOS z 1 -9223372036854775808 9223372036854775807`, ":0\r\n")
	c.expect(`BITPOS z 0 100 200`, ":-1\r\n")
	c.expect(`BITPOS z 1 -100`, ":0\r\n")
	c.expect(`BITPOS nope 1`, ":-1\r\n")
	c.expect(`BITPOS nope 0`, ":0\r\n")
	c.expect(`BITPOS nope 0 5 6`, ":0\r\n")
	c.expect(`BITPOS nope 0 x`, ":0\r\n")
	c.expect(`BITPOS nope 2`, "-ERR The bit argument must be 1 or 0.\r\n")
	c.expect(`BITPOS l 1`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`BITPOS l 2`, "-ERR The bit argument must be 1 or 0.\r\n")
	c.expect(`BITPOS l 1 x`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`BITPOS e 0`, ":-1\r\n")
	c.expect(`BITPOS e 1`, ":-1\r\n")
	c.expect(`BITPOS e 0 0 -1`, ":-1\r\n")
	c.expect(`BITPOS ff 0`, ":16\r\n")
	c.expect(`BITPOS ff 0 0`, ":16\r\n")
	c.expect(`BITPOS ff 0 1`, ":16\r\n")
	c.expect(`BITPOS ff 0 0 -1`, ":-1\r\n")
	c.expect(`BITPOS ff 0 0 15 BIT`, ":-1\r\n")
	c.expect(`BITPOS ff 0 0 14 BIT`, ":-1\r\n")
	c.expect(`BITPOS ff 1 3 3 BIT`, ":3\r\n")
	c.expect(`BITPOS ff 0 3 3 BIT`, ":-1\r\n")
	c.expect(`BITPOS ff 0 0 0 BYTE`, ":-1\r\n")
	c.expect(`BITPOS ff 0 -1 -2`, ":-1\r\n")
	c.expect(`BITPOS ff 0 -2 -1 bit`, ":-1\r\n")
	c.expect(`BITPOS ff 0 -100 -200`, ":-1\r\n")
	c.expect(`BITPOS ff 1 -100 -200`, ":0\r\n")
	c.expect(`BITPOS ff 1 16 100 BIT`, ":-1\r\n")
	c.expect(`BITPOS ff 0 16 100 BIT`, ":-1\r\n")
	c.expect(`BITPOS ff 0 2 100`, ":-1\r\n")
	c.expect(`BITPOS ff 0 0 BIT`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`BITPOS i 1`, ":2\r\n")
	c.expect(`BITPOS i 0`, ":0\r\n")
	c.expect(`BITPOS mid 1 3 20 BIT`, ":15\r\n")
	c.expect(`BITPOS mid 1 3 14 BIT`, ":-1\r\n")
	c.expect(`BITPOS mid 1 3 15 BIT`, ":15\r\n")
	c.expect(`BITPOS mid 0 7 15 BIT`, ":7\r\n")
	c.expect(`BITPOS mid 1 0 -1 BIT`, ":15\r\n")
	c.expect(`BITPOS mid 1 9 -1 BIT`, ":15\r\n")
	c.expect(`BITPOS mid 0 8 8 BIT`, ":8\r\n")
	c.expect(`BITPOS mid 0 15 15 BIT`, ":-1\r\n")
	c.expect(`BITPOS mid 1 15 15 BIT`, ":15\r\n")
	c.expect(`BITPOS long 1 3 60`, ":26\r\n")
	c.expect(`BITPOS long 0 3 60`, ":24\r\n")
	c.expect(`BITPOS long 0 13 501 BIT`, ":13\r\n")
	c.expect(`BITPOS long 1 13 501 BIT`, ":15\r\n")
	c.expect(`SET zeros "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"`, "+OK\r\n")
	c.expect(`BITPOS zeros 1`, ":159\r\n")
	c.expect(`BITPOS zeros 1 3 -1`, ":159\r\n")
	c.expect(`BITPOS zeros 1 3 150 BIT`, ":-1\r\n")
	c.expect(`BITPOS zeros 1 3 158 BIT`, ":-1\r\n")
	c.expect(`BITPOS zeros 1 3 159 BIT`, ":159\r\n")
	c.expect(`SET ones "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe"`, "+OK\r\n")
	c.expect(`BITPOS ones 0`, ":159\r\n")
	c.expect(`BITPOS ones 0 3 -1`, ":159\r\n")
	c.expect(`BITPOS ones 0 3 150 BIT`, ":-1\r\n")
	c.expect(`BITPOS ones 0 3 158 BIT`, ":-1\r\n")
	c.expect(`BITPOS ones 0 3 159 BIT`, ":159\r\n")
	c.expect(`BITPOS ones 0 3`, ":159\r\n")
	c.expect(`BITPOS ones 0 3 18`, ":-1\r\n")
}

func TestBitOp(t *testing.T) {
	c := newTestClient(t)
	c.srv.set.protoMaxBulkLen.Store(1048576)
	c.expect(`SET a "\xf0\x0f"`, "+OK\r\n")
	c.expect(`SET b "\xff"`, "+OK\r\n")
	c.expect(`SET n 12`, "+OK\r\n")
	putWrongType(c, "l")
	c.expect(`BITOP AND d a b`, ":2\r\n")
	c.expect(`GET d`, "$2\r\n\xf0\x00\r\n")
	c.expectEncoding("d", "raw")
	c.expect(`BITOP OR d a b`, ":2\r\n")
	c.expect(`GET d`, "$2\r\n\xff\x0f\r\n")
	c.expect(`BITOP XOR d a b`, ":2\r\n")
	c.expect(`GET d`, "$2\r\n\x0f\x0f\r\n")
	c.expect(`BITOP NOT d a`, ":2\r\n")
	c.expect(`GET d`, "$2\r\n\x0f\xf0\r\n")
	c.expect(`BITOP NOT d b`, ":1\r\n")
	c.expect(`GET d`, "$1\r\n\x00\r\n")
	c.expect(`BITOP NOT d a b`, "-ERR BITOP NOT must be called with a single source key.\r\n")
	c.expect(`BITOP NOT d l`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`BITOP NOT d nope`, ":0\r\n")
	c.expect(`BITOP FOO d a`, "-ERR syntax error\r\n")
	c.expect(`BITOP FOO d l`, "-ERR syntax error\r\n")
	c.expect(`BITOP AND d a l`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`BITOP AND d l a`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`BITOP OR d nope l`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`BITOP AND d nope nope2`, ":0\r\n")
	c.expectExists("d", false)
	c.expect(`BITOP AND d a nope`, ":2\r\n")
	c.expect(`GET d`, "$2\r\n\x00\x00\r\n")
	c.expect(`BITOP OR d n`, ":2\r\n")
	c.expect(`GET d`, "$2\r\n12\r\n")
	c.expectEncoding("d", "raw")
	c.expect(`BITOP XOR d n n`, ":2\r\n")
	c.expect(`GET d`, "$2\r\n\x00\x00\r\n")
	c.expect(`BITOP XOR d n a b`, ":2\r\n")
	c.expect(`GET d`, "$2\r\n>=\r\n")
	c.expect(`BITOP NOT l l`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`SET d2 x`, "+OK\r\n")
	c.expect(`BITOP AND d2 nope`, ":0\r\n")
	c.expectExists("d2", false)
	c.expect(`SETEX d3 100 x`, "+OK\r\n")
	c.expect(`BITOP OR d3 a`, ":2\r\n")
	c.expectTTL("d3", -1)
	c.expect(`BITOP xor a a b`, ":2\r\n")
	c.expect(`GET a`, "$2\r\n\x0f\x0f\r\n")
	c.expect(`SET w1 "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz"`, "+OK\r\n")
	c.expect(`SET w2 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ!!"`, "+OK\r\n")
	c.expect(`BITOP AND d w1 w2`, ":64\r\n")
	c.expect(`GET d`, "$64\r\nABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\x00\x00\r\n")
	c.expect(`BITOP OR d w1 w2`, ":64\r\n")
	c.expect(`GET d`, "$64\r\nabcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz!!\r\n")
	c.expect(`BITOP XOR d w1 w2 a`, ":64\r\n")
	c.expect(`GET d`, "$64\r\n//                        \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00                          !!\r\n")
	c.expect(`BITOP NOT d w2`, ":64\r\n")
	c.expect(`GET d`, "$64\r\n\xbe\xbd\xbc\xbb\xba\xb9\xb8\xb7\xb6\xb5\xb4\xb3\xb2\xb1\xb0\xaf\xae\xad\xac\xab\xaa\xa9\xa8\xa7\xa6\xa5\xcf\xce\xcd\xcc\xcb\xca\xc9\xc8\xc7\xc6\xbe\xbd\xbc\xbb\xba\xb9\xb8\xb7\xb6\xb5\xb4\xb3\xb2\xb1\xb0\xaf\xae\xad\xac\xab\xaa\xa9\xa8\xa7\xa6\xa5\xde\xde\r\n")
}

func TestBitField(t *testing.T) {
	c := newTestClient(t)
	c.srv.set.protoMaxBulkLen.Store(1048576)
	putWrongType(c, "l")
	c.expect(`BITFIELD bf SET i8 0 -100 GET i8 0 GET u8 0`, "*3\r\n:0\r\n:-100\r\n:156\r\n")
	c.expect(`BITFIELD bf INCRBY u2 100 1 OVERFLOW SAT incrby u2 102 1`, "*2\r\n:1\r\n:1\r\n")
	c.expect(`BITFIELD bf INCRBY i8 0 -100`, "*1\r\n:56\r\n")
	c.expect(`BITFIELD bf OVERFLOW SAT INCRBY i8 0 -100 OVERFLOW FAIL INCRBY i8 0 -100 OVERFLOW WRAP INCRBY i8 0 -100`, "*3\r\n:-44\r\n$-1\r\n:112\r\n")
	c.expect(`BITFIELD bf SET u8 0 -1 OVERFLOW SAT SET u8 0 -1 SET u8 0 256 SET i8 0 200 SET i8 0 -200`, "*5\r\n:112\r\n:255\r\n:255\r\n:-1\r\n:127\r\n")
	c.expect(`BITFIELD bf OVERFLOW FAIL SET u8 0 256 SET i8 0 -129 SET i8 0 -128`, "*3\r\n$-1\r\n$-1\r\n:-128\r\n")
	c.expect(`BITFIELD bf GET u64 0`, "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n")
	c.expect(`BITFIELD bf GET i64 0`, "*1\r\n:-9223372036854775808\r\n")
	c.expect(`BITFIELD bf GET i65 0`, "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n")
	c.expect(`BITFIELD bf GET u0 0`, "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n")
	c.expect(`BITFIELD bf GET i0 0`, "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n")
	c.expect(`BITFIELD bf GET x8 0`, "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n")
	c.expect(`BITFIELD bf GET I8 0`, "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n")
	c.expect(`BITFIELD bf GET u08 0`, "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n")
	c.expect(`BITFIELD bf GET u 0`, "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n")
	c.expect(`BITFIELD bf GET "" 0`, "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n")
	c.expect(`BITFIELD bf GET u63 0`, "*1\r\n:4611686018427387904\r\n")
	c.expect(`BITFIELD bf GET u8 -1`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`BITFIELD bf GET u8 #1`, "*1\r\n:0\r\n")
	c.expect(`BITFIELD bf GET u8 #-1`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`BITFIELD bf GET u8 ##1`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`BITFIELD bf GET u8 x`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`BITFIELD bf GET u8 8388608`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`BITFIELD bf GET u8 8388600`, "*1\r\n:0\r\n")
	c.expect(`BITFIELD bf GET u8 #1048575`, "*1\r\n:0\r\n")
	c.expect(`BITFIELD bf GET u8 #1048576`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`BITFIELD bf GET i64 #9223372036854775807`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`BITFIELD bf GET i64 #144115188075855872`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`BITFIELD bf SET u8 0 x`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`BITFIELD bf SET u8 0`, "-ERR syntax error\r\n")
	c.expect(`BITFIELD bf GET u8`, "-ERR syntax error\r\n")
	c.expect(`BITFIELD bf INCRBY u8 0`, "-ERR syntax error\r\n")
	c.expect(`BITFIELD bf FOO`, "-ERR syntax error\r\n")
	c.expect(`BITFIELD bf OVERFLOW`, "-ERR syntax error\r\n")
	c.expect(`BITFIELD bf OVERFLOW FOO`, "-ERR Invalid OVERFLOW type specified\r\n")
	c.expect(`BITFIELD bf OVERFLOW FOO GET u8 x`, "-ERR Invalid OVERFLOW type specified\r\n")
	c.expect(`BITFIELD bf GET u8 x OVERFLOW FOO`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`BITFIELD bf GET u99 0 OVERFLOW FOO`, "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n")
	c.expect(`BITFIELD bf SET u8 x 1`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`BITFIELD bf SET u8 0 1 GET`, "-ERR syntax error\r\n")
	c.expect(`BITFIELD bf`, "*0\r\n")
	c.expect(`BITFIELD nope GET u8 0`, "*1\r\n:0\r\n")
	c.expectExists("nope", false)
	c.expect(`BITFIELD l GET u8 0`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`BITFIELD l SET u8 0 1`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`BITFIELD l GET u8 x`, "-ERR bit offset is not an integer or out of range\r\n")
	c.expect(`BITFIELD_RO bf GET u8 0 GET i4 #1`, "*2\r\n:128\r\n:0\r\n")
	c.expect(`BITFIELD_RO bf SET u8 0 1`, "-ERR BITFIELD_RO only supports the GET subcommand\r\n")
	c.expect(`BITFIELD_RO bf INCRBY u8 0 1`, "-ERR BITFIELD_RO only supports the GET subcommand\r\n")
	c.expect(`BITFIELD_RO l SET u8 0 1`, "-ERR BITFIELD_RO only supports the GET subcommand\r\n")
	c.expect(`BITFIELD_RO l GET u8 0`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`BITFIELD_RO nope GET u8 0`, "*1\r\n:0\r\n")
	c.expect(`BITFIELD_RO bf OVERFLOW SAT`, "*0\r\n")
	c.expect(`BITFIELD_RO bf OVERFLOW FOO`, "-ERR Invalid OVERFLOW type specified\r\n")
	c.expect(`BITFIELD bf OVERFLOW SAT`, "*0\r\n")
	c.expect(`BITFIELD_RO bf`, "*0\r\n")
	c.expect(`BITFIELD bf INCRBY i64 0 9223372036854775807 INCRBY i64 0 9223372036854775807`, "*2\r\n:-1\r\n:9223372036854775806\r\n")
	c.expect(`BITFIELD bf OVERFLOW SAT INCRBY i64 0 9223372036854775807 INCRBY i64 0 -9223372036854775808 INCRBY i64 0 -9223372036854775808`, "*3\r\n:9223372036854775807\r\n:-1\r\n:-9223372036854775808\r\n")
	c.expect(`BITFIELD bf OVERFLOW FAIL INCRBY i64 0 -1 SET i64 0 -9223372036854775808 INCRBY i64 0 -1 INCRBY i64 0 1`, "*4\r\n$-1\r\n:-9223372036854775808\r\n$-1\r\n:-9223372036854775807\r\n")
	c.expect(`BITFIELD bf SET u63 0 9223372036854775807 INCRBY u63 0 1`, "*2\r\n:4611686018427387904\r\n:0\r\n")
	c.expect(`BITFIELD bf OVERFLOW SAT INCRBY u63 0 -1 INCRBY u63 0 9223372036854775807 INCRBY u63 0 1`, "*3\r\n:0\r\n:9223372036854775807\r\n:9223372036854775807\r\n")
	c.expect(`BITFIELD bf OVERFLOW FAIL SET u63 0 -1 SET u63 0 9223372036854775807 INCRBY u63 0 -9223372036854775808 INCRBY u63 0 1`, "*4\r\n$-1\r\n:9223372036854775807\r\n$-1\r\n$-1\r\n")
	c.expect(`BITFIELD bf OVERFLOW WRAP SET u63 0 -1 INCRBY u63 0 -9223372036854775808 INCRBY u63 0 -1`, "*3\r\n:9223372036854775807\r\n:9223372036854775807\r\n:9223372036854775806\r\n")
	c.expect(`BITFIELD bf SET u3 #2 9 GET u3 #2 GET u16 0`, "*3\r\n:7\r\n:1\r\n:64767\r\n")
	c.expect(`BITFIELD bf2 SET i5 7 23`, "*1\r\n:0\r\n")
	c.expect(`GET bf2`, "$2\r\n\x01p\r\n")
	c.expect(`BITFIELD bf3 INCRBY u1 0 -1`, "*1\r\n:1\r\n")
	c.expect(`BITFIELD bf3 INCRBY i1 0 1 INCRBY i1 0 1 INCRBY i1 0 -1 INCRBY i1 0 -1 OVERFLOW SAT INCRBY i1 0 -5 INCRBY i1 0 5`, "*6\r\n:0\r\n:-1\r\n:0\r\n:-1\r\n:-1\r\n:0\r\n")
	c.expect(`BITFIELD bf4 SET i64 3 -2 GET i64 3 GET u63 4 GET i63 4 GET u8 1 GET i3 66 GET u17 60`, "*7\r\n:0\r\n:-2\r\n:9223372036854775806\r\n:-2\r\n:63\r\n:0\r\n:129024\r\n")
	c.expect(`GET bf4`, "$9\r\n\x1f\xff\xff\xff\xff\xff\xff\xff\xc0\r\n")
	c.expect(`SET ni 5`, "+OK\r\n")
	c.expect(`BITFIELD ni GET u8 0`, "*1\r\n:53\r\n")
	c.expect(`BITFIELD ni GET u8 4`, "*1\r\n:80\r\n")
	c.expect(`BITFIELD ni SET u8 8 1`, "*1\r\n:0\r\n")
	c.expect(`GET ni`, "$2\r\n5\x01\r\n")
	c.expectEncoding("ni", "raw")
	c.expect(`SET ni2 5`, "+OK\r\n")
	c.expect(`BITFIELD ni2 GET u8 0`, "*1\r\n:53\r\n")
	c.expectEncoding("ni2", "int")
	c.expect(`BITFIELD ni2 OVERFLOW FAIL SET u8 0 999`, "*1\r\n$-1\r\n")
	c.expectEncoding("ni2", "raw")
	c.expect(`BITFIELD bf SET u8 #1 0 GET u8 #1`, "*2\r\n:255\r\n:0\r\n")
	c.expect(`BITFIELD bf5 OVERFLOW FAIL INCRBY u2 0 10`, "*1\r\n$-1\r\n")
	c.expectExists("bf5", true)
	c.expect(`GET bf5`, "$1\r\n\x00\r\n")
	c.expect(`BITFIELD bf6 OVERFLOW FAIL INCRBY u2 20 10 INCRBY u2 0 1`, "*2\r\n$-1\r\n:1\r\n")
	c.expect(`GET bf6`, "$3\r\n@\x00\x00\r\n")
	c.expect(`BITFIELD bf7 INCRBY u5 3 -1 INCRBY u5 3 -30 OVERFLOW SAT INCRBY u5 3 -5 INCRBY u5 3 40 INCRBY u5 3 -40`, "*5\r\n:31\r\n:1\r\n:0\r\n:31\r\n:0\r\n")
	c.expect(`BITFIELD bf8 INCRBY i5 3 -17 INCRBY i5 3 -30 OVERFLOW SAT INCRBY i5 3 -50 INCRBY i5 3 100 INCRBY i5 3 -17 INCRBY i5 3 -1`, "*6\r\n:15\r\n:-15\r\n:-16\r\n:15\r\n:-2\r\n:-3\r\n")
	c.expect(`BITFIELD bf9 SET i16 0 -9223372036854775808 SET i16 16 9223372036854775807 GET i32 0 OVERFLOW SAT SET i16 0 -9223372036854775808 SET i16 16 9223372036854775807 GET i32 0`, "*6\r\n:0\r\n:0\r\n:65535\r\n:0\r\n:-1\r\n:2147450879\r\n")
	c.expect(`BITFIELD bf10 SET u16 0 -9223372036854775808 OVERFLOW SAT SET u16 16 -9223372036854775808 GET u32 0 INCRBY u16 0 -9223372036854775808`, "*4\r\n:0\r\n:0\r\n:65535\r\n:0\r\n")
	c.expect(`BITFIELD bf11 SET i64 0 5 INCRBY i64 0 9223372036854775807 INCRBY i64 0 -9223372036854775808 OVERFLOW SAT INCRBY i64 0 9223372036854775807`, "*4\r\n:0\r\n:-9223372036854775804\r\n:4\r\n:9223372036854775807\r\n")
	c.expect(`BITFIELD bf12 SET i64 0 -5 INCRBY i64 0 -9223372036854775808 OVERFLOW SAT INCRBY i64 0 -9223372036854775808 INCRBY i64 0 -9223372036854775808`, "*4\r\n:0\r\n:9223372036854775803\r\n:-5\r\n:-9223372036854775808\r\n")
	c.expect(`BITFIELD bf13 OVERFLOW FAIL SET i64 0 -5 INCRBY i64 0 -9223372036854775808 INCRBY i64 0 -9223372036854775807`, "*3\r\n:0\r\n$-1\r\n$-1\r\n")
}
