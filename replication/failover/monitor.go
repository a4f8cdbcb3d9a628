package failover

// The monitor: how this node sees the other members, and the leader's
// decision to promote.
//
// Every node probes every member (itself included, through its own client
// port, so that all members are seen the same way) once per tick: a PING,
// and every few ticks an INFO for the replication offset and role. Only
// the raft leader acts on what it sees, but every node keeps the view: it
// answers the Sentinel commands, and a node that becomes leader already
// knows how long the primary has been silent.
//
// The decision is deliberately simple and conservative:
//   - the primary counts as down when no PING has succeeded for longer than
//     down-after (a node that never saw it counts from its own start);
//   - candidates are the replicas that answer an INFO asked right now;
//     a dead replica is never promoted;
//   - the highest replication offset wins, ties go to the lowest ID;
//   - the proposal names epoch+1, so the FSM refuses a second promotion
//     decided on the same view (a flapping primary, a leader that changes
//     between the decision and the commit).

import (
	"context"
	"sort"
	"sync"
	"time"
)

// Report is what an INFO of a member said about its replication.
type Report struct {
	RunID      string
	Role       string // "master" or "slave"
	Offset     int64  // master_repl_offset
	MasterHost string // a replica's primary
	MasterPort int
	LinkUp     bool // a replica's master_link_status is up
}

// Prober reaches a member's client port. Each call must return within its
// context's deadline. Calls for one address are never concurrent.
type Prober interface {
	Ping(ctx context.Context, addr string) error
	Info(ctx context.Context, addr string) (Report, error)
}

// MemberHealth is what this node last saw of a member.
type MemberHealth struct {
	LastPing   time.Time // when the last PING was sent
	LastOK     time.Time // when a PING last succeeded (zero: never)
	Reachable  bool      // the last PING succeeded
	Report     Report    // the last INFO's answer
	ReportTime time.Time // zero: no INFO answered yet
}

// MonitorConfig configures a Monitor.
type MonitorConfig struct {
	DownAfter time.Duration
	Prober    Prober
	// ProbeTimeout bounds each PING and INFO; zero picks DownAfter/4
	// within [50ms, 1s].
	ProbeTimeout time.Duration
	// InfoEvery is how many Observe calls pass between two INFOs of a
	// member; zero picks 10.
	InfoEvery int
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// Monitor keeps the view of the members and takes the leader's decisions.
type Monitor struct {
	cfg     MonitorConfig
	started time.Time

	mu       sync.Mutex
	health   map[string]*MemberHealth // by member ID
	ticks    int
	proposed uint64 // the epoch of the last promotion proposed
}

// NewMonitor returns a Monitor whose grace period starts now.
func NewMonitor(cfg MonitorConfig) *Monitor {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ProbeTimeout <= 0 {
		cfg.ProbeTimeout = min(max(cfg.DownAfter/4, 50*time.Millisecond), time.Second)
	}
	if cfg.InfoEvery <= 0 {
		cfg.InfoEvery = 10
	}
	return &Monitor{cfg: cfg, started: cfg.Now(), health: map[string]*MemberHealth{}}
}

// Health returns a copy of what this node saw of member id.
func (m *Monitor) Health(id string) MemberHealth {
	m.mu.Lock()
	defer m.mu.Unlock()
	if h := m.health[id]; h != nil {
		return *h
	}
	return MemberHealth{}
}

func (m *Monitor) healthLocked(id string) *MemberHealth {
	h := m.health[id]
	if h == nil {
		h = &MemberHealth{}
		m.health[id] = h
	}
	return h
}

// Observe probes every member once, concurrently, and returns when all
// probes have answered or timed out.
func (m *Monitor) Observe(ctx context.Context, members []Member) {
	m.mu.Lock()
	m.ticks++
	withInfo := m.ticks%m.cfg.InfoEvery == 1 || m.cfg.InfoEvery == 1
	m.mu.Unlock()
	var wg sync.WaitGroup
	for _, mem := range members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.probe(ctx, mem, withInfo)
		}()
	}
	wg.Wait()
}

func (m *Monitor) probe(ctx context.Context, mem Member, withInfo bool) {
	sent := m.cfg.Now()
	pctx, cancel := context.WithTimeout(ctx, m.cfg.ProbeTimeout)
	err := m.cfg.Prober.Ping(pctx, mem.Addr)
	cancel()
	m.mu.Lock()
	h := m.healthLocked(mem.ID)
	h.LastPing = sent
	h.Reachable = err == nil
	if err == nil {
		h.LastOK = m.cfg.Now()
	}
	m.mu.Unlock()
	if err == nil && withInfo {
		m.info(ctx, mem)
	}
}

// info asks a member for its replication report and records it.
func (m *Monitor) info(ctx context.Context, mem Member) (Report, error) {
	ictx, cancel := context.WithTimeout(ctx, m.cfg.ProbeTimeout)
	rep, err := m.cfg.Prober.Info(ictx, mem.Addr)
	cancel()
	if err != nil {
		return Report{}, err
	}
	m.mu.Lock()
	h := m.healthLocked(mem.ID)
	h.Report = rep
	h.ReportTime = m.cfg.Now()
	m.mu.Unlock()
	return rep, nil
}

// DownFor is how long member id has been unreachable: 0 when its last
// PING succeeded, else the time since its last success (or since this
// monitor started, for a member never reached).
func (m *Monitor) DownFor(id string) time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	h := m.health[id]
	if h != nil && h.Reachable {
		return 0
	}
	since := m.started
	if h != nil && h.LastOK.After(since) {
		since = h.LastOK
	}
	return m.cfg.Now().Sub(since)
}

// PrimaryDownFor is DownFor of st's primary.
func (m *Monitor) PrimaryDownFor(st State) time.Duration { return m.DownFor(st.Primary) }

// Started is when the monitor started watching.
func (m *Monitor) Started() time.Time { return m.started }

// Decide is the leader's decision for the committed State st: the
// promotion to propose, if the primary has been down longer than
// down-after and some replica answers. It asks every replica for its
// offset now. After a proposal fails, call Abandon.
func (m *Monitor) Decide(ctx context.Context, st State) (Command, bool) {
	if !st.Initialized() {
		return Command{}, false
	}
	m.mu.Lock()
	pending := m.proposed > st.Epoch
	m.mu.Unlock()
	if pending {
		return Command{}, false
	}
	if m.PrimaryDownFor(st) <= m.cfg.DownAfter {
		return Command{}, false
	}
	type answer struct {
		id     string
		offset int64
		ok     bool
	}
	answers := make([]answer, len(st.Members))
	var wg sync.WaitGroup
	for i, mem := range st.Members {
		if mem.ID == st.Primary {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep, err := m.info(ctx, mem)
			answers[i] = answer{id: mem.ID, offset: rep.Offset, ok: err == nil}
		}()
	}
	wg.Wait()
	var cands []answer
	for _, a := range answers {
		if a.ok {
			cands = append(cands, a)
		}
	}
	if len(cands) == 0 {
		return Command{}, false
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].offset != cands[j].offset {
			return cands[i].offset > cands[j].offset
		}
		return cands[i].id < cands[j].id
	})
	cmd := Command{Op: OpPromote, Primary: cands[0].id, Epoch: st.Epoch + 1}
	m.mu.Lock()
	m.proposed = cmd.Epoch
	m.mu.Unlock()
	return cmd, true
}

// Abandon forgets a proposal that was not committed, so the next Decide
// may propose again.
func (m *Monitor) Abandon(cmd Command) {
	m.mu.Lock()
	if m.proposed == cmd.Epoch {
		m.proposed = 0
	}
	m.mu.Unlock()
}
