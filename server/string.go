package server

// String commands: parse, operate on the entry under the dispatcher's shard
// locks, reply. Replies, error texts and their order follow redis-server
// 7.0.15; effects (keyspace events, dirty counts, propagation) follow Redis
// 7.2.
//
// String values are changed in place (APPEND, SETRANGE, INCR reuse the
// entry's byte slice; the bitmap commands in bitmap.go too): the entry is
// fetched with LookupWrite first, which lets a running snapshot save the old
// value, and nothing else may share an entry's Str (COPY, RESTORE and
// friends store their own copy).

import (
	"math"
	"math/big"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/num"
)

func init() { familyRegistrars = append(familyRegistrars, registerStringCommands) }

// embstrMaxLen is OBJ_ENCODING_EMBSTR_SIZE_LIMIT.
const embstrMaxLen = 44

// Errors only this family sends.
const (
	errOffsetRange         = "ERR offset is out of range"
	errDecrOverflow        = "ERR decrement would overflow"
	errLCSKeyType          = "ERR The specified keys must contain string values"
	errLCSLenAndIdx        = "ERR If you want both the length and indexes, please just use IDX."
	errLCSTooLong          = "ERR String too long for LCS"
	errLCSMemoryLimit      = "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"
	errInvalidExpirePrefix = "ERR invalid expire time in '"
)

// Command names of normalised effects, shared so propagating allocates less.
var (
	argSET       = []byte("SET")
	argDEL       = []byte("DEL")
	argPXAT      = []byte("PXAT")
	argKEEPTTL   = []byte("KEEPTTL")
	argPEXPIREAT = []byte("PEXPIREAT")
	argPERSIST   = []byte("PERSIST")
)

// errInvalidExpire is Redis's addReplyErrorExpireTime text for cmd.
func errInvalidExpire(cmd string) string {
	return errInvalidExpirePrefix + cmd + "' command"
}

// stringEncoding picks the encoding Redis's tryObjectEncoding would report.
func stringEncoding(v []byte) keyspace.Encoding {
	if len(v) <= 20 {
		if _, ok := num.ParseInt(v); ok {
			return keyspace.EncInt
		}
	}
	return plainStringEncoding(v)
}

// plainStringEncoding is createStringObject's choice, for values Redis
// stores without trying the integer encoding (INCRBYFLOAT results).
func plainStringEncoding(v []byte) keyspace.Encoding {
	if len(v) <= embstrMaxLen {
		return keyspace.EncEmbstr
	}
	return keyspace.EncRaw
}

// newString builds a string entry owning a copy of v.
func newString(v []byte) keyspace.Entry {
	return keyspace.Entry{Type: keyspace.TypeString, Enc: stringEncoding(v), Str: clone(v)}
}

// getString looks key up for reading as a string (Redis's lookupKeyRead:
// hit/miss statistics and the keymiss event). ok is false when the key holds
// another type (the WRONGTYPE error has been sent).
func (c *Ctx) getString(key []byte) (e *keyspace.Entry, ok bool) {
	e = c.lookupRead(key, 0)
	if e == nil {
		return nil, true
	}
	if e.Type != keyspace.TypeString {
		c.Error(ErrWrongType)
		return nil, false
	}
	return e, true
}

// getStringWrite looks key up for modification (no statistics, as Redis's
// lookupKeyWrite). ok is false when the key holds another type (the
// WRONGTYPE error has been sent).
func (c *Ctx) getStringWrite(key []byte) (e *keyspace.Entry, ok bool) {
	e = c.LookupWrite(key)
	if e != nil && e.Type != keyspace.TypeString {
		c.Error(ErrWrongType)
		return nil, false
	}
	return e, true
}

// checkStringLength replies with Redis's error when a string of size+grow
// bytes would exceed proto-max-bulk-len (or overflow).
func (c *Ctx) checkStringLength(size, grow int64) bool {
	total := size + grow
	if total < size || total > c.srv.set.protoMaxBulkLen.Load() {
		c.Error(ErrStringTooLong)
		return false
	}
	return true
}

// setKey stores a new string value under key the way Redis's setKey does:
// the old value and its TTL are gone, WATCHers are told.
func (c *Ctx) setKey(key, val []byte, expire int64) {
	e := newString(val)
	e.Expire = expire
	c.db.Put(key, e)
	c.Modified(key)
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

// setFlags are the options of SET and GETEX.
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

const setExpireFlags = setEX | setPX | setEXAT | setPXAT

// parseSetOptions parses SET's (getex false) or GETEX's (getex true)
// options, with the rules of Redis's parseExtendedStringArgumentsOrReply: an
// expiry option excludes the other kinds but may repeat (the last one
// counts), NX excludes XX, KEEPTTL and PERSIST exclude every expiry. It
// returns the flags and the expiry argument, or replies ERR syntax error.
func (c *Ctx) parseSetOptions(args [][]byte, getex bool) (setFlags, []byte, bool) {
	var flags setFlags
	var expireArg []byte
	noExpireBut := func(kind setFlags) bool {
		return flags&(setKeepTTL|setPersist|(setExpireFlags&^kind)) == 0
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		hasNext := i+1 < len(args)
		var kind setFlags
		switch {
		case !getex && eq(a, "nx") && flags&setXX == 0:
			flags |= setNX
		case !getex && eq(a, "xx") && flags&setNX == 0:
			flags |= setXX
		case !getex && eq(a, "get"):
			flags |= setGet
		case !getex && eq(a, "keepttl") && flags&(setPersist|setExpireFlags) == 0:
			flags |= setKeepTTL
		case getex && eq(a, "persist") && flags&(setKeepTTL|setExpireFlags) == 0:
			flags |= setPersist
		case eq(a, "ex"):
			kind = setEX
		case eq(a, "px"):
			kind = setPX
		case eq(a, "exat"):
			kind = setEXAT
		case eq(a, "pxat"):
			kind = setPXAT
		default:
			c.Error(ErrSyntax)
			return 0, nil, false
		}
		if kind != 0 {
			if !hasNext || !noExpireBut(kind) {
				c.Error(ErrSyntax)
				return 0, nil, false
			}
			flags |= kind
			i++
			expireArg = args[i]
		}
	}
	return flags, expireArg, true
}

// expireAt turns an EX/PX/EXAT/PXAT argument into an absolute unix time in
// ms (Redis's getExpireMillisecondsOrReply), or replies with the error.
func (c *Ctx) expireAt(kind setFlags, arg []byte, cmdName string) (int64, bool) {
	v, ok := c.intArg(arg)
	if !ok {
		return 0, false
	}
	seconds := kind&(setEX|setEXAT) != 0
	if v <= 0 || (seconds && v > math.MaxInt64/1000) {
		c.Error(errInvalidExpire(cmdName))
		return 0, false
	}
	if seconds {
		v *= 1000
	}
	if kind&(setEX|setPX) != 0 {
		if v > math.MaxInt64-c.now {
			c.Error(errInvalidExpire(cmdName))
			return 0, false
		}
		v += c.now
	}
	return v, true
}

// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
func cmdSet(c *Ctx, args [][]byte) {
	flags, expireArg, ok := c.parseSetOptions(args[3:], false)
	if !ok {
		return
	}
	var at int64
	if expireArg != nil {
		if at, ok = c.expireAt(flags&setExpireFlags, expireArg, "set"); !ok {
			return
		}
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
	switch {
	case at != 0:
		c.Notify(NotifyGeneric, "expire", key)
		c.Propagate(argSET, key, args[2], argPXAT, num.AppendInt(nil, at))
	case flags&setGet != 0 && c.srv.ks.Stream.Active():
		// The GET option only shapes the reply: propagate without it.
		argv := make([][]byte, 0, len(args))
		for i, a := range args {
			if i < 3 || !eq(a, "get") {
				argv = append(argv, a)
			}
		}
		c.Propagate(argv...)
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

// SETNX key value
func cmdSetNX(c *Ctx, args [][]byte) {
	key := args[1]
	if c.LookupWrite(key) != nil {
		c.Int(0)
		return
	}
	c.setKey(key, args[2], 0)
	c.Notify(NotifyString, "set", key)
	c.Int(1)
}

// setWithTTL is SETEX and PSETEX: kind says the unit of args[2].
func setWithTTL(c *Ctx, args [][]byte, kind setFlags, cmdName string) {
	at, ok := c.expireAt(kind, args[2], cmdName)
	if !ok {
		return
	}
	key := args[1]
	c.setKey(key, args[3], at)
	c.Notify(NotifyString, "set", key)
	c.Notify(NotifyGeneric, "expire", key)
	c.Propagate(argSET, key, args[3], argPXAT, num.AppendInt(nil, at))
	c.OK()
}

// SETEX key seconds value
func cmdSetEX(c *Ctx, args [][]byte) { setWithTTL(c, args, setEX, "setex") }

// PSETEX key milliseconds value
func cmdPSetEX(c *Ctx, args [][]byte) { setWithTTL(c, args, setPX, "psetex") }

// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]
func cmdGetEX(c *Ctx, args [][]byte) {
	flags, expireArg, ok := c.parseSetOptions(args[2:], true)
	if !ok {
		return
	}
	key := args[1]
	e, ok := c.getString(key)
	if !ok {
		return
	}
	if e == nil {
		c.Null()
		return
	}
	// Redis 7.0 validates the expiry only once the key is known to exist.
	var at int64
	if expireArg != nil {
		if at, ok = c.expireAt(flags&setExpireFlags, expireArg, "getex"); !ok {
			return
		}
	}
	c.Bulk(e.Str)
	switch {
	case flags&(setEXAT|setPXAT) != 0 && at <= c.now:
		// An absolute time already past: the key goes now.
		c.db.Delete(key)
		c.Modified(key)
		c.Notify(NotifyGeneric, "del", key)
		c.Propagate(argDEL, key)
	case expireArg != nil:
		c.db.SetExpire(key, e, at)
		c.Modified(key)
		c.Notify(NotifyGeneric, "expire", key)
		c.Propagate(argPEXPIREAT, key, num.AppendInt(nil, at))
	case flags&setPersist != 0 && e.Expire != 0:
		c.db.SetExpire(key, e, 0)
		c.Modified(key)
		c.Notify(NotifyGeneric, "persist", key)
		c.Propagate(argPERSIST, key)
	}
}

// GETDEL key
func cmdGetDel(c *Ctx, args [][]byte) {
	key := args[1]
	e, ok := c.getString(key)
	if !ok {
		return
	}
	if e == nil {
		c.Null()
		return
	}
	c.Bulk(e.Str)
	c.db.Delete(key)
	c.Modified(key)
	c.Notify(NotifyGeneric, "del", key)
	c.Propagate(argDEL, key)
}

// GETSET key value
func cmdGetSet(c *Ctx, args [][]byte) {
	key := args[1]
	e, ok := c.getString(key)
	if !ok {
		return
	}
	c.replyOldValue(e)
	c.setKey(key, args[2], 0)
	c.Notify(NotifyString, "set", key)
	c.Propagate(argSET, key, args[2])
}

// MGET key [key ...]
func cmdMGet(c *Ctx, args [][]byte) {
	c.Array(len(args) - 1)
	for _, key := range args[1:] {
		e := c.lookupRead(key, 0)
		if e == nil || e.Type != keyspace.TypeString {
			c.Null()
			continue
		}
		c.Bulk(e.Str)
	}
}

// MSET key value [key value ...]
func cmdMSet(c *Ctx, args [][]byte) {
	if len(args)%2 == 0 {
		c.Error(errArity("mset"))
		return
	}
	msetPairs(c, args)
	c.OK()
}

// MSETNX key value [key value ...]
func cmdMSetNX(c *Ctx, args [][]byte) {
	if len(args)%2 == 0 {
		c.Error(errArity("msetnx"))
		return
	}
	for i := 1; i < len(args); i += 2 {
		if c.LookupWrite(args[i]) != nil {
			c.Int(0)
			return
		}
	}
	msetPairs(c, args)
	c.Int(1)
}

func msetPairs(c *Ctx, args [][]byte) {
	for i := 1; i < len(args); i += 2 {
		c.setKey(args[i], args[i+1], 0)
		c.Notify(NotifyString, "set", args[i])
	}
}

// APPEND key value
func cmdAppend(c *Ctx, args [][]byte) {
	key, val := args[1], args[2]
	e, ok := c.getStringWrite(key)
	if !ok {
		return
	}
	var total int
	if e == nil {
		c.db.Put(key, newString(val))
		total = len(val)
	} else {
		if !c.checkStringLength(int64(len(e.Str)), int64(len(val))) {
			return
		}
		e.Str = append(e.Str, val...)
		e.Enc = keyspace.EncRaw
		total = len(e.Str)
	}
	c.Modified(key)
	c.Notify(NotifyString, "append", key)
	c.Int(int64(total))
}

// STRLEN key
func cmdStrlen(c *Ctx, args [][]byte) {
	e, ok := c.getString(args[1])
	if !ok {
		return
	}
	if e == nil {
		c.Int(0)
		return
	}
	c.Int(int64(len(e.Str)))
}

// incrDecr adds incr to the integer at key (INCR, DECR, INCRBY, DECRBY).
// The TTL stays; the value is int-encoded as Redis's shared/int objects.
func incrDecr(c *Ctx, key []byte, incr int64) {
	e, ok := c.getStringWrite(key)
	if !ok {
		return
	}
	var v int64
	if e != nil {
		if v, ok = num.ParseInt(e.Str); !ok {
			c.Error(ErrNotInteger)
			return
		}
	}
	if (incr < 0 && v < 0 && incr < math.MinInt64-v) || (incr > 0 && v > 0 && incr > math.MaxInt64-v) {
		c.Error(ErrOverflow)
		return
	}
	v += incr
	if e == nil {
		c.db.Put(key, keyspace.Entry{Type: keyspace.TypeString, Enc: keyspace.EncInt, Str: num.AppendInt(nil, v)})
	} else {
		e.Str = num.AppendInt(e.Str[:0], v)
		e.Enc = keyspace.EncInt
	}
	c.Modified(key)
	c.Notify(NotifyString, "incrby", key)
	c.Int(v)
}

// INCR key
func cmdIncr(c *Ctx, args [][]byte) { incrDecr(c, args[1], 1) }

// DECR key
func cmdDecr(c *Ctx, args [][]byte) { incrDecr(c, args[1], -1) }

// INCRBY key increment
func cmdIncrBy(c *Ctx, args [][]byte) {
	if incr, ok := c.intArg(args[2]); ok {
		incrDecr(c, args[1], incr)
	}
}

// DECRBY key decrement
func cmdDecrBy(c *Ctx, args [][]byte) {
	decr, ok := c.intArg(args[2])
	if !ok {
		return
	}
	if decr == math.MinInt64 {
		c.Error(errDecrOverflow)
		return
	}
	incrDecr(c, args[1], -decr)
}

// INCRBYFLOAT key increment
func cmdIncrByFloat(c *Ctx, args [][]byte) {
	key := args[1]
	e, ok := c.getStringWrite(key)
	if !ok {
		return
	}
	value := new(big.Float).SetPrec(longDoublePrec)
	if e != nil {
		if value, ok = parseLongDouble(e.Str); !ok {
			c.Error(ErrNotFloat)
			return
		}
	}
	incr, ok := parseLongDouble(args[2])
	if !ok {
		c.Error(ErrNotFloat)
		return
	}
	sum, ok := addLongDouble(value, incr)
	if !ok {
		c.Error(ErrIncrFloatNaN)
		return
	}
	str := appendLongDoubleHuman(nil, sum)
	if e == nil {
		c.db.Put(key, keyspace.Entry{Type: keyspace.TypeString, Enc: plainStringEncoding(str), Str: str})
	} else {
		e.Str = str
		e.Enc = plainStringEncoding(str)
	}
	c.Modified(key)
	c.Notify(NotifyString, "incrbyfloat", key)
	c.Bulk(str)
	// Replicas and the AOF get the result, never the float arithmetic.
	c.Propagate(argSET, key, str, argKEEPTTL)
}

// GETRANGE key start end
func cmdGetRange(c *Ctx, args [][]byte) {
	start, ok := c.intArg(args[2])
	if !ok {
		return
	}
	end, ok := c.intArg(args[3])
	if !ok {
		return
	}
	e, ok := c.getString(args[1])
	if !ok {
		return
	}
	if e == nil {
		c.BulkString("")
		return
	}
	s := e.Str
	n := int64(len(s))
	if start < 0 && end < 0 && start > end {
		c.BulkString("")
		return
	}
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start = max(start, 0)
	end = max(end, 0)
	if end >= n {
		end = n - 1
	}
	if start > end || n == 0 {
		c.BulkString("")
		return
	}
	c.Bulk(s[start : end+1])
}

// SETRANGE key offset value
func cmdSetRange(c *Ctx, args [][]byte) {
	key, val := args[1], args[3]
	offset, ok := c.intArg(args[2])
	if !ok {
		return
	}
	if offset < 0 {
		c.Error(errOffsetRange)
		return
	}
	e, ok := c.getStringWrite(key)
	if !ok {
		return
	}
	if e == nil {
		if len(val) == 0 {
			c.Int(0)
			return
		}
		if !c.checkStringLength(offset, int64(len(val))) {
			return
		}
		s := make([]byte, offset+int64(len(val)))
		copy(s[offset:], val)
		c.db.Put(key, keyspace.Entry{Type: keyspace.TypeString, Enc: keyspace.EncRaw, Str: s})
		c.Modified(key)
		c.Notify(NotifyString, "setrange", key)
		c.Int(int64(len(s)))
		return
	}
	if len(val) == 0 {
		c.Int(int64(len(e.Str)))
		return
	}
	if !c.checkStringLength(offset, int64(len(val))) {
		return
	}
	e.Str = growZero(e.Str, int(offset)+len(val))
	copy(e.Str[offset:], val)
	e.Enc = keyspace.EncRaw
	c.Modified(key)
	c.Notify(NotifyString, "setrange", key)
	c.Int(int64(len(e.Str)))
}

// growZero extends s with zero bytes to at least n bytes.
func growZero(s []byte, n int) []byte {
	if len(s) >= n {
		return s
	}
	if cap(s) >= n {
		old := len(s)
		s = s[:n]
		clear(s[old:])
		return s
	}
	return append(s, make([]byte, n-len(s))...)
}

// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
func cmdLCS(c *Ctx, args [][]byte) {
	ea, eb := c.lookupRead(args[1], 0), c.lookupRead(args[2], 0)
	if (ea != nil && ea.Type != keyspace.TypeString) || (eb != nil && eb.Type != keyspace.TypeString) {
		c.Error(errLCSKeyType)
		return
	}
	var a, b []byte
	if ea != nil {
		a = ea.Str
	}
	if eb != nil {
		b = eb.Str
	}
	var getLen, getIdx, withMatchLen bool
	var minMatchLen int64
	for i := 3; i < len(args); i++ {
		switch opt := args[i]; {
		case eq(opt, "idx"):
			getIdx = true
		case eq(opt, "len"):
			getLen = true
		case eq(opt, "withmatchlen"):
			withMatchLen = true
		case eq(opt, "minmatchlen") && i+1 < len(args):
			v, ok := c.intArg(args[i+1])
			if !ok {
				return
			}
			minMatchLen = max(v, 0)
			i++
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	if getLen && getIdx {
		c.Error(errLCSLenAndIdx)
		return
	}
	if uint64(len(a)) >= math.MaxUint32-1 || uint64(len(b)) >= math.MaxUint32-1 {
		c.Error(errLCSTooLong)
		return
	}
	cells := uint64(len(a)+1) * uint64(len(b)+1)
	if cells*4 > uint64(c.srv.set.protoMaxBulkLen.Load()) {
		c.Error(errLCSMemoryLimit)
		return
	}
	m := lcsTable(a, b)
	lcsReply(c, a, b, m, getLen, getIdx, withMatchLen, minMatchLen)
}

// lcsTable builds the dynamic-programming table of LCS lengths: cell
// (i, j) at i*(len(b)+1)+j holds the LCS length of a[:i] and b[:j].
func lcsTable(a, b []byte) []uint32 {
	w := len(b) + 1
	m := make([]uint32, (len(a)+1)*w)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				m[i*w+j] = m[(i-1)*w+j-1] + 1
			default:
				m[i*w+j] = max(m[(i-1)*w+j], m[i*w+j-1])
			}
		}
	}
	return m
}

// lcsMatch is one IDX range: a[aStart..aEnd] equals b[bStart..bEnd].
type lcsMatch struct{ aStart, aEnd, bStart, bEnd uint32 }

// lcsReply walks the table back from the end as Redis does, collecting the
// LCS string and the matching ranges (last first), and replies.
func lcsReply(c *Ctx, a, b []byte, m []uint32, getLen, getIdx, withMatchLen bool, minMatchLen int64) {
	w := len(b) + 1
	at := func(i, j int) uint32 { return m[i*w+j] }
	total := at(len(a), len(b))
	if getLen {
		c.Int(int64(total))
		return
	}
	result := make([]byte, total)
	var matches []lcsMatch
	idx := int(total)
	unset := uint32(len(a)) // range not started
	cur := lcsMatch{aStart: unset}
	i, j := len(a), len(b)
	for i > 0 && j > 0 {
		emit := false
		if a[i-1] == b[j-1] {
			result[idx-1] = a[i-1]
			if cur.aStart == unset {
				cur = lcsMatch{uint32(i - 1), uint32(i - 1), uint32(j - 1), uint32(j - 1)}
			} else if cur.aStart == uint32(i) && cur.bStart == uint32(j) {
				cur.aStart--
				cur.bStart--
			} else {
				emit = true
			}
			if cur.aStart == 0 || cur.bStart == 0 {
				emit = true
			}
			idx--
			i--
			j--
		} else {
			if at(i-1, j) > at(i, j-1) {
				i--
			} else {
				j--
			}
			if cur.aStart != unset {
				emit = true
			}
		}
		if emit {
			if minMatchLen == 0 || int64(cur.aEnd-cur.aStart+1) >= minMatchLen {
				matches = append(matches, cur)
			}
			cur.aStart = unset
		}
	}
	if !getIdx {
		c.Bulk(result)
		return
	}
	c.Map(2)
	c.BulkString("matches")
	c.Array(len(matches))
	for _, r := range matches {
		if withMatchLen {
			c.Array(3)
		} else {
			c.Array(2)
		}
		c.Array(2)
		c.Int(int64(r.aStart))
		c.Int(int64(r.aEnd))
		c.Array(2)
		c.Int(int64(r.bStart))
		c.Int(int64(r.bEnd))
		if withMatchLen {
			c.Int(int64(r.aEnd - r.aStart + 1))
		}
	}
	c.BulkString("len")
	c.Int(int64(total))
}

func registerStringCommands(t *Table) {
	str := []string{"string"}
	one := func(cmd *Command) *Command {
		cmd.ACL, cmd.Group, cmd.FirstKey, cmd.LastKey, cmd.KeyStep = str, "string", 1, 1, 1
		return cmd
	}
	t.Add(
		one(&Command{Name: "get", Arity: 2, Flags: FlagReadonly | FlagFast, Since: "1.0.0",
			Summary: "Returns the string value of a key.", Usage: "key", Handler: cmdGet}),
		one(&Command{Name: "set", Arity: -3, Flags: FlagWrite | FlagDenyOOM, Since: "1.0.0",
			Summary: "Sets a key to a string value, optionally with a TTL or only if it (does not) exist.",
			Usage:   "key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]",
			Handler: cmdSet}),
		one(&Command{Name: "setnx", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, Since: "1.0.0",
			Summary: "Sets a key to a string value only if the key does not exist.", Usage: "key value", Handler: cmdSetNX}),
		one(&Command{Name: "setex", Arity: 4, Flags: FlagWrite | FlagDenyOOM, Since: "2.0.0",
			Summary: "Sets a key to a string value with a TTL in seconds.", Usage: "key seconds value", Handler: cmdSetEX}),
		one(&Command{Name: "psetex", Arity: 4, Flags: FlagWrite | FlagDenyOOM, Since: "2.6.0",
			Summary: "Sets a key to a string value with a TTL in milliseconds.", Usage: "key milliseconds value", Handler: cmdPSetEX}),
		one(&Command{Name: "getex", Arity: -2, Flags: FlagWrite | FlagFast, Since: "6.2.0",
			Summary: "Returns a string value and optionally sets or removes its TTL.",
			Usage:   "key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]",
			Handler: cmdGetEX}),
		one(&Command{Name: "getdel", Arity: 2, Flags: FlagWrite | FlagFast, Since: "6.2.0",
			Summary: "Returns a string value and deletes the key.", Usage: "key", Handler: cmdGetDel}),
		one(&Command{Name: "getset", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, Since: "1.0.0",
			Summary: "Sets a new string value and returns the previous one.", Usage: "key value", Handler: cmdGetSet}),
		&Command{Name: "mget", Arity: -2, Flags: FlagReadonly | FlagFast, ACL: str, Group: "string", Since: "1.0.0",
			Summary: "Returns the string values of several keys.", Usage: "key [key ...]",
			FirstKey: 1, LastKey: -1, KeyStep: 1, Handler: cmdMGet},
		&Command{Name: "mset", Arity: -3, Flags: FlagWrite | FlagDenyOOM, ACL: str, Group: "string", Since: "1.0.1",
			Summary: "Sets several keys to string values.", Usage: "key value [key value ...]",
			FirstKey: 1, LastKey: -1, KeyStep: 2, Handler: cmdMSet},
		&Command{Name: "msetnx", Arity: -3, Flags: FlagWrite | FlagDenyOOM, ACL: str, Group: "string", Since: "1.0.1",
			Summary: "Sets several keys to string values only if none of them exists.", Usage: "key value [key value ...]",
			FirstKey: 1, LastKey: -1, KeyStep: 2, Handler: cmdMSetNX},
		one(&Command{Name: "append", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, Since: "2.0.0",
			Summary: "Appends a string to a key's value, creating the key if needed.", Usage: "key value", Handler: cmdAppend}),
		one(&Command{Name: "strlen", Arity: 2, Flags: FlagReadonly | FlagFast, Since: "2.2.0",
			Summary: "Returns the length of a string value.", Usage: "key", Handler: cmdStrlen}),
		one(&Command{Name: "incr", Arity: 2, Flags: FlagWrite | FlagDenyOOM | FlagFast, Since: "1.0.0",
			Summary: "Adds one to an integer value.", Usage: "key", Handler: cmdIncr}),
		one(&Command{Name: "decr", Arity: 2, Flags: FlagWrite | FlagDenyOOM | FlagFast, Since: "1.0.0",
			Summary: "Subtracts one from an integer value.", Usage: "key", Handler: cmdDecr}),
		one(&Command{Name: "incrby", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, Since: "1.0.0",
			Summary: "Adds an integer to an integer value.", Usage: "key increment", Handler: cmdIncrBy}),
		one(&Command{Name: "decrby", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, Since: "1.0.0",
			Summary: "Subtracts an integer from an integer value.", Usage: "key decrement", Handler: cmdDecrBy}),
		one(&Command{Name: "incrbyfloat", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, Since: "2.6.0",
			Summary: "Adds a floating-point number to a numeric value.", Usage: "key increment", Handler: cmdIncrByFloat}),
		one(&Command{Name: "getrange", Arity: 4, Flags: FlagReadonly, Since: "2.4.0",
			Summary: "Returns a substring of a string value.", Usage: "key start end", Handler: cmdGetRange}),
		one(&Command{Name: "substr", Arity: 4, Flags: FlagReadonly, Since: "1.0.0",
			Summary: "Returns a substring of a string value (deprecated alias of GETRANGE).", Usage: "key start end", Handler: cmdGetRange}),
		one(&Command{Name: "setrange", Arity: 4, Flags: FlagWrite | FlagDenyOOM, Since: "2.2.0",
			Summary: "Overwrites part of a string value from an offset, padding with zero bytes.", Usage: "key offset value",
			Handler: cmdSetRange}),
		&Command{Name: "lcs", Arity: -3, Flags: FlagReadonly, ACL: str, Group: "string", Since: "7.0.0",
			Summary:  "Finds the longest common subsequence of two string values.",
			Usage:    "key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]",
			FirstKey: 1, LastKey: 2, KeyStep: 1, Handler: cmdLCS},
	)
}

// INCRBYFLOAT arithmetic. Redis computes INCRBYFLOAT in C long double (the
// x87 80-bit format on x86-64: a 64-bit significand, exponents to ±16383),
// parses with strtold and prints with "%.17Lf", dropping trailing zeros.
// float64 gives different digits (10.5+0.1+5.0e3 is 5010.60000000000000009
// in Redis), so the arithmetic is emulated with big.Float at 64 bits of
// precision, rounding to nearest even as the FPU does.

const (
	longDoublePrec = 64
	// longDoubleMaxExp: a long double is below 2^16384 (big.Float's MantExp
	// of the largest finite value is 16384).
	longDoubleMaxExp = 16384
	// longDoubleMinExp is the MantExp of values in [2^-16446, 2^-16445),
	// the range that rounds to 0 or to the smallest subnormal, 2^-16445.
	longDoubleMinExp = -16445
	// maxLongDoubleChars is MAX_LONG_DOUBLE_CHARS: string2ld refuses longer input.
	maxLongDoubleChars = 5 * 1024
)

// parseLongDouble parses s as Redis's string2ld does: the whole string must
// be a strtold number (decimal or hex float, inf/infinity; no NaN, no
// leading space); overflow and underflow to zero are refused.
func parseLongDouble(s []byte) (*big.Float, bool) {
	if len(s) == 0 || len(s) >= maxLongDoubleChars || num.IsSpace(s[0]) {
		return nil, false
	}
	neg := false
	p := s
	if p[0] == '+' || p[0] == '-' {
		neg = p[0] == '-'
		p = p[1:]
	}
	f := new(big.Float).SetPrec(longDoublePrec)
	if eq(p, "inf") || eq(p, "infinity") {
		return f.SetInf(neg), true
	}
	var ok bool
	if len(p) > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') {
		ok = parseHexFloat(f, p[2:])
	} else {
		ok = parseDecimalFloat(f, p)
	}
	if !ok {
		return nil, false
	}
	if neg {
		f.Neg(f)
	}
	return f, true
}

// scanDigits returns the length of the run of digits at the start of s.
func scanDigits(s []byte, hex bool) int {
	n := 0
	for n < len(s) && (s[n] >= '0' && s[n] <= '9' ||
		hex && (s[n] >= 'a' && s[n] <= 'f' || s[n] >= 'A' && s[n] <= 'F')) {
		n++
	}
	return n
}

// scanMantissa splits "digits[.digits]" off the start of s: the digits
// without the dot, the number after the dot, and the rest of s.
func scanMantissa(s []byte, hex bool) (digits []byte, frac int, rest []byte, ok bool) {
	n := scanDigits(s, hex)
	digits = append(digits, s[:n]...)
	s = s[n:]
	if len(s) > 0 && s[0] == '.' {
		n = scanDigits(s[1:], hex)
		digits = append(digits, s[1:1+n]...)
		frac = n
		s = s[1+n:]
	}
	return digits, frac, s, len(digits) > 0
}

// scanExponent parses "[+-]digits" (all of s), saturating far beyond any
// exponent that matters.
func scanExponent(s []byte) (int64, bool) {
	neg := false
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 || scanDigits(s, false) != len(s) {
		return 0, false
	}
	var v int64
	for _, ch := range s {
		v = min(v*10+int64(ch-'0'), 1<<40)
	}
	if neg {
		v = -v
	}
	return v, true
}

// parseDecimalFloat sets f to the decimal number s, correctly rounded.
func parseDecimalFloat(f *big.Float, s []byte) bool {
	digits, frac, rest, ok := scanMantissa(s, false)
	if !ok {
		return false
	}
	var exp int64
	if len(rest) > 0 {
		if rest[0] != 'e' && rest[0] != 'E' {
			return false
		}
		if exp, ok = scanExponent(rest[1:]); !ok {
			return false
		}
	}
	// Normalise to digits × 10^exp with no leading or trailing zeros.
	for len(digits) > 0 && digits[0] == '0' {
		digits = digits[1:]
	}
	for len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		frac--
	}
	if len(digits) == 0 {
		f.SetInt64(0)
		return true
	}
	exp -= int64(frac)
	n := int64(len(digits))
	// The value lies in [10^(n-1+exp), 10^(n+exp)): refuse what is surely
	// out of range before computing powers of ten.
	if n-1+exp > 4933 || n+exp < -4952 {
		return false
	}
	mant, _ := new(big.Int).SetString(string(digits), 10)
	ten := big.NewInt(10)
	if exp >= 0 {
		mant.Mul(mant, new(big.Int).Exp(ten, big.NewInt(exp), nil))
		f.SetInt(mant)
	} else {
		den := new(big.Int).Exp(ten, big.NewInt(-exp), nil)
		f.SetRat(new(big.Rat).SetFrac(mant, den))
	}
	return longDoubleInRange(f)
}

// parseHexFloat sets f to the hex float s (after "0x"): hex digits with an
// optional fraction and an optional binary exponent "p[+-]digits".
func parseHexFloat(f *big.Float, s []byte) bool {
	digits, frac, rest, ok := scanMantissa(s, true)
	if !ok {
		return false
	}
	var exp int64
	if len(rest) > 0 {
		if rest[0] != 'p' && rest[0] != 'P' {
			return false
		}
		if exp, ok = scanExponent(rest[1:]); !ok {
			return false
		}
	}
	mant, _ := new(big.Int).SetString(string(digits), 16)
	if mant.Sign() == 0 {
		f.SetInt64(0)
		return true
	}
	exp -= 4 * int64(frac)
	// Clamp before SetMantExp so the int conversion cannot overflow; the
	// range check refuses anything this far out.
	exp = max(min(exp, 1<<20), -(1 << 20))
	f.SetInt(mant)
	f.SetMantExp(f, int(exp))
	return longDoubleInRange(f)
}

// longDoubleInRange reports whether the non-zero f is neither an overflow
// nor an underflow to zero for a long double. Below the smallest subnormal
// 2^-16445, values above half of it round up to it; half of it exactly
// (a tie) and less round to zero.
func longDoubleInRange(f *big.Float) bool {
	mant := new(big.Float)
	e := f.MantExp(mant)
	if e == longDoubleMinExp {
		return mant.Abs(mant).Cmp(big.NewFloat(0.5)) != 0
	}
	return e <= longDoubleMaxExp && e > longDoubleMinExp
}

// addLongDouble returns a+b rounded to a long double; ok is false when the
// sum is infinite or NaN (either input infinite, or an overflow).
func addLongDouble(a, b *big.Float) (*big.Float, bool) {
	if a.IsInf() || b.IsInf() {
		return nil, false
	}
	sum := new(big.Float).SetPrec(longDoublePrec).Add(a, b)
	if sum.Sign() != 0 && sum.MantExp(nil) > longDoubleMaxExp {
		return nil, false
	}
	return sum, true
}

// appendLongDoubleHuman formats f as ld2string(LD_STR_HUMAN): "%.17Lf"
// with trailing zeros (and a bare dot) removed, "-0" printed as "0".
func appendLongDoubleHuman(dst []byte, f *big.Float) []byte {
	start := len(dst)
	dst = f.Append(dst, 'f', 17)
	end := len(dst)
	for dst[end-1] == '0' {
		end--
	}
	if dst[end-1] == '.' {
		end--
	}
	dst = dst[:end]
	if string(dst[start:]) == "-0" {
		dst = append(dst[:start], '0')
	}
	return dst
}
