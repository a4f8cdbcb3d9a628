package server

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestClientIDNameAndInfoAttributes(t *testing.T) {
	c := newTestClient(t)
	c.expect("client id", ":"+strconv.FormatInt(c.c.id, 10)+"\r\n")
	c.expect("client id x", "-ERR wrong number of arguments for 'client|id' command\r\n")
	c.expect("client", "-ERR wrong number of arguments for 'client' command\r\n")
	c.expect("client foo", "-ERR unknown subcommand 'foo'. Try CLIENT HELP.\r\n")

	c.expect("client getname", "$-1\r\n")
	c.expect("client setname foo", "+OK\r\n")
	c.expect("client getname", "$3\r\nfoo\r\n")
	c.expect(`client setname "a b"`, "-ERR Client names cannot contain spaces, newlines or special characters.\r\n")
	c.expect(`client setname "a\nb"`, "-ERR Client names cannot contain spaces, newlines or special characters.\r\n")
	c.expect("client getname", "$3\r\nfoo\r\n")
	c.expect(`client setname ""`, "+OK\r\n")
	c.expect("client getname", "$-1\r\n")
	c.expect("client setname a b", "-ERR wrong number of arguments for 'client|setname' command\r\n")

	c.expect("client setinfo lib-name redis-py", "+OK\r\n")
	c.expect("client setinfo LIB-VER 1.2.3", "+OK\r\n")
	c.expect("client setinfo foo bar", "-ERR Unrecognized option 'foo'\r\n")
	c.expect(`client setinfo lib-name "a b"`, "-ERR lib-name cannot contain spaces, newlines or special characters.\r\n")
	c.expect(`client setinfo LIB-VER "1\n"`, "-ERR LIB-VER cannot contain spaces, newlines or special characters.\r\n")
	c.expect("client setinfo lib-name", "-ERR wrong number of arguments for 'client|setinfo' command\r\n")
	info := bulkBody(t, c.do("client info"))
	if !strings.Contains(info, " lib-name=redis-py lib-ver=1.2.3\n") {
		t.Errorf("client info lacks lib-name/lib-ver: %q", info)
	}
	c.expect(`client setinfo lib-ver ""`, "+OK\r\n")
	if info := bulkBody(t, c.do("client info")); !strings.HasSuffix(info, " lib-name=redis-py lib-ver=\n") {
		t.Errorf("empty lib-ver not cleared: %q", info)
	}
}

func TestClientModes(t *testing.T) {
	c := newTestClient(t)
	for _, sub := range []string{"no-evict", "no-touch"} {
		c.expect("client "+sub+" on", "+OK\r\n")
		c.expect("client "+sub+" OFF", "+OK\r\n")
		c.expect("client "+sub+" maybe", "-ERR syntax error\r\n")
		c.expect("client "+sub, "-ERR wrong number of arguments for 'client|"+sub+"' command\r\n")
	}
	c.expect("client no-evict on", "+OK\r\n")
	c.expect("client no-touch on", "+OK\r\n")
	if !c.c.noTouch || !c.c.noEvict {
		t.Fatal("NO-TOUCH/NO-EVICT did not set the client's modes")
	}
	if info := bulkBody(t, c.do("client info")); !strings.Contains(info, " flags=eT ") {
		t.Errorf("flags: %q", info)
	}

	// CLIENT REPLY: the connection loop drops replies; only ON answers.
	c.expect("client reply off", "")
	c.expect("ping", "")
	c.expect("set k v", "")
	c.expect("client reply on", "+OK\r\n")
	c.expect("get k", "$1\r\nv\r\n")
	c.expect("client reply skip", "")
	c.expect("ping", "")
	c.expect("ping", "+PONG\r\n")
	c.expect("client reply maybe", "-ERR syntax error\r\n")
	c.expect("client reply", "-ERR wrong number of arguments for 'client|reply' command\r\n")
}

func TestClientHelp(t *testing.T) {
	c := newTestClient(t)
	got := c.do("client help")
	if !strings.HasPrefix(got, "*45\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+GETNAME\r\n") {
		t.Errorf("client help: %q", got)
	}
	if !strings.Contains(got, "+NO-TOUCH (ON|OFF)\r\n+    Will not touch LRU/LFU stats when this mode is on.\r\n+HELP\r\n") {
		t.Errorf("client help lacks NO-TOUCH: %q", got)
	}
}

// clientInfoFields are Redis 7.2's CLIENT LIST fields, in order.
var clientInfoFields = []string{"id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub", "ssub",
	"multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll", "omem", "tot-mem", "events", "cmd",
	"user", "redir", "resp", "lib-name", "lib-ver"}

// parseClientLine splits a CLIENT LIST line into its fields, checking their
// names and order.
func parseClientLine(t *testing.T, line string) map[string]string {
	t.Helper()
	parts := strings.Split(line, " ")
	if len(parts) != len(clientInfoFields) {
		t.Fatalf("client line has %d fields, want %d: %q", len(parts), len(clientInfoFields), line)
	}
	m := make(map[string]string)
	for i, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k != clientInfoFields[i] {
			t.Fatalf("field %d of %q is %q, want %s=", i, line, p, clientInfoFields[i])
		}
		m[k] = v
	}
	return m
}

func TestClientInfoLine(t *testing.T) {
	c := newTestClient(t)
	c.expect("client setname me", "+OK\r\n")
	c.expect("select 3", "+OK\r\n")
	raw := c.do("client info")
	body := bulkBody(t, raw)
	if !strings.HasSuffix(body, "\n") || strings.Count(body, "\n") != 1 {
		t.Fatalf("client info is not one line: %q", body)
	}
	f := parseClientLine(t, strings.TrimSuffix(body, "\n"))
	want := map[string]string{
		"id": strconv.FormatInt(c.c.id, 10), "addr": "pipe", "laddr": "pipe", "fd": "-1", "name": "me", "age": "0", "idle": "0",
		"flags": "N", "db": "3", "sub": "0", "psub": "0", "ssub": "0", "multi": "-1", "multi-mem": "0",
		"events": "r", "cmd": "client|info", "user": "default", "redir": "-1", "resp": "2", "lib-name": "", "lib-ver": "",
	}
	for k, v := range want {
		if f[k] != v {
			t.Errorf("%s=%s, want %s (%q)", k, f[k], v, body)
		}
	}

	// Inside EXEC the client is still in MULTI with its queue.
	c.expect("multi", "+OK\r\n")
	c.expect("set k v", "+QUEUED\r\n")
	c.expect("client info", "+QUEUED\r\n")
	got := c.do("exec")
	m := regexp.MustCompile(`flags=(\S+) db=3 sub=0 psub=0 ssub=0 multi=(\d+) `).FindStringSubmatch(got)
	if m == nil || m[1] != "x" || m[2] != "2" {
		t.Errorf("client info in EXEC: %q", got)
	}

	// RESP3: a verbatim string.
	c.do("hello 3")
	raw = c.do("client info")
	if !strings.HasPrefix(raw, "=") || !strings.Contains(raw, "\r\ntxt:id=") || !strings.Contains(raw, " resp=3 ") {
		t.Errorf("client info in RESP3: %q", raw)
	}
}

func TestClientListOthers(t *testing.T) {
	s := newTestServer(t)
	a, b := s.testClient(t), s.testClient(t)
	b.expect("client setname bee", "+OK\r\n")
	b.do("hello 3")
	b.expect("watch w", "+OK\r\n")
	a.expect("set w 1", "+OK\r\n")
	b.expect("multi", "+OK\r\n")
	b.expect("set x 1", "+QUEUED\r\n")
	b.expect("get y", "+QUEUED\r\n")

	body := bulkBody(t, a.do("client list"))
	lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("client list: %q", body)
	}
	fa, fb := parseClientLine(t, lines[0]), parseClientLine(t, lines[1])
	if fa["id"] != strconv.FormatInt(a.c.id, 10) || fb["id"] != strconv.FormatInt(b.c.id, 10) {
		t.Fatalf("clients not in id order: %q", body)
	}
	if fa["cmd"] != "client|list" || fa["flags"] != "N" || fa["multi"] != "-1" {
		t.Errorf("self line: %q", lines[0])
	}
	// x: in MULTI; d: a watched key was touched.
	wantB := map[string]string{"name": "bee", "flags": "xd", "multi": "2", "multi-mem": "9", "resp": "3", "argv-mem": "0"}
	for k, v := range wantB {
		if fb[k] != v {
			t.Errorf("other client %s=%s, want %s (%q)", k, fb[k], v, lines[1])
		}
	}

	id := strconv.FormatInt(b.c.id, 10)
	if got := bulkBody(t, a.do("client list id "+id+" 999999 "+id)); strings.Count(got, "id="+id+" ") != 2 || strings.Count(got, "\n") != 2 {
		t.Errorf("client list id: %q", got)
	}
	if got := bulkBody(t, a.do("client list type NORMAL")); strings.Count(got, "\n") != 2 {
		t.Errorf("client list type normal: %q", got)
	}
	for _, typ := range []string{"master", "replica", "slave", "pubsub"} {
		a.expect("client list type "+typ, "$0\r\n\r\n")
	}
	a.expect("client list type bogus", "-ERR Unknown client type 'bogus'\r\n")
	a.expect("client list id 1 x", "-ERR Invalid client ID\r\n")
	a.expect("client list id", "-ERR syntax error\r\n")
	a.expect("client list foo", "-ERR syntax error\r\n")
	a.expect("client list type normal id 1", "-ERR syntax error\r\n")
}

func TestClientKillErrors(t *testing.T) {
	c := newTestClient(t)
	c.expect("client kill 1.2.3.4:5", "-ERR No such client\r\n")
	c.expect("client kill id", "-ERR No such client\r\n")
	c.expect("client kill id 99999", ":0\r\n")
	c.expect("client kill id 0", "-ERR client-id should be greater than 0\r\n")
	c.expect("client kill id x", "-ERR client-id should be greater than 0\r\n")
	c.expect("client kill foo bar", "-ERR syntax error\r\n")
	c.expect("client kill type normal id", "-ERR syntax error\r\n")
	c.expect("client kill type bogus", "-ERR Unknown client type 'bogus'\r\n")
	c.expect("client kill skipme maybe", "-ERR syntax error\r\n")
	c.expect("client kill user nobody", "-ERR No such user 'nobody'\r\n")
	c.expect("client kill addr 1.1.1.1:1 laddr 2.2.2.2:2", ":0\r\n")
	c.expect("client kill", "-ERR wrong number of arguments for 'client|kill' command\r\n")
	// SKIPME defaults to yes: the only client survives.
	c.expect("client kill type normal", ":0\r\n")
}

// expectClosed checks that the server closed rc's connection.
func expectClosed(t *testing.T, rc *respConn) {
	t.Helper()
	if s, err := rc.read(); err == nil {
		t.Errorf("connection still open, read %q", s)
	}
}

func TestClientKillOverTCP(t *testing.T) {
	s := startVireo(t)
	addr := s.Addr().String()
	a, b, c := dialResp(t, addr), dialResp(t, addr), dialResp(t, addr)
	b.do("client", "setname", "victim")
	idB := strings.TrimSpace(strings.TrimPrefix(b.do("client", "id"), ":"))
	c.do("ping")
	// argv-mem is the size of the running command's arguments.
	if got := bulkBody(t, a.do("client", "info")); !strings.Contains(got, " argv-mem=10 ") {
		t.Errorf("client info over TCP: %q", got)
	}

	if got := a.do("client", "kill", "id", idB); got != ":1\r\n" {
		t.Fatalf("kill by id: %q", got)
	}
	b.send("ping")
	expectClosed(t, b)

	// The old form names the peer address and answers +OK.
	cAddr := c.nc.LocalAddr().String()
	if got := a.do("client", "kill", cAddr); got != "+OK\r\n" {
		t.Fatalf("kill by addr: %q", got)
	}
	c.send("ping")
	expectClosed(t, c)
	if got := a.do("client", "kill", cAddr); got != "-ERR No such client\r\n" {
		t.Errorf("kill of a gone client: %q", got)
	}

	waitFor(t, func() bool { return s.nclients.Load() == 1 })
	if got := bulkBody(t, a.do("client", "list")); strings.Count(got, "\n") != 1 {
		t.Errorf("client list after kills: %q", got)
	}

	// SKIPME no: the caller gets its reply, then is disconnected.
	if got := a.do("client", "kill", "type", "normal", "skipme", "no"); got != ":1\r\n" {
		t.Fatalf("kill self: %q", got)
	}
	expectClosed(t, a)
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 500; i++ {
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("condition not reached")
}

// doAsync runs a command on another goroutine; the reply arrives on the
// channel.
func doAsync(tc *testClient, line string) <-chan string {
	ch := make(chan string, 1)
	go func() { ch <- tc.do(line) }()
	return ch
}

func expectBlocked(t *testing.T, ch <-chan string, what string) {
	t.Helper()
	select {
	case r := <-ch:
		t.Fatalf("%s was not held back by the pause: %q", what, r)
	case <-time.After(100 * time.Millisecond):
	}
}

func expectReply(t *testing.T, ch <-chan string, what, want string) {
	t.Helper()
	select {
	case r := <-ch:
		if r != want {
			t.Errorf("%s: got %q, want %q", what, r, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("%s still held back", what)
	}
}

func TestClientPauseWrite(t *testing.T) {
	s := newTestServer(t)
	a, b, c := s.testClient(t), s.testClient(t), s.testClient(t)
	c.expect("multi", "+OK\r\n")
	c.expect("set q 1", "+QUEUED\r\n")

	a.expect("client pause 100000 write", "+OK\r\n")
	set := doAsync(b, "set k v")
	expectBlocked(t, set, "SET")
	exec := doAsync(c, "exec")
	expectBlocked(t, exec, "EXEC of a transaction with writes")
	// Reads, and commands that write nothing, go on.
	a.expect("get k", "$-1\r\n")
	a.expect("ping", "+PONG\r\n")
	a.expect("multi", "+OK\r\n")
	a.expect("get k", "+QUEUED\r\n")
	a.expect("exec", "*1\r\n$-1\r\n")

	a.expect("client unpause", "+OK\r\n")
	expectReply(t, set, "SET", "+OK\r\n")
	expectReply(t, exec, "EXEC", "*1\r\n+OK\r\n")
	a.expect("get k", "$1\r\nv\r\n")
}

func TestClientPauseAllEndsByItself(t *testing.T) {
	s := newTestServer(t)
	a, b := s.testClient(t), s.testClient(t)
	start := time.Now()
	a.expect("client pause 300", "+OK\r\n")
	ping := doAsync(b, "ping")
	expectBlocked(t, ping, "PING under PAUSE ALL")
	expectReply(t, ping, "PING", "+PONG\r\n")
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("PING ran after %v, before the pause ended", d)
	}
	// The client that paused is paused too.
	a.expect("client pause 50 all", "+OK\r\n")
	t0 := time.Now()
	a.expect("ping", "+PONG\r\n")
	if time.Since(t0) < 30*time.Millisecond {
		t.Error("the pausing client itself was not paused")
	}
}

func TestClientPauseOverlap(t *testing.T) {
	s := newTestServer(t)
	a := s.testClient(t)
	a.expect("client pause 100000 write", "+OK\r\n")
	a.expect("client pause 10 all", "+OK\r\n")
	mode, end, _ := s.pause.current(time.Now())
	if mode != pauseAll || time.Until(end) < time.Minute {
		t.Errorf("overlapping pauses: mode %v, ends in %v; want ALL for the longer time", mode, time.Until(end))
	}
	s.pause.unpause()
	if s.writesPaused() {
		t.Error("still paused after unpause")
	}
}

func TestClientPauseErrors(t *testing.T) {
	c := newTestClient(t)
	c.expect("client pause x", "-ERR timeout is not an integer or out of range\r\n")
	c.expect("client pause -1", "-ERR timeout is negative\r\n")
	c.expect("client pause 10 foo", "-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n")
	c.expect("client pause x foo", "-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n")
	c.expect("client pause 9223372036854775807", "-ERR timeout is out of range\r\n")
	c.expect("client pause", "-ERR wrong number of arguments for 'client|pause' command\r\n")
	c.expect("client pause 1 all x", "-ERR unknown subcommand or wrong number of arguments for 'pause'. Try CLIENT HELP.\r\n")
	c.expect("client pause 0", "+OK\r\n")
	c.expect("ping", "+PONG\r\n")
}

func TestClientKillWhilePaused(t *testing.T) {
	s := newTestServer(t)
	a, b := s.testClient(t), s.testClient(t)
	a.expect("client pause 100000 write", "+OK\r\n")
	set := doAsync(b, "set k v")
	expectBlocked(t, set, "SET")
	a.expect("client kill id "+strconv.FormatInt(b.c.id, 10), ":1\r\n")
	// The killed client's command never runs.
	expectReply(t, set, "SET of a killed client", "")
	a.expect("client unpause", "+OK\r\n")
	a.expect("get k", "$-1\r\n")
}

// A write that passed the pause check but was still waiting for its shard
// lock when a pause began does not run until the pause ends: a pauser that
// then takes every lock (FAILOVER) reads an offset no held-back write can
// move.
func TestPauseCatchesWriteWaitingForItsLock(t *testing.T) {
	s := newTestServer(t)
	a, b := s.testClient(t), s.testClient(t)
	db := s.ks.DB(0)
	idx := s.ks.LockShards([]int{db.ShardIndex([]byte("k"))})
	set := doAsync(b, "set k v")
	time.Sleep(50 * time.Millisecond) // SET is past the pause check, waiting for the lock
	s.pause.holdForFailover(true)
	s.ks.UnlockShards(idx)
	expectBlocked(t, set, "SET that was waiting for its lock")
	s.ks.LockAll() // the pauser's barrier returns with the write still held
	s.ks.UnlockAll()
	a.expect("get k", "$-1\r\n")
	s.pause.holdForFailover(false)
	expectReply(t, set, "SET", "+OK\r\n")
	a.expect("get k", "$1\r\nv\r\n")
}

// The same for EXEC of a transaction with writes, which takes its locks
// itself.
func TestPauseCatchesExecWaitingForItsLocks(t *testing.T) {
	s := newTestServer(t)
	a, b := s.testClient(t), s.testClient(t)
	b.expect("multi", "+OK\r\n")
	b.expect("set k v", "+QUEUED\r\n")
	db := s.ks.DB(0)
	idx := s.ks.LockShards([]int{db.ShardIndex([]byte("k"))})
	exec := doAsync(b, "exec")
	time.Sleep(50 * time.Millisecond) // EXEC is past the pause check, waiting for the lock
	s.pause.holdForFailover(true)
	s.ks.UnlockShards(idx)
	expectBlocked(t, exec, "EXEC that was waiting for its lock")
	a.expect("get k", "$-1\r\n")
	s.pause.holdForFailover(false)
	expectReply(t, exec, "EXEC", "*1\r\n+OK\r\n")
	a.expect("get k", "$1\r\nv\r\n")
}

// Under CLIENT PAUSE WRITE, EVAL and FCALL wait unless the script is
// no-writes or the command is *_RO, as in redis-server 7.0 (a script
// without a shebang may write).
func TestClientPauseWriteHoldsScriptsThatMayWrite(t *testing.T) {
	s := newTestServer(t)
	a := s.testClient(t)
	a.expect("function load \"#!lua name=lib\nredis.register_function('w', function() return 1 end)\nredis.register_function{function_name='r', callback=function() return 2 end, flags={'no-writes'}}\"", "$3\r\nlib\r\n")
	a.expect("client pause 100000 write", "+OK\r\n")
	var held []<-chan string
	for _, line := range []string{"eval \"return 1\" 0", "eval \"#!lua\nreturn redis.call('set','k','v')\" 0", "fcall w 0"} {
		r := doAsync(s.testClient(t), line)
		expectBlocked(t, r, line)
		held = append(held, r)
	}
	a.expect("eval_ro \"return 3\" 0", ":3\r\n")
	a.expect("eval \"#!lua flags=no-writes\nreturn 4\" 0", ":4\r\n")
	a.expect("fcall r 0", ":2\r\n")
	a.expect("fcall_ro r 0", ":2\r\n")
	a.expect("get k", "$-1\r\n")
	a.expect("client unpause", "+OK\r\n")
	for i, want := range []string{":1\r\n", "+OK\r\n", ":1\r\n"} {
		expectReply(t, held[i], "held script", want)
	}
	a.expect("get k", "$1\r\nv\r\n")
}
