package server

// Cluster-mode connection commands. Without cluster mode (cluster-enabled
// no, the only mode so far) they fail as redis-server's do.

func init() { familyRegistrars = append(familyRegistrars, registerClusterCommands) }

const errClusterDisabled = "ERR This instance has cluster support disabled"

// READONLY / READWRITE / ASKING
func cmdClusterDisabled(c *Ctx, args [][]byte) { c.Error(errClusterDisabled) }

func registerClusterCommands(t *Table) {
	conn := []string{"connection"}
	t.Add(
		&Command{Name: "readonly", Arity: 1, Flags: FlagLoading | FlagStale | FlagFast, ACL: conn, Group: "cluster", Since: "3.0.0",
			Summary: "Enables read-only queries for a connection to a Redis Cluster replica node.", Lock: LockNone, Handler: cmdClusterDisabled},
		&Command{Name: "readwrite", Arity: 1, Flags: FlagLoading | FlagStale | FlagFast, ACL: conn, Group: "cluster", Since: "3.0.0",
			Summary: "Enables read-write queries for a connection to a Redis Cluster replica node.", Lock: LockNone, Handler: cmdClusterDisabled},
		&Command{Name: "asking", Arity: 1, Flags: FlagFast, ACL: conn, Group: "cluster", Since: "3.0.0",
			Summary: "Signals that a cluster client is following an -ASK redirect.", Lock: LockNone, Handler: cmdClusterDisabled},
	)
}
