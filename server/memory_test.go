package server

import (
	"strconv"
	"strings"
	"testing"
)

func memUsage(t *testing.T, c *testClient, key string, extra ...string) int64 {
	t.Helper()
	r := c.do(strings.Join(append([]string{"memory usage", key}, extra...), " "))
	if !strings.HasPrefix(r, ":") {
		t.Fatalf("MEMORY USAGE %s: %q", key, r)
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(r[1:]), 10, 64)
	return n
}

func TestMemoryUsage(t *testing.T) {
	c := newTestClient(t)
	// Errors and the missing key as redis-server 7.0.15 answers them.
	c.expect("memory usage nokey", "$-1\r\n")
	c.expect("memory usage nokey samples x", "-ERR value is not an integer or out of range\r\n")
	c.expect("memory usage nokey foo", "-ERR syntax error\r\n")
	c.expect("memory usage nokey samples -1", "-ERR syntax error\r\n")
	c.expect("memory usage nokey samples", "-ERR syntax error\r\n")
	c.expect("memory usage", "-ERR wrong number of arguments for 'memory|usage' command\r\n")
	c.expect("memory foo", "-ERR unknown subcommand 'foo'. Try MEMORY HELP.\r\n")
	c.expect("memory malloc-stats", "$45\r\nStats not supported for the current allocator\r\n")
	c.expect("memory purge", "+OK\r\n")

	// Estimates grow with what the key holds, for every type.
	c.do("set small v")
	c.do("set big " + strings.Repeat("x", 1000))
	if s, b := memUsage(t, c, "small"), memUsage(t, c, "big"); s <= 0 || b < s+900 {
		t.Errorf("strings: small %d, big %d", s, b)
	}
	grow := func(kind string, add func(i int)) {
		t.Helper()
		add(0)
		one := memUsage(t, c, kind)
		for i := 1; i < 500; i++ {
			add(i)
		}
		many := memUsage(t, c, kind, "samples", "0")
		if one <= 0 || many < one*10 {
			t.Errorf("%s: 1 element %d bytes, 500 elements %d bytes", kind, one, many)
		}
	}
	grow("h", func(i int) { c.do("hset h f" + strconv.Itoa(i) + " value" + strconv.Itoa(i)) })
	grow("z", func(i int) { c.do("zadd z " + strconv.Itoa(i) + " member" + strconv.Itoa(i)) })
	grow("l", func(i int) { c.do("rpush l element" + strconv.Itoa(i)) })
	grow("s", func(i int) { c.do("sadd s member" + strconv.Itoa(i)) })
	// Sampling estimates close to the full count for uniform elements.
	all, sampled := memUsage(t, c, "h", "samples", "0"), memUsage(t, c, "h")
	if sampled < all/2 || sampled > all*2 {
		t.Errorf("sampled estimate %d far from the full one %d", sampled, all)
	}
}
