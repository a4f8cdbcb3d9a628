package server

// Connection commands: PING ECHO QUIT RESET HELLO AUTH SELECT SWAPDB.
// (CLIENT lives in client.go.)

func init() { familyRegistrars = append(familyRegistrars, registerConnectionCommands) }

// PING [message]
func cmdPing(c *Ctx, args [][]byte) {
	if len(args) > 2 {
		c.Error(errArity("ping"))
		return
	}
	if c.proto == 2 && c.subscribed() {
		c.pubsubPing(args) // pubsub.go
		return
	}
	if len(args) == 2 {
		c.Bulk(args[1])
		return
	}
	c.Simple("PONG")
}

// ECHO message
func cmdEcho(c *Ctx, args [][]byte) { c.Bulk(args[1]) }

// QUIT
func cmdQuit(c *Ctx, args [][]byte) {
	c.OK()
	c.closeAfterReply = true
}

// RESET
func cmdReset(c *Ctx, args [][]byte) {
	c.multi = nil
	c.unwatchAll()
	c.leaveAll() // pubsub.go
	c.disableTracking()
	c.selectDB(0)
	c.proto = 2
	c.replyMode = replyOn
	c.noEvict = false
	c.noTouch = false
	c.name.Store(nil)
	c.user.Store(nil) // back to the default user
	c.authenticated = !c.srv.authRequired()
	c.Simple("RESET")
}

// AUTH [username] password
func cmdAuth(c *Ctx, args [][]byte) {
	user, pass := []byte("default"), args[1]
	if len(args) == 3 {
		user, pass = args[1], args[2]
	} else if len(args) > 3 {
		c.Error(ErrSyntax)
		return
	}
	if len(args) == 2 && c.srv.acl.defUser.cur.Load().NoPass {
		c.Error("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
		return
	}
	if !c.authenticate(user, pass) { // acl.go
		c.Error(ErrWrongPass)
		return
	}
	c.OK()
}

// HELLO [protover [AUTH username password] [SETNAME clientname]]
func cmdHello(c *Ctx, args [][]byte) {
	ver := c.proto
	if len(args) >= 2 {
		v, ok := parseInt(args[1])
		if !ok {
			c.Error("ERR Protocol version is not an integer or out of range")
			return
		}
		if v < 2 || v > 3 {
			c.Error("NOPROTO unsupported protocol version")
			return
		}
		ver = int(v)
	}
	var setName []byte
	for i := 2; i < len(args); i++ {
		more := len(args) - 1 - i
		switch {
		case eq(args[i], "auth") && more >= 2:
			// Redis 7.0 authenticates here, before the later options
			// are checked.
			if !c.authenticate(args[i+1], args[i+2]) { // acl.go
				c.Error(ErrWrongPass)
				return
			}
			i += 2
		case eq(args[i], "setname") && more >= 1:
			setName = args[i+1]
			if !validClientName(setName) {
				c.Error("ERR Client names cannot contain spaces, newlines or special characters.")
				return
			}
			i++
		default:
			c.Error("ERR Syntax error in HELLO option '" + string(args[i]) + "'")
			return
		}
	}
	if !c.authenticated && c.srv.authRequired() {
		c.Error("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
		return
	}
	if setName != nil {
		c.setName(setName)
	}
	c.proto = ver
	c.Map(7)
	c.BulkString("server")
	c.BulkString("redis")
	c.BulkString("version")
	c.BulkString(Version)
	c.BulkString("proto")
	c.Int(int64(ver))
	c.BulkString("id")
	c.Int(c.id)
	c.BulkString("mode")
	c.BulkString("standalone")
	c.BulkString("role")
	c.BulkString("master")
	c.BulkString("modules")
	c.Array(0)
}

// validClientName: Redis allows printable ASCII without spaces.
func validClientName(b []byte) bool {
	for _, ch := range b {
		if ch < '!' || ch > '~' {
			return false
		}
	}
	return true
}

func (c *Ctx) setName(b []byte) {
	if len(b) == 0 {
		c.name.Store(nil)
		return
	}
	s := string(b)
	c.name.Store(&s)
}

// SELECT index
func cmdSelect(c *Ctx, args [][]byte) {
	i, ok := c.intArg(args[1])
	if !ok {
		return
	}
	if c.srv.cluster.enabled && i != 0 {
		c.Error("ERR SELECT is not allowed in cluster mode")
		return
	}
	if i < 0 || i >= int64(c.srv.ks.NumDBs()) {
		c.Error(ErrDBIndex)
		return
	}
	c.selectDB(int(i))
	c.OK()
}

// SWAPDB index1 index2
func cmdSwapDB(c *Ctx, args [][]byte) {
	if c.srv.cluster.enabled {
		c.Error("ERR SWAPDB is not allowed in cluster mode")
		return
	}
	a, ok := parseInt(args[1])
	if !ok {
		c.Error("ERR invalid first DB index")
		return
	}
	b, ok := parseInt(args[2])
	if !ok {
		c.Error("ERR invalid second DB index")
		return
	}
	n := int64(c.srv.ks.NumDBs())
	if a < 0 || a >= n || b < 0 || b >= n {
		c.Error(ErrDBIndex)
		return
	}
	c.srv.ks.SwapDB(int(a), int(b))
	c.dirty++
	c.OK()
}

func registerConnectionCommands(t *Table) {
	conn := []string{"connection"}
	t.Add(
		&Command{Name: "ping", Arity: -1, Flags: FlagFast | FlagSentinel, ACL: conn, Group: "connection", Since: "1.0.0",
			Summary: "Checks that the server answers; returns PONG or the message.", Usage: "[message]", Lock: LockNone, Handler: cmdPing},
		&Command{Name: "echo", Arity: 2, Flags: FlagFast, ACL: conn, Group: "connection", Since: "1.0.0",
			Summary: "Returns the given string.", Usage: "message", Lock: LockNone, Handler: cmdEcho},
		&Command{Name: "quit", Arity: -1, Flags: FlagAllowBusy | FlagNoAuth | FlagLoading | FlagStale | FlagFast, ACL: conn, Group: "connection", Since: "1.0.0",
			Summary: "Closes the connection after replying.", Lock: LockNone, Handler: cmdQuit},
		&Command{Name: "reset", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagNoAuth | FlagFast | FlagAllowBusy, ACL: conn, Group: "connection", Since: "6.2.0",
			Summary: "Returns the connection to its initial state.", Lock: LockNone, Handler: cmdReset},
		&Command{Name: "auth", Arity: -2, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagNoAuth | FlagSentinel | FlagAllowBusy, ACL: conn, Group: "connection", Since: "1.0.0",
			Summary: "Authenticates the connection.", Usage: "[username] password", Lock: LockNone, Handler: cmdAuth},
		&Command{Name: "hello", Arity: -1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagNoAuth | FlagSentinel | FlagAllowBusy, ACL: conn, Group: "connection", Since: "6.0.0",
			Summary: "Negotiates the protocol version and returns server information.", Usage: "[protover [AUTH username password] [SETNAME clientname]]", Lock: LockNone, Handler: cmdHello},
		&Command{Name: "select", Arity: 2, Flags: FlagLoading | FlagStale | FlagFast, ACL: conn, Group: "connection", Since: "1.0.0",
			Summary: "Changes the connection's current database.", Usage: "index", Lock: LockNone, Handler: cmdSelect},
		&Command{Name: "swapdb", Arity: 3, Flags: FlagWrite | FlagFast, ACL: []string{"keyspace", "dangerous"}, Group: "server", Since: "4.0.0",
			Summary: "Exchanges the contents of two databases.", Usage: "index1 index2", Lock: LockAll, Handler: cmdSwapDB},
	)
}
