package server

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vireodb/vireo/replication/failover"
)

func TestSentinelUnknownWhenFailoverOff(t *testing.T) {
	tc := newTestClient(t)
	// redis-server 7.0.15's replies.
	tc.expect("SENTINEL masters", "-ERR unknown command 'SENTINEL', with args beginning with: 'masters' \r\n")
	tc.expect("sentinel", "-ERR unknown command 'sentinel', with args beginning with: \r\n")
	if got := tc.do("INFO failover"); !strings.Contains(got, "failover_enabled:0") {
		t.Fatalf("INFO failover with failover off: %q", got)
	}
	if got := tc.do("INFO everything"); strings.Contains(got, "# Failover") {
		t.Fatal("INFO everything shows the Vireo-only failover section")
	}
}

func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestFailoverSingleNode runs a one-member group in process: it commits
// itself primary, takes writes once it leads, answers SENTINEL, and turns
// into a replica (refusing writes) when a configuration names another.
func TestFailoverSingleNode(t *testing.T) {
	client, raft := freeLoopbackAddr(t), freeLoopbackAddr(t)
	s := newTestServer(t, "--vireo-failover", "yes", "--vireo-failover-peers", "n1@"+client+"@"+raft,
		"--vireo-failover-node-id", "n1",
		"--vireo-failover-down-after-milliseconds", "60000")
	tc := s.testClient(t)
	tc.expect("SENTINEL get-master-addr-by-name mymaster", "*-1\r\n") // not started: nothing committed
	if err := s.startFailover(); err != nil {
		t.Fatal(err)
	}
	defer s.stopFailover()
	deadline := time.Now().Add(10 * time.Second)
	for s.failover.node.State().Primary != "n1" || !s.failover.node.Writable(time.Now().UnixMilli()) {
		if time.Now().After(deadline) {
			t.Fatal("the single node never became a writable primary")
		}
		time.Sleep(20 * time.Millisecond)
	}
	tc.expect("SET k v", "+OK\r\n")
	host, port, _ := net.SplitHostPort(client)
	tc.expect("SENTINEL get-master-addr-by-name mymaster",
		"*2\r\n$"+strconv.Itoa(len(host))+"\r\n"+host+"\r\n$"+strconv.Itoa(len(port))+"\r\n"+port+"\r\n")
	tc.expect("SENTINEL get-master-addr-by-name other", "*-1\r\n")
	// The FAILOVER command would fight the group's choice: refused.
	tc.expect("FAILOVER", "-ERR FAILOVER not allowed with vireo-failover: the failover group chooses the primary\r\n")
	tc.expect("SENTINEL replicas mymaster", "*0\r\n")
	tc.expect("SENTINEL sentinels mymaster", "*0\r\n")
	tc.expect("SENTINEL master other", "-ERR No such master with that name\r\n")
	tc.expect("SENTINEL get-master-addr-by-name", "-ERR wrong number of arguments for 'sentinel|get-master-addr-by-name' command\r\n")
	tc.expect("SENTINEL bogus", "-ERR unknown subcommand 'bogus'. Try SENTINEL HELP.\r\n")
	if got := tc.do("SENTINEL myid"); !strings.HasPrefix(got, "$40\r\n") {
		t.Fatalf("SENTINEL myid: %q", got)
	}
	// Not listening (in process), its own client port looks disconnected.
	master := tc.do("SENTINEL master mymaster")
	for _, want := range []string{"$5\r\nflags\r\n$19\r\nmaster,disconnected\r\n", "$23\r\ndown-after-milliseconds\r\n$5\r\n60000\r\n", "$12\r\nconfig-epoch\r\n$1\r\n1\r\n", "$6\r\nquorum\r\n$1\r\n1\r\n"} {
		if !strings.Contains(master, want) {
			t.Errorf("SENTINEL master lacks %q: %q", want, master)
		}
	}
	if got := tc.do("SENTINEL masters"); !strings.HasPrefix(got, "*1\r\n*") {
		t.Errorf("SENTINEL masters: %q", got)
	}
	info := tc.do("INFO failover")
	for _, want := range []string{"failover_enabled:1", "failover_node_id:n1", "failover_primary:n1", "failover_writable:1", "failover_epoch:1"} {
		if !strings.Contains(info, want) {
			t.Errorf("INFO failover lacks %q: %q", want, info)
		}
	}

	// A configuration naming another primary makes this node its replica.
	other := failover.Member{ID: "n2", Addr: "127.0.0.1:1", RaftAddr: "127.0.0.1:2"}
	self := failover.Member{ID: "n1", Addr: client, RaftAddr: raft}
	old := failover.State{Members: []failover.Member{self, other}, Primary: "n1", Epoch: 1}
	cur := failover.State{Members: []failover.Member{self, other}, Primary: "n2", Epoch: 2}
	s.applyFailoverConfig("n1", old, cur)
	defer s.stopReplication()
	if got := tc.do("ROLE"); !strings.HasPrefix(got, "*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:1\r\n") {
		t.Fatalf("ROLE after a configuration naming n2: %q", got)
	}
	tc.expect("SET k v2", "-READONLY You can't write against a read only replica.\r\n")

	// The committed configuration still names n1: the periodic
	// re-assertion makes it the primary again, as it does after an
	// operator's REPLICAOF.
	deadline = time.Now().Add(5 * time.Second)
	for !strings.HasPrefix(tc.do("ROLE"), "*3\r\n$6\r\nmaster\r\n") {
		if time.Now().After(deadline) {
			t.Fatalf("ROLE never went back to master: %q", tc.do("ROLE"))
		}
		time.Sleep(50 * time.Millisecond)
	}
	tc.expect("REPLICAOF 127.0.0.1 1", "+OK\r\n")
	deadline = time.Now().Add(5 * time.Second)
	for tc.do("SET k v3") != "+OK\r\n" {
		if time.Now().After(deadline) {
			t.Fatalf("writes never came back after REPLICAOF: ROLE %q", tc.do("ROLE"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// vireo-failover refuses to start beside a fixed replicaof or cluster mode.
func TestFailoverRefusesConflictingModes(t *testing.T) {
	client, raft := freeLoopbackAddr(t), freeLoopbackAddr(t)
	base := []string{"--vireo-failover", "yes", "--vireo-failover-peers", "n1@" + client + "@" + raft, "--vireo-failover-node-id", "n1"}
	for _, extra := range [][]string{{"--replicaof", "127.0.0.1 6399"}, {"--cluster-enabled", "yes"}} {
		s := newTestServer(t, append(base, extra...)...)
		err := s.startFailover()
		if err == nil {
			s.stopFailover()
			t.Fatalf("%v: startFailover succeeded", extra)
		}
		if !strings.Contains(err.Error(), "vireo-failover") {
			t.Fatalf("%v: error %q does not name vireo-failover", extra, err)
		}
	}
}
