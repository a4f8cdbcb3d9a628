package server

// Transactions: MULTI queues commands, EXEC runs them atomically. EXEC locks
// the union of the queued commands' shards (or every shard, when a queued
// command needs the whole keyspace or switches database), so no other client
// sees a state between two of them. WATCH uses the keyspace's watchers: any
// write, expiry or flush of a watched key makes the next EXEC fail.

type multiState struct {
	queued     []queuedCmd
	aborted    bool // a command was rejected while queueing: EXECABORT
	executing  bool
	propagated bool // MULTI went into the propagation stream
}

type queuedCmd struct {
	cmd  *Command
	args [][]byte
}

type watchedKey struct {
	db      int
	key     string
	expired bool // the key was already logically expired at WATCH time
}

func init() { familyRegistrars = append(familyRegistrars, registerTransactionCommands) }

func (c *Ctx) queue(cmd *Command, args [][]byte) {
	cp := make([][]byte, len(args))
	for i, a := range args {
		cp[i] = append([]byte(nil), a...)
	}
	c.multi.queued = append(c.multi.queued, queuedCmd{cmd: cmd, args: cp})
	c.out = append(c.out, "+QUEUED\r\n"...)
}

// MULTI
func cmdMulti(c *Ctx, args [][]byte) {
	if c.multi != nil {
		c.Error(ErrMultiNested)
		return
	}
	c.multi = &multiState{}
	c.OK()
}

// DISCARD
func cmdDiscard(c *Ctx, args [][]byte) {
	if c.multi == nil {
		c.Error(ErrDiscardNoMulti)
		return
	}
	c.multi = nil
	c.unwatchAll()
	c.OK()
}

// EXEC
func cmdExec(c *Ctx, args [][]byte) {
	m := c.multi
	if m == nil {
		c.Error(ErrExecNoMulti)
		return
	}
	if m.aborted {
		c.multi = nil
		c.unwatchAll()
		c.Error(ErrExecAbort)
		return
	}
	// Take every lock first — the queued commands' shards and the watched
	// keys' shards — and only then look at the WATCH state: a writer of a
	// watched key marks us dirty while holding that key's shard lock, so
	// once we hold it nothing can slip in between the check and the run.
	ks := c.srv.ks
	lockAll := false
	for _, q := range m.queued {
		if q.cmd.Lock != LockKeys {
			lockAll = true
			break
		}
	}
	if !lockAll {
		c.lockIdx = c.lockIdx[:0]
		for _, q := range m.queued {
			c.keyIdx = q.cmd.keyPositions(q.args, c.keyIdx[:0])
			for _, i := range c.keyIdx {
				c.lockIdx = append(c.lockIdx, c.db.ShardIndex(q.args[i]))
			}
		}
		for _, w := range c.watched {
			c.lockIdx = append(c.lockIdx, ks.DB(w.db).ShardIndex([]byte(w.key)))
		}
	}
	lock := func() {
		if lockAll {
			ks.LockAll()
		} else {
			c.lockIdx = ks.LockShards(c.lockIdx)
		}
	}
	lock()
	for c.srv.pause.active.Load() && c.pausedNow(c.cmd) {
		// A write pause that began while we waited for the locks holds
		// a transaction with writes back too (Ctx.call explains why).
		if lockAll {
			ks.UnlockAll()
		} else {
			ks.UnlockShards(c.lockIdx)
		}
		if !c.srv.waitIfPaused(c, c.cmd) {
			return
		}
		lock()
	}
	c.allLocked = true // every command below runs under the locks taken here
	unlock := func(held []int) {
		c.allLocked = false
		if lockAll {
			ks.UnlockAll()
		} else {
			ks.UnlockShards(held)
		}
	}
	if c.watcher.Dirty() || c.watchedKeyExpiredLocked() {
		c.unwatchAll()
		unlock(c.lockIdx)
		c.multi = nil
		c.NullArray()
		return
	}
	// Watches end before the commands run, as in Redis: our own writes must
	// not count.
	c.unwatchAll()
	held := append([]int(nil), c.lockIdx...)
	m.executing = true
	now := c.now
	c.Array(len(m.queued))
	for _, q := range m.queued {
		c.now = now
		c.lastCmd.Store(q.cmd)
		c.call(q.cmd, q.args, c.clock)
	}
	if m.propagated {
		c.srv.ks.Stream.Propagate(c.dbIndex, []byte("EXEC"))
		c.woff = c.srv.repl.streamEnd.Load() // WAIT waits for the whole transaction
	}
	unlock(held)
	c.multi = nil
	// The queued commands counted and propagated their own changes.
	c.dirty = 0
	c.customProp = true
}

// WATCH key [key ...]
func cmdWatch(c *Ctx, args [][]byte) {
	if c.multi != nil {
		c.Error(ErrWatchInMulti)
		return
	}
	for _, k := range args[1:] {
		c.watchKey(k)
	}
	c.OK()
}

func (c *Ctx) watchKey(k []byte) {
	for _, w := range c.watched {
		if w.db == c.dbIndex && w.key == string(k) {
			return
		}
	}
	c.db.Watch(k, &c.watcher)
	c.watched = append(c.watched, watchedKey{db: c.dbIndex, key: string(k), expired: c.db.IsExpired(k, c.now)})
}

// UNWATCH
func cmdUnwatch(c *Ctx, args [][]byte) {
	c.unwatchAll()
	c.OK()
}

// unwatchAll drops every WATCH, locking each key's shard in turn (unless the
// caller already holds every lock).
func (c *Ctx) unwatchAll() {
	ks := c.srv.ks
	for _, w := range c.watched {
		db := ks.DB(w.db)
		key := []byte(w.key)
		if c.allLocked {
			db.Unwatch(key, &c.watcher)
			continue
		}
		idx := db.ShardIndex(key)
		ks.LockShards([]int{idx})
		db.Unwatch(key, &c.watcher)
		ks.UnlockShards([]int{idx})
	}
	c.watched = c.watched[:0]
	c.watcher.Reset()
}

// watchedKeyExpiredLocked is Redis's isWatchedKeyExpired: a watched key that
// was alive at WATCH time and has logically expired since fails the EXEC even
// if nobody touched it yet. The caller holds the watched keys' shard locks.
func (c *Ctx) watchedKeyExpiredLocked() bool {
	ks := c.srv.ks
	for _, w := range c.watched {
		if !w.expired && ks.DB(w.db).IsExpired([]byte(w.key), c.now) {
			return true
		}
	}
	return false
}

func registerTransactionCommands(t *Table) {
	t.Add(
		&Command{Name: "multi", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagAllowBusy, ACL: []string{"transaction"},
			Group: "transactions", Since: "1.2.0", Summary: "Starts a transaction; later commands are queued until EXEC.", Lock: LockNone, Handler: cmdMulti},
		&Command{Name: "exec", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagSkipSlowlog, ACL: []string{"transaction"},
			Group: "transactions", Since: "1.2.0", Summary: "Runs every queued command atomically.", Lock: LockNone, Handler: cmdExec},
		&Command{Name: "discard", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagAllowBusy, ACL: []string{"transaction"},
			Group: "transactions", Since: "2.0.0", Summary: "Drops the queued commands of a transaction.", Lock: LockNone, Handler: cmdDiscard},
		&Command{Name: "watch", Arity: -2, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagAllowBusy, ACL: []string{"transaction"},
			Group: "transactions", Since: "2.2.0", Summary: "Makes the next EXEC fail if any of these keys changes.", Usage: "key [key ...]",
			FirstKey: 1, LastKey: -1, KeyStep: 1, Handler: cmdWatch},
		&Command{Name: "unwatch", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagAllowBusy, ACL: []string{"transaction"},
			Group: "transactions", Since: "2.2.0", Summary: "Forgets every watched key.", Lock: LockNone, Handler: cmdUnwatch},
	)
}
