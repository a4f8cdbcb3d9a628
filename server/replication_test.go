package server

import (
	"strings"
	"testing"
)

func TestReplicationRepliesStandalone(t *testing.T) {
	c := newTestClient(t)
	c.expect("role", "*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n")
	c.expect("wait 0 0", ":0\r\n")
	c.expect("wait x 0", "-ERR value is not an integer or out of range\r\n")
	c.expect("wait 1 x", "-ERR timeout is not an integer or out of range\r\n")
	c.expect("wait 1 -1", "-ERR timeout is negative\r\n")
	c.expect("wait 1 10", ":0\r\n") // no replica: times out with none
	c.expect("replconf listening-port 6380 capa eof capa psync2", "+OK\r\n")
	c.expect("replconf listening-port", "-ERR syntax error\r\n")
	c.expect("replconf foo bar", "-ERR Unrecognized REPLCONF option: foo\r\n")
	c.expect("replicaof 127.0.0.1 abc", "-ERR Invalid master port\r\n")
	c.expect("replicaof 127.0.0.1 70000", "-ERR Invalid master port\r\n")
	c.expect("replicaof no one", "+OK\r\n")
	info := c.do("info replication")
	for _, want := range []string{"role:master\r\n", "connected_slaves:0\r\n", "master_replid2:0000000000000000000000000000000000000000\r\n",
		"master_repl_offset:0\r\n", "second_repl_offset:-1\r\n", "repl_backlog_active:0\r\n", "repl_backlog_size:1048576\r\n"} {
		if !strings.Contains(info, want) {
			t.Errorf("INFO replication lacks %q:\n%s", want, info)
		}
	}
}

// A replica (its link down: nothing listens on port 1) refuses writes,
// refuses WAIT, reports its link, and REPLICAOF NO ONE makes it a primary
// with a new ID that keeps the old one as replid2.
func TestReplicationReplicaChecks(t *testing.T) {
	c := newTestClient(t)
	c.expect("set k v", "+OK\r\n")
	oldID := infoLine(c.do("info replication"), "master_replid")
	c.expect("replicaof 127.0.0.1 1", "+OK\r\n")
	c.expect("replicaof 127.0.0.1 1", "+OK Already connected to specified master\r\n")
	c.expect("set k v2", "-READONLY You can't write against a read only replica.\r\n")
	c.expect("get k", "$1\r\nv\r\n") // stale data is served by default
	c.expectPrefix("wait 0 0", "-ERR WAIT cannot be used with replica instances.")
	c.expectPrefix("role", "*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:1\r\n")
	info := c.do("info replication")
	for _, want := range []string{"role:slave\r\n", "master_host:127.0.0.1\r\n", "master_port:1\r\n", "master_link_status:down\r\n", "slave_read_only:1\r\n"} {
		if !strings.Contains(info, want) {
			t.Errorf("replica INFO replication lacks %q:\n%s", want, info)
		}
	}
	c.expect("config set replica-serve-stale-data no", "+OK\r\n")
	c.expect("get k", "-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n")
	// PING has no stale flag in Redis either.
	c.expect("ping", "-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n")
	c.expectPrefix("role", "*5\r\n")
	c.expect("replicaof no one", "+OK\r\n")
	c.expect("set k v3", "+OK\r\n")
	info = c.do("info replication")
	if infoLine(info, "role") != "master" || infoLine(info, "master_replid2") != oldID || infoLine(info, "master_replid") == oldID {
		t.Fatalf("after promotion (old ID %s):\n%s", oldID, info)
	}
}

func TestMinReplicasToWrite(t *testing.T) {
	c := newTestClient(t)
	c.expect("config set min-replicas-to-write 1", "+OK\r\n")
	c.expect("set k v", "-NOREPLICAS Not enough good replicas to write.\r\n")
	c.expect("get k", "$-1\r\n")
	c.expect("config set min-replicas-to-write 0", "+OK\r\n")
	c.expect("set k v", "+OK\r\n")
	// The old name sets the same parameter.
	c.expect("config set min-slaves-to-write 2", "+OK\r\n")
	c.expect("del k", "-NOREPLICAS Not enough good replicas to write.\r\n")
	c.expect("config set min-slaves-to-write 0", "+OK\r\n")
	c.expect("del k", ":1\r\n")
}

func infoLine(info, field string) string {
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return v
		}
	}
	return ""
}
