package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/zset"
)

var testZLim = Limits{ZsetMaxListpackEntries: 128, ZsetMaxListpackValue: 64}

func zlimits(l Limits) zset.Limits {
	return zset.Limits{MaxListpackEntries: l.ZsetMaxListpackEntries, MaxListpackValue: l.ZsetMaxListpackValue}
}

type zpair struct {
	member string
	score  string // as given to ZADD
}

// zsetCases are sets built with ZADD on both servers: integer-looking
// members of every listpack width, scores stored as integers or as text,
// signed zeros, long members, and sets over the listpack limits.
func zsetCases() map[string][]zpair {
	cases := map[string][]zpair{
		"small": {{"a", "1"}, {"b", "2.5"}, {"c", "-3"}},
		"ints": {{"0", "0"}, {"127", "127"}, {"128", "128"}, {"-1", "-1"}, {"4095", "4095"}, {"-4096", "-4096"},
			{"4096", "4096"}, {"32767", "32767"}, {"-32769", "-32769"}, {"8388607", "8388607"}, {"8388608", "8388608"},
			{"2147483647", "2147483647"}, {"2147483648", "2147483648"}, {"-9223372036854775808", "-1e18"},
			{"9223372036854775807", "9.2e18"}, {"007", "7"}, {"-0", "-0"}, {"+1", "1"}},
		"scores": {{"inf", "inf"}, {"ninf", "-inf"}, {"e17", "1e17"}, {"p62", "4611686018427387904"},
			{"p62+", "4611686018427387905"}, {"tiny", "1e-310"}, {"frac", "0.1"}, {"neg0", "-0"}, {"big", "1e300"},
			{"p52", "4503599627370496"}, {"n52", "-4503599627370495"}},
		"ties":    {{"b", "1"}, {"a", "1"}, {"c", "1"}, {"", "1"}, {"\x00", "1"}, {"\xff", "1"}},
		"long64":  {{strings.Repeat("x", 64), "1"}, {strings.Repeat("y", 63), "2"}},
		"long65":  {{strings.Repeat("x", 65), "1"}, {"a", "2"}, {"z", "-0"}},
		"long300": {{strings.Repeat("q", 300), "3"}, {strings.Repeat("r", 5000), "4"}},
	}
	var many []zpair
	for i := 0; i < 129; i++ {
		many = append(many, zpair{fmt.Sprintf("m%d", i), strconv.Itoa(i % 17)})
	}
	cases["129"] = many
	cases["128"] = many[:128]
	var bigger []zpair
	r := rand.New(rand.NewPCG(9, 9))
	for i := 0; i < 3000; i++ {
		bigger = append(bigger, zpair{fmt.Sprintf("player:%d", r.IntN(1_000_000)), strconv.Itoa(r.IntN(100))})
	}
	cases["3000"] = bigger
	return cases
}

func buildZSet(t *testing.T, pairs []zpair, lim Limits) *keyspace.Entry {
	t.Helper()
	z := zset.New()
	l := zlimits(lim)
	if len(pairs) > 0 && (l.MaxListpackEntries == 0 || len(pairs[0].member) > l.MaxListpackValue) {
		z = zset.NewBig(0)
	}
	for _, p := range pairs {
		s, ok := zset.ParseScore([]byte(p.score))
		if !ok {
			t.Fatalf("bad score %q", p.score)
		}
		z.Add([]byte(p.member), s, 0, l)
	}
	enc := keyspace.EncSkiplist
	if z.IsCompact() {
		enc = keyspace.EncListpack
	}
	return &keyspace.Entry{Type: keyspace.TypeZSet, Enc: enc, Obj: z}
}

// zsetContents lists members and scores in order, scores in %.17g with the
// sign of zero.
func zsetContents(z *zset.ZSet) string {
	var b strings.Builder
	z.Ascend(func(m []byte, s float64) bool {
		fmt.Fprintf(&b, "%q=%s ", m, strconv.FormatFloat(s, 'g', 17, 64))
		return true
	})
	return b.String()
}

// readArray reads a RESP2 array of bulk strings.
func (c *respClient) readArray(t *testing.T, args ...string) []string {
	t.Helper()
	var b bytes.Buffer
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := c.conn.Write(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	line, err := c.r.ReadString('\n')
	if err != nil || line[0] != '*' {
		t.Fatalf("%v: %q %v", args, line, err)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
	out := make([]string, n)
	for i := range out {
		hdr, err := c.r.ReadString('\n')
		if err != nil || hdr[0] != '$' {
			t.Fatalf("bulk header %q %v", hdr, err)
		}
		l, _ := strconv.Atoi(strings.TrimSpace(hdr[1:]))
		buf := make([]byte, l+2)
		if _, err := readFull(c.r, buf); err != nil {
			t.Fatal(err)
		}
		out[i] = string(buf[:l])
	}
	return out
}

func redisZAdd(t *testing.T, c *respClient, key string, pairs []zpair) {
	t.Helper()
	c.must(t, "DEL", key)
	for _, p := range pairs {
		if _, ok := c.must(t, "ZADD", key, p.score, p.member).(int64); !ok {
			t.Fatalf("ZADD %q %q failed", p.score, p.member)
		}
	}
}

// TestDifferentialDumpZSet: for every case and both listpack limits, the
// DUMP of the set built here equals redis-server's byte for byte; Redis's
// payload decodes here to the same contents and encoding; ours restores
// there to the same contents.
func TestDifferentialDumpZSet(t *testing.T) {
	c := startRedis(t)
	for _, lim := range []Limits{testZLim, {ZsetMaxListpackEntries: 128, ZsetMaxListpackValue: 10000}} {
		c.must(t, "CONFIG", "SET", "zset-max-listpack-value", strconv.Itoa(lim.ZsetMaxListpackValue))
		for name, pairs := range zsetCases() {
			t.Run(fmt.Sprintf("%s/value%d", name, lim.ZsetMaxListpackValue), func(t *testing.T) {
				redisZAdd(t, c, "z", pairs)
				theirs, ok := c.must(t, "DUMP", "z").([]byte)
				if !ok {
					t.Fatal("DUMP failed")
				}
				theirEnc := string(c.must(t, "OBJECT", "ENCODING", "z").([]byte))
				e := buildZSet(t, pairs, lim)
				if got := e.Enc.Name(); got != theirEnc {
					t.Fatalf("encoding %s, redis %s", got, theirEnc)
				}
				ours, err := Dump(e)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(ours, theirs) {
					t.Fatalf("DUMP differs\n ours  % x\n redis % x", head(ours), head(theirs))
				}
				want := zsetContents(e.Obj.(*zset.ZSet))

				typ, body, err := ParseDump(theirs)
				if err != nil {
					t.Fatal(err)
				}
				back, err := DecodeValue(typ, body, lim)
				if err != nil {
					t.Fatalf("decoding redis's payload: %v", err)
				}
				if got := zsetContents(back.Obj.(*zset.ZSet)); got != want {
					t.Fatalf("decoded contents differ\n got  %s\n want %s", got, want)
				}
				if back.Enc.Name() != theirEnc {
					t.Fatalf("decoded encoding %s, redis %s", back.Enc.Name(), theirEnc)
				}

				if reply := c.must(t, "RESTORE", "r", "0", ours, "REPLACE"); reply != "OK" {
					t.Fatalf("RESTORE: %v", reply)
				}
				a := c.readArray(t, "ZRANGE", "z", "0", "-1", "WITHSCORES")
				b := c.readArray(t, "ZRANGE", "r", "0", "-1", "WITHSCORES")
				if strings.Join(a, "\x00") != strings.Join(b, "\x00") {
					t.Fatal("restored set differs in redis")
				}
			})
		}
	}
}

// TestDifferentialOldZSetTypes restores hand-made RDB_TYPE_ZSET_ZIPLIST and
// RDB_TYPE_ZSET payloads on both servers and compares the sets.
func TestDifferentialOldZSetTypes(t *testing.T) {
	c := startRedis(t)
	c.must(t, "CONFIG", "SET", "zset-max-listpack-value", "64")
	long := strings.Repeat("L", 300)
	// In order, as a ziplist written by Redis is: every integer width,
	// text scores, a member long enough for a 14-bit length.
	elems := []string{"zz", "-1e5", "x", "-70000", "12", "-7", "a", "1", "b", "2.5", long, "5", "w", "12",
		"13", "300", "y", "9000000", "z", "3000000000"}
	payloads := map[string][]byte{
		"ziplist": AppendDumpFooter(append([]byte{TypeZSetZiplist}, AppendString(nil, buildZiplist(elems), false)...)),
	}
	// RDB_TYPE_ZSET: member strings and scores as length-prefixed text.
	z3 := append([]byte{TypeZSet}, AppendLen(nil, 4)...)
	for _, p := range []struct{ m, s string }{{"a", "1.5"}, {"b", "-2"}, {"c", ""}, {"d", "1e10"}} {
		z3 = AppendString(z3, []byte(p.m), false)
		switch p.s {
		case "":
			z3 = append(z3, 254) // +inf
		default:
			z3 = append(append(z3, byte(len(p.s))), p.s...)
		}
	}
	payloads["zset"] = AppendDumpFooter(z3)
	for name, p := range payloads {
		t.Run(name, func(t *testing.T) {
			if reply := c.must(t, "RESTORE", "old", "0", p, "REPLACE"); reply != "OK" {
				t.Fatalf("redis RESTORE: %v", reply)
			}
			theirs := c.readArray(t, "ZRANGE", "old", "0", "-1", "WITHSCORES")
			theirEnc := string(c.must(t, "OBJECT", "ENCODING", "old").([]byte))
			typ, body, err := ParseDump(p)
			if err != nil {
				t.Fatal(err)
			}
			e, err := DecodeValue(typ, body, testZLim)
			if err != nil {
				t.Fatal(err)
			}
			var ours []string
			e.Obj.(*zset.ZSet).Ascend(func(m []byte, s float64) bool {
				ours = append(ours, string(m), string(zset.AppendScoreString(nil, s)))
				return true
			})
			// Redis replies %.17g; compare scores as numbers.
			if len(ours) != len(theirs) {
				t.Fatalf("ours %q\nredis %q", ours, theirs)
			}
			for i := 0; i < len(ours); i += 2 {
				a, _ := strconv.ParseFloat(ours[i+1], 64)
				b, _ := strconv.ParseFloat(theirs[i+1], 64)
				if ours[i] != theirs[i] || a != b {
					t.Fatalf("element %d: ours %q %v, redis %q %v", i/2, ours[i], a, theirs[i], b)
				}
			}
			if e.Enc.Name() != theirEnc {
				t.Fatalf("encoding %s, redis %s", e.Enc.Name(), theirEnc)
			}
		})
	}
}

func TestZSetListpackLayout(t *testing.T) {
	// From redis-server 7.0.15: ZADD k 1 a 2.5 b, then the listpack inside
	// DUMP k (uncompressed: it is under 21 bytes).
	e := buildZSet(t, []zpair{{"a", "1"}, {"b", "2.5"}}, testZLim)
	lp := ZSetListpack(e.Obj.(*zset.ZSet))
	want := []byte("\x14\x00\x00\x00\x04\x00\x81a\x02\x01\x01\x81b\x02\x832.5\x04\xff")
	if !bytes.Equal(lp, want) {
		t.Fatalf("listpack % x\nwant      % x", lp, want)
	}
}

func TestDecodeZSetErrors(t *testing.T) {
	good := buildZSet(t, []zpair{{"a", "1"}, {"b", "2"}}, testZLim)
	lp := ZSetListpack(good.Obj.(*zset.ZSet))
	mutate := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), lp...)) }
	bad := map[string][]byte{
		"empty listpack": {7, 0, 0, 0, 0, 0, 0xFF},
		"odd":            mutate(func(b []byte) []byte { b[4] = 3; return b }),
		"size":           mutate(func(b []byte) []byte { b[0]++; return b }),
		"no end":         mutate(func(b []byte) []byte { b[len(b)-1] = 0; return b }),
		"backlen":        mutate(func(b []byte) []byte { b[8] = 9; return b }),
		"bad encoding":   mutate(func(b []byte) []byte { b[6] = 0xF7; return b }),
		"truncated":      lp[:len(lp)-3],
		"nan score": func() []byte {
			z := zset.New()
			z.Add([]byte("a"), 1, 0, zlimits(testZLim))
			b := ZSetListpack(z)
			return bytes.Replace(b, []byte{0x01, 0x01}, []byte{0x83, 'n', 'a', 'n', 0x04}, 1)
		}(),
	}
	dup := buildZiplist([]string{"a", "1", "a", "2"})
	for name, blob := range bad {
		if _, err := DecodeValue(TypeZSetListpack, AppendString(nil, blob, false), testZLim); !errors.Is(err, ErrBadFormat) {
			t.Errorf("%s: %v, want ErrBadFormat", name, err)
		}
	}
	if _, err := DecodeValue(TypeZSetZiplist, AppendString(nil, dup, false), testZLim); !errors.Is(err, ErrBadFormat) {
		t.Errorf("duplicate member: %v", err)
	}
	for _, body := range [][]byte{{0}, {1}, {2, 1, 'a'}, {0xC0, 1}} {
		if _, err := DecodeValue(TypeZSet2, body, testZLim); !errors.Is(err, ErrBadFormat) {
			t.Errorf("zset2 % x: %v", body, err)
		}
	}
	nanBody := append(AppendLen(nil, 1), AppendString(nil, []byte("a"), false)...)
	nanBody = binary.LittleEndian.AppendUint64(nanBody, math.Float64bits(math.NaN()))
	if _, err := DecodeValue(TypeZSet2, nanBody, testZLim); !errors.Is(err, ErrBadFormat) {
		t.Errorf("NaN score: %v", err)
	}
}

// FuzzDecodeZSet feeds arbitrary bodies to every sorted set decoder: no
// panic, and whatever decodes re-encodes to something that decodes the same.
func FuzzDecodeZSet(f *testing.F) {
	for _, pairs := range zsetCases() {
		for _, lim := range []Limits{testZLim, {ZsetMaxListpackEntries: 0}} {
			e := buildZSetNoT(pairs, lim)
			typ, body, _ := EncodeValue(e, nil, true)
			f.Add(typ, body)
		}
	}
	f.Add(TypeZSetZiplist, AppendString(nil, buildZiplist([]string{"a", "1", "b", "-3", "c", "x"}), false))
	f.Fuzz(func(t *testing.T, typ byte, body []byte) {
		for _, tt := range []byte{TypeZSet, TypeZSet2, TypeZSetZiplist, TypeZSetListpack, typ} {
			e, err := decodeZSet(tt, NewDecoder(bytes.NewReader(body)), testZLim)
			if err != nil {
				if !errors.Is(err, ErrBadFormat) {
					t.Fatalf("type %d: error %v does not wrap ErrBadFormat", tt, err)
				}
				continue
			}
			z := e.Obj.(*zset.ZSet)
			t2, b2, err := EncodeValue(&e, nil, true)
			if err != nil {
				t.Fatal(err)
			}
			e2, err := decodeZSet(t2, NewDecoder(bytes.NewReader(b2)), testZLim)
			if err != nil {
				t.Fatalf("re-encoded value does not decode: %v", err)
			}
			if zsetContents(e2.Obj.(*zset.ZSet)) != zsetContents(z) {
				t.Fatal("round trip changed the set")
			}
		}
	})
}

func buildZSetNoT(pairs []zpair, lim Limits) *keyspace.Entry {
	z := zset.New()
	l := zlimits(lim)
	for _, p := range pairs {
		s, _ := zset.ParseScore([]byte(p.score))
		z.Add([]byte(p.member), s, 0, l)
	}
	enc := keyspace.EncSkiplist
	if z.IsCompact() {
		enc = keyspace.EncListpack
	}
	return &keyspace.Entry{Type: keyspace.TypeZSet, Enc: enc, Obj: z}
}
