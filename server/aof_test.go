package server

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vireodb/vireo/persistence/aof"
	"github.com/vireodb/vireo/persistence/snapshot"
)

func newAOFServer(t *testing.T, overrides ...string) *Server {
	t.Helper()
	srv := newTestServer(t, append([]string{"--save", ""}, overrides...)...)
	if err := srv.LoadDataFile(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func readManifest(t *testing.T, srv *Server) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(srv.aofDirPath(), "appendonly.aof.manifest"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func infoField(t *testing.T, c *testClient, name string) string {
	t.Helper()
	for _, line := range strings.Split(c.do("INFO persistence"), "\r\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return v
		}
	}
	return "<missing>"
}

func TestAOFBGRewriteAndInfo(t *testing.T) {
	srv := newAOFServer(t, "--appendonly", "yes")
	c := srv.testClient(t)
	if got := readManifest(t, srv); got != "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n" {
		t.Fatalf("manifest at start: %q", got)
	}
	c.expect("SET k v", "+OK\r\n")
	for name, want := range map[string]string{"aof_enabled": "1", "aof_rewrite_in_progress": "0", "aof_rewrites": "0",
		"aof_last_write_status": "ok", "aof_last_bgrewrite_status": "ok", "aof_pending_rewrite": "0", "aof_base_size": "89"} {
		if got := infoField(t, c, name); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	gate := make(chan struct{})
	aofRewriteTestGate = gate
	defer func() { aofRewriteTestGate = nil }()
	c.expect("BGREWRITEAOF", "+Background append only file rewriting started\r\n")
	c.expect("BGREWRITEAOF", "-ERR Background append only file rewriting already in progress\r\n")
	c.expect("BGSAVE", "-ERR An AOF log rewriting in progress: can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.\r\n")
	if got := infoField(t, c, "aof_rewrite_in_progress"); got != "1" {
		t.Errorf("aof_rewrite_in_progress during the rewrite: %s", got)
	}
	// Writes during the rewrite go to the new increment.
	c.expect("SET during yes", "+OK\r\n")
	close(gate)
	srv.waitAOFRewrite()
	if got := infoField(t, c, "aof_rewrites"); got != "1" {
		t.Errorf("aof_rewrites: %s", got)
	}
	if got := readManifest(t, srv); got != "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n" {
		t.Fatalf("manifest after rewrite: %q", got)
	}
	if _, err := os.Stat(filepath.Join(srv.aofDirPath(), "appendonly.aof.1.incr.aof")); !os.IsNotExist(err) {
		t.Error("history file not deleted")
	}
	dir := srv.cfg.Snapshot().Dir
	srv.Close()

	// A new server on the same dir loads both values.
	srv2 := newAOFServer(t, "--appendonly", "yes", "--dir", dir)
	c2 := srv2.testClient(t)
	c2.expect("MGET k during", "*2\r\n$1\r\nv\r\n$3\r\nyes\r\n")
	c2.expect("DBSIZE", ":2\r\n")
}

func TestAOFRewriteScheduledBehindBGSave(t *testing.T) {
	srv := newAOFServer(t, "--appendonly", "yes")
	c := srv.testClient(t)
	gate := make(chan struct{})
	bgsaveTestGate = gate
	defer func() { bgsaveTestGate = nil }()
	c.expect("BGSAVE", "+Background saving started\r\n")
	c.expect("BGREWRITEAOF", "+Background append only file rewriting scheduled\r\n")
	if got := infoField(t, c, "aof_rewrite_scheduled"); got != "1" {
		t.Errorf("aof_rewrite_scheduled: %s", got)
	}
	close(gate)
	srv.waitBGSave()
	srv.aofCron()
	srv.waitAOFRewrite()
	if got := infoField(t, c, "aof_rewrites"); got != "1" {
		t.Errorf("aof_rewrites after the scheduled rewrite: %s", got)
	}
}

func TestAOFConfigSetAppendonly(t *testing.T) {
	srv := newAOFServer(t)
	c := srv.testClient(t)
	c.expect("SET before 1", "+OK\r\n")
	if got := infoField(t, c, "aof_enabled"); got != "0" {
		t.Fatalf("aof_enabled: %s", got)
	}
	if got := infoField(t, c, "aof_current_size"); got != "<missing>" {
		t.Errorf("aof_current_size shown with the AOF off: %s", got)
	}
	c.expect("CONFIG SET appendonly yes", "+OK\r\n")
	deadline := time.Now().Add(5 * time.Second)
	for infoField(t, c, "aof_rewrites") != "1" && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := infoField(t, c, "aof_enabled"); got != "1" {
		t.Fatalf("aof_enabled after CONFIG SET: %s", got)
	}
	c.expect("SET after 2", "+OK\r\n")
	c.expect("CONFIG SET appendfsync always", "+OK\r\n")
	if srv.aof.always.Load() == nil {
		t.Error("appendfsync always did not arm the reply hook")
	}
	c.expect("SET always 3", "+OK\r\n")
	c.expect("CONFIG SET appendonly no", "+OK\r\n")
	if srv.aof.always.Load() != nil || srv.aof.cur.Load() != nil {
		t.Error("writer still attached after appendonly no")
	}
	c.expect("SET ignored 4", "+OK\r\n")
	dir := srv.cfg.Snapshot().Dir
	srv.Close()

	srv2 := newAOFServer(t, "--appendonly", "yes", "--dir", dir)
	srv2.testClient(t).expect("MGET before after always ignored", "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$-1\r\n")
}

func TestAOFStrerror(t *testing.T) {
	err := &os.PathError{Op: "write", Path: "/x", Err: syscall.ENOSPC}
	if got := strerror(err); got != "No space left on device" {
		t.Fatalf("strerror: %q", got)
	}
}

func TestWaitAOF(t *testing.T) {
	srv := newAOFServer(t)
	c := srv.testClient(t)
	c.expect("WAITAOF 1 0 0", "-ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.\r\n")
	c.expect("WAITAOF 0 0 0", "*2\r\n:0\r\n:0\r\n")
	// Redis 7.2: numlocal is 0 or 1 (getRangeLongFromObjectOrReply),
	// numreplicas positive, every argument checked before the role.
	c.expect("WAITAOF -1 0 0", "-ERR value is out of range, value must between 0 and 1\r\n")
	c.expect("WAITAOF 2 0 0", "-ERR value is out of range, value must between 0 and 1\r\n")
	c.expect("WAITAOF 0 -1 0", "-ERR value is out of range, must be positive\r\n")
	c.expect("WAITAOF x 0 0", "-ERR value is not an integer or out of range\r\n")
	c.expect("WAITAOF 0 x 0", "-ERR value is not an integer or out of range\r\n")
	c.expect("WAITAOF 0 0 -1", "-ERR timeout is negative\r\n")
	c.expect("REPLICAOF 127.0.0.1 1", "+OK\r\n") // the link stays down
	c.expect("WAITAOF 2 0 0", "-ERR value is out of range, value must between 0 and 1\r\n")
	c.expect("WAITAOF 0 0 0", "-ERR WAITAOF cannot be used with replica instances. Please also note that writes to replicas are just local and are not propagated.\r\n")
	c.expect("WAITAOF 1 0 0", "-ERR WAITAOF cannot be used with replica instances. Please also note that writes to replicas are just local and are not propagated.\r\n")

	srv2 := newAOFServer(t, "--appendonly", "yes", "--appendfsync", "everysec")
	c2 := srv2.testClient(t)
	c2.expect("SET k v", "+OK\r\n")
	c2.expect("WAITAOF 1 0 0", "*2\r\n:1\r\n:0\r\n")
	start := time.Now()
	c2.expect("WAITAOF 1 1 50", "*2\r\n:1\r\n:0\r\n")
	if time.Since(start) < 50*time.Millisecond {
		t.Error("WAITAOF with a replica count returned before its timeout")
	}
}

// failingFile is an AOF file on a full disk.
type failingFile struct{}

func (failingFile) Write(p []byte) (int, error) { return 0, syscall.ENOSPC }
func (failingFile) Sync() error                 { return nil }
func (failingFile) Close() error                { return nil }

// A failed AOF write refuses writes (and PING) with Redis's MISCONF text
// and shows in INFO; reads still work.
func TestAOFWriteErrorMisconf(t *testing.T) {
	srv := newAOFServer(t, "--appendonly", "yes")
	c := srv.testClient(t)
	a := &srv.aof
	a.mu.Lock()
	old := a.w
	srv.ks.Stream.RemoveSink(old)
	w := aof.NewWriter(failingFile{}, 0, aof.FsyncEverysec, nil)
	srv.setWriterLocked(w)
	srv.ks.Stream.AddSink(w)
	a.mu.Unlock()
	old.Close()
	c.expect("SET k v", "+OK\r\n")
	deadline := time.Now().Add(5 * time.Second)
	for w.Err() == nil && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	c.expect("SET k2 v", "-MISCONF Errors writing to the AOF file: No space left on device\r\n")
	c.expect("PING", "-MISCONF Errors writing to the AOF file: No space left on device\r\n")
	c.expect("GET k", "$1\r\nv\r\n")
	if got := infoField(t, c, "aof_last_write_status"); got != "err" {
		t.Errorf("aof_last_write_status: %s", got)
	}
	a.mu.Lock()
	srv.ks.Stream.RemoveSink(w)
	srv.setWriterLocked(nil)
	a.on = false
	a.mu.Unlock()
	w.Close()
}

// While another snapshot is open (an S3 backup, a replica's full sync) a
// rewrite waits its turn without creating a new increment on every try,
// then runs.
func TestAOFRewriteWaitsForAnotherSnapshot(t *testing.T) {
	srv := newAOFServer(t, "--appendonly", "yes")
	c := srv.testClient(t)
	c.expect("SET k v", "+OK\r\n")
	srv.ks.LockAll()
	other, err := snapshot.BeginLocked(srv.ks, srv.snapshotOptions())
	srv.ks.UnlockAll()
	if err != nil {
		t.Fatal(err)
	}
	c.expect("BGREWRITEAOF", "+Background append only file rewriting scheduled\r\n")
	for range 5 {
		srv.startScheduledRewrite()
	}
	incr, _ := filepath.Glob(filepath.Join(srv.aofDirPath(), "*.incr.aof"))
	if len(incr) != 1 || infoField(t, c, "aof_rewrite_scheduled") != "1" {
		t.Fatalf("while waiting: increments %v, aof_rewrite_scheduled %s", incr, infoField(t, c, "aof_rewrite_scheduled"))
	}
	srv.ks.LockAll()
	other.Abort()
	srv.ks.UnlockAll()
	other.Close()
	srv.startScheduledRewrite()
	srv.waitAOFRewrite()
	if got := readManifest(t, srv); got != "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n" {
		t.Fatalf("manifest after the rewrite: %q", got)
	}
}
