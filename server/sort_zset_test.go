package server

import "testing"

// SORT on sorted sets; replies derived from redis-server 7.0.15.

func TestSortZSet(t *testing.T) {
	c := newTestClient(t)
	c.expect("zadd z 3 c 1 a 2 b 5 10 4 7 0 1.5", ":6\r\n")
	c.expect("object encoding z", "$8\r\nlistpack\r\n")
	c.expect("sort z", "-ERR One or more scores can't be converted into double\r\n")
	// SORT converts a listpack sorted set to a skiplist, even when it fails.
	c.expect("object encoding z", "$8\r\nskiplist\r\n")
	c.expect("zadd y 1 x 2 y", ":2\r\n")
	c.expect("sort_ro y alpha desc", "*2\r\n$1\r\ny\r\n$1\r\nx\r\n")
	c.expect("object encoding y", "$8\r\nskiplist\r\n")

	c.expect("sort z by nosort", "*6\r\n$3\r\n1.5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\n7\r\n$2\r\n10\r\n")
	c.expect("sort z by nosort desc", "*6\r\n$2\r\n10\r\n$1\r\n7\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$3\r\n1.5\r\n")
	c.expect("sort z by nosort limit 1 2", "*2\r\n$1\r\na\r\n$1\r\nb\r\n")
	c.expect("sort z by nosort desc limit 1 2", "*2\r\n$1\r\n7\r\n$1\r\nc\r\n")
	c.expect("sort z by nosort limit 10 2", "*0\r\n")
	c.expect("sort z by nosort desc limit 0 0", "*0\r\n")
	c.expect("sort z by nosort desc limit -5 100", "*6\r\n$2\r\n10\r\n$1\r\n7\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$3\r\n1.5\r\n")
	c.expect("sort z alpha", "*6\r\n$3\r\n1.5\r\n$2\r\n10\r\n$1\r\n7\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n")
	c.expect("sort z alpha desc limit 2 3", "*3\r\n$1\r\na\r\n$1\r\n7\r\n$2\r\n10\r\n")
	c.expect("mset w_a 3 w_b 1 w_c 2 w_10 0 w_7 9", "+OK\r\n")
	c.expect("sort z alpha by w_* desc limit 0 3", "*3\r\n$1\r\n7\r\n$1\r\na\r\n$1\r\nc\r\n")
	c.expect("sort z by w_* get # get w_*",
		"*12\r\n$3\r\n1.5\r\n$-1\r\n$2\r\n10\r\n$1\r\n0\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\nc\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\n7\r\n$1\r\n9\r\n")
	c.expect("sort z by nosort desc limit 2 2 store dst", ":2\r\n")
	c.expect("lrange dst 0 -1", "*2\r\n$1\r\nc\r\n$1\r\nb\r\n")

	c.expect("zadd e 3 1 1 3 2 2", ":3\r\n")
	c.expect("sort e", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n")
	c.expect("sort e desc limit 1 1", "*1\r\n$1\r\n2\r\n")
	// The converted set dumps as a skiplist zset, as Redis's does.
	c.expect("zadd d 1 a 2 b 2.5 c", ":3\r\n")
	c.expect("sort d by nosort", "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n")
	c.expect("dump d", "$42\r\n\x05\x03\x01c\x00\x00\x00\x00\x00\x00\x04@\x01b\x00\x00\x00\x00\x00\x00\x00@\x01a\x00\x00\x00\x00\x00\x00\xf0?\n\x00\xdd\xdc\x8b\xbc#\x03\xfcL\r\n")
	c.expect("zscore d c", "$3\r\n2.5\r\n")
}
