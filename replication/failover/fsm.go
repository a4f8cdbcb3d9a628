package failover

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// State is the group's committed configuration. The zero State (no
// primary) is a group whose first configuration is not committed yet.
type State struct {
	Members []Member `json:"members"`
	// Primary is the ID of the member that takes writes.
	Primary string `json:"primary"`
	// Epoch counts configurations: 1 for the initial one, +1 per promotion.
	Epoch uint64 `json:"epoch"`
}

// Initialized reports whether a configuration has been committed.
func (s State) Initialized() bool { return s.Primary != "" }

// Member returns the member with the given ID.
func (s State) Member(id string) (Member, bool) {
	for _, m := range s.Members {
		if m.ID == id {
			return m, true
		}
	}
	return Member{}, false
}

// PrimaryMember returns the primary's member entry.
func (s State) PrimaryMember() (Member, bool) { return s.Member(s.Primary) }

func (s State) clone() State {
	s.Members = append([]Member(nil), s.Members...)
	return s
}

// The operations of a Command.
const (
	// OpInit commits the first configuration: Members, Primary, epoch 1.
	// Every member proposes the same one (from vireo-failover-peers), and
	// only the first committed applies.
	OpInit = "init"
	// OpPromote makes Primary the primary; Epoch must be the current epoch
	// plus one, so a decision taken on a stale view is refused.
	OpPromote = "promote"
)

// Command is one entry of the raft log.
type Command struct {
	Op      string   `json:"op"`
	Members []Member `json:"members,omitempty"`
	Primary string   `json:"primary"`
	Epoch   uint64   `json:"epoch,omitempty"`
}

// Encode is the command's log encoding.
func (c Command) Encode() []byte {
	b, _ := json.Marshal(c) // strings and numbers only: cannot fail
	return b
}

// Errors an FSM application returns (as the raft response).
var (
	ErrAlreadyInitialized = errors.New("failover: configuration already initialized")
	ErrStaleEpoch         = errors.New("failover: stale epoch")
	ErrNotMember          = errors.New("failover: not a member")
	ErrNotInitialized     = errors.New("failover: configuration not initialized")
)

// FSM is the raft state machine holding the State. Apply is deterministic:
// every member reaches the same State from the same log. Each change is
// reported on Changes (coalesced: a reader sees at least the latest).
type FSM struct {
	mu      sync.Mutex
	state   State
	changed chan struct{}
	// primary is state.Primary, readable without the lock: the server
	// checks it before every write.
	primary atomic.Pointer[string]
}

// NewFSM returns an FSM holding the zero State.
func NewFSM() *FSM { return &FSM{changed: make(chan struct{}, 1)} }

// State returns a copy of the current State.
func (f *FSM) State() State {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.state.clone()
}

// IsPrimary reports whether the committed State names id primary.
func (f *FSM) IsPrimary(id string) bool {
	p := f.primary.Load()
	return p != nil && *p == id
}

// Changes receives a value after every change of the State.
func (f *FSM) Changes() <-chan struct{} { return f.changed }

// Apply applies one encoded Command and returns nil or the error that
// refused it. A malformed command is refused, never a panic: the log is
// written only by members, but a bad entry must not stop the group.
func (f *FSM) Apply(cmd []byte) any {
	var c Command
	if err := json.Unmarshal(cmd, &c); err != nil {
		return fmt.Errorf("failover: bad command: %w", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch c.Op {
	case OpInit:
		if f.state.Initialized() {
			return ErrAlreadyInitialized
		}
		next := State{Members: append([]Member(nil), c.Members...), Primary: c.Primary, Epoch: 1}
		if _, ok := next.Member(c.Primary); !ok {
			return ErrNotMember
		}
		f.state = next
	case OpPromote:
		if !f.state.Initialized() {
			return ErrNotInitialized
		}
		if c.Epoch != f.state.Epoch+1 {
			return ErrStaleEpoch
		}
		if _, ok := f.state.Member(c.Primary); !ok {
			return ErrNotMember
		}
		f.state.Primary = c.Primary
		f.state.Epoch = c.Epoch
	default:
		return fmt.Errorf("failover: unknown command %q", c.Op)
	}
	f.notify()
	return nil
}

// notify publishes a change; the caller holds mu.
func (f *FSM) notify() {
	p := f.state.Primary
	f.primary.Store(&p)
	select {
	case f.changed <- struct{}{}:
	default:
	}
}

// Snapshot encodes the State.
func (f *FSM) Snapshot() ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return json.Marshal(f.state)
}

// Restore replaces the State with a snapshot's.
func (f *FSM) Restore(b []byte) error {
	var s State
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("failover: bad snapshot: %w", err)
	}
	f.mu.Lock()
	f.state = s
	f.notify()
	f.mu.Unlock()
	return nil
}
