package harness

import (
	"fmt"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// FailoverGroup is a replication group of Vireo nodes started with
// vireo-failover yes: Nodes[0] is the initial primary.
type FailoverGroup struct {
	Nodes []*Server
	// IDs are the nodes' failover IDs (n1, n2, ...), in Nodes' order.
	IDs []string
	// Peers is the vireo-failover-peers value the nodes were started with.
	Peers string
}

// StartFailoverGroup starts n Vireo nodes forming one failover group, each
// with its own client and raft port (picked up front: every node's peer
// list names all of them), followed by extraArgs
// (e.g. --vireo-failover-down-after-milliseconds 1000). Each node is
// stopped when the test ends, resumed first if the test left it paused.
func StartFailoverGroup(t testing.TB, n int, extraArgs ...string) *FailoverGroup {
	t.Helper()
	bin := BuildVireo(t)
	g := &FailoverGroup{}
	var lastErr error
	for range startTries {
		ports := make([]int, 2*n)
		seen := map[int]bool{}
		for i := range ports {
			p, err := freePort()
			if err != nil {
				t.Fatalf("harness: %v", err)
			}
			if seen[p] {
				p, err = freePort()
				if err != nil || seen[p] {
					t.Fatalf("harness: no distinct free ports: %v", err)
				}
			}
			seen[p] = true
			ports[i] = p
		}
		g.IDs = g.IDs[:0]
		var peers []string
		for i := range n {
			id := "n" + strconv.Itoa(i+1)
			g.IDs = append(g.IDs, id)
			peers = append(peers, fmt.Sprintf("%s@127.0.0.1:%d@127.0.0.1:%d", id, ports[i], ports[n+i]))
		}
		g.Peers = strings.Join(peers, ",")
		g.Nodes = g.Nodes[:0]
		lastErr = nil
		for i := range n {
			// No diskless-sync delay: the replicas' first full syncs start
			// at once instead of after Redis's default 5 s.
			args := []string{"--enable-debug-command", "yes", "--save", "", "--repl-diskless-sync-delay", "0",
				"--vireo-failover", "yes", "--vireo-failover-peers", g.Peers,
				"--vireo-failover-node-id", g.IDs[i],
				"--vireo-failover-raft-addr", "127.0.0.1:" + strconv.Itoa(ports[n+i])}
			s := &Server{t: t, name: "vireo " + g.IDs[i], bin: bin, args: append(args, extraArgs...), dir: t.TempDir(), port: ports[i]}
			if err := s.launch(); err != nil {
				lastErr = err
				break
			}
			t.Cleanup(s.cleanup)
			t.Cleanup(s.Resume) // runs first: a paused process cannot exit on SIGTERM
			g.Nodes = append(g.Nodes, s)
		}
		if lastErr == nil {
			return g
		}
		for _, s := range g.Nodes {
			s.Stop()
		}
		if !strings.Contains(lastErr.Error(), "in use") {
			break
		}
	}
	t.Fatalf("harness: start failover group: %v", lastErr)
	return nil
}

// Pause stops the process with SIGSTOP, as a hung or descheduled server.
func (s *Server) Pause() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		s.t.Fatalf("harness: SIGSTOP %s: %v", s.name, err)
	}
}

// Resume continues a paused process with SIGCONT; a no-op for a process
// that is not paused or has exited.
func (s *Server) Resume() {
	select {
	case <-s.exited:
	default:
		s.cmd.Process.Signal(syscall.SIGCONT)
	}
}
