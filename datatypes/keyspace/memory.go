package keyspace

// Memory accounting: the bytes the keyspace's values take, kept up to date
// by every write, for maxmemory and INFO's used_memory.
//
// Go's heap statistics cannot drive eviction: memory a deleted key held is
// only seen as free after the next garbage collection, so an eviction loop
// watching the heap would go on deleting keys until the collector ran. So the
// keyspace counts instead, as Redis's allocator counters do: each key costs
// its dict entry and key string (dict.EntryBytes) plus what the server's
// SizeOf says its value takes. SizeOf must be O(1): it runs on every write.
//
// A value can change in place after LookupWrite or Put (a push, an HSET).
// Such an entry is noted on its shard's pending list with the size it is
// accounted at; when the shard is unlocked (UnlockShards, UnlockAll,
// UnlockShard) the pending entries are measured again and the difference is
// added. Delete subtracts what the entry is accounted at, so a key created
// and deleted within one command leaves nothing behind. The shard's total
// lives in the shard (for FLUSHDB and SWAPDB) and in one of memStripes,
// which spread the atomic adds of many cores over separate cache lines;
// UsedMemory sums the stripes.

import (
	"sync/atomic"

	"github.com/vireodb/vireo/datatypes/dict"
)

// memStripes is the number of counters the shards' totals are spread over.
const memStripes = 64

// maxPending bounds a shard's pending list; past it the list is settled at
// once (the caller holds the shard lock), so a long EXEC or a caller that
// never unlocks through the keyspace cannot grow it without end.
const maxPending = 64

type memStripe struct {
	n atomic.Int64
	_ [56]byte
}

// pendingSize is an entry that may change in place, with the value size it
// is accounted at.
type pendingSize struct {
	e      *Entry
	before int64
}

// UsedMemory is the bytes the keyspace's keys and values take, by the
// accounting above (0 while SizeOf is nil).
func (ks *Keyspace) UsedMemory() int64 {
	var n int64
	for i := range ks.mem {
		n += ks.mem[i].n.Load()
	}
	return n
}

// valueSize is what e's value is accounted at.
func (ks *Keyspace) valueSize(e *Entry) int64 {
	return int64(ks.SizeOf(e))
}

// keyBytes is what a key of n bytes costs besides its value.
func keyBytes(n int) int64 { return int64(dict.EntryBytes[Entry](n)) }

// addMem adds delta to shard s's total.
func (ks *Keyspace) addMem(s *Shard, delta int64) {
	if delta == 0 {
		return
	}
	s.mem.Add(delta)
	ks.mem[s.global%memStripes].n.Add(delta)
}

// pendingIndex is e's place on s's pending list, -1 when it is not there.
func pendingIndex(s *Shard, e *Entry) int {
	for i := range s.pending {
		if s.pending[i].e == e {
			return i
		}
	}
	return -1
}

// notePending puts e on s's pending list unless it is there already.
func (ks *Keyspace) notePending(s *Shard, e *Entry) {
	if pendingIndex(s, e) >= 0 {
		return
	}
	if len(s.pending) >= maxPending {
		ks.settle(s)
	}
	s.pending = append(s.pending, pendingSize{e: e, before: ks.valueSize(e)})
}

// accounted is what e's value is accounted at now; it takes e off the
// pending list.
func (ks *Keyspace) accounted(s *Shard, e *Entry) int64 {
	i := pendingIndex(s, e)
	if i < 0 {
		return ks.valueSize(e)
	}
	before := s.pending[i].before
	last := len(s.pending) - 1
	s.pending[i] = s.pending[last]
	s.pending[last] = pendingSize{}
	s.pending = s.pending[:last]
	return before
}

// unlock settles s's pending entries and releases its lock: every way a
// shard is unlocked after writes goes through it.
func (ks *Keyspace) unlock(s *Shard) {
	if len(s.pending) != 0 {
		ks.settle(s)
	}
	s.mu.Unlock()
}

// settle measures s's pending entries again and adds the differences; the
// caller holds s's lock.
func (ks *Keyspace) settle(s *Shard) {
	if len(s.pending) == 0 {
		return
	}
	var delta int64
	for i := range s.pending {
		p := &s.pending[i]
		delta += ks.valueSize(p.e) - p.before
		*p = pendingSize{}
	}
	s.pending = s.pending[:0]
	ks.addMem(s, delta)
}

// forgetMem drops s's pending list and total (its data was replaced
// wholesale: FLUSHDB).
func (ks *Keyspace) forgetMem(s *Shard) {
	clearPending(s)
	ks.addMem(s, -s.mem.Load())
}

// clearPending empties s's pending list without measuring it.
func clearPending(s *Shard) {
	clear(s.pending)
	s.pending = s.pending[:0]
}

// Remeasure recomputes every shard's total from its entries (after SizeOf
// is set on a keyspace that already holds keys). The caller holds every
// lock (LockAll).
func (ks *Keyspace) Remeasure() {
	if ks.SizeOf == nil {
		return
	}
	for i := range ks.shards {
		s := &ks.shards[i]
		clearPending(s)
		var total int64
		s.data.Range(func(k string, e Entry) bool {
			total += keyBytes(len(k)) + ks.valueSize(&e)
			return true
		})
		ks.addMem(s, total-s.mem.Load())
	}
}
