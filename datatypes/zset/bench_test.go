package zset

// Leaderboard benchmarks on a sorted set of 1M members: the operations a
// game server runs all day (ZADD, ZINCRBY, ZREVRANK, ZREVRANGE 0 9), and the
// memory a member costs. Run with
//
//	go test ./datatypes/zset -run '^$' -bench . -benchtime 1000000x
//
// BenchmarkTidwallRank measures the alternative this package did not take:
// tidwall/btree keeps subtree counts but has no item -> rank lookup, so a
// rank is a binary search over GetAt, O(log² n).

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"testing"

	"github.com/tidwall/btree"
)

const benchMembers = 1_000_000

var benchLim = Limits{MaxListpackEntries: 128, MaxListpackValue: 64}

func benchMember(i int) []byte { return strconv.AppendInt([]byte("player:"), int64(i), 10) }

var (
	benchOnce sync.Once
	benchSet  *ZSet
)

// leaderboard returns a shared set of 1M players with random scores. The
// benchmarks that change it keep its size (they update existing members).
func leaderboard() *ZSet {
	benchOnce.Do(func() {
		rnd := rand.New(rand.NewPCG(1, 1))
		benchSet = New()
		for i := 0; i < benchMembers; i++ {
			benchSet.Add(benchMember(i), float64(rnd.IntN(10_000_000)), 0, benchLim)
		}
	})
	return benchSet
}

// BenchmarkBuild1M adds 1M new members to an empty set and reports the heap
// bytes per member (dict entry and bucket, tree item, member string).
func BenchmarkBuild1M(b *testing.B) {
	members := make([][]byte, benchMembers)
	for i := range members {
		members[i] = benchMember(i)
	}
	rnd := rand.New(rand.NewPCG(2, 2))
	scores := make([]float64, benchMembers)
	for i := range scores {
		scores[i] = float64(rnd.IntN(10_000_000))
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		z := New()
		for i, m := range members {
			z.Add(m, scores[i], 0, benchLim)
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/benchMembers, "bytes/member")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchMembers), "ns/add")
		runtime.KeepAlive(z)
		b.StartTimer()
	}
}

// BenchmarkZAddNew adds new members to a set of 1M and removes them again
// (two operations per iteration, reported per add).
func BenchmarkZAddNew(b *testing.B) {
	z := leaderboard()
	rnd := rand.New(rand.NewPCG(3, 3))
	members := make([][]byte, 4096)
	for i := range members {
		members[i] = benchMember(benchMembers + i)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := members[i%len(members)]
		z.Add(m, float64(rnd.IntN(10_000_000)), 0, benchLim)
		if i%len(members) == len(members)-1 {
			b.StopTimer()
			for _, m := range members {
				z.Remove(m)
			}
			b.StartTimer()
		}
	}
}

// BenchmarkZAddUpdate sets a new random score on an existing member: ZADD
// on a leaderboard where every player is known.
func BenchmarkZAddUpdate(b *testing.B) {
	z := leaderboard()
	rnd := rand.New(rand.NewPCG(4, 4))
	members := benchSample(rnd)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		z.Add(members[i%len(members)], float64(rnd.IntN(10_000_000)), 0, benchLim)
	}
}

// BenchmarkZIncrBy adds a random increment to an existing member.
func BenchmarkZIncrBy(b *testing.B) {
	z := leaderboard()
	rnd := rand.New(rand.NewPCG(5, 5))
	members := benchSample(rnd)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		z.Add(members[i%len(members)], float64(rnd.IntN(1000)), AddIncr, benchLim)
	}
}

// BenchmarkZIncrByOne adds 1 to an existing member's score (a point
// scored): the member usually stays in its leaf.
func BenchmarkZIncrByOne(b *testing.B) {
	z := leaderboard()
	members := benchSample(rand.New(rand.NewPCG(9, 9)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		z.Add(members[i%len(members)], 1, AddIncr, benchLim)
	}
}

// BenchmarkZRevRank finds the rank of a random member from the top.
func BenchmarkZRevRank(b *testing.B) {
	z := leaderboard()
	members := benchSample(rand.New(rand.NewPCG(6, 6)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, ok := z.Rank(members[i%len(members)], true); !ok {
			b.Fatal("member missing")
		}
	}
}

// BenchmarkZRevRangeTop10 reads the top ten with their scores.
func BenchmarkZRevRangeTop10(b *testing.B) {
	z := leaderboard()
	var sum float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		z.RangeByRank(0, 9, true, func(m []byte, s float64) bool {
			sum += s
			return true
		})
	}
	runtime.KeepAlive(sum)
}

// BenchmarkZRevRangeAt reads ten members from a random rank (a page of the
// leaderboard around a player).
func BenchmarkZRevRangeAt(b *testing.B) {
	z := leaderboard()
	rnd := rand.New(rand.NewPCG(7, 7))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := rnd.IntN(benchMembers - 10)
		z.RangeByRank(start, start+9, true, func(m []byte, s float64) bool { return true })
	}
}

func benchSample(rnd *rand.Rand) [][]byte {
	members := make([][]byte, 1<<16)
	for i := range members {
		members[i] = benchMember(rnd.IntN(benchMembers))
	}
	return members
}

// BenchmarkTidwallRank: the rank of a random item in a tidwall/btree of 1M
// items, by binary search over GetAt.
func BenchmarkTidwallRank(b *testing.B) {
	less := func(a, b item) bool { return cmpItem(a.score, a.member, &b) < 0 }
	tr := btree.NewBTreeGOptions(less, btree.Options{NoLocks: true})
	rnd := rand.New(rand.NewPCG(8, 8))
	items := make([]item, benchMembers)
	for i := range items {
		items[i] = item{float64(rnd.IntN(10_000_000)), fmt.Sprint("player:", i)}
		tr.Set(items[i])
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		want := items[rnd.IntN(len(items))]
		r := sort.Search(tr.Len(), func(k int) bool {
			it, _ := tr.GetAt(k)
			return !less(it, want)
		})
		if got, _ := tr.GetAt(r); got != want {
			b.Fatal("rank search missed")
		}
	}
}

// BenchmarkTreeRank is the same lookup in this package's tree.
func BenchmarkTreeRank(b *testing.B) {
	var tr tree
	rnd := rand.New(rand.NewPCG(8, 8))
	items := make([]item, benchMembers)
	for i := range items {
		items[i] = item{float64(rnd.IntN(10_000_000)), fmt.Sprint("player:", i)}
		tr.insert(items[i].score, items[i].member)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		want := items[rnd.IntN(len(items))]
		if _, ok := tr.rank(want.score, want.member); !ok {
			b.Fatal("rank missed")
		}
	}
}
