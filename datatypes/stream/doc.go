// Package stream is the Redis stream value: entries in ID order, trimming,
// consumer groups with their pending entries lists and consumers.
//
// It owns the data structure only: no networking, no reply writing, no
// command parsing beyond stream IDs. It must not import server, persistence,
// redcon or any package above datatypes.
//
// Entries live in nodes that mirror Redis's radix-tree listpacks: a node
// holds up to stream-node-max-entries entries (live and deleted ones) and
// about stream-node-max-bytes of listpack, its first entry's field names are
// the node's "master fields", and an entry whose field names equal them keeps
// only its values. Deleted entries stay in their node until the whole node
// goes, exactly as in Redis, because the approximate trim (XTRIM ~, XADD
// MAXLEN ~) removes whole nodes only: keeping the same boundaries makes
// XLEN after an approximate trim equal Redis's. Each node tracks the byte
// size its Redis listpack would have so the boundaries fall where Redis's do.
//
// The API for persistence (RDB): Nodes/EachEntry iterate entries in ID order
// with their fields, LastID/SetLastID, EntriesAdded, MaxDeletedID, FirstID,
// and Groups walks every consumer group (LastID, EntriesRead, the PEL with
// delivery time and count, and the consumers with their own PEL).
package stream
