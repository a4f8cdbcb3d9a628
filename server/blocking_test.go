package server

import (
	"bufio"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vireodb/vireo/datatypes/keyspace"
)

// goDo runs line on tc in a goroutine (it may block) and delivers the reply.
func goDo(tc *testClient, line string) <-chan string {
	ch := make(chan string, 1)
	go func() { ch <- tc.do(line) }()
	return ch
}

// waitBlocked waits until n clients are blocked on keys.
func waitBlocked(t *testing.T, s *Server, n int64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for s.BlockedClients() != n {
		if time.Now().After(deadline) {
			t.Fatalf("blocked clients: %d, want %d", s.BlockedClients(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func recv(t *testing.T, ch <-chan string) string {
	t.Helper()
	select {
	case s := <-ch:
		return s
	case <-time.After(5 * time.Second):
		t.Fatal("no reply")
		return ""
	}
}

func notYet(t *testing.T, ch <-chan string) {
	t.Helper()
	select {
	case s := <-ch:
		t.Fatalf("replied %q while it should block", s)
	case <-time.After(20 * time.Millisecond):
	}
}

func TestBlockingServesFIFOAndPropagatesPlainPops(t *testing.T) {
	srv := newTestServer(t)
	a, b, p := srv.testClient(t), srv.testClient(t), srv.testClient(t)
	fx := recordEffects(p)
	ra := goDo(a, "blpop k other 0")
	waitBlocked(t, srv, 1)
	rb := goDo(b, "brpop k 0")
	waitBlocked(t, srv, 2)
	notYet(t, ra)
	p.expect("rpush k a b c", ":3\r\n")
	if got := recv(t, ra); got != "*2\r\n$1\r\nk\r\n$1\r\na\r\n" {
		t.Errorf("first client got %q", got)
	}
	if got := recv(t, rb); got != "*2\r\n$1\r\nk\r\n$1\r\nc\r\n" {
		t.Errorf("second client got %q", got)
	}
	p.expect("lrange k 0 -1", "*1\r\n$1\r\nb\r\n")
	stream, events := fx.take()
	if want := []string{"SELECT 0", "rpush k a b c", "LPOP k", "RPOP k"}; !slices.Equal(stream, want) {
		t.Errorf("propagated %q, want %q", stream, want)
	}
	if want := []string{"rpush:k", "lpop:k", "rpop:k"}; !slices.Equal(events, want) {
		t.Errorf("events %q, want %q", events, want)
	}
	waitBlocked(t, srv, 0)
	if srv.ks.BlockingKeys() != 0 {
		t.Errorf("blocking keys left: %d", srv.ks.BlockingKeys())
	}
}

func TestBlockingWokenAfterExec(t *testing.T) {
	srv := newTestServer(t)
	a, p := srv.testClient(t), srv.testClient(t)
	fx := recordEffects(p)
	ra := goDo(a, "blmpop 0 2 m n left count 5")
	waitBlocked(t, srv, 1)
	p.do("multi")
	p.do("lpush n x")
	p.do("lpush n y")
	// The blocked client must see the transaction's end state, not x alone.
	p.expect("exec", "*2\r\n:1\r\n:2\r\n")
	if got := recv(t, ra); got != "*2\r\n$1\r\nn\r\n*2\r\n$1\r\ny\r\n$1\r\nx\r\n" {
		t.Errorf("blocked client got %q", got)
	}
	stream, _ := fx.take()
	if want := []string{"SELECT 0", "MULTI", "lpush n x", "lpush n y", "EXEC", "LPOP n 2"}; !slices.Equal(stream, want) {
		t.Errorf("propagated %q, want %q", stream, want)
	}
}

func TestBlockingMoveChain(t *testing.T) {
	srv := newTestServer(t)
	a, b, d, p := srv.testClient(t), srv.testClient(t), srv.testClient(t), srv.testClient(t)
	fx := recordEffects(p)
	ra := goDo(a, "blmove l1 l2 left right 0")
	waitBlocked(t, srv, 1)
	rb := goDo(b, "brpoplpush l2 l3 0")
	waitBlocked(t, srv, 2)
	rd := goDo(d, "blpop l3 0")
	waitBlocked(t, srv, 3)
	p.expect("rpush l1 hop", ":1\r\n")
	for _, ch := range []<-chan string{ra, rb} {
		if got := recv(t, ch); got != "$3\r\nhop\r\n" {
			t.Errorf("mover got %q", got)
		}
	}
	if got := recv(t, rd); got != "*2\r\n$2\r\nl3\r\n$3\r\nhop\r\n" {
		t.Errorf("last client got %q", got)
	}
	p.expect("exists l1 l2 l3", ":0\r\n")
	stream, _ := fx.take()
	want := []string{"SELECT 0", "rpush l1 hop", "LMOVE l1 l2 left right", "RPOPLPUSH l2 l3", "LPOP l3"}
	if !slices.Equal(stream, want) {
		t.Errorf("propagated %q, want %q", stream, want)
	}
}

func TestBlockingTimeoutsAndDeniedBlocking(t *testing.T) {
	c := newTestClient(t)
	start := time.Now()
	c.expect("blpop k 0.05", "*-1\r\n")
	if d := time.Since(start); d < 40*time.Millisecond || d > 2*time.Second {
		t.Errorf("0.05 s timeout took %v", d)
	}
	c.expect("blmove k d left left 0.01", "*-1\r\n") // as redis-server 7.0.15
	c.expect("blmpop 0.01 1 k left", "*-1\r\n")
	// Inside MULTI the blocking forms answer at once.
	c.do("multi")
	c.do("blpop k 0")
	c.do("blmove k d left left 0")
	c.expect("exec", "*2\r\n*-1\r\n$-1\r\n")
	// A script (scripting sets block.deny) likewise.
	c.c.block.deny = true
	c.expect("brpop k 0", "*-1\r\n")
	c.c.block.deny = false
	c.do("hello 3")
	c.expect("blpop k 0.01", "_\r\n")
	if c.srv.BlockedClients() != 0 {
		t.Errorf("blocked clients after timeouts: %d", c.srv.BlockedClients())
	}
}

func TestClientUnblock(t *testing.T) {
	srv := newTestServer(t)
	a := srv.testClient(t)
	if srv.UnblockClient(a.c.id, false) {
		t.Error("unblocked a client that is not blocked")
	}
	ra := goDo(a, "blpop k 0")
	waitBlocked(t, srv, 1)
	if !srv.UnblockClient(a.c.id, false) {
		t.Fatal("UnblockClient failed")
	}
	if got := recv(t, ra); got != "*-1\r\n" {
		t.Errorf("unblocked with TIMEOUT: %q", got)
	}
	ra = goDo(a, "blmove k d left left 0")
	waitBlocked(t, srv, 1)
	if !srv.UnblockClient(a.c.id, true) {
		t.Fatal("UnblockClient ERROR failed")
	}
	if got := recv(t, ra); got != "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n" {
		t.Errorf("unblocked with ERROR: %q", got)
	}
	waitBlocked(t, srv, 0)
	// The client is usable again and nothing is left queued on k.
	p := srv.testClient(t)
	p.expect("rpush k v", ":1\r\n")
	a.expect("lpop k", "$1\r\nv\r\n")
}

// TestBlockedClientDisconnects: a client that goes away while blocked leaves
// the queues, and the next client gets the element.
func TestBlockedClientDisconnects(t *testing.T) {
	srv := newTestServer(t)
	end, peer := net.Pipe()
	gone := srv.newClient(end)
	done := make(chan struct{})
	go func() {
		gone.clock = time.Now()
		gone.run([][]byte{[]byte("blpop"), []byte("q"), []byte("0")})
		close(done)
	}()
	waitBlocked(t, srv, 1)
	b := srv.testClient(t)
	rb := goDo(b, "blpop q 0")
	waitBlocked(t, srv, 2)
	peer.Close()
	<-done
	if !gone.closeAfterReply || len(gone.out) != 0 {
		t.Errorf("disconnected client: closeAfterReply %v, reply %q", gone.closeAfterReply, gone.out)
	}
	waitBlocked(t, srv, 1)
	srv.testClient(t).expect("rpush q 1", ":1\r\n")
	if got := recv(t, rb); got != "*2\r\n$1\r\nq\r\n$1\r\n1\r\n" {
		t.Errorf("remaining client got %q", got)
	}
}

// TestBlockingOverTCP runs through the real connection loop: replies to
// commands pipelined before the blocking one arrive while it waits, the
// commands pipelined after it (and those sent while it waits) run once it is
// served, and a client that closes while blocked is dropped.
func TestBlockingOverTCP(t *testing.T) {
	srv := newTestServer(t, "--port", "0", "--bind", "127.0.0.1")
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	dial := func() (net.Conn, *bufio.Reader) {
		conn, err := net.Dial("tcp", srv.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		return conn, bufio.NewReader(conn)
	}
	read := func(r *bufio.Reader, n int) string {
		var b strings.Builder
		for range n {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(line)
		}
		return b.String()
	}
	a, ar := dial()
	p, pr := dial()
	a.Write([]byte("PING\r\nBLPOP k 0\r\nECHO after\r\n"))
	if got := read(ar, 1); got != "+PONG\r\n" {
		t.Fatalf("reply before blocking: %q", got)
	}
	waitBlocked(t, srv, 1)
	a.Write([]byte("ECHO later\r\n"))
	time.Sleep(20 * time.Millisecond)
	p.Write([]byte("RPUSH k v\r\n"))
	if got := read(pr, 1); got != ":1\r\n" {
		t.Fatalf("push: %q", got)
	}
	if got := read(ar, 9); got != "*2\r\n$1\r\nk\r\n$1\r\nv\r\n$5\r\nafter\r\n$5\r\nlater\r\n" {
		t.Fatalf("after serving: %q", got)
	}
	// Closing while blocked.
	c, _ := dial()
	c.Write([]byte("BLPOP z 0\r\n"))
	waitBlocked(t, srv, 1)
	c.Close()
	waitBlocked(t, srv, 0)
}

// TestBlockingStress: many clients pop what many pushers push, every element
// exactly once, under the race detector.
func TestBlockingStress(t *testing.T) {
	srv := newTestServer(t)
	const poppers, perPopper = 8, 25
	var wg sync.WaitGroup
	got := make(chan string, poppers*perPopper)
	for i := range poppers {
		c := srv.testClient(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range perPopper {
				var reply string
				switch i % 3 {
				case 0:
					reply = c.do("blpop s1 s2 0")
				case 1:
					reply = c.do("brpop s2 s1 0")
				default:
					reply = c.do("blmpop 0 2 s1 s2 left")
				}
				got <- reply[strings.LastIndex(reply[:len(reply)-2], "\n")+1 : len(reply)-2]
			}
		}()
	}
	for i := range 4 {
		c := srv.testClient(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range poppers * perPopper / 4 {
				key := []string{"s1", "s2"}[j%2]
				c.do("rpush " + key + " v" + string(rune('a'+i)) + strings.Repeat("x", j%7) + "_" + strconv.Itoa(j))
			}
		}()
	}
	wg.Wait()
	close(got)
	seen := map[string]bool{}
	for v := range got {
		if seen[v] {
			t.Fatalf("element %q popped twice", v)
		}
		seen[v] = true
	}
	if len(seen) != poppers*perPopper {
		t.Fatalf("popped %d distinct elements, want %d", len(seen), poppers*perPopper)
	}
	if srv.BlockedClients() != 0 || srv.ks.HasReady() {
		t.Fatalf("left blocked %d, ready %v", srv.BlockedClients(), srv.ks.HasReady())
	}
}

func TestBlockTimeoutParsing(t *testing.T) {
	cases := []struct {
		arg  string
		ms   int64
		errT string
	}{
		{"0", 0, ""}, {"1", 1000, ""}, {"0.1", 100, ""}, {"0.001", 1, ""}, {"0.0001", 1, ""},
		{"1e-10", 1, ""}, {"0.0015", 2, ""}, {"-0", 0, ""}, {"-0.0001", 0, ""}, {"+1", 1000, ""}, {".5", 500, ""},
		{"5.", 5000, ""}, {"1e+1", 10000, ""}, {"0x10", 16000, ""}, {"0x1p-2", 250, ""}, {"0x.8", 500, ""},
		{"1e15", 1e18, ""},
		{"abc", 0, errTimeoutNotFloat}, {"nan", 0, errTimeoutNotFloat}, {" 1", 0, errTimeoutNotFloat},
		{"1 ", 0, errTimeoutNotFloat}, {"", 0, errTimeoutNotFloat}, {"1_0", 0, errTimeoutNotFloat},
		{"0x_10", 0, errTimeoutNotFloat}, {"1e", 0, errTimeoutNotFloat}, {"1e5000", 0, errTimeoutNotFloat},
		{"1e-5000", 0, errTimeoutNotFloat},
		{"-1", 0, errTimeoutNegative}, {"inf", 0, errTimeoutNegative}, {"-inf", 0, errTimeoutNegative},
		{"infinity", 0, errTimeoutNegative}, {"1e400", 0, errTimeoutNegative}, {"1e16", 0, errTimeoutNegative},
		{"9223372036854775807", 0, errTimeoutNegative}, {"9.3e15", 0, errTimeoutNegative},
		{"-0.5", 0, errTimeoutNegative},
	}
	for _, tc := range cases {
		ms, errT := blockTimeoutMS([]byte(tc.arg))
		if ms != tc.ms || errT != tc.errT {
			t.Errorf("timeout %q: %d %q, want %d %q", tc.arg, ms, errT, tc.ms, tc.errT)
		}
	}
}

func TestClientUnblockCommand(t *testing.T) {
	srv := newTestServer(t)
	a, c := srv.testClient(t), srv.testClient(t)
	c.expect("client unblock x foo", "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n")
	c.expect("client unblock x timeout", "-ERR value is not an integer or out of range\r\n")
	c.expect("client unblock 1 TIMEOUT 2", "-ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.\r\n")
	c.expect("client unblock", "-ERR wrong number of arguments for 'client|unblock' command\r\n")
	c.expect("client unblock 99999", ":0\r\n")
	id := strconv.FormatInt(a.c.id, 10)
	c.expect("client unblock "+id, ":0\r\n")
	ra := goDo(a, "brpop k 0")
	waitBlocked(t, srv, 1)
	if got := c.do("info clients"); !strings.Contains(got, "blocked_clients:1\r\n") {
		t.Errorf("INFO while blocked: %q", got)
	}
	c.expect("client unblock "+id+" error", ":1\r\n")
	if got := recv(t, ra); got != "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n" {
		t.Errorf("unblocked client got %q", got)
	}
	waitBlocked(t, srv, 0)
	if got := c.do("info clients"); !strings.Contains(got, "blocked_clients:0\r\n") {
		t.Errorf("INFO after: %q", got)
	}
}

// TestBlockingIsGeneric drives the blocking machinery with a made-up command
// the way another family would (BZPOPMIN, XREAD BLOCK): it waits for a value
// of its own type, keeps data for its retry, and is offered only keys holding
// that type.
func TestBlockingIsGeneric(t *testing.T) {
	srv := newTestServer(t)
	srv.table.Add(&Command{Name: "xwait", Arity: 2, Flags: FlagWrite | FlagBlocking, FirstKey: 1, LastKey: 1, KeyStep: 1,
		Handler: func(c *Ctx, args [][]byte) {
			if e := c.LookupWrite(args[1]); e != nil && e.Type == keyspace.TypeString {
				data, _ := c.blockData().(string)
				c.BulkString(string(e.Str) + "|" + data)
				return
			}
			c.blockOnData(args[1:], keyspace.TypeString, 0, (*Ctx).NullArray, "kept")
		}},
		&Command{Name: "xsignal", Arity: 2, Flags: FlagWrite, FirstKey: 1, LastKey: 1, KeyStep: 1,
			Handler: func(c *Ctx, args [][]byte) { c.db.SignalReady(args[1]); c.OK() }})
	a, p := srv.testClient(t), srv.testClient(t)
	ra := goDo(a, "xwait k")
	waitBlocked(t, srv, 1)
	p.do("rpush k x") // a list: readies the key, but this waiter wants a string
	notYet(t, ra)
	p.do("del k")
	p.do("set k v")
	notYet(t, ra) // a string Put does not signal by itself
	p.do("xsignal k")
	if got := recv(t, ra); got != "$6\r\nv|kept\r\n" {
		t.Errorf("generic waiter got %q", got)
	}
	p.expect("xwait k", "$2\r\nv|\r\n") // no retry: no data
}

func TestParseTimeoutMS(t *testing.T) {
	c := newTestClient(t)
	for arg, want := range map[string]string{"x": "-ERR timeout is not an integer or out of range\r\n", "-1": "-ERR timeout is negative\r\n", "1.5": "-ERR timeout is not an integer or out of range\r\n"} {
		c.c.out = c.c.out[:0]
		if _, ok := c.c.parseTimeoutMS([]byte(arg)); ok || string(c.c.out) != want {
			t.Errorf("%q: ok=%v reply %q", arg, ok, c.c.out)
		}
	}
	if v, ok := c.c.parseTimeoutMS([]byte("1500")); !ok || v != 1500 {
		t.Errorf("1500: %d %v", v, ok)
	}
}
