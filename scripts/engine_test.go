package scripts

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// fakeExec answers a few commands the way the server would.
type fakeExec struct {
	calls [][]string
	logs  []string
}

func (f *fakeExec) Call(args [][]byte, resp int) ([]byte, error) {
	s := make([]string, len(args))
	for i, a := range args {
		s[i] = string(a)
	}
	f.calls = append(f.calls, s)
	switch strings.ToLower(s[0]) {
	case "nosuch":
		return nil, errors.New("Unknown Redis command called from script")
	case "ping":
		return []byte("+PONG\r\n"), nil
	case "echo":
		return []byte("$" + itoa(len(s[1])) + "\r\n" + s[1] + "\r\n"), nil
	case "incr":
		return []byte(":7\r\n"), nil
	case "get":
		return []byte("$-1\r\n"), nil
	case "lrange":
		return []byte("*3\r\n$1\r\na\r\n$-1\r\n$1\r\nc\r\n"), nil
	case "wrong":
		return []byte("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"), nil
	case "hgetall":
		if resp == 3 {
			return []byte("%1\r\n$1\r\nf\r\n$1\r\nv\r\n"), nil
		}
		return []byte("*2\r\n$1\r\nf\r\n$1\r\nv\r\n"), nil
	case "double":
		return []byte(",1.5\r\n"), nil
	}
	return []byte("+OK\r\n"), nil
}

func (f *fakeExec) Log(level int, msg string) { f.logs = append(f.logs, itoa(level)+" "+msg) }

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	if neg {
		b = append([]byte{'-'}, b...)
	}
	return string(b)
}

func evalScript(t *testing.T, e *Eval, body string, resp int, keys, args []string) string {
	t.Helper()
	sc, err := e.Load(body)
	if err != nil {
		return "-" + err.Error() + "\r\n"
	}
	toBytes := func(ss []string) [][]byte {
		out := make([][]byte, len(ss))
		for i, s := range ss {
			out[i] = []byte(s)
		}
		return out
	}
	return string(e.Run(&Run{Exec: &fakeExec{}, Keys: toBytes(keys), Args: toBytes(args), Resp: resp}, sc))
}

func TestEvalReplies(t *testing.T) {
	e := NewEval()
	sha := func(body string) string { return SHA1Hex(body) }
	cases := []struct {
		body string
		resp int
		want string
	}{
		{"return 1", 2, ":1\r\n"},
		{"return 3.99", 2, ":3\r\n"},
		{"return -3.99", 2, ":-3\r\n"},
		{"return 'x'", 2, "$1\r\nx\r\n"},
		{"return true", 2, ":1\r\n"},
		{"return false", 2, "$-1\r\n"},
		{"return false", 3, "_\r\n"},
		{"return nil", 2, "$-1\r\n"},
		{"return {1,2,nil,4}", 2, "*2\r\n:1\r\n:2\r\n"},
		{"return {1,'a',{true,false}}", 2, "*3\r\n:1\r\n$1\r\na\r\n*2\r\n:1\r\n$-1\r\n"},
		{"return {ok='fine'}", 2, "+fine\r\n"},
		{"return {err='MY bad\\nthing'}", 2, "-MY bad thing\r\n"},
		{"return redis.error_reply('oops')", 2, "-ERR oops\r\n"},
		{"return redis.error_reply('-CODE x')", 2, "-CODE x\r\n"},
		{"return redis.status_reply('FINE')", 2, "+FINE\r\n"},
		{"return redis.status_reply(1)", 2, "-ERR wrong number or type of arguments\r\n"},
		{"return KEYS[1]..ARGV[1]", 2, "$2\r\nka\r\n"},
		{"return redis.call('ping')", 2, "+PONG\r\n"},
		{"return redis.call('incr','x')", 2, ":7\r\n"},
		{"return redis.call('get','x')", 2, "$-1\r\n"},
		{"return redis.call('lrange','x',0,-1)", 2, "*3\r\n$1\r\na\r\n$-1\r\n$1\r\nc\r\n"},
		{"return redis.pcall('wrong')", 2, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"return redis.sha1hex('')", 2, "$40\r\nda39a3ee5e6b4b0d3255bfef95601890afd80709\r\n"},
		{"return redis.REDIS_VERSION_NUM", 2, ":458767\r\n"},
		{"redis.setresp(3) return redis.call('hgetall','h')", 3, "%1\r\n$1\r\nf\r\n$1\r\nv\r\n"},
		{"redis.setresp(3) return redis.call('hgetall','h')", 2, "*2\r\n$1\r\nf\r\n$1\r\nv\r\n"},
		{"redis.setresp(3) return redis.call('double')", 3, ",1.5\r\n"},
		{"redis.setresp(3) return redis.call('double')", 2, "$3\r\n1.5\r\n"},
		{"redis.setresp(3) return true", 3, "#t\r\n"},
		{"redis.setresp(3) return false", 2, ":0\r\n"},
		{"return {double=0.1}", 3, ",0.10000000000000001\r\n"},
		{"return {big_number='123'}", 3, "(123\r\n"},
		{"return {verbatim_string={format='txt',string='hi'}}", 3, "=6\r\ntxt:hi\r\n"},
		{"return {map={a=1}}", 3, "%1\r\n$1\r\na\r\n:1\r\n"},
		{"return {set={a=true}}", 3, "~1\r\n$1\r\na\r\n"},
		{"return tostring(1/3)", 2, "$16\r\n0.33333333333333\r\n"},
		{"return math.random(1000000)", 2, ":396465\r\n"},
		{"return type(bit)", 2, "$5\r\ntable\r\n"},
		{"local ok, e = pcall(redis.call, 'nosuch') return e", 2, "$44\r\nERR Unknown Redis command called from script\r\n"},
		{"error('x')", 2, "-ERR user_script:1: x script: " + sha("error('x')") + ", on @user_script:1.\r\n"},
		{"\nreturn redis.call('nosuch')", 2, "-ERR Unknown Redis command called from script script: " + sha("\nreturn redis.call('nosuch')") + ", on @user_script:2.\r\n"},
		{"return redis.call('wrong')", 2, "-WRONGTYPE Operation against a key holding the wrong kind of value script: " + sha("return redis.call('wrong')") + ", on @user_script:1.\r\n"},
		{"return redis.call()", 2, "-ERR Please specify at least one argument for this redis lib call script: " + sha("return redis.call()") + ", on @user_script:1.\r\n"},
		{"return redis.call({})", 2, "-ERR Lua redis lib command arguments must be strings or integers script: " + sha("return redis.call({})") + ", on @user_script:1.\r\n"},
		{"return foo", 2, "-ERR user_script:1: Script attempted to access nonexistent global variable 'foo' script: " + sha("return foo") + ", on @user_script:1.\r\n"},
		{"foo = 1", 2, "-ERR user_script:1: Attempt to modify a readonly table script: " + sha("foo = 1") + ", on @user_script:1.\r\n"},
		{"redis.call = nil", 2, "-ERR user_script:1: Attempt to modify a readonly table script: " + sha("redis.call = nil") + ", on @user_script:1.\r\n"},
		{"return error(true)", 2, "-ERR true script: " + sha("return error(true)") + ", on @user_script:1.\r\n"},
		{"redis.setresp(4)", 2, "-ERR RESP version must be 2 or 3. script: " + sha("redis.setresp(4)") + ", on @user_script:1.\r\n"},
		{"return print", 2, "-ERR user_script:1: Script attempted to access nonexistent global variable 'print' script: " + sha("return print") + ", on @user_script:1.\r\n"},
		{"return loadfile", 2, "-ERR user_script:1: Script attempted to access nonexistent global variable 'loadfile' script: " + sha("return loadfile") + ", on @user_script:1.\r\n"},
		{"local t = {} t[1] = t return t", 2, ""},
		{"#!lua flags=no-writes\nreturn 1", 2, ":1\r\n"},
		{"#!lua flags=bad\nreturn 1", 2, "-ERR Unexpected flag in script shebang: bad\r\n"},
		{"#!python\nreturn 1", 2, "-ERR Unexpected engine in script shebang: #!python\r\n"},
		{"#!lua", 2, "-ERR Invalid script shebang\r\n"},
	}
	for _, c := range cases {
		got := evalScript(t, e, c.body, c.resp, []string{"k"}, []string{"a"})
		if c.want == "" {
			if !strings.Contains(got, "-ERR reached lua stack limit") {
				t.Errorf("%q: got %.80q", c.body, got)
			}
			continue
		}
		if got != c.want {
			t.Errorf("%q (resp %d)\n got %q\nwant %q", c.body, c.resp, got, c.want)
		}
	}
}

func TestEvalCompileError(t *testing.T) {
	e := NewEval()
	_, err := e.Load("return 1+")
	if err == nil || !strings.HasPrefix(err.Error(), "ERR Error compiling script (new function): user_script") {
		t.Fatalf("got %v", err)
	}
}

func TestEvalCacheAndFlush(t *testing.T) {
	e := NewEval()
	sc, err := e.Load("return 1")
	if err != nil {
		t.Fatal(err)
	}
	if sc.SHA != "e0e1f9fabfc9d4800c877a703b823ac0578ff8db" {
		t.Fatalf("sha %s", sc.SHA)
	}
	if !e.Exists(strings.ToUpper(sc.SHA)) {
		t.Fatal("not cached")
	}
	if n, b := e.Stats(); n != 1 || b != 8 {
		t.Fatalf("stats %d %d", n, b)
	}
	e.Flush()
	if e.Exists(sc.SHA) {
		t.Fatal("flush kept the script")
	}
}

func TestEvalLogAndArgs(t *testing.T) {
	e := NewEval()
	sc, _ := e.Load("redis.log(redis.LOG_WARNING, 'hello', 1.5, 'x') return redis.call('echo', 0.1, 3)")
	ex := &fakeExec{}
	got := string(e.Run(&Run{Exec: ex, Resp: 2}, sc))
	if got != "$19\r\n0.10000000000000001\r\n" {
		t.Fatalf("got %q", got)
	}
	if len(ex.logs) != 1 || ex.logs[0] != "3 hello 1.5 x" {
		t.Fatalf("logs %q", ex.logs)
	}
	if len(ex.calls) != 1 || ex.calls[0][2] != "3" {
		t.Fatalf("calls %q", ex.calls)
	}
}

func TestEvalKill(t *testing.T) {
	e := NewEval()
	sc, _ := e.Load("while true do pcall(function() end) end")
	done := make(chan string)
	go func() { done <- string(e.Run(&Run{Exec: &fakeExec{}, Resp: 2}, sc)) }()
	deadline := time.Now().Add(5 * time.Second)
	for !e.Kill() {
		if time.Now().After(deadline) {
			t.Fatal("script never started")
		}
		time.Sleep(time.Millisecond)
	}
	select {
	case got := <-done:
		want := "-ERR Script killed by user with SCRIPT KILL... script: " + sc.SHA + ", on @user_script:1.\r\n"
		if got != want {
			t.Fatalf("got %q want %q", got, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("kill did not stop the script")
	}
	if e.Kill() {
		t.Fatal("Kill with no script running")
	}
}
