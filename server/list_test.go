package server

import (
	"slices"
	"testing"
)

// TestListCommandsMatchRedis runs every list command, with its errors, edge
// cases and RESP3 shapes, and compares the raw replies with those of
// redis-server 7.0.15 (recorded from it, command by command).
func TestListCommandsMatchRedis(t *testing.T) {
	c := newTestClient(t)
	cases := []struct{ cmd, want string }{
		{"rpush l a b c a b c 1 2 3", ":9\r\n"},
		{"lpush l2 x 1 -5 hello", ":4\r\n"},
		{"llen l", ":9\r\n"},
		{"llen nokey", ":0\r\n"},
		{"lrange l 0 -1", "*9\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{"lrange l -3 -1", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{"lrange l 5 2", "*0\r\n"},
		{"lrange l -100 100", "*9\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{"lrange nokey 0 -1", "*0\r\n"},
		{"lrange l a 1", "-ERR value is not an integer or out of range\r\n"},
		{"lindex l 0", "$1\r\na\r\n"},
		{"lindex l -1", "$1\r\n3\r\n"},
		{"lindex l 9", "$-1\r\n"},
		{"lindex l -10", "$-1\r\n"},
		{"lindex nokey x", "$-1\r\n"},
		{"lindex l x", "-ERR value is not an integer or out of range\r\n"},
		{"lset l 0 A", "+OK\r\n"},
		{"lset l -1 3b", "+OK\r\n"},
		{"lset l 9 x", "-ERR index out of range\r\n"},
		{"lset nokey 0 x", "-ERR no such key\r\n"},
		{"lset l x x", "-ERR value is not an integer or out of range\r\n"},
		{"lpos l a", ":3\r\n"},
		{"lpos l b rank 2", ":4\r\n"},
		{"lpos l b rank -1", ":4\r\n"},
		{"lpos l c count 0", "*2\r\n:2\r\n:5\r\n"},
		{"lpos l c count 1 rank -1", "*1\r\n:5\r\n"},
		{"lpos l a maxlen 3 count 0", "*0\r\n"},
		{"lpos l 1", ":6\r\n"},
		{"lpos l z count 2", "*0\r\n"},
		{"lpos l z", "$-1\r\n"},
		{"lpos nokey a", "$-1\r\n"},
		{"lpos nokey a count 1", "*0\r\n"},
		{"lpos l a rank 0", "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n"},
		{"lpos l a count -1", "-ERR COUNT can't be negative\r\n"},
		{"lpos l a maxlen -2", "-ERR MAXLEN can't be negative\r\n"},
		{"lpos l a rank x", "-ERR value is not an integer or out of range\r\n"},
		{"lpos l a bogus", "-ERR syntax error\r\n"},
		{"linsert l before b B", ":10\r\n"},
		{"linsert l after c C", ":11\r\n"},
		{"linsert l after zz C", ":-1\r\n"},
		{"linsert l middle b B", "-ERR syntax error\r\n"},
		{"linsert nokey before a b", ":0\r\n"},
		{"lrange l 0 -1", "*11\r\n$1\r\nA\r\n$1\r\nB\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nC\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n3b\r\n"},
		{"lrem l 1 a", ":1\r\n"},
		{"lrem l -1 b", ":1\r\n"},
		{"lrem l 0 c", ":2\r\n"},
		{"lrem l 0 zz", ":0\r\n"},
		{"lrem nokey 0 a", ":0\r\n"},
		{"lrem l x a", "-ERR value is not an integer or out of range\r\n"},
		{"lrange l 0 -1", "*7\r\n$1\r\nA\r\n$1\r\nB\r\n$1\r\nb\r\n$1\r\nC\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n3b\r\n"},
		{"ltrim l 1 -2", "+OK\r\n"},
		{"lrange l 0 -1", "*5\r\n$1\r\nB\r\n$1\r\nb\r\n$1\r\nC\r\n$1\r\n1\r\n$1\r\n2\r\n"},
		{"ltrim nokey 0 1", "+OK\r\n"},
		{"ltrim l x 1", "-ERR value is not an integer or out of range\r\n"},
		{"ltrim l 5 1", "+OK\r\n"},
		{"exists l", ":0\r\n"},
		{"rpush l 1 2 3 4 5", ":5\r\n"},
		{"lpop l", "$1\r\n1\r\n"},
		{"rpop l", "$1\r\n5\r\n"},
		{"lpop l 2", "*2\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{"rpop l 2", "*1\r\n$1\r\n4\r\n"},
		{"lpop l 0", "*-1\r\n"},
		{"lpop l 9", "*-1\r\n"},
		{"lpop nokey", "$-1\r\n"},
		{"lpop nokey 2", "*-1\r\n"},
		{"lpop l -1", "-ERR value is out of range, must be positive\r\n"},
		{"lpop l x", "-ERR value is out of range, must be positive\r\n"},
		{"lpop l 1 2", "-ERR wrong number of arguments for 'lpop' command\r\n"},
		{"exists l", ":0\r\n"},
		{"lpushx nokey a", ":0\r\n"},
		{"rpushx nokey a", ":0\r\n"},
		{"lpushx l2 y z", ":6\r\n"},
		{"rpushx l2 w", ":7\r\n"},
		{"lrange l2 0 -1", "*7\r\n$1\r\nz\r\n$1\r\ny\r\n$5\r\nhello\r\n$2\r\n-5\r\n$1\r\n1\r\n$1\r\nx\r\n$1\r\nw\r\n"},
		{"lmove l2 l3 left right", "$1\r\nz\r\n"},
		{"lmove l2 l3 right left", "$1\r\nw\r\n"},
		{"lmove l2 l2 left right", "$1\r\ny\r\n"},
		{"lmove nokey l3 left left", "$-1\r\n"},
		{"lmove l2 l3 up left", "-ERR syntax error\r\n"},
		{"rpoplpush l2 l3", "$1\r\ny\r\n"},
		{"rpoplpush nokey l3", "$-1\r\n"},
		{"lrange l2 0 -1", "*4\r\n$5\r\nhello\r\n$2\r\n-5\r\n$1\r\n1\r\n$1\r\nx\r\n"},
		{"lrange l3 0 -1", "*3\r\n$1\r\ny\r\n$1\r\nw\r\n$1\r\nz\r\n"},
		{"set s str", "+OK\r\n"},
		{"lpush s a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"rpush s a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"lpushx s a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"lrange s 0 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"llen s", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"lindex s 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"lset s 0 a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"lpop s", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"rpop s 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"linsert s before a b", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"lrem s 0 a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"ltrim s 0 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"lpos s a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"lmove s l3 left left", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"lmove l3 s left left", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"rpoplpush l3 s", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"lmpop 2 nokey s left", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"lmpop 2 l3 s left", "*2\r\n$2\r\nl3\r\n*1\r\n$1\r\ny\r\n"},
		{"lmpop 1 l3 left count 2", "*2\r\n$2\r\nl3\r\n*2\r\n$1\r\nw\r\n$1\r\nz\r\n"},
		{"lmpop 2 nokey l2 right count 100", "*2\r\n$2\r\nl2\r\n*4\r\n$1\r\nx\r\n$1\r\n1\r\n$2\r\n-5\r\n$5\r\nhello\r\n"},
		{"lmpop 1 nokey left", "*-1\r\n"},
		{"lmpop 0 l left", "-ERR numkeys should be greater than 0\r\n"},
		{"lmpop x l left", "-ERR numkeys should be greater than 0\r\n"},
		{"lmpop 3 l left", "-ERR syntax error\r\n"},
		{"lmpop 1 l middle", "-ERR syntax error\r\n"},
		{"lmpop 1 l left count 0", "-ERR count should be greater than 0\r\n"},
		{"lmpop 1 l left count", "-ERR syntax error\r\n"},
		{"lmpop 1 l left count 1 count 1", "-ERR syntax error\r\n"},
		{"lmpop 9223372036854775807 l left", "-ERR syntax error\r\n"},
		{"blmpop 0 9223372036854775807 l left", "-ERR syntax error\r\n"},
		{"lmpop 1 l left foo", "-ERR syntax error\r\n"},
		{"blpop nokey 0.01", "*-1\r\n"},
		{"brpop nokey nokey2 0.01", "*-1\r\n"},
		{"blpop s 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"blpop nokey s 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"rpush b1 x y", ":2\r\n"},
		{"blpop nokey b1 0", "*2\r\n$2\r\nb1\r\n$1\r\nx\r\n"},
		{"brpop b1 0", "*2\r\n$2\r\nb1\r\n$1\r\ny\r\n"},
		{"blpop b1 x", "-ERR timeout is not a float or out of range\r\n"},
		{"blpop b1 -1", "-ERR timeout is negative\r\n"},
		{"blpop b1 inf", "-ERR timeout is negative\r\n"},
		{"blpop b1 nan", "-ERR timeout is not a float or out of range\r\n"},
		{"blpop b1 1e400", "-ERR timeout is negative\r\n"},
		{"brpoplpush nokey d 0.01", "*-1\r\n"},
		{"brpoplpush s d 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"rpush b2 p q", ":2\r\n"},
		{"brpoplpush b2 d 0", "$1\r\nq\r\n"},
		{"blmove b2 d right left 0", "$1\r\np\r\n"},
		{"blmove b2 d up left 0", "-ERR syntax error\r\n"},
		{"blmove b2 d left left x", "-ERR timeout is not a float or out of range\r\n"},
		{"blmove nokey d left left 0.01", "*-1\r\n"},
		{"lrange d 0 -1", "*2\r\n$1\r\np\r\n$1\r\nq\r\n"},
		{"blmpop 0.01 1 nokey left", "*-1\r\n"},
		{"blmpop 0 2 nokey d right count 5", "*2\r\n$1\r\nd\r\n*2\r\n$1\r\nq\r\n$1\r\np\r\n"},
		{"blmpop x 1 d left", "-ERR timeout is not a float or out of range\r\n"},
		{"blmpop 0 0 d left", "-ERR numkeys should be greater than 0\r\n"},
		{"blmpop 0 1 d up", "-ERR syntax error\r\n"},
		{"multi", "+OK\r\n"},
		{"blpop nokey 0", "+QUEUED\r\n"},
		{"brpop nokey 0", "+QUEUED\r\n"},
		{"blmove nokey d left left 0", "+QUEUED\r\n"},
		{"brpoplpush nokey d 0", "+QUEUED\r\n"},
		{"blmpop 0 1 nokey left", "+QUEUED\r\n"},
		{"blpop b3 x", "+QUEUED\r\n"},
		{"exec", "*6\r\n*-1\r\n*-1\r\n$-1\r\n$-1\r\n*-1\r\n-ERR timeout is not a float or out of range\r\n"},
		{"rpush big 1 2 3", ":3\r\n"},
		{"object encoding big", "$9\r\nquicklist\r\n"},
		{"type big", "+list\r\n"},
		{"dump big", "$27\r\n\x12\x01\x02\r\r\x00\x00\x00\x03\x00\x01\x01\x02\x01\x03\x01\xff\n\x00\xca\xba5\x84\xf9\x8a\xd7\xae\r\n"},
		{"lpop", "-ERR wrong number of arguments for 'lpop' command\r\n"},
		{"blpop k", "-ERR wrong number of arguments for 'blpop' command\r\n"},
		{"lmpop 1", "-ERR wrong number of arguments for 'lmpop' command\r\n"},
		{"blmpop 0 1", "-ERR wrong number of arguments for 'blmpop' command\r\n"},
		{"hello 3", ""}, // reply checked elsewhere; switches to RESP3
		{"lpop nokey", "_\r\n"},
		{"lpop nokey 1", "_\r\n"},
		{"lpop big 0", "*0\r\n"},
		{"lindex nokey 0", "_\r\n"},
		{"lpos nokey a", "_\r\n"},
		{"lpos nokey a count 1", "*0\r\n"},
		{"blpop nokey 0.01", "_\r\n"},
		{"blmove nokey d left left 0.01", "_\r\n"},
		{"lmpop 1 nokey left", "_\r\n"},
		{"multi", "+OK\r\n"},
		{"blpop nokey 0", "+QUEUED\r\n"},
		{"blmove nokey d left left 0", "+QUEUED\r\n"},
		{"exec", "*2\r\n_\r\n_\r\n"},
	}
	for _, tc := range cases {
		if tc.cmd == "hello 3" {
			c.do(tc.cmd)
			continue
		}
		c.expect(tc.cmd, tc.want)
	}
}

// TestListEffects checks keyspace events (as redis-server 7.0.15 sends them,
// plus "new" on creation) and what each command propagates.
func TestListEffects(t *testing.T) {
	c := newTestClient(t)
	fx := recordEffects(c)
	c.srv.notifyFlags.v.Store(0xffff) // "new" (n) too
	cases := []struct {
		cmd    string
		events []string
		stream []string
	}{
		{"rpush k a b c", []string{"new:k", "rpush:k"}, []string{"SELECT 0", "rpush k a b c"}},
		{"lpush k z", []string{"lpush:k"}, []string{"lpush k z"}},
		{"lpushx k y", []string{"lpush:k"}, []string{"lpushx k y"}},
		{"rpushx nokey y", nil, nil},
		{"lpop k", []string{"lpop:k"}, []string{"lpop k"}},
		{"rpop k 2", []string{"rpop:k"}, []string{"rpop k 2"}},
		{"lset k 0 q", []string{"lset:k"}, []string{"lset k 0 q"}},
		{"linsert k before q p", []string{"linsert:k"}, []string{"linsert k before q p"}},
		{"linsert k before nothere p", nil, nil},
		{"lrem k 1 p", []string{"lrem:k"}, []string{"lrem k 1 p"}},
		{"lrem k 1 nothere", nil, nil},
		{"ltrim k 0 0", []string{"ltrim:k"}, []string{"ltrim k 0 0"}},
		{"ltrim k 5 1", []string{"ltrim:k", "del:k"}, []string{"ltrim k 5 1"}},
		{"rpush k a b c d", []string{"new:k", "rpush:k"}, []string{"rpush k a b c d"}},
		{"lmove k d left right", []string{"new:d", "rpush:d", "lpop:k"}, []string{"lmove k d left right"}},
		{"rpoplpush k d", []string{"lpush:d", "rpop:k"}, []string{"rpoplpush k d"}},
		{"lmpop 2 nokey k right count 9", []string{"rpop:k", "del:k"}, []string{"RPOP k 2"}},
		{"lmpop 1 d left count 1", []string{"lpop:d"}, []string{"LPOP d 1"}},
		{"blpop d 0", []string{"lpop:d", "del:d"}, []string{"LPOP d"}},
		{"rpush k 1 2 3", []string{"new:k", "rpush:k"}, []string{"rpush k 1 2 3"}},
		{"blmove k k right left 0", []string{"lpush:k", "rpop:k"}, []string{"LMOVE k k right left"}},
		{"brpoplpush k e 0", []string{"new:e", "lpush:e", "rpop:k"}, []string{"RPOPLPUSH k e"}},
		{"blmpop 0 1 k left count 9", []string{"lpop:k", "del:k"}, []string{"LPOP k 2"}},
		{"lpop e", []string{"lpop:e", "del:e"}, []string{"lpop e"}},
		{"lpop nokey", nil, nil},
		{"llen e", []string{"keymiss:e"}, nil},
	}
	for _, tc := range cases {
		c.do(tc.cmd)
		stream, events := fx.take()
		if !slices.Equal(events, tc.events) || !slices.Equal(stream, tc.stream) {
			t.Errorf("%s:\n events %q, want %q\n stream %q, want %q", tc.cmd, events, tc.events, stream, tc.stream)
		}
	}
}

// TestListWatch: list writes break a WATCH, failed ones do not (an LTRIM
// that removes nothing does, as in redis-server 7.0.15).
func TestListWatch(t *testing.T) {
	srv := newTestServer(t)
	c, other := srv.testClient(t), srv.testClient(t)
	c.do("rpush k a b c")
	for _, tc := range []struct {
		cmd   string
		broke bool
	}{
		{"lpush k x", true}, {"linsert k before nothere x", false}, {"lrem k 0 nothere", false},
		{"lset k 0 y", true}, {"ltrim k 0 -1", true}, {"lpushx nokey v", false}, {"lpos k a", false},
		{"rpoplpush k k", true}, {"lmove nokey k left left", false}, {"lset k 99 v", false},
	} {
		c.do("watch k")
		other.do(tc.cmd)
		c.do("multi")
		c.do("ping")
		want := "*1\r\n+PONG\r\n"
		if tc.broke {
			want = "*-1\r\n"
		}
		if got := c.do("exec"); got != want {
			t.Errorf("WATCH then %q: EXEC %q, want %q", tc.cmd, got, want)
		}
	}
}

func TestListEncodingAndCopy(t *testing.T) {
	c := newTestClient(t)
	c.do("rpush k a b c")
	c.expect("object encoding k", "$9\r\nquicklist\r\n")
	c.expect("type k", "+list\r\n")
	c.expect("copy k k2", ":1\r\n")
	c.do("rpush k2 d")
	c.expect("lrange k 0 -1", "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n")
	c.expect("llen k2", ":4\r\n")
	// list-max-listpack-size applies to lists created afterwards.
	c.do("config set list-max-listpack-size 2")
	c.do("rpush small 1 2 3 4 5")
	if n := c.entry("small").Obj.(interface{ NumNodes() int }).NumNodes(); n != 3 {
		t.Errorf("fill 2, 5 elements: %d nodes, want 3", n)
	}
	c.do("rpush k e f g h")
	if n := c.entry("k").Obj.(interface{ NumNodes() int }).NumNodes(); n != 1 {
		t.Errorf("a list made before the CONFIG SET: %d nodes, want 1", n)
	}
}

// TestListDigest: DEBUG DIGEST-VALUE / DIGEST of a list equal
// redis-server 7.0.15's.
func TestListDigest(t *testing.T) {
	c := newTestClient(t)
	c.do("rpush dl a 1 -300 hello \"\" 9223372036854775807")
	c.expect("debug digest-value dl", "*1\r\n+fc6bc71fb0fc187a26b8d444009458bbeb63b8ca\r\n")
	c.do("pexpire dl 100000")
	c.expect("debug digest-value dl", "*1\r\n+1aee39e06cc5f22ee7ae3fbc45fe9720f1cdf949\r\n")
	c.expect("debug digest", "+2abd4cce76f3469e7b5c6bbff20d34ca31c27273\r\n")
}
