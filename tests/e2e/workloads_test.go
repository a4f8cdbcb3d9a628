package e2e_test

// Workloads: the ways applications commonly use a Redis server — a
// leaderboard, a session store, counters behind a rate limiter, a cache —
// each driven through go-redis against the built binary and checked exactly
// against a model the test keeps of what the server must hold.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/vireodb/vireo/tests/harness"
)

// TestWorkloadLeaderboard: 1000 players get a starting score (ZADD, with
// many ties) and then increments (ZINCRBY, overlapping players) from 8
// goroutines. Increments commute, so the final scores are known exactly
// whatever the interleaving; the top 10, every rank and every score must
// match the model, ties in Redis's order (equal scores by member, reversed
// for ZREVRANGE/ZREVRANK).
func TestWorkloadLeaderboard(t *testing.T) {
	srv := harness.StartVireo(t)
	requireServerCommands(t, srv, "zadd", "zincrby", "zrevrange", "zrevrank", "zscore", "zcard")
	ctx := context.Background()
	const (
		players   = 1000
		writers   = 8
		perWriter = 2000 // ZINCRBYs per goroutine
		batch     = 50   // commands per pipeline
	)
	player := func(i int) string { return fmt.Sprintf("player:%04d", i) }

	// The model: the starting score, i % 97, puts about ten players on
	// each score, then every goroutine's increments, summed after the run.
	model := make(map[string]float64, players)
	for i := range players {
		model[player(i)] = float64(i % 97)
	}
	increments := make([]map[string]float64, writers)

	var wg sync.WaitGroup
	// A ZADD after a ZINCRBY of the same player would reset its score, so
	// every writer waits here until all starting scores are in.
	var added sync.WaitGroup
	added.Add(writers)
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := srv.Client(3)
			// Starting scores: each goroutine adds its own share of players.
			_, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
				for i := w; i < players; i += writers {
					p.ZAdd(ctx, "lb", redis.Z{Score: model[player(i)], Member: player(i)})
				}
				return nil
			})
			added.Done()
			if err != nil {
				errs <- fmt.Errorf("writer %d: ZADD: %w", w, err)
				return
			}
			added.Wait()
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			mine := make(map[string]float64)
			for done := 0; done < perWriter; done += batch {
				cmds, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
					for range batch {
						member := player(rng.IntN(players))
						by := float64(rng.IntN(26) - 5) // -5..20: ranks move both ways
						mine[member] += by
						p.ZIncrBy(ctx, "lb", by, member)
					}
					return nil
				})
				if err != nil {
					errs <- fmt.Errorf("writer %d: ZINCRBY: %w", w, err)
					return
				}
				for _, cmd := range cmds {
					if score := cmd.(*redis.FloatCmd).Val(); score != float64(int64(score)) {
						errs <- fmt.Errorf("writer %d: ZINCRBY returned %v, not a whole number", w, score)
						return
					}
				}
			}
			increments[w] = mine
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, mine := range increments {
		for member, by := range mine {
			model[member] += by
		}
	}

	// Redis's order for ZREVRANGE: score descending, then member
	// descending (byte order).
	order := make([]string, 0, players)
	for member := range model {
		order = append(order, member)
	}
	slices.SortFunc(order, func(a, b string) int {
		if model[a] != model[b] {
			if model[a] > model[b] {
				return -1
			}
			return 1
		}
		return -strings.Compare(a, b)
	})

	for _, proto := range []int{2, 3} {
		c := srv.Client(proto)
		if n, err := c.ZCard(ctx, "lb").Result(); err != nil || n != players {
			t.Fatalf("RESP%d: ZCARD = %d, %v; want %d", proto, n, err, players)
		}
		top, err := c.ZRevRangeWithScores(ctx, "lb", 0, 9).Result()
		if err != nil {
			t.Fatalf("RESP%d: ZREVRANGE: %v", proto, err)
		}
		want := make([]redis.Z, 10)
		for i, member := range order[:10] {
			want[i] = redis.Z{Score: model[member], Member: member}
		}
		if !slices.Equal(top, want) {
			t.Errorf("RESP%d: ZREVRANGE lb 0 9 WITHSCORES =\n  %v\nwant\n  %v", proto, top, want)
		}

		ranks := make([]*redis.IntCmd, players)
		scores := make([]*redis.FloatCmd, players)
		if _, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, member := range order {
				ranks[i] = p.ZRevRank(ctx, "lb", member)
				scores[i] = p.ZScore(ctx, "lb", member)
			}
			return nil
		}); err != nil {
			t.Fatalf("RESP%d: ZREVRANK/ZSCORE pipeline: %v", proto, err)
		}
		wrong := 0
		for i, member := range order {
			if got := ranks[i].Val(); got != int64(i) && wrong < 5 {
				wrong++
				t.Errorf("RESP%d: ZREVRANK %s = %d, want %d (score %v)", proto, member, got, i, model[member])
			}
			if got := scores[i].Val(); got != model[member] && wrong < 5 {
				wrong++
				t.Errorf("RESP%d: ZSCORE %s = %v, want %v", proto, member, got, model[member])
			}
		}
		if rank, err := c.ZRevRank(ctx, "lb", "nobody").Result(); !errors.Is(err, redis.Nil) {
			t.Errorf("RESP%d: ZREVRANK of a missing member = %d, %v; want nil", proto, rank, err)
		}
	}
}

// TestWorkloadSessionStore: sessions are hashes with a 1 s TTL. They read
// back whole; after they expire, the ones a client asks for are gone at
// once (lazy expiry), and the ones nobody touches are reclaimed by the
// active expiry cycle alone.
func TestWorkloadSessionStore(t *testing.T) {
	requireCommands(t)
	srv := harness.StartVireo(t)
	ctx := context.Background()
	c := srv.Client(3)
	const sessions = 200
	key := func(i int) string { return fmt.Sprintf("session:%d", i) }
	fields := func(i int) map[string]string {
		return map[string]string{
			"user":    "user:" + strconv.Itoa(i*7),
			"created": strconv.Itoa(1700000000 + i),
			"cart":    strings.Repeat("x", i%13),
			"csrf":    fmt.Sprintf("%016x", uint64(i)*0x9e3779b97f4a7c15),
		}
	}

	// The active cycle off first, so that what is gone after the sleep was
	// taken by the lazy path, and the rest is still there for the cycle.
	if err := c.Do(ctx, "DEBUG", "SET-ACTIVE-EXPIRE", "0").Err(); err != nil {
		t.Fatalf("DEBUG SET-ACTIVE-EXPIRE 0: %v", err)
	}
	expiredBefore := infoStat(t, c, "expired_keys")
	if _, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i := range sessions {
			p.HSet(ctx, key(i), fields(i))
			p.Expire(ctx, key(i), time.Second)
		}
		return nil
	}); err != nil {
		t.Fatalf("HSET/EXPIRE pipeline: %v", err)
	}
	for i := range sessions {
		got, err := c.HGetAll(ctx, key(i)).Result()
		if err != nil || !maps.Equal(got, fields(i)) {
			t.Fatalf("HGETALL %s = %v, %v; want %v", key(i), got, err, fields(i))
		}
	}
	if ttl, err := c.TTL(ctx, key(0)).Result(); err != nil || ttl != time.Second {
		t.Errorf("TTL %s = %v, %v; want 1s", key(0), ttl, err)
	}

	time.Sleep(1500 * time.Millisecond)
	// Expired but untouched keys still count in DBSIZE until something
	// deletes them, as in Redis (DBSIZE is the size of the table).
	if n, err := c.DBSize(ctx).Result(); err != nil || n != sessions {
		t.Errorf("DBSIZE with the active cycle off = %d, %v; want %d", n, err, sessions)
	}
	// Lazy: the first half is read, and is gone.
	for i := range sessions / 2 {
		if got, err := c.HGetAll(ctx, key(i)).Result(); err != nil || len(got) != 0 {
			t.Fatalf("HGETALL %s 1.5 s after EXPIRE 1 = %v, %v; want empty", key(i), got, err)
		}
	}
	if n, err := c.DBSize(ctx).Result(); err != nil || n != sessions/2 {
		t.Errorf("DBSIZE after reading half the expired sessions = %d, %v; want %d", n, err, sessions/2)
	}

	// Active: the other half goes without anyone touching it.
	if err := c.Do(ctx, "DEBUG", "SET-ACTIVE-EXPIRE", "1").Err(); err != nil {
		t.Fatalf("DEBUG SET-ACTIVE-EXPIRE 1: %v", err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		n, err := c.DBSize(ctx).Result()
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("DBSIZE still %d 3 s after the active cycle was turned on; want 0", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := infoStat(t, c, "expired_keys") - expiredBefore; got != sessions {
		t.Errorf("INFO stats expired_keys grew by %d, want %d (lazy and active together)", got, sessions)
	}
}

// TestWorkloadCounters: 16 goroutines count requests per user and window
// the rate-limiter way — INCR, then EXPIRE NX in the same pipeline — on
// shared keys. Every key ends at exactly the number of INCRs sent to it,
// the INCR replies for a key are 1..n each once (no lost or doubled
// update), exactly one EXPIRE NX per key set the TTL, and a limiter
// allowing replies <= limit let exactly min(n, limit) through.
func TestWorkloadCounters(t *testing.T) {
	requireCommands(t)
	srv := harness.StartVireo(t)
	ctx := context.Background()
	const (
		workers   = 16
		perWorker = 600
		batch     = 20 // INCR+EXPIRE pairs per pipeline
		users     = 10
		windows   = 3
		limit     = 100
	)
	window := 100 * time.Second // long: nothing may expire during the run
	keyOf := func(user, win int) string { return fmt.Sprintf("rate:user%d:%d", user, win) }

	// Per worker: the replies it saw, by key.
	type seen struct {
		incrs   map[string][]int64
		setTTLs map[string]int // EXPIRE NX replies of 1
	}
	results := make([]seen, workers)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := srv.Client(2 + w%2) // both protocols
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			res := seen{incrs: map[string][]int64{}, setTTLs: map[string]int{}}
			for done := 0; done < perWorker; done += batch {
				keys := make([]string, batch)
				cmds, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
					for i := range keys {
						keys[i] = keyOf(rng.IntN(users), rng.IntN(windows))
						p.Incr(ctx, keys[i])
						p.ExpireNX(ctx, keys[i], window)
					}
					return nil
				})
				if err != nil {
					errs <- fmt.Errorf("worker %d: %w", w, err)
					return
				}
				for i, key := range keys {
					res.incrs[key] = append(res.incrs[key], cmds[2*i].(*redis.IntCmd).Val())
					if cmds[2*i+1].(*redis.BoolCmd).Val() {
						res.setTTLs[key]++
					}
				}
			}
			results[w] = res
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	replies := map[string][]int64{}
	setTTLs := map[string]int{}
	for _, res := range results {
		for key, r := range res.incrs {
			replies[key] = append(replies[key], r...)
		}
		for key, n := range res.setTTLs {
			setTTLs[key] += n
		}
	}
	c := srv.Client(3)
	total := 0
	for key, r := range replies {
		n := len(r)
		total += n
		slices.Sort(r)
		for i, v := range r {
			if v != int64(i+1) {
				t.Errorf("%s: INCR replies sorted = %v..., want 1..%d each once", key, r[:min(i+3, n)], n)
				break
			}
		}
		if got, err := c.Get(ctx, key).Int(); err != nil || got != n {
			t.Errorf("GET %s = %d, %v; want %d", key, got, err, n)
		}
		if setTTLs[key] != 1 {
			t.Errorf("%s: EXPIRE NX set the TTL %d times, want once", key, setTTLs[key])
		}
		if ttl, err := c.TTL(ctx, key).Result(); err != nil || ttl <= 0 || ttl > window {
			t.Errorf("TTL %s = %v, %v; want in (0, %v]", key, ttl, err, window)
		}
		allowed := 0
		for _, v := range r {
			if v <= limit {
				allowed++
			}
		}
		if allowed != min(n, limit) {
			t.Errorf("%s: limiter let %d of %d through, want %d", key, allowed, n, min(n, limit))
		}
	}
	if total != workers*perWorker {
		t.Fatalf("counted %d INCR replies, sent %d", total, workers*perWorker)
	}
	if n, err := c.DBSize(ctx).Result(); err != nil || n != int64(len(replies)) {
		t.Errorf("DBSIZE = %d, %v; want %d counters", n, err, len(replies))
	}

	// A window that ends starts the next from 1 with a new TTL.
	short := "rate:short"
	for want := int64(1); want <= 3; want++ {
		if got, err := c.Incr(ctx, short).Result(); err != nil || got != want {
			t.Fatalf("INCR %s = %d, %v; want %d", short, got, err, want)
		}
		if set, err := c.Do(ctx, "PEXPIRE", short, 300, "NX").Int(); err != nil || set != boolInt(want == 1) {
			t.Fatalf("PEXPIRE %s 300 NX after INCR #%d = %d, %v", short, want, set, err)
		}
	}
	time.Sleep(400 * time.Millisecond)
	if got, err := c.Incr(ctx, short).Result(); err != nil || got != 1 {
		t.Errorf("INCR %s in the next window = %d, %v; want 1", short, got, err)
	}
	if set, err := c.Do(ctx, "PEXPIRE", short, 300, "NX").Int(); err != nil || set != 1 {
		t.Errorf("PEXPIRE %s 300 NX in the next window = %d, %v; want 1", short, set, err)
	}
}

// TestWorkloadCache: a cache-aside pattern — GET, on a miss SET with PX,
// GET again — plus entries that time out. The values and INFO stats
// keyspace_hits/keyspace_misses must move by exactly the hits and misses
// the pattern produced.
func TestWorkloadCache(t *testing.T) {
	requireCommands(t)
	srv := harness.StartVireo(t)
	ctx := context.Background()
	c := srv.Client(3)
	const items = 100
	key := func(i int) string { return fmt.Sprintf("cache:item:%d", i) }
	value := func(i int) string { return fmt.Sprintf(`{"id":%d,"name":"item %d"}`, i, i) }

	// Warm: every third item, cached for a minute; every seventh item that
	// is not, cached for 200 ms. go-redis sends SET ... PX for durations
	// that are not whole seconds, EX for the others: both are used.
	ttl := time.Minute + 500*time.Millisecond // PX 60500
	long, short := 0, 0
	for i := range items {
		switch {
		case i%3 == 0:
			long++
			if err := c.Set(ctx, key(i), value(i), ttl).Err(); err != nil {
				t.Fatal(err)
			}
		case i%7 == 0:
			short++
			if err := c.Set(ctx, key(i), value(i), 200*time.Millisecond).Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
	// PTTL reads the key and counts as a hit in Redis, so it comes before
	// the baseline.
	if pttl, err := c.PTTL(ctx, key(0)).Result(); err != nil || pttl <= ttl-time.Second || pttl > ttl {
		t.Errorf("PTTL %s = %v, %v; want just under %v", key(0), pttl, err, ttl)
	}
	time.Sleep(300 * time.Millisecond) // the short entries time out

	hits0, misses0 := infoStat(t, c, "keyspace_hits"), infoStat(t, c, "keyspace_misses")
	wantHits, wantMisses := 0, 0
	// Two passes: the first misses everything not cached for long and
	// fills it, the second hits everything.
	for pass := range 2 {
		for i := range items {
			got, err := c.Get(ctx, key(i)).Result()
			cached := i%3 == 0 || pass == 1
			switch {
			case cached && (err != nil || got != value(i)):
				t.Fatalf("pass %d: GET %s = %q, %v; want a hit, %q", pass, key(i), got, err, value(i))
			case !cached && !errors.Is(err, redis.Nil):
				t.Fatalf("pass %d: GET %s = %q, %v; want a miss", pass, key(i), got, err)
			case cached:
				wantHits++
			default:
				wantMisses++
				if err := c.Set(ctx, key(i), value(i), time.Minute).Err(); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	// MGET counts each key: two hits, one miss.
	got, err := c.MGet(ctx, key(1), "cache:item:none", key(2)).Result()
	if err != nil || len(got) != 3 || got[0] != value(1) || got[1] != nil || got[2] != value(2) {
		t.Errorf("MGET = %#v, %v", got, err)
	}
	wantHits += 2
	wantMisses++

	if got := infoStat(t, c, "keyspace_hits") - hits0; got != wantHits {
		t.Errorf("keyspace_hits grew by %d, want %d", got, wantHits)
	}
	if got := infoStat(t, c, "keyspace_misses") - misses0; got != wantMisses {
		t.Errorf("keyspace_misses grew by %d, want %d", got, wantMisses)
	}
	if wantHits != long+items+2 || wantMisses != items-long+1 {
		t.Fatalf("test bug: %d hits, %d misses for %d items of which %d long-lived", wantHits, wantMisses, items, long)
	}
	if short == 0 {
		t.Fatal("test bug: no short-lived entries")
	}
}

// infoStat reads one integer field of INFO stats.
func infoStat(t *testing.T, c *redis.Client, field string) int {
	t.Helper()
	info, err := c.Info(context.Background(), "stats").Result()
	if err != nil {
		t.Fatalf("INFO stats: %v", err)
	}
	for line := range strings.SplitSeq(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatalf("INFO stats %s = %q: %v", field, v, err)
			}
			return n
		}
	}
	t.Fatalf("INFO stats has no %s:\n%s", field, info)
	return 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestWorkloadCacheEviction: a cache bounded by maxmemory (set in the
// command line, as a deployment would) with allkeys-lru. Four writers put
// three times more data than fits; memory must stay under the limit, the
// keys that were evicted must be exactly those counted in evicted_keys, and
// what is left must still read back intact.
func TestWorkloadCacheEviction(t *testing.T) {
	requireCommands(t)
	const maxmemory = 8 << 20
	srv := harness.StartVireo(t, "--maxmemory", strconv.Itoa(maxmemory), "--maxmemory-policy", "allkeys-lru")
	ctx := context.Background()
	c := srv.Client(3)
	const writers, perWriter = 4, 20000
	value := func(w, i int) string { return fmt.Sprintf("%d:%d:%s", w, i, strings.Repeat("v", 300)) }
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for start := 0; start < perWriter; start += 500 {
				pipe := c.Pipeline()
				for i := start; i < start+500; i++ {
					pipe.Set(ctx, fmt.Sprintf("cache:%d:%d", w, i), value(w, i), 0)
				}
				if _, err := pipe.Exec(ctx); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("SET under maxmemory: %v", err)
	}
	info, err := c.Info(ctx, "memory").Result()
	if err != nil {
		t.Fatal(err)
	}
	// Client buffers are reported but, like Redis's replication buffers,
	// not counted for eviction.
	used := infoField(t, info, "used_memory") - infoField(t, info, "mem_not_counted_for_evict")
	if used > maxmemory+16<<10 {
		t.Errorf("used_memory less mem_not_counted_for_evict is %d, above maxmemory %d", used, maxmemory)
	}
	if got := infoFieldString(t, info, "maxmemory_policy"); got != "allkeys-lru" {
		t.Errorf("maxmemory_policy %q", got)
	}
	keys, err := c.DBSize(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	total := writers * perWriter
	if keys == 0 || keys >= int64(total)/2 {
		t.Fatalf("%d keys left of %d written into %d bytes", keys, total, maxmemory)
	}
	if evicted := infoStat(t, c, "evicted_keys"); int64(evicted) != int64(total)-keys {
		t.Errorf("evicted_keys %d, want %d (written %d, left %d)", evicted, int64(total)-keys, total, keys)
	}
	// Whatever survived is intact.
	iter := c.Scan(ctx, 0, "cache:*", 1000).Iterator()
	seen := 0
	for iter.Next(ctx) {
		var w, i int
		if _, err := fmt.Sscanf(iter.Val(), "cache:%d:%d", &w, &i); err != nil {
			t.Fatalf("key %q: %v", iter.Val(), err)
		}
		if seen%50 == 0 {
			if got, err := c.Get(ctx, iter.Val()).Result(); err != nil || got != value(w, i) {
				t.Fatalf("GET %s = %q, %v", iter.Val(), got, err)
			}
		}
		seen++
	}
	if err := iter.Err(); err != nil || int64(seen) != keys {
		t.Fatalf("SCAN saw %d keys (DBSIZE %d): %v", seen, keys, err)
	}
}

// infoFieldString returns field's value in an INFO reply.
func infoFieldString(t *testing.T, info, field string) string {
	t.Helper()
	for line := range strings.SplitSeq(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return v
		}
	}
	t.Fatalf("INFO has no %s:\n%s", field, info)
	return ""
}

// infoField returns field's integer value in an INFO reply.
func infoField(t *testing.T, info, field string) int64 {
	t.Helper()
	v := infoFieldString(t, info, field)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		t.Fatalf("INFO %s = %q: %v", field, v, err)
	}
	return n
}
