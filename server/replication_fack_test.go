package server

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vireodb/vireo/replication"
)

// makeOnlineReplica turns tc's connection into an online replica of srv,
// as a PSYNC would, without a socket to stream to.
func makeOnlineReplica(srv *Server, tc *testClient) *replicaConn {
	srv.ks.LockAll()
	srv.ensureBacklogSinkLocked()
	srv.repl.backlog.Create()
	srv.ks.UnlockAll()
	rc := srv.replicaOfClient(tc.c, true)
	rc.feed = replication.NewFeed(0)
	srv.repl.backlog.AttachAt(rc.feed)
	rc.state.Store(replicaOnline)
	return rc
}

// WAITAOF counts the replicas whose FACK reached the client's own write
// offset; WAIT counts ACKs against the same offset.
func TestWaitAOFCountsReplicaFACK(t *testing.T) {
	srv := newAOFServer(t, "--appendonly", "yes", "--appendfsync", "always")
	w := srv.testClient(t)
	other := srv.testClient(t)
	rep := srv.testClient(t)
	rc := makeOnlineReplica(srv, rep)

	w.expect("SET k v", "+OK\r\n")
	woff := w.c.woff
	if woff <= 0 || woff != srv.repl.backlog.Offset() {
		t.Fatalf("woff %d after SET, backlog offset %d", woff, srv.repl.backlog.Offset())
	}
	other.expect("SET other v", "+OK\r\n") // not w's write: w does not wait for it
	if w.c.woff != woff {
		t.Fatalf("another client's write moved woff to %d", w.c.woff)
	}
	w.expect("WAITAOF 1 1 20", "*2\r\n:1\r\n:0\r\n")
	off := strconv.FormatInt(woff, 10)
	before := strconv.FormatInt(woff-1, 10)
	if got := rep.do("REPLCONF ACK " + off + " FACK " + before); got != "" {
		t.Fatalf("REPLCONF ACK answered %q", got)
	}
	if rc.ackOffset.Load() != woff || rc.fackOffset.Load() != woff-1 {
		t.Fatalf("ack %d fack %d", rc.ackOffset.Load(), rc.fackOffset.Load())
	}
	w.expect("WAIT 1 0", ":1\r\n")
	w.expect("WAITAOF 0 1 20", "*2\r\n:1\r\n:0\r\n")
	other.expect("WAITAOF 0 1 20", "*2\r\n:1\r\n:0\r\n") // its write is later

	// A blocked WAITAOF returns as soon as the FACK arrives.
	done := make(chan string)
	go func() { done <- w.do("WAITAOF 1 1 0") }()
	time.Sleep(30 * time.Millisecond)
	rep.do("REPLCONF ACK " + off + " FACK " + off)
	select {
	case got := <-done:
		if got != "*2\r\n:1\r\n:1\r\n" {
			t.Fatalf("WAITAOF 1 1 0 = %q", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("WAITAOF did not return after the FACK")
	}
	// An older FACK does not move it back; a malformed one is ignored.
	rep.do("REPLCONF ACK " + off + " FACK 1")
	rep.do("REPLCONF ACK " + off + " FACK x")
	if rc.fackOffset.Load() != woff {
		t.Fatalf("fack moved to %d", rc.fackOffset.Load())
	}
	// Inside MULTI it never blocks.
	w.expect("MULTI", "+OK\r\n")
	w.expect("WAITAOF 0 2 0", "+QUEUED\r\n")
	w.expect("EXEC", "*1\r\n*2\r\n:1\r\n:1\r\n")
}

// A transaction and a script move the client's write offset past their
// EXEC, so WAIT covers the whole of them.
func TestWriteOffsetCoversTransactionsAndScripts(t *testing.T) {
	srv := newTestServer(t, "--save", "")
	c := srv.testClient(t)
	rep := srv.testClient(t)
	makeOnlineReplica(srv, rep)
	c.expect("MULTI", "+OK\r\n")
	c.expect("SET a 1", "+QUEUED\r\n")
	c.expect("EXEC", "*1\r\n+OK\r\n")
	if c.c.woff != srv.repl.backlog.Offset() {
		t.Fatalf("woff %d after EXEC, backlog %d", c.c.woff, srv.repl.backlog.Offset())
	}
	c.expect("EVAL \"redis.call('set', 'b', '1')\" 0", "$-1\r\n")
	if c.c.woff != srv.repl.backlog.Offset() {
		t.Fatalf("woff %d after EVAL, backlog %d", c.c.woff, srv.repl.backlog.Offset())
	}
	tail, _ := srv.repl.backlog.CopyFrom(c.c.woff - 13)
	if !strings.HasSuffix(string(tail), "$4\r\nEXEC\r\n") {
		t.Fatalf("the stream before woff ends %q", tail)
	}
}

// A replica's FACK is the offset whose effects its AOF has fsynced; while
// its master client has a transaction open, the offset before the MULTI.
func TestReplicaFsyncedOffset(t *testing.T) {
	srv := newAOFServer(t, "--appendonly", "yes", "--appendfsync", "always")
	c := srv.testClient(t)
	if got := srv.replicaFsyncedOffset(); got < 0 {
		t.Fatalf("FACK %d with the AOF on", got)
	}
	c.expect("REPLICAOF 127.0.0.1 1", "+OK\r\n")
	srv.repl.backlog.ResetTo(strings.Repeat("c", 40), 500)
	applyLine(srv, "SET a 1")
	applyLine(srv, "INCR n")
	end := srv.repl.backlog.Offset()
	waitFACK := func(want int64) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for srv.replicaFsyncedOffset() != want {
			if time.Now().After(deadline) {
				t.Fatalf("FACK %d, want %d", srv.replicaFsyncedOffset(), want)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFACK(end)
	applyLine(srv, "MULTI")
	applyLine(srv, "SET b 2")
	waitFACK(end)
	applyLine(srv, "EXEC")
	waitFACK(srv.repl.backlog.Offset())

	c.expect("CONFIG SET appendonly no", "+OK\r\n")
	if got := srv.replicaFsyncedOffset(); got != -1 {
		t.Fatalf("FACK %d with the AOF off, want -1 (none sent)", got)
	}
}
