package server

// maxmemory: used memory, eviction and the OOM error (Redis's evict.c and
// the OOM branch of processCommand).
//
// Used memory is what the server had allocated once started plus what the
// keyspace accounts its keys and values at (datatypes/keyspace/memory.go,
// through entrySize), so it drops as soon as a key is deleted, as Redis's
// allocator counters do; Go's heap figures only drop after a collection.
// Client buffers are reported in INFO's used_memory but, like Redis's
// replication buffers, not counted for eviction (mem_not_counted_for_evict):
// summing them would visit every client before each command.
//
// Before each command, while maxmemory is set and used memory is above it,
// keys are evicted by maxmemory-policy (keyspace.EvictOne) until it is
// below. If that is impossible (noeviction, or no key qualifies) a command
// flagged denyoom — and, inside MULTI, any command but EXEC, DISCARD, QUIT
// and RESET — is refused with Redis's OOM error. Each eviction is counted
// (evicted_keys), notified ("evicted"), propagated as DEL and touches
// WATCHers and tracking clients, as in Redis.

import (
	"runtime"
	"time"

	"github.com/vireodb/vireo/datatypes/dict"
	"github.com/vireodb/vireo/datatypes/keyspace"
)

const errOOM = "OOM command not allowed when used memory > 'maxmemory'."

// evictionTimeLimit bounds the eviction one command waits for (Redis's
// evictionTimeLimitUs at the default maxmemory-eviction-tenacity of 10: 500
// µs). Past it the command runs anyway and later commands go on evicting.
const evictionTimeLimit = 500 * time.Microsecond

// entrySize is the keyspace's SizeOf: the bytes a value takes, in O(1).
func entrySize(e *keyspace.Entry) int {
	if e.Obj == nil {
		// Strings, and compact hashes, keep their bytes in Str.
		if e.Enc == keyspace.EncInt || cap(e.Str) == 0 {
			return 0
		}
		return dict.AllocSize(cap(e.Str))
	}
	if m, ok := e.Obj.(interface{ MemoryBytes() int }); ok {
		return m.MemoryBytes()
	}
	return 64
}

// initMemory turns on the keyspace's memory accounting and records the
// memory the server holds before any key exists.
func (s *Server) initMemory() {
	s.ks.SizeOf = entrySize
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	s.baseMem.Store(int64(ms.HeapAlloc))
	s.inst.startupMem.Store(int64(ms.HeapAlloc))
}

// usedMemoryForEviction is what maxmemory is compared with.
func (s *Server) usedMemoryForEviction() int64 {
	return s.baseMem.Load() + s.ks.UsedMemory()
}

// evictIfNeeded is Redis's performEvictions: while used memory is above
// maxmemory it evicts keys by the policy. It reports false when memory is
// still above maxmemory because nothing more can be evicted.
func (s *Server) evictIfNeeded() bool {
	limit := s.set.maxmemory.Load()
	if limit <= 0 || s.usedMemoryForEviction() <= limit {
		return true
	}
	samples := int(s.set.maxmemorySamples.Load())
	start := time.Now()
	monitor := s.set.latencyThreshold.Load() > 0 // LATENCY events (latency.go)
	defer func() {
		if monitor {
			s.latencyEvent("eviction-cycle", time.Since(start).Milliseconds())
		}
	}()
	for n := 0; s.usedMemoryForEviction() > limit; n++ {
		var one time.Time
		if monitor {
			one = time.Now()
		}
		if !s.ks.EvictOne(samples, s.onEvicted) {
			return false
		}
		if monitor {
			s.latencyEvent("eviction-del", time.Since(one).Milliseconds())
		}
		if n%16 == 15 && time.Since(start) > evictionTimeLimit {
			return true // the next command goes on (Redis's EVICT_RUNNING)
		}
	}
	return true
}

// onEvicted runs under the key's shard lock after the key was evicted.
func (s *Server) onEvicted(db int, key []byte) {
	s.stats.evictedKeys.Add(1)
	s.notify(NotifyEvicted, "evicted", key, db)
	s.invalidateKey(nil, key)
	s.ks.Stream.Propagate(db, []byte("DEL"), key)
}

// oomRejects reports whether cmd must be refused while memory cannot be
// brought under maxmemory (processCommand's reject_cmd_on_oom).
func (c *Ctx) oomRejects(cmd *Command) bool {
	if cmd.Flags&FlagDenyOOM != 0 {
		return true
	}
	if c.multi == nil {
		return false
	}
	switch cmd.Name {
	case "exec":
		// EXEC is refused when a queued command is (Redis's mstate.cmd_flags).
		for _, q := range c.multi.queued {
			if q.cmd.Flags&FlagDenyOOM != 0 {
				return true
			}
		}
		return false
	case "discard", "quit", "reset":
		return false
	}
	return true // queueing takes memory too
}
