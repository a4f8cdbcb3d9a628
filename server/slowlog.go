package server

// SLOWLOG: a bounded log of commands that ran longer than
// slowlog-log-slower-than microseconds, with Redis's argument truncation
// (at most 32 arguments, each at most 128 bytes).

import (
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	slowlogMaxArgc   = 32
	slowlogMaxArgLen = 128
)

type slowlogEntry struct {
	id       int64
	time     int64 // unix seconds
	duration int64 // microseconds
	args     []string
	addr     string
	name     string
}

type slowlog struct {
	mu      sync.Mutex
	entries []slowlogEntry // newest first
	nextID  int64
}

func (s *Server) slowlogMaybeAdd(c *Ctx, args [][]byte, elapsed time.Duration) {
	slower := s.set.slowlogSlower.Load()
	if slower < 0 || c.cmd == nil || c.cmd.Flags&FlagSkipSlowlog != 0 {
		return
	}
	us := elapsed.Microseconds()
	if us < slower {
		return
	}
	e := slowlogEntry{time: time.Now().Unix(), duration: us, addr: c.addr}
	if n := c.name.Load(); n != nil {
		e.name = *n
	}
	argc := len(args)
	if argc > slowlogMaxArgc {
		argc = slowlogMaxArgc
	}
	for i := 0; i < argc; i++ {
		if argc != len(args) && i == argc-1 {
			e.args = append(e.args, "... ("+strconv.Itoa(len(args)-argc+1)+" more arguments)")
			break
		}
		a := args[i]
		if len(a) > slowlogMaxArgLen {
			e.args = append(e.args, string(a[:slowlogMaxArgLen])+"... ("+strconv.Itoa(len(a)-slowlogMaxArgLen)+" more bytes)")
		} else {
			e.args = append(e.args, string(a))
		}
	}
	maxLen := int(s.set.slowlogMaxLen.Load())
	s.slowlog.mu.Lock()
	e.id = s.slowlog.nextID
	s.slowlog.nextID++
	s.slowlog.entries = append([]slowlogEntry{e}, s.slowlog.entries...)
	if len(s.slowlog.entries) > maxLen {
		s.slowlog.entries = s.slowlog.entries[:maxLen]
	}
	s.slowlog.mu.Unlock()
}

// SLOWLOG GET [count]
func cmdSlowlogGet(c *Ctx, args [][]byte) {
	count := int64(10)
	if len(args) == 3 {
		n, ok := parseInt(args[2])
		if !ok || n < -1 {
			c.Error("ERR count should be greater than or equal to -1")
			return
		}
		count = n
		if n == -1 {
			count = 1 << 62
		}
	}
	sl := &c.srv.slowlog
	sl.mu.Lock()
	entries := sl.entries
	if int64(len(entries)) > count {
		entries = entries[:count]
	}
	entries = append([]slowlogEntry(nil), entries...)
	sl.mu.Unlock()
	c.Array(len(entries))
	for _, e := range entries {
		c.Array(6)
		c.Int(e.id)
		c.Int(e.time)
		c.Int(e.duration)
		c.StringArray(e.args)
		c.BulkString(e.addr)
		c.BulkString(e.name)
	}
}

// SLOWLOG LEN
func cmdSlowlogLen(c *Ctx, args [][]byte) {
	sl := &c.srv.slowlog
	sl.mu.Lock()
	n := len(sl.entries)
	sl.mu.Unlock()
	c.Int(int64(n))
}

// SLOWLOG RESET
func cmdSlowlogReset(c *Ctx, args [][]byte) {
	sl := &c.srv.slowlog
	sl.mu.Lock()
	sl.entries = nil
	sl.mu.Unlock()
	c.OK()
}

// SLOWLOG HELP
func cmdSlowlogHelp(c *Ctx, args [][]byte) {
	c.helpReply("SLOWLOG", []string{
		"GET [<count>]",
		"    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
		"    Entries are made of:",
		"    id, timestamp, time in microseconds, arguments array, client IP and port,",
		"    client name",
		"LEN",
		"    Return the length of the slowlog.",
		"RESET",
		"    Reset the slowlog.",
	})
}

// helpReply writes the standard HELP reply of a container command.
func (c *Ctx) helpReply(container string, lines []string) {
	c.Array(len(lines) + 3)
	c.Simple(strings.ToUpper(container) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
	for _, l := range lines {
		c.Simple(l)
	}
	c.Simple("HELP")
	c.Simple("    Prints this help.")
}

func init() { familyRegistrars = append(familyRegistrars, registerSlowlogCommands) }

func registerSlowlogCommands(t *Table) {
	flags := FlagAdmin | FlagLoading | FlagStale
	t.Add(&Command{Name: "slowlog", Arity: -2, Group: "server", Since: "2.2.12", Summary: "A container for slow log commands.", Lock: LockNone,
		Subcommands: Sub(
			&Command{Name: "get", Arity: -2, Flags: flags, ACL: []string{"slow", "dangerous"}, Group: "server", Since: "2.2.12", Summary: "Returns the slow log's entries.", Usage: "[count]", Lock: LockNone, Handler: cmdSlowlogGet},
			&Command{Name: "len", Arity: 2, Flags: flags, ACL: []string{"slow", "dangerous"}, Group: "server", Since: "2.2.12", Summary: "Returns the number of entries in the slow log.", Lock: LockNone, Handler: cmdSlowlogLen},
			&Command{Name: "reset", Arity: 2, Flags: flags, ACL: []string{"slow", "dangerous"}, Group: "server", Since: "2.2.12", Summary: "Clears all entries from the slow log.", Lock: LockNone, Handler: cmdSlowlogReset},
			&Command{Name: "help", Arity: 2, Flags: FlagLoading | FlagStale, ACL: []string{"slow"}, Group: "server", Since: "6.2.0", Summary: "Returns helpful text about the different subcommands.", Lock: LockNone, Handler: cmdSlowlogHelp},
		)})
}
