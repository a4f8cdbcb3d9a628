package server

// RDB persistence: SAVE, BGSAVE, LASTSAVE, save points, the save on
// SHUTDOWN and FLUSHALL, DEBUG RELOAD, INFO persistence, loading the file at
// start-up and refusing writes (MISCONF) after a failed background save.
//
// SAVE (and the SHUTDOWN / FLUSHALL / DEBUG RELOAD saves) run with every
// shard locked, like Redis's synchronous rdbSave that stops the server.
// BGSAVE opens a fork-less snapshot (persistence/snapshot) under LockAll and
// lets a goroutine write it while commands run. Files are written to
// temp-<pid>.rdb in dir, fsynced, renamed over dbfilename, and the directory
// fsynced: a crash never leaves a half file in place of a good one.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/persistence/rdb"
	"github.com/vireodb/vireo/persistence/snapshot"
)

// errMisconf is Redis 7.0's shared.bgsaveerr.
const errMisconf = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error."

// errBGSaveBusy is Redis's reply to BGSAVE while another child process
// runs; here, while another snapshot (an S3 backup) is being written.
const errBGSaveBusy = "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible."

// bgsaveTestGate, when set by a test, holds a starting BGSAVE's saver back
// until it is closed, so that the test can act while the save is running.
var bgsaveTestGate chan struct{}

// bgsaveRetryDelay is CONFIG_BGSAVE_RETRY_DELAY: after a failed background
// save, save points wait this long before trying again.
const bgsaveRetryDelay = 5 * time.Second

// persistState is the server's RDB bookkeeping.
type persistState struct {
	mu           sync.Mutex // guards the fields below up to lastTry
	bg           *snapshot.Snapshot
	bgStart      time.Time
	dirtyAtStart int64
	scheduled    bool
	lastTry      time.Time

	lastSave     atomic.Int64 // unix seconds of the last successful save
	lastBgsaveOK atomic.Bool
	lastBgSecs   atomic.Int64
	saves        atomic.Int64
	lastCow      atomic.Int64
	loading      atomic.Bool
	loadedKeys   atomic.Int64
	expiredKeys  atomic.Int64
	bgDone       chan struct{} // closed when the running BGSAVE ends (tests)
}

func (s *Server) initPersist() {
	s.persist.lastSave.Store(s.startTime.Unix())
	s.persist.lastBgsaveOK.Store(true)
	s.persist.lastBgSecs.Store(-1)
}

// lastSave is the unix time of the last successful save (the start time
// before any, as Redis).
func (s *Server) lastSave() int64 { return s.persist.lastSave.Load() }

// rdbPath is dir/dbfilename.
func (s *Server) rdbPath() string {
	st := s.cfg.Snapshot()
	return filepath.Join(st.Dir, st.DBFilename)
}

// snapshotOptions are the file options from the configuration, without
// the replication state: the AOF's base and the S3 backups, as Redis's AOF
// rewrite writes no replication AUX fields.
func (s *Server) snapshotOptions() snapshot.Options { return s.fileOptions(nil) }

// saveOptionsLocked are the options of an RDB save (SAVE, BGSAVE, the save
// points, the shutdown save, a replica's full sync): the file options with
// the replication state (replSaveInfoLocked), so that a restarted replica
// continues with a partial resync. The caller holds what lockForSave takes.
func (s *Server) saveOptionsLocked() snapshot.Options {
	return s.fileOptions(s.replSaveInfoLocked())
}

// lockForSave takes what a save needs for its data and its replication
// offset to agree: applyMu first (a replica applies each command of its
// primary's stream, then moves its offset, both under it; replication.go),
// then every shard lock.
func (s *Server) lockForSave() {
	s.repl.applyMu.Lock()
	s.ks.LockAll()
}

func (s *Server) unlockForSave() {
	s.ks.UnlockAll()
	s.repl.applyMu.Unlock()
}

func (s *Server) fileOptions(repl *rdb.ReplInfo) snapshot.Options {
	st := s.cfg.Snapshot()
	opt := snapshot.Options{
		Compress: st.RDBCompression,
		Checksum: st.RDBChecksum,
		Aux:      rdb.Aux(time.Now().Unix(), s.usedMemoryForEviction(), repl),
	}
	for _, lib := range s.functions().Libraries() {
		opt.Functions = append(opt.Functions, []byte(lib.Code))
	}
	policy, _ := keyspace.ParsePolicy(st.MaxmemoryPolicy)
	ks := s.ks
	switch policy {
	case keyspace.AllKeysLRU, keyspace.VolatileLRU:
		opt.Meta = func(e *keyspace.Entry) rdb.KeyMeta {
			return rdb.KeyMeta{Idle: max(ks.IdleSeconds(e.Access), 0), Freq: -1}
		}
	case keyspace.AllKeysLFU, keyspace.VolatileLFU:
		opt.Meta = func(e *keyspace.Entry) rdb.KeyMeta {
			return rdb.KeyMeta{Idle: -1, Freq: int(e.Access & 0xff)}
		}
	}
	return opt
}

// writeFileAtomic writes an RDB file through write into temp-<pid>.rdb in
// the file's directory, fsyncs it, renames it over path and fsyncs the
// directory. The temp file is removed on failure.
func writeFileAtomic(path string, write func(w io.Writer) error) error {
	dir := filepath.Dir(path)
	tmp := filepath.Join(dir, fmt.Sprintf("temp-%d.rdb", os.Getpid()))
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("server: failed opening the temp RDB file %s (in server root dir %s) for saving: %w", filepath.Base(tmp), dir, err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("server: write error saving DB on disk: %w", err)
	}
	syncDir(dir)
	return nil
}

// syncDir fsyncs a directory so that a rename into it survives a crash.
// Best effort, as Redis's fsyncFileDir: the file itself is already safe.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// saveLocked is Redis's rdbSave: it writes the whole keyspace now. The
// caller holds every shard lock, and applyMu (lockForSave) unless it runs
// on the master client, which holds it already.
func (s *Server) saveLocked() error {
	start := time.Now()
	opt := s.saveOptionsLocked()
	err := writeFileAtomic(s.rdbPath(), func(w io.Writer) error {
		_, err := snapshot.WriteLocked(s.ks, w, opt)
		return err
	})
	if err != nil {
		slog.Warn("Error saving DB on disk", "err", err)
		return err
	}
	s.dirty.Store(0)
	s.persist.lastSave.Store(time.Now().Unix())
	s.persist.lastBgsaveOK.Store(true)
	s.persist.saves.Add(1)
	slog.Info("DB saved on disk", "seconds", time.Since(start).Seconds())
	return nil
}

// snapshotRunningLocked reports whether a fork-less snapshot is open: a
// BGSAVE, an AOF rewrite, an S3 backup or a replica's full sync. Only one
// runs at a time (snapshot.BeginLocked). The caller holds every shard lock.
func (s *Server) snapshotRunningLocked() bool { return s.ks.Snapshot != nil }

// bgsaveInProgress reports whether a BGSAVE runs.
func (s *Server) bgsaveInProgress() bool {
	s.persist.mu.Lock()
	defer s.persist.mu.Unlock()
	return s.persist.bg != nil
}

// startBGSaveLocked starts a background save; the caller holds what
// lockForSave takes (the epoch is now).
func (s *Server) startBGSaveLocked() error {
	p := &s.persist
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lastTry = time.Now()
	snap, err := snapshot.BeginLocked(s.ks, s.saveOptionsLocked())
	if err != nil {
		return err
	}
	p.bg, p.bgStart, p.dirtyAtStart, p.scheduled = snap, time.Now(), s.dirty.Load(), false
	done := make(chan struct{})
	p.bgDone = done
	path := s.rdbPath()
	slog.Info("Background saving started")
	gate := bgsaveTestGate
	go func() {
		defer close(done)
		if gate != nil {
			<-gate
		}
		wrote := false
		err := writeFileAtomic(path, func(w io.Writer) error {
			wrote = true
			_, err := snap.WriteTo(w)
			return err
		})
		if !wrote {
			snap.Close() // the file could not be created: end the epoch
		}
		s.finishBGSave(snap, err)
	}()
	return nil
}

func (s *Server) finishBGSave(snap *snapshot.Snapshot, err error) {
	p := &s.persist
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bg == snap {
		p.bg = nil
	}
	p.lastBgSecs.Store(int64(time.Since(p.bgStart).Seconds()))
	p.lastCow.Store(snap.HookBytes())
	switch {
	case errors.Is(err, snapshot.ErrAborted):
		slog.Warn("Background saving terminated by FLUSHALL or SHUTDOWN")
	case err != nil:
		p.lastBgsaveOK.Store(false)
		slog.Warn("Background saving error", "err", err)
	default:
		s.dirty.Add(-p.dirtyAtStart)
		p.lastSave.Store(time.Now().Unix())
		p.lastBgsaveOK.Store(true)
		p.saves.Add(1)
		slog.Info("Background saving terminated with success")
	}
}

// abortBGSaveLocked stops a running BGSAVE (Redis's killRDBChild); the
// caller holds every shard lock.
func (s *Server) abortBGSaveLocked() {
	s.persist.mu.Lock()
	defer s.persist.mu.Unlock()
	if s.persist.bg != nil {
		s.persist.bg.Abort()
		s.persist.bg = nil
	}
}

// waitBGSave waits for the running BGSAVE, if any, to end (tests).
func (s *Server) waitBGSave() {
	s.persist.mu.Lock()
	done := s.persist.bgDone
	s.persist.mu.Unlock()
	if done != nil {
		<-done
	}
}

// writesDeniedByDiskError is writeCommandsDeniedByDiskError for RDB: save
// points are set, stop-writes-on-bgsave-error is on and the last background
// save failed.
func (s *Server) writesDeniedByDiskError() bool {
	if s.persist.lastBgsaveOK.Load() {
		return false
	}
	st := s.cfg.Snapshot()
	return st.StopWritesOnBgsaveError && len(st.Save) > 0
}

// diskErrorDenial is the MISCONF error writes get after a failed
// background save or while AOF writes fail, "" when writes are allowed.
func (s *Server) diskErrorDenial() string {
	if s.writesDeniedByDiskError() {
		return errMisconf
	}
	return s.aofWriteError() // aof.go
}

// persistCron is serverCron's part for RDB: a scheduled BGSAVE, or one for
// a save point that was reached.
func (s *Server) persistCron() {
	p := &s.persist
	p.mu.Lock()
	if p.bg != nil {
		p.mu.Unlock()
		return
	}
	retryOK := p.lastBgsaveOK.Load() || time.Since(p.lastTry) > bgsaveRetryDelay
	start := p.scheduled && retryOK
	p.mu.Unlock()
	if !start {
		dirty := s.dirty.Load()
		since := time.Now().Unix() - p.lastSave.Load()
		for _, sp := range s.cfg.Snapshot().Save {
			if dirty >= int64(sp.Changes) && since > sp.Seconds && retryOK {
				slog.Info(fmt.Sprintf("%d changes in %d seconds. Saving...", sp.Changes, sp.Seconds))
				start = true
				break
			}
		}
	}
	if !start {
		return
	}
	s.lockForSave()
	err := s.startBGSaveLocked()
	s.unlockForSave()
	if err != nil && !errors.Is(err, snapshot.ErrInProgress) {
		slog.Warn("Can't start a background save", "err", err)
	}
}

// SAVE
func cmdSave(c *Ctx, args [][]byte) {
	if c.srv.bgsaveInProgress() {
		c.Error("ERR Background save already in progress")
		return
	}
	// Lock: LockNone in the table, so that applyMu comes before the shard
	// locks (lockForSave).
	c.srv.lockForSave()
	defer c.srv.unlockForSave()
	if err := c.srv.saveLocked(); err != nil {
		c.Error("ERR")
		return
	}
	c.OK()
}

// BGSAVE [SCHEDULE]
func cmdBGSave(c *Ctx, args [][]byte) {
	schedule := false
	if len(args) > 1 {
		if len(args) > 2 || !eq(args[1], "schedule") {
			c.Error(ErrSyntax)
			return
		}
		schedule = true
	}
	srv := c.srv
	if srv.bgsaveInProgress() {
		c.Error("ERR Background save already in progress")
		return
	}
	if srv.aofRewriting() { // aof.go
		if schedule {
			srv.scheduleBGSave(c)
			return
		}
		c.Error("ERR An AOF log rewriting in progress: can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.")
		return
	}
	if c.multi != nil && c.multi.executing {
		// Redis schedules a BGSAVE issued inside EXEC for the next cron.
		srv.scheduleBGSave(c)
		return
	}
	// Lock: LockNone in the table: lockForSave takes applyMu first.
	srv.lockForSave()
	err := srv.startBGSaveLocked()
	srv.unlockForSave()
	switch {
	case errors.Is(err, snapshot.ErrInProgress) && schedule:
		// Another snapshot (an S3 backup, a replica's full sync) runs:
		// Redis's "another child".
		srv.scheduleBGSave(c)
	case errors.Is(err, snapshot.ErrInProgress):
		c.Error(errBGSaveBusy)
	case err != nil:
		c.Error("ERR")
	default:
		c.Simple("Background saving started")
	}
}

// scheduleBGSave leaves the BGSAVE to the cron (persistCron), which starts
// it as soon as nothing else runs, and tells the client so.
func (s *Server) scheduleBGSave(c *Ctx) {
	s.persist.mu.Lock()
	s.persist.scheduled = true
	s.persist.mu.Unlock()
	c.Simple("Background saving scheduled")
}

// saveOnShutdown is prepareForShutdown's save: with save points set (or
// SAVE given) and not NOSAVE, a running BGSAVE is stopped and the dataset
// saved synchronously. It reports whether the shutdown may go on.
func (s *Server) saveOnShutdown(save, noSave, force bool) bool {
	if noSave || (!save && len(s.cfg.Snapshot().Save) == 0) {
		return true
	}
	s.lockForSave()
	defer s.unlockForSave()
	s.abortBGSaveLocked()
	slog.Info("Saving the final RDB snapshot before exiting.")
	if err := s.saveLocked(); err != nil {
		if force {
			slog.Warn("Error trying to save the DB. Exit anyway.")
			return true
		}
		slog.Warn("Error trying to save the DB, can't exit.")
		return false
	}
	return true
}

// Shutdown saves as SHUTDOWN without arguments does (on SIGTERM/SIGINT)
// and closes the server. When that save fails it returns false and the
// server keeps running, as Redis does: exiting would lose the data.
func (s *Server) Shutdown() bool {
	if !s.saveOnShutdown(false, false, false) {
		return false
	}
	s.Close()
	return true
}

// flushAllPersist is FLUSHALL's persistence part (flushAllDataAndResetRDB):
// a running BGSAVE is stopped and, with save points set, an empty dataset
// is saved at once. The caller holds every shard lock and has flushed.
// After the save Redis's dirty counter holds only FLUSHALL's own change,
// which the caller adds next.
func (s *Server) flushAllPersist(c *Ctx) {
	s.abortBGSaveLocked()
	if len(s.cfg.Snapshot().Save) > 0 && s.saveLocked() == nil {
		s.dirty.Add(-int64(c.dirty)) // the flushed keys, counted when the command ends
	}
}

// debugReload is DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save, empty the
// keyspace, load the file back.
func debugReload(c *Ctx, opts [][]byte) {
	merge, noFlush, noSave := false, false, false
	for _, o := range opts {
		switch {
		case eq(o, "merge"):
			merge = true
		case eq(o, "noflush"):
			noFlush = true
		case eq(o, "nosave"):
			noSave = true
		default:
			c.Error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.")
			return
		}
	}
	srv := c.srv
	if !c.allLocked {
		srv.lockForSave()
		defer srv.unlockForSave()
	}
	if !noSave {
		if err := srv.saveLocked(); err != nil {
			c.Error("ERR Error trying to save the DB")
			return
		}
	}
	if !noFlush {
		for i := 0; i < srv.ks.NumDBs(); i++ {
			srv.ks.DB(i).FlushLocked()
		}
	}
	if _, err := srv.loadLocked(merge, nil); err != nil {
		slog.Warn("Error loading the RDB file", "err", err)
		c.Error("ERR Error trying to load the RDB dump, check server logs.")
		return
	}
	slog.Warn("DB reloaded by DEBUG RELOAD")
	c.OK()
}

// LoadDataFile loads dir/dbfilename into the keyspace at start-up, before
// Start. A missing file is no error (an empty dataset); a corrupt or
// unreadable one is: the caller must not serve without the data.
func (s *Server) LoadDataFile() error {
	if s.cfg.Snapshot().AppendOnly {
		return s.loadAOFAtStart() // aof.go
	}
	s.ks.LockAll()
	defer s.ks.UnlockAll()
	if s.cfg.Snapshot().ReplicaOfHost != "" {
		// A replica keeps the keys whose TTL passed until its primary's
		// DEL, from the start (rdbLoad's iAmMaster test).
		s.ks.SetReplica(true)
	}
	start := time.Now()
	var boot startupLoad
	n, err := s.loadLocked(false, &boot)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	slog.Info("DB loaded from disk", "seconds", fmt.Sprintf("%.3f", time.Since(start).Seconds()),
		"keys", n, "expired_skipped", s.persist.expiredKeys.Load())
	if ri, ok := boot.repl.Info(); ok {
		s.restoreReplicationLocked(ri, boot.expired) // replication.go
	}
	return nil
}

// startupLoad is what start-up takes from the RDB file besides the keys:
// the replication state saved with them, and the keys skipped as expired,
// whose DELs a primary that continues its saved history owes its replicas.
type startupLoad struct {
	repl    rdb.ReplInfoReader
	expired []expiredKey
}

type expiredKey struct {
	db  int
	key []byte
}

// loadLocked reads dir/dbfilename into the keyspace (Redis's rdbLoad); the
// caller holds every shard lock. Keys whose TTL has passed are skipped, as
// a primary does. A key already present is an error unless merge is set,
// when the file's version replaces it. boot, at start-up only, collects the
// replication state saved in the file and the expired keys skipped. It
// returns the keys loaded.
func (s *Server) loadLocked(merge bool, boot *startupLoad) (int64, error) {
	f, err := os.Open(s.rdbPath())
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return s.loadRDBLocked(f, s.rdbPath(), merge, boot)
}

// loadRDBLocked is loadLocked's reading of one RDB stream r named name
// (dump.rdb, or an AOF's RDB preamble, where r is left just after it).
func (s *Server) loadRDBLocked(r io.Reader, name string, merge bool, boot *startupLoad) (int64, error) {
	var err error
	p := &s.persist
	p.loading.Store(true)
	defer p.loading.Store(false)
	st := s.cfg.Snapshot()
	now := time.Now().UnixMilli()
	var loaded, expired int64
	var libraries []string // function libraries (FUNCTION2), restored after the keys
	_, err = rdb.Load(r, rdb.LoadOptions{
		Limits:       *s.Limits(),
		Databases:    s.ks.NumDBs(),
		SkipChecksum: !st.RDBChecksum,
		OnAux: func(key, value []byte) error {
			if boot != nil {
				return boot.repl.Observe(key, value)
			}
			return nil
		},
		OnFunction: func(code []byte) error {
			libraries = append(libraries, string(code))
			return nil
		},
	}, func(k *rdb.LoadedKey) error {
		// A primary skips expired keys; a replica keeps them until its
		// primary's DEL, as Redis's rdbLoad does.
		if k.Entry.Expire != 0 && k.Entry.Expire <= now && !s.ks.IsReplica() {
			expired++
			if boot != nil {
				boot.expired = append(boot.expired, expiredKey{k.DB, bytes.Clone(k.Key)})
			}
			return nil
		}
		db := s.ks.DB(k.DB)
		if !merge && db.LookupNoTouch(k.Key, 0) != nil {
			return fmt.Errorf("server: RDB has duplicated key '%s' in DB %d", k.Key, k.DB)
		}
		// The LRU/LFU stamps saved with the key (Redis's objectSetLRUOrLFU
		// under the current policy's kind).
		lfu := s.lfuPolicy()
		switch {
		case lfu && k.Meta.Freq >= 0:
			k.Entry.Access = s.ks.SetFrequency(k.Meta.Freq)
		case !lfu && k.Meta.Idle >= 0:
			k.Entry.Access = s.ks.IdleAccess(k.Meta.Idle)
		}
		db.Put(k.Key, k.Entry)
		loaded++
		return nil
	})
	p.loadedKeys.Store(loaded)
	p.expiredKeys.Store(expired)
	if err != nil {
		return loaded, fmt.Errorf("server: loading %s: %w", name, err)
	}
	if len(libraries) > 0 {
		// REPLACE: a reload (DEBUG RELOAD) finds the same libraries loaded.
		if err := s.functions().Restore(libraries, "REPLACE"); err != nil {
			return loaded, fmt.Errorf("server: loading %s: function library: %w", name, err)
		}
	}
	return loaded, nil
}

func (s *Server) infoPersistence(w *infoWriter) {
	p := &s.persist
	p.mu.Lock()
	bg, bgStart := p.bg != nil, p.bgStart
	p.mu.Unlock()
	w.flag("loading", p.loading.Load())
	w.str("async_loading", "0")
	w.str("current_cow_peak", "0")
	w.str("current_cow_size", "0")
	w.str("current_cow_size_age", "0")
	w.str("current_fork_perc", "0.00")
	w.str("current_save_keys_processed", "0")
	w.str("current_save_keys_total", "0")
	w.int("rdb_changes_since_last_save", s.dirty.Load())
	w.flag("rdb_bgsave_in_progress", bg)
	w.int("rdb_last_save_time", s.lastSave())
	w.status("rdb_last_bgsave_status", p.lastBgsaveOK.Load())
	w.int("rdb_last_bgsave_time_sec", p.lastBgSecs.Load())
	if bg {
		w.int("rdb_current_bgsave_time_sec", int64(time.Since(bgStart).Seconds()))
	} else {
		w.str("rdb_current_bgsave_time_sec", "-1")
	}
	w.int("rdb_saves", p.saves.Load())
	w.int("rdb_last_cow_size", p.lastCow.Load())
	w.int("rdb_last_load_keys_expired", p.expiredKeys.Load())
	w.int("rdb_last_load_keys_loaded", p.loadedKeys.Load())
	s.infoAOF(w) // aof.go
}

func registerPersistCommands(t *Table) {
	t.Add(
		&Command{Name: "save", Arity: 1, Flags: FlagAdmin | FlagNoScript | FlagNoMulti, ACL: []string{"slow", "dangerous"}, Group: "server", Since: "1.0.0",
			Summary: "Synchronously saves the database(s) to disk.", Complexity: "O(N) where N is the total number of keys in all databases",
			Lock: LockNone, Handler: cmdSave},
		&Command{Name: "bgsave", Arity: -1, Flags: FlagAdmin | FlagNoScript, ACL: []string{"slow", "dangerous"}, Group: "server", Since: "1.0.0",
			Summary: "Asynchronously saves the database(s) to disk.", Usage: "[SCHEDULE]", Complexity: "O(1)",
			Lock: LockNone, Handler: cmdBGSave},
	)
}

func init() { familyRegistrars = append(familyRegistrars, registerPersistCommands) }
