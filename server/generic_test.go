package server

// Tests of the generic key commands. Expected replies were taken from
// redis-server 7.0.15 with the same command sequence.

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vireodb/vireo/datatypes/keyspace"
)

func TestExistsTypeTouchUnlink(t *testing.T) {
	c := newTestClient(t)
	c.expect("flushall", "+OK\r\n")
	// DEL / UNLINK / EXISTS / TYPE / TOUCH
	c.expect("set a 1", "+OK\r\n")
	c.expect("set b hello", "+OK\r\n")
	c.expect("exists a b a nokey", ":3\r\n")
	c.expect("exists nokey", ":0\r\n")
	c.expect("exists", "-ERR wrong number of arguments for 'exists' command\r\n")
	c.expect("type a", "+string\r\n")
	c.expect("type nokey", "+none\r\n")
	c.expect("type", "-ERR wrong number of arguments for 'type' command\r\n")
	c.expect("touch a b nokey", ":2\r\n")
	c.expect("touch", "-ERR wrong number of arguments for 'touch' command\r\n")
	c.expect("unlink a nokey", ":1\r\n")
	c.expect("unlink", "-ERR wrong number of arguments for 'unlink' command\r\n")
	c.expect("unlink a", ":0\r\n")
	c.expect("del b b", ":1\r\n")
	c.expect("exists a b", ":0\r\n")
}

func TestRename(t *testing.T) {
	c := newTestClient(t)
	c.expect("flushall", "+OK\r\n")
	c.expect("rename nokey x", "-ERR no such key\r\n")
	c.expect("renamenx nokey x", "-ERR no such key\r\n")
	c.expect("set a 1", "+OK\r\n")
	c.expect("rename a a", "+OK\r\n")
	c.expect("renamenx a a", ":0\r\n")
	c.expect("get a", "$1\r\n1\r\n")
	c.expect("set b 2", "+OK\r\n")
	c.expect("renamenx a b", ":0\r\n")
	c.expect("get a", "$1\r\n1\r\n")
	c.expect("rename a b", "+OK\r\n")
	c.expect("get b", "$1\r\n1\r\n")
	c.expect("exists a", ":0\r\n")
	c.expect("set c 3", "+OK\r\n")
	c.expect("renamenx b c", ":0\r\n")
	c.expect("renamenx b d", ":1\r\n")
	c.expect("get d", "$1\r\n1\r\n")
	c.expect("rename d", "-ERR wrong number of arguments for 'rename' command\r\n")
	c.expect("rename d e f", "-ERR wrong number of arguments for 'rename' command\r\n")
	c.expect("set t v", "+OK\r\n")
	c.expect("pexpireat t 4102444800123", ":1\r\n")
	c.expect("rename t t2", "+OK\r\n")
	c.expect("pexpiretime t2", ":4102444800123\r\n")
	c.expect("pexpiretime t", ":-2\r\n")
	c.expect("set c plain", "+OK\r\n")
	c.expect("rename t2 c", "+OK\r\n")
	c.expect("pexpiretime c", ":4102444800123\r\n")
}

func TestMove(t *testing.T) {
	c := newTestClient(t)
	c.expect("flushall", "+OK\r\n")
	c.expect("set k v", "+OK\r\n")
	c.expect("move k 0", "-ERR source and destination objects are the same\r\n")
	c.expect("move k 16", "-ERR DB index is out of range\r\n")
	c.expect("move k -1", "-ERR DB index is out of range\r\n")
	c.expect("move k abc", "-ERR value is not an integer or out of range\r\n")
	c.expect("move k 2147483648", "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n")
	c.expect("move nokey 1", ":0\r\n")
	c.expect("move nokey 0", "-ERR source and destination objects are the same\r\n")
	c.expect("move k 1", ":1\r\n")
	c.expect("exists k", ":0\r\n")
	c.expect("select 1", "+OK\r\n")
	c.expect("get k", "$1\r\nv\r\n")
	c.expect("set k v1", "+OK\r\n")
	c.expect("select 0", "+OK\r\n")
	c.expect("set k v0", "+OK\r\n")
	c.expect("move k 1", ":0\r\n")
	c.expect("get k", "$2\r\nv0\r\n")
	c.expect("select 1", "+OK\r\n")
	c.expect("get k", "$2\r\nv1\r\n")
	c.expect("move k 0", ":0\r\n")
	c.expect("get k", "$2\r\nv1\r\n")
	c.expect("select 0", "+OK\r\n")
	c.expect("get k", "$2\r\nv0\r\n")
	c.expect("set v x", "+OK\r\n")
	c.expect("pexpireat v 4102444800123", ":1\r\n")
	c.expect("move v 3", ":1\r\n")
	c.expect("select 3", "+OK\r\n")
	c.expect("pexpiretime v", ":4102444800123\r\n")
	c.expect("select 0", "+OK\r\n")
}

func TestCopy(t *testing.T) {
	c := newTestClient(t)
	c.expect("flushall", "+OK\r\n")
	c.expect("copy nokey k3", ":0\r\n")
	c.expect("copy k k", "-ERR source and destination objects are the same\r\n")
	c.expect("copy k k db 0", "-ERR source and destination objects are the same\r\n")
	c.expect("copy k k2 foo", "-ERR syntax error\r\n")
	c.expect("copy k k2 db", "-ERR syntax error\r\n")
	c.expect("copy k k2 db x", "-ERR value is not an integer or out of range\r\n")
	c.expect("copy k k2 db 99", "-ERR DB index is out of range\r\n")
	c.expect("copy k k2 db 2147483648", "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n")
	c.expect("copy k k2 replace db 1 foo", "-ERR syntax error\r\n")
	c.expect("copy", "-ERR wrong number of arguments for 'copy' command\r\n")
	c.expect("copy k", "-ERR wrong number of arguments for 'copy' command\r\n")
	c.expect("set k v", "+OK\r\n")
	c.expect("copy k k2", ":1\r\n")
	c.expect("get k2", "$1\r\nv\r\n")
	c.expect("set k v2", "+OK\r\n")
	c.expect("copy k k2", ":0\r\n")
	c.expect("get k2", "$1\r\nv\r\n")
	c.expect("copy k k2 replace", ":1\r\n")
	c.expect("get k2", "$2\r\nv2\r\n")
	c.expect("copy k k2 db 1", ":1\r\n")
	c.expect("copy k k2 db 1", ":0\r\n")
	c.expect("copy k k2 db 1 replace", ":1\r\n")
	c.expect("copy k k2 REPLACE DB 1", ":1\r\n")
	c.expect("copy k k db 1 replace", ":1\r\n")
	c.expect("select 1", "+OK\r\n")
	c.expect("get k", "$2\r\nv2\r\n")
	c.expect("get k2", "$2\r\nv2\r\n")
	c.expect("select 0", "+OK\r\n")
	c.expect("set t 1", "+OK\r\n")
	c.expect("pexpireat t 4102444800123", ":1\r\n")
	c.expect("copy t t2", ":1\r\n")
	c.expect("pexpiretime t2", ":4102444800123\r\n")
	c.expect("copy t t3 db 2", ":1\r\n")
	c.expect("select 2", "+OK\r\n")
	c.expect("pexpiretime t3", ":4102444800123\r\n")
	c.expect("select 0", "+OK\r\n")
	c.expect("pexpiretime t", ":4102444800123\r\n")
}

func TestKeysScanRandomKeyReplies(t *testing.T) {
	c := newTestClient(t)
	c.expect("flushall", "+OK\r\n")
	c.expect("keys *", "*0\r\n")
	c.expect("scan 0", "*2\r\n$1\r\n0\r\n*0\r\n")
	c.expect("randomkey", "$-1\r\n")
	c.expect("set hello 1", "+OK\r\n")
	c.expect("set hallo 2", "+OK\r\n")
	c.expect("set hxllo 3", "+OK\r\n")
	c.expect("set h*llo 4", "+OK\r\n")
	c.expect("keys hel*", "*1\r\n$5\r\nhello\r\n")
	c.expect("keys nomatch*", "*0\r\n")
	c.expect("keys", "-ERR wrong number of arguments for 'keys' command\r\n")
	c.expect("keys a b", "-ERR wrong number of arguments for 'keys' command\r\n")
	c.expect("scan abc", "-ERR invalid cursor\r\n")
	c.expect("scan \" 1\"", "-ERR invalid cursor\r\n")
	c.expect("scan 1.5", "-ERR invalid cursor\r\n")
	c.expect("scan 18446744073709551616", "-ERR invalid cursor\r\n")
	c.expect("scan 0x10", "-ERR invalid cursor\r\n")
	c.expect("scan -", "-ERR invalid cursor\r\n")
	c.expect("scan 0 count 0", "-ERR syntax error\r\n")
	c.expect("scan 0 count -1", "-ERR syntax error\r\n")
	c.expect("scan 0 count abc", "-ERR value is not an integer or out of range\r\n")
	c.expect("scan 0 match", "-ERR syntax error\r\n")
	c.expect("scan 0 count", "-ERR syntax error\r\n")
	c.expect("scan 0 foo bar", "-ERR syntax error\r\n")
	c.expect("scan 0 type", "-ERR syntax error\r\n")
	c.expect("scan 0 type list", "*2\r\n$1\r\n0\r\n*0\r\n")
	c.expect("scan 0 type nosuchtype", "*2\r\n$1\r\n0\r\n*0\r\n")
	c.expect("scan 0 type hash count 5 match *", "*2\r\n$1\r\n0\r\n*0\r\n")
	c.expect("randomkey a", "-ERR wrong number of arguments for 'randomkey' command\r\n")
	c.expect("flushall", "+OK\r\n")
	c.expect("set only 1", "+OK\r\n")
	c.expect("randomkey", "$4\r\nonly\r\n")
	c.expect("scan 0", "*2\r\n$1\r\n0\r\n*1\r\n$4\r\nonly\r\n")
	c.expect("scan 0 type STRING", "*2\r\n$1\r\n0\r\n*1\r\n$4\r\nonly\r\n")
	c.expect("scan 0 match o*", "*2\r\n$1\r\n0\r\n*1\r\n$4\r\nonly\r\n")
	c.expect("scan 0 match x*", "*2\r\n$1\r\n0\r\n*0\r\n")
	c.expect("scan \"\" count 100", "*2\r\n$1\r\n0\r\n*1\r\n$4\r\nonly\r\n")
	c.expect("scan 0 count 10 count 20", "*2\r\n$1\r\n0\r\n*1\r\n$4\r\nonly\r\n")
	c.expect("scan 0 match \"\"", "*2\r\n$1\r\n0\r\n*0\r\n")
}

// parseArrayOfBulks parses a RESP array of bulk strings (nested arrays are
// flattened), for replies whose order is not defined.
func parseArrayOfBulks(t testing.TB, r string) []string {
	t.Helper()
	var out []string
	for len(r) > 0 {
		end := strings.Index(r, "\r\n")
		if end < 0 {
			t.Fatalf("truncated reply %q", r)
		}
		head := r[:end]
		r = r[end+2:]
		switch head[0] {
		case '*':
		case '$':
			n, err := strconv.Atoi(head[1:])
			if err != nil || n < 0 {
				t.Fatalf("bad bulk header %q", head)
			}
			out = append(out, r[:n])
			r = r[n+2:]
		default:
			t.Fatalf("unexpected reply line %q", head)
		}
	}
	return out
}

// expectKeys runs a command whose reply is an unordered array of names.
func (tc *testClient) expectKeys(args []string, want ...string) {
	tc.t.Helper()
	var bargs [][]byte
	for _, a := range args {
		bargs = append(bargs, []byte(a))
	}
	got := parseArrayOfBulks(tc.t, tc.doArgs(bargs...))
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		tc.t.Errorf("%q: got %q, want %q", args, got, want)
	}
}

func TestKeysPatterns(t *testing.T) {
	c := newTestClient(t)
	for _, k := range []string{"hello", "hallo", "hxllo", "h*llo", "", "HELLO"} {
		c.doArgs([]byte("set"), []byte(k), []byte("1"))
	}
	c.expectKeys([]string{"keys", "h[ae]llo"}, "hallo", "hello")
	c.expectKeys([]string{"keys", "h[^ae]llo"}, "hxllo", "h*llo")
	c.expectKeys([]string{"keys", `h\*llo`}, "h*llo")
	c.expectKeys([]string{"keys", "h?llo"}, "hallo", "hello", "hxllo", "h*llo")
	c.expectKeys([]string{"keys", "*"}, "hello", "hallo", "hxllo", "h*llo", "", "HELLO")
	// Only the exact pattern "*" short-cuts the matcher, which never
	// matches the empty key.
	c.expectKeys([]string{"keys", "**"}, "hello", "hallo", "hxllo", "h*llo", "HELLO")
	c.expectKeys([]string{"keys", "[A-Z]*"}, "HELLO")
	c.expectKeys([]string{"scan", "0", "match", "h[ae]llo", "count", "1000"}, "0", "hallo", "hello")
}

func TestKeysSkipsExpired(t *testing.T) {
	c := newTestClient(t)
	c.expect("set live 1", "+OK\r\n")
	c.expect("set dead 1", "+OK\r\n")
	c.expect("pexpire dead 1", ":1\r\n")
	time.Sleep(5 * time.Millisecond)
	c.expect("keys *", "*1\r\n$4\r\nlive\r\n")
	c.expect("scan 0 count 100", "*2\r\n$1\r\n0\r\n*1\r\n$4\r\nlive\r\n")
	c.expect("dbsize", ":2\r\n") // not collected yet
	// An expired key is expired first, then not counted as deleted.
	c.expect("del dead live", ":1\r\n")
	c.expect("dbsize", ":0\r\n")
}

// scanAll iterates SCAN to the end and returns every name it returned (with
// repeats) and the number of calls. between runs after every call.
func scanAll(t *testing.T, c *testClient, opts string, between func()) ([]string, int) {
	t.Helper()
	cursor := "0"
	var all []string
	calls := 0
	for {
		r := c.do("scan " + cursor + " " + opts)
		if !strings.HasPrefix(r, "*2\r\n$") {
			t.Fatalf("scan reply %q", r)
		}
		parts := parseArrayOfBulks(t, r)
		cursor = parts[0]
		all = append(all, parts[1:]...)
		calls++
		if cursor == "0" {
			return all, calls
		}
		if calls > 100000 {
			t.Fatal("SCAN does not terminate")
		}
		if between != nil {
			between()
		}
	}
}

func TestScanVisitsEveryKey(t *testing.T) {
	c := newTestClient(t)
	const n = 3000
	want := make(map[string]bool, n)
	for i := 0; i < n; i++ {
		k := fmt.Sprintf("key:%d", i)
		c.doArgs([]byte("set"), []byte(k), []byte("v"))
		want[k] = true
	}
	for _, count := range []int{1, 7, 100, 10000} {
		got, calls := scanAll(t, c, "count "+strconv.Itoa(count), nil)
		seen := map[string]bool{}
		for _, k := range got {
			if !want[k] {
				t.Fatalf("COUNT %d: SCAN returned unknown key %q", count, k)
			}
			seen[k] = true
		}
		if len(seen) != n {
			t.Errorf("COUNT %d: SCAN returned %d distinct keys of %d", count, len(seen), n)
		}
		if count == 1 && calls < n/10 {
			t.Errorf("COUNT 1 finished in %d calls; COUNT is not honoured", calls)
		}
	}
	// MATCH filters after counting, so the scan still ends and finds all.
	got, _ := scanAll(t, c, "match key:1?? count 50", nil)
	slices.Sort(got)
	got = slices.Compact(got)
	if len(got) != 100 {
		t.Errorf("MATCH key:1?? found %d keys, want 100", len(got))
	}
}

func TestScanWhileKeysAreAdded(t *testing.T) {
	c := newTestClient(t)
	const n = 1000
	for i := 0; i < n; i++ {
		c.doArgs([]byte("set"), []byte(fmt.Sprintf("old:%d", i)), []byte("v"))
	}
	added := 0
	got, _ := scanAll(t, c, "count 20", func() {
		for j := 0; j < 25; j++ {
			c.doArgs([]byte("set"), []byte(fmt.Sprintf("new:%d", added)), []byte("v"))
			added++
		}
	})
	seen := map[string]bool{}
	for _, k := range got {
		seen[k] = true
	}
	for i := 0; i < n; i++ {
		if k := fmt.Sprintf("old:%d", i); !seen[k] {
			t.Errorf("key %s, present for the whole scan, was not returned", k)
		}
	}
	if added == 0 {
		t.Fatal("the scan finished in one call; the test added nothing in between")
	}
}

func TestScanEmptyAndSparseDatabases(t *testing.T) {
	c := newTestClient(t)
	c.expect("scan 0", "*2\r\n$1\r\n0\r\n*0\r\n")
	c.expect("scan 0 count 1", "*2\r\n$1\r\n0\r\n*0\r\n")
	// One key: a single call finds it wherever its shard is.
	c.expect("set k v", "+OK\r\n")
	c.expect("scan 0", "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n")
	// A cursor from another server (any number) is accepted and ends the
	// scan; whether it still finds k depends on the shard k hashes to,
	// which changes with the process's hash seed.
	c.expectPrefix("scan 18446744073709551615", "*2\r\n$1\r\n0\r\n*")
}

func TestScanCursorEncoding(t *testing.T) {
	for _, shards := range []int{1, 2, 16, 256} {
		for _, pos := range []scanCursor{{0, 1}, {1, 0}, {shards - 1, 12345}, {shards / 2, 1 << 40}} {
			if pos.shard >= shards {
				continue
			}
			v := pos.encode(shards)
			if v == 0 {
				t.Errorf("shards %d: %+v encodes to 0, which ends a scan", shards, pos)
			}
			if back := decodeScanCursor(v, shards); back != pos {
				t.Errorf("shards %d: %+v -> %d -> %+v", shards, pos, v, back)
			}
		}
	}
	for in, want := range map[string]uint64{"0": 0, "": 0, "+5": 5, "-1": 1<<64 - 1, "007": 7, "18446744073709551615": 1<<64 - 1} {
		if v, ok := parseScanCursor([]byte(in)); !ok || v != want {
			t.Errorf("parseScanCursor(%q) = %d, %v; want %d", in, v, ok, want)
		}
	}
	for _, in := range []string{"-", "+", " 1", "1 ", "0x1", "18446744073709551616", "1.0"} {
		if _, ok := parseScanCursor([]byte(in)); ok {
			t.Errorf("parseScanCursor(%q) accepted", in)
		}
	}
}

// fakeList stands in for the list type until it exists: a value in
// Entry.Obj that COPY can clone.
type fakeList struct{ items []string }

func (l *fakeList) Clone() any { return &fakeList{items: slices.Clone(l.items)} }

func putList(c *testClient, db int, key string, items ...string) *fakeList {
	l := &fakeList{items: items}
	c.srv.ks.DB(db).Put([]byte(key), keyspace.Entry{Type: keyspace.TypeList, Enc: keyspace.EncListpack, Obj: l})
	return l
}

func TestTypesOfOtherValues(t *testing.T) {
	c := newTestClient(t)
	putList(c, 0, "l", "a")
	c.expect("set s v", "+OK\r\n")
	c.expect("type l", "+list\r\n")
	c.expect("object encoding l", "$8\r\nlistpack\r\n")
	c.expect("object refcount l", ":1\r\n")
	c.expect("scan 0 type list", "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nl\r\n")
	c.expect("scan 0 type LIST count 1000", "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nl\r\n")
	c.expect("scan 0 type string", "*2\r\n$1\r\n0\r\n*1\r\n$1\r\ns\r\n")

	// COPY duplicates the structure: changing the copy leaves the source.
	c.expect("copy l l2", ":1\r\n")
	c.expect("type l2", "+list\r\n")
	src := c.srv.ks.DB(0).LookupNoTouch([]byte("l"), time.Now().UnixMilli()).Obj.(*fakeList)
	dup := c.srv.ks.DB(0).LookupNoTouch([]byte("l2"), time.Now().UnixMilli()).Obj.(*fakeList)
	if src == dup {
		t.Fatal("COPY shares the value")
	}
	dup.items[0] = "changed"
	if src.items[0] != "a" {
		t.Error("COPY's duplicate shares storage with the source")
	}
}

func TestCopyKeepsSourceAndResetsIdle(t *testing.T) {
	c := newTestClient(t)
	db := c.srv.ks.DB(0)
	db.Put([]byte("old"), keyspace.Entry{Type: keyspace.TypeString, Enc: keyspace.EncEmbstr, Str: []byte("v"), Access: 1})
	c.expect("copy old new", ":1\r\n")
	now := time.Now().UnixMilli()
	if e := db.LookupNoTouch([]byte("new"), now); e == nil || e.Access != c.srv.ks.LRUClock() {
		t.Errorf("the copy's access stamp is %+v, want the current clock", e)
	}
	if e := db.LookupNoTouch([]byte("old"), now); e == nil || string(e.Str) != "v" {
		t.Errorf("source after COPY: %+v", e)
	}
}

func TestRandomKey(t *testing.T) {
	c := newTestClient(t)
	c.expect("randomkey", "$-1\r\n")
	keys := map[string]bool{}
	for i := 0; i < 200; i++ {
		k := fmt.Sprintf("k%d", i)
		keys[k] = true
		c.doArgs([]byte("set"), []byte(k), []byte("v"))
	}
	seen := map[string]bool{}
	for i := 0; i < 500; i++ {
		got := parseArrayOfBulks(t, c.do("randomkey"))
		if len(got) != 1 || !keys[got[0]] {
			t.Fatalf("randomkey returned %q", got)
		}
		seen[got[0]] = true
	}
	if len(seen) < 50 {
		t.Errorf("500 RANDOMKEYs over 200 keys returned only %d distinct keys", len(seen))
	}
}

func TestRandomKeySkipsAndDeletesExpired(t *testing.T) {
	c := newTestClient(t)
	for i := 0; i < 300; i++ {
		k := fmt.Sprintf("dead%d", i)
		c.doArgs([]byte("set"), []byte(k), []byte("v"), []byte("px"), []byte("1"))
	}
	time.Sleep(5 * time.Millisecond)
	c.expect("dbsize", ":300\r\n") // expired, not yet collected
	c.expect("set live v", "+OK\r\n")
	c.expect("randomkey", "$4\r\nlive\r\n")
	c.expect("del live", ":1\r\n")
	c.expect("randomkey", "$-1\r\n")
	// The expired keys RANDOMKEY met were deleted on the way (the tries are
	// bounded, so not necessarily all of them).
	if n, _ := strconv.Atoi(strings.Trim(c.do("dbsize"), ":\r\n")); n >= 300 {
		t.Errorf("dbsize %d after RANDOMKEY met expired keys; none were deleted", n)
	}
}

func TestGenericInsideMulti(t *testing.T) {
	c := newTestClient(t)
	c.expect("set a 1", "+OK\r\n")
	c.expect("multi", "+OK\r\n")
	c.expect("copy a b db 1", "+QUEUED\r\n")
	c.expect("copy a c", "+QUEUED\r\n")
	c.expect("move a 2", "+QUEUED\r\n")
	c.expect("scan 0", "+QUEUED\r\n")
	c.expect("keys *", "+QUEUED\r\n")
	c.expect("randomkey", "+QUEUED\r\n")
	c.expect("exec", "*6\r\n:1\r\n:1\r\n:1\r\n*2\r\n$1\r\n0\r\n*1\r\n$1\r\nc\r\n*1\r\n$1\r\nc\r\n$1\r\nc\r\n")
	c.expect("select 1", "+OK\r\n")
	c.expect("get b", "$1\r\n1\r\n")
	c.expect("select 2", "+OK\r\n")
	c.expect("get a", "$1\r\n1\r\n")
}

func TestGenericTouchesWatchedKeys(t *testing.T) {
	s := newTestServer(t)
	a, b := s.testClient(t), s.testClient(t)
	run := func(setup, cmd string, wantAbort bool) {
		t.Helper()
		a.expect("flushall", "+OK\r\n")
		if setup != "" {
			a.do(setup)
		}
		a.expect("watch w", "+OK\r\n")
		b.do(cmd)
		a.expect("multi", "+OK\r\n")
		a.expect("ping", "+QUEUED\r\n")
		want := "*1\r\n+PONG\r\n"
		if wantAbort {
			want = "*-1\r\n"
		}
		a.expect("exec", want)
	}
	run("set w 1", "rename w x", true)
	run("set x 1", "rename x w", true)
	run("set x 1", "renamenx x w", true)
	run("set w 1", "move w 1", true)
	run("set x 1", "copy x w", true)
	run("set w 1", "expire w 100", true)
	run("set w 1 ex 100", "persist w", true)
	run("set w 1", "unlink w", true)
	run("set w 1", "persist w", false) // no TTL: nothing changed
	run("set x 1", "copy x y", false)
	run("set w 1", "expire nokey 100", false)
}

// notifications collects keyspace events while every class is enabled.
type notifications struct {
	mu     sync.Mutex
	events []string
}

func captureNotifications(s *Server) *notifications {
	n := &notifications{}
	s.notifyFlags.v.Store(0xffff)
	s.publishHook = func(class NotifyClass, event string, key []byte, db int) {
		n.mu.Lock()
		n.events = append(n.events, fmt.Sprintf("%d:%s:%s", db, event, key))
		n.mu.Unlock()
	}
	return n
}

func (n *notifications) take() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := n.events
	n.events = nil
	return out
}

func TestGenericNotifications(t *testing.T) {
	c := newTestClient(t)
	n := captureNotifications(c.srv)
	check := func(line string, want ...string) {
		t.Helper()
		n.take()
		c.do(line)
		if got := n.take(); !slices.Equal(got, want) {
			t.Errorf("%s: events %q, want %q", line, got, want)
		}
	}
	c.do("set a 1")
	check("rename a b", "0:new:b", "0:rename_from:a", "0:rename_to:b")
	check("renamenx b c", "0:new:c", "0:rename_from:b", "0:rename_to:c")
	check("move c 1", "1:new:c", "0:move_from:c", "1:move_to:c")
	c.do("set a 1")
	check("copy a b", "0:new:b", "0:copy_to:b")
	check("copy a b db 2", "2:new:b", "2:copy_to:b")
	check("expire a 100", "0:expire:a")
	check("persist a", "0:persist:a")
	check("expire a -1", "0:del:a")
	check("unlink b", "0:del:b")
	check("exists nokey", "0:keymiss:nokey")
	check("type nokey", "0:keymiss:nokey")
	check("object encoding nokey")
	c.do("set e 1 px 1")
	time.Sleep(5 * time.Millisecond)
	check("exists e", "0:expired:e", "0:keymiss:e")
}

// streamRecorder is a propagation sink that keeps what it is sent.
type streamRecorder struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (r *streamRecorder) Write(p []byte) {
	r.mu.Lock()
	r.buf.Write(p)
	r.mu.Unlock()
}

func (r *streamRecorder) take() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.buf.String()
	r.buf.Reset()
	return s
}

// resp encodes a command as the propagation stream does.
func resp(args ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	return b.String()
}

func TestGenericPropagation(t *testing.T) {
	c := newTestClient(t)
	rec := &streamRecorder{}
	c.srv.ks.Stream.AddSink(rec)
	check := func(line, want string) {
		t.Helper()
		rec.take()
		c.do(line)
		if got := rec.take(); got != want {
			t.Errorf("%s: propagated %q, want %q", line, got, want)
		}
	}
	c.do("select 0")
	c.do("set a 1")
	rec.take()
	check("rename a b", resp("rename", "a", "b"))
	check("rename nokey x", "")
	check("copy b c", resp("copy", "b", "c"))
	check("copy b c", "")
	check("copy b c db 1 replace", resp("copy", "b", "c", "db", "1", "replace"))
	check("move c 3", resp("move", "c", "3"))
	c.do("set u 1")
	check("unlink u nokey", resp("unlink", "u", "nokey"))
	check("unlink u", "")
	check("persist b", "")
	check("pexpireat b 4102444800123", resp("pexpireat", "b", "4102444800123"))
	check("persist b", resp("persist", "b"))
	check("expireat b 4102444800 nx", resp("PEXPIREAT", "b", "4102444800000", "nx"))
	before := time.Now().UnixMilli()
	c.do("expire b 100 xx")
	after := time.Now().UnixMilli()
	got := rec.take()
	var at int64
	if _, err := fmt.Sscanf(got, "*4\r\n$9\r\nPEXPIREAT\r\n$1\r\nb\r\n$13\r\n%d\r\n$2\r\nxx\r\n", &at); err != nil ||
		at < before+100000 || at > after+100000 {
		t.Errorf("expire b 100 xx: propagated %q, want PEXPIREAT b <now+100s> xx", got)
	}
	rec.take()
	c.do("pexpire b 5000")
	if got := rec.take(); !strings.HasPrefix(got, "*3\r\n$9\r\nPEXPIREAT\r\n$1\r\nb\r\n$13\r\n") {
		t.Errorf("pexpire b 5000: propagated %q, want PEXPIREAT b <ms>", got)
	}
	check("expire b -1", resp("DEL", "b"))
	check("keys *", "")
	check("scan 0", "")
}

// TestGenericConcurrent runs the whole-keyspace and two-key commands from
// several clients at once: with -race this checks their locking (COPY's own
// locks, MOVE's LockAll, SCAN/KEYS/RANDOMKEY one shard at a time).
func TestGenericConcurrent(t *testing.T) {
	s := newTestServer(t)
	cmds := []string{
		"set k%d v", "copy k%d c%d", "copy k%d c%d db 1 replace", "move k%d 2", "rename k%d r%d",
		"renamenx c%d k%d", "expire k%d 100", "persist k%d", "unlink c%d", "exists k%d c%d",
		"scan 0 count 5", "keys k1*", "randomkey", "dbsize", "type k%d", "ttl k%d",
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		c := s.testClient(t)
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 400; i++ {
				tmpl := cmds[(i*7+g)%len(cmds)]
				line := strings.ReplaceAll(tmpl, "%d", strconv.Itoa((i+g)%20))
				if r := c.do(line); strings.HasPrefix(r, "-") && !strings.HasPrefix(r, "-ERR no such key") {
					t.Errorf("%s: %q", line, r)
					return
				}
			}
		}(g)
	}
	scanner := s.testClient(t)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			scanAll(t, scanner, "count 3", nil)
		}
	}()
	wg.Wait()
}

// FuzzParseScanCursor checks the cursor parser against strconv: the same
// numbers (a leading '-' wraps, as strtoul does), and nothing else.
func FuzzParseScanCursor(f *testing.F) {
	for _, s := range []string{"0", "", "-1", "+5", " 1", "18446744073709551615", "18446744073709551616", "1x", "-", "007"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseScanCursor([]byte(s))
		digits, neg := s, false
		if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
			digits, neg = s[1:], s[0] == '-'
		}
		want, err := strconv.ParseUint(digits, 10, 64)
		wantOK := err == nil
		if s == "" {
			want, wantOK = 0, true
		}
		if neg {
			want = -want
		}
		if ok != wantOK || (ok && got != want) {
			t.Fatalf("parseScanCursor(%q) = %d, %v; want %d, %v", s, got, ok, want, wantOK)
		}
	})
}
