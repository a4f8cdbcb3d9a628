package server

// String commands. (More of the family lands here; GET and SET show the
// pattern: parse, operate on the entry under the dispatcher's lock, reply.)

import (
	"math"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/num"
)

func init() { familyRegistrars = append(familyRegistrars, registerStringCommands) }

// embstrMaxLen is OBJ_ENCODING_EMBSTR_SIZE_LIMIT.
const embstrMaxLen = 44

// stringEncoding picks the encoding Redis's tryObjectEncoding would report.
func stringEncoding(v []byte) keyspace.Encoding {
	if len(v) <= 20 {
		if _, ok := num.ParseInt(v); ok {
			return keyspace.EncInt
		}
	}
	if len(v) <= embstrMaxLen {
		return keyspace.EncEmbstr
	}
	return keyspace.EncRaw
}

// newString builds a string entry owning a copy of v.
func newString(v []byte) keyspace.Entry {
	return keyspace.Entry{Type: keyspace.TypeString, Enc: stringEncoding(v), Str: clone(v)}
}

// getString looks key up for reading as a string. ok is false when the key
// holds another type (the WRONGTYPE error has been sent).
func (c *Ctx) getString(key []byte) (e *keyspace.Entry, ok bool) {
	e = c.Lookup(key)
	if e == nil {
		c.srv.stats.keyspaceMiss.Add(c.id, 1)
		return nil, true
	}
	c.srv.stats.keyspaceHits.Add(c.id, 1)
	if e.Type != keyspace.TypeString {
		c.Error(ErrWrongType)
		return nil, false
	}
	return e, true
}

// GET key
func cmdGet(c *Ctx, args [][]byte) {
	e, ok := c.getString(args[1])
	if !ok {
		return
	}
	if e == nil {
		c.Null()
		return
	}
	c.Bulk(e.Str)
}

// setFlags are the options of SET (and GETEX's subset).
type setFlags uint16

const (
	setNX setFlags = 1 << iota
	setXX
	setGet
	setKeepTTL
	setEX
	setPX
	setEXAT
	setPXAT
	setPersist
)

// parseExpireOptions parses SET/GETEX options starting at args[i:]. allowed
// limits which ones the command accepts. It returns the flags and the
// absolute expiry in ms (0 when none), or replies with an error.
func (c *Ctx) parseSetOptions(args [][]byte, allowed setFlags, cmdName string) (setFlags, int64, bool) {
	var flags setFlags
	var expireArg []byte
	expireFlags := setEX | setPX | setEXAT | setPXAT
	for i := 0; i < len(args); i++ {
		a := args[i]
		hasNext := i+1 < len(args)
		switch {
		case allowed&setNX != 0 && eq(a, "nx") && flags&(setXX) == 0:
			flags |= setNX
		case allowed&setXX != 0 && eq(a, "xx") && flags&(setNX) == 0:
			flags |= setXX
		case allowed&setGet != 0 && eq(a, "get"):
			flags |= setGet
		case allowed&setKeepTTL != 0 && eq(a, "keepttl") && flags&(expireFlags|setPersist) == 0:
			flags |= setKeepTTL
		case allowed&setPersist != 0 && eq(a, "persist") && flags&(expireFlags|setKeepTTL) == 0:
			flags |= setPersist
		case eq(a, "ex") && hasNext && flags&(expireFlags|setKeepTTL|setPersist) == 0:
			flags |= setEX
			i++
			expireArg = args[i]
		case eq(a, "px") && hasNext && flags&(expireFlags|setKeepTTL|setPersist) == 0:
			flags |= setPX
			i++
			expireArg = args[i]
		case eq(a, "exat") && hasNext && flags&(expireFlags|setKeepTTL|setPersist) == 0:
			flags |= setEXAT
			i++
			expireArg = args[i]
		case eq(a, "pxat") && hasNext && flags&(expireFlags|setKeepTTL|setPersist) == 0:
			flags |= setPXAT
			i++
			expireArg = args[i]
		default:
			c.Error(ErrSyntax)
			return 0, 0, false
		}
	}
	if flags&expireFlags == 0 {
		return flags, 0, true
	}
	v, ok := c.intArg(expireArg)
	if !ok {
		return 0, 0, false
	}
	if v <= 0 {
		c.Error("ERR invalid expire time in '" + cmdName + "' command")
		return 0, 0, false
	}
	switch {
	case flags&(setEX|setEXAT) != 0:
		if v > math.MaxInt64/1000 {
			c.Error("ERR invalid expire time in '" + cmdName + "' command")
			return 0, 0, false
		}
		v *= 1000
	}
	if flags&(setEX|setPX) != 0 {
		if v > math.MaxInt64-c.now {
			c.Error("ERR invalid expire time in '" + cmdName + "' command")
			return 0, 0, false
		}
		v += c.now
	}
	return flags, v, true
}

// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
func cmdSet(c *Ctx, args [][]byte) {
	flags, at, ok := c.parseSetOptions(args[3:], setNX|setXX|setGet|setKeepTTL, "set")
	if !ok {
		return
	}
	key := args[1]
	old := c.LookupWrite(key)
	if flags&setGet != 0 {
		if old != nil && old.Type != keyspace.TypeString {
			c.Error(ErrWrongType)
			return
		}
	}
	if (flags&setNX != 0 && old != nil) || (flags&setXX != 0 && old == nil) {
		if flags&setGet != 0 {
			c.replyOldValue(old)
		} else {
			c.Null()
		}
		return
	}
	if flags&setGet != 0 {
		c.replyOldValue(old)
	}
	e := newString(args[2])
	if flags&setKeepTTL != 0 && old != nil {
		e.Expire = old.Expire
	}
	if at != 0 {
		e.Expire = at
	}
	c.db.Put(key, e)
	c.Modified(key)
	c.Notify(NotifyString, "set", key)
	if at != 0 {
		c.Notify(NotifyGeneric, "expire", key)
	}
	if at != 0 {
		c.Propagate([]byte("SET"), key, args[2], []byte("PXAT"), num.AppendInt(nil, at))
	}
	if flags&setGet == 0 {
		c.OK()
	}
}

func (c *Ctx) replyOldValue(old *keyspace.Entry) {
	if old == nil {
		c.Null()
		return
	}
	c.Bulk(old.Str)
}

func registerStringCommands(t *Table) {
	str := []string{"string"}
	t.Add(
		&Command{Name: "get", Arity: 2, Flags: FlagReadonly | FlagFast, ACL: str, Group: "string", Since: "1.0.0",
			Summary: "Returns the string value of a key.", Usage: "key", FirstKey: 1, LastKey: 1, KeyStep: 1, Handler: cmdGet},
		&Command{Name: "set", Arity: -3, Flags: FlagWrite | FlagDenyOOM, ACL: str, Group: "string", Since: "1.0.0",
			Summary:  "Sets a key to a string value, optionally with a TTL or only if it (does not) exist.",
			Usage:    "key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]",
			FirstKey: 1, LastKey: 1, KeyStep: 1, Handler: cmdSet},
	)
}
