package cluster

import (
	"maps"
	"sort"
)

// Node is one member of the cluster as the committed configuration knows
// it. Addresses are what clients and peers dial: IP and Port for commands,
// BusPort for the raft transport (Redis's cluster bus port).
type Node struct {
	ID      string `json:"id"`
	IP      string `json:"ip"`
	Port    int    `json:"port"`
	BusPort int    `json:"cport"`
	// PrimaryID is the primary this node replicates, "" for a primary.
	PrimaryID   string `json:"primary,omitempty"`
	ConfigEpoch uint64 `json:"epoch"`
	// ShardID names the primary and its replicas together (CLUSTER
	// MYSHARDID): a replica takes its primary's.
	ShardID string `json:"shard"`
	// Migrating and Importing are this node's open slots (CLUSTER SETSLOT
	// MIGRATING / IMPORTING): slot -> the peer node ID.
	Migrating map[int]string `json:"migrating,omitempty"`
	Importing map[int]string `json:"importing,omitempty"`
}

// IsReplica reports whether n replicates another node.
func (n *Node) IsReplica() bool { return n.PrimaryID != "" }

// RaftAddr is the address the node's raft transport listens on.
func (n *Node) RaftAddr() string { return joinHostPort(n.IP, n.BusPort) }

// Addr is the node's client address, ip:port, as MOVED/ASK write it.
// Redis writes it without brackets, even for IPv6.
func (n *Node) Addr() string { return string(appendUint([]byte(n.IP+":"), uint64(n.Port))) }

func (n *Node) clone() *Node {
	c := *n
	c.Migrating = maps.Clone(n.Migrating)
	c.Importing = maps.Clone(n.Importing)
	return &c
}

// State is the cluster configuration: the known nodes, the owner of each
// slot and the current epoch. A published State is never changed again:
// readers on the command path load it without a lock.
type State struct {
	Nodes        map[string]*Node
	Owner        [Slots]string // node ID, "" when the slot is unassigned
	CurrentEpoch uint64
	// Assigned counts the slots with an owner.
	Assigned int
	// Applied counts the log entries applied: the same on every member
	// at the same point of the log.
	Applied uint64
	// openSlots counts the migrating/importing marks, as of the Clone
	// that published the state: Route's fast path needs none.
	openSlots int
}

// NewState returns an empty configuration.
func NewState() *State { return &State{Nodes: map[string]*Node{}} }

// Clone returns a deep copy of st.
func (st *State) Clone() *State {
	c := &State{Nodes: make(map[string]*Node, len(st.Nodes)), Owner: st.Owner, CurrentEpoch: st.CurrentEpoch, Assigned: st.Assigned, Applied: st.Applied}
	for id, n := range st.Nodes {
		c.Nodes[id] = n.clone()
		c.openSlots += len(n.Migrating) + len(n.Importing)
	}
	return c
}

// Node returns the node with that ID, nil if unknown.
func (st *State) Node(id string) *Node { return st.Nodes[id] }

// SlotOwner returns the node serving slot, nil when unassigned.
func (st *State) SlotOwner(slot int) *Node {
	if id := st.Owner[slot]; id != "" {
		return st.Nodes[id]
	}
	return nil
}

// SortedNodes lists the nodes ordered by ID, for stable output.
func (st *State) SortedNodes() []*Node {
	out := make([]*Node, 0, len(st.Nodes))
	for _, n := range st.Nodes {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Replicas lists the nodes replicating primaryID, ordered by ID.
func (st *State) Replicas(primaryID string) []*Node {
	var out []*Node
	for _, n := range st.SortedNodes() {
		if n.PrimaryID == primaryID {
			out = append(out, n)
		}
	}
	return out
}

// SlotRange is an inclusive run of slots.
type SlotRange struct{ Start, End int }

// SlotRanges returns the runs of slots owned by id, ascending.
func (st *State) SlotRanges(id string) []SlotRange {
	var out []SlotRange
	st.ownedRuns(func(r SlotRange, owner string) {
		if owner == id {
			out = append(out, r)
		}
	})
	return out
}

// ownedRuns calls fn, in slot order, for every maximal run of slots with
// one owner (unowned slots are skipped).
func (st *State) ownedRuns(fn func(r SlotRange, owner string)) {
	for s := 0; s < Slots; s++ {
		id := st.Owner[s]
		if id == "" {
			continue
		}
		e := s
		for e+1 < Slots && st.Owner[e+1] == id {
			e++
		}
		fn(SlotRange{s, e}, id)
		s = e
	}
}

// SlotCount is the number of slots id owns.
func (st *State) SlotCount(id string) int {
	n := 0
	for _, o := range st.Owner {
		if o == id {
			n++
		}
	}
	return n
}

// Size is cluster_size: the number of primaries serving at least one slot.
func (st *State) Size() int {
	seen := map[string]bool{}
	for _, o := range st.Owner {
		if o != "" {
			seen[o] = true
		}
	}
	return len(seen)
}

// MaxEpoch is the greatest config epoch known, or the current epoch when
// that is greater (Redis's clusterGetMaxEpoch).
func (st *State) MaxEpoch() uint64 {
	m := st.CurrentEpoch
	for _, n := range st.Nodes {
		m = max(m, n.ConfigEpoch)
	}
	return m
}

// Primary returns the primary of n's shard: n itself for a primary.
func (st *State) Primary(n *Node) *Node {
	if n.PrimaryID != "" {
		if p := st.Nodes[n.PrimaryID]; p != nil {
			return p
		}
	}
	return n
}

func (st *State) setOwner(slot int, id string) {
	if st.Owner[slot] == "" && id != "" {
		st.Assigned++
	} else if st.Owner[slot] != "" && id == "" {
		st.Assigned--
	}
	st.Owner[slot] = id
}

func joinHostPort(ip string, port int) string {
	b := make([]byte, 0, len(ip)+8)
	if len(ip) > 0 && containsColon(ip) {
		b = append(b, '[')
		b = append(b, ip...)
		b = append(b, ']')
	} else {
		b = append(b, ip...)
	}
	b = append(b, ':')
	return string(appendUint(b, uint64(port)))
}

func containsColon(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			return true
		}
	}
	return false
}

func appendUint(b []byte, v uint64) []byte {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(b, buf[i:]...)
}
