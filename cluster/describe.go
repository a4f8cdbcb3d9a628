package cluster

import (
	"sort"
	"strconv"
	"strings"
)

// NodesText is CLUSTER NODES (and the nodes.conf lines) as seen by node me:
// one line per node, "id ip:port@cport flags primary ping-sent pong-recv
// config-epoch link-state slot...", slots only for primaries, and me's own
// open slots as [slot->-target] / [slot-<-source]. nowMs stands for the
// last pong from peers: raft heartbeats, not pings, keep them alive.
func (st *State) NodesText(me string, nowMs int64) string {
	var b strings.Builder
	for _, n := range st.SortedNodes() {
		b.WriteString(st.NodeLine(n, me, nowMs))
		b.WriteByte('\n')
	}
	return b.String()
}

// NodeLine is one line of NodesText, without the newline.
func (st *State) NodeLine(n *Node, me string, nowMs int64) string {
	var b strings.Builder
	b.WriteString(n.ID)
	b.WriteByte(' ')
	b.WriteString(n.IP)
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(n.Port))
	b.WriteByte('@')
	b.WriteString(strconv.Itoa(n.BusPort))
	b.WriteByte(' ')
	if n.ID == me {
		b.WriteString("myself,")
	}
	if n.IsReplica() {
		b.WriteString("slave ")
		b.WriteString(n.PrimaryID)
	} else {
		b.WriteString("master -")
	}
	pong := nowMs
	if n.ID == me {
		pong = 0
	}
	b.WriteString(" 0 ")
	b.WriteString(strconv.FormatInt(pong, 10))
	b.WriteByte(' ')
	b.WriteString(strconv.FormatUint(n.ConfigEpoch, 10))
	b.WriteString(" connected")
	if !n.IsReplica() {
		for _, r := range st.SlotRanges(n.ID) {
			b.WriteByte(' ')
			b.WriteString(strconv.Itoa(r.Start))
			if r.End != r.Start {
				b.WriteByte('-')
				b.WriteString(strconv.Itoa(r.End))
			}
		}
	}
	if n.ID == me {
		for _, s := range sortedSlots(n.Migrating) {
			b.WriteString(" [" + strconv.Itoa(s) + "->-" + n.Migrating[s] + "]")
		}
		for _, s := range sortedSlots(n.Importing) {
			b.WriteString(" [" + strconv.Itoa(s) + "-<-" + n.Importing[s] + "]")
		}
	}
	return b.String()
}

func sortedSlots(m map[int]string) []int {
	out := make([]int, 0, len(m))
	for s := range m {
		out = append(out, s)
	}
	sort.Ints(out)
	return out
}

// SlotsEntry is one element of CLUSTER SLOTS: a run of slots and the nodes
// serving it, primary first.
type SlotsEntry struct {
	Start, End int
	Nodes      []*Node
}

// SlotsTable is CLUSTER SLOTS: every run of slots with one owner, in slot
// order, with the owner's replicas.
func (st *State) SlotsTable() []SlotsEntry {
	var out []SlotsEntry
	st.ownedRuns(func(r SlotRange, id string) {
		nodes := []*Node{st.Nodes[id]}
		if nodes[0] == nil {
			nodes[0] = &Node{ID: id}
		}
		nodes = append(nodes, st.Replicas(id)...)
		out = append(out, SlotsEntry{Start: r.Start, End: r.End, Nodes: nodes})
	})
	return out
}

// Shard is one element of CLUSTER SHARDS: a primary's slot ranges and its
// nodes, primary first.
type Shard struct {
	Ranges []SlotRange
	Nodes  []*Node
}

// Shards is CLUSTER SHARDS: one entry per primary (with or without slots),
// ordered by the primary's first slot, slotless ones last by ID.
func (st *State) Shards() []Shard {
	var out []Shard
	for _, n := range st.SortedNodes() {
		if n.IsReplica() && st.Nodes[n.PrimaryID] != nil {
			continue
		}
		out = append(out, Shard{Ranges: st.SlotRanges(n.ID), Nodes: append([]*Node{n}, st.Replicas(n.ID)...)})
	}
	first := func(sh Shard) int {
		if len(sh.Ranges) == 0 {
			return Slots
		}
		return sh.Ranges[0].Start
	}
	sort.SliceStable(out, func(i, j int) bool { return first(out[i]) < first(out[j]) })
	return out
}
