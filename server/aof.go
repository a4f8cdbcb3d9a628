package server

// AOF persistence (Redis 7 multi-part AOF, persistence/aof): loading at
// start-up, the writer attached to the propagation stream, BGREWRITEAOF,
// CONFIG SET appendonly/appendfsync, the automatic rewrite in the cron,
// INFO persistence's aof_* fields and the MISCONF refusal after a failed
// write.
//
// Locking: aofState.mu guards the directory, the writer and the rewrite
// bookkeeping. Starting a rewrite and switching to a new incremental file
// happen with every shard lock held (LockAll, then aofState.mu), so no
// effect falls between the old file's end and the new one's start, and the
// base snapshot's epoch is that same instant. A rewrite's saver runs on its
// own goroutine and commits the new manifest under aofState.mu only.
//
// appendfsync always: conn.go's flush asks the writer (aofState.always,
// nil under the other policies or with the AOF off: one atomic load) to
// wait until every byte it accepted is fsynced before replies go out, as
// Redis's beforeSleep fsyncs before it writes replies. The writer fsyncs
// once for everything buffered meanwhile (group commit).

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/vireodb/vireo/persistence/aof"
	"github.com/vireodb/vireo/persistence/snapshot"
)

// aofState is the server's AOF bookkeeping.
type aofState struct {
	mu          sync.Mutex
	dir         *aof.Dir
	w           *aof.Writer
	on          bool // appendonly: Redis's aof_state != AOF_OFF
	waitRewrite bool // AOF_WAIT_REWRITE: turned on, first base not written yet
	scheduled   bool // a rewrite waits for a BGSAVE or an EXEC to end

	rewriting    *snapshot.Snapshot // the running rewrite's snapshot
	rewriteStart time.Time
	rewriteDone  chan struct{} // closed when the running rewrite ends (tests)

	lastRewriteSecs int64
	lastRewriteOK   bool
	rewrites        int64
	failures        int64 // consecutive failed rewrites
	rewriteBaseSize int64 // aof_rewrite_base_size: the size after the last rewrite or load

	// cur is the writer while the AOF is on (the MISCONF check reads it);
	// always is the same writer while appendfsync is always (conn.go).
	cur    atomic.Pointer[aof.Writer]
	always atomic.Pointer[aof.Writer]
}

// aofRewriteTestGate, when set by a test, holds a rewrite's saver back
// until it is closed.
var aofRewriteTestGate chan struct{}

func (s *Server) initAOF() {
	a := &s.aof
	a.lastRewriteSecs = -1
	a.lastRewriteOK = true
	s.cfg.OnApply(s.applyAppendOnly, "appendonly")
	s.cfg.OnChange("appendfsync", s.applyAppendFsync)
}

// aofDirPath is dir/appenddirname.
func (s *Server) aofDirPath() string {
	st := s.cfg.Snapshot()
	return filepath.Join(st.Dir, st.AppendDirname)
}

func (s *Server) fsyncPolicy() aof.Policy {
	p, err := aof.ParsePolicy(s.cfg.Snapshot().AppendFsync)
	if err != nil {
		return aof.FsyncEverysec
	}
	return p
}

// setWriterLocked installs w as the current writer (nil: none).
func (s *Server) setWriterLocked(w *aof.Writer) {
	a := &s.aof
	a.w = w
	a.cur.Store(w)
	if w != nil && s.fsyncPolicy() == aof.FsyncAlways {
		a.always.Store(w)
	} else {
		a.always.Store(nil)
	}
}

// loadAOFAtStart is start-up with appendonly yes (loadDataFromDisk,
// aofOpenIfNeededOnServerStart, aofDelHistoryFiles): upgrade a Redis 6
// single file, replay the files the manifest names, create the base and
// an incremental file if there are none, and attach the writer. As Redis
// 7.0 does, an RDB file is not read when the AOF is on.
func (s *Server) loadAOFAtStart() error {
	st := s.cfg.Snapshot()
	d, err := aof.OpenDir(s.aofDirPath(), st.AppendFilename)
	if err != nil {
		return err
	}
	a := &s.aof
	a.mu.Lock()
	defer a.mu.Unlock()
	a.dir = d
	legacy := filepath.Join(st.Dir, st.AppendFilename)
	if fi, err := os.Stat(legacy); err == nil && fi.Mode().IsRegular() && d.Empty() {
		if err := d.UpgradeLegacy(legacy); err != nil {
			return err
		}
		slog.Info("Successfully migrated an old-style AOF into the AOF directory", "file", st.AppendFilename, "dir", st.AppendDirname)
	}
	if !d.Empty() {
		start := time.Now()
		res, err := s.replayAOF(d, st.AOFLoadTruncated)
		if err != nil {
			return err
		}
		slog.Info("DB loaded from append only file", "seconds", fmt.Sprintf("%.3f", time.Since(start).Seconds()), "commands", res.Commands)
	}
	s.ks.LockAll()
	defer s.ks.UnlockAll()
	if d.Empty() {
		// Start with an empty base, as Redis does for an empty dataset.
		slog.Info("Creating AOF base file on server start")
		tmp, _, err := d.WriteTempBase(func(w io.Writer) error {
			_, err := snapshot.WriteLocked(s.ks, w, s.snapshotOptions())
			return err
		})
		if err == nil {
			err = d.CommitBase(tmp, true, false)
		}
		if err != nil {
			return err
		}
	}
	var f *os.File
	var size int64
	if d.Manifest.LastIncr() == nil {
		slog.Info("Creating AOF incr file on server start")
		var m *aof.Manifest
		f, m, err = d.CreateIncr()
		if err == nil {
			if err = d.Install(m); err != nil {
				f.Close()
			}
		}
	} else {
		f, size, err = d.OpenLastIncr()
	}
	if err != nil {
		return err
	}
	if err := d.DeleteHistory(); err != nil {
		slog.Warn("Can't delete the AOF history files", "err", err)
	}
	_, total := d.Sizes()
	a.rewriteBaseSize = total
	a.on = true
	w := aof.NewWriter(f, size, s.fsyncPolicy(), nil)
	s.setWriterLocked(w)
	s.ks.Stream.AddSink(w)
	return nil
}

// replayAOF loads d's files: RDB preambles as the RDB loader does, commands
// through the dispatcher on a client of its own (Redis's fake client),
// nothing propagated (the stream has no consumer yet) and no replies kept.
func (s *Server) replayAOF(d *aof.Dir, truncated bool) (aof.LoadResult, error) {
	p := &s.persist
	p.loading.Store(true)
	defer p.loading.Store(false)
	fc := &Ctx{srv: s, id: -1, addr: "aof", proto: 2, authenticated: true}
	fc.user.Store(s.acl.internal) // acl.go: no permission checks
	fc.selectDB(0)
	var curFile string
	opt := aof.LoadOptions{
		Dir: d.Path, Filename: d.Filename, Truncated: truncated,
		BeginFile: func(name string) {
			// Each file is read by a new client, starting in db 0.
			curFile = name
			fc.multi = nil
			fc.selectDB(0)
		},
		RDB: func(r *bufio.Reader, name string) error {
			s.ks.LockAll()
			defer s.ks.UnlockAll()
			_, err := s.loadRDBLocked(r, name, false, nil)
			return err
		},
		Exec: func(argv [][]byte) error {
			if fc.lookupCommand(argv[0]) == nil {
				return fmt.Errorf("server: Unknown command '%s' reading the append only file %s", argv[0], curFile)
			}
			fc.out = fc.out[:0]
			fc.clock = time.Now()
			fc.execute(argv)
			return nil
		},
	}
	res, err := aof.Load(opt)
	s.dirty.Store(0)
	return res, err
}

// aofRewriting reports whether a rewrite runs.
func (s *Server) aofRewriting() bool {
	s.aof.mu.Lock()
	defer s.aof.mu.Unlock()
	return s.aof.rewriting != nil
}

// startRewriteLocked is rewriteAppendOnlyFileBackground: with the AOF on, a
// new incremental file takes the writes from now on; the new base is the
// snapshot of now, written by a goroutine. The caller holds every shard
// lock.
func (s *Server) startRewriteLocked() error {
	a := &s.aof
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.rewriting != nil {
		return snapshot.ErrInProgress
	}
	if s.snapshotRunningLocked() {
		// Checked before the new increment is created: a rewrite that
		// waits must not leave a file behind on every try.
		return snapshot.ErrInProgress
	}
	st := s.cfg.Snapshot()
	if a.dir == nil {
		d, err := aof.OpenDir(s.aofDirPath(), st.AppendFilename)
		if err != nil {
			return err
		}
		a.dir = d
	}
	d := a.dir
	if a.on {
		f, m, err := d.CreateIncr()
		if err != nil {
			return err
		}
		if a.waitRewrite {
			d.Manifest = m // named on disk once the first base exists
		} else if err := d.Install(m); err != nil {
			f.Close()
			return err
		}
		if a.w == nil {
			w := aof.NewWriter(f, 0, s.fsyncPolicy(), nil)
			s.setWriterLocked(w)
			s.ks.Stream.AddSink(w)
		} else {
			if err := a.w.Switch(f); err != nil {
				return err
			}
			s.ks.Stream.ResetDB()
		}
	}
	snap, err := snapshot.BeginLocked(s.ks, s.snapshotOptions())
	if err != nil {
		return err
	}
	done := make(chan struct{})
	a.rewriting, a.rewriteStart, a.rewriteDone, a.scheduled = snap, time.Now(), done, false
	slog.Info("Background append only file rewriting started")
	gate := aofRewriteTestGate
	go func() {
		defer close(done)
		if gate != nil {
			<-gate
		}
		wrote := false
		tmp, size, err := d.WriteTempBase(func(w io.Writer) error {
			wrote = true
			_, err := snap.WriteTo(w)
			return err
		})
		if !wrote {
			snap.Close()
		}
		s.finishRewrite(snap, d, tmp, size, err)
	}()
	return nil
}

// finishRewrite is backgroundRewriteDoneHandler.
func (s *Server) finishRewrite(snap *snapshot.Snapshot, d *aof.Dir, tmp string, size int64, err error) {
	a := &s.aof
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.rewriting != snap || a.dir != d {
		// Stopped meanwhile (CONFIG SET appendonly no): drop the result.
		if err == nil {
			os.Remove(tmp)
		}
		return
	}
	a.rewriting = nil
	a.lastRewriteSecs = int64(time.Since(a.rewriteStart).Seconds())
	if err == nil {
		err = d.CommitBase(tmp, true, a.on)
	}
	if err != nil {
		a.lastRewriteOK = false
		a.failures++
		slog.Warn("Background AOF rewrite failed", "err", err)
		if a.waitRewrite {
			a.scheduled = true // retried by the cron, as Redis keeps trying
		}
		return
	}
	a.lastRewriteOK = true
	a.failures = 0
	a.rewrites++
	a.waitRewrite = false
	_, total := d.Sizes()
	a.rewriteBaseSize = total
	_ = size
	slog.Info("Background AOF rewrite terminated with success")
	slog.Info("Background AOF rewrite finished successfully")
}

// restartAOFAfterSyncLocked is Redis's restartAOFAfterSYNC: a replica
// that replaced its dataset with its primary's starts its AOF over from a
// base of the new data. Until that base is committed the files on disk,
// manifest included, still describe the old dataset, never a mix of both;
// a rewrite of the old data still running is dropped. The caller holds
// every shard lock.
func (s *Server) restartAOFAfterSyncLocked() {
	a := &s.aof
	a.mu.Lock()
	if !a.on {
		a.mu.Unlock()
		return
	}
	if a.rewriting != nil {
		a.rewriting.Abort()
		a.rewriting = nil
	}
	a.waitRewrite, a.scheduled = true, true
	a.mu.Unlock()
	if err := s.startRewriteLocked(); err != nil {
		// Still scheduled: the cron tries again.
		slog.Warn("Can't start the AOF rewrite after the sync with the primary", "err", err)
	}
}

// waitAOFRewrite waits for the running rewrite, if any, to end (tests).
func (s *Server) waitAOFRewrite() {
	s.aof.mu.Lock()
	done := s.aof.rewriteDone
	s.aof.mu.Unlock()
	if done != nil {
		<-done
	}
}

// applyAppendOnly is CONFIG SET appendonly. Turning it on marks the AOF
// waiting for its first base and starts the rewrite that writes it (on a
// goroutine: the CONFIG SET may run inside EXEC, holding every lock);
// turning it off closes the writer and drops a running rewrite.
func (s *Server) applyAppendOnly() error {
	on := s.cfg.Snapshot().AppendOnly
	a := &s.aof
	a.mu.Lock()
	if on == a.on {
		a.mu.Unlock()
		return nil
	}
	if on {
		if err := os.MkdirAll(s.aofDirPath(), 0o755); err != nil {
			a.mu.Unlock()
			slog.Warn("Unable to turn on AOF", "err", err)
			return fmt.Errorf("Unable to turn on AOF. Check server logs.")
		}
		a.on, a.waitRewrite, a.scheduled = true, true, true
		if a.rewriting != nil {
			// A rewrite started with the AOF off has no increment: start
			// over, as Redis kills it.
			slog.Warn("AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.")
			a.rewriting = nil
		}
		a.mu.Unlock()
		go s.startScheduledRewrite()
		return nil
	}
	w := a.w
	a.on, a.waitRewrite, a.scheduled = false, false, false
	a.rewriting = nil // its result is dropped
	s.setWriterLocked(nil)
	a.mu.Unlock()
	if w != nil {
		s.ks.Stream.RemoveSink(w)
		if err := w.Close(); err != nil {
			slog.Warn("Error closing the AOF file", "err", err)
		}
	}
	return nil
}

// applyAppendFsync is CONFIG SET appendfsync.
func (s *Server) applyAppendFsync() {
	a := &s.aof
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.w != nil {
		a.w.SetPolicy(s.fsyncPolicy())
	}
	s.setWriterLocked(a.w)
}

// startScheduledRewrite starts a scheduled rewrite if nothing else runs.
func (s *Server) startScheduledRewrite() {
	a := &s.aof
	a.mu.Lock()
	go_ := a.scheduled && a.rewriting == nil
	a.mu.Unlock()
	if !go_ || s.ks.SnapshotOpen() { // a BGSAVE, backup or full sync runs
		return
	}
	s.ks.LockAll()
	err := s.startRewriteLocked()
	s.ks.UnlockAll()
	if err != nil && !errors.Is(err, snapshot.ErrInProgress) {
		slog.Warn("Can't start the scheduled AOF rewrite", "err", err)
		a.mu.Lock()
		a.lastRewriteOK = false
		a.failures++
		a.mu.Unlock()
	}
}

// aofCron is serverCron's part for the AOF: a scheduled rewrite, or an
// automatic one when the files grew by auto-aof-rewrite-percentage over
// their size after the last rewrite.
func (s *Server) aofCron() {
	a := &s.aof
	a.mu.Lock()
	scheduled := a.scheduled && a.rewriting == nil
	auto := false
	if a.on && !a.waitRewrite && a.rewriting == nil && a.dir != nil {
		st := s.cfg.Snapshot()
		if perc := int64(st.AutoAOFRewritePercentage); perc > 0 {
			_, total := a.dir.Sizes()
			if total > st.AutoAOFRewriteMinSize {
				base := max(a.rewriteBaseSize, 1)
				if growth := total*100/base - 100; growth >= perc {
					slog.Info(fmt.Sprintf("Starting automatic rewriting of AOF on %d%% growth", growth))
					a.scheduled, auto = true, true
				}
			}
		}
	}
	a.mu.Unlock()
	if scheduled || auto {
		s.startScheduledRewrite()
	}
}

// closeAOF writes and fsyncs what is buffered and closes the file (SHUTDOWN).
func (s *Server) closeAOF() {
	a := &s.aof
	a.mu.Lock()
	w := a.w
	s.setWriterLocked(nil)
	a.on = false
	a.mu.Unlock()
	if w != nil {
		s.ks.Stream.RemoveSink(w)
		if err := w.Close(); err != nil {
			slog.Warn("Error closing the AOF file", "err", err)
		}
	}
}

// aofWriteError is the MISCONF text while AOF writes fail (Redis's
// writeCommandsDeniedByDiskError, DISK_ERROR_TYPE_AOF), "" otherwise.
func (s *Server) aofWriteError() string {
	w := s.aof.cur.Load()
	if w == nil {
		return ""
	}
	err := w.Err()
	if err == nil {
		return ""
	}
	return "MISCONF Errors writing to the AOF file: " + strerror(err)
}

// strerror renders an I/O error as C's strerror does ("No space left on
// device").
func strerror(err error) string {
	var errno syscall.Errno
	msg := err.Error()
	if errors.As(err, &errno) {
		msg = errno.Error()
	}
	if msg != "" {
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	}
	return msg
}

// BGREWRITEAOF
func cmdBGRewriteAOF(c *Ctx, args [][]byte) {
	srv := c.srv
	if srv.aofRewriting() {
		c.Error("ERR Background append only file rewriting already in progress")
		return
	}
	if srv.snapshotRunningLocked() || (c.multi != nil && c.multi.executing) {
		srv.aof.mu.Lock()
		srv.aof.scheduled = true
		srv.aof.mu.Unlock()
		c.Simple("Background append only file rewriting scheduled")
		return
	}
	if err := srv.startRewriteLocked(); err != nil {
		slog.Warn("Can't rewrite append only file in background", "err", err)
		c.Error("ERR Can't execute an AOF background rewriting. Please check the server logs for more information.")
		return
	}
	c.Simple("Background append only file rewriting started")
}

// infoAOF writes INFO persistence's aof_* fields (Redis 7.0's order).
func (s *Server) infoAOF(w *infoWriter) {
	a := &s.aof
	a.mu.Lock()
	on, rewriting, start := a.on, a.rewriting != nil, a.rewriteStart
	scheduled, lastSecs, lastOK, rewrites, failures := a.scheduled, a.lastRewriteSecs, a.lastRewriteOK, a.rewrites, a.failures
	wr, d := a.w, a.dir
	a.mu.Unlock()
	w.flag("aof_enabled", on)
	w.flag("aof_rewrite_in_progress", rewriting)
	w.flag("aof_rewrite_scheduled", scheduled)
	w.int("aof_last_rewrite_time_sec", lastSecs)
	if rewriting {
		w.int("aof_current_rewrite_time_sec", int64(time.Since(start).Seconds()))
	} else {
		w.str("aof_current_rewrite_time_sec", "-1")
	}
	w.status("aof_last_bgrewrite_status", lastOK)
	w.int("aof_rewrites", rewrites)
	w.int("aof_rewrites_consecutive_failures", failures)
	w.status("aof_last_write_status", wr == nil || wr.Err() == nil)
	w.str("aof_last_cow_size", "0")
	w.str("module_fork_in_progress", "0")
	w.str("module_fork_last_cow_size", "0")
	if !on {
		return
	}
	var base, total, buffered int64
	if d != nil {
		a.mu.Lock()
		base, total = d.Sizes()
		a.mu.Unlock()
	}
	if wr != nil {
		buffered = wr.BufferLen()
	}
	w.int("aof_current_size", total+buffered)
	w.int("aof_base_size", base)
	w.flag("aof_pending_rewrite", scheduled)
	w.int("aof_buffer_length", buffered)
	w.str("aof_pending_bio_fsync", "0")
	w.str("aof_delayed_fsync", "0")
}

// WAITAOF numlocal numreplicas timeout (Redis 7.2): waits until the
// client's writes are fsynced to this server's AOF (numlocal, 0 or 1) and
// to the AOFs of numreplicas replicas, which report how far theirs is
// fsynced in REPLCONF ACK ... FACK <offset> (replication_fack.go); then,
// or when the timeout passes, it replies [local, replicas] with what was
// reached. For the replicas the target is the client's write offset
// (c.woff); locally it is everything the AOF had accepted at the call,
// which covers the client's writes.
func cmdWaitAOF(c *Ctx, args [][]byte) {
	numLocal, ok := parseInt(args[1])
	if !ok {
		c.Error(ErrNotInteger)
		return
	}
	if numLocal < 0 || numLocal > 1 {
		c.Error("ERR value is out of range, value must between 0 and 1")
		return
	}
	numReplicas, ok := parseInt(args[2])
	if !ok {
		c.Error(ErrNotInteger)
		return
	}
	if numReplicas < 0 {
		c.Error("ERR value is out of range, must be positive")
		return
	}
	timeout, ok := c.parseTimeoutMS(args[3])
	if !ok {
		return
	}
	s := c.srv
	if s.repl.isReplica.Load() {
		c.Error(errWaitAOFOnReplica) // replication.go
		return
	}
	w := s.aof.cur.Load()
	if numLocal > 0 && w == nil {
		c.Error(errWaitAOFNoAOF)
		return
	}
	var localTarget int64
	if w != nil {
		localTarget = w.Received()
	}
	target := c.woff
	local := func() int64 {
		if w != nil && w.Synced() >= localTarget {
			return 1
		}
		return 0
	}
	replicas := func() int64 { return int64(s.replicasFsynced(target)) }
	reply := func() {
		c.Array(2)
		c.Int(local())
		c.Int(replicas())
	}
	if (local() >= numLocal && replicas() >= numReplicas) || (c.multi != nil && c.multi.executing) {
		reply()
		return
	}
	if numReplicas > 0 {
		s.requestAcks()
	}
	var fsynced chan struct{}
	if numLocal > 0 {
		fsynced = make(chan struct{})
		go func() {
			w.WaitDurable(localTarget) // returns on error and on close too
			close(fsynced)
		}()
	}
	var expire <-chan time.Time
	if timeout > 0 {
		timer := time.NewTimer(time.Duration(timeout) * time.Millisecond)
		defer timer.Stop()
		expire = timer.C
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for local() < numLocal || replicas() < numReplicas {
		if numLocal > 0 && s.aof.cur.Load() != w {
			// The AOF was turned off (or over) while we waited.
			c.Error(errWaitAOFNoAOF)
			return
		}
		select {
		case <-s.nextAck(): // replication.go
		case <-fsynced:
			fsynced = nil
		case <-tick.C:
			if c.killed.Load() {
				return
			}
		case <-expire:
			reply()
			return
		case <-s.ctx.Done():
			return
		}
	}
	reply()
}

// errWaitAOFNoAOF is WAITAOF's error when numlocal is set with the AOF off.
const errWaitAOFNoAOF = "ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled."

func registerAOFCommands(t *Table) {
	t.Add(
		&Command{Name: "bgrewriteaof", Arity: 1, Flags: FlagAdmin | FlagNoAsyncLoading | FlagNoScript, ACL: []string{"slow", "dangerous"}, Group: "server", Since: "1.0.0",
			Summary: "Asynchronously rewrites the append-only file to disk.", Complexity: "O(1)",
			Lock: LockAll, Handler: cmdBGRewriteAOF},
		&Command{Name: "waitaof", Arity: 4, Flags: FlagNoScript, ACL: []string{"slow", "connection"}, Group: "generic", Since: "7.2.0",
			Summary:    "Blocks until all of the preceding write commands sent by the connection are written to the append-only file of the master and/or replicas.",
			Usage:      "numlocal numreplicas timeout",
			Complexity: "O(1)", Lock: LockNone, Handler: cmdWaitAOF},
	)
}

func init() { familyRegistrars = append(familyRegistrars, registerAOFCommands) }
