package keyspace

// Whole-entry operations for the generic key commands: RENAME and MOVE move
// an entry (value, TTL and access stamp together) instead of copying it,
// COPY duplicates one, RANDOMKEY picks a shard in proportion to its size.

import (
	"bytes"
	"fmt"
)

// Rename moves src's entry to dst, replacing whatever dst held, and keeps its
// TTL and access stamp (Redis's RENAME re-adds the same object). It reports
// false when src is absent. It does not check expiry: the caller looked src
// up first. The caller holds the shard locks of both keys and signals
// watchers of both.
func (db *DB) Rename(src, dst []byte) bool {
	s, h := db.shardFor(src)
	e := s.data.RefHashed(h, src)
	if e == nil {
		return false
	}
	moved := *e
	db.deleteLocked(s, src, e)
	db.Put(dst, moved)
	return true
}

// MoveTo moves key's entry, with its TTL and access stamp, from db to
// database to, replacing whatever to held under key (MOVE checks first that
// it held nothing). It reports false when key is absent from db. The caller
// holds the key's shard lock in both databases.
func (db *DB) MoveTo(to *DB, key []byte) bool {
	if to == db {
		return false
	}
	s, h := db.shardFor(key)
	e := s.data.RefHashed(h, key)
	if e == nil {
		return false
	}
	moved := *e
	db.deleteLocked(s, key, e)
	to.Put(key, moved)
	return true
}

// Cloner is implemented by the structures stored in Entry.Obj (lists, sets,
// hashes, sorted sets, streams): Clone returns a deep copy that shares
// nothing mutable with the original. COPY duplicates values through it.
type Cloner interface {
	Clone() any
}

// Clone returns a deep copy of e: its own copy of Str, Obj cloned through
// Cloner, the same TTL, type, encoding and access stamp. It fails when Obj
// does not implement Cloner.
func (e *Entry) Clone() (Entry, error) {
	out := *e
	if e.Str != nil {
		out.Str = bytes.Clone(e.Str)
	}
	if e.Obj != nil {
		c, ok := e.Obj.(Cloner)
		if !ok {
			return Entry{}, fmt.Errorf("keyspace: cannot copy a %s value: %T has no Clone method", e.Type.Name(), e.Obj)
		}
		out.Obj = c.Clone()
	}
	return out, nil
}

// RandomShard picks a local shard index at random, each shard weighted by its
// number of keys, so that a random key of the chosen shard is close to a
// uniformly random key of the database. It takes no locks (the counts are
// atomic), so the shard may be empty by the time the caller locks it; the
// caller then tries again. ok is false when the database is empty.
func (db *DB) RandomShard(rnd func() uint64) (i int, ok bool) {
	total := db.Size()
	if total <= 0 {
		return 0, false
	}
	r := int64(rnd() % uint64(total))
	for i := range db.shards {
		n := db.shards[i].nkeys.Load()
		if r < n {
			return i, true
		}
		r -= n
	}
	// Keys were deleted while we walked: settle for any non-empty shard.
	for i := len(db.shards) - 1; i >= 0; i-- {
		if db.shards[i].nkeys.Load() > 0 {
			return i, true
		}
	}
	return 0, false
}

// IsReplica reports whether the keyspace is in replica mode (expired keys
// hidden, never deleted locally). EXPIRE with a time in the past deletes the
// key on a primary but only sets the TTL on a replica.
func (ks *Keyspace) IsReplica() bool { return ks.replica.Load() }
