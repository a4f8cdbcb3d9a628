package server

// CONFIG GET/SET/RESETSTAT/REWRITE/HELP on top of server/config, which owns
// the directive table, value formats and Redis's error texts.

import (
	"errors"
	"net"

	"github.com/vireodb/vireo/server/config"
)

func init() { familyRegistrars = append(familyRegistrars, registerConfigCommands) }

// CONFIG GET parameter [parameter ...]
func cmdConfigGet(c *Ctx, args [][]byte) {
	pats := make([]string, 0, len(args)-2)
	for _, a := range args[2:] {
		pats = append(pats, string(a))
	}
	kv := c.srv.cfg.Get(pats...)
	c.Map(len(kv))
	for _, p := range kv {
		c.BulkString(p[0])
		c.BulkString(p[1])
	}
}

// CONFIG SET parameter value [parameter value ...]
func cmdConfigSet(c *Ctx, args [][]byte) {
	if len(args)%2 != 0 {
		c.Error(ErrSyntax)
		return
	}
	pairs := make([][2]string, 0, (len(args)-2)/2)
	for i := 2; i < len(args); i += 2 {
		pairs = append(pairs, [2]string{string(args[i]), string(args[i+1])})
	}
	err := c.srv.cfg.SetWith(pairs, config.SetOptions{Local: c.isLocal()})
	if err != nil {
		c.replyConfigError(err)
		return
	}
	c.OK()
}

func (c *Ctx) replyConfigError(err error) {
	var re *config.ReplyError
	if errors.As(err, &re) {
		c.Error(re.Msg)
		return
	}
	c.Error("ERR " + err.Error())
}

// isLocal reports whether the client is on loopback or the unix socket
// (enable-*-command local).
func (c *Ctx) isLocal() bool {
	if c.isUnix {
		return true
	}
	host, _, err := net.SplitHostPort(c.addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CONFIG REWRITE
func cmdConfigRewrite(c *Ctx, args [][]byte) {
	if c.srv.cfg.File() == "" {
		c.Error("ERR The server is running without a config file")
		return
	}
	if err := c.srv.cfg.Rewrite(""); err != nil {
		c.replyConfigError(err)
		return
	}
	c.OK()
}

// CONFIG RESETSTAT
func cmdConfigResetStat(c *Ctx, args [][]byte) {
	c.srv.resetStats()
	c.OK()
}

// CONFIG HELP
func cmdConfigHelp(c *Ctx, args [][]byte) {
	c.helpReply("CONFIG", []string{
		"GET <pattern>",
		"    Return parameters matching the glob-like <pattern> and their values.",
		"SET <directive> <value>",
		"    Set the configuration <directive> to <value>.",
		"RESETSTAT",
		"    Reset statistics reported by the INFO command.",
		"REWRITE",
		"    Rewrite the configuration file.",
	})
}

// resetStats zeroes what CONFIG RESETSTAT resets: command and error
// statistics and the server's counters.
func (s *Server) resetStats() {
	for _, cmd := range s.table.cmds {
		cmd.stats.reset()
		for _, sub := range cmd.Subcommands {
			sub.stats.reset()
		}
	}
	st := &s.stats
	st.connsReceived.Store(0)
	st.rejectedConns.Store(0)
	st.netInput.Store(0)
	st.netOutput.Store(0)
	st.expiredKeys.Store(0)
	st.evictedKeys.Store(0)
	st.keyspaceHits.Reset()
	st.keyspaceMiss.Reset()
	st.errTot.Store(0)
	st.errMu.Lock()
	st.errors = nil
	st.errMu.Unlock()
}

func registerConfigCommands(t *Table) {
	admin := FlagAdmin | FlagNoScript | FlagLoading | FlagStale
	t.Add(&Command{Name: "config", Arity: -2, Group: "server", Since: "2.0.0", Summary: "A container for server configuration commands.", Lock: LockNone,
		Subcommands: Sub(
			&Command{Name: "get", Arity: -3, Flags: admin, ACL: []string{"slow", "dangerous"}, Group: "server", Since: "2.0.0",
				Summary: "Returns the values of configuration parameters matching glob patterns.", Usage: "parameter [parameter ...]", Lock: LockNone, Handler: cmdConfigGet},
			&Command{Name: "set", Arity: -4, Flags: admin | FlagMayReplicate, ACL: []string{"slow", "dangerous"}, Group: "server", Since: "2.0.0",
				Summary: "Changes configuration parameters at run time.", Usage: "parameter value [parameter value ...]", Lock: LockNone, Handler: cmdConfigSet},
			&Command{Name: "rewrite", Arity: 2, Flags: admin, ACL: []string{"slow", "dangerous"}, Group: "server", Since: "2.8.0",
				Summary: "Writes the running configuration back to the config file.", Lock: LockNone, Handler: cmdConfigRewrite},
			&Command{Name: "resetstat", Arity: 2, Flags: admin, ACL: []string{"slow", "dangerous"}, Group: "server", Since: "2.0.0",
				Summary: "Zeroes the statistics INFO reports.", Lock: LockNone, Handler: cmdConfigResetStat},
			&Command{Name: "help", Arity: 2, Flags: FlagLoading | FlagStale, ACL: []string{"slow"}, Group: "server", Since: "5.0.0",
				Summary: "Returns helpful text about the different subcommands.", Lock: LockNone, Handler: cmdConfigHelp},
		)})
}
