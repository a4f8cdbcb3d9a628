package server

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// persistServer builds a server saving into a fresh dir.
func persistServer(t *testing.T, extra ...string) (*Server, *testClient, string) {
	dir := t.TempDir()
	s := newTestServer(t, append([]string{"--dir", dir}, extra...)...)
	return s, s.testClient(t), dir
}

// fillAllTypes writes keys of every type, small and large, some with TTLs,
// in databases 0 and 2.
func fillAllTypes(c *testClient) {
	c.do("set str hello")
	c.do("set int 12345")
	c.do("set ttl v px 100000000")
	c.do("rpush list a b c")
	c.do("sadd intset 1 2 3")
	c.do("sadd set a b c")
	c.do("zadd zset 1 a 2 b")
	c.do("hset hash f v g w")
	c.do("xadd stream 1-1 f v")
	c.do("xgroup create stream g 0")
	c.do("xreadgroup group g alice streams stream >")
	for i := 0; i < 200; i++ {
		n := strconv.Itoa(i)
		c.do("rpush biglist " + strings.Repeat("x", 100) + n)
		c.do("sadd bigset m" + n)
		c.do("zadd bigzset " + n + " m" + n)
		c.do("hset bighash f" + n + " v" + n)
	}
	c.do("select 2")
	c.do("set other db2")
	c.do("select 0")
}

func TestSaveLastSaveInfo(t *testing.T) {
	s, c, dir := persistServer(t)
	fillAllTypes(c)
	if v := infoValue(t, c, "persistence", "rdb_changes_since_last_save"); v == "0" {
		t.Fatalf("rdb_changes_since_last_save %s after writes", v)
	}
	before := s.lastSave()
	s.persist.lastSave.Store(before - 10) // so that LASTSAVE visibly moves
	c.expect("save", "+OK\r\n")
	if _, err := os.Stat(filepath.Join(dir, "dump.rdb")); err != nil {
		t.Fatal(err)
	}
	if got := c.do("lastsave"); got != ":"+strconv.FormatInt(s.lastSave(), 10)+"\r\n" || s.lastSave() < before {
		t.Fatalf("LASTSAVE %q, last save %d, before %d", got, s.lastSave(), before)
	}
	for field, want := range map[string]string{
		"rdb_changes_since_last_save": "0", "rdb_saves": "1", "rdb_bgsave_in_progress": "0",
		"rdb_last_bgsave_status": "ok", "loading": "0", "aof_enabled": "0",
	} {
		if got := infoValue(t, c, "persistence", field); got != want {
			t.Errorf("%s: %s, want %s", field, got, want)
		}
	}
	// No temp file is left behind.
	if m, _ := filepath.Glob(filepath.Join(dir, "temp-*.rdb")); len(m) != 0 {
		t.Fatalf("temp files left: %v", m)
	}
	// The file loads into a fresh server with the same contents.
	digest := c.do("debug digest")
	s2 := newTestServer(t, "--dir", dir)
	if err := s2.LoadDataFile(); err != nil {
		t.Fatal(err)
	}
	c2 := s2.testClient(t)
	if got := c2.do("debug digest"); got != digest {
		t.Fatalf("digest after load %q, want %q", got, digest)
	}
	c2.expect("select 2", "+OK\r\n")
	c2.expect("get other", bulk("db2"))
	if got := infoValue(t, c2, "persistence", "rdb_last_load_keys_loaded"); got != "14" {
		t.Fatalf("rdb_last_load_keys_loaded %s", got)
	}
}

func TestBGSaveReplies(t *testing.T) {
	s, c, dir := persistServer(t)
	c.expect("bgsave foo", "-ERR syntax error\r\n")
	c.expect("bgsave schedule now", "-ERR syntax error\r\n")
	gate := make(chan struct{})
	bgsaveTestGate = gate
	defer func() { bgsaveTestGate = nil }()
	c.do("set k old")
	c.expect("bgsave", "+Background saving started\r\n")
	c.expect("bgsave", "-ERR Background save already in progress\r\n")
	c.expect("save", "-ERR Background save already in progress\r\n")
	if got := infoValue(t, c, "persistence", "rdb_bgsave_in_progress"); got != "1" {
		t.Fatalf("rdb_bgsave_in_progress %s", got)
	}
	// Writes after BGSAVE started are not in the file.
	c.do("set k new")
	c.do("set born later")
	close(gate)
	s.waitBGSave()
	bgsaveTestGate = nil
	if got := infoValue(t, c, "persistence", "rdb_last_bgsave_status"); got != "ok" {
		t.Fatalf("status %s", got)
	}
	if got := infoValue(t, c, "persistence", "rdb_changes_since_last_save"); got != "2" {
		t.Fatalf("rdb_changes_since_last_save %s, want the 2 writes made during the save", got)
	}
	s2 := newTestServer(t, "--dir", dir)
	if err := s2.LoadDataFile(); err != nil {
		t.Fatal(err)
	}
	c2 := s2.testClient(t)
	c2.expect("get k", bulk("old"))
	c2.expect("exists born", ":0\r\n")

	// Inside EXEC, BGSAVE is scheduled for the cron.
	c.expect("multi", "+OK\r\n")
	c.expect("bgsave", "+QUEUED\r\n")
	c.expect("exec", "*1\r\n+Background saving scheduled\r\n")
	s.persistCron()
	s.waitBGSave()
	if got := infoValue(t, c, "persistence", "rdb_saves"); got != "2" {
		t.Fatalf("rdb_saves %s after the scheduled save", got)
	}
}

// A failed background save refuses writes (and PING) with MISCONF until a
// save succeeds; reads go on.
func TestBGSaveErrorMisconf(t *testing.T) {
	s, c, dir := persistServer(t)
	c.do("set k v")
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	c.expect("bgsave", "+Background saving started\r\n")
	s.waitBGSave()
	if got := infoValue(t, c, "persistence", "rdb_last_bgsave_status"); got != "err" {
		t.Fatalf("status %s", got)
	}
	c.expect("set k w", "-"+errMisconf+"\r\n")
	c.expect("ping", "-"+errMisconf+"\r\n")
	c.expect("get k", bulk("v"))
	c.expect("config set stop-writes-on-bgsave-error no", "+OK\r\n")
	c.expect("set k w", "+OK\r\n")
	c.expect("config set stop-writes-on-bgsave-error yes", "+OK\r\n")
	c.expect("set k w", "-"+errMisconf+"\r\n")
	c.expect("save", "-ERR\r\n")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	c.expect("bgsave", "+Background saving started\r\n")
	s.waitBGSave()
	c.expect("set k x", "+OK\r\n")
	// Without save points there is nothing to protect.
	s2, c2, dir2 := persistServer(t, "--save", "")
	os.RemoveAll(dir2)
	c2.expect("bgsave", "+Background saving started\r\n")
	s2.waitBGSave()
	c2.expect("set k v", "+OK\r\n")
}

func TestSavePointsCron(t *testing.T) {
	s, c, dir := persistServer(t, "--save", "1 2")
	c.do("set a 1")
	s.persist.lastSave.Store(time.Now().Unix() - 5)
	s.persistCron()
	s.waitBGSave()
	if _, err := os.Stat(filepath.Join(dir, "dump.rdb")); err == nil {
		t.Fatal("saved after 1 change, the save point needs 2")
	}
	c.do("set b 2")
	s.persistCron()
	s.waitBGSave()
	if _, err := os.Stat(filepath.Join(dir, "dump.rdb")); err != nil {
		t.Fatalf("no save after 2 changes in more than 1 second: %v", err)
	}
	if got := infoValue(t, c, "persistence", "rdb_changes_since_last_save"); got != "0" {
		t.Fatalf("rdb_changes_since_last_save %s", got)
	}
}

// FLUSHALL with save points saves the empty dataset at once, as Redis 7.0.
func TestFlushAllSaves(t *testing.T) {
	s, c, dir := persistServer(t)
	c.do("set a 1")
	c.expect("save", "+OK\r\n")
	c.do("set b 2")
	c.expect("flushall", "+OK\r\n")
	if got := infoValue(t, c, "persistence", "rdb_changes_since_last_save"); got != "1" {
		t.Fatalf("rdb_changes_since_last_save %s, want 1", got)
	}
	s2 := newTestServer(t, "--dir", dir)
	if err := s2.LoadDataFile(); err != nil {
		t.Fatal(err)
	}
	if n := s2.ks.DB(0).Size(); n != 0 {
		t.Fatalf("%d keys in the file after FLUSHALL", n)
	}
	_ = s
	// Without save points FLUSHALL writes nothing.
	_, c3, dir3 := persistServer(t, "--save", "")
	c3.do("set a 1")
	c3.expect("flushall", "+OK\r\n")
	if _, err := os.Stat(filepath.Join(dir3, "dump.rdb")); err == nil {
		t.Fatal("FLUSHALL without save points wrote dump.rdb")
	}
}

func TestDebugReload(t *testing.T) {
	_, c, _ := persistServer(t)
	fillAllTypes(c)
	digest := c.do("debug digest")
	c.expect("debug reload", "+OK\r\n")
	if got := c.do("debug digest"); got != digest {
		t.Fatalf("digest after DEBUG RELOAD %q, want %q", got, digest)
	}
	// The TTL (100000 s when set) survives the reload, less the time spent.
	got := c.do("pttl ttl")
	ms, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(got, ":"), "\r\n"), 10, 64)
	if err != nil || ms <= 99_000_000 || ms > 100_000_000 {
		t.Fatalf("PTTL after DEBUG RELOAD = %q, want just under 100000000", got)
	}
	c.expect("debug reload bogus", "-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.\r\n")
	// NOSAVE reloads the file as it was: later writes are dropped.
	c.do("set later 1")
	c.expect("debug reload nosave", "+OK\r\n")
	c.expect("exists later", ":0\r\n")
}

// A corrupt file stops the start-up with an error instead of serving an
// empty or partial dataset; a missing file is an empty dataset.
func TestLoadDataFileErrors(t *testing.T) {
	dir := t.TempDir()
	s := newTestServer(t, "--dir", dir)
	if err := s.LoadDataFile(); err != nil {
		t.Fatalf("missing file: %v", err)
	}
	_, c, dir2 := persistServer(t)
	fillAllTypes(c)
	c.expect("save", "+OK\r\n")
	path := filepath.Join(dir2, "dump.rdb")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string][]byte{
		"truncated": data[:len(data)/2],
		"checksum":  append(append([]byte(nil), data[:len(data)-1]...), data[len(data)-1]^1),
		"version":   append([]byte("REDIS0099"), data[9:]...),
	} {
		if err := os.WriteFile(path, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		s := newTestServer(t, "--dir", dir2)
		if err := s.LoadDataFile(); err == nil {
			t.Errorf("%s file loaded without error", name)
		}
	}
}

func TestShutdownSaves(t *testing.T) {
	s, c, dir := persistServer(t)
	c.do("set k v")
	if !s.saveOnShutdown(false, false, false) {
		t.Fatal("save on shutdown failed")
	}
	if _, err := os.Stat(filepath.Join(dir, "dump.rdb")); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(dir)
	if s.saveOnShutdown(false, false, false) {
		t.Fatal("shutdown went on although the save failed")
	}
	if !s.saveOnShutdown(false, false, true) || !s.saveOnShutdown(false, true, false) {
		t.Fatal("FORCE / NOSAVE must let the shutdown go on")
	}
	c.expect("shutdown", "-ERR Errors trying to SHUTDOWN. Check logs.\r\n")
	_, c2, dir2 := persistServer(t, "--save", "")
	if sv := newTestServer(t, "--dir", dir2, "--save", ""); !sv.saveOnShutdown(false, false, false) {
		t.Fatal("no save points: nothing to save")
	}
	_ = c2
	if _, err := os.Stat(filepath.Join(dir2, "dump.rdb")); err == nil {
		t.Fatal("saved without save points")
	}
}

// The LFU counter and the idle time saved with a key come back on load, as
// Redis's objectSetLRUOrLFU applies them.
func TestReloadKeepsAccessStamps(t *testing.T) {
	s, c, _ := persistServer(t)
	c.expect("config set maxmemory-policy allkeys-lfu", "+OK\r\n")
	c.expect("set hot v", "+OK\r\n")
	c.entry("hot").Access = s.ks.SetFrequency(77)
	c.expect("debug reload", "+OK\r\n")
	c.expect("object freq hot", ":77\r\n")
	c.expect("config set maxmemory-policy allkeys-lru", "+OK\r\n")
	c.expect("set idle v", "+OK\r\n")
	c.entry("idle").Access = s.ks.IdleAccess(5000)
	c.expect("debug reload", "+OK\r\n")
	if got := c.do("object idletime idle"); len(got) != len(":5000\r\n") || got < ":5000\r\n" || got > ":5002\r\n" {
		t.Fatalf("OBJECT IDLETIME after reload: %q, want about 5000", got)
	}
}
