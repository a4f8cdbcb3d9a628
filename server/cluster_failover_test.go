package server

import (
	"strings"
	"testing"
	"time"

	"github.com/vireodb/vireo/cluster"
)

func TestClusterFailoverErrors(t *testing.T) {
	c := newClusterTestClient(t)
	c.expect("cluster failover", "-ERR You should send CLUSTER FAILOVER to a replica\r\n")
	c.expect("cluster failover takeover", "-ERR You should send CLUSTER FAILOVER to a replica\r\n")
	c.expect("cluster failover now", "-ERR syntax error\r\n")
	c.expect("cluster failover force takeover", "-ERR unknown subcommand or wrong number of arguments for 'failover'. Try CLUSTER HELP.\r\n")
	c.expect("cluster vireo-mfstart "+strings.Repeat("d", 40), "-ERR Manual failover request from a node that is not my replica\r\n")
}

func TestClusterDisabledFailover(t *testing.T) {
	newTestClient(t).expect("cluster failover", "-ERR This instance has cluster support disabled\r\n")
}

// TestClusterFailoverPrimarySide: the primary's pause for a replica's
// failover ends when the replica aborts, and when the committed failover
// made the primary follow the replica.
func TestClusterFailoverPrimarySide(t *testing.T) {
	c := newClusterTestClient(t)
	s := c.srv
	rep := strings.Repeat("d", 40)
	for _, op := range []*cluster.Op{
		{Kind: cluster.OpAddNode, Node: rep, Info: &cluster.Node{ID: rep, IP: "127.0.0.1", Port: 1, BusPort: 2}},
		{Kind: cluster.OpReplicate, Node: rep, Target: s.cluster.myID},
	} {
		if res, err := s.clusterPropose(op); err != nil || res.Err != "" {
			t.Fatalf("%s: %v %s", op.Kind, err, res.Err)
		}
	}
	c.expect("cluster vireo-mfstart "+rep, ":0\r\n")
	if !s.writesPaused() {
		t.Fatal("writes not paused for the failover")
	}
	c.expect("client unpause", "+OK\r\n")
	if !s.writesPaused() {
		t.Fatal("CLIENT UNPAUSE lifted the failover's pause")
	}
	c.expect("cluster vireo-mfabort "+rep, "+OK\r\n")
	if s.writesPaused() {
		t.Fatal("writes still paused after the replica aborted")
	}

	c.expect("cluster vireo-mfstart "+rep, ":0\r\n")
	if res, err := s.clusterPropose(&cluster.Op{Kind: cluster.OpFailover, Node: rep, Target: s.cluster.myID}); err != nil || res.Err != "" {
		t.Fatalf("failover: %v %s", err, res.Err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for s.writesPaused() {
		if time.Now().After(deadline) {
			t.Fatal("writes still paused after the failover was committed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !s.repl.isReplica.Load() {
		t.Fatal("the old primary does not replicate the new one")
	}
	c.expect("cluster failover", "-ERR Master is down or failed, please use CLUSTER FAILOVER FORCE\r\n")

	// FORCE takes over without the (unreachable) primary.
	c.expect("cluster failover force", "+OK\r\n")
	deadline = time.Now().Add(5 * time.Second)
	for {
		st := s.clusterState()
		if !st.Node(s.cluster.myID).IsReplica() && st.Node(rep).PrimaryID == s.cluster.myID && !s.repl.isReplica.Load() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("FORCE did not make this node the primary again")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
