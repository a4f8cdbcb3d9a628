package server

// The dispatcher: every request goes through execute. Checks that apply to
// every command (lookup, arity, authentication, MULTI queueing) run here
// once, driven by the command's spec; then the shards of the command's keys
// are locked in ascending order, the handler runs, its effects are
// propagated while the locks are still held, and the locks are released.

import (
	"time"
)

// execute runs one request. args[0] is the command name.
func (c *Ctx) execute(args [][]byte) {
	start := time.Now()
	c.now = start.UnixMilli()
	c.lastSeen.Store(c.now)
	srv := c.srv

	cmd := srv.table.Lookup(args[0])
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
		cmd.stats.rejected.Add(1)
	}
	if c.multi != nil {
		c.multi.aborted = true
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
		cmd.Handler(c, args)
		c.propagateLocked(cmd, args)
		ks.UnlockShards(c.lockIdx)
	}
	if c.dirty > 0 {
		srv.dirty.Add(int64(c.dirty))
	}

	elapsed := time.Since(start)
	cmd.stats.calls.Add(1)
	cmd.stats.usec.Add(elapsed.Microseconds())
	if c.failed {
		cmd.stats.failed.Add(1)
	}
	srv.stats.commands.Add(1)
	srv.slowlogMaybeAdd(c, args, elapsed)
}

// propagateLocked appends the command to the propagation stream when it
// changed something and did not propagate normalised effects itself.
func (c *Ctx) propagateLocked(cmd *Command, args [][]byte) {
	if c.dirty > 0 && !c.customProp && cmd.IsWrite() {
		c.emit(args)
	}
}
