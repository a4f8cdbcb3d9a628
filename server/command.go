package server

// The command table. Every command is described once, here in a spec, by the
// family file that implements it (string.go, generic.go, ...). The dispatcher,
// COMMAND INFO/DOCS/GETKEYS, MULTI queueing, propagation and (later) ACL,
// cluster slot checks and script restrictions all read these specs; nothing
// else switches on command names.

import (
	"sort"
	"strings"
	"sync"
)

// Flag is a command property, named after Redis's command flags.
type Flag uint32

const (
	FlagWrite Flag = 1 << iota
	FlagReadonly
	FlagDenyOOM
	FlagAdmin
	FlagPubSub
	FlagNoScript
	FlagBlocking
	FlagLoading
	FlagStale
	FlagSkipMonitor
	FlagSkipSlowlog
	FlagFast
	FlagNoAuth
	FlagMayReplicate
	FlagSentinel
	FlagOnlySentinel
	FlagNoMandatoryKeys
	FlagProtected
	FlagNoAsyncLoading
	FlagNoMulti
	FlagMovableKeys
	FlagAllowBusy
	FlagAsking // allowed on an importing slot after ASKING (cluster mode)
)

var flagNames = []struct {
	f    Flag
	name string
}{
	{FlagWrite, "write"}, {FlagReadonly, "readonly"}, {FlagDenyOOM, "denyoom"},
	{FlagAdmin, "admin"}, {FlagPubSub, "pubsub"}, {FlagNoScript, "noscript"},
	{FlagBlocking, "blocking"}, {FlagLoading, "loading"}, {FlagStale, "stale"},
	{FlagSkipMonitor, "skip_monitor"}, {FlagSkipSlowlog, "skip_slowlog"},
	{FlagAsking, "asking"}, {FlagFast, "fast"}, {FlagNoAuth, "no_auth"}, {FlagMayReplicate, "may_replicate"},
	{FlagSentinel, "sentinel"}, {FlagOnlySentinel, "only_sentinel"},
	{FlagNoMandatoryKeys, "no_mandatory_keys"}, {FlagProtected, "protected"},
	{FlagNoAsyncLoading, "no_async_loading"}, {FlagNoMulti, "no_multi"},
	{FlagMovableKeys, "movablekeys"}, {FlagAllowBusy, "allow_busy"},
}

// Names lists the flag names as COMMAND INFO reports them, in table order.
func (f Flag) Names() []string {
	var out []string
	for _, fn := range flagNames {
		if f&fn.f != 0 {
			out = append(out, fn.name)
		}
	}
	return out
}

// LockMode says which keyspace locks the dispatcher takes around a handler.
type LockMode uint8

const (
	// LockKeys locks the shards of the command's keys (from the key spec)
	// in the client's current database. The default.
	LockKeys LockMode = iota
	// LockNone takes no lock: the handler locks what it needs itself (one
	// shard at a time for KEYS/SCAN/DBSIZE, or nothing at all).
	LockNone
	// LockAll locks every shard of every database (FLUSHALL, SWAPDB, MOVE,
	// scripts): the command sees and changes the whole keyspace atomically.
	LockAll
)

// Command is one command's spec.
type Command struct {
	Name    string // lower case; "client|list" style full name for subcommands
	Arity   int    // Redis convention: > 0 exact, < 0 at least -Arity
	Flags   Flag
	ACL     []string // ACL categories without '@' (besides those implied by flags)
	Group   string   // COMMAND DOCS group: string, generic, connection, server, transactions, ...
	Since   string   // Redis version that introduced it
	Summary string
	// Usage is the argument syntax after the name, e.g.
	// "key value [NX | XX] [GET] [EX seconds | PX milliseconds]"; COMMAND
	// DOCS and redis-cli hints are built from it.
	Usage string

	// Documentation and hints that COMMAND INFO/DOCS report when set.
	Complexity      string   // "O(1)", "O(N) where N is ..."
	Tips            []string // Redis's command tips: "nondeterministic_output", "request_policy:all_shards", ...
	DocFlags        DocFlag  // deprecated, syscmd
	DeprecatedSince string   // the version that deprecated the command
	ReplacedBy      string   // what to use instead of a deprecated command

	// Key positions (1-based, Redis's legacy first/last/step). LastKey -1
	// means the last argument, -2 the one before it.
	FirstKey, LastKey, KeyStep int
	// Keys, when set, computes key positions for commands whose keys are not
	// at fixed positions (movablekeys: ZUNIONSTORE numkeys, EVAL, ...).
	Keys func(args [][]byte) []int

	Lock    LockMode
	Handler func(c *Ctx, args [][]byte)

	Subcommands map[string]*Command
	parent      *Command

	stats   cmdStats
	latency latencyHist // per-call durations (latency.go)

	usageOnce sync.Once // parses Usage once, for COMMAND DOCS
	usageArgs []*Arg
	usageErr  error
}

// DocFlag is a documentation flag, named after Redis's doc_flags.
type DocFlag uint8

const (
	DocDeprecated DocFlag = 1 << iota
	DocSysCmd
)

// IsWrite reports whether the command may change the keyspace.
func (cmd *Command) IsWrite() bool { return cmd.Flags&FlagWrite != 0 }

// keyPositions appends the indexes in args of cmd's keys to dst.
func (cmd *Command) keyPositions(args [][]byte, dst []int) []int {
	if cmd.Keys != nil {
		return append(dst, cmd.Keys(args)...)
	}
	if cmd.FirstKey <= 0 {
		return dst
	}
	last := cmd.LastKey
	if last < 0 {
		last = len(args) + last
	}
	step := cmd.KeyStep
	if step <= 0 {
		step = 1
	}
	for i := cmd.FirstKey; i <= last && i < len(args); i += step {
		dst = append(dst, i)
	}
	return dst
}

// Table is the set of commands by lower-case name.
type Table struct {
	cmds map[string]*Command
}

// familyRegistrars are the family files' register functions, collected by
// init functions so a new family needs no edit elsewhere.
var familyRegistrars []func(t *Table)

func newTable() *Table {
	t := &Table{cmds: make(map[string]*Command)}
	for _, reg := range familyRegistrars {
		reg(t)
	}
	return t
}

// Add registers top-level commands.
func (t *Table) Add(cmds ...*Command) {
	for _, c := range cmds {
		c.Name = strings.ToLower(c.Name)
		if _, dup := t.cmds[c.Name]; dup {
			panic("server: command registered twice: " + c.Name)
		}
		for name, sub := range c.Subcommands {
			sub.parent = c
			sub.Name = c.Name + "|" + strings.ToLower(name)
		}
		t.cmds[c.Name] = c
	}
}

// Sub builds a container command's subcommand map.
func Sub(cmds ...*Command) map[string]*Command {
	m := make(map[string]*Command, len(cmds))
	for _, c := range cmds {
		m[strings.ToLower(c.Name)] = c
	}
	return m
}

// Lookup finds a command by name, case-insensitively, without allocating.
func (t *Table) Lookup(name []byte) *Command {
	if c, ok := t.cmds[string(name)]; ok {
		return c
	}
	var buf [32]byte
	if len(name) > len(buf) {
		return t.cmds[strings.ToLower(string(name))]
	}
	low := buf[:len(name)]
	for i, ch := range name {
		if ch >= 'A' && ch <= 'Z' {
			ch += 32
		}
		low[i] = ch
	}
	return t.cmds[string(low)]
}

// LookupSub finds a subcommand of a container.
func (cmd *Command) LookupSub(name []byte) *Command {
	var buf [32]byte
	if len(name) > len(buf) {
		return cmd.Subcommands[strings.ToLower(string(name))]
	}
	low := buf[:len(name)]
	for i, ch := range name {
		if ch >= 'A' && ch <= 'Z' {
			ch += 32
		}
		low[i] = ch
	}
	return cmd.Subcommands[string(low)]
}

// Sorted returns the top-level commands sorted by name.
func (t *Table) Sorted() []*Command {
	out := make([]*Command, 0, len(t.cmds))
	for _, c := range t.cmds {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Len is the number of top-level commands.
func (t *Table) Len() int { return len(t.cmds) }

// Get returns a top-level command by its lower-case name.
func (t *Table) Get(name string) *Command { return t.cmds[name] }
