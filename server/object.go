package server

// OBJECT ENCODING / REFCOUNT / IDLETIME / FREQ / HELP: introspection of a
// key's value, after Redis's object.c. The lookups neither touch the access
// clock nor send "keymiss" (LOOKUP_NOTOUCH|LOOKUP_NONOTIFY), so looking at a
// key does not change what is looked at.

import (
	"math"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/num"
)

func init() { familyRegistrars = append(familyRegistrars, registerObjectCommands) }

// sharedIntegers is OBJ_SHARED_INTEGERS: Redis stores the integer strings
// 0..9999 as shared objects whose reference count reads as INT_MAX
// (OBJ_SHARED_REFCOUNT).
const sharedIntegers = 10000

// refcount is what Redis's OBJECT REFCOUNT reports for e: every value has
// one reference except the shared small integers.
func refcount(e *keyspace.Entry) int64 {
	if e.Type == keyspace.TypeString && e.Enc == keyspace.EncInt {
		if v, ok := num.ParseInt(e.Str); ok && v >= 0 && v < sharedIntegers {
			return math.MaxInt32
		}
	}
	return 1
}

// lfuPolicy reports whether maxmemory-policy is one of the LFU policies.
func (s *Server) lfuPolicy() bool { return s.ks.EvictionPolicy().IsLFU() }

const (
	errNoLFU = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. " +
		"Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
	errLFUNoIdle = "ERR An LFU maxmemory policy is selected, idle time not tracked. " +
		"Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
)

// objectLookup finds OBJECT's key, replying null when it is missing.
func objectLookup(c *Ctx, key []byte) *keyspace.Entry {
	e := c.lookupRead(key, readNoTouch|readNoNotify)
	if e == nil {
		c.Null()
	}
	return e
}

// OBJECT ENCODING key
func cmdObjectEncoding(c *Ctx, args [][]byte) {
	if e := objectLookup(c, args[2]); e != nil {
		c.BulkString(e.Enc.Name())
	}
}

// OBJECT REFCOUNT key
func cmdObjectRefcount(c *Ctx, args [][]byte) {
	if e := objectLookup(c, args[2]); e != nil {
		c.Int(refcount(e))
	}
}

// OBJECT IDLETIME key
func cmdObjectIdletime(c *Ctx, args [][]byte) {
	e := objectLookup(c, args[2])
	if e == nil {
		return
	}
	if c.srv.lfuPolicy() {
		c.Error(errLFUNoIdle)
		return
	}
	c.Int(c.srv.ks.IdleSeconds(e.Access))
}

// OBJECT FREQ key
func cmdObjectFreq(c *Ctx, args [][]byte) {
	e := objectLookup(c, args[2])
	if e == nil {
		return
	}
	if !c.srv.lfuPolicy() {
		c.Error(errNoLFU)
		return
	}
	c.Int(c.srv.ks.Frequency(e.Access))
}

// OBJECT HELP
func cmdObjectHelp(c *Ctx, args [][]byte) {
	lines := []string{
		"OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
		"ENCODING <key>",
		"    Return the kind of internal representation used in order to store the value",
		"    associated with a <key>.",
		"FREQ <key>",
		"    Return the access frequency index of the <key>. The returned integer is",
		"    proportional to the logarithm of the recent access frequency of the key.",
		"IDLETIME <key>",
		"    Return the idle time of the <key>, that is the approximated number of",
		"    seconds elapsed since the last access to the key.",
		"REFCOUNT <key>",
		"    Return the number of references of the value associated with the specified",
		"    <key>.",
		"HELP",
		"    Prints this help.",
	}
	c.Array(len(lines))
	for _, l := range lines {
		c.Simple(l)
	}
}

func registerObjectCommands(t *Table) {
	ksSlow := []string{"keyspace", "slow"}
	sub := func(name, since, summary string, h func(*Ctx, [][]byte)) *Command {
		return &Command{Name: name, Arity: 3, Flags: FlagReadonly, ACL: ksSlow, Group: "generic", Since: since,
			Summary: summary, Usage: "key", FirstKey: 2, LastKey: 2, KeyStep: 1, Handler: h}
	}
	t.Add(&Command{Name: "object", Arity: -2, ACL: []string{"slow"}, Group: "generic", Since: "2.2.3",
		Summary: "A container for object introspection commands.", Lock: LockNone,
		Subcommands: Sub(
			sub("encoding", "2.2.3", "Returns the internal encoding of a key's value.", cmdObjectEncoding),
			sub("refcount", "2.2.3", "Returns the reference count of a key's value.", cmdObjectRefcount),
			sub("idletime", "2.2.3", "Returns the seconds since a key was last accessed.", cmdObjectIdletime),
			sub("freq", "4.0.0", "Returns the logarithmic access frequency counter of a key.", cmdObjectFreq),
			&Command{Name: "help", Arity: 2, Flags: FlagLoading | FlagStale, ACL: ksSlow, Group: "generic", Since: "6.2.0",
				Summary: "Returns helpful text about the different subcommands.", Lock: LockNone, Handler: cmdObjectHelp},
		)})
}
