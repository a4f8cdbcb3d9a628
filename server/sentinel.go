package server

// Sentinel-compatible commands (vireo-failover yes only): every node of a
// failover group answers on its client port as a Sentinel would, from the
// raft-committed configuration and its own monitor's view of the members,
// so that Sentinel-aware clients (go-redis's FailoverClient) find the
// primary and follow a promotion (+switch-master, failover.go) unchanged.
// Reply shapes are Sentinel's (src/sentinel.c, addReplySentinelRedisInstance):
// every value is a bulk string, each instance a map.
//
// The command is added to the server's table only when failover is on:
// otherwise SENTINEL is an unknown command, as on redis-server.

import (
	"crypto/sha1"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/vireodb/vireo/replication/failover"
)

const errNoSuchMaster = "ERR No such master with that name"

// sentinelCommand is the SENTINEL container.
func sentinelCommand() *Command {
	flags := FlagAdmin | FlagSentinel | FlagOnlySentinel | FlagLoading | FlagStale | FlagNoScript
	sub := func(name string, arity int, summary, usage string, h func(*Ctx, [][]byte)) *Command {
		return &Command{Name: name, Arity: arity, Flags: flags, ACL: []string{"slow", "dangerous"}, Group: "sentinel",
			Since: "2.8.4", Summary: summary, Usage: usage, Lock: LockNone, Handler: h}
	}
	return &Command{Name: "sentinel", Arity: -2, Flags: FlagAdmin | FlagSentinel | FlagOnlySentinel, ACL: []string{"slow"},
		Group: "sentinel", Since: "2.8.4", Summary: "A container for Redis Sentinel commands.", Lock: LockNone,
		Subcommands: Sub(
			sub("get-master-addr-by-name", 3, "Returns the port and address of a master Redis instance.", "master-name", cmdSentinelGetMasterAddr),
			sub("masters", 2, "Returns a list of monitored Redis masters.", "", cmdSentinelMasters),
			sub("master", 3, "Returns the state of a master Redis instance.", "master-name", cmdSentinelMaster),
			sub("replicas", 3, "Returns a list of the monitored Redis replicas.", "master-name", cmdSentinelReplicas),
			sub("slaves", 3, "Returns a list of the monitored replicas.", "master-name", cmdSentinelReplicas),
			sub("sentinels", 3, "Returns a list of Sentinel instances.", "master-name", cmdSentinelSentinels),
			sub("myid", 2, "Returns the Redis Sentinel instance ID.", "", cmdSentinelMyID),
			sub("ckquorum", 3, "Checks for a Redis Sentinel quorum.", "master-name", cmdSentinelCkQuorum),
		)}
}

// SENTINEL GET-MASTER-ADDR-BY-NAME master-name
func cmdSentinelGetMasterAddr(c *Ctx, args [][]byte) {
	st, ok := c.srv.sentinelState(args[2])
	p, known := st.PrimaryMember()
	if !ok || !known {
		c.NullArray()
		return
	}
	host, port := splitHostPortNumber(p.Addr)
	c.Array(2)
	c.BulkString(host)
	c.BulkString(port)
}

// SENTINEL MASTERS
func cmdSentinelMasters(c *Ctx, args [][]byte) {
	st, ok := c.srv.sentinelState([]byte(c.srv.failover.masterName))
	if !ok || !st.Initialized() {
		c.Array(0)
		return
	}
	c.Array(1)
	c.writeSentinelInstance(c.srv.masterInstance(st))
}

// SENTINEL MASTER master-name
func cmdSentinelMaster(c *Ctx, args [][]byte) {
	st, ok := c.srv.sentinelState(args[2])
	if !ok {
		c.Error(errNoSuchMaster)
		return
	}
	c.writeSentinelInstance(c.srv.masterInstance(st))
}

// SENTINEL REPLICAS master-name (and SLAVES)
func cmdSentinelReplicas(c *Ctx, args [][]byte) {
	st, ok := c.srv.sentinelState(args[2])
	if !ok {
		c.Error(errNoSuchMaster)
		return
	}
	var out [][]sentinelField
	for _, m := range st.Members {
		if m.ID != st.Primary {
			out = append(out, c.srv.replicaInstance(st, m))
		}
	}
	c.Array(len(out))
	for _, inst := range out {
		c.writeSentinelInstance(inst)
	}
}

// SENTINEL SENTINELS master-name: the other members, each a Sentinel.
func cmdSentinelSentinels(c *Ctx, args [][]byte) {
	st, ok := c.srv.sentinelState(args[2])
	if !ok {
		c.Error(errNoSuchMaster)
		return
	}
	self := c.srv.failover.node.Self().ID
	var out [][]sentinelField
	for _, m := range st.Members {
		if m.ID != self {
			out = append(out, c.srv.sentinelInstance(m))
		}
	}
	c.Array(len(out))
	for _, inst := range out {
		c.writeSentinelInstance(inst)
	}
}

// SENTINEL MYID
func cmdSentinelMyID(c *Ctx, args [][]byte) { c.BulkString(c.srv.failover.sentinelID) }

// SENTINEL CKQUORUM master-name: the quorum is a raft majority.
func cmdSentinelCkQuorum(c *Ctx, args [][]byte) {
	st, ok := c.srv.sentinelState(args[2])
	if !ok {
		c.Error(errNoSuchMaster)
		return
	}
	n := c.srv.failover.node
	usable := 0
	for _, m := range st.Members {
		if n.Health(m.ID).Reachable {
			usable++
		}
	}
	if usable >= len(st.Members)/2+1 {
		c.Simple("OK " + strconv.Itoa(usable) + " usable Sentinels. Quorum and failover authorization can be reached")
		return
	}
	c.Error("NOQUORUM " + strconv.Itoa(usable) + " usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master. " +
		"Not enough available Sentinels to reach the majority and authorize a failover")
}

// sentinelState is the committed configuration when name is the group's
// master name and one is committed.
func (s *Server) sentinelState(name []byte) (failover.State, bool) {
	if s.failover.node == nil || string(name) != s.failover.masterName {
		return failover.State{}, false
	}
	st := s.failover.node.State()
	return st, st.Initialized()
}

type sentinelField struct{ name, value string }

func (c *Ctx) writeSentinelInstance(fields []sentinelField) {
	c.Map(len(fields))
	for _, f := range fields {
		c.BulkString(f.name)
		c.BulkString(f.value)
	}
}

func msString(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }

// linkFields are the fields every kind of instance starts with, from this
// node's probes of member m; kind is master, slave or sentinel.
func (s *Server) linkFields(m failover.Member, name, kind, runID string) []sentinelField {
	n := s.failover.node
	h := n.Health(m.ID)
	now := time.Now()
	down := n.DownFor(m.ID)
	flags := kind
	sdown := down > n.DownAfter()
	if sdown {
		flags = "s_down," + flags
	}
	if !h.Reachable {
		flags += ",disconnected"
	}
	lastOK := h.LastOK
	if lastOK.IsZero() {
		lastOK = n.Started()
	}
	pingSent := "0"
	if !h.Reachable && !h.LastPing.IsZero() {
		pingSent = msString(now.Sub(lastOK))
	}
	host, port := splitHostPortNumber(m.Addr)
	out := []sentinelField{
		{"name", name}, {"ip", host}, {"port", port}, {"runid", runID}, {"flags", flags},
		{"link-pending-commands", "0"}, {"link-refcount", "1"},
		{"last-ping-sent", pingSent},
		{"last-ok-ping-reply", msString(now.Sub(lastOK))},
		{"last-ping-reply", msString(now.Sub(lastOK))},
	}
	if sdown {
		out = append(out, sentinelField{"s-down-time", msString(down - n.DownAfter())})
	}
	out = append(out, sentinelField{"down-after-milliseconds", msString(n.DownAfter())})
	return out
}

// reportFields are a master's or replica's INFO-derived fields.
func (s *Server) reportFields(h failover.MemberHealth, fallbackRole string) []sentinelField {
	now := time.Now()
	refresh, role := "0", fallbackRole
	if !h.ReportTime.IsZero() {
		refresh = msString(now.Sub(h.ReportTime))
		role = h.Report.Role
	}
	return []sentinelField{
		{"info-refresh", refresh}, {"role-reported", role},
		{"role-reported-time", msString(now.Sub(s.failover.node.Started()))},
	}
}

func (s *Server) masterInstance(st failover.State) []sentinelField {
	n := s.failover.node
	p, _ := st.PrimaryMember()
	h := n.Health(p.ID)
	out := s.linkFields(p, s.failover.masterName, "master", h.Report.RunID)
	out = append(out, s.reportFields(h, "master")...)
	return append(out,
		sentinelField{"config-epoch", strconv.FormatUint(st.Epoch, 10)},
		sentinelField{"num-slaves", strconv.Itoa(len(st.Members) - 1)},
		sentinelField{"num-other-sentinels", strconv.Itoa(len(st.Members) - 1)},
		sentinelField{"quorum", strconv.Itoa(len(st.Members)/2 + 1)},
		sentinelField{"failover-timeout", "180000"},
		sentinelField{"parallel-syncs", "1"},
	)
}

func (s *Server) replicaInstance(st failover.State, m failover.Member) []sentinelField {
	h := s.failover.node.Health(m.ID)
	out := s.linkFields(m, m.Addr, "slave", h.Report.RunID)
	out = append(out, s.reportFields(h, "slave")...)
	linkStatus, masterHost, masterPort := "err", "?", "0"
	if h.Report.LinkUp {
		linkStatus = "ok"
	}
	if h.Report.MasterHost != "" {
		masterHost, masterPort = h.Report.MasterHost, strconv.Itoa(h.Report.MasterPort)
	}
	return append(out,
		sentinelField{"master-link-down-time", "0"},
		sentinelField{"master-link-status", linkStatus},
		sentinelField{"master-host", masterHost},
		sentinelField{"master-port", masterPort},
		sentinelField{"slave-priority", "100"},
		sentinelField{"slave-repl-offset", strconv.FormatInt(h.Report.Offset, 10)},
		sentinelField{"replica-announced", "1"},
	)
}

func (s *Server) sentinelInstance(m failover.Member) []sentinelField {
	sum := sha1.Sum([]byte(m.ID))
	id := hex.EncodeToString(sum[:])
	out := s.linkFields(m, id, "sentinel", id)
	return append(out,
		sentinelField{"last-hello-message", out[8].value}, // last-ok-ping-reply
		sentinelField{"voted-leader", "?"},
		sentinelField{"voted-leader-epoch", "0"},
	)
}
