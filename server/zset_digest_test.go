package server

import "testing"

// Digests from redis-server 7.0.15 for the same data.
func TestDebugDigestZSet(t *testing.T) {
	c := newTestClient(t)
	c.expect("zadd a 1 x 2.5 y -3 z 0 w 1e20 big 1.1 f inf pinf -inf ninf 123456789 n", ":9\r\n")
	c.expect("zadd a 12 12345 -0.0 negz", ":2\r\n")
	c.expect("object encoding a", "$8\r\nlistpack\r\n")
	c.expect("debug digest-value a", "*1\r\n+710736ea4fd4cd3a7fe695d3702ed9941b192af3\r\n")
	// The digest does not depend on the encoding.
	c.expect("sort a by nosort limit 0 0", "*0\r\n")
	c.expect("object encoding a", "$8\r\nskiplist\r\n")
	c.expect("debug digest-value a", "*1\r\n+710736ea4fd4cd3a7fe695d3702ed9941b192af3\r\n")
	c.expect("del a", ":1\r\n")
	c.expect("zadd a 1 x 2.5 y -3 z 0 w 1e20 big 1.1 f inf pinf -inf ninf 123456789 n", ":9\r\n")
	c.expect("zadd a 12 12345 -0.0 negz", ":2\r\n")
	c.expect("zadd b 1 abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij 0.1 p 3 q", ":3\r\n")
	c.expect("object encoding b", "$8\r\nskiplist\r\n")
	c.expect("debug digest-value b", "*1\r\n+b89d7cb317626d8e633ce6f071e3f449fe38aaa6\r\n")
	c.expect("expire b 100", ":1\r\n")
	c.expect("debug digest", "+8835c8e5211ee3826ea6de20ed24d401eae35a48\r\n")
}
