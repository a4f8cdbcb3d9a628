package server

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Expected replies come from redis-server 7.0.15.

func TestStreamAddRangeReplies(t *testing.T) {
	c := newTestClient(t)
	c.expect("XADD s 1-1 a 1", "$3\r\n1-1\r\n")
	c.expect("XADD s 1-* b 2 c 3", "$3\r\n1-2\r\n")
	c.expect("XADD s 1 x y", "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n")
	c.expect("XADD s 0-0 x y", "-ERR The ID specified in XADD must be greater than 0-0\r\n")
	c.expect("XADD s 5-0 x", "-ERR wrong number of arguments for 'xadd' command\r\n")
	c.expect("XADD s 5-x f v", "-ERR Invalid stream ID specified as stream command argument\r\n")
	c.expect("XADD s MAXLEN 1 MINID 1 5-0 f v", "-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n")
	c.expect("XADD s MAXLEN 1 LIMIT 1 5-0 f v", "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n")
	c.expect("XADD s LIMIT 1 5-0 f v", "-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n")
	c.expect("XADD s MAXLEN -1 5-0 f v", "-ERR The MAXLEN argument must be >= 0.\r\n")
	c.expect("XADD nokey NOMKSTREAM * f v", "$-1\r\n")
	c.expect("XLEN s", ":2\r\n")
	c.expect("TYPE s", "+stream\r\n")
	c.expect("OBJECT ENCODING s", "$6\r\nstream\r\n")
	c.expect("XRANGE s - +", "*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n")
	c.expect("XREVRANGE s + - COUNT 1", "*1\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n")
	c.expect("XRANGE s (1-1 (1-2", "*0\r\n")
	c.expect("XRANGE s - (0-0", "-ERR invalid end ID for the interval\r\n")
	c.expect("XRANGE s (18446744073709551615-18446744073709551615 +", "-ERR invalid start ID for the interval\r\n")
	c.expect("XRANGE s - + COUNT 0", "*-1\r\n")
	c.expect("XRANGE nokey - +", "*0\r\n")
	c.expect("XDEL s 1-1 7-7", ":1\r\n")
	c.expect("XSETID s 1-1", "-ERR The ID specified in XSETID is smaller than the target stream top item\r\n")
	c.expect("XSETID s 9-0 ENTRIESADDED 0", "-ERR The entries_added specified in XSETID is smaller than the target stream length\r\n")
	c.expect("XSETID nokey 1-0", "-ERR no such key\r\n")
	c.expect("XSETID s 9-0 ENTRIESADDED 7 MAXDELETEDID 8-0", "+OK\r\n")
	c.expectPrefix("XADD s * f v", "$15\r\n") // a clock ID
	if got := c.do("XADD s 9-* f v"); got != "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n" {
		t.Errorf("XADD 9-* after a clock ID: %q", got)
	}
	c.expect("SET str v", "+OK\r\n")
	c.expect("XADD str * f v", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("XTRIM s FOO 1", "-ERR syntax error\r\n")
	c.expect("XTRIM s LIMIT 1", "-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n")
	c.expect("XTRIM s LIMIT 0", "-ERR syntax error, XTRIM must be called with a trimming strategy\r\n")
	c.expect("XTRIM s MAXLEN 1 LIMIT 5", "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n")
}

func TestStreamAutoIDShape(t *testing.T) {
	c := newTestClient(t)
	re := regexp.MustCompile(`^\$\d+\r\n\d{13}-\d+\r\n$`)
	for i := 0; i < 3; i++ {
		if got := c.do("XADD s * f v"); !re.MatchString(got) {
			t.Fatalf("XADD * = %q", got)
		}
	}
	c.expect("XSETID s 99999999999999-18446744073709551615", "+OK\r\n")
	c.expect("XADD s * f v", "$17\r\n100000000000000-0\r\n")
	c.expect("XSETID s 18446744073709551615-18446744073709551615", "+OK\r\n")
	c.expect("XADD s * f v", "-ERR The stream has exhausted the last possible ID, unable to add more items\r\n")
}

func TestStreamEffects(t *testing.T) {
	c := newTestClient(t)
	rec := recordEffects(c)
	checkEffects(t, c, rec, []effectCase{
		{"XADD s 1-0 f v", "$3\r\n1-0\r\n", []string{"XADD s 1-0 f v"}, []string{"xadd:s"}, 1},
		{"XADD s 1-* f v", "$3\r\n1-1\r\n", []string{"XADD s 1-1 f v"}, []string{"xadd:s"}, 1},
		{"XADD s MAXLEN 1 2-0 f v", "$3\r\n2-0\r\n", []string{"XADD s MAXLEN 1 2-0 f v"}, []string{"xadd:s", "xtrim:s"}, 1},
		{"XADD s MAXLEN ~ 1 3-0 f v", "$3\r\n3-0\r\n", []string{"XADD s MAXLEN = 2 3-0 f v"}, []string{"xadd:s"}, 1},
		{"XADD s MINID ~ 3 LIMIT 5 3-* f v", "$3\r\n3-1\r\n", []string{"XADD s MINID = 1-0 LIMIT 5 3-1 f v"}, []string{"xadd:s"}, 1},
		{"XDEL s 2-0 9-9", ":1\r\n", []string{"XDEL s 2-0 9-9"}, []string{"xdel:s"}, 1},
		{"XDEL s 9-9", ":0\r\n", nil, nil, 0},
		{"XTRIM s MAXLEN 1", ":1\r\n", []string{"XTRIM s MAXLEN 1"}, []string{"xtrim:s"}, 1},
		{"XTRIM s MAXLEN ~ 0", ":1\r\n", []string{"XTRIM s MAXLEN = 0"}, []string{"xtrim:s"}, 1},
		{"XTRIM s MAXLEN 0", ":0\r\n", nil, nil, 0},
		{"XSETID s 5-0", "+OK\r\n", []string{"XSETID s 5-0"}, []string{"xsetid:s"}, 1},
		{"DEL s", ":1\r\n", []string{"DEL s"}, []string{"del:s"}, 1},
		{"XADD s NOMKSTREAM 1-0 f v", "$-1\r\n", nil, nil, 0},
	})
}

func TestStreamXReadReplies(t *testing.T) {
	c := newTestClient(t)
	c.do("XADD a 1-0 f 1")
	c.do("XADD a 2-0 f 2")
	c.do("XADD b 1-1 g 1")
	c.expect("XREAD COUNT 1 STREAMS a b 0 0", "*2\r\n*2\r\n$1\r\na\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\ng\r\n$1\r\n1\r\n")
	c.expect("XREAD STREAMS a b $ 1-1", "*-1\r\n")
	c.expect("XREAD STREAMS a 1", "*1\r\n*2\r\n$1\r\na\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n")
	c.expect("XREAD STREAMS a b 0", "-ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.\r\n")
	c.expect("XREAD STREAMS a >", "-ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.\r\n")
	c.expect("XREAD GROUP g c STREAMS a 0", "-ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.\r\n")
	c.expect("XREAD BLOCK -1 STREAMS a 0", "-ERR timeout is negative\r\n")
	c.expect("XREAD a 0 1", "-ERR syntax error\r\n")
	c.do("HELLO 3")
	c.expect("XREAD STREAMS a b 1 1", "%2\r\n$1\r\na\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n$1\r\nb\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\ng\r\n$1\r\n1\r\n")
	c.expect("XREAD STREAMS a 5", "_\r\n")
	c.expect("XRANGE a - + COUNT 0", "_\r\n")
	c.expect("XADD nokey NOMKSTREAM * f v", "_\r\n")
	// Inside MULTI, BLOCK answers at once as on timeout.
	c.do("HELLO 2")
	c.do("MULTI")
	c.do("XREAD BLOCK 0 STREAMS a $")
	c.expect("EXEC", "*1\r\n*-1\r\n")
}

func TestStreamXReadBlock(t *testing.T) {
	srv := newTestServer(t)
	a, b, p := srv.testClient(t), srv.testClient(t), srv.testClient(t)
	p.do("XADD s 1-0 f v")
	// "$" means after the last ID when the command blocked, also on the
	// retries after other writes.
	ra := goDo(a, "XREAD BLOCK 0 STREAMS s $")
	waitBlocked(t, srv, 1)
	rb := goDo(b, "XREAD BLOCK 0 STREAMS other s 0 5-0")
	waitBlocked(t, srv, 2)
	p.expect("XADD s 2-0 g w", "$3\r\n2-0\r\n")
	if got := recv(t, ra); got != "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\ng\r\n$1\r\nw\r\n" {
		t.Errorf("XREAD $ got %q", got)
	}
	notYet(t, rb)
	p.expect("XADD other 1-0 h x", "$3\r\n1-0\r\n")
	if got := recv(t, rb); got != "*1\r\n*2\r\n$5\r\nother\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nh\r\n$1\r\nx\r\n" {
		t.Errorf("XREAD other got %q", got)
	}
	waitBlocked(t, srv, 0)
	a.expect("XREAD BLOCK 10 STREAMS s $", "*-1\r\n")
	a.do("HELLO 3")
	a.expect("XREAD BLOCK 10 STREAMS s $", "_\r\n")
}

func TestStreamXReadKeys(t *testing.T) {
	cases := []struct {
		args string
		want []int
	}{
		{"XREAD STREAMS a b 0 0", []int{2, 3}},
		{"XREAD COUNT 1 BLOCK 0 STREAMS a 0", []int{6}},
		{"XREADGROUP GROUP g c NOACK STREAMS a >", []int{6}},
		{"XREAD STREAMS a", nil},
		{"XREAD FOO STREAMS a 0", nil},
	}
	for _, tc := range cases {
		var args [][]byte
		for _, w := range strings.Fields(tc.args) {
			args = append(args, []byte(w))
		}
		if got := xreadKeys(args); !slices.Equal(got, tc.want) {
			t.Errorf("xreadKeys(%s) = %v, want %v", tc.args, got, tc.want)
		}
	}
}
