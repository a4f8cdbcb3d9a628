// Package snapshot writes point-in-time RDB files of a live keyspace without
// fork (BGSAVE; later the AOF rewrite base and replica full syncs), and whole
// files of a keyspace whose every lock the caller holds (SAVE).
//
// It owns the snapshot epoch: which entries still have to be saved, the
// keyspace.SnapshotHook that saves an entry's old version before a writer
// changes it, and the saver that walks the shards. It builds on
// persistence/rdb for the file format and datatypes/keyspace for the engine;
// it must not import server/ or any networking.
package snapshot
