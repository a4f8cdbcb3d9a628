package server

// Keyspace commands that apply to keys of any type: DEL, UNLINK, EXISTS,
// TYPE, TOUCH, RENAME, RENAMENX, MOVE, COPY, KEYS, SCAN, RANDOMKEY and the
// FLUSH/DBSIZE commands. The TTL commands live in expire.go, OBJECT in
// object.go, DUMP/RESTORE in dump.go.
//
// Locking: commands on named keys in the current database let the
// dispatcher lock those keys' shards (RENAME/RENAMENX name both keys in
// their spec, so both shards are held). MOVE needs a second database and
// takes every lock (LockAll). COPY needs a second database only with its DB
// option, so it is LockNone and takes either both keys' shards or every
// lock itself (see cmdCopy). KEYS, SCAN and RANDOMKEY visit the shards one
// at a time, as Redis semantics allow.

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strconv"
	"unsafe"

	"github.com/vireodb/vireo/datatypes/glob"
	"github.com/vireodb/vireo/datatypes/keyspace"
)

func init() { familyRegistrars = append(familyRegistrars, registerGenericCommands) }

// readFlags are Redis's lookupKeyReadWithFlags flags that the generic
// commands need.
type readFlags uint8

const (
	readNoTouch  readFlags = 1 << iota // LOOKUP_NOTOUCH: leave the access clock alone
	readNoNotify                       // LOOKUP_NONOTIFY: no "keymiss" event
	readTouch                          // update the access clock even for a CLIENT NO-TOUCH client (TOUCH)
)

// lookupRead looks key up for reading as Redis's lookupKeyReadWithFlags:
// expired keys are deleted, hits and misses count in INFO stats and a miss
// sends the "keymiss" event.
func (c *Ctx) lookupRead(key []byte, f readFlags) *keyspace.Entry {
	var e *keyspace.Entry
	if f&readNoTouch != 0 || (c.noTouch && f&readTouch == 0) {
		e = c.db.LookupNoTouch(key, c.now)
	} else {
		e = c.db.Lookup(key, c.now)
	}
	if e == nil {
		c.srv.stats.keyspaceMiss.Add(c.id, 1)
		if f&readNoNotify == 0 {
			c.Notify(NotifyKeyMiss, "keymiss", key)
		}
		return nil
	}
	c.srv.stats.keyspaceHits.Add(c.id, 1)
	return e
}

// lockShardOf / unlockShardOf hold one local shard of db around work a
// LockNone command does itself, unless the command already holds every
// lock (inside EXEC, or under LockAll).
func (c *Ctx) lockShardOf(db *keyspace.DB, i int) {
	if !c.allLocked {
		db.LockShard(i)
	}
}

func (c *Ctx) unlockShardOf(db *keyspace.DB, i int) {
	if !c.allLocked {
		db.UnlockShard(i)
	}
}

// keyBytes views a stored key as bytes without copying, for the matcher,
// which only reads it.
func keyBytes(k string) []byte { return unsafe.Slice(unsafe.StringData(k), len(k)) }

// dbIndexArg parses a database number as Redis's getIntFromObjectOrReply plus
// selectDb do: a non-integer is ErrNotInteger, an integer outside int32 gets
// getIntFromObjectOrReply's own range error, one outside 0..databases-1 is
// ErrDBIndex.
func (c *Ctx) dbIndexArg(b []byte) (int, bool) {
	v, ok := c.intArg(b)
	if !ok {
		return 0, false
	}
	if v < math.MinInt32 || v > math.MaxInt32 {
		c.Error("ERR value is out of range, value must between -2147483648 and 2147483647")
		return 0, false
	}
	if v < 0 || v >= int64(c.srv.ks.NumDBs()) {
		c.Error(ErrDBIndex)
		return 0, false
	}
	return int(v), true
}

// DEL key [key ...]
func cmdDel(c *Ctx, args [][]byte) { delKeys(c, args[1:]) }

// UNLINK key [key ...]
//
// Values are freed by the garbage collector, so UNLINK is DEL.
func cmdUnlink(c *Ctx, args [][]byte) { delKeys(c, args[1:]) }

// delKeys is Redis's delGenericCommand: a key whose TTL has passed is
// expired first (the "expired" event and DEL propagation), so it does not
// count as deleted.
func delKeys(c *Ctx, keys [][]byte) {
	var n int64
	for _, k := range keys {
		if c.db.IsExpired(k, c.now) {
			c.db.LookupNoTouch(k, c.now)
		}
		if c.db.Delete(k) {
			c.Modified(k)
			c.Notify(NotifyGeneric, "del", k)
			n++
		}
	}
	c.Int(n)
}

// EXISTS key [key ...]
func cmdExists(c *Ctx, args [][]byte) {
	var n int64
	for _, k := range args[1:] {
		if c.lookupRead(k, readNoTouch) != nil {
			n++
		}
	}
	c.Int(n)
}

// TOUCH key [key ...]
func cmdTouch(c *Ctx, args [][]byte) {
	var n int64
	for _, k := range args[1:] {
		if c.lookupRead(k, readTouch) != nil {
			n++
		}
	}
	c.Int(n)
}

// TYPE key
func cmdType(c *Ctx, args [][]byte) {
	e := c.lookupRead(args[1], readNoTouch)
	if e == nil {
		c.Simple("none")
		return
	}
	c.Simple(e.Type.Name())
}

// RENAME key newkey
func cmdRename(c *Ctx, args [][]byte) { renameKey(c, args, false) }

// RENAMENX key newkey
func cmdRenameNX(c *Ctx, args [][]byte) { renameKey(c, args, true) }

// renameKey is Redis's renameGenericCommand. The entry moves with its TTL
// and access stamp; a key renamed onto itself is left alone, but a missing
// one is still an error.
func renameKey(c *Ctx, args [][]byte, nx bool) {
	src, dst := args[1], args[2]
	if c.LookupWrite(src) == nil {
		c.Error(ErrNoSuchKey)
		return
	}
	if bytes.Equal(src, dst) {
		if nx {
			c.Int(0)
		} else {
			c.OK()
		}
		return
	}
	if c.LookupWrite(dst) != nil && nx {
		c.Int(0)
		return
	}
	c.db.Rename(src, dst)
	c.Notify(NotifyNew, "new", dst)
	c.db.SignalModified(src)
	c.db.SignalModified(dst)
	c.Notify(NotifyGeneric, "rename_from", src)
	c.Notify(NotifyGeneric, "rename_to", dst)
	c.dirty++
	if nx {
		c.Int(1)
	} else {
		c.OK()
	}
}

// MOVE key db
//
// Runs under LockAll: it reads and writes two databases, and taking every
// lock is simple and obviously deadlock-free; MOVE is rare.
func cmdMove(c *Ctx, args [][]byte) {
	if c.srv.cluster.enabled {
		c.Error("ERR MOVE is not allowed in cluster mode")
		return
	}
	key := args[1]
	id, ok := c.dbIndexArg(args[2])
	if !ok {
		return
	}
	if id == c.dbIndex {
		c.Error(ErrSameObject)
		return
	}
	if c.LookupWrite(key) == nil {
		c.Int(0)
		return
	}
	dst := c.srv.ks.DB(id)
	if dst.LookupWrite(key, c.now) != nil {
		c.Int(0)
		return
	}
	c.db.MoveTo(dst, key)
	c.srv.notify(NotifyNew, "new", key, id)
	c.db.SignalModified(key)
	dst.SignalModified(key)
	c.Notify(NotifyGeneric, "move_from", key)
	c.srv.notify(NotifyGeneric, "move_to", key, id)
	c.dirty++
	c.Int(1)
}

// COPY source destination [DB destination-db] [REPLACE]
//
// The spec says LockNone and the handler locks for itself, because what it
// needs depends on its arguments: within the current database the shards
// of both keys (in ascending order, as the dispatcher would); with DB, every
// lock (LockAll's reasoning, see MOVE). It propagates itself while the locks
// are held, since the dispatcher's propagation would come after the unlock.
func cmdCopy(c *Ctx, args [][]byte) {
	src, dstKey := args[1], args[2]
	dstID := c.dbIndex
	replace := false
	for j := 3; j < len(args); j++ {
		switch {
		case eq(args[j], "replace"):
			replace = true
		case eq(args[j], "db") && j+1 < len(args):
			id, ok := c.dbIndexArg(args[j+1])
			if !ok {
				return
			}
			dstID = id
			j++
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	if c.srv.cluster.enabled && (c.dbIndex != 0 || dstID != 0) {
		c.Error("ERR Copying to another database is not allowed in cluster mode")
		return
	}
	if dstID == c.dbIndex && bytes.Equal(src, dstKey) {
		c.Error(ErrSameObject)
		return
	}

	ks := c.srv.ks
	switch {
	case c.allLocked:
	case dstID != c.dbIndex:
		ks.LockAll()
		defer ks.UnlockAll()
	default:
		held := ks.LockShards([]int{c.db.ShardIndex(src), c.db.ShardIndex(dstKey)})
		defer ks.UnlockShards(held)
	}

	if c.lookupRead(src, 0) == nil {
		c.Int(0)
		return
	}
	dst := ks.DB(dstID)
	if dst.LookupWrite(dstKey, c.now) != nil && !replace {
		c.Int(0)
		return
	}
	// Look src up again: the destination lookup may have deleted an
	// expired key in the same shard, and entries are only valid until the
	// shard changes.
	e := c.db.LookupNoTouch(src, c.now)
	if e == nil {
		c.Int(0)
		return
	}
	dup, err := e.Clone()
	if err != nil {
		c.Error("ERR unknown type object")
		return
	}
	dup.Access = 0 // a new object: its idle time starts now
	dst.Put(dstKey, dup)
	c.srv.notify(NotifyNew, "new", dstKey, dstID)
	dst.SignalModified(dstKey)
	c.srv.notify(NotifyGeneric, "copy_to", dstKey, dstID)
	c.dirty++
	c.Propagate(args...)
	c.Int(1)
}

// KEYS pattern
func cmdKeys(c *Ctx, args [][]byte) {
	pattern := args[1]
	all := len(pattern) == 1 && pattern[0] == '*'
	var keys []string
	c.forEachShard(c.db, func(i int) bool {
		c.db.RangeShard(i, c.now, func(k string, _ *keyspace.Entry) bool {
			if all || glob.Match(pattern, keyBytes(k), false) {
				keys = append(keys, k) // stored keys are immutable strings
			}
			return true
		})
		return true
	})
	c.StringArray(keys)
}

// parseScanCursor parses a SCAN cursor as Redis does with strtoul: optional
// sign (a negative value wraps), decimal digits, nothing else; the empty
// string is cursor 0; leading white space and overflow are errors.
func parseScanCursor(b []byte) (uint64, bool) {
	if len(b) == 0 {
		return 0, true
	}
	switch b[0] {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return 0, false
	}
	neg := false
	i := 0
	if b[0] == '+' || b[0] == '-' {
		neg = b[0] == '-'
		i++
	}
	if i == len(b) {
		return 0, false
	}
	var v uint64
	for ; i < len(b); i++ {
		d := b[i] - '0'
		if d > 9 {
			return 0, false
		}
		if v > (math.MaxUint64-uint64(d))/10 {
			return 0, false
		}
		v = v*10 + uint64(d)
	}
	if neg {
		v = -v
	}
	return v, true
}

// scanCursor is a SCAN position over a sharded database: the shard being
// walked and the dict cursor inside it. The public cursor puts the shard in
// the low bits and the dict cursor above them:
//
//	cursor = dictCursor << shardBits | shard
//
// so the first call's cursor 0 is shard 0 from its beginning, and 0 is
// never produced mid-scan (from shard 0 the next cursor has a non-zero
// dict cursor; from any other shard the low bits are non-zero). A full scan
// walks the shards in order, each with the dict's reverse-binary cursor;
// a key never changes shard (the shard comes from its hash), so every key
// present for the whole scan is returned, as Redis guarantees for one dict.
// The dict cursor is below the table size, far under 2^(64-shardBits).
type scanCursor struct {
	shard int
	dict  uint64
}

func decodeScanCursor(v uint64, shards int) scanCursor {
	bits := shardBits(shards)
	return scanCursor{shard: int(v & uint64(shards-1)), dict: v >> bits}
}

func (sc scanCursor) encode(shards int) uint64 {
	return sc.dict<<shardBits(shards) | uint64(sc.shard)
}

// shardBits is log2 of the (power-of-two) number of shards per database.
func shardBits(shards int) uint {
	var b uint
	for 1<<b < shards {
		b++
	}
	return b
}

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
func cmdScan(c *Ctx, args [][]byte) {
	cursor, ok := parseScanCursor(args[1])
	if !ok {
		c.Error(ErrInvalidCursor)
		return
	}
	count := int64(10)
	var pattern, typeName []byte
	usePattern, useType := false, false
	for i := 2; i < len(args); i += 2 {
		if i+1 >= len(args) {
			c.Error(ErrSyntax)
			return
		}
		switch {
		case eq(args[i], "count"):
			v, ok := c.intArg(args[i+1])
			if !ok {
				return
			}
			if v < 1 {
				c.Error(ErrSyntax)
				return
			}
			count = v
		case eq(args[i], "match"):
			pattern = args[i+1]
			usePattern = !(len(pattern) == 1 && pattern[0] == '*') // "*" matches everything
		case eq(args[i], "type"):
			typeName = args[i+1]
			useType = true
		default:
			c.Error(ErrSyntax)
			return
		}
	}

	db := c.db
	shards := db.NumShards()
	pos := decodeScanCursor(cursor, shards)
	// COUNT bounds the keys visited, as Redis counts elements before
	// filtering; like Redis, at most ten dict steps per requested key, so a
	// sparse table cannot make one call walk far.
	var keys []string
	visited := int64(0)
	steps := int64(math.MaxInt64)
	if count <= math.MaxInt64/10 {
		steps = count * 10
	}
	for pos.shard < shards && visited < count && steps > 0 {
		if db.ShardLen(pos.shard) == 0 {
			pos = scanCursor{shard: pos.shard + 1}
			continue
		}
		c.lockShardOf(db, pos.shard)
		for {
			pos.dict = db.ScanShard(pos.shard, pos.dict, c.now, func(k string, e *keyspace.Entry) {
				visited++
				if usePattern && !glob.Match(pattern, keyBytes(k), false) {
					return
				}
				if useType && !eq(typeName, e.Type.Name()) {
					return
				}
				keys = append(keys, k)
			})
			steps--
			if pos.dict == 0 || visited >= count || steps <= 0 {
				break
			}
		}
		c.unlockShardOf(db, pos.shard)
		if pos.dict == 0 {
			pos.shard++
		}
	}
	next := uint64(0)
	if pos.shard < shards {
		next = pos.encode(shards)
	}
	c.Array(2)
	c.BulkString(strconv.FormatUint(next, 10))
	c.StringArray(keys)
}

// randomKeyTries bounds how many random picks RANDOMKEY makes before it
// falls back to walking the shards (Redis's dbRandomKey uses 100 too).
const randomKeyTries = 100

// RANDOMKEY
func cmdRandomKey(c *Ctx, args [][]byte) {
	db := c.db
	for try := 0; try < randomKeyTries; try++ {
		i, ok := db.RandomShard(rand.Uint64)
		if !ok {
			c.Null()
			return
		}
		c.lockShardOf(db, i)
		k, e, ok := db.RandomKeyInShard(i)
		if ok && e.Expire != 0 && e.Expire <= c.now {
			// Expired: the lookup deletes it (on a primary), sending
			// "expired" and propagating DEL, as Redis's expireIfNeeded.
			db.LookupNoTouch([]byte(k), c.now)
			ok = false
		}
		c.unlockShardOf(db, i)
		if ok {
			c.BulkString(k)
			return
		}
	}
	// Mostly expired keys (or a replica that may not delete them): take
	// the first live key in shard order rather than loop on.
	var found string
	var ok bool
	c.forEachShard(db, func(i int) bool {
		db.RangeShard(i, c.now, func(k string, _ *keyspace.Entry) bool {
			found, ok = k, true
			return false
		})
		return !ok
	})
	if !ok {
		c.Null()
		return
	}
	c.BulkString(found)
}

// parseFlushMode parses FLUSHALL/FLUSHDB's optional ASYNC|SYNC.
func parseFlushMode(c *Ctx, args [][]byte) bool {
	if len(args) > 2 || (len(args) == 2 && !eq(args[1], "async") && !eq(args[1], "sync")) {
		c.Error(ErrSyntax)
		return false
	}
	return true
}

// FLUSHALL [ASYNC | SYNC]
func cmdFlushAll(c *Ctx, args [][]byte) {
	if !parseFlushMode(c, args) {
		return
	}
	ks := c.srv.ks
	c.srv.abortBGSaveLocked() // as Redis kills its BGSAVE child (persist.go)
	for i := 0; i < ks.NumDBs(); i++ {
		db := ks.DB(i)
		c.dirty += int(db.Size())
		db.FlushLocked()
	}
	c.srv.flushAllPersist(c) // persist.go: stop a BGSAVE, save with save points
	c.dirty++
	c.srv.invalidateAll(c, true) // CLIENT TRACKING (tracking.go)
	c.OK()
}

// FLUSHDB [ASYNC | SYNC]
func cmdFlushDB(c *Ctx, args [][]byte) {
	if !parseFlushMode(c, args) {
		return
	}
	c.dirty += int(c.db.Size()) + 1
	c.db.FlushLocked()
	c.srv.invalidateAll(c, false) // CLIENT TRACKING (tracking.go)
	c.OK()
}

// DBSIZE
func cmdDBSize(c *Ctx, args [][]byte) { c.Int(c.db.Size()) }

func registerGenericCommands(t *Table) {
	ks := []string{"keyspace"}
	ksSlow := []string{"keyspace", "slow"}
	t.Add(
		&Command{Name: "del", Arity: -2, Flags: FlagWrite, ACL: ksSlow, Group: "generic", Since: "1.0.0",
			Summary: "Deletes keys and returns how many existed.", Usage: "key [key ...]", FirstKey: 1, LastKey: -1, KeyStep: 1, Handler: cmdDel},
		&Command{Name: "unlink", Arity: -2, Flags: FlagWrite | FlagFast, ACL: ks, Group: "generic", Since: "4.0.0",
			Summary: "Deletes keys, freeing their values in the background; returns how many existed.", Usage: "key [key ...]", FirstKey: 1, LastKey: -1, KeyStep: 1, Handler: cmdUnlink},
		&Command{Name: "exists", Arity: -2, Flags: FlagReadonly | FlagFast, ACL: ks, Group: "generic", Since: "1.0.0",
			Summary: "Counts how many of the given keys exist (a key named twice counts twice).", Usage: "key [key ...]", FirstKey: 1, LastKey: -1, KeyStep: 1, Handler: cmdExists},
		&Command{Name: "touch", Arity: -2, Flags: FlagReadonly | FlagFast, ACL: ks, Group: "generic", Since: "3.2.1",
			Summary: "Updates the last access time of keys; returns how many exist.", Usage: "key [key ...]", FirstKey: 1, LastKey: -1, KeyStep: 1, Handler: cmdTouch},
		&Command{Name: "type", Arity: 2, Flags: FlagReadonly | FlagFast, ACL: ks, Group: "generic", Since: "1.0.0",
			Summary: "Returns the type of the value stored at a key, or none.", Usage: "key", FirstKey: 1, LastKey: 1, KeyStep: 1, Handler: cmdType},
		&Command{Name: "rename", Arity: 3, Flags: FlagWrite, ACL: ksSlow, Group: "generic", Since: "1.0.0",
			Summary: "Renames a key, replacing any key with the new name.", Usage: "key newkey", FirstKey: 1, LastKey: 2, KeyStep: 1, Handler: cmdRename},
		&Command{Name: "renamenx", Arity: 3, Flags: FlagWrite | FlagFast, ACL: ks, Group: "generic", Since: "1.0.0",
			Summary: "Renames a key only if the new name does not exist.", Usage: "key newkey", FirstKey: 1, LastKey: 2, KeyStep: 1, Handler: cmdRenameNX},
		&Command{Name: "move", Arity: 3, Flags: FlagWrite | FlagFast, ACL: ks, Group: "generic", Since: "1.0.0",
			Summary: "Moves a key to another database.", Usage: "key db", FirstKey: 1, LastKey: 1, KeyStep: 1, Lock: LockAll, Handler: cmdMove},
		&Command{Name: "copy", Arity: -3, Flags: FlagWrite | FlagDenyOOM, ACL: ksSlow, Group: "generic", Since: "6.2.0",
			Summary: "Copies the value of a key to a new key, optionally in another database.", Usage: "source destination [DB destination-db] [REPLACE]",
			FirstKey: 1, LastKey: 2, KeyStep: 1, Lock: LockNone, Handler: cmdCopy},
		&Command{Name: "keys", Arity: 2, Flags: FlagReadonly, ACL: []string{"keyspace", "slow", "dangerous"}, Group: "generic", Since: "1.0.0",
			Summary: "Returns every key name that matches a glob pattern.", Usage: "pattern", Lock: LockNone, Handler: cmdKeys},
		&Command{Name: "scan", Arity: -2, Flags: FlagReadonly, ACL: ksSlow, Group: "generic", Since: "2.8.0",
			Summary: "Iterates over the key names of the database with a cursor.", Usage: "cursor [MATCH pattern] [COUNT count] [TYPE type]", Lock: LockNone, Handler: cmdScan},
		&Command{Name: "randomkey", Arity: 1, Flags: FlagReadonly, ACL: ksSlow, Group: "generic", Since: "1.0.0",
			Summary: "Returns a random key name from the database.", Lock: LockNone, Handler: cmdRandomKey},
		&Command{Name: "flushall", Arity: -1, Flags: FlagWrite, ACL: []string{"keyspace", "slow", "dangerous"}, Group: "server", Since: "1.0.0",
			Summary: "Removes every key from every database.", Usage: "[ASYNC | SYNC]", Lock: LockAll, Handler: cmdFlushAll},
		&Command{Name: "flushdb", Arity: -1, Flags: FlagWrite, ACL: []string{"keyspace", "slow", "dangerous"}, Group: "server", Since: "1.0.0",
			Summary: "Removes every key from the current database.", Usage: "[ASYNC | SYNC]", Lock: LockAll, Handler: cmdFlushDB},
		&Command{Name: "dbsize", Arity: 1, Flags: FlagReadonly | FlagFast, ACL: []string{"keyspace"}, Group: "server", Since: "1.0.0",
			Summary: "Returns the number of keys in the current database.", Lock: LockNone, Handler: cmdDBSize},
	)
}
