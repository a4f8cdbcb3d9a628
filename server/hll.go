package server

// HyperLogLog commands. An HLL is a string value in Redis's exact format
// (datatypes/hll), so GET, DUMP and every other string command see the
// same bytes as in Redis. The commands change the string in place after
// LookupWrite, as PFADD does with its sds; like Redis's
// dbUnshareStringValue, touching a value through them makes its encoding
// raw.
//
// PFCOUNT is flagged readonly, as in Redis, yet on one key it stores a
// freshly computed cardinality in the value's header; Redis then counts the
// change and propagates the PFCOUNT itself, and so does this file.

import (
	"math/rand/v2"

	"github.com/vireodb/vireo/datatypes/hll"
	"github.com/vireodb/vireo/datatypes/keyspace"
)

func init() { familyRegistrars = append(familyRegistrars, registerHLLCommands) }

// Errors only this family sends (Redis's isHLLObjectOrReply and
// invalid_hll_err).
const (
	errHLLWrongType  = "WRONGTYPE Key is not a valid HyperLogLog string value."
	errHLLCorrupt    = "INVALIDOBJ Corrupted HLL object detected"
	errHLLNoKey      = "ERR The specified key does not exist"
	errHLLNotSparse  = "ERR HLL encoding is not sparse"
	errPFDebugPrefix = "ERR Unknown PFDEBUG subcommand '"
)

// checkHLL is isHLLObjectOrReply: e must be a string holding a valid HLL
// header (and the exact length when dense). It replies the error if not.
func (c *Ctx) checkHLL(e *keyspace.Entry) bool {
	if e.Type != keyspace.TypeString {
		c.Error(ErrWrongType)
		return false
	}
	if e.Enc == keyspace.EncInt || !hll.IsValid(e.Str) {
		c.Error(errHLLWrongType)
		return false
	}
	return true
}

// hllSparseMax is hll-sparse-max-bytes.
func (c *Ctx) hllSparseMax() int { return int(c.srv.set.hllSparseMaxBytes.Load()) }

// putNewHLL stores a new HLL under key (Redis's dbAdd of createHLLObject).
func (c *Ctx) putNewHLL(key, s []byte) {
	c.db.Put(key, keyspace.Entry{Type: keyspace.TypeString, Enc: keyspace.EncRaw, Str: s})
	c.Notify(NotifyNew, "new", key)
}

// PFADD key [element [element ...]]
func cmdPFAdd(c *Ctx, args [][]byte) {
	key := args[1]
	e := c.LookupWrite(key)
	var s []byte
	updated := 0
	if e == nil {
		s = hll.New()
		c.putNewHLL(key, s)
		e = c.LookupWrite(key)
		updated++
	} else {
		if !c.checkHLL(e) {
			return
		}
		s = e.Str
		e.Enc = keyspace.EncRaw
	}
	maxBytes := c.hllSparseMax()
	for _, ele := range args[2:] {
		var changed bool
		var err error
		s, changed, err = hll.Add(s, ele, maxBytes)
		e.Str = s // a corrupt HLL keeps the elements added before the error, as in Redis
		if err != nil {
			c.Error(errHLLCorrupt)
			return
		}
		if changed {
			updated++
		}
	}
	if updated == 0 {
		c.Int(0)
		return
	}
	hll.InvalidateCache(s)
	c.Modified(key)
	c.dirty += updated - 1 // Redis counts every changed register
	c.Notify(NotifyString, "pfadd", key)
	c.Int(1)
}

// PFCOUNT key [key ...]
func cmdPFCount(c *Ctx, args [][]byte) {
	if len(args) > 2 {
		// The union's cardinality, merged into a temporary.
		m := new(hll.Max)
		for _, key := range args[1:] {
			e := c.lookupRead(key, 0)
			if e == nil {
				continue
			}
			if !c.checkHLL(e) {
				return
			}
			if m.Merge(e.Str) != nil {
				c.Error(errHLLCorrupt)
				return
			}
		}
		c.Int(int64(m.Count()))
		return
	}

	key := args[1]
	e := c.lookupRead(key, 0)
	if e == nil {
		c.Int(0)
		return
	}
	if !c.checkHLL(e) {
		return
	}
	card, valid := hll.CachedCard(e.Str)
	if !valid || e.Enc != keyspace.EncRaw {
		e = c.LookupWrite(key) // about to change: let a running snapshot keep the old value
		e.Enc = keyspace.EncRaw
	}
	if !valid {
		var err error
		if card, err = hll.Count(e.Str); err != nil {
			c.Error(errHLLCorrupt)
			return
		}
		hll.SetCachedCard(e.Str, card)
		c.Modified(key)
		c.Propagate(args...)
	}
	c.Int(int64(card)) // 1<<63 (corrupt registers) reads as negative, as in Redis
}

// PFMERGE destkey [sourcekey [sourcekey ...]]
func cmdPFMerge(c *Ctx, args [][]byte) {
	m := new(hll.Max)
	useDense := false
	for _, key := range args[1:] { // the destination is merged too
		e := c.lookupRead(key, 0)
		if e == nil {
			continue
		}
		if !c.checkHLL(e) {
			return
		}
		if hll.Encoding(e.Str) == hll.Dense {
			useDense = true
		}
		if m.Merge(e.Str) != nil {
			c.Error(errHLLCorrupt)
			return
		}
	}

	key := args[1]
	e := c.LookupWrite(key)
	if e == nil {
		c.putNewHLL(key, hll.New())
		e = c.LookupWrite(key)
	}
	e.Enc = keyspace.EncRaw
	s := e.Str
	if useDense {
		d, err := hll.ToDense(s)
		if err != nil {
			c.Error(errHLLCorrupt)
			return
		}
		s = d
	}
	e.Str = m.WriteTo(s, c.hllSparseMax())
	c.Modified(key)
	// Redis sends pfadd: a merge is a mass add of elements.
	c.Notify(NotifyString, "pfadd", key)
	c.OK()
}

// PFDEBUG <GETREG | DECODE | ENCODING | TODENSE> key
func cmdPFDebug(c *Ctx, args [][]byte) {
	sub, key := args[1], args[2]
	e := c.LookupWrite(key)
	if e == nil {
		c.Error(errHLLNoKey)
		return
	}
	if !c.checkHLL(e) {
		return
	}
	e.Enc = keyspace.EncRaw
	// toDense converts the value; the change is propagated (PFDEBUG is a
	// write command) but, as in Redis, WATCH is not told.
	toDense := func() bool {
		if hll.Encoding(e.Str) != hll.Sparse {
			return true
		}
		d, err := hll.ToDense(e.Str)
		if err != nil {
			c.Error(errHLLCorrupt)
			return false
		}
		e.Str = d
		c.dirty++
		return true
	}
	switch {
	case eq(sub, "getreg"):
		if !toDense() {
			return
		}
		regs, _ := hll.DenseRegisters(e.Str)
		c.Array(len(regs))
		for _, r := range regs {
			c.Int(int64(r))
		}
	case eq(sub, "decode"):
		if hll.Encoding(e.Str) != hll.Sparse {
			c.Error(errHLLNotSparse)
			return
		}
		c.BulkString(hll.Decode(e.Str))
	case eq(sub, "encoding"):
		if hll.Encoding(e.Str) == hll.Dense {
			c.Simple("dense")
		} else {
			c.Simple("sparse")
		}
	case eq(sub, "todense"):
		sparse := hll.Encoding(e.Str) == hll.Sparse
		if !toDense() {
			return
		}
		if sparse {
			c.Int(1)
		} else {
			c.Int(0)
		}
	default:
		msg := appendTrunc([]byte(errPFDebugPrefix), sub, len(sub))
		c.Error(sanitizeErr(append(msg, '\'')))
	}
}

// PFSELFTEST
func cmdPFSelfTest(c *Ctx, args [][]byte) {
	if err := hll.SelfTest(c.hllSparseMax(), rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))); err != nil {
		c.Error("ERR " + err.Error()) // addReplyError adds ERR to Redis's TESTFAILED texts
		return
	}
	c.OK()
}

func registerHLLCommands(t *Table) {
	group := func(cmd *Command) *Command {
		cmd.Group, cmd.Since = "hyperloglog", "2.8.9"
		return cmd
	}
	t.Add(
		group(&Command{Name: "pfadd", Arity: -2, Flags: FlagWrite | FlagDenyOOM | FlagFast, ACL: []string{"hyperloglog"},
			Summary: "Adds elements to a HyperLogLog key, creating it if needed.", Usage: "key [element [element ...]]",
			FirstKey: 1, LastKey: 1, KeyStep: 1, Handler: cmdPFAdd}),
		group(&Command{Name: "pfcount", Arity: -2, Flags: FlagReadonly | FlagMayReplicate, ACL: []string{"hyperloglog", "slow"},
			Summary: "Estimates the number of distinct elements added to one HyperLogLog, or to the union of several.",
			Usage:   "key [key ...]", FirstKey: 1, LastKey: -1, KeyStep: 1, Handler: cmdPFCount}),
		group(&Command{Name: "pfmerge", Arity: -2, Flags: FlagWrite | FlagDenyOOM, ACL: []string{"hyperloglog", "slow"},
			Summary: "Merges HyperLogLog keys into a destination key.", Usage: "destkey [sourcekey [sourcekey ...]]",
			FirstKey: 1, LastKey: -1, KeyStep: 1, Handler: cmdPFMerge}),
		group(&Command{Name: "pfdebug", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagAdmin,
			ACL:     []string{"hyperloglog", "slow", "dangerous"},
			Summary: "Inspects or converts the internal representation of a HyperLogLog key.",
			Usage:   "subcommand key", FirstKey: 2, LastKey: 2, KeyStep: 1, Handler: cmdPFDebug}),
		group(&Command{Name: "pfselftest", Arity: 1, Flags: FlagAdmin, ACL: []string{"hyperloglog", "slow", "dangerous"},
			Summary: "Tests the HyperLogLog implementation's registers and estimator.",
			Lock:    LockNone, Handler: cmdPFSelfTest}),
	)
}
