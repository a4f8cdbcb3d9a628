package server

// Tests of DUMP and RESTORE. Expected replies (payload bytes included) were
// taken from redis-server 7.0.15 with the same command sequence.

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/persistence/rdb"
)

// expectArgs runs a command given as separate (binary-safe) arguments.
func (tc *testClient) expectArgs(want string, args ...string) {
	tc.t.Helper()
	var bargs [][]byte
	for _, a := range args {
		bargs = append(bargs, []byte(a))
	}
	if got := tc.doArgs(bargs...); got != want {
		tc.t.Errorf("%q\n got: %q\nwant: %q", args, got, want)
	}
}

func TestDumpReplies(t *testing.T) {
	c := newTestClient(t)
	c.expect("flushall", "+OK\r\n")
	c.expect("set s hello", "+OK\r\n")
	c.expect("set i 12345", "+OK\r\n")
	c.expect("set n -1", "+OK\r\n")
	c.expect("set big aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "+OK\r\n")
	c.expect("set e \"\"", "+OK\r\n")
	c.expect("dump s", "$17\r\n\x00\x05hello\n\x00cr\xdfve4 \n\r\n")
	c.expect("dump i", "$14\r\n\x00\xc190\n\x00\x9d\x94\xea'\x93\xfc\x08\xb9\r\n")
	c.expect("dump n", "$13\r\n\x00\xc0\xff\n\x00\x0c\x93~$\x85\x08\x9d\xc5\r\n")
	c.expect("dump big", "$24\r\n\x00\xc3\x09@w\x01aa\xe0j\x00\x01aa\n\x00\xed\x92J\x93\xf4\xbd\xa1\x94\r\n")
	c.expect("dump e", "$12\r\n\x00\x00\n\x00]\x9b\\@\x0f\x7f\xa2\xda\r\n")
	c.expect("dump nokey", "$-1\r\n")
	c.expect("dump", "-ERR wrong number of arguments for 'dump' command\r\n")
}

func TestRestoreReplies(t *testing.T) {
	c := newTestClient(t)
	c.expectArgs("+OK\r\n", "restore", "k", "0", "\x00\x05hello\n\x00cr\xdfve4 \n")
	c.expectArgs("$5\r\nhello\r\n", "get", "k")
	c.expectArgs("-BUSYKEY Target key name already exists.\r\n", "restore", "k", "0", "\x00\x05hello\n\x00cr\xdfve4 \n")
	c.expectArgs("+OK\r\n", "restore", "k", "0", "\x00\x05hello\n\x00cr\xdfve4 \n", "replace")
	c.expectArgs("-ERR syntax error\r\n", "restore", "k", "0", "\x00\x05hello\n\x00cr\xdfve4 \n", "REPLACE", "foo")
	c.expectArgs("-BUSYKEY Target key name already exists.\r\n", "restore", "k", "-1", "\x00\x05hello\n\x00cr\xdfve4 \n")
	c.expectArgs("-ERR Invalid TTL value, must be >= 0\r\n", "restore", "k2", "-1", "\x00\x05hello\n\x00cr\xdfve4 \n")
	c.expectArgs("-ERR value is not an integer or out of range\r\n", "restore", "k2", "abc", "\x00\x05hello\n\x00cr\xdfve4 \n")
	c.expectArgs("-ERR DUMP payload version or checksum are wrong\r\n", "restore", "k2", "0", "\x00\x05hello\n\x00cr\xdfve4 \x0b")
	c.expectArgs("-ERR DUMP payload version or checksum are wrong\r\n", "restore", "k2", "0", "abc")
	c.expectArgs("-ERR DUMP payload version or checksum are wrong\r\n", "restore", "k2", "0", "")
	c.expectArgs("+OK\r\n", "restore", "k2", "0", "\x00\xc190\n\x00\x9d\x94\xea'\x93\xfc\x08\xb9")
	c.expectArgs("$5\r\n12345\r\n", "get", "k2")
	c.expectArgs("$3\r\nint\r\n", "object", "encoding", "k2")
	c.expectArgs("-ERR syntax error\r\n", "restore", "k2b", "0", "\x00\x05hello\n\x00cr\xdfve4 \n", "idletime")
	c.expectArgs("-ERR Invalid IDLETIME value, must be >= 0\r\n", "restore", "k2b", "0", "\x00\x05hello\n\x00cr\xdfve4 \n", "idletime", "-1")
	c.expectArgs("-ERR value is not an integer or out of range\r\n", "restore", "k2b", "0", "\x00\x05hello\n\x00cr\xdfve4 \n", "idletime", "abc")
	c.expectArgs("-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n", "restore", "k2b", "0", "\x00\x05hello\n\x00cr\xdfve4 \n", "freq", "256")
	c.expectArgs("-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n", "restore", "k2b", "0", "\x00\x05hello\n\x00cr\xdfve4 \n", "freq", "-1")
	c.expectArgs("-ERR syntax error\r\n", "restore", "k2b", "0", "\x00\x05hello\n\x00cr\xdfve4 \n", "idletime", "10", "freq", "5")
	c.expectArgs("-ERR syntax error\r\n", "restore", "k2b", "0", "\x00\x05hello\n\x00cr\xdfve4 \n", "freq", "5", "idletime", "10")
	c.expectArgs("-ERR syntax error\r\n", "restore", "k2b", "0", "\x00\x05hello\n\x00cr\xdfve4 \n", "foo")
	c.expectArgs("-ERR wrong number of arguments for 'restore' command\r\n", "restore", "k2b")
	c.expectArgs("+OK\r\n", "restore", "k4", "100", "\x00\x05hello\n\x00cr\xdfve4 \n", "absttl")
	c.expectArgs(":0\r\n", "exists", "k4")
	c.expectArgs("+OK\r\n", "restore", "k5", "4102444800123", "\x00\x05hello\n\x00cr\xdfve4 \n", "absttl")
	c.expectArgs(":4102444800123\r\n", "pexpiretime", "k5")
	c.expectArgs("+OK\r\n", "restore", "k6", "0", "\x00\x05hello\n\x00cr\xdfve4 \n", "idletime", "1000")
	c.expectArgs(":1000\r\n", "object", "idletime", "k6")
	c.expectArgs("+OK\r\n", "restore", "k7", "0", "\x00\x05hello\n\x00cr\xdfve4 \n", "freq", "5")
	c.expectArgs("+OK\r\n", "restore", "k", "1", "\x00\x05hello\n\x00cr\xdfve4 \n", "replace", "absttl")
	c.expectArgs(":0\r\n", "exists", "k")
}

func TestRestoreBadPayloads(t *testing.T) {
	c := newTestClient(t)
	c.expectArgs("-ERR Bad data format\r\n", "restore", "b1", "0", "\x08\x05hello\n\x00C\xd7\xe8\xc9\x12\"\xf1\xf1")
	c.expectArgs("+OK\r\n", "restore", "b2", "0", "\x00\x09hello\n\x008\xd2\x8f@\xcf\x12\xe5\x01")
	c.expectArgs("-ERR Bad data format\r\n", "restore", "b3", "0", "\x00\n\x00]\x9b\\@\x0f\x7f\xa2\xda")
	c.expectArgs("+OK\r\n", "restore", "b7", "0", "\x00\x05helloEXTRA\n\x00\x81.\x93\x14\xf5\xe7a\xe0")
	c.expectArgs("$5\r\nhello\r\n", "get", "b7")
	c.expectArgs("-ERR Bad data format\r\n", "restore", "b8", "0", "\x00\xc3\x05\x10\x01aa\n\x00\xd2[\xb9G\xdeH2\xf9")
	c.expectArgs("-ERR DUMP payload version or checksum are wrong\r\n", "restore", "b5", "0", "\x00\x05hello\x0c\x00\xa8\x04\xeb\xb6\x9f\x1e\xbeC")
	c.expectArgs("+OK\r\n", "restore", "b6", "0", "\x00\x05hello\x09\x00\xb3\x80\x8e\xba1\xb2C\xbb")
	// RDB version 11 (Redis 7.2): redis-server 7.0 refuses it, 7.2 loads it.
	c.expectArgs("+OK\r\n", "restore", "b4", "0", "\x00\x05hello\x0b\x00\n\xadb\x05\x98\xab\xc9\x83")
}

func TestDumpRestoreRoundTrip(t *testing.T) {
	c := newTestClient(t)
	values := []string{"", "0", "-1", "12345", "9223372036854775807", "hello world", strings.Repeat("abc", 1000), "\x00\xff\r\n"}
	for i, v := range values {
		src := fmt.Sprintf("src%d", i)
		c.doArgs([]byte("set"), []byte(src), []byte(v))
		payload := parseArrayOfBulks(t, c.do("dump "+src))
		if len(payload) != 1 {
			t.Fatalf("dump %s: %q", src, payload)
		}
		dst := fmt.Sprintf("dst%d", i)
		c.expectArgs("+OK\r\n", "restore", dst, "0", payload[0])
		c.expectArgs(fmt.Sprintf("$%d\r\n%s\r\n", len(v), v), "get", dst)
		c.expectArgs(c.do("object encoding "+src), "object", "encoding", dst)
	}
}

func TestRestoreTTLAndPropagation(t *testing.T) {
	c := newTestClient(t)
	rec := &streamRecorder{}
	c.srv.ks.Stream.AddSink(rec)
	n := captureNotifications(c.srv)
	hello := string(rdb.DumpString([]byte("hello")))
	c.do("select 0")
	rec.take()

	before := time.Now().UnixMilli()
	c.expectArgs("+OK\r\n", "restore", "k", "5000", hello)
	after := time.Now().UnixMilli()
	at := c.srv.ks.DB(0).LookupNoTouch([]byte("k"), after).Expire
	if at < before+5000 || at > after+5000 {
		t.Errorf("RESTORE ttl 5000 set expiry %d, want now+5000", at)
	}
	if got, want := rec.take(), resp("SELECT", "0")+resp("restore", "k", fmt.Sprint(at), hello, "ABSTTL"); got != want {
		t.Errorf("propagated %q, want %q", got, want)
	}
	if got := n.take(); !slices.Equal(got, []string{"0:new:k", "0:restore:k"}) {
		t.Errorf("events %q", got)
	}

	c.expectArgs("+OK\r\n", "restore", "k", "4102444800123", hello, "replace", "absttl")
	if got, want := rec.take(), resp("restore", "k", "4102444800123", hello, "replace", "absttl"); got != want {
		t.Errorf("propagated %q, want %q", got, want)
	}
	n.take()

	// A TTL already in the past: nothing stored, the replaced key deleted.
	c.expectArgs("+OK\r\n", "restore", "k", "1", hello, "replace", "absttl")
	c.expect("exists k", ":0\r\n")
	if got := rec.take(); got != resp("DEL", "k") {
		t.Errorf("propagated %q, want DEL k", got)
	}
	if got := n.take(); !slices.Equal(got, []string{"0:del:k", "0:keymiss:k"}) {
		t.Errorf("events %q", got)
	}
	c.expectArgs("+OK\r\n", "restore", "k", "1", hello, "absttl")
	if got := rec.take(); got != "" {
		t.Errorf("a RESTORE that stored nothing propagated %q", got)
	}
}

func TestRestoreIdletime(t *testing.T) {
	c := newTestClient(t)
	hello := string(rdb.DumpString([]byte("hello")))
	c.expectArgs("+OK\r\n", "restore", "k", "0", hello, "idletime", "1000")
	got := c.do("object idletime k")
	if got != ":1000\r\n" && got != ":1001\r\n" {
		t.Errorf("object idletime after RESTORE IDLETIME 1000 = %q", got)
	}
	c.expectArgs("+OK\r\n", "restore", "k", "0", hello, "replace")
	c.expect("object idletime k", ":0\r\n")
}

func TestDumpRestoreOtherTypes(t *testing.T) {
	c := newTestClient(t)
	c.srv.ks.DB(0).Put([]byte("l"), keyspace.Entry{Type: keyspace.TypeList, Enc: keyspace.EncListpack, Obj: &fakeList{items: []string{"a"}}})
	c.expect("dump l", "-"+errDumpType+"\r\n")
	// A list payload from redis-server 7.0.15 (RPUSH l a b): lists have a
	// codec now (persistence/rdb/list.go).
	list := "\x12\x01\x02\r\r\x00\x00\x00\x02\x00\x81a\x02\x81b\x02\xff\n\x00h\xeb\n\x89\x13A\xbb\xb1"
	c.expectArgs("+OK\r\n", "restore", "l2", "0", list)
	c.expect("lrange l2 0 -1", "*2\r\n$1\r\na\r\n$1\r\nb\r\n")
	// Corrupt payloads: Redis says "Bad data format" once it fails to
	// decode them (a truncated ziplist list, a stream with no body).
	c.expectArgs("-"+errBadFormat+"\r\n", "restore", "b9", "0", "\n\x00]\x9b\\@\x0f\x7f\xa2\xda")
	c.expectArgs("-"+errBadFormat+"\r\n", "restore", "b10", "0", "\x15\n\x00d\x8fj\xad\x99\xf5(c")
}
