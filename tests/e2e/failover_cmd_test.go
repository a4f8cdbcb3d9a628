package e2e_test

// The FAILOVER command (a coordinated hand-over from a primary to one of
// its replicas), with Vireo on either side and the real redis-server on
// the other: the "PSYNC <replid> <offset> FAILOVER" handshake is the same
// bytes whichever server sends or answers it.

import (
	"context"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/vireodb/vireo/tests/harness"
)

// waitRole waits until c's ROLE is role ("master" or "slave").
func waitRole(t *testing.T, c *redis.Client, role string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		r, err := c.Do(context.Background(), "ROLE").Slice()
		if err == nil && len(r) > 0 && r[0] == role {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("ROLE never became %s: %v %v", role, r, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitNoFailover waits until INFO shows the failover is over.
func waitNoFailover(t *testing.T, c *redis.Client) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for replInfo(t, c, "replication", "master_failover_state") != "no-failover" {
		if time.Now().After(deadline) {
			t.Fatalf("master_failover_state stays %s", replInfo(t, c, "replication", "master_failover_state"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// handOver runs FAILOVER on the primary and checks the swap: the target
// is a primary with the same data, the old primary its replica, writes on
// the new primary reach the old one, and writes on the old one are
// refused.
func handOver(t *testing.T, oldP, target *harness.Server, args ...any) {
	t.Helper()
	ctx := context.Background()
	pc, tc := oldP.Client(2), target.Client(2)
	fillPrimary(t, pc)
	waitSynced(t, pc, tc)
	if err := pc.Do(ctx, append([]any{"FAILOVER"}, args...)...).Err(); err != nil {
		t.Fatalf("FAILOVER: %v", err)
	}
	waitRole(t, tc, "master")
	waitRole(t, pc, "slave")
	waitNoFailover(t, pc)
	if got := replInfo(t, pc, "replication", "master_port"); got != strconv.Itoa(target.Port()) {
		t.Fatalf("old primary follows port %s, want %d", got, target.Port())
	}
	waitSynced(t, tc, pc)
	sameDigest(t, tc, pc)
	if err := tc.Set(ctx, "after:failover", "v", 0).Err(); err != nil {
		t.Fatalf("write on the new primary: %v", err)
	}
	waitSynced(t, tc, pc)
	if got := pc.Get(ctx, "after:failover").Val(); got != "v" {
		t.Fatalf("old primary did not get the new primary's write: %q", got)
	}
	if err := pc.Set(ctx, "k", "v", 0).Err(); err == nil || err.Error() != "READONLY You can't write against a read only replica." {
		t.Fatalf("write on the old primary: %v", err)
	}
}

func TestFailoverCommandVireoToVireo(t *testing.T) {
	primary := startVireoPrimary(t)
	other := harness.StartVireo(t, "--replicaof", "127.0.0.1 "+strconv.Itoa(primary.Port()))
	target := harness.StartVireo(t, "--replicaof", "127.0.0.1 "+strconv.Itoa(primary.Port()))
	waitSynced(t, primary.Client(2), other.Client(2))
	handOver(t, primary, target, "TO", "127.0.0.1", strconv.Itoa(target.Port()))
	// The third node still follows the old primary, now a replica of the
	// new one: chained, and in sync with the new history.
	waitSynced(t, target.Client(2), primary.Client(2))
	waitSynced(t, primary.Client(2), other.Client(2))
	sameDigest(t, target.Client(2), other.Client(2))
}

// Vireo sends PSYNC ... FAILOVER; redis-server takes over.
func TestFailoverCommandVireoToRedis(t *testing.T) {
	primary := startVireoPrimary(t)
	target := harness.StartRedis(t, "--replicaof", "127.0.0.1 "+strconv.Itoa(primary.Port()))
	handOver(t, primary, target) // no TO: the first replica in sync
}

// redis-server sends PSYNC ... FAILOVER; Vireo takes over.
func TestFailoverCommandRedisToVireo(t *testing.T) {
	primary := harness.StartRedis(t, "--repl-diskless-sync-delay", "0")
	target := harness.StartVireo(t, "--replicaof", "127.0.0.1 "+strconv.Itoa(primary.Port()))
	handOver(t, primary, target, "TO", "127.0.0.1", strconv.Itoa(target.Port()), "TIMEOUT", "5000")
}

// A target that never acknowledges (stopped) makes FAILOVER ... TIMEOUT
// give up: writes were held meanwhile and flow again after the abort;
// FORCE fails over anyway.
func TestFailoverCommandTimeoutAbortsAndForce(t *testing.T) {
	ctx := context.Background()
	primary := startVireoPrimary(t)
	target := harness.StartVireo(t, "--replicaof", "127.0.0.1 "+strconv.Itoa(primary.Port()))
	pc, tc := primary.Client(2), target.Client(2)
	waitSynced(t, pc, tc)
	if err := syscall.Kill(target.PID(), syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	stopped := true
	defer func() {
		if stopped {
			syscall.Kill(target.PID(), syscall.SIGCONT)
		}
	}()
	port := strconv.Itoa(target.Port())
	if err := pc.Do(ctx, "FAILOVER", "TO", "127.0.0.1", port, "TIMEOUT", "600").Err(); err != nil {
		t.Fatal(err)
	}
	if got := replInfo(t, pc, "replication", "master_failover_state"); got != "waiting-for-sync" {
		t.Fatalf("state during the wait = %s", got)
	}
	if err := pc.Do(ctx, "FAILOVER").Err(); err == nil || err.Error() != "ERR FAILOVER already in progress." {
		t.Fatalf("second FAILOVER: %v", err)
	}
	// A write waits for the pause; CLIENT UNPAUSE does not lift it.
	pc.Do(ctx, "CLIENT", "UNPAUSE")
	start := time.Now()
	if err := pc.Set(ctx, "held", "v", 0).Err(); err != nil {
		t.Fatalf("write after the abort: %v", err)
	}
	if waited := time.Since(start); waited < 300*time.Millisecond {
		t.Fatalf("write ran after %v, during the failover's pause", waited)
	}
	waitNoFailover(t, pc)
	if r := pc.Do(ctx, "ROLE").Val().([]any); r[0] != "master" {
		t.Fatalf("after the abort ROLE = %v", r)
	}

	// FORCE: past the timeout it fails over to the (now running) target
	// even though it was not seen in sync in time.
	if err := pc.Do(ctx, "FAILOVER", "TO", "127.0.0.1", port, "TIMEOUT", "300", "FORCE").Err(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	syscall.Kill(target.PID(), syscall.SIGCONT)
	stopped = false
	waitRole(t, tc, "master")
	waitRole(t, pc, "slave")
	waitNoFailover(t, pc)
	waitSynced(t, tc, pc)
	sameDigest(t, tc, pc)
}

// FAILOVER ABORT while waiting lets writes through at once.
func TestFailoverCommandAbort(t *testing.T) {
	ctx := context.Background()
	primary := startVireoPrimary(t)
	target := harness.StartVireo(t, "--replicaof", "127.0.0.1 "+strconv.Itoa(primary.Port()))
	pc := primary.Client(2)
	waitSynced(t, pc, target.Client(2))
	syscall.Kill(target.PID(), syscall.SIGSTOP)
	defer syscall.Kill(target.PID(), syscall.SIGCONT)
	if err := pc.Do(ctx, "FAILOVER").Err(); err != nil {
		t.Fatal(err)
	}
	admin := primary.Client(2)
	if s, err := admin.Do(ctx, "FAILOVER", "ABORT").Text(); err != nil || s != "OK" {
		t.Fatalf("FAILOVER ABORT = %q, %v", s, err)
	}
	if err := pc.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatalf("write after ABORT: %v", err)
	}
	if err := admin.Do(ctx, "FAILOVER", "ABORT").Err(); err == nil || err.Error() != "ERR No failover in progress." {
		t.Fatalf("second ABORT: %v", err)
	}
}
