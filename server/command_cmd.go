package server

// The COMMAND family: COMMAND, COMMAND COUNT/INFO/DOCS/LIST/GETKEYS/
// GETKEYSANDFLAGS/HELP. Everything here is read from the command table, in
// Redis 7.2's reply shapes: redis-cli builds its argument hints from COMMAND
// DOCS, cluster clients read key positions from COMMAND (INFO), and go-redis
// reads flags and first/last/step from COMMAND.
//
// Key specs are derived from the legacy FirstKey/LastKey/KeyStep (and a Keys
// func) rather than written per command, so they are structurally valid but
// not byte-equal to Redis's: Redis splits some commands' keys into several
// specs and uses finer flags (OW, RM, insert, delete). Exact key specs can be
// added to the spec later without changing the reply code.

import (
	"sort"
	"strings"

	"github.com/vireodb/vireo/datatypes/glob"
)

func init() { familyRegistrars = append(familyRegistrars, registerCommandCommands) }

// internalFlags are the flags Redis keeps to itself: COMMAND INFO never
// shows sentinel, only_sentinel or protected.
const internalFlags = FlagSentinel | FlagOnlySentinel | FlagProtected

// InfoFlags lists the command's flags as COMMAND INFO reports them. A
// command whose keys come from a Keys func is movablekeys, as Redis marks
// every command with a getkeys_proc.
func (cmd *Command) InfoFlags() []string {
	flags := cmd.Flags
	if cmd.Keys != nil {
		flags |= FlagMovableKeys
	}
	return (flags &^ internalFlags).Names()
}

// ACLCategoryNames are Redis's ACL categories in the order its replies list
// them (acl.c ACLCommandCategories).
var ACLCategoryNames = []string{
	"keyspace", "read", "write", "set", "sortedset", "list", "hash", "string",
	"bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
	"blocking", "dangerous", "connection", "transaction", "scripting",
}

// ACLCategories returns the command's ACL categories without '@': those the
// spec lists plus those Redis implies from the flags (setImplicitACLCategories:
// write -> write, readonly -> read unless scripting, admin -> admin and
// dangerous, pubsub -> pubsub, fast -> fast, blocking -> blocking, and slow
// for whatever is not fast), in Redis's order. Names Redis does not know are
// appended as given (the table test rejects them).
func (cmd *Command) ACLCategories() []string {
	has := make(map[string]bool, len(cmd.ACL)+4)
	for _, cat := range cmd.ACL {
		has[strings.ToLower(cat)] = true
	}
	f := cmd.Flags
	if f&FlagWrite != 0 {
		has["write"] = true
	}
	if f&FlagReadonly != 0 && !has["scripting"] {
		has["read"] = true
	}
	if f&FlagAdmin != 0 {
		has["admin"] = true
		has["dangerous"] = true
	}
	if f&FlagPubSub != 0 {
		has["pubsub"] = true
	}
	if f&FlagFast != 0 {
		has["fast"] = true
	}
	if f&FlagBlocking != 0 {
		has["blocking"] = true
	}
	if !has["fast"] {
		has["slow"] = true
	}
	out := make([]string, 0, len(has))
	for _, cat := range ACLCategoryNames {
		if has[cat] {
			out = append(out, cat)
			delete(has, cat)
		}
	}
	for _, cat := range cmd.ACL {
		if lc := strings.ToLower(cat); has[lc] {
			out = append(out, lc)
			delete(has, lc)
		}
	}
	return out
}

// KeySpec is one key specification as COMMAND INFO reports it. BeginIndex 0
// means begin_search "unknown"; Range false means find_keys "unknown".
type KeySpec struct {
	Flags      []string
	BeginIndex int
	Range      bool
	LastKey    int // relative to BeginIndex when >= 0, from the end when < 0
	KeyStep    int
	Limit      int
}

// KeySpecs derives the command's key specs: a range spec from FirstKey/
// LastKey/KeyStep, and, when a Keys func finds further keys, an "unknown"
// spec flagged incomplete so that clients fall back to COMMAND GETKEYS.
// Write commands' keys are RW, read-only commands' RO and access, others'
// RO (see the file comment on exactness).
func (cmd *Command) KeySpecs() []KeySpec {
	var flags []string
	switch {
	case cmd.Flags&FlagWrite != 0:
		flags = []string{"RW"}
	case cmd.Flags&FlagReadonly != 0:
		flags = []string{"RO", "access"}
	default:
		flags = []string{"RO"}
	}
	var specs []KeySpec
	if cmd.FirstKey > 0 {
		last := cmd.LastKey
		if last >= 0 {
			last -= cmd.FirstKey
		}
		step := cmd.KeyStep
		if step <= 0 {
			step = 1
		}
		specs = append(specs, KeySpec{Flags: flags, BeginIndex: cmd.FirstKey, Range: true, LastKey: last, KeyStep: step})
	}
	if cmd.Keys != nil {
		specs = append(specs, KeySpec{Flags: append(flags[:len(flags):len(flags)], "incomplete")})
	}
	return specs
}

// hasKeys reports whether the command takes key arguments at all
// (Redis's doesCommandHaveKeys).
func (cmd *Command) hasKeys() bool { return cmd.FirstKey > 0 || cmd.Keys != nil }

// DocArgs returns the argument tree parsed from Usage (nil when the command
// has none). It is parsed once and shared: callers must not change it.
func (cmd *Command) DocArgs() ([]*Arg, error) {
	cmd.usageOnce.Do(func() { cmd.usageArgs, cmd.usageErr = ParseUsage(cmd.Name, cmd.Usage) })
	return cmd.usageArgs, cmd.usageErr
}

// sortedSubcommands returns a container's subcommands by name.
func (cmd *Command) sortedSubcommands() []*Command {
	out := make([]*Command, 0, len(cmd.Subcommands))
	for _, sub := range cmd.Subcommands {
		out = append(out, sub)
	}
	sortCommands(out)
	return out
}

func sortCommands(cmds []*Command) {
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].Name < cmds[j].Name })
}

// lookupFullName finds "get" or "client|kill" (case-insensitively), as
// Redis's lookupCommandBySds: a name with a '|' must name a subcommand of a
// container, exactly.
func (t *Table) lookupFullName(name []byte) *Command {
	i := strings.IndexByte(string(name), '|')
	if i < 0 {
		return t.Lookup(name)
	}
	parent := t.Lookup(name[:i])
	if parent == nil || parent.Subcommands == nil || strings.IndexByte(string(name[i+1:]), '|') >= 0 {
		return nil
	}
	return parent.LookupSub(name[i+1:])
}

// lookupArgv finds the command an argument vector runs, as Redis's
// lookupCommand: a container's subcommand when there is a second argument.
func (t *Table) lookupArgv(argv [][]byte) *Command {
	cmd := t.Lookup(argv[0])
	if cmd == nil || cmd.Subcommands == nil || len(argv) == 1 {
		return cmd
	}
	return cmd.LookupSub(argv[1])
}

// writeCommandInfo writes one COMMAND INFO entry (null for nil).
func (c *Ctx) writeCommandInfo(cmd *Command) {
	if cmd == nil {
		c.Null()
		return
	}
	c.Array(10)
	c.BulkString(cmd.Name)
	c.Int(int64(cmd.Arity))
	c.simpleSet(cmd.InfoFlags(), "")
	c.Int(int64(cmd.FirstKey))
	c.Int(int64(cmd.LastKey))
	c.Int(int64(cmd.KeyStep))
	c.simpleSet(cmd.ACLCategories(), "@")
	c.Set(len(cmd.Tips))
	for _, tip := range cmd.Tips {
		c.BulkString(tip)
	}
	specs := cmd.KeySpecs()
	c.Set(len(specs))
	for _, ks := range specs {
		c.writeKeySpec(ks)
	}
	if cmd.Subcommands == nil {
		c.Set(0)
		return
	}
	c.Array(len(cmd.Subcommands))
	for _, sub := range cmd.sortedSubcommands() {
		c.writeCommandInfo(sub)
	}
}

// simpleSet writes names as a set of status replies, each with prefix.
func (c *Ctx) simpleSet(names []string, prefix string) {
	c.Set(len(names))
	for _, n := range names {
		c.Simple(prefix + n)
	}
}

func (c *Ctx) writeKeySpec(ks KeySpec) {
	c.Map(3)
	c.BulkString("flags")
	c.simpleSet(ks.Flags, "")
	c.BulkString("begin_search")
	c.Map(2)
	c.BulkString("type")
	if ks.BeginIndex > 0 {
		c.BulkString("index")
		c.BulkString("spec")
		c.Map(1)
		c.BulkString("index")
		c.Int(int64(ks.BeginIndex))
	} else {
		c.BulkString("unknown")
		c.BulkString("spec")
		c.Map(0)
	}
	c.BulkString("find_keys")
	c.Map(2)
	c.BulkString("type")
	if ks.Range {
		c.BulkString("range")
		c.BulkString("spec")
		c.Map(3)
		c.BulkString("lastkey")
		c.Int(int64(ks.LastKey))
		c.BulkString("keystep")
		c.Int(int64(ks.KeyStep))
		c.BulkString("limit")
		c.Int(int64(ks.Limit))
	} else {
		c.BulkString("unknown")
		c.BulkString("spec")
		c.Map(0)
	}
}

// writeCommandDocs writes one COMMAND DOCS map, fields in Redis's order.
func (c *Ctx) writeCommandDocs(cmd *Command) {
	args, _ := cmd.DocArgs() // a bad Usage shows no arguments; the table test rejects it
	// "group" is always there; the rest only when set.
	n := 1
	for _, present := range []bool{cmd.Summary != "", cmd.Since != "", cmd.Complexity != "", cmd.DocFlags != 0,
		cmd.DeprecatedSince != "", cmd.ReplacedBy != "", len(args) > 0, cmd.Subcommands != nil} {
		if present {
			n++
		}
	}
	c.Map(n)
	if cmd.Summary != "" {
		c.BulkString("summary")
		c.BulkString(cmd.Summary)
	}
	if cmd.Since != "" {
		c.BulkString("since")
		c.BulkString(cmd.Since)
	}
	c.BulkString("group")
	c.BulkString(cmd.Group)
	if cmd.Complexity != "" {
		c.BulkString("complexity")
		c.BulkString(cmd.Complexity)
	}
	if cmd.DocFlags != 0 {
		var names []string
		if cmd.DocFlags&DocDeprecated != 0 {
			names = append(names, "deprecated")
		}
		if cmd.DocFlags&DocSysCmd != 0 {
			names = append(names, "syscmd")
		}
		c.BulkString("doc_flags")
		c.simpleSet(names, "")
	}
	if cmd.DeprecatedSince != "" {
		c.BulkString("deprecated_since")
		c.BulkString(cmd.DeprecatedSince)
	}
	if cmd.ReplacedBy != "" {
		c.BulkString("replaced_by")
		c.BulkString(cmd.ReplacedBy)
	}
	if len(args) > 0 {
		c.BulkString("arguments")
		c.writeDocArgs(args, len(cmd.KeySpecs()))
	}
	if cmd.Subcommands != nil {
		c.BulkString("subcommands")
		c.Map(len(cmd.Subcommands))
		for _, sub := range cmd.sortedSubcommands() {
			c.BulkString(sub.Name)
			c.writeCommandDocs(sub)
		}
	}
}

// writeDocArgs writes an argument list. Key arguments point at one of the
// nspecs key specs the command has (the last one when the usage names more
// keys than there are specs); with no key spec at all they are reported as
// strings, since Redis requires a key argument's spec to exist.
func (c *Ctx) writeDocArgs(args []*Arg, nspecs int) {
	c.Array(len(args))
	for _, a := range args {
		typ := a.Type
		if typ == ArgKey && nspecs == 0 {
			typ = ArgString
		}
		n := 2
		if typ == ArgKey {
			n++
		}
		if a.Token != "" {
			n++
		}
		if a.Flags != 0 {
			n++
		}
		if len(a.Args) > 0 {
			n++
		}
		c.Map(n)
		c.BulkString("name")
		c.BulkString(a.Name)
		c.BulkString("type")
		c.BulkString(typ.String())
		if typ == ArgKey {
			c.BulkString("key_spec_index")
			c.Int(int64(min(a.KeySpecIndex, nspecs-1)))
		}
		if a.Token != "" {
			c.BulkString("token")
			c.BulkString(a.Token)
		}
		if a.Flags != 0 {
			c.BulkString("flags")
			c.simpleSet(a.Flags.Names(), "")
		}
		if len(a.Args) > 0 {
			c.BulkString("arguments")
			c.writeDocArgs(a.Args, nspecs)
		}
	}
}

// COMMAND
func cmdCommand(c *Ctx, args [][]byte) {
	cmds := c.srv.table.Sorted()
	c.Array(len(cmds))
	for _, cmd := range cmds {
		c.writeCommandInfo(cmd)
	}
}

// COMMAND COUNT
func cmdCommandCount(c *Ctx, args [][]byte) { c.Int(int64(c.srv.table.Len())) }

// COMMAND INFO [command-name [command-name ...]]
func cmdCommandInfo(c *Ctx, args [][]byte) {
	if len(args) == 2 {
		cmdCommand(c, args)
		return
	}
	c.Array(len(args) - 2)
	for _, name := range args[2:] {
		c.writeCommandInfo(c.srv.table.lookupFullName(name))
	}
}

// COMMAND DOCS [command-name [command-name ...]]
func cmdCommandDocs(c *Ctx, args [][]byte) {
	var cmds []*Command
	if len(args) == 2 {
		cmds = c.srv.table.Sorted()
	} else {
		for _, name := range args[2:] {
			if cmd := c.srv.table.lookupFullName(name); cmd != nil {
				cmds = append(cmds, cmd)
			}
		}
	}
	c.Map(len(cmds))
	for _, cmd := range cmds {
		c.BulkString(cmd.Name)
		c.writeCommandDocs(cmd)
	}
}

// COMMAND LIST [FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]
func cmdCommandList(c *Ctx, args [][]byte) {
	var keep func(cmd *Command) bool
	for i := 2; i < len(args); i += 3 {
		if !eq(args[i], "filterby") || len(args)-1-i != 2 {
			c.Error(ErrSyntax)
			return
		}
		arg := string(args[i+2])
		switch {
		case eq(args[i+1], "module"):
			keep = func(*Command) bool { return false } // no modules
		case eq(args[i+1], "aclcat"):
			cat := strings.ToLower(arg)
			keep = func(cmd *Command) bool {
				for _, have := range cmd.ACLCategories() {
					if have == cat {
						return true
					}
				}
				return false
			}
		case eq(args[i+1], "pattern"):
			keep = func(cmd *Command) bool { return glob.MatchString(arg, cmd.Name, true) }
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	var names []string
	var walk func(cmds []*Command)
	walk = func(cmds []*Command) {
		for _, cmd := range cmds {
			if keep == nil || keep(cmd) {
				names = append(names, cmd.Name)
			}
			if cmd.Subcommands != nil {
				walk(cmd.sortedSubcommands())
			}
		}
	}
	walk(c.srv.table.Sorted())
	c.StringArray(names)
}

// COMMAND GETKEYS command [arg [arg ...]]
func cmdCommandGetKeys(c *Ctx, args [][]byte) { c.commandGetKeys(args[2:], false) }

// COMMAND GETKEYSANDFLAGS command [arg [arg ...]]
func cmdCommandGetKeysAndFlags(c *Ctx, args [][]byte) { c.commandGetKeys(args[2:], true) }

func (c *Ctx) commandGetKeys(argv [][]byte, withFlags bool) {
	cmd := c.srv.table.lookupArgv(argv)
	switch {
	case cmd == nil:
		c.Error("ERR Invalid command specified")
		return
	case !cmd.hasKeys():
		c.Error("ERR The command has no key arguments")
		return
	case (cmd.Arity > 0 && len(argv) != cmd.Arity) || len(argv) < -cmd.Arity:
		c.Error("ERR Invalid number of arguments specified for command")
		return
	}
	pos := cmd.keyPositions(argv, nil)
	if len(pos) == 0 {
		if cmd.Flags&FlagNoMandatoryKeys != 0 {
			c.Array(0)
		} else {
			c.Error("ERR Invalid arguments specified for command")
		}
		return
	}
	var flags []string
	if withFlags {
		flags = cmd.KeySpecs()[0].Flags
	}
	c.Array(len(pos))
	for _, i := range pos {
		if !withFlags {
			c.Bulk(argv[i])
			continue
		}
		c.Array(2)
		c.Bulk(argv[i])
		c.simpleSet(flags, "")
	}
}

// COMMAND HELP
func cmdCommandHelp(c *Ctx, args [][]byte) {
	c.helpReply("command", []string{
		"(no subcommand)",
		"    Return details about all Redis commands.",
		"COUNT",
		"    Return the total number of commands in this Redis server.",
		"LIST",
		"    Return a list of all commands in this Redis server.",
		"INFO [<command-name> ...]",
		"    Return details about multiple Redis commands.",
		"    If no command names are given, documentation details for all",
		"    commands are returned.",
		"DOCS [<command-name> ...]",
		"    Return documentation details about multiple Redis commands.",
		"    If no command names are given, documentation details for all",
		"    commands are returned.",
		"GETKEYS <full-command>",
		"    Return the keys from a full Redis command.",
		"GETKEYSANDFLAGS <full-command>",
		"    Return the keys and the access flags from a full Redis command.",
	})
}

// CommandTable builds the full command table, for tools that document it
// (cmd/vireo-docgen).
func CommandTable() *Table { return newTable() }

func registerCommandCommands(t *Table) {
	flags := FlagLoading | FlagStale
	acl := []string{"connection"}
	sub := func(name string, arity int, since, summary, complexity, usage string, tips []string, h func(*Ctx, [][]byte)) *Command {
		return &Command{Name: name, Arity: arity, Flags: flags, ACL: acl, Group: "server", Since: since,
			Summary: summary, Complexity: complexity, Usage: usage, Tips: tips, Lock: LockNone, Handler: h}
	}
	unordered := []string{"nondeterministic_output_order"}
	perCmd := "O(N) where N is the number of commands to look up"
	t.Add(&Command{Name: "command", Arity: -1, Flags: flags, ACL: acl, Group: "server", Since: "2.8.13",
		Summary: "Returns detailed information about every command.", Complexity: "O(N) where N is the total number of Redis commands",
		Tips: unordered, Lock: LockNone, Handler: cmdCommand,
		Subcommands: Sub(
			sub("count", 2, "2.8.13", "Returns the number of commands.", "O(1)", "", nil, cmdCommandCount),
			sub("info", -2, "2.8.13", "Returns information about one, several or all commands.", perCmd,
				"[command-name [command-name ...]]", unordered, cmdCommandInfo),
			sub("docs", -2, "7.0.0", "Returns documentary information about one, several or all commands.", perCmd,
				"[command-name [command-name ...]]", unordered, cmdCommandDocs),
			sub("list", -2, "7.0.0", "Returns a list of command names, optionally filtered.", "O(N) where N is the total number of Redis commands",
				"[FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]", unordered, cmdCommandList),
			sub("getkeys", -4, "2.8.13", "Extracts the key names from an arbitrary command.", "O(N) where N is the number of arguments to the command",
				"command arg [arg ...]", nil, cmdCommandGetKeys),
			sub("getkeysandflags", -4, "7.0.0", "Extracts the key names and access flags from an arbitrary command.", "O(N) where N is the number of arguments to the command",
				"command arg [arg ...]", nil, cmdCommandGetKeysAndFlags),
			sub("help", 2, "5.0.0", "Returns helpful text about the different subcommands.", "O(1)", "", nil, cmdCommandHelp),
		)})
}
