package server

// Server administration commands: TIME, LASTSAVE, SHUTDOWN, LOLWUT. (SAVE,
// BGSAVE and the save on SHUTDOWN live in persist.go.)
// (MONITOR is not implemented yet.)

import (
	"log/slog"
	"time"
)

func init() { familyRegistrars = append(familyRegistrars, registerAdminCommands) }

// TIME
func cmdTime(c *Ctx, args [][]byte) {
	now := time.Now()
	c.Array(2)
	c.BulkInt(now.Unix())
	c.BulkInt(int64(now.Nanosecond() / 1000))
}

// LASTSAVE
func cmdLastSave(c *Ctx, args [][]byte) { c.Int(c.srv.lastSave()) }

// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
func cmdShutdown(c *Ctx, args [][]byte) {
	var noSave, save, now, force, abort bool
	for _, a := range args[1:] {
		switch {
		case eq(a, "nosave"):
			noSave = true
		case eq(a, "save"):
			save = true
		case eq(a, "now"):
			now = true
		case eq(a, "force"):
			force = true
		case eq(a, "abort"):
			abort = true
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	if (abort && (noSave || save || now || force)) || (noSave && save) {
		c.Error(ErrSyntax)
		return
	}
	if abort {
		// Vireo shuts down at once (no replicas to wait for), so a
		// shutdown is never in progress when another command runs.
		c.Error("ERR No shutdown in progress.")
		return
	}
	if !c.srv.saveOnShutdown(save, noSave, force) {
		c.Error("ERR Errors trying to SHUTDOWN. Check logs.")
		return
	}
	slog.Warn("User requested shutdown...", "id", c.id, "addr", c.addr)
	// No reply: the connection closes with the server. Close waits for every
	// connection goroutine, this one included, so it runs on its own.
	c.closeAfterReply = true
	go c.srv.Close()
}

// lolwutArt is Vireo's LOLWUT drawing: a vireo on a branch.
const lolwutArt = `        __
       ( o>
       //\
  _____V_/_____
       ||
`

// LOLWUT [VERSION version]
func cmdLolwut(c *Ctx, args [][]byte) {
	if len(args) >= 3 && eq(args[1], "version") {
		if _, ok := c.intArg(args[2]); !ok {
			return
		}
	}
	c.Verbatim(lolwutArt+"\nVireo ver. "+Version+"\n", "txt")
}

func registerAdminCommands(t *Table) {
	t.Add(
		&Command{Name: "time", Arity: 1, Flags: FlagLoading | FlagStale | FlagFast, Group: "server", Since: "2.6.0",
			Summary: "Returns the server time.", Lock: LockNone, Handler: cmdTime},
		&Command{Name: "lastsave", Arity: 1, Flags: FlagLoading | FlagStale | FlagFast, ACL: []string{"admin", "dangerous"}, Group: "server", Since: "1.0.0",
			Summary: "Returns the Unix timestamp of the last successful save to disk.", Lock: LockNone, Handler: cmdLastSave},
		&Command{Name: "shutdown", Arity: -1, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale | FlagNoMulti | FlagAllowBusy, ACL: []string{"slow", "dangerous"},
			Group: "server", Since: "1.0.0", Summary: "Synchronously saves the database(s) to disk and shuts down the server.",
			Usage: "[NOSAVE | SAVE] [NOW] [FORCE] [ABORT]", Lock: LockNone, Handler: cmdShutdown},
		&Command{Name: "lolwut", Arity: -1, Flags: FlagReadonly | FlagFast, Group: "server", Since: "5.0.0",
			Summary: "Displays computer art and the server version.", Usage: "[VERSION version]", Lock: LockNone, Handler: cmdLolwut},
	)
}
