package e2e_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/rueidis"

	"github.com/vireodb/vireo/tests/harness"
)

// cacheTTL is how long rueidis may keep a value locally; the server's
// invalidation, not this, must be what evicts it in these tests.
const cacheTTL = time.Minute

// TestClientSideCachingRueidis drives client-side caching the way rueidis
// does by default (RESP3, CLIENT TRACKING ON OPTIN, then CLIENT CACHING YES
// before each cached read): a second read is served locally, a write from
// another client invalidates it, and the next read goes to the server again
// and sees the new value.
func TestClientSideCachingRueidis(t *testing.T) {
	requireCommands(t)
	srv := harness.StartVireo(t)
	ctx := context.Background()
	cached, err := rueidis.NewClient(rueidis.ClientOption{InitAddress: []string{srv.Addr()}})
	if err != nil {
		t.Fatalf("rueidis.NewClient: %v", err)
	}
	t.Cleanup(cached.Close)
	writer := srv.Client(3)
	if err := writer.Set(ctx, "user:1", "alice", 0).Err(); err != nil {
		t.Fatal(err)
	}

	get := func(key string) rueidis.RedisResult {
		t.Helper()
		return cached.DoCache(ctx, cached.B().Get().Key(key).Cache(), cacheTTL)
	}
	expect := func(res rueidis.RedisResult, want string, hit bool, what string) {
		t.Helper()
		got, err := res.ToString()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got != want || res.IsCacheHit() != hit {
			t.Fatalf("%s = %q (cache hit %v), want %q (cache hit %v)", what, got, res.IsCacheHit(), want, hit)
		}
	}
	// awaitInvalidation reads key until the cached old value is gone and
	// returns the first read that is not it: the invalidation push travels
	// on its own, so reads right after the write may still hit the cache.
	awaitInvalidation := func(key, old string) rueidis.RedisResult {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			res := get(key)
			if v, err := res.ToString(); err != nil || v != old {
				return res
			}
			if !res.IsCacheHit() {
				t.Fatalf("GET %s read %q from the server after it was overwritten", key, old)
			}
			if time.Now().After(deadline) {
				t.Fatalf("GET %s still served %q from the local cache 5s after the write: no invalidation", key, old)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}

	expect(get("user:1"), "alice", false, "first GET user:1")
	expect(get("user:1"), "alice", true, "second GET user:1")
	expect(get("user:1"), "alice", true, "third GET user:1")

	// A write by another client invalidates the cached value.
	if err := writer.Set(ctx, "user:1", "bob", 0).Err(); err != nil {
		t.Fatal(err)
	}
	expect(awaitInvalidation("user:1", "alice"), "bob", false, "GET user:1 after SET")
	expect(get("user:1"), "bob", true, "GET user:1 cached again")

	// Writes to other keys leave the cached value alone.
	if err := writer.Set(ctx, "user:2", "carol", 0).Err(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	expect(get("user:1"), "bob", true, "GET user:1 after a write to user:2")

	// DEL invalidates too, and a missing key is cached as a nil.
	if err := writer.Del(ctx, "user:1").Err(); err != nil {
		t.Fatal(err)
	}
	res := awaitInvalidation("user:1", "bob")
	if !rueidis.IsRedisNil(res.Error()) || res.IsCacheHit() {
		t.Fatalf("GET user:1 after DEL = %v (cache hit %v), want nil from the server", res.Error(), res.IsCacheHit())
	}
	if res := get("user:1"); !rueidis.IsRedisNil(res.Error()) || !res.IsCacheHit() {
		t.Fatalf("GET user:1 again = %v (cache hit %v), want the cached nil", res.Error(), res.IsCacheHit())
	}
	if err := writer.Set(ctx, "user:1", "dave", 0).Err(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		res := get("user:1")
		if rueidis.IsRedisNil(res.Error()) {
			if !res.IsCacheHit() {
				t.Fatal("GET user:1 read nil from the server after SET")
			}
			if time.Now().After(deadline) {
				t.Fatal("GET user:1 still served the cached nil 5s after SET: no invalidation")
			}
			time.Sleep(5 * time.Millisecond)
			continue
		}
		expect(res, "dave", false, "GET user:1 after SET on a cached nil")
		break
	}

	// The server's view: the connection is tracking in OPTIN mode.
	info, err := cached.Do(ctx, cached.B().ClientInfo().Build()).ToString()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(info, "flags=t") || !strings.Contains(info, "resp=3") {
		t.Errorf("CLIENT INFO of the caching connection = %q, want tracking (flags t) on RESP3", info)
	}
}

// TestTrackingBroadcastPrefix is CLIENT TRACKING ON BCAST PREFIX user: on a
// raw RESP3 connection: writes by another client to keys under the prefix
// arrive as invalidate pushes without the key ever being read; other keys
// send nothing; with NOLOOP the connection's own writes are not echoed.
func TestTrackingBroadcastPrefix(t *testing.T) {
	requireCommands(t)
	srv := harness.StartVireo(t)
	ctx := context.Background()
	writer := srv.Client(3)

	tracker := srv.Raw(t)
	if reply := tracker.Do("HELLO", "3"); len(reply) == 0 || reply[0] != '%' {
		t.Fatalf("HELLO 3 = %q, want a map", reply)
	}
	if got := tracker.DoString("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "user:", "NOLOOP"); got != "+OK\r\n" {
		t.Fatalf("CLIENT TRACKING ON BCAST = %q", got)
	}
	if got := tracker.DoString("CLIENT", "TRACKINGINFO"); !strings.Contains(got, "bcast") || !strings.Contains(got, "noloop") || !strings.Contains(got, "user:") {
		t.Errorf("CLIENT TRACKINGINFO = %q, want flags bcast and noloop and prefix user:", got)
	}
	push := func(keys ...string) string {
		var b strings.Builder
		b.WriteString(">2\r\n$10\r\ninvalidate\r\n*")
		b.WriteString(itoa(len(keys)))
		b.WriteString("\r\n")
		for _, k := range keys {
			b.WriteString("$" + itoa(len(k)) + "\r\n" + k + "\r\n")
		}
		return b.String()
	}

	// One write per round trip: one push each, and none for other:1 (it
	// would have come between the two).
	for _, cmd := range [][]any{{"SET", "user:1", "a"}, {"SET", "other:1", "b"}, {"SET", "user:2", "c"}} {
		if err := writer.Do(ctx, cmd...).Err(); err != nil {
			t.Fatal(err)
		}
	}
	if got := string(tracker.Read()); got != push("user:1") {
		t.Fatalf("first push = %q, want %q", got, push("user:1"))
	}
	if got := string(tracker.Read()); got != push("user:2") {
		t.Fatalf("second push = %q, want %q (nothing for other:1)", got, push("user:2"))
	}

	// NOLOOP: the tracker's own write to a prefixed key sends it nothing;
	// the reply to PING comes next.
	if got := tracker.DoString("SET", "user:3", "mine"); got != "+OK\r\n" {
		t.Fatalf("SET user:3 = %q", got)
	}
	if got := tracker.DoString("PING"); got != "+PONG\r\n" {
		t.Fatalf("PING after own write = %q, want +PONG (NOLOOP: no push)", got)
	}

	// Commands touching several prefixed keys, and deletions.
	if err := writer.Del(ctx, "user:1").Err(); err != nil {
		t.Fatal(err)
	}
	if got := string(tracker.Read()); got != push("user:1") {
		t.Fatalf("push after DEL = %q, want %q", got, push("user:1"))
	}
	if err := writer.MSet(ctx, "user:9", "x", "other:2", "y").Err(); err != nil {
		t.Fatal(err)
	}
	if got := string(tracker.Read()); got != push("user:9") {
		t.Fatalf("push after MSET = %q, want %q", got, push("user:9"))
	}

	// FLUSHALL: the null invalidation, to every tracking client.
	if err := writer.FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	if got, want := string(tracker.Read()), ">2\r\n$10\r\ninvalidate\r\n_\r\n"; got != want {
		t.Fatalf("after FLUSHALL = %q, want the null invalidation %q", got, want)
	}

	// Switched off, writes send nothing.
	if got := tracker.DoString("CLIENT", "TRACKING", "OFF"); got != "+OK\r\n" {
		t.Fatalf("CLIENT TRACKING OFF = %q", got)
	}
	if err := writer.Set(ctx, "user:4", "z", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if got := tracker.DoString("PING"); got != "+PONG\r\n" {
		t.Fatalf("PING after tracking off = %q, want +PONG", got)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestTrackingOptinCaching is the raw form of what rueidis sends: CLIENT
// TRACKING ON OPTIN, then CLIENT CACHING YES before each read to cache,
// either a lone GET or a MULTI ... EXEC holding PTTL and GET. As in Redis,
// CLIENT CACHING YES covers the next command or, when that is MULTI, the
// whole transaction; a read without it is not tracked.
func TestTrackingOptinCaching(t *testing.T) {
	srv := harness.StartVireo(t)
	cases := []struct {
		name  string
		steps [][]string // command, then its expected reply
	}{
		{"next-command", [][]string{
			{"CLIENT", "CACHING", "YES"}, {"+OK\r\n"},
			{"GET", "tracked"}, {"$1\r\nv\r\n"},
			{"GET", "untracked"}, {"$1\r\nv\r\n"}, // CACHING YES was used up
		}},
		{"multi", [][]string{
			{"CLIENT", "CACHING", "YES"}, {"+OK\r\n"},
			{"MULTI"}, {"+OK\r\n"},
			{"PTTL", "tracked"}, {"+QUEUED\r\n"},
			{"GET", "tracked"}, {"+QUEUED\r\n"},
			{"EXEC"}, {"*2\r\n:-1\r\n$1\r\nv\r\n"},
			{"GET", "untracked"}, {"$1\r\nv\r\n"}, // EXEC used CACHING YES up
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			requireCommands(t)
			ctx := context.Background()
			writer := srv.Client(3)
			for _, key := range []string{"tracked", "untracked"} {
				if err := writer.Set(ctx, key, "v", 0).Err(); err != nil {
					t.Fatal(err)
				}
			}
			tracker := srv.Raw(t)
			tracker.Do("HELLO", "3")
			steps := append([][]string{{"CLIENT", "TRACKING", "ON", "OPTIN"}, {"+OK\r\n"}}, tc.steps...)
			for i := 0; i < len(steps); i += 2 {
				if got := tracker.DoString(steps[i]...); got != steps[i+1][0] {
					t.Fatalf("%q = %q, want %q", steps[i], got, steps[i+1][0])
				}
			}
			// untracked is written first: a push for it would come first.
			for _, key := range []string{"untracked", "tracked"} {
				if err := writer.Set(ctx, key, "w", 0).Err(); err != nil {
					t.Fatal(err)
				}
			}
			want := ">2\r\n$10\r\ninvalidate\r\n*1\r\n$7\r\ntracked\r\n"
			got, err := tracker.TryRead()
			if err != nil {
				t.Fatalf("no invalidation for tracked: %v", err)
			}
			if string(got) != want {
				t.Fatalf("push = %q, want %q (tracked only)", got, want)
			}
			// Invalidation is one-shot: a second write sends nothing.
			if err := writer.Set(ctx, "tracked", "x", 0).Err(); err != nil {
				t.Fatal(err)
			}
			if got := tracker.DoString("PING"); got != "+PONG\r\n" {
				t.Fatalf("PING = %q, want +PONG (no second invalidation)", got)
			}
		})
	}
}
