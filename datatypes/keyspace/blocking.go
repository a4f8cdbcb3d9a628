package keyspace

// Blocking operations: BLPOP & co, and later BZPOPMIN/BZMPOP and XREAD BLOCK.
//
// Design (Redis's blocked.c, for many goroutines):
//
//   - Every shard keeps, per key that somebody waits on, a FIFO queue of
//     Waiters, guarded by the shard mutex like the data. A blocking command
//     that finds nothing queues its Waiter on each of its keys from inside
//     the handler, while the dispatcher still holds those keys' locks: no
//     push can slip in between "found nothing" and "queued".
//   - A write that may satisfy a waiter (a push creating or growing a list,
//     any Put of a list/zset/stream value: RENAME, MOVE, COPY, RESTORE; SWAPDB)
//     calls SignalReady under the key's lock. That is a map lookup when
//     nobody waits on the shard; otherwise the key goes, once, on the
//     keyspace's ready list.
//   - After the writing command (or the whole EXEC or script) has released
//     its locks, its goroutine calls ServeReady, which takes each ready key
//     and offers a turn to its waiters in FIFO order: a waiter is skipped
//     unless the key now holds a value of the type it waits for (Redis 7.2's
//     check); otherwise it is claimed (blocked -> serving), woken through its
//     Turn channel, and ServeReady waits until the waiter's own goroutine has
//     run the command again under the key locks and ended its turn. The reply
//     is written by the waiter's connection. If somebody else took the value
//     first the waiter stays queued where it was. Only the waiters queued
//     when the round began are tried (Redis's "initial count"), then the
//     round repeats if the key was signalled again meanwhile.
//   - One goroutine serves a key at a time (waitQueue.serving), which keeps
//     turns in FIFO order; a goroutine that finds the key being served marks
//     it for another round and moves on.
//   - Deadlock freedom: ServeReady runs with no lock held and waits only for
//     a waiter's turn; a turn takes shard locks (always released) and ends
//     before the waiter serves keys it made ready itself (BLMOVE); a goroutine
//     never serves keys while it is itself a waiter.
//   - A waiter leaves its queues when served (under the locks of its turn),
//     or after a cancellation — timeout, disconnect, CLIENT UNBLOCK — which
//     wins only against the blocked state: a waiter already claimed for a turn
//     finishes the turn first.

import (
	"sync"
	"sync/atomic"
	"time"
)

// Waiter states.
const (
	waitBlocked int32 = iota
	waitServing
	waitDone
)

// CancelReason says why a Waiter stopped waiting without being served.
type CancelReason int32

const (
	NotCancelled     CancelReason = iota
	CancelTimeout                 // its timeout passed
	CancelDisconnect              // the client went away (or the server stops)
	CancelUnblock                 // CLIENT UNBLOCK id [TIMEOUT]: reply as on timeout
	CancelUnblockErr              // CLIENT UNBLOCK id ERROR
)

// Waiter is one blocked client.
type Waiter struct {
	// Type is the value type that can satisfy the waiter: a key is offered to
	// it only when it holds a value of this type.
	Type Type
	// WhenGone also offers the key when it holds no value of Type any more
	// (XREADGROUP, which Redis unblocks with an error when its stream is
	// deleted or replaced).
	WhenGone bool

	db     *DB
	keys   []string // queued on these keys of db, in command order
	state  atomic.Int32
	reason atomic.Int32
	turn   chan struct{} // a turn (state serving) or a cancellation (state done)
	ended  chan struct{} // the waiter's goroutine finished a turn
}

// NewWaiter returns a waiter for values of type t.
func NewWaiter(t Type) *Waiter {
	return &Waiter{Type: t, turn: make(chan struct{}, 1), ended: make(chan struct{}, 1)}
}

// Turn delivers a turn to serve, or a cancellation by another goroutine
// (CLIENT UNBLOCK); Cancelled tells which.
func (w *Waiter) Turn() <-chan struct{} { return w.turn }

// Cancelled is the reason the waiter was cancelled, or NotCancelled.
func (w *Waiter) Cancelled() CancelReason { return CancelReason(w.reason.Load()) }

// Cancel stops a blocked waiter from another goroutine (CLIENT UNBLOCK) and
// wakes it through Turn. It fails when the waiter is not blocked (being
// served, or done).
func (w *Waiter) Cancel(reason CancelReason) bool {
	if !w.state.CompareAndSwap(waitBlocked, waitDone) {
		return false
	}
	w.reason.Store(int32(reason))
	w.turn <- struct{}{}
	return true
}

// TryCancel stops the waiter from its own goroutine (timeout, disconnect).
// It fails when a turn has been claimed: the turn arrives on Turn and must be
// served first.
func (w *Waiter) TryCancel(reason CancelReason) bool {
	if !w.state.CompareAndSwap(waitBlocked, waitDone) {
		return false
	}
	w.reason.Store(int32(reason))
	return true
}

// EndTurn ends a turn: served (the waiter is done and has left its queues
// with LeaveLocked) or not (it stays blocked, in place). It releases the
// goroutine in ServeReady that gave the turn; call it after releasing the
// turn's locks.
func (w *Waiter) EndTurn(served bool) {
	if served {
		w.state.Store(waitDone)
	} else {
		w.state.Store(waitBlocked)
	}
	w.ended <- struct{}{}
}

// waitQueue is the FIFO of waiters on one key.
type waitQueue struct {
	waiters []*Waiter
	ready   bool // on the ready list
	serving bool // a goroutine is giving turns on this key
	again   bool // signalled again while being served: run another round
}

type readyKey struct {
	db  int
	key string
}

// blockingState is the keyspace-wide part: the ready list and counters.
type blockingState struct {
	mu      sync.Mutex
	ready   []readyKey
	pending atomic.Int32 // len(ready), read without the mutex
	clients atomic.Int64 // waiters queued on at least one key
	keys    atomic.Int64 // keys with a non-empty queue
}

// BlockedClients is the number of clients blocked on keys (INFO
// blocked_clients).
func (ks *Keyspace) BlockedClients() int64 { return ks.blk.clients.Load() }

// BlockingKeys is the number of keys some client is blocked on (INFO
// total_blocking_keys).
func (ks *Keyspace) BlockingKeys() int64 { return ks.blk.keys.Load() }

// HasReady reports whether keys are waiting to be served; the dispatcher
// checks it after every command, so it is one atomic load.
func (ks *Keyspace) HasReady() bool { return ks.blk.pending.Load() != 0 }

// Block queues w on key; the caller holds key's shard lock. A key named twice
// by the command is queued once. All of a waiter's keys are in one database.
func (db *DB) Block(key []byte, w *Waiter) {
	for _, k := range w.keys {
		if k == string(key) {
			return
		}
	}
	s, _ := db.shardFor(key)
	if s.waiting == nil {
		s.waiting = make(map[string]*waitQueue)
	}
	k := string(key)
	q := s.waiting[k]
	if q == nil {
		q = &waitQueue{}
		s.waiting[k] = q
	}
	if len(q.waiters) == 0 {
		db.ks.blk.keys.Add(1)
	}
	q.waiters = append(q.waiters, w)
	if len(w.keys) == 0 {
		db.ks.blk.clients.Add(1)
	}
	w.db = db
	w.keys = append(w.keys, k)
}

// LeaveLocked removes w from all its queues; the caller holds the shard
// locks of all of w's keys (the locks of the command's turn).
func (w *Waiter) LeaveLocked() {
	if len(w.keys) == 0 {
		return
	}
	db := w.db
	for _, k := range w.keys {
		s, _ := db.shardFor([]byte(k))
		q := s.waiting[k]
		if q == nil {
			continue
		}
		for i, x := range q.waiters {
			if x == w {
				q.waiters = append(q.waiters[:i], q.waiters[i+1:]...)
				break
			}
		}
		if len(q.waiters) == 0 {
			db.ks.blk.keys.Add(-1)
			if !q.serving && !q.ready {
				delete(s.waiting, k)
			}
		}
	}
	w.keys = w.keys[:0]
	db.ks.blk.clients.Add(-1)
}

// Leave is LeaveLocked for a caller holding no lock (after a cancellation):
// it locks w's shards itself.
func (ks *Keyspace) Leave(w *Waiter) {
	if len(w.keys) == 0 {
		return
	}
	idx := make([]int, 0, len(w.keys))
	for _, k := range w.keys {
		idx = append(idx, w.db.ShardIndex([]byte(k)))
	}
	idx = ks.LockShards(idx)
	w.LeaveLocked()
	ks.UnlockShards(idx)
}

// SignalReady notes that key may now satisfy a waiter (a push made a list
// non-empty, a value was stored under it). The caller holds key's shard
// lock; the waiters get their turns in ServeReady once the caller's command
// has released its locks.
func (db *DB) SignalReady(key []byte) {
	s, _ := db.shardFor(key)
	db.signalReadyLocked(s, key)
}

func (db *DB) signalReadyLocked(s *Shard, key []byte) {
	if len(s.waiting) == 0 {
		return
	}
	q := s.waiting[string(key)]
	if q == nil || q.ready || len(q.waiters) == 0 {
		return
	}
	q.ready = true
	b := &db.ks.blk
	b.mu.Lock()
	b.ready = append(b.ready, readyKey{db: db.index, key: string(key)})
	b.pending.Add(1)
	b.mu.Unlock()
}

// signalOnPut is called by Put: storing a value that a blocked client may
// wait for (a list, sorted set or stream) readies its key, whatever command
// stored it (Redis's dbAdd calls signalKeyAsReady).
func (db *DB) signalOnPut(s *Shard, key []byte, t Type) {
	if len(s.waiting) != 0 && (t == TypeList || t == TypeZSet || t == TypeStream) {
		db.signalReadyLocked(s, key)
	}
}

// signalWaitedKeys readies every waited-on key of db, after SWAPDB or
// FLUSHDB changed its contents wholesale (Redis's scanDatabaseForReadyKeys
// and scanDatabaseForDeletedStreams): a waiter whose key now holds a value
// is served, an XREADGROUP whose stream went away is told so, and the rest
// find nothing and keep their places. The caller holds every lock.
func (db *DB) signalWaitedKeys() {
	for i := range db.shards {
		s := &db.shards[i]
		for k := range s.waiting {
			db.signalReadyLocked(s, []byte(k))
		}
	}
}

// signalStreamGone readies key when the stream stored under it is deleted
// or replaced by another type: a client blocked in XREADGROUP on it is
// unblocked with an error (Redis's signalDeletedKeyAsReady).
func (db *DB) signalStreamGone(s *Shard, key []byte, old Type) {
	if old == TypeStream && len(s.waiting) != 0 {
		db.signalReadyLocked(s, key)
	}
}

func (b *blockingState) pop() (readyKey, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.ready) == 0 {
		return readyKey{}, false
	}
	rk := b.ready[0]
	b.ready[0] = readyKey{}
	b.ready = b.ready[1:]
	if len(b.ready) == 0 {
		b.ready = nil
	}
	b.pending.Add(-1)
	return rk, true
}

// ServeReady gives turns to the waiters of every ready key, including keys
// made ready by the turns themselves. The caller holds no lock and is not a
// waiter.
func (ks *Keyspace) ServeReady() {
	for {
		rk, ok := ks.blk.pop()
		if !ok {
			return
		}
		ks.serveKey(ks.dbs[rk.db], rk.key)
	}
}

func (ks *Keyspace) serveKey(db *DB, key string) {
	kb := []byte(key)
	s, h := db.shardFor(kb)
	s.mu.Lock()
	q := s.waiting[key]
	if q == nil {
		s.mu.Unlock()
		return
	}
	q.ready = false
	if q.serving {
		q.again = true
		s.mu.Unlock()
		return
	}
	q.serving = true
	var batch []*Waiter
	for {
		batch = append(batch[:0], q.waiters...)
		s.mu.Unlock()
		for _, w := range batch {
			s.mu.Lock()
			e := s.data.RefHashed(h, kb)
			if e != nil && e.Expire != 0 && e.Expire <= time.Now().UnixMilli() {
				e = nil
			}
			offer := e != nil && e.Type == w.Type || w.WhenGone
			if !offer || !w.state.CompareAndSwap(waitBlocked, waitServing) {
				s.mu.Unlock()
				continue
			}
			s.mu.Unlock()
			w.turn <- struct{}{}
			<-w.ended
		}
		s.mu.Lock()
		if !q.again {
			break
		}
		q.again = false
	}
	q.serving = false
	if len(q.waiters) == 0 && !q.ready {
		delete(s.waiting, key)
	}
	s.mu.Unlock()
}
