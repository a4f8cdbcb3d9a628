package server

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// psStep is one step of a pub/sub conversation: conn sends cmd (a command
// line) and reads its reply, or, with cmd "", reads one pending frame.
type psStep struct {
	conn int
	cmd  string
}

// runPubSubScript plays steps on nconn fresh connections to addr and
// returns every reply read, in order; at the end it checks that no
// connection has unread output.
func runPubSubScript(t *testing.T, addr string, nconn int, steps []psStep) []string {
	t.Helper()
	conns := make([]*respConn, nconn)
	for i := range conns {
		conns[i] = dialResp(t, addr)
	}
	var out []string
	for _, st := range steps {
		rc := conns[st.conn]
		if st.cmd != "" {
			rc.send(strings.Fields(st.cmd)...)
		}
		raw, err := rc.read()
		if err != nil {
			t.Fatalf("conn %d %q: %v", st.conn, st.cmd, err)
		}
		out = append(out, raw)
	}
	for i, rc := range conns {
		rc.nc.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		var b strings.Builder
		err := readRawReply(rc.r, &b)
		if err == nil {
			t.Errorf("conn %d: unread output %q", i, b.String())
		} else if !errors.Is(err, os.ErrDeadlineExceeded) && !errors.Is(err, io.EOF) {
			var ne net.Error
			if !errors.As(err, &ne) || !ne.Timeout() {
				t.Errorf("conn %d: %v", i, err)
			}
		}
	}
	return out
}

// comparePubSub runs steps against Vireo and redis-server and requires
// byte-identical replies; the Vireo replies are also checked against want
// entries that are non-empty (so the test means something without Redis).
func comparePubSub(t *testing.T, nconn int, steps []psStep, want map[int]string) {
	t.Helper()
	s := startVireo(t)
	got := runPubSubScript(t, s.Addr().String(), nconn, steps)
	for i, w := range want {
		if got[i] != w {
			t.Errorf("step %d %+v:\n got %q\nwant %q", i, steps[i], got[i], w)
		}
	}
	if _, err := os.Stat(redisServerPath); err != nil {
		return
	}
	ref := runPubSubScript(t, startRedis(t), nconn, steps)
	for i := range steps {
		if got[i] != ref[i] && !strings.HasPrefix(steps[i].cmd, "hello") {
			t.Errorf("step %d %+v:\nvireo %q\nredis %q", i, steps[i], got[i], ref[i])
		}
	}
}

func TestPubSubResp2(t *testing.T) {
	steps := []psStep{
		{0, "unsubscribe"},             // 0
		{0, "punsubscribe"},            // 1
		{0, "sunsubscribe"},            // 2
		{0, "subscribe a b"},           // 3: two confirmations in one read? no: one frame each
		{0, ""},                        // 4
		{0, "psubscribe a*"},           // 5
		{0, "ssubscribe s1"},           // 6
		{0, "ping"},                    // 7
		{0, "ping hi"},                 // 8
		{0, "get x"},                   // 9
		{0, "client id"},               // 10
		{1, "publish a m1"},            // 11
		{0, ""},                        // 12 message
		{0, ""},                        // 13 pmessage
		{1, "spublish s1 m2"},          // 14
		{0, ""},                        // 15 smessage
		{1, "publish s1 x"},            // 16
		{1, "pubsub numsub a s1 zz"},   // 17
		{1, "pubsub shardnumsub s1 a"}, // 18
		{1, "pubsub numpat"},           // 19
		{1, "pubsub channels a*"},      // 20 (one match: Redis lists in hash order)
		{1, "pubsub channels b*"},      // 21
		{1, "pubsub shardchannels"},    // 22
		{1, "publish ab m3"},           // 23 pattern only
		{0, ""},                        // 24
		{0, "unsubscribe a zz"},        // 25
		{0, ""},                        // 26
		{1, "publish a m4"},            // 27 only the pattern now
		{0, ""},                        // 28
		{0, "unsubscribe"},             // 29 leaves b
		{0, "sunsubscribe"},            // 30
		{0, "get x"},                   // 31 still subscribed to a*
		{0, "punsubscribe"},            // 32
		{0, "get x"},                   // 33
		{0, "subscribe a a"},           // 34
		{0, ""},                        // 35
		{0, "reset"},                   // 36
		{0, "get x"},                   // 37
		{1, "pubsub numsub a"},         // 38
		{1, "pubsub help"},             // 39
		{1, "pubsub foo"},              // 40
		{1, "multi"},                   // 41
		{1, "subscribe q"},             // 42
		{1, "exec"},                    // 43
		{0, "publish q hello"},         // 44
		{1, ""},                        // 45
		{1, "quit"},                    // 46
	}
	want := map[int]string{
		0:  "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n",
		3:  "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n",
		4:  "*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n",
		5:  "*3\r\n$10\r\npsubscribe\r\n$2\r\na*\r\n:3\r\n",
		6:  "*3\r\n$10\r\nssubscribe\r\n$2\r\ns1\r\n:1\r\n",
		7:  "*2\r\n$4\r\npong\r\n$0\r\n\r\n",
		8:  "*2\r\n$4\r\npong\r\n$2\r\nhi\r\n",
		9:  "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n",
		10: "-ERR Can't execute 'client|id': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n",
		11: ":2\r\n",
		12: "*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nm1\r\n",
		13: "*4\r\n$8\r\npmessage\r\n$2\r\na*\r\n$1\r\na\r\n$2\r\nm1\r\n",
		15: "*3\r\n$8\r\nsmessage\r\n$2\r\ns1\r\n$2\r\nm2\r\n",
		16: ":0\r\n",
		17: "*6\r\n$1\r\na\r\n:1\r\n$2\r\ns1\r\n:0\r\n$2\r\nzz\r\n:0\r\n",
		20: "*1\r\n$1\r\na\r\n",
		31: "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n",
		33: "$-1\r\n",
		37: "$-1\r\n",
		38: "*2\r\n$1\r\na\r\n:0\r\n",
		43: "*1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nq\r\n:1\r\n",
		45: "*3\r\n$7\r\nmessage\r\n$1\r\nq\r\n$5\r\nhello\r\n",
		46: "+OK\r\n",
	}
	comparePubSub(t, 2, steps, want)
}

func TestPubSubResp3(t *testing.T) {
	steps := []psStep{
		{0, "hello 3"},              // 0
		{0, "subscribe a"},          // 1
		{0, "get x"},                // 2: every command is allowed
		{0, "ping"},                 // 3
		{0, "psubscribe *"},         // 4
		{1, "publish a m"},          // 5
		{0, ""},                     // 6
		{0, ""},                     // 7
		{0, "ssubscribe s"},         // 8
		{1, "spublish s m"},         // 9
		{0, ""},                     // 10
		{0, "set k v"},              // 11
		{0, "unsubscribe zz"},       // 12
		{0, "unsubscribe"},          // 13
		{0, "punsubscribe"},         // 14
		{0, "sunsubscribe"},         // 15
		{0, "unsubscribe"},          // 16
		{0, "hello 2"},              // 17
		{0, "subscribe b"},          // 18
		{1, "publish b x"},          // 19
		{0, ""},                     // 20
		{1, "pubsub channels"},      // 21
		{1, "pubsub shardchannels"}, // 22
	}
	want := map[int]string{
		1:  ">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n",
		2:  "_\r\n",
		3:  "+PONG\r\n",
		5:  ":2\r\n",
		6:  ">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$1\r\nm\r\n",
		7:  ">4\r\n$8\r\npmessage\r\n$1\r\n*\r\n$1\r\na\r\n$1\r\nm\r\n",
		10: ">3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$1\r\nm\r\n",
		11: "+OK\r\n",
		12: ">3\r\n$11\r\nunsubscribe\r\n$2\r\nzz\r\n:2\r\n",
		16: ">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n",
		20: "*3\r\n$7\r\nmessage\r\n$1\r\nb\r\n$1\r\nx\r\n",
		21: "*1\r\n$1\r\nb\r\n",
	}
	comparePubSub(t, 2, steps, want)
}

// TestPubSubClientList checks the sub/psub/ssub fields, the P flag and
// TYPE pubsub.
func TestPubSubClientList(t *testing.T) {
	s := startVireo(t)
	sub := dialResp(t, s.Addr().String())
	other := dialResp(t, s.Addr().String())
	sub.do("subscribe", "a", "b")
	sub.read()
	sub.do("psubscribe", "x*")
	sub.do("ssubscribe", "s")
	// omem drops to 0 once the writer goroutine has sent the replies,
	// which may be just after the client read them.
	var list string
	for i := 0; i < 100; i++ {
		list = bulkBody(t, other.do("client", "list", "type", "pubsub"))
		if strings.Contains(list, " omem=0 ") {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	for _, f := range []string{" flags=P ", " sub=2 psub=1 ssub=1 ", " omem=0 "} {
		if !strings.Contains(list, f) {
			t.Errorf("CLIENT LIST TYPE pubsub: %q lacks %q", list, f)
		}
	}
	if n := strings.Count(list, "\n"); n != 1 {
		t.Errorf("CLIENT LIST TYPE pubsub listed %d clients: %q", n, list)
	}
	if normal := bulkBody(t, other.do("client", "list", "type", "normal")); strings.Count(normal, "\n") != 1 || !strings.Contains(normal, " sub=0 psub=0 ssub=0 ") {
		t.Errorf("CLIENT LIST TYPE normal: %q", normal)
	}
	info := bulkBody(t, other.do("info", "stats"))
	for _, f := range []string{"pubsub_channels:2\r\n", "pubsub_patterns:1\r\n", "pubsubshard_channels:1\r\n"} {
		if !strings.Contains(info, f) {
			t.Errorf("INFO stats lacks %q", f)
		}
	}
}

func TestPubSubKeyspaceNotifications(t *testing.T) {
	steps := []psStep{
		{1, "config set notify-keyspace-events KEA"}, // 0
		{0, "psubscribe __key*__:*"},                 // 1
		{0, "subscribe __keyevent@0__:del"},          // 2
		{1, "set k v"},                               // 3
		{0, ""},                                      // 4 keyspace set
		{0, ""},                                      // 5 keyevent set
		{1, "expire k 100"},                          // 6
		{0, ""},                                      // 7
		{0, ""},                                      // 8
		{1, "del k"},                                 // 9
		{0, ""},                                      // 10 keyspace del
		{0, ""},                                      // 11 keyevent del (channel)
		{0, ""},                                      // 12 keyevent del (pattern)
		{1, "select 3"},                              // 13
		{1, "set e v px 30"},                         // 14
		{0, ""},                                      // 15 set
		{0, ""},                                      // 16
		{0, ""},                                      // 17 expire
		{0, ""},                                      // 18
		{0, ""},                                      // 19 expired, by active expiry
		{0, ""},                                      // 20
		{1, "config set notify-keyspace-events Kg"}, // 21
		{1, "set e v"}, // 22 $ class off: nothing
		{1, "del e"},   // 23
		{0, ""},        // 24 keyspace only
	}
	want := map[int]string{
		4:  "*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$16\r\n__keyspace@0__:k\r\n$3\r\nset\r\n",
		5:  "*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\nk\r\n",
		11: "*3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:del\r\n$1\r\nk\r\n",
		19: "*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$16\r\n__keyspace@3__:e\r\n$7\r\nexpired\r\n",
		20: "*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$22\r\n__keyevent@3__:expired\r\n$1\r\ne\r\n",
		24: "*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$16\r\n__keyspace@3__:e\r\n$3\r\ndel\r\n",
	}
	comparePubSub(t, 2, steps, want)
}

// TestPubSubSlowSubscriberHardLimit: a subscriber that never reads is
// disconnected once its queued output passes the pubsub hard limit, and the
// server's memory stays bounded while 64 MB are published to it.
func TestPubSubSlowSubscriberHardLimit(t *testing.T) {
	s := startVireo(t, "--client-output-buffer-limit", "pubsub 1mb 0 0")
	sub := dialResp(t, s.Addr().String())
	sub.do("subscribe", "ch")
	pub := dialResp(t, s.Addr().String())
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	msg := strings.Repeat("x", 32<<10)
	delivered := 0
	for i := 0; i < 2048; i++ {
		if pub.do("publish", "ch", msg) == ":1\r\n" {
			delivered++
		}
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if growth := int64(after.HeapInuse) - int64(before.HeapInuse); growth > 16<<20 {
		t.Errorf("heap grew by %d MB while publishing to a stalled subscriber", growth>>20)
	}
	if delivered == 0 || delivered > 1024 {
		t.Errorf("%d of 2048 messages were delivered before the disconnect", delivered)
	}
	if n := s.stats.outputLimitDisconnections.Load(); n != 1 {
		t.Errorf("output limit disconnections = %d, want 1", n)
	}
	// The subscriber reads what the kernel buffered, then EOF.
	sub.nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.Copy(io.Discard, sub.nc); err != nil {
		t.Errorf("subscriber connection: %v (want EOF)", err)
	}
	waitFor(t, func() bool { return pub.do("pubsub", "numsub", "ch") == "*2\r\n$2\r\nch\r\n:0\r\n" })
}

// TestPubSubSlowSubscriberSoftLimit: past the soft limit for longer than its
// seconds, the next message disconnects the subscriber.
func TestPubSubSlowSubscriberSoftLimit(t *testing.T) {
	s := startVireo(t, "--client-output-buffer-limit", "pubsub 0 256kb 1")
	sub := dialResp(t, s.Addr().String())
	sub.do("subscribe", "ch")
	pub := dialResp(t, s.Addr().String())
	subCtx := s.sortedClients()[0]
	msg := strings.Repeat("x", 16<<10)
	// Fill the socket buffers and pass the soft limit.
	for i := 0; i < 4096 && subCtx.outputMemory() < 256<<10; i++ {
		pub.do("publish", "ch", msg)
	}
	if m := subCtx.outputMemory(); m < 256<<10 {
		t.Fatalf("queued output stayed at %d bytes", m)
	}
	if n := s.stats.outputLimitDisconnections.Load(); n != 0 {
		t.Fatalf("disconnected before the soft limit's seconds passed")
	}
	time.Sleep(1100 * time.Millisecond)
	// The writer may have drained part of the queue into socket buffers that
	// grew meanwhile (which restarts the soft-limit clock): keep publishing
	// for a while; the subscriber must be dropped once it has stayed over
	// the soft limit for its second.
	deadline := time.Now().Add(5 * time.Second)
	for s.stats.outputLimitDisconnections.Load() == 0 && time.Now().Before(deadline) {
		pub.do("publish", "ch", msg)
		time.Sleep(10 * time.Millisecond)
	}
	if n := s.stats.outputLimitDisconnections.Load(); n != 1 {
		t.Errorf("output limit disconnections = %d, want 1", n)
	}
}

// TestNormalClientHardLimit: a plain client whose reply passes the normal
// class's hard limit is disconnected, like Redis.
func TestNormalClientHardLimit(t *testing.T) {
	check := func(addr string) {
		rc := dialResp(t, addr)
		rc.do("config", "set", "client-output-buffer-limit", "normal 64kb 0 0")
		rc.do("set", "big", strings.Repeat("x", 100<<10))
		if got := rc.do("strlen", "big"); got != ":102400\r\n" {
			t.Fatalf("STRLEN = %q", got)
		}
		rc.send("get", "big")
		if got, err := rc.read(); err == nil {
			t.Errorf("%s: GET of 100KB under a 64KB hard limit answered %d bytes", addr, len(got))
		}
	}
	s := startVireo(t)
	check(s.Addr().String())
	if n := s.stats.outputLimitDisconnections.Load(); n != 1 {
		t.Errorf("output limit disconnections = %d, want 1", n)
	}
	if _, err := os.Stat(redisServerPath); err == nil {
		check(startRedis(t))
	}
}

// TestPubSubSubscriberIgnoresTimeout: the idle timeout does not apply to a
// client in pub/sub mode (Redis's clientsCronHandleTimeout skips them).
func TestPubSubSubscriberIgnoresTimeout(t *testing.T) {
	s := startVireo(t, "--timeout", "1")
	sub := dialResp(t, s.Addr().String())
	sub.do("subscribe", "ch")
	idle := dialResp(t, s.Addr().String())
	idle.do("ping")
	time.Sleep(1500 * time.Millisecond)
	pub := dialResp(t, s.Addr().String())
	if got := pub.do("publish", "ch", "still here"); got != ":1\r\n" {
		t.Fatalf("PUBLISH = %q, want :1", got)
	}
	if got, err := sub.read(); err != nil || got != "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$10\r\nstill here\r\n" {
		t.Errorf("subscriber read %q, %v", got, err)
	}
	if _, err := idle.read(); err == nil {
		t.Errorf("the idle normal client was not closed")
	}
}

// TestPubSubConcurrentStress runs publishers, keyspace-notifying writers and
// churning subscribers at once (under -race): nothing deadlocks, and a
// steady subscriber receives every message published to it, in order.
func TestPubSubConcurrentStress(t *testing.T) {
	s := startVireo(t, "--notify-keyspace-events", "KEA")
	addr := s.Addr().String()
	steady := dialResp(t, addr)
	steady.do("subscribe", "steady")
	keys := dialResp(t, addr)
	keys.do("psubscribe", "__key*__:*")

	const perPublisher = 200
	done := make(chan struct{})
	var wg sync.WaitGroup
	for p := 0; p < 2; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			rc := dialResp(t, addr)
			for i := 0; i < perPublisher; i++ {
				rc.send("publish", "steady", fmt.Sprintf("%d-%d", p, i))
				rc.read()
				rc.send("set", fmt.Sprintf("k%d", i%10), "v")
				rc.read()
			}
		}(p)
	}
	// Subscribers come and go (and one is killed) while all that runs.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			nc, err := net.Dial("tcp", addr)
			if err != nil {
				t.Error(err)
				return
			}
			nc.Write([]byte("*3\r\n$10\r\nPSUBSCRIBE\r\n$1\r\n*\r\n$10\r\n__keysp*\r\n*2\r\n$9\r\nSUBSCRIBE\r\n$6\r\nsteady\r\n"))
			time.Sleep(2 * time.Millisecond)
			if i%2 == 0 {
				nc.Write([]byte("*1\r\n$5\r\nRESET\r\n"))
			}
			nc.Close()
		}
	}()
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("publishers did not finish: deadlock?")
	}
	// The steady subscriber got every message, each publisher's in order.
	next := [2]int{}
	for n := 0; n < 2*perPublisher; n++ {
		raw, err := steady.read()
		if err != nil {
			t.Fatalf("after %d messages: %v", n, err)
		}
		var p, i int
		body := raw[strings.LastIndex(raw[:len(raw)-2], "\r\n")+2 : len(raw)-2]
		if _, err := fmt.Sscanf(body, "%d-%d", &p, &i); err != nil || p > 1 || i != next[p] {
			t.Fatalf("message %d = %q, want publisher %d's #%d", n, raw, p, next[p])
		}
		next[p]++
	}
	// 400 SETs: a keyspace and a keyevent event each.
	for n := 0; n < 2*2*perPublisher; n++ {
		if _, err := keys.read(); err != nil {
			t.Fatalf("keyspace event %d: %v", n, err)
		}
	}
	// The churned subscribers are gone from the registry.
	admin := dialResp(t, addr)
	waitFor(t, func() bool {
		return strings.Count(bulkBody(t, admin.do("client", "list", "type", "pubsub")), "\n") == 2 &&
			admin.do("pubsub", "numsub", "steady") == "*2\r\n$6\r\nsteady\r\n:1\r\n" &&
			admin.do("pubsub", "numpat") == ":1\r\n"
	})
}
