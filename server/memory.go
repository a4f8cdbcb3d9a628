package server

// MEMORY USAGE / DOCTOR / MALLOC-STATS / PURGE / HELP.
//
// MEMORY USAGE reports an estimate of what the key costs in Vireo's own
// memory layout (dict node, key, entry, value structures), not Redis's
// jemalloc figures, which no other allocator can reproduce: the numbers are
// comparable between keys of one Vireo server, not with redis-server's.
// Like Redis, nested values of big collections are sampled (SAMPLES, default
// 5, 0 for all) and the average is scaled to the collection's size.

import (
	"runtime"
	"runtime/debug"
	"strconv"

	"github.com/vireodb/vireo/datatypes/dict"
	"github.com/vireodb/vireo/datatypes/hash"
	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/list"
	"github.com/vireodb/vireo/datatypes/set"
	"github.com/vireodb/vireo/datatypes/stream"
	"github.com/vireodb/vireo/datatypes/zset"
)

func init() { familyRegistrars = append(familyRegistrars, registerMemoryCommands) }

const (
	memDefaultSamples = 5
	// memKeyOverhead is a keyspace entry's fixed cost: the dict node (key
	// header, Entry, chain pointer) and its bucket slot.
	memKeyOverhead = 16 + 56 + 8 + 8
	memAlign       = 8
)

func memRound(n int) int { return (n + memAlign - 1) &^ (memAlign - 1) }

// MEMORY USAGE key [SAMPLES count]
func cmdMemoryUsage(c *Ctx, args [][]byte) {
	samples := int64(memDefaultSamples)
	for i := 3; i < len(args); i++ {
		if eq(args[i], "samples") && i+1 < len(args) {
			v, ok := c.intArg(args[i+1])
			if !ok {
				return
			}
			if v < 0 {
				c.Error(ErrSyntax)
				return
			}
			samples = v
			if samples == 0 {
				samples = 1<<62 - 1
			}
			i++
			continue
		}
		c.Error(ErrSyntax)
		return
	}
	e := c.db.LookupNoTouch(args[2], c.now)
	if e == nil {
		c.Null()
		return
	}
	c.Int(int64(memKeyOverhead + memRound(len(args[2])) + valueMemory(e, int(samples))))
}

// valueMemory estimates the bytes of e's value, sampling at most samples
// elements of a big collection.
func valueMemory(e *keyspace.Entry, samples int) int {
	if e.Type == keyspace.TypeHash && e.Obj == nil {
		return memRound(cap(e.Str)) // a compact hash is its bytes alone
	}
	switch v := e.Obj.(type) {
	case nil:
		if e.Enc == keyspace.EncInt {
			return 0
		}
		return memRound(cap(e.Str))
	case *set.Set:
		return v.MemoryUsage()
	case *hash.Hash:
		n, seen, bytes := v.Len(), 0, 0
		v.Range(func(f, val []byte) bool {
			bytes += len(f) + len(val)
			seen++
			return seen < samples
		})
		per := 2 // listpack length bytes per entry pair
		if !v.IsCompact() {
			per = 40 + 16 // dict entry and the field/value allocation's header
		}
		return 32 + scaled(bytes, seen, n) + per*n
	case *zset.ZSet:
		n, seen, bytes := v.Len(), 0, 0
		v.Ascend(func(m []byte, _ float64) bool {
			bytes += len(m)
			seen++
			return seen < samples
		})
		per := 10 // listpack member + score entries
		if !v.IsCompact() {
			per = 40 + 48 // dict entry and the tree's slot and score
		}
		return 32 + scaled(bytes, seen, n) + per*n
	case *stream.Stream:
		return v.MemoryUsage()
	case *list.List:
		total := 0
		v.EachNode(func(lp []byte) { total += 48 + memRound(cap(lp)) })
		return 32 + total
	default:
		return memRound(len(e.Str)) + 64
	}
}

// scaled extrapolates bytes seen over seen elements to n elements.
func scaled(bytes, seen, n int) int {
	if seen == 0 || seen >= n {
		return bytes
	}
	return bytes * n / seen
}

// MEMORY DOCTOR
func cmdMemoryDoctor(c *Ctx, args [][]byte) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.HeapAlloc < 5<<20 {
		c.BulkString("Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n")
		return
	}
	c.BulkString("Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n")
}

// MEMORY MALLOC-STATS: Redis answers this for allocators other than
// jemalloc; Vireo's is Go's runtime.
func cmdMemoryMallocStats(c *Ctx, args [][]byte) {
	c.BulkString("Stats not supported for the current allocator")
}

// MEMORY PURGE returns freed memory to the operating system.
func cmdMemoryPurge(c *Ctx, args [][]byte) {
	debug.FreeOSMemory()
	c.OK()
}

// MEMORY STATS: Redis's fields in Redis's order, from the same figures as
// INFO memory. The per-database overheads are the keyspace's hash-table
// nodes; the allocator figures are the Go heap's (allocated = live and
// not yet collected objects, active = spans in use, resident = spans held).
func cmdMemoryStats(c *Ctx, args [][]byte) {
	s := c.srv
	f := s.memFigures()
	type dbOverhead struct {
		index      int
		main, expr int64
	}
	var dbs []dbOverhead
	var keys int64
	for i := 0; i < s.ks.NumDBs(); i++ {
		db := s.ks.DB(i)
		n, e := db.Size(), db.ExpiresSize()
		if n == 0 {
			continue
		}
		keys += n
		dbs = append(dbs, dbOverhead{i, n * keyspaceNodeBytes, e * expiresNodeBytes})
	}
	f32 := func(v float64) { c.Double(float64(float32(v))) }
	c.Map(27 + len(dbs))
	pair := func(name string, v int64) {
		c.BulkString(name)
		c.Int(v)
	}
	pair("peak.allocated", f.peak)
	pair("total.allocated", f.used)
	pair("startup.allocated", f.startup)
	pair("replication.backlog", 0)
	pair("clients.slaves", 0)
	pair("clients.normal", f.clients)
	pair("cluster.links", 0)
	pair("aof.buffer", 0)
	pair("lua.caches", 0)
	pair("functions.caches", 0)
	for _, d := range dbs {
		c.BulkString("db." + strconv.Itoa(d.index))
		c.Map(3)
		pair("overhead.hashtable.main", d.main)
		pair("overhead.hashtable.expires", d.expr)
		pair("overhead.hashtable.slot-to-keys", 0)
	}
	pair("overhead.total", f.overhead)
	pair("keys.count", keys)
	perKey := int64(0)
	if keys > 0 {
		perKey = f.netUsage / keys
	}
	pair("keys.bytes-per-key", perKey)
	pair("dataset.bytes", f.dataset)
	c.BulkString("dataset.percentage")
	f32(float64(f.dataset) * 100 / float64(f.netUsage))
	c.BulkString("peak.percentage")
	f32(float64(f.used) * 100 / float64(max(f.peak, 1)))
	pair("allocator.allocated", f.allocated)
	pair("allocator.active", f.active)
	pair("allocator.resident", f.resident)
	// name.ratio and name.bytes of one layer over the one below.
	layer := func(name string, outer, inner int64) {
		c.BulkString(name + ".ratio")
		f32(ratio(outer, inner))
		pair(name+".bytes", outer-inner)
	}
	layer("allocator-fragmentation", f.active, f.allocated)
	layer("allocator-rss", f.resident, f.active)
	layer("rss-overhead", f.rss, f.resident)
	c.BulkString("fragmentation")
	f32(ratio(f.rss, f.used))
	pair("fragmentation.bytes", f.rss-f.used)
}

// The keyspace's per-key node sizes (key bytes excluded), for MEMORY STATS.
var (
	keyspaceNodeBytes = int64(dict.EntryBytes[keyspace.Entry](0))
	expiresNodeBytes  = int64(dict.EntryBytes[struct{}](0))
)

// MEMORY HELP
func cmdMemoryHelp(c *Ctx, args [][]byte) {
	c.helpReply("MEMORY", []string{
		"DOCTOR",
		"    Return memory problems reports.",
		"MALLOC-STATS",
		"    Return internal statistics report from the memory allocator.",
		"PURGE",
		"    Attempt to purge dirty pages for reclamation by the allocator.",
		"STATS",
		"    Return information about the memory usage of the server.",
		"USAGE <key> [SAMPLES <count>]",
		"    Return memory in bytes used by <key> and its value. Nested values are",
		"    sampled up to <count> times (default: 5, 0 means sample all).",
	})
}

func registerMemoryCommands(t *Table) {
	t.Add(&Command{Name: "memory", Arity: -2, Group: "server", Since: "4.0.0", Summary: "A container for memory diagnostics commands.", Lock: LockNone,
		Subcommands: Sub(
			&Command{Name: "usage", Arity: -3, Flags: FlagReadonly, ACL: []string{"read", "slow"}, Group: "server", Since: "4.0.0",
				Summary: "Estimates the memory a key and its value use.", Usage: "key [SAMPLES count]", FirstKey: 2, LastKey: 2, KeyStep: 1, Handler: cmdMemoryUsage},
			&Command{Name: "doctor", Arity: 2, ACL: []string{"slow"}, Group: "server", Since: "4.0.0",
				Summary: "Returns a report on memory problems.", Lock: LockNone, Handler: cmdMemoryDoctor},
			&Command{Name: "malloc-stats", Arity: 2, ACL: []string{"slow"}, Group: "server", Since: "4.0.0",
				Summary: "Returns the allocator's statistics.", Lock: LockNone, Handler: cmdMemoryMallocStats},
			&Command{Name: "stats", Arity: 2, ACL: []string{"slow"}, Group: "server", Since: "4.0.0",
				Tips:    []string{"nondeterministic_output", "request_policy:all_shards", "response_policy:special"},
				Summary: "Returns details about memory usage.", Lock: LockNone, Handler: cmdMemoryStats},
			&Command{Name: "purge", Arity: 2, ACL: []string{"slow"}, Group: "server", Since: "4.0.0",
				Summary: "Returns freed memory to the operating system.", Lock: LockNone, Handler: cmdMemoryPurge},
			&Command{Name: "help", Arity: 2, Flags: FlagLoading | FlagStale, ACL: []string{"slow"}, Group: "server", Since: "4.0.0",
				Summary: "Returns helpful text about the different subcommands.", Lock: LockNone, Handler: cmdMemoryHelp},
		)})
}
