package server

// FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT milliseconds] (Redis
// 6.2): a coordinated hand-over from this primary to one of its replicas,
// with no write lost. The primary holds writes back (a write pause that
// CLIENT UNPAUSE does not lift), waits until the target replica (or, with
// no TO, the first one) has acknowledged the whole stream, then becomes a
// replica of it and asks it to take over with "PSYNC <replid> <offset>
// FAILOVER": the target promotes itself when the ID is its own, and
// continues our PSYNC from its history. When the target accepts the PSYNC
// the pause ends (writes now get READONLY); if it refuses, or never catches
// up before TIMEOUT (unless FORCE), the failover is aborted and this server
// is a primary again. INFO's master_failover_state shows the phase.
//
// This is the manual, operator-driven hand-over; automatic failover when a
// primary dies is vireo-failover's (failover.go).

import (
	"errors"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The phases of a FAILOVER (Redis's failover_state).
const (
	failoverNone int32 = iota
	failoverWaitForSync
	failoverInProgress
)

// coordFailover is the state of a FAILOVER command.
type coordFailover struct {
	state atomic.Int32

	mu    sync.Mutex
	end   time.Time // TIMEOUT's deadline; zero without TIMEOUT
	force bool
	host  string // target; "" until chosen when FAILOVER had no TO
	port  int
}

func failoverStateName(st int32) string {
	switch st {
	case failoverWaitForSync:
		return "waiting-for-sync"
	case failoverInProgress:
		return "failover-in-progress"
	default:
		return "no-failover"
	}
}

func cmdFailover(c *Ctx, args [][]byte) {
	s := c.srv
	f := &s.coordFailover
	if s.cfg.Snapshot().ClusterEnabled {
		c.Error("ERR FAILOVER not allowed in cluster mode. Use CLUSTER FAILOVER command instead.")
		return
	}
	if s.failover.node != nil {
		// The raft group decides who is primary (failover.go), and each
		// node re-asserts its committed role: a hand-over outside it would
		// be undone within a second.
		c.Error("ERR FAILOVER not allowed with vireo-failover: the failover group chooses the primary")
		return
	}
	if len(args) == 2 && eq(args[1], "abort") {
		if f.state.Load() == failoverNone {
			c.Error("ERR No failover in progress.")
			return
		}
		s.abortFailover("Failover manually aborted")
		c.OK()
		return
	}
	var (
		timeout int64
		force   bool
		host    string
		hasHost bool
		port    int64
	)
	for j := 1; j < len(args); j++ {
		switch {
		case eq(args[j], "timeout") && j+1 < len(args) && timeout == 0:
			v, ok := c.intArg(args[j+1])
			if !ok {
				return
			}
			if v <= 0 {
				c.Error("ERR FAILOVER timeout must be greater than 0")
				return
			}
			timeout = v
			j++
		case eq(args[j], "to") && j+2 < len(args) && !hasHost:
			v, ok := c.intArg(args[j+2])
			if !ok {
				return
			}
			host, port, hasHost = string(args[j+1]), v, true
			j += 2
		case eq(args[j], "force") && !force:
			force = true
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	switch {
	case f.state.Load() != failoverNone:
		c.Error("ERR FAILOVER already in progress.")
		return
	case s.repl.isReplica.Load():
		c.Error("ERR FAILOVER is not valid when server is a replica.")
		return
	case len(s.listReplicas(false)) == 0:
		c.Error("ERR FAILOVER requires connected replicas.")
		return
	case force && (timeout == 0 || !hasHost):
		c.Error("ERR FAILOVER with force option requires both a timeout and target HOST and IP.")
		return
	}
	if hasHost {
		rc := s.findReplica(host, int(port))
		if rc == nil {
			c.Error("ERR FAILOVER target HOST and PORT is not a replica.")
			return
		}
		if rc.state.Load() != replicaOnline {
			c.Error("ERR FAILOVER target replica is not online.")
			return
		}
		slog.Info("FAILOVER requested to " + net.JoinHostPort(host, strconv.FormatInt(port, 10)) + ".")
	} else {
		slog.Info("FAILOVER requested to any replica.")
	}
	f.mu.Lock()
	f.host, f.port, f.force, f.end = host, int(port), force, time.Time{}
	if timeout > 0 {
		f.end = time.Now().Add(time.Duration(timeout) * time.Millisecond)
	}
	f.mu.Unlock()
	f.state.Store(failoverWaitForSync)
	s.pause.holdForFailover(true) // client.go
	// A write that passed the pause check just before still runs: every
	// shard lock waits for it, and writes that lock later see the pause
	// (Ctx.call), so from here on only our own stream moves the offset.
	s.ks.LockAll()
	s.ks.UnlockAll()
	// Ask for ACKs now rather than at the replicas' next second.
	s.repl.backlog.Write([]byte("*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n"))
	go s.watchFailover()
	c.OK()
}

// findReplica is the replica announcing host:port (its REPLCONF
// ip-address, else its address, and its listening-port).
func (s *Server) findReplica(host string, port int) *replicaConn {
	for _, rc := range s.listReplicas(false) {
		if strings.EqualFold(rc.ip, host) && rc.listeningPort == port {
			return rc
		}
	}
	return nil
}

// watchFailover runs updateFailoverStatus on every ACK and every 100 ms
// while the failover waits for its target to catch up.
func (s *Server) watchFailover() {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for s.coordFailover.state.Load() == failoverWaitForSync {
		s.updateFailoverStatus()
		select {
		case <-s.nextAck(): // replication.go
		case <-tick.C:
		case <-s.ctx.Done():
			return
		}
	}
}

// updateFailoverStatus moves a waiting failover on: past TIMEOUT it fails
// over anyway (FORCE) or aborts; otherwise, once the target (or, with no
// TO, any replica) acknowledged our whole stream, it fails over to it.
func (s *Server) updateFailoverStatus() {
	f := &s.coordFailover
	f.mu.Lock()
	if f.state.Load() != failoverWaitForSync {
		f.mu.Unlock()
		return
	}
	if !f.end.IsZero() && !time.Now().Before(f.end) {
		if f.force {
			slog.Info("FAILOVER to " + net.JoinHostPort(f.host, strconv.Itoa(f.port)) + " time out exceeded, failing over.")
			f.state.Store(failoverInProgress)
			host, port := f.host, f.port
			f.mu.Unlock()
			s.failOverTo(host, port)
			return
		}
		f.mu.Unlock()
		s.abortFailover("Replica never caught up before timeout")
		return
	}
	offset := s.repl.backlog.Offset()
	var target *replicaConn
	if f.host != "" {
		target = s.findReplica(f.host, f.port)
	} else {
		for _, rc := range s.listReplicas(false) {
			if rc.ackOffset.Load() == offset {
				target = rc
				f.host, f.port = rc.ip, rc.listeningPort
				break
			}
		}
	}
	if target == nil || target.ackOffset.Load() != offset {
		f.mu.Unlock()
		return
	}
	f.state.Store(failoverInProgress)
	host, port := f.host, f.port
	f.mu.Unlock()
	slog.Info("Failover target " + net.JoinHostPort(host, strconv.Itoa(port)) + " is synced, failing over.")
	s.failOverTo(host, port)
}

// failOverTo makes this server a replica of the target with a link whose
// first PSYNC asks it to take over; its answer ends the failover.
func (s *Server) failOverTo(host string, port int) {
	s.startLink(host, port, func(err error) {
		if err != nil {
			s.abortFailover("Failover target rejected psync request")
			return
		}
		s.clearFailoverState()
	})
}

// abortFailover gives up a failover: a server that already turned replica
// for it is a primary again, and writes are let through.
func (s *Server) abortFailover(reason string) {
	f := &s.coordFailover
	f.mu.Lock()
	st := f.state.Load()
	target := "any replica"
	if f.host != "" {
		target = net.JoinHostPort(f.host, strconv.Itoa(f.port))
	}
	f.mu.Unlock()
	if st == failoverNone {
		return
	}
	slog.Info("FAILOVER to " + target + " aborted: " + reason)
	if st == failoverInProgress {
		s.promote()
	}
	s.clearFailoverState()
}

func (s *Server) clearFailoverState() {
	f := &s.coordFailover
	f.mu.Lock()
	f.host, f.port, f.force, f.end = "", 0, false, time.Time{}
	f.state.Store(failoverNone)
	f.mu.Unlock()
	s.pause.holdForFailover(false)
}

// psyncFailover is the target's side: "PSYNC <replid> <offset> FAILOVER"
// from our primary, naming our own replication ID, makes us a primary
// before the PSYNC is served; another ID is refused.
func (c *Ctx) psyncFailover(replID string) error {
	s := c.srv
	if !strings.EqualFold(replID, s.repl.backlog.ReplID()) {
		return errors.New("ERR PSYNC FAILOVER replid must match my replid.")
	}
	if s.repl.isReplica.Load() {
		s.promote()
	}
	slog.Info("MASTER MODE enabled (failover request from '" + c.addr + "')")
	return nil
}

func init() { familyRegistrars = append(familyRegistrars, registerFailoverCommand) }

func registerFailoverCommand(t *Table) {
	t.Add(&Command{Name: "failover", Arity: -1, Flags: FlagAdmin | FlagNoScript | FlagStale,
		ACL: []string{"slow", "dangerous"}, Group: "server", Since: "6.2.0",
		Summary:    "Start a coordinated failover between this server and one of its replicas.",
		Complexity: "O(1)", Usage: "[TO host port [FORCE]] [ABORT] [TIMEOUT milliseconds]",
		Lock: LockNone, Handler: cmdFailover})
}
