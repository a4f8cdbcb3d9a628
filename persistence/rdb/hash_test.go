package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vireodb/vireo/datatypes/hash"
	"github.com/vireodb/vireo/datatypes/keyspace"
)

var testLimits = Limits{HashMaxListpackEntries: 512, HashMaxListpackValue: 64}

// hashEntry builds a hash entry from field, value pairs with lim.
func hashEntry(lim hash.Limits, pairs ...[]byte) *keyspace.Entry {
	h := hash.New()
	for i := 0; i+1 < len(pairs); i += 2 {
		h.Set(pairs[i], pairs[i+1], lim)
	}
	e := &keyspace.Entry{Type: keyspace.TypeHash, Enc: hashEncoding(h)}
	e.Str, e.Obj = hash.Parts(h, h)
	return e
}

// hashContents returns h's pairs as sorted "field=value" strings.
func hashContents(h *hash.Hash) []string {
	var out []string
	h.Range(func(f, v []byte) bool {
		out = append(out, fmt.Sprintf("%q=%q", f, v))
		return true
	})
	slices.Sort(out)
	return out
}

// decodeDumpHash parses a DUMP payload and decodes the hash in it.
func decodeDumpHash(t *testing.T, payload []byte, lim Limits) (*hash.Hash, keyspace.Entry) {
	t.Helper()
	typ, body, err := ParseDump(payload)
	if err != nil {
		t.Fatalf("ParseDump: %v", err)
	}
	e, err := DecodeValue(typ, body, lim)
	if err != nil {
		t.Fatalf("DecodeValue(type %d): %v", typ, err)
	}
	if e.Type != keyspace.TypeHash {
		t.Fatalf("decoded type %v", e.Type)
	}
	return entryHash(&e), e
}

func TestHashListpackLayout(t *testing.T) {
	e := hashEntry(hash.DefaultLimits, []byte("f1"), []byte("v1"), []byte("f2"), []byte("v2"))
	payload, err := Dump(e)
	if err != nil {
		t.Fatal(err)
	}
	// Redis 7.0.15: HSET z1 f1 v1 f2 v2; DUMP z1.
	want := "\x10\x17\x17\x00\x00\x00\x04\x00\x82f1\x03\x82v1\x03\x82f2\x03\x82v2\x03\xff\x0a\x00\x03\xf8\x4c\x0c\x15\xd4\xa2\xbc"
	if string(payload) != want {
		t.Fatalf("DUMP\n got %q\nwant %q", payload, want)
	}
}

func TestHashListpackIntegerEncodings(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want string // entry bytes, backlen included
	}{
		{"0", "\x00\x01"}, {"127", "\x7f\x01"}, {"128", "\xc0\x80\x02"}, {"-1", "\xdf\xff\x02"},
		{"-4096", "\xd0\x00\x02"}, {"4095", "\xcf\xff\x02"}, {"4096", "\xf1\x00\x10\x03"},
		{"-32769", "\xf2\xff\x7f\xff\x04"}, {"8388608", "\xf3\x00\x00\x80\x00\x05"},
		{"2147483648", "\xf4\x00\x00\x00\x80\x00\x00\x00\x00\x09"},
		{"007", "\x83007\x04"}, {"-0", "\x82-0\x03"}, {"", "\x80\x01"},
		{strings.Repeat("a", 63), "\xbf" + strings.Repeat("a", 63) + "\x40"},
		{strings.Repeat("a", 64), "\xe0\x40" + strings.Repeat("a", 64) + "\x42"},
		{strings.Repeat("a", 126), "\xe0\x7e" + strings.Repeat("a", 126) + "\x01\x80"},
	} {
		got := hashAppendListpackEntry(nil, []byte(tc.s))
		if string(got) != tc.want {
			t.Errorf("%q: got %q, want %q", tc.s, got, tc.want)
		}
		// And back.
		lp := append(make([]byte, hashLPHeader), got...)
		lp = append(lp, hashLPEOF)
		binary.LittleEndian.PutUint32(lp, uint32(len(lp)))
		binary.LittleEndian.PutUint16(lp[4:], 1)
		var back []string
		if err := hashListpackRange(lp, func(s []byte) error { back = append(back, string(s)); return nil }); err != nil {
			t.Errorf("%q: %v", tc.s, err)
		} else if len(back) != 1 || back[0] != tc.s {
			t.Errorf("%q: read back %q", tc.s, back)
		}
	}
}

func TestHashRoundTripAndEncodingsOnLoad(t *testing.T) {
	small := hashEntry(hash.DefaultLimits, []byte("a"), []byte("1"), []byte("b"), []byte(strings.Repeat("x", 60)))
	var pairs [][]byte
	for i := range 600 {
		pairs = append(pairs, fmt.Appendf(nil, "field:%d", i), fmt.Appendf(nil, "%d", i*7919))
	}
	big := hashEntry(hash.DefaultLimits, pairs...)
	longValue := hashEntry(hash.DefaultLimits, []byte("f"), bytes.Repeat([]byte("v"), 100))

	for _, tc := range []struct {
		name    string
		e       *keyspace.Entry
		lim     Limits
		typ     byte
		compact bool
	}{
		{"small", small, testLimits, TypeHashListpack, true},
		{"small over entries limit", small, Limits{HashMaxListpackEntries: 1, HashMaxListpackValue: 64}, TypeHashListpack, false},
		// A listpack with long values stays a listpack (Redis 7.0).
		{"small over value limit", small, Limits{HashMaxListpackEntries: 512, HashMaxListpackValue: 10}, TypeHashListpack, true},
		{"big", big, testLimits, TypeHash, false},
		{"big into big limits", big, Limits{HashMaxListpackEntries: 1000, HashMaxListpackValue: 64}, TypeHash, true},
		{"long value", longValue, testLimits, TypeHash, false},
		{"long value, big limits", longValue, Limits{HashMaxListpackEntries: 512, HashMaxListpackValue: 100}, TypeHash, true},
	} {
		payload, err := Dump(tc.e)
		if err != nil {
			t.Fatal(err)
		}
		if payload[0] != tc.typ {
			t.Errorf("%s: dumped as type %d, want %d", tc.name, payload[0], tc.typ)
		}
		h, e := decodeDumpHash(t, payload, tc.lim)
		if h.IsCompact() != tc.compact {
			t.Errorf("%s: loaded compact=%v, want %v", tc.name, h.IsCompact(), tc.compact)
		}
		if e.Enc != hashEncoding(h) {
			t.Errorf("%s: Enc %v", tc.name, e.Enc)
		}
		if got, want := hashContents(h), hashContents(entryHash(tc.e)); !slices.Equal(got, want) {
			t.Errorf("%s: contents differ", tc.name)
		}
	}
}

// buildZiplist writes a ziplist of strs, with integer-looking strings in
// the integer encodings Redis 6 used.
func buildZiplist(strs []string) []byte {
	zl := make([]byte, hashZLHeader)
	prev, last := 0, hashZLHeader
	for _, s := range strs {
		start := len(zl)
		last = start
		if prev < 254 {
			zl = append(zl, byte(prev))
		} else {
			zl = append(zl, 0xfe)
			zl = binary.LittleEndian.AppendUint32(zl, uint32(prev))
		}
		if v, err := strconv.ParseInt(s, 10, 64); err == nil && strconv.FormatInt(v, 10) == s {
			switch {
			case v >= 0 && v <= 12:
				zl = append(zl, 0xf1+byte(v))
			case v >= -128 && v <= 127:
				zl = append(zl, 0xfe, byte(v))
			case v >= -32768 && v <= 32767:
				zl = append(zl, 0xc0)
				zl = binary.LittleEndian.AppendUint16(zl, uint16(v))
			case v >= -(1<<23) && v < 1<<23:
				zl = append(zl, 0xf0, byte(v), byte(v>>8), byte(v>>16))
			case v >= -(1<<31) && v < 1<<31:
				zl = append(zl, 0xd0)
				zl = binary.LittleEndian.AppendUint32(zl, uint32(v))
			default:
				zl = append(zl, 0xe0)
				zl = binary.LittleEndian.AppendUint64(zl, uint64(v))
			}
		} else {
			switch n := len(s); {
			case n < 64:
				zl = append(zl, byte(n))
			case n < 16384:
				zl = append(zl, 0x40|byte(n>>8), byte(n))
			default:
				zl = append(zl, 0x80)
				zl = binary.BigEndian.AppendUint32(zl, uint32(n))
			}
			zl = append(zl, s...)
		}
		prev = len(zl) - start
	}
	zl = append(zl, hashZLEnd)
	binary.LittleEndian.PutUint32(zl, uint32(len(zl)))
	binary.LittleEndian.PutUint32(zl[4:], uint32(last))
	binary.LittleEndian.PutUint16(zl[8:], uint16(min(len(strs), 0xffff)))
	return zl
}

// buildZipmap writes a zipmap of field, value strings, with some free
// space after each value as Redis 2 left it.
func buildZipmap(strs []string) []byte {
	zm := []byte{byte(min(len(strs)/2, 254))}
	appendLen := func(n int) {
		if n < 254 {
			zm = append(zm, byte(n))
		} else {
			zm = append(zm, 254)
			zm = binary.LittleEndian.AppendUint32(zm, uint32(n))
		}
	}
	for i := 0; i+1 < len(strs); i += 2 {
		appendLen(len(strs[i]))
		zm = append(zm, strs[i]...)
		appendLen(len(strs[i+1]))
		free := i % 3
		zm = append(zm, byte(free))
		zm = append(zm, strs[i+1]...)
		zm = append(zm, make([]byte, free)...)
	}
	return append(zm, hashZMEnd)
}

func blobPayload(typ byte, blob []byte) []byte {
	return AppendDumpFooter(AppendString([]byte{typ}, blob, true))
}

func TestHashZiplistAndZipmap(t *testing.T) {
	strs := []string{"a", "1", "b", "-5", "c", "300", "d", "-70000", "e", "3000000000",
		"f", "12", "g", "0", "h", "-128", "i", "8388607", "j", "hello", "k", "",
		"l", strings.Repeat("L", 300), strings.Repeat("m", 70), "007", "n", strings.Repeat("z", 20000)}
	want := map[string]string{}
	for i := 0; i < len(strs); i += 2 {
		want[strs[i]] = strs[i+1]
	}
	for _, tc := range []struct {
		name string
		typ  byte
		blob []byte
		// Zipmaps convert on long values, ziplists do not.
		compact bool
	}{
		{"ziplist", TypeHashZiplist, buildZiplist(strs), true},
		{"zipmap", TypeHashZipmap, buildZipmap(strs), false},
	} {
		h, _ := decodeDumpHash(t, blobPayload(tc.typ, tc.blob), testLimits)
		if h.Len() != len(want) {
			t.Fatalf("%s: %d fields, want %d", tc.name, h.Len(), len(want))
		}
		for f, v := range want {
			if got, ok := h.Get([]byte(f)); !ok || string(got) != v {
				t.Fatalf("%s: %q = %q, want %q", tc.name, f, got, v)
			}
		}
		if h.IsCompact() != tc.compact {
			t.Errorf("%s: compact %v, want %v", tc.name, h.IsCompact(), tc.compact)
		}
	}
}

func TestHashZiplistSmallStaysCompact(t *testing.T) {
	for _, typ := range []byte{TypeHashZiplist, TypeHashZipmap} {
		var blob []byte
		strs := []string{"f1", "v1", "f2", "2"}
		if typ == TypeHashZiplist {
			blob = buildZiplist(strs)
		} else {
			blob = buildZipmap(strs)
		}
		h, _ := decodeDumpHash(t, blobPayload(typ, blob), testLimits)
		if !h.IsCompact() || h.Len() != 2 {
			t.Errorf("type %d: compact %v len %d", typ, h.IsCompact(), h.Len())
		}
		h, _ = decodeDumpHash(t, blobPayload(typ, blob), Limits{HashMaxListpackEntries: 1, HashMaxListpackValue: 64})
		if h.IsCompact() {
			t.Errorf("type %d: over the entries limit stayed compact", typ)
		}
	}
}

func TestHashDecodeErrors(t *testing.T) {
	okLP := hashListpack(entryHash(hashEntry(hash.DefaultLimits, []byte("f"), []byte("v"), []byte("g"), []byte("1"))))
	dupLP := hashListpack(entryHash(hashEntry(hash.DefaultLimits, []byte("f"), []byte("v"))))
	dupLP = append(dupLP[:len(dupLP)-1], dupLP[hashLPHeader:len(dupLP)-1]...)
	dupLP = append(dupLP, hashLPEOF)
	binary.LittleEndian.PutUint32(dupLP, uint32(len(dupLP)))
	binary.LittleEndian.PutUint16(dupLP[4:], 4)

	mutate := func(b []byte, i int, v byte) []byte { b = bytes.Clone(b); b[i] = v; return b }
	pairs := func(n uint64, strs ...string) []byte {
		b := AppendLen([]byte{TypeHash}, n)
		for _, s := range strs {
			b = AppendString(b, []byte(s), false)
		}
		return AppendDumpFooter(b)
	}
	cases := map[string][]byte{
		"empty listpack":        blobPayload(TypeHashListpack, []byte{7, 0, 0, 0, 0, 0, 0xff}),
		"listpack bad total":    blobPayload(TypeHashListpack, mutate(okLP, 0, 99)),
		"listpack bad count":    blobPayload(TypeHashListpack, mutate(okLP, 4, 3)),
		"listpack bad backlen":  blobPayload(TypeHashListpack, mutate(okLP, hashLPHeader+2, 9)),
		"listpack bad encoding": blobPayload(TypeHashListpack, mutate(okLP, hashLPHeader, 0xf5)),
		"listpack no end":       blobPayload(TypeHashListpack, mutate(okLP, len(okLP)-1, 0)),
		"listpack duplicate":    blobPayload(TypeHashListpack, dupLP),
		"ziplist bad prevlen":   blobPayload(TypeHashZiplist, mutate(buildZiplist([]string{"f", "v", "g", "w"}), hashZLHeader+3, 9)),
		"ziplist bad tail":      blobPayload(TypeHashZiplist, mutate(buildZiplist([]string{"f", "v"}), 4, 11)),
		"ziplist odd":           blobPayload(TypeHashZiplist, buildZiplist([]string{"f", "v", "g"})),
		"ziplist duplicate":     blobPayload(TypeHashZiplist, buildZiplist([]string{"f", "v", "f", "w"})),
		"ziplist empty":         blobPayload(TypeHashZiplist, buildZiplist(nil)),
		"zipmap bad count":      blobPayload(TypeHashZipmap, mutate(buildZipmap([]string{"f", "v"}), 0, 2)),
		"zipmap truncated":      blobPayload(TypeHashZipmap, buildZipmap([]string{"f", "v"})[:5]),
		"zipmap duplicate":      blobPayload(TypeHashZipmap, buildZipmap([]string{"f", "v", "f", "w"})),
		"pairs empty":           pairs(0),
		"pairs truncated":       pairs(2, "f", "v", "g"),
		"pairs duplicate":       pairs(2, "f", "v", "f", "w"),
		"pairs duplicate big":   pairs(1000, append(slices.Repeat([]string{"f", "v"}, 1), slices.Repeat([]string{"f", "w"}, 999)...)...),
	}
	// An odd number of listpack entries.
	odd := hashListpack(entryHash(hashEntry(hash.DefaultLimits, []byte("f"), []byte("v"))))
	odd = append(odd[:len(odd)-1], hashAppendListpackEntry(nil, []byte("g"))...)
	odd = append(odd, hashLPEOF)
	binary.LittleEndian.PutUint32(odd, uint32(len(odd)))
	binary.LittleEndian.PutUint16(odd[4:], 3)
	cases["listpack odd"] = blobPayload(TypeHashListpack, odd)

	for name, payload := range cases {
		typ, body, err := ParseDump(payload)
		if err != nil {
			t.Errorf("%s: ParseDump: %v", name, err)
			continue
		}
		if _, err := DecodeValue(typ, body, testLimits); !errors.Is(err, ErrBadFormat) {
			t.Errorf("%s: error %v, want ErrBadFormat", name, err)
		}
	}
}

// TestHashDifferentialRedis compares with redis-server: small hashes DUMP
// byte for byte equal; Redis's payloads of small and big hashes decode here
// to the same contents and encoding; ours RESTORE there to the same.
func TestHashDifferentialRedis(t *testing.T) {
	rc := startRedis(t)
	rc.must(t, "CONFIG", "SET", "hash-max-listpack-entries", "512")
	r := rand.New(rand.NewPCG(11, 13))
	// The string codec's own tests cover big values; here they would only
	// make the test slow under -race.
	var vals [][]byte
	for _, v := range differentialValues() {
		if len(v) <= 2000 {
			vals = append(vals, v)
		}
	}
	for round := range 60 {
		key := "h" + strconv.Itoa(round)
		n := 1 + r.IntN(8)
		switch round % 6 {
		case 4:
			n = 513 + r.IntN(100) // hashtable by count
		case 5:
			n = 100 + r.IntN(300) // listpack by count, if every value is short
		}
		args := []any{"HSET", key}
		pairs := [][]byte{}
		for i := range n {
			var f, v []byte
			if r.IntN(3) == 0 {
				f = vals[r.IntN(len(vals))]
			} else {
				f = fmt.Appendf(nil, "f%d", i)
			}
			if round%6 == 5 || r.IntN(2) == 0 {
				v = fmt.Appendf(nil, "%d", r.Int64N(1<<40)-(1<<39))
			} else {
				v = vals[r.IntN(len(vals))]
			}
			args = append(args, f, v)
			pairs = append(pairs, f, v)
		}
		rc.must(t, args...)
		lim := hash.Limits{MaxListpackEntries: 512, MaxListpackValue: 64}
		e := hashEntry(lim, pairs...)
		h := entryHash(e)
		enc := string(rc.must(t, "OBJECT", "ENCODING", key).([]byte))
		if want := map[bool]string{true: "listpack", false: "hashtable"}[h.IsCompact()]; enc != want {
			t.Fatalf("%s: Redis encoding %v, ours %s", key, enc, want)
		}
		theirs := rc.must(t, "DUMP", key).([]byte)
		ours, err := Dump(e)
		if err != nil {
			t.Fatal(err)
		}
		if h.IsCompact() && !bytes.Equal(ours, theirs) {
			t.Fatalf("%s: DUMP differs\n ours %q\nredis %q", key, head(ours), head(theirs))
		}
		// Redis's payload decodes here.
		got, _ := decodeDumpHash(t, theirs, testLimits)
		if got.IsCompact() != h.IsCompact() || !slices.Equal(hashContents(got), hashContents(h)) {
			t.Fatalf("%s: Redis's payload decodes to different contents or encoding", key)
		}
		// Ours restores there.
		rc.must(t, "DEL", key)
		if reply := rc.must(t, "RESTORE", key, "0", ours); reply != "OK" {
			t.Fatalf("%s: RESTORE of our payload: %v", key, reply)
		}
		if l := rc.must(t, "HLEN", key); l != int64(h.Len()) {
			t.Fatalf("%s: HLEN after RESTORE %v, want %d", key, l, h.Len())
		}
		// One spot check through a command, then the whole contents
		// through Redis's own DUMP of what it restored.
		f, v, _ := h.Random(r.Uint64)
		if got := rc.must(t, "HGET", key, f); !bytes.Equal(got.([]byte), v) {
			t.Fatalf("%s: HGET %q after RESTORE = %q, want %q", key, f, got, v)
		}
		again := rc.must(t, "DUMP", key).([]byte)
		if h.IsCompact() && !bytes.Equal(again, ours) {
			t.Fatalf("%s: DUMP after RESTORE differs", key)
		}
		if back, _ := decodeDumpHash(t, again, testLimits); !slices.Equal(hashContents(back), hashContents(h)) {
			t.Fatalf("%s: contents after RESTORE there differ", key)
		}
	}
}

// FuzzDecodeHash feeds hostile bodies to every hash decoder: no panic, and
// whatever decodes re-encodes and decodes to the same contents.
func FuzzDecodeHash(f *testing.F) {
	small := hashListpack(entryHash(hashEntry(hash.DefaultLimits, []byte("f"), []byte("1"), []byte("g"), []byte("hello"))))
	f.Add(TypeHashListpack, AppendString(nil, small, false))
	f.Add(TypeHashZiplist, AppendString(nil, buildZiplist([]string{"a", "1", "b", "-70000", "c", "x"}), false))
	f.Add(TypeHashZipmap, AppendString(nil, buildZipmap([]string{"a", "1", "b", strings.Repeat("y", 300)}), false))
	pairs := AppendLen(nil, 2)
	for _, s := range []string{"a", "1", "b", "2"} {
		pairs = AppendString(pairs, []byte(s), false)
	}
	f.Add(TypeHash, pairs)
	f.Fuzz(func(t *testing.T, typ byte, body []byte) {
		typ = []byte{TypeHash, TypeHashZipmap, TypeHashZiplist, TypeHashListpack}[typ%4]
		lim := Limits{HashMaxListpackEntries: 4, HashMaxListpackValue: 16}
		e, err := DecodeValue(typ, body, lim)
		if err != nil {
			if !errors.Is(err, ErrBadFormat) {
				t.Fatalf("error %v does not wrap ErrBadFormat", err)
			}
			return
		}
		h := entryHash(&e)
		payload, err := Dump(&e)
		if err != nil {
			t.Fatal(err)
		}
		back, _ := decodeDumpHash(t, payload, Limits{HashMaxListpackEntries: 1 << 20, HashMaxListpackValue: 1 << 20})
		if !slices.Equal(hashContents(back), hashContents(h)) {
			t.Fatal("round trip changed the contents")
		}
	})
}

// TestHashOldBlobsRestoreInRedis checks the test's ziplist and zipmap
// builders against redis-server (which loads both, deep-checked with
// sanitize-dump-payload yes), so the decoders tested with them read what
// Redis wrote.
func TestHashOldBlobsRestoreInRedis(t *testing.T) {
	rc := startRedis(t)
	rc.must(t, "CONFIG", "SET", "sanitize-dump-payload", "yes")
	rc.must(t, "CONFIG", "SET", "hash-max-listpack-value", "100000")
	strs := []string{"a", "1", "b", "-5", "c", "300", "d", "-70000", "e", "3000000000", "f", "12",
		"g", "0", "h", "-128", "i", "8388607", "j", "hello", "k", "", "l", strings.Repeat("L", 300),
		strings.Repeat("m", 70), "007", "n", strings.Repeat("z", 20000), "o", "-9223372036854775808"}
	for _, tc := range []struct {
		name string
		typ  byte
		blob []byte
	}{
		{"ziplist", TypeHashZiplist, buildZiplist(strs)},
		{"zipmap", TypeHashZipmap, buildZipmap(strs)},
	} {
		payload := blobPayload(tc.typ, tc.blob)
		if reply := rc.must(t, "RESTORE", tc.name, "0", payload); reply != "OK" {
			t.Fatalf("%s: Redis refuses the blob: %v", tc.name, reply)
		}
		h, _ := decodeDumpHash(t, payload, testLimits)
		for i := 0; i < len(strs); i += 2 {
			got := rc.must(t, "HGET", tc.name, strs[i])
			if b, _ := got.([]byte); string(b) != strs[i+1] {
				t.Fatalf("%s: Redis reads %q = %q, want %q", tc.name, strs[i], got, strs[i+1])
			}
			if v, ok := h.Get([]byte(strs[i])); !ok || string(v) != strs[i+1] {
				t.Fatalf("%s: we read %q = %q, want %q", tc.name, strs[i], v, strs[i+1])
			}
		}
	}
}

// entryHash is the hash an entry holds, compact (in Str) or a table (Obj).
func entryHash(e *keyspace.Entry) *hash.Hash {
	var tmp hash.Hash
	h := hash.View(e.Str, e.Obj, &tmp)
	if h == &tmp {
		out := tmp
		return &out
	}
	return h
}
