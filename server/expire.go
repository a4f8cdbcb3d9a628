package server

// The TTL commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with NX, XX, GT,
// LT), TTL, PTTL, EXPIRETIME, PEXPIRETIME and PERSIST, after Redis's
// expire.c. A TTL is stored as an absolute unix time in milliseconds, and
// every EXPIRE variant propagates as PEXPIREAT with that time, so replicas
// and the AOF agree however late they apply it.

import (
	"math"

	"github.com/vireodb/vireo/datatypes/num"
)

func init() { familyRegistrars = append(familyRegistrars, registerExpireCommands) }

// expireFlags are EXPIRE's NX/XX/GT/LT options.
type expireFlags uint8

const (
	expireNX expireFlags = 1 << iota
	expireXX
	expireGT
	expireLT
)

// parseExpireFlags is Redis's parseExtendedExpireArgumentsOrReply.
func (c *Ctx) parseExpireFlags(opts [][]byte) (expireFlags, bool) {
	var f expireFlags
	for _, o := range opts {
		switch {
		case eq(o, "nx"):
			f |= expireNX
		case eq(o, "xx"):
			f |= expireXX
		case eq(o, "gt"):
			f |= expireGT
		case eq(o, "lt"):
			f |= expireLT
		default:
			c.Error(sanitizeErr(append([]byte("ERR Unsupported option "), o...)))
			return 0, false
		}
	}
	if f&expireNX != 0 && f&(expireXX|expireGT|expireLT) != 0 {
		c.Error("ERR NX and XX, GT or LT options at the same time are not compatible")
		return 0, false
	}
	if f&expireGT != 0 && f&expireLT != 0 {
		c.Error("ERR GT and LT options at the same time are not compatible")
		return 0, false
	}
	return f, true
}

// EXPIRE key seconds [NX | XX | GT | LT]
func cmdExpire(c *Ctx, args [][]byte) { expireKey(c, args, c.now, true) }

// PEXPIRE key milliseconds [NX | XX | GT | LT]
func cmdPExpire(c *Ctx, args [][]byte) { expireKey(c, args, c.now, false) }

// EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
func cmdExpireAt(c *Ctx, args [][]byte) { expireKey(c, args, 0, true) }

// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
func cmdPExpireAt(c *Ctx, args [][]byte) { expireKey(c, args, 0, false) }

// expireKey is Redis's expireGenericCommand: basetime is the command's clock
// for the relative variants and 0 for the absolute ones.
func expireKey(c *Ctx, args [][]byte, basetime int64, seconds bool) {
	key := args[1]
	flags, ok := c.parseExpireFlags(args[3:])
	if !ok {
		return
	}
	when, ok := c.intArg(args[2])
	if !ok {
		return
	}
	// Negative times are allowed (they delete the key); only overflow of
	// the unit conversion or the addition is an error.
	if seconds {
		if when > math.MaxInt64/1000 || when < math.MinInt64/1000 {
			c.errInvalidExpire()
			return
		}
		when *= 1000
	}
	if when > math.MaxInt64-basetime {
		c.errInvalidExpire()
		return
	}
	when += basetime

	e := c.LookupWrite(key)
	if e == nil {
		c.Int(0)
		return
	}
	if flags != 0 {
		current := e.Expire // 0: no TTL, an infinite one for GT/LT
		switch {
		case flags&expireNX != 0 && current != 0,
			flags&expireXX != 0 && current == 0,
			flags&expireGT != 0 && (current == 0 || when <= current),
			flags&expireLT != 0 && current != 0 && when >= current:
			c.Int(0)
			return
		}
	}

	if when <= c.now && !c.srv.ks.IsReplica() {
		// Already expired: delete now and propagate the DEL, not the
		// EXPIRE, so replicas do not depend on their own clock.
		c.db.Delete(key)
		c.Modified(key)
		c.Notify(NotifyGeneric, "del", key)
		c.Propagate([]byte("DEL"), key)
		c.Int(1)
		return
	}
	c.db.SetExpire(key, e, when)
	c.Modified(key)
	c.Notify(NotifyGeneric, "expire", key)
	if !(basetime == 0 && !seconds) {
		// As Redis's rewriteClientCommandArgument: the name and the time
		// change, the options stay.
		prop := make([][]byte, 0, len(args))
		prop = append(prop, []byte("PEXPIREAT"), key, num.AppendInt(nil, when))
		c.Propagate(append(prop, args[3:]...)...)
	}
	c.Int(1)
}

func (c *Ctx) errInvalidExpire() {
	c.Error("ERR invalid expire time in '" + c.cmd.Name + "' command")
}

// TTL key
func cmdTTL(c *Ctx, args [][]byte) { replyTTL(c, args[1], false, false) }

// PTTL key
func cmdPTTL(c *Ctx, args [][]byte) { replyTTL(c, args[1], true, false) }

// EXPIRETIME key
func cmdExpireTime(c *Ctx, args [][]byte) { replyTTL(c, args[1], false, true) }

// PEXPIRETIME key
func cmdPExpireTime(c *Ctx, args [][]byte) { replyTTL(c, args[1], true, true) }

// replyTTL is Redis's ttlGenericCommand: -2 for a missing key, -1 for one
// without TTL, else the remaining (or absolute) time, rounded to the nearest
// second for the second variants.
func replyTTL(c *Ctx, key []byte, ms, abs bool) {
	e := c.lookupRead(key, readNoTouch)
	if e == nil {
		c.Int(-2)
		return
	}
	if e.Expire == 0 {
		c.Int(-1)
		return
	}
	ttl := e.Expire
	if !abs {
		ttl -= c.now
	}
	ttl = max(ttl, 0)
	if !ms {
		// Rounded to the nearest second; unsigned so that an expiry near
		// the int64 limit rounds like Redis's reply instead of wrapping.
		ttl = int64((uint64(ttl) + 500) / 1000)
	}
	c.Int(ttl)
}

// PERSIST key
func cmdPersist(c *Ctx, args [][]byte) {
	key := args[1]
	e := c.LookupWrite(key)
	if e == nil || e.Expire == 0 {
		c.Int(0)
		return
	}
	c.db.SetExpire(key, e, 0)
	c.Modified(key)
	c.Notify(NotifyGeneric, "persist", key)
	c.Int(1)
}

func registerExpireCommands(t *Table) {
	ks := []string{"keyspace"}
	expire := func(name, since, unit, summary string, h func(*Ctx, [][]byte)) *Command {
		return &Command{Name: name, Arity: -3, Flags: FlagWrite | FlagFast, ACL: ks, Group: "generic", Since: since,
			Summary: summary, Usage: "key " + unit + " [NX | XX | GT | LT]", FirstKey: 1, LastKey: 1, KeyStep: 1, Handler: h}
	}
	ttl := func(name, since, summary string, h func(*Ctx, [][]byte)) *Command {
		return &Command{Name: name, Arity: 2, Flags: FlagReadonly | FlagFast, ACL: ks, Group: "generic", Since: since,
			Summary: summary, Usage: "key", FirstKey: 1, LastKey: 1, KeyStep: 1, Handler: h}
	}
	t.Add(
		expire("expire", "1.0.0", "seconds", "Sets a key's time to live in seconds.", cmdExpire),
		expire("pexpire", "2.6.0", "milliseconds", "Sets a key's time to live in milliseconds.", cmdPExpire),
		expire("expireat", "1.2.0", "unix-time-seconds", "Sets a key's expiry to a unix time in seconds.", cmdExpireAt),
		expire("pexpireat", "2.6.0", "unix-time-milliseconds", "Sets a key's expiry to a unix time in milliseconds.", cmdPExpireAt),
		ttl("ttl", "1.0.0", "Returns a key's remaining time to live in seconds.", cmdTTL),
		ttl("pttl", "2.6.0", "Returns a key's remaining time to live in milliseconds.", cmdPTTL),
		ttl("expiretime", "7.0.0", "Returns a key's expiry as a unix time in seconds.", cmdExpireTime),
		ttl("pexpiretime", "7.0.0", "Returns a key's expiry as a unix time in milliseconds.", cmdPExpireTime),
		&Command{Name: "persist", Arity: 2, Flags: FlagWrite | FlagFast, ACL: ks, Group: "generic", Since: "2.2.0",
			Summary: "Removes a key's time to live.", Usage: "key", FirstKey: 1, LastKey: 1, KeyStep: 1, Handler: cmdPersist},
	)
}
