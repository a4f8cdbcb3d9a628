package server

import (
	"github.com/vireodb/vireo/datatypes/sds"

	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vireodb/vireo/datatypes/keyspace"
)

const debugNotAllowedReply = "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n"

func TestDebugAllowed(t *testing.T) {
	for _, mode := range []string{"no", "local"} {
		// An in-process pipe is not a local connection.
		c := newTestServer(t, "--enable-debug-command", mode).testClient(t)
		c.expect("debug sleep 0", debugNotAllowedReply)
		c.expect("debug help", debugNotAllowedReply)
		c.expect("debug", "-ERR wrong number of arguments for 'debug' command\r\n")
	}

	s := startVireo(t, "--enable-debug-command", "local")
	if got := dialResp(t, s.Addr().String()).do("debug", "sleep", "0"); got != "+OK\r\n" {
		t.Errorf("DEBUG from loopback with enable-debug-command local: %q", got)
	}

	for addr, local := range map[string]bool{"127.0.0.1:5000": true, "[::1]:6379": true, "10.0.0.1:5000": false, "pipe": false} {
		c := &Ctx{addr: addr}
		if c.isLocal() != local {
			t.Errorf("isLocal(%s) = %v", addr, !local)
		}
	}
}

func TestDebugErrorsAndMisc(t *testing.T) {
	c := newTestClient(t)
	c.expect("debug foo", "-ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP.\r\n")
	c.expect("debug HELP x", "-ERR unknown subcommand or wrong number of arguments for 'HELP'. Try DEBUG HELP.\r\n")
	c.expect("debug object", "-ERR unknown subcommand or wrong number of arguments for 'object'. Try DEBUG HELP.\r\n")
	c.expect("debug object k x", "-ERR unknown subcommand or wrong number of arguments for 'object'. Try DEBUG HELP.\r\n")
	c.expect("debug digest x", "-ERR unknown subcommand or wrong number of arguments for 'digest'. Try DEBUG HELP.\r\n")
	c.expect("debug populate", "-ERR unknown subcommand or wrong number of arguments for 'populate'. Try DEBUG HELP.\r\n")
	c.expect("debug populate 1 a 2 3", "-ERR unknown subcommand or wrong number of arguments for 'populate'. Try DEBUG HELP.\r\n")
	c.expect("debug sleep", "-ERR unknown subcommand or wrong number of arguments for 'sleep'. Try DEBUG HELP.\r\n")
	c.expect("debug error foo", "-foo\r\n")
	c.expect("debug error \"ERR some text\"", "-ERR some text\r\n")
	c.expect("debug log hello", "+OK\r\n")
	c.expect("debug reload", "+OK\r\n") // persist_test.go checks what it does
	c.expect("debug reload nosave x", "-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.\r\n")
	if got := c.do("debug help"); !strings.HasPrefix(got, "*32\r\n+DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n") || !strings.Contains(got, "+SLEEP <seconds>\r\n") {
		t.Errorf("debug help: %q", got)
	}

	// SLEEP reads its argument like strtod: garbage is 0.
	c.expect("debug sleep x", "+OK\r\n")
	t0 := time.Now()
	c.expect("debug sleep 0.05", "+OK\r\n")
	if d := time.Since(t0); d < 40*time.Millisecond {
		t.Errorf("debug sleep 0.05 returned after %v", d)
	}

	c.expect("debug set-active-expire 0", "+OK\r\n")
	if !c.srv.noActiveExpire.Load() {
		t.Error("SET-ACTIVE-EXPIRE 0 did not disable active expiry")
	}
	c.expect("debug set-active-expire 1", "+OK\r\n")
	if c.srv.noActiveExpire.Load() {
		t.Error("SET-ACTIVE-EXPIRE 1 did not enable active expiry")
	}
	c.expect("debug set-active-expire x", "+OK\r\n") // atoi("x") == 0, as in Redis
	if !c.srv.noActiveExpire.Load() {
		t.Error("SET-ACTIVE-EXPIRE x should disable active expiry")
	}
}

func TestDebugSleepHoldsTheKeyspace(t *testing.T) {
	s := newTestServer(t)
	a, b := s.testClient(t), s.testClient(t)
	start := time.Now()
	sleep := doAsync(a, "debug sleep 0.5")
	// Wait until the sleeper is inside DEBUG SLEEP (a loaded machine may
	// take a while to schedule it), then give it a moment to take the locks.
	for cmd := a.c.lastCmd.Load(); cmd == nil || !strings.HasPrefix(cmd.Name, "debug"); cmd = a.c.lastCmd.Load() {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	b.expect("set k v", "+OK\r\n")
	// However late the sleep started, the SET cannot finish before it ends.
	if d := time.Since(start); d < 400*time.Millisecond {
		t.Errorf("SET ran during DEBUG SLEEP (finished %v after the sleep began)", d)
	}
	expectReply(t, sleep, "DEBUG SLEEP", "+OK\r\n")
}

func TestDebugProtocol(t *testing.T) {
	c := newTestClient(t)
	resp2 := map[string]string{
		"string":   "$11\r\nHello World\r\n",
		"integer":  ":12345\r\n",
		"double":   "$5\r\n3.141\r\n",
		"bignum":   "$37\r\n1234567999999999999999999999999999999\r\n",
		"null":     "$-1\r\n",
		"array":    "*3\r\n:0\r\n:1\r\n:2\r\n",
		"set":      "*3\r\n:0\r\n:1\r\n:2\r\n",
		"map":      "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n",
		"attrib":   "$39\r\nSome real reply following the attribute\r\n",
		"push":     "-ERR RESP2 is not supported by this command\r\n",
		"verbatim": "$25\r\nThis is a verbatim\nstring\r\n",
		"true":     ":1\r\n",
		"false":    ":0\r\n",
		"foo":      "-ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false\r\n",
	}
	resp3 := map[string]string{
		"string":   "$11\r\nHello World\r\n",
		"integer":  ":12345\r\n",
		"double":   ",3.141\r\n",
		"bignum":   "(1234567999999999999999999999999999999\r\n",
		"null":     "_\r\n",
		"array":    "*3\r\n:0\r\n:1\r\n:2\r\n",
		"set":      "~3\r\n:0\r\n:1\r\n:2\r\n",
		"map":      "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n",
		"attrib":   "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n",
		"push":     ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n",
		"verbatim": "=29\r\ntxt:This is a verbatim\nstring\r\n",
		"true":     "#t\r\n",
		"false":    "#f\r\n",
	}
	for typ, want := range resp2 {
		c.expect("debug protocol "+typ, want)
	}
	c.do("hello 3")
	for typ, want := range resp3 {
		c.expect("debug protocol "+strings.ToUpper(typ), want)
	}
}

func TestDebugObject(t *testing.T) {
	c := newTestClient(t)
	c.expect("debug object nokey", "-ERR no such key\r\n")
	c.expect("set s hello", "+OK\r\n")
	c.expect("set n 12345", "+OK\r\n")
	c.expect("set shared 100", "+OK\r\n")
	c.expect("set big "+strings.Repeat("x", 60), "+OK\r\n")
	line := regexp.MustCompile(`^\+Value at:0x[0-9a-f]+ refcount:(\d+) encoding:(\w+) serializedlength:(\d+) lru:\d+ lru_seconds_idle:\d+\r\n$`)
	for key, want := range map[string][3]string{
		"s":      {"1", "embstr", "6"},
		"n":      {"1", "int", "3"},
		"shared": {"2147483647", "int", "2"},
		"big":    {"1", "raw", "12"}, // LZF-compressed, as in Redis
	} {
		got := c.do("debug object " + key)
		m := line.FindStringSubmatch(got)
		if m == nil || m[1] != want[0] || m[2] != want[1] || m[3] != want[2] {
			t.Errorf("debug object %s: %q, want refcount/encoding/serializedlength %v", key, got, want)
		}
	}
}

func TestDebugPopulate(t *testing.T) {
	c := newTestClient(t)
	c.expect("set key:1 mine", "+OK\r\n")
	c.expect("debug populate 3", "+OK\r\n")
	c.expect("dbsize", ":3\r\n")
	c.expect("get key:0", "$7\r\nvalue:0\r\n")
	c.expect("get key:1", "$4\r\nmine\r\n") // existing keys are left alone
	c.expect("get key:2", "$7\r\nvalue:2\r\n")
	c.expect("debug populate 2 pfx 12", "+OK\r\n")
	c.expect("get pfx:1", "$12\r\nvalue:1\x00\x00\x00\x00\x00\r\n")
	c.expect("debug populate 1 q 3", "+OK\r\n")
	c.expect("get q:0", "$3\r\nval\r\n")
	c.expect("debug populate 1 r 0", "+OK\r\n")
	c.expect("get r:0", "$7\r\nvalue:0\r\n")
	c.expect("debug populate 0", "+OK\r\n")
	c.expect("debug populate x", "-ERR value is out of range, must be positive\r\n")
	c.expect("debug populate -1", "-ERR value is out of range, must be positive\r\n")
	c.expect("debug populate 1 s -1", "-ERR value is out of range, must be positive\r\n")
	c.expect("dbsize", ":7\r\n")
	// Not a change to save or propagate, as in Redis.
	if d := c.srv.dirty.Load(); d != 1 {
		t.Errorf("dirty = %d after POPULATE, want 1 (the SET)", d)
	}
}

func TestDebugDigest(t *testing.T) {
	c := newTestClient(t)
	c.expect("debug digest", "+0000000000000000000000000000000000000000\r\n")
	// Values and digests from redis-server 7.0.15.
	c.expect("set s hello", "+OK\r\n")
	c.expect("set n 12345", "+OK\r\n")
	c.expect("debug digest-value s nokey n", "*3\r\n+36b23a1456b2dce2c3ed252c456761301dba8060\r\n+0000000000000000000000000000000000000000\r\n+e1cf90774e995ae03de66e8109dc5cb9d9c2dc83\r\n")
	c.expect("debug digest-value", "*0\r\n")
	c.expect("flushall", "+OK\r\n")
	for _, line := range []string{"debug populate 3", "debug populate 2 pfx 12", "debug populate 1 q 3", "debug populate 1 r 0"} {
		c.expect(line, "+OK\r\n")
	}
	c.expect("debug digest", "+eb18fa1d13225fea7b20719580ab271d796c3e07\r\n")

	// A type without a registered digester is an error, not a wrong digest.
	// (Every Redis type has one now: a made-up type stands in.)
	c.c.db.Put([]byte("l"), keyspace.Entry{Type: keyspace.Type(200), Enc: keyspace.EncRaw})
	c.expect("debug digest", "-ERR DEBUG DIGEST does not support none values yet\r\n")
	c.expect("debug digest-value l", "-ERR DEBUG DIGEST does not support none values yet\r\n")
}

// TestDebugDigestMatchesRedis builds the same random dataset of strings, with
// and without TTLs, in several databases of Vireo and redis-server and
// compares DEBUG DIGEST and DEBUG DIGEST-VALUE.
func TestDebugDigestMatchesRedis(t *testing.T) {
	redis := dialResp(t, startRedis(t))
	s := startVireo(t)
	vireo := dialResp(t, s.Addr().String())
	rng := rand.New(rand.NewPCG(1, 2))
	both := func(args ...string) {
		t.Helper()
		if r, v := redis.do(args...), vireo.do(args...); r != v {
			t.Fatalf("%q: vireo %q, redis-server %q", args, v, r)
		}
	}
	var keys []string
	for _, db := range []string{"0", "3", "15"} {
		both("select", db)
		for i := 0; i < 200; i++ {
			key := fmt.Sprintf("k%d:%d", i, rng.IntN(1000))
			var val string
			switch rng.IntN(4) {
			case 0:
				val = strconv.Itoa(rng.IntN(20000) - 10000)
			case 1:
				val = strings.Repeat("v", rng.IntN(100))
			case 2:
				val = fmt.Sprintf("%x\x00\xff%d", rng.Uint64(), i)
			default:
				val = strconv.FormatFloat(rng.Float64(), 'g', -1, 64)
			}
			args := []string{"set", key, val}
			if rng.IntN(3) == 0 {
				args = append(args, "ex", strconv.Itoa(1000+rng.IntN(1000)))
			}
			both(args...)
			if db == "15" {
				keys = append(keys, key)
			}
		}
		both("debug", "digest")
	}
	both(append([]string{"debug", "digest-value", "missing"}, keys[:20]...)...)
	// DEBUG OBJECT: the same refcount, encoding and serialized length.
	object := regexp.MustCompile(`refcount:\d+ encoding:\w+ serializedlength:\d+`)
	for _, k := range keys[:50] {
		r, v := redis.do("debug", "object", k), vireo.do("debug", "object", k)
		if object.FindString(r) != object.FindString(v) || object.FindString(r) == "" {
			t.Errorf("debug object %s: vireo %q, redis-server %q", k, v, r)
		}
	}
	both("debug", "populate", "50", "p", "30")
	both("debug", "digest")
}

func TestCNumberPrefixes(t *testing.T) {
	for in, want := range map[string]float64{"": 0, "x": 0, "1.5": 1.5, " 2.5s": 2.5, "-1": -1, "1e3x": 1000, ".5": 0.5, "3.": 3} {
		if got := strtod([]byte(in)); got != want {
			t.Errorf("strtod(%q) = %v, want %v", in, got, want)
		}
	}
	for in, want := range map[string]int64{"": 0, "x": 0, "1": 1, "2abc": 2, " -7": -7, "+3": 3, "--1": 0} {
		if got := atoi([]byte(in)); got != want {
			t.Errorf("atoi(%q) = %v, want %v", in, got, want)
		}
	}
}

// FuzzServerCommandArgs feeds arbitrary arguments to CLIENT, DEBUG, INFO,
// SHUTDOWN and LOLWUT: no panic, and every reply is one well-formed RESP
// value. (PAUSE and SLEEP, which would stall the fuzzer, large numbers
// (POPULATE honours them) and a SHUTDOWN that would succeed are skipped.)
func FuzzServerCommandArgs(f *testing.F) {
	for _, seed := range []string{
		"client kill id 1 type normal skipme no", "client kill 127.0.0.1:1", "client list id 1 2 3",
		"client list type pubsub", "client setinfo lib-name x", "client reply skip", "client setname a",
		"debug populate 10 p 5", "debug digest-value a b", "debug protocol attrib", "debug object key:1",
		"info all commandstats", "shutdown abort", "lolwut version 6 10 10", "debug set-active-expire 0",
	} {
		f.Add(seed)
	}
	s := newTestServer(f)
	f.Fuzz(func(t *testing.T, line string) {
		args, ok := sds.SplitArgs([]byte(line), nil)
		if !ok || len(args) == 0 {
			return
		}
		for i, a := range args {
			if eq(a, "pause") || eq(a, "sleep") {
				return
			}
			// Keep POPULATE small: counts and sizes are honoured.
			if n, ok := parseInt(a); ok && i >= 2 && (n > 1000 || n < -1000) {
				return
			}
		}
		switch {
		case eq(args[0], "client"), eq(args[0], "debug"), eq(args[0], "info"), eq(args[0], "lolwut"):
		case eq(args[0], "shutdown"):
			if len(args) == 1 || !eq(args[1], "abort") {
				return
			}
		default:
			return
		}
		c := s.testClient(t)
		out := c.doArgs(args...)
		if out == "" {
			return // CLIENT REPLY OFF/SKIP
		}
		var b strings.Builder
		r := bufioReaderOf(out)
		if err := readRawReply(r, &b); err != nil || b.String() != out {
			t.Fatalf("%q: malformed reply %q (%v)", line, out, err)
		}
	})
}

// TestActiveExpirySwitches checks that the cron's active expiry stops under
// DEBUG SET-ACTIVE-EXPIRE 0 and under CLIENT PAUSE WRITE. DBSIZE counts keys
// whose TTL passed until something deletes them.
func TestActiveExpirySwitches(t *testing.T) {
	s := startVireo(t, "--hz", "100")
	c := dialResp(t, s.Addr().String())
	for _, stop := range [][]string{{"debug", "set-active-expire", "0"}, {"client", "pause", "100000", "write"}} {
		c.do("flushall")
		if got := c.do("set", "k", "v", "px", "50"); got != "+OK\r\n" {
			t.Fatalf("set: %q", got)
		}
		if got := c.do(stop...); got != "+OK\r\n" {
			t.Fatalf("%q: %q", stop, got)
		}
		time.Sleep(200 * time.Millisecond)
		if got := c.do("dbsize"); got != ":1\r\n" {
			t.Errorf("after %q the expired key was collected: dbsize %q", stop, got)
		}
		c.do("debug", "set-active-expire", "1")
		c.do("client", "unpause")
		waitFor(t, func() bool { return c.do("dbsize") == ":0\r\n" })
	}
}
