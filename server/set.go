package server

// Set commands. A set key holds a *set.Set (datatypes/set): an intset while
// its members are integers and at most set-max-intset-entries, a hash table
// otherwise. Entry.Enc follows the set after every write, so OBJECT ENCODING
// agrees with redis-server 7.0.15, which has no listpack sets (Redis 7.2's
// listpack encoding for small sets of strings is a deliberate gap, see
// datatypes/set).
//
// Replies, error texts and their order follow redis-server 7.0.15;
// effects (keyspace events, dirty counts, propagation) follow Redis 7.2:
// SPOP propagates as SREM of the popped members (in batches of 1024), or
// DEL when it empties the set. Reply order: an intset answers in ascending
// order like Redis; a hash table answers in its own table order, which
// differs from Redis's (tests compare those replies unordered).
//
// The multi-key commands (SINTER..., SUNION..., SDIFF..., SMOVE) name every
// key in their spec, so the dispatcher holds all their shards; SINTERCARD's
// keys come from its numkeys argument (sinterCardKeys).

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/num"
	"github.com/vireodb/vireo/datatypes/set"
)

func init() {
	familyRegistrars = append(familyRegistrars, registerSetCommands)
	valueDigesters[keyspace.TypeSet] = digestSet
}

// digestSet is DEBUG DIGEST's view of a set (xorObjectDigest): each member
// XORed in, so the order does not matter and an intset digests like a hash
// table with the same members.
func digestSet(d *digest, e *keyspace.Entry) {
	e.Obj.(*set.Set).Range(func(m []byte) bool {
		d.xor(m)
		return true
	})
}

// Errors only this family sends.
const (
	errNumkeysPositive = "ERR numkeys should be greater than 0"
	errNumkeysTooMany  = "ERR Number of keys can't be greater than number of args"
	errLimitNegative   = "ERR LIMIT can't be negative"
	errSrandCountRange = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
	// errSrandTooMany is Vireo's own: Redis would build a reply of that many
	// members until memory runs out; Vireo refuses instead of crashing.
	errSrandTooMany = "ERR count is too large: the reply would not fit in memory"
)

var argSREM = []byte("SREM")

const (
	// sremBatch is how many popped members one propagated SREM carries
	// (Redis 7.2's SPOP batch size).
	sremBatch = 1024
	// spopMoveStrategyMul: SPOP with a count keeps the remaining members in
	// a new set when they are few compared with the popped ones
	// (SPOP_MOVE_STRATEGY_MUL).
	spopMoveStrategyMul = 5
	// srandSubStrategyMul: SRANDMEMBER copies the set and removes members
	// when the count is close to its size (SRANDMEMBER_SUB_STRATEGY_MUL).
	srandSubStrategyMul = 3
	// srandMaxRepeated bounds SRANDMEMBER's negative count (see
	// errSrandTooMany): 2^28 members is a reply of at least 2 GiB.
	srandMaxRepeated = 1 << 28
)

// setEncoding is what OBJECT ENCODING reports for s.
func setEncoding(s *set.Set) keyspace.Encoding {
	if s.IsIntset() {
		return keyspace.EncIntset
	}
	return keyspace.EncHashtable
}

// maxIntset is set-max-intset-entries now (a CONFIG SET applies to later
// writes, as in Redis).
func (c *Ctx) maxIntset() int { return c.srv.Limits().SetMaxIntsetEntries }

// readSet looks key up for reading (hit/miss statistics, keymiss event).
// ok is false when the key holds another type (WRONGTYPE has been sent); s
// is nil when the key does not exist.
func (c *Ctx) readSet(key []byte) (s *set.Set, ok bool) {
	return readTyped[*set.Set](c, key, keyspace.TypeSet)
}

// writeSet looks key up for modification. ok is false when the key holds
// another type (WRONGTYPE has been sent); e is nil when it does not exist.
func (c *Ctx) writeSet(key []byte) (e *keyspace.Entry, s *set.Set, ok bool) {
	return writeTyped[*set.Set](c, key, keyspace.TypeSet)
}

// putNewSet stores s under key, which does not exist (Redis's dbAdd: the
// "new" event).
func (c *Ctx) putNewSet(key []byte, s *set.Set) {
	c.db.Put(key, keyspace.Entry{Type: keyspace.TypeSet, Enc: setEncoding(s), Obj: s})
	c.Notify(NotifyNew, "new", key)
}

// replySetMembers writes s as a RESP3 set (an array in RESP2) in its
// iteration order.
func (c *Ctx) replySetMembers(s *set.Set) {
	c.Set(s.Len())
	s.Range(func(m []byte) bool {
		c.Bulk(m)
		return true
	})
}

// SADD key member [member ...]
func cmdSAdd(c *Ctx, args [][]byte) {
	key := args[1]
	e, s, ok := c.writeSet(key)
	if !ok {
		return
	}
	created := s == nil
	if created {
		s = set.NewFor(args[2])
	}
	maxIntset := c.maxIntset()
	added := 0
	for _, m := range args[2:] {
		if s.Add(m, maxIntset) {
			added++
		}
	}
	if created {
		c.putNewSet(key, s)
	} else {
		e.Enc = setEncoding(s)
	}
	if added > 0 {
		c.Modified(key)
		c.dirty += added - 1
		c.Notify(NotifySet, "sadd", key)
	}
	c.Int(int64(added))
}

// SREM key member [member ...]
func cmdSRem(c *Ctx, args [][]byte) {
	key := args[1]
	_, s, ok := c.writeSet(key)
	if !ok {
		return
	}
	if s == nil {
		c.Int(0)
		return
	}
	deleted, emptied := 0, false
	for _, m := range args[2:] {
		if s.Remove(m) {
			deleted++
			if s.Len() == 0 {
				c.db.Delete(key)
				emptied = true
				break
			}
		}
	}
	if deleted > 0 {
		c.Modified(key)
		c.dirty += deleted - 1
		c.Notify(NotifySet, "srem", key)
		if emptied {
			c.Notify(NotifyGeneric, "del", key)
		}
	}
	c.Int(int64(deleted))
}

// SMOVE source destination member
func cmdSMove(c *Ctx, args [][]byte) {
	srcKey, dstKey, member := args[1], args[2], args[3]
	// Both keys are looked up first, as in Redis (either may expire here).
	// Entries are valid only until their shard changes, so keep the sets.
	srcE := c.LookupWrite(srcKey)
	srcExists := srcE != nil
	src := entrySet(srcE)
	dstE := c.LookupWrite(dstKey)
	dstWrongType := dstE != nil && dstE.Type != keyspace.TypeSet
	dst := entrySet(dstE)
	if !srcExists {
		c.Int(0)
		return
	}
	if src == nil || dstWrongType {
		c.Error(ErrWrongType)
		return
	}
	if bytes.Equal(srcKey, dstKey) {
		if src.Contains(member) {
			c.Int(1)
		} else {
			c.Int(0)
		}
		return
	}
	if !src.Remove(member) {
		c.Int(0)
		return
	}
	c.Notify(NotifySet, "srem", srcKey)
	if src.Len() == 0 {
		c.db.Delete(srcKey)
		c.Notify(NotifyGeneric, "del", srcKey)
	}
	c.Modified(srcKey)
	maxIntset := c.maxIntset()
	switch {
	case dst == nil:
		dst = set.NewFor(member)
		dst.Add(member, maxIntset)
		c.putNewSet(dstKey, dst)
	case dst.Add(member, maxIntset):
		// Look the entry up again: deleting the source may have changed
		// the shard both keys live in.
		if e := c.db.LookupNoTouch(dstKey, c.now); e != nil {
			e.Enc = setEncoding(dst)
		}
	default:
		c.Int(1) // already a member of the destination
		return
	}
	c.Modified(dstKey)
	c.Notify(NotifySet, "sadd", dstKey)
	c.Int(1)
}

// entrySet is e's set, or nil when e is nil or holds another type.
func entrySet(e *keyspace.Entry) *set.Set {
	if e == nil || e.Type != keyspace.TypeSet {
		return nil
	}
	return e.Obj.(*set.Set)
}

// SISMEMBER key member
func cmdSIsMember(c *Ctx, args [][]byte) {
	s, ok := c.readSet(args[1])
	if !ok {
		return
	}
	if s != nil && s.Contains(args[2]) {
		c.Int(1)
	} else {
		c.Int(0)
	}
}

// SMISMEMBER key member [member ...]
func cmdSMIsMember(c *Ctx, args [][]byte) {
	s, ok := c.readSet(args[1])
	if !ok {
		return
	}
	c.Array(len(args) - 2)
	for _, m := range args[2:] {
		if s != nil && s.Contains(m) {
			c.Int(1)
		} else {
			c.Int(0)
		}
	}
}

// SCARD key
func cmdSCard(c *Ctx, args [][]byte) {
	s, ok := c.readSet(args[1])
	if !ok {
		return
	}
	if s == nil {
		c.Int(0)
		return
	}
	c.Int(int64(s.Len()))
}

// SMEMBERS key
//
// Redis answers SMEMBERS with SINTER of the one key.
func cmdSMembers(c *Ctx, args [][]byte) { sinterGeneric(c, args[1:2], nil, false, 0) }

// SINTER key [key ...]
func cmdSInter(c *Ctx, args [][]byte) { sinterGeneric(c, args[1:], nil, false, 0) }

// SINTERSTORE destination key [key ...]
func cmdSInterStore(c *Ctx, args [][]byte) { sinterGeneric(c, args[2:], args[1], false, 0) }

// SINTERCARD numkeys key [key ...] [LIMIT limit]
func cmdSInterCard(c *Ctx, args [][]byte) {
	numkeys, ok := num.ParseInt(args[1])
	if !ok || numkeys < 1 {
		c.Error(errNumkeysPositive)
		return
	}
	if numkeys > int64(len(args)-2) {
		c.Error(errNumkeysTooMany)
		return
	}
	var limit int64
	for j := 2 + int(numkeys); j < len(args); j++ {
		if eq(args[j], "limit") && j+1 < len(args) {
			j++
			v, ok := num.ParseInt(args[j])
			if !ok || v < 0 {
				c.Error(errLimitNegative)
				return
			}
			limit = v
			continue
		}
		c.Error(ErrSyntax)
		return
	}
	sinterGeneric(c, args[2:2+numkeys], nil, true, limit)
}

// sinterCardKeys finds SINTERCARD's keys from numkeys; an invalid numkeys
// names no key (the handler then replies with the error and touches none).
func sinterCardKeys(args [][]byte) []int {
	if len(args) < 2 {
		return nil
	}
	n, ok := num.ParseInt(args[1])
	if !ok || n < 1 || n > int64(len(args)-2) {
		return nil
	}
	pos := make([]int, n)
	for i := range pos {
		pos[i] = 2 + i
	}
	return pos
}

// lookupSets reads the sets named by keys (nil for a missing key) as
// Redis's lookupKeyRead. ok is false when one holds another type (WRONGTYPE
// has been sent); every key is checked, even after a missing one.
func (c *Ctx) lookupSets(keys [][]byte) (sets []*set.Set, missing bool, ok bool) {
	sets = make([]*set.Set, len(keys))
	for i, k := range keys {
		s, ok := c.readSet(k)
		if !ok {
			return nil, false, false
		}
		if s == nil {
			missing = true
		}
		sets[i] = s
	}
	return sets, missing, true
}

// sinterGeneric is Redis's sinterGenericCommand: SINTER and SMEMBERS reply
// with the members, SINTERSTORE (dst != nil) stores them, SINTERCARD
// (cardOnly) counts them up to limit (0: no limit).
func sinterGeneric(c *Ctx, keys [][]byte, dst []byte, cardOnly bool, limit int64) {
	sets, missing, ok := c.lookupSets(keys)
	if !ok {
		return
	}
	if missing {
		// The intersection with an empty set is empty.
		switch {
		case dst != nil:
			c.storeSetResult(dst, nil, "sinterstore")
		case cardOnly:
			c.Int(0)
		default:
			c.Set(0)
		}
		return
	}
	// Smallest first: fewer members to test. Stable, like glibc's qsort for
	// small arrays, so equal sizes keep their argument order.
	slices.SortStableFunc(sets, func(a, b *set.Set) int { return a.Len() - b.Len() })

	var result *set.Set
	if dst != nil {
		result = set.New()
	}
	maxIntset := c.maxIntset()
	var members []byte // SINTER's reply, written after the count is known
	var count int64
	sets[0].Range(func(m []byte) bool {
		for _, other := range sets[1:] {
			if other != sets[0] && !other.Contains(m) {
				return true
			}
		}
		count++
		switch {
		case cardOnly:
			return limit == 0 || count < limit
		case dst != nil:
			result.Add(m, maxIntset)
		default:
			members = appendBulk(members, m)
		}
		return true
	})
	switch {
	case cardOnly:
		c.Int(count)
	case dst != nil:
		c.storeSetResult(dst, result, "sinterstore")
	default:
		c.Set(int(count))
		c.Raw(members)
	}
}

// appendBulk appends m as a RESP bulk string.
func appendBulk(b, m []byte) []byte {
	b = append(b, '$')
	b = strconv.AppendInt(b, int64(len(m)), 10)
	b = append(b, '\r', '\n')
	b = append(b, m...)
	return append(b, '\r', '\n')
}

// storeSetResult stores the result of a *STORE command under dst,
// replacing whatever was there (its TTL too), or deletes dst when the
// result is empty; it replies with the result's size.
func (c *Ctx) storeSetResult(dst []byte, result *set.Set, event string) {
	if result == nil || result.Len() == 0 {
		if c.db.Delete(dst) {
			c.Modified(dst)
			c.Notify(NotifyGeneric, "del", dst)
		}
		c.Int(0)
		return
	}
	existed := c.LookupWrite(dst) != nil
	c.db.Put(dst, keyspace.Entry{Type: keyspace.TypeSet, Enc: setEncoding(result), Obj: result})
	if !existed {
		c.Notify(NotifyNew, "new", dst)
	}
	c.Modified(dst)
	c.Notify(NotifySet, event, dst)
	c.Int(int64(result.Len()))
}

// SUNION key [key ...]
func cmdSUnion(c *Ctx, args [][]byte) { sunionDiffGeneric(c, args[1:], nil, false) }

// SUNIONSTORE destination key [key ...]
func cmdSUnionStore(c *Ctx, args [][]byte) { sunionDiffGeneric(c, args[2:], args[1], false) }

// SDIFF key [key ...]
func cmdSDiff(c *Ctx, args [][]byte) { sunionDiffGeneric(c, args[1:], nil, true) }

// SDIFFSTORE destination key [key ...]
func cmdSDiffStore(c *Ctx, args [][]byte) { sunionDiffGeneric(c, args[2:], args[1], true) }

// sunionDiffGeneric is Redis's sunionDiffGenericCommand. The result is
// built as Redis builds it, an intset that becomes a hash table when it
// must, so its encoding (SUNIONSTORE, SDIFFSTORE) and, for an intset, its
// reply order are Redis's.
func sunionDiffGeneric(c *Ctx, keys [][]byte, dst []byte, diff bool) {
	sets, _, ok := c.lookupSets(keys)
	if !ok {
		return
	}
	result := set.New()
	maxIntset := c.maxIntset()
	switch {
	case !diff:
		for _, s := range sets {
			if s == nil {
				continue
			}
			s.Range(func(m []byte) bool {
				result.Add(m, maxIntset)
				return true
			})
		}
	case sets[0] == nil || slices.Contains(sets[1:], sets[0]):
		// Nothing to subtract from, or the first set subtracts itself.
	default:
		diffInto(result, sets, maxIntset)
	}
	if dst != nil {
		event := "sunionstore"
		if diff {
			event = "sdiffstore"
		}
		c.storeSetResult(dst, result, event)
		return
	}
	c.replySetMembers(result)
}

// diffInto adds to result the members of sets[0] that no later set holds,
// with the cheaper of Redis's two algorithms: test each member of the first
// set against the others (first set size × number of sets), or copy the
// first set and remove every member of the others (sum of the sizes).
func diffInto(result *set.Set, sets []*set.Set, maxIntset int) {
	first := sets[0]
	var oneWork, twoWork int64
	for _, s := range sets {
		if s != nil {
			oneWork += int64(first.Len())
			twoWork += int64(s.Len())
		}
	}
	if oneWork/2 <= twoWork {
		others := slices.DeleteFunc(slices.Clone(sets[1:]), func(s *set.Set) bool { return s == nil })
		// Biggest first: a member found early is rejected early.
		slices.SortStableFunc(others, func(a, b *set.Set) int { return b.Len() - a.Len() })
		first.Range(func(m []byte) bool {
			for _, s := range others {
				if s.Contains(m) {
					return true
				}
			}
			result.Add(m, maxIntset)
			return true
		})
		return
	}
	first.Range(func(m []byte) bool {
		result.Add(m, maxIntset)
		return true
	})
	for _, s := range sets[1:] {
		if s == nil {
			continue
		}
		s.Range(func(m []byte) bool {
			result.Remove(m)
			return result.Len() > 0
		})
		if result.Len() == 0 {
			return
		}
	}
}

// SRANDMEMBER key [count]
func cmdSRandMember(c *Ctx, args [][]byte) {
	if len(args) > 3 {
		c.Error(ErrSyntax)
		return
	}
	if len(args) == 3 {
		srandMemberWithCount(c, args)
		return
	}
	s, ok := c.readSet(args[1])
	if !ok {
		return
	}
	if s == nil {
		c.Null()
		return
	}
	var buf [32]byte
	c.Bulk(s.AppendRandom(buf[:0], rand.Uint64))
}

// srandMemberWithCount follows Redis's cases: a negative count draws with
// repetition; a count at least the size returns the whole set in its order;
// a count close to the size copies the set and drops members at random; a
// small count draws until it has that many distinct members.
func srandMemberWithCount(c *Ctx, args [][]byte) {
	l, ok := c.intArg(args[2])
	if !ok {
		return
	}
	if l == math.MinInt64 {
		c.Error(errSrandCountRange)
		return
	}
	s, ok := c.readSet(args[1])
	if !ok {
		return
	}
	if s == nil || l == 0 {
		c.Array(0)
		return
	}
	if l < 0 {
		count := -l
		if count > srandMaxRepeated {
			c.Error(errSrandTooMany)
			return
		}
		c.Array(int(count))
		var buf [32]byte
		for range count {
			c.Bulk(s.AppendRandom(buf[:0], rand.Uint64))
		}
		return
	}
	size := s.Len()
	if l >= int64(size) {
		c.Array(size)
		s.Range(func(m []byte) bool {
			c.Bulk(m)
			return true
		})
		return
	}
	count := int(l)
	var picked [][]byte
	if count*srandSubStrategyMul > size {
		// Shuffle the first count places of a copy of every member.
		picked = s.Members()
		for i := range count {
			j := i + rand.IntN(len(picked)-i)
			picked[i], picked[j] = picked[j], picked[i]
		}
		picked = picked[:count]
	} else {
		seen := make(map[string]bool, count)
		for len(picked) < count {
			m := s.AppendRandom(nil, rand.Uint64)
			if !seen[string(m)] {
				seen[string(m)] = true
				picked = append(picked, m)
			}
		}
	}
	c.Array(count)
	for _, m := range picked {
		c.Bulk(m)
	}
}

// SPOP key [count]
func cmdSPop(c *Ctx, args [][]byte) {
	if len(args) > 3 {
		c.Error(ErrSyntax)
		return
	}
	if len(args) == 3 {
		spopWithCount(c, args)
		return
	}
	key := args[1]
	_, s, ok := c.writeSet(key)
	if !ok {
		return
	}
	if s == nil {
		c.Null()
		return
	}
	m := s.AppendRandom(nil, rand.Uint64)
	s.Remove(m)
	c.Notify(NotifySet, "spop", key)
	c.Propagate(argSREM, key, m)
	c.Bulk(m)
	if s.Len() == 0 {
		c.db.Delete(key)
		c.Notify(NotifyGeneric, "del", key)
	}
	c.Modified(key)
}

// spopWithCount follows Redis's cases: a count at least the size pops the
// whole set (propagated as DEL); a count small against what remains pops
// members one at a time; otherwise the members to keep are drawn into a new
// set, which replaces the old one, and the rest are popped.
func spopWithCount(c *Ctx, args [][]byte) {
	l, ok := num.ParseInt(args[2])
	if !ok || l < 0 {
		c.Error(ErrNotPositive)
		return
	}
	key := args[1]
	_, s, ok := c.writeSet(key)
	if !ok {
		return
	}
	if s == nil || l == 0 {
		c.Set(0)
		return
	}
	size := s.Len()
	c.Notify(NotifySet, "spop", key)
	if l >= int64(size) {
		c.replyWholeSet(s)
		c.db.Delete(key)
		c.Notify(NotifyGeneric, "del", key)
		c.Propagate(argDEL, key)
		c.Modified(key)
		c.dirty += size - 1
		return
	}
	count := int(l)
	remaining := size - count
	popped := make([][]byte, 0, count)
	if remaining*spopMoveStrategyMul > count {
		for range count {
			m := s.AppendRandom(nil, rand.Uint64)
			s.Remove(m)
			popped = append(popped, m)
		}
	} else {
		maxIntset := c.maxIntset()
		var kept *set.Set
		for range remaining {
			m := s.AppendRandom(nil, rand.Uint64)
			if kept == nil {
				kept = set.NewFor(m)
			}
			kept.Add(m, maxIntset)
			s.Remove(m)
		}
		popped = s.Members()
		c.db.Put(key, keyspace.Entry{Type: keyspace.TypeSet, Enc: setEncoding(kept), Obj: kept})
	}
	c.Set(count)
	for _, m := range popped {
		c.Bulk(m)
	}
	for i := 0; i < len(popped); i += sremBatch {
		batch := popped[i:min(i+sremBatch, len(popped))]
		argv := make([][]byte, 0, 2+len(batch))
		argv = append(argv, argSREM, key)
		c.Propagate(append(argv, batch...)...)
	}
	c.Modified(key)
	c.dirty += count - 1
}

// replyWholeSet replies with every member of s as Redis's
// sunionDiffGenericCommand of s alone does: through a new set, so a hash
// table whose members are all integers (few enough for an intset) answers
// in ascending order.
func (c *Ctx) replyWholeSet(s *set.Set) {
	if s.IsIntset() || s.Len() > c.maxIntset() {
		c.replySetMembers(s)
		return
	}
	result := set.New()
	maxIntset := c.maxIntset()
	s.Range(func(m []byte) bool {
		result.Add(m, maxIntset)
		return true
	})
	c.replySetMembers(result)
}

// SSCAN key cursor [MATCH pattern] [COUNT count]
func cmdSScan(c *Ctx, args [][]byte) {
	cursor, ok := parseScanCursor(args[2])
	if !ok {
		c.Error(ErrInvalidCursor)
		return
	}
	s, ok := c.readSet(args[1])
	if !ok {
		return
	}
	if s == nil {
		c.replyScan(0, nil)
		return
	}
	opts, ok := c.parseScanOptions(args[3:])
	if !ok {
		return
	}
	count := opts.count
	// Collect as Redis does, then filter: COUNT bounds the members
	// visited, and at most ten table steps per requested member.
	var found [][]byte
	collect := func(m []byte) { found = append(found, bytes.Clone(m)) }
	if s.IsIntset() {
		cursor = s.Scan(0, collect)
	} else {
		steps := int64(math.MaxInt64)
		if count <= math.MaxInt64/10 {
			steps = count * 10
		}
		for {
			cursor = s.Scan(cursor, collect)
			if cursor == 0 || steps == 0 || int64(len(found)) >= count {
				break
			}
			steps--
		}
	}
	found = slices.DeleteFunc(found, func(m []byte) bool { return !opts.matches(m) })
	c.replyScan(cursor, found)
}

func registerSetCommands(t *Table) {
	fast := []string{"set"}
	slow := []string{"set", "slow"}
	one := func(cmd *Command) *Command {
		cmd.Group, cmd.FirstKey, cmd.LastKey, cmd.KeyStep = "set", 1, 1, 1
		return cmd
	}
	many := func(first int, cmd *Command) *Command {
		cmd.Group, cmd.ACL, cmd.FirstKey, cmd.LastKey, cmd.KeyStep = "set", slow, first, -1, 1
		return cmd
	}
	// Redis's command tips: replies whose order, or content, is not
	// determined by the data.
	unordered := []string{"nondeterministic_output_order"}
	random := []string{"nondeterministic_output"}
	t.Add(
		one(&Command{Name: "sadd", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, ACL: fast, Since: "1.0.0",
			Summary: "Adds members to a set, creating it if needed; returns how many were new.", Complexity: "O(1) for each member added", Usage: "key member [member ...]", Handler: cmdSAdd}),
		one(&Command{Name: "srem", Arity: -3, Flags: FlagWrite | FlagFast, ACL: fast, Since: "1.0.0",
			Summary: "Removes members from a set; returns how many were there.", Complexity: "O(N) where N is the number of members to remove", Usage: "key member [member ...]", Handler: cmdSRem}),
		one(&Command{Name: "sismember", Arity: 3, Flags: FlagReadonly | FlagFast, ACL: fast, Since: "1.0.0",
			Summary: "Tells whether a member belongs to a set.", Complexity: "O(1)", Usage: "key member", Handler: cmdSIsMember}),
		one(&Command{Name: "smismember", Arity: -3, Flags: FlagReadonly | FlagFast, ACL: fast, Since: "6.2.0",
			Summary: "Tells, for each of several members, whether it belongs to a set.", Complexity: "O(N) where N is the number of members checked", Usage: "key member [member ...]", Handler: cmdSMIsMember}),
		one(&Command{Name: "scard", Arity: 2, Flags: FlagReadonly | FlagFast, ACL: fast, Since: "1.0.0",
			Summary: "Returns the number of members of a set.", Complexity: "O(1)", Usage: "key", Handler: cmdSCard}),
		one(&Command{Name: "smembers", Arity: 2, Flags: FlagReadonly, ACL: slow, Since: "1.0.0",
			Summary: "Returns every member of a set.", Complexity: "O(N) where N is the set cardinality", Usage: "key", Tips: unordered, Handler: cmdSMembers}),
		one(&Command{Name: "srandmember", Arity: -2, Flags: FlagReadonly, ACL: slow, Since: "1.0.0",
			Summary: "Returns random members of a set without removing them; a negative count may repeat members.", Complexity: "O(1) without count, else O(N) where N is the absolute value of count", Usage: "key [count]", Tips: random, Handler: cmdSRandMember}),
		one(&Command{Name: "spop", Arity: -2, Flags: FlagWrite | FlagFast, ACL: fast, Since: "1.0.0",
			Summary: "Removes and returns random members of a set.", Complexity: "O(1) without count, else O(N) where N is count", Usage: "key [count]", Tips: random, Handler: cmdSPop}),
		one(&Command{Name: "sscan", Arity: -3, Flags: FlagReadonly, ACL: slow, Since: "2.8.0",
			Summary: "Iterates over the members of a set with a cursor.", Complexity: "O(1) for every call, O(N) for a complete iteration", Usage: "key cursor [MATCH pattern] [COUNT count]", Tips: random, Handler: cmdSScan}),
		&Command{Name: "smove", Arity: 4, Flags: FlagWrite | FlagFast, ACL: fast, Group: "set", Since: "1.0.0",
			Summary: "Moves a member from one set to another.", Complexity: "O(1)", Usage: "source destination member", FirstKey: 1, LastKey: 2, KeyStep: 1, Handler: cmdSMove},
		many(1, &Command{Name: "sinter", Arity: -2, Flags: FlagReadonly, Since: "1.0.0",
			Summary: "Returns the intersection of sets.", Complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M the number of sets", Usage: "key [key ...]", Tips: unordered, Handler: cmdSInter}),
		many(1, &Command{Name: "sinterstore", Arity: -3, Flags: FlagWrite | FlagDenyOOM, Since: "1.0.0",
			Summary: "Stores the intersection of sets in a key; returns its size.", Complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M the number of sets", Usage: "destination key [key ...]", Handler: cmdSInterStore}),
		&Command{Name: "sintercard", Arity: -3, Flags: FlagReadonly, ACL: slow, Group: "set", Since: "7.0.0",
			Summary: "Returns the size of the intersection of sets, counting up to an optional limit.", Complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M the number of sets", Usage: "numkeys key [key ...] [LIMIT limit]",
			Keys: sinterCardKeys, Handler: cmdSInterCard},
		many(1, &Command{Name: "sunion", Arity: -2, Flags: FlagReadonly, Since: "1.0.0",
			Summary: "Returns the union of sets.", Complexity: "O(N) where N is the total number of members in all given sets", Usage: "key [key ...]", Tips: unordered, Handler: cmdSUnion}),
		many(1, &Command{Name: "sunionstore", Arity: -3, Flags: FlagWrite | FlagDenyOOM, Since: "1.0.0",
			Summary: "Stores the union of sets in a key; returns its size.", Complexity: "O(N) where N is the total number of members in all given sets", Usage: "destination key [key ...]", Handler: cmdSUnionStore}),
		many(1, &Command{Name: "sdiff", Arity: -2, Flags: FlagReadonly, Since: "1.0.0",
			Summary: "Returns the members of the first set that no other set holds.", Complexity: "O(N) where N is the total number of members in all given sets", Usage: "key [key ...]", Tips: unordered, Handler: cmdSDiff}),
		many(1, &Command{Name: "sdiffstore", Arity: -3, Flags: FlagWrite | FlagDenyOOM, Since: "1.0.0",
			Summary: "Stores the difference of sets in a key; returns its size.", Complexity: "O(N) where N is the total number of members in all given sets", Usage: "destination key [key ...]", Handler: cmdSDiffStore}),
	)
}
