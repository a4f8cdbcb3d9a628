package e2e_test

// Automatic failover against the built binary: three Vireo nodes with
// vireo-failover yes, go-redis's FailoverClient finding the primary
// through the nodes' SENTINEL commands, kill -9 of the primary (a replica
// with every WAITed write is promoted, the client follows, the old primary
// comes back as a replica with the same dataset), and SIGSTOP of the
// primary (once a replica has been promoted, the resumed old primary
// refuses writes instead of taking them: no split brain). SENTINEL is an
// unknown command, as on redis-server, when failover is off.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/vireodb/vireo/tests/harness"
)

const failoverDownAfter = time.Second

func startFailoverGroup(t *testing.T) *harness.FailoverGroup {
	t.Helper()
	g := harness.StartFailoverGroup(t, 3,
		"--vireo-failover-down-after-milliseconds", strconv.Itoa(int(failoverDownAfter.Milliseconds())))
	primary := g.Nodes[0].Client(2)
	waitUntil(t, "n1 to take writes as the group's primary", 15*time.Second, func() bool {
		return replInfo(t, primary, "failover", "failover_writable") == "1"
	})
	for _, n := range g.Nodes[1:] {
		waitSynced(t, primary, n.Client(2))
	}
	return g
}

func waitUntil(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// setEventually retries SET key 1 until it succeeds: after a failover a
// primary may refuse writes (READONLY) until raft has settled on it.
func setEventually(t *testing.T, c redis.Cmdable, key string) {
	t.Helper()
	var err error
	waitUntil(t, "SET "+key+" to succeed", 5*time.Second, func() bool {
		err = c.Set(context.Background(), key, "1", 0).Err()
		return err == nil
	})
}

// roleOf returns ROLE's first element and, for a replica, its primary's port.
func roleOf(c *redis.Client) (string, int) {
	r, err := c.Do(context.Background(), "ROLE").Slice()
	if err != nil || len(r) == 0 {
		return "", 0
	}
	role, _ := r[0].(string)
	if role == "slave" && len(r) > 2 {
		port, _ := r[2].(int64)
		return role, int(port)
	}
	return role, 0
}

func TestFailoverKillPrimary(t *testing.T) {
	g := startFailoverGroup(t)
	ctx := context.Background()
	var addrs []string
	for _, n := range g.Nodes {
		addrs = append(addrs, n.Addr())
	}

	// The nodes answer as Sentinels do.
	n2 := g.Nodes[1].Client(2)
	got, err := n2.Do(ctx, "SENTINEL", "get-master-addr-by-name", "mymaster").StringSlice()
	if err != nil || len(got) != 2 || got[0] != "127.0.0.1" || got[1] != strconv.Itoa(g.Nodes[0].Port()) {
		t.Fatalf("SENTINEL get-master-addr-by-name: %q %v", got, err)
	}
	if err := n2.Do(ctx, "SENTINEL", "get-master-addr-by-name", "other").Err(); err != redis.Nil {
		t.Fatalf("an unknown master name: %v, want a null reply", err)
	}
	sentinel := redis.NewSentinelClient(&redis.Options{Addr: g.Nodes[1].Addr()})
	defer sentinel.Close()
	// The view comes from each node's own probes (INFO every second), so
	// it may lag the replicas' first sync by that much.
	var replicas []map[string]string
	waitUntil(t, "SENTINEL replicas to show both replicas linked", 5*time.Second, func() bool {
		replicas, err = sentinel.Replicas(ctx, "mymaster").Result()
		if err != nil || len(replicas) != 2 {
			return false
		}
		for _, r := range replicas {
			if r["flags"] != "slave" || r["master-link-status"] != "ok" || r["master-port"] != strconv.Itoa(g.Nodes[0].Port()) ||
				r["role-reported"] != "slave" {
				return false
			}
		}
		return true
	})
	sentinels, err := sentinel.Sentinels(ctx, "mymaster").Result()
	if err != nil || len(sentinels) != 2 {
		t.Fatalf("SENTINEL sentinels: %v %v", sentinels, err)
	}
	master, err := sentinel.Master(ctx, "mymaster").Result()
	if err != nil || master["flags"] != "master" || master["config-epoch"] != "1" || master["num-slaves"] != "2" {
		t.Fatalf("SENTINEL master: %v %v", master, err)
	}
	switches := sentinel.Subscribe(ctx, "+switch-master")
	defer switches.Close()
	if _, err := switches.Receive(ctx); err != nil {
		t.Fatal(err)
	}

	fc := redis.NewFailoverClient(&redis.FailoverOptions{
		MasterName: "mymaster", SentinelAddrs: addrs, Protocol: 2,
		DialTimeout: 300 * time.Millisecond, ReadTimeout: time.Second, WriteTimeout: time.Second,
		// Here every node is also a sentinel, so the sentinel the client
		// talks to may die with the primary: fail over to another
		// sentinel fast instead of redialing the dead one (5 times by
		// default, per retry).
		MaxRetries: 1, DialerRetries: 1,
	})
	defer fc.Close()
	const acked = 300
	for i := range acked {
		if err := fc.Set(ctx, "k:"+strconv.Itoa(i), i, 0).Err(); err != nil {
			t.Fatalf("SET through the FailoverClient: %v", err)
		}
	}
	// One connection for WAIT: it counts that connection's writes.
	if err := fc.Watch(ctx, func(tx *redis.Tx) error {
		if err := tx.Set(ctx, "k:last", "v", 0).Err(); err != nil {
			return err
		}
		n, err := tx.Do(ctx, "WAIT", 2, 5000).Int()
		if err == nil && n != 2 {
			err = fmt.Errorf("WAIT 2 acknowledged by %d replicas", n)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}

	g.Nodes[0].Kill9()
	killed := time.Now()
	var newPrimary *harness.Server
	waitUntil(t, "a replica to be promoted", failoverDownAfter+4*time.Second, func() bool {
		for _, n := range g.Nodes[1:] {
			if role, _ := roleOf(n.Client(2)); role == "master" {
				newPrimary = n
				return true
			}
		}
		return false
	})
	promoted := time.Since(killed)
	// down-after counts from the last PING answered, up to one probe
	// period (100ms) before the kill.
	if promoted < failoverDownAfter-250*time.Millisecond {
		t.Fatalf("a replica was promoted %v after the kill, before down-after", promoted)
	}
	for i := 0; ; i++ {
		err := fc.Set(ctx, "after", i, 0).Err()
		if err == nil {
			break
		}
		if time.Since(killed) > failoverDownAfter+8*time.Second {
			t.Fatalf("no write succeeded %v after the primary died: %v", time.Since(killed), err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("promoted %v after kill -9 of the primary; FailoverClient writes succeed again after %v", promoted, time.Since(killed))

	// The new primary has every WAITed key.
	np := newPrimary.Client(2)
	for i := range acked {
		v, err := np.Get(ctx, "k:"+strconv.Itoa(i)).Result()
		if err != nil || v != strconv.Itoa(i) {
			t.Fatalf("acknowledged key k:%d on the new primary: %q %v", i, v, err)
		}
	}
	if v, err := np.Get(ctx, "k:last").Result(); err != nil || v != "v" {
		t.Fatalf("k:last on the new primary: %q %v", v, err)
	}
	msg, err := switches.ReceiveMessage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("mymaster 127.0.0.1 %d 127.0.0.1 %d", g.Nodes[0].Port(), newPrimary.Port())
	if msg.Payload != want {
		t.Fatalf("+switch-master %q, want %q", msg.Payload, want)
	}
	if got, err := sentinel.GetMasterAddrByName(ctx, "mymaster").Result(); err != nil || got[1] != strconv.Itoa(newPrimary.Port()) {
		t.Fatalf("get-master-addr-by-name after the failover: %v %v", got, err)
	}

	// The old primary comes back as a replica of the new one.
	g.Nodes[0].Restart()
	old := g.Nodes[0].Client(2)
	waitUntil(t, "the old primary to replicate from the new one", 15*time.Second, func() bool {
		role, port := roleOf(old)
		return role == "slave" && port == newPrimary.Port()
	})
	if err := old.Set(ctx, "x", "y", 0).Err(); err == nil || !strings.HasPrefix(err.Error(), "READONLY ") {
		t.Fatalf("a write to the old primary: %v, want READONLY", err)
	}
	setEventually(t, fc, "after-restart")
	waitSynced(t, np, old)
	sameDigest(t, np, old)
}

func TestFailoverPausedPrimaryRefusesWrites(t *testing.T) {
	g := startFailoverGroup(t)
	ctx := context.Background()
	raw := g.Nodes[0].Raw(t)
	if got := raw.DoString("SET", "before", "1"); got != "+OK\r\n" {
		t.Fatalf("SET on the primary: %q", got)
	}
	// Replication is asynchronous: only a WAITed write must survive.
	if got := raw.DoString("WAIT", "2", "5000"); got != ":2\r\n" {
		t.Fatalf("WAIT 2: %q", got)
	}

	g.Nodes[0].Pause()
	var newPrimary *harness.Server
	waitUntil(t, "a replica to be promoted while the primary is paused", failoverDownAfter+10*time.Second, func() bool {
		for _, n := range g.Nodes[1:] {
			if role, _ := roleOf(n.Client(2)); role == "master" {
				newPrimary = n
				return true
			}
		}
		return false
	})
	// A write sent while the old primary was stopped is read once it
	// resumes: it must be refused, not applied to a second primary.
	raw.Send("SET", "split", "brain")
	g.Nodes[0].Resume()
	if got := string(raw.Read()); got != "-READONLY You can't write against a read only replica.\r\n" {
		t.Fatalf("a write to the resumed old primary: %q", got)
	}
	if got := raw.DoString("SET", "split", "brain"); !strings.HasPrefix(got, "-READONLY ") {
		t.Fatalf("a second write to the resumed old primary: %q", got)
	}
	old := g.Nodes[0].Client(2)
	waitUntil(t, "the old primary to follow the new one", 15*time.Second, func() bool {
		role, port := roleOf(old)
		return role == "slave" && port == newPrimary.Port()
	})
	np := newPrimary.Client(2)
	if err := np.Get(ctx, "split").Err(); !errors.Is(err, redis.Nil) {
		t.Fatalf("the refused write reached the new primary: %v", err)
	}
	if v, err := np.Get(ctx, "before").Result(); err != nil || v != "1" {
		t.Fatalf("before on the new primary: %q %v", v, err)
	}
	// The group may take a moment to settle (the resumed node disturbs
	// raft once) before the new primary takes writes again.
	setEventually(t, np, "on-new")
	waitSynced(t, np, old)
	sameDigest(t, np, old)
}

func TestSentinelUnknownWithoutFailover(t *testing.T) {
	vireo := harness.StartVireo(t).Raw(t)
	redisSrv := harness.StartRedis(t).Raw(t)
	for _, args := range [][]string{
		{"SENTINEL", "get-master-addr-by-name", "mymaster"},
		{"SENTINEL", "masters"},
		{"sentinel"},
		{"INFO", "failover"},
	} {
		want := redisSrv.DoString(args...)
		got := vireo.DoString(args...)
		if args[0] == "INFO" {
			// Redis knows no failover section; Vireo's says it is off.
			if want != "$0\r\n\r\n" || !strings.Contains(got, "failover_enabled:0") {
				t.Errorf("INFO failover: redis %q, vireo %q", want, got)
			}
			continue
		}
		if got != want {
			t.Errorf("%q: vireo %q, redis %q", args, got, want)
		}
	}
}
