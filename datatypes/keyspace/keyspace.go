package keyspace

import (
	"errors"
	"math/bits"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vireodb/vireo/datatypes/dict"
)

// Options configure a Keyspace.
type Options struct {
	Databases   int // number of databases (SELECT 0..Databases-1)
	ShardsPerDB int // power of two
}

// Keyspace holds all databases.
type Keyspace struct {
	dbs          []*DB
	shards       []Shard
	shardBits    uint
	perDB        int
	Stream       Stream
	replica      atomic.Bool // a replica hides expired keys but never deletes them itself
	clockStart   time.Time
	lruClock     atomic.Uint32 // seconds since clockStart, refreshed by UpdateClock
	expireCursor uint64        // next shard for the active expiry cycle (one cycle runs at a time)

	// OnExpired is called (under the key's shard lock) after a key was
	// deleted because its TTL passed; the server propagates the DEL, sends
	// the "expired" notification and counts it.
	OnExpired func(db int, key []byte)

	// Snapshot, when set, is told before an entry is changed or deleted, so
	// a fork-less snapshot in progress can save the old version first. Set
	// it with SetSnapshot, under LockAll.
	Snapshot SnapshotHook
	// snapshotOpen mirrors Snapshot != nil for callers that hold no lock.
	snapshotOpen atomic.Bool
	// slotOf, when set, places keys by hash slot (SetSlotFunc).
	slotOf func(key []byte) int

	// SizeOf, when set, returns the bytes e's value takes, in O(1); it turns
	// on memory accounting (memory.go). Set it before the keyspace is used,
	// or call Remeasure after.
	SizeOf func(e *Entry) int
	mem    [memStripes]memStripe

	evict evictionState // maxmemory-policy and LFU parameters (evict.go)

	blk blockingState // blocked clients and ready keys (blocking.go)
}

// SetSnapshot installs (or, with nil, removes) the snapshot hook. The
// caller holds every shard lock.
func (ks *Keyspace) SetSnapshot(h SnapshotHook) {
	ks.Snapshot = h
	ks.snapshotOpen.Store(h != nil)
}

// SnapshotOpen reports whether a snapshot hook is installed, without a
// lock: a hint for callers that would otherwise LockAll only to find one
// running.
func (ks *Keyspace) SnapshotOpen() bool { return ks.snapshotOpen.Load() }

// SnapshotHook is implemented by a point-in-time snapshot in progress
// (BGSAVE, AOF rewrite, replica full sync).
//
// A snapshot is installed and removed with every shard locked (LockAll), so
// the hook's presence never changes while a caller holds a shard lock.
type SnapshotHook interface {
	// BeforeChange is called with the shard locked, before key's entry is
	// modified in place, replaced or deleted (writes, TTL changes, lazy and
	// active expiry, eviction, RENAME, MOVE).
	BeforeChange(db int, key []byte, e *Entry)
	// Created is called with the shard locked after a key that did not
	// exist was stored: the snapshot must not save it.
	Created(db int, key []byte)
	// BeforeFlush is called with every shard of db locked before the
	// database's whole contents are discarded or moved to another number
	// (FLUSHDB, FLUSHALL, SWAPDB).
	BeforeFlush(db int)
}

// Shard is one lock domain of a database.
type Shard struct {
	mu      sync.Mutex
	data    *dict.Dict[Entry]
	expires *dict.Dict[struct{}]
	watched map[string][]*Watcher
	waiting map[string]*waitQueue // clients blocked on keys of this shard (blocking.go)
	nkeys   atomic.Int64
	nexp    atomic.Int64
	mem     atomic.Int64  // bytes accounted to this shard's keys (memory.go)
	pending []pendingSize // entries that may have changed size since the lock was taken
	global  int           // index in Keyspace.shards
	_       [32]byte      // keep neighbouring shards' hot fields off one cache line
}

// DB is one numbered database: a slice of the keyspace's shards.
type DB struct {
	ks     *Keyspace
	index  int
	shards []Shard
}

// New builds a keyspace.
func New(o Options) *Keyspace {
	if o.Databases <= 0 {
		o.Databases = 16
	}
	if o.ShardsPerDB <= 0 || o.ShardsPerDB&(o.ShardsPerDB-1) != 0 {
		o.ShardsPerDB = 256
	}
	ks := &Keyspace{perDB: o.ShardsPerDB, clockStart: time.Now()}
	ks.shardBits = uint(bits.TrailingZeros(uint(o.ShardsPerDB)))
	ks.shards = make([]Shard, o.Databases*o.ShardsPerDB)
	for i := range ks.shards {
		ks.shards[i].data = dict.New[Entry](0)
		ks.shards[i].expires = dict.New[struct{}](0)
		ks.shards[i].global = i
	}
	for i := 0; i < o.Databases; i++ {
		ks.dbs = append(ks.dbs, &DB{ks: ks, index: i, shards: ks.shards[i*o.ShardsPerDB : (i+1)*o.ShardsPerDB]})
	}
	return ks
}

// NumDBs is the number of databases.
func (ks *Keyspace) NumDBs() int { return len(ks.dbs) }

// DB returns database i (0 <= i < NumDBs).
func (ks *Keyspace) DB(i int) *DB { return ks.dbs[i] }

// SetReplica switches replica mode: expired keys are hidden, not deleted.
func (ks *Keyspace) SetReplica(on bool) { ks.replica.Store(on) }

// ShardsPerDB is the number of shards in each database.
func (ks *Keyspace) ShardsPerDB() int { return ks.perDB }

// ShardOf returns the global shard index of key in database db.
func (ks *Keyspace) ShardOf(db int, key []byte) int {
	return db*ks.perDB + ks.localFor(key, dict.Hash(key))
}

// HashSlots is the number of hash slots of cluster mode (Redis Cluster's
// 16384).
const HashSlots = 16384

// SetSlotFunc makes keys live in shards by hash slot (cluster mode): slot
// gives a key's slot in [0, HashSlots), and the keys of a slot all live in
// shard ShardOfSlot(slot), so a slot's keys (COUNTKEYSINSLOT, migration)
// are found by walking one shard instead of the whole database. It must be
// set before any key exists; it is an error otherwise. Without it (the
// default) keys are placed by their hash and this costs one nil check.
func (ks *Keyspace) SetSlotFunc(slot func(key []byte) int) error {
	for i := range ks.dbs {
		if ks.dbs[i].Size() != 0 {
			return errors.New("keyspace: the slot placement must be set before any key exists")
		}
	}
	ks.slotOf = slot
	return nil
}

// ShardOfSlot is the shard (within a database) holding the keys of slot,
// once SetSlotFunc is set: contiguous slot ranges share a shard.
func (ks *Keyspace) ShardOfSlot(slot int) int {
	return int(uint64(slot) * uint64(ks.perDB) / HashSlots)
}

// localFor is the shard of key, whose dict hash is h.
func (ks *Keyspace) localFor(key []byte, h uint64) int {
	if ks.slotOf != nil {
		return ks.ShardOfSlot(ks.slotOf(key))
	}
	return ks.local(h)
}

func (ks *Keyspace) local(h uint64) int {
	if ks.shardBits == 0 {
		return 0
	}
	return int(h >> (64 - ks.shardBits))
}

// LockShards locks the given global shard indexes in ascending order. It
// sorts and de-duplicates idx in place and returns the de-duplicated slice,
// which must be passed to UnlockShards.
func (ks *Keyspace) LockShards(idx []int) []int {
	if len(idx) > 1 {
		if len(idx) == 2 {
			if idx[0] > idx[1] {
				idx[0], idx[1] = idx[1], idx[0]
			}
		} else {
			sort.Ints(idx)
		}
		w := 1
		for i := 1; i < len(idx); i++ {
			if idx[i] != idx[w-1] {
				idx[w] = idx[i]
				w++
			}
		}
		idx = idx[:w]
	}
	for _, i := range idx {
		ks.shards[i].mu.Lock()
	}
	return idx
}

// UnlockShards releases locks taken by LockShards.
func (ks *Keyspace) UnlockShards(idx []int) {
	for i := len(idx) - 1; i >= 0; i-- {
		ks.unlock(&ks.shards[idx[i]])
	}
}

// LockAll locks every shard of every database (FLUSHALL, SWAPDB, scripts).
func (ks *Keyspace) LockAll() {
	for i := range ks.shards {
		ks.shards[i].mu.Lock()
	}
}

// UnlockAll releases LockAll.
func (ks *Keyspace) UnlockAll() {
	for i := len(ks.shards) - 1; i >= 0; i-- {
		ks.unlock(&ks.shards[i])
	}
}

// LRUClock is the seconds-resolution clock stored in Entry.Access. It is
// cached (like Redis's server.lruclock) because reading the system clock on
// every key access is a measurable share of a GET; the server's cron calls
// UpdateClock every tick.
func (ks *Keyspace) LRUClock() uint32 { return ks.lruClock.Load() }

// UpdateClock refreshes the cached LRU clock.
func (ks *Keyspace) UpdateClock() {
	ks.lruClock.Store(uint32(time.Since(ks.clockStart) / time.Second))
}

// IdleSeconds converts an Entry.Access stamp into idle seconds.
func (ks *Keyspace) IdleSeconds(access uint32) int64 {
	return int64(ks.LRUClock() - access)
}

// SwapDB exchanges the contents of databases a and b. The caller holds every
// lock (LockAll). Clients watching keys in either database see them touched
// if the key exists in either.
func (ks *Keyspace) SwapDB(a, b int) {
	if a == b {
		return
	}
	da, dbb := ks.dbs[a], ks.dbs[b]
	if ks.Snapshot != nil {
		ks.Snapshot.BeforeFlush(a)
		ks.Snapshot.BeforeFlush(b)
	}
	da.touchAllWatched(dbb)
	dbb.touchAllWatched(da)
	for i := range da.shards {
		sa, sb := &da.shards[i], &dbb.shards[i]
		ks.settle(sa)
		ks.settle(sb)
		ma, mb := sa.mem.Load(), sb.mem.Load()
		ks.addMem(sa, mb-ma)
		ks.addMem(sb, ma-mb)
		sa.data, sb.data = sb.data, sa.data
		sa.expires, sb.expires = sb.expires, sa.expires
		na, nb := sa.nkeys.Load(), sb.nkeys.Load()
		sa.nkeys.Store(nb)
		sb.nkeys.Store(na)
		ea, eb := sa.nexp.Load(), sb.nexp.Load()
		sa.nexp.Store(eb)
		sb.nexp.Store(ea)
	}
	// Clients stay blocked on the database number: keys they wait for may
	// exist now (blocking.go).
	da.signalWaitedKeys()
	dbb.signalWaitedKeys()
}
