// Package set is the value of a Redis set: a compact intset while every
// member is an integer and there are few of them, a hash table (datatypes/dict)
// otherwise, converting at Redis's threshold (set-max-intset-entries, passed
// in by the caller).
//
// The intset is kept in Redis's own byte layout (intset.c): a 4-byte
// encoding (2, 4 or 8 bytes per member), a 4-byte count, then the members in
// ascending order, all little endian. So it costs 2 to 8 bytes a member, its
// iteration order is Redis's (ascending), and its RDB form
// (RDB_TYPE_SET_INTSET) is these bytes as they are, byte for byte what
// redis-server writes for the same set.
//
// Redis 7.2 also keeps small sets of strings in a listpack
// (set-max-listpack-entries); Vireo follows Redis 7.0 here and goes straight
// from intset to hash table, so OBJECT ENCODING agrees with redis-server
// 7.0.15. That is a deliberate gap: RDB payloads written by 7.2 with a
// listpack set are still read (persistence/rdb converts them).
//
// A Set is not safe for concurrent use; the keyspace's shard lock guards it.
//
// This package imports only the standard library and datatypes/dict and
// datatypes/num: no networking, no server, no persistence.
package set
