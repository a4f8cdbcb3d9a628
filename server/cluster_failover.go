package server

// CLUSTER FAILOVER [FORCE|TAKEOVER]: a replica takes over from its primary
// (Redis's manual failover, src/cluster.c manualFailover*). The change of
// roles is one raft entry (cluster.OpFailover): the replica gets its
// primary's slots under a new, highest config epoch, the old primary and
// its other replicas replicate it. Every node's reconciler then acts on it
// (cluster_node.go): the replica promotes itself, the others follow it.
//
// Without an option the hand-over loses no write. The replica asks its
// primary (CLUSTER VIREO-MFSTART on the primary's client port) to hold
// writes back and to tell it its replication offset; once the replica has
// applied the stream up to that offset it commits the failover. The primary
// lifts its pause once the configuration made it a replica and it follows
// the new primary: the writes it held back are then redirected (MOVED). A
// replica that does not catch up within clusterMFTimeout (Redis's
// CLUSTER_MF_TIMEOUT) gives up and the primary takes writes again.
//
// FORCE commits the failover at once, without the primary (it may be
// down): writes it took that the replica had not received are lost, as in
// Redis. TAKEOVER is the same in Vireo: Redis uses it to skip the election
// among primaries, but here raft commits the change either way (it still
// needs a majority of the members).

import (
	"errors"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/vireodb/vireo/cluster"
)

const (
	// clusterMFTimeout bounds a coordinated failover's wait for the
	// replica to catch up (Redis's CLUSTER_MF_TIMEOUT).
	clusterMFTimeout = 5 * time.Second
	// clusterMFPauseLimit is how long a primary holds writes back for a
	// failover at most: the replica's catch-up, then its raft proposal.
	clusterMFPauseLimit = clusterMFTimeout + clusterProposeTimeout + 2*time.Second
)

// clusterFailoverState is a node's part in a manual failover: as the
// replica running one (running), as the primary pausing for one (pauseGen
// names the current pause, so that an old pause's watcher or a late abort
// does not lift a newer one).
type clusterFailoverState struct {
	running  atomic.Bool
	pauseGen atomic.Uint64
	paused   atomic.Bool
}

// CLUSTER FAILOVER [FORCE|TAKEOVER]
func cmdClusterFailover(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	if len(args) > 3 {
		// Redis's clusterCommand only knows "failover" with 2 or 3
		// arguments and falls through to the generic error.
		c.Error("ERR unknown subcommand or wrong number of arguments for '" + string(args[1]) + "'. Try CLUSTER HELP.")
		return
	}
	force := false
	if len(args) == 3 {
		if !eq(args[2], "force") && !eq(args[2], "takeover") {
			c.Error(ErrSyntax)
			return
		}
		force = true
	}
	s := c.srv
	st := s.clusterState()
	me := st.Node(s.cluster.myID)
	switch {
	case me == nil || !me.IsReplica():
		c.Error("ERR You should send CLUSTER FAILOVER to a replica")
		return
	case st.Node(me.PrimaryID) == nil:
		c.Error("ERR I'm a replica but my master is unknown to me")
		return
	case !force && !s.masterLinkUp():
		c.Error("ERR Master is down or failed, please use CLUSTER FAILOVER FORCE")
		return
	}
	// Redis restarts a manual failover already under way; here the one
	// running goes on (the second would only find the roles swapped).
	if s.cluster.failover.running.CompareAndSwap(false, true) {
		primaryID := me.PrimaryID
		if force {
			slog.Warn("Forced failover user request accepted.")
		} else {
			slog.Warn("Manual failover user request accepted.")
		}
		go func() {
			defer s.cluster.failover.running.Store(false)
			if err := s.clusterManualFailover(primaryID, force); err != nil {
				slog.Warn("Manual failover failed", "err", err)
			}
		}()
	}
	c.OK()
}

// clusterManualFailover is the replica's side of CLUSTER FAILOVER.
func (s *Server) clusterManualFailover(primaryID string, force bool) error {
	cn := &s.cluster
	if !force {
		p := s.clusterState().Node(primaryID)
		if p == nil {
			return errors.New("server: cluster failover: the primary left the cluster")
		}
		addr := clusterNodeAddr(p)
		target, err := s.clusterMFStart(addr)
		if err != nil {
			return err
		}
		// A failover that does not happen must not leave the primary
		// paused until its own limit.
		committed := false
		defer func() {
			if !committed {
				if _, err := s.clusterCall(addr, "CLUSTER", "VIREO-MFABORT", cn.myID); err != nil {
					slog.Warn("cluster failover: cannot tell the primary to resume writes", "err", err)
				}
			}
		}()
		deadline := time.Now().Add(clusterMFTimeout)
		for s.repl.backlog.Offset() < target {
			if time.Now().After(deadline) {
				return errors.New("server: cluster failover: manual failover timed out: the replica did not reach the primary's offset")
			}
			select {
			case <-cn.stop:
				return errors.New("server: cluster failover: shutting down")
			case <-time.After(5 * time.Millisecond):
			}
		}
		slog.Info("All master replication stream processed, manual failover can start.")
		if err := s.clusterCommitFailover(primaryID); err != nil {
			return err
		}
		committed = true
		return nil
	}
	return s.clusterCommitFailover(primaryID)
}

// clusterCommitFailover commits the change of roles through raft.
func (s *Server) clusterCommitFailover(primaryID string) error {
	res, err := s.clusterPropose(&cluster.Op{Kind: cluster.OpFailover, Node: s.cluster.myID, Target: primaryID})
	if err != nil {
		return err
	}
	if res.Err != "" {
		return errors.New("server: cluster failover: " + res.Err)
	}
	slog.Info("Failover election won: I'm the new master.")
	return nil
}

// clusterMFStart asks the primary at addr to pause writes for our failover
// and returns its replication offset at the pause.
func (s *Server) clusterMFStart(addr string) (int64, error) {
	reply, err := s.clusterCall(addr, "CLUSTER", "VIREO-MFSTART", s.cluster.myID)
	if err != nil {
		return 0, err
	}
	if !strings.HasPrefix(reply, ":") {
		return 0, errors.New("server: cluster failover: primary refused: " + strings.TrimPrefix(reply, "-"))
	}
	off, err := strconv.ParseInt(reply[1:], 10, 64)
	if err != nil {
		return 0, errors.New("server: cluster failover: bad offset " + reply)
	}
	return off, nil
}

// clusterNodeAddr is a node's client address to dial.
func clusterNodeAddr(n *cluster.Node) string {
	ip := n.IP
	if ip == "" {
		ip = "127.0.0.1"
	}
	return net.JoinHostPort(ip, strconv.Itoa(n.Port))
}

// CLUSTER VIREO-MFSTART replica-id (internal): our replica starts a manual
// failover. Writes are held back and the reply is our replication offset,
// read once the commands already past the pause have finished.
func cmdClusterVireoMFStart(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	s := c.srv
	st := s.clusterState()
	rep := st.Node(string(args[2]))
	if me := st.Node(s.cluster.myID); me == nil || me.IsReplica() || rep == nil || rep.PrimaryID != me.ID {
		c.Error("ERR Manual failover request from a node that is not my replica")
		return
	}
	f := &s.cluster.failover
	gen := f.pauseGen.Add(1)
	f.paused.Store(true)
	s.pause.holdForFailover(true)
	// A write that passed the pause check just before is still running:
	// all shard locks wait for it, and it propagates under its locks.
	s.ks.LockAll()
	off := s.repl.backlog.Offset()
	s.ks.UnlockAll()
	slog.Info("Manual failover requested by replica " + rep.ID + ".")
	go s.clusterMFWatchPause(gen, rep.ID)
	c.Int(off)
}

// clusterMFWatchPause lifts a failover's pause once the configuration made
// us a replica of the new primary and we follow it, or at the limit.
func (s *Server) clusterMFWatchPause(gen uint64, newPrimary string) {
	cn := &s.cluster
	deadline := time.Now().Add(clusterMFPauseLimit)
	for time.Now().Before(deadline) {
		if me := s.clusterState().Node(cn.myID); me != nil && me.PrimaryID == newPrimary {
			if p := cn.replicatingID.Load(); p != nil && *p == newPrimary {
				s.clusterMFEndPause(gen)
				return
			}
		}
		select {
		case <-cn.stop:
			s.clusterMFEndPause(gen)
			return
		case <-time.After(5 * time.Millisecond):
		}
		if cn.failover.pauseGen.Load() != gen {
			return // aborted, or a newer request owns the pause
		}
	}
	slog.Warn("Manual failover timed out.")
	s.clusterMFEndPause(gen)
}

// clusterMFEndPause lifts the failover pause numbered gen, if it is still
// the current one.
func (s *Server) clusterMFEndPause(gen uint64) {
	f := &s.cluster.failover
	if f.pauseGen.CompareAndSwap(gen, gen+1) && f.paused.CompareAndSwap(true, false) {
		s.pause.holdForFailover(false)
	}
}

// CLUSTER VIREO-MFABORT replica-id (internal): the replica gave up its
// failover: writes resume.
func cmdClusterVireoMFAbort(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	s := c.srv
	f := &s.cluster.failover
	if f.paused.Load() {
		s.clusterMFEndPause(f.pauseGen.Load())
		slog.Info("Manual failover aborted by replica " + string(args[2]) + ".")
	}
	c.OK()
}
