package server

// Automatic failover (vireo-failover yes): the glue between the server and
// replication/failover's Node.
//
// The Node holds the group's committed configuration in raft and reports
// each new one here, in commit order (applyFailoverConfig): the node named
// primary promotes itself (REPLICAOF NO ONE), every other node follows the
// named primary (REPLICAOF host port), and a change of primary is published
// as Sentinel's +switch-master. A node that starts or restarts applies the
// committed configuration the same way once raft has caught it up, so an
// old primary comes back as a replica.
//
// Writes: while this node is a primary by role, the dispatcher asks
// failoverRefusesWrite before every write; the Node says yes only while the
// committed configuration names this node and it holds the raft leader's
// quorum-verified lease (see replication/failover/node.go). Refused writes
// get READONLY, which go-redis's FailoverClient answers by dropping the
// connection and asking the sentinels for the primary again.
//
// With vireo-failover no, s.failover.node is nil and the only cost is that
// nil check on writes taken as a primary.

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/vireodb/vireo/replication/failover"
)

// failoverState is the server's failover member; node is nil when
// vireo-failover is off. Set in Start before the first client connects.
type failoverState struct {
	node       *failover.Node
	masterName string
	sentinelID string // SENTINEL MYID: 40 hex digits, from the node ID
}

// failoverRefusesWrite reports whether a write must be refused on this
// primary-by-role: failover runs and this node may not take writes now.
// Small enough to inline: with failover off a write pays one nil check.
func (s *Server) failoverRefusesWrite(c *Ctx) bool {
	return s.failover.node != nil && s.failoverDenies(c)
}

// failoverDenies is kept out of line so that failoverRefusesWrite inlines.
//
//go:noinline
func (s *Server) failoverDenies(c *Ctx) bool {
	return c != s.repl.master && !s.failover.node.Writable(c.now)
}

// startFailover starts the failover member when vireo-failover is yes.
func (s *Server) startFailover() error {
	st := s.cfg.Snapshot()
	if !st.Failover {
		return nil
	}
	if st.ReplicaOfHost != "" {
		// The group's committed configuration decides whom a node follows;
		// a fixed replicaof would be undone within a second.
		return errors.New("server: replicaof cannot be used with vireo-failover: the failover group chooses the primary")
	}
	if st.ClusterEnabled {
		return errors.New("server: vireo-failover cannot be used with cluster-enabled")
	}
	members, err := failover.ParsePeers(st.FailoverPeers)
	if err != nil {
		return fmt.Errorf("server: vireo-failover-peers: %w", err)
	}
	dir := st.FailoverDir
	if dir == "" {
		dir = filepath.Join(st.Dir, "raft")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("server: vireo-failover-dir: %w", err)
	}
	id, err := failoverNodeID(st.FailoverNodeID, st.FailoverRaftAddr, s.opts.Port, dir, members)
	if err != nil {
		return err
	}
	s.failover.masterName = st.FailoverMaster
	sum := sha1.Sum([]byte(id))
	s.failover.sentinelID = hex.EncodeToString(sum[:])
	node, err := failover.Start(failover.Config{
		NodeID:    id,
		RaftBind:  st.FailoverRaftAddr,
		Dir:       dir,
		Members:   members,
		DownAfter: time.Duration(st.FailoverDownAfter) * time.Millisecond,
		Prober:    &failover.RESPProber{User: st.MasterUser, Password: st.MasterAuth},
		Logger:    slog.Default().With("component", "failover"),
		OnChange: func(old, cur failover.State) {
			s.applyFailoverConfig(id, old, cur)
		},
	})
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	s.failover.node = node
	slog.Info("Failover member started", "node_id", id, "peers", len(members), "dir", dir)
	return nil
}

// failoverNodeID picks this node's ID: vireo-failover-node-id; else the
// one a previous start saved in the raft directory; else the peer whose
// raft address is vireo-failover-raft-addr; else the only peer whose
// client port is ours. A derived ID is saved for the next start.
func failoverNodeID(configured, raftAddr string, port int, dir string, members []failover.Member) (string, error) {
	idFile := filepath.Join(dir, "node-id")
	if configured != "" {
		return configured, nil
	}
	if b, err := os.ReadFile(idFile); err == nil && len(strings.TrimSpace(string(b))) > 0 {
		return strings.TrimSpace(string(b)), nil
	}
	id := ""
	for _, m := range members {
		if raftAddr != "" && m.RaftAddr == raftAddr {
			id = m.ID
		}
	}
	if id == "" {
		for _, m := range members {
			if _, p := failover.SplitAddr(m.Addr); p == port {
				if id != "" {
					return "", errors.New("server: several vireo-failover-peers have our port: set vireo-failover-node-id")
				}
				id = m.ID
			}
		}
	}
	if id == "" {
		return "", errors.New("server: vireo-failover-node-id is not set and no peer matches this node's raft address or port")
	}
	if err := os.WriteFile(idFile, []byte(id+"\n"), 0o644); err != nil {
		return "", fmt.Errorf("server: saving the failover node id: %w", err)
	}
	return id, nil
}

// stopFailover leaves the raft group (Close).
func (s *Server) stopFailover() {
	if s.failover.node != nil {
		s.failover.node.Close()
	}
}

// applyFailoverConfig makes this node's role agree with a committed
// configuration and announces a change of primary.
func (s *Server) applyFailoverConfig(self string, old, cur failover.State) {
	primary, ok := cur.PrimaryMember()
	if !ok {
		return
	}
	if cur.Primary == self {
		if s.repl.isReplica.Load() {
			s.promote()
			slog.Warn("MASTER MODE enabled (failover)", "epoch", cur.Epoch)
		}
	} else {
		host, port := failover.SplitAddr(primary.Addr)
		s.repl.mu.Lock()
		link := s.repl.link
		s.repl.mu.Unlock()
		if link == nil || !strings.EqualFold(link.Host(), host) || link.Port() != port {
			s.replicaOf(host, port)
			slog.Warn("REPLICAOF enabled (failover)", "master", primary.Addr, "epoch", cur.Epoch)
		}
	}
	if oldPrimary, ok := old.PrimaryMember(); ok && old.Primary != cur.Primary {
		oh, op := failover.SplitAddr(oldPrimary.Addr)
		nh, np := failover.SplitAddr(primary.Addr)
		msg := fmt.Sprintf("%s %s %d %s %d", s.failover.masterName, oh, op, nh, np)
		s.pubsub.publish([]byte("+switch-master"), []byte(msg))
		slog.Warn("+switch-master", "msg", msg)
	}
}

// infoFailover is INFO failover (Vireo only, shown when named).
func (s *Server) infoFailover(w *infoWriter) {
	n := s.failover.node
	if n == nil {
		w.str("failover_enabled", "0")
		return
	}
	st := n.State()
	w.str("failover_enabled", "1")
	w.str("failover_node_id", n.Self().ID)
	w.str("failover_master_name", s.failover.masterName)
	w.int("failover_epoch", int64(st.Epoch))
	w.str("failover_primary", st.Primary)
	p, _ := st.PrimaryMember()
	w.str("failover_primary_addr", p.Addr)
	w.flag("failover_writable", n.Writable(time.Now().UnixMilli()))
	w.int("failover_down_after_milliseconds", n.DownAfter().Milliseconds())
	stats := n.RaftStats()
	w.str("failover_raft_state", strings.ToLower(stats["state"]))
	w.str("failover_raft_leader", n.Leader())
	w.str("failover_raft_term", stats["term"])
	w.str("failover_raft_commit_index", stats["commit_index"])
	w.str("failover_raft_applied_index", stats["applied_index"])
	w.int("failover_members", int64(len(st.Members)))
	for i, m := range st.Members {
		h := n.Health(m.ID)
		w.str("member"+strconv.Itoa(i), fmt.Sprintf("id=%s,addr=%s,raft=%s,reachable=%s,down_ms=%d,offset=%d",
			m.ID, m.Addr, m.RaftAddr, boolDigit(h.Reachable), n.DownFor(m.ID).Milliseconds(), h.Report.Offset))
	}
}

// splitHostPortNumber splits an address for the Sentinel replies.
func splitHostPortNumber(addr string) (string, string) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr, "0"
	}
	return host, port
}
