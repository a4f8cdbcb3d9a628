package zset

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
)

// model is the obvious implementation the ZSet is checked against: a slice
// kept sorted by (score, member).
type model struct {
	items   []item
	compact bool // the encoding the ZSet should be in
}

func (m *model) sort() {
	sort.Slice(m.items, func(i, j int) bool {
		return cmpItem(m.items[i].score, m.items[i].member, &m.items[j]) < 0
	})
}

func (m *model) find(member string) int {
	for i := range m.items {
		if m.items[i].member == member {
			return i
		}
	}
	return -1
}

func (m *model) add(member string, score float64, flags AddFlags, lim Limits) (float64, AddResult) {
	i := m.find(member)
	if i < 0 {
		if flags&AddXX != 0 {
			return 0, NoOp
		}
		m.items = append(m.items, item{score, member})
		m.sort()
		if len(m.items) > lim.MaxListpackEntries || len(member) > lim.MaxListpackValue {
			m.compact = false
		}
		return score, Added
	}
	cur := m.items[i].score
	if flags&AddNX != 0 {
		return cur, NoOp
	}
	if flags&AddIncr != 0 {
		score += cur
		if math.IsNaN(score) {
			return 0, NaN
		}
	}
	if (flags&AddLT != 0 && score >= cur) || (flags&AddGT != 0 && score <= cur) {
		return cur, NoOp
	}
	if score == cur {
		return score, 0
	}
	m.items[i].score = score
	m.sort()
	return score, Updated
}

func (m *model) remove(member string) bool {
	i := m.find(member)
	if i < 0 {
		return false
	}
	m.items = slices.Delete(m.items, i, i+1)
	return true
}

// sameScores reports whether every member has one score: only then is a lex
// range well defined for every encoding.
func (m *model) sameScores() bool {
	for i := range m.items {
		if m.items[i].score != m.items[0].score {
			return false
		}
	}
	return true
}

// lexRange mimics Redis's listpack scan: the first member from the head that
// is >= min, then on while <= max (from the tail and backwards for reverse).
func (m *model) lexRange(r *LexRange, reverse bool, offset, limit int) []item {
	var out []item
	if r.empty() || len(m.items) == 0 || offset < 0 || limit == 0 {
		return nil
	}
	first, last := []byte(m.items[0].member), []byte(m.items[len(m.items)-1].member)
	if !r.gteMin(last) || !r.lteMax(first) {
		return nil
	}
	if !reverse {
		start := -1
		for i := range m.items {
			if r.gteMin([]byte(m.items[i].member)) {
				if r.lteMax([]byte(m.items[i].member)) {
					start = i
				}
				break
			}
		}
		if start < 0 {
			return nil
		}
		for i := start + offset; i < len(m.items) && len(out) != limit; i++ {
			if !r.lteMax([]byte(m.items[i].member)) {
				break
			}
			out = append(out, m.items[i])
		}
		return out
	}
	start := -1
	for i := len(m.items) - 1; i >= 0; i-- {
		if r.lteMax([]byte(m.items[i].member)) {
			if r.gteMin([]byte(m.items[i].member)) {
				start = i
			}
			break
		}
	}
	if start < 0 {
		return nil
	}
	for i := start - offset; i >= 0 && len(out) != limit; i-- {
		if !r.gteMin([]byte(m.items[i].member)) {
			break
		}
		out = append(out, m.items[i])
	}
	return out
}

func (m *model) scoreRange(r *ScoreRange, reverse bool, offset, limit int) []item {
	var in []item
	for _, it := range m.items {
		if r.Contains(it.score) {
			in = append(in, it)
		}
	}
	if reverse {
		slices.Reverse(in)
	}
	if offset < 0 || offset >= len(in) || limit == 0 {
		return nil
	}
	in = in[offset:]
	if limit >= 0 && limit < len(in) {
		in = in[:limit]
	}
	return in
}

func collect(fn func(Visitor)) []item {
	var out []item
	fn(func(m []byte, s float64) bool {
		out = append(out, item{s, string(m)})
		return true
	})
	return out
}

func sameItems(a, b []item) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].member != b[i].member || a[i].score != b[i].score {
			return false
		}
	}
	return true
}

// checker verifies a ZSet against its model after every operation.
type checker struct {
	t   *testing.T
	z   *ZSet
	m   *model
	lim Limits
	rnd *rand.Rand
	op  string
	// members to pick from; testMembers when nil.
	members []string
}

func (c *checker) fail(format string, args ...any) {
	c.t.Helper()
	c.t.Fatalf("after %s: %s", c.op, fmt.Sprintf(format, args...))
}

func (c *checker) check() {
	c.t.Helper()
	if c.z.Len() != len(c.m.items) {
		c.fail("Len %d, model %d", c.z.Len(), len(c.m.items))
	}
	if c.z.IsCompact() != c.m.compact {
		c.fail("IsCompact %v, model %v", c.z.IsCompact(), c.m.compact)
	}
	if got := collect(c.z.Ascend); !sameItems(got, c.m.items) {
		c.fail("Ascend %v, model %v", got, c.m.items)
	}
	rev := slices.Clone(c.m.items)
	slices.Reverse(rev)
	if got := collect(c.z.Descend); !sameItems(got, rev) {
		c.fail("Descend %v, model %v", got, rev)
	}
	if c.z.big != nil {
		checkTree(c.t, &c.z.big.tree)
		if c.z.big.dict.Len() != len(c.m.items) {
			c.fail("dict holds %d members, model %d", c.z.big.dict.Len(), len(c.m.items))
		}
	}
}

var testMembers = func() []string {
	var ms []string
	for i := 0; i < 40; i++ {
		ms = append(ms, fmt.Sprintf("m%02d", i))
	}
	ms = append(ms, "", "a", "ab", "b", "\x00", "\xff", strings.Repeat("x", 70), "123", "-5")
	return ms
}()

var testScores = []float64{0, 1, -1, 2.5, 3, 3, 3, 100, -100, 1e10, math.Inf(1), math.Inf(-1), 0.1, 7}

func (c *checker) member() string {
	if c.members != nil {
		return c.members[c.rnd.IntN(len(c.members))]
	}
	return testMembers[c.rnd.IntN(len(testMembers))]
}

func (c *checker) score() float64 {
	if c.rnd.IntN(4) == 0 {
		return float64(c.rnd.IntN(10))
	}
	return testScores[c.rnd.IntN(len(testScores))]
}

func (c *checker) scoreRange() ScoreRange {
	r := ScoreRange{Min: c.score(), Max: c.score(), MinEx: c.rnd.IntN(3) == 0, MaxEx: c.rnd.IntN(3) == 0}
	if c.rnd.IntN(3) > 0 && r.Min > r.Max {
		r.Min, r.Max = r.Max, r.Min
	}
	return r
}

func (c *checker) lexBound() LexBound {
	switch c.rnd.IntN(6) {
	case 0:
		return LexBound{Kind: lexNegInf, Ex: true}
	case 1:
		return LexBound{Kind: lexPosInf, Ex: true}
	}
	return LexBound{Value: []byte(c.member()), Ex: c.rnd.IntN(2) == 0}
}

func (c *checker) step() {
	z, m, lim, rnd := c.z, c.m, c.lim, c.rnd
	switch op := rnd.IntN(16); op {
	case 0, 1, 2, 3:
		member, score := c.member(), c.score()
		flags := AddFlags(0)
		switch rnd.IntN(8) {
		case 0:
			flags = AddNX
		case 1:
			flags = AddXX
		case 2:
			flags = AddGT
		case 3:
			flags = AddLT | AddXX
		case 4:
			flags = AddIncr
		}
		c.op = fmt.Sprintf("Add(%q, %v, %v)", member, score, flags)
		ws, wr := m.add(member, score, flags, lim)
		gs, gr := z.Add([]byte(member), score, flags, lim)
		if gr != wr || (wr != NaN && gs != ws) {
			c.fail("got %v %v, want %v %v", gs, gr, ws, wr)
		}
	case 4:
		member := c.member()
		c.op = fmt.Sprintf("Remove(%q)", member)
		if got, want := z.Remove([]byte(member)), m.remove(member); got != want {
			c.fail("got %v want %v", got, want)
		}
	case 5:
		member := c.member()
		rev := rnd.IntN(2) == 0
		c.op = fmt.Sprintf("Rank(%q, %v) / Score", member, rev)
		r, s, ok := z.Rank([]byte(member), rev)
		i := m.find(member)
		if ok != (i >= 0) {
			c.fail("found %v", ok)
		}
		if ok {
			want := i
			if rev {
				want = len(m.items) - 1 - i
			}
			if r != want || s != m.items[i].score {
				c.fail("rank %d score %v, want %d %v", r, s, want, m.items[i].score)
			}
		}
		if s2, ok2 := z.Score([]byte(member)); ok2 != ok || (ok && s2 != s) {
			c.fail("Score %v %v", s2, ok2)
		}
	case 6:
		if len(m.items) == 0 {
			return
		}
		a, b := rnd.IntN(len(m.items)), rnd.IntN(len(m.items))
		if a > b {
			a, b = b, a
		}
		rev := rnd.IntN(2) == 0
		c.op = fmt.Sprintf("RangeByRank(%d, %d, %v)", a, b, rev)
		got := collect(func(v Visitor) { z.RangeByRank(a, b, rev, v) })
		want := slices.Clone(m.items)
		if rev {
			slices.Reverse(want)
		}
		if !sameItems(got, want[a:b+1]) {
			c.fail("got %v want %v", got, want[a:b+1])
		}
	case 7:
		r := c.scoreRange()
		rev := rnd.IntN(2) == 0
		offset, limit := rnd.IntN(5)-1, rnd.IntN(6)-1
		c.op = fmt.Sprintf("RangeByScore(%+v, %v, %d, %d)", r, rev, offset, limit)
		var got []item
		n := z.RangeByScore(&r, rev, offset, limit, func(mb []byte, s float64) bool {
			got = append(got, item{s, string(mb)})
			return true
		})
		want := m.scoreRange(&r, rev, offset, limit)
		if !sameItems(got, want) || n != len(got) {
			c.fail("got %v (n %d) want %v", got, n, want)
		}
		all := m.scoreRange(&r, false, 0, -1)
		if cnt := z.CountByScore(&r); cnt != len(all) {
			c.fail("CountByScore %d want %d", cnt, len(all))
		}
	case 8:
		if !z.IsCompact() && !m.sameScores() {
			return
		}
		r := LexRange{Min: c.lexBound(), Max: c.lexBound()}
		rev := rnd.IntN(2) == 0
		offset, limit := rnd.IntN(4)-1, rnd.IntN(5)-1
		c.op = fmt.Sprintf("RangeByLex(%v, %v, %d, %d)", r, rev, offset, limit)
		got := collect(func(v Visitor) { z.RangeByLex(&r, rev, offset, limit, v) })
		want := m.lexRange(&r, rev, offset, limit)
		if !sameItems(got, want) {
			c.fail("got %v want %v", got, want)
		}
		if cnt, all := z.CountByLex(&r), m.lexRange(&r, false, 0, -1); cnt != len(all) {
			c.fail("CountByLex %d want %d", cnt, len(all))
		}
	case 9:
		if len(m.items) == 0 {
			return
		}
		a, b := rnd.IntN(len(m.items)), rnd.IntN(len(m.items))
		if a > b {
			a, b = b, a
		}
		c.op = fmt.Sprintf("RemoveRangeByRank(%d, %d)", a, b)
		if n := z.RemoveRangeByRank(a, b); n != b-a+1 {
			c.fail("removed %d", n)
		}
		m.items = slices.Delete(m.items, a, b+1)
	case 10:
		r := c.scoreRange()
		c.op = fmt.Sprintf("RemoveRangeByScore(%+v)", r)
		want := m.scoreRange(&r, false, 0, -1)
		if n := z.RemoveRangeByScore(&r); n != len(want) {
			c.fail("removed %d want %d", n, len(want))
		}
		for _, it := range want {
			m.remove(it.member)
		}
	case 11:
		if !z.IsCompact() && !m.sameScores() {
			return
		}
		r := LexRange{Min: c.lexBound(), Max: c.lexBound()}
		c.op = fmt.Sprintf("RemoveRangeByLex(%v)", r)
		want := m.lexRange(&r, false, 0, -1)
		if n := z.RemoveRangeByLex(&r); n != len(want) {
			c.fail("removed %d want %d", n, len(want))
		}
		for _, it := range want {
			m.remove(it.member)
		}
	case 12:
		max := rnd.IntN(2) == 0
		c.op = fmt.Sprintf("Pop(%v)", max)
		mb, s, ok := z.Pop(max)
		if ok != (len(m.items) > 0) {
			c.fail("ok %v", ok)
		}
		if ok {
			i := 0
			if max {
				i = len(m.items) - 1
			}
			if mb != m.items[i].member || s != m.items[i].score {
				c.fail("popped %q %v want %v", mb, s, m.items[i])
			}
			m.items = slices.Delete(m.items, i, i+1)
		}
	case 13:
		if len(m.items) == 0 {
			return
		}
		c.op = "Random"
		mb, s := z.Random(rnd.Uint64)
		if i := m.find(string(mb)); i < 0 || m.items[i].score != s {
			c.fail("random %q %v not in the set", mb, s)
		}
		if len(m.items) > 1 {
			count := 1 + rnd.IntN(len(m.items)-1)
			seen := map[string]bool{}
			z.RandomDistinct(count, rnd.Uint64, func(mb []byte, s float64) bool {
				if i := m.find(string(mb)); i < 0 || m.items[i].score != s || seen[string(mb)] {
					c.fail("RandomDistinct gave %q %v", mb, s)
				}
				seen[string(mb)] = true
				return true
			})
			if len(seen) != count {
				c.fail("RandomDistinct gave %d of %d", len(seen), count)
			}
		}
	case 14:
		c.op = "Scan"
		seen := map[string]float64{}
		var cur uint64
		for {
			cur = z.Scan(cur, func(mb []byte, s float64) { seen[string(mb)] = s })
			if cur == 0 {
				break
			}
		}
		if len(seen) != len(m.items) {
			c.fail("Scan saw %d of %d", len(seen), len(m.items))
		}
		for _, it := range m.items {
			if s, ok := seen[it.member]; !ok || s != it.score {
				c.fail("Scan missed %v", it)
			}
		}
	case 15:
		c.op = "Clone"
		cl := z.Clone().(*ZSet)
		if cl.IsCompact() != z.IsCompact() || !sameItems(collect(cl.Ascend), m.items) {
			c.fail("clone differs")
		}
		// The copy is independent.
		cl.Add([]byte("clone-only"), 1, 0, lim)
		if _, ok := z.Score([]byte("clone-only")); ok {
			c.fail("clone shares memory")
		}
	}
	c.check()
}

func TestModel(t *testing.T) {
	limits := []Limits{{4, 8}, {16, 64}, {128, 64}, {0, 0}}
	for _, lim := range limits {
		for seed := uint64(1); seed <= 6; seed++ {
			t.Run(fmt.Sprintf("%d-%d/%d", lim.MaxListpackEntries, lim.MaxListpackValue, seed), func(t *testing.T) {
				c := &checker{t: t, z: New(), m: &model{compact: true}, lim: lim, rnd: rand.New(rand.NewPCG(seed, 7))}
				for i := 0; i < 1500; i++ {
					c.step()
				}
			})
		}
	}
}

// TestModelBig runs the model with enough members for a tree of many leaves
// and several levels, scores spread so that ranges cross leaves.
func TestModelBig(t *testing.T) {
	members := make([]string, 6000)
	for i := range members {
		members[i] = fmt.Sprintf("member:%d", i)
	}
	c := &checker{t: t, z: New(), m: &model{compact: true}, lim: Limits{128, 64}, rnd: rand.New(rand.NewPCG(3, 4)), members: members}
	// Fill first, then mix operations (adds dominate, so the set stays big).
	for i := 0; i < 5000; i++ {
		m := members[c.rnd.IntN(len(members))]
		s := c.score()
		c.m.add(m, s, 0, c.lim)
		c.z.Add([]byte(m), s, 0, c.lim)
	}
	c.op = "fill"
	c.check()
	for i := 0; i < 1500; i++ {
		c.step()
	}
}

func TestNegativeZero(t *testing.T) {
	negZero := math.Copysign(0, -1)
	lim := Limits{128, 64}
	z := New()
	if s, res := z.Add([]byte("a"), negZero, 0, lim); res != Added || !math.Signbit(s) {
		t.Fatalf("Add returned %v %v; the reply shows the score given", s, res)
	}
	if s, _ := z.Score([]byte("a")); math.Signbit(s) {
		t.Error("a compact set should store -0 as 0, as Redis's listpack does")
	}
	b := NewBig(0)
	b.Add([]byte("a"), negZero, 0, lim)
	if s, _ := b.Score([]byte("a")); !math.Signbit(s) {
		t.Error("a big set should keep the sign of -0, as Redis's skiplist does")
	}
}

func TestConversionThresholds(t *testing.T) {
	lim := Limits{MaxListpackEntries: 3, MaxListpackValue: 5}
	z := New()
	for i, m := range []string{"a", "b", "c"} {
		z.Add([]byte(m), float64(i), 0, lim)
	}
	if !z.IsCompact() {
		t.Fatal("3 members of 1 byte should stay compact")
	}
	z.Add([]byte("d"), 3, 0, lim)
	if z.IsCompact() {
		t.Fatal("a 4th member should convert")
	}
	z.Remove([]byte("d"))
	z.Remove([]byte("c"))
	if z.IsCompact() {
		t.Fatal("a big set never converts back")
	}
	y := New()
	y.Add([]byte("abcdef"), 1, 0, lim)
	if y.IsCompact() {
		t.Fatal("a 6-byte member should convert")
	}
	x := New()
	x.Add([]byte("abcde"), 1, 0, lim)
	x.Add([]byte("abcde"), 2, AddXX, lim)
	x.Add([]byte("zz"), 2, AddXX, lim)
	if !x.IsCompact() || x.Len() != 1 {
		t.Fatal("updates and XX misses do not convert")
	}
	if !NewSized(3, 5, lim).IsCompact() || NewSized(4, 5, lim).IsCompact() || NewSized(3, 6, lim).IsCompact() {
		t.Fatal("NewSized picks the wrong encoding")
	}
}

func TestInsert(t *testing.T) {
	for _, z := range []*ZSet{New(), NewBig(0)} {
		if !z.Insert([]byte("a"), 1) || z.Insert([]byte("a"), 2) || z.Insert([]byte("b"), math.NaN()) {
			t.Fatal("Insert must refuse duplicates and NaN")
		}
		if s, _ := z.Score([]byte("a")); s != 1 || z.Len() != 1 {
			t.Fatal("Insert changed an existing member")
		}
	}
}

func TestCompactLongMembers(t *testing.T) {
	// Members long enough for multi-byte varints, under a raised threshold.
	lim := Limits{128, 1 << 20}
	z := New()
	var want []item
	for i := 0; i < 20; i++ {
		m := strings.Repeat(string(rune('a'+i)), 100+i*700)
		z.Add([]byte(m), float64(i%5), 0, lim)
		want = append(want, item{float64(i % 5), m})
	}
	if !z.IsCompact() {
		t.Fatal("should stay compact")
	}
	sort.Slice(want, func(i, j int) bool { return cmpItem(want[i].score, want[i].member, &want[j]) < 0 })
	if !sameItems(collect(z.Ascend), want) {
		t.Fatal("ascend differs")
	}
	slices.Reverse(want)
	if !sameItems(collect(z.Descend), want) {
		t.Fatal("descend differs")
	}
}

// FuzzOps drives a ZSet and the model with the fuzzer's bytes.
func FuzzOps(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	f.Add(bytes.Repeat([]byte{0, 7, 200, 3}, 40))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 8 {
			return
		}
		seed := uint64(data[0]) | uint64(data[1])<<8
		lim := Limits{int(data[2] % 20), int(data[3] % 80)}
		c := &checker{t: t, z: New(), m: &model{compact: true}, lim: lim, rnd: rand.New(rand.NewPCG(seed, uint64(len(data))))}
		for range data[4:] {
			c.step()
		}
	})
}

func TestConvertToBigKeepsContents(t *testing.T) {
	z := New()
	for i, m := range []string{"c", "a", "b"} {
		z.Insert([]byte(m), float64(3-i))
	}
	z.ConvertToBig()
	if z.IsCompact() {
		t.Fatal("still compact after ConvertToBig")
	}
	z.ConvertToBig() // a no-op on a big set
	var got []string
	z.Ascend(func(m []byte, s float64) bool {
		got = append(got, fmt.Sprintf("%s=%g", m, s))
		return true
	})
	if want := "b=1 a=2 c=3"; strings.Join(got, " ") != want {
		t.Errorf("contents %q, want %q", got, want)
	}
	if s, ok := z.Score([]byte("a")); !ok || s != 2 {
		t.Errorf("score of a: %v %v", s, ok)
	}
}
