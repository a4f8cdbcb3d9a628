package server

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// Replies recorded from redis-server 7.0.15.
func TestSortReplies(t *testing.T) {
	c := newTestClient(t)
	c.expect("rpush l 3 1 2 10 -5", ":5\r\n")
	c.expect("sort l", "*5\r\n$2\r\n-5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n")
	c.expect("sort l desc limit 1 2", "*2\r\n$1\r\n3\r\n$1\r\n2\r\n")
	c.expect("sort_ro l alpha", "*5\r\n$2\r\n-5\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n")
	c.expect("sort l by nosort desc", "*5\r\n$2\r\n-5\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n1\r\n$1\r\n3\r\n")
	c.expect("mset w_3 c w_1 a w_2 b w_10 a", "+OK\r\n")
	c.expect("sort l by w_* alpha get # get w_*", "*10\r\n$2\r\n-5\r\n$-1\r\n$1\r\n1\r\n$1\r\na\r\n$2\r\n10\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n3\r\n$1\r\nc\r\n")
	c.expect("hset h_3 n 1", ":1\r\n")
	c.expect("hset h_1 n 2", ":1\r\n")
	c.expect("sort l by h_*->n get h_*->n", "*5\r\n$-1\r\n$-1\r\n$-1\r\n$1\r\n1\r\n$1\r\n2\r\n")
	c.expect("sort l by w_* alpha limit 0 2", "*2\r\n$2\r\n-5\r\n$1\r\n1\r\n")
	c.expect("rpush bad x", ":1\r\n")
	c.expect("sort bad", "-ERR One or more scores can't be converted into double\r\n")
	c.expect("sort l limit 1 x", "-ERR value is not an integer or out of range\r\n")
	c.expect("sort l foo", "-ERR syntax error\r\n")
	c.expect("sort_ro l store d", "-ERR syntax error\r\n")
	c.expect("set str v", "+OK\r\n")
	c.expect("sort str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("sadd s 5 -3 100", ":3\r\n")
	c.expect("sort s desc", "*3\r\n$3\r\n100\r\n$1\r\n5\r\n$2\r\n-3\r\n")
	c.expect("sort s by nosort store d", ":3\r\n")
	c.expect("lrange d 0 -1", "*3\r\n$2\r\n-3\r\n$3\r\n100\r\n$1\r\n5\r\n")
	c.expect("sort nokey", "*0\r\n")
	c.expect("sort nokey store d", ":0\r\n")
	c.do("hello 3")
	c.expect("sort l get # get nokey_* limit 0 1", "*2\r\n$2\r\n-5\r\n_\r\n")
}

// Events, propagation and the change counter of SORT ... STORE, as
// redis-server 7.0.15 sends them (keymiss for missing BY keys, "new"
// before "sortstore" for a new destination, "del" when an empty result
// removes it).
func TestSortEffects(t *testing.T) {
	c := newTestClient(t)
	rec := recordEffects(c)
	c.do("select 0")
	c.do("rpush l 2 1")
	rec.take()
	checkEffects(t, c, rec, []effectCase{
		{cmd: "sort l by w_* store d", reply: ":2\r\n", stream: []string{"sort l by w_* store d"},
			events: []string{"keymiss:w_2", "keymiss:w_1", "sortstore:d"}, dirty: 2},
		{cmd: "sort l store d", reply: ":2\r\n", stream: []string{"sort l store d"}, events: []string{"sortstore:d"}, dirty: 2},
		{cmd: "sort l get # get # store d", reply: ":4\r\n", stream: []string{"sort l get # get # store d"}, events: []string{"sortstore:d"}, dirty: 4},
		{cmd: "sort l limit 0 0 store d", reply: ":0\r\n", stream: []string{"sort l limit 0 0 store d"}, events: []string{"del:d"}, dirty: 1},
		{cmd: "sort l limit 0 0 store d", reply: ":0\r\n"},
		{cmd: "sort nokey store d", reply: ":0\r\n", events: []string{"keymiss:nokey"}},
		{cmd: "sort l", reply: "*2\r\n$1\r\n1\r\n$1\r\n2\r\n"},
		{cmd: "sort_ro l by w_*", reply: "*2\r\n$1\r\n1\r\n$1\r\n2\r\n", events: []string{"keymiss:w_2", "keymiss:w_1"}},
	})

	// With the "n" class on, a new destination says "new" first (dbAdd).
	c.srv.notifyFlags.v.Store(uint32(NotifyKeyevent | NotifyNew | NotifyList | NotifyGeneric))
	checkEffects(t, c, rec, []effectCase{
		{cmd: "sort l store e", reply: ":2\r\n", stream: []string{"sort l store e"}, events: []string{"new:e", "sortstore:e"}, dirty: 2},
		{cmd: "sort l store e", reply: ":2\r\n", stream: []string{"sort l store e"}, events: []string{"sortstore:e"}, dirty: 2},
	})
}

func TestSortStoreReplacesAndKeepsTTLOff(t *testing.T) {
	c := newTestClient(t)
	c.do("rpush l b a")
	c.expect("set d x ex 100", "+OK\r\n")
	c.expect("sort l alpha store d", ":2\r\n")
	c.expect("type d", "+list\r\n")
	c.expect("ttl d", ":-1\r\n")
	c.expect("object encoding d", "$9\r\nquicklist\r\n")
	c.expect("lrange d 0 -1", "*2\r\n$1\r\na\r\n$1\r\nb\r\n")
	// The sorted key itself as the destination.
	c.expect("sort l alpha desc store l", ":2\r\n")
	c.expect("lrange l 0 -1", "*2\r\n$1\r\nb\r\n$1\r\na\r\n")
}

// SORT in MULTI runs under the transaction's locks (every shard, since
// SORT locks for itself).
func TestSortInMulti(t *testing.T) {
	c := newTestClient(t)
	c.do("rpush l 3 1 2")
	c.do("mset w_1 3 w_2 2 w_3 1")
	c.expect("multi", "+OK\r\n")
	c.expect("sort l by w_* store d", "+QUEUED\r\n")
	c.expect("sort_ro l by w_* get w_*", "+QUEUED\r\n")
	c.expect("exec", "*2\r\n:3\r\n*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n")
	c.expect("lrange d 0 -1", "*3\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n")
}

func TestSortGetKeys(t *testing.T) {
	c := newTestClient(t)
	c.expect("command getkeys sort k limit 0 1 store d get x by y store e", "*2\r\n$1\r\nk\r\n$1\r\ne\r\n")
	c.expect("command getkeys sort k store", "*1\r\n$1\r\nk\r\n")
	c.expect("command getkeys sort_ro k by w_*", "*1\r\n$1\r\nk\r\n")
}

// BY/GET lookups read keys outside SORT's key spec: with writers changing
// those keys concurrently, every reply must still be a consistent snapshot
// (each weight pair written together), and -race must stay quiet.
func TestSortPatternsUnderConcurrentWrites(t *testing.T) {
	srv := newTestServer(t)
	setup := srv.testClient(t)
	setup.do("rpush l a b c d")
	setup.do("mset w_a 1 w_b 2 w_c 3 w_d 4")
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 2 {
		tc := srv.testClient(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 9))
			for {
				select {
				case <-stop:
					return
				default:
				}
				// Swap two weights atomically: the set of weights stays 1..4.
				k := []string{"a", "b", "c", "d"}
				i, j := r.IntN(4), r.IntN(4)
				tc.do(fmt.Sprintf("mset w_%s %d w_%s %d", k[i], 1+r.IntN(4), k[j], 1+r.IntN(4)))
				tc.do("sort l by w_* store out")
			}
		}()
	}
	reader := srv.testClient(t)
	for range 300 {
		got := parseArrayOfBulks(t, reader.do("sort l by w_* get w_*"))
		if len(got) != 4 || !slices.IsSortedFunc(got, cmp.Compare[string]) {
			t.Fatalf("weights not sorted: %q", got)
		}
	}
	close(stop)
	wg.Wait()
}

func TestParseSortWeight(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"", 0, true}, {"1", 1, true}, {"-1.5", -1.5, true}, {" \t\n5", 5, true},
		{"0x10", 16, true}, {"0X1p-2", 0.25, true}, {"0x.8", 0.5, true},
		{".5", 0.5, true}, {"5.", 5, true}, {"+3", 3, true}, {"1e3", 1000, true},
		{"inf", math.Inf(1), true}, {"-Infinity", math.Inf(-1), true},
		{"0e-500", 0, true}, {"1\x00junk", 1, true}, {"\x00", 0, true},
		{"1 ", 0, false}, {" ", 0, false}, {"nan", 0, false}, {"-NaN", 0, false},
		{"1e400", 0, false}, {"1e-310", 0, false}, {"abc", 0, false}, {"0x", 0, false},
		{"1e", 0, false}, {"1e+", 0, false}, {"infx", 0, false}, {".", 0, false},
		{"--1", 0, false}, {"1_000", 0, false},
	} {
		got, ok := parseSortWeight([]byte(tc.in))
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("parseSortWeight(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzSortWeight(f *testing.F) {
	for _, s := range []string{"", "1", " 0x1p3", "inf", "nan", "1e400", "1e-310", "-.5e+2", "0x.8", "1\x002"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, ok := parseSortWeight(b)
		if ok && math.IsNaN(v) {
			t.Fatalf("%q: accepted NaN", b)
		}
	})
}

// pqsort must leave exactly the elements of a full sort in the requested
// range (under a total order, where the result is unique).
func TestPqsortRange(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	byScore := func(a, b *sortItem) int { return cmp.Compare(a.score, b.score) }
	for range 500 {
		n := 1 + r.IntN(120)
		v := make([]sortItem, n)
		for i := range v {
			v[i].score = float64(r.Perm(n)[0]) + float64(i)/1000 // distinct
		}
		want := slices.Clone(v)
		slices.SortFunc(want, func(a, b sortItem) int { return byScore(&a, &b) })
		lo := r.IntN(n)
		hi := lo + r.IntN(n-lo)
		pqsort(v, byScore, lo, hi)
		for i := lo; i <= hi; i++ {
			if v[i].score != want[i].score {
				t.Fatalf("n=%d range [%d,%d]: position %d has %v, want %v", n, lo, hi, i, v[i].score, want[i].score)
			}
		}
	}
}

func TestSortLimits(t *testing.T) {
	for _, tc := range []struct {
		off, count int64
		n          int
		start, end int
	}{
		{0, -1, 5, 0, 4}, {1, 2, 5, 1, 2}, {-3, 2, 5, 0, 1}, {4, 10, 5, 4, 4},
		{5, 1, 5, 4, 3}, {math.MaxInt64, math.MaxInt64, 5, 4, 3}, {1, math.MaxInt64, 5, 1, 4},
		{0, 0, 5, 0, -1}, {0, -1, 0, -1, -2}, {math.MinInt64, math.MinInt64, 3, 0, 2},
	} {
		s, e := sortLimits(tc.off, tc.count, tc.n)
		if s != tc.start || e != tc.end {
			t.Errorf("sortLimits(%d, %d, %d) = %d, %d; want %d, %d", tc.off, tc.count, tc.n, s, e, tc.start, tc.end)
		}
	}
}
