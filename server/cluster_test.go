package server

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// freeBusPort picks a free loopback port for a test node's raft transport.
func freeBusPort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// newClusterTestClient starts a one-node cluster (its raft member only: no
// client listener) and waits until its own entry is committed.
func newClusterTestClient(t testing.TB) *testClient {
	t.Helper()
	s := newTestServer(t, "--cluster-enabled", "yes", "--cluster-port", freeBusPort(t), "--bind", "127.0.0.1")
	if err := s.startCluster(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.stopCluster)
	deadline := time.Now().Add(10 * time.Second)
	for s.clusterState().Node(s.cluster.myID) == nil {
		if time.Now().After(deadline) {
			t.Fatal("node never added itself")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return s.testClient(t)
}

func TestClusterDisabled(t *testing.T) {
	c := newTestClient(t)
	for _, cmd := range []string{"cluster info", "cluster keyslot foo", "cluster nodes", "readonly", "readwrite", "asking", "cluster help"} {
		c.expect(cmd, "-ERR This instance has cluster support disabled\r\n")
	}
	c.expect("cluster bogus", "-ERR unknown subcommand 'bogus'. Try CLUSTER HELP.\r\n")
	c.expect("select 1", "+OK\r\n")
	c.expect("info cluster", "$30\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n")
}

func TestClusterOneNode(t *testing.T) {
	c := newClusterTestClient(t)
	id := c.srv.cluster.myID
	c.expect("cluster myid", "$40\r\n"+id+"\r\n")
	c.expect("cluster keyslot 123456789", ":12739\r\n")
	c.expect("set foo bar", "-CLUSTERDOWN Hash slot not served\r\n")
	c.expect("cluster addslotsrange 0 5", "+OK\r\n")
	c.expect("cluster addslots 5", "-ERR Slot 5 is already busy\r\n")
	c.expect("cluster addslots 6 6", "-ERR Slot 6 specified multiple times\r\n")
	c.expect("cluster addslots 16384", "-ERR Invalid or out of range slot\r\n")
	c.expect("cluster addslotsrange 9 7", "-ERR start slot number 9 is greater than end slot number 7\r\n")
	c.expect("cluster addslotsrange 1 2 3", "-ERR wrong number of arguments for 'cluster|addslotsrange' command\r\n")
	c.expect("cluster delslots 3", "+OK\r\n")
	c.expect("cluster delslots 3", "-ERR Slot 3 is already unassigned\r\n")
	c.expect("cluster delslotsrange 0 2 4 5", "+OK\r\n")
	c.expect("cluster addslotsrange 0 16383", "+OK\r\n")
	info := c.do("cluster info")
	for _, want := range []string{"cluster_state:ok\r\n", "cluster_slots_assigned:16384\r\n", "cluster_known_nodes:1\r\n", "cluster_size:1\r\n"} {
		if !strings.Contains(info, want) {
			t.Errorf("cluster info lacks %q:\n%s", want, info)
		}
	}
	nodes := c.do("cluster nodes")
	if !strings.Contains(nodes, id+" :"+strconv.Itoa(c.srv.opts.Port)+"@") || !strings.Contains(nodes, " myself,master - 0 0 0 connected 0-16383\n") {
		t.Errorf("cluster nodes: %q", nodes)
	}
	c.expect("set foo bar", "+OK\r\n")
	c.expect("mset a 1 b 2", "-CROSSSLOT Keys in request don't hash to the same slot\r\n")
	c.expect("mset {a}1 1 {a}2 2", "+OK\r\n")
	c.expect("select 1", "-ERR SELECT is not allowed in cluster mode\r\n")
	c.expect("select 0", "+OK\r\n")
	c.expect("swapdb 0 1", "-ERR SWAPDB is not allowed in cluster mode\r\n")
	c.expect("move foo 1", "-ERR MOVE is not allowed in cluster mode\r\n")
	c.expect("copy {a}1 {a}3 db 1", "-ERR Copying to another database is not allowed in cluster mode\r\n")
	c.expect("copy {a}1 {a}3 db 0", ":1\r\n")
	c.expect("cluster countkeysinslot 12182", ":1\r\n")
	c.expect("cluster countkeysinslot 16384", "-ERR Invalid slot\r\n")
	c.expect("cluster getkeysinslot 12182 10", "*1\r\n$3\r\nfoo\r\n")
	c.expect("cluster getkeysinslot 12182 -1", "-ERR Invalid slot or number of keys\r\n")
	c.expect("cluster flushslots", "-ERR DB must be empty to perform CLUSTER FLUSHSLOTS.\r\n")
	c.expect("cluster setslot 12182 node "+id, "+OK\r\n")
	c.expect("cluster setslot 1 importing "+id, "-ERR I'm already the owner of hash slot 1\r\n")
	c.expect("cluster setslot 1 migrating abc", "-ERR I don't know about node abc\r\n")
	c.expect("cluster setslot 1 bogus", "-ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP\r\n")
	c.expect("cluster setslot 1 node abc", "-ERR Unknown node abc\r\n")
	c.expect("cluster replicate "+id, "-ERR Can't replicate myself\r\n")
	c.expect("cluster forget "+id, "-ERR I tried hard but I can't forget myself...\r\n")
	c.expect("cluster forget abc", "-ERR Unknown node abc\r\n")
	c.expect("cluster set-config-epoch -1", "-ERR Invalid config epoch specified: -1\r\n")
	c.expect("cluster set-config-epoch 5", "+OK\r\n")
	c.expect("cluster set-config-epoch 6", "-ERR Node config epoch is already non-zero\r\n")
	c.expect("cluster bumpepoch", "+STILL 5\r\n")
	c.expect("cluster count-failure-reports "+id, ":0\r\n")
	c.expect("cluster links", "*0\r\n")
	c.expect("cluster replicas "+id, "*0\r\n")
	c.expect("cluster meet 1.2.3.4 x", "-ERR Invalid TCP base port specified: x\r\n")
	c.expect("cluster meet 127.0.0.1 99999", "-ERR Invalid node address specified: 127.0.0.1:99999\r\n")
	c.expect("cluster reset bogus", "-ERR syntax error\r\n")
	c.expect("readonly", "+OK\r\n")
	c.expect("readwrite", "+OK\r\n")
	c.expect("asking", "+OK\r\n")
	c.expectPrefix("info cluster", "$30\r\n# Cluster\r\ncluster_enabled:1\r\n")
	slots := c.do("cluster slots")
	want := "*1\r\n*3\r\n:0\r\n:16383\r\n*4\r\n$0\r\n\r\n:" + strconv.Itoa(c.srv.opts.Port) + "\r\n$40\r\n" + id + "\r\n*0\r\n"
	if slots != want {
		t.Errorf("cluster slots:\n got %q\nwant %q", slots, want)
	}
	c.expect("multi", "+OK\r\n")
	c.expect("set {x}1 1", "+QUEUED\r\n")
	c.expect("set {x}2 2", "+QUEUED\r\n")
	c.expect("exec", "*2\r\n+OK\r\n+OK\r\n")
	c.expect("multi", "+OK\r\n")
	c.expect("set {x}1 1", "+QUEUED\r\n")
	c.expect("set {y}2 2", "+QUEUED\r\n")
	c.expect("exec", "-CROSSSLOT Keys in request don't hash to the same slot\r\n")
	c.expect("cluster delslots 12182", "+OK\r\n")
	c.expect("get foo", "-CLUSTERDOWN Hash slot not served\r\n")
	c.expect("get a", "-CLUSTERDOWN The cluster is down\r\n")
	c.expect("config set cluster-require-full-coverage no", "+OK\r\n")
	c.expect("get a", "$-1\r\n")
}

func TestClusterScripts(t *testing.T) {
	c := newClusterTestClient(t)
	c.expect("cluster addslotsrange 0 16383", "+OK\r\n")
	c.expect("cluster delslots 12706", "+OK\r\n") // k1
	c.expect("config set cluster-require-full-coverage no", "+OK\r\n")
	c.expect(`eval "redis.call('set','foo','1'); return redis.call('set','bar','1')" 0`, "+OK\r\n")
	c.expect(`eval "return redis.call('get',KEYS[1])" 2 a b`, "-CROSSSLOT Keys in request don't hash to the same slot\r\n")
	got := c.do(`eval "return redis.call('get','k1')" 0`)
	if !strings.HasPrefix(got, "-ERR Script attempted to access a non local key in a cluster node script: ") {
		t.Fatalf("non-local key in a script: %q", got)
	}
	c.expect("config set cluster-require-full-coverage yes", "+OK\r\n")
	got = c.do(`eval "return redis.call('get','a')" 0`)
	if !strings.HasPrefix(got, "-ERR Script attempted to execute a command while the cluster is down script: ") {
		t.Fatalf("cluster down in a script: %q", got)
	}
}

// BenchmarkDispatchGetCluster is BenchmarkDispatchGet in cluster mode: the
// slot check's cost on a GET.
func BenchmarkDispatchGetCluster(b *testing.B) {
	c := newClusterTestClient(b)
	c.do("CLUSTER ADDSLOTSRANGE 0 16383")
	c.do("SET key value")
	args := [][]byte{[]byte("GET"), []byte("key")}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.c.out = c.c.out[:0]
		c.c.run(args)
	}
}
