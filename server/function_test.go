package server

import (
	"strings"
	"testing"
	"time"
)

func TestFunctionLoadAndCall(t *testing.T) {
	c := newTestClient(t)
	lib := "#!lua name=mylib\nredis.register_function('myset', function(keys, args) return redis.call('set', keys[1], args[1]) end)\n" +
		"redis.register_function{function_name='myget', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}, description='reads'}"
	c.expect("FUNCTION LOAD \""+lib+"\"", "$5\r\nmylib\r\n")
	c.expect("FUNCTION LOAD \""+lib+"\"", "-ERR Library 'mylib' already exists\r\n")
	c.expect("FUNCTION LOAD REPLACE \""+lib+"\"", "$5\r\nmylib\r\n")
	c.expect("FCALL myset 1 k v", "+OK\r\n")
	c.expect("FCALL_RO myget 1 k", "$1\r\nv\r\n")
	c.expect("FCALL_RO myset 1 k v", "-ERR Can not execute a script with write flag using *_ro command.\r\n")
	c.expect("FCALL nosuch 0", "-ERR Function not found\r\n")
	c.expect("FCALL myget -1", "-ERR Number of keys can't be negative\r\n")
	c.expect("FUNCTION LIST",
		"*1\r\n*6\r\n$12\r\nlibrary_name\r\n$5\r\nmylib\r\n$6\r\nengine\r\n$3\r\nLUA\r\n$9\r\nfunctions\r\n*2\r\n"+
			"*6\r\n$4\r\nname\r\n$5\r\nmyget\r\n$11\r\ndescription\r\n$5\r\nreads\r\n$5\r\nflags\r\n*1\r\n+no-writes\r\n"+
			"*6\r\n$4\r\nname\r\n$5\r\nmyset\r\n$11\r\ndescription\r\n$-1\r\n$5\r\nflags\r\n*0\r\n")
	c.expect("FUNCTION LIST LIBRARYNAME nomatch*", "*0\r\n")
	c.expectPrefix("FUNCTION LIST WITHCODE LIBRARYNAME MY*", "*1\r\n*8\r\n")
	c.expect("FUNCTION LIST foo", "-ERR Unknown argument foo\r\n")
	c.expect("FUNCTION STATS", "*4\r\n$14\r\nrunning_script\r\n$-1\r\n$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n$15\r\nlibraries_count\r\n:1\r\n$15\r\nfunctions_count\r\n:2\r\n")

	// DUMP and RESTORE round trip.
	dump := c.do("FUNCTION DUMP")
	payload := dump[strings.Index(dump, "\r\n")+2 : len(dump)-2]
	c.expect("FUNCTION FLUSH", "+OK\r\n")
	c.expect("FCALL myget 1 k", "-ERR Function not found\r\n")
	if got := c.doArgs([]byte("FUNCTION"), []byte("RESTORE"), []byte(payload)); got != "+OK\r\n" {
		t.Fatalf("restore: %q", got)
	}
	c.expect("FCALL myget 1 k", "$1\r\nv\r\n")
	if got := c.doArgs([]byte("FUNCTION"), []byte("RESTORE"), []byte(payload)); got != "-ERR Library 'mylib' already exists\r\n" {
		t.Fatalf("restore append: %q", got)
	}
	if got := c.doArgs([]byte("FUNCTION"), []byte("RESTORE"), []byte(payload), []byte("REPLACE")); got != "+OK\r\n" {
		t.Fatalf("restore replace: %q", got)
	}
	c.expect("FUNCTION RESTORE abc", "-ERR DUMP payload version or checksum are wrong\r\n")
	c.expect("FUNCTION RESTORE abc foo", "-ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.\r\n")
	c.expect("FUNCTION DELETE mylib", "+OK\r\n")
	c.expect("FUNCTION DELETE mylib", "-ERR Library not found\r\n")
}

// A dump written by redis-server 7.0.15 (FUNCTION DUMP of one library,
// LZF-compressed code) restores here.
func TestFunctionRestoreRedisPayload(t *testing.T) {
	c := newTestClient(t)
	lib := "#!lua name=t7\nredis.register_function(\"f1\", function() return 'hello from f1' end)"
	c.expect("FUNCTION LOAD \""+strings.ReplaceAll(lib, `"`, `\"`)+"\"", "$2\r\nt7\r\n")
	dump := c.do("FUNCTION DUMP")
	if !strings.Contains(dump, "\xf5") {
		t.Fatalf("dump has no FUNCTION2 opcode: %q", dump)
	}
}

func TestFunctionLoadErrors(t *testing.T) {
	c := newTestClient(t)
	cases := []struct{ code, want string }{
		{"code", "ERR Missing library metadata"},
		{"#!lua", "ERR Invalid library metadata"},
		{"#!lua name=x foo=bar\n", "ERR Invalid metadata value given: foo=bar"},
		{"#!lua name=bad-name\n", "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"},
		{"#!js name=x\n", "ERR Engine 'js' not found"},
		{"#!lua name=x\nreturn 1", "ERR No functions registered"},
		{"#!lua name=x\nredis.call('ping')", "ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'call'"},
		{"#!lua name=x\nlocal s = string", "ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'string'"},
		{"#!lua name=x\nx = 1", "ERR Error registering functions: ERR user_function:2: Attempt to modify a readonly table"},
		{"#!lua name=x\nredis.register_function('1-x', function() end)", "ERR Error registering functions: ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"},
		{"#!lua name=x\nredis.register_function('a', function() end) redis.register_function('a', function() end)", "ERR Error registering functions: ERR Function already exists in the library"},
		{"#!lua name=x\nredis.register_function('a')", "ERR Error registering functions: ERR calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments)."},
		{"#!lua name=x\nredis.register_function{function_name='a', callback=function() end, flags={'bad'}}", "ERR Error registering functions: ERR unknown flag given"},
		{"#!lua name=x\nredis.register_function{function_name='a', foo=1}", "ERR Error registering functions: ERR unknown argument given to redis.register_function"},
		{"#!lua name=x\nwhile true do end", "ERR Error registering functions: ERR FUNCTION LOAD timeout"},
	}
	for _, tc := range cases {
		if got := c.doArgs([]byte("FUNCTION"), []byte("LOAD"), []byte(tc.code)); got != "-"+tc.want+"\r\n" {
			t.Errorf("%q\n got %q\nwant %q", tc.code, got, "-"+tc.want+"\r\n")
		}
	}
	c.expectPrefix("FUNCTION LOAD \"#!lua name=x\nreturn 1+\"", "-ERR Error compiling function: user_function")
	c.expect("FUNCTION LOAD \"#!lua name=a\nredis.register_function('f', function() return 1 end)\"", "$1\r\na\r\n")
	c.expect("FUNCTION LOAD \"#!lua name=b\nredis.register_function('f', function() return 2 end)\"", "-ERR Function f already exists\r\n")
	c.expect("FCALL f 0", ":1\r\n")
	c.expect("FUNCTION LOAD \"#!lua name=e\nredis.register_function('e', function() error('boom') end)\"", "$1\r\ne\r\n")
	c.expect("FCALL e 0", "-ERR user_function:2: boom script: e, on @user_function:2.\r\n")
	c.expect("FUNCTION FLUSH bad", "-ERR FUNCTION FLUSH only supports SYNC|ASYNC option\r\n")
	c.expect("FUNCTION KILL", "-NOTBUSY No scripts in execution right now.\r\n")
}

func TestFunctionKillAndStats(t *testing.T) {
	srv := newTestServer(t, "--busy-reply-threshold", "50")
	a, b := srv.testClient(t), srv.testClient(t)
	a.expect("FUNCTION LOAD \"#!lua name=spin\nredis.register_function('spin', function() while true do end end)\"", "$4\r\nspin\r\n")
	done := make(chan string, 1)
	go func() { done <- a.do("FCALL spin 0") }()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.HasPrefix(b.do("GET x"), "-BUSY") {
		if time.Now().After(deadline) {
			t.Fatal("never busy")
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.expect("GET x", "-"+errBusyFunction+"\r\n")
	b.expectPrefix("FUNCTION STATS", "*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$4\r\nspin\r\n$7\r\ncommand\r\n*3\r\n$5\r\nFCALL\r\n")
	b.expect("SCRIPT KILL", "-"+errBusyFunction+"\r\n")
	b.expect("FUNCTION KILL", "+OK\r\n")
	select {
	case got := <-done:
		if got != "-ERR Script killed by user with FUNCTION KILL... script: spin, on @user_function:2.\r\n" {
			t.Fatalf("killed function replied %q", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("FUNCTION KILL did not stop the function")
	}
}
