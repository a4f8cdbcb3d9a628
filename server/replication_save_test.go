package server

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vireodb/vireo/persistence/rdb"
	"github.com/vireodb/vireo/server/config"
)

// savedReplInfo reads the replication AUX fields of the server's RDB file.
func savedReplInfo(t *testing.T, s *Server) (rdb.ReplInfo, bool) {
	t.Helper()
	f, err := os.Open(s.rdbPath())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rr rdb.ReplInfoReader
	if _, err := rdb.Load(f, rdb.LoadOptions{OnAux: rr.Observe}, func(*rdb.LoadedKey) error { return nil }); err != nil {
		t.Fatal(err)
	}
	return rr.Info()
}

func applyLine(s *Server, line string) {
	args := strings.Fields(line)
	argv := make([][]byte, len(args))
	for i, a := range args {
		argv[i] = []byte(a)
	}
	replApplier{s}.Apply(argv, []byte(line+"\r\n"))
}

// A replica saves the offset its data is at: while the master client has
// a transaction open, the offset before its MULTI (the queued commands are
// not in the data yet), with the stream's database; after EXEC, the end.
// Restarted with replicaof set, it takes them as its history.
func TestReplicaSavesAppliedOffset(t *testing.T) {
	dir := t.TempDir()
	c := newTestServer(t, "--dir", dir).testClient(t)
	s := c.srv
	c.expect("replicaof 127.0.0.1 1", "+OK\r\n") // the link stays down
	id := strings.Repeat("ab", 20)
	s.repl.backlog.ResetTo(id, 1000)

	applyLine(s, "SELECT 2")
	applyLine(s, "SET a 1")
	beforeMulti := s.repl.backlog.Offset()
	applyLine(s, "MULTI")
	applyLine(s, "SET b 2")
	c.expect("save", "+OK\r\n")
	ri, ok := savedReplInfo(t, s)
	if want := (rdb.ReplInfo{StreamDB: 2, ReplID: id, Offset: beforeMulti}); !ok || ri != want {
		t.Fatalf("saved inside the transaction: %+v %v, want %+v", ri, ok, want)
	}
	applyLine(s, "EXEC")
	c.expect("bgsave", "+Background saving started\r\n")
	s.waitBGSave()
	ri, ok = savedReplInfo(t, s)
	if want := (rdb.ReplInfo{StreamDB: 2, ReplID: id, Offset: s.repl.backlog.Offset()}); !ok || ri != want {
		t.Fatalf("saved after EXEC: %+v %v, want %+v", ri, ok, want)
	}
	end := s.repl.backlog.Offset()

	// Start-up as a replica: the saved history is the backlog's, the
	// master client has the stream's database selected.
	cfg, err := config.Load("", []string{"--vireo-shards", "16", "--dir", dir, "--replicaof", "127.0.0.1 1"})
	if err != nil {
		t.Fatal(err)
	}
	s2 := New(cfg)
	if err := s2.LoadDataFile(); err != nil {
		t.Fatal(err)
	}
	inf := s2.repl.backlog.Info()
	if !inf.Active || inf.ReplID != id || inf.Offset != end || s2.repl.master.dbIndex != 2 {
		t.Fatalf("restored replica: %+v, master db %d; want %s at %d, db 2", inf, s2.repl.master.dbIndex, id, end)
	}
	if v := s2.ks.DB(2).LookupNoTouch([]byte("b"), 0); v == nil {
		t.Fatal("the transaction's key is not in the restored data")
	}
}

// A primary saves its history once its backlog exists, and a primary that
// starts from that file keeps its new ID with the saved one as replid2.
func TestPrimarySavesAndRebasesHistory(t *testing.T) {
	dir := t.TempDir()
	c := newTestServer(t, "--dir", dir).testClient(t)
	s := c.srv
	c.expect("set k v", "+OK\r\n")
	c.expect("save", "+OK\r\n")
	if ri, ok := savedReplInfo(t, s); ok {
		t.Fatalf("a primary without a backlog saved %+v", ri)
	}
	s.ks.LockAll()
	s.ensureBacklogSinkLocked()
	s.repl.backlog.Create()
	s.ks.UnlockAll()
	c.expect("select 3", "+OK\r\n")
	c.expect("set k2 v", "+OK\r\n")
	c.expect("set short v px 100", "+OK\r\n") // expires before the restart
	c.expect("save", "+OK\r\n")
	oldID, off := s.repl.backlog.ReplID(), s.repl.backlog.Offset()
	if off == 0 {
		t.Fatal("the write did not reach the backlog")
	}
	ri, ok := savedReplInfo(t, s)
	if want := (rdb.ReplInfo{StreamDB: 0, ReplID: oldID, Offset: off}); !ok || ri != want {
		t.Fatalf("saved %+v %v, want %+v", ri, ok, want)
	}
	// The save made the stream's next effect select its database again.
	c.expect("set k3 v", "+OK\r\n")
	if got, _ := s.repl.backlog.CopyFrom(off + 1); !strings.HasPrefix(string(got), "*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n") {
		t.Fatalf("stream after the save: %q", got)
	}

	time.Sleep(150 * time.Millisecond)
	cfg, err := config.Load("", []string{"--vireo-shards", "16", "--dir", dir})
	if err != nil {
		t.Fatal(err)
	}
	s2 := New(cfg)
	if err := s2.LoadDataFile(); err != nil {
		t.Fatal(err)
	}
	inf := s2.repl.backlog.Info()
	if !inf.Active || inf.ReplID == oldID || inf.ReplID2 != oldID || inf.SecondOffset != off+1 || inf.Offset <= off {
		t.Fatalf("restarted primary: %+v; saved %s at %d", inf, oldID, off)
	}
	// The key skipped as expired is a DEL in the stream after the saved
	// offset: the replicas that continue hold it still.
	if got, _ := s2.repl.backlog.CopyFrom(off + 1); string(got) != "*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n*2\r\n$3\r\nDEL\r\n$5\r\nshort\r\n" {
		t.Fatalf("stream after the restart: %q", got)
	}
	if !s2.repl.backlog.CanContinue(oldID, off+1) {
		t.Fatal("a replica at the saved offset cannot continue")
	}
	if s2.repl.backlog.CanContinue(oldID, off+2) {
		t.Fatal("a replica past the saved offset can continue")
	}
	// The backlog is fed from the start: a write reaches it.
	c2 := s2.testClient(t)
	c2.expect("set k4 v", "+OK\r\n")
	if got := s2.repl.backlog.Offset(); got <= off {
		t.Fatalf("offset %d after a write, saved %d", got, off)
	}
}
