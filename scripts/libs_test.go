package scripts

import (
	"strings"
	"testing"
)

// run evaluates body in a fresh engine and returns the RESP reply.
func runBody(t *testing.T, body string) string {
	t.Helper()
	return evalScript(t, NewEval(), body, 2, nil, nil)
}

func bulk(s string) string { return "$" + itoa(len(s)) + "\r\n" + s + "\r\n" }

func TestCJSON(t *testing.T) {
	cases := []struct{ body, want string }{
		{"return cjson.encode({1,2,{a=1.5},nil,5})", bulk(`[1,2,{"a":1.5},null,5]`)},
		{`return cjson.encode({b='x/y"\\'})`, bulk(`{"b":"x\/y\"\\"}`)},
		{`return cjson.encode('\1\8\9\10\127')`, bulk(`"\u0001\b\t\n\u007f"`)},
		{"return cjson.encode({})", bulk("{}")},
		{"return cjson.encode(1/3)", bulk("0.33333333333333")},
		{"return cjson.encode(123456789012345678)", bulk("1.2345678901235e+17")},
		{"return cjson.encode({[3]='c'})", bulk(`[null,null,"c"]`)},
		{"return cjson.encode(cjson.null)", bulk("null")},
		{"return cjson.encode(cjson.decode('[\"x\",[1,[2]],{\"k\":\"v\"},true,null]'))", bulk(`["x",[1,[2]],{"k":"v"},true,null]`)},
		{`return cjson.decode('"\\u00e9\\ud83d\\ude00"')`, bulk("é😀")},
		{"return cjson.decode('{\"a\":[1,2,3]}').a", "*3\r\n:1\r\n:2\r\n:3\r\n"},
		{"return cjson.decode('[1,{\"a\":null}]')[2].a == cjson.null", ":1\r\n"},
	}
	for _, c := range cases {
		if got := runBody(t, c.body); got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.body, got, c.want)
		}
	}
	errs := []struct{ body, want string }{
		{"return cjson.encode({[1]=1,[100]=2})", "Cannot serialise table: excessively sparse array"},
		{"return cjson.encode(function() end)", "Cannot serialise function: type not supported"},
		{"return cjson.encode(1e300*1e300)", "Cannot serialise number: must not be NaN or Inf"},
		{"return cjson.decode('[1,2')", "Expected comma or array end but found T_END at character 5"},
		{"return cjson.decode('{\"a\":1,}')", "Expected object key string but found T_OBJ_END at character 8"},
		{"return cjson.decode('nul')", "Expected value but found invalid token at character 1"},
		{"return cjson.decode('\"abc')", "Expected value but found unexpected end of string at character 5"},
		{"return cjson.decode(string.rep('[', 1001))", "Found too many nested data structures (1001) at character 1001"},
	}
	for _, c := range errs {
		if got := runBody(t, c.body); !strings.Contains(got, "user_script:1: "+c.want+" script:") {
			t.Errorf("%s\n got %q\nwant error %q", c.body, got, c.want)
		}
	}
}

func TestCMsgpack(t *testing.T) {
	cases := []struct{ body, want string }{
		{"return cmsgpack.pack(1, -1, 128, -33, 65536)", bulk("\x01\xff\xcc\x80\xd0\xdf\xce\x00\x01\x00\x00")},
		{"return cmsgpack.pack('a', true, false, nil)", bulk("\xa1a\xc3\xc2\xc0")},
		{"return cmsgpack.pack(1.5, 0.1)", bulk("\xca\x3f\xc0\x00\x00\xcb\x3f\xb9\x99\x99\x99\x99\x99\x9a")},
		{"return cmsgpack.pack({1,2}, {a=1}, {})", bulk("\x92\x01\x02\x81\xa1a\x01\x90")},
		{"return {cmsgpack.unpack(cmsgpack.pack(1, 'two', {3, 4}, 2.5))}", "*4\r\n:1\r\n$3\r\ntwo\r\n*2\r\n:3\r\n:4\r\n:2\r\n"},
		{"return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3))}", "*2\r\n:1\r\n:1\r\n"},
		{"return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 5, 1)}", "*3\r\n:-1\r\n:2\r\n:3\r\n"},
		{"return cmsgpack.unpack(cmsgpack.pack(string.rep('x', 300))) == string.rep('x', 300)", ":1\r\n"},
	}
	for _, c := range cases {
		if got := runBody(t, c.body); got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.body, got, c.want)
		}
	}
	if got := runBody(t, `return cmsgpack.unpack('\204')`); !strings.Contains(got, "Missing bytes in input.") {
		t.Errorf("truncated input: %q", got)
	}
	if got := runBody(t, `return cmsgpack.unpack('\193')`); !strings.Contains(got, "Bad data format in input.") {
		t.Errorf("bad format: %q", got)
	}
}

func TestBitAndStruct(t *testing.T) {
	cases := []struct{ body, want string }{
		{"return {bit.band(0xff, 0x0f), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.bnot(0), bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-256, 4)}",
			"*7\r\n:15\r\n:7\r\n:6\r\n:-1\r\n:-2147483648\r\n:15\r\n:-16\r\n"},
		{"return {bit.tobit(0xffffffff), bit.rol(0x12345678, 8), bit.bswap(0x12345678)}", "*3\r\n:-1\r\n:878082066\r\n:2018915346\r\n"},
		{"return {bit.tohex(255), bit.tohex(-1), bit.tohex(255, -4)}", "*3\r\n$8\r\n000000ff\r\n$8\r\nffffffff\r\n$4\r\n00FF\r\n"},
		{"return struct.pack('>I2', 258)", bulk("\x01\x02")},
		{"return struct.pack('<i4', -2)", bulk("\xfe\xff\xff\xff")},
		{"return struct.pack('!4 b i4', 1, 2)", bulk("\x01\x00\x00\x00\x02\x00\x00\x00")},
		{"return {struct.unpack('<i4 s c2', struct.pack('<i4 s c2', -5, 'hi', 'xy'))}", "*4\r\n:-5\r\n$2\r\nhi\r\n$2\r\nxy\r\n:10\r\n"},
		{"return {struct.unpack('b c0', struct.pack('b', 3) .. 'abc')}", "*2\r\n$3\r\nabc\r\n:5\r\n"},
		{"return struct.size('!8 b d')", ":16\r\n"},
	}
	for _, c := range cases {
		if got := runBody(t, c.body); got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.body, got, c.want)
		}
	}
}

// FuzzCJSONDecode checks that decoding never panics and that whatever
// decodes re-encodes and decodes again.
func FuzzCJSONDecode(f *testing.F) {
	for _, s := range []string{`[1,2,{"a":null}]`, `"\u00e9"`, `{"a":[true,false,1e5]}`, `[`, `"\ud83d"`, `-0x10`, `nan`} {
		f.Add(s)
	}
	e := NewEval()
	sc, err := e.Load("local ok, v = pcall(cjson.decode, ARGV[1]) if ok then return cjson.encode(cjson.decode(cjson.encode(v))) end return 'err'")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := e.Run(&Run{Exec: &fakeExec{}, Args: [][]byte{[]byte(s)}, Resp: 2}, sc)
		if len(got) == 0 {
			t.Fatal("empty reply")
		}
	})
}

// FuzzCMsgpackUnpack checks that unpacking arbitrary bytes never panics.
func FuzzCMsgpackUnpack(f *testing.F) {
	for _, s := range []string{"\x92\x01\x02", "\xcc", "\xdf\xff\xff\xff\xff", "\xa1a\xc3"} {
		f.Add(s)
	}
	e := NewEval()
	sc, err := e.Load("local ok, v = pcall(cmsgpack.unpack, ARGV[1]) return tostring(ok)")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := string(e.Run(&Run{Exec: &fakeExec{}, Args: [][]byte{[]byte(s)}, Resp: 2}, sc))
		if got != bulk("true") && got != bulk("false") {
			t.Fatalf("reply %q", got)
		}
	})
}
