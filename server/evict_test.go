package server

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

const oomReply = "-OOM command not allowed when used memory > 'maxmemory'.\r\n"

func TestOOMWithNoEviction(t *testing.T) {
	c := newTestClient(t)
	c.expect("SET before 1", "+OK\r\n")
	c.expect("CONFIG SET maxmemory 1", "+OK\r\n")
	c.expect("SET a b", oomReply)
	c.expect("INCR before", oomReply)
	c.expect("GET before", "$1\r\n1\r\n") // not denyoom
	c.expect("GET a", "$-1\r\n")
	// Inside MULTI every command but EXEC/DISCARD/QUIT/RESET is refused,
	// which aborts the transaction.
	c.expect("MULTI", "+OK\r\n")
	c.expect("GET before", oomReply)
	c.expect("EXEC", "-EXECABORT Transaction discarded because of previous errors.\r\n")
	c.expect("MULTI", "+OK\r\n")
	c.expect("EXEC", "*0\r\n")
	c.expect("DEL before", ":1\r\n") // DEL frees memory and is allowed
	c.expect("CONFIG SET maxmemory 0", "+OK\r\n")
	c.expect("SET a b", "+OK\r\n")
	if info := c.do("INFO stats"); !strings.Contains(info, "evicted_keys:0\r\n") {
		t.Fatalf("noeviction evicted keys:\n%s", info)
	}
}

func TestEvictionKeepsMemoryUnderMaxmemory(t *testing.T) {
	for _, policy := range []string{"allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-ttl"} {
		t.Run(policy, func(t *testing.T) {
			s := newTestServer(t)
			c := s.testClient(t)
			c.expect("CONFIG SET maxmemory-policy "+policy, "+OK\r\n")
			c.expect("CONFIG SET notify-keyspace-events Ee", "+OK\r\n")
			limit := s.baseMem.Load() + 200_000
			c.expect(fmt.Sprintf("CONFIG SET maxmemory %d", limit), "+OK\r\n")
			value := strings.Repeat("x", 100)
			for i := range 5000 {
				c.expect(fmt.Sprintf("SET key:%d %s EX 1000", i, value), "+OK\r\n")
				if used := s.usedMemoryForEviction(); used > limit+1000 {
					t.Fatalf("after %d SETs: used %d, maxmemory %d", i+1, used, limit)
				}
			}
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(c.do("DBSIZE"), ":")))
			if n == 0 || n >= 5000 {
				t.Fatalf("%d keys left of 5000 written", n)
			}
			if got := s.stats.evictedKeys.Load(); got != int64(5000-n) {
				t.Fatalf("evicted_keys %d, want %d", got, 5000-n)
			}
			if info := c.do("INFO memory"); !strings.Contains(info, fmt.Sprintf("maxmemory:%d\r\n", limit)) ||
				!strings.Contains(info, "maxmemory_policy:"+policy+"\r\n") {
				t.Fatalf("INFO memory:\n%s", info)
			}
		})
	}
}

func TestVolatileEvictionSparesKeysWithoutTTL(t *testing.T) {
	s := newTestServer(t)
	c := s.testClient(t)
	c.expect("SET keep 1", "+OK\r\n")
	c.expect("SET go 1 EX 100", "+OK\r\n")
	c.expect("CONFIG SET maxmemory-policy volatile-lru", "+OK\r\n")
	c.expect("CONFIG SET maxmemory 1", "+OK\r\n")
	c.expect("SET more 1", oomReply) // go is evicted, keep cannot be
	c.expect("EXISTS keep go", ":1\r\n")
	if got := s.stats.evictedKeys.Load(); got != 1 {
		t.Fatalf("evicted_keys %d, want 1", got)
	}
}

// dumpPayload returns the DUMP payload of key.
func dumpPayload(t *testing.T, c *testClient, key string) []byte {
	t.Helper()
	reply := c.do("DUMP " + key)
	head, body, ok := strings.Cut(reply, "\r\n")
	n, err := strconv.Atoi(strings.TrimPrefix(head, "$"))
	if !ok || err != nil || len(body) != n+2 {
		t.Fatalf("DUMP %s: %q", key, reply)
	}
	return []byte(body[:n])
}

func TestLRUEvictionKeepsHotKeys(t *testing.T) {
	s := newTestServer(t)
	c := s.testClient(t)
	c.expect("CONFIG SET maxmemory-policy allkeys-lru", "+OK\r\n")
	c.expect("CONFIG SET maxmemory-samples 20", "+OK\r\n")
	value := strings.Repeat("v", 200)
	for i := range 200 {
		c.expect(fmt.Sprintf("SET hot:%d %s", i, value), "+OK\r\n")
	}
	payload := dumpPayload(t, c, "hot:0")
	// Room for about 300 more keys; the cold ones arrive idle for an hour.
	c.expect(fmt.Sprintf("CONFIG SET maxmemory %d", s.usedMemoryForEviction()+100_000), "+OK\r\n")
	for i := range 2000 {
		if got := c.doArgs([]byte("RESTORE"), []byte(fmt.Sprintf("cold:%d", i)), []byte("0"), payload,
			[]byte("IDLETIME"), []byte("3600")); got != "+OK\r\n" {
			t.Fatalf("RESTORE cold:%d: %q", i, got)
		}
	}
	if s.stats.evictedKeys.Load() < 1000 {
		t.Fatalf("only %d evictions", s.stats.evictedKeys.Load())
	}
	for i := range 200 {
		c.expect(fmt.Sprintf("EXISTS hot:%d", i), ":1\r\n")
	}
}

func TestObjectFreqUnderLFU(t *testing.T) {
	c := newTestClient(t)
	c.expect("SET k v", "+OK\r\n")
	c.expect("OBJECT FREQ k", "-"+errNoLFU+"\r\n")
	c.expect("CONFIG SET maxmemory-policy allkeys-lfu", "+OK\r\n")
	c.expect("CONFIG SET lfu-log-factor 0", "+OK\r\n")
	c.expect("SET n v", "+OK\r\n")
	c.expect("OBJECT FREQ n", ":5\r\n")
	c.expect("GET n", "$1\r\nv\r\n")
	c.expect("GET n", "$1\r\nv\r\n")
	c.expect("OBJECT FREQ n", ":7\r\n")
	c.expect("OBJECT IDLETIME n", "-"+errLFUNoIdle+"\r\n")
	payload := dumpPayload(t, c, "n")
	if got := c.doArgs([]byte("RESTORE"), []byte("r"), []byte("0"), payload, []byte("FREQ"), []byte("100")); got != "+OK\r\n" {
		t.Fatalf("RESTORE FREQ: %q", got)
	}
	c.expect("OBJECT FREQ r", ":100\r\n")
}
