package server

import (
	"os"
	"strings"
	"testing"
)

func TestClientTrackingResp3(t *testing.T) {
	steps := []psStep{
		{0, "hello 3"},                                     // 0
		{0, "client tracking on"},                          // 1
		{0, "get k"},                                       // 2
		{0, "client trackinginfo"},                         // 3
		{1, "set k 1"},                                     // 4
		{0, ""},                                            // 5 invalidate k
		{1, "set k 2"},                                     // 6 k is no longer tracked
		{0, "client tracking on noloop"},                   // 7
		{0, "mget a b"},                                    // 8
		{0, "set a 1"},                                     // 9 NOLOOP: no message for a
		{1, "set b 1"},                                     // 10
		{0, ""},                                            // 11 invalidate b
		{0, "client tracking on bcast"},                    // 12
		{0, "client getredir"},                             // 13
		{0, "client tracking off"},                         // 14
		{0, "client getredir"},                             // 15
		{0, "client tracking on optin optout"},             // 16
		{0, "client tracking on prefix a"},                 // 17
		{0, "client tracking on redirect 999999"},          // 18
		{0, "client tracking on redirect x"},               // 19
		{0, "client tracking foo"},                         // 20
		{0, "client tracking on bogus"},                    // 21
		{0, "client caching yes"},                          // 22
		{0, "client tracking on bcast optin"},              // 23
		{0, "client tracking on optin"},                    // 24
		{0, "client caching no"},                           // 25
		{0, "client tracking on optout"},                   // 26
		{0, "client caching maybe"},                        // 27
		{0, "client caching yes"},                          // 28
		{0, "client trackinginfo"},                         // 29
		{0, "get c"},                                       // 30 tracked: CACHING YES
		{0, "get d"},                                       // 31 not tracked
		{1, "set d 1"},                                     // 32
		{1, "set c 1"},                                     // 33
		{0, ""},                                            // 34 invalidate c
		{0, "client tracking off"},                         // 35
		{0, "client tracking on bcast prefix p: prefix q"}, // 36
		{0, "client tracking on bcast prefix p:x"},         // 37
		{0, "client tracking on bcast prefix a prefix ab"}, // 38
		{0, "client trackinginfo"},                         // 39
		{1, "set x 1"},                                     // 40
		{1, "set p:1 1"},                                   // 41
		{0, ""},                                            // 42 invalidate p:1
		{0, "client tracking off"},                         // 43
		{0, "client trackinginfo"},                         // 44
		{0, "client tracking on"},                          // 45
		{0, "get s"},                                       // 46
		{0, "set s 1"},                                     // 47 own change: reply first
		{0, ""},                                            // 48 then invalidate s
		{1, "flushdb"},                                     // 49
		{0, ""},                                            // 50 invalidate null
		{0, "get s"},                                       // 51
		{0, "flushall"},                                    // 52
		{0, ""},                                            // 53
	}
	want := map[int]string{
		1:  "+OK\r\n",
		5:  ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n",
		11: ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nb\r\n",
		12: "-ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.\r\n",
		34: ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nc\r\n",
		42: ">2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\np:1\r\n",
		44: "%3\r\n$5\r\nflags\r\n~1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n",
		47: "+OK\r\n",
		48: ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\ns\r\n",
		50: ">2\r\n$10\r\ninvalidate\r\n_\r\n",
		52: "+OK\r\n",
		53: ">2\r\n$10\r\ninvalidate\r\n_\r\n",
	}
	comparePubSub(t, 2, steps, want)
}

// TestClientTrackingRedirectResp2: a RESP2 client's invalidations go to its
// REDIRECT target, subscribed to __redis__:invalidate, as messages.
func TestClientTrackingRedirectResp2(t *testing.T) {
	run := func(addr string) []string {
		target := dialResp(t, addr)
		tracker := dialResp(t, addr)
		writer := dialResp(t, addr)
		id := strings.TrimSpace(strings.TrimPrefix(target.do("client", "id"), ":"))
		out := []string{
			target.do("subscribe", "__redis__:invalidate"),
			tracker.do("client", "tracking", "on", "redirect", id),
			tracker.do("get", "z"),
		}
		getredir := tracker.do("client", "getredir")
		if getredir != ":"+id+"\r\n" {
			t.Errorf("%s: GETREDIR = %q, want %s", addr, getredir, id)
		}
		if list := bulkBody(t, tracker.do("client", "info")); !strings.Contains(list, " flags=t ") || !strings.Contains(list, " redir="+id+" ") {
			t.Errorf("%s: CLIENT INFO %q lacks flags=t redir=%s", addr, list, id)
		}
		out = append(out, writer.do("set", "z", "1"))
		raw, err := target.read()
		if err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		out = append(out, raw, writer.do("flushdb"))
		if raw, err = target.read(); err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		return append(out, raw)
	}
	got := run(startVireo(t).Addr().String())
	want := "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\nz\r\n"
	if got[4] != want {
		t.Errorf("invalidation = %q, want %q", got[4], want)
	}
	want = "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n"
	if got[6] != want {
		t.Errorf("flush invalidation = %q, want %q", got[6], want)
	}
	if _, err := os.Stat(redisServerPath); err != nil {
		return
	}
	ref := run(startRedis(t))
	for i := range got {
		if got[i] != ref[i] {
			t.Errorf("step %d: vireo %q, redis %q", i, got[i], ref[i])
		}
	}
}

// TestTrackingTableMaxKeys: past tracking-table-max-keys the cron forgets
// keys (telling their clients, as if they had changed) until the table fits.
func TestTrackingTableMaxKeys(t *testing.T) {
	s := newTestServer(t, "--tracking-table-max-keys", "3")
	c := s.testClient(t)
	c.expect("hello 3", c.do("hello 3")) // switch to RESP3; reply checked elsewhere
	c.expect("client tracking on", "+OK\r\n")
	c.expect("mget a b c d e f g", "*7\r\n_\r\n_\r\n_\r\n_\r\n_\r\n_\r\n_\r\n")
	if keys, items, _ := s.trackingTotals(); keys != 7 || items != 7 {
		t.Fatalf("tracking table: %d keys, %d items; want 7, 7", keys, items)
	}
	for i := 0; i < 10; i++ {
		s.limitTrackingTable()
	}
	if keys, _, _ := s.trackingTotals(); keys != 3 {
		t.Fatalf("tracking table after the cron: %d keys, want 3", keys)
	}
	if info := c.do("info stats"); !strings.Contains(info, "tracking_total_keys:3\r\n") {
		t.Errorf("INFO stats lacks tracking_total_keys:3")
	}
	// No limit: nothing is evicted.
	c.expect("config set tracking-table-max-keys 0", "+OK\r\n")
	c.expect("mget h i j k", "*4\r\n_\r\n_\r\n_\r\n_\r\n")
	s.limitTrackingTable()
	if keys, _, _ := s.trackingTotals(); keys != 7 {
		t.Fatalf("with no limit the table holds %d keys, want 7", keys)
	}
}
