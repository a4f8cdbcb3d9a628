// Package list is the value of a Redis list: a quicklist, a doubly linked list
// of nodes where each node holds up to list-max-listpack-size elements in one
// listpack, byte for byte the listpack Redis builds.
//
// Why literal listpacks: they are memory-lean (one to a few bytes of overhead
// per element, integers packed), pushing and popping at either end touches
// only the end node, and DUMP/RDB write each node's bytes as they are, so a
// DUMP equals redis-server's when the node layout does. The node layout
// follows Redis 7.0's quicklist.c exactly for the operations that shape it
// (push at either end, insert with node split and merge, delete ranges,
// replace), so lists built by the same commands dump to the same bytes.
//
// Left out on purpose: in-memory LZF compression of interior nodes
// (list-compress-depth) — DUMP bytes do not depend on it, since a node that
// Redis keeps compressed is written with the same LZF bytes that the RDB
// writer's own compression produces — and "plain" nodes for elements of 1 GB
// or more (only reachable by raising proto-max-bulk-len past 1 GB).
//
// Values returned by the accessors may alias node memory: they are valid until
// the next change to the list. A List is not safe for concurrent use; the
// keyspace serialises access with its shard locks.
//
// It imports only the standard library and datatypes/listpack (the byte-level
// listpack code it shares with the RDB codecs).
package list
