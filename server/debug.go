package server

// DEBUG: the subcommands test suites and client libraries rely on (SLEEP,
// OBJECT, SET-ACTIVE-EXPIRE, DIGEST, DIGEST-VALUE, POPULATE, PROTOCOL, LOG,
// ERROR, RELOAD, HELP). Allowed only as enable-debug-command says: "yes",
// or "local" for loopback and unix-socket clients.
//
// DIGEST follows Redis's debug.c exactly, so a dataset holds the same digest
// in Vireo and in redis-server: per key, SHA1-chained ("mixed") key, type and
// value, XOR of SHA1("!!expire!!") when the key has a TTL; the SHA1 of each
// key's digest XORed into the result; each non-empty database's number
// mixed into the result before its keys. Values of
// types other than strings are digested by functions their family files
// register in valueDigesters.

import (
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/persistence/rdb"
)

func init() { familyRegistrars = append(familyRegistrars, registerDebugCommands) }

const errDebugNotAllowed = "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server."

// debugAllowed applies enable-debug-command.
func (c *Ctx) debugAllowed() bool {
	mode := ""
	if p := c.srv.set.enableDebug.Load(); p != nil {
		mode = *p
	}
	switch strings.ToLower(mode) {
	case "yes":
		return true
	case "local":
		return c.isLocal()
	}
	return false
}

func debugSyntaxError(c *Ctx, sub []byte) {
	c.Error("ERR unknown subcommand or wrong number of arguments for '" + string(sub) + "'. Try DEBUG HELP.")
}

// DEBUG subcommand [argument [argument ...]]
func cmdDebug(c *Ctx, args [][]byte) {
	if !c.debugAllowed() {
		c.Error(errDebugNotAllowed)
		return
	}
	sub, n := args[1], len(args)
	switch {
	case n == 2 && eq(sub, "help"):
		debugHelp(c)
	case n == 3 && eq(sub, "sleep"):
		debugSleep(c, args[2])
	case n == 3 && eq(sub, "object"):
		debugObject(c, args[2])
	case n == 3 && eq(sub, "set-active-expire"):
		c.srv.noActiveExpire.Store(atoi(args[2]) == 0)
		c.OK()
	case n == 2 && eq(sub, "digest"):
		debugDigest(c)
	case n >= 2 && eq(sub, "digest-value"):
		debugDigestValue(c, args[2:])
	case n >= 3 && n <= 5 && eq(sub, "populate"):
		debugPopulate(c, args[2:])
	case n == 3 && eq(sub, "protocol"):
		debugProtocol(c, args[2])
	case n == 3 && eq(sub, "log"):
		slog.Warn("DEBUG LOG: " + string(args[2]))
		c.OK()
	case n == 3 && eq(sub, "error"):
		// The argument is the whole error line, code included.
		c.Error("-" + string(args[2]))
	case n >= 2 && eq(sub, "reload"):
		debugReload(c, args[2:]) // persist.go
	default:
		debugSyntaxError(c, sub)
	}
}

func debugHelp(c *Ctx) {
	// Redis's text for the subcommands Vireo implements.
	c.helpReply("DEBUG", []string{
		"DIGEST",
		"    Output a hex signature representing the current DB content.",
		"DIGEST-VALUE <key> [<key> ...]",
		"    Output a hex signature of the values of all the specified keys.",
		"ERROR <string>",
		"    Return a Redis protocol error with <string> as message. Useful for clients",
		"    unit tests to simulate Redis errors.",
		"LOG <message>",
		"    Write <message> to the server log.",
		"OBJECT <key>",
		"    Show low level info about `key` and associated value.",
		"POPULATE <count> [<prefix>] [<size>]",
		"    Create <count> string keys named key:<num>. If <prefix> is specified then",
		"    it is used instead of the 'key' prefix. These are not propagated to",
		"    replicas. Cluster slots are not respected so keys not belonging to the",
		"    current node can be created in cluster mode.",
		"PROTOCOL <type>",
		"    Reply with a test value of the specified type. <type> can be: string,",
		"    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
		"    true, false.",
		"RELOAD [option ...]",
		"    Save the RDB on disk and reload it back to memory (needs persistence,",
		"    which this build does not have yet).",
		"SET-ACTIVE-EXPIRE <0|1>",
		"    Setting it to 0 disables expiring keys in background when they are not",
		"    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
		"    default.",
		"SLEEP <seconds>",
		"    Stop the server for <seconds>. Decimals allowed.",
	})
}

// debugSleep stops the whole keyspace for the given seconds (strtod rules:
// garbage reads as 0), as Redis's single thread does: every shard is held.
func debugSleep(c *Ctx, arg []byte) {
	secs := min(strtod(arg), 1e9) // keep the conversion in range
	d := time.Duration(secs * float64(time.Second))
	if !c.allLocked {
		c.srv.ks.LockAll()
		defer c.srv.ks.UnlockAll()
	}
	if d > 0 {
		time.Sleep(d)
	}
	c.OK()
}

// lockKeys locks the shards of keys in the client's database (DEBUG has no
// key spec, so the dispatcher locks nothing) unless every lock is already
// held, and returns the matching unlock.
func (c *Ctx) lockKeys(keys [][]byte) func() {
	if c.allLocked {
		return func() {}
	}
	idx := make([]int, 0, len(keys))
	for _, k := range keys {
		idx = append(idx, c.db.ShardIndex(k))
	}
	idx = c.srv.ks.LockShards(idx)
	return func() { c.srv.ks.UnlockShards(idx) }
}

// peek returns key's entry in the client's database even when its TTL has
// passed and nothing collected it yet, without touching it: Redis's DEBUG
// reads the dict directly. (A clock of 0 makes no TTL count as passed.)
func (c *Ctx) peek(key []byte) *keyspace.Entry {
	return c.db.LookupNoTouch(key, 0)
}

// debugObject: DEBUG OBJECT key
func debugObject(c *Ctx, key []byte) {
	unlock := c.lockKeys([][]byte{key})
	defer unlock()
	e := c.peek(key)
	if e == nil {
		c.Error(ErrNoSuchKey)
		return
	}
	c.Simple(fmt.Sprintf("Value at:%p refcount:%d encoding:%s serializedlength:%d lru:%d lru_seconds_idle:%d",
		e, refcount(e), e.Enc.Name(), serializedLength(e), e.Access, c.srv.ks.IdleSeconds(e.Access)))
}

// serializedLength is the size of the value in an RDB file (Redis's
// rdbSavedObjectLen), with rdbcompression's default (LZF on).
// TODO: the other types, with their RDB encoders.
func serializedLength(e *keyspace.Entry) int {
	if e.Type != keyspace.TypeString {
		return 0
	}
	return len(rdb.AppendString(nil, e.Str, true))
}

// ---------------------------------------------------------------------------
// DIGEST

// digest is Redis's 20-byte dataset/value digest.
type digest [sha1.Size]byte

// xor adds data order-independently: digest ^= SHA1(data).
func (d *digest) xor(data []byte) {
	h := sha1.Sum(data)
	for i := range d {
		d[i] ^= h[i]
	}
}

// mix adds data order-dependently: digest = SHA1(digest ^ SHA1(data)).
func (d *digest) mix(data []byte) {
	d.xor(data)
	*d = sha1.Sum(d[:])
}

func (d *digest) String() string { return hex.EncodeToString(d[:]) }

// valueDigesters digest the values of types other than strings, following
// xorObjectDigest in Redis's debug.c (lists mix their elements in order,
// sets XOR them, hashes and sorted sets XOR per-element mixed digests,
// streams mix IDs, fields and values). Each family file registers its
// type's function from an init function.
var valueDigesters = map[keyspace.Type]func(d *digest, e *keyspace.Entry){}

// redisTypeCode is the OBJ_* number Redis mixes into the digest.
func redisTypeCode(t keyspace.Type) uint32 {
	switch t {
	case keyspace.TypeString:
		return 0
	case keyspace.TypeList:
		return 1
	case keyspace.TypeSet:
		return 2
	case keyspace.TypeZSet:
		return 3
	case keyspace.TypeHash:
		return 4
	case keyspace.TypeStream:
		return 6
	}
	return 5 // OBJ_MODULE
}

// digestValue mixes e's type, value and TTL marker into d (Redis's
// xorObjectDigest). It reports false for a type no digester handles.
func digestValue(d *digest, e *keyspace.Entry) bool {
	var aux [4]byte
	binary.BigEndian.PutUint32(aux[:], redisTypeCode(e.Type))
	d.mix(aux[:])
	if e.Type == keyspace.TypeString {
		d.mix(e.Str)
	} else {
		f := valueDigesters[e.Type]
		if f == nil {
			return false
		}
		f(d, e)
	}
	if e.Expire != 0 {
		d.xor([]byte("!!expire!!"))
	}
	return true
}

func errDigestType(t keyspace.Type) string {
	return "ERR DEBUG DIGEST does not support " + t.Name() + " values yet"
}

// debugDigest: DEBUG DIGEST. It holds every lock so the digest is of one
// point in time, as in Redis.
func debugDigest(c *Ctx) {
	ks := c.srv.ks
	if !c.allLocked {
		ks.LockAll()
		defer ks.UnlockAll()
	}
	var final digest
	for j := 0; j < ks.NumDBs(); j++ {
		db := ks.DB(j)
		if db.Size() == 0 {
			continue
		}
		var aux [4]byte
		binary.BigEndian.PutUint32(aux[:], uint32(j))
		final.mix(aux[:])
		var bad *keyspace.Type
		for i := 0; i < db.NumShards() && bad == nil; i++ {
			// A clock of 0: keys whose TTL passed but are not collected yet
			// count, as they do in Redis's dict walk.
			db.RangeShard(i, 0, func(key string, e *keyspace.Entry) bool {
				var d digest
				d.mix([]byte(key))
				if !digestValue(&d, e) {
					t := e.Type
					bad = &t
					return false
				}
				final.xor(d[:])
				return true
			})
		}
		if bad != nil {
			c.Error(errDigestType(*bad))
			return
		}
	}
	c.Simple(final.String())
}

// debugDigestValue: DEBUG DIGEST-VALUE key [key ...]. A missing key digests
// to zeros.
func debugDigestValue(c *Ctx, keys [][]byte) {
	unlock := c.lockKeys(keys)
	defer unlock()
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		var d digest
		if e := c.peek(k); e != nil && !digestValue(&d, e) {
			c.Error(errDigestType(e.Type))
			return
		}
		out = append(out, d.String())
	}
	c.Array(len(out))
	for _, s := range out {
		c.Simple(s)
	}
}

// ---------------------------------------------------------------------------
// POPULATE

// debugPopulate: DEBUG POPULATE count [prefix] [size]. Keys "prefix:N" with
// values "value:N" (cut or zero-padded to size when given); existing keys are
// left alone. Like Redis, nothing is propagated or counted as a change, but
// WATCHers of the new keys are told.
func debugPopulate(c *Ctx, args [][]byte) {
	count, ok := parseInt(args[0])
	if !ok || count < 0 {
		c.Error(ErrNotPositive)
		return
	}
	prefix := "key"
	if len(args) >= 2 {
		prefix = string(args[1])
	}
	var size int64
	if len(args) == 3 {
		size, ok = parseInt(args[2])
		if !ok || size < 0 {
			c.Error(ErrNotPositive)
			return
		}
	}
	db, ks := c.db, c.srv.ks
	var key, val []byte
	var lock [1]int
	for j := int64(0); j < count; j++ {
		key = strconv.AppendInt(append(append(key[:0], prefix...), ':'), j, 10)
		if len(key) > 127 {
			key = key[:127] // Redis formats into a 128-byte buffer
		}
		val = strconv.AppendInt(append(val[:0], "value:"...), j, 10)
		if size > 0 {
			if int64(len(val)) > size {
				val = val[:size]
			}
			for int64(len(val)) < size {
				val = append(val, 0)
			}
		}
		if !c.allLocked {
			lock[0] = db.ShardIndex(key)
			ks.LockShards(lock[:])
		}
		if db.Lookup(key, c.now) == nil {
			db.Put(key, newString(val))
			db.SignalModified(key)
		}
		if !c.allLocked {
			ks.UnlockShards(lock[:])
		}
	}
	c.OK()
}

// ---------------------------------------------------------------------------
// PROTOCOL

// debugProtocol: DEBUG PROTOCOL type, Redis's test values in RESP2 and RESP3.
func debugProtocol(c *Ctx, typ []byte) {
	resp3 := c.proto == 3
	switch {
	case eq(typ, "string"):
		c.BulkString("Hello World")
	case eq(typ, "integer"):
		c.Int(12345)
	case eq(typ, "double"):
		if resp3 {
			c.Raw([]byte(",3.141\r\n"))
		} else {
			c.BulkString("3.141")
		}
	case eq(typ, "bignum"):
		if resp3 {
			c.Raw([]byte("(1234567999999999999999999999999999999\r\n"))
		} else {
			c.BulkString("1234567999999999999999999999999999999")
		}
	case eq(typ, "null"):
		c.Null()
	case eq(typ, "array"):
		c.Array(3)
		for i := int64(0); i < 3; i++ {
			c.Int(i)
		}
	case eq(typ, "set"):
		c.Set(3)
		for i := int64(0); i < 3; i++ {
			c.Int(i)
		}
	case eq(typ, "map"):
		c.Map(3)
		for i := int64(0); i < 3; i++ {
			c.Int(i)
			c.Bool(i == 1)
		}
	case eq(typ, "attrib"):
		if resp3 {
			c.Raw([]byte("|1\r\n"))
			c.BulkString("key-popularity")
			c.Array(2)
			c.BulkString("key:123")
			c.Int(90)
		}
		c.BulkString("Some real reply following the attribute")
	case eq(typ, "push"):
		if !resp3 {
			c.Error("ERR RESP2 is not supported by this command")
			return
		}
		c.Push(2)
		c.BulkString("server-cpu-usage")
		c.Int(42)
		c.BulkString("Some real reply following the push reply")
	case eq(typ, "verbatim"):
		c.Verbatim("This is a verbatim\nstring", "txt")
	case eq(typ, "true"):
		c.Bool(true)
	case eq(typ, "false"):
		c.Bool(false)
	default:
		c.Error("ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false")
	}
}

// ---------------------------------------------------------------------------
// C-style number prefixes (DEBUG parses some arguments with atoi/strtod,
// which read the longest valid prefix and give 0 for none).

func atoi(b []byte) int64 {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r' || b[i] == '\f' || b[i] == '\v') {
		i++
	}
	start := i
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		i++
	}
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	v, err := strconv.ParseInt(string(b[start:i]), 10, 64)
	if err != nil {
		return 0
	}
	return v
}

func strtod(b []byte) float64 {
	s := strings.TrimLeft(string(b), " \t\n\r\f\v")
	if len(s) > 64 {
		s = s[:64] // no number worth sleeping for is longer
	}
	// Try the longest prefix that parses; strtod accepts at most that much.
	for end := len(s); end > 0; end-- {
		if v, err := strconv.ParseFloat(s[:end], 64); err == nil {
			return v
		}
	}
	return 0
}

func registerDebugCommands(t *Table) {
	t.Add(&Command{Name: "debug", Arity: -2, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale, ACL: []string{"slow", "dangerous"},
		Group: "server", Since: "1.0.0", Summary: "A container for debugging commands.", Usage: "subcommand [argument [argument ...]]",
		Lock: LockNone, Handler: cmdDebug})
}
