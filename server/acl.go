package server

// ACL: the users a connection authenticates as and the one permission check
// the dispatcher runs (execute, dispatch.go). The rules and patterns live in
// the pure package server/acl; this file binds them to the command table,
// the connections and the configuration.
//
// Concurrency: the registry (users by name) is guarded by aclState.mu. Each
// name has one aclUser, which connections point at (Ctx.user); its current
// rules are an immutable *acl.User behind an atomic pointer, replaced as a
// whole by ACL SETUSER, so the dispatcher reads them without a lock. The
// default all-permissive user costs the hot path two atomic loads and one
// boolean test.

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vireodb/vireo/server/acl"
)

// aclUser is a user name's stable handle; cur holds its current rules.
type aclUser struct {
	name    string
	cur     atomic.Pointer[acl.User]
	deleted atomic.Bool
}

// aclState is the server's ACL: the catalog of commands, the users, the
// ACL LOG and the denial counters.
type aclState struct {
	cat *acl.Catalog
	ids map[*Command]*acl.Command

	mu      sync.Mutex
	users   map[string]*aclUser
	defUser *aclUser // "default", never deleted
	// internal is the user of the server's own clients (the AOF loader,
	// a replica's link to its primary): every permission, whatever the
	// rules of "default" say, as Redis skips ACL for clients without a user.
	internal *aclUser
	log      []*aclLogEntry
	loadErr  error
	fileName string

	deniedAuth, deniedCmd, deniedKey, deniedChannel atomic.Int64
}

// aclLogEntry is one ACL LOG entry (Redis 7.0's fields).
type aclLogEntry struct {
	count      int64
	reason     string // auth, command, key, channel
	context    string // toplevel, multi, lua
	object     string
	username   string
	created    time.Time
	clientInfo string
}

// initACL builds the catalog from the command table, creates the default
// user, applies requirepass and loads the aclfile when one is configured.
func (s *Server) initACL() {
	a := &s.acl
	a.ids = make(map[*Command]*acl.Command)
	var top []*acl.Command
	for _, cmd := range s.table.Sorted() {
		ac := &acl.Command{Name: cmd.Name, Categories: aclCategoryBits(cmd), HasSubs: cmd.Subcommands != nil}
		a.ids[cmd] = ac
		for _, sub := range cmd.Subcommands {
			sc := &acl.Command{Name: sub.Name, Categories: aclCategoryBits(sub)}
			a.ids[sub] = sc
			ac.Subs = append(ac.Subs, sc)
		}
		top = append(top, ac)
	}
	a.cat = acl.NewCatalog(ACLCategoryNames, top)
	a.users = make(map[string]*aclUser)
	a.defUser = a.newDefaultUser()
	a.internal = a.newDefaultUser() // never changed, in no registry
	a.users["default"] = a.defUser
	st := s.cfg.Snapshot()
	s.applyRequirePass()
	s.cfg.OnAnyChange(s.applyRequirePass, "requirepass")
	a.fileName = st.ACLFile
	if a.fileName != "" {
		if err := s.aclLoadFile(nil); err != nil {
			a.loadErr = err
		}
	}
}

func (a *aclState) newDefaultUser() *aclUser {
	u := acl.NewUser(a.cat, "default", false)
	// The rules cannot fail: they are all known words.
	_ = u.SetRules(a.cat, []string{"+@all", "~*", "&*", "on", "nopass"}, false)
	h := &aclUser{name: "default"}
	h.cur.Store(u)
	return h
}

// aclCategoryBits turns a command's categories into the catalog's bits.
func aclCategoryBits(cmd *Command) uint64 {
	var bits uint64
	for _, c := range cmd.ACLCategories() {
		for i, name := range ACLCategoryNames {
			if name == c {
				bits |= 1 << uint(i)
			}
		}
	}
	return bits
}

// applyRequirePass sets the default user's password from requirepass, as
// Redis 7 does (ACLUpdateDefaultUserPassword): an empty one means nopass.
func (s *Server) applyRequirePass() {
	pass := s.cfg.Snapshot().RequirePass
	a := &s.acl
	a.mu.Lock()
	defer a.mu.Unlock()
	u := a.defUser.cur.Load().Clone()
	rules := []string{"resetpass", "nopass"}
	if pass != "" {
		rules = []string{"resetpass", ">" + pass}
	}
	if err := u.SetRules(a.cat, rules, s.aclPubSubDefault()); err == nil {
		a.defUser.cur.Store(u)
	}
}

// aclPubSubDefault is acl-pubsub-default: whether new users get allchannels.
func (s *Server) aclPubSubDefault() bool {
	return s.cfg.Snapshot().ACLPubSubDefault == "allchannels"
}

// authRequired reports whether new connections start unauthenticated: the
// default user has a password or is off (Redis's authRequired).
func (s *Server) authRequired() bool {
	u := s.acl.defUser.cur.Load()
	return !u.NoPass || !u.On
}

// lookupUser returns the named user's handle, or nil.
func (s *Server) lookupUser(name string) *aclUser {
	s.acl.mu.Lock()
	defer s.acl.mu.Unlock()
	return s.acl.users[name]
}

// authenticate checks a username and password (AUTH, HELLO AUTH) and, when
// they match, makes the connection that user. A failure is logged and
// counted as Redis does.
func (c *Ctx) authenticate(user, pass []byte) bool {
	h := c.srv.lookupUser(string(user))
	if h != nil && h.cur.Load().CheckPassword(pass) {
		c.user.Store(h)
		c.authenticated = true
		return true
	}
	c.srv.acl.deniedAuth.Add(1)
	c.aclLog("auth", "AUTH", string(user))
	return false
}

// currentUser is the connection's user handle (default when unset).
func (c *Ctx) currentUser() *aclUser {
	if h := c.user.Load(); h != nil {
		return h
	}
	return c.srv.acl.defUser
}

// The NOPERM replies of Redis 7.0.
const (
	errNoPermKey     = "NOPERM this user has no permissions to access one of the keys used as arguments"
	errNoPermChannel = "NOPERM this user has no permissions to access one of the channels used as arguments"
)

func errNoPermCmd(name string) string {
	return "NOPERM this user has no permissions to run the '" + name + "' command"
}

// aclDenial says why a user may not run a command: reason is "command",
// "key" or "channel" ("" when allowed); object is the denied command's
// name, key or channel.
type aclDenial struct {
	reason, object string
}

// aclCheck is the permission check of user u for cmd with args (Redis's
// ACLCheckAllUserCommandPerm, acl.User.Check): the command bit, then the
// keys at the command's key positions, then the channels of the pub/sub
// commands, for the root selector and each "(...)" selector.
func (s *Server) aclCheck(u *acl.User, cmd *Command, args [][]byte, scratch []int) (aclDenial, []int) {
	ac := s.acl.ids[cmd]
	if ac == nil {
		return aclDenial{"command", cmd.Name}, scratch
	}
	r := acl.Request{Cmd: ac, Args: args, NoAuthCommand: cmd.Flags&FlagNoAuth != 0}
	if len(args) > 1 && cmd.parent == nil {
		r.FirstArg = args[1]
	}
	// Keys of write commands need write permission, of read-only commands
	// read permission (an approximation of Redis's per-key spec flags).
	switch {
	case cmd.Flags&FlagWrite != 0:
		r.KeyPerm = acl.PermWrite
	case cmd.Flags&FlagReadonly != 0:
		r.KeyPerm = acl.PermRead
	}
	scratch = cmd.keyPositions(args, scratch[:0])
	r.KeyPos = scratch
	r.ChanFrom, r.ChanTo, r.ChanPattern = aclChannelArgs(cmd, len(args))
	switch d, i := u.Check(&r); d {
	case acl.Allowed:
		return aclDenial{}, scratch
	case acl.DeniedKey:
		return aclDenial{"key", string(args[i])}, scratch
	case acl.DeniedChannel:
		return aclDenial{"channel", string(args[i])}, scratch
	default:
		return aclDenial{"command", cmd.Name}, scratch
	}
}

// aclChannelArgs says which arguments of a pub/sub command are channels
// ([from, to)) and whether they are patterns (PSUBSCRIBE).
func aclChannelArgs(cmd *Command, n int) (from, to int, pattern bool) {
	if cmd.Flags&FlagPubSub == 0 {
		return 0, 0, false
	}
	switch cmd.Name {
	case "publish", "spublish":
		return 1, 2, false
	case "subscribe", "ssubscribe":
		return 1, n, false
	case "psubscribe":
		return 1, n, true
	}
	return 0, 0, false
}

// checkACL runs the permission check for the connection's user and replies
// with the NOPERM error when it fails (dispatch.go).
func (c *Ctx) checkACL(u *acl.User, cmd *Command, args [][]byte) bool {
	var d aclDenial
	d, c.keyIdx = c.srv.aclCheck(u, cmd, args, c.keyIdx)
	if d.reason == "" {
		return true
	}
	var msg string
	switch d.reason {
	case "command":
		c.srv.acl.deniedCmd.Add(1)
		msg = errNoPermCmd(cmd.Name)
	case "key":
		c.srv.acl.deniedKey.Add(1)
		msg = errNoPermKey
	default:
		c.srv.acl.deniedChannel.Add(1)
		msg = errNoPermChannel
	}
	c.aclLog(d.reason, d.object, u.Name)
	c.reject(cmd, msg)
	return false
}

// aclLog adds or refreshes an ACL LOG entry (ACLAddLogEntry): an entry of
// the last ten with the same reason, context, object and user is updated.
func (c *Ctx) aclLog(reason, object, username string) {
	context := "toplevel"
	switch {
	case c.script != nil:
		context = "lua"
	case c.multi != nil:
		context = "multi"
	}
	v := c.view(c, time.Now())
	info := string(appendClientInfo(nil, &v))
	a := &c.srv.acl
	maxLen := c.srv.cfg.Snapshot().ACLLogMaxLen
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, e := range a.log {
		if i >= 10 {
			break
		}
		if e.reason == reason && e.context == context && e.object == object && e.username == username {
			e.count++
			e.created = time.Now()
			e.clientInfo = info
			return
		}
	}
	e := &aclLogEntry{count: 1, reason: reason, context: context, object: object, username: username, created: time.Now(), clientInfo: info}
	a.log = append([]*aclLogEntry{e}, a.log...)
	if len(a.log) > maxLen {
		a.log = a.log[:maxLen]
	}
}

// setUser applies ACL SETUSER rules to the named user (creating it), all or
// nothing.
func (s *Server) setUser(name string, rules []string) error {
	a := &s.acl
	a.mu.Lock()
	defer a.mu.Unlock()
	return s.setUserLocked(name, rules)
}

func (s *Server) setUserLocked(name string, rules []string) error {
	a := &s.acl
	h := a.users[name]
	var u *acl.User
	if h != nil {
		u = h.cur.Load().Clone()
	} else {
		u = acl.NewUser(a.cat, name, s.aclPubSubDefault())
	}
	if err := u.SetRules(a.cat, rules, s.aclPubSubDefault()); err != nil {
		return err
	}
	if h == nil {
		h = &aclUser{name: name}
		a.users[name] = h
	}
	h.cur.Store(u)
	return nil
}

// deleteUser removes a user and disconnects its clients; false when no such
// user exists.
func (s *Server) deleteUser(c *Ctx, name string) bool {
	a := &s.acl
	a.mu.Lock()
	h := a.users[name]
	if h != nil {
		delete(a.users, name)
		h.deleted.Store(true)
	}
	a.mu.Unlock()
	if h == nil {
		return false
	}
	s.killUserClients(c, h)
	return true
}

// killUserClients disconnects the clients authenticated as h (the calling
// client after its reply).
func (s *Server) killUserClients(c *Ctx, h *aclUser) {
	for _, o := range s.sortedClients() {
		if o.user.Load() != h {
			continue
		}
		if o == c {
			c.closeAfterReply = true
		} else {
			s.kill(o)
		}
	}
}

// aclUsersSorted returns the users' current rules in name order.
func (s *Server) aclUsersSorted() []*acl.User {
	a := &s.acl
	a.mu.Lock()
	defer a.mu.Unlock()
	return aclSortedLocked(a.users)
}

func aclSortedLocked(users map[string]*aclUser) []*acl.User {
	out := make([]*acl.User, 0, len(users))
	for _, h := range users {
		out = append(out, h.cur.Load())
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Name < out[j-1].Name; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// errACLFile wraps aclfile problems.
var errACLFile = errors.New("acl: aclfile")

func aclFileErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errACLFile, fmt.Sprintf(format, args...))
}

// validUserName: Redis refuses names with spaces or NUL bytes.
func validUserName(name string) bool {
	return !strings.ContainsAny(name, " \x00")
}

// scriptACLCheck is the permission check of a script's redis.call: the
// error text Redis 7.0 gives the script ("" when allowed).
func (c *Ctx) scriptACLCheck(cmd *Command, args [][]byte) string {
	u := c.currentUser().cur.Load()
	if u.Permissive {
		return ""
	}
	var d aclDenial
	d, c.keyIdx = c.srv.aclCheck(u, cmd, args, c.keyIdx)
	switch d.reason {
	case "":
		return ""
	case "command":
		c.srv.acl.deniedCmd.Add(1)
		c.aclLog(d.reason, cmd.Name, u.Name)
		return "The user executing the script can't run this command or subcommand"
	case "key":
		c.srv.acl.deniedKey.Add(1)
		c.aclLog(d.reason, d.object, u.Name)
		return "The user executing the script can't access at least one of the keys mentioned in the command arguments"
	default:
		c.srv.acl.deniedChannel.Add(1)
		c.aclLog(d.reason, d.object, u.Name)
		return "The user executing the script can't publish to the channel mentioned in the command"
	}
}

// aclCheckArgs answers redis.acl_check_cmd: whether the command is known,
// and whether the connection's user may run it with these arguments.
func (c *Ctx) aclCheckArgs(args [][]byte) (known, allowed bool) {
	cmd := c.srv.table.Lookup(args[0])
	if cmd != nil && cmd.Subcommands != nil && len(args) > 1 {
		cmd = cmd.LookupSub(args[1])
	}
	if cmd == nil {
		return false, false
	}
	u := c.currentUser().cur.Load()
	if u.Permissive {
		return true, true
	}
	d, _ := c.srv.aclCheck(u, cmd, args, nil)
	return true, d.reason == ""
}
