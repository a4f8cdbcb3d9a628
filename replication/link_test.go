package replication

import (
	"bufio"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeApplier records what the link hands the server.
type fakeApplier struct {
	mu      sync.Mutex
	b       *Backlog
	payload []string
	applied []string
}

func (a *fakeApplier) Load(r io.Reader, replID string, offset int64) error {
	p, err := io.ReadAll(r)
	if err == nil {
		a.b.ResetTo(replID, offset)
	}
	a.mu.Lock()
	a.payload = append(a.payload, string(p))
	a.mu.Unlock()
	return err
}

func (a *fakeApplier) Apply(argv [][]byte, raw []byte) {
	var parts []string
	for _, x := range argv {
		parts = append(parts, string(x))
	}
	a.mu.Lock()
	a.applied = append(a.applied, strings.Join(parts, " "))
	a.mu.Unlock()
	a.b.Write(raw)
}

func (a *fakeApplier) snapshot() ([]string, []string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.payload...), append([]string(nil), a.applied...)
}

// fakePrimary accepts replica connections and hands each to serve.
func fakePrimary(t *testing.T, serve func(n int, r *CommandReader, w net.Conn)) (host string, port int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for n := 0; ; n++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(n int) {
				defer c.Close()
				serve(n, NewCommandReader(bufio.NewReader(c)), c)
			}(n)
		}
	}()
	addr := ln.Addr().(*net.TCPAddr)
	return "127.0.0.1", addr.Port
}

// expect reads one command and checks it.
func expect(t *testing.T, r *CommandReader, want string) bool {
	argv, _, err := r.Read()
	if err != nil {
		t.Errorf("reading %q: %v", want, err)
		return false
	}
	var parts []string
	for _, x := range argv {
		parts = append(parts, string(x))
	}
	if got := strings.Join(parts, " "); got != want {
		t.Errorf("replica sent %q, want %q", got, want)
		return false
	}
	return true
}

func cmd(args ...string) string { return string(AppendCommand(nil, args...)) }

// TestLinkFullThenPartial runs the whole replica protocol against a fake
// primary: handshake with AUTH, a diskless full sync, the first ACK, the
// stream, GETACK; then the primary drops the link and the replica comes
// back with PSYNC <id> <offset+1> and continues.
func TestLinkFullThenPartial(t *testing.T) {
	id := strings.Repeat("a", 40)
	mark := strings.Repeat("z", 40)
	stream := cmd("SELECT", "0") + cmd("SET", "k", "v")
	acks := make(chan string, 10)
	host, port := fakePrimary(t, func(n int, r *CommandReader, w net.Conn) {
		if !expect(t, r, "PING") {
			return
		}
		w.Write([]byte("+PONG\r\n"))
		if !expect(t, r, "AUTH user secret") {
			return
		}
		w.Write([]byte("+OK\r\n"))
		if !expect(t, r, "REPLCONF listening-port 6390") {
			return
		}
		w.Write([]byte("+OK\r\n"))
		if !expect(t, r, "REPLCONF capa eof capa psync2") {
			return
		}
		w.Write([]byte("+OK\r\n"))
		if n == 0 {
			if !expect(t, r, "PSYNC ? -1") {
				return
			}
			w.Write([]byte("+FULLRESYNC " + id + " 100\r\n\n$EOF:" + mark + "\r\nREDIS-PAYLOAD" + mark))
			if !expect(t, r, "REPLCONF ACK 100") { // the first ACK, before any stream
				return
			}
			w.Write([]byte(stream + cmd("PING") + cmd("REPLCONF", "GETACK", "*")))
			argv, _, err := r.Read()
			if err == nil {
				acks <- string(argv[2])
			}
			return // drop the link
		}
		want := "PSYNC " + id + " " + strconv.Itoa(100+len(stream)+len(cmd("PING"))+len(cmd("REPLCONF", "GETACK", "*"))+1)
		if !expect(t, r, want) {
			return
		}
		w.Write([]byte("+CONTINUE " + id + "\r\n" + cmd("INCR", "n")))
		io.Copy(io.Discard, w)
	})
	b := NewBacklog(1<<10, "")
	app := &fakeApplier{b: b}
	l := NewLink(LinkConfig{Host: host, Port: port, User: "user", Auth: "secret", ListeningPort: 6390,
		Timeout: 5 * time.Second, Backlog: b, Applier: app})
	go l.Run()
	defer l.Stop()

	select {
	case ack := <-acks:
		if want := strconv.Itoa(100 + len(stream) + len(cmd("PING"))); ack != want {
			t.Fatalf("GETACK answered %s, want %s (the offset before the GETACK)", ack, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no ACK to GETACK")
	}
	waitFor(t, func() bool { _, applied := app.snapshot(); return len(applied) == 5 })
	payload, applied := app.snapshot()
	if len(payload) != 1 || payload[0] != "REDIS-PAYLOAD" {
		t.Fatalf("payload %q", payload)
	}
	want := []string{"SELECT 0", "SET k v", "PING", "REPLCONF GETACK *", "INCR n"}
	if strings.Join(applied[:5], "|") != strings.Join(want, "|") {
		t.Fatalf("applied %q, want %q", applied, want)
	}
	if inf := b.Info(); inf.ReplID != id || inf.Offset != int64(100+len(stream)+len(cmd("PING"))+len(cmd("REPLCONF", "GETACK", "*"))+len(cmd("INCR", "n"))) {
		t.Fatalf("backlog after the partial resync: %+v", inf)
	}
	if l.State() != LinkConnected {
		t.Fatalf("state %v", l.State())
	}
}

// With FsyncedOffset set, every ACK carries FACK <offset> (Redis 7.2),
// none while it is negative; SendAck sends one only while streaming.
func TestLinkAckCarriesFACK(t *testing.T) {
	id := strings.Repeat("b", 40)
	got := make(chan string, 10)
	host, port := fakePrimary(t, func(n int, r *CommandReader, w net.Conn) {
		for _, want := range []string{"PING", "REPLCONF listening-port 1", "REPLCONF capa eof capa psync2", "PSYNC ? -1"} {
			if !expect(t, r, want) {
				return
			}
			if want != "PSYNC ? -1" {
				w.Write([]byte("+OK\r\n"))
			}
		}
		w.Write([]byte("+FULLRESYNC " + id + " 7\r\n$3\r\nabc"))
		w.Write([]byte(cmd("REPLCONF", "GETACK", "*")))
		for {
			argv, _, err := r.Read()
			if err != nil {
				return
			}
			var parts []string
			for _, x := range argv {
				parts = append(parts, string(x))
			}
			got <- strings.Join(parts, " ")
		}
	})
	b := NewBacklog(1<<10, "")
	var mu sync.Mutex
	fsynced := int64(-1)
	l := NewLink(LinkConfig{Host: host, Port: port, ListeningPort: 1, Timeout: 5 * time.Second, Backlog: b,
		Applier: &fakeApplier{b: b}, FsyncedOffset: func() int64 { mu.Lock(); defer mu.Unlock(); return fsynced }})
	l.SendAck() // not connected: nothing is sent
	go l.Run()
	defer l.Stop()
	next := func() string {
		t.Helper()
		select {
		case s := <-got:
			return s
		case <-time.After(5 * time.Second):
			t.Fatal("no ACK")
			return ""
		}
	}
	if s := next(); s != "REPLCONF ACK 7" { // the answer to GETACK
		t.Fatalf("ACK with the AOF off: %q", s)
	}
	end := int64(7 + len(cmd("REPLCONF", "GETACK", "*")))
	waitFor(t, func() bool { return l.State() == LinkConnected && b.Offset() == end })
	mu.Lock()
	fsynced = 5
	mu.Unlock()
	l.SendAck()
	want := "REPLCONF ACK " + strconv.Itoa(7+len(cmd("REPLCONF", "GETACK", "*"))) + " FACK 5"
	if s := next(); s != want {
		t.Fatalf("SendAck sent %q, want %q", s, want)
	}
}
