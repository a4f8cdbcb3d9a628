//go:build unix

package server

// The connection loop that reads inside RawConn.Read (conn_raw.go) parks
// after a batch without reading until EAGAIN. If that ever lost a wake-up,
// a client would wait for a reply that never comes; these tests drive it
// with pipelines cut at random places, sent with random pauses, and with
// values large enough to fill and grow the read buffer, and fail on the
// first reply that does not arrive within the read deadline.

import (
	"bufio"
	"fmt"
	"math/rand"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func encodeCommand(b *strings.Builder, args ...string) {
	fmt.Fprintf(b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(b, "$%d\r\n%s\r\n", len(a), a)
	}
}

func TestRawReadNoLostWakeups(t *testing.T) {
	s := startVireo(t)
	addr := s.Addr().String()
	const clients, rounds = 16, 60
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for ci := 0; ci < clients; ci++ {
		wg.Add(1)
		go func(ci int) {
			defer wg.Done()
			errs <- rawReadClient(addr, ci, rounds)
		}(ci)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// rawReadClient sends rounds pipelines of SET/GET/INCR and checks every reply.
func rawReadClient(addr string, ci, rounds int) error {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer nc.Close()
	rng := rand.New(rand.NewSource(int64(ci)))
	r := bufio.NewReader(nc)
	counter := 0
	for round := 0; round < rounds; round++ {
		var b strings.Builder
		var want []string
		for k := 1 + rng.Intn(40); k > 0; k-- {
			switch rng.Intn(3) {
			case 0:
				counter++
				encodeCommand(&b, "INCR", fmt.Sprintf("n:%d", ci))
				want = append(want, ":"+strconv.Itoa(counter)+"\r\n")
			default:
				size := rng.Intn(64)
				if rng.Intn(8) == 0 {
					size = rng.Intn(48 * 1024) // larger than the 16 KiB read buffer
				}
				v := strings.Repeat(string(rune('a'+rng.Intn(26))), size)
				key := fmt.Sprintf("k:%d:%d", ci, rng.Intn(4))
				encodeCommand(&b, "SET", key, v)
				encodeCommand(&b, "GET", key)
				want = append(want, "+OK\r\n", "$"+strconv.Itoa(size)+"\r\n"+v+"\r\n")
			}
		}
		msg := []byte(b.String())
		// Send in random pieces, sometimes pausing, so batches end inside
		// requests and inside bulk payloads.
		for len(msg) > 0 {
			n := 1 + rng.Intn(len(msg))
			if rng.Intn(3) == 0 {
				n = min(len(msg), 1+rng.Intn(8))
			}
			if _, err := nc.Write(msg[:n]); err != nil {
				return err
			}
			msg = msg[n:]
			if rng.Intn(4) == 0 {
				time.Sleep(time.Duration(rng.Intn(300)) * time.Microsecond)
			}
		}
		for i, w := range want {
			nc.SetReadDeadline(time.Now().Add(10 * time.Second))
			var got strings.Builder
			if err := readRawReply(r, &got); err != nil {
				return fmt.Errorf("client %d round %d reply %d of %d: %v", ci, round, i+1, len(want), err)
			}
			if got.String() != w {
				return fmt.Errorf("client %d round %d reply %d: got %.60q, want %.60q", ci, round, i+1, got.String(), w)
			}
		}
	}
	return nil
}

// A blocking command leaves the raw loop and the requests pipelined behind
// it run once it is served, in order; then the loop takes over again.
func TestRawReadBlockingCommandInPipeline(t *testing.T) {
	s := startVireo(t)
	addr := s.Addr().String()
	c := dialResp(t, addr)
	other := dialResp(t, addr)
	for i := 0; i < 20; i++ {
		var b strings.Builder
		encodeCommand(&b, "SET", "before", strconv.Itoa(i))
		encodeCommand(&b, "BLPOP", "q", "5")
		encodeCommand(&b, "INCR", "after")
		encodeCommand(&b, "GET", "before")
		if _, err := c.nc.Write([]byte(b.String())); err != nil {
			t.Fatal(err)
		}
		if got, err := c.read(); err != nil || got != "+OK\r\n" {
			t.Fatalf("SET: %q %v", got, err)
		}
		// The client is blocked now (or about to be); a push serves it.
		waitBlockedClients(t, other, 1)
		if got := other.do("RPUSH", "q", "v"+strconv.Itoa(i)); got != ":1\r\n" {
			t.Fatalf("RPUSH: %q", got)
		}
		want := []string{
			"*2\r\n$1\r\nq\r\n$" + strconv.Itoa(len("v"+strconv.Itoa(i))) + "\r\nv" + strconv.Itoa(i) + "\r\n",
			":" + strconv.Itoa(i+1) + "\r\n",
			"$" + strconv.Itoa(len(strconv.Itoa(i))) + "\r\n" + strconv.Itoa(i) + "\r\n",
		}
		for _, w := range want {
			got, err := c.read()
			if err != nil || got != w {
				t.Fatalf("round %d: got %q (%v), want %q", i, got, err, w)
			}
		}
		// An ordinary request on the same connection after the switch back.
		if got := c.do("PING"); got != "+PONG\r\n" {
			t.Fatalf("PING: %q", got)
		}
	}
}

func waitBlockedClients(t *testing.T, c *respConn, n int) {
	t.Helper()
	want := "blocked_clients:" + strconv.Itoa(n) + "\r\n"
	for i := 0; i < 500; i++ {
		if strings.Contains(c.do("INFO", "clients"), want) {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("never saw %q", want)
}

// CLIENT KILL of a connection that is waiting inside the raw loop ends it
// at once, and the killer does not wait for it.
func TestRawReadClientKill(t *testing.T) {
	s := startVireo(t)
	addr := s.Addr().String()
	victim := dialResp(t, addr)
	if got := victim.do("CLIENT", "ID"); !strings.HasPrefix(got, ":") {
		t.Fatalf("CLIENT ID: %q", got)
	}
	id := strings.TrimSpace(strings.TrimPrefix(victim.do("CLIENT", "ID"), ":"))
	killer := dialResp(t, addr)
	if got := killer.do("CLIENT", "KILL", "ID", id); got != ":1\r\n" {
		t.Fatalf("CLIENT KILL: %q", got)
	}
	victim.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := victim.nc.Read(make([]byte, 16)); err == nil {
		t.Fatalf("killed connection still open (read %d bytes)", n)
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("killed connection was not closed")
	}
}

// The idle timeout closes a quiet connection while it waits inside the raw
// loop, spares subscribers, and is lifted again by CONFIG SET timeout 0.
func TestRawReadIdleTimeout(t *testing.T) {
	s := startVireo(t)
	addr := s.Addr().String()
	admin := dialResp(t, addr)
	if got := admin.do("CONFIG", "SET", "timeout", "1"); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET timeout: %q", got)
	}
	idle := dialResp(t, addr)
	idle.do("PING") // armed after this batch
	sub := dialResp(t, addr)
	sub.do("SUBSCRIBE", "ch")
	start := time.Now()
	idle.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := idle.nc.Read(make([]byte, 16)); err == nil {
		t.Fatal("idle connection got data instead of being closed")
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("idle connection was not closed within 5s")
	}
	if el := time.Since(start); el < 900*time.Millisecond {
		t.Fatalf("closed after %v, before the 1s timeout", el)
	}
	if got := dialResp(t, addr).do("PUBLISH", "ch", "hi"); got != ":1\r\n" {
		t.Fatalf("subscriber was closed: PUBLISH replied %q", got)
	}
	// With the timeout lifted, a connection armed earlier stays open.
	armed := dialResp(t, addr)
	armed.do("PING")
	dialResp(t, addr).do("CONFIG", "SET", "timeout", "0")
	armed.do("PING") // re-arms: the deadline is cleared
	time.Sleep(1500 * time.Millisecond)
	if got := armed.do("PING"); got != "+PONG\r\n" {
		t.Fatalf("PING after timeout 0: %q", got)
	}
}
