package server

// Tests of the HyperLogLog commands. Expected replies were recorded from
// redis-server 7.0.15 running the same command sequences (values, corrupt
// HLLs written with SET, PFDEBUG output and error texts included).

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"

	"github.com/vireodb/vireo/datatypes/hll"
	"github.com/vireodb/vireo/datatypes/keyspace"
)

func TestHLLCommands(t *testing.T) {
	c := newTestClient(t)
	// PFADD creates, reports changes, accepts no elements.
	c.expect("PFADD h a b c", ":1\r\n")
	c.expect("PFADD h a", ":0\r\n")
	c.expect("PFADD h", ":0\r\n")
	c.expect("PFADD new", ":1\r\n")
	c.expect("GET new", "$18\r\nHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff\r\n")
	c.expect("PFCOUNT new", ":0\r\n")
	c.expect("GET new", "$18\r\nHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff\r\n")
	c.expect("PFCOUNT h", ":3\r\n")
	c.expect("GET h", "$27\r\nHYLL\x01\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00`\xf3\x80P\xb1\x84K\xfb\x80BZ\r\n")
	c.expect("PFCOUNT h", ":3\r\n")
	c.expect("OBJECT ENCODING h", "$3\r\nraw\r\n")
	c.expect("PFADD h d e f g", ":1\r\n")
	c.expect("GET h", "$38\r\nHYLL\x01\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x80Fm\x80V\x0c\x80D<\x848\x80P\xb1\x84I\x8c\x80Bm\x80BZ\r\n")
	c.expect("PFCOUNT h", ":7\r\n")
	c.expect("PFCOUNT nokey", ":0\r\n")
	c.expect("PFCOUNT nokey1 nokey2", ":0\r\n")
	// Union counts leave the cached cardinality alone.
	c.expect("PFADD h2 c d x y z", ":1\r\n")
	c.expect("PFCOUNT h h2", ":10\r\n")
	c.expect("PFCOUNT h h2 nokey", ":10\r\n")
	c.expect("GET h2", "$32\r\nHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\\{\x80Dv\x80@\x8f\x80X\xcd\x88E\xa0\x84\x08\r\n")
	// Type errors and corrupt values.
	c.expect("SET s hello", "+OK\r\n")
	c.expect("PFADD s a", "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n")
	c.expect("PFCOUNT s", "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n")
	c.expect("PFCOUNT h s", "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n")
	c.expect("PFMERGE h s", "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n")
	c.expect("PFMERGE s h", "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n")
	c.expect("SET i 12345", "+OK\r\n")
	c.expect("PFADD i x", "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n")
	c.c.db.Put([]byte("l"), keyspace.Entry{Type: keyspace.TypeList}) // LPUSH l x
	c.expect("PFADD l x", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("PFCOUNT l", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("PFCOUNT h l", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("PFMERGE l h", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("PFDEBUG encoding l", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("SET short \"HYLL\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\"", "+OK\r\n")
	c.expect("PFCOUNT short", "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n")
	c.expect("SET bad \"HYLL\\x02\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80\\x7f\\xff\"", "+OK\r\n")
	c.expect("PFCOUNT bad", "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n")
	c.expect("SET dshort \"HYLL\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80\\x7f\\xff\"", "+OK\r\n")
	c.expect("PFCOUNT dshort", "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n")
	c.expect("SET few \"HYLL\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80\\x40\\x00\"", "+OK\r\n")
	c.expect("PFCOUNT few", "-INVALIDOBJ Corrupted HLL object detected\r\n")
	c.expect("PFADD few x", "-INVALIDOBJ Corrupted HLL object detected\r\n")
	c.expect("PFCOUNT few h", "-INVALIDOBJ Corrupted HLL object detected\r\n")
	c.expect("PFMERGE h few", "-INVALIDOBJ Corrupted HLL object detected\r\n")
	c.expect("PFDEBUG decode few", "$3\r\nZ:1\r\n")
	c.expect("SET many \"HYLL\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80\\x7f\\xff\\x7f\\xff\"", "+OK\r\n")
	c.expect("PFADD many x", ":1\r\n")
	c.expect("GET many", "$22\r\nHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xf5\x84\x08\x7f\xff\r\n")
	c.expect("PFCOUNT many", "-INVALIDOBJ Corrupted HLL object detected\r\n")
	c.expect("PFDEBUG todense many", "-INVALIDOBJ Corrupted HLL object detected\r\n")
	c.expect("SET cut \"HYLL\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80\\x45\\x25\\x80\\x79\"", "+OK\r\n")
	c.expect("PFDEBUG decode cut", "$20\r\nZ:1318 v:1,1 Z:14593\r\n")
	c.expect("PFCOUNT cut", "-INVALIDOBJ Corrupted HLL object detected\r\n")
	c.expect("PFADD cut e1 e2 e3 e4 e5", "-INVALIDOBJ Corrupted HLL object detected\r\n")
	c.expect("GET cut", "$20\r\nHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80E%\x80y\r\n")
	c.expect("SET cached \"HYLL\\x01\\x00\\x00\\x00\\x2a\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x40\\x00\"", "+OK\r\n")
	c.expect("PFCOUNT cached", ":42\r\n")
	c.expect("PFADD cached x", "-INVALIDOBJ Corrupted HLL object detected\r\n")
	c.expect("SET embstr \"HYLL\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80\\x7f\\xff\"", "+OK\r\n")
	c.expect("OBJECT ENCODING embstr", "$6\r\nembstr\r\n")
	c.expect("PFCOUNT embstr", ":0\r\n")
	c.expect("OBJECT ENCODING embstr", "$3\r\nraw\r\n")
	c.expect("GET embstr", "$18\r\nHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff\r\n")
	// PFMERGE.
	c.expect("PFMERGE m1 h h2", "+OK\r\n")
	c.expect("GET m1", "$46\r\nHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80Fm\x80V\x0c\x80D<\x848\x80@\x8f\x80P \x84H\xab\x88@\xdf\x80Bm\x80BP\x84\x08\r\n")
	c.expect("PFCOUNT m1", ":10\r\n")
	c.expect("PFMERGE m2", "+OK\r\n")
	c.expect("GET m2", "$18\r\nHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff\r\n")
	c.expect("PFMERGE m1 nokey", "+OK\r\n")
	c.expect("PFCOUNT m1", ":10\r\n")
	c.expect("PFMERGE h2 h", "+OK\r\n")
	c.expect("PFCOUNT h2", ":10\r\n")
	c.expect("GET h2", "$46\r\nHYLL\x01\x00\x00\x00\n\x00\x00\x00\x00\x00\x00\x00Fm\x80V\x0c\x80D<\x848\x80@\x8f\x80P \x84H\xab\x88@\xdf\x80Bm\x80BP\x84\x08\r\n")
	// PFDEBUG.
	c.expect("PFDEBUG encoding nokey", "-ERR The specified key does not exist\r\n")
	c.expect("PFDEBUG encoding h", "+sparse\r\n")
	c.expect("PFDEBUG decode h", "$93\r\nZ:1646 v:1,1 Z:5645 v:1,1 Z:1085 v:2,1 z:57 v:1,1 Z:4274 v:2,1 Z:2445 v:1,1 Z:622 v:1,1 Z:603\r\n")
	c.expect("PFDEBUG foo h", "-ERR Unknown PFDEBUG subcommand 'foo'\r\n")
	c.expect("PFDEBUG \"x\\r\\ny\\x00z\" h", "-ERR Unknown PFDEBUG subcommand 'x  y'\r\n")
	c.expect("PFDEBUG todense h", ":1\r\n")
	c.expect("PFDEBUG todense h", ":0\r\n")
	c.expect("PFDEBUG encoding h", "+dense\r\n")
	c.expect("PFDEBUG decode h", "-ERR HLL encoding is not sparse\r\n")
	c.expect("PFCOUNT h", ":7\r\n")
	c.expect("PFADD h", ":0\r\n")
	c.expect("PFADD h zz", ":1\r\n")
	c.expect("PFCOUNT h", ":8\r\n")
	c.expect("PFDEBUG getreg nokey", "-ERR The specified key does not exist\r\n")
	c.expect("PFDEBUG decode", "-ERR wrong number of arguments for 'pfdebug' command\r\n")
	c.expect("PFDEBUG decode h extra", "-ERR wrong number of arguments for 'pfdebug' command\r\n")
	c.expect("PFADD", "-ERR wrong number of arguments for 'pfadd' command\r\n")
	c.expect("PFCOUNT", "-ERR wrong number of arguments for 'pfcount' command\r\n")
	c.expect("PFMERGE", "-ERR wrong number of arguments for 'pfmerge' command\r\n")
	c.expect("PFSELFTEST x", "-ERR wrong number of arguments for 'pfselftest' command\r\n")
}

// TestHLLDense runs the PFADD batches that take an HLL past
// hll-sparse-max-bytes and compares digests of GET and PFCOUNT with
// redis-server 7.0.15's (the same cases as datatypes/hll's recording test,
// through the commands).
func TestHLLDense(t *testing.T) {
	c := newTestClient(t)
	digest := func(key string) string {
		t.Helper()
		v := c.entry(key).Str
		h := sha256.Sum256(v)
		return hex.EncodeToString(h[:8])
	}
	for _, tc := range []struct {
		n             int
		before, after string
		count         string
	}{
		{1000, "519a7f0764d633e0", "ab6313e24c05ff99", ":1008\r\n"},
		{2000, "2a070facb0df784f", "934a6aaa45ebe9f4", ":2000\r\n"},
		{20000, "f491acb3b4a2b530", "e0b65a9f0a68fd60", ":19901\r\n"},
	} {
		key := "s" + strconv.Itoa(tc.n)
		c.expect("PFADD "+key, ":1\r\n")
		for i := 0; i < tc.n; i += 500 {
			var b strings.Builder
			b.WriteString("PFADD " + key)
			for j := i; j < min(tc.n, i+500); j++ {
				b.WriteString(" e" + strconv.Itoa(j))
			}
			c.expect(b.String(), ":1\r\n")
		}
		if got := digest(key); got != tc.before {
			t.Errorf("%s: value digest %s, want %s", key, got, tc.before)
		}
		c.expect("PFCOUNT "+key, tc.count)
		if got := digest(key); got != tc.after {
			t.Errorf("%s: digest after PFCOUNT %s, want %s", key, got, tc.after)
		}
		c.expectEncoding(key, "raw")
	}
	c.expect("PFDEBUG encoding s2000", "+dense\r\n")
	c.expect("PFDEBUG encoding s1000", "+sparse\r\n")
	c.expect("PFCOUNT s1000 s2000 s20000", ":19901\r\n")
	c.expect("PFMERGE s1000 s2000", "+OK\r\n")
	c.expect("PFDEBUG encoding s1000", "+dense\r\n")
	c.expect("PFCOUNT s1000", ":2000\r\n")

	// A dense value whose registers are all 63 (written with SET): z is 0
	// and Redis replies LLONG_MIN, which also keeps the cache invalid.
	all63 := "HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80" + strings.Repeat("\xff", 12288)
	c.expectArgs("+OK\r\n", "SET", "d63", all63)
	c.expect("PFCOUNT d63", ":-9223372036854775808\r\n")
	c.expect("PFCOUNT d63 nokey", ":-9223372036854775808\r\n")
	c.expect("PFCOUNT d63", ":-9223372036854775808\r\n")
	// Registers 51,51,12,51 repeated.
	d51 := "HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80" + strings.Repeat("\xf3\xcc\xcc", 4096)
	c.expectArgs("+OK\r\n", "SET", "d51", d51)
	c.expect("PFCOUNT d51", ":193635251\r\n")
	reply := c.do("PFDEBUG getreg d51")
	if !strings.HasPrefix(reply, "*16384\r\n:51\r\n:51\r\n:12\r\n:51\r\n:51\r\n") || strings.Count(reply, "\r\n") != 16385 {
		t.Errorf("PFDEBUG getreg d51: %.60q", reply)
	}
}

// TestHLLSparseMaxBytes: the promotion limit is a live setting.
func TestHLLSparseMaxBytes(t *testing.T) {
	c := newTestClient(t)
	c.expect("CONFIG SET hll-sparse-max-bytes 30", "+OK\r\n")
	c.expect("PFADD h a b c", ":1\r\n")
	c.expect("PFDEBUG encoding h", "+sparse\r\n")
	c.expect("PFADD h d e f g", ":1\r\n")
	c.expect("PFDEBUG encoding h", "+dense\r\n")
	c.expect("CONFIG SET hll-sparse-max-bytes 3000", "+OK\r\n")
	c.expect("PFADD h2 a b c d e f g", ":1\r\n")
	c.expect("PFDEBUG encoding h2", "+sparse\r\n")
}

// TestHLLEffects checks propagation, keyspace events and the change
// counter against redis-server 7.0.15 (its AOF and
// rdb_changes_since_last_save): PFCOUNT is propagated verbatim when it
// refreshes the cached cardinality.
func TestHLLEffects(t *testing.T) {
	c := newTestClient(t)
	rec := recordEffects(c)
	c.srv.notifyFlags.v.Store(uint32(NotifyNew<<1 - 1)) // every class, "new" included
	checkEffects(t, c, rec, []effectCase{
		{"PFADD h a b c", ":1\r\n", []string{"PFADD h a b c"}, []string{"new:h", "pfadd:h"}, 4},
		{"PFADD h a", ":0\r\n", nil, nil, 0},
		{"PFADD h d e", ":1\r\n", []string{"PFADD h d e"}, []string{"pfadd:h"}, 2},
		{"PFCOUNT h", ":5\r\n", []string{"PFCOUNT h"}, nil, 1},
		{"PFCOUNT h", ":5\r\n", nil, nil, 0},
		{"PFCOUNT h x", ":5\r\n", nil, []string{"keymiss:x"}, 0},
		{"PFMERGE m h", "+OK\r\n", []string{"PFMERGE m h"}, []string{"keymiss:m", "new:m", "pfadd:m"}, 1},
		{"PFMERGE m", "+OK\r\n", []string{"PFMERGE m"}, []string{"pfadd:m"}, 1},
		{"PFDEBUG todense m", ":1\r\n", []string{"PFDEBUG todense m"}, nil, 1},
		{"PFDEBUG todense m", ":0\r\n", nil, nil, 0},
		{"PFADD e", ":1\r\n", []string{"PFADD e"}, []string{"new:e", "pfadd:e"}, 1},
		{"PFCOUNT nokey", ":0\r\n", nil, []string{"keymiss:nokey"}, 0},
	})
	reply := c.do("PFDEBUG getreg h")
	if !strings.HasPrefix(reply, "*16384\r\n") {
		t.Errorf("PFDEBUG getreg: %.40q", reply)
	}
	if stream, _ := rec.take(); len(stream) != 1 || stream[0] != "PFDEBUG getreg h" {
		t.Errorf("PFDEBUG getreg converting to dense propagated %q", stream)
	}
}

// TestHLLWatch: PFADD and PFMERGE touch WATCHed keys; a PFCOUNT that
// refreshes the cache does too, as Redis's signalModifiedKey.
func TestHLLWatch(t *testing.T) {
	c := newTestClient(t)
	other := c.srv.testClient(t)
	c.expect("PFADD h a", ":1\r\n")
	for _, cmd := range []string{"PFADD h b", "PFCOUNT h", "PFMERGE h"} {
		c.expect("WATCH h", "+OK\r\n")
		c.expect("MULTI", "+OK\r\n")
		c.expect("PING", "+QUEUED\r\n")
		other.do(cmd)
		c.expect("EXEC", "*-1\r\n")
	}
	c.expect("PFCOUNT h", ":2\r\n")
	c.expect("WATCH h", "+OK\r\n")
	c.expect("MULTI", "+OK\r\n")
	c.expect("PING", "+QUEUED\r\n")
	other.expect("PFCOUNT h", ":2\r\n") // cache valid: nothing changes
	c.expect("EXEC", "*1\r\n+PONG\r\n")
}

func TestHLLSelfTest(t *testing.T) {
	if testing.Short() || hllRaceEnabled {
		t.Skip("PFSELFTEST adds ten million elements")
	}
	c := newTestClient(t)
	c.expect("PFSELFTEST", "+OK\r\n")
}

// TestHLLValueIsString: an HLL is a string to every other command and to
// DUMP/RESTORE.
func TestHLLValueIsString(t *testing.T) {
	c := newTestClient(t)
	c.expect("PFADD h a b c", ":1\r\n")
	c.expect("TYPE h", "+string\r\n")
	c.expect("STRLEN h", ":27\r\n")
	c.expect("APPEND h x", ":28\r\n")
	c.expect("PFCOUNT h", "-INVALIDOBJ Corrupted HLL object detected\r\n")
	if got := len(c.entry("h").Str); got != 28 {
		t.Fatalf("length %d", got)
	}
	if !hll.IsValid(c.entry("h").Str) {
		t.Fatal("APPENDed HLL no longer passes the header check")
	}
}
