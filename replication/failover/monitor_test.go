package failover

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// fakeProber answers for the members it is told are up.
type fakeProber struct {
	mu      sync.Mutex
	down    map[string]bool  // by address
	offsets map[string]int64 // by address
	infos   int
}

func newFakeProber() *fakeProber {
	return &fakeProber{down: map[string]bool{}, offsets: map[string]int64{}}
}

var errFakeDown = errors.New("fake: connection refused")

func (p *fakeProber) set(addr string, up bool, offset int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down[addr] = !up
	p.offsets[addr] = offset
}

func (p *fakeProber) Ping(ctx context.Context, addr string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down[addr] {
		return errFakeDown
	}
	return nil
}

func (p *fakeProber) Info(ctx context.Context, addr string) (Report, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.infos++
	if p.down[addr] {
		return Report{}, errFakeDown
	}
	return Report{Role: "slave", Offset: p.offsets[addr]}, nil
}

// fakeClock is a clock the test moves.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

type monitorFixture struct {
	t     *testing.T
	clock *fakeClock
	probe *fakeProber
	mon   *Monitor
	fsm   *FSM
}

func newMonitorFixture(t *testing.T) *monitorFixture {
	clock := &fakeClock{now: time.Unix(1000, 0)}
	probe := newFakeProber()
	for _, m := range threeMembers {
		probe.set(m.Addr, true, 100)
	}
	f := NewFSM()
	f.Apply(Command{Op: OpInit, Members: threeMembers, Primary: "a"}.Encode())
	mon := NewMonitor(MonitorConfig{DownAfter: time.Second, Prober: probe, Now: clock.Now, InfoEvery: 1})
	return &monitorFixture{t: t, clock: clock, probe: probe, mon: mon, fsm: f}
}

// tick advances the clock by d, observes, and decides as the leader; a
// decision is applied to the FSM, as a commit would.
func (x *monitorFixture) tick(d time.Duration) (Command, bool) {
	x.clock.advance(d)
	st := x.fsm.State()
	x.mon.Observe(context.Background(), st.Members)
	cmd, ok := x.mon.Decide(context.Background(), st)
	if ok {
		if r := x.fsm.Apply(cmd.Encode()); r != nil {
			x.t.Fatalf("decision %+v refused by the FSM: %v", cmd, r)
		}
	}
	return cmd, ok
}

func (x *monitorFixture) noPromotionFor(d, step time.Duration) {
	x.t.Helper()
	for elapsed := time.Duration(0); elapsed < d; elapsed += step {
		if cmd, ok := x.tick(step); ok {
			x.t.Fatalf("promotion %+v after %v", cmd, elapsed+step)
		}
	}
}

func TestMonitorHealthyPrimaryNeverPromoted(t *testing.T) {
	x := newMonitorFixture(t)
	x.noPromotionFor(10*time.Second, 100*time.Millisecond)
	if h := x.mon.Health("b"); !h.Reachable || h.Report.Offset != 100 {
		t.Fatalf("health of b: %+v", h)
	}
}

func TestMonitorRespectsDownAfter(t *testing.T) {
	x := newMonitorFixture(t)
	x.tick(100 * time.Millisecond)
	x.probe.set("127.0.0.1:7001", false, 0)
	// Down for exactly down-after: not yet.
	x.noPromotionFor(time.Second, 100*time.Millisecond)
	cmd, ok := x.tick(100 * time.Millisecond)
	if !ok {
		t.Fatal("no promotion once the primary was down longer than down-after")
	}
	if cmd.Op != OpPromote || cmd.Epoch != 2 || (cmd.Primary != "b" && cmd.Primary != "c") {
		t.Fatalf("decision %+v", cmd)
	}
}

func TestMonitorHighestOffsetWinsTiesLowestID(t *testing.T) {
	for _, tc := range []struct {
		offB, offC int64
		want       string
	}{{100, 200, "c"}, {300, 200, "b"}, {500, 500, "b"}} {
		x := newMonitorFixture(t)
		x.tick(100 * time.Millisecond)
		x.probe.set("127.0.0.1:7001", false, 0)
		x.probe.set("127.0.0.1:7002", true, tc.offB)
		x.probe.set("127.0.0.1:7003", true, tc.offC)
		x.noPromotionFor(time.Second, 500*time.Millisecond)
		cmd, ok := x.tick(500 * time.Millisecond)
		if !ok || cmd.Primary != tc.want {
			t.Errorf("offsets b=%d c=%d: decision %+v %v, want %s", tc.offB, tc.offC, cmd, ok, tc.want)
		}
	}
}

func TestMonitorNeverPromotesDeadReplica(t *testing.T) {
	x := newMonitorFixture(t)
	x.tick(100 * time.Millisecond)
	x.probe.set("127.0.0.1:7001", false, 0)
	x.probe.set("127.0.0.1:7003", false, 1<<40) // the best offset, but dead
	x.noPromotionFor(time.Second, 250*time.Millisecond)
	cmd, ok := x.tick(250 * time.Millisecond)
	if !ok || cmd.Primary != "b" {
		t.Fatalf("decision %+v %v, want b", cmd, ok)
	}
	// With every replica dead there is nobody to promote.
	y := newMonitorFixture(t)
	y.tick(100 * time.Millisecond)
	for _, m := range threeMembers {
		y.probe.set(m.Addr, false, 0)
	}
	y.noPromotionFor(5*time.Second, 250*time.Millisecond)
}

func TestMonitorEpochIncreasesPerPromotion(t *testing.T) {
	x := newMonitorFixture(t)
	x.tick(100 * time.Millisecond)
	x.probe.set("127.0.0.1:7001", false, 0)
	x.probe.set("127.0.0.1:7003", true, 50)
	x.noPromotionFor(time.Second, 500*time.Millisecond)
	if cmd, ok := x.tick(500 * time.Millisecond); !ok || cmd.Primary != "b" || cmd.Epoch != 2 {
		t.Fatalf("first failover: %+v %v", cmd, ok)
	}
	// b serves for a while, then dies too; a is back meanwhile with
	// the lower offset, c has the higher.
	x.probe.set("127.0.0.1:7001", true, 10)
	x.noPromotionFor(3*time.Second, 500*time.Millisecond)
	x.probe.set("127.0.0.1:7002", false, 0)
	x.noPromotionFor(time.Second, 500*time.Millisecond)
	cmd, ok := x.tick(500 * time.Millisecond)
	if !ok || cmd.Primary != "c" || cmd.Epoch != 3 {
		t.Fatalf("second failover: %+v %v", cmd, ok)
	}
	if st := x.fsm.State(); st.Primary != "c" || st.Epoch != 3 {
		t.Fatalf("state %+v", st)
	}
}

func TestMonitorFlappingPrimaryPromotedOnce(t *testing.T) {
	x := newMonitorFixture(t)
	x.tick(100 * time.Millisecond)
	// Short outages, each under down-after, never promote.
	for range 5 {
		x.probe.set("127.0.0.1:7001", false, 0)
		x.noPromotionFor(800*time.Millisecond, 100*time.Millisecond)
		x.probe.set("127.0.0.1:7001", true, 100)
		x.noPromotionFor(200*time.Millisecond, 100*time.Millisecond)
	}
	// A long one promotes once ...
	x.probe.set("127.0.0.1:7001", false, 0)
	x.noPromotionFor(time.Second, 100*time.Millisecond)
	if _, ok := x.tick(100 * time.Millisecond); !ok {
		t.Fatal("no promotion after a long outage")
	}
	// ... and the old primary flapping afterwards changes nothing.
	for range 5 {
		x.probe.set("127.0.0.1:7001", true, 0)
		x.noPromotionFor(300*time.Millisecond, 100*time.Millisecond)
		x.probe.set("127.0.0.1:7001", false, 0)
		x.noPromotionFor(2*time.Second, 100*time.Millisecond)
	}
	if st := x.fsm.State(); st.Epoch != 2 {
		t.Fatalf("epoch %d after one failover", st.Epoch)
	}
}

func TestMonitorOneProposalPerView(t *testing.T) {
	// A decision not yet committed is not taken again on the same view;
	// once abandoned (the commit failed) it may be.
	x := newMonitorFixture(t)
	x.tick(100 * time.Millisecond)
	x.probe.set("127.0.0.1:7001", false, 0)
	x.clock.advance(2 * time.Second)
	st := x.fsm.State()
	x.mon.Observe(context.Background(), st.Members)
	first, ok := x.mon.Decide(context.Background(), st)
	if !ok {
		t.Fatal("no decision")
	}
	if cmd, ok := x.mon.Decide(context.Background(), st); ok {
		t.Fatalf("second decision %+v while the first is pending", cmd)
	}
	x.mon.Abandon(first)
	if _, ok := x.mon.Decide(context.Background(), st); !ok {
		t.Fatal("no decision after the first was abandoned")
	}
}

func TestMonitorNeverSeenPrimaryCountsFromStart(t *testing.T) {
	x := newMonitorFixture(t)
	x.probe.set("127.0.0.1:7001", false, 0)
	x.noPromotionFor(time.Second, 100*time.Millisecond)
	if _, ok := x.tick(100 * time.Millisecond); !ok {
		t.Fatal("a primary never seen was not promoted after down-after")
	}
}
