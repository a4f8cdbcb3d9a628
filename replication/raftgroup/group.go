package raftgroup

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
	raftboltdb "github.com/hashicorp/raft-boltdb/v2"
)

// FSM is the replicated state machine. Apply is called with each committed
// command, in log order, on every member; what it returns is handed back to
// the Apply caller on the leader. Snapshot and Restore move the whole state
// as bytes; they are never called concurrently with Apply.
type FSM interface {
	Apply(cmd []byte) any
	Snapshot() ([]byte, error)
	Restore(state []byte) error
}

// Server is one voting member: its stable ID and its raft address.
type Server struct {
	ID   string
	Addr string
}

// Config describes this member.
type Config struct {
	// NodeID is this member's stable identity, kept across restarts.
	NodeID string
	// BindAddr is host:port the raft transport listens on. Port 0 picks a
	// free port; Addr reports it.
	BindAddr string
	// AdvertiseAddr is the address other members dial; BindAddr when empty.
	AdvertiseAddr string
	// Dir holds the raft log, stable store and snapshots. Empty keeps
	// everything in memory (state is lost with the process).
	Dir string
	// Bootstrap lists the initial voters of a brand-new group, this member
	// included. It is ignored when Dir already holds raft state. Leave it
	// empty on a member that will be added with AddVoter by the leader.
	Bootstrap []Server
	// HeartbeatTimeout and ElectionTimeout bound how fast a dead leader is
	// replaced; zero picks 500ms and 500ms.
	HeartbeatTimeout time.Duration
	ElectionTimeout  time.Duration
	// Logger receives raft's own log lines; nil discards them.
	Logger *slog.Logger
}

// ErrNotLeader is returned by the calls that only the leader can make.
var ErrNotLeader = errors.New("raftgroup: not the leader")

// Group is this process's member of a raft group.
type Group struct {
	raft      *raft.Raft
	transport *raft.NetworkTransport
	closers   []io.Closer
	addr      string
}

// Open starts this member. The returned Group runs until Close.
func Open(cfg Config, fsm FSM) (*Group, error) {
	if cfg.NodeID == "" {
		return nil, errors.New("raftgroup: NodeID is required")
	}
	rc := raft.DefaultConfig()
	rc.LocalID = raft.ServerID(cfg.NodeID)
	rc.HeartbeatTimeout = orDefault(cfg.HeartbeatTimeout, 500*time.Millisecond)
	rc.ElectionTimeout = orDefault(cfg.ElectionTimeout, 500*time.Millisecond)
	rc.LeaderLeaseTimeout = rc.HeartbeatTimeout / 2
	rc.CommitTimeout = 20 * time.Millisecond
	rc.SnapshotThreshold = 1024
	rc.Logger = newLogger(cfg.Logger)

	g := &Group{}
	fail := func(err error) (*Group, error) {
		g.closeAll()
		return nil, err
	}

	var advertise net.Addr
	if cfg.AdvertiseAddr != "" {
		a, err := net.ResolveTCPAddr("tcp", cfg.AdvertiseAddr)
		if err != nil {
			return nil, fmt.Errorf("raftgroup: advertise address: %w", err)
		}
		advertise = a
	}
	ln, err := net.Listen("tcp", cfg.BindAddr)
	if err != nil {
		return nil, fmt.Errorf("raftgroup: listen: %w", err)
	}
	if advertise == nil {
		advertise = ln.Addr()
	}
	g.transport = raft.NewNetworkTransportWithLogger(&streamLayer{ln: ln, advertise: advertise}, 3, 5*time.Second, rc.Logger)
	g.addr = advertise.String()
	g.closers = append(g.closers, g.transport)

	var (
		logs   raft.LogStore
		stable raft.StableStore
		snaps  raft.SnapshotStore
	)
	if cfg.Dir == "" {
		mem := raft.NewInmemStore()
		logs, stable, snaps = mem, mem, raft.NewInmemSnapshotStore()
	} else {
		if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
			return fail(fmt.Errorf("raftgroup: %w", err))
		}
		store, err := raftboltdb.NewBoltStore(filepath.Join(cfg.Dir, "raft.db"))
		if err != nil {
			return fail(fmt.Errorf("raftgroup: open log: %w", err))
		}
		g.closers = append(g.closers, store)
		fsnaps, err := raft.NewFileSnapshotStoreWithLogger(cfg.Dir, 2, rc.Logger)
		if err != nil {
			return fail(fmt.Errorf("raftgroup: open snapshots: %w", err))
		}
		logs, stable, snaps = store, store, fsnaps
	}

	if len(cfg.Bootstrap) > 0 {
		existing, err := raft.HasExistingState(logs, stable, snaps)
		if err != nil {
			return fail(fmt.Errorf("raftgroup: %w", err))
		}
		if !existing {
			var conf raft.Configuration
			for _, s := range cfg.Bootstrap {
				conf.Servers = append(conf.Servers, raft.Server{Suffrage: raft.Voter, ID: raft.ServerID(s.ID), Address: raft.ServerAddress(s.Addr)})
			}
			if err := raft.BootstrapCluster(rc, logs, stable, snaps, g.transport, conf); err != nil {
				return fail(fmt.Errorf("raftgroup: bootstrap: %w", err))
			}
		}
	}

	r, err := raft.NewRaft(rc, fsmAdapter{fsm}, logs, stable, snaps, g.transport)
	if err != nil {
		return fail(fmt.Errorf("raftgroup: %w", err))
	}
	g.raft = r
	return g, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Addr is the raft address other members reach this one at.
func (g *Group) Addr() string { return g.addr }

// Apply commits cmd to the group's log and returns what the leader's FSM
// returned for it. Only the leader may apply: others get ErrNotLeader.
func (g *Group) Apply(cmd []byte, timeout time.Duration) (any, error) {
	f := g.raft.Apply(cmd, timeout)
	if err := f.Error(); err != nil {
		return nil, mapErr(err)
	}
	return f.Response(), nil
}

// IsLeader reports whether this member is the group's leader now.
func (g *Group) IsLeader() bool { return g.raft.State() == raft.Leader }

// Leader returns the current leader's ID and raft address, empty when no
// leader is known.
func (g *Group) Leader() (id, addr string) {
	a, i := g.raft.LeaderWithID()
	return string(i), string(a)
}

// LeaderChanges delivers true when this member becomes leader and false
// when it stops being one. The channel is shared: one reader only.
func (g *Group) LeaderChanges() <-chan bool { return g.raft.LeaderCh() }

// VerifyLeader confirms with a quorum that this member is still the
// leader; it returns ErrNotLeader otherwise. A leader that was paused
// (SIGSTOP) or partitioned learns here that it was deposed.
func (g *Group) VerifyLeader() error { return mapErr(g.raft.VerifyLeader().Error()) }

// LastContact is when a follower last heard from its leader (zero if
// never); it means nothing on the leader.
func (g *Group) LastContact() time.Time { return g.raft.LastContact() }

// TransferLeadership hands leadership to the member id at addr and waits
// for the outcome. Leader only.
func (g *Group) TransferLeadership(id, addr string) error {
	return mapErr(g.raft.LeadershipTransferToServer(raft.ServerID(id), raft.ServerAddress(addr)).Error())
}

// AddVoter adds (or updates the address of) a voting member. Leader only.
func (g *Group) AddVoter(id, addr string, timeout time.Duration) error {
	return mapErr(g.raft.AddVoter(raft.ServerID(id), raft.ServerAddress(addr), 0, timeout).Error())
}

// RemoveServer removes a member. Leader only.
func (g *Group) RemoveServer(id string, timeout time.Duration) error {
	return mapErr(g.raft.RemoveServer(raft.ServerID(id), 0, timeout).Error())
}

// Servers lists the members of the latest configuration.
func (g *Group) Servers() ([]Server, error) {
	f := g.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return nil, mapErr(err)
	}
	var out []Server
	for _, s := range f.Configuration().Servers {
		out = append(out, Server{ID: string(s.ID), Addr: string(s.Address)})
	}
	return out, nil
}

// Barrier waits until every entry committed before it is applied to the
// local FSM. Leader only: a new leader calls it before trusting its state.
func (g *Group) Barrier(timeout time.Duration) error {
	return mapErr(g.raft.Barrier(timeout).Error())
}

// Stats is raft's own view of this member (state, term, indexes), for INFO.
func (g *Group) Stats() map[string]string { return g.raft.Stats() }

// Close stops this member and releases its address and files.
func (g *Group) Close() error {
	var err error
	if g.raft != nil {
		err = g.raft.Shutdown().Error()
	}
	g.closeAll()
	return err
}

func (g *Group) closeAll() {
	for i := len(g.closers) - 1; i >= 0; i-- {
		g.closers[i].Close()
	}
	g.closers = nil
}

func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, raft.ErrNotLeader), errors.Is(err, raft.ErrLeadershipLost), errors.Is(err, raft.ErrLeadershipTransferInProgress):
		return fmt.Errorf("%w (%v)", ErrNotLeader, err)
	default:
		return fmt.Errorf("raftgroup: %w", err)
	}
}

// fsmAdapter turns the byte-oriented FSM into raft's.
type fsmAdapter struct{ fsm FSM }

func (a fsmAdapter) Apply(l *raft.Log) any {
	if l.Type != raft.LogCommand {
		return nil
	}
	return a.fsm.Apply(l.Data)
}

func (a fsmAdapter) Snapshot() (raft.FSMSnapshot, error) {
	b, err := a.fsm.Snapshot()
	if err != nil {
		return nil, err
	}
	return snapshotBytes(b), nil
}

func (a fsmAdapter) Restore(rc io.ReadCloser) error {
	defer rc.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(rc); err != nil {
		return fmt.Errorf("raftgroup: read snapshot: %w", err)
	}
	return a.fsm.Restore(buf.Bytes())
}

type snapshotBytes []byte

func (s snapshotBytes) Persist(sink raft.SnapshotSink) error {
	if _, err := sink.Write(s); err != nil {
		sink.Cancel()
		return err
	}
	return sink.Close()
}

func (snapshotBytes) Release() {}

// streamLayer is raft's TCP stream layer over a listener we opened, so that
// port 0 works and the advertised address can differ from the bound one.
type streamLayer struct {
	ln        net.Listener
	advertise net.Addr
}

func (s *streamLayer) Accept() (net.Conn, error) { return s.ln.Accept() }
func (s *streamLayer) Close() error              { return s.ln.Close() }
func (s *streamLayer) Addr() net.Addr            { return s.advertise }
func (s *streamLayer) Dial(addr raft.ServerAddress, timeout time.Duration) (net.Conn, error) {
	return net.DialTimeout("tcp", string(addr), timeout)
}

// newLogger bridges raft's hclog output to slog at warning level and above:
// raft's info lines (every heartbeat failure, every election) are noise in a
// server log, its warnings and errors are not.
func newLogger(l *slog.Logger) hclog.Logger {
	if l == nil {
		return hclog.NewNullLogger()
	}
	return hclog.New(&hclog.LoggerOptions{
		Name:   "raft",
		Level:  hclog.Warn,
		Output: slogWriter{l},
	})
}

type slogWriter struct{ l *slog.Logger }

func (w slogWriter) Write(p []byte) (int, error) {
	w.l.Warn(string(bytes.TrimSpace(p)))
	return len(p), nil
}
