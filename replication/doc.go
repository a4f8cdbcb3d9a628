// Package replication implements the wire side of Redis's PSYNC2
// asynchronous replication, for both roles:
//
//   - the primary side: the replication backlog (a circular buffer of
//     repl-backlog-size bytes, with the replication IDs and offsets that
//     decide whether a PSYNC can continue), and the per-replica output
//     Feed that a writer goroutine drains to the replica's socket;
//   - the replica side: the Link that connects to a primary, performs the
//     handshake (PING, AUTH, REPLCONF, PSYNC), receives the RDB payload in
//     either the $<len> or the diskless $EOF:<mark> form, then reads the
//     command stream, tracking the offset, answering REPLCONF GETACK and
//     sending REPLCONF ACK every second (with FACK, how far the replica's
//     AOF is fsynced, when the server reports it), and reconnects with
//     backoff.
//
// The package knows nothing of the keyspace or the command table: the
// server hands the Link an Applier that loads the payload and applies each
// command. It must not import server/ (the server imports it) nor
// datatypes/.
package replication
