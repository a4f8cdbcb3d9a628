package server

// The dispatcher: every request goes through execute. Checks that apply to
// every command (lookup, arity, authentication, MULTI queueing) run here
// once, driven by the command's spec; then the shards of the command's keys
// are locked in ascending order, the handler runs, its effects are
// propagated while the locks are still held, and the locks are released.

import (
	"strings"
	"time"
)

// execute runs one request. args[0] is the command name.
func (c *Ctx) execute(args [][]byte) {
	// One clock reading per command: the end of the previous command (or
	// the time the batch was read) is this command's start. Reading the
	// clock costs ~70ns on a VM's kvm-clock, a large share of a GET.
	start := c.clock
	c.now = start.UnixMilli()
	c.lastSeen.Store(c.now)
	srv := c.srv

	cmd := c.lookupCommand(args[0])
	if cmd == nil {
		c.reject(nil, errUnknownCommand(args))
		return
	}
	// A container with a handler of its own (COMMAND) runs it when called
	// without a subcommand, as Redis's lookupCommand does.
	if cmd.Subcommands != nil && (len(args) > 1 || cmd.Handler == nil) {
		if len(args) == 1 {
			c.reject(cmd, errArity(cmd.Name))
			return
		}
		sub := cmd.LookupSub(args[1])
		if sub == nil {
			c.reject(cmd, errUnknownSubcommand(args[1], cmd.Name))
			return
		}
		cmd = sub
	}
	if (cmd.Arity > 0 && len(args) != cmd.Arity) || len(args) < -cmd.Arity {
		c.reject(cmd, errArity(cmd.Name))
		return
	}
	if !c.authenticated && cmd.Flags&FlagNoAuth == 0 && srv.authRequired() {
		c.reject(cmd, ErrNoAuth)
		return
	}
	// ACL: one boolean for the all-permissive default user (acl.go).
	if u := c.currentUser().cur.Load(); !u.Permissive && !c.checkACL(u, cmd, args) {
		return
	}
	// A RESP2 subscriber may only run the pub/sub commands (pubsub.go).
	if c.ps != nil && c.proto == 2 && c.ps.active() && !cmd.allowedWhileSubscribed() {
		c.reject(cmd, errSubscribedContext(cmd))
		return
	}
	// Cluster mode: the keys' slot must be served here (cluster_redirect.go).
	if srv.cluster.enabled {
		if msg := c.clusterReject(cmd, args); msg != "" {
			c.rejectRedirect(cmd, msg)
			return
		}
	}
	// CLIENT PAUSE: hold the command back (blocking this connection's
	// goroutine) while a pause covers it; before MULTI queueing, as Redis
	// does. false: the client was killed or the server stopped meanwhile.
	if !srv.waitIfPaused(c, cmd) {
		return
	}
	if srv.cluster.enabled && !c.clock.Equal(start) {
		// Held back by a pause: the slot may have moved meanwhile (CLUSTER
		// FAILOVER pauses the old primary until it has handed its slots
		// over), so the command is redirected as Redis's re-processing of
		// an unpaused client would.
		if msg := c.clusterReject(cmd, args); msg != "" {
			c.rejectRedirect(cmd, msg)
			return
		}
	}
	start = c.clock // a command held back by a pause starts when it ends
	// A script running past busy-reply-threshold makes every other client's
	// command fail with -BUSY, except the allow_busy ones (scripting.go).
	if srv.scripting.running.Load() != nil || srv.scripting.pending.Load() > 0 {
		if msg := c.busyError(cmd); msg != "" {
			c.reject(cmd, msg)
			return
		}
	}
	c.preOOM = srv.set.maxmemory.Load() > 0 && !srv.evictIfNeeded()
	if c.preOOM && c.oomRejects(cmd) {
		c.reject(cmd, errOOM)
		return
	}
	if msg := srv.diskErrorDenial(); msg != "" && (cmd.IsWrite() || cmd.Name == "ping") {
		c.reject(cmd, msg) // persist.go: a failed BGSAVE or AOF write
		return
	}
	// NOREPLICAS, READONLY, MASTERDOWN (replication.go).
	if msg := c.replicationReject(cmd); msg != "" {
		c.reject(cmd, msg)
		return
	}
	if c.multi != nil && !cmd.runsInMulti() {
		if cmd.Flags&FlagNoMulti != 0 {
			c.reject(cmd, "ERR Command not allowed inside a transaction")
			return
		}
		c.queue(cmd, args)
		return
	}
	c.lastCmd.Store(cmd)
	c.call(cmd, args, start)
	if c.block.waiter != nil {
		// The command blocked on keys: wait here, locks released, until
		// it is served, times out or is unblocked (blocking.go).
		c.awaitBlocked(cmd, args)
	}
}

// lookupCommand finds the command named by name, trying the connection's
// previous command first: pipelines and benchmarks repeat the same command,
// and a case-insensitive compare is cheaper than hashing the name.
func (c *Ctx) lookupCommand(name []byte) *Command {
	if last := c.lastTop; last != nil && eq(name, last.Name) {
		return last
	}
	cmd := c.srv.table.Lookup(name)
	if cmd != nil {
		c.lastTop = cmd
	}
	return cmd
}

// runsInMulti reports whether the command runs immediately inside MULTI
// instead of being queued.
func (cmd *Command) runsInMulti() bool {
	switch cmd.Name {
	case "exec", "discard", "multi", "watch", "unwatch", "quit", "reset":
		return true
	}
	return false
}

// reject replies with a command-rejection error: it counts as a rejected
// call, and inside MULTI it dooms the transaction (EXECABORT).
func (c *Ctx) reject(cmd *Command, msg string) {
	if cmd != nil {
		cmd.stats.stripe(c.id).rejected.Add(1)
	}
	if c.multi != nil {
		c.multi.aborted = true
	}
	if cmd != nil && cmd.Name == "exec" {
		// Redis's execCommandAbort: a rejected EXEC discards the
		// transaction and says why.
		c.multi = nil
		c.unwatchAll()
		c.Error("EXECABORT Transaction discarded because of: " + strings.TrimPrefix(msg, "ERR "))
		return
	}
	c.Error(msg)
}

// call runs a command with its locks held and records its statistics.
func (c *Ctx) call(cmd *Command, args [][]byte, start time.Time) {
	c.cmd = cmd
	c.failed = false
	c.dirty = 0
	c.customProp = false
	srv := c.srv
	ks := srv.ks

	switch {
	case c.allLocked || cmd.Lock == LockNone:
		cmd.Handler(c, args)
		c.propagateLocked(cmd, args)
	case cmd.Lock == LockAll:
		ks.LockAll()
		for srv.pause.active.Load() && c.pausedNow(cmd) {
			// See below: a pause that began while we waited for the locks.
			ks.UnlockAll()
			if !srv.waitIfPaused(c, cmd) {
				return
			}
			ks.LockAll()
		}
		c.allLocked = true
		cmd.Handler(c, args)
		c.propagateLocked(cmd, args)
		c.allLocked = false
		ks.UnlockAll()
	default:
		c.keyIdx = cmd.keyPositions(args, c.keyIdx[:0])
		c.lockIdx = c.lockIdx[:0]
		for _, i := range c.keyIdx {
			c.lockIdx = append(c.lockIdx, c.db.ShardIndex(args[i]))
		}
		c.lockIdx = ks.LockShards(c.lockIdx)
		for srv.pause.active.Load() && c.pausedNow(cmd) {
			// A write pause (FAILOVER, CLIENT PAUSE WRITE) that began
			// after the dispatcher's check: back off and wait. A pauser
			// that then takes every shard lock knows that no write it
			// holds back is still on its way, so the offset it reads is
			// the last one (failover_cmd.go, cluster_failover.go).
			ks.UnlockShards(c.lockIdx)
			if !srv.waitIfPaused(c, cmd) {
				return
			}
			c.lockIdx = ks.LockShards(c.lockIdx)
		}
		cmd.Handler(c, args)
		c.propagateLocked(cmd, args)
		ks.UnlockShards(c.lockIdx)
	}
	if c.dirty > 0 {
		srv.dirty.Add(int64(c.dirty))
	}

	// One monotonic clock reading (time.Since) instead of time.Now's two:
	// the clock is read after every command, and on a VM each reading
	// costs tens of nanoseconds. The next pipelined command starts here.
	elapsed := time.Since(start)
	c.clock = start.Add(elapsed)
	st := cmd.stats.stripe(c.id)
	st.calls.Add(1)
	us := elapsed.Microseconds()
	st.usec.Add(us)
	if srv.set.latencyTracking.Load() {
		cmd.latency.record(c.id, us) // latency.go
	}
	if thr := srv.set.latencyThreshold.Load(); thr > 0 && us/1000 >= thr {
		event := "command"
		if cmd.Flags&FlagFast != 0 {
			event = "fast-command"
		}
		srv.latencyEvent(event, us/1000)
	}
	if c.failed {
		st.failed.Add(1)
	}
	srv.slowlogMaybeAdd(c, args, elapsed)
	if srv.monitors.n.Load() > 0 && !c.block.retrying {
		srv.feedMonitors(c, cmd, args)
	}
	// Clients blocked on keys this command readied get their turns now
	// that its locks are released; not inside EXEC (blocking.go).
	c.serveBlocked()
}

// propagateLocked appends the command to the propagation stream when it
// changed something and did not propagate normalised effects itself. For a
// tracking client it also remembers the keys read (tracking.go), while the
// keys' locks are still held.
func (c *Ctx) propagateLocked(cmd *Command, args [][]byte) {
	if c.track != nil {
		c.rememberKeys(cmd, args)
	}
	if c.dirty > 0 && !c.customProp && cmd.IsWrite() {
		c.emit(args)
	}
}
