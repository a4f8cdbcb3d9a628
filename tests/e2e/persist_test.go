package e2e_test

// RDB persistence against the built binary and the real redis-server:
// SAVE then kill -9 and restart keeps every key; Vireo's dump.rdb loads in
// redis-server 7.0.15 and redis-server's loads in Vireo, compared through
// DEBUG DIGEST (every database, value and TTL) and DEBUG DIGEST-VALUE per
// key; BGSAVE is point in time while writers run.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/vireodb/vireo/tests/harness"
)

type dbKey struct {
	db  int
	key string
}

// fillEveryType writes keys of every type through c, in small and large
// encodings, streams with consumer groups and pending entries, TTLs, in
// databases 0 and 5, and returns them.
func fillEveryType(t *testing.T, c *redis.Conn) []dbKey {
	t.Helper()
	ctx := context.Background()
	var keys []dbKey
	db := 0
	do := func(args ...any) {
		t.Helper()
		if err := c.Do(ctx, args...).Err(); err != nil && err != redis.Nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	key := func(k string) string { keys = append(keys, dbKey{db, k}); return k }
	long := strings.Repeat("persist-", 12)
	do("SET", key("str"), "hello")
	do("SET", key("int"), "-42")
	do("SET", key("long"), long+long)
	do("SET", key("ttl"), "v", "PXAT", "4102444800123")
	do("RPUSH", key("list"), "a", "7", long)
	do("SADD", key("intset"), "1", "2", "-70000")
	do("SADD", key("set"), "a", "b", "c")
	do("ZADD", key("zset"), "1", "a", "2.5", "b", "-inf", "c")
	do("HSET", key("hash"), "f1", "v1", "f2", "22")
	do("HSET", key("hash:longvalue"), "f", long+long)
	do("PFADD", key("hll"), "a", "b", "c")
	do("EXPIRE", "hash", "100000")
	for i := 0; i < 300; i++ {
		s := strconv.Itoa(i)
		do("RPUSH", "biglist", long+s)
		do("SADD", "bigintset", s)
		do("SADD", "bigset", "m"+s)
		do("ZADD", "bigzset", s, "z"+s)
		do("HSET", "bighash", "f"+s, "v"+s)
		do("XADD", "stream", "*", "f", s, "g", long)
	}
	for _, k := range []string{"biglist", "bigintset", "bigset", "bigzset", "bighash", "stream"} {
		key(k)
	}
	do("XGROUP", "CREATE", "stream", "g1", "0")
	do("XGROUP", "CREATE", "stream", "g2", "$")
	do("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "10", "STREAMS", "stream", ">")
	do("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "5", "STREAMS", "stream", ">")
	do("XGROUP", "CREATE", key("emptystream"), "g", "$", "MKSTREAM")
	do("SELECT", "5")
	db = 5
	do("SET", key("str"), "in db 5")
	do("ZADD", key("zset"), "1", "x")
	do("SELECT", "0")
	return keys
}

// digests returns DEBUG DIGEST and each key's DEBUG DIGEST-VALUE.
func digests(t *testing.T, c *redis.Conn, keys []dbKey) (string, map[dbKey]string) {
	t.Helper()
	ctx := context.Background()
	all, err := c.Do(ctx, "DEBUG", "DIGEST").Text()
	if err != nil {
		t.Fatalf("DEBUG DIGEST: %v", err)
	}
	per := map[dbKey]string{}
	for _, k := range keys {
		if err := c.Do(ctx, "SELECT", k.db).Err(); err != nil {
			t.Fatal(err)
		}
		v, err := c.Do(ctx, "DEBUG", "DIGEST-VALUE", k.key).Slice()
		if err != nil || len(v) != 1 {
			t.Fatalf("DEBUG DIGEST-VALUE %v: %v %v", k, v, err)
		}
		pttl, _ := c.Do(ctx, "PEXPIRETIME", k.key).Int64()
		per[k] = fmt.Sprintf("%v ttl %d", v[0], pttl)
	}
	if err := c.Do(ctx, "SELECT", 0).Err(); err != nil {
		t.Fatal(err)
	}
	return all, per
}

func conn(t *testing.T, s *harness.Server) *redis.Conn {
	c := s.Client(2).Conn()
	t.Cleanup(func() { c.Close() })
	return c
}

func compareDigests(t *testing.T, what string, gotAll, wantAll string, got, want map[dbKey]string) {
	t.Helper()
	for k, w := range want {
		if g := got[k]; g != w {
			t.Errorf("%s: %v: %s, want %s", what, k, g, w)
		}
	}
	if gotAll != wantAll {
		t.Errorf("%s: DEBUG DIGEST %s, want %s", what, gotAll, wantAll)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// SAVE, kill -9, restart on the same dir: the same data.
func TestPersistSaveKill9Restart(t *testing.T) {
	v := harness.StartVireo(t)
	c := conn(t, v)
	keys := fillEveryType(t, c)
	wantAll, want := digests(t, c, keys)
	if err := c.Do(context.Background(), "SAVE").Err(); err != nil {
		t.Fatal(err)
	}
	c.Close()
	v.Kill9()
	v.Restart()
	c2 := conn(t, v)
	gotAll, got := digests(t, c2, keys)
	compareDigests(t, "after restart", gotAll, wantAll, got, want)
	if !strings.Contains(v.Output(), "DB loaded from disk") {
		t.Errorf("no load log line in the output:\n%s", v.Output())
	}
}

// Each server's dump.rdb loads in the other (Vireo and redis-server 7.0.15)
// with the same values.
func TestPersistFileCrossLoad(t *testing.T) {
	for _, tc := range crossLoads {
		t.Run(tc.name, func(t *testing.T) {
			w := tc.writer(t)
			c := conn(t, w)
			keys := fillEveryType(t, c)
			wantAll, want := digests(t, c, keys)
			r := saveAndLoadCopy(t, w, c, tc.loader)
			gotAll, got := digests(t, conn(t, r), keys)
			compareDigests(t, tc.name, gotAll, wantAll, got, want)
		})
	}
}

// crossLoads are the directions a dump.rdb is carried in.
var crossLoads = []struct {
	name           string
	writer, loader func(t *testing.T, extra ...string) *harness.Server
}{
	{"vireo to redis", startVireo, startRedis},
	{"redis to vireo", startRedis, startVireo},
	{"vireo to vireo", startVireo, startVireo},
}

func startVireo(t *testing.T, extra ...string) *harness.Server {
	return harness.StartVireo(t, extra...)
}
func startRedis(t *testing.T, extra ...string) *harness.Server {
	return harness.StartRedis(t, extra...)
}

// saveAndLoadCopy runs SAVE on w through c, copies w's dump.rdb into a new
// directory and starts a server there with start.
func saveAndLoadCopy(t *testing.T, w *harness.Server, c interface {
	Do(context.Context, ...any) *redis.Cmd
}, start func(t *testing.T, extra ...string) *harness.Server) *harness.Server {
	t.Helper()
	if err := c.Do(context.Background(), "SAVE").Err(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	copyFile(t, filepath.Join(w.Dir(), "dump.rdb"), filepath.Join(dir, "dump.rdb"))
	return start(t, "--dir", dir)
}

// A corrupt dump.rdb stops Vireo at start-up with a non-zero exit.
func TestPersistCorruptFileRefusesToStart(t *testing.T) {
	v := harness.StartVireo(t)
	c := conn(t, v)
	fillEveryType(t, c)
	if err := c.Do(context.Background(), "SAVE").Err(); err != nil {
		t.Fatal(err)
	}
	c.Close()
	v.Kill9()
	path := filepath.Join(v.Dir(), "dump.rdb")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data[:len(data)-100], 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := harnessCommand(t, v)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("Vireo started on a truncated dump.rdb:\n%s", out)
	}
	if !strings.Contains(string(out), "Fatal error loading the DB") {
		t.Fatalf("no clear log line:\n%s", out)
	}
}

// BGSAVE is point in time: values written after the reply are not in the
// file, while writers keep running during the save.
func TestPersistBGSavePointInTime(t *testing.T) {
	v := harness.StartVireo(t)
	ctx := context.Background()
	c := conn(t, v)
	if err := c.Do(ctx, "DEBUG", "POPULATE", "50000", "bulk", "100").Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.Do(ctx, "SET", "marker", "old").Err(); err != nil {
		t.Fatal(err)
	}
	if s, err := c.Do(ctx, "BGSAVE").Text(); err != nil || s != "Background saving started" {
		t.Fatalf("BGSAVE: %q %v", s, err)
	}
	// Overwrite everything from several connections while the save runs.
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			wc := v.Client(2)
			p := wc.Pipeline()
			for i := w; i < 50000; i += 4 {
				k := "bulk:" + strconv.Itoa(i)
				if i%2 == 0 {
					p.Set(ctx, k, "new", 0)
				} else {
					p.Del(ctx, k)
				}
				p.Set(ctx, "born:"+strconv.Itoa(i), "x", 0)
				if p.Len() >= 200 {
					if _, err := p.Exec(ctx); err != nil {
						t.Error(err)
						return
					}
				}
			}
			if _, err := p.Exec(ctx); err != nil {
				t.Error(err)
			}
		}(w)
	}
	if err := c.Do(ctx, "SET", "marker", "new").Err(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	deadline := time.Now().Add(30 * time.Second)
	for {
		info, err := c.Do(ctx, "INFO", "persistence").Text()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(info, "rdb_bgsave_in_progress:0") {
			if !strings.Contains(info, "rdb_last_bgsave_status:ok") {
				t.Fatalf("BGSAVE failed:\n%s", info)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("BGSAVE did not finish")
		}
		time.Sleep(10 * time.Millisecond)
	}
	c.Close()
	v.Kill9()
	v.Restart()
	c2 := conn(t, v)
	if got, _ := c2.Do(ctx, "GET", "marker").Text(); got != "old" {
		t.Fatalf("marker %q after restart, want the value at BGSAVE time", got)
	}
	if n, _ := c2.Do(ctx, "DBSIZE").Int64(); n != 50001 {
		t.Fatalf("DBSIZE %d after restart, want 50001", n)
	}
	for _, i := range []int{0, 1, 2, 3, 49998, 49999} {
		k := "bulk:" + strconv.Itoa(i)
		if got, _ := c2.Do(ctx, "GET", k).Text(); !strings.HasPrefix(got, "value:"+strconv.Itoa(i)) {
			t.Fatalf("%s = %q after restart, want its value at BGSAVE time", k, got)
		}
		if n, _ := c2.Do(ctx, "EXISTS", "born:"+strconv.Itoa(i)).Int64(); n != 0 {
			t.Fatalf("born:%d (written after BGSAVE) is in the file", i)
		}
	}
}

// harnessCommand is the command line that starts v's binary again on its
// dir (for a start that is expected to fail).
func harnessCommand(t *testing.T, v *harness.Server) *exec.Cmd {
	return exec.Command(harness.BuildVireo(t), "--port", strconv.Itoa(v.Port()), "--bind", "127.0.0.1", "--dir", v.Dir())
}

// SIGTERM with save points (the default) saves before exiting, as Redis.
func TestPersistSigtermSaves(t *testing.T) {
	v := harness.StartVireo(t)
	c := conn(t, v)
	keys := fillEveryType(t, c)
	wantAll, want := digests(t, c, keys)
	c.Close()
	v.Stop()
	v.Restart()
	gotAll, got := digests(t, conn(t, v), keys)
	compareDigests(t, "after SIGTERM and restart", gotAll, wantAll, got, want)
}

// SIGTERM whose save fails leaves the server running (exiting would lose
// the data), as Redis: "Error trying to save the DB, can't exit." Once the
// save can succeed, the next SIGTERM saves and exits.
func TestPersistSigtermKeepsRunningWhenSaveFails(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gone")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	v := harness.StartVireo(t, "--dir", dir)
	ctx := context.Background()
	c := v.Client(2)
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(v.PID(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if got, err := c.Get(ctx, "k").Result(); err != nil || got != "v" {
		t.Fatalf("after a SIGTERM whose save failed: GET k = %q, %v (the server should still run)", got, err)
	}
	if !strings.Contains(v.Output(), "can't exit") {
		t.Fatalf("no \"can't exit\" log line in:\n%s", v.Output())
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	c.Close()
	v.Stop()
	if _, err := os.Stat(filepath.Join(dir, "dump.rdb")); err != nil {
		t.Fatalf("no dump.rdb after the second SIGTERM: %v", err)
	}
}

// Function libraries travel in dump.rdb both ways (FUNCTION2 records before
// the databases): each server loads the other's file and FCALL works.
func TestPersistFunctionLibraries(t *testing.T) {
	ctx := context.Background()
	const lib = "#!lua name=persisted\nredis.register_function('double', function(keys, args) return tonumber(args[1]) * 2 end)"
	for _, tc := range crossLoads {
		t.Run(tc.name, func(t *testing.T) {
			w := tc.writer(t)
			c := w.Client(2)
			if err := c.Do(ctx, "FUNCTION", "LOAD", lib).Err(); err != nil {
				t.Fatal(err)
			}
			if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
				t.Fatal(err)
			}
			r := saveAndLoadCopy(t, w, c, tc.loader).Client(2)
			if got, err := r.Do(ctx, "FCALL", "double", "0", "21").Int64(); err != nil || got != 42 {
				t.Fatalf("FCALL double after load: %v, %v", got, err)
			}
			if got, err := r.Get(ctx, "k").Result(); err != nil || got != "v" {
				t.Fatalf("GET k after load: %q, %v", got, err)
			}
		})
	}
}
