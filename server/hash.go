package server

// Hash commands: parse, operate on the datatypes/hash value under the
// dispatcher's shard locks, reply. Replies, error texts and their order
// follow redis-server 7.0.15 (t_hash.c); effects (keyspace events, dirty
// counts, propagation) follow Redis 7.2.
//
// A hash key is an Entry{Type: TypeHash} that keeps a compact hash's bytes
// in Str and a table in Obj (*hash.Hash; see hash.View and hash.Parts), with
// an Enc that says listpack or hashtable as OBJECT ENCODING must; every write
// stores the hash back through storeHash, which keeps both current. The conversion thresholds are read from the
// server's hot limits on each write, so a CONFIG SET affects later writes
// only, as in Redis. A hash that loses its last field is deleted.

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"

	"github.com/vireodb/vireo/datatypes/hash"
	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/num"
)

func init() {
	familyRegistrars = append(familyRegistrars, registerHashCommands)
	valueDigesters[keyspace.TypeHash] = digestHash
}

// digestHash is the hash branch of Redis's xorObjectDigest: each pair's
// field and value mixed into a digest of their own, XORed into d, so the
// order (which differs between encodings and servers) does not matter.
func digestHash(d *digest, e *keyspace.Entry) {
	var tmp hash.Hash
	hashOf(e, &tmp).Range(func(f, v []byte) bool {
		var pair digest
		pair.mix(f)
		pair.mix(v)
		d.xor(pair[:])
		return true
	})
}

// Errors only this family sends.
const (
	errHashNotInteger   = "ERR hash value is not an integer"
	errHashNotFloat     = "ERR hash value is not a float"
	errIncrNaNOrInf     = "ERR value is NaN or Infinity"
	errHRandCountRange  = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
	errHRandValuesRange = "ERR value is out of range"
)

// hrandfieldMaxReply bounds the reply HRANDFIELD with a huge negative count
// builds: past it the client is disconnected, as Redis does once a reply
// exceeds the output buffer limit, instead of growing without end.
const hrandfieldMaxReply = 1 << 30

var argHSET = []byte("HSET")

// hashLimits are the current conversion thresholds.
func (c *Ctx) hashLimits() hash.Limits {
	l := c.srv.Limits()
	return hash.Limits{MaxListpackEntries: l.HashMaxListpackEntries, MaxListpackValue: l.HashMaxListpackValue}
}

// hashEncoding is the encoding OBJECT ENCODING reports for h.
func hashEncoding(h *hash.Hash) keyspace.Encoding {
	if h.IsCompact() {
		return keyspace.EncListpack
	}
	return keyspace.EncHashtable
}

// hashOf returns the hash e holds, in *tmp while it is compact.
func hashOf(e *keyspace.Entry, tmp *hash.Hash) *hash.Hash { return hash.View(e.Str, e.Obj, tmp) }

// storeHash writes h, changed, back into e and keeps e's encoding current.
func storeHash(e *keyspace.Entry, h *hash.Hash) {
	e.Str, e.Obj = hash.Parts(h, e.Obj)
	e.Enc = hashEncoding(h)
}

// getHash looks key up for reading as a hash (lookupKeyRead: statistics and
// the keymiss event), using *tmp for a compact one. h is nil when the key is
// missing; ok is false when it holds another type (WRONGTYPE has been sent).
func (c *Ctx) getHash(key []byte, tmp *hash.Hash) (h *hash.Hash, ok bool) {
	e := c.lookupRead(key, 0)
	if e == nil {
		return nil, true
	}
	if e.Type != keyspace.TypeHash {
		c.Error(ErrWrongType)
		return nil, false
	}
	return hashOf(e, tmp), true
}

// getHashWrite looks key up for modification, using *tmp for a compact hash;
// after changing h the caller stores it back with storeHash. e is nil when
// the key is missing; ok is false when it holds another type (WRONGTYPE has
// been sent).
func (c *Ctx) getHashWrite(key []byte, tmp *hash.Hash) (e *keyspace.Entry, h *hash.Hash, ok bool) {
	e = c.LookupWrite(key)
	if e == nil {
		return nil, nil, true
	}
	if e.Type != keyspace.TypeHash {
		c.Error(ErrWrongType)
		return nil, nil, false
	}
	return e, hashOf(e, tmp), true
}

// putNewHash stores h, filled by the caller, as a new key (Redis's dbAdd,
// with its "new" event).
func (c *Ctx) putNewHash(key []byte, h *hash.Hash) {
	e := keyspace.Entry{Type: keyspace.TypeHash}
	storeHash(&e, h)
	c.db.Put(key, e)
	c.Notify(NotifyNew, "new", key)
}

// setHashField sets one field of key, creating the hash if e is nil, and
// stores it back.
func (c *Ctx) setHashField(key []byte, e *keyspace.Entry, h *hash.Hash, field, value []byte) {
	if e == nil {
		var fresh hash.Hash
		fresh.Grow(1, len(field)+len(value))
		fresh.Set(field, value, c.hashLimits())
		c.putNewHash(key, &fresh)
		return
	}
	h.Set(field, value, c.hashLimits())
	storeHash(e, h)
}

// HSET key field value [field value ...] (also HMSET, which replies OK)
func cmdHSet(c *Ctx, args [][]byte) {
	if len(args)%2 == 1 {
		c.Error(errArity(c.cmd.Name))
		return
	}
	key := args[1]
	var tmp hash.Hash
	e, h, ok := c.getHashWrite(key, &tmp)
	if !ok {
		return
	}
	lim := c.hashLimits()
	pairs := args[2:]
	data, tooLong := 0, false
	for _, a := range pairs {
		data += len(a)
		tooLong = tooLong || len(a) > lim.MaxListpackValue
	}
	if e == nil {
		h = &tmp
		if !tooLong {
			h.Grow(len(pairs)/2, data)
		}
	}
	if tooLong {
		// Redis's hashTypeTryConversion: one argument too long for the
		// compact encoding converts before anything is inserted.
		h.Convert()
	}
	created := 0
	for i := 0; i < len(pairs); i += 2 {
		if h.Set(pairs[i], pairs[i+1], lim) {
			created++
		}
	}
	if e == nil {
		c.putNewHash(key, h)
	} else {
		storeHash(e, h)
	}
	if c.cmd.Name == "hset" {
		c.Int(int64(created))
	} else {
		c.OK()
	}
	c.Modified(key)
	c.Notify(NotifyHash, "hset", key)
	c.dirty += len(pairs)/2 - 1 // Redis counts one change per pair
}

// HSETNX key field value
func cmdHSetNX(c *Ctx, args [][]byte) {
	key, field := args[1], args[2]
	var tmp hash.Hash
	e, h, ok := c.getHashWrite(key, &tmp)
	if !ok {
		return
	}
	if h != nil && h.Has(field) {
		c.Int(0)
		return
	}
	c.setHashField(key, e, h, field, args[3])
	c.Int(1)
	c.Modified(key)
	c.Notify(NotifyHash, "hset", key)
}

// HGET key field
func cmdHGet(c *Ctx, args [][]byte) {
	var tmp hash.Hash
	h, ok := c.getHash(args[1], &tmp)
	if !ok {
		return
	}
	if h == nil {
		c.Null()
		return
	}
	if v, found := h.Get(args[2]); found {
		c.Bulk(v)
	} else {
		c.Null()
	}
}

// HMGET key field [field ...]
func cmdHMGet(c *Ctx, args [][]byte) {
	var tmp hash.Hash
	h, ok := c.getHash(args[1], &tmp)
	if !ok {
		return
	}
	c.Array(len(args) - 2)
	for _, field := range args[2:] {
		var v []byte
		found := false
		if h != nil {
			v, found = h.Get(field)
		}
		if found {
			c.Bulk(v)
		} else {
			c.Null()
		}
	}
}

// HDEL key field [field ...]
func cmdHDel(c *Ctx, args [][]byte) {
	key := args[1]
	var tmp hash.Hash
	e, h, ok := c.getHashWrite(key, &tmp)
	if !ok {
		return
	}
	if e == nil {
		c.Int(0)
		return
	}
	deleted, removed := 0, false
	for _, field := range args[2:] {
		if h.Delete(field) {
			deleted++
			if h.Len() == 0 {
				c.db.Delete(key)
				removed = true
				break
			}
		}
	}
	if deleted > 0 {
		if !removed {
			storeHash(e, h)
		}
		c.Modified(key)
		c.Notify(NotifyHash, "hdel", key)
		if removed {
			c.Notify(NotifyGeneric, "del", key)
		}
		c.dirty += deleted - 1
	}
	c.Int(int64(deleted))
}

// HLEN key
func cmdHLen(c *Ctx, args [][]byte) {
	var tmp hash.Hash
	h, ok := c.getHash(args[1], &tmp)
	if !ok {
		return
	}
	if h == nil {
		c.Int(0)
		return
	}
	c.Int(int64(h.Len()))
}

// HSTRLEN key field
func cmdHStrlen(c *Ctx, args [][]byte) {
	var tmp hash.Hash
	h, ok := c.getHash(args[1], &tmp)
	if !ok {
		return
	}
	var v []byte
	if h != nil {
		v, _ = h.Get(args[2])
	}
	c.Int(int64(len(v)))
}

// HEXISTS key field
func cmdHExists(c *Ctx, args [][]byte) {
	var tmp hash.Hash
	h, ok := c.getHash(args[1], &tmp)
	if !ok {
		return
	}
	if h != nil && h.Has(args[2]) {
		c.Int(1)
	} else {
		c.Int(0)
	}
}

// hashParts says which halves of each pair HKEYS, HVALS and HGETALL reply with.
type hashParts uint8

const (
	hashFields hashParts = 1 << iota
	hashValues
)

// hgetall is Redis's genericHgetallCommand: a map for fields and values, a
// flat array for either alone.
func hgetall(c *Ctx, key []byte, parts hashParts) {
	var tmp hash.Hash
	h, ok := c.getHash(key, &tmp)
	if !ok {
		return
	}
	n := 0
	if h != nil {
		n = h.Len()
	}
	if parts == hashFields|hashValues {
		c.Map(n)
	} else {
		c.Array(n)
	}
	if h == nil {
		return
	}
	h.Range(func(f, v []byte) bool {
		if parts&hashFields != 0 {
			c.Bulk(f)
		}
		if parts&hashValues != 0 {
			c.Bulk(v)
		}
		return true
	})
}

// HKEYS key
func cmdHKeys(c *Ctx, args [][]byte) { hgetall(c, args[1], hashFields) }

// HVALS key
func cmdHVals(c *Ctx, args [][]byte) { hgetall(c, args[1], hashValues) }

// HGETALL key
func cmdHGetAll(c *Ctx, args [][]byte) { hgetall(c, args[1], hashFields|hashValues) }

// HINCRBY key field increment
func cmdHIncrBy(c *Ctx, args [][]byte) {
	incr, ok := c.intArg(args[3])
	if !ok {
		return
	}
	key, field := args[1], args[2]
	var tmp hash.Hash
	e, h, ok := c.getHashWrite(key, &tmp)
	if !ok {
		return
	}
	var v int64
	if h != nil {
		if old, found := h.Get(field); found {
			if v, ok = num.ParseInt(old); !ok {
				c.Error(errHashNotInteger)
				return
			}
		}
	}
	if (incr < 0 && v < 0 && incr < math.MinInt64-v) || (incr > 0 && v > 0 && incr > math.MaxInt64-v) {
		c.Error(ErrOverflow)
		return
	}
	v += incr
	var buf [20]byte
	c.setHashField(key, e, h, field, strconv.AppendInt(buf[:0], v, 10))
	c.Int(v)
	c.Modified(key)
	c.Notify(NotifyHash, "hincrby", key)
}

// HINCRBYFLOAT key field increment
func cmdHIncrByFloat(c *Ctx, args [][]byte) {
	incr, ok := parseLongDouble(args[3])
	if !ok {
		c.Error(ErrNotFloat)
		return
	}
	if incr.IsInf() {
		c.Error(errIncrNaNOrInf)
		return
	}
	key, field := args[1], args[2]
	var tmp hash.Hash
	e, h, ok := c.getHashWrite(key, &tmp)
	if !ok {
		return
	}
	value := new(big.Float).SetPrec(longDoublePrec)
	if h != nil {
		if old, found := h.Get(field); found {
			if value, ok = parseLongDouble(old); !ok {
				c.Error(errHashNotFloat)
				return
			}
		}
	}
	sum, ok := addLongDouble(value, incr)
	if !ok {
		c.Error(ErrIncrFloatNaN)
		return
	}
	str := appendLongDoubleHuman(nil, sum)
	c.setHashField(key, e, h, field, str)
	c.Bulk(str)
	c.Modified(key)
	c.Notify(NotifyHash, "hincrbyfloat", key)
	// Replicas and the AOF get the result, never the float arithmetic.
	c.Propagate(argHSET, key, field, str)
}

// HRANDFIELD key [count [WITHVALUES]]
func cmdHRandField(c *Ctx, args [][]byte) {
	if len(args) == 2 {
		var tmp hash.Hash
		h, ok := c.getHash(args[1], &tmp)
		if !ok {
			return
		}
		if h == nil {
			c.Null()
			return
		}
		f, _, _ := h.Random(rand.Uint64)
		c.Bulk(f)
		return
	}
	count, ok := c.intArg(args[2])
	if !ok {
		return
	}
	if count == math.MinInt64 {
		c.Error(errHRandCountRange)
		return
	}
	withValues := false
	if len(args) > 4 || (len(args) == 4 && !eq(args[3], "withvalues")) {
		c.Error(ErrSyntax)
		return
	}
	if len(args) == 4 {
		withValues = true
		if count < -math.MaxInt64/2 || count > math.MaxInt64/2 {
			c.Error(errHRandValuesRange)
			return
		}
	}
	hrandfieldWithCount(c, args[1], count, withValues)
}

// hrandfieldWithCount is Redis's hrandfieldWithCountCommand. RESP3 replies
// with values as an array of [field, value] pairs, RESP2 as a flat array.
func hrandfieldWithCount(c *Ctx, key []byte, count int64, withValues bool) {
	var tmp hash.Hash
	h, ok := c.getHash(key, &tmp)
	if !ok {
		return
	}
	if h == nil || count == 0 {
		c.Array(0)
		return
	}
	nested := withValues && c.proto == 3
	reply := func(f, v []byte) {
		if nested {
			c.Array(2)
		}
		c.Bulk(f)
		if withValues {
			c.Bulk(v)
		}
	}
	header := func(n int64) {
		if withValues && !nested {
			n *= 2
		}
		c.Array(int(n))
	}
	if count < 0 || count == 1 {
		// Repetitions allowed: every pick independent.
		n := count
		if n < 0 {
			n = -n
		}
		header(n)
		written := int64(0)
		for written < n {
			batch := min(n-written, 1024)
			h.RandomPairs(int(batch), rand.Uint64, func(f, v []byte) bool {
				reply(f, v)
				return true
			})
			written += batch
			if len(c.out) > hrandfieldMaxReply {
				c.closeAfterReply = true
				return
			}
		}
		return
	}
	size := int64(h.Len())
	header(min(count, size))
	h.RandomDistinct(int(min(count, size)), rand.Uint64, reply)
}

// HSCAN key cursor [MATCH pattern] [COUNT count]
func cmdHScan(c *Ctx, args [][]byte) {
	cursor, ok := parseScanCursor(args[2])
	if !ok {
		c.Error(ErrInvalidCursor)
		return
	}
	var tmp hash.Hash
	h, ok := c.getHash(args[1], &tmp)
	if !ok {
		return
	}
	if h == nil {
		c.replyScan(0, nil)
		return
	}
	opts, ok := c.parseScanOptions(args[3:])
	if !ok {
		return
	}
	count := opts.count
	// Fields and values alternate; COUNT counts fields.
	var items [][]byte
	collect := func(f, v []byte) {
		if !opts.matches(f) {
			return
		}
		items = append(items, f, v)
	}
	// Redis's scanGenericCommand stops after COUNT fields or 10×COUNT
	// buckets (COUNT already doubled for pairs), whichever comes first;
	// the pattern filters afterwards, so filtered-out fields count too.
	visited := int64(0)
	counted := func(f, v []byte) {
		visited++
		collect(f, v)
	}
	if h.IsCompact() {
		cursor = h.Scan(cursor, collect)
	} else {
		steps := int64(math.MaxInt64)
		if count <= math.MaxInt64/20 {
			steps = count * 20
		}
		for {
			cursor = h.Scan(cursor, counted)
			if cursor == 0 || steps == 0 || visited >= count {
				break
			}
			steps--
		}
	}
	c.replyScan(cursor, items)
}

func registerHashCommands(t *Table) {
	acl := []string{"hash"}
	one := func(cmd *Command) *Command {
		cmd.ACL, cmd.Group, cmd.FirstKey, cmd.LastKey, cmd.KeyStep = acl, "hash", 1, 1, 1
		return cmd
	}
	rw := FlagWrite | FlagDenyOOM | FlagFast
	ro := FlagReadonly | FlagFast
	unordered := []string{"nondeterministic_output_order"}
	random := []string{"nondeterministic_output"}
	const wholeHash = "O(N) where N is the number of fields of the hash."
	t.Add(
		one(&Command{Name: "hset", Arity: -4, Flags: rw, Since: "2.0.0",
			Summary:    "Sets fields of a hash, creating it if needed; returns how many fields are new.",
			Complexity: "O(N) where N is the number of field/value pairs given.",
			Usage:      "key field value [field value ...]", Handler: cmdHSet}),
		one(&Command{Name: "hmset", Arity: -4, Flags: rw, Since: "2.0.0",
			Summary:    "Sets fields of a hash, creating it if needed (deprecated: HSET does the same).",
			Complexity: "O(N) where N is the number of field/value pairs given.",
			DocFlags:   DocDeprecated, DeprecatedSince: "4.0.0", ReplacedBy: "`HSET` with multiple field-value pairs",
			Usage: "key field value [field value ...]", Handler: cmdHSet}),
		one(&Command{Name: "hsetnx", Arity: 4, Flags: rw, Since: "2.0.0",
			Summary: "Sets a field of a hash only if the field does not exist.", Complexity: "O(1)",
			Usage: "key field value", Handler: cmdHSetNX}),
		one(&Command{Name: "hget", Arity: 3, Flags: ro, Since: "2.0.0",
			Summary: "Returns the value of a field of a hash.", Complexity: "O(1)", Usage: "key field", Handler: cmdHGet}),
		one(&Command{Name: "hmget", Arity: -3, Flags: ro, Since: "2.0.0",
			Summary: "Returns the values of several fields of a hash.", Complexity: "O(N) where N is the number of fields asked for.",
			Usage: "key field [field ...]", Handler: cmdHMGet}),
		one(&Command{Name: "hdel", Arity: -3, Flags: FlagWrite | FlagFast, Since: "2.0.0",
			Summary: "Deletes fields of a hash; the key goes with its last field.", Complexity: "O(N) where N is the number of fields given.",
			Usage: "key field [field ...]", Handler: cmdHDel}),
		one(&Command{Name: "hlen", Arity: 2, Flags: ro, Since: "2.0.0",
			Summary: "Returns the number of fields of a hash.", Complexity: "O(1)", Usage: "key", Handler: cmdHLen}),
		one(&Command{Name: "hstrlen", Arity: 3, Flags: ro, Since: "3.2.0",
			Summary: "Returns the length of the value of a field of a hash.", Complexity: "O(1)", Usage: "key field", Handler: cmdHStrlen}),
		one(&Command{Name: "hexists", Arity: 3, Flags: ro, Since: "2.0.0",
			Summary: "Reports whether a field exists in a hash.", Complexity: "O(1)", Usage: "key field", Handler: cmdHExists}),
		one(&Command{Name: "hkeys", Arity: 2, Flags: FlagReadonly, Since: "2.0.0", Tips: unordered,
			Summary: "Returns the fields of a hash.", Complexity: wholeHash, Usage: "key", Handler: cmdHKeys}),
		one(&Command{Name: "hvals", Arity: 2, Flags: FlagReadonly, Since: "2.0.0", Tips: unordered,
			Summary: "Returns the values of a hash.", Complexity: wholeHash, Usage: "key", Handler: cmdHVals}),
		one(&Command{Name: "hgetall", Arity: 2, Flags: FlagReadonly, Since: "2.0.0", Tips: unordered,
			Summary: "Returns every field and value of a hash.", Complexity: wholeHash, Usage: "key", Handler: cmdHGetAll}),
		one(&Command{Name: "hincrby", Arity: 4, Flags: rw, Since: "2.0.0",
			Summary: "Adds an integer to the integer value of a field of a hash.", Complexity: "O(1)",
			Usage: "key field increment", Handler: cmdHIncrBy}),
		one(&Command{Name: "hincrbyfloat", Arity: 4, Flags: rw, Since: "2.6.0",
			Summary: "Adds a floating-point number to the numeric value of a field of a hash.", Complexity: "O(1)",
			Usage: "key field increment", Handler: cmdHIncrByFloat}),
		one(&Command{Name: "hrandfield", Arity: -2, Flags: FlagReadonly, Since: "6.2.0", Tips: random,
			Summary:    "Returns random fields of a hash, optionally with their values.",
			Complexity: "O(N) where N is the number of fields returned.",
			Usage:      "key [count [WITHVALUES]]", Handler: cmdHRandField}),
		one(&Command{Name: "hscan", Arity: -3, Flags: FlagReadonly, Since: "2.8.0", Tips: random,
			Summary:    "Iterates over the fields and values of a hash with a cursor.",
			Complexity: "O(1) per call; O(N) for a whole iteration, N being the number of fields.",
			Usage:      "key cursor [MATCH pattern] [COUNT count]", Handler: cmdHScan}),
	)
}
