package server

// SORT and SORT_RO, after Redis's sort.c (sortCommandGeneric), on lists,
// sets and sorted sets. A sorted set is converted to a skiplist first, as
// Redis does, and BY nosort reads it in rank order (the LIMIT range only).
//
// Locking: BY and GET patterns make SORT read keys named by the sorted
// elements, which no key spec can list (Redis flags SORT movablekeys for
// that reason). So both commands are LockNone and lock for themselves once
// the options are parsed: every shard of the current database when a
// pattern will be looked up, otherwise just the shards of the sorted key
// and the STORE destination. Inside EXEC (c.allLocked) the transaction
// already holds every lock. SORT ... STORE propagates itself while its locks
// are held, as COPY does, because the dispatcher would propagate a LockNone
// command only after the handler has released them.
//
// Order: Redis sorts with glibc's qsort (a stable merge sort) unless a BY
// pattern and a LIMIT narrower than the whole input are both given, when it
// uses its own partial quicksort (pqsort.c), which is not stable. Elements
// that compare equal keep Redis's order only if we use the same algorithm,
// so the stable sort and the pqsort port below are both here.

import (
	"bytes"
	"math"
	"slices"
	"strconv"

	"github.com/vireodb/vireo/datatypes/hash"
	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/list"
	"github.com/vireodb/vireo/datatypes/set"
	"github.com/vireodb/vireo/datatypes/zset"
)

func init() { familyRegistrars = append(familyRegistrars, registerSortCommands) }

// sortOptions are SORT's parsed arguments.
type sortOptions struct {
	desc, alpha bool
	// dontSort is set by a BY pattern without '*' and stays set even if a
	// later BY has one, as in Redis.
	dontSort   bool
	by         []byte // the last BY pattern, nil without BY
	limitStart int64
	limitCount int64
	gets       [][]byte
	store      []byte // nil without STORE
}

// parseSortOptions parses args[2:] as sortCommandGeneric does, replying
// with the error and returning false on a bad option. readonly (SORT_RO)
// refuses STORE.
func (c *Ctx) parseSortOptions(args [][]byte, readonly bool) (sortOptions, bool) {
	o := sortOptions{limitCount: -1}
	for j := 2; j < len(args); j++ {
		left := len(args) - j - 1
		switch a := args[j]; {
		case eq(a, "asc"):
			o.desc = false
		case eq(a, "desc"):
			o.desc = true
		case eq(a, "alpha"):
			o.alpha = true
		case eq(a, "limit") && left >= 2:
			start, ok := c.intArg(args[j+1])
			if !ok {
				return o, false
			}
			count, ok := c.intArg(args[j+2])
			if !ok {
				return o, false
			}
			o.limitStart, o.limitCount = start, count
			j += 2
		case !readonly && eq(a, "store") && left >= 1:
			o.store = args[j+1]
			j++
		case eq(a, "by") && left >= 1:
			o.by = args[j+1]
			if bytes.IndexByte(cString(o.by), '*') < 0 {
				o.dontSort = true
			}
			j++
		case eq(a, "get") && left >= 1:
			o.gets = append(o.gets, args[j+1])
			j++
		default:
			c.Error(ErrSyntax)
			return o, false
		}
	}
	return o, true
}

// cString is b as C string functions see it: up to its first NUL. Redis
// parses patterns with strchr/strstr and compares ALPHA elements with
// strcoll, all of which stop there.
func cString(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// patternReadsKeys reports whether a BY or GET pattern would look a key
// up: "#" is the element itself, and a pattern without '*' names no key.
func patternReadsKeys(p []byte) bool {
	cp := cString(p)
	return !(len(cp) == 1 && cp[0] == '#') && bytes.IndexByte(cp, '*') >= 0
}

// sortItem is one element of the sorting vector (redisSortObject).
type sortItem struct {
	elem  []byte
	score float64
	// cmp is the BY value for ALPHA sorting by pattern; nil when the
	// looked-up key was missing (such elements sort first).
	cmp []byte
}

// SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA] [STORE destination]
func cmdSort(c *Ctx, args [][]byte) { sortGeneric(c, args, false) }

// SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA]
func cmdSortRO(c *Ctx, args [][]byte) { sortGeneric(c, args, true) }

func sortGeneric(c *Ctx, args [][]byte, readonly bool) {
	o, ok := c.parseSortOptions(args, readonly)
	if !ok {
		return
	}
	key := args[1]

	readsKeys := o.by != nil && !o.dontSort && patternReadsKeys(o.by)
	for _, g := range o.gets {
		readsKeys = readsKeys || patternReadsKeys(g)
	}
	ks := c.srv.ks
	switch {
	case c.allLocked:
	case readsKeys:
		shards := make([]int, c.db.NumShards())
		for i := range shards {
			shards[i] = c.db.GlobalShard(i)
		}
		held := ks.LockShards(shards)
		defer ks.UnlockShards(held)
	default:
		idx := []int{c.db.ShardIndex(key)}
		if o.store != nil {
			idx = append(idx, c.db.ShardIndex(o.store))
		}
		held := ks.LockShards(idx)
		defer ks.UnlockShards(held)
	}

	e := c.lookupRead(key, 0)
	var typ keyspace.Type = keyspace.TypeList // a missing key sorts as an empty list
	if e != nil {
		typ = e.Type
		if typ != keyspace.TypeList && typ != keyspace.TypeSet && typ != keyspace.TypeZSet {
			c.Error(ErrWrongType)
			return
		}
	}
	if typ == keyspace.TypeZSet {
		c.sortConvertZSet(key, e)
	}

	// Sorting a set "by nothing" would answer in hash table order, which
	// differs between servers: with STORE (and in Redis, in scripts) the
	// elements are sorted instead so replicas and the AOF agree.
	if o.dontSort && typ == keyspace.TypeSet && o.store != nil {
		o.dontSort, o.alpha, o.by = false, true, nil
	}

	var length int
	if e != nil {
		switch typ {
		case keyspace.TypeList:
			length = e.Obj.(*list.List).Len()
		case keyspace.TypeSet:
			length = e.Obj.(*set.Set).Len()
		case keyspace.TypeZSet:
			length = e.Obj.(*zset.ZSet).Len()
		}
	}
	start, end := sortLimits(o.limitStart, o.limitCount, length)

	var vector []sortItem
	switch {
	case e == nil:
	case typ == keyspace.TypeList && o.dontSort:
		// Lists keep their own order, read in the DESC direction and
		// cut to LIMIT while loading.
		vector = loadListRange(e.Obj.(*list.List), start, end, o.desc)
		end -= start
		start = 0
	case typ == keyspace.TypeList:
		vector = loadList(e.Obj.(*list.List))
	case typ == keyspace.TypeSet:
		vector = loadSet(e.Obj.(*set.Set))
	case typ == keyspace.TypeZSet && o.dontSort:
		// As for lists: rank order (from the highest score for DESC),
		// only the LIMIT range.
		vector = loadZSetRange(e.Obj.(*zset.ZSet), start, end, o.desc)
		end -= start
		start = 0
	case typ == keyspace.TypeZSet:
		vector = loadZSet(e.Obj.(*zset.ZSet))
	}

	if !o.dontSort {
		if !c.sortVector(vector, &o, start, end) {
			c.Error("ERR One or more scores can't be converted into double")
			return
		}
	}

	var items []sortItem // the selected range
	if end >= start {
		items = vector[start : end+1]
	}
	n := len(items)
	outputLen := n
	if len(o.gets) > 0 {
		outputLen = n * len(o.gets)
	}
	if o.store == nil {
		c.Array(outputLen)
		for _, it := range items {
			if len(o.gets) == 0 {
				c.Bulk(it.elem)
			}
			for _, g := range o.gets {
				if v, ok := c.lookupByPattern(g, it.elem); ok {
					c.Bulk(v)
				} else {
					c.Null()
				}
			}
		}
		return
	}
	dirty := c.dirty
	c.sortStore(o, items, outputLen)
	if c.dirty > dirty {
		c.Propagate(args...)
	}
}

// sortLimits turns LIMIT offset count into the inclusive range [start,
// end] of an n-element result, as Redis clamps it (end < start: empty).
func sortLimits(offset, count int64, n int) (start, end int) {
	vlen := int64(n)
	s := min(max(offset, 0), vlen)
	count = min(max(count, -1), vlen)
	var e int64
	if count < 0 {
		e = vlen - 1
	} else {
		e = s + count - 1
	}
	if s >= vlen {
		s, e = vlen-1, vlen-2
	}
	if e >= vlen {
		e = vlen - 1
	}
	return int(s), int(e)
}

// loadList copies every element of l, head to tail.
func loadList(l *list.List) []sortItem {
	v := make([]sortItem, 0, l.Len())
	l.Each(false, func(el list.Elem) bool {
		v = append(v, sortItem{elem: el.Bytes()})
		return true
	})
	return v
}

// loadListRange copies elements start..end of l counting from the head,
// or from the tail when desc, in that direction (Redis's dontsort path).
func loadListRange(l *list.List, start, end int, desc bool) []sortItem {
	if end < start {
		return nil
	}
	n := end - start + 1
	first := start
	if desc {
		first = l.Len() - start - 1
	}
	v := make([]sortItem, 0, n)
	l.Range(first, n, desc, func(el list.Elem) bool {
		v = append(v, sortItem{elem: el.Bytes()})
		return true
	})
	return v
}

// loadSet copies every member of s in its iteration order: ascending for
// an intset, table order for a hash table.
func loadSet(s *set.Set) []sortItem {
	v := make([]sortItem, 0, s.Len())
	s.Range(func(m []byte) bool {
		v = append(v, sortItem{elem: bytes.Clone(m)})
		return true
	})
	return v
}

// sortConvertZSet converts a listpack sorted set to a skiplist, as Redis's
// SORT and SORT_RO do ("destructively convert encoded sorted sets") before
// reading it; OBJECT ENCODING shows the change. The entry is looked up for
// writing again so that a snapshot in progress keeps its own copy.
func (c *Ctx) sortConvertZSet(key []byte, e *keyspace.Entry) {
	z := e.Obj.(*zset.ZSet)
	if !z.IsCompact() {
		return
	}
	if we := c.db.LookupWrite(key, c.now); we != nil {
		e = we
		z = e.Obj.(*zset.ZSet)
	}
	z.ConvertToBig()
	e.Enc = keyspace.EncSkiplist
}

// loadZSet copies every member of z in rank order. Redis reads its dict
// (hash table order) here; the order only shows where sorting leaves equal
// elements in input order (ALPHA BY a pattern with equal weights).
func loadZSet(z *zset.ZSet) []sortItem {
	v := make([]sortItem, 0, z.Len())
	z.Ascend(func(m []byte, _ float64) bool {
		v = append(v, sortItem{elem: bytes.Clone(m)})
		return true
	})
	return v
}

// loadZSetRange copies the members with ranks start..end, ranks counted
// from the highest score when desc, in that order (Redis's dontsort path
// for sorted sets).
func loadZSetRange(z *zset.ZSet, start, end int, desc bool) []sortItem {
	if end < start {
		return nil
	}
	v := make([]sortItem, 0, end-start+1)
	z.RangeByRank(start, end, desc, func(m []byte, _ float64) bool {
		v = append(v, sortItem{elem: bytes.Clone(m)})
		return true
	})
	return v
}

// sortVector loads the sort weights and sorts vector; false means a weight
// is not a number (numeric sort).
func (c *Ctx) sortVector(vector []sortItem, o *sortOptions, start, end int) bool {
	convErr := false
	for i := range vector {
		it := &vector[i]
		by := it.elem
		if o.by != nil {
			v, ok := c.lookupByPattern(o.by, it.elem)
			if !ok {
				continue
			}
			by = v
		}
		if o.alpha {
			if o.by != nil {
				it.cmp = by
			}
			continue
		}
		score, ok := parseSortWeight(by)
		if !ok {
			convErr = true
		}
		it.score = score
	}
	cmp := sortComparator(o)
	if o.by != nil && (start != 0 || end != len(vector)-1) {
		pqsort(vector, cmp, start, end)
	} else {
		slices.SortStableFunc(vector, func(a, b sortItem) int { return cmp(&a, &b) })
	}
	return !convErr
}

// sortComparator is Redis's sortCompare for the given options.
func sortComparator(o *sortOptions) func(a, b *sortItem) int {
	var cmp func(a, b *sortItem) int
	store := o.store != nil
	switch {
	case !o.alpha:
		cmp = func(a, b *sortItem) int {
			switch {
			case a.score > b.score:
				return 1
			case a.score < b.score:
				return -1
			}
			// Equal weights: order by the elements themselves so the
			// result is deterministic.
			return bytes.Compare(a.elem, b.elem)
		}
	case o.by != nil:
		cmp = func(a, b *sortItem) int {
			switch {
			case a.cmp == nil && b.cmp == nil:
				return 0
			case a.cmp == nil:
				return -1
			case b.cmp == nil:
				return 1
			}
			return alphaCompare(a.cmp, b.cmp, store)
		}
	default:
		cmp = func(a, b *sortItem) int { return alphaCompare(a.elem, b.elem, store) }
	}
	if o.desc {
		return func(a, b *sortItem) int { return -cmp(a, b) }
	}
	return cmp
}

// alphaCompare compares two ALPHA sort keys as Redis does: with STORE as
// binary strings (compareStringObjects), otherwise with strcoll, which in
// the C locale is a byte comparison that stops at the first NUL.
func alphaCompare(a, b []byte, store bool) int {
	if store {
		return bytes.Compare(a, b)
	}
	return bytes.Compare(cString(a), cString(b))
}

// lookupByPattern is Redis's lookupKeyByPattern: "#" is elem itself;
// otherwise the first '*' of the pattern is replaced by elem and the
// resulting string key is read, or, with "->field" after the '*', that
// field of the resulting hash. ok is false when there is no such value.
func (c *Ctx) lookupByPattern(pattern, elem []byte) ([]byte, bool) {
	cpat := cString(pattern)
	if len(cpat) == 1 && cpat[0] == '#' {
		return elem, true
	}
	star := bytes.IndexByte(cpat, '*')
	if star < 0 {
		return nil, false
	}
	var field []byte
	keyEnd := len(pattern)
	if f := bytes.Index(cpat[star+1:], []byte("->")); f >= 0 {
		f += star + 1
		if f+2 < len(cpat) { // a field name follows the arrow
			field = pattern[f+2:]
			keyEnd = f
		}
	}
	key := make([]byte, 0, keyEnd-1+len(elem))
	key = append(key, pattern[:star]...)
	key = append(key, elem...)
	key = append(key, pattern[star+1:keyEnd]...)

	e := c.lookupRead(key, 0)
	if e == nil {
		return nil, false
	}
	if field != nil {
		if e.Type != keyspace.TypeHash {
			return nil, false
		}
		var tmp hash.Hash
		return hashOf(e, &tmp).Get(field)
	}
	if e.Type != keyspace.TypeString {
		return nil, false
	}
	return e.Str, true
}

// sortStore writes the sorted elements (or their GET values) to o.store
// as a list, or deletes o.store when there are none, and replies with the
// number of elements stored.
func (c *Ctx) sortStore(o sortOptions, items []sortItem, outputLen int) {
	dst := o.store
	if outputLen == 0 {
		if c.db.Delete(dst) {
			c.Modified(dst)
			c.Notify(NotifyGeneric, "del", dst)
		}
		c.Int(0)
		return
	}
	l := list.New(c.srv.Limits().ListMaxListpackSize)
	for _, it := range items {
		if len(o.gets) == 0 {
			l.PushTail(it.elem)
			continue
		}
		for _, g := range o.gets {
			v, _ := c.lookupByPattern(g, it.elem) // a missing value is stored as ""
			l.PushTail(v)
		}
	}
	existed := c.LookupWrite(dst) != nil
	c.db.Put(dst, keyspace.Entry{Type: keyspace.TypeList, Enc: listEncoding, Obj: l})
	if !existed {
		c.Notify(NotifyNew, "new", dst)
	}
	c.Modified(dst)
	c.Notify(NotifyList, "sortstore", dst)
	c.dirty += outputLen - 1 // Redis counts every stored element
	c.Int(int64(outputLen))
}

// parseSortWeight reads a numeric sort weight as Redis does with strtod:
// leading white space, a decimal or hexadecimal float, "inf"/"infinity";
// anything after the number up to the end of the C string, a NaN, an
// overflow or an underflow is an error. The empty string is 0.
func parseSortWeight(b []byte) (float64, bool) {
	s := cString(b)
	i := 0
	for i < len(s) && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
		i++
	}
	numStart := i
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	neg := numStart < len(s) && s[numStart] == '-'
	rest := s[i:]
	switch {
	case hasPrefixFold(rest, "nan"):
		return math.NaN(), false
	case hasPrefixFold(rest, "inf"):
		n := 3
		if hasPrefixFold(rest, "infinity") {
			n = 8
		}
		if i+n != len(s) {
			return 0, false
		}
		if neg {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	}
	if len(rest) >= 3 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X') {
		if end, ok := scanHexFloat(rest[2:]); ok {
			if i+2+end != len(s) {
				return 0, false
			}
			return finishWeight(string(s[numStart:]), !bytes.ContainsAny(rest[2:], "pP"))
		}
	}
	end, digits := scanDecimalFloat(rest)
	if !digits {
		// No conversion: strtod points at the start, so only an empty
		// string passes.
		return 0, len(s) == 0
	}
	if i+end != len(s) {
		return 0, false
	}
	return finishWeight(string(s[numStart:]), false)
}

// finishWeight converts a scanned number with strconv, adding the binary
// exponent Go requires of hexadecimal floats, and flags what strtod
// reports as ERANGE: overflow, and underflow to zero or a subnormal.
func finishWeight(num string, addExp bool) (float64, bool) {
	if addExp {
		num += "p0"
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return f, false
	}
	if math.Abs(f) < 0x1p-1022 && !zeroMantissa(num) {
		return f, false
	}
	return f, true
}

// zeroMantissa reports whether a scanned number's digits are all zero.
func zeroMantissa(num string) bool {
	for i := 0; i < len(num); i++ {
		ch := num[i]
		switch {
		case ch == 'e' || ch == 'E' || ch == 'p' || ch == 'P':
			return true
		case ch == 'x' || ch == 'X':
			// the "0x" prefix: its zero is no digit of the mantissa
		case ch >= '1' && ch <= '9', ch >= 'a' && ch <= 'f', ch >= 'A' && ch <= 'F':
			return false
		}
	}
	return true
}

// scanDecimalFloat returns the length of the decimal float at the start
// of s (digits, optional fraction, optional exponent with digits) and
// whether it has any digits.
func scanDecimalFloat(s []byte) (int, bool) {
	i, nd := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		nd++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			nd++
		}
	}
	if nd == 0 {
		return 0, false
	}
	return i + scanWeightExponent(s[i:], 'e'), true
}

// scanHexFloat returns the length of the hexadecimal mantissa (and binary
// exponent) following "0x", and whether there is one.
func scanHexFloat(s []byte) (int, bool) {
	i, nd := 0, 0
	for i < len(s) && isHexDigit(s[i]) {
		i++
		nd++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isHexDigit(s[i]) {
			i++
			nd++
		}
	}
	if nd == 0 {
		return 0, false
	}
	return i + scanWeightExponent(s[i:], 'p'), true
}

// scanWeightExponent returns the length of an exponent marked by letter (either
// case) at the start of s: strtod takes it only when digits follow.
func scanWeightExponent(s []byte, letter byte) int {
	if len(s) == 0 || (s[0]|0x20) != letter {
		return 0
	}
	i := 1
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if i >= len(s) || s[i] < '0' || s[i] > '9' {
		return 0
	}
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

func isHexDigit(ch byte) bool {
	return ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f' || ch >= 'A' && ch <= 'F'
}

func hasPrefixFold(s []byte, prefix string) bool {
	return len(s) >= len(prefix) && bytes.EqualFold(s[:len(prefix)], []byte(prefix))
}

// pqsort is Redis's pqsort.c (NetBSD's qsort by Bentley and McIlroy, cut
// short for subarrays outside [lrange, rrange]): only the elements in that
// range end up in their sorted places. It is ported as is, rather than
// replaced by a full sort, because it is not stable and Redis's order of
// equal elements follows from its exact steps.
func pqsort(v []sortItem, cmp func(a, b *sortItem) int, lrange, rrange int) {
	pqsortRange(v, 0, len(v), cmp, lrange, rrange)
}

// pqsortRange sorts the n elements of v starting at a; pointers in the C
// code are indexes into v here.
func pqsortRange(v []sortItem, a, n int, cmp func(a, b *sortItem) int, lrange, rrange int) {
	c := func(i, j int) int { return cmp(&v[i], &v[j]) }
	swap := func(i, j int) { v[i], v[j] = v[j], v[i] }
	vecswap := func(i, j, k int) {
		for ; k > 0; k-- {
			swap(i, j)
			i++
			j++
		}
	}
	med3 := func(x, y, z int) int {
		if c(x, y) < 0 {
			if c(y, z) < 0 {
				return y
			}
			if c(x, z) < 0 {
				return z
			}
			return x
		}
		if c(y, z) > 0 {
			return y
		}
		if c(x, z) < 0 {
			return x
		}
		return z
	}
	insertion := func() {
		for pm := a + 1; pm < a+n; pm++ {
			for pl := pm; pl > a && c(pl-1, pl) > 0; pl-- {
				swap(pl, pl-1)
			}
		}
	}
	// outside reports whether [lo, lo+cnt) misses the wanted range.
	outside := func(lo, cnt int) bool {
		hi := lo + cnt
		return (lrange < lo && rrange < lo) || (lrange >= hi && rrange >= hi)
	}
	for {
		swapped := false
		if n < 7 {
			insertion()
			return
		}
		pm := a + n/2
		if n > 7 {
			pl := a
			pn := a + n - 1
			if n > 40 {
				d := n / 8
				pl = med3(pl, pl+d, pl+2*d)
				pm = med3(pm-d, pm, pm+d)
				pn = med3(pn-2*d, pn-d, pn)
			}
			pm = med3(pl, pm, pn)
		}
		swap(a, pm)
		pa, pb := a+1, a+1
		pc, pd := a+n-1, a+n-1
		for {
			for pb <= pc {
				r := c(pb, a)
				if r > 0 {
					break
				}
				if r == 0 {
					swapped = true
					swap(pa, pb)
					pa++
				}
				pb++
			}
			for pb <= pc {
				r := c(pc, a)
				if r < 0 {
					break
				}
				if r == 0 {
					swapped = true
					swap(pc, pd)
					pd--
				}
				pc--
			}
			if pb > pc {
				break
			}
			swap(pb, pc)
			swapped = true
			pb++
			pc--
		}
		if !swapped {
			insertion()
			return
		}
		pn := a + n
		r := min(pa-a, pb-pa)
		vecswap(a, pb-r, r)
		r = min(pd-pc, pn-pd-1)
		vecswap(pb, pn-r, r)
		if r = pb - pa; r > 1 && !outside(a, r) {
			pqsortRange(v, a, r, cmp, lrange, rrange)
		}
		r = pd - pc
		if r <= 1 {
			return
		}
		a, n = pn-r, r
		if outside(a, n) {
			return
		}
	}
}

// sortKeys finds SORT's keys as Redis's sortGetKeys does: the sorted key
// and the destination of the last STORE, skipping the arguments of LIMIT,
// GET and BY. The keys that BY and GET patterns name cannot be known.
func sortKeys(args [][]byte) []int {
	keys := []int{1}
	store := 0
	for i := 2; i < len(args); i++ {
		switch {
		case eq(args[i], "limit"):
			i += 2
		case eq(args[i], "store") && i+1 < len(args):
			store = i + 1
		case eq(args[i], "get"), eq(args[i], "by"):
			i++
		}
	}
	if store > 0 {
		keys = append(keys, store)
	}
	return keys
}

// sortROKeys is SORT_RO's only declared key, the sorted one.
func sortROKeys(args [][]byte) []int { return []int{1} }

func registerSortCommands(t *Table) {
	acl := []string{"set", "sortedset", "list", "slow", "dangerous"}
	t.Add(
		&Command{Name: "sort", Arity: -2, Flags: FlagWrite | FlagDenyOOM, ACL: acl, Group: "generic", Since: "1.0.0",
			Summary:    "Sorts the elements of a list, set or sorted set, optionally by other keys' values, and returns or stores them.",
			Usage:      "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA] [STORE destination]",
			Complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
			FirstKey:   1, LastKey: 1, KeyStep: 1, Keys: sortKeys, Lock: LockNone, Handler: cmdSort},
		&Command{Name: "sort_ro", Arity: -2, Flags: FlagReadonly, ACL: acl, Group: "generic", Since: "7.0.0",
			Summary:    "Sorts the elements of a list, set or sorted set, optionally by other keys' values, and returns them.",
			Usage:      "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA]",
			Complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
			FirstKey:   1, LastKey: 1, KeyStep: 1, Keys: sortROKeys, Lock: LockNone, Handler: cmdSortRO},
	)
}
