package e2e_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/vireodb/vireo/tests/harness"
)

// clusterWithReplica starts three primaries and a fourth node replicating
// the first; it returns them once the replica's link is up.
func clusterWithReplica(t *testing.T) ([]*harness.ClusterNode, *harness.ClusterNode) {
	t.Helper()
	ctx := context.Background()
	nodes := harness.StartVireoCluster(t, 3)
	rep := harness.StartVireoClusterNode(t)
	if err := nodes[1].Client(2).Do(ctx, "CLUSTER", "MEET", "127.0.0.1", rep.Port()).Err(); err != nil {
		t.Fatal(err)
	}
	harness.WaitClusterOK(t, append(nodes, rep), 4)
	if err := rep.Client(2).Do(ctx, "CLUSTER", "REPLICATE", nodes[0].MyID(t)).Err(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "replica link up", func() bool {
		info, _ := rep.Client(2).Info(ctx, "replication").Result()
		return strings.Contains(info, "master_link_status:up")
	})
	return nodes, rep
}

func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// writeKeys sets n keys through the cluster client and returns them.
func writeKeys(t *testing.T, cc *redis.ClusterClient, prefix string, n int) map[string]string {
	t.Helper()
	ctx := context.Background()
	kv := map[string]string{}
	for i := 0; i < n; i++ {
		k, v := prefix+strconv.Itoa(i), "v"+strconv.Itoa(i)
		if err := cc.Set(ctx, k, v, 0).Err(); err != nil {
			t.Fatal(err)
		}
		kv[k] = v
	}
	return kv
}

func checkKeys(t *testing.T, cc *redis.ClusterClient, kv map[string]string) {
	t.Helper()
	ctx := context.Background()
	for k, v := range kv {
		if got, err := cc.Get(ctx, k).Result(); err != nil || got != v {
			t.Fatalf("GET %s = %q, %v; want %q", k, got, err, v)
		}
	}
}

// nodesLine is the CLUSTER NODES line of the node with that ID.
func nodesLine(t *testing.T, c *redis.Client, id string) string {
	t.Helper()
	text, err := c.ClusterNodes(context.Background()).Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, id+" ") {
			return line
		}
	}
	return ""
}

// tookOver reports whether, as observer sees it, rep is the primary owning
// slots 0-5460 and old replicates it.
func tookOver(t *testing.T, observer *redis.Client, rep, old string) bool {
	t.Helper()
	repLine, oldLine := nodesLine(t, observer, rep), nodesLine(t, observer, old)
	return strings.Contains(repLine, "master - ") && strings.HasSuffix(repLine, " connected 0-5460") &&
		strings.Contains(oldLine, "slave "+rep+" ")
}

// TestClusterFailover: a coordinated CLUSTER FAILOVER under writes, then,
// with the new primary killed, CLUSTER FAILOVER FORCE on the old one.
func TestClusterFailover(t *testing.T) {
	ctx := context.Background()
	nodes, rep := clusterWithReplica(t)
	primary := nodes[0]
	repID, oldID := rep.MyID(t), primary.MyID(t)

	// Error replies, as Redis's.
	for _, tc := range []struct {
		node *harness.ClusterNode
		args []string
		want string
	}{
		{primary, []string{"CLUSTER", "FAILOVER"}, "-ERR You should send CLUSTER FAILOVER to a replica\r\n"},
		{primary, []string{"CLUSTER", "FAILOVER", "FORCE"}, "-ERR You should send CLUSTER FAILOVER to a replica\r\n"},
		{rep, []string{"CLUSTER", "FAILOVER", "NOW"}, "-ERR syntax error\r\n"},
		{rep, []string{"CLUSTER", "FAILOVER", "FORCE", "TAKEOVER"}, "-ERR unknown subcommand or wrong number of arguments for 'FAILOVER'. Try CLUSTER HELP.\r\n"},
	} {
		if got := tc.node.Raw(t).DoString(tc.args...); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.args, got, tc.want)
		}
	}

	cc := harness.ClusterClient(t, append(nodes, rep))
	kv := writeKeys(t, cc, "k", 300)
	waitFor(t, 10*time.Second, "replica has the primary's keys", func() bool {
		return rep.Client(2).DBSize(ctx).Val() == primary.Client(2).DBSize(ctx).Val()
	})

	// Writers keep incrementing a counter of the failing-over shard: no
	// acknowledged increment may be lost across the hand-over.
	counter := ""
	for i := 0; counter == ""; i++ {
		if k := "ctr" + strconv.Itoa(i); keySlot(t, primary.Client(2), k) <= 5460 {
			counter = k
		}
	}
	var acked atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if cc.Incr(ctx, counter).Err() == nil {
					acked.Add(1)
				}
			}
		}()
	}
	time.Sleep(100 * time.Millisecond)

	if got := rep.Raw(t).DoString("CLUSTER", "FAILOVER"); got != "+OK\r\n" {
		t.Fatalf("CLUSTER FAILOVER: %q", got)
	}
	waitFor(t, 10*time.Second, "the replica to take over", func() bool {
		return tookOver(t, nodes[1].Client(2), repID, oldID) && tookOver(t, rep.Client(2), repID, oldID)
	})
	waitFor(t, 5*time.Second, "ROLE on both", func() bool {
		r1, _ := rep.Client(2).Do(ctx, "ROLE").Slice()
		r2, _ := primary.Client(2).Do(ctx, "ROLE").Slice()
		return len(r1) > 0 && r1[0] == "master" && len(r2) > 0 && r2[0] == "slave"
	})
	time.Sleep(200 * time.Millisecond) // the writer goes on against the new primary
	close(stop)
	wg.Wait()
	if n, err := cc.Get(ctx, counter).Int64(); err != nil || n < acked.Load() || acked.Load() == 0 {
		t.Fatalf("counter %d (%v) after %d acknowledged increments", n, err, acked.Load())
	}

	// CLUSTER SLOTS: the new primary first, the old one as its replica.
	slots, err := nodes[2].Client(2).ClusterSlots(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range slots {
		if r.Start == 0 {
			found = true
			if r.End != 5460 || len(r.Nodes) != 2 || r.Nodes[0].ID != repID || r.Nodes[1].ID != oldID {
				t.Fatalf("CLUSTER SLOTS range 0: %+v", r)
			}
		}
	}
	if !found {
		t.Fatalf("CLUSTER SLOTS has no range from 0: %+v", slots)
	}
	if got := rep.Raw(t).DoString("CLUSTER", "FAILOVER"); got != "-ERR You should send CLUSTER FAILOVER to a replica\r\n" {
		t.Fatalf("CLUSTER FAILOVER on the new primary: %q", got)
	}

	// Every key is readable through a fresh cluster client, and the old
	// primary redirects writes to the new one.
	checkKeys(t, harness.ClusterClient(t, append(nodes, rep)), kv)
	key := ""
	for k := range kv {
		if keySlot(t, primary.Client(2), k) <= 5460 {
			key = k
			break
		}
	}
	want := fmt.Sprintf("-MOVED %d 127.0.0.1:%d\r\n", keySlot(t, primary.Client(2), key), rep.Port())
	if got := primary.Raw(t).DoString("SET", key, "x"); got != want {
		t.Fatalf("write on the old primary: %q, want %q", got, want)
	}
	// The old primary follows the new one.
	if err := cc.Set(ctx, key, "after", 0).Err(); err != nil {
		t.Fatal(err)
	}
	raw := primary.Raw(t)
	raw.DoString("READONLY")
	waitFor(t, 5*time.Second, "the old primary to replicate the new one", func() bool {
		return raw.DoString("GET", key) == "$5\r\nafter\r\n"
	})

	// FORCE, with the primary dead: the old primary, now a replica, takes
	// its slots back. Raft still has three of its four members.
	rep.Kill9()
	kv[key] = "after" // the old primary had it before the kill
	raw = primary.Raw(t)
	waitFor(t, 5*time.Second, "the old primary to see its primary down", func() bool {
		return raw.DoString("CLUSTER", "FAILOVER") == "-ERR Master is down or failed, please use CLUSTER FAILOVER FORCE\r\n"
	})
	if got := raw.DoString("CLUSTER", "FAILOVER", "FORCE"); got != "+OK\r\n" {
		t.Fatalf("CLUSTER FAILOVER FORCE: %q", got)
	}
	waitFor(t, 15*time.Second, "the old primary to take over again", func() bool {
		return tookOver(t, nodes[1].Client(2), oldID, repID) && tookOver(t, primary.Client(2), oldID, repID)
	})
	live := harness.ClusterClient(t, nodes)
	checkKeys(t, live, kv)
	more := writeKeys(t, live, "g", 50)
	checkKeys(t, live, more)
}
