package e2e_test

import (
	"context"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/vireodb/vireo/tests/harness"
)

// recv waits for the next message on ch.
func recv(t *testing.T, ch <-chan *redis.Message) *redis.Message {
	t.Helper()
	select {
	case m := <-ch:
		return m
	case <-time.After(5 * time.Second):
		t.Fatal("no message within 5s")
		return nil
	}
}

// TestPubSubGoRedis drives SUBSCRIBE/PSUBSCRIBE through go-redis's PubSub
// in both protocols: confirmations, messages, pattern messages, and
// PUBLISH's receiver counts.
func TestPubSubGoRedis(t *testing.T) {
	requireCommands(t)
	srv := harness.StartVireo(t)
	for _, proto := range []int{2, 3} {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			ctx := context.Background()
			c := srv.Client(proto)
			ps := c.Subscribe(ctx, "news")
			defer ps.Close()
			if _, err := ps.Receive(ctx); err != nil { // the confirmation
				t.Fatal(err)
			}
			if err := ps.PSubscribe(ctx, "n*"); err != nil {
				t.Fatal(err)
			}
			ch := ps.Channel()
			// PSubscribe returns before its confirmation arrives: wait
			// until the server counts the pattern.
			deadline := time.Now().Add(5 * time.Second)
			for {
				n, err := c.PubSubNumPat(ctx).Result()
				if err != nil {
					t.Fatal(err)
				}
				if n == 1 || time.Now().After(deadline) {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			if n, err := c.Publish(ctx, "news", "hello").Result(); err != nil || n != 2 {
				t.Fatalf("PUBLISH news = %d, %v; want 2 receivers", n, err)
			}
			m := recv(t, ch)
			if m.Channel != "news" || m.Payload != "hello" || m.Pattern != "" {
				t.Errorf("message = %+v", m)
			}
			m = recv(t, ch)
			if m.Channel != "news" || m.Payload != "hello" || m.Pattern != "n*" {
				t.Errorf("pattern message = %+v", m)
			}
			if n, err := c.Publish(ctx, "other", "x").Result(); err != nil || n != 0 {
				t.Errorf("PUBLISH other = %d, %v; want 0", n, err)
			}
			subs, err := c.PubSubNumSub(ctx, "news").Result()
			if err != nil || subs["news"] != 1 {
				t.Errorf("PUBSUB NUMSUB news = %v, %v", subs, err)
			}
			if err := ps.Unsubscribe(ctx, "news"); err != nil {
				t.Fatal(err)
			}
			if err := ps.PUnsubscribe(ctx, "n*"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestKeyspaceNotificationsGoRedis subscribes to keyspace and keyevent
// channels with notify-keyspace-events KEA and checks the events of SET,
// EXPIRE, DEL and an expiry.
func TestKeyspaceNotificationsGoRedis(t *testing.T) {
	requireCommands(t)
	srv := harness.StartVireo(t)
	ctx := context.Background()
	c := srv.Client(3)
	if err := c.ConfigSet(ctx, "notify-keyspace-events", "KEA").Err(); err != nil {
		t.Fatal(err)
	}
	ps := c.PSubscribe(ctx, "__keyspace@0__:*", "__keyevent@0__:*")
	defer ps.Close()
	for i := 0; i < 2; i++ {
		if _, err := ps.Receive(ctx); err != nil {
			t.Fatal(err)
		}
	}
	ch := ps.Channel()
	expect := func(wantChannel, wantPayload string) {
		t.Helper()
		m := recv(t, ch)
		if m.Channel != wantChannel || m.Payload != wantPayload {
			t.Errorf("got %s=%q, want %s=%q", m.Channel, m.Payload, wantChannel, wantPayload)
		}
	}
	c.Set(ctx, "k", "v", 0)
	expect("__keyspace@0__:k", "set")
	expect("__keyevent@0__:set", "k")
	c.Expire(ctx, "k", time.Hour)
	expect("__keyspace@0__:k", "expire")
	expect("__keyevent@0__:expire", "k")
	c.Del(ctx, "k")
	expect("__keyspace@0__:k", "del")
	expect("__keyevent@0__:del", "k")
	c.Set(ctx, "short", "v", 20*time.Millisecond)
	expect("__keyspace@0__:short", "set")
	expect("__keyevent@0__:set", "short")
	expect("__keyspace@0__:short", "expire")
	expect("__keyevent@0__:expire", "short")
	expect("__keyspace@0__:short", "expired") // active expiry, no access needed
	expect("__keyevent@0__:expired", "short")
}

// TestSlowSubscriberDisconnected: a subscriber that stops reading is
// dropped at the pubsub hard limit and the server's RSS stays bounded while
// 256 MB are published to it.
func TestSlowSubscriberDisconnected(t *testing.T) {
	requireCommands(t)
	srv := harness.StartVireo(t, "--client-output-buffer-limit", "pubsub 4mb 0 0")
	ctx := context.Background()
	sub, err := net.Dial("tcp", srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if _, err := sub.Write([]byte("*2\r\n$9\r\nSUBSCRIBE\r\n$2\r\nch\r\n")); err != nil {
		t.Fatal(err)
	}
	c := srv.Client(2)
	deadline := time.Now().Add(5 * time.Second)
	for {
		n, _ := c.PubSubNumSub(ctx, "ch").Result()
		if n["ch"] == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("subscription not registered")
		}
		time.Sleep(10 * time.Millisecond)
	}
	rss0 := rssBytes(t, srv.PID())
	msg := strings.Repeat("x", 64<<10)
	delivered := 0
	for i := 0; i < 4096; i++ {
		n, err := c.Publish(ctx, "ch", msg).Result()
		if err != nil {
			t.Fatal(err)
		}
		delivered += int(n)
	}
	rss1 := rssBytes(t, srv.PID())
	if delivered == 0 || delivered > 1024 {
		t.Errorf("%d of 4096 messages delivered, want the subscriber dropped early", delivered)
	}
	if growth := rss1 - rss0; growth > 64<<20 {
		t.Errorf("RSS grew by %d MB (from %d MB)", growth>>20, rss0>>20)
	}
	if n, _ := c.PubSubNumSub(ctx, "ch").Result(); n["ch"] != 0 {
		t.Errorf("PUBSUB NUMSUB ch = %d after the disconnect", n["ch"])
	}
	if list := c.ClientList(ctx).Val(); strings.Contains(list, "cmd=subscribe") {
		t.Errorf("the slow subscriber is still listed: %q", list)
	}
}

// rssBytes is the process's resident set size.
func rssBytes(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Skip("no VmRSS")
	return 0
}
