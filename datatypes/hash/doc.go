// Package hash is the value of a Redis hash: a map from field to value, both
// binary strings, in one of Redis's two encodings.
//
//   - Compact (OBJECT ENCODING "listpack"): while the hash is small, its
//     pairs sit back to back in one byte slice, each string as a uvarint
//     length and its bytes, in insertion order (an update keeps its place,
//     as in Redis's listpack). That costs one byte per string below 128
//     bytes and one allocation for the whole hash, and HGETALL is a walk
//     over one buffer. It is not Redis's listpack byte format (values are
//     kept as given, not integer-encoded, so reads never format numbers);
//     persistence/rdb writes the real listpack when dumping.
//   - Table (OBJECT ENCODING "hashtable"): a datatypes/dict keyed by field,
//     for SCAN-style cursors and fair random picks. Each field and its value
//     share one allocation.
//
// A hash converts from compact to table, never back, exactly when Redis's
// does: when a field or value longer than Limits.MaxListpackValue is set, or
// the number of fields exceeds Limits.MaxListpackEntries. The caller passes
// the limits on every write (they are hot settings: a CONFIG SET affects
// later writes only).
//
// Byte slices returned by Get, Range, Scan and the random pickers alias the
// hash's own storage: they are valid until the hash is next modified and
// must not be written to.
//
// A Hash is not safe for concurrent use; the keyspace's shard lock guards
// it. It imports the standard library and datatypes/dict only: no
// networking, no server, no persistence.
package hash
