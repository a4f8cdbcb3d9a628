package server

import (
	"strings"
	"testing"
	"time"
)

func TestEvalBasics(t *testing.T) {
	c := newTestClient(t)
	c.expect("EVAL \"return redis.call('set', KEYS[1], ARGV[1])\" 1 k v", "+OK\r\n")
	c.expect("GET k", "$1\r\nv\r\n")
	c.expect("EVAL \"return redis.call('get', KEYS[1])\" 1 k", "$1\r\nv\r\n")
	c.expect("EVAL \"return {1, 'two', {3}}\" 0", "*3\r\n:1\r\n$3\r\ntwo\r\n*1\r\n:3\r\n")
	c.expect("EVAL \"return redis.call('incrby', 'n', 5)\" 0", ":5\r\n")
	c.expect("EVAL \"return redis.call('get', 'missing')\" 0", "$-1\r\n")
	c.expect("EVAL \"return 1\" -1", "-ERR Number of keys can't be negative\r\n")
	c.expect("EVAL \"return 1\" 2 a", "-ERR Number of keys can't be greater than number of args\r\n")
	c.expect("EVAL \"return 1\" x", "-ERR value is not an integer or out of range\r\n")
	c.expect("EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db 0", "-NOSCRIPT No matching script. Please use EVAL.\r\n")
	c.expect("EVAL \"return 1\" 0", ":1\r\n")
	c.expect("EVALSHA E0E1F9FABFC9D4800C877A703B823AC0578FF8DB 0", ":1\r\n")
	c.expect("EVALSHA ffffffffffffffffffffffffffffffffffffffff 0", "-NOSCRIPT No matching script. Please use EVAL.\r\n")
	c.expect("SCRIPT LOAD \"return 2\"", "$40\r\n7f923f79fe76194c868d7e1d0820de36700eb649\r\n")
	c.expect("SCRIPT EXISTS 7f923f79fe76194c868d7e1d0820de36700eb649 abc", "*2\r\n:1\r\n:0\r\n")
	c.expect("SCRIPT FLUSH x", "-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n")
	c.expect("SCRIPT FLUSH ASYNC", "+OK\r\n")
	c.expect("SCRIPT EXISTS 7f923f79fe76194c868d7e1d0820de36700eb649", "*1\r\n:0\r\n")
	c.expect("SCRIPT KILL", "-NOTBUSY No scripts in execution right now.\r\n")
	c.expectPrefix("SCRIPT HELP", "*17\r\n+SCRIPT <subcommand>")
}

func TestEvalErrors(t *testing.T) {
	c := newTestClient(t)
	c.expect("SET s str", "+OK\r\n")
	cases := []struct{ body, want string }{
		{"return redis.call('nosuch')", "ERR Unknown Redis command called from script"},
		{"return redis.call('get')", "ERR Wrong number of args calling Redis command from script"},
		{"return redis.call('multi')", "ERR This Redis command is not allowed from script"},
		{"return redis.call('eval', 'return 1', 0)", "ERR This Redis command is not allowed from script"},
		{"return redis.call('lpush', 's', 'x')", "WRONGTYPE Operation against a key holding the wrong kind of value"},
		{"return redis.call('client', 'nosuch')", "ERR Unknown Redis command called from script"},
	}
	for _, tc := range cases {
		sha := sha1hex(tc.body)
		c.expect("EVAL \""+tc.body+"\" 0", "-"+tc.want+" script: "+sha+", on @user_script:1.\r\n")
	}
	c.expect("EVAL \"return redis.pcall('lpush', 's', 'x')\" 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("EVAL_RO \"return redis.call('set', 'a', 'b')\" 0",
		"-ERR Write commands are not allowed from read-only scripts. script: "+sha1hex("return redis.call('set', 'a', 'b')")+", on @user_script:1.\r\n")
	c.expect("EVAL_RO \"#!lua\nreturn 1\" 0", "-ERR Can not execute a script with write flag using *_ro command.\r\n")
	c.expect("EVAL_RO \"#!lua flags=no-writes\nreturn redis.call('get', 's')\" 0", "$3\r\nstr\r\n")
	c.expect("EVAL \"#!lua flags=no-writes\nreturn redis.call('del', 's')\" 0",
		"-ERR Write commands are not allowed from read-only scripts. script: "+sha1hex("#!lua flags=no-writes\nreturn redis.call('del', 's')")+", on @user_script:2.\r\n")
	c.expect("EVAL \"#!lua\" 0", "-ERR Invalid script shebang\r\n")
	c.expectPrefix("EVAL \"return 1+\" 0", "-ERR Error compiling script (new function): user_script")
	c.expect("EVAL \"return redis.call('xread', 'block', 0, 'streams', 'nostream', '$')\" 0",
		"-ERR xread command is not allowed with BLOCK option from scripts script: "+sha1hex("return redis.call('xread', 'block', 0, 'streams', 'nostream', '$')")+", on @user_script:1.\r\n")
}

func sha1hex(s string) string {
	return scriptsSHA1Hex(s)
}

func TestEvalSelectStaysInScript(t *testing.T) {
	c := newTestClient(t)
	c.expect("EVAL \"redis.call('select', 3) return redis.call('set', 'k', 'db3')\" 0", "+OK\r\n")
	c.expect("GET k", "$-1\r\n")
	c.expect("SELECT 3", "+OK\r\n")
	c.expect("GET k", "$3\r\ndb3\r\n")
}

func TestEvalRESP3(t *testing.T) {
	c := newTestClient(t)
	c.expect("HSET h f v", ":1\r\n")
	c.expect("EVAL \"redis.setresp(3) return redis.call('hgetall', 'h')\" 0", "*2\r\n$1\r\nf\r\n$1\r\nv\r\n")
	c.do("HELLO 3")
	c.expect("EVAL \"redis.setresp(3) return redis.call('hgetall', 'h')\" 0", "%1\r\n$1\r\nf\r\n$1\r\nv\r\n")
	c.expect("EVAL \"return redis.call('hgetall', 'h')\" 0", "*2\r\n$1\r\nf\r\n$1\r\nv\r\n")
	c.expect("EVAL \"return false\" 0", "_\r\n")
}

func TestEvalInsideMulti(t *testing.T) {
	c := newTestClient(t)
	c.expect("MULTI", "+OK\r\n")
	c.expect("EVAL \"return redis.call('incr', 'x')\" 0", "+QUEUED\r\n")
	c.expect("INCR x", "+QUEUED\r\n")
	c.expect("EXEC", "*2\r\n:1\r\n:2\r\n")
}

func TestScriptBusyAndKill(t *testing.T) {
	srv := newTestServer(t, "--busy-reply-threshold", "50")
	a := srv.testClient(t)
	b := srv.testClient(t)
	done := make(chan string, 1)
	go func() { done <- a.do("EVAL \"while true do end\" 0") }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := b.do("PING")
		if strings.HasPrefix(got, "-BUSY") {
			if got != "-"+errBusyScript+"\r\n" {
				t.Fatalf("busy reply %q", got)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("never busy: %q", got)
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.expect("SCRIPT KILL", "+OK\r\n")
	select {
	case got := <-done:
		want := "-ERR Script killed by user with SCRIPT KILL... script: " + sha1hex("while true do end") + ", on @user_script:1.\r\n"
		if got != want {
			t.Fatalf("killed script replied %q", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("SCRIPT KILL did not stop the script")
	}
	b.expect("PING", "+PONG\r\n")

	// A script that wrote cannot be killed. It runs for 400 ms by the
	// server's clock (TIME's seconds and microseconds), well past
	// busy-reply-threshold.
	go func() {
		done <- a.do("EVAL \"redis.call('set', 'w', 1) local function now() local t = redis.call('time') return tonumber(t[1]) * 1000000 + tonumber(t[2]) end local t0 = now() while now() - t0 < 400000 do end return 'done'\" 0")
	}()
	deadline = time.Now().Add(5 * time.Second)
	for srv.busyRun() == nil {
		if time.Now().After(deadline) {
			t.Fatal("the writing script never became busy")
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.expect("SCRIPT KILL", "-"+errUnkillable+"\r\n")
	select {
	case got := <-done:
		if got != "$4\r\ndone\r\n" {
			t.Fatalf("unkillable script replied %q", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the unkillable script did not finish")
	}
}

func TestEvalPropagatesEffectsAsTransaction(t *testing.T) {
	c := newTestClient(t)
	rec := &streamRecorder{}
	c.srv.ks.Stream.AddSink(rec)
	c.expect("SET warm up", "+OK\r\n") // the stream's first SELECT
	rec.take()
	c.expect("EVAL \"redis.call('set', 'a', '1') redis.call('incr', 'a') return redis.call('get', 'a')\" 0", "$1\r\n2\r\n")
	want := resp("MULTI") + resp("set", "a", "1") + resp("incr", "a") + resp("EXEC")
	if got := rec.take(); got != want {
		t.Errorf("effects\n got %q\nwant %q", got, want)
	}
	// A script that writes nothing propagates nothing.
	c.expect("EVAL \"return redis.call('get', 'a')\" 0", "$1\r\n2\r\n")
	if got := rec.take(); got != "" {
		t.Errorf("read-only script propagated %q", got)
	}
	// Inside MULTI/EXEC, one transaction wraps everything.
	c.expect("MULTI", "+OK\r\n")
	c.expect("EVAL \"return redis.call('incr', 'a')\" 0", "+QUEUED\r\n")
	c.expect("INCR a", "+QUEUED\r\n")
	c.expect("EXEC", "*2\r\n:3\r\n:4\r\n")
	want = resp("MULTI") + resp("incr", "a") + resp("INCR", "a") + resp("EXEC")
	if got := rec.take(); got != want {
		t.Errorf("EXEC effects\n got %q\nwant %q", got, want)
	}
}

func TestEvalWatchInvalidation(t *testing.T) {
	srv := newTestServer(t)
	a, b := srv.testClient(t), srv.testClient(t)
	a.expect("WATCH w", "+OK\r\n")
	b.expect("EVAL \"return redis.call('set', 'w', 'x')\" 0", "+OK\r\n")
	a.expect("MULTI", "+OK\r\n")
	a.expect("GET w", "+QUEUED\r\n")
	a.expect("EXEC", "*-1\r\n")
}

func TestScriptingInfoMemory(t *testing.T) {
	c := newTestClient(t)
	c.expect("SCRIPT LOAD \"return 1\"", "$40\r\ne0e1f9fabfc9d4800c877a703b823ac0578ff8db\r\n")
	c.expect("SCRIPT LOAD \"return 2\"", "$40\r\n7f923f79fe76194c868d7e1d0820de36700eb649\r\n")
	c.expect("FUNCTION LOAD \"#!lua name=l\nredis.register_function('f', function() return 1 end) redis.register_function('g', function() return 1 end)\"", "$1\r\nl\r\n")
	info := c.do("INFO memory")
	for _, want := range []string{"number_of_cached_scripts:2\r\n", "number_of_functions:2\r\n", "number_of_libraries:1\r\n"} {
		if !strings.Contains(info, want) {
			t.Errorf("INFO memory lacks %q", want)
		}
	}
	for _, field := range []string{"used_memory_lua:", "used_memory_scripts_eval:", "used_memory_vm_functions:", "used_memory_scripts:"} {
		i := strings.Index(info, field)
		if i < 0 || strings.HasPrefix(info[i+len(field):], "0\r\n") {
			t.Errorf("INFO memory field %s missing or zero", field)
		}
	}
	c.expect("SCRIPT FLUSH", "+OK\r\n")
	if info := c.do("INFO memory"); !strings.Contains(info, "number_of_cached_scripts:0\r\n") {
		t.Error("SCRIPT FLUSH left scripts counted")
	}
}

func TestEvalOutOfMemory(t *testing.T) {
	c := newTestClient(t)
	c.expect("SET a b", "+OK\r\n")
	c.expect("CONFIG SET maxmemory 1", "+OK\r\n")
	body := "return redis.call('set','a','b')"
	c.expect("EVAL \""+body+"\" 0", "-OOM command not allowed when used memory > 'maxmemory'. script: "+sha1hex(body)+", on @user_script:1.\r\n")
	c.expect("EVAL \"return redis.pcall('set','a','b')\" 0", "-OOM command not allowed when used memory > 'maxmemory'.\r\n")
	c.expect("EVAL \"return redis.call('get','a')\" 0", "$1\r\nb\r\n")
	c.expect("EVAL \"#!lua\nreturn 1\" 0", "-OOM command not allowed when used memory > 'maxmemory'.\r\n")
	c.expect("EVAL \"#!lua flags=no-writes\nreturn 1\" 0", ":1\r\n")
	c.expect("EVAL \"#!lua flags=allow-oom\nreturn redis.call('set','a','c')\" 0", "+OK\r\n")
	c.expect("CONFIG SET maxmemory 0", "+OK\r\n")
	c.expect("EVAL \""+body+"\" 0", "+OK\r\n")
}

// Errors are counted once in errorstats, as Redis counts them.
func TestEvalErrorStats(t *testing.T) {
	c := newTestClient(t)
	c.do("SET s x")
	c.do("EVAL \"return redis.call('nosuch')\" 0")
	c.do("EVAL \"return redis.pcall('nosuch')\" 0")
	c.do("EVAL \"return redis.call('lpush','s','x')\" 0")
	c.do("EVAL \"return redis.error_reply('MY x')\" 0")
	c.do("EVAL \"error('x')\" 0")
	info := c.do("INFO errorstats")
	for _, want := range []string{"errorstat_ERR:count=3\r\n", "errorstat_MY:count=1\r\n", "errorstat_WRONGTYPE:count=1\r\n"} {
		if !strings.Contains(info, want) {
			t.Errorf("INFO errorstats lacks %q:\n%s", want, info)
		}
	}
}

// Keys a script reads are tracked for the client that ran it.
func TestEvalReadsAreTracked(t *testing.T) {
	s := newTestServer(t)
	c := s.testClient(t)
	c.do("hello 3")
	c.expect("client tracking on", "+OK\r\n")
	c.expect("EVAL \"return redis.call('mget', 'ta', 'tb')\" 0", "*2\r\n_\r\n_\r\n")
	if keys, _, _ := s.trackingTotals(); keys != 2 {
		t.Fatalf("tracking table holds %d keys after the script, want 2", keys)
	}
}

// Commands a script runs fire keyspace notifications like any other.
func TestEvalKeyspaceNotifications(t *testing.T) {
	c := newTestClient(t)
	n := captureNotifications(c.srv)
	c.expect("EVAL \"redis.call('set', 'k', 'v') redis.call('select', 2) return redis.call('lpush', 'l', 'x')\" 0", ":1\r\n")
	got := n.take()
	// "new" events are on (captureNotifications enables every class).
	if strings.Join(got, " ") != "0:set:k 2:new:l 2:lpush:l" {
		t.Fatalf("events %q", got)
	}
}
