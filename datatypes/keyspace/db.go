package keyspace

import (
	"math/rand/v2"

	"github.com/vireodb/vireo/datatypes/dict"
)

// Index is the database number.
func (db *DB) Index() int { return db.index }

func (db *DB) shardFor(key []byte) (*Shard, uint64) {
	h := dict.Hash(key)
	return &db.shards[db.ks.localFor(key, h)], h
}

// ShardIndex returns the global shard index of key (for LockShards).
func (db *DB) ShardIndex(key []byte) int {
	return db.index*db.ks.perDB + db.ks.localFor(key, dict.Hash(key))
}

// Lookup returns key's live entry, or nil. A key whose TTL has passed is
// deleted on the spot (on a primary) and reported missing. The access clock
// is updated.
func (db *DB) Lookup(key []byte, now int64) *Entry { return db.lookup(key, now, true) }

// LookupNoTouch is Lookup without updating the access clock (OBJECT,
// TTL-style introspection, CLIENT NO-TOUCH).
func (db *DB) LookupNoTouch(key []byte, now int64) *Entry { return db.lookup(key, now, false) }

func (db *DB) lookup(key []byte, now int64, touch bool) *Entry {
	s, h := db.shardFor(key)
	e := s.data.RefHashed(h, key)
	if e == nil {
		return nil
	}
	if e.Expire != 0 && e.Expire <= now {
		if !db.ks.replica.Load() {
			db.deleteExpired(s, key, e)
		}
		return nil
	}
	if touch {
		if db.ks.evict.lfu.Load() {
			e.Access = db.ks.lfuTouched(e.Access)
		} else {
			e.Access = db.ks.LRUClock()
		}
	}
	return e
}

// LookupWrite is Lookup for a caller about to modify the entry in place: a
// snapshot in progress is told first.
func (db *DB) LookupWrite(key []byte, now int64) *Entry {
	e := db.Lookup(key, now)
	if e == nil {
		return nil
	}
	if db.ks.Snapshot != nil {
		db.ks.Snapshot.BeforeChange(db.index, key, e)
	}
	if db.ks.SizeOf != nil {
		s, _ := db.shardFor(key)
		db.ks.notePending(s, e)
	}
	return e
}

// Put stores e under key, replacing any previous value. The TTL index
// follows e.Expire.
func (db *DB) Put(key []byte, e Entry) {
	s, h := db.shardFor(key)
	if e.Access == 0 {
		e.Access = db.ks.newAccess()
	}
	old := s.data.RefHashed(h, key)
	if old != nil {
		if db.ks.Snapshot != nil {
			db.ks.Snapshot.BeforeChange(db.index, key, old)
		}
		hadTTL := old.Expire != 0
		if db.ks.SizeOf != nil {
			db.ks.notePending(s, old)
		}
		oldType := old.Type
		*old = e
		db.fixTTLIndex(s, key, hadTTL, e.Expire != 0)
		db.signalOnPut(s, key, e.Type) // a blocked client may wait for it (blocking.go)
		if e.Type != oldType {
			db.signalStreamGone(s, key, oldType)
		}
		return
	}
	k := string(key)
	s.data.SetHashed(h, k, e)
	s.nkeys.Add(1)
	if db.ks.Snapshot != nil {
		db.ks.Snapshot.Created(db.index, key)
	}
	if db.ks.SizeOf != nil {
		ref := s.data.RefHashed(h, key)
		db.ks.addMem(s, keyBytes(len(key))+db.ks.valueSize(ref))
		db.ks.notePending(s, ref)
	}
	if e.Expire != 0 {
		s.expires.Set(k, struct{}{})
		s.nexp.Add(1)
	}
	db.signalOnPut(s, key, e.Type) // a blocked client may wait for it (blocking.go)
}

func (db *DB) fixTTLIndex(s *Shard, key []byte, had, has bool) {
	switch {
	case had && !has:
		s.expires.Delete(key)
		s.nexp.Add(-1)
	case !had && has:
		s.expires.Set(string(key), struct{}{})
		s.nexp.Add(1)
	}
}

// SetExpire sets (at > 0) or removes (at == 0) the TTL of an existing entry.
func (db *DB) SetExpire(key []byte, e *Entry, at int64) {
	s, _ := db.shardFor(key)
	if db.ks.Snapshot != nil {
		db.ks.Snapshot.BeforeChange(db.index, key, e)
	}
	had := e.Expire != 0
	e.Expire = at
	db.fixTTLIndex(s, key, had, at != 0)
}

// Delete removes key if present (expired or not) and reports whether it was.
func (db *DB) Delete(key []byte) bool {
	s, h := db.shardFor(key)
	e := s.data.RefHashed(h, key)
	if e == nil {
		return false
	}
	db.deleteLocked(s, key, e)
	return true
}

func (db *DB) deleteLocked(s *Shard, key []byte, e *Entry) {
	if db.ks.Snapshot != nil {
		db.ks.Snapshot.BeforeChange(db.index, key, e)
	}
	if e.Expire != 0 {
		s.expires.Delete(key)
		s.nexp.Add(-1)
	}
	if db.ks.SizeOf != nil {
		db.ks.addMem(s, -(keyBytes(len(key)) + db.ks.accounted(s, e)))
	}
	db.signalStreamGone(s, key, e.Type)
	s.data.Delete(key)
	s.nkeys.Add(-1)
}

func (db *DB) deleteExpired(s *Shard, key []byte, e *Entry) {
	db.deleteLocked(s, key, e)
	db.signalLocked(s, key)
	if f := db.ks.OnExpired; f != nil {
		f(db.index, key)
	}
}

// Size is the number of keys (expired ones not yet collected included, as
// Redis's DBSIZE). It takes no locks.
func (db *DB) Size() int64 {
	var n int64
	for i := range db.shards {
		n += db.shards[i].nkeys.Load()
	}
	return n
}

// ExpiresSize is the number of keys with a TTL, for INFO keyspace.
func (db *DB) ExpiresSize() int64 {
	var n int64
	for i := range db.shards {
		n += db.shards[i].nexp.Load()
	}
	return n
}

// NumShards is the number of shards in the database.
func (db *DB) NumShards() int { return len(db.shards) }

// GlobalShard returns the global index of local shard i.
func (db *DB) GlobalShard(i int) int { return db.index*db.ks.perDB + i }

// LockShard locks local shard i. For whole-keyspace commands that visit
// shards one at a time.
func (db *DB) LockShard(i int) { db.shards[i].mu.Lock() }
func (db *DB) UnlockShard(i int) {
	db.ks.unlock(&db.shards[i])
}

// ScanShard walks local shard i (locked by the caller) from cursor with the
// dict's reverse-binary cursor, calling fn for each live key, and returns the
// next cursor (0 when the shard is done).
func (db *DB) ScanShard(i int, cursor uint64, now int64, fn func(key string, e *Entry)) uint64 {
	s := &db.shards[i]
	return s.data.Scan(cursor, func(k string, e Entry) {
		if e.Expire != 0 && e.Expire <= now {
			return
		}
		fn(k, &e)
	})
}

// RangeShard visits every live key of local shard i (locked by the caller).
// fn must not modify the shard.
func (db *DB) RangeShard(i int, now int64, fn func(key string, e *Entry) bool) {
	db.shards[i].data.Range(func(k string, e Entry) bool {
		if e.Expire != 0 && e.Expire <= now {
			return true
		}
		return fn(k, &e)
	})
}

// ShardLen is the number of keys in local shard i.
func (db *DB) ShardLen(i int) int64 { return db.shards[i].nkeys.Load() }

// RandomKeyInShard picks a random key of local shard i (locked by the caller).
func (db *DB) RandomKeyInShard(i int) (string, *Entry, bool) {
	k, e, ok := db.shards[i].data.RandomEntry(rand.Uint64)
	return k, &e, ok
}

// FlushLocked empties the database; the caller holds all of its shard locks.
// Watched keys that existed are touched.
func (db *DB) FlushLocked() {
	if db.ks.Snapshot != nil {
		db.ks.Snapshot.BeforeFlush(db.index)
	}
	db.touchAllWatched(nil)
	db.signalWaitedKeys()
	for i := range db.shards {
		s := &db.shards[i]
		db.ks.forgetMem(s)
		s.data = dict.New[Entry](0)
		s.expires = dict.New[struct{}](0)
		s.nkeys.Store(0)
		s.nexp.Store(0)
	}
}

// IsExpired reports whether key exists with a TTL that has passed (without
// deleting it): Redis's keyIsExpired, used by WATCH and EXEC.
func (db *DB) IsExpired(key []byte, now int64) bool {
	s, h := db.shardFor(key)
	e := s.data.RefHashed(h, key)
	return e != nil && e.Expire != 0 && e.Expire <= now
}
