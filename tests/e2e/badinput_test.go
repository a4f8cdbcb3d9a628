package e2e_test

// Bad input over the wire: malformed RESP, oversized bulks, a query buffer
// past its limit, random garbage. Each must get Redis's error or a closed
// connection — and the server must stay up and answer everyone else.

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vireodb/vireo/tests/harness"
)

// expectClosed reads until EOF, failing if the server keeps the
// connection open.
func expectClosed(t *testing.T, conn net.Conn) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	// A close with unread input arrives as a reset: also a close.
	if _, err := io.ReadAll(conn); err != nil && !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("connection not closed by the server: %v", err)
	}
}

func dial(t *testing.T, srv *harness.Server) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", srv.Addr(), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// readLine reads one reply line (the first CRLF-terminated line).
func readLine(t *testing.T, conn net.Conn) string {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var b []byte
	one := make([]byte, 1)
	for !bytes.HasSuffix(b, []byte("\r\n")) {
		if _, err := conn.Read(one); err != nil {
			t.Fatalf("reading reply (got %q): %v", b, err)
		}
		b = append(b, one[0])
	}
	return string(b)
}

func TestMalformedRESPClosesOnlyThatConnection(t *testing.T) {
	srv := harness.StartVireo(t)
	other := srv.Raw(t)
	cases := map[string]string{
		"*1\r\n$x\r\n":                 "-ERR Protocol error: invalid bulk length\r\n",
		"*x\r\n":                       "-ERR Protocol error: invalid multibulk length\r\n",
		"*1\r\n:5\r\n":                 "-ERR Protocol error: expected '$', got ':'\r\n",
		"*1\r\n$-3\r\n":                "-ERR Protocol error: invalid bulk length\r\n",
		"SET \"unterminated\r\n":       "-ERR Protocol error: unbalanced quotes in request\r\n",
		"*3000000000\r\n":              "-ERR Protocol error: invalid multibulk length\r\n",
		"PING\r\n*1\r\n$y\r\nPING\r\n": "+PONG\r\n-ERR Protocol error: invalid bulk length\r\n",
	}
	for in, want := range cases {
		conn := dial(t, srv)
		if _, err := conn.Write([]byte(in)); err != nil {
			t.Fatal(err)
		}
		got := ""
		for len(got) < len(want) {
			got += readLine(t, conn)
		}
		if got != want {
			t.Errorf("%q: got %q want %q", in, got, want)
		}
		expectClosed(t, conn)
	}
	if got := other.DoString("PING"); got != "+PONG\r\n" {
		t.Fatalf("other client after protocol errors: %q", got)
	}
}

func TestBulkOverProtoMaxBulkLen(t *testing.T) {
	srv := harness.StartVireo(t, "--proto-max-bulk-len", "1mb")
	conn := dial(t, srv)
	conn.Write([]byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n"))
	if got := readLine(t, conn); got != "-ERR Protocol error: invalid bulk length\r\n" {
		t.Fatalf("got %q", got)
	}
	expectClosed(t, conn)
	// Exactly the limit is accepted.
	ok := dial(t, srv)
	val := strings.Repeat("v", 1<<20)
	ok.Write([]byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048576\r\n" + val + "\r\n"))
	if got := readLine(t, ok); got != "+OK\r\n" {
		t.Fatalf("SET of exactly proto-max-bulk-len: %q", got)
	}
	// SETRANGE/APPEND past the limit get Redis's error, not a huge string.
	if got := srv.Raw(t).DoString("SETRANGE", "k", "1048576", "x"); got != "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n" {
		t.Fatalf("SETRANGE past the limit: %q", got)
	}
}

func TestQueryBufferLimitDisconnects(t *testing.T) {
	srv := harness.StartVireo(t, "--client-query-buffer-limit", "1mb")
	conn := dial(t, srv)
	// Announce a 100 MB argument, then keep sending: the server must drop
	// the client once its buffered query passes 1 MB.
	conn.Write([]byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000000\r\n"))
	chunk := bytes.Repeat([]byte("x"), 64*1024)
	closed := false
	for i := 0; i < 64; i++ { // up to 4 MB
		conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if _, err := conn.Write(chunk); err != nil {
			closed = true
			break
		}
	}
	if !closed {
		expectClosed(t, conn)
	}
	if got := srv.Raw(t).DoString("PING"); got != "+PONG\r\n" {
		t.Fatalf("server after a client hit the query buffer limit: %q", got)
	}
	if got := srv.Raw(t).DoString("EXISTS", "k"); got != ":0\r\n" {
		t.Fatalf("the oversized SET must not have happened: %q", got)
	}
}

func TestUnauthenticatedLimits(t *testing.T) {
	srv := harness.StartVireo(t, "--requirepass", "secret")
	conn := dial(t, srv)
	conn.Write([]byte("*1\r\n$20000\r\n"))
	if got := readLine(t, conn); got != "-ERR Protocol error: invalid bulk length\r\n" {
		t.Fatalf("large bulk before AUTH: %q", got)
	}
	expectClosed(t, conn)
	c := srv.Raw(t)
	if got := c.DoString("GET", "k"); got != "-NOAUTH Authentication required.\r\n" {
		t.Fatalf("GET before AUTH: %q", got)
	}
	if got := c.DoString("AUTH", "secret"); got != "+OK\r\n" {
		t.Fatalf("AUTH: %q", got)
	}
}

// TestRandomGarbage throws random bytes at fresh connections; whatever each
// gets back, the server must survive (the harness fails the test if the
// process panics or exits).
func TestRandomGarbage(t *testing.T) {
	srv := harness.StartVireo(t)
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("*$:+-\r\n0123456789abcSETGEPINGxyz \"'\\")
	for i := 0; i < 300; i++ {
		conn, err := net.DialTimeout("tcp", srv.Addr(), 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		n := 1 + rng.IntN(200)
		b := make([]byte, n)
		for j := range b {
			if rng.IntN(4) == 0 {
				b[j] = byte(rng.IntN(256))
			} else {
				b[j] = alphabet[rng.IntN(len(alphabet))]
			}
		}
		conn.Write(b)
		conn.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		io.Copy(io.Discard, conn)
		conn.Close()
	}
	if got := srv.Raw(t).DoString("PING"); got != "+PONG\r\n" {
		t.Fatalf("server after garbage: %q", got)
	}
}
