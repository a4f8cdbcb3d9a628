package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/set"
)

var defaultSetLimits = Limits{SetMaxIntsetEntries: 512, SetMaxListpackEntries: 128, SetMaxListpackValue: 64}

// buildSet adds members in order, as SADD would.
func buildSet(members [][]byte, maxIntset int) *keyspace.Entry {
	s := set.NewFor(members[0])
	for _, m := range members {
		s.Add(m, maxIntset)
	}
	return &keyspace.Entry{Type: keyspace.TypeSet, Enc: setEncoding(s), Obj: s}
}

func sortedMembers(s *set.Set) []string {
	var out []string
	s.Range(func(m []byte) bool { out = append(out, string(m)); return true })
	slices.Sort(out)
	return out
}

func bytesToStrings(ms [][]byte) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = string(m)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func ints(vals ...int64) [][]byte {
	out := make([][]byte, len(vals))
	for i, v := range vals {
		out[i] = []byte(strconv.FormatInt(v, 10))
	}
	return out
}

// decodePayload decodes a DUMP payload as RESTORE does.
func decodePayload(t *testing.T, p []byte, lim Limits) keyspace.Entry {
	t.Helper()
	typ, body, err := ParseDump(p)
	if err != nil {
		t.Fatalf("ParseDump: %v", err)
	}
	e, err := DecodeValue(typ, body, lim)
	if err != nil {
		t.Fatalf("DecodeValue(type %d): %v", typ, err)
	}
	return e
}

func TestSetIntsetDumpLayout(t *testing.T) {
	// Recorded from redis-server 7.0.15: SADD k 3 1 2; DUMP k.
	want := []byte("\x0b\x0e\x02\x00\x00\x00\x03\x00\x00\x00\x01\x00\x02\x00\x03\x00\x0a\x00")
	got, err := Dump(buildSet(ints(3, 1, 2), 512))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got[:len(got)-8], want) {
		t.Fatalf("DUMP\n got % x\nwant % x", got[:len(got)-8], want)
	}
}

// setCases are the sets compared with redis-server: intsets of each width
// and at the size limits, hash tables of strings, integers past the intset
// limit, long members that LZF compresses.
func setCases() map[string][][]byte {
	r := rand.New(rand.NewPCG(7, 9))
	cases := map[string][][]byte{
		"int16":        ints(3, 1, 2, -5, 32767, -32768),
		"int32":        ints(1, 70000, -70000, 2),
		"int64":        ints(1, math.MaxInt64, math.MinInt64, 0),
		"one":          ints(42),
		"strings":      {[]byte("a"), []byte("b"), []byte("hello world")},
		"mixed":        {[]byte("1"), []byte("x"), []byte("-7"), []byte("007"), []byte("")},
		"long members": {bytes.Repeat([]byte("abc"), 30), []byte("short"), bytes.Repeat([]byte{0}, 100)},
		"binary":       {{0, 1, 2}, {0xff, 0xfe}, []byte("\r\n")},
	}
	var full, over []int64
	for i := range 512 {
		full = append(full, int64(i*37-9000))
	}
	over = append(slices.Clone(full), 99999)
	cases["512 ints"] = ints(full...)
	cases["513 ints"] = ints(over...)
	var wide []int64
	for range 300 {
		wide = append(wide, int64(r.Uint64()))
	}
	cases["random int64"] = ints(wide...)
	var many [][]byte
	for i := range 1000 {
		many = append(many, []byte("member:"+strconv.Itoa(i)))
	}
	cases["1000 strings"] = many
	return cases
}

// TestDifferentialSet compares with redis-server: intset payloads are equal
// byte for byte; every payload of Redis's decodes here to the same members
// and encoding; every payload of ours restores there to the same members.
func TestDifferentialSet(t *testing.T) {
	c := startRedis(t)
	for name, members := range setCases() {
		key := "set:" + name
		for i := 0; i < len(members); i += 100 {
			args := []any{"SADD", key}
			for _, m := range members[i:min(i+100, len(members))] {
				args = append(args, m)
			}
			c.must(t, args...)
		}
		theirs, ok := c.must(t, "DUMP", key).([]byte)
		if !ok {
			t.Fatalf("%s: DUMP failed", name)
		}
		redisEnc, _ := c.must(t, "OBJECT", "ENCODING", key).([]byte)
		e := buildSet(members, 512)
		if e.Enc.Name() != string(redisEnc) {
			t.Errorf("%s: encoding %s, redis %s", name, e.Enc.Name(), redisEnc)
		}
		ours, err := Dump(e)
		if err != nil {
			t.Fatal(err)
		}
		if e.Enc == keyspace.EncIntset && !bytes.Equal(ours, theirs) {
			t.Errorf("%s: intset DUMP differs\n ours  % x\n redis % x", name, head(ours), head(theirs))
		}
		if ours[0] != theirs[0] {
			t.Errorf("%s: RDB type %d, redis %d", name, ours[0], theirs[0])
		}

		// Redis's payload decodes here.
		got := decodePayload(t, theirs, defaultSetLimits)
		want := bytesToStrings(members)
		if gs := sortedMembers(got.Obj.(*set.Set)); !slices.Equal(gs, want) || got.Enc.Name() != string(redisEnc) {
			t.Errorf("%s: decoded redis payload: %d members (want %d), encoding %s", name, len(gs), len(want), got.Enc.Name())
		}

		// Ours restores there.
		rkey := "r" + key
		if reply := c.must(t, "RESTORE", rkey, "0", ours); reply != "OK" {
			t.Fatalf("%s: RESTORE: %v", name, reply)
		}
		if n := c.must(t, "SCARD", rkey); n != int64(len(want)) {
			t.Errorf("%s: SCARD after RESTORE %v, want %d", name, n, len(want))
		}
		for _, m := range members {
			if c.must(t, "SISMEMBER", rkey, m) != int64(1) {
				t.Fatalf("%s: %q missing after RESTORE there", name, m)
			}
		}
		if enc, _ := c.must(t, "OBJECT", "ENCODING", rkey).([]byte); !bytes.Equal(enc, redisEnc) {
			t.Errorf("%s: restored there as %s, want %s", name, enc, redisEnc)
		}
	}
}

// TestDifferentialSetMaxIntset checks that a loaded intset longer than
// set-max-intset-entries becomes a hash table, here and there.
func TestDifferentialSetMaxIntset(t *testing.T) {
	c := startRedis(t)
	c.must(t, "SADD", "k", "1", "2", "3", "4")
	payload, _ := c.must(t, "DUMP", "k").([]byte)
	c.must(t, "CONFIG", "SET", "set-max-intset-entries", "3")
	c.must(t, "RESTORE", "k2", "0", payload)
	enc, _ := c.must(t, "OBJECT", "ENCODING", "k2").([]byte)
	lim := defaultSetLimits
	lim.SetMaxIntsetEntries = 3
	if got := decodePayload(t, payload, lim); got.Enc.Name() != string(enc) || string(enc) != "hashtable" {
		t.Fatalf("intset of 4 with max 3: ours %s, redis %s", got.Enc.Name(), enc)
	}
	// A plain set of integers at the limit loads as an intset.
	ht := buildSet(ints(1, 2, 3, 4, 5), 2)
	p, err := Dump(ht)
	if err != nil || p[0] != TypeSet {
		t.Fatalf("hash table of ints dumps as type %d, %v", p[0], err)
	}
	c.must(t, "CONFIG", "SET", "set-max-intset-entries", "5")
	c.must(t, "RESTORE", "k3", "0", p)
	enc, _ = c.must(t, "OBJECT", "ENCODING", "k3").([]byte)
	lim.SetMaxIntsetEntries = 5
	if got := decodePayload(t, p, lim); got.Enc.Name() != string(enc) || string(enc) != "intset" {
		t.Fatalf("5 ints as type 2 with max 5: ours %s, redis %s", got.Enc.Name(), enc)
	}
}

// TestDifferentialSetRestoreErrors compares RESTORE's verdict on malformed
// set payloads that Redis checks even without sanitize-dump-payload.
func TestDifferentialSetRestoreErrors(t *testing.T) {
	c := startRedis(t)
	intsetString := func(b []byte) []byte { return AppendString([]byte{TypeSetIntset}, b, false) }
	payloads := map[string][]byte{
		"empty set":          withFooter([]byte{TypeSet, 0}, 10),
		"duplicate member":   withFooter([]byte("\x02\x02\x01a\x01a"), 10),
		"duplicate int":      withFooter([]byte("\x02\x02\xc0\x05\x01\x35"), 10),
		"truncated":          withFooter([]byte("\x02\x03\x01a"), 10),
		"empty intset":       withFooter(intsetString(intsetBlob(2)), 10),
		"intset width 3":     withFooter(intsetString([]byte("\x03\x00\x00\x00\x01\x00\x00\x00\x01\x02\x03")), 10),
		"intset short":       withFooter(intsetString([]byte("\x02\x00\x00\x00\x02\x00\x00\x00\x01\x00")), 10),
		"intset header only": withFooter(intsetString([]byte("\x02\x00\x00")), 10),
		"good":               withFooter([]byte("\x02\x02\x01a\x01b"), 10),
		"good intset":        withFooter(intsetString(intsetBlob(2, 1, 2)), 10),
	}
	for name, p := range payloads {
		reply := c.must(t, "RESTORE", "e:"+name, "0", p)
		var ours any = "OK"
		typ, body, err := ParseDump(p)
		if err == nil {
			_, err = DecodeValue(typ, body, defaultSetLimits)
		}
		switch {
		case errors.Is(err, ErrBadPayload):
			ours = respError("ERR DUMP payload version or checksum are wrong")
		case errors.Is(err, ErrBadFormat):
			ours = respError("ERR Bad data format")
		case err != nil:
			t.Fatalf("%s: unexpected error %v", name, err)
		}
		if reply != ours {
			t.Errorf("%s: redis replied %v, we would reply %v (%v)", name, reply, ours, err)
		}
	}
}

func intsetBlob(width int, members ...int64) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(width))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(members)))
	for _, m := range members {
		switch width {
		case 2:
			b = binary.LittleEndian.AppendUint16(b, uint16(m))
		case 4:
			b = binary.LittleEndian.AppendUint32(b, uint32(m))
		default:
			b = binary.LittleEndian.AppendUint64(b, uint64(m))
		}
	}
	return b
}

// listpack builds a listpack as Redis 7.2 writes one (lpAppend): integers
// in the smallest integer encoding, other strings with the smallest length
// encoding, each entry followed by its backlen.
func listpack(members ...[]byte) []byte {
	lp := make([]byte, setLPHeader)
	for _, m := range members {
		var entry []byte
		if v, ok := parseRedisInt(m); ok {
			switch {
			case v >= 0 && v <= 127:
				entry = []byte{byte(v)}
			case v >= -4096 && v <= 4095:
				u := uint64(v) & 0x1fff
				entry = []byte{0xc0 | byte(u>>8), byte(u)}
			case v >= math.MinInt16 && v <= math.MaxInt16:
				entry = binary.LittleEndian.AppendUint16([]byte{0xf1}, uint16(v))
			case v >= -(1<<23) && v < 1<<23:
				entry = []byte{0xf2, byte(v), byte(v >> 8), byte(v >> 16)}
			case v >= math.MinInt32 && v <= math.MaxInt32:
				entry = binary.LittleEndian.AppendUint32([]byte{0xf3}, uint32(v))
			default:
				entry = binary.LittleEndian.AppendUint64([]byte{0xf4}, uint64(v))
			}
		} else {
			switch n := len(m); {
			case n < 64:
				entry = append([]byte{0x80 | byte(n)}, m...)
			case n < 4096:
				entry = append([]byte{0xe0 | byte(n>>8), byte(n)}, m...)
			default:
				entry = append(binary.LittleEndian.AppendUint32([]byte{0xf0}, uint32(n)), m...)
			}
		}
		var bl [5]byte
		n := setListpackBacklen(bl[:], uint64(len(entry)))
		lp = append(append(lp, entry...), bl[:n]...)
	}
	lp = append(lp, setLPEOF)
	binary.LittleEndian.PutUint32(lp, uint32(len(lp)))
	count := min(len(members), setLPCountUnknown)
	binary.LittleEndian.PutUint16(lp[4:], uint16(count))
	return lp
}

func listpackPayload(lp []byte) []byte {
	return withFooter(AppendString([]byte{TypeSetListpack}, lp, true), 11)
}

// TestSetListpackDecode reads Redis 7.2 listpack sets: every entry
// encoding, and the conversion to what Redis 7.0 would hold.
func TestSetListpackDecode(t *testing.T) {
	intMembers := ints(0, 127, 128, -1, -4096, 4095, 4096, -4097, 32767, -32768, 32768, 1<<23-1, -(1 << 23), 1<<23,
		math.MaxInt32, math.MinInt32, math.MaxInt32+1, math.MaxInt64, math.MinInt64)
	strs := [][]byte{{}, []byte("a"), bytes.Repeat([]byte("x"), 63), bytes.Repeat([]byte("y"), 64),
		bytes.Repeat([]byte("z"), 4095), bytes.Repeat([]byte("w"), 4096), bytes.Repeat([]byte("v"), 70000), []byte("007")}
	for name, tc := range map[string]struct {
		members [][]byte
		enc     string
	}{
		"integers":       {intMembers, "intset"},
		"strings":        {strs, "hashtable"},
		"mixed":          {append(slices.Clone(intMembers), strs...), "hashtable"},
		"one string":     {[][]byte{[]byte("only")}, "hashtable"},
		"one int":        {[][]byte{[]byte("-3")}, "intset"},
		"over the limit": {ints(makeRange(600)...), "hashtable"},
	} {
		e := decodePayload(t, listpackPayload(listpack(tc.members...)), defaultSetLimits)
		if e.Type != keyspace.TypeSet || e.Enc.Name() != tc.enc {
			t.Errorf("%s: type %v encoding %s, want set %s", name, e.Type, e.Enc.Name(), tc.enc)
		}
		if got, want := sortedMembers(e.Obj.(*set.Set)), bytesToStrings(tc.members); !slices.Equal(got, want) {
			t.Errorf("%s: members differ: %d vs %d", name, len(got), len(want))
		}
	}
	// A count of 65535 means "unknown": the entries are counted.
	lp := listpack([]byte("a"), []byte("b"))
	binary.LittleEndian.PutUint16(lp[4:], setLPCountUnknown)
	if e := decodePayload(t, listpackPayload(lp), defaultSetLimits); e.Obj.(*set.Set).Len() != 2 {
		t.Fatal("listpack with unknown count")
	}
}

func makeRange(n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = int64(i)
	}
	return out
}

func TestSetListpackErrors(t *testing.T) {
	good := listpack([]byte("a"), []byte("12"), []byte("hello"))
	mutate := func(f func(b []byte) []byte) []byte { return f(slices.Clone(good)) }
	bad := map[string][]byte{
		"empty":          listpack(),
		"duplicate":      listpack([]byte("a"), []byte("a")),
		"duplicate int":  listpack([]byte("5"), []byte("5")),
		"wrong total":    mutate(func(b []byte) []byte { b[0]++; return b }),
		"wrong count":    mutate(func(b []byte) []byte { b[4]++; return b }),
		"no terminator":  mutate(func(b []byte) []byte { b[len(b)-1] = 0; return b }),
		"bad backlen":    mutate(func(b []byte) []byte { b[setLPHeader+2] = 9; return b }),
		"bad encoding":   mutate(func(b []byte) []byte { b[setLPHeader] = 0xf7; return b }),
		"string too big": mutate(func(b []byte) []byte { b[setLPHeader] = 0xbf; return b }),
		"short":          {1, 2, 3},
		"header only":    {7, 0, 0, 0, 0, 0, 0xff},
	}
	for name, lp := range bad {
		typ, body, err := ParseDump(listpackPayload(lp))
		if err == nil {
			_, err = DecodeValue(typ, body, defaultSetLimits)
		}
		if !errors.Is(err, ErrBadFormat) {
			t.Errorf("%s: want ErrBadFormat, got %v", name, err)
		}
	}
}

// FuzzDecodeSet feeds arbitrary bodies to the three set decoders: they must
// not panic, and whatever they accept must survive a DUMP round trip.
func FuzzDecodeSet(f *testing.F) {
	f.Add(TypeSet, []byte("\x02\x02\x01a\x01b"))
	f.Add(TypeSetIntset, AppendString(nil, intsetBlob(4, -1, 70000), false))
	f.Add(TypeSetListpack, AppendString(nil, listpack([]byte("a"), []byte("-300"), []byte("1")), false))
	f.Add(TypeSetListpack, AppendString(nil, listpack(ints(1, 2, 3)...), true))
	f.Fuzz(func(t *testing.T, typ byte, body []byte) {
		typ = []byte{TypeSet, TypeSetIntset, TypeSetListpack}[int(typ)%3]
		e, err := DecodeValue(typ, body, Limits{SetMaxIntsetEntries: 4})
		if err != nil {
			if !errors.Is(err, ErrBadFormat) {
				t.Fatalf("error does not wrap ErrBadFormat: %v", err)
			}
			return
		}
		s := e.Obj.(*set.Set)
		if s.Len() == 0 {
			t.Fatal("accepted an empty set")
		}
		p, err := Dump(&e)
		if err != nil {
			t.Fatal(err)
		}
		back := decodePayload(t, p, Limits{SetMaxIntsetEntries: 4})
		if !slices.Equal(sortedMembers(back.Obj.(*set.Set)), sortedMembers(s)) || back.Enc != e.Enc {
			t.Fatalf("round trip changed the set (type %d)", typ)
		}
	})
}
