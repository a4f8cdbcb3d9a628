package rdb

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/list"
)

// applyListOp runs one list command on l the way Redis's handler would
// change the list (the server's handlers call the same methods).
func applyListOp(l *list.List, op []string) {
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	switch op[0] {
	case "RPUSH", "LPUSH":
		for _, v := range op[2:] {
			l.Push([]byte(v), op[0] == "LPUSH")
		}
	case "LPOP", "RPOP":
		n := min(atoi(op[2]), l.Len())
		if op[0] == "LPOP" {
			l.DelRange(0, n)
		} else {
			l.DelRange(-n, n)
		}
	case "LINSERT":
		l.Insert([]byte(op[3]), []byte(op[4]), op[2] == "AFTER")
	case "LSET":
		l.Set(atoi(op[2]), []byte(op[3]))
	case "LREM":
		l.Remove(atoi(op[2]), []byte(op[3]))
	case "LTRIM":
		start, stop, llen := atoi(op[2]), atoi(op[3]), l.Len()
		if start < 0 {
			start += llen
		}
		if stop < 0 {
			stop += llen
		}
		start = max(start, 0)
		ltrim, rtrim := llen, 0
		if start <= stop && start < llen {
			stop = min(stop, llen-1)
			ltrim, rtrim = start, llen-stop-1
		}
		l.DelRange(0, ltrim)
		l.DelRange(-rtrim, rtrim)
	}
}

func listValue(r *rand.Rand) string {
	switch r.IntN(7) {
	case 0:
		return strconv.Itoa(r.IntN(2000) - 1000)
	case 1:
		return strconv.FormatInt(r.Int64N(1<<40)-1<<39, 10)
	case 2:
		return string(bytes.Repeat([]byte("abcdefgh"), 1+r.IntN(150)))
	case 3:
		return fmt.Sprintf("%x", r.Uint64())
	}
	return "e" + strconv.Itoa(r.IntN(30))
}

func randomListOps(r *rand.Rand, n int) [][]string {
	var ops [][]string
	for range n {
		switch r.IntN(9) {
		case 0, 1, 2:
			op := []string{"RPUSH", "k"}
			for range 1 + r.IntN(20) {
				op = append(op, listValue(r))
			}
			ops = append(ops, op)
		case 3:
			ops = append(ops, []string{"LPUSH", "k", listValue(r), listValue(r)})
		case 4:
			ops = append(ops, []string{"LINSERT", "k", []string{"BEFORE", "AFTER"}[r.IntN(2)], "e" + strconv.Itoa(r.IntN(30)), listValue(r)})
		case 5:
			ops = append(ops, []string{"LSET", "k", strconv.Itoa(r.IntN(40) - 20), listValue(r)})
		case 6:
			ops = append(ops, []string{"LREM", "k", strconv.Itoa(r.IntN(5) - 2), "e" + strconv.Itoa(r.IntN(30))})
		case 7:
			ops = append(ops, []string{[]string{"LPOP", "RPOP"}[r.IntN(2)], "k", strconv.Itoa(1 + r.IntN(10))})
		case 8:
			if r.IntN(4) == 0 {
				ops = append(ops, []string{"LTRIM", "k", strconv.Itoa(r.IntN(20)), strconv.Itoa(-1 - r.IntN(20))})
			}
		}
	}
	return ops
}

// TestListDumpMatchesRedis builds the same lists here and in redis-server
// with random command sequences (pushes, inserts that split and merge nodes,
// replaces, removals, trims) and compares DUMP payloads byte for byte, then
// restores each side's payload on the other.
func TestListDumpMatchesRedis(t *testing.T) {
	rc := startRedis(t)
	for _, fill := range []int{-2, -1, 5, 1} {
		rc.must(t, "CONFIG", "SET", "list-max-listpack-size", strconv.Itoa(fill))
		for seed := range 12 {
			r := rand.New(rand.NewPCG(uint64(seed), uint64(fill+10)))
			rc.must(t, "DEL", "k")
			l := list.New(fill)
			ops := randomListOps(r, 60)
			for i, op := range ops {
				doAny(t, rc, op...) // errors (LSET out of range) change nothing on either side
				if l.Len() == 0 && op[0] != "RPUSH" && op[0] != "LPUSH" {
					continue // the key does not exist on either side
				}
				applyListOp(l, op)
				if l.Len() == 0 {
					l = list.New(fill) // Redis deleted the emptied key
				}
				want, _ := rc.must(t, "DUMP", "k").([]byte)
				if l.Len() == 0 {
					if want != nil {
						t.Fatalf("fill %d seed %d op %d %v: redis still has the key", fill, seed, i, op)
					}
					continue
				}
				got, err := Dump(&keyspace.Entry{Type: keyspace.TypeList, Obj: l})
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("fill %d seed %d after op %d %v: DUMP differs (%d nodes here)\n got %q\nwant %q",
						fill, seed, i, op, l.NumNodes(), trunc(got), trunc(want))
				}
			}
			if l.Len() == 0 {
				continue
			}
			t.Logf("fill %d seed %d: %d elements in %d nodes", fill, seed, l.Len(), l.NumNodes())
			// Redis's payload decodes to the same elements; ours restores there.
			want, _ := rc.must(t, "DUMP", "k").([]byte)
			typ, body, err := ParseDump(want)
			if err != nil {
				t.Fatal(err)
			}
			e, err := DecodeValue(typ, body, Limits{ListMaxListpackSize: fill})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(listElems(e.Obj.(*list.List))) != fmt.Sprint(listElems(l)) {
				t.Fatalf("fill %d seed %d: decoded list differs", fill, seed)
			}
			ours, _ := Dump(&keyspace.Entry{Type: keyspace.TypeList, Obj: l})
			if reply := rc.must(t, "RESTORE", "k2", "0", ours, "REPLACE"); reply != "OK" {
				t.Fatalf("redis refused our payload: %v", reply)
			}
			if d2, _ := rc.must(t, "DUMP", "k2").([]byte); !bytes.Equal(d2, want) {
				t.Fatalf("fill %d seed %d: redis re-dumps our payload differently", fill, seed)
			}
		}
	}
}

func isErr(reply any) bool { _, ok := reply.(respError); return ok }

// doAny sends a command whose reply may be an array (LPOP with a count),
// which respClient.do does not read: it returns the reply's first line and
// skips the rest.
func doAny(t *testing.T, c *respClient, args ...string) string {
	t.Helper()
	var b bytes.Buffer
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := c.conn.Write(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	var skip func() string
	skip = func() string {
		line, err := c.r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		switch line[0] {
		case '*':
			n, _ := strconv.Atoi(line[1 : len(line)-2])
			for range n {
				skip()
			}
		case '$':
			n, _ := strconv.Atoi(line[1 : len(line)-2])
			if n >= 0 {
				if _, err := readFull(c.r, make([]byte, n+2)); err != nil {
					t.Fatal(err)
				}
			}
		}
		return line
	}
	return skip()
}

func trunc(b []byte) []byte {
	if len(b) > 200 {
		return b[:200]
	}
	return b
}

func listElems(l *list.List) []string {
	var out []string
	l.Each(false, func(e list.Elem) bool {
		out = append(out, string(e.Append(nil)))
		return true
	})
	return out
}

// TestListDecodeOldEncodings reads the pre-7.0 list encodings: a plain list,
// a ziplist, and a quicklist of ziplists.
func TestListDecodeOldEncodings(t *testing.T) {
	// A ziplist with "hello", 7 (immediate), -2 (int8), 300 (int16), a
	// 70-byte string (14-bit length) and 100000 (int24).
	var zl []byte
	entries := [][]byte{
		append([]byte{0x05}, "hello"...),
		{0xF8},
		{0xFE, 0xFE},
		{0xC0, 0x2C, 0x01},
		append([]byte{0x40, 70}, bytes.Repeat([]byte("z"), 70)...),
		{0xF0, 0xA0, 0x86, 0x01},
	}
	zl = make([]byte, 10)
	prev, tail := 0, 0
	for _, e := range entries {
		tail = len(zl)
		zl = append(zl, byte(prev))
		zl = append(zl, e...)
		prev = 1 + len(e)
	}
	zl = append(zl, 0xFF)
	putU32 := func(b []byte, v int) { b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24) }
	putU32(zl, len(zl))
	putU32(zl[4:], tail)
	zl[8] = byte(len(entries))
	want := "[hello 7 -2 300 " + string(bytes.Repeat([]byte("z"), 70)) + " 100000]"

	check := func(name string, typ byte, body []byte) {
		t.Helper()
		e, err := DecodeValue(typ, body, Limits{ListMaxListpackSize: -2})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := fmt.Sprint(listElems(e.Obj.(*list.List))); got != want {
			t.Fatalf("%s: %s", name, got)
		}
	}
	check("ziplist", TypeListZiplist, AppendString(nil, zl, false))
	check("quicklist", TypeListQuicklist, AppendString(AppendLen(nil, 1), zl, true))
	var plain []byte
	plain = AppendLen(plain, 6)
	for _, v := range []string{"hello", "7", "-2", "300", string(bytes.Repeat([]byte("z"), 70)), "100000"} {
		plain = AppendString(plain, []byte(v), true)
	}
	check("plain", TypeList, plain)

	// Each truncation of the ziplist is refused, never a panic.
	for n := 0; n < len(zl); n++ {
		if _, err := DecodeValue(TypeListZiplist, AppendString(nil, zl[:n], false), Limits{}); !errors.Is(err, ErrBadFormat) {
			t.Fatalf("ziplist cut at %d: %v", n, err)
		}
	}
	// An empty list is an error, as in Redis.
	if _, err := DecodeValue(TypeListQuicklist2, AppendLen(nil, 0), Limits{}); !errors.Is(err, ErrBadFormat) {
		t.Fatalf("empty quicklist: %v", err)
	}
}

// FuzzListDecode feeds hostile bodies to every list decoder.
func FuzzListDecode(f *testing.F) {
	l := list.New(-2)
	for _, v := range []string{"a", "1", "-300", "hello world", string(bytes.Repeat([]byte("x"), 100))} {
		l.PushTail([]byte(v))
	}
	_, body, _ := EncodeValue(&keyspace.Entry{Type: keyspace.TypeList, Obj: l}, nil, true)
	f.Add(TypeListQuicklist2, body)
	f.Add(TypeListQuicklist, []byte{1, 14, 14, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0, 0xF2, 0xFF})
	f.Add(TypeListZiplist, []byte{13, 13, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0, 0xF2, 0xFF})
	f.Add(TypeList, []byte{2, 1, 'a', 0xC0, 5})
	f.Fuzz(func(t *testing.T, typ byte, body []byte) {
		switch typ {
		case TypeList, TypeListZiplist, TypeListQuicklist, TypeListQuicklist2:
		default:
			return
		}
		e, err := DecodeValue(typ, body, Limits{ListMaxListpackSize: -2})
		if err != nil {
			if !errors.Is(err, ErrBadFormat) {
				t.Fatalf("error does not wrap ErrBadFormat: %v", err)
			}
			return
		}
		l := e.Obj.(*list.List)
		elems := listElems(l)
		if len(elems) != l.Len() || l.Len() == 0 {
			t.Fatalf("decoded %d elements, Len %d", len(elems), l.Len())
		}
		// What decodes re-encodes and decodes to the same elements.
		_, again, err := EncodeValue(&e, nil, true)
		if err != nil {
			t.Fatal(err)
		}
		e2, err := DecodeValue(TypeListQuicklist2, again, Limits{ListMaxListpackSize: -2})
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if fmt.Sprint(listElems(e2.Obj.(*list.List))) != fmt.Sprint(elems) {
			t.Fatal("round trip changed the elements")
		}
	})
}
