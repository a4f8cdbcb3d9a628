// Package cluster owns Vireo's cluster-mode logic that does not need the
// network: the key-to-slot function (CRC16-XMODEM of the key or of its
// {hash tag}, modulo 16384), the cluster configuration kept in a raft log
// (nodes, slot owners, migrating/importing marks, epochs) as a deterministic
// state machine, the text and structures CLUSTER NODES / SLOTS / SHARDS are
// built from, and the redirection decision (serve here, MOVED, ASK,
// CROSSSLOT, TRYAGAIN, CLUSTERDOWN) taken before a command runs.
//
// Why raft instead of Redis's gossip bus: one committed slot map means no
// config-epoch collisions to resolve and no window where two nodes both
// believe they own a slot; every change (ADDSLOTS, SETSLOT, REPLICATE, MEET)
// is one log entry applied in the same order on every node. The raft member
// itself is replication/raftgroup; the server package opens it, forwards
// proposals from followers to the leader and reacts to applied changes.
//
// The package must not import server, redcon, raft or the keyspace: it is
// pure data and functions, tested without sockets.
package cluster
