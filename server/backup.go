package server

// Backups to S3-compatible object storage (Vireo only): BGBACKUP, the
// automatic backup every vireo-s3-backup-interval seconds, pruning to the
// newest vireo-s3-backup-keep, INFO backup, and the restore at start-up
// (vireo-s3-restore).
//
// A backup is an RDB file of a fork-less snapshot (persistence/snapshot),
// the same point-in-time mechanism as BGSAVE, streamed straight into a
// multipart upload: nothing is staged on disk, and memory grows only by
// the entries written while the upload runs plus one upload part. One
// snapshot runs at a time, so a backup and a BGSAVE wait for each other.
//
// A restore downloads the backup into a temp file beside dbfilename, checks
// that the whole file parses (RDB checksum included), keeps the current
// data file as <dbfilename>.pre-restore, and renames the download into
// place; the normal start-up load then reads it. A failed restore stops the
// start-up and leaves the data file as it was.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vireodb/vireo/persistence/rdb"
	"github.com/vireodb/vireo/persistence/s3backup"
	"github.com/vireodb/vireo/persistence/snapshot"
	"github.com/vireodb/vireo/server/config"
)

const (
	errBackupNotConfigured = "ERR S3 backups are not configured: set vireo-s3-bucket (and vireo-s3-endpoint for a server other than AWS S3)"
	errBackupInProgress    = "ERR Background backup already in progress"
	errBackupBusy          = "ERR A background save is in progress: try BGBACKUP again when it ends"
)

// backupState is the server's S3 backup bookkeeping.
type backupState struct {
	mu      sync.Mutex
	running bool
	start   time.Time
	lastTry time.Time
	done    chan struct{} // closed when the running backup ends (tests)

	lastOK     atomic.Int32 // 1 ok, 0 failed, -1 none yet
	lastTime   atomic.Int64 // unix seconds of the last successful backup
	lastSecs   atomic.Int64
	lastSize   atomic.Int64
	lastObject atomic.Pointer[string]
	count      atomic.Int64 // successful backups since start
	failures   atomic.Int64
}

func (s *Server) initBackup() {
	s.backup.lastOK.Store(-1)
	s.backup.lastTime.Store(-1)
	s.backup.lastSecs.Store(-1)
}

// s3Config is the backup location from the settings.
func s3Config(st *config.Settings) s3backup.Config {
	return s3backup.Config{
		Endpoint: st.S3Endpoint, Bucket: st.S3Bucket, Prefix: st.S3Prefix,
		AccessKey: st.S3AccessKey, SecretKey: st.S3SecretKey, Region: st.S3Region, UseSSL: st.S3TLS,
	}
}

// backupInProgress reports whether a backup runs.
func (s *Server) backupInProgress() bool {
	s.backup.mu.Lock()
	defer s.backup.mu.Unlock()
	return s.backup.running
}

// startBackupLocked opens a snapshot and uploads it in the background. The
// caller holds every shard lock (the snapshot's instant is now).
func (s *Server) startBackupLocked() error {
	st := s.cfg.Snapshot()
	if st.S3Bucket == "" {
		return errors.New(errBackupNotConfigured)
	}
	b := &s.backup
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.running {
		return errors.New(errBackupInProgress)
	}
	b.lastTry = time.Now()
	store, err := s3backup.Open(s3Config(&st))
	if err != nil {
		return fmt.Errorf("ERR %w", err)
	}
	snap, err := snapshot.BeginLocked(s.ks, s.snapshotOptions())
	if errors.Is(err, snapshot.ErrInProgress) {
		return errors.New(errBackupBusy)
	}
	if err != nil {
		return fmt.Errorf("ERR %w", err)
	}
	b.running, b.start = true, time.Now()
	done := make(chan struct{})
	b.done = done
	name := store.ObjectName(b.start, s.runID[:8])
	keep := st.S3BackupKeep
	slog.Info("Background backup to S3 started", "object", name)
	go func() {
		defer close(done)
		obj, err := store.Upload(s.ctx, name, func(w io.Writer) error {
			bw := bufio.NewWriterSize(w, 1<<20)
			if _, err := snap.WriteTo(bw); err != nil {
				return err
			}
			return bw.Flush()
		})
		snap.Close() // when the upload failed before the saver ran
		if err == nil {
			if gone, perr := store.Prune(s.ctx, keep); perr != nil {
				slog.Warn("Pruning old S3 backups failed", "err", perr)
			} else if len(gone) > 0 {
				slog.Info("Pruned old S3 backups", "deleted", len(gone))
			}
		}
		s.finishBackup(obj, err)
	}()
	return nil
}

func (s *Server) finishBackup(obj s3backup.Object, err error) {
	b := &s.backup
	b.mu.Lock()
	defer b.mu.Unlock()
	// running turns false last (deferred), after the status and the log
	// line: whoever sees the backup ended sees its outcome.
	defer func() { b.running = false }()
	b.lastSecs.Store(int64(time.Since(b.start).Seconds()))
	if err != nil {
		b.lastOK.Store(0)
		b.failures.Add(1)
		slog.Warn("Background backup to S3 failed", "err", err)
		return
	}
	b.lastOK.Store(1)
	b.lastTime.Store(time.Now().Unix())
	b.lastSize.Store(obj.Size)
	b.lastObject.Store(&obj.Name)
	b.count.Add(1)
	slog.Info("Background backup to S3 terminated with success", "object", obj.Name, "bytes", obj.Size)
}

// waitBackup waits for the running backup, if any, to end (tests).
func (s *Server) waitBackup() {
	s.backup.mu.Lock()
	done := s.backup.done
	s.backup.mu.Unlock()
	if done != nil {
		<-done
	}
}

// backupRetryDelay spaces automatic attempts after a failure.
const backupRetryDelay = 60 * time.Second

// backupCron starts the automatic backup when vireo-s3-backup-interval
// seconds have passed since the last attempt.
func (s *Server) backupCron() {
	st := s.cfg.Snapshot()
	if st.S3Bucket == "" || st.S3BackupInterval <= 0 {
		return
	}
	b := &s.backup
	b.mu.Lock()
	wait := time.Duration(st.S3BackupInterval) * time.Second
	if b.lastOK.Load() == 0 {
		wait = min(wait, backupRetryDelay)
	}
	last := b.lastTry
	if last.IsZero() {
		last = s.startTime
	}
	due := !b.running && time.Since(last) >= wait
	b.mu.Unlock()
	if !due {
		return
	}
	s.ks.LockAll()
	err := s.startBackupLocked()
	s.ks.UnlockAll()
	if err != nil && err.Error() != errBackupBusy {
		slog.Warn("Can't start the automatic S3 backup", "err", err)
	}
}

// BGBACKUP
func cmdBGBackup(c *Ctx, args [][]byte) {
	if err := c.srv.startBackupLocked(); err != nil {
		c.Error(err.Error())
		return
	}
	c.Simple("Background backup started")
}

func (s *Server) infoBackup(w *infoWriter) {
	b := &s.backup
	st := s.cfg.Snapshot()
	w.flag("s3_backup_configured", st.S3Bucket != "")
	w.flag("s3_backup_in_progress", s.backupInProgress())
	if last := b.lastOK.Load(); last < 0 {
		w.str("s3_last_backup_status", "none")
	} else {
		w.status("s3_last_backup_status", last == 1)
	}
	w.int("s3_last_backup_time", b.lastTime.Load())
	w.int("s3_last_backup_time_sec", b.lastSecs.Load())
	w.int("s3_last_backup_size", b.lastSize.Load())
	name := ""
	if p := b.lastObject.Load(); p != nil {
		name = *p
	}
	w.str("s3_last_backup_object", name)
	w.int("s3_backups", b.count.Load())
	w.int("s3_backup_failures", b.failures.Load())
}

// RestoreFromS3 runs at start-up, before LoadDataFile, when
// vireo-s3-restore is set: it puts the named backup ("latest" or an object
// name) in place of dir/dbfilename. Any error stops the start-up with the
// data file untouched.
func (s *Server) RestoreFromS3() error {
	st := s.cfg.Snapshot()
	which := st.S3Restore
	if which == "" {
		return nil
	}
	if st.S3Bucket == "" {
		return errors.New("server: vireo-s3-restore needs vireo-s3-bucket")
	}
	if st.AppendOnly {
		return errors.New("server: vireo-s3-restore restores the RDB file, which start-up ignores with appendonly yes: start with appendonly no")
	}
	store, err := s3backup.Open(s3Config(&st))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(s.ctx, time.Hour)
	defer cancel()
	obj, err := store.Resolve(ctx, which)
	if err != nil {
		return err
	}
	path := s.rdbPath()
	tmp := filepath.Join(filepath.Dir(path), fmt.Sprintf("temp-restore-%d.rdb", os.Getpid()))
	defer os.Remove(tmp) // gone after the rename; removed after a failure
	if err := s.fetchBackup(ctx, store, obj, tmp); err != nil {
		return err
	}
	if _, err := os.Stat(path); err == nil {
		if err := os.Rename(path, path+".pre-restore"); err != nil {
			return fmt.Errorf("server: keeping the current data file: %w", err)
		}
		slog.Warn("Restoring from S3: the current data file is kept", "as", path+".pre-restore")
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("server: putting the restored backup in place: %w", err)
	}
	syncDir(filepath.Dir(path)) // persist.go
	slog.Info("Restored the backup from S3", "object", obj.Name, "bytes", obj.Size, "file", path)
	return nil
}

// fetchBackup downloads obj into the file tmp, fsyncs it, and checks that
// it is a whole, valid RDB file. The check parses the bytes as they arrive
// (a pipe beside the file), so the backup is read once, and a corrupt one
// stops the download at the first bad byte.
func (s *Server) fetchBackup(ctx context.Context, store *s3backup.Store, obj s3backup.Object, tmp string) error {
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("server: restore: %w", err)
	}
	defer f.Close()
	pr, pw := io.Pipe()
	parsed := make(chan error, 1)
	go func() {
		_, err := rdb.Load(bufio.NewReaderSize(pr, 1<<20), rdb.LoadOptions{
			Limits: *s.Limits(), Databases: s.ks.NumDBs(),
			OnFunction: func([]byte) error { return nil },
		}, func(*rdb.LoadedKey) error { return nil })
		if err != nil {
			pr.CloseWithError(err) // the download's next write fails with err
		} else {
			io.Copy(io.Discard, pr) // bytes after the checksum, if any
		}
		parsed <- err
	}()
	_, derr := store.Download(ctx, obj, io.MultiWriter(f, pw))
	pw.CloseWithError(derr) // nil: the parser sees the end of the file
	perr := <-parsed
	switch {
	case perr != nil && (derr == nil || errors.Is(derr, perr)):
		return fmt.Errorf("server: restore: backup %s is not a valid RDB file: %w", obj.Name, perr)
	case derr != nil:
		return derr
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("server: restore: %w", err)
	}
	return nil
}

func registerBackupCommands(t *Table) {
	t.Add(
		&Command{Name: "bgbackup", Arity: 1, Flags: FlagAdmin | FlagNoScript, ACL: []string{"slow", "dangerous"}, Group: "server", Since: Version, // the server version that added it
			Summary: "Asynchronously backs up the database(s) to S3-compatible object storage (Vireo only).", Complexity: "O(1)",
			Lock: LockAll, Handler: cmdBGBackup},
	)
}

func init() { familyRegistrars = append(familyRegistrars, registerBackupCommands) }
