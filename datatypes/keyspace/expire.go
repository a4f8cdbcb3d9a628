package keyspace

// Active expiry: Redis's activeExpireCycle, per shard. Every tick the cycle
// samples keys that carry a TTL in each shard and deletes the expired ones,
// repeating on a shard while more than a quarter of the sample had expired,
// and stops when its time budget (a quarter of the tick) is spent; the next
// tick resumes where this one stopped.

import (
	"math/rand/v2"
	"time"
)

const (
	activeExpireSample     = 20
	activeExpireAcceptable = activeExpireSample / 4
)

// ActiveExpireCycle runs one cycle with the given time budget and returns the
// number of keys deleted. It locks one shard at a time.
func (ks *Keyspace) ActiveExpireCycle(budget time.Duration) int {
	if ks.replica.Load() {
		return 0
	}
	start := time.Now()
	deadline := start.Add(budget)
	n := len(ks.shards)
	if n == 0 {
		return 0
	}
	deleted := 0
	first := int(ks.expireCursor % uint64(n))
	for step := 0; step < n; step++ {
		gi := (first + step) % n
		s := &ks.shards[gi]
		if s.nexp.Load() == 0 {
			continue
		}
		db := ks.dbs[gi/ks.perDB]
		for {
			s.mu.Lock()
			now := time.Now().UnixMilli()
			var expired [activeExpireSample]string
			ne := 0
			sampled := s.expires.Sample(activeExpireSample, rand.Uint64, func(k string, _ struct{}) {
				if e, ok := s.data.GetString(k); ok && e.Expire != 0 && e.Expire <= now {
					expired[ne] = k
					ne++
				}
			})
			for _, k := range expired[:ne] {
				kb := []byte(k)
				if e := s.data.Ref(kb); e != nil {
					db.deleteExpired(s, kb, e)
					deleted++
				}
			}
			s.mu.Unlock()
			if sampled == 0 || ne <= activeExpireAcceptable || time.Now().After(deadline) {
				break
			}
		}
		if time.Now().After(deadline) {
			ks.expireCursor = uint64(gi + 1)
			return deleted
		}
	}
	ks.expireCursor = uint64(first)
	return deleted
}
