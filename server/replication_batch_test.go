package server

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

type brokenWriter struct{}

func (brokenWriter) Write(p []byte) (int, error) { return 0, errors.New("broken pipe") }

// A replica whose socket fails drops out of a shared payload; the others
// get all of it; the write fails only when none is left.
func TestFanoutWriterSkipsFailedReplicas(t *testing.T) {
	var good bytes.Buffer
	f := &fanoutWriter{
		ws:     []*bufio.Writer{bufio.NewWriterSize(brokenWriter{}, 16), bufio.NewWriterSize(&good, 16)},
		failed: make([]bool, 2),
	}
	payload := bytes.Repeat([]byte("0123456789"), 10)
	for i := 0; i < len(payload); i += 7 {
		if _, err := f.Write(payload[i:min(i+7, len(payload))]); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	f.ws[1].Flush()
	if !f.failed[0] || f.failed[1] || !bytes.Equal(good.Bytes(), payload) {
		t.Fatalf("failed %v, good replica got %q", f.failed, good.Bytes())
	}
	f.failed[1] = true
	if _, err := f.Write([]byte("x")); !errors.Is(err, errAllReplicasGone) {
		t.Fatalf("write with every replica gone: %v", err)
	}
}

// A diskless replica waits out repl-diskless-sync-delay (wait_bgsave),
// kept alive by newlines, then gets +FULLRESYNC and the $EOF: payload;
// REPLICAOF drops a replica still waiting.
func TestQueuedFullSyncOverSockets(t *testing.T) {
	s := startVireo(t, "--repl-diskless-sync-delay", "1")
	addr := s.Addr().String()
	admin := dialResp(t, addr)
	admin.do("SET", "k", "v")

	rep := dialResp(t, addr)
	if got := rep.do("REPLCONF", "capa", "eof", "capa", "psync2"); got != "+OK\r\n" {
		t.Fatalf("REPLCONF: %q", got)
	}
	asked := time.Now()
	rep.send("PSYNC", "?", "-1")
	time.Sleep(200 * time.Millisecond)
	if info := admin.do("INFO", "replication"); !strings.Contains(info, "state=wait_bgsave") {
		t.Fatalf("INFO replication while waiting:\n%s", info)
	}
	rep.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	newlines := 0
	var line string
	for {
		l, err := rep.r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the PSYNC reply: %v (after %d newlines)", err, newlines)
		}
		if l == "\n" {
			newlines++
			continue
		}
		line = l
		break
	}
	if waited := time.Since(asked); waited < time.Second || !strings.HasPrefix(line, "+FULLRESYNC ") {
		t.Fatalf("after %v: %q", waited, line)
	}
	if hdr, err := rep.r.ReadString('\n'); err != nil || !strings.HasPrefix(hdr, "$EOF:") {
		t.Fatalf("payload header %q, %v", hdr, err)
	}

	// A replica still waiting when the server becomes a replica is dropped.
	s2 := startVireo(t, "--repl-diskless-sync-delay", "30")
	rep2 := dialResp(t, s2.Addr().String())
	rep2.do("REPLCONF", "capa", "eof")
	rep2.send("PSYNC", "?", "-1")
	time.Sleep(100 * time.Millisecond)
	admin2 := dialResp(t, s2.Addr().String())
	if got := admin2.do("REPLICAOF", "127.0.0.1", "1"); got != "+OK\r\n" {
		t.Fatalf("REPLICAOF: %q", got)
	}
	rep2.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		l, err := rep2.r.ReadString('\n')
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatal("the waiting replica was not dropped")
		}
		if err != nil {
			break // dropped
		}
		if l != "\n" {
			t.Fatalf("a dropped replica got %q", l)
		}
	}
}
