package server

// Tests of OBJECT. Expected replies were taken from redis-server 7.0.15
// with the same command sequence.

import (
	"fmt"
	"testing"

	"github.com/vireodb/vireo/datatypes/keyspace"
)

func TestObjectReplies(t *testing.T) {
	c := newTestClient(t)
	c.expect("flushall", "+OK\r\n")
	c.expect("object encoding nokey", "$-1\r\n")
	c.expect("object refcount nokey", "$-1\r\n")
	c.expect("object idletime nokey", "$-1\r\n")
	c.expect("object freq nokey", "$-1\r\n")
	c.expect("set a 1", "+OK\r\n")
	c.expect("set b 10000", "+OK\r\n")
	c.expect("set c 9999", "+OK\r\n")
	c.expect("set d -1", "+OK\r\n")
	c.expect("set e hello", "+OK\r\n")
	c.expect("set f 0", "+OK\r\n")
	c.expect("set g 12345678901234567890123456789012345678901234", "+OK\r\n")
	c.expect("set h 123456789012345678901234567890123456789012345", "+OK\r\n")
	c.expect("set i 01", "+OK\r\n")
	c.expect("object encoding a", "$3\r\nint\r\n")
	c.expect("object encoding d", "$3\r\nint\r\n")
	c.expect("object encoding e", "$6\r\nembstr\r\n")
	c.expect("object encoding g", "$6\r\nembstr\r\n")
	c.expect("object encoding h", "$3\r\nraw\r\n")
	c.expect("object encoding i", "$6\r\nembstr\r\n")
	c.expect("object refcount a", ":2147483647\r\n")
	c.expect("object refcount b", ":1\r\n")
	c.expect("object refcount c", ":2147483647\r\n")
	c.expect("object refcount d", ":1\r\n")
	c.expect("object refcount e", ":1\r\n")
	c.expect("object refcount f", ":2147483647\r\n")
	c.expect("object refcount i", ":1\r\n")
	c.expect("object freq a", "-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n")
	c.expect("object foo a", "-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n")
	c.expect("object", "-ERR wrong number of arguments for 'object' command\r\n")
	c.expect("object encoding", "-ERR wrong number of arguments for 'object|encoding' command\r\n")
	c.expect("object encoding a b", "-ERR wrong number of arguments for 'object|encoding' command\r\n")
	c.expect("object help", "*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+ENCODING <key>\r\n+    Return the kind of internal representation used in order to store the value\r\n+    associated with a <key>.\r\n+FREQ <key>\r\n+    Return the access frequency index of the <key>. The returned integer is\r\n+    proportional to the logarithm of the recent access frequency of the key.\r\n+IDLETIME <key>\r\n+    Return the idle time of the <key>, that is the approximated number of\r\n+    seconds elapsed since the last access to the key.\r\n+REFCOUNT <key>\r\n+    Return the number of references of the value associated with the specified\r\n+    <key>.\r\n+HELP\r\n+    Prints this help.\r\n")
	c.expect("object HELP x", "-ERR wrong number of arguments for 'object|help' command\r\n")
}

func TestObjectIdletime(t *testing.T) {
	c := newTestClient(t)
	ks := c.srv.ks
	// An entry last accessed 42 LRU-clock seconds ago.
	ks.DB(0).Put([]byte("k"), keyspace.Entry{Type: keyspace.TypeString, Enc: keyspace.EncEmbstr, Str: []byte("v"), Access: ks.LRUClock() - 42})
	c.expectIdle(42)
	c.expect("object encoding k", "$6\r\nembstr\r\n")
	c.expect("type k", "+string\r\n")
	c.expect("ttl k", ":-1\r\n")
	c.expectIdle(42) // none of these touched the key
	c.expect("get k", "$1\r\nv\r\n")
	c.expect("object idletime k", ":0\r\n")

	ks.DB(0).Put([]byte("k"), keyspace.Entry{Type: keyspace.TypeString, Enc: keyspace.EncEmbstr, Str: []byte("v"), Access: ks.LRUClock() - 42})
	c.expect("touch k", ":1\r\n")
	c.expect("object idletime k", ":0\r\n")
}

func TestObjectRESP3Null(t *testing.T) {
	c := newTestClient(t)
	c.do("hello 3")
	c.expect("object encoding nokey", "_\r\n")
	c.expect("object idletime nokey", "_\r\n")
}

// expectIdle checks OBJECT IDLETIME k, allowing the LRU clock to tick once
// during the test.
func (tc *testClient) expectIdle(want int) {
	tc.t.Helper()
	got := tc.do("object idletime k")
	if got != fmt.Sprintf(":%d\r\n", want) && got != fmt.Sprintf(":%d\r\n", want+1) {
		tc.t.Errorf("object idletime k = %q, want %d", got, want)
	}
}
