package server

// DUMP and RESTORE: a key's value serialized in Redis's RDB format, with the
// RDB version and a CRC64 in a footer (persistence/rdb builds and checks the
// payloads). Payloads are byte-compatible with Redis's, so a value dumped
// from Vireo restores into redis-server and the other way round.
//
// Each value type's RDB encoding is a codec registered in persistence/rdb
// (values.go); a type without one answers errDumpType / errRestoreType
// instead of guessing.

import (
	"errors"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/num"
	"github.com/vireodb/vireo/persistence/rdb"
)

func init() { familyRegistrars = append(familyRegistrars, registerDumpCommands) }

const (
	errBadPayload  = "ERR DUMP payload version or checksum are wrong"
	errBadFormat   = "ERR Bad data format"
	errRestoreTTL  = "ERR Invalid TTL value, must be >= 0"
	errRestoreIdle = "ERR Invalid IDLETIME value, must be >= 0"
	errRestoreFreq = "ERR Invalid FREQ value, must be >= 0 and <= 255"
	errDumpType    = "ERR DUMP is not supported yet for values of this type"
	errRestoreType = "ERR RESTORE is not supported yet for values of this type"
)

// rdbLimits are the encoding thresholds decoders need.
func (s *Server) rdbLimits() rdb.Limits { return *s.set.limits.Load() }

// restoreNoOption marks IDLETIME / FREQ as not given.
const restoreNoOption = -1

// DUMP key
func cmdDump(c *Ctx, args [][]byte) {
	e := c.lookupRead(args[1], 0)
	if e == nil {
		c.Null()
		return
	}
	payload, err := rdb.Dump(e)
	if err != nil {
		c.Error(errDumpType)
		return
	}
	c.Bulk(payload)
}

// restoreOptions are RESTORE's options after the payload.
type restoreOptions struct {
	replace, absTTL bool
	idle, freq      int64 // restoreNoOption when not given
}

// parseRestoreOptions is the option loop of Redis's restoreCommand: IDLETIME
// and FREQ exclude each other (the second one is a syntax error).
func (c *Ctx) parseRestoreOptions(opts [][]byte) (restoreOptions, bool) {
	o := restoreOptions{idle: restoreNoOption, freq: restoreNoOption}
	for j := 0; j < len(opts); j++ {
		more := j+1 < len(opts)
		switch {
		case eq(opts[j], "replace"):
			o.replace = true
		case eq(opts[j], "absttl"):
			o.absTTL = true
		case eq(opts[j], "idletime") && more && o.freq == restoreNoOption:
			v, ok := c.intArg(opts[j+1])
			if !ok {
				return o, false
			}
			if v < 0 {
				c.Error(errRestoreIdle)
				return o, false
			}
			o.idle = v
			j++
		case eq(opts[j], "freq") && more && o.idle == restoreNoOption:
			v, ok := c.intArg(opts[j+1])
			if !ok {
				return o, false
			}
			if v < 0 || v > 255 {
				c.Error(errRestoreFreq)
				return o, false
			}
			o.freq = v
			j++
		default:
			c.Error(ErrSyntax)
			return o, false
		}
	}
	return o, true
}

// decodeDump turns a payload into an entry, replying with Redis's error
// when it cannot.
func (c *Ctx) decodeDump(payload []byte) (keyspace.Entry, bool) {
	typ, body, err := rdb.ParseDump(payload)
	if err != nil {
		if errors.Is(err, rdb.ErrBadPayload) {
			c.Error(errBadPayload)
		} else {
			c.Error(errBadFormat)
		}
		return keyspace.Entry{}, false
	}
	e, err := rdb.DecodeValue(typ, body, c.srv.rdbLimits())
	if err != nil {
		if rdb.IsObjectType(typ) && !rdb.HasDecoder(typ) {
			c.Error(errRestoreType)
		} else {
			c.Error(errBadFormat)
		}
		return keyspace.Entry{}, false
	}
	if e.Type == keyspace.TypeString {
		// Re-encode as Redis's tryObjectEncoding does after loading.
		e = newString(e.Str)
	}
	return e, true
}

// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
func cmdRestore(c *Ctx, args [][]byte) {
	key := args[1]
	o, ok := c.parseRestoreOptions(args[4:])
	if !ok {
		return
	}
	if !o.replace && c.LookupWrite(key) != nil {
		c.Error(ErrBusyKey)
		return
	}
	ttl, ok := c.intArg(args[2])
	if !ok {
		return
	}
	if ttl < 0 {
		c.Error(errRestoreTTL)
		return
	}
	e, ok := c.decodeDump(args[3])
	if !ok {
		return
	}

	deleted := o.replace && c.db.Delete(key)
	if ttl != 0 && !o.absTTL {
		ttl += c.now // wraps on overflow exactly like Redis's long long sum
	}
	if ttl != 0 && ttl <= c.now && !c.srv.ks.IsReplica() {
		// Already expired: the value is not stored; a replaced key is gone.
		if deleted {
			c.Modified(key)
			c.Notify(NotifyGeneric, "del", key)
			c.Propagate([]byte("DEL"), key)
		}
		c.OK()
		return
	}

	e.Expire = ttl
	c.db.Put(key, e)
	// Redis's objectSetLRUOrLFU: under an LFU policy FREQ sets the counter;
	// otherwise IDLETIME sets the access clock back.
	if lfu := c.srv.lfuPolicy(); (lfu && o.freq != restoreNoOption) || (!lfu && o.idle != restoreNoOption) {
		if stored := c.db.LookupNoTouch(key, c.now); stored != nil {
			if lfu {
				stored.Access = c.srv.ks.SetFrequency(int(o.freq))
			} else {
				stored.Access = c.srv.ks.IdleAccess(o.idle)
			}
		}
	}
	c.Notify(NotifyNew, "new", key)
	c.Modified(key)
	c.Notify(NotifyGeneric, "restore", key)
	if ttl != 0 && !o.absTTL {
		// Propagate the TTL as an absolute time (as Redis 7.4 does), so a
		// replica or the AOF replayed later expires the key at the same
		// moment.
		prop := make([][]byte, 0, len(args)+1)
		prop = append(prop, args[:2]...)
		prop = append(prop, num.AppendInt(nil, ttl))
		prop = append(prop, args[3:]...)
		c.Propagate(append(prop, []byte("ABSTTL"))...)
	}
	c.OK()
}

func registerDumpCommands(t *Table) {
	t.Add(
		&Command{Name: "dump", Arity: 2, Flags: FlagReadonly, ACL: []string{"keyspace", "slow"}, Group: "generic", Since: "2.6.0",
			Summary: "Returns a serialized representation of a key's value.", Usage: "key", FirstKey: 1, LastKey: 1, KeyStep: 1, Handler: cmdDump},
		&Command{Name: "restore", Arity: -4, Flags: FlagWrite | FlagDenyOOM, ACL: []string{"keyspace", "slow", "dangerous"}, Group: "generic", Since: "2.6.0",
			Summary: "Creates a key from the serialized value DUMP returned.",
			Usage:   "key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]", FirstKey: 1, LastKey: 1, KeyStep: 1, Handler: cmdRestore},
		// MIGRATE's target side in cluster mode; outside it, RESTORE itself.
		&Command{Name: "restore-asking", Arity: -4, Flags: FlagWrite | FlagDenyOOM | FlagAsking, ACL: []string{"keyspace", "slow", "dangerous"}, Group: "server", Since: "3.0.0",
			DocFlags: DocSysCmd, Summary: "An internal command for migrating keys in a cluster",
			Usage: "key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]", FirstKey: 1, LastKey: 1, KeyStep: 1, Handler: cmdRestore},
	)
}
