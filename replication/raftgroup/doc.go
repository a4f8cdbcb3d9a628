// Package raftgroup runs one member of a hashicorp/raft group for the
// decisions that must not split: which node is the primary of a replication
// group (replication/failover) and which node owns which hash slots
// (cluster/).
//
// It owns the raft plumbing only: the TCP transport, the durable log and
// stable stores (raft-boltdb), the snapshot store, timeouts tuned for a LAN,
// and the bridge from raft's logger to log/slog. The state machine is the
// caller's: an FSM that applies opaque commands in log order and snapshots
// to bytes. It imports nothing of Vireo.
package raftgroup
