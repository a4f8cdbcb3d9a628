package server

// Tests of the TTL commands. Expected replies were taken from
// redis-server 7.0.15 with the same command sequence.

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestExpireReplies(t *testing.T) {
	c := newTestClient(t)
	c.expect("flushall", "+OK\r\n")
	c.expect("expire nokey 100", ":0\r\n")
	c.expect("pexpire nokey 100", ":0\r\n")
	c.expect("expireat nokey 100", ":0\r\n")
	c.expect("pexpireat nokey 100", ":0\r\n")
	c.expect("ttl nokey", ":-2\r\n")
	c.expect("pttl nokey", ":-2\r\n")
	c.expect("expiretime nokey", ":-2\r\n")
	c.expect("pexpiretime nokey", ":-2\r\n")
	c.expect("persist nokey", ":0\r\n")
	c.expect("set a 1", "+OK\r\n")
	c.expect("ttl a", ":-1\r\n")
	c.expect("pttl a", ":-1\r\n")
	c.expect("expiretime a", ":-1\r\n")
	c.expect("pexpiretime a", ":-1\r\n")
	c.expect("persist a", ":0\r\n")
	c.expect("expire a 100 nx xx", "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n")
	c.expect("expire a 100 nx gt", "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n")
	c.expect("expire a 100 nx lt", "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n")
	c.expect("expire a 100 gt lt", "-ERR GT and LT options at the same time are not compatible\r\n")
	c.expect("expire a 100 LT GT", "-ERR GT and LT options at the same time are not compatible\r\n")
	c.expect("expire a 100 foo", "-ERR Unsupported option foo\r\n")
	c.expect("expire a 1 2 3", "-ERR Unsupported option 2\r\n")
	c.expect("expire a abc", "-ERR value is not an integer or out of range\r\n")
	c.expect("expire a 1.5", "-ERR value is not an integer or out of range\r\n")
	c.expect("expire a", "-ERR wrong number of arguments for 'expire' command\r\n")
	c.expect("expire a 9223372036854775807", "-ERR invalid expire time in 'expire' command\r\n")
	c.expect("expire a 9223372036854775", "-ERR invalid expire time in 'expire' command\r\n")
	c.expect("expire a 9223372036854774", "-ERR invalid expire time in 'expire' command\r\n")
	c.expect("pexpire a 9223372036854775807", "-ERR invalid expire time in 'pexpire' command\r\n")
	c.expect("expireat a 9223372036854775808", "-ERR value is not an integer or out of range\r\n")
	c.expect("expire a 100 xx", ":0\r\n")
	c.expect("expire a 100 gt", ":0\r\n")
	c.expect("expire a 100 nx", ":1\r\n")
	c.expect("expire a 100 NX", ":0\r\n")
	c.expect("expire a 200 gt", ":1\r\n")
	c.expect("expire a 100 gt", ":0\r\n")
	c.expect("expire a 50 lt", ":1\r\n")
	c.expect("expire a 60 lt", ":0\r\n")
	c.expect("ttl a", ":50\r\n")
	c.expect("persist a", ":1\r\n")
	c.expect("persist a", ":0\r\n")
	c.expect("ttl a", ":-1\r\n")
	c.expect("expire a 100 lt", ":1\r\n")
	c.expect("ttl a", ":100\r\n")
	c.expect("pexpireat a 4102444800123", ":1\r\n")
	c.expect("expiretime a", ":4102444800\r\n")
	c.expect("pexpiretime a", ":4102444800123\r\n")
	c.expect("pexpireat a 4102444800499", ":1\r\n")
	c.expect("expiretime a", ":4102444800\r\n")
	c.expect("pexpireat a 4102444800500", ":1\r\n")
	c.expect("expiretime a", ":4102444801\r\n")
	c.expect("expireat a 4102444800", ":1\r\n")
	c.expect("pexpiretime a", ":4102444800000\r\n")
	c.expect("pexpireat a 9223372036854775807", ":1\r\n")
	c.expect("pexpiretime a", ":9223372036854775807\r\n")
	c.expect("expireat a 9223372036854775", ":1\r\n")
	c.expect("pexpiretime a", ":9223372036854775000\r\n")
	c.expect("set b 1", "+OK\r\n")
	c.expect("expire b 0", ":1\r\n")
	c.expect("exists b", ":0\r\n")
	c.expect("set b 1", "+OK\r\n")
	c.expect("expire b -1", ":1\r\n")
	c.expect("exists b", ":0\r\n")
	c.expect("set b 1", "+OK\r\n")
	c.expect("pexpireat b 1", ":1\r\n")
	c.expect("exists b", ":0\r\n")
	c.expect("set b 1", "+OK\r\n")
	c.expect("expire b -9223372036854775", ":1\r\n")
	c.expect("exists b", ":0\r\n")
	c.expect("set b 1", "+OK\r\n")
	c.expect("expire b -9223372036854776", "-ERR invalid expire time in 'expire' command\r\n")
	c.expect("exists b", ":1\r\n")
	c.expect("set b 1", "+OK\r\n")
	c.expect("pexpireat b -9223372036854775808", ":1\r\n")
	c.expect("exists b", ":0\r\n")
	c.expect("set b 1", "+OK\r\n")
	c.expect("expire b 1 gt", ":0\r\n")
	c.expect("ttl b", ":-1\r\n")
	c.expect("expire b 10 nx", ":1\r\n")
	c.expect("expire b -5 gt", ":0\r\n")
	c.expect("exists b", ":1\r\n")
	c.expect("set b 1", "+OK\r\n")
	c.expect("expire b -5 lt", ":1\r\n")
	c.expect("exists b", ":0\r\n")
}

func TestExpireRealTime(t *testing.T) {
	c := newTestClient(t)
	n := captureNotifications(c.srv)
	rec := &streamRecorder{}
	c.srv.ks.Stream.AddSink(rec)
	c.expect("set k v", "+OK\r\n")
	c.expect("pexpire k 50", ":1\r\n")
	if got, _ := strconv.Atoi(strings.Trim(c.do("pttl k"), ":\r\n")); got < 40 || got > 50 {
		t.Errorf("pttl right after PEXPIRE 50 = %d", got)
	}
	c.expect("ttl k", ":0\r\n") // 50 ms rounds to 0 s
	c.expect("get k", "$1\r\nv\r\n")
	time.Sleep(100 * time.Millisecond)
	n.take()
	rec.take()
	c.expect("ttl k", ":-2\r\n")
	c.expect("get k", "$-1\r\n")
	c.expect("exists k", ":0\r\n")
	c.expect("persist k", ":0\r\n")
	c.expect("expire k 10", ":0\r\n")
	if got := n.take(); len(got) == 0 || got[0] != "0:expired:k" {
		t.Errorf("events after the TTL passed: %q, want expired first", got)
	}
	if got := rec.take(); got != resp("DEL", "k") {
		t.Errorf("propagated after the TTL passed: %q, want DEL k", got)
	}
}

func TestExpireKeepsValueAndPersistClears(t *testing.T) {
	c := newTestClient(t)
	c.expect("set k v", "+OK\r\n")
	c.expect("expire k 100", ":1\r\n")
	c.expect("get k", "$1\r\nv\r\n")
	c.expect("set k v2", "+OK\r\n") // SET drops the TTL
	c.expect("ttl k", ":-1\r\n")
	c.expect("pexpire k 100000", ":1\r\n")
	c.expect("persist k", ":1\r\n")
	c.expect("pttl k", ":-1\r\n")
	if c.srv.ks.DB(0).ExpiresSize() != 0 {
		t.Errorf("ExpiresSize %d after PERSIST, want 0", c.srv.ks.DB(0).ExpiresSize())
	}
}

func TestExpireInThePastOnReplica(t *testing.T) {
	c := newTestClient(t)
	c.expect("set k v", "+OK\r\n")
	c.srv.ks.SetReplica(true)
	// A replica never deletes keys itself: the TTL is set, the key hidden.
	c.expect("pexpireat k 1000", ":1\r\n")
	c.expect("exists k", ":0\r\n")
	c.expect("dbsize", ":1\r\n")
	c.srv.ks.SetReplica(false)
	c.expect("exists k", ":0\r\n")
	c.expect("dbsize", ":0\r\n")
}
