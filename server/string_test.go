package server

// String command tests. The exact-reply tests (TestSetFamily ...
// TestStringWrongType) were recorded from redis-server 7.0.15: each line ran
// against it and its raw reply is the expectation. OBJECT ENCODING, TTL,
// EXISTS and RPUSH belong to other families, so those lines read the entry
// directly (expectEncoding, expectTTL, expectExists, putList).

import (
	"github.com/vireodb/vireo/datatypes/sds"

	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vireodb/vireo/datatypes/keyspace"
)

// putWrongType stores a non-string value under key, for WRONGTYPE checks.
func putWrongType(c *testClient, key string) {
	c.srv.ks.DB(0).Put([]byte(key), keyspace.Entry{Type: keyspace.TypeList})
}

// entry returns key's live entry in database 0, or nil.
func (tc *testClient) entry(key string) *keyspace.Entry {
	return tc.srv.ks.DB(0).LookupNoTouch([]byte(key), time.Now().UnixMilli())
}

// expectEncoding checks what OBJECT ENCODING would report ("" = no key).
func (tc *testClient) expectEncoding(key, want string) {
	tc.t.Helper()
	got := ""
	if e := tc.entry(key); e != nil {
		got = e.Enc.Name()
	}
	if got != want {
		tc.t.Errorf("encoding of %q: got %q, want %q", key, got, want)
	}
}

// expectExists checks whether key exists.
func (tc *testClient) expectExists(key string, want bool) {
	tc.t.Helper()
	if got := tc.entry(key) != nil; got != want {
		tc.t.Errorf("exists %q: got %v, want %v", key, got, want)
	}
}

// expectTTL checks key's TTL in seconds as TTL reports it (-1 none, -2 no key).
func (tc *testClient) expectTTL(key string, want int64) {
	tc.t.Helper()
	got := int64(-2)
	if e := tc.entry(key); e != nil {
		got = -1
		if e.Expire != 0 {
			got = (e.Expire - time.Now().UnixMilli() + 500) / 1000
		}
	}
	if got != want {
		tc.t.Errorf("ttl of %q: got %d, want %d", key, got, want)
	}
}

// effects records what commands propagate and notify.
type effects struct {
	mu     sync.Mutex
	stream []string // propagated commands, arguments joined by spaces
	events []string // "event:key"
}

func (e *effects) Write(p []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for len(p) > 0 {
		args, rest, ok := parseRESPCommand(p)
		if !ok {
			e.stream = append(e.stream, "<bad RESP>")
			return
		}
		e.stream = append(e.stream, strings.Join(args, " "))
		p = rest
	}
}

// take returns and clears what was recorded.
func (e *effects) take() (stream, events []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	stream, events = e.stream, e.events
	e.stream, e.events = nil, nil
	return stream, events
}

// parseRESPCommand decodes one multibulk command of the propagation stream.
func parseRESPCommand(p []byte) (args []string, rest []byte, ok bool) {
	line := func() (string, bool) {
		i := strings.Index(string(p), "\r\n")
		if i < 0 {
			return "", false
		}
		l := string(p[:i])
		p = p[i+2:]
		return l, true
	}
	h, ok := line()
	if !ok || h[0] != '*' {
		return nil, nil, false
	}
	n, _ := strconv.Atoi(h[1:])
	for ; n > 0; n-- {
		h, ok = line()
		if !ok || h[0] != '$' {
			return nil, nil, false
		}
		l, _ := strconv.Atoi(h[1:])
		if len(p) < l+2 {
			return nil, nil, false
		}
		args = append(args, string(p[:l]))
		p = p[l+2:]
	}
	return args, p, true
}

// recordEffects attaches a propagation sink and a keyspace-event hook with
// every notification class enabled.
func recordEffects(c *testClient) *effects {
	e := &effects{}
	c.srv.ks.Stream.AddSink(e)
	c.t.Cleanup(func() { c.srv.ks.Stream.RemoveSink(e) })
	c.srv.notifyFlags.v.Store(uint32(1<<14 - 1))
	c.srv.publishHook = func(class NotifyClass, event string, key []byte, db int) {
		e.mu.Lock()
		e.events = append(e.events, event+":"+string(key))
		e.mu.Unlock()
	}
	return e
}

// effectCase is one command with the effects it must have.
type effectCase struct {
	cmd    string
	reply  string
	stream []string // without the leading SELECT
	events []string
	dirty  int64
}

// checkEffects runs the cases in order and compares replies, propagated
// commands, keyspace events and the change counter (INFO's
// rdb_changes_since_last_save). "<ms>" in an expected stream stands for an
// absolute time within a second of now plus the given offset; see fixTimes.
func checkEffects(t *testing.T, c *testClient, rec *effects, cases []effectCase) {
	t.Helper()
	for _, tc := range cases {
		before := c.srv.dirty.Load()
		c.expect(tc.cmd, tc.reply)
		stream, events := rec.take()
		if len(stream) > 0 && strings.HasPrefix(stream[0], "SELECT ") {
			stream = stream[1:]
		}
		if got, want := strings.Join(fixTimes(stream), "|"), strings.Join(tc.stream, "|"); got != want {
			t.Errorf("%s: propagated %q, want %q", tc.cmd, got, want)
		}
		if got, want := strings.Join(events, "|"), strings.Join(tc.events, "|"); got != want {
			t.Errorf("%s: events %q, want %q", tc.cmd, got, want)
		}
		if got := c.srv.dirty.Load() - before; got != tc.dirty {
			t.Errorf("%s: dirty +%d, want +%d", tc.cmd, got, tc.dirty)
		}
	}
}

// fixTimes replaces a trailing absolute unix-ms argument close to now+N
// seconds (N = 10, 100 or 1000) with "<now+Ns>", so expectations need no
// clock.
func fixTimes(stream []string) []string {
	now := time.Now().UnixMilli()
	out := make([]string, len(stream))
	for i, s := range stream {
		out[i] = s
		words := strings.Fields(s)
		if len(words) == 0 {
			continue
		}
		ms, err := strconv.ParseInt(words[len(words)-1], 10, 64)
		if err != nil {
			continue
		}
		for _, secs := range []int64{10, 100, 1000} {
			if d := ms - (now + secs*1000); d > -2000 && d <= 0 {
				words[len(words)-1] = "<now+" + strconv.FormatInt(secs, 10) + "s>"
				out[i] = strings.Join(words, " ")
			}
		}
	}
	return out
}

func TestStringEffects(t *testing.T) {
	c := newTestClient(t)
	rec := recordEffects(c)
	checkEffects(t, c, rec, []effectCase{
		{"SET a 1", "+OK\r\n", []string{"SET a 1"}, []string{"set:a"}, 1},
		{"SET a 2 GET", "$1\r\n1\r\n", []string{"SET a 2"}, []string{"set:a"}, 1},
		{"SET a 3 KEEPTTL get GET", "$1\r\n2\r\n", []string{"SET a 3 KEEPTTL"}, []string{"set:a"}, 1},
		{"SET a 1 EX 100", "+OK\r\n", []string{"SET a 1 PXAT <now+100s>"}, []string{"set:a", "expire:a"}, 1},
		{"SETNX a 2", ":0\r\n", nil, nil, 0},
		{"SETNX b 2", ":1\r\n", []string{"SETNX b 2"}, []string{"set:b"}, 1},
		{"SETEX c 100 v", "+OK\r\n", []string{"SET c v PXAT <now+100s>"}, []string{"set:c", "expire:c"}, 1},
		{"PSETEX c 10000 v", "+OK\r\n", []string{"SET c v PXAT <now+10s>"}, []string{"set:c", "expire:c"}, 1},
		{"GETEX c", "$1\r\nv\r\n", nil, nil, 0},
		{"GETEX c PERSIST", "$1\r\nv\r\n", []string{"PERSIST c"}, []string{"persist:c"}, 1},
		{"GETEX c PERSIST", "$1\r\nv\r\n", nil, nil, 0},
		{"GETEX c EX 100", "$1\r\nv\r\n", []string{"PEXPIREAT c <now+100s>"}, []string{"expire:c"}, 1},
		{"GETEX c PX 1000000", "$1\r\nv\r\n", []string{"PEXPIREAT c <now+1000s>"}, []string{"expire:c"}, 1},
		{"GETEX c EXAT 99999999999", "$1\r\nv\r\n", []string{"PEXPIREAT c 99999999999000"}, []string{"expire:c"}, 1},
		{"GETEX c PXAT 99999999999001", "$1\r\nv\r\n", []string{"PEXPIREAT c 99999999999001"}, []string{"expire:c"}, 1},
		{"GETEX c EXAT 1", "$1\r\nv\r\n", []string{"DEL c"}, []string{"del:c"}, 1},
		{"GETEX c", "$-1\r\n", nil, []string{"keymiss:c"}, 0},
		{"GETEX nope EX 10", "$-1\r\n", nil, []string{"keymiss:nope"}, 0},
		{"GETDEL b", "$1\r\n2\r\n", []string{"DEL b"}, []string{"del:b"}, 1},
		{"GETDEL b", "$-1\r\n", nil, []string{"keymiss:b"}, 0},
		{"GETSET a 5", "$1\r\n1\r\n", []string{"SET a 5"}, []string{"set:a"}, 1},
		{"GETSET n 5", "$-1\r\n", []string{"SET n 5"}, []string{"keymiss:n", "set:n"}, 1},
		{"MGET a b", "*2\r\n$1\r\n5\r\n$-1\r\n", nil, []string{"keymiss:b"}, 0},
		{"MSET a 1 b 2 a 3", "+OK\r\n", []string{"MSET a 1 b 2 a 3"}, []string{"set:a", "set:b", "set:a"}, 3},
		{"MSETNX a 1 z 2", ":0\r\n", nil, nil, 0},
		{"MSETNX y 1 z 2", ":1\r\n", []string{"MSETNX y 1 z 2"}, []string{"set:y", "set:z"}, 2},
		{"APPEND a x", ":2\r\n", []string{"APPEND a x"}, []string{"append:a"}, 1},
		{`APPEND q ""`, ":0\r\n", []string{"APPEND q "}, []string{"append:q"}, 1},
		{`APPEND q ""`, ":0\r\n", []string{"APPEND q "}, []string{"append:q"}, 1},
		{"STRLEN a", ":2\r\n", nil, nil, 0},
		{"INCR i", ":1\r\n", []string{"INCR i"}, []string{"incrby:i"}, 1},
		{"DECR i", ":0\r\n", []string{"DECR i"}, []string{"incrby:i"}, 1},
		{"INCRBY i 5", ":5\r\n", []string{"INCRBY i 5"}, []string{"incrby:i"}, 1},
		{"DECRBY i 5", ":0\r\n", []string{"DECRBY i 5"}, []string{"incrby:i"}, 1},
		{"INCR a", "-ERR value is not an integer or out of range\r\n", nil, nil, 0},
		{"INCRBYFLOAT f 1.5", "$3\r\n1.5\r\n", []string{"SET f 1.5 KEEPTTL"}, []string{"incrbyfloat:f"}, 1},
		{"INCRBYFLOAT f 1.5", "$1\r\n3\r\n", []string{"SET f 3 KEEPTTL"}, []string{"incrbyfloat:f"}, 1},
		{"INCRBYFLOAT f inf", "-ERR increment would produce NaN or Infinity\r\n", nil, nil, 0},
		{"GETRANGE a 0 0", "$1\r\n3\r\n", nil, nil, 0},
		{"SETRANGE a 0 Z", ":2\r\n", []string{"SETRANGE a 0 Z"}, []string{"setrange:a"}, 1},
		{`SETRANGE a 0 ""`, ":2\r\n", nil, nil, 0},
		{"SETRANGE r 2 x", ":3\r\n", []string{"SETRANGE r 2 x"}, []string{"setrange:r"}, 1},
		{`SETRANGE r2 2 ""`, ":0\r\n", nil, nil, 0},
		{"LCS a r", "$1\r\nx\r\n", nil, nil, 0},
	})
}

// TestStringExpiryKept checks which writes keep a key's TTL (INCR family,
// INCRBYFLOAT, APPEND, SETRANGE) and which drop it (SET, GETSET, MSET).
func TestStringExpiryKept(t *testing.T) {
	c := newTestClient(t)
	for _, cmd := range []string{"INCR k", "DECRBY k 3", "INCRBYFLOAT k 0.5", "APPEND k x", "SETRANGE k 0 y", "SETBIT k 0 1", "BITFIELD k SET u8 0 7"} {
		c.do("SETEX k 100 5")
		c.do(cmd)
		c.expectTTL("k", 100)
	}
	for _, cmd := range []string{"SET k v", "GETSET k v", "MSET k v", "BITOP NOT k k"} {
		c.do("SETEX k 100 5")
		c.do(cmd)
		c.expectTTL("k", -1)
	}
}

// TestStringKeyspaceStats checks read lookups count hits and misses (INFO
// keyspace_hits/misses) and writes count neither, as in Redis.
func TestStringKeyspaceStats(t *testing.T) {
	c := newTestClient(t)
	st := &c.srv.stats
	c.do("SET a 1")
	hits, misses := st.keyspaceHits.Load(), st.keyspaceMiss.Load()
	c.do("MGET a b c")
	c.do("STRLEN a")
	c.do("INCR a")
	c.do("APPEND z x")
	if h, m := st.keyspaceHits.Load()-hits, st.keyspaceMiss.Load()-misses; h != 2 || m != 2 {
		t.Errorf("hits +%d misses +%d, want +2 +2", h, m)
	}
}

// TestMultiKeySpecs checks the key positions the dispatcher locks for the
// multi-key commands of this family.
func TestMultiKeySpecs(t *testing.T) {
	c := newTestClient(t)
	cases := []struct {
		line string
		keys []int
	}{
		{"MGET a b c", []int{1, 2, 3}},
		{"MSET a 1 b 2 c 3", []int{1, 3, 5}},
		{"MSETNX a 1 b 2", []int{1, 3}},
		{"LCS a b IDX LEN", []int{1, 2}},
		{"BITOP AND d a b c", []int{2, 3, 4, 5}},
		{"BITFIELD k GET u8 0", []int{1}},
		{"GETEX k EX 10", []int{1}},
	}
	for _, tc := range cases {
		args, _ := sds.SplitArgs([]byte(tc.line), nil)
		cmd := c.srv.table.Lookup(args[0])
		got := cmd.keyPositions(args, nil)
		if !slices.Equal(got, tc.keys) {
			t.Errorf("%s: keys at %v, want %v", tc.line, got, tc.keys)
		}
	}
}

// TestGetAllocFree checks that a GET hit through the dispatcher (the
// harness path without its string conversion) allocates nothing; see also
// BenchmarkDispatchGet.
func TestGetAllocFree(t *testing.T) {
	c := newTestClient(t)
	c.do("SET key value")
	args := [][]byte{[]byte("GET"), []byte("key")}
	c.c.run(args) // warm up scratch buffers
	allocs := testing.AllocsPerRun(1000, func() {
		c.c.out = c.c.out[:0]
		c.c.run(args)
	})
	if allocs != 0 {
		t.Errorf("GET allocates %.1f times per call, want 0", allocs)
	}
	if got := string(c.c.out); got != "$5\r\nvalue\r\n" {
		t.Errorf("GET replied %q", got)
	}
}

// TestLongDoubleHuman checks the long double emulation against values
// printed by redis-server 7.0.15 (x87 80-bit long double, "%.17Lf").
func TestLongDoubleHuman(t *testing.T) {
	cases := []struct{ a, b, want string }{
		{"10.5", "0.1", "10.6"},
		{"10.6", "5.0e3", "5010.60000000000000009"},
		{"0", "3.0e-5", "0.00003"},
		{"0.1", "0.2", "0.3"},
		{"0.3", "0.3", "0.6"},
		{"0", "1.234567890123456789", "1.23456789012345679"},
		{"2.5", "3.14159265358979323846264338327950288", "5.64159265358979324"},
		{"100", "0.00000000000000001", "100.00000000000000001"},
		{"10000000000000000000", "1", "10000000000000000001"},
		{"10000000000000000001", "0.5", "10000000000000000002"},
		{"9223372036854775807", "1", "9223372036854775808"},
		{"0", "18446744073709551617", "18446744073709551616"},
		{"0", "123456789012345678901234567890", "123456789012345678899921813504"},
		{"0", "-1e-20", "0"},
		{"-5", "5", "0"},
		{"0", "5e-18", "0"},
		{"0", "1.5e-17", "0.00000000000000002"},
		{"0", "2.5e-17", "0.00000000000000002"},
		{"0", "0x1.8p1", "3"},
		{"0", "1e300", "1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750497190350372508614274835903592556184672983913096260520748646287327135641843653294084255107606016789726652932370030551382947620994540294772781889620606179267611627097410650567187386105690089424915104006144"},
	}
	for _, tc := range cases {
		a, okA := parseLongDouble([]byte(tc.a))
		b, okB := parseLongDouble([]byte(tc.b))
		if !okA || !okB {
			t.Errorf("%s + %s: parse failed", tc.a, tc.b)
			continue
		}
		sum, ok := addLongDouble(a, b)
		if !ok {
			t.Errorf("%s + %s: overflow", tc.a, tc.b)
			continue
		}
		if got := string(appendLongDoubleHuman(nil, sum)); got != tc.want {
			t.Errorf("%s + %s = %s, want %s", tc.a, tc.b, got, tc.want)
		}
	}
}

// FuzzParseLongDouble checks that the strtold emulation never panics, that
// what it accepts prints to a fixed point (print, parse, print gives the
// same text: stored INCRBYFLOAT results read back unchanged), and that it
// agrees with strconv on plain decimal numbers that float64 holds exactly.
func FuzzParseLongDouble(f *testing.F) {
	for _, s := range []string{"0", "-0", "1.5", ".5", "1.", "1e10", "-1E-10", "+3", "inf", "-Infinity", "nan",
		"0x1p-3", "0X1.8P1", "0x", "1e", " 1", "1 ", "1_0", "1e4932", "1e-4950", "3e-4951", "0x1p-16446",
		"123456789012345678901234567890", "5010.60000000000000009", "0.00000000000000002", "--1", "0x.8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := parseLongDouble([]byte(s))
		if !ok || v.IsInf() {
			return
		}
		first := appendLongDoubleHuman(nil, v)
		again, ok := parseLongDouble(first)
		if !ok {
			t.Fatalf("%q printed as %q, which does not parse", s, first)
		}
		if second := appendLongDoubleHuman(nil, again); string(second) != string(first) {
			t.Fatalf("%q printed as %q, then as %q", s, first, second)
		}
		if len(s) <= 15 && strings.Trim(s, "0123456789") == "" && s != "" {
			want, _ := strconv.ParseFloat(s, 64)
			if got, _ := v.Float64(); got != want {
				t.Fatalf("%q parsed as %v, want %v", s, got, want)
			}
		}
	})
}
func TestSetFamily(t *testing.T) {
	c := newTestClient(t)
	c.expect(`SET k v EX 10 EX 20`, "+OK\r\n")
	c.expectTTL("k", 20)
	c.expect(`SET k v NX NX`, "$-1\r\n")
	c.expect(`SET k v PX 100 EX 10`, "-ERR syntax error\r\n")
	c.expect(`SET k v KEEPTTL KEEPTTL`, "+OK\r\n")
	c.expect(`SET k v KEEPTTL EX 10`, "-ERR syntax error\r\n")
	c.expect(`SET k v EX 10 KEEPTTL`, "-ERR syntax error\r\n")
	c.expect(`SET k v PERSIST`, "-ERR syntax error\r\n")
	c.expect(`SET k v EX`, "-ERR syntax error\r\n")
	c.expect(`SET k v EXAT 10 EX 5`, "-ERR syntax error\r\n")
	c.expect(`SET k v GET GET`, "$1\r\nv\r\n")
	c.expect(`SETNX k x`, ":0\r\n")
	c.expect(`SETNX n x`, ":1\r\n")
	c.expect(`GET n`, "$1\r\nx\r\n")
	c.expect(`SETEX k 0 v`, "-ERR invalid expire time in 'setex' command\r\n")
	c.expect(`SETEX k -1 v`, "-ERR invalid expire time in 'setex' command\r\n")
	c.expect(`SETEX k abc v`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`SETEX k 9223372036854775807 v`, "-ERR invalid expire time in 'setex' command\r\n")
	c.expect(`SETEX k 9223372036854775 v`, "-ERR invalid expire time in 'setex' command\r\n")
	c.expect(`PSETEX k 9223372036854775807 v`, "-ERR invalid expire time in 'psetex' command\r\n")
	c.expect(`PSETEX k 100 v`, "+OK\r\n")
	c.expect(`SETEX nn 10 12`, "+OK\r\n")
	c.expectEncoding("nn", "int")
	c.expectTTL("nn", 10)
	c.expect(`SETEX nn 10 123456789012345678901`, "+OK\r\n")
	c.expectEncoding("nn", "embstr")
	c.expect(`SETEX nn 10 123456789012345678901234567890123456789012345`, "+OK\r\n")
	c.expectEncoding("nn", "raw")
	c.expect(`SETEX nn 10 12345678901234567890123456789012345678901234`, "+OK\r\n")
	c.expectEncoding("nn", "embstr")
	c.expect(`GETEX missing EX abc`, "$-1\r\n")
	c.expect(`GETEX missing EX 0`, "$-1\r\n")
	c.expect(`GETEX missing FOO`, "-ERR syntax error\r\n")
	c.expect(`GETEX nn EX abc`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`GETEX nn EX 0`, "-ERR invalid expire time in 'getex' command\r\n")
	c.expect(`GETEX nn PX -5`, "-ERR invalid expire time in 'getex' command\r\n")
	c.expect(`GETEX nn EXAT 9223372036854775807`, "-ERR invalid expire time in 'getex' command\r\n")
	c.expect(`GETEX nn PERSIST EX 10`, "-ERR syntax error\r\n")
	c.expect(`GETEX nn EX 10 PERSIST`, "-ERR syntax error\r\n")
	c.expect(`GETEX nn EX 10 EX 20`, "$44\r\n12345678901234567890123456789012345678901234\r\n")
	c.expectTTL("nn", 20)
	c.expect(`GETEX nn PERSIST PERSIST`, "$44\r\n12345678901234567890123456789012345678901234\r\n")
	c.expectTTL("nn", -1)
	c.expect(`GETEX nn PERSIST`, "$44\r\n12345678901234567890123456789012345678901234\r\n")
	c.expect(`GETEX nn KEEPTTL`, "-ERR syntax error\r\n")
	c.expect(`GETEX nn NX`, "-ERR syntax error\r\n")
	c.expect(`GETEX nn GET`, "-ERR syntax error\r\n")
	c.expect(`GETEX nn PX 100000`, "$44\r\n12345678901234567890123456789012345678901234\r\n")
	c.expectTTL("nn", 100)
	c.expect(`GETEX nn EXAT 1`, "$44\r\n12345678901234567890123456789012345678901234\r\n")
	c.expectExists("nn", false)
	c.expect(`GETEX nn`, "$-1\r\n")
	c.expect(`GETEX nn PX`, "-ERR syntax error\r\n")
	c.expect(`SET n1 x`, "+OK\r\n")
	c.expect(`GETEX n1 PXAT 1`, "$1\r\nx\r\n")
	c.expectExists("n1", false)
	c.expect(`GETDEL nn`, "$-1\r\n")
	c.expect(`SET n2 5`, "+OK\r\n")
	c.expect(`GETDEL n2`, "$1\r\n5\r\n")
	c.expect(`GETDEL n2`, "$-1\r\n")
	putWrongType(c, "l")
	c.expect(`GETDEL l`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`GETEX l`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`GETEX l EX abc`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`GETEX l FOO`, "-ERR syntax error\r\n")
	c.expect(`GETSET l x`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`GETSET n3 x`, "$-1\r\n")
	c.expect(`GETSET n3 y`, "$1\r\nx\r\n")
	c.expect(`GETSET n3 12`, "$1\r\ny\r\n")
	c.expectEncoding("n3", "int")
	c.expect(`SETEX n4 100 a`, "+OK\r\n")
	c.expect(`GETSET n4 b`, "$1\r\na\r\n")
	c.expectTTL("n4", -1)
	c.expect(`MGET n3 l nope`, "*3\r\n$2\r\n12\r\n$-1\r\n$-1\r\n")
	c.expect(`MGET nope`, "*1\r\n$-1\r\n")
	c.expect(`MSET a 1 b`, "-ERR wrong number of arguments for 'mset' command\r\n")
	c.expect(`MSET a 1 b 2`, "+OK\r\n")
	c.expect(`MGET a b`, "*2\r\n$1\r\n1\r\n$1\r\n2\r\n")
	c.expectEncoding("a", "int")
	c.expect(`MSETNX a 1 c 2`, ":0\r\n")
	c.expect(`MSETNX c 1 d 2`, ":1\r\n")
	c.expect(`MSETNX c 1 c 2`, ":0\r\n")
	c.expect(`MSETNX x 1 y`, "-ERR wrong number of arguments for 'msetnx' command\r\n")
	c.expect(`MSETNX x 1 x 2`, ":1\r\n")
	c.expect(`GET x`, "$1\r\n2\r\n")
	c.expect(`MSET a 1 a 2`, "+OK\r\n")
	c.expect(`GET a`, "$1\r\n2\r\n")
	c.expect(`MSET l 1`, "+OK\r\n")
	c.expect(`GET l`, "$1\r\n1\r\n")
}

func TestIncrDecr(t *testing.T) {
	c := newTestClient(t)
	c.expect(`INCR x`, ":1\r\n")
	c.expect(`INCRBY x 9223372036854775806`, ":9223372036854775807\r\n")
	c.expect(`INCR x`, "-ERR increment or decrement would overflow\r\n")
	c.expect(`DECRBY x -1`, "-ERR increment or decrement would overflow\r\n")
	c.expect(`SET x -9223372036854775808`, "+OK\r\n")
	c.expect(`DECR x`, "-ERR increment or decrement would overflow\r\n")
	c.expect(`DECRBY x 1`, "-ERR increment or decrement would overflow\r\n")
	c.expect(`DECRBY x 9223372036854775808`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`DECRBY y -9223372036854775808`, "-ERR decrement would overflow\r\n")
	c.expect(`DECRBY y 9223372036854775807`, ":-9223372036854775807\r\n")
	c.expect(`INCRBY y -9223372036854775808`, "-ERR increment or decrement would overflow\r\n")
	c.expect(`INCRBY y -1`, ":-9223372036854775808\r\n")
	c.expect(`INCRBY y -2`, "-ERR increment or decrement would overflow\r\n")
	c.expect(`DECR y`, "-ERR increment or decrement would overflow\r\n")
	c.expect(`SET s abc`, "+OK\r\n")
	c.expect(`INCR s`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`SET s " 1"`, "+OK\r\n")
	c.expect(`INCR s`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`SET s "1 "`, "+OK\r\n")
	c.expect(`INCR s`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`SET s 01`, "+OK\r\n")
	c.expect(`INCR s`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`SET s -0`, "+OK\r\n")
	c.expect(`INCR s`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`SET s +1`, "+OK\r\n")
	c.expect(`INCR s`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`SET s ""`, "+OK\r\n")
	c.expect(`INCR s`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`SET s 12345678901234567890123`, "+OK\r\n")
	c.expect(`INCR s`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`SET s 9223372036854775808`, "+OK\r\n")
	c.expect(`INCR s`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`INCRBY s abc`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`INCRBY nokey abc`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`INCRBY nokey 1.5`, "-ERR value is not an integer or out of range\r\n")
	putWrongType(c, "l")
	c.expect(`INCR l`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`DECR l`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`INCRBY l x`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`INCRBY l 1`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`DECRBY l 1`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`DECRBY l x`, "-ERR value is not an integer or out of range\r\n")
	c.expectEncoding("x", "int")
	c.expect(`SET big 100000`, "+OK\r\n")
	c.expect(`APPEND big 1`, ":7\r\n")
	c.expectEncoding("big", "raw")
	c.expect(`INCR big`, ":1000002\r\n")
	c.expectEncoding("big", "int")
	c.expect(`SETEX t 100 5`, "+OK\r\n")
	c.expect(`INCR t`, ":6\r\n")
	c.expectTTL("t", 100)
}

func TestIncrByFloat(t *testing.T) {
	c := newTestClient(t)
	c.expect(`SETEX t 100 5`, "+OK\r\n")
	c.expect(`INCRBYFLOAT t 1.5`, "$3\r\n6.5\r\n")
	c.expectTTL("t", 100)
	c.expect(`INCRBYFLOAT f 10.5`, "$4\r\n10.5\r\n")
	c.expect(`INCRBYFLOAT f 0.1`, "$4\r\n10.6\r\n")
	c.expectEncoding("f", "embstr")
	c.expect(`INCRBYFLOAT f 5.0e3`, "$22\r\n5010.60000000000000009\r\n")
	c.expect(`INCRBYFLOAT g 3.0e-5`, "$7\r\n0.00003\r\n")
	c.expect(`INCRBYFLOAT h 0.1`, "$3\r\n0.1\r\n")
	c.expect(`INCRBYFLOAT h 0.2`, "$3\r\n0.3\r\n")
	c.expect(`INCRBYFLOAT h 0.3`, "$3\r\n0.6\r\n")
	c.expect(`INCRBYFLOAT h -0.6`, "$1\r\n0\r\n")
	c.expect(`INCRBYFLOAT h 1e17`, "$18\r\n100000000000000000\r\n")
	c.expect(`INCRBYFLOAT h 1.1e-17`, "$18\r\n100000000000000000\r\n")
	c.expect(`INCRBYFLOAT i 1e300`, "$301\r\n1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750497190350372508614274835903592556184672983913096260520748646287327135641843653294084255107606016789726652932370030551382947620994540294772781889620606179267611627097410650567187386105690089424915104006144\r\n")
	c.expectEncoding("i", "raw")
	c.expect(`INCRBYFLOAT j 1e-20`, "$1\r\n0\r\n")
	c.expect(`INCRBYFLOAT j -1e-20`, "$1\r\n0\r\n")
	c.expect(`INCRBYFLOAT j -1e-17`, "$20\r\n-0.00000000000000001\r\n")
	c.expect(`INCRBYFLOAT j -6e-18`, "$20\r\n-0.00000000000000002\r\n")
	c.expect(`INCRBYFLOAT j 4e-18`, "$20\r\n-0.00000000000000002\r\n")
	c.expect(`INCRBYFLOAT k inf`, "-ERR increment would produce NaN or Infinity\r\n")
	c.expect(`INCRBYFLOAT k -inf`, "-ERR increment would produce NaN or Infinity\r\n")
	c.expect(`INCRBYFLOAT k +Infinity`, "-ERR increment would produce NaN or Infinity\r\n")
	c.expect(`INCRBYFLOAT k abc`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT k nan`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT k NaN`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT k " 1"`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT k "1 "`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT k ""`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT k 0x10`, "$2\r\n16\r\n")
	c.expect(`INCRBYFLOAT k 0X1.8p1`, "$2\r\n19\r\n")
	c.expect(`INCRBYFLOAT k 0x`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT k 0x1p`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT k 0x.8`, "$4\r\n19.5\r\n")
	c.expect(`INCRBYFLOAT k 1e5000`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT k -1e5000`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT k 1e-5000`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT k 0e-5000`, "$4\r\n19.5\r\n")
	c.expect(`INCRBYFLOAT k 0e99999999999999999999999`, "$4\r\n19.5\r\n")
	c.expect(`INCRBYFLOAT k 1e`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT k 1e+`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT k 1e+2`, "$5\r\n119.5\r\n")
	c.expect(`INCRBYFLOAT k 1.`, "$5\r\n120.5\r\n")
	c.expect(`INCRBYFLOAT k .5`, "$3\r\n121\r\n")
	c.expect(`INCRBYFLOAT k .`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT k -.`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT k +.5e1`, "$3\r\n126\r\n")
	c.expect(`INCRBYFLOAT k --1`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT k 1_0`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT k 1,5`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT l 1`, "$1\r\n1\r\n")
	c.expect(`INCRBYFLOAT l x`, "-ERR value is not a valid float\r\n")
	c.expect(`SET s abc`, "+OK\r\n")
	c.expect(`INCRBYFLOAT s 1`, "-ERR value is not a valid float\r\n")
	c.expect(`SET s 12345678901234567890123`, "+OK\r\n")
	c.expect(`INCRBYFLOAT s 1`, "$23\r\n12345678901234567889920\r\n")
	c.expect(`SET z 3`, "+OK\r\n")
	c.expect(`INCRBYFLOAT z 1.5`, "$3\r\n4.5\r\n")
	c.expect(`INCRBYFLOAT z -4.5`, "$1\r\n0\r\n")
	c.expectEncoding("z", "embstr")
	c.expect(`INCR z`, ":1\r\n")
	c.expectEncoding("z", "int")
	c.expect(`INCRBYFLOAT m 1.23456789012345678`, "$19\r\n1.23456789012345678\r\n")
	c.expect(`INCRBYFLOAT m2 1.234567890123456789`, "$19\r\n1.23456789012345679\r\n")
	c.expect(`INCRBYFLOAT m3 0.000000000000000005`, "$1\r\n0\r\n")
	c.expect(`INCRBYFLOAT m3 0.000000000000000015`, "$19\r\n0.00000000000000002\r\n")
	c.expect(`INCRBYFLOAT m4 0.000000000000000025`, "$19\r\n0.00000000000000002\r\n")
	c.expect(`INCRBYFLOAT n 123456789012345678901234567890`, "$30\r\n123456789012345678899921813504\r\n")
	c.expectEncoding("n", "embstr")
	c.expect(`INCRBYFLOAT n2 12345678901234567890123456789012345678901234`, "$44\r\n12345678901234567889680227765704092832235520\r\n")
	c.expectEncoding("n2", "embstr")
	c.expect(`INCRBYFLOAT o -0.0`, "$1\r\n0\r\n")
	c.expect(`INCRBYFLOAT o2 -5`, "$2\r\n-5\r\n")
	c.expect(`INCRBYFLOAT o2 5`, "$1\r\n0\r\n")
	c.expect(`INCRBYFLOAT p 1.7976931348623157e308`, "$309\r\n179769313486231569995921046774104434048386446944329178485314420765176628523124396354701868608387085564428793419425520689308708363451136055357897278026477617073498977686288394835618163294045594434929537447290627480669417384648879122776218333598953852832103282504751611691208117720159985926376802466863339536384\r\n")
	c.expect(`INCRBYFLOAT p 1.7976931348623157e308`, "$309\r\n359538626972463139991842093548208868096772893888658356970628841530353257046248792709403737216774171128857586838851041378617416726902272110715794556052955234146997955372576789671236326588091188869859074894581254961338834769297758245552436667197907705664206565009503223382416235440319971852753604933726679072768\r\n")
	c.expect(`INCRBYFLOAT q 0x1p-3`, "$5\r\n0.125\r\n")
	c.expect(`INCRBYFLOAT q infinity`, "-ERR increment would produce NaN or Infinity\r\n")
	c.expect(`INCRBYFLOAT r 3`, "$1\r\n3\r\n")
	c.expect(`INCRBYFLOAT r2 1e-4940`, "$1\r\n0\r\n")
	c.expect(`INCRBYFLOAT r3 5e-4950`, "$1\r\n0\r\n")
	c.expect(`INCRBYFLOAT r4 3e-4951`, "$1\r\n0\r\n")
	c.expect(`INCRBYFLOAT r5 2e-4951`, "$1\r\n0\r\n")
	c.expect(`INCRBYFLOAT r6 1.5e-4951`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT r7 1e-4952`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT r9 1.19e4932`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT s1 9223372036854775807`, "$19\r\n9223372036854775807\r\n")
	c.expect(`INCRBYFLOAT s1 1`, "$19\r\n9223372036854775808\r\n")
	c.expect(`INCRBYFLOAT s2 -9223372036854775808`, "$20\r\n-9223372036854775808\r\n")
	c.expect(`INCRBYFLOAT s3 18446744073709551617`, "$20\r\n18446744073709551616\r\n")
	c.expect(`INCRBYFLOAT s4 0.1`, "$3\r\n0.1\r\n")
	c.expect(`INCRBYFLOAT s4 0.1`, "$3\r\n0.2\r\n")
	c.expect(`INCRBYFLOAT s4 0.1`, "$3\r\n0.3\r\n")
	c.expect(`INCRBYFLOAT s4 0.1`, "$3\r\n0.4\r\n")
	c.expect(`INCRBYFLOAT s4 0.1`, "$3\r\n0.5\r\n")
	c.expect(`INCRBYFLOAT s4 0.1`, "$3\r\n0.6\r\n")
	c.expect(`INCRBYFLOAT s4 0.1`, "$3\r\n0.7\r\n")
	c.expect(`INCRBYFLOAT s4 0.1`, "$3\r\n0.8\r\n")
	c.expect(`INCRBYFLOAT s4 0.1`, "$3\r\n0.9\r\n")
	c.expect(`INCRBYFLOAT s4 0.1`, "$1\r\n1\r\n")
	c.expect(`INCRBYFLOAT s5 1e-3`, "$5\r\n0.001\r\n")
	c.expect(`INCRBYFLOAT s5 -1e-3`, "$1\r\n0\r\n")
	c.expect(`INCRBYFLOAT s6 2.5`, "$3\r\n2.5\r\n")
	c.expect(`INCRBYFLOAT s6 3.14159265358979323846264338327950288`, "$19\r\n5.64159265358979324\r\n")
	c.expect(`INCRBYFLOAT s7 100`, "$3\r\n100\r\n")
	c.expect(`INCRBYFLOAT s7 0.00000000000000001`, "$21\r\n100.00000000000000001\r\n")
	c.expect(`INCRBYFLOAT s8 1e16`, "$17\r\n10000000000000000\r\n")
	c.expect(`INCRBYFLOAT s8 0.5`, "$19\r\n10000000000000000.5\r\n")
	c.expect(`INCRBYFLOAT s9 1e19`, "$20\r\n10000000000000000000\r\n")
	c.expect(`INCRBYFLOAT s9 1`, "$20\r\n10000000000000000001\r\n")
	c.expect(`INCRBYFLOAT s9 0.5`, "$20\r\n10000000000000000002\r\n")
	c.expect(`INCRBYFLOAT s10 00001.5000`, "$3\r\n1.5\r\n")
	c.expect(`INCRBYFLOAT s11 1e-17`, "$19\r\n0.00000000000000001\r\n")
	c.expect(`INCRBYFLOAT s12 5e-18`, "$1\r\n0\r\n")
	c.expect(`INCRBYFLOAT s13 1.5e-17`, "$19\r\n0.00000000000000002\r\n")
	c.expect(`INCRBYFLOAT s14 2.5e-17`, "$19\r\n0.00000000000000002\r\n")
	c.expect(`INCRBYFLOAT s16 0x1p16384`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT s17 0x1p-16445`, "$1\r\n0\r\n")
	c.expect(`INCRBYFLOAT s18 0x1p-16446`, "-ERR value is not a valid float\r\n")
	c.expect(`INCRBYFLOAT s19 0x1p-16447`, "-ERR value is not a valid float\r\n")
}

func TestAppendAndRanges(t *testing.T) {
	c := newTestClient(t)
	c.srv.set.protoMaxBulkLen.Store(1048576)
	c.expect(`APPEND a hello`, ":5\r\n")
	c.expectEncoding("a", "embstr")
	c.expect(`APPEND a " world"`, ":11\r\n")
	c.expectEncoding("a", "raw")
	c.expect(`APPEND n 123`, ":3\r\n")
	c.expectEncoding("n", "int")
	c.expect(`APPEND n ""`, ":3\r\n")
	c.expectEncoding("n", "raw")
	c.expect(`APPEND e ""`, ":0\r\n")
	c.expectExists("e", true)
	c.expectEncoding("e", "embstr")
	c.expect(`APPEND long 123456789012345678901234567890123456789012345`, ":45\r\n")
	c.expectEncoding("long", "raw")
	c.expect(`SETEX t 100 x`, "+OK\r\n")
	c.expect(`APPEND t y`, ":2\r\n")
	c.expectTTL("t", 100)
	c.expect(`STRLEN a`, ":11\r\n")
	c.expect(`STRLEN nope`, ":0\r\n")
	c.expect(`SET i 12345`, "+OK\r\n")
	c.expect(`STRLEN i`, ":5\r\n")
	putWrongType(c, "l")
	c.expect(`STRLEN l`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`APPEND l x`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`GETRANGE a 0 4`, "$5\r\nhello\r\n")
	c.expect(`GETRANGE a -5 -1`, "$5\r\nworld\r\n")
	c.expect(`GETRANGE a -1 -5`, "$0\r\n\r\n")
	c.expect(`GETRANGE a 5 3`, "$0\r\n\r\n")
	c.expect(`GETRANGE a 0 100`, "$11\r\nhello world\r\n")
	c.expect(`GETRANGE a -100 2`, "$3\r\nhel\r\n")
	c.expect(`GETRANGE a -100 -100`, "$1\r\nh\r\n")
	c.expect(`GETRANGE a -100 -99`, "$1\r\nh\r\n")
	c.expect(`GETRANGE nope 0 1`, "$0\r\n\r\n")
	c.expect(`GETRANGE nope x 1`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`GETRANGE i 1 2`, "$2\r\n23\r\n")
	c.expect(`GETRANGE a x 1`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`GETRANGE a 1 x`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`GETRANGE l 0 1`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`GETRANGE l x 1`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`SET empty ""`, "+OK\r\n")
	c.expect(`GETRANGE empty 0 0`, "$0\r\n\r\n")
	c.expect(`GETRANGE empty -1 0`, "$0\r\n\r\n")
	c.expect(`GETRANGE empty 0 -1`, "$0\r\n\r\n")
	c.expect(`GETRANGE a 9223372036854775807 9223372036854775807`, "$0\r\n\r\n")
	c.expect(`GETRANGE a -9223372036854775808 9223372036854775807`, "$11\r\nhello world\r\n")
	c.expect(`GETRANGE a -9223372036854775808 -9223372036854775808`, "$1\r\nh\r\n")
	c.expect(`GETRANGE a 0 -100`, "$1\r\nh\r\n")
	c.expect(`GETRANGE a 3 -100`, "$0\r\n\r\n")
	c.expect(`GETRANGE a 10 10`, "$1\r\nd\r\n")
	c.expect(`GETRANGE a 11 11`, "$0\r\n\r\n")
	c.expect(`SUBSTR a 0 2`, "$3\r\nhel\r\n")
	c.expect(`SUBSTR a -3 -1`, "$3\r\nrld\r\n")
	c.expect(`SUBSTR l 0 1`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`SETRANGE a 6 WORLD`, ":11\r\n")
	c.expect(`GET a`, "$11\r\nhello WORLD\r\n")
	c.expectEncoding("a", "raw")
	c.expect(`SETRANGE i 1 9`, ":5\r\n")
	c.expect(`GET i`, "$5\r\n19345\r\n")
	c.expectEncoding("i", "raw")
	c.expect(`SET i2 12`, "+OK\r\n")
	c.expect(`SETRANGE i2 0 ""`, ":2\r\n")
	c.expectEncoding("i2", "int")
	c.expect(`SETRANGE new 3 x`, ":4\r\n")
	c.expect(`GET new`, "$4\r\n\x00\x00\x00x\r\n")
	c.expectEncoding("new", "raw")
	c.expect(`SETRANGE new2 3 ""`, ":0\r\n")
	c.expectExists("new2", false)
	c.expect(`SETRANGE i 0 ""`, ":5\r\n")
	c.expect(`SETRANGE a -1 x`, "-ERR offset is out of range\r\n")
	c.expect(`SETRANGE a x x`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`SETRANGE l 0 x`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`SETRANGE l -1 x`, "-ERR offset is out of range\r\n")
	c.expect(`SETRANGE l 0 ""`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`SETRANGE a 1048575 x`, ":1048576\r\n")
	c.expect(`STRLEN a`, ":1048576\r\n")
	c.expect(`SETRANGE a 1048576 x`, "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n")
	c.expect(`SETRANGE a 1048575 xy`, "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n")
	c.expect(`SETRANGE nope 1048576 x`, "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n")
	c.expect(`SETRANGE nope 1048576 ""`, ":0\r\n")
	c.expect(`SETRANGE a 9223372036854775807 x`, "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n")
	c.expect(`SETRANGE a 9223372036854775807 ""`, ":1048576\r\n")
	c.expect(`SETRANGE short 2 abc`, ":5\r\n")
	c.expect(`SETRANGE short 10 z`, ":11\r\n")
	c.expect(`GET short`, "$11\r\n\x00\x00abc\x00\x00\x00\x00\x00z\r\n")
	c.expect(`SETRANGE short 1 Q`, ":11\r\n")
	c.expect(`GET short`, "$11\r\n\x00Qabc\x00\x00\x00\x00\x00z\r\n")
	c.expect(`SETEX t2 100 hello`, "+OK\r\n")
	c.expect(`SETRANGE t2 0 J`, ":5\r\n")
	c.expectTTL("t2", 100)
	c.expect(`SET big 1`, "+OK\r\n")
	c.expect(`SETRANGE big 1048575 ""`, ":1\r\n")
	c.expect(`APPEND big ""`, ":1\r\n")
	c.expect(`SET b2 x`, "+OK\r\n")
	c.expect(`APPEND b2 ""`, ":1\r\n")
	c.expect(`SETRANGE a 0 x`, ":1048576\r\n")
	c.expect(`APPEND a y`, "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n")
	c.expect(`APPEND a zz`, "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n")
	c.expect(`STRLEN a`, ":1048576\r\n")
}

func TestLCS(t *testing.T) {
	c := newTestClient(t)
	c.expect(`MSET key1 ohmytext key2 mynewtext`, "+OK\r\n")
	c.expect(`LCS key1 key2`, "$6\r\nmytext\r\n")
	c.expect(`LCS key1 key2 LEN`, ":6\r\n")
	c.expect(`LCS key1 key2 IDX`, "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n")
	c.expect(`LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN`, "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n")
	c.expect(`LCS key1 key2 IDX WITHMATCHLEN`, "*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n")
	c.expect(`LCS key1 key2 IDX MINMATCHLEN 2`, "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n")
	c.expect(`LCS key1 key2 idx minmatchlen 3 minmatchlen 0`, "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n")
	c.expect(`LCS key1 key2 LEN IDX`, "-ERR If you want both the length and indexes, please just use IDX.\r\n")
	c.expect(`LCS key1 key2 IDX LEN`, "-ERR If you want both the length and indexes, please just use IDX.\r\n")
	c.expect(`LCS key1 key2 LEN LEN`, ":6\r\n")
	c.expect(`LCS key1 key2 MINMATCHLEN`, "-ERR syntax error\r\n")
	c.expect(`LCS key1 key2 MINMATCHLEN x`, "-ERR value is not an integer or out of range\r\n")
	c.expect(`LCS key1 key2 MINMATCHLEN -5 IDX`, "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n")
	c.expect(`LCS key1 key2 FOO`, "-ERR syntax error\r\n")
	c.expect(`LCS key1 key2 WITHMATCHLEN`, "$6\r\nmytext\r\n")
	c.expect(`LCS key1 nope`, "$0\r\n\r\n")
	c.expect(`LCS nope key1 IDX`, "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n")
	c.expect(`LCS nope nope2 IDX`, "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n")
	c.expect(`LCS nope nope2 LEN`, ":0\r\n")
	c.expect(`LCS nope nope2`, "$0\r\n\r\n")
	putWrongType(c, "l")
	c.expect(`LCS key1 l`, "-ERR The specified keys must contain string values\r\n")
	c.expect(`LCS l key1 FOO`, "-ERR The specified keys must contain string values\r\n")
	c.expect(`LCS l nope`, "-ERR The specified keys must contain string values\r\n")
	c.expect(`LCS key1 key2 LEN WITHMATCHLEN`, ":6\r\n")
	c.expect(`LCS key1 key2 LEN MINMATCHLEN 3`, ":6\r\n")
	c.expect(`SET n1 12345`, "+OK\r\n")
	c.expect(`SET n2 2345`, "+OK\r\n")
	c.expect(`LCS n1 n2 IDX WITHMATCHLEN`, "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:1\r\n:4\r\n*2\r\n:0\r\n:3\r\n:4\r\n$3\r\nlen\r\n:4\r\n")
	c.expect(`LCS n1 n1 IDX WITHMATCHLEN`, "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:0\r\n:4\r\n*2\r\n:0\r\n:4\r\n:5\r\n$3\r\nlen\r\n:5\r\n")
	c.expect(`LCS n1 n1`, "$5\r\n12345\r\n")
	c.expect(`MSET s1 "abcdefghijklmnop" s2 "xxaxxbxcdexfghxxxijklmnopyy"`, "+OK\r\n")
	c.expect(`LCS s1 s2`, "$16\r\nabcdefghijklmnop\r\n")
	c.expect(`LCS s1 s2 IDX WITHMATCHLEN`, "*4\r\n$7\r\nmatches\r\n*5\r\n*3\r\n*2\r\n:8\r\n:15\r\n*2\r\n:17\r\n:24\r\n:8\r\n*3\r\n*2\r\n:5\r\n:7\r\n*2\r\n:11\r\n:13\r\n:3\r\n*3\r\n*2\r\n:2\r\n:4\r\n*2\r\n:7\r\n:9\r\n:3\r\n*3\r\n*2\r\n:1\r\n:1\r\n*2\r\n:5\r\n:5\r\n:1\r\n*3\r\n*2\r\n:0\r\n:0\r\n*2\r\n:2\r\n:2\r\n:1\r\n$3\r\nlen\r\n:16\r\n")
	c.expect(`LCS s2 s1 IDX WITHMATCHLEN MINMATCHLEN 2`, "*4\r\n$7\r\nmatches\r\n*3\r\n*3\r\n*2\r\n:17\r\n:24\r\n*2\r\n:8\r\n:15\r\n:8\r\n*3\r\n*2\r\n:11\r\n:13\r\n*2\r\n:5\r\n:7\r\n:3\r\n*3\r\n*2\r\n:7\r\n:9\r\n*2\r\n:2\r\n:4\r\n:3\r\n$3\r\nlen\r\n:16\r\n")
	c.expect(`MSET p1 "aaaa" p2 "aa"`, "+OK\r\n")
	c.expect(`LCS p1 p2 IDX WITHMATCHLEN`, "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:2\r\n")
	c.expect(`LCS p2 p1 IDX WITHMATCHLEN`, "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:0\r\n:1\r\n*2\r\n:2\r\n:3\r\n:2\r\n$3\r\nlen\r\n:2\r\n")
	c.expect(`MSET q1 "GTCGTTCGGAATGCCGTTGCTCTGTAAA" q2 "ACCGGTCGAGTGCGCGGAAGCCGGCCGAA"`, "+OK\r\n")
	c.expect(`LCS q1 q2`, "$20\r\nGTCGTCGGAAGCCGGCCGAA\r\n")
	c.expect(`LCS q1 q2 IDX WITHMATCHLEN`, "*4\r\n$7\r\nmatches\r\n*8\r\n*3\r\n*2\r\n:26\r\n:27\r\n*2\r\n:27\r\n:28\r\n:2\r\n*3\r\n*2\r\n:23\r\n:23\r\n*2\r\n:26\r\n:26\r\n:1\r\n*3\r\n*2\r\n:21\r\n:21\r\n*2\r\n:25\r\n:25\r\n:1\r\n*3\r\n*2\r\n:18\r\n:19\r\n*2\r\n:23\r\n:24\r\n:2\r\n*3\r\n*2\r\n:12\r\n:15\r\n*2\r\n:19\r\n:22\r\n:4\r\n*3\r\n*2\r\n:6\r\n:10\r\n*2\r\n:14\r\n:18\r\n:5\r\n*3\r\n*2\r\n:5\r\n:5\r\n*2\r\n:10\r\n:10\r\n:1\r\n*3\r\n*2\r\n:0\r\n:3\r\n*2\r\n:4\r\n:7\r\n:4\r\n$3\r\nlen\r\n:20\r\n")
	c.expect(`LCS q1 q2 LEN`, ":20\r\n")
	c.do(`HELLO 3`)
	c.expect(`LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN`, "%2\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n")
	c.expect(`LCS nope nope2 IDX`, "%2\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n")
	c.expect(`MGET key1 nope`, "*2\r\n$8\r\nohmytext\r\n_\r\n")
	c.expect(`GETEX nope`, "_\r\n")
	c.do(`HELLO 2`)
}

func TestStringWrongType(t *testing.T) {
	c := newTestClient(t)
	putWrongType(c, "l")
	c.expect(`GET l`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`SET l x GET`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`SETNX l x`, ":0\r\n")
	c.expect(`GETEX l`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`GETEX l PERSIST`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`GETEX l EX 10`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`GETDEL l`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`GETSET l x`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`MGET l`, "*1\r\n$-1\r\n")
	c.expect(`APPEND l x`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`STRLEN l`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`INCR l`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`DECR l`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`INCRBY l 1`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`DECRBY l 1`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`INCRBYFLOAT l 1`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`GETRANGE l 0 1`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`SUBSTR l 0 1`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`SETRANGE l 0 x`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`SETRANGE l 0 ""`, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect(`LCS l l`, "-ERR The specified keys must contain string values\r\n")
	// Commands that replace the value regardless of its type.
	c.expect(`SETEX l 100 x`, "+OK\r\n")
	c.expect(`GET l`, "$1\r\nx\r\n")
	putWrongType(c, "l")
	c.expect(`PSETEX l 100000 x`, "+OK\r\n")
	c.expect(`GET l`, "$1\r\nx\r\n")
	putWrongType(c, "l")
	c.expect(`MSET l x`, "+OK\r\n")
	c.expect(`GET l`, "$1\r\nx\r\n")
	putWrongType(c, "l")
	c.expect(`SET l x`, "+OK\r\n")
	c.expect(`GET l`, "$1\r\nx\r\n")
}

// TestStringConcurrentAtomicity runs writers and readers on separate
// clients at once: INCR must not lose updates, and MSET/MGET over keys in
// different shards must be atomic (the dispatcher locks every key's shard,
// which needs the specs' LastKey/KeyStep right).
func TestStringConcurrentAtomicity(t *testing.T) {
	s := newTestServer(t)
	var keys []string
	for i := 0; i < 32; i++ {
		keys = append(keys, "k"+strconv.Itoa(i))
	}
	shards := map[int]bool{}
	for _, k := range keys {
		shards[s.ks.DB(0).ShardIndex([]byte(k))] = true
	}
	if len(shards) < 8 {
		t.Fatalf("keys fall in %d shards; pick others", len(shards))
	}
	const writers, rounds = 4, 500
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		c := s.testClient(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				c.doArgs([]byte("INCR"), []byte("counter"))
				v := []byte(strconv.Itoa(w*rounds + i))
				args := [][]byte{[]byte("MSET")}
				for _, k := range keys {
					args = append(args, []byte(k), v)
				}
				c.doArgs(args...)
			}
		}()
	}
	reader := s.testClient(t)
	// The reader leaves out the keys in the first key's shard: a writer
	// locking only its first key's shard would then not be serialised with
	// it.
	first := s.ks.DB(0).ShardIndex([]byte(keys[0]))
	mget := [][]byte{[]byte("MGET")}
	for _, k := range keys[1:] {
		if s.ks.DB(0).ShardIndex([]byte(k)) != first {
			mget = append(mget, []byte(k))
		}
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		reply := reader.doArgs(mget...)
		lines := strings.Split(reply, "\r\n")
		// *N, then $len/value pairs: every value must be the same.
		for i := 4; i < len(lines)-1; i += 2 {
			if lines[i] != lines[2] {
				t.Fatalf("MGET saw a torn MSET: %q", reply)
			}
		}
	}
	reader.expect("GET counter", "$4\r\n2000\r\n")
}
