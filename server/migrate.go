package server

// MIGRATE: move keys to another instance (Redis or Vireo) by sending their
// DUMP payloads as RESTORE (RESTORE-ASKING in cluster mode, so the target
// accepts them for a slot it is importing), then deleting them here unless
// COPY. The keys' shard locks are held from the lookup to the deletion, so
// no write slips in between what was sent and what is deleted — as in
// Redis, where MIGRATE blocks the server for its round trip.
//
// Unlike Redis, no socket is cached between calls: each MIGRATE dials.

import (
	"bufio"
	"net"
	"strconv"
	"time"

	"github.com/vireodb/vireo/persistence/rdb"
	"github.com/vireodb/vireo/replication"
)

func init() { familyRegistrars = append(familyRegistrars, registerMigrateCommands) }

// migrateKeys is MIGRATE's key positions: argument 3, or every argument
// after KEYS when argument 3 is empty (Redis's migrateGetKeys).
func migrateKeys(args [][]byte) []int {
	if len(args) > 3 && len(args[3]) == 0 {
		for i := 6; i < len(args); i++ {
			if eq(args[i], "keys") {
				out := make([]int, 0, len(args)-i-1)
				for k := i + 1; k < len(args); k++ {
					out = append(out, k)
				}
				return out
			}
		}
	}
	if len(args) > 3 {
		return []int{3}
	}
	return nil
}

type migrateOptions struct {
	copy, replace  bool
	user, password string
	auth           bool
	keys           [][]byte
}

// MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password | AUTH2 username password] [KEYS key [key ...]]
func cmdMigrate(c *Ctx, args [][]byte) {
	o := migrateOptions{keys: [][]byte{args[3]}}
	for j := 6; j < len(args); j++ {
		more := len(args) - 1 - j
		switch {
		case eq(args[j], "copy"):
			o.copy = true
		case eq(args[j], "replace"):
			o.replace = true
		case eq(args[j], "auth"):
			if more < 1 {
				c.Error(ErrSyntax)
				return
			}
			j++
			o.auth, o.password = true, string(args[j])
		case eq(args[j], "auth2"):
			if more < 2 {
				c.Error(ErrSyntax)
				return
			}
			o.auth, o.user, o.password = true, string(args[j+1]), string(args[j+2])
			j += 2
		case eq(args[j], "keys"):
			if len(args[3]) != 0 {
				c.Error("ERR When using MIGRATE KEYS option, the key argument must be set to the empty string")
				return
			}
			o.keys = args[j+1:]
			j = len(args)
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	timeout, ok := c.intArg(args[5])
	if !ok {
		return
	}
	dbid, ok := c.intArg(args[4])
	if !ok {
		return
	}
	if timeout <= 0 {
		timeout = 1000
	}

	type item struct {
		key     []byte
		ttl     int64
		payload []byte
	}
	var items []item
	for _, k := range o.keys {
		e := c.Lookup(k)
		if e == nil {
			continue
		}
		payload, err := rdb.Dump(e)
		if err != nil {
			c.Error(errDumpType)
			return
		}
		var ttl int64
		if e.Expire != 0 {
			ttl = max(e.Expire-c.now, 1)
		}
		items = append(items, item{k, ttl, payload})
	}
	if len(items) == 0 {
		c.Simple("NOKEY")
		return
	}

	restore := "RESTORE"
	if c.srv.cluster.enabled {
		restore = "RESTORE-ASKING"
	}
	var req []byte
	if o.auth {
		req = appendAuth(req, o.user, o.password) // cluster_node.go
	}
	req = replication.AppendCommand(req, "SELECT", strconv.FormatInt(dbid, 10))
	for _, it := range items {
		parts := []string{restore, string(it.key), strconv.FormatInt(it.ttl, 10), string(it.payload)}
		if o.replace {
			parts = append(parts, "REPLACE")
		}
		req = replication.AppendCommand(req, parts...)
	}

	deadline := time.Duration(timeout) * time.Millisecond
	conn, err := net.DialTimeout("tcp", net.JoinHostPort(string(args[1]), string(args[2])), deadline)
	if err != nil {
		c.Error("IOERR error or timeout connecting to the client")
		return
	}
	defer conn.Close()
	conn.SetWriteDeadline(time.Now().Add(deadline))
	if _, err := conn.Write(req); err != nil {
		c.Error("IOERR error or timeout writing to target instance")
		return
	}
	r := bufio.NewReader(conn)
	readReply := func() (string, bool) {
		conn.SetReadDeadline(time.Now().Add(deadline))
		line, err := readLine(r)
		if err != nil {
			c.Error("IOERR error or timeout reading to target instance")
			return "", false
		}
		return line, true
	}
	// An AUTH or SELECT error fails every key; otherwise each key that
	// the target restored is deleted here, even when another one failed.
	setupErr := ""
	for range btoi(o.auth) + 1 { // AUTH, SELECT
		line, ok := readReply()
		if !ok {
			return
		}
		if len(line) > 0 && line[0] == '-' && setupErr == "" {
			setupErr = line[1:]
		}
	}
	targetErr := setupErr
	var deleted [][]byte
	for _, it := range items {
		line, ok := readReply()
		if !ok {
			return
		}
		if len(line) > 0 && line[0] == '-' {
			if targetErr == "" {
				targetErr = line[1:]
			}
			continue
		}
		if setupErr == "" && !o.copy {
			if c.db.Delete(it.key) {
				c.Modified(it.key)
				c.Notify(NotifyGeneric, "del", it.key)
				deleted = append(deleted, it.key)
			}
		}
	}
	if len(deleted) > 0 {
		c.Propagate(append([][]byte{[]byte("DEL")}, deleted...)...)
	}
	if targetErr != "" {
		c.Error("ERR Target instance replied with error: " + targetErr)
		return
	}
	c.OK()
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func registerMigrateCommands(t *Table) {
	t.Add(&Command{Name: "migrate", Arity: -6, Flags: FlagWrite | FlagMovableKeys, ACL: []string{"keyspace", "slow", "dangerous"},
		Tips: []string{"nondeterministic_output"}, Group: "generic", Since: "2.6.0",
		Summary:    "Atomically transfers a key from one Redis instance to another.",
		Complexity: "This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.",
		Usage:      "host port <key | \"\"> destination-db timeout [COPY] [REPLACE] [AUTH password | AUTH2 username password] [KEYS key [key ...]]",
		FirstKey:   3, LastKey: 3, KeyStep: 1, Keys: migrateKeys, Handler: cmdMigrate})
}
