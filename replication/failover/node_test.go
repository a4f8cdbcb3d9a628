package failover

import (
	"fmt"
	"net"
	"sync"
	"testing"
	"time"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitFor(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// changeLog records what OnChange delivered to one node.
type changeLog struct {
	mu      sync.Mutex
	changes []string
}

func (l *changeLog) add(old, cur State) {
	if old.Epoch == cur.Epoch && old.Primary == cur.Primary {
		return // a periodic re-assertion, not a change
	}
	l.mu.Lock()
	l.changes = append(l.changes, fmt.Sprintf("%s@%d->%s@%d", old.Primary, old.Epoch, cur.Primary, cur.Epoch))
	l.mu.Unlock()
}

func (l *changeLog) last() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.changes) == 0 {
		return ""
	}
	return l.changes[len(l.changes)-1]
}

// startNodes starts one Node per ID, all probing through probe; c, the
// last, has the highest offset.
func startNodes(t *testing.T, probe *fakeProber) ([]Member, map[string]*Node, map[string]*changeLog) {
	t.Helper()
	var members []Member
	for _, id := range []string{"a", "b", "c"} {
		m := Member{ID: id, Addr: freeAddr(t), RaftAddr: freeAddr(t)}
		members = append(members, m)
		probe.set(m.Addr, true, 10)
	}
	probe.set(members[2].Addr, true, 20)
	nodes := map[string]*Node{}
	logs := map[string]*changeLog{}
	for _, m := range members {
		l := &changeLog{}
		n, err := Start(Config{
			NodeID: m.ID, Members: members, DownAfter: 500 * time.Millisecond, Prober: probe,
			HeartbeatTimeout: 200 * time.Millisecond, ElectionTimeout: 200 * time.Millisecond,
			Tick: 50 * time.Millisecond, OnChange: l.add,
		})
		if err != nil {
			t.Fatal(err)
		}
		nodes[m.ID], logs[m.ID] = n, l
	}
	t.Cleanup(func() {
		for _, n := range nodes {
			n.Close()
		}
	})
	waitFor(t, "the initial configuration everywhere", 10*time.Second, func() bool {
		for id := range nodes {
			if logs[id].last() != "@0->a@1" {
				return false
			}
		}
		return true
	})
	return members, nodes, logs
}

func TestNodesFailOver(t *testing.T) {
	probe := newFakeProber()
	members, nodes, logs := startNodes(t, probe)

	// Leadership moves to the primary, and only it takes writes.
	waitFor(t, "a to lead and take writes", 10*time.Second, func() bool {
		return nodes["a"].IsLeader() && nodes["a"].Writable(time.Now().UnixMilli())
	})
	for _, id := range []string{"b", "c"} {
		if nodes[id].Writable(time.Now().UnixMilli()) {
			t.Fatalf("replica %s is writable", id)
		}
	}

	// The primary dies: c, with the higher offset, is promoted.
	probe.set(members[0].Addr, false, 0)
	killed := time.Now()
	nodes["a"].Close()
	waitFor(t, "the promotion of c", 10*time.Second, func() bool {
		return logs["b"].last() == "a@1->c@2" && logs["c"].last() == "a@1->c@2"
	})
	// down-after counts from the last PING answered, up to a tick (50ms)
	// before the kill.
	if d := time.Since(killed); d < 400*time.Millisecond {
		t.Fatalf("promoted %v after the primary died, before down-after", d)
	}
	waitFor(t, "c to take writes", 10*time.Second, func() bool {
		return nodes["c"].Writable(time.Now().UnixMilli())
	})
	if nodes["b"].Writable(time.Now().UnixMilli()) {
		t.Fatal("b is writable after c's promotion")
	}
}

func TestNoPromotionWithoutMajority(t *testing.T) {
	probe := newFakeProber()
	members, nodes, logs := startNodes(t, probe)
	waitFor(t, "a to lead", 10*time.Second, func() bool { return nodes["a"].IsLeader() })
	// The primary and one replica die: c alone cannot commit anything.
	for _, m := range members[:2] {
		probe.set(m.Addr, false, 0)
		nodes[m.ID].Close()
	}
	time.Sleep(2 * time.Second) // four times down-after
	if got := logs["c"].last(); got != "@0->a@1" {
		t.Fatalf("c applied %q without a majority", got)
	}
	if nodes["c"].IsLeader() || nodes["c"].Writable(time.Now().UnixMilli()) {
		t.Fatal("c leads or takes writes alone")
	}
}

func TestStartRejectsUnknownNode(t *testing.T) {
	if _, err := Start(Config{NodeID: "zz", Members: threeMembers}); err == nil {
		t.Fatal("Start accepted a node id outside the peers")
	}
}
