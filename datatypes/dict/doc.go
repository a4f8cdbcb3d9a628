// Package dict is Vireo's own hash table: the table under the keyspace, big
// hashes and big sets.
//
// Go maps cannot resume an iteration across calls, cannot pick a random
// element and spend more bytes per entry than needed, and Redis semantics need
// all three. So Dict follows Redis's dict.c:
//
//   - chained buckets in a power-of-two table indexed by the LOW bits of the
//     hash (the keyspace picks a shard with the high bits of the same hash);
//   - incremental rehashing: growing or shrinking allocates a second table and
//     moves one bucket per operation, so no single call pays for a full
//     rehash; lookups look in both tables meanwhile;
//   - Redis 7.2's resize policy: grow to the next power of two above Len when
//     an insert finds Len >= buckets (load factor 1); shrink to the smallest
//     power of two >= max(Len, 4) when a delete leaves the table under 10%
//     full (server.c htNeedsResize, HASHTABLE_MIN_FILL 10);
//   - Scan with Redis's reverse-binary cursor (dictScan): an element present
//     for the whole scan is returned at least once however the table grows or
//     shrinks between calls;
//   - RandomEntry and Sample, after dictGetFairRandomKey and dictGetSomeKeys,
//     for RANDOMKEY, SRANDMEMBER, SPOP, HRANDFIELD, eviction and active expiry;
//   - one allocation per entry: key, value and chain pointer, no cached hash.
//
// A Dict is not safe for concurrent use, not even by readers only: lookups
// move buckets while a rehash is in progress. The keyspace serialises access
// with its shard mutex. Inside the callbacks of Range, Scan and Sample
// rehashing is paused, so they may look up (Get, Ref, RandomEntry) but must not
// mutate the Dict (Set, Delete, Clear, Grow); a mutation there panics.
//
// It imports only the standard library.
package dict
