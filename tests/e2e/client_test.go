package e2e_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/vireodb/vireo/tests/harness"
)

// TestRESP3DefaultClient uses go-redis with its defaults: it connects with
// HELLO 3 and CLIENT SETINFO, and must see RESP3 replies.
func TestRESP3DefaultClient(t *testing.T) {
	requireCommands(t)
	srv := harness.StartVireo(t)
	ctx := context.Background()
	c := redis.NewClient(&redis.Options{Addr: srv.Addr()}) // Protocol 0: go-redis's default, 3
	t.Cleanup(func() { c.Close() })

	if got, err := c.Ping(ctx).Result(); err != nil || got != "PONG" {
		t.Fatalf("PING = %q, %v", got, err)
	}
	hello, err := c.Do(ctx, "HELLO", "3").Result()
	if err != nil {
		t.Fatalf("HELLO 3: %v", err)
	}
	fields, ok := hello.(map[any]any)
	if !ok {
		t.Fatalf("HELLO 3 reply is %T, want a RESP3 map", hello)
	}
	if fields["proto"] != int64(3) {
		t.Errorf("HELLO 3 proto = %v", fields["proto"])
	}
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Get(ctx, "k").Result(); err != nil || got != "v" {
		t.Errorf("GET = %q, %v", got, err)
	}
	if err := c.Get(ctx, "missing").Err(); !errors.Is(err, redis.Nil) {
		t.Errorf("GET missing: err = %v, want redis.Nil (RESP3 null)", err)
	}
	if n, err := c.Del(ctx, "k", "missing").Result(); err != nil || n != 1 {
		t.Errorf("DEL = %d, %v", n, err)
	}
	// A RESP3 null must reach go-redis as nil, not as an empty string.
	v, err := c.Do(ctx, "GET", "missing").Result()
	if !errors.Is(err, redis.Nil) || v != nil {
		t.Errorf("Do GET missing = %#v, %v", v, err)
	}
}

// TestClientSetInfo checks the commands go-redis sends on connect.
func TestClientSetInfo(t *testing.T) {
	requireCommands(t)
	srv := harness.StartVireo(t)
	raw := srv.Raw(t)
	for _, args := range [][]string{
		{"CLIENT", "SETINFO", "LIB-NAME", "go-redis(,go1.26)"},
		{"CLIENT", "SETINFO", "LIB-VER", "9.23.0"},
	} {
		if got := raw.DoString(args...); got != "+OK\r\n" {
			t.Errorf("%q = %q", args, got)
		}
	}
	ctx := context.Background()
	c := srv.Client(3)
	info, err := c.ClientInfo(ctx).Result()
	if err != nil {
		t.Fatalf("CLIENT INFO: %v", err)
	}
	if !strings.HasPrefix(info.LibName, "go-redis") || info.LibVer == "" {
		t.Errorf("after go-redis connected, CLIENT INFO lib-name=%q lib-ver=%q", info.LibName, info.LibVer)
	}
}

func TestRESP2Client(t *testing.T) {
	requireCommands(t)
	srv := harness.StartVireo(t)
	ctx := context.Background()
	c := srv.Client(2)
	if err := c.Set(ctx, "k", "v\r\n\x00", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Get(ctx, "k").Result(); err != nil || got != "v\r\n\x00" {
		t.Errorf("GET = %q, %v", got, err)
	}
	if err := c.Get(ctx, "missing").Err(); !errors.Is(err, redis.Nil) {
		t.Errorf("GET missing: err = %v, want redis.Nil", err)
	}
	if got, err := c.Do(ctx, "HELLO", "2").Result(); err != nil {
		t.Errorf("HELLO 2: %v", err)
	} else if _, ok := got.([]any); !ok {
		t.Errorf("HELLO 2 reply is %T, want a RESP2 array", got)
	}
	err := c.Do(ctx, "NOSUCHCOMMAND", "a").Err()
	if err == nil || !strings.HasPrefix(err.Error(), "ERR unknown command 'NOSUCHCOMMAND'") {
		t.Errorf("unknown command error = %v", err)
	}
}

// TestPipeline1000 sends 1000 commands in one pipeline, an error among
// them, and checks every reply lands on its own command.
func TestPipeline1000(t *testing.T) {
	requireCommands(t)
	srv := harness.StartVireo(t)
	ctx := context.Background()
	for _, proto := range []int{2, 3} {
		c := srv.Client(proto)
		cmds, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := range 1000 {
				if i == 500 {
					p.Do(ctx, "SET", "only-key") // wrong arity: this one fails alone
					continue
				}
				p.Set(ctx, fmt.Sprintf("p%d:%d", proto, i), i, 0)
			}
			return nil
		})
		if err == nil || len(cmds) != 1000 {
			t.Fatalf("protocol %d: pipeline returned %d commands, err %v; want 1000 and the arity error", proto, len(cmds), err)
		}
		for i, cmd := range cmds {
			if i == 500 {
				if cmd.Err() == nil || !strings.Contains(cmd.Err().Error(), "wrong number of arguments") {
					t.Errorf("protocol %d: command 500 err = %v", proto, cmd.Err())
				}
			} else if cmd.Err() != nil {
				t.Fatalf("protocol %d: command %d: %v", proto, i, cmd.Err())
			}
		}
		gets := make([]*redis.StringCmd, 1000)
		if _, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := range gets {
				gets[i] = p.Get(ctx, fmt.Sprintf("p%d:%d", proto, i))
			}
			return nil
		}); err != nil && !errors.Is(err, redis.Nil) {
			t.Fatal(err)
		}
		for i, g := range gets {
			want := strconv.Itoa(i)
			if i == 500 {
				if !errors.Is(g.Err(), redis.Nil) {
					t.Errorf("protocol %d: GET of the failed SET = %q, %v", proto, g.Val(), g.Err())
				}
				continue
			}
			if g.Val() != want {
				t.Fatalf("protocol %d: GET %d = %q, %v", proto, i, g.Val(), g.Err())
			}
		}
	}
}

// TestTxPipelined runs MULTI/EXEC through go-redis, and a transaction that
// EXEC must abort because a command failed to queue.
func TestTxPipelined(t *testing.T) {
	requireCommands(t)
	srv := harness.StartVireo(t)
	ctx := context.Background()
	c := srv.Client(3)
	var set *redis.StatusCmd
	var incr *redis.IntCmd
	var get *redis.StringCmd
	if _, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		set = p.Set(ctx, "n", 41, 0)
		incr = p.Incr(ctx, "n")
		get = p.Get(ctx, "n")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if set.Val() != "OK" || incr.Val() != 42 || get.Val() != "42" {
		t.Errorf("EXEC results: %q %d %q", set.Val(), incr.Val(), get.Val())
	}

	_, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, "n", 0, 0)
		p.Do(ctx, "GET") // arity error while queueing: EXEC aborts
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "EXECABORT") {
		t.Errorf("transaction with a queueing error: err = %v, want EXECABORT", err)
	}
	if got, _ := c.Get(ctx, "n").Result(); got != "42" {
		t.Errorf("aborted transaction wrote: n = %q", got)
	}
}

// TestWatchCounter increments one counter from 20 goroutines, 50 times each,
// with WATCH/MULTI/EXEC and optimistic retry: no increment may be lost.
func TestWatchCounter(t *testing.T) {
	requireCommands(t)
	srv := harness.StartVireo(t)
	ctx := context.Background()
	opts := srv.Options(3)
	opts.PoolSize = 20
	c := redis.NewClient(opts)
	t.Cleanup(func() { c.Close() })

	const workers, perWorker = 20, 50
	increment := func() error {
		for {
			err := c.Watch(ctx, func(tx *redis.Tx) error {
				n, err := tx.Get(ctx, "counter").Int()
				if err != nil && !errors.Is(err, redis.Nil) {
					return err
				}
				_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
					p.Set(ctx, "counter", n+1, 0)
					return nil
				})
				return err
			}, "counter")
			if !errors.Is(err, redis.TxFailedErr) {
				return err
			}
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range perWorker {
				if err := increment(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n, err := c.Get(ctx, "counter").Int(); err != nil || n != workers*perWorker {
		t.Errorf("counter = %d, %v; want %d", n, err, workers*perWorker)
	}
}

// TestSetGetExpireTTL waits for real expiries.
func TestSetGetExpireTTL(t *testing.T) {
	requireCommands(t)
	srv := harness.StartVireo(t)
	ctx := context.Background()
	c := srv.Client(3)

	if err := c.Set(ctx, "short", "v", 300*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.Set(ctx, "long", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if ok, err := c.Expire(ctx, "long", 100*time.Second).Result(); err != nil || !ok {
		t.Fatalf("EXPIRE = %v, %v", ok, err)
	}
	if ttl, err := c.TTL(ctx, "long").Result(); err != nil || ttl <= 99*time.Second || ttl > 100*time.Second {
		t.Errorf("TTL long = %v, %v", ttl, err)
	}
	if pttl, err := c.PTTL(ctx, "short").Result(); err != nil || pttl <= 0 || pttl > 300*time.Millisecond {
		t.Errorf("PTTL short = %v, %v", pttl, err)
	}
	if ttl, err := c.TTL(ctx, "missing").Result(); err != nil || ttl != -2*time.Nanosecond {
		t.Errorf("TTL missing = %v, %v; want -2 (go-redis keeps it as -2ns)", ttl, err)
	}

	time.Sleep(400 * time.Millisecond)
	if err := c.Get(ctx, "short").Err(); !errors.Is(err, redis.Nil) {
		t.Errorf("GET after expiry: %v, want redis.Nil", err)
	}
	if n, err := c.Exists(ctx, "short", "long").Result(); err != nil || n != 1 {
		t.Errorf("EXISTS = %d, %v", n, err)
	}
	if ok, err := c.Persist(ctx, "long").Result(); err != nil || !ok {
		t.Errorf("PERSIST = %v, %v", ok, err)
	}
	if ttl, err := c.TTL(ctx, "long").Result(); err != nil || ttl != -1*time.Nanosecond {
		t.Errorf("TTL after PERSIST = %v, %v; want -1", ttl, err)
	}

	// A key nobody reads again must still go: the active expiry cycle.
	for i := range 50 {
		c.Set(ctx, fmt.Sprintf("bulk:%d", i), i, 100*time.Millisecond)
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		n, err := c.DBSize(ctx).Result()
		if err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("DBSIZE still %d 3 s after 50 keys expired; want 1 (active expiry)", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestRateLimiter is the common fixed-window limiter: INCR a per-window
// counter and give it a TTL the first time (EXPIRE NX), in one pipeline.
func TestRateLimiter(t *testing.T) {
	requireCommands(t)
	srv := harness.StartVireo(t)
	ctx := context.Background()
	c := srv.Client(3)
	const limit = 10
	window := time.Second // EXPIRE counts whole seconds

	allow := func(user string) bool {
		var incr *redis.IntCmd
		if _, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
			incr = p.Incr(ctx, "rate:"+user)
			p.ExpireNX(ctx, "rate:"+user, window)
			return nil
		}); err != nil {
			t.Fatalf("limiter pipeline: %v", err)
		}
		return incr.Val() <= limit
	}
	count := func(user string, n int) int {
		allowed := 0
		for range n {
			if allow(user) {
				allowed++
			}
		}
		return allowed
	}
	if got := count("alice", 15); got != limit {
		t.Errorf("alice: %d of 15 allowed in one window, want %d", got, limit)
	}
	if got := count("bob", 3); got != 3 {
		t.Errorf("bob: %d of 3 allowed, want 3 (counters are per user)", got)
	}
	// EXPIRE NX kept the first TTL: the window did not slide with each call.
	if pttl, err := c.PTTL(ctx, "rate:alice").Result(); err != nil || pttl <= 0 || pttl > window {
		t.Errorf("PTTL of the window = %v, %v", pttl, err)
	}
	time.Sleep(window + 100*time.Millisecond)
	if got := count("alice", 12); got != limit {
		t.Errorf("alice in the next window: %d of 12 allowed, want %d", got, limit)
	}
}
