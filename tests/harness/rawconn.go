package harness

import (
	"bufio"
	"net"
	"testing"
	"time"
)

// DefaultReadTimeout bounds how long RawConn waits for one reply.
const DefaultReadTimeout = 5 * time.Second

// RawConn is a client connection that sends RESP built from arguments, or
// raw bytes, and reads exactly one complete reply as raw bytes, so tests can
// compare replies byte for byte. Methods named Try... return I/O errors;
// the others fail the test on them.
type RawConn struct {
	t       testing.TB
	conn    net.Conn
	r       *bufio.Reader
	timeout time.Duration
}

// Raw opens a raw connection to the server, closed when t ends.
func (s *Server) Raw(t testing.TB) *RawConn {
	t.Helper()
	c, err := DialRaw(t, s.Addr())
	if err != nil {
		t.Fatalf("harness: %v", err)
	}
	return c
}

// DialRaw opens a raw connection to addr, closed when t ends.
func DialRaw(t testing.TB, addr string) (*RawConn, error) {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return nil, err
	}
	c := &RawConn{t: t, conn: conn, r: bufio.NewReader(conn), timeout: DefaultReadTimeout}
	t.Cleanup(func() { c.Close() })
	return c, nil
}

// SetReadTimeout changes how long a read waits for a reply.
func (c *RawConn) SetReadTimeout(d time.Duration) { c.timeout = d }

// Do sends a command and returns its reply.
func (c *RawConn) Do(args ...string) []byte {
	c.t.Helper()
	reply, err := c.TryDo(args...)
	if err != nil {
		c.t.Fatalf("harness: raw %q: %v", args, err)
	}
	return reply
}

// DoString is Do returning the reply as a string, convenient in assertions.
func (c *RawConn) DoString(args ...string) string {
	c.t.Helper()
	return string(c.Do(args...))
}

// Send writes a command without reading its reply (for pipelining).
func (c *RawConn) Send(args ...string) {
	c.t.Helper()
	if err := c.TrySendRaw(EncodeCommand(toBytes(args)...)); err != nil {
		c.t.Fatalf("harness: raw send %q: %v", args, err)
	}
}

// SendRaw writes bytes as they are: inline commands, broken protocol.
func (c *RawConn) SendRaw(b []byte) {
	c.t.Helper()
	if err := c.TrySendRaw(b); err != nil {
		c.t.Fatalf("harness: raw send %q: %v", b, err)
	}
}

// Read reads one reply.
func (c *RawConn) Read() []byte {
	c.t.Helper()
	reply, err := c.TryRead()
	if err != nil {
		c.t.Fatalf("harness: raw read: %v", err)
	}
	return reply
}

// TryDo sends a command and reads its reply.
func (c *RawConn) TryDo(args ...string) ([]byte, error) {
	return c.TryDoBytes(toBytes(args)...)
}

// TryDoBytes sends a command with binary arguments and reads its reply.
func (c *RawConn) TryDoBytes(args ...[]byte) ([]byte, error) {
	if err := c.TrySendRaw(EncodeCommand(args...)); err != nil {
		return nil, err
	}
	return c.TryRead()
}

// TrySendRaw writes bytes as they are.
func (c *RawConn) TrySendRaw(b []byte) error {
	c.conn.SetWriteDeadline(time.Now().Add(c.timeout))
	_, err := c.conn.Write(b)
	return err
}

// TryRead reads one reply, waiting at most the read timeout.
func (c *RawConn) TryRead() ([]byte, error) {
	c.conn.SetReadDeadline(time.Now().Add(c.timeout))
	return ReadReply(c.r)
}

// Close closes the connection; closing twice is harmless.
func (c *RawConn) Close() error { return c.conn.Close() }

func toBytes(args []string) [][]byte {
	out := make([][]byte, len(args))
	for i, a := range args {
		out[i] = []byte(a)
	}
	return out
}
