package harness

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// ClusterNode is one cluster-enabled Vireo process started for a test.
type ClusterNode struct {
	*Server
	BusPort int
}

// StartVireoClusterNode starts Vireo with cluster-enabled yes and a free
// cluster bus port (the default, port+10000, may be taken or above 65535
// for the harness's random ports).
func StartVireoClusterNode(t testing.TB, extraArgs ...string) *ClusterNode {
	t.Helper()
	bus, err := freePort()
	if err != nil {
		t.Fatalf("harness: %v", err)
	}
	args := append([]string{"--cluster-enabled", "yes", "--cluster-port", strconv.Itoa(bus)}, extraArgs...)
	return &ClusterNode{Server: StartVireo(t, args...), BusPort: bus}
}

// StartVireoCluster starts n cluster nodes, gives each an equal share of
// the 16384 slots (ADDSLOTSRANGE) and has the first MEET the others, then
// waits until every node reports cluster_state:ok and knows n nodes.
func StartVireoCluster(t testing.TB, n int, extraArgs ...string) []*ClusterNode {
	t.Helper()
	nodes := make([]*ClusterNode, n)
	for i := range nodes {
		nodes[i] = StartVireoClusterNode(t, extraArgs...)
	}
	ctx := context.Background()
	for i, nd := range nodes {
		c := nd.Client(2)
		lo, hi := i*16384/n, (i+1)*16384/n-1
		if err := c.Do(ctx, "CLUSTER", "ADDSLOTSRANGE", lo, hi).Err(); err != nil {
			t.Fatalf("harness: ADDSLOTSRANGE on node %d: %v", i, err)
		}
	}
	first := nodes[0].Client(2)
	for _, nd := range nodes[1:] {
		if err := first.Do(ctx, "CLUSTER", "MEET", "127.0.0.1", nd.Port(), nd.BusPort).Err(); err != nil {
			t.Fatalf("harness: CLUSTER MEET %d: %v", nd.Port(), err)
		}
	}
	WaitClusterOK(t, nodes, n)
	return nodes
}

// WaitClusterOK waits until every node reports cluster_state:ok and knows
// want nodes.
func WaitClusterOK(t testing.TB, nodes []*ClusterNode, want int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for _, nd := range nodes {
		c := nd.Client(2)
		for {
			info, err := c.ClusterInfo(context.Background()).Result()
			if err == nil && strings.Contains(info, "cluster_state:ok") && strings.Contains(info, fmt.Sprintf("cluster_known_nodes:%d\r\n", want)) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("harness: node %d not ok: %q %v", nd.Port(), info, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// ClusterClient returns a go-redis ClusterClient seeded with every node,
// closed when the test ends.
func ClusterClient(t testing.TB, nodes []*ClusterNode) *redis.ClusterClient {
	addrs := make([]string, len(nodes))
	for i, nd := range nodes {
		addrs[i] = nd.Addr()
	}
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs, MaxRedirects: 16})
	t.Cleanup(func() { c.Close() })
	return c
}

// MyID is the node's CLUSTER MYID.
func (n *ClusterNode) MyID(t testing.TB) string {
	t.Helper()
	id, err := n.Client(2).Do(context.Background(), "CLUSTER", "MYID").Text()
	if err != nil {
		t.Fatalf("harness: CLUSTER MYID: %v", err)
	}
	return id
}

// BusAddr is the node's cluster bus address.
func (n *ClusterNode) BusAddr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(n.BusPort)) }
