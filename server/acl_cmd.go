package server

// The ACL command: SETUSER GETUSER DELUSER USERS LIST WHOAMI CAT GENPASS
// LOG DRYRUN SAVE LOAD HELP (Redis 7.0's replies).

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"

	"github.com/vireodb/vireo/server/acl"
)

func init() { familyRegistrars = append(familyRegistrars, registerACLCommands) }

const errNoACLFile = "ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration."

// ACL SETUSER username [rule [rule ...]]
func cmdACLSetUser(c *Ctx, args [][]byte) {
	name := string(args[2])
	if !validUserName(name) {
		c.Error("ERR Usernames can't contain spaces or null characters")
		return
	}
	raw := make([]string, 0, len(args)-3)
	for _, a := range args[3:] {
		raw = append(raw, string(a))
	}
	rules, bad := aclMergeSelectors(raw)
	if bad != "" {
		c.Error("ERR Unmatched parenthesis in acl selector starting at '" + bad + "'.")
		return
	}
	err := c.srv.setUser(name, rules)
	switch e := err.(type) {
	case nil:
		c.OK()
	case *acl.SetUserError:
		c.Error("ERR Error in ACL SETUSER modifier '" + e.Rule + "': " + e.Msg)
	default:
		c.Error("ERR " + strings.TrimPrefix(err.Error(), "acl: "))
	}
}

// ACL GETUSER username
func cmdACLGetUser(c *Ctx, args [][]byte) {
	h := c.srv.lookupUser(string(args[2]))
	if h == nil {
		c.Null()
		return
	}
	u := h.cur.Load()
	c.Map(6)
	c.BulkString("flags")
	flags := u.Flags()
	c.Set(len(flags))
	for _, f := range flags {
		c.BulkString(f)
	}
	c.BulkString("passwords")
	c.Array(len(u.Passwords))
	for _, p := range u.Passwords {
		c.BulkString(p)
	}
	c.writeSelectorRules(u)
	c.BulkString("selectors")
	c.Array(len(u.Selectors))
	for _, s := range u.Selectors {
		c.Map(3)
		c.writeSelectorRules(s)
	}
}

// writeSelectorRules writes the commands, keys and channels fields of
// ACL GETUSER for a user's root selector or one of its selectors.
func (c *Ctx) writeSelectorRules(s interface {
	CommandRules(*acl.Catalog) string
	KeysString() string
	ChannelsString() string
}) {
	c.BulkString("commands")
	c.BulkString(s.CommandRules(c.srv.acl.cat))
	c.BulkString("keys")
	c.BulkString(s.KeysString())
	c.BulkString("channels")
	c.BulkString(s.ChannelsString())
}

// aclMergeSelectors joins the arguments of a "(...)" selector split over
// several arguments into one rule (ACLMergeSelectorArguments); bad is the
// argument that opens a selector never closed.
func aclMergeSelectors(args []string) (rules []string, bad string) {
	var open []string
	for _, r := range args {
		switch {
		case open != nil:
			open = append(open, r)
			if strings.HasSuffix(r, ")") {
				rules = append(rules, strings.Join(open, " "))
				open = nil
			}
		case strings.HasPrefix(r, "(") && !strings.HasSuffix(r, ")"):
			open = []string{r}
		default:
			rules = append(rules, r)
		}
	}
	if open != nil {
		return nil, open[0]
	}
	return rules, ""
}

// ACL DELUSER username [username ...]
func cmdACLDelUser(c *Ctx, args [][]byte) {
	for _, a := range args[2:] {
		if string(a) == "default" {
			c.Error("ERR The 'default' user cannot be removed")
			return
		}
	}
	var n int64
	for _, a := range args[2:] {
		if c.srv.deleteUser(c, string(a)) {
			n++
		}
	}
	c.Int(n)
}

// ACL USERS
func cmdACLUsers(c *Ctx, args [][]byte) {
	users := c.srv.aclUsersSorted()
	c.Array(len(users))
	for _, u := range users {
		c.BulkString(u.Name)
	}
}

// ACL LIST
func cmdACLList(c *Ctx, args [][]byte) {
	users := c.srv.aclUsersSorted()
	c.Array(len(users))
	for _, u := range users {
		c.BulkString(u.Describe(c.srv.acl.cat))
	}
}

// ACL WHOAMI
func cmdACLWhoAmI(c *Ctx, args [][]byte) { c.BulkString(c.currentUser().name) }

// ACL CAT [category]
func cmdACLCat(c *Ctx, args [][]byte) {
	cat := c.srv.acl.cat
	if len(args) == 2 {
		c.Array(len(cat.Categories))
		for _, name := range cat.Categories {
			c.BulkString(name)
		}
		return
	}
	if len(args) > 3 {
		aclSyntaxError(c, args)
		return
	}
	bit, ok := cat.CategoryBit(string(args[2]))
	if !ok {
		c.Error("ERR Unknown category '" + string(args[2]) + "'")
		return
	}
	names := cat.InCategory(bit)
	c.Array(len(names))
	for _, n := range names {
		c.BulkString(n)
	}
}

// ACL GENPASS [bits]
func cmdACLGenPass(c *Ctx, args [][]byte) {
	bits := int64(256)
	if len(args) == 3 {
		v, ok := c.intArg(args[2])
		if !ok {
			return
		}
		if v <= 0 || v > 4096 {
			c.Error("ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096")
			return
		}
		bits = v
	} else if len(args) > 3 {
		aclSyntaxError(c, args)
		return
	}
	chars := (bits + 3) / 4
	buf := make([]byte, (chars+1)/2)
	rand.Read(buf)
	c.BulkString(hex.EncodeToString(buf)[:chars])
}

// ACL LOG [count | RESET]
func cmdACLLog(c *Ctx, args [][]byte) {
	count := int64(10)
	if len(args) == 3 {
		if eq(args[2], "reset") {
			a := &c.srv.acl
			a.mu.Lock()
			a.log = nil
			a.mu.Unlock()
			c.OK()
			return
		}
		v, ok := c.intArg(args[2])
		if !ok {
			return
		}
		count = max(v, 0) // a negative count lists nothing, as in Redis
	} else if len(args) > 3 {
		aclSyntaxError(c, args)
		return
	}
	a := &c.srv.acl
	a.mu.Lock()
	entries := make([]aclLogEntry, 0, min(int64(len(a.log)), count))
	for _, e := range a.log {
		if int64(len(entries)) >= count {
			break
		}
		entries = append(entries, *e)
	}
	a.mu.Unlock()
	now := time.Now()
	c.Array(len(entries))
	for _, e := range entries {
		c.Map(7)
		c.BulkString("count")
		c.Int(e.count)
		c.BulkString("reason")
		c.BulkString(e.reason)
		c.BulkString("context")
		c.BulkString(e.context)
		c.BulkString("object")
		c.BulkString(e.object)
		c.BulkString("username")
		c.BulkString(e.username)
		c.BulkString("age-seconds")
		c.Double(float64(now.Sub(e.created).Milliseconds()) / 1000)
		c.BulkString("client-info")
		c.BulkString(e.clientInfo)
	}
}

// ACL DRYRUN username command [arg ...]
func cmdACLDryRun(c *Ctx, args [][]byte) {
	h := c.srv.lookupUser(string(args[2]))
	if h == nil {
		c.Error("ERR User '" + string(args[2]) + "' not found")
		return
	}
	argv := args[3:]
	cmd := c.srv.table.Lookup(argv[0])
	if cmd != nil && cmd.Subcommands != nil && (len(argv) > 1 || cmd.Handler == nil) {
		if len(argv) == 1 {
			cmd = nil
		} else {
			cmd = cmd.LookupSub(argv[1])
		}
	}
	if cmd == nil {
		c.Error("ERR Command '" + string(argv[0]) + "' not found")
		return
	}
	if (cmd.Arity > 0 && len(argv) != cmd.Arity) || len(argv) < -cmd.Arity {
		c.Error(errArity(cmd.Name))
		return
	}
	d, _ := c.srv.aclCheck(h.cur.Load(), cmd, argv, nil)
	switch d.reason {
	case "":
		c.OK()
	case "command":
		c.BulkString("This user has no permissions to run the '" + cmd.Name + "' command")
	default:
		c.BulkString("This user has no permissions to access the '" + d.object + "' " + d.reason)
	}
}

// ACL SAVE
func cmdACLSave(c *Ctx, args [][]byte) {
	if c.srv.acl.fileName == "" {
		c.Error(errNoACLFile)
		return
	}
	if err := c.srv.aclSaveFile(); err != nil {
		c.Error("ERR There was an error trying to save the ACLs. Please check the server logs for more information")
		return
	}
	c.OK()
}

// ACL LOAD
func cmdACLLoad(c *Ctx, args [][]byte) {
	if c.srv.acl.fileName == "" {
		c.Error(errNoACLFile)
		return
	}
	if err := c.srv.aclLoadFile(c); err != nil {
		c.Error("ERR Error loading ACLs, skipping: " + strings.TrimPrefix(err.Error(), "acl: aclfile: "))
		return
	}
	c.OK()
}

// ACL HELP
func cmdACLHelp(c *Ctx, args [][]byte) {
	c.helpReply("ACL", []string{
		"CAT [<category>]",
		"    List all commands that belong to <category>, or all command categories",
		"    when no category is specified.",
		"DELUSER <username> [<username> ...]",
		"    Delete a list of users.",
		"DRYRUN <username> <command> [<arg> ...]",
		"    Returns whether the user can execute the given command without executing the command.",
		"GETUSER <username>",
		"    Get the user's details.",
		"GENPASS [<bits>]",
		"    Generate a secure 256-bit user password. The optional `bits` argument can",
		"    be used to specify a different size.",
		"LIST",
		"    Show users details in config file format.",
		"LOAD",
		"    Reload users from the ACL file.",
		"LOG [<count> | RESET]",
		"    Show the ACL log entries.",
		"SAVE",
		"    Save the current config to the ACL file.",
		"SETUSER <username> <attribute> [<attribute> ...]",
		"    Create or modify a user with the specified attributes.",
		"USERS",
		"    List all the registered usernames.",
		"WHOAMI",
		"    Return the current connection username.",
	})
}

// aclSyntaxError is Redis's reply to a subcommand called with too many
// arguments (addReplySubcommandSyntaxError).
func aclSyntaxError(c *Ctx, args [][]byte) {
	c.Error("ERR unknown subcommand or wrong number of arguments for '" + string(args[1]) + "'. Try ACL HELP.")
}

func registerACLCommands(t *Table) {
	base := FlagNoScript | FlagLoading | FlagStale
	adm := base | FlagAdmin
	slow := []string{"slow"}
	sub := func(name string, arity int, flags Flag, since, summary, usage string, h func(*Ctx, [][]byte)) *Command {
		return &Command{Name: name, Arity: arity, Flags: flags, ACL: slow, Group: "server", Since: since,
			Summary: summary, Usage: usage, Lock: LockNone, Handler: h}
	}
	t.Add(&Command{Name: "acl", Arity: -2, ACL: slow, Group: "server", Since: "6.0.0",
		Summary: "A container for Access List Control commands.", Lock: LockNone,
		Subcommands: Sub(
			sub("cat", -2, base, "6.0.0", "Lists the ACL categories, or the commands inside a category.", "[category]", cmdACLCat),
			sub("deluser", -3, adm, "6.0.0", "Deletes ACL users, and terminates their connections.", "username [username ...]", cmdACLDelUser),
			sub("dryrun", -4, adm, "7.0.0", "Simulates the execution of a command by a user, without executing the command.", "username command [arg [arg ...]]", cmdACLDryRun),
			sub("genpass", -2, base, "6.0.0", "Generates a pseudorandom, secure password that can be used to identify ACL users.", "[bits]", cmdACLGenPass),
			sub("getuser", 3, adm, "6.0.0", "Lists the ACL rules of a user.", "username", cmdACLGetUser),
			sub("help", 2, FlagLoading|FlagStale, "6.0.0", "Returns helpful text about the different subcommands.", "", cmdACLHelp),
			sub("list", 2, adm, "6.0.0", "Dumps the effective rules in ACL file format.", "", cmdACLList),
			sub("load", 2, adm, "6.0.0", "Reloads the rules from the configured ACL file.", "", cmdACLLoad),
			sub("log", -2, adm, "6.0.0", "Lists recent security events generated due to ACL rules.", "[count | RESET]", cmdACLLog),
			sub("save", 2, adm, "6.0.0", "Saves the effective ACL rules in the configured ACL file.", "", cmdACLSave),
			sub("setuser", -3, adm, "6.0.0", "Creates and modifies an ACL user and its rules.", "username [rule [rule ...]]", cmdACLSetUser),
			sub("users", 2, adm, "6.0.0", "Lists all ACL users.", "", cmdACLUsers),
			sub("whoami", 2, base, "6.0.0", "Returns the authenticated username of the current connection.", "", cmdACLWhoAmI),
		)})
}
