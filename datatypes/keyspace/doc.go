// Package keyspace is Vireo's storage engine: the databases, their shards,
// locking, lazy and active expiry, WATCH bookkeeping, the propagation stream,
// the queues of clients blocked on keys (blocking.go: BLPOP and friends) and
// the hooks that fork-less snapshots will use.
//
// Each database is split into a power-of-two number of shards by the high bits
// of the key's hash; a shard owns a mutex, a dict of entries and a dict of the
// keys that carry a TTL. The shards of all databases sit in one array, so a
// shard has a global index (db*shardsPerDB + shard) and every caller that
// needs several shards locks them in ascending global index: no deadlocks.
//
// Rules for callers (the server's dispatcher follows them):
//   - Every DB method that takes a key requires the caller to hold the lock of
//     that key's shard. Methods that need more say so.
//   - Values returned by Lookup point into the shard and are valid only while
//     the lock is held and until the next change to that shard.
//
// This package must not import the network, redcon, raft, Lua or server/.
package keyspace
