package snapshot

// Point-in-time snapshots without fork (DESIGN.md, "Snapshots without fork").
//
// BeginLocked runs with every shard locked: that instant is the epoch, and
// the file must hold exactly the keyspace as it was then. From the epoch on
// the Snapshot is the keyspace's SnapshotHook:
//
//   - BeforeChange (a writer is about to change, replace or delete an entry
//     that existed at the epoch and is not saved yet) serialises the old
//     version into the pending records of its database, in memory;
//   - Created (a key that did not exist is stored) marks the key saved, so
//     entries born after the epoch are skipped;
//   - BeforeFlush (FLUSHDB, FLUSHALL, SWAPDB) saves every unsaved entry of
//     the database at once and marks its shards done.
//
// The saver (WriteTo) walks every shard of every database with the dict's
// cursor, taking the shard lock for one chunk at a time, serialising each
// entry not yet saved into a buffer, and writes the buffer to the file after
// releasing the lock; then it writes the records the hook saved for that
// database. A shard the saver finished is "done": the hook ignores it and
// its set of saved keys is freed. So writers never wait for the disk, only
// for the serialisation of the entries they touch; memory grows by the
// entries changed ahead of the saver plus one shard's set of saved keys.
//
// Locking: a shard's state (saved set, done flag) is touched only under that
// shard's lock; the pending records are guarded by mu, taken inside shard
// locks and never held while taking one. The hook is installed and removed
// under LockAll, so no writer sees it change mid-command.

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/persistence/rdb"
)

// Errors.
var (
	ErrInProgress = errors.New("snapshot: a snapshot is already in progress")
	ErrAborted    = errors.New("snapshot: aborted")
)

// Chunking of the saver's walk: the shard lock is released after this many
// keys or bytes.
const (
	chunkKeys  = 128
	chunkBytes = 256 << 10
)

// Options configure the file written.
type Options struct {
	Compress bool           // rdbcompression
	Checksum bool           // rdbchecksum
	Aux      []rdb.AuxField // AUX fields of the header (rdb.DefaultAux)
	// Meta returns the IDLE/FREQ metadata written before a key (by
	// maxmemory-policy); nil writes none. Called under the key's shard lock.
	Meta func(e *keyspace.Entry) rdb.KeyMeta
	// Functions are the code of the function libraries at the epoch,
	// written before the databases as Redis does.
	Functions [][]byte
}

type shardState struct {
	saved map[string]struct{} // keys written, or born after the epoch
	done  bool                // the saver finished the shard
}

// Snapshot is one point-in-time snapshot in progress.
type Snapshot struct {
	ks     *keyspace.Keyspace
	opt    Options
	perDB  int
	shards []shardState // by global shard index
	keys   []int64      // per database, at the epoch (RESIZEDB hints)
	exps   []int64

	mu        sync.Mutex
	pending   [][]byte // per database: records saved by the hook, not yet written
	hookErr   error
	hookBytes int64

	aborted atomic.Bool
}

func newSnapshot(ks *keyspace.Keyspace, opt Options) *Snapshot {
	n := ks.NumDBs()
	s := &Snapshot{
		ks: ks, opt: opt, perDB: ks.ShardsPerDB(),
		shards:  make([]shardState, n*ks.ShardsPerDB()),
		keys:    make([]int64, n),
		exps:    make([]int64, n),
		pending: make([][]byte, n),
	}
	for i := 0; i < n; i++ {
		s.keys[i] = ks.DB(i).Size()
		s.exps[i] = ks.DB(i).ExpiresSize()
	}
	return s
}

// BeginLocked opens a snapshot's epoch and installs it as ks's
// SnapshotHook. The caller holds every shard lock (LockAll). Only one
// snapshot runs at a time: ErrInProgress otherwise. The caller must then
// run WriteTo (which removes the hook when it returns) or Abort.
func BeginLocked(ks *keyspace.Keyspace, opt Options) (*Snapshot, error) {
	if ks.Snapshot != nil {
		return nil, ErrInProgress
	}
	s := newSnapshot(ks, opt)
	ks.SetSnapshot(s)
	return s, nil
}

// WriteLocked writes ks as a whole RDB file to w, the caller holding every
// shard lock (SAVE, SHUTDOWN, DEBUG RELOAD: the server stops meanwhile, as
// Redis's does).
func WriteLocked(ks *keyspace.Keyspace, w io.Writer, opt Options) (int64, error) {
	return newSnapshot(ks, opt).write(w, false)
}

// WriteTo runs the saver: it writes the snapshot as a whole RDB file to w
// (wrap files in a bufio.Writer), then removes the hook. It returns the
// bytes written; ErrAborted after Abort.
func (s *Snapshot) WriteTo(w io.Writer) (int64, error) {
	defer s.release()
	return s.write(w, true)
}

// Abort stops the snapshot (FLUSHALL does, as Redis kills its BGSAVE
// child): the hook is removed now and WriteTo returns ErrAborted. The caller
// holds every shard lock.
func (s *Snapshot) Abort() {
	s.aborted.Store(true)
	if s.ks.Snapshot == s {
		s.ks.SetSnapshot(nil)
	}
}

// HookBytes is how many bytes writers serialised for the snapshot (old
// versions of entries they changed): INFO's rdb_last_cow_size.
func (s *Snapshot) HookBytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hookBytes
}

// Close ends a snapshot whose WriteTo will not run (the file could not be
// opened): it removes the hook and frees the snapshot's state. It takes
// every shard lock.
func (s *Snapshot) Close() { s.release() }

func (s *Snapshot) release() {
	s.ks.LockAll()
	if s.ks.Snapshot == s {
		s.ks.SetSnapshot(nil)
	}
	s.ks.UnlockAll()
	s.mu.Lock()
	s.pending = nil
	s.mu.Unlock()
	s.shards = nil
}

func (s *Snapshot) meta(e *keyspace.Entry) rdb.KeyMeta {
	if s.opt.Meta == nil {
		return rdb.NoMeta
	}
	return s.opt.Meta(e)
}

// save serialises an entry as it is now into the pending records of db.
func (s *Snapshot) save(db int, key []byte, e *keyspace.Entry) {
	rec, err := rdb.AppendKey(nil, key, e, s.meta(e), s.opt.Compress)
	s.mu.Lock()
	if s.pending != nil {
		s.pending[db] = append(s.pending[db], rec...)
		s.hookBytes += int64(len(rec))
	}
	if err != nil && s.hookErr == nil {
		s.hookErr = err
	}
	s.mu.Unlock()
}

// BeforeChange implements keyspace.SnapshotHook.
func (s *Snapshot) BeforeChange(db int, key []byte, e *keyspace.Entry) {
	st := &s.shards[s.ks.ShardOf(db, key)]
	if st.done {
		return
	}
	if _, ok := st.saved[string(key)]; ok {
		return
	}
	if st.saved == nil {
		st.saved = make(map[string]struct{})
	}
	st.saved[string(key)] = struct{}{}
	s.save(db, key, e)
}

// Created implements keyspace.SnapshotHook.
func (s *Snapshot) Created(db int, key []byte) {
	st := &s.shards[s.ks.ShardOf(db, key)]
	if st.done {
		return
	}
	if st.saved == nil {
		st.saved = make(map[string]struct{})
	}
	st.saved[string(key)] = struct{}{}
}

// BeforeFlush implements keyspace.SnapshotHook: the database's unsaved
// entries are serialised now, under the caller's locks (the price of a
// FLUSHDB or SWAPDB during a snapshot).
func (s *Snapshot) BeforeFlush(db int) {
	d := s.ks.DB(db)
	for i := 0; i < s.perDB; i++ {
		st := &s.shards[db*s.perDB+i]
		if st.done {
			continue
		}
		d.RangeShard(i, 0, func(k string, e *keyspace.Entry) bool {
			if _, ok := st.saved[k]; !ok {
				s.save(db, []byte(k), e)
			}
			return true
		})
		st.done, st.saved = true, nil
	}
}

// write walks every database and shard; lock says whether to take the
// shard locks (false: the caller holds them all).
func (s *Snapshot) write(w io.Writer, lock bool) (int64, error) {
	fw := rdb.NewFileWriter(w, s.opt.Compress, s.opt.Checksum)
	if err := fw.WriteHeader(s.opt.Aux); err != nil {
		return fw.Written(), fmt.Errorf("snapshot: %w", err)
	}
	for _, code := range s.opt.Functions {
		if err := fw.WriteFunction(code); err != nil {
			return fw.Written(), fmt.Errorf("snapshot: %w", err)
		}
	}
	var buf []byte
	var encErr error
	for dbi := range s.keys {
		if s.keys[dbi] == 0 {
			continue // nothing existed at the epoch; later keys are not saved
		}
		if err := fw.WriteDB(dbi, uint64(s.keys[dbi]), uint64(s.exps[dbi])); err != nil {
			return fw.Written(), fmt.Errorf("snapshot: %w", err)
		}
		db := s.ks.DB(dbi)
		for i := 0; i < s.perDB; i++ {
			st := &s.shards[dbi*s.perDB+i]
			var cursor uint64
			for {
				if s.aborted.Load() {
					return fw.Written(), ErrAborted
				}
				if lock {
					db.LockShard(i)
				}
				if !st.done {
					keys := 0
					for {
						cursor = db.ScanShard(i, cursor, 0, func(k string, e *keyspace.Entry) {
							if _, ok := st.saved[k]; ok {
								return // saved by the hook, born after the epoch, or seen twice
							}
							if st.saved == nil {
								st.saved = make(map[string]struct{})
							}
							st.saved[k] = struct{}{}
							var err error
							if buf, err = rdb.AppendKey(buf, []byte(k), e, s.meta(e), s.opt.Compress); err != nil && encErr == nil {
								encErr = err
							}
							keys++
						})
						if cursor == 0 || keys >= chunkKeys || len(buf) >= chunkBytes {
							break
						}
					}
					if cursor == 0 {
						st.done, st.saved = true, nil
					}
				}
				done := st.done
				if lock {
					db.UnlockShard(i)
				}
				if encErr != nil {
					return fw.Written(), fmt.Errorf("snapshot: %w", encErr)
				}
				if err := fw.WriteRaw(buf); err != nil {
					return fw.Written(), fmt.Errorf("snapshot: %w", err)
				}
				buf = buf[:0]
				if done {
					break
				}
			}
			if err := s.flushPending(dbi, fw); err != nil {
				return fw.Written(), err
			}
		}
	}
	if err := fw.Finish(); err != nil {
		return fw.Written(), fmt.Errorf("snapshot: %w", err)
	}
	return fw.Written(), nil
}

// flushPending writes the records the hook saved for database db so far.
func (s *Snapshot) flushPending(db int, fw *rdb.FileWriter) error {
	s.mu.Lock()
	p := s.pending[db]
	s.pending[db] = nil
	err := s.hookErr
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if err := fw.WriteRaw(p); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	return nil
}
