package e2e_test

// AOF persistence against the built binary and the real redis-server:
// appendfsync always loses no acknowledged write to kill -9; BGREWRITEAOF
// while writers run keeps every value; Vireo's appendonlydir loads in
// redis-server 7.0.15 and redis-server's in Vireo (DEBUG DIGEST and DEBUG
// DIGEST-VALUE per key); a truncated tail loads with aof-load-truncated
// yes and stops the start-up with no.

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vireodb/vireo/tests/harness"
)

var aofAlways = []string{"--appendonly", "yes", "--appendfsync", "always", "--save", ""}

// copyDir copies the files of one directory level.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		copyFile(t, filepath.Join(from, e.Name()), filepath.Join(to, e.Name()))
	}
}

// waitRewrite polls INFO persistence until no AOF rewrite runs.
func waitRewrite(t *testing.T, s *harness.Server) {
	t.Helper()
	c := s.Client(2)
	defer c.Close()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		info, err := c.Info(context.Background(), "persistence").Result()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(info, "aof_rewrite_in_progress:0") && strings.Contains(info, "aof_rewrite_scheduled:0") {
			if !strings.Contains(info, "aof_last_bgrewrite_status:ok") {
				t.Fatalf("rewrite failed:\n%s", info)
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("AOF rewrite did not finish")
}

// (a) appendfsync always: writers on several connections, kill -9 while
// they run; every write acknowledged before the kill is there after the
// restart.
func TestAOFAlwaysKill9KeepsAcknowledgedWrites(t *testing.T) {
	v := harness.StartVireo(t, aofAlways...)
	ctx := context.Background()
	const writers = 6
	acked := make([]atomic.Int64, writers) // writes acknowledged per writer
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := 0; g < writers; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			c := v.Client(2)
			defer c.Close()
			gs := strconv.Itoa(g)
			for i := 1; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				is := strconv.Itoa(i)
				// Each round writes every type; the round counts once all
				// of its writes were acknowledged.
				cmds := [][]any{
					{"SET", "str:" + gs + ":" + is, is},
					{"RPUSH", "list:" + gs, is},
					{"SADD", "set:" + gs, is},
					{"ZADD", "zset:" + gs, is, "m" + is},
					{"HSET", "hash:" + gs, "f" + is, is},
					{"INCR", "counter:" + gs},
					{"XADD", "stream:" + gs, "*", "i", is},
					{"PFADD", "hll:" + gs, is},
				}
				for _, cmd := range cmds {
					if err := c.Do(ctx, cmd...).Err(); err != nil {
						return // the server was killed
					}
				}
				acked[g].Store(int64(i))
			}
		}(g)
	}
	time.Sleep(700 * time.Millisecond)
	v.Kill9()
	close(stop)
	wg.Wait()
	v.Restart()
	c := conn(t, v)
	total := int64(0)
	for g := 0; g < writers; g++ {
		n := acked[g].Load()
		total += n
		gs := strconv.Itoa(g)
		if got, _ := c.LLen(ctx, "list:"+gs).Result(); got < n {
			t.Errorf("writer %d: list has %d, %d acknowledged", g, got, n)
		}
		if got, _ := c.SCard(ctx, "set:"+gs).Result(); got < n {
			t.Errorf("writer %d: set has %d, %d acknowledged", g, got, n)
		}
		if got, _ := c.ZCard(ctx, "zset:"+gs).Result(); got < n {
			t.Errorf("writer %d: zset has %d, %d acknowledged", g, got, n)
		}
		if got, _ := c.HLen(ctx, "hash:"+gs).Result(); got < n {
			t.Errorf("writer %d: hash has %d, %d acknowledged", g, got, n)
		}
		if got, _ := c.XLen(ctx, "stream:"+gs).Result(); got < n {
			t.Errorf("writer %d: stream has %d, %d acknowledged", g, got, n)
		}
		if got, _ := c.Do(ctx, "GET", "counter:"+gs).Int64(); got < n {
			t.Errorf("writer %d: counter %d, %d acknowledged", g, got, n)
		}
		for i := int64(1); i <= n; i++ {
			is := strconv.FormatInt(i, 10)
			if got, err := c.Do(ctx, "GET", "str:"+gs+":"+is).Text(); err != nil || got != is {
				t.Errorf("writer %d: str %d = %q %v", g, i, got, err)
				break
			}
		}
	}
	if total == 0 {
		t.Fatal("no write was acknowledged before the kill")
	}
	t.Logf("%d acknowledged rounds of 8 writes survived kill -9", total)
}

// (b) BGREWRITEAOF while writers run, then kill -9 and restart: the same
// data, and the directory holds only the new base and increment.
func TestAOFRewriteDuringWritesKill9(t *testing.T) {
	v := harness.StartVireo(t, aofAlways...)
	ctx := context.Background()
	c := conn(t, v)
	keys := fillEveryType(t, c)
	if err := c.Do(ctx, "DEBUG", "POPULATE", "20000", "pop", "50").Err(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			wc := v.Client(2)
			defer wc.Close()
			for i := w; i < 3000; i += 3 {
				k := "pop:" + strconv.Itoa(i)
				if err := wc.Do(ctx, "APPEND", k, "+").Err(); err != nil {
					t.Error(err)
					return
				}
				if err := wc.Do(ctx, "RPUSH", "during", i).Err(); err != nil {
					t.Error(err)
					return
				}
			}
		}(w)
	}
	time.Sleep(20 * time.Millisecond)
	if s, err := c.Do(ctx, "BGREWRITEAOF").Text(); err != nil || s != "Background append only file rewriting started" {
		t.Fatalf("BGREWRITEAOF: %q %v", s, err)
	}
	if err := c.Do(ctx, "BGREWRITEAOF").Err(); err == nil || !strings.Contains(err.Error(), "already in progress") {
		// The rewrite may already be over on a fast disk; then it starts again.
		waitRewrite(t, v)
	}
	wg.Wait()
	waitRewrite(t, v)
	keys = append(keys, dbKey{0, "during"}, dbKey{0, "pop:1"}, dbKey{0, "pop:2999"})
	wantAll, want := digests(t, c, keys)
	c.Close()
	v.Kill9()
	v.Restart()
	gotAll, got := digests(t, conn(t, v), keys)
	compareDigests(t, "after rewrite and kill -9", gotAll, wantAll, got, want)
	manifest, err := os.ReadFile(filepath.Join(v.Dir(), "appendonlydir", "appendonly.aof.manifest"))
	if err != nil || strings.Contains(string(manifest), "type h") || !strings.Contains(string(manifest), "type b") {
		t.Fatalf("manifest after rewrite: %q %v", manifest, err)
	}
}

// (c, d) Each server's appendonlydir, after writes, BGREWRITEAOF and more
// writes, loads in the other with the same digests.
func TestAOFDirCrossLoad(t *testing.T) {
	for _, tc := range crossLoads {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			w := tc.writer(t, aofAlways...)
			c := conn(t, w)
			keys := fillEveryType(t, c)
			if err := c.Do(ctx, "BGREWRITEAOF").Err(); err != nil {
				t.Fatal(err)
			}
			waitRewrite(t, w)
			for i := 0; i < 50; i++ {
				s := strconv.Itoa(i)
				for _, cmd := range [][]any{{"INCR", "after"}, {"LPUSH", "list", s}, {"HDEL", "bighash", "f" + s},
					{"ZINCRBY", "zset", "1", "a"}, {"XADD", "stream", "*", "x", s}, {"EXPIRE", "str", "100000"},
					{"SPOP", "bigset"}, {"XACK", "stream", "g1", "0-0"}} {
					if err := c.Do(ctx, cmd...).Err(); err != nil {
						t.Fatalf("%v: %v", cmd, err)
					}
				}
			}
			keys = append(keys, dbKey{0, "after"})
			wantAll, want := digests(t, c, keys)
			dir := t.TempDir()
			copyDir(t, filepath.Join(w.Dir(), "appendonlydir"), filepath.Join(dir, "appendonlydir"))
			r := tc.loader(t, "--dir", dir, "--appendonly", "yes")
			gotAll, got := digests(t, conn(t, r), keys)
			compareDigests(t, tc.name, gotAll, wantAll, got, want)
		})
	}
}

// (e) A command cut off at the end of the last increment: with
// aof-load-truncated yes the file is cut back and loads; with no, Vireo
// exits 1 saying why.
func TestAOFTruncatedTail(t *testing.T) {
	v := harness.StartVireo(t, aofAlways...)
	ctx := context.Background()
	c := conn(t, v)
	for i := 0; i < 10; i++ {
		if err := c.Do(ctx, "RPUSH", "l", i).Err(); err != nil {
			t.Fatal(err)
		}
	}
	c.Close()
	v.Kill9()
	incr := filepath.Join(v.Dir(), "appendonlydir", "appendonly.aof.1.incr.aof")
	f, err := os.OpenFile(incr, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("*3\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$2\r\n1")
	f.Close()

	cmd := exec.Command(harness.BuildVireo(t), "--port", strconv.Itoa(v.Port()), "--bind", "127.0.0.1", "--dir", v.Dir(),
		"--appendonly", "yes", "--aof-load-truncated", "no")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("start with a truncated AOF and aof-load-truncated no: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "unexpected end of file reading the append only file") {
		t.Fatalf("no clear log line:\n%s", out)
	}

	v.Restart() // aof-load-truncated yes (the default)
	if n, err := conn(t, v).LLen(ctx, "l").Result(); err != nil || n != 10 {
		t.Fatalf("LLEN after truncated load: %d %v", n, err)
	}
	if !strings.Contains(v.Output(), "!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!") {
		t.Errorf("no short-read warning in the output:\n%s", v.Output())
	}
}

// WAITAOF numreplicas: a Vireo replica with the AOF on reports how far its
// AOF is fsynced (REPLCONF ACK ... FACK), and the primary's WAITAOF counts
// it once the client's own writes are fsynced there.
func TestWaitAOFReplica(t *testing.T) {
	ctx := context.Background()
	primary := startVireoPrimary(t, aofAlways...)
	pc := primary.Client(2)
	replica := harness.StartVireo(t, append([]string{"--replicaof", "127.0.0.1 " + strconv.Itoa(primary.Port())}, aofAlways...)...)
	rc := replica.Client(2)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("--- primary output ---\n%s\n--- replica output ---\n%s", primary.Output(), replica.Output())
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for replInfo(t, rc, "replication", "master_link_status") != "up" ||
		replInfo(t, rc, "persistence", "aof_rewrite_in_progress") != "0" ||
		replInfo(t, rc, "persistence", "aof_rewrite_scheduled") != "0" {
		if time.Now().After(deadline) {
			t.Fatalf("the replica did not sync and rewrite its AOF:\n%s", rc.Info(ctx, "replication", "persistence").Val())
		}
		time.Sleep(50 * time.Millisecond)
	}
	conn := pc.Conn()
	defer conn.Close()
	for i := 0; i < 3; i++ {
		if err := conn.Incr(ctx, "counter").Err(); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		got, err := conn.Do(ctx, "WAITAOF", "1", "1", "1000").Int64Slice()
		if err != nil || len(got) != 2 || got[0] != 1 || got[1] != 1 {
			t.Fatalf("WAITAOF 1 1 1000 = %v, %v (after %v)", got, err, time.Since(start))
		}
	}
	if got, err := conn.Do(ctx, "WAITAOF", "0", "2", "100").Int64Slice(); err != nil || len(got) != 2 || got[1] != 1 {
		t.Fatalf("WAITAOF 0 2 100 = %v, %v: want one replica", got, err)
	}
	if err := rc.Do(ctx, "WAITAOF", "0", "0", "0").Err(); err == nil ||
		err.Error() != "ERR WAITAOF cannot be used with replica instances. Please also note that writes to replicas are just local and are not propagated." {
		t.Fatalf("WAITAOF on the replica: %v", err)
	}
}
