package e2e_test

// Scripting end to end: a Lua rate limiter hammered from several goroutines
// (atomicity: the counts add up exactly), a FUNCTION library loaded and
// called with FCALL, FUNCTION DUMP payloads exchanged with redis-server in
// both directions, and SCRIPT KILL of a busy script while another client
// gets BUSY.

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/vireodb/vireo/tests/harness"
)

// rateLimiter allows ARGV[1] calls per key and window; it answers 1 when the
// call is allowed and 0 when it is refused, counting both.
var rateLimiter = redis.NewScript(`
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then
  redis.call('INCR', KEYS[2])
  return 0
end
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], 60)
return 1
`)

func TestScriptRateLimiterIsAtomic(t *testing.T) {
	srv := harness.StartVireo(t)
	c := srv.Client(3)
	defer c.Close()
	ctx := context.Background()
	const limit, workers, calls = 500, 8, 200
	var mu sync.Mutex
	allowed, refused := 0, 0
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				n, err := rateLimiter.Run(ctx, c, []string{"rl:user", "rl:refused"}, limit).Int()
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if n == 1 {
					allowed++
				} else {
					refused++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if allowed != limit || refused != workers*calls-limit {
		t.Fatalf("allowed %d refused %d, want %d and %d", allowed, refused, limit, workers*calls-limit)
	}
	if got, _ := c.Get(ctx, "rl:user").Int(); got != limit {
		t.Fatalf("counter %d, want %d", got, limit)
	}
	if got, _ := c.Get(ctx, "rl:refused").Int(); got != workers*calls-limit {
		t.Fatalf("refused counter %d, want %d", got, workers*calls-limit)
	}
	if ttl := c.TTL(ctx, "rl:user").Val(); ttl <= 0 || ttl > time.Minute {
		t.Fatalf("ttl %v", ttl)
	}
}

const counterLibrary = `#!lua name=counters
local function bump(keys, args)
  return redis.call('INCRBY', keys[1], args[1])
end
local function peek(keys)
  return redis.call('GET', keys[1])
end
redis.register_function('bump', bump)
redis.register_function{function_name='peek', callback=peek, flags={'no-writes'}}
`

func TestFunctionLibraryWithFCall(t *testing.T) {
	srv := harness.StartVireo(t)
	c := srv.Client(3)
	defer c.Close()
	ctx := context.Background()
	if name, err := c.FunctionLoad(ctx, counterLibrary).Result(); err != nil || name != "counters" {
		t.Fatalf("FUNCTION LOAD: %q %v", name, err)
	}
	for i := 0; i < 5; i++ {
		if _, err := c.FCall(ctx, "bump", []string{"ctr"}, 2).Result(); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := c.FCallRO(ctx, "peek", []string{"ctr"}).Text(); err != nil || got != "10" {
		t.Fatalf("FCALL_RO peek: %q %v", got, err)
	}
	if err := c.FCallRO(ctx, "bump", []string{"ctr"}, 1).Err(); err == nil || !strings.Contains(err.Error(), "write flag") {
		t.Fatalf("FCALL_RO of a writing function: %v", err)
	}
	libs, err := c.FunctionList(ctx, redis.FunctionListQuery{LibraryNamePattern: "count*", WithCode: true}).Result()
	if err != nil || len(libs) != 1 || libs[0].Name != "counters" || len(libs[0].Functions) != 2 || libs[0].Code != counterLibrary {
		t.Fatalf("FUNCTION LIST: %+v %v", libs, err)
	}
}

// FUNCTION DUMP payloads travel both ways between Vireo and redis-server.
func TestFunctionDumpInteroperatesWithRedis(t *testing.T) {
	vireo := harness.StartVireo(t)
	ref := harness.StartRedis(t)
	v, r := vireo.Client(2), ref.Client(2)
	defer v.Close()
	defer r.Close()
	ctx := context.Background()

	if err := r.FunctionLoad(ctx, counterLibrary).Err(); err != nil {
		t.Fatal(err)
	}
	payload, err := r.FunctionDump(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	if err := v.FunctionRestore(ctx, payload).Err(); err != nil {
		t.Fatalf("Vireo restoring redis-server's dump: %v", err)
	}
	if got, err := v.FCall(ctx, "bump", []string{"x"}, 3).Int(); err != nil || got != 3 {
		t.Fatalf("FCALL after restore: %d %v", got, err)
	}

	mine := "#!lua name=mine\nredis.register_function('hello', function() return 'hello from vireo' end)"
	if err := v.FunctionLoad(ctx, mine).Err(); err != nil {
		t.Fatal(err)
	}
	payload, err = v.FunctionDump(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Do(ctx, "FUNCTION", "RESTORE", payload, "FLUSH").Err(); err != nil {
		t.Fatalf("redis-server restoring Vireo's dump: %v", err)
	}
	if got, err := r.FCall(ctx, "hello", nil).Text(); err != nil || got != "hello from vireo" {
		t.Fatalf("redis-server FCALL: %q %v", got, err)
	}
}

func TestScriptKillWhileOthersGetBusy(t *testing.T) {
	srv := harness.StartVireo(t, "--busy-reply-threshold", "100")
	runner := srv.Raw(t)
	other := srv.Raw(t)
	runner.SetReadTimeout(10 * time.Second)
	runner.Send("EVAL", "local i = 0 while true do i = i + 1 end", "0")
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := other.DoString("GET", "k")
		if strings.HasPrefix(got, "-BUSY Redis is busy running a script.") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("never BUSY: %q", got)
		}
	}
	if got := other.DoString("SCRIPT", "KILL"); got != "+OK\r\n" {
		t.Fatalf("SCRIPT KILL: %q", got)
	}
	if got := string(runner.Read()); !strings.HasPrefix(got, "-ERR Script killed by user with SCRIPT KILL...") {
		t.Fatalf("killed script replied %q", got)
	}
	if got := other.DoString("PING"); got != "+PONG\r\n" {
		t.Fatalf("after the kill: %q", got)
	}
}
