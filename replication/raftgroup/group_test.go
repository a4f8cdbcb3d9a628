package raftgroup

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// listFSM appends every command; its state is the commands joined by ",".
type listFSM struct {
	mu   sync.Mutex
	cmds []string
}

func (f *listFSM) Apply(cmd []byte) any {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cmds = append(f.cmds, string(cmd))
	return len(f.cmds)
}

func (f *listFSM) Snapshot() ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return []byte(strings.Join(f.cmds, ",")), nil
}

func (f *listFSM) Restore(b []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cmds = nil
	if len(b) > 0 {
		f.cmds = strings.Split(string(b), ",")
	}
	return nil
}

func (f *listFSM) state() string {
	s, _ := f.Snapshot()
	return string(s)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func leaderOf(groups []*Group) *Group {
	for _, g := range groups {
		if g != nil && g.IsLeader() {
			return g
		}
	}
	return nil
}

func TestThreeMembersElectApplyAndFailOver(t *testing.T) {
	var peers []Server
	for i := 0; i < 3; i++ {
		peers = append(peers, Server{ID: fmt.Sprintf("n%d", i), Addr: freeAddr(t)})
	}
	groups := make([]*Group, 3)
	fsms := make([]*listFSM, 3)
	for i := range groups {
		fsms[i] = &listFSM{}
		g, err := Open(Config{NodeID: peers[i].ID, BindAddr: peers[i].Addr, Bootstrap: peers}, fsms[i])
		if err != nil {
			t.Fatal(err)
		}
		groups[i] = g
		t.Cleanup(func() { g.Close() })
	}
	waitFor(t, "a leader", func() bool { return leaderOf(groups) != nil })
	leader := leaderOf(groups)
	res, err := leader.Apply([]byte("a"), time.Second)
	if err != nil || res != 1 {
		t.Fatalf("Apply = %v, %v; want 1", res, err)
	}
	for _, g := range groups {
		if g != leader {
			if _, err := g.Apply([]byte("x"), time.Second); err == nil || !strings.Contains(err.Error(), ErrNotLeader.Error()) {
				t.Fatalf("follower Apply error = %v, want ErrNotLeader", err)
			}
			// A follower learns the leader from its first AppendEntries,
			// which may still be on its way.
			lid, _ := leader.Leader()
			waitFor(t, "the follower to see the leader", func() bool {
				id, addr := g.Leader()
				return id == lid && addr == leader.Addr()
			})
		}
	}
	waitFor(t, "every member to apply a", func() bool {
		for _, f := range fsms {
			if f.state() != "a" {
				return false
			}
		}
		return true
	})

	// The leader dies; the other two elect a new one that keeps the log.
	for i, g := range groups {
		if g == leader {
			g.Close()
			groups[i] = nil
		}
	}
	waitFor(t, "a new leader", func() bool { return leaderOf(groups) != nil })
	if _, err := leaderOf(groups).Apply([]byte("b"), time.Second); err != nil {
		t.Fatal(err)
	}
	for i, g := range groups {
		if g != nil {
			waitFor(t, "b applied", func() bool { return fsms[i].state() == "a,b" })
		}
	}
}

func TestStateSurvivesRestartAndJoin(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	self := Server{ID: "solo", Addr: addr}
	f1 := &listFSM{}
	g, err := Open(Config{NodeID: self.ID, BindAddr: addr, Dir: dir, Bootstrap: []Server{self}}, f1)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "leadership", g.IsLeader)
	for _, c := range []string{"x", "y"} {
		if _, err := g.Apply([]byte(c), time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopen from the same directory: the bootstrap list is ignored and the
	// log replays into a fresh FSM.
	f2 := &listFSM{}
	g, err = Open(Config{NodeID: self.ID, BindAddr: addr, Dir: dir, Bootstrap: []Server{self}}, f2)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	waitFor(t, "leadership after restart", g.IsLeader)
	if err := g.Barrier(time.Second); err != nil {
		t.Fatal(err)
	}
	if got := f2.state(); got != "x,y" {
		t.Fatalf("state after restart = %q, want x,y", got)
	}

	// A new member with no bootstrap list joins through AddVoter and
	// catches up.
	f3 := &listFSM{}
	joiner, err := Open(Config{NodeID: "joiner", BindAddr: "127.0.0.1:0"}, f3)
	if err != nil {
		t.Fatal(err)
	}
	defer joiner.Close()
	if err := g.AddVoter("joiner", joiner.Addr(), 5*time.Second); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "joiner catching up", func() bool { return f3.state() == "x,y" })
	servers, err := g.Servers()
	if err != nil || len(servers) != 2 {
		t.Fatalf("Servers = %v, %v; want 2 members", servers, err)
	}
}

func TestOpenRejectsBadConfig(t *testing.T) {
	if _, err := Open(Config{BindAddr: "127.0.0.1:0"}, &listFSM{}); err == nil {
		t.Fatal("Open without NodeID succeeded")
	}
	if _, err := Open(Config{NodeID: "a", BindAddr: "256.0.0.1:1"}, &listFSM{}); err == nil {
		t.Fatal("Open on a bad address succeeded")
	}
}
