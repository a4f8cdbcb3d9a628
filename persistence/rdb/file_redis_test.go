package rdb

// Whole files across redis-server 7.0.15 and Vireo: Redis's dump.rdb loads
// here to the same values (compared through DUMP), and a file written here
// loads in redis-server to the same values and TTLs.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vireodb/vireo/datatypes/keyspace"
)

type redisKey struct {
	db  int
	key string
}

// fillRedisAllTypes writes keys of every type, small and large encodings,
// streams with consumer groups and pending entries, TTLs, in databases 0
// and 3, and returns them.
func fillRedisAllTypes(t *testing.T, c *respClient) []redisKey {
	var keys []redisKey
	db := 0
	do := func(args ...string) {
		t.Helper()
		a := make([]any, len(args))
		for i, s := range args {
			a[i] = s
		}
		if r, ok := c.must(t, a...).(respError); ok {
			t.Fatalf("%v: %v", args, r)
		}
	}
	key := func(k string) string { keys = append(keys, redisKey{db, k}); return k }
	long := strings.Repeat("vireo-", 20)
	do("SET", key("str"), "hello")
	do("SET", key("int"), "-12345")
	do("SET", key("long"), long)
	do("SET", key("ttl"), "v", "PXAT", "4102444800123")
	do("RPUSH", key("list"), "a", "1", long)
	do("RPUSH", key("list:ttl"), "x")
	do("PEXPIREAT", "list:ttl", "4102444800999")
	do("SADD", key("intset"), "1", "2", "-300000")
	do("SADD", key("set"), "a", "b", "c")
	do("ZADD", key("zset"), "1", "a", "2.5", "b", "-inf", "c")
	do("HSET", key("hash"), "f1", "v1", "f2", "22")
	do("HSET", key("hash:long"), "f", long+long)
	do("PFADD", key("hll"), "a", "b", "c")
	for i := 0; i < 300; i++ {
		s := strconv.Itoa(i)
		do("RPUSH", "biglist", long+s)
		do("SADD", "bigintset", s)
		do("SADD", "bigset", "m"+s)
		do("ZADD", "bigzset", s, "z"+s)
		do("HSET", "bighash", "f"+s, "v"+s)
		do("XADD", "stream", "*", "f", s, "g", long)
	}
	key("biglist")
	key("bigintset")
	key("bigset")
	key("bigzset")
	key("bighash")
	key("stream")
	do("XGROUP", "CREATE", "stream", "g1", "0")
	do("XGROUP", "CREATE", "stream", "g2", "$")
	do("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "10", "STREAMS", "stream", ">")
	do("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "5", "STREAMS", "stream", ">")
	do("XDEL", "stream", "0-1")
	do("XGROUP", "CREATE", key("emptystream"), "g", "$", "MKSTREAM")
	do("SELECT", "3")
	db = 3
	do("SET", key("str"), "in db 3")
	do("ZADD", key("zset"), "1", "x")
	return keys
}

func redisPExpireTime(t *testing.T, c *respClient, key string) int64 {
	t.Helper()
	v, ok := c.must(t, "PEXPIRETIME", key).(int64)
	if !ok {
		t.Fatalf("PEXPIRETIME %s: not an integer", key)
	}
	return v
}

// redisValue reads key's value from redis-server through DUMP.
func redisValue(t *testing.T, c *respClient, key string) keyspace.Entry {
	t.Helper()
	p, ok := c.must(t, "DUMP", key).([]byte)
	if !ok || p == nil {
		t.Fatalf("DUMP %s: no value", key)
	}
	typ, body, err := ParseDump(p)
	if err != nil {
		t.Fatal(err)
	}
	e, err := DecodeValue(typ, body, redisDefaultLimits)
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	return e
}

func TestFileAcrossRedis(t *testing.T) {
	dirA := t.TempDir()
	a := startRedisIn(t, dirA)
	keys := fillRedisAllTypes(t, a)
	if r := a.must(t, "SAVE"); r != "OK" {
		t.Fatalf("SAVE: %v", r)
	}
	data, err := os.ReadFile(filepath.Join(dirA, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("RDB_WRITE_TESTDATA") != "" {
		if err := os.WriteFile(filepath.Join("testdata", "redis-7.0.rdb"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, info, err := loadAll(data, LoadOptions{Limits: redisDefaultLimits, Databases: 16})
	if err != nil {
		t.Fatalf("loading redis-server's dump.rdb: %v", err)
	}
	if info.Keys != int64(len(keys)) {
		t.Fatalf("loaded %d keys, redis has %d", info.Keys, len(keys))
	}
	loaded := map[redisKey]fileKey{}
	for _, k := range got {
		loaded[redisKey{k.db, k.key}] = k
	}
	selectDB := func(c *respClient, db int) { c.must(t, "SELECT", strconv.Itoa(db)) }
	for _, k := range keys {
		g, ok := loaded[k]
		if !ok {
			t.Fatalf("%v missing after load", k)
		}
		selectDB(a, k.db)
		w := redisValue(t, a, k.key)
		if gc, wc := entryContents(t, &g.e), entryContents(t, &w); gc != wc {
			t.Errorf("%v: loaded value differs from redis's", k)
		}
		want := redisPExpireTime(t, a, k.key)
		if (want < 0 && g.e.Expire != 0) || (want > 0 && g.e.Expire != want) {
			t.Errorf("%v: expire %d, redis says %d", k, g.e.Expire, want)
		}
	}

	// Our file, from the loaded keys, in a fresh redis-server.
	dirB := t.TempDir()
	var buf bytes.Buffer
	fw := NewFileWriter(&buf, true, true)
	if err := fw.WriteHeader(DefaultAux(1700000000, 1)); err != nil {
		t.Fatal(err)
	}
	for _, db := range []int{0, 3} {
		if err := fw.WriteDB(db, 0, 0); err != nil {
			t.Fatal(err)
		}
		for _, k := range got {
			if k.db == db {
				if err := fw.WriteKey([]byte(k.key), &k.e, NoMeta); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if err := fw.Finish(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dirB, "dump.rdb"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	b := startRedisIn(t, dirB)
	for _, k := range keys {
		selectDB(b, k.db)
		w := redisValue(t, b, k.key)
		g := loaded[k]
		if gc, wc := entryContents(t, &g.e), entryContents(t, &w); gc != wc {
			t.Errorf("%v: redis-server loaded a different value from our file", k)
		}
		if want := redisPExpireTime(t, b, k.key); (want < 0 && g.e.Expire != 0) || (want > 0 && g.e.Expire != want) {
			t.Errorf("%v: redis-server has expire %d, ours %d", k, want, g.e.Expire)
		}
		selectDB(a, k.db)
		wa, wb := a.must(t, "DEBUG", "DIGEST-VALUE", k.key), b.must(t, "DEBUG", "DIGEST-VALUE", k.key)
		if _, isErr := wa.(respError); isErr {
			t.Fatalf("DEBUG DIGEST-VALUE: %v", wa)
		}
		if fmt.Sprint(wa) != fmt.Sprint(wb) {
			t.Errorf("%v: DEBUG DIGEST-VALUE differs between the two redis-servers", k)
		}
	}
	for _, db := range []int{0, 3} {
		selectDB(a, db)
		selectDB(b, db)
		if na, nb := a.must(t, "DBSIZE"), b.must(t, "DBSIZE"); na != nb {
			t.Errorf("db %d: DBSIZE %v vs %v", db, na, nb)
		}
	}
}
