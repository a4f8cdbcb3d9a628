package server

import "testing"

func TestConfigCommands(t *testing.T) {
	c := newTestClient(t)
	c.expect("config get maxmemory", "*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n")
	c.expect("config set maxmemory 10mb", "+OK\r\n")
	c.expect("config get maxmemory", "*2\r\n$9\r\nmaxmemory\r\n$8\r\n10485760\r\n")
	c.expect("config set maxmemory 1 hz", "-ERR syntax error\r\n")
	c.expect("config set foo bar", "-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n")
	c.expect("config set maxmemory", "-ERR wrong number of arguments for 'config|set' command\r\n")
	c.expect("config rewrite", "-ERR The server is running without a config file\r\n")
	c.expect("config resetstat", "+OK\r\n")
	// Hot settings reach the server's atomics.
	c.expect("config set slowlog-max-len 5", "+OK\r\n")
	if c.srv.set.slowlogMaxLen.Load() != 5 {
		t.Fatalf("slowlog-max-len not applied")
	}
	c.expect("config set requirepass secret", "+OK\r\n")
	other := c.srv.testClient(t)
	other.expect("get k", "-NOAUTH Authentication required.\r\n")
	other.expect("auth wrong", "-WRONGPASS invalid username-password pair or user is disabled.\r\n")
	other.expect("auth secret", "+OK\r\n")
	other.expect("get k", "$-1\r\n")
}
