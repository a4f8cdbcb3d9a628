package server

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// Leaderboard commands through the dispatcher (no network) on a sorted set
// of 100k players: what a request costs the server besides the socket.
// The data structure alone is measured in datatypes/zset at 1M members.

func leaderboardClient(b *testing.B) *testClient {
	c := newTestClient(b)
	rnd := rand.New(rand.NewPCG(1, 2))
	args := [][]byte{[]byte("ZADD"), []byte("lb")}
	for i := 0; i < 100_000; i++ {
		args = append(args, strconv.AppendInt(nil, int64(rnd.IntN(10_000_000)), 10), []byte("player:"+strconv.Itoa(i)))
	}
	c.doArgs(args...)
	return c
}

func benchCommand(b *testing.B, command func(i int) [][]byte) {
	c := leaderboardClient(b)
	cmds := make([][][]byte, 4096)
	for i := range cmds {
		cmds[i] = command(i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.c.out = c.c.out[:0]
		c.c.run(cmds[i%len(cmds)])
	}
}

func playerArg(i int) []byte {
	return []byte("player:" + strconv.Itoa(int(uint32(i*2654435761)%100_000)))
}

func BenchmarkDispatchZIncrBy(b *testing.B) {
	benchCommand(b, func(i int) [][]byte {
		return [][]byte{[]byte("ZINCRBY"), []byte("lb"), []byte("7"), playerArg(i)}
	})
}

func BenchmarkDispatchZAdd(b *testing.B) {
	benchCommand(b, func(i int) [][]byte {
		return [][]byte{[]byte("ZADD"), []byte("lb"), strconv.AppendInt(nil, int64(i*7919%10_000_000), 10), playerArg(i)}
	})
}

func BenchmarkDispatchZRevRank(b *testing.B) {
	benchCommand(b, func(i int) [][]byte {
		return [][]byte{[]byte("ZREVRANK"), []byte("lb"), playerArg(i)}
	})
}

func BenchmarkDispatchZRevRangeTop10(b *testing.B) {
	benchCommand(b, func(i int) [][]byte {
		return [][]byte{[]byte("ZREVRANGE"), []byte("lb"), []byte("0"), []byte("9"), []byte("WITHSCORES")}
	})
}

func BenchmarkDispatchZScore(b *testing.B) {
	benchCommand(b, func(i int) [][]byte {
		return [][]byte{[]byte("ZSCORE"), []byte("lb"), playerArg(i)}
	})
}
