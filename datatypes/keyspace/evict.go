package keyspace

// Eviction (maxmemory-policy) and the access data it ranks keys by.
//
// Entry.Access holds, as Redis's 24-bit lru field does, one of two things:
// under an LRU (or non-LFU) policy the LRU clock in seconds of the last
// access; under an LFU policy the minutes clock of the last decrement
// (16 bits) above a logarithmic access counter (8 bits), Redis's
// LFU_INIT_VAL 5 for a new key. Switching policy leaves the other kind of
// value in existing keys for a while, as in Redis.
//
// A victim is chosen as Redis does, by sampling: maxmemory-samples keys
// (from the whole keyspace, or from the keys with a TTL for the volatile
// policies) are drawn at random, each from a shard picked in proportion to
// its size, and the one with the longest idle time, lowest frequency or
// nearest expiry is deleted. Redis keeps a pool of good candidates across
// rounds; sampling afresh each time is a little less exact and needs no
// state shared between cores.

import (
	"math/rand/v2"
	"sync/atomic"
)

// Policy is a maxmemory-policy.
type Policy int32

const (
	NoEviction Policy = iota
	AllKeysLRU
	AllKeysLFU
	AllKeysRandom
	VolatileLRU
	VolatileLFU
	VolatileRandom
	VolatileTTL
)

// ParsePolicy maps a maxmemory-policy name to its Policy.
func ParsePolicy(name string) (Policy, bool) {
	switch name {
	case "noeviction":
		return NoEviction, true
	case "allkeys-lru":
		return AllKeysLRU, true
	case "allkeys-lfu":
		return AllKeysLFU, true
	case "allkeys-random":
		return AllKeysRandom, true
	case "volatile-lru":
		return VolatileLRU, true
	case "volatile-lfu":
		return VolatileLFU, true
	case "volatile-random":
		return VolatileRandom, true
	case "volatile-ttl":
		return VolatileTTL, true
	}
	return NoEviction, false
}

// IsLFU reports whether p ranks keys by access frequency.
func (p Policy) IsLFU() bool { return p == AllKeysLFU || p == VolatileLFU }

func (p Policy) volatile() bool { return p >= VolatileLRU }

// lfuInitVal is a new key's counter (Redis's LFU_INIT_VAL).
const lfuInitVal = 5

// evictionState is the part of the keyspace eviction reads.
type evictionState struct {
	policy       atomic.Int32
	lfu          atomic.Bool // policy.IsLFU(), for the lookup path
	lfuLogFactor atomic.Int32
	lfuDecayTime atomic.Int32
}

// SetEvictionPolicy sets the policy and the LFU parameters (lfu-log-factor,
// lfu-decay-time) that key accesses and eviction follow.
func (ks *Keyspace) SetEvictionPolicy(p Policy, lfuLogFactor, lfuDecayTime int) {
	ks.evict.lfuLogFactor.Store(int32(lfuLogFactor))
	ks.evict.lfuDecayTime.Store(int32(lfuDecayTime))
	ks.evict.policy.Store(int32(p))
	ks.evict.lfu.Store(p.IsLFU())
}

// EvictionPolicy is the current policy.
func (ks *Keyspace) EvictionPolicy() Policy { return Policy(ks.evict.policy.Load()) }

// lfuMinutes is Redis's LFUGetTimeInMinutes: the clock in minutes, 16 bits.
func (ks *Keyspace) lfuMinutes() uint32 { return (ks.LRUClock() / 60) & 0xffff }

// newAccess is the Access value of a key just created.
func (ks *Keyspace) newAccess() uint32 {
	if ks.evict.lfu.Load() {
		return ks.lfuMinutes()<<8 | lfuInitVal
	}
	return ks.LRUClock()
}

// lfuTouched is the Access value after an access under an LFU policy
// (Redis's updateLFU); under the others it is the LRU clock.
func (ks *Keyspace) lfuTouched(access uint32) uint32 {
	counter := ks.lfuDecayed(access)
	counter = lfuLogIncr(counter, int(ks.evict.lfuLogFactor.Load()))
	return ks.lfuMinutes()<<8 | counter
}

// lfuDecayed is the counter in access after the decay for the minutes
// passed since it was stored (Redis's LFUDecrAndReturn).
func (ks *Keyspace) lfuDecayed(access uint32) uint32 {
	ldt := access >> 8 & 0xffff
	counter := access & 0xff
	decay := ks.evict.lfuDecayTime.Load()
	if decay <= 0 {
		return counter
	}
	now := ks.lfuMinutes()
	elapsed := now - ldt
	if now < ldt {
		elapsed = 65535 - ldt + now
	}
	periods := elapsed / uint32(decay)
	if periods > counter {
		return 0
	}
	return counter - periods
}

// lfuLogIncr is Redis's LFULogIncr: the counter grows with probability
// 1/((counter-LFU_INIT_VAL)*lfu_log_factor+1), up to 255.
func lfuLogIncr(counter uint32, logFactor int) uint32 {
	if counter == 255 {
		return counter
	}
	base := float64(counter) - lfuInitVal
	if base < 0 {
		base = 0
	}
	if rand.Float64() < 1/(base*float64(logFactor)+1) {
		counter++
	}
	return counter
}

// Frequency is OBJECT FREQ: the decayed LFU counter of an entry.
func (ks *Keyspace) Frequency(access uint32) int64 { return int64(ks.lfuDecayed(access)) }

// SetFrequency is the Access value RESTORE ... FREQ f stores.
func (ks *Keyspace) SetFrequency(freq int) uint32 {
	return ks.lfuMinutes()<<8 | uint32(freq&0xff)
}

// IdleAccess is the Access value RESTORE ... IDLETIME s stores.
func (ks *Keyspace) IdleAccess(seconds int64) uint32 {
	return ks.LRUClock() - uint32(seconds) // wraps like IdleSeconds reads it
}

// candidate is a sampled key and its rank: the higher, the better to evict.
type candidate struct {
	db    *DB
	shard int
	key   string
	score uint64
}

// EvictOne deletes one key chosen by the current policy from samples random
// draws and calls onEvicted(db, key) under the key's shard lock before the
// lock is released. It reports false when the policy is noeviction or no key
// can be evicted (an empty keyspace; no key with a TTL for a volatile
// policy). The caller holds no shard lock.
func (ks *Keyspace) EvictOne(samples int, onEvicted func(db int, key []byte)) bool {
	p := ks.EvictionPolicy()
	if p == NoEviction {
		return false
	}
	samples = max(samples, 1)
	var best candidate
	found := false
	for range samples {
		c, ok := ks.sample(p)
		if !ok {
			continue
		}
		if !found || c.score > best.score {
			best, found = c, true
		}
		if p == AllKeysRandom || p == VolatileRandom {
			break
		}
	}
	if !found {
		return false
	}
	db := best.db
	db.LockShard(best.shard)
	defer db.UnlockShard(best.shard)
	key := []byte(best.key)
	s, h := db.shardFor(key)
	e := s.data.RefHashed(h, key)
	if e == nil {
		return true // gone meanwhile: memory was freed anyway; the caller measures again
	}
	db.deleteLocked(s, key, e)
	db.signalLocked(s, key)
	if onEvicted != nil {
		onEvicted(db.index, key)
	}
	return true
}

// sample draws one key for policy p and ranks it.
func (ks *Keyspace) sample(p Policy) (candidate, bool) {
	db, ok := ks.randomDB(p.volatile())
	if !ok {
		return candidate{}, false
	}
	var i int
	if p.volatile() {
		i, ok = db.randomExpiringShard()
	} else {
		i, ok = db.RandomShard(rand.Uint64)
	}
	if !ok {
		return candidate{}, false
	}
	db.LockShard(i)
	defer db.UnlockShard(i)
	s := &db.shards[i]
	var key string
	if p.volatile() {
		k, _, ok := s.expires.RandomEntry(rand.Uint64)
		if !ok {
			return candidate{}, false
		}
		key = k
	} else {
		k, _, ok := s.data.RandomEntry(rand.Uint64)
		if !ok {
			return candidate{}, false
		}
		key = k
	}
	e, ok := s.data.GetString(key)
	if !ok {
		return candidate{}, false
	}
	c := candidate{db: db, shard: i, key: key}
	switch p {
	case AllKeysLRU, VolatileLRU:
		c.score = uint64(ks.LRUClock() - e.Access) // idle seconds
	case AllKeysLFU, VolatileLFU:
		c.score = 255 - uint64(ks.lfuDecayed(e.Access))
	case VolatileTTL:
		c.score = ^uint64(e.Expire) // the nearest expiry ranks highest
	}
	return c, true
}

// randomDB picks a database holding keys (with a TTL when volatile), in
// proportion to their number.
func (ks *Keyspace) randomDB(volatile bool) (*DB, bool) {
	var total int64
	for _, db := range ks.dbs {
		if volatile {
			total += db.ExpiresSize()
		} else {
			total += db.Size()
		}
	}
	if total <= 0 {
		return nil, false
	}
	r := rand.Int64N(total)
	for _, db := range ks.dbs {
		n := db.Size()
		if volatile {
			n = db.ExpiresSize()
		}
		if r < n {
			return db, true
		}
		r -= n
	}
	return nil, false
}

// randomExpiringShard picks a local shard holding keys with a TTL, in
// proportion to their number.
func (db *DB) randomExpiringShard() (int, bool) {
	total := db.ExpiresSize()
	if total <= 0 {
		return 0, false
	}
	r := rand.Int64N(total)
	for i := range db.shards {
		n := db.shards[i].nexp.Load()
		if r < n {
			return i, true
		}
		r -= n
	}
	return 0, false
}
