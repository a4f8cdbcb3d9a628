package server

import "testing"

func TestDispatchErrors(t *testing.T) {
	c := newTestClient(t)
	c.expect("foo", "-ERR unknown command 'foo', with args beginning with: \r\n")
	c.expect("foo a b", "-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n")
	c.expect("get", "-ERR wrong number of arguments for 'get' command\r\n")
	c.expect("GeT k", "$-1\r\n")
	c.expect("ping a b", "-ERR wrong number of arguments for 'ping' command\r\n")
	c.expect("slowlog", "-ERR wrong number of arguments for 'slowlog' command\r\n")
	c.expect("slowlog foo", "-ERR unknown subcommand 'foo'. Try SLOWLOG HELP.\r\n")
	c.expect("slowlog len x", "-ERR wrong number of arguments for 'slowlog|len' command\r\n")
}

func TestSetOptions(t *testing.T) {
	c := newTestClient(t)
	c.expect("set k v", "+OK\r\n")
	c.expect("set k v2 nx", "$-1\r\n")
	c.expect("set k v2 xx get", "$1\r\nv\r\n")
	c.expect("set k v3 nx xx", "-ERR syntax error\r\n")
	c.expect("set k v3 ex 0", "-ERR invalid expire time in 'set' command\r\n")
	c.expect("set k v3 ex x", "-ERR value is not an integer or out of range\r\n")
	c.expect("set k v3 ex 10 px 10", "-ERR syntax error\r\n")
	c.expect("set k v3 keepttl", "+OK\r\n")
	c.expect("get k", "$2\r\nv3\r\n")
	c.expect("set n 1 get", "$-1\r\n")
}

func TestMultiExecWatch(t *testing.T) {
	s := newTestServer(t)
	a, b := s.testClient(t), s.testClient(t)
	a.expect("multi", "+OK\r\n")
	a.expect("set k 1", "+QUEUED\r\n")
	a.expect("get k", "+QUEUED\r\n")
	a.expect("exec", "*2\r\n+OK\r\n$1\r\n1\r\n")
	a.expect("exec", "-ERR EXEC without MULTI\r\n")

	a.expect("multi", "+OK\r\n")
	a.expect("set k", "-ERR wrong number of arguments for 'set' command\r\n")
	a.expect("exec", "-EXECABORT Transaction discarded because of previous errors.\r\n")

	a.expect("watch k", "+OK\r\n")
	b.expect("set k 2", "+OK\r\n")
	a.expect("multi", "+OK\r\n")
	a.expect("get k", "+QUEUED\r\n")
	a.expect("exec", "*-1\r\n")

	a.expect("watch k", "+OK\r\n")
	b.expect("get k", "$1\r\n2\r\n")
	a.expect("multi", "+OK\r\n")
	a.expect("get k", "+QUEUED\r\n")
	a.expect("exec", "*1\r\n$1\r\n2\r\n")

	a.expect("watch k", "+OK\r\n")
	b.expect("flushall", "+OK\r\n")
	a.expect("multi", "+OK\r\n")
	a.expect("exec", "*-1\r\n")
}
