package server

// The dispatcher's cluster check (cluster mode only): before a command runs
// or is queued, its keys' slot decides whether it runs here or the client
// is sent elsewhere (MOVED / ASK), or is refused (CROSSSLOT, TRYAGAIN,
// CLUSTERDOWN). The decision itself is cluster.State.Route; this file
// gathers what it needs from the command table and the connection.

import "github.com/vireodb/vireo/cluster"

// clusterReject returns the error reply that keeps cmd from running here,
// "" when it may run. Called only in cluster mode.
func (c *Ctx) clusterReject(cmd *Command, args [][]byte) string {
	s := c.srv
	// Internal clients are not redirected: the primary's stream, the AOF
	// being loaded (before the slot map is back), a script's own calls —
	// Redis exempts the master client, the AOF client and Lua callers.
	if c.conn == nil || c == s.repl.master || c.script != nil {
		return ""
	}
	asking := c.cluster.asking
	if cmd.Handler != nil && !isAskingCmd(cmd) {
		// ASKING is good for one command only.
		c.cluster.asking = false
	}
	isExec := cmd.Name == "exec"
	if isExec && c.multi == nil {
		return ""
	}
	req := cluster.Request{
		Asking:        asking || cmd.Flags&FlagAsking != 0,
		ReadOnly:      c.cluster.readOnly,
		Migrate:       cmd.Name == "migrate",
		ReadsWhenDown: s.cluster.readsWhenDown.Load(),
	}
	if isExec {
		for _, q := range c.multi.queued {
			c.keyIdx = q.cmd.keyPositions(q.args, c.keyIdx[:0])
			for _, i := range c.keyIdx {
				req.Keys = append(req.Keys, q.args[i])
			}
			req.Write = req.Write || q.cmd.IsWrite()
		}
	} else {
		c.keyIdx = cmd.keyPositions(args, c.keyIdx[:0])
		if len(c.keyIdx) == 0 {
			return ""
		}
		req.Keys = make([][]byte, 0, len(c.keyIdx))
		for _, i := range c.keyIdx {
			req.Keys = append(req.Keys, args[i])
		}
		req.Write = cmd.IsWrite()
	}
	if len(req.Keys) == 0 {
		return ""
	}
	st := s.clusterState()
	req.StateOK = s.clusterOK(st)
	req.Exists = c.keyExistsLocked
	r := st.Route(s.cluster.myID, &req)
	if r.Verdict == cluster.Serve {
		return ""
	}
	return r.Error()
}

// rejectRedirect refuses a command with a redirection: inside MULTI the
// transaction is doomed, and a redirected EXEC discards it and replies the
// redirection itself (no EXECABORT), as Redis's processCommand does.
func (c *Ctx) rejectRedirect(cmd *Command, msg string) {
	if cmd.Name == "exec" && c.multi != nil {
		cmd.stats.stripe(c.id).rejected.Add(1)
		c.multi = nil
		c.unwatchAll()
		c.Error(msg)
		return
	}
	c.reject(cmd, msg)
}

func isAskingCmd(cmd *Command) bool { return cmd.Name == "asking" }

// keyExistsLocked reports whether key is in database 0, taking its shard
// lock for the lookup unless the client holds every lock (a script).
func (c *Ctx) keyExistsLocked(key []byte) bool {
	db := c.srv.ks.DB(0)
	if c.allLocked {
		return db.LookupNoTouch(key, c.now) != nil
	}
	i := db.ShardIndex(key)
	db.LockShard(i)
	ok := db.LookupNoTouch(key, c.now) != nil
	db.UnlockShard(i)
	return ok
}

// clusterScriptReject is the cluster check of a command a script calls
// (Redis's scriptVerifyClusterState), run on the script's client c for the
// script's caller: a key this node does not serve, or a cluster that is
// down, fails the call. Undeclared keys of several slots are allowed, as
// Redis 7 allows them to scripts without a shebang.
func (c *Ctx) clusterScriptReject(caller *Ctx, cmd *Command, args [][]byte) string {
	s := c.srv
	if caller == s.repl.master {
		return ""
	}
	c.keyIdx = cmd.keyPositions(args, c.keyIdx[:0])
	if len(c.keyIdx) == 0 {
		return ""
	}
	req := cluster.Request{
		Asking:        caller.cluster.asking || cmd.Flags&FlagAsking != 0,
		ReadOnly:      caller.cluster.readOnly,
		Write:         cmd.IsWrite(),
		ReadsWhenDown: s.cluster.readsWhenDown.Load(),
		Exists:        c.keyExistsLocked,
	}
	for _, i := range c.keyIdx {
		req.Keys = append(req.Keys, args[i])
	}
	st := s.clusterState()
	req.StateOK = s.clusterOK(st)
	switch st.Route(s.cluster.myID, &req).Verdict {
	case cluster.Serve:
		return ""
	case cluster.DownReadOnly:
		return "Script attempted to execute a write command while the cluster is down and readonly"
	case cluster.Down:
		return "Script attempted to execute a command while the cluster is down"
	}
	return "Script attempted to access a non local key in a cluster node"
}

// clusterOK is cluster_state:ok: every slot is served, or
// cluster-require-full-coverage is off.
func (s *Server) clusterOK(st *cluster.State) bool {
	return st.Assigned == cluster.Slots || !s.cluster.requireFullCoverage.Load()
}
