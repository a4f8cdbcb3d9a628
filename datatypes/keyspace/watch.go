package keyspace

import "sync/atomic"

// Watcher is one client's WATCH state: it turns dirty when any watched key is
// modified, deleted, expired or flushed (Redis's CLIENT_DIRTY_CAS).
type Watcher struct {
	dirty atomic.Bool
}

// Dirty reports whether a watched key changed since WATCH.
func (w *Watcher) Dirty() bool { return w.dirty.Load() }

// Reset clears the dirty mark (after EXEC, DISCARD or UNWATCH).
func (w *Watcher) Reset() { w.dirty.Store(false) }

// MarkDirty forces the transaction to fail (e.g. a watched key expired).
func (w *Watcher) MarkDirty() { w.dirty.Store(true) }

// Watch registers w on key.
func (db *DB) Watch(key []byte, w *Watcher) {
	s, _ := db.shardFor(key)
	if s.watched == nil {
		s.watched = make(map[string][]*Watcher)
	}
	k := string(key)
	for _, x := range s.watched[k] {
		if x == w {
			return
		}
	}
	s.watched[k] = append(s.watched[k], w)
}

// Unwatch removes w from key.
func (db *DB) Unwatch(key []byte, w *Watcher) {
	s, _ := db.shardFor(key)
	list := s.watched[string(key)]
	for i, x := range list {
		if x == w {
			list[i] = list[len(list)-1]
			list = list[:len(list)-1]
			break
		}
	}
	if len(list) == 0 {
		delete(s.watched, string(key))
	} else {
		s.watched[string(key)] = list
	}
}

// SignalModified marks every watcher of key dirty (Redis's signalModifiedKey).
func (db *DB) SignalModified(key []byte) {
	s, _ := db.shardFor(key)
	db.signalLocked(s, key)
}

func (db *DB) signalLocked(s *Shard, key []byte) {
	if len(s.watched) == 0 {
		return
	}
	for _, w := range s.watched[string(key)] {
		w.dirty.Store(true)
	}
}

// touchAllWatched marks dirty the watchers of every watched key that exists
// in db or in other (FLUSHDB/FLUSHALL/SWAPDB). The caller holds all locks.
func (db *DB) touchAllWatched(other *DB) {
	for i := range db.shards {
		s := &db.shards[i]
		for k, ws := range s.watched {
			_, ok := s.data.GetString(k)
			if !ok && other != nil {
				_, ok = other.shards[i].data.GetString(k)
			}
			if ok {
				for _, w := range ws {
					w.dirty.Store(true)
				}
			}
		}
	}
}
