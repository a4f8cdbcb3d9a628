package failover

// The Node runs this member's share of failover: the raft member holding
// the FSM, the monitor's tick, the leader's lease, and the delivery of
// committed configurations to the server.
//
// Who takes writes. The server asks Writable before every write it would
// take as a primary. It is true only while (a) the committed State names
// this node primary and (b) this node is the raft leader and a quorum
// confirmed that (VerifyLeader) less than a heartbeat timeout ago. No other
// member can be elected leader before a quorum has missed the leader's
// heartbeats for a heartbeat timeout, and a promotion needs a leader plus
// down-after on top, so the lease has run out before another primary can
// be committed — whatever happened to this process (a pause, a partition).
// To make (b) possible the leader hands raft leadership to the committed
// primary whenever the primary is reachable: the group's primary and its
// raft leader are the same node in the steady state.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vireodb/vireo/replication/raftgroup"
)

// Config describes this node's failover member.
type Config struct {
	// NodeID is this node's ID, one of Members.
	NodeID string
	// RaftBind is the address the raft transport listens on; empty is the
	// member's RaftAddr.
	RaftBind string
	// Dir holds the raft log and snapshots; empty keeps them in memory.
	Dir string
	// Members is the initial configuration; the first is the primary.
	Members []Member
	// DownAfter is how long the primary must be unreachable before a
	// replica is promoted.
	DownAfter time.Duration
	// Prober reaches the members; nil is a RESPProber without AUTH.
	Prober Prober
	// HeartbeatTimeout and ElectionTimeout tune raft (zero: 500ms each).
	HeartbeatTimeout, ElectionTimeout time.Duration
	// Tick is the monitor's period; zero is 100ms.
	Tick time.Duration
	// Logger receives the node's and raft's log lines; nil discards them.
	Logger *slog.Logger
	// OnChange is called with every new committed State, in commit order,
	// from one goroutine; it may be called with intermediate States
	// skipped while a restarted node catches up. Every second it is also
	// called with old == cur, so that the node re-asserts its role if
	// something else changed it (an operator's REPLICAOF): it must be
	// idempotent.
	OnChange func(old, cur State)
}

// Node is this process's failover member.
type Node struct {
	cfg   Config
	self  Member
	fsm   *FSM
	group *raftgroup.Group
	mon   *Monitor
	log   *slog.Logger

	lease      time.Duration
	leaseUntil atomic.Int64 // unix ms until which the leader lease holds

	mu      sync.Mutex
	current State // the State last delivered to OnChange

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Start opens the raft member (bootstrapping the group from Members on
// first start) and starts the node's goroutines.
func Start(cfg Config) (*Node, error) {
	n := &Node{cfg: cfg, fsm: NewFSM(), log: cfg.Logger}
	if n.log == nil {
		n.log = slog.New(slog.DiscardHandler)
	}
	var ok bool
	for _, m := range cfg.Members {
		if m.ID == cfg.NodeID {
			n.self, ok = m, true
		}
	}
	if !ok {
		return nil, fmt.Errorf("failover: node id %q is not among the peers", cfg.NodeID)
	}
	if cfg.Prober == nil {
		cfg.Prober = &RESPProber{}
		n.cfg.Prober = cfg.Prober
	}
	if n.cfg.Tick <= 0 {
		n.cfg.Tick = 100 * time.Millisecond
	}
	n.lease = cfg.HeartbeatTimeout
	if n.lease <= 0 {
		n.lease = 500 * time.Millisecond
	}
	bind := cfg.RaftBind
	if bind == "" {
		bind = n.self.RaftAddr
	}
	boot := make([]raftgroup.Server, len(cfg.Members))
	for i, m := range cfg.Members {
		boot[i] = raftgroup.Server{ID: m.ID, Addr: m.RaftAddr}
	}
	g, err := raftgroup.Open(raftgroup.Config{
		NodeID: cfg.NodeID, BindAddr: bind, AdvertiseAddr: n.self.RaftAddr, Dir: cfg.Dir,
		Bootstrap: boot, HeartbeatTimeout: cfg.HeartbeatTimeout, ElectionTimeout: cfg.ElectionTimeout,
		Logger: cfg.Logger,
	}, n.fsm)
	if err != nil {
		return nil, fmt.Errorf("failover: %w", err)
	}
	n.group = g
	n.mon = NewMonitor(MonitorConfig{DownAfter: cfg.DownAfter, Prober: n.cfg.Prober})
	ctx, cancel := context.WithCancel(context.Background())
	n.cancel = cancel
	n.wg.Add(3)
	go n.deliverLoop(ctx)
	go n.monitorLoop(ctx)
	go n.leaseLoop(ctx)
	return n, nil
}

// Close stops the node and its raft member.
func (n *Node) Close() error {
	n.cancel()
	err := n.group.Close()
	n.wg.Wait()
	if p, ok := n.cfg.Prober.(*RESPProber); ok {
		p.Close()
	}
	return err
}

// Self is this node's member entry.
func (n *Node) Self() Member { return n.self }

// State is the committed configuration as this node last applied it.
func (n *Node) State() State { return n.fsm.State() }

// Health is what this node last saw of member id.
func (n *Node) Health(id string) MemberHealth { return n.mon.Health(id) }

// DownFor is how long this node has seen member id unreachable.
func (n *Node) DownFor(id string) time.Duration { return n.mon.DownFor(id) }

// Started is when this node started watching the members.
func (n *Node) Started() time.Time { return n.mon.Started() }

// DownAfter is the configured down-after period.
func (n *Node) DownAfter() time.Duration { return n.cfg.DownAfter }

// IsLeader reports whether this node is the raft leader.
func (n *Node) IsLeader() bool { return n.group.IsLeader() }

// Leader is the raft leader's ID ("" when none is known).
func (n *Node) Leader() string {
	id, _ := n.group.Leader()
	return id
}

// RaftStats is raft's own view of this member, for INFO.
func (n *Node) RaftStats() map[string]string { return n.group.Stats() }

// Writable reports whether this node may take writes as the primary at
// nowMs (unix ms): see the file comment.
func (n *Node) Writable(nowMs int64) bool {
	return n.fsm.IsPrimary(n.self.ID) && nowMs < n.leaseUntil.Load() && n.group.IsLeader()
}

// reconcileEvery is how often OnChange re-asserts the current State.
const reconcileEvery = time.Second

// deliverLoop hands every new committed State to OnChange.
func (n *Node) deliverLoop(ctx context.Context) {
	defer n.wg.Done()
	reconcile := time.NewTicker(reconcileEvery)
	defer reconcile.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-reconcile.C:
			n.mu.Lock()
			cur := n.current
			n.mu.Unlock()
			if cur.Initialized() && n.cfg.OnChange != nil {
				n.cfg.OnChange(cur, cur)
			}
			continue
		case <-n.fsm.Changes():
		}
		cur := n.fsm.State()
		n.mu.Lock()
		old := n.current
		same := old.Epoch == cur.Epoch && old.Primary == cur.Primary
		n.current = cur
		n.mu.Unlock()
		if !same && n.cfg.OnChange != nil {
			n.cfg.OnChange(old, cur)
		}
	}
}

// monitorLoop probes the members every tick; on the leader it also
// initializes the configuration, promotes, and moves leadership to the
// primary.
func (n *Node) monitorLoop(ctx context.Context) {
	defer n.wg.Done()
	t := time.NewTicker(n.cfg.Tick)
	defer t.Stop()
	wasLeader := false
	var lastTransfer time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		st := n.fsm.State()
		members := st.Members
		if !st.Initialized() {
			members = n.cfg.Members
		}
		n.mon.Observe(ctx, members)
		if !n.group.IsLeader() {
			wasLeader = false
			continue
		}
		if !wasLeader {
			// A new leader applies everything committed before trusting
			// its State.
			if err := n.group.Barrier(2 * time.Second); err != nil {
				continue
			}
			wasLeader = true
			st = n.fsm.State()
		}
		switch {
		case !st.Initialized():
			n.propose(Command{Op: OpInit, Members: n.cfg.Members, Primary: n.cfg.Members[0].ID})
		default:
			if cmd, ok := n.mon.Decide(ctx, st); ok {
				n.log.Warn("failover: primary down, promoting", "primary", st.Primary,
					"down_for", n.mon.PrimaryDownFor(st).String(), "promote", cmd.Primary, "epoch", cmd.Epoch)
				if !n.propose(cmd) {
					n.mon.Abandon(cmd)
				}
				continue
			}
			if st.Primary != n.self.ID && time.Since(lastTransfer) > time.Second {
				p, ok := st.PrimaryMember()
				if ok && n.mon.Health(p.ID).Reachable {
					lastTransfer = time.Now()
					if err := n.group.TransferLeadership(p.ID, p.RaftAddr); err != nil {
						n.log.Info("failover: leadership transfer to the primary failed", "primary", p.ID, "err", err)
					}
				}
			}
		}
	}
}

// propose commits cmd and reports whether the FSM accepted it.
func (n *Node) propose(cmd Command) bool {
	resp, err := n.group.Apply(cmd.Encode(), 2*time.Second)
	if err == nil {
		if rerr, ok := resp.(error); ok {
			err = rerr
		}
	}
	if err != nil {
		if !errors.Is(err, ErrAlreadyInitialized) {
			n.log.Info("failover: proposal not committed", "op", cmd.Op, "primary", cmd.Primary, "err", err)
		}
		return false
	}
	return true
}

// leaseLoop renews the leader's write lease: see the file comment.
func (n *Node) leaseLoop(ctx context.Context) {
	defer n.wg.Done()
	t := time.NewTicker(n.lease / 5)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !n.group.IsLeader() {
			n.leaseUntil.Store(0)
			continue
		}
		start := time.Now()
		if err := n.group.VerifyLeader(); err != nil {
			n.leaseUntil.Store(0)
			continue
		}
		n.leaseUntil.Store(start.Add(n.lease).UnixMilli())
	}
}
