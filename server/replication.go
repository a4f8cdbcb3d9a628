package server

// Replication commands. Vireo runs as a standalone primary for now; ROLE
// says so in Redis's words (PSYNC, REPLICAOF and WAIT come with the
// replication package).

func init() { familyRegistrars = append(familyRegistrars, registerReplicationCommands) }

// ROLE: a primary without replicas is ["master", offset, []].
func cmdRole(c *Ctx, args [][]byte) {
	c.Array(3)
	c.BulkString("master")
	c.Int(0)
	c.Array(0)
}

func registerReplicationCommands(t *Table) {
	t.Add(&Command{Name: "role", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast, ACL: []string{"admin", "dangerous"},
		Group: "server", Since: "2.8.12", Summary: "Returns the replication role.", Lock: LockNone, Handler: cmdRole})
}
