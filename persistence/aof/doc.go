// Package aof is Redis 7's multi-part append-only file: the manifest that
// names a base file (an RDB preamble or commands) and the incremental files
// of commands after it, the writer that appends the propagation stream to
// the current incremental file under an fsync policy (always with group
// commit, everysec, no), the loader that replays base and increments in
// order (truncated tails, legacy single-file AOFs), and the directory
// operations of a rewrite (new increment, new base, history clean-up).
//
// The package does not run commands or read the keyspace: the loader hands
// RDB preambles and commands to callbacks, and the server writes the base
// from its snapshot. It builds on datatypes/sds for the manifest quoting;
// it must not import server/, persistence/snapshot or any networking.
package aof
