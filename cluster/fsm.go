package cluster

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// OpKind names a configuration change.
type OpKind string

// The configuration changes. Each is one raft log entry; Apply validates it
// against the state it is applied to, so every member reaches the same
// verdict and the same state.
const (
	OpAddNode        OpKind = "add-node"   // Node joins (or updates its addresses); Slots are the slots it claimed alone
	OpAddSlots       OpKind = "addslots"   // Node takes Slots
	OpDelSlots       OpKind = "delslots"   // Slots become unassigned
	OpFlushSlots     OpKind = "flushslots" // Node gives up all its slots
	OpSetSlot        OpKind = "setslot"    // Action on Slot, from Node's point of view
	OpReplicate      OpKind = "replicate"  // Node replicates Target
	OpForget         OpKind = "forget"     // Node forgets Target: Target leaves the cluster
	OpSetConfigEpoch OpKind = "set-config-epoch"
	OpBumpEpoch      OpKind = "bumpepoch"
	OpReset          OpKind = "reset" // Node drops its slots, marks and primary
	// OpFailover: replica Node takes over from its primary Target (CLUSTER
	// FAILOVER): Target's slots become Node's, Target and its other
	// replicas replicate Node, and Node gets a new, highest config epoch.
	OpFailover OpKind = "failover"
)

// SetSlot actions.
const (
	SetSlotImporting = "importing"
	SetSlotMigrating = "migrating"
	SetSlotStable    = "stable"
	SetSlotNode      = "node"
)

// Op is one configuration change, encoded as JSON in the raft log.
type Op struct {
	Kind   OpKind `json:"op"`
	Node   string `json:"node"` // the node the change is made by or for
	Target string `json:"target,omitempty"`
	Slots  []int  `json:"slots,omitempty"`
	Slot   int    `json:"slot,omitempty"`
	Action string `json:"action,omitempty"`
	Epoch  uint64 `json:"epoch,omitempty"`
	// Info is the joining node's description (OpAddNode).
	Info *Node `json:"info,omitempty"`
}

// Encode returns the op's log entry.
func (op *Op) Encode() []byte {
	b, _ := json.Marshal(op) // only plain fields: cannot fail
	return b
}

// DecodeOp parses a log entry.
func DecodeOp(b []byte) (*Op, error) {
	var op Op
	if err := json.Unmarshal(b, &op); err != nil {
		return nil, fmt.Errorf("cluster: bad op: %w", err)
	}
	return &op, nil
}

// Result is what applying an op returns: Err is a Redis error reply (""
// when the change was made), Reply a status text for the ops that have one
// (BUMPEPOCH).
type Result struct {
	Err   string `json:"err,omitempty"`
	Reply string `json:"reply,omitempty"`
	// Applied is the state's Applied count once the op was applied: a
	// follower that forwarded the op waits to reach it before answering,
	// so its client reads its own change.
	Applied uint64 `json:"applied"`
}

// FSM is the cluster configuration as a raft state machine. Apply, Snapshot
// and Restore are called by raft; Current is for everyone else.
type FSM struct {
	mu   sync.Mutex
	st   *State
	view atomic.Pointer[State]
	// OnChange, when set, is called after every applied change with the new
	// published state, outside the FSM's lock.
	OnChange func(*State)
}

// NewFSM returns a state machine holding an empty configuration.
func NewFSM() *FSM {
	f := &FSM{st: NewState()}
	f.view.Store(f.st.Clone())
	return f
}

// Current is the latest applied configuration. Never modify it.
func (f *FSM) Current() *State { return f.view.Load() }

// Apply applies one log entry; it returns a Result.
func (f *FSM) Apply(entry []byte) any {
	op, err := DecodeOp(entry)
	if err != nil {
		return Result{Err: "ERR " + err.Error()}
	}
	f.mu.Lock()
	res := f.st.apply(op)
	f.st.Applied++
	res.Applied = f.st.Applied
	pub := f.st.Clone()
	f.view.Store(pub)
	f.mu.Unlock()
	if f.OnChange != nil {
		f.OnChange(pub)
	}
	return res
}

// Snapshot encodes the whole configuration.
func (f *FSM) Snapshot() ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return EncodeState(f.st)
}

// Restore replaces the configuration with a snapshot's.
func (f *FSM) Restore(b []byte) error {
	st, err := DecodeState(b)
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.st = st
	pub := st.Clone()
	f.view.Store(pub)
	f.mu.Unlock()
	if f.OnChange != nil {
		f.OnChange(pub)
	}
	return nil
}

// snapshotForm is the snapshot encoding: slot owners as ranges.
type snapshotForm struct {
	Nodes        []*Node      `json:"nodes"`
	Slots        []ownedRange `json:"slots"`
	CurrentEpoch uint64       `json:"current_epoch"`
	Applied      uint64       `json:"applied"`
}

type ownedRange struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Node  string `json:"node"`
}

// EncodeState serialises st (snapshots, tests).
func EncodeState(st *State) ([]byte, error) {
	form := snapshotForm{Nodes: st.SortedNodes(), CurrentEpoch: st.CurrentEpoch, Applied: st.Applied}
	st.ownedRuns(func(r SlotRange, id string) {
		form.Slots = append(form.Slots, ownedRange{r.Start, r.End, id})
	})
	b, err := json.Marshal(form)
	if err != nil {
		return nil, fmt.Errorf("cluster: encode state: %w", err)
	}
	return b, nil
}

// DecodeState parses what EncodeState wrote.
func DecodeState(b []byte) (*State, error) {
	var form snapshotForm
	if err := json.Unmarshal(b, &form); err != nil {
		return nil, fmt.Errorf("cluster: decode state: %w", err)
	}
	st := NewState()
	st.CurrentEpoch = form.CurrentEpoch
	st.Applied = form.Applied
	for _, n := range form.Nodes {
		if n == nil || n.ID == "" {
			return nil, errors.New("cluster: decode state: node without ID")
		}
		st.Nodes[n.ID] = n
	}
	for _, r := range form.Slots {
		if r.Start < 0 || r.End >= Slots || r.Start > r.End {
			return nil, fmt.Errorf("cluster: decode state: bad slot range %d-%d", r.Start, r.End)
		}
		for s := r.Start; s <= r.End; s++ {
			st.setOwner(s, r.Node)
		}
	}
	return st, nil
}

func errf(format string, a ...any) Result { return Result{Err: fmt.Sprintf(format, a...)} }

func validSlot(s int) bool { return s >= 0 && s < Slots }

// apply changes st by op; it is deterministic.
func (st *State) apply(op *Op) Result {
	me := st.Nodes[op.Node]
	if me == nil && op.Kind != OpAddNode {
		return errf("ERR Unknown node %s", op.Node)
	}
	for _, s := range op.Slots {
		if !validSlot(s) {
			return errf("ERR Invalid or out of range slot")
		}
	}
	switch op.Kind {
	case OpAddNode:
		return st.addNode(op)
	case OpAddSlots:
		for _, s := range op.Slots {
			if st.Owner[s] != "" {
				return errf("ERR Slot %d is already busy", s)
			}
		}
		for _, s := range op.Slots {
			st.setOwner(s, me.ID)
			delete(me.Importing, s)
		}
	case OpDelSlots:
		for _, s := range op.Slots {
			if st.Owner[s] == "" {
				return errf("ERR Slot %d is already unassigned", s)
			}
		}
		for _, s := range op.Slots {
			st.setOwner(s, "")
		}
	case OpFlushSlots:
		for s := range st.Owner {
			if st.Owner[s] == me.ID {
				st.setOwner(s, "")
			}
		}
	case OpSetSlot:
		return st.setSlot(me, op)
	case OpReplicate:
		p := st.Nodes[op.Target]
		switch {
		case p == nil:
			return errf("ERR Unknown node %s", op.Target)
		case p == me:
			return errf("ERR Can't replicate myself")
		case p.IsReplica():
			return errf("ERR I can only replicate a master, not a replica.")
		case !me.IsReplica() && st.SlotCount(me.ID) != 0:
			return errf("ERR To set a master the node must be empty and without assigned slots.")
		}
		me.PrimaryID = p.ID
		me.ShardID = p.ShardID
		me.Migrating, me.Importing = nil, nil
		// Replicas of a node that becomes a replica follow its new primary.
		for _, n := range st.Nodes {
			if n.PrimaryID == me.ID {
				n.PrimaryID = p.ID
				n.ShardID = p.ShardID
			}
		}
	case OpForget:
		t := st.Nodes[op.Target]
		switch {
		case op.Target == me.ID:
			return errf("ERR I tried hard but I can't forget myself...")
		case t == nil:
			return errf("ERR Unknown node %s", op.Target)
		case me.PrimaryID == t.ID:
			return errf("ERR Can't forget my master!")
		}
		st.removeNode(t.ID)
	case OpSetConfigEpoch:
		switch {
		case len(st.Nodes) > 1:
			return errf("ERR The user can assign a config epoch only when the node does not know any other node.")
		case me.ConfigEpoch != 0:
			return errf("ERR Node config epoch is already non-zero")
		}
		me.ConfigEpoch = op.Epoch
		st.CurrentEpoch = max(st.CurrentEpoch, op.Epoch)
	case OpBumpEpoch:
		if me.ConfigEpoch == 0 || me.ConfigEpoch != st.MaxEpoch() {
			st.CurrentEpoch++
			me.ConfigEpoch = st.CurrentEpoch
			return Result{Reply: fmt.Sprintf("BUMPED %d", me.ConfigEpoch)}
		}
		return Result{Reply: fmt.Sprintf("STILL %d", me.ConfigEpoch)}
	case OpFailover:
		return st.failover(me, op.Target)
	case OpReset:
		for s := range st.Owner {
			if st.Owner[s] == me.ID {
				st.setOwner(s, "")
			}
		}
		me.PrimaryID = ""
		me.Migrating, me.Importing = nil, nil
		if op.Action == "hard" {
			me.ConfigEpoch = 0
			st.CurrentEpoch = 0
		}
	default:
		return errf("ERR unknown cluster op %q", op.Kind)
	}
	return Result{}
}

// failover makes replica me the primary of its shard in place of its
// primary primaryID. The proposer names the primary it saw, so that a
// proposal made against a configuration that changed since (another
// failover, a REPLICATE) fails instead of moving the wrong slots.
func (st *State) failover(me *Node, primaryID string) Result {
	switch {
	case !me.IsReplica():
		return errf("ERR You should send CLUSTER FAILOVER to a replica")
	case st.Nodes[me.PrimaryID] == nil:
		return errf("ERR I'm a replica but my master is unknown to me")
	case me.PrimaryID != primaryID:
		return errf("ERR The primary changed during the failover")
	}
	old := st.Nodes[primaryID]
	for s := range st.Owner {
		if st.Owner[s] == old.ID {
			st.setOwner(s, me.ID)
		}
	}
	// Open slots stay with the shard: the new primary carries on the old
	// one's migrations and imports.
	me.Migrating, me.Importing = old.Migrating, old.Importing
	old.Migrating, old.Importing = nil, nil
	me.PrimaryID = ""
	for _, n := range st.Nodes {
		if n.PrimaryID == old.ID {
			n.PrimaryID = me.ID
		}
	}
	old.PrimaryID = me.ID
	// Redis's winner of a failover election takes a new epoch, greater
	// than any other, so that its claim on the slots wins everywhere.
	st.CurrentEpoch = st.MaxEpoch() + 1
	me.ConfigEpoch = st.CurrentEpoch
	return Result{}
}

func (st *State) addNode(op *Op) Result {
	info := op.Info
	if info == nil || info.ID == "" {
		return errf("ERR add-node without node")
	}
	n := st.Nodes[info.ID]
	if n == nil {
		n = &Node{ID: info.ID, ConfigEpoch: info.ConfigEpoch, ShardID: info.ShardID}
		if n.ShardID == "" {
			n.ShardID = info.ID
		}
		st.Nodes[n.ID] = n
		st.CurrentEpoch = max(st.CurrentEpoch, n.ConfigEpoch)
	}
	if info.IP != "" {
		n.IP = info.IP
	}
	if info.Port != 0 {
		n.Port = info.Port
	}
	if info.BusPort != 0 {
		n.BusPort = info.BusPort
	}
	// Slots the node claimed while alone are kept when nobody else has
	// them (redis-cli --cluster create assigns slots before MEET).
	for _, s := range op.Slots {
		if st.Owner[s] == "" {
			st.setOwner(s, n.ID)
		}
	}
	return Result{}
}

func (st *State) removeNode(id string) {
	for s := range st.Owner {
		if st.Owner[s] == id {
			st.setOwner(s, "")
		}
	}
	delete(st.Nodes, id)
	for _, n := range st.Nodes {
		if n.PrimaryID == id {
			n.PrimaryID = ""
			n.ShardID = n.ID
		}
		for s, peer := range n.Migrating {
			if peer == id {
				delete(n.Migrating, s)
			}
		}
		for s, peer := range n.Importing {
			if peer == id {
				delete(n.Importing, s)
			}
		}
	}
}

func (st *State) setSlot(me *Node, op *Op) Result {
	slot := op.Slot
	if !validSlot(slot) {
		return errf("ERR Invalid or out of range slot")
	}
	if me.IsReplica() {
		return errf("ERR Please use SETSLOT only with masters.")
	}
	switch op.Action {
	case SetSlotMigrating:
		if st.Owner[slot] != me.ID {
			return errf("ERR I'm not the owner of hash slot %d", slot)
		}
		t := st.Nodes[op.Target]
		if t == nil {
			return errf("ERR I don't know about node %s", op.Target)
		}
		if t.IsReplica() {
			return errf("ERR Target node is not a master")
		}
		if me.Migrating == nil {
			me.Migrating = map[int]string{}
		}
		me.Migrating[slot] = t.ID
	case SetSlotImporting:
		if st.Owner[slot] == me.ID {
			return errf("ERR I'm already the owner of hash slot %d", slot)
		}
		t := st.Nodes[op.Target]
		if t == nil {
			return errf("ERR I don't know about node %s", op.Target)
		}
		if t.IsReplica() {
			return errf("ERR Target node is not a master")
		}
		if me.Importing == nil {
			me.Importing = map[int]string{}
		}
		me.Importing[slot] = t.ID
	case SetSlotStable:
		delete(me.Migrating, slot)
		delete(me.Importing, slot)
	case SetSlotNode:
		t := st.Nodes[op.Target]
		if t == nil {
			return errf("ERR Unknown node %s", op.Target)
		}
		if t.IsReplica() {
			return errf("ERR Target node is not a master")
		}
		// The slot's migration, if any, is over everywhere: the source
		// no longer redirects with ASK, the target no longer imports.
		_, wasImporting := t.Importing[slot]
		for _, n := range st.Nodes {
			delete(n.Migrating, slot)
			delete(n.Importing, slot)
		}
		st.setOwner(slot, t.ID)
		if wasImporting {
			// Redis bumps the importing node's epoch without consensus so
			// its claim wins; here it only keeps the epochs telling.
			st.CurrentEpoch++
			t.ConfigEpoch = st.CurrentEpoch
		}
	default:
		return errf("ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP")
	}
	return Result{}
}
