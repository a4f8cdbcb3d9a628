// Package failover decides, for one replication group, which node is the
// primary, and keeps that decision in a hashicorp/raft group so that it
// cannot split.
//
// It owns:
//   - the replicated configuration (State: members, primary, epoch) and the
//     raft FSM that applies its commands (fsm.go), encoded as JSON;
//   - the peer list syntax of vireo-failover-peers (peers.go);
//   - the monitor (monitor.go): every node probes every member (PING, and
//     INFO for the replication offset) over RESP; the raft leader alone
//     commits "promote the reachable replica with the highest offset,
//     epoch+1" once the primary has been unreachable for longer than
//     down-after, and moves raft leadership to the primary;
//   - the Node (node.go) that runs all of it and tells the server, in
//     commit order, about every new configuration, and answers whether this
//     node may take writes now (the committed primary, and the raft leader
//     with a quorum-verified lease).
//
// It speaks RESP only as a client of the members' client ports (probe.go).
// It must not import server/ (the server fills its OnChange callback and
// answers the Sentinel commands from its State) nor datatypes/.
package failover
