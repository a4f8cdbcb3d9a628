package server

// Set command tests. The exact-reply tests were recorded from redis-server
// 7.0.15: each line ran against it and its raw reply is the expectation.
// Replies whose order Redis leaves to its hash table (hash-table sets of
// more than one member) and random draws are checked by their content.

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestSetBasics(t *testing.T) {
	c := newTestClient(t)
	c.expect("flushall", "+OK\r\n")
	c.expect("sadd s 3 1 2 2", ":3\r\n")
	c.expect("sadd s 1", ":0\r\n")
	c.expect("scard s", ":3\r\n")
	c.expect("smembers s", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n")
	c.expect("object encoding s", "$6\r\nintset\r\n")
	c.expect("sismember s 1", ":1\r\n")
	c.expect("sismember s 01", ":0\r\n")
	c.expect("sismember s 4", ":0\r\n")
	c.expect("smismember s 1 4 2 x", "*4\r\n:1\r\n:0\r\n:1\r\n:0\r\n")
	c.expect("sadd s -70000 9223372036854775807 -9223372036854775808", ":3\r\n")
	c.expect("smembers s", "*6\r\n$20\r\n-9223372036854775808\r\n$6\r\n-70000\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$19\r\n9223372036854775807\r\n")
	c.expect("object encoding s", "$6\r\nintset\r\n")
	c.expect("srem s 9223372036854775807 nope 2", ":2\r\n")
	c.expect("smembers s", "*4\r\n$20\r\n-9223372036854775808\r\n$6\r\n-70000\r\n$1\r\n1\r\n$1\r\n3\r\n")
	c.expect("sadd s hello", ":1\r\n")
	c.expect("object encoding s", "$9\r\nhashtable\r\n")
	c.expect("srem s hello 1 3 -70000", ":4\r\n")
	c.expect("object encoding s", "$9\r\nhashtable\r\n")
	c.expect("smembers s", "*1\r\n$20\r\n-9223372036854775808\r\n")
	c.expect("srem s -9223372036854775808", ":1\r\n")
	c.expect("exists s", ":0\r\n")
	c.expect("srem s x", ":0\r\n")
	c.expect("scard nokey", ":0\r\n")
	c.expect("sismember nokey a", ":0\r\n")
	c.expect("smismember nokey a b", "*2\r\n:0\r\n:0\r\n")
	c.expect("smembers nokey", "*0\r\n")
	c.expect("sadd h a", ":1\r\n")
	c.expect("smembers h", "*1\r\n$1\r\na\r\n")
	c.expect("object encoding h", "$9\r\nhashtable\r\n")
	c.expect("sadd n 007", ":1\r\n")
	c.expect("object encoding n", "$9\r\nhashtable\r\n")
	c.expect("sadd n2 -0", ":1\r\n")
	c.expect("object encoding n2", "$9\r\nhashtable\r\n")
	c.expect("sadd n3 \" 1\"", ":1\r\n")
	c.expect("object encoding n3", "$9\r\nhashtable\r\n")
	c.expect("sadd n4 9223372036854775808", ":1\r\n")
	c.expect("object encoding n4", "$9\r\nhashtable\r\n")
	c.expect("sadd e \"\"", ":1\r\n")
	c.expect("smembers e", "*1\r\n$0\r\n\r\n")
	c.expect("sismember e \"\"", ":1\r\n")
}

func TestSetErrors(t *testing.T) {
	c := newTestClient(t)
	c.expect("flushall", "+OK\r\n")
	c.expect("set str x", "+OK\r\n")
	c.expect("sadd str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("srem str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("sismember str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("smismember str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("scard str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("smembers str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("srandmember str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("srandmember str 2", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("spop str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("spop str 2", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("smove str x a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("sadd x 1", ":1\r\n")
	c.expect("smove x str 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("smove nokey str 1", ":0\r\n")
	c.expect("sinter x str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("sinter nokey str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("sinterstore d x str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("sunion x str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("sunionstore d x str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("sdiff x str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("sdiffstore d nokey str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("sintercard 2 x str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("sscan str 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("sadd", "-ERR wrong number of arguments for 'sadd' command\r\n")
	c.expect("sadd s", "-ERR wrong number of arguments for 'sadd' command\r\n")
	c.expect("srem s", "-ERR wrong number of arguments for 'srem' command\r\n")
	c.expect("sismember s", "-ERR wrong number of arguments for 'sismember' command\r\n")
	c.expect("sismember s a b", "-ERR wrong number of arguments for 'sismember' command\r\n")
	c.expect("smismember s", "-ERR wrong number of arguments for 'smismember' command\r\n")
	c.expect("scard", "-ERR wrong number of arguments for 'scard' command\r\n")
	c.expect("scard a b", "-ERR wrong number of arguments for 'scard' command\r\n")
	c.expect("smembers", "-ERR wrong number of arguments for 'smembers' command\r\n")
	c.expect("smembers a b", "-ERR wrong number of arguments for 'smembers' command\r\n")
	c.expect("srandmember", "-ERR wrong number of arguments for 'srandmember' command\r\n")
	c.expect("spop", "-ERR wrong number of arguments for 'spop' command\r\n")
	c.expect("smove a b", "-ERR wrong number of arguments for 'smove' command\r\n")
	c.expect("sinter", "-ERR wrong number of arguments for 'sinter' command\r\n")
	c.expect("sinterstore d", "-ERR wrong number of arguments for 'sinterstore' command\r\n")
	c.expect("sintercard 1", "-ERR wrong number of arguments for 'sintercard' command\r\n")
	c.expect("sunion", "-ERR wrong number of arguments for 'sunion' command\r\n")
	c.expect("sunionstore d", "-ERR wrong number of arguments for 'sunionstore' command\r\n")
	c.expect("sdiff", "-ERR wrong number of arguments for 'sdiff' command\r\n")
	c.expect("sdiffstore d", "-ERR wrong number of arguments for 'sdiffstore' command\r\n")
	c.expect("sscan s", "-ERR wrong number of arguments for 'sscan' command\r\n")
}

func TestSetAlgebra(t *testing.T) {
	c := newTestClient(t)
	c.expect("flushall", "+OK\r\n")
	c.expect("sadd a 1 2 3 4 5", ":5\r\n")
	c.expect("sadd b 4 5 6 7", ":4\r\n")
	c.expect("sadd c 5 7 9", ":3\r\n")
	c.expect("sinter a b", "*2\r\n$1\r\n4\r\n$1\r\n5\r\n")
	c.expect("sinter a b c", "*1\r\n$1\r\n5\r\n")
	c.expect("sinter b a", "*2\r\n$1\r\n4\r\n$1\r\n5\r\n")
	c.expect("sinter a a", "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n")
	c.expect("sinter a nokey", "*0\r\n")
	c.expect("sinter a", "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n")
	c.expect("sintercard 1 a", ":5\r\n")
	c.expect("sintercard 2 a b", ":2\r\n")
	c.expect("sintercard 2 a b limit 1", ":1\r\n")
	c.expect("sintercard 2 a b limit 0", ":2\r\n")
	c.expect("sintercard 2 a b limit 100", ":2\r\n")
	c.expect("sintercard 3 a b c", ":1\r\n")
	c.expect("sintercard 2 a nokey", ":0\r\n")
	c.expect("sintercard 1 nokey", ":0\r\n")
	c.expect("sintercard 0 a", "-ERR numkeys should be greater than 0\r\n")
	c.expect("sintercard -1 a", "-ERR numkeys should be greater than 0\r\n")
	c.expect("sintercard x a", "-ERR numkeys should be greater than 0\r\n")
	c.expect("sintercard 9223372036854775808 a", "-ERR numkeys should be greater than 0\r\n")
	c.expect("sintercard 3 a b", "-ERR Number of keys can't be greater than number of args\r\n")
	c.expect("sintercard 1 a limit -1", "-ERR LIMIT can't be negative\r\n")
	c.expect("sintercard 1 a limit x", "-ERR LIMIT can't be negative\r\n")
	c.expect("sintercard 1 a limit", "-ERR syntax error\r\n")
	c.expect("sintercard 1 a foo", "-ERR syntax error\r\n")
	c.expect("sintercard 1 a limit 1 limit 3", ":3\r\n")
	c.expect("sintercard 1 a LIMIT 2", ":2\r\n")
	c.expect("sunion a b c", "*8\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n$1\r\n9\r\n")
	c.expect("sunion a nokey", "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n")
	c.expect("sunion nokey", "*0\r\n")
	c.expect("sdiff a b", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n")
	c.expect("sdiff a b c", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n")
	c.expect("sdiff a a", "*0\r\n")
	c.expect("sdiff b a a", "*2\r\n$1\r\n6\r\n$1\r\n7\r\n")
	c.expect("sdiff nokey a", "*0\r\n")
	c.expect("sdiff a nokey", "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n")
	c.expect("sinterstore d a b", ":2\r\n")
	c.expect("object encoding d", "$6\r\nintset\r\n")
	c.expect("smembers d", "*2\r\n$1\r\n4\r\n$1\r\n5\r\n")
	c.expect("sunionstore d a b c", ":8\r\n")
	c.expect("smembers d", "*8\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n$1\r\n9\r\n")
	c.expect("sdiffstore d a b c", ":3\r\n")
	c.expect("smembers d", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n")
	c.expect("sinterstore d a nokey", ":0\r\n")
	c.expect("exists d", ":0\r\n")
	c.expect("sinterstore d a nokey", ":0\r\n")
	c.expect("set d x", "+OK\r\n")
	c.expect("sunionstore d a", ":5\r\n")
	c.expect("type d", "+set\r\n")
	c.expect("set d x", "+OK\r\n")
	c.expect("expire d 100", ":1\r\n")
	c.expect("sdiffstore d a b", ":3\r\n")
	c.expect("ttl d", ":-1\r\n")
	c.expect("sinterstore d b c", ":2\r\n")
	c.expect("ttl d", ":-1\r\n")
	c.expect("sunionstore d nokey", ":0\r\n")
	c.expect("exists d", ":0\r\n")
	c.expect("sdiffstore a a b", ":3\r\n")
	c.expect("smembers a", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n")
	c.expect("sadd h x 5 9", ":3\r\n")
	// Equal sizes: h, a hash table, comes first and answers in table order.
	if got := setMembers(t, c.do("sinter h c")); !slices.Equal(got, []string{"5", "9"}) {
		t.Errorf("sinter h c: %q", got)
	}
	c.expect("sinterstore d h c", ":2\r\n")
	c.expect("object encoding d", "$6\r\nintset\r\n")
	c.expect("smembers d", "*2\r\n$1\r\n5\r\n$1\r\n9\r\n")
	c.expect("sunionstore d h c", ":4\r\n")
	c.expect("object encoding d", "$9\r\nhashtable\r\n")
	c.expect("sdiffstore d c h", ":1\r\n")
	c.expect("object encoding d", "$6\r\nintset\r\n")
	c.expect("smembers d", "*1\r\n$1\r\n7\r\n")
}

func TestSetRandomDeterministic(t *testing.T) {
	c := newTestClient(t)
	c.expect("flushall", "+OK\r\n")
	c.expect("sadd s 3 1 2", ":3\r\n")
	c.expect("srandmember s 3", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n")
	c.expect("srandmember s 10", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n")
	c.expect("srandmember s 0", "*0\r\n")
	c.expect("srandmember s -1 2", "-ERR syntax error\r\n")
	c.expect("srandmember s x", "-ERR value is not an integer or out of range\r\n")
	c.expect("srandmember s -9223372036854775808", "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n")
	c.expect("srandmember nokey", "$-1\r\n")
	c.expect("srandmember nokey 5", "*0\r\n")
	c.expect("srandmember nokey -5", "*0\r\n")
	c.expect("srandmember nokey x", "-ERR value is not an integer or out of range\r\n")
	c.expect("spop s 0", "*0\r\n")
	c.expect("spop s x", "-ERR value is out of range, must be positive\r\n")
	c.expect("spop s -1", "-ERR value is out of range, must be positive\r\n")
	c.expect("spop s 1 2", "-ERR syntax error\r\n")
	c.expect("spop nokey", "$-1\r\n")
	c.expect("spop nokey 3", "*0\r\n")
	c.expect("spop nokey x", "-ERR value is out of range, must be positive\r\n")
	c.expect("spop s 3", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n")
	c.expect("exists s", ":0\r\n")
	c.expect("sadd s 3 1 2", ":3\r\n")
	c.expect("spop s 4", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n")
	c.expect("exists s", ":0\r\n")
	c.expect("sadd one x", ":1\r\n")
	c.expect("srandmember one", "$1\r\nx\r\n")
	c.expect("srandmember one -3", "*3\r\n$1\r\nx\r\n$1\r\nx\r\n$1\r\nx\r\n")
	c.expect("srandmember one 1", "*1\r\n$1\r\nx\r\n")
	c.expect("spop one", "$1\r\nx\r\n")
	c.expect("exists one", ":0\r\n")
	c.expect("sadd two 5", ":1\r\n")
	c.expect("spop two 1", "*1\r\n$1\r\n5\r\n")
	c.expect("exists two", ":0\r\n")
}

func TestSScan(t *testing.T) {
	c := newTestClient(t)
	c.expect("flushall", "+OK\r\n")
	c.expect("sadd s 30 1 2 10 11", ":5\r\n")
	c.expect("sscan s 0", "*2\r\n$1\r\n0\r\n*5\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n10\r\n$2\r\n11\r\n$2\r\n30\r\n")
	c.expect("sscan s 12345", "*2\r\n$1\r\n0\r\n*5\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n10\r\n$2\r\n11\r\n$2\r\n30\r\n")
	c.expect("sscan s 0 match 1*", "*2\r\n$1\r\n0\r\n*3\r\n$1\r\n1\r\n$2\r\n10\r\n$2\r\n11\r\n")
	c.expect("sscan s 0 MATCH * COUNT 1", "*2\r\n$1\r\n0\r\n*5\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n10\r\n$2\r\n11\r\n$2\r\n30\r\n")
	c.expect("sscan s 0 count 0", "-ERR syntax error\r\n")
	c.expect("sscan s 0 count -1", "-ERR syntax error\r\n")
	c.expect("sscan s 0 count x", "-ERR value is not an integer or out of range\r\n")
	c.expect("sscan s 0 count", "-ERR syntax error\r\n")
	c.expect("sscan s 0 match", "-ERR syntax error\r\n")
	c.expect("sscan s 0 type set", "-ERR syntax error\r\n")
	c.expect("sscan s 0 foo bar", "-ERR syntax error\r\n")
	c.expect("sscan s x", "-ERR invalid cursor\r\n")
	c.expect("sscan s -1", "*2\r\n$1\r\n0\r\n*5\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n10\r\n$2\r\n11\r\n$2\r\n30\r\n")
	c.expect("sscan s \"\"", "*2\r\n$1\r\n0\r\n*5\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n10\r\n$2\r\n11\r\n$2\r\n30\r\n")
	c.expect("sscan s 18446744073709551616", "-ERR invalid cursor\r\n")
	c.expect("sscan nokey 0", "*2\r\n$1\r\n0\r\n*0\r\n")
	c.expect("sscan nokey 0 foo", "*2\r\n$1\r\n0\r\n*0\r\n")
	c.expect("sscan nokey x", "-ERR invalid cursor\r\n")
	c.expect("sadd h a", ":1\r\n")
	c.expect("sscan h 0", "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n")
	c.expect("sscan h 0 match b*", "*2\r\n$1\r\n0\r\n*0\r\n")
	c.expect("sscan h 0 match a", "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n")
}

func TestSMove(t *testing.T) {
	c := newTestClient(t)
	c.expect("flushall", "+OK\r\n")
	c.expect("sadd a 1 2 x", ":3\r\n")
	c.expect("sadd b 3", ":1\r\n")
	c.expect("smove a b 1", ":1\r\n")
	c.expect("smembers b", "*2\r\n$1\r\n1\r\n$1\r\n3\r\n")
	c.expect("object encoding b", "$6\r\nintset\r\n")
	c.expect("smove a b 1", ":0\r\n")
	c.expect("smove a b x", ":1\r\n")
	c.expect("object encoding b", "$9\r\nhashtable\r\n")
	c.expect("smove a b 2", ":1\r\n")
	c.expect("exists a", ":0\r\n")
	c.expect("smove b c 3", ":1\r\n")
	c.expect("object encoding c", "$6\r\nintset\r\n")
	c.expect("smembers c", "*1\r\n$1\r\n3\r\n")
	c.expect("smove b d x", ":1\r\n")
	c.expect("object encoding d", "$9\r\nhashtable\r\n")
	c.expect("smove nokey d x", ":0\r\n")
	c.expect("smove d d x", ":1\r\n")
	c.expect("smove d d y", ":0\r\n")
	c.expect("sadd e 5", ":1\r\n")
	c.expect("sadd f 5", ":1\r\n")
	c.expect("smove e f 5", ":1\r\n")
	c.expect("exists e", ":0\r\n")
	c.expect("smembers f", "*1\r\n$1\r\n5\r\n")
}

func TestSetMaxIntsetEntries(t *testing.T) {
	c := newTestClient(t)
	c.expect("flushall", "+OK\r\n")
	c.expect("config set set-max-intset-entries 3", "+OK\r\n")
	c.expect("sadd s 1 2 3", ":3\r\n")
	c.expect("object encoding s", "$6\r\nintset\r\n")
	c.expect("sadd s 4", ":1\r\n")
	c.expect("object encoding s", "$9\r\nhashtable\r\n")
	c.expect("sadd t 1 2 3 4", ":4\r\n")
	c.expect("object encoding t", "$9\r\nhashtable\r\n")
	c.expect("sadd u 1 2", ":2\r\n")
	c.expect("sunionstore v u s", ":4\r\n")
	c.expect("object encoding v", "$9\r\nhashtable\r\n")
	c.expect("sinterstore w u s", ":2\r\n")
	c.expect("object encoding w", "$6\r\nintset\r\n")
	c.expect("config set set-max-intset-entries 512", "+OK\r\n")
	c.expect("sadd x 1 2 3 4", ":4\r\n")
	c.expect("object encoding x", "$6\r\nintset\r\n")
}

func TestSetRESP3(t *testing.T) {
	c := newTestClient(t)
	c.do("hello 3")
	c.expect("flushall", "+OK\r\n")
	c.expect("sadd s 3 1 2", ":3\r\n")
	c.expect("smembers s", "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n")
	c.expect("smembers nokey", "~0\r\n")
	c.expect("sinter s", "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n")
	c.expect("sinter s nokey", "~0\r\n")
	c.expect("sunion s", "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n")
	c.expect("sdiff s", "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n")
	c.expect("sdiff nokey", "~0\r\n")
	c.expect("srandmember s 5", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n")
	c.expect("srandmember s 0", "*0\r\n")
	c.expect("srandmember nokey 2", "*0\r\n")
	c.expect("srandmember nokey", "_\r\n")
	c.expect("spop nokey", "_\r\n")
	c.expect("spop nokey 2", "~0\r\n")
	c.expect("spop s 0", "~0\r\n")
	c.expect("smismember s 1 9", "*2\r\n:1\r\n:0\r\n")
	c.expect("sscan s 0", "*2\r\n$1\r\n0\r\n*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n")
	c.expect("sscan nokey 0", "*2\r\n$1\r\n0\r\n*0\r\n")
	c.expect("sintercard 1 s", ":3\r\n")
	c.expect("spop s 5", "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n")
}

func TestSetEffects(t *testing.T) {
	c := newTestClient(t)
	rec := recordEffects(c)
	c.do("select 0")
	rec.take()
	checkEffects(t, c, rec, []effectCase{
		{cmd: "sadd s 1 2", reply: ":2\r\n", stream: []string{"sadd s 1 2"}, events: []string{"sadd:s"}, dirty: 2},
		{cmd: "sadd s 1", reply: ":0\r\n"},
		{cmd: "srem s 1 9", reply: ":1\r\n", stream: []string{"srem s 1 9"}, events: []string{"srem:s"}, dirty: 1},
		{cmd: "srem s 2 1", reply: ":1\r\n", stream: []string{"srem s 2 1"}, events: []string{"srem:s", "del:s"}, dirty: 1},
		{cmd: "srem s 2", reply: ":0\r\n"},
		{cmd: "sadd s x", reply: ":1\r\n", stream: []string{"sadd s x"}, events: []string{"sadd:s"}, dirty: 1},
		{cmd: "spop s", reply: "$1\r\nx\r\n", stream: []string{"SREM s x"}, events: []string{"spop:s", "del:s"}, dirty: 1},
		{cmd: "spop s", reply: "$-1\r\n"},
		{cmd: "sadd s 1 2 3", reply: ":3\r\n", stream: []string{"sadd s 1 2 3"}, events: []string{"sadd:s"}, dirty: 3},
		{cmd: "spop s 5", reply: "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", stream: []string{"DEL s"}, events: []string{"spop:s", "del:s"}, dirty: 3},
		{cmd: "spop s 5", reply: "*0\r\n"},
		{cmd: "sadd a 1 2", reply: ":2\r\n", stream: []string{"sadd a 1 2"}, events: []string{"sadd:a"}, dirty: 2},
		{cmd: "smove a b 1", reply: ":1\r\n", stream: []string{"smove a b 1"}, events: []string{"srem:a", "sadd:b"}, dirty: 2},
		{cmd: "smove a b 2", reply: ":1\r\n", stream: []string{"smove a b 2"}, events: []string{"srem:a", "del:a", "sadd:b"}, dirty: 2},
		{cmd: "smove b c 9", reply: ":0\r\n"},
		{cmd: "sadd c 1", reply: ":1\r\n", stream: []string{"sadd c 1"}, events: []string{"sadd:c"}, dirty: 1},
		// The member is already in the destination: only the source changes.
		{cmd: "smove b c 1", reply: ":1\r\n", stream: []string{"smove b c 1"}, events: []string{"srem:b"}, dirty: 1},
		{cmd: "sinterstore d b b", reply: ":1\r\n", stream: []string{"sinterstore d b b"}, events: []string{"sinterstore:d"}, dirty: 1},
		{cmd: "sunionstore d b c", reply: ":2\r\n", stream: []string{"sunionstore d b c"}, events: []string{"sunionstore:d"}, dirty: 1},
		{cmd: "sdiffstore d c b", reply: ":1\r\n", stream: []string{"sdiffstore d c b"}, events: []string{"sdiffstore:d"}, dirty: 1},
		{cmd: "sinterstore d nokey", reply: ":0\r\n", stream: []string{"sinterstore d nokey"}, events: []string{"keymiss:nokey", "del:d"}, dirty: 1},
		{cmd: "sinterstore d nokey", reply: ":0\r\n", events: []string{"keymiss:nokey"}},
		{cmd: "sdiffstore d nokey b", reply: ":0\r\n", events: []string{"keymiss:nokey"}},
		{cmd: "sintercard 1 c", reply: ":1\r\n"},
		{cmd: "smembers nokey", reply: "*0\r\n", events: []string{"keymiss:nokey"}},
	})

	// With the "n" class on, creating a key says "new" first, as dbAdd does.
	c.srv.notifyFlags.v.Store(uint32(NotifyKeyevent | NotifyNew | NotifySet | NotifyGeneric))
	c.do("flushall")
	rec.take()
	checkEffects(t, c, rec, []effectCase{
		{cmd: "sadd s 1", reply: ":1\r\n", stream: []string{"sadd s 1"}, events: []string{"new:s", "sadd:s"}, dirty: 1},
		{cmd: "sadd s 2", reply: ":1\r\n", stream: []string{"sadd s 2"}, events: []string{"sadd:s"}, dirty: 1},
		{cmd: "smove s t 1", reply: ":1\r\n", stream: []string{"smove s t 1"}, events: []string{"srem:s", "new:t", "sadd:t"}, dirty: 2},
		{cmd: "sunionstore u s t", reply: ":2\r\n", stream: []string{"sunionstore u s t"}, events: []string{"new:u", "sunionstore:u"}, dirty: 1},
		{cmd: "sunionstore u s", reply: ":1\r\n", stream: []string{"sunionstore u s"}, events: []string{"sunionstore:u"}, dirty: 1},
	})
}

// setMembers parses a reply that is an array or set of bulk strings and
// returns the members sorted.
func setMembers(t *testing.T, reply string) []string {
	t.Helper()
	if strings.HasPrefix(reply, "~") {
		reply = "*" + reply[1:]
	}
	got := parseArrayOfBulks(t, reply)
	slices.Sort(got)
	return got
}

func TestSPopWithCount(t *testing.T) {
	c := newTestClient(t)
	rec := recordEffects(c)
	c.do("select 0")
	var all []string
	args := []string{"sadd", "s"}
	for i := range 100 {
		all = append(all, strconv.Itoa(i))
	}
	c.expectArgs(":100\r\n", append(args, all...)...)
	rec.take()

	// Few members against what remains: popped one at a time.
	popped := setMembers(t, c.do("spop s 10"))
	if len(popped) != 10 || len(slices.Compact(slices.Clone(popped))) != 10 {
		t.Fatalf("spop s 10: %q", popped)
	}
	stream, events := rec.take()
	if len(stream) != 1 || !strings.HasPrefix(stream[0], "SREM s ") {
		t.Fatalf("propagated %q, want one SREM", stream)
	}
	if srem := strings.Fields(stream[0])[2:]; !slices.Equal(sorted(srem), popped) {
		t.Errorf("SREM carries %q, popped %q", srem, popped)
	}
	if !slices.Equal(events, []string{"spop:s"}) {
		t.Errorf("events %q", events)
	}
	c.expect("scard s", ":90\r\n")
	c.expect("object encoding s", "$6\r\nintset\r\n")
	for _, m := range popped {
		c.expect("sismember s "+m, ":0\r\n")
	}

	// Most of the set: the few members kept go to a new set.
	left := setMembers(t, c.do("smembers s"))
	popped = setMembers(t, c.do("spop s 87"))
	rest := setMembers(t, c.do("smembers s"))
	if len(popped) != 87 || len(rest) != 3 || !slices.Equal(sorted(append(popped, rest...)), sorted(left)) {
		t.Fatalf("spop s 87 of 90: popped %d, %d left", len(popped), len(rest))
	}
	c.expect("object encoding s", "$6\r\nintset\r\n")

	// A hash table whose kept members are all integers becomes an intset,
	// as in Redis 7.0 (the new set starts as setTypeCreate of a member).
	for range 20 {
		c.do("del h")
		c.do("sadd h a 1 2 3 4 5")
		popped := setMembers(t, c.do("spop h 5"))
		rest := setMembers(t, c.do("smembers h"))
		if len(popped) != 5 || len(rest) != 1 {
			t.Fatalf("spop h 5 of 6: %q, left %q", popped, rest)
		}
		want := "$6\r\nintset\r\n"
		if rest[0] == "a" {
			want = "$9\r\nhashtable\r\n"
		}
		c.expect("object encoding h", want)
	}

	// More than 1024 popped members propagate as several SREMs.
	c.do("del big")
	args = []string{"sadd", "big"}
	for i := range 3000 {
		args = append(args, "m"+strconv.Itoa(i))
	}
	c.expectArgs(":3000\r\n", args...)
	rec.take()
	popped = setMembers(t, c.do("spop big 2000"))
	stream, _ = rec.take()
	var removed []string
	for _, cmd := range stream {
		f := strings.Fields(cmd)
		if f[0] == "SREM" {
			if len(f)-2 > 1024 {
				t.Errorf("an SREM of %d members", len(f)-2)
			}
			removed = append(removed, f[2:]...)
		}
	}
	if len(popped) != 2000 || !slices.Equal(sorted(removed), popped) {
		t.Errorf("popped %d, propagated %d removals", len(popped), len(removed))
	}
	c.expect("scard big", ":1000\r\n")
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestSRandMemberCounts(t *testing.T) {
	c := newTestClient(t)
	for _, members := range [][]string{
		{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"},
		{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"},
	} {
		c.do("del s")
		c.expectArgs(":10\r\n", append([]string{"sadd", "s"}, members...)...)
		for _, count := range []int{1, 2, 3, 4, 5, 9} { // 1-3: draws; 4-9: copy and drop
			got := setMembers(t, c.do("srandmember s "+strconv.Itoa(count)))
			if len(got) != count || len(slices.Compact(slices.Clone(got))) != count {
				t.Errorf("srandmember s %d: %q", count, got)
			}
			for _, m := range got {
				if !slices.Contains(members, m) {
					t.Errorf("srandmember s %d returned non-member %q", count, m)
				}
			}
		}
		got := setMembers(t, c.do("srandmember s -50"))
		if len(got) != 50 {
			t.Fatalf("srandmember s -50: %d members", len(got))
		}
		seen := map[string]bool{}
		for _, m := range got {
			if !slices.Contains(members, m) {
				t.Errorf("non-member %q", m)
			}
			seen[m] = true
		}
		if len(seen) < 3 {
			t.Errorf("50 draws with repetition from 10 members saw only %d of them", len(seen))
		}
		if got := setMembers(t, c.do("srandmember s 10")); !slices.Equal(got, sorted(members)) {
			t.Errorf("srandmember s 10: %q", got)
		}
		if m := parseArrayOfBulks(t, c.do("srandmember s")); len(m) != 1 || !slices.Contains(members, m[0]) {
			t.Errorf("srandmember s: %q", m)
		}
	}
	c.expect("srandmember s -268435457", "-"+errSrandTooMany+"\r\n")
}

// TestSetAlgebraModel compares SINTER, SUNION, SDIFF, their STORE forms,
// SINTERCARD and SMEMBERS with a model on random sets of both encodings.
func TestSetAlgebraModel(t *testing.T) {
	c := newTestClient(t)
	r := rand.New(rand.NewPCG(1, 2))
	pool := func() string {
		if r.IntN(3) == 0 {
			return "m" + strconv.Itoa(r.IntN(30))
		}
		return strconv.Itoa(r.IntN(30) - 10)
	}
	for round := range 40 {
		model := map[string]map[string]bool{}
		c.do("flushdb")
		for _, k := range []string{"a", "b", "c"} {
			if r.IntN(6) == 0 {
				continue // missing key
			}
			model[k] = map[string]bool{}
			args := []string{"sadd", k}
			for range 1 + r.IntN(25) {
				m := pool()
				if k == "c" && round%2 == 0 {
					m = strconv.Itoa(r.IntN(30) - 10) // an intset
				}
				model[k][m] = true
				args = append(args, m)
			}
			c.doArgs(toBytes(args)...)
		}
		keys := []string{"a", "b", "c"}[:1+r.IntN(3)]
		inter, union, diff := map[string]bool{}, map[string]bool{}, map[string]bool{}
		for m := range model[keys[0]] {
			inAll, inOther := true, false
			for _, k := range keys[1:] {
				inAll = inAll && model[k][m]
				inOther = inOther || model[k][m]
			}
			if inAll {
				inter[m] = true
			}
			if !inOther {
				diff[m] = true
			}
		}
		for _, k := range keys {
			for m := range model[k] {
				union[m] = true
			}
		}
		for op, want := range map[string]map[string]bool{"sinter": inter, "sunion": union, "sdiff": diff} {
			line := op + " " + strings.Join(keys, " ")
			if got := setMembers(t, c.do(line)); !slices.Equal(got, keysOf(want)) {
				t.Fatalf("%s: %q, want %q", line, got, keysOf(want))
			}
			c.expect(op+"store dst "+strings.Join(keys, " "), fmt.Sprintf(":%d\r\n", len(want)))
			if got := setMembers(t, c.do("smembers dst")); !slices.Equal(got, keysOf(want)) {
				t.Fatalf("%sstore: %q, want %q", op, got, keysOf(want))
			}
			// The stored set's encoding is the one Redis's builder ends with.
			wantEnc := ""
			if len(want) > 0 {
				wantEnc = "hashtable"
				if allInts(want) {
					wantEnc = "intset"
				}
			}
			c.expectEncoding("dst", wantEnc)
		}
		c.expect("sintercard "+strconv.Itoa(len(keys))+" "+strings.Join(keys, " "), fmt.Sprintf(":%d\r\n", len(inter)))
		if len(inter) > 1 {
			c.expect("sintercard "+strconv.Itoa(len(keys))+" "+strings.Join(keys, " ")+" limit 1", ":1\r\n")
		}
	}
}

func keysOf(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// allInts reports whether every member is a canonical integer (one an
// intset can hold).
func allInts(m map[string]bool) bool {
	for k := range m {
		v, err := strconv.ParseInt(k, 10, 64)
		if err != nil || strconv.FormatInt(v, 10) != k {
			return false
		}
	}
	return true
}

func toBytes(args []string) [][]byte {
	out := make([][]byte, len(args))
	for i, a := range args {
		out[i] = []byte(a)
	}
	return out
}

// TestSScanHashtable walks a big set with every COUNT: every member comes
// back, and each call visits a bounded number of members.
func TestSScanHashtable(t *testing.T) {
	c := newTestClient(t)
	args := []string{"sadd", "s"}
	for i := range 500 {
		args = append(args, "m"+strconv.Itoa(i))
	}
	c.doArgs(toBytes(args)...)
	for _, count := range []string{"1", "7", "100", "1000"} {
		seen := map[string]bool{}
		cursor := "0"
		for calls := 0; ; calls++ {
			if calls > 2000 {
				t.Fatalf("count %s: scan does not end", count)
			}
			reply := parseArrayOfBulks(t, c.do("sscan s "+cursor+" count "+count))
			cursor = reply[0]
			for _, m := range reply[1:] {
				seen[m] = true
			}
			if cursor == "0" {
				break
			}
		}
		if len(seen) != 500 {
			t.Errorf("count %s: saw %d of 500 members", count, len(seen))
		}
	}
	got := parseArrayOfBulks(t, c.do("sscan s 0 match m1? count 10000"))
	if got[0] != "0" || len(got) != 11 {
		t.Errorf("match m1?: %q", got)
	}
}

func TestSInterCardKeys(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []int
	}{
		{"sintercard 2 a b", []int{2, 3}},
		{"sintercard 1 a limit 5", []int{2}},
		{"sintercard 3 a b", nil},
		{"sintercard 0 a", nil},
		{"sintercard x a", nil},
		{"sintercard", nil},
	} {
		if got := sinterCardKeys(toBytes(strings.Fields(tc.line))); !slices.Equal(got, tc.want) {
			t.Errorf("%s: keys at %v, want %v", tc.line, got, tc.want)
		}
	}
	// Inside a transaction the keys' shards are held for EXEC.
	c := newTestClient(t)
	c.do("sadd a 1 2 3")
	c.do("sadd b 2 3 4")
	c.expect("multi", "+OK\r\n")
	c.expect("sintercard 2 a b", "+QUEUED\r\n")
	c.expect("sintercard 0 a", "+QUEUED\r\n")
	c.expect("exec", "*2\r\n:2\r\n-ERR numkeys should be greater than 0\r\n")
}

func TestSetCopyDumpRestore(t *testing.T) {
	c := newTestClient(t)
	c.do("sadd i 3 1 2")
	c.do("sadd h a b 1")
	// DUMP of an intset is Redis's, byte for byte (recorded from 7.0.15).
	c.expect("dump i", "$26\r\n\x0b\x0e\x02\x00\x00\x00\x03\x00\x00\x00\x01\x00\x02\x00\x03\x00\n\x00\xa5\x02\\\xe2mnM\x1b\r\n")
	for _, k := range []string{"i", "h"} {
		payload := parseArrayOfBulks(t, c.do("dump "+k))[0]
		c.expectArgs("+OK\r\n", "restore", "r"+k, "0", payload)
		if got, want := setMembers(t, c.do("smembers r"+k)), setMembers(t, c.do("smembers "+k)); !slices.Equal(got, want) {
			t.Errorf("restored %s: %q, want %q", k, got, want)
		}
		c.expect("object encoding r"+k, c.do("object encoding "+k))
		c.expect("copy "+k+" c"+k, ":1\r\n")
		c.expect("sadd c"+k+" new", ":1\r\n")
		c.expect("sismember "+k+" new", ":0\r\n")
		c.expect("object encoding c"+k, "$9\r\nhashtable\r\n")
	}
}

// TestSetConcurrentMoves moves members between sets in different shards
// from several clients at once: no member is lost or duplicated.
func TestSetConcurrentMoves(t *testing.T) {
	srv := newTestServer(t)
	setup := srv.testClient(t)
	const keys, members = 8, 200
	for i := range members {
		setup.do(fmt.Sprintf("sadd k%d %d", i%keys, i))
	}
	var wg sync.WaitGroup
	for w := range 4 {
		tc := srv.testClient(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 3))
			for range 500 {
				m := r.IntN(members)
				switch r.IntN(4) {
				case 0:
					tc.do(fmt.Sprintf("sunionstore tmp%d k%d k%d", w, r.IntN(keys), r.IntN(keys)))
				default:
					tc.do(fmt.Sprintf("smove k%d k%d %d", r.IntN(keys), r.IntN(keys), m))
				}
			}
		}()
	}
	wg.Wait()
	seen := map[string]int{}
	for k := range keys {
		for _, m := range setMembers(t, setup.do(fmt.Sprintf("smembers k%d", k))) {
			seen[m]++
		}
	}
	if len(seen) != members {
		t.Fatalf("%d distinct members after the moves, want %d", len(seen), members)
	}
	for m, n := range seen {
		if n != 1 {
			t.Fatalf("member %s is in %d sets", m, n)
		}
	}
}

func TestSetDigest(t *testing.T) {
	c := newTestClient(t)
	c.do("sadd i 1 2 3")
	c.do("sadd h 3 2 1 x")
	c.do("srem h x")
	c.expectEncoding("i", "intset")
	c.expectEncoding("h", "hashtable")
	// Recorded from redis-server 7.0.15: SADD i 1 2 3; DEBUG DIGEST-VALUE i.
	want := c.do("debug digest-value i")
	if got := c.do("debug digest-value h"); got != want {
		t.Errorf("same members, other encoding: digest %q, want %q", got, want)
	}
	c.expect("debug digest-value i", "*1\r\n+2a462a3f51a1db89738ebbeef0c47ce1bbc85246\r\n")
}
