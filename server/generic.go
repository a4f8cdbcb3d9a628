package server

// Keyspace commands that apply to keys of any type. (More land here.)

func init() { familyRegistrars = append(familyRegistrars, registerGenericCommands) }

// DEL key [key ...]
func cmdDel(c *Ctx, args [][]byte) {
	var n int64
	for _, k := range args[1:] {
		if c.db.Delete(k) {
			c.Modified(k)
			c.Notify(NotifyGeneric, "del", k)
			n++
		}
	}
	c.Int(n)
}

// parseFlushMode parses FLUSHALL/FLUSHDB's optional ASYNC|SYNC.
func parseFlushMode(c *Ctx, args [][]byte) bool {
	if len(args) > 2 || (len(args) == 2 && !eq(args[1], "async") && !eq(args[1], "sync")) {
		c.Error(ErrSyntax)
		return false
	}
	return true
}

// FLUSHALL [ASYNC | SYNC]
func cmdFlushAll(c *Ctx, args [][]byte) {
	if !parseFlushMode(c, args) {
		return
	}
	ks := c.srv.ks
	for i := 0; i < ks.NumDBs(); i++ {
		db := ks.DB(i)
		c.dirty += int(db.Size())
		db.FlushLocked()
	}
	c.dirty++
	c.OK()
}

// FLUSHDB [ASYNC | SYNC]
func cmdFlushDB(c *Ctx, args [][]byte) {
	if !parseFlushMode(c, args) {
		return
	}
	c.dirty += int(c.db.Size()) + 1
	c.db.FlushLocked()
	c.OK()
}

// DBSIZE
func cmdDBSize(c *Ctx, args [][]byte) { c.Int(c.db.Size()) }

func registerGenericCommands(t *Table) {
	t.Add(
		&Command{Name: "del", Arity: -2, Flags: FlagWrite, ACL: []string{"keyspace", "slow"}, Group: "generic", Since: "1.0.0",
			Summary: "Deletes keys and returns how many existed.", Usage: "key [key ...]", FirstKey: 1, LastKey: -1, KeyStep: 1, Handler: cmdDel},
		&Command{Name: "flushall", Arity: -1, Flags: FlagWrite, ACL: []string{"keyspace", "slow", "dangerous"}, Group: "server", Since: "1.0.0",
			Summary: "Removes every key from every database.", Usage: "[ASYNC | SYNC]", Lock: LockAll, Handler: cmdFlushAll},
		&Command{Name: "flushdb", Arity: -1, Flags: FlagWrite, ACL: []string{"keyspace", "slow", "dangerous"}, Group: "server", Since: "1.0.0",
			Summary: "Removes every key from the current database.", Usage: "[ASYNC | SYNC]", Lock: LockAll, Handler: cmdFlushDB},
		&Command{Name: "dbsize", Arity: 1, Flags: FlagReadonly | FlagFast, ACL: []string{"keyspace"}, Group: "server", Since: "1.0.0",
			Summary: "Returns the number of keys in the current database.", Lock: LockNone, Handler: cmdDBSize},
	)
}
