package server

// Hash command tests. The exact-reply tables were recorded from
// redis-server 7.0.15 (default configuration, so hash-max-listpack-entries
// is 512): each line ran against it and its raw reply is the expectation.
// What depends on chance (HRANDFIELD picks, the order of a hashtable, HSCAN
// cursors of a hashtable) is checked by its properties instead.

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
)

type hashReplyCase struct{ cmd, reply string }

func runHashCases(t *testing.T, c *testClient, cases []hashReplyCase) {
	t.Helper()
	for _, tc := range cases {
		c.expect(tc.cmd, tc.reply)
	}
}

func TestHashCommandsRESP2(t *testing.T) {
	runHashCases(t, newTestClient(t), []hashReplyCase{
		// HSET / HMSET / HSETNX
		{"hset h a 1 b -5 c hello d 007", ":4\r\n"},
		{"hset h a 2", ":0\r\n"},
		{"hset h a 2 e 5", ":1\r\n"},
		{"hset h a 1 b", "-ERR wrong number of arguments for 'hset' command\r\n"},
		{"hset h a", "-ERR wrong number of arguments for 'hset' command\r\n"},
		{"hmset h a 1 b", "-ERR wrong number of arguments for 'hmset' command\r\n"},
		{"hmset h z 9", "+OK\r\n"},
		{"hmset nh x 1", "+OK\r\n"},
		{"hsetnx h a 1", ":0\r\n"},
		{"hsetnx h q 1", ":1\r\n"},
		{"hsetnx nx q 1", ":1\r\n"},
		{"hsetnx nx q 2", ":0\r\n"},
		{"hget nx q", "$1\r\n1\r\n"},
		{"set s x", "+OK\r\n"},
		{"hset s a b", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"hmset s a b", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"hsetnx s a b", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		// Reads
		{"hget h a", "$1\r\n2\r\n"},
		{"hget h zz", "$-1\r\n"},
		{"hget nokey a", "$-1\r\n"},
		{"hget s a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"hmget h a zz b", "*3\r\n$1\r\n2\r\n$-1\r\n$2\r\n-5\r\n"},
		{"hmget s a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"hmget nokey a b", "*2\r\n$-1\r\n$-1\r\n"},
		{"hlen h", ":7\r\n"},
		{"hlen nokey", ":0\r\n"},
		{"hlen s", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"hstrlen h c", ":5\r\n"},
		{"hstrlen h b", ":2\r\n"},
		{"hstrlen h zz", ":0\r\n"},
		{"hstrlen nokey f", ":0\r\n"},
		{"hstrlen s f", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"hexists h a", ":1\r\n"},
		{"hexists h zz", ":0\r\n"},
		{"hexists nokey a", ":0\r\n"},
		{"hexists s a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"hkeys h", "*7\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nz\r\n$1\r\nq\r\n"},
		{"hvals h", "*7\r\n$1\r\n2\r\n$2\r\n-5\r\n$5\r\nhello\r\n$3\r\n007\r\n$1\r\n5\r\n$1\r\n9\r\n$1\r\n1\r\n"},
		{"hgetall h", "*14\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$2\r\n-5\r\n$1\r\nc\r\n$5\r\nhello\r\n$1\r\nd\r\n$3\r\n007\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nz\r\n$1\r\n9\r\n$1\r\nq\r\n$1\r\n1\r\n"},
		{"hgetall nokey", "*0\r\n"},
		{"hkeys nokey", "*0\r\n"},
		{"hvals nokey", "*0\r\n"},
		{"hgetall s", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"hkeys s", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"hvals s", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		// HINCRBY
		{"hincrby h a 5", ":7\r\n"},
		{"hincrby h c 1", "-ERR hash value is not an integer\r\n"},
		{"hincrby h new 10", ":10\r\n"},
		{"hincrby h a x", "-ERR value is not an integer or out of range\r\n"},
		{"hincrby h a 1.5", "-ERR value is not an integer or out of range\r\n"},
		{"hincrby s a 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"hincrby nokey2 a x", "-ERR value is not an integer or out of range\r\n"},
		{"hincrby h a 9223372036854775807", "-ERR increment or decrement would overflow\r\n"},
		{"hset h big 9223372036854775807", ":1\r\n"},
		{"hincrby h big 1", "-ERR increment or decrement would overflow\r\n"},
		{"hincrby h big -1", ":9223372036854775806\r\n"},
		{"hset h small -9223372036854775808", ":1\r\n"},
		{"hincrby h small -1", "-ERR increment or decrement would overflow\r\n"},
		{"hincrby h small 1", ":-9223372036854775807\r\n"},
		{"hincrby h d 1", "-ERR hash value is not an integer\r\n"},
		{"hget h new", "$2\r\n10\r\n"},
		// HINCRBYFLOAT
		{"hincrbyfloat h f2 10.5", "$4\r\n10.5\r\n"},
		{"hincrbyfloat h f2 0.1", "$4\r\n10.6\r\n"},
		{"hincrbyfloat h f2 5.0e3", "$22\r\n5010.60000000000000009\r\n"},
		{"hincrbyfloat h a 1.5", "$3\r\n8.5\r\n"},
		{"hincrbyfloat h c 1", "-ERR hash value is not a float\r\n"},
		{"hincrbyfloat h a inf", "-ERR value is NaN or Infinity\r\n"},
		{"hincrbyfloat h a -inf", "-ERR value is NaN or Infinity\r\n"},
		{"hincrbyfloat h a nan", "-ERR value is not a valid float\r\n"},
		{"hincrbyfloat h a x", "-ERR value is not a valid float\r\n"},
		{"hincrbyfloat h a \"\"", "-ERR value is not a valid float\r\n"},
		{"hincrbyfloat s a 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"hincrbyfloat s a x", "-ERR value is not a valid float\r\n"},
		{"hincrbyfloat h i3 3", "$1\r\n3\r\n"},
		{"hincrbyfloat h i3 -3", "$1\r\n0\r\n"},
		{"hincrbyfloat h i3 0x10", "$2\r\n16\r\n"},
		{"hincrbyfloat h i3 1e-5", "$8\r\n16.00001\r\n"},
		{"hget h i3", "$8\r\n16.00001\r\n"},
		{"hset h inf inf", ":1\r\n"},
		{"hincrbyfloat h inf 1", "-ERR increment would produce NaN or Infinity\r\n"},
		// HDEL
		{"hdel h zz", ":0\r\n"},
		{"hdel nokey a", ":0\r\n"},
		{"hdel s a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"hdel h a a b", ":2\r\n"},
		{"hdel h c d z new f2 q i3 inf big small e", ":11\r\n"},
		{"exists h", ":0\r\n"},
		{"hset h2 a 1", ":1\r\n"},
		{"hdel h2 a b c", ":1\r\n"},
		{"exists h2", ":0\r\n"},
		// HSCAN on a listpack
		{"hset hs a 1 b 2 c 3 ab 4", ":4\r\n"},
		{"hscan hs 0", "*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$2\r\nab\r\n$1\r\n4\r\n"},
		{"hscan hs 17", "*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$2\r\nab\r\n$1\r\n4\r\n"},
		{"hscan hs 0 count 0", "-ERR syntax error\r\n"},
		{"hscan hs 0 count -1", "-ERR syntax error\r\n"},
		{"hscan hs 0 count x", "-ERR value is not an integer or out of range\r\n"},
		{"hscan hs 0 count 1", "*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$2\r\nab\r\n$1\r\n4\r\n"},
		{"hscan hs 0 match a*", "*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$2\r\nab\r\n$1\r\n4\r\n"},
		{"hscan hs 0 MATCH * COUNT 100", "*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$2\r\nab\r\n$1\r\n4\r\n"},
		{"hscan hs 0 match", "-ERR syntax error\r\n"},
		{"hscan hs 0 type string", "-ERR syntax error\r\n"},
		{"hscan hs 0 novalues", "-ERR syntax error\r\n"},
		{"hscan hs x", "-ERR invalid cursor\r\n"},
		{"hscan hs -1", "*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$2\r\nab\r\n$1\r\n4\r\n"},
		{"hscan hs 18446744073709551616", "-ERR invalid cursor\r\n"},
		{"hscan hs \"\"", "*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$2\r\nab\r\n$1\r\n4\r\n"},
		{"hscan nokey 0 count 0", "*2\r\n$1\r\n0\r\n*0\r\n"},
		{"hscan nokey x", "-ERR invalid cursor\r\n"},
		{"hscan s 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		// HRANDFIELD shapes that do not depend on chance
		{"hrandfield nokey", "$-1\r\n"},
		{"hrandfield nokey 5", "*0\r\n"},
		{"hrandfield nokey 5 withvalues", "*0\r\n"},
		{"hrandfield nokey 5 foo", "-ERR syntax error\r\n"},
		{"hrandfield hs 0", "*0\r\n"},
		{"hrandfield hs 0 withvalues", "*0\r\n"},
		{"hrandfield hs 4 withvalues", "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$2\r\nab\r\n$1\r\n4\r\n"},
		{"hrandfield hs 10", "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$2\r\nab\r\n"},
		{"hrandfield hs -9223372036854775808", "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"},
		{"hrandfield hs -9223372036854775807 withvalues", "-ERR value is out of range\r\n"},
		{"hrandfield hs 9223372036854775807 withvalues", "-ERR value is out of range\r\n"},
		{"hrandfield hs 4611686018427387903 withvalues", "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$2\r\nab\r\n$1\r\n4\r\n"},
		{"hrandfield hs 1 foo", "-ERR syntax error\r\n"},
		{"hrandfield hs 1 withvalues x", "-ERR syntax error\r\n"},
		{"hrandfield hs x", "-ERR value is not an integer or out of range\r\n"},
		{"hrandfield hs x withvalues", "-ERR value is not an integer or out of range\r\n"},
		{"hrandfield s", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"hrandfield s 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"hset one f v", ":1\r\n"},
		{"hrandfield one", "$1\r\nf\r\n"},
		{"hrandfield one 1", "*1\r\n$1\r\nf\r\n"},
		{"hrandfield one -3", "*3\r\n$1\r\nf\r\n$1\r\nf\r\n$1\r\nf\r\n"},
		{"hrandfield one -2 withvalues", "*4\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\nf\r\n$1\r\nv\r\n"},
		{"hrandfield one 1 WITHVALUES", "*2\r\n$1\r\nf\r\n$1\r\nv\r\n"},
		// Arity
		{"hget h", "-ERR wrong number of arguments for 'hget' command\r\n"},
		{"hmget h", "-ERR wrong number of arguments for 'hmget' command\r\n"},
		{"hdel h", "-ERR wrong number of arguments for 'hdel' command\r\n"},
		{"hlen", "-ERR wrong number of arguments for 'hlen' command\r\n"},
		{"hgetall", "-ERR wrong number of arguments for 'hgetall' command\r\n"},
		{"hincrby h a", "-ERR wrong number of arguments for 'hincrby' command\r\n"},
		{"hincrbyfloat h a", "-ERR wrong number of arguments for 'hincrbyfloat' command\r\n"},
		{"hsetnx h a", "-ERR wrong number of arguments for 'hsetnx' command\r\n"},
		{"hscan h", "-ERR wrong number of arguments for 'hscan' command\r\n"},
		{"hrandfield", "-ERR wrong number of arguments for 'hrandfield' command\r\n"},
		{"hstrlen h", "-ERR wrong number of arguments for 'hstrlen' command\r\n"},
		{"hexists h", "-ERR wrong number of arguments for 'hexists' command\r\n"},
	})
}

func TestHashCommandsRESP3(t *testing.T) {
	c := newTestClient(t)
	c.do("hello 3")
	runHashCases(t, c, []hashReplyCase{
		{"hset h a 1 b -5 c hello", ":3\r\n"},
		{"hgetall h", "%3\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n-5\r\n$1\r\nc\r\n$5\r\nhello\r\n"},
		{"hgetall nokey", "%0\r\n"},
		{"hkeys h", "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"},
		{"hkeys nokey", "*0\r\n"},
		{"hvals h", "*3\r\n$1\r\n1\r\n$2\r\n-5\r\n$5\r\nhello\r\n"},
		{"hmget h a zz", "*2\r\n$1\r\n1\r\n_\r\n"},
		{"hmget nokey a", "*1\r\n_\r\n"},
		{"hget h zz", "_\r\n"},
		{"hget nokey a", "_\r\n"},
		{"hrandfield nokey", "_\r\n"},
		{"hrandfield nokey 3", "*0\r\n"},
		{"hrandfield nokey 3 withvalues", "*0\r\n"},
		{"hrandfield h 3 withvalues", "*3\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$2\r\n-5\r\n*2\r\n$1\r\nc\r\n$5\r\nhello\r\n"},
		{"hrandfield h 10 withvalues", "*3\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$2\r\n-5\r\n*2\r\n$1\r\nc\r\n$5\r\nhello\r\n"},
		{"hrandfield h 0 withvalues", "*0\r\n"},
		{"hset one f v", ":1\r\n"},
		{"hrandfield one -2 withvalues", "*2\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"},
		{"hrandfield one 1 withvalues", "*1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"},
		{"hrandfield one -2", "*2\r\n$1\r\nf\r\n$1\r\nf\r\n"},
		{"hscan h 0", "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n-5\r\n$1\r\nc\r\n$5\r\nhello\r\n"},
		{"hscan nokey 0", "*2\r\n$1\r\n0\r\n*0\r\n"},
		{"hincrbyfloat h a 1.5", "$3\r\n2.5\r\n"},
	})
}

// TestHashHugeFloat: long-double range, as Redis's HINCRBYFLOAT has it.
func TestHashHugeFloat(t *testing.T) {
	c := newTestClient(t)
	c.expectPrefix("hincrbyfloat h f 1e4932", "$4933\r\n10000000000000000000060189493879638913")
	c.expect("hincrbyfloat h f 1e4932", "-ERR increment would produce NaN or Infinity\r\n")
	c.expect("object encoding h", "$9\r\nhashtable\r\n")
	c.expect("hincrbyfloat h g 1e-4950", "$1\r\n0\r\n")
}

func TestHashEncodings(t *testing.T) {
	c := newTestClient(t)
	long64, long65 := strings.Repeat("y", 64), strings.Repeat("x", 65)
	for _, tc := range []struct{ setup, key, want string }{
		{"hset a f " + long64, "a", "listpack"},
		{"hset a g " + long65, "a", "hashtable"},
		{"hset b " + long65 + " v", "b", "hashtable"},
		{"hmset b2 f v g " + long65, "b2", "hashtable"},
		{"hincrby c " + long65 + " 1", "c", "hashtable"},
		{"hincrbyfloat d " + long65 + " 1", "d", "hashtable"},
		{"hsetnx e " + long65 + " v", "e", "hashtable"},
		{"hsetnx e2 f " + long65, "e2", "hashtable"},
		// An update to a long value converts too.
		{"hset f f v", "f", "listpack"},
		{"hset f f " + long65, "f", "hashtable"},
	} {
		c.do(tc.setup)
		c.expect("object encoding "+tc.key, fmt.Sprintf("$%d\r\n%s\r\n", len(tc.want), tc.want))
	}

	// Entries: 512 stay, 513 convert; deleting never converts back.
	var args []string
	for i := range 512 {
		args = append(args, "f"+strconv.Itoa(i), "v")
	}
	c.expect("hset big "+strings.Join(args, " "), ":512\r\n")
	c.expect("object encoding big", "$8\r\nlistpack\r\n")
	c.expect("hset big f512 v", ":1\r\n")
	c.expect("object encoding big", "$9\r\nhashtable\r\n")
	c.expect("hdel big f0 f1 f2 f3 f4", ":5\r\n")
	c.expect("object encoding big", "$9\r\nhashtable\r\n")
	// Duplicates in one HSET do not count twice.
	c.expect("hset dup "+strings.Repeat("f v ", 600), ":1\r\n")
	c.expect("object encoding dup", "$8\r\nlistpack\r\n")

	// CONFIG SET affects later writes only.
	c.expect("hset x a 1 b 2 c 3", ":3\r\n")
	c.expect("config set hash-max-listpack-entries 2", "+OK\r\n")
	c.expect("object encoding x", "$8\r\nlistpack\r\n")
	// The next write converts, even one that only updates a field.
	c.expect("hset x a 9", ":0\r\n")
	c.expect("object encoding x", "$9\r\nhashtable\r\n")
	c.expect("hset y a 1 b 2", ":2\r\n")
	c.expect("object encoding y", "$8\r\nlistpack\r\n")
	c.expect("hset y c 3", ":1\r\n")
	c.expect("object encoding y", "$9\r\nhashtable\r\n")
	c.expect("config set hash-max-listpack-value 0", "+OK\r\n")
	c.expect("hset z '' ''", ":1\r\n")
	c.expect("object encoding z", "$8\r\nlistpack\r\n")
	c.expect("hset z b 1", ":1\r\n")
	c.expect("object encoding z", "$9\r\nhashtable\r\n")
	c.expect("type z", "+hash\r\n")
}

func TestHashEffects(t *testing.T) {
	c := newTestClient(t)
	rec := recordEffects(c)
	c.srv.notifyFlags.v.Store(uint32(NotifyNew<<1 - 1)) // every class, "new" included
	checkEffects(t, c, rec, []effectCase{
		{cmd: "hset h a 1 b 2", reply: ":2\r\n", stream: []string{"hset h a 1 b 2"}, events: []string{"new:h", "hset:h"}, dirty: 2},
		{cmd: "hset h a 1", reply: ":0\r\n", stream: []string{"hset h a 1"}, events: []string{"hset:h"}, dirty: 1},
		{cmd: "hmset h c 3", reply: "+OK\r\n", stream: []string{"hmset h c 3"}, events: []string{"hset:h"}, dirty: 1},
		{cmd: "hsetnx h a 9", reply: ":0\r\n"},
		{cmd: "hsetnx h d 4", reply: ":1\r\n", stream: []string{"hsetnx h d 4"}, events: []string{"hset:h"}, dirty: 1},
		{cmd: "hincrby h a 5", reply: ":6\r\n", stream: []string{"hincrby h a 5"}, events: []string{"hincrby:h"}, dirty: 1},
		{cmd: "hincrby h zz x", reply: "-ERR value is not an integer or out of range\r\n"},
		{cmd: "hincrbyfloat h f 10.5", reply: "$4\r\n10.5\r\n", stream: []string{"HSET h f 10.5"}, events: []string{"hincrbyfloat:h"}, dirty: 1},
		{cmd: "hincrbyfloat h f 5.0e3", reply: "$6\r\n5010.5\r\n", stream: []string{"HSET h f 5010.5"}, events: []string{"hincrbyfloat:h"}, dirty: 1},
		{cmd: "hget h nope", reply: "$-1\r\n"},
		{cmd: "hget nokey f", reply: "$-1\r\n", events: []string{"keymiss:nokey"}},
		{cmd: "hdel h nope", reply: ":0\r\n"},
		{cmd: "hdel h a b nope", reply: ":2\r\n", stream: []string{"hdel h a b nope"}, events: []string{"hdel:h"}, dirty: 2},
		{cmd: "hdel h c d f", reply: ":3\r\n", stream: []string{"hdel h c d f"}, events: []string{"hdel:h", "del:h"}, dirty: 3},
		{cmd: "hincrby n f 1", reply: ":1\r\n", stream: []string{"hincrby n f 1"}, events: []string{"new:n", "hincrby:n"}, dirty: 1},
		{cmd: "hincrbyfloat m f 1", reply: "$1\r\n1\r\n", stream: []string{"HSET m f 1"}, events: []string{"new:m", "hincrbyfloat:m"}, dirty: 1},
		{cmd: "hsetnx o f v", reply: ":1\r\n", stream: []string{"hsetnx o f v"}, events: []string{"new:o", "hset:o"}, dirty: 1},
	})
}

// hscanAll runs HSCAN with count until the cursor comes back to 0 and
// returns every field => value seen, and the number of calls.
func hscanAll(t *testing.T, c *testClient, key string, extra ...string) (map[string]string, int) {
	t.Helper()
	seen := map[string]string{}
	cursor := "0"
	calls := 0
	for {
		args := [][]byte{[]byte("hscan"), []byte(key), []byte(cursor)}
		for _, e := range extra {
			args = append(args, []byte(e))
		}
		reply := parseArrayOfBulks(t, c.doArgs(args...))
		calls++
		cursor = reply[0]
		items := reply[1:]
		if len(items)%2 != 0 {
			t.Fatalf("odd HSCAN reply %q", reply)
		}
		for i := 0; i < len(items); i += 2 {
			seen[items[i]] = items[i+1]
		}
		if cursor == "0" || calls > 10000 {
			return seen, calls
		}
	}
}

func TestHashScanTable(t *testing.T) {
	c := newTestClient(t)
	var args []string
	for i := range 1000 {
		args = append(args, "f"+strconv.Itoa(i), "v"+strconv.Itoa(i))
	}
	c.expect("hset h "+strings.Join(args, " "), ":1000\r\n")
	c.expect("object encoding h", "$9\r\nhashtable\r\n")

	seen, calls := hscanAll(t, c, "h")
	if len(seen) != 1000 || calls < 50 {
		t.Fatalf("default COUNT: %d fields in %d calls", len(seen), calls)
	}
	for f, v := range seen {
		if "v"+f[1:] != v {
			t.Fatalf("field %s came with %s", f, v)
		}
	}
	seen, calls = hscanAll(t, c, "h", "count", "400")
	if len(seen) != 1000 || calls > 5 {
		t.Fatalf("COUNT 400: %d fields in %d calls", len(seen), calls)
	}
	// MATCH filters after counting: f1, f10..f19, f100..f199.
	seen, _ = hscanAll(t, c, "h", "match", "f1*", "count", "50")
	if len(seen) != 111 {
		t.Fatalf("MATCH f1*: %d fields", len(seen))
	}
	// Fields changing during the scan: every field present throughout is
	// returned.
	seen = map[string]string{}
	cursor := "0"
	for i := 0; ; i++ {
		reply := parseArrayOfBulks(t, c.doArgs([]byte("hscan"), []byte("h"), []byte(cursor)))
		cursor = reply[0]
		for j := 1; j < len(reply); j += 2 {
			seen[reply[j]] = reply[j+1]
		}
		if cursor == "0" {
			break
		}
		c.do(fmt.Sprintf("hset h new%d x", i))
		c.do(fmt.Sprintf("hdel h f%d", 999-i%50))
	}
	for i := range 950 {
		if _, ok := seen["f"+strconv.Itoa(i)]; !ok {
			t.Fatalf("f%d missing from a scan with concurrent changes", i)
		}
	}
}

func TestHRandFieldTable(t *testing.T) {
	c := newTestClient(t)
	var args []string
	for i := range 600 {
		args = append(args, "f"+strconv.Itoa(i), "v"+strconv.Itoa(i))
	}
	c.expect("hset h "+strings.Join(args, " "), ":600\r\n")
	c.expect("hset small a 1 b 2 c 3 d 4 e 5", ":5\r\n")
	for _, key := range []string{"h", "small"} {
		size := map[string]int{"h": 600, "small": 5}[key]
		for _, count := range []int{1, 2, 3, 100, 250, 599, 600, 1000, -1, -5, -700} {
			reply := parseArrayOfBulks(t, c.do(fmt.Sprintf("hrandfield %s %d withvalues", key, count)))
			want := count
			if count < 0 {
				want = -count
			} else {
				want = min(count, size)
			}
			if len(reply) != 2*want {
				t.Fatalf("%s count %d: %d elements", key, count, len(reply))
			}
			fields := map[string]bool{}
			for i := 0; i < len(reply); i += 2 {
				if key == "h" && "v"+reply[i][1:] != reply[i+1] {
					t.Fatalf("%s: pair %s=%s", key, reply[i], reply[i+1])
				}
				fields[reply[i]] = true
			}
			if count > 0 && len(fields) != want {
				t.Fatalf("%s count %d: %d distinct of %d", key, count, len(fields), want)
			}
			if count == -700 && len(fields) < 5 {
				t.Fatalf("%s count -700: only %d distinct fields", key, len(fields))
			}
		}
		f := parseArrayOfBulks(t, c.do("hrandfield "+key))
		if len(f) != 1 || !strings.HasPrefix(f[0], map[string]string{"h": "f", "small": ""}[key]) {
			t.Fatalf("hrandfield %s: %q", key, f)
		}
	}
	// RESP3 nests the pairs.
	c.do("hello 3")
	got := c.do("hrandfield h -2 withvalues")
	if !strings.HasPrefix(got, "*2\r\n*2\r\n$") {
		t.Fatalf("RESP3 pairs: %q", got)
	}
	got = c.do("hrandfield h 2 withvalues")
	if !strings.HasPrefix(got, "*2\r\n*2\r\n$") || strings.Count(got, "*2\r\n") != 3 {
		t.Fatalf("RESP3 distinct pairs: %q", got)
	}
}

func TestHashDumpRestoreCopy(t *testing.T) {
	c := newTestClient(t)
	c.expect("hset h f1 v1 f2 v2", ":2\r\n")
	// Redis 7.0.15's DUMP of the same hash.
	payload := "\x10\x17\x17\x00\x00\x00\x04\x00\x82f1\x03\x82v1\x03\x82f2\x03\x82v2\x03\xff\x0a\x00\x03\xf8\x4c\x0c\x15\xd4\xa2\xbc"
	c.expect("dump h", fmt.Sprintf("$%d\r\n%s\r\n", len(payload), payload))
	if got := c.doArgs([]byte("restore"), []byte("r"), []byte("0"), []byte(payload)); got != "+OK\r\n" {
		t.Fatalf("RESTORE: %q", got)
	}
	c.expect("hgetall r", "*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n")
	c.expect("object encoding r", "$8\r\nlistpack\r\n")

	var args []string
	for i := range 600 {
		args = append(args, "f"+strconv.Itoa(i), strconv.Itoa(i))
	}
	c.expect("hset big "+strings.Join(args, " "), ":600\r\n")
	dump := c.do("dump big")
	body := dump[strings.Index(dump, "\r\n")+2 : len(dump)-2]
	if got := c.doArgs([]byte("restore"), []byte("big2"), []byte("0"), []byte(body)); got != "+OK\r\n" {
		t.Fatalf("RESTORE big: %q", got)
	}
	c.expect("object encoding big2", "$9\r\nhashtable\r\n")
	c.expect("hlen big2", ":600\r\n")
	c.expect("hget big2 f599", "$3\r\n599\r\n")

	// COPY is deep: the copy does not see later changes.
	c.expect("copy h hc", ":1\r\n")
	c.expect("copy big bigc", ":1\r\n")
	c.expect("hset h f1 changed", ":0\r\n")
	c.expect("hdel big f0", ":1\r\n")
	c.expect("hget hc f1", "$2\r\nv1\r\n")
	c.expect("hget bigc f0", "$1\r\n0\r\n")
	c.expect("object encoding bigc", "$9\r\nhashtable\r\n")
}

// TestHashSessionWorkload: HSET + EXPIRE + HGETALL, the session-store
// pattern, stays compact and keeps its TTL across updates.
func TestHashSessionWorkload(t *testing.T) {
	c := newTestClient(t)
	c.expect("hset session:1 user alice csrf 0123456789abcdef last 1700000000", ":3\r\n")
	c.expect("expire session:1 100", ":1\r\n")
	c.expect("hincrby session:1 hits 1", ":1\r\n")
	c.expect("hset session:1 last 1700000001", ":0\r\n")
	c.expect("ttl session:1", ":100\r\n")
	c.expect("hgetall session:1", "*8\r\n$4\r\nuser\r\n$5\r\nalice\r\n$4\r\ncsrf\r\n$16\r\n0123456789abcdef\r\n$4\r\nlast\r\n$10\r\n1700000001\r\n$4\r\nhits\r\n$1\r\n1\r\n")
	c.expect("object encoding session:1", "$8\r\nlistpack\r\n")
	c.expect("pexpire session:1 1", ":1\r\n")
	for c.do("exists session:1") != ":0\r\n" {
	}
	c.expect("hgetall session:1", "*0\r\n")
}

func BenchmarkHashSession(b *testing.B) {
	c := newTestServer(b).testClient(b)
	hset := [][]byte{[]byte("hset"), []byte("session:1"), []byte("user"), []byte("alice"),
		[]byte("csrf"), []byte("0123456789abcdef"), []byte("last"), []byte("1700000000")}
	expire := [][]byte{[]byte("expire"), []byte("session:1"), []byte("3600")}
	hgetall := [][]byte{[]byte("hgetall"), []byte("session:1")}
	del := [][]byte{[]byte("del"), []byte("session:1")}
	b.ReportAllocs()
	for b.Loop() {
		c.doArgs(hset...)
		c.doArgs(expire...)
		c.doArgs(hgetall...)
		c.doArgs(del...)
	}
}

// TestHashConcurrent: clients updating one hash and reading it at once see
// every increment and never a torn hash (race-clean under -race).
func TestHashConcurrent(t *testing.T) {
	s := newTestServer(t)
	const writers, rounds = 4, 300
	var wg sync.WaitGroup
	for w := range writers {
		c := s.testClient(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			field := []byte("w" + strconv.Itoa(w))
			for i := range rounds {
				c.doArgs([]byte("HINCRBY"), []byte("h"), []byte("total"), []byte("1"))
				c.doArgs([]byte("HSET"), []byte("h"), field, []byte(strconv.Itoa(i)))
				// Fields beyond the listpack limit convert the hash while
				// others read it.
				c.doArgs([]byte("HSET"), []byte("h"), []byte(fmt.Sprintf("x%d-%d", w, i)), []byte("v"))
				if got := c.doArgs([]byte("HGET"), []byte("h"), field); got != fmt.Sprintf("$%d\r\n%d\r\n", len(strconv.Itoa(i)), i) {
					t.Errorf("writer %d round %d: HGET %q", w, i, got)
					return
				}
				c.doArgs([]byte("HGETALL"), []byte("h"))
			}
		}()
	}
	wg.Wait()
	c := s.testClient(t)
	c.expect("hget h total", fmt.Sprintf("$4\r\n%d\r\n", writers*rounds))
	c.expect("hlen h", fmt.Sprintf(":%d\r\n", 1+writers+writers*rounds))
	c.expect("object encoding h", "$9\r\nhashtable\r\n")
}

// TestHashDigest: DEBUG DIGEST-VALUE and DEBUG DIGEST equal Redis 7.0.15's
// for the same hashes, whatever the encoding.
func TestHashDigest(t *testing.T) {
	c := newTestClient(t)
	c.expect("hset h a 1 b -5 c hello", ":3\r\n")
	c.expect("debug digest-value h", "*1\r\n+8c0469d04e4f58b6931df1f1c6ac6b26a4d61653\r\n")
	c.expect("hset h2 a 1 b -5 c hello d "+strings.Repeat("x", 70), ":4\r\n")
	c.expect("object encoding h2", "$9\r\nhashtable\r\n")
	c.expect("debug digest-value h2", "*1\r\n+b2623b8c4cd153c41ffad39bf53b3b5ef1230071\r\n")
	c.expect("debug digest", "+ac31135db1f0f0ec539313dff30b2728f5688488\r\n")
}
