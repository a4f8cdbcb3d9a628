package server

// Test helpers for the tests that need real sockets: a Vireo server on a
// loopback port, a real redis-server to compare with (the tests that use it
// skip when /usr/bin/redis-server is missing), and a minimal RESP client
// that returns raw replies.

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

const redisServerPath = "/usr/bin/redis-server"

// startVireo starts a server on a free loopback port; overrides are
// "--name value" config arguments.
func startVireo(t testing.TB, overrides ...string) *Server {
	t.Helper()
	s := newTestServer(t, append([]string{"--port", "0", "--bind", "127.0.0.1"}, overrides...)...)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// startRedis starts the real redis-server on a free loopback port and
// returns its address; it skips the test when redis-server is missing.
func startRedis(t testing.TB, extra ...string) string {
	t.Helper()
	if _, err := os.Stat(redisServerPath); err != nil {
		t.Skip("redis-server not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	args := append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--daemonize", "no", "--enable-debug-command", "yes", "--dir", t.TempDir()}, extra...)
	cmd := exec.Command(redisServerPath, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := "127.0.0.1:" + strconv.Itoa(port)
	for i := 0; i < 200; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("redis-server did not start on %s", addr)
	return ""
}

// respConn is a minimal RESP client returning raw replies.
type respConn struct {
	t  testing.TB
	nc net.Conn
	r  *bufio.Reader
}

func dialResp(t testing.TB, addr string) *respConn {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	return &respConn{t: t, nc: nc, r: bufio.NewReader(nc)}
}

// send writes one command without reading its reply.
func (rc *respConn) send(args ...string) {
	rc.t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := rc.nc.Write([]byte(b.String())); err != nil {
		rc.t.Fatalf("write %q: %v", args, err)
	}
}

// read reads one raw reply; err is set when the connection failed.
func (rc *respConn) read() (string, error) {
	rc.nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	var b strings.Builder
	err := readRawReply(rc.r, &b)
	return b.String(), err
}

// do sends a command and returns its raw reply.
func (rc *respConn) do(args ...string) string {
	rc.t.Helper()
	rc.send(args...)
	s, err := rc.read()
	if err != nil {
		rc.t.Fatalf("%q: %v", args, err)
	}
	return s
}

func readRawReply(r *bufio.Reader, b *strings.Builder) error {
	line, err := r.ReadString('\n')
	if err != nil {
		return err
	}
	b.WriteString(line)
	if len(line) < 3 {
		return fmt.Errorf("short line %q", line)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
	switch line[0] {
	case '$', '=', '!':
		if n < 0 {
			return nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return err
		}
		b.Write(buf)
	case '*', '~', '>':
		for i := 0; i < n; i++ {
			if err := readRawReply(r, b); err != nil {
				return err
			}
		}
	case '%', '|':
		for i := 0; i < 2*n; i++ {
			if err := readRawReply(r, b); err != nil {
				return err
			}
		}
	}
	return nil
}

// bulkBody returns the payload of a raw bulk or verbatim reply.
func bulkBody(t testing.TB, raw string) string {
	t.Helper()
	i := strings.Index(raw, "\r\n")
	if i < 0 || (raw[0] != '$' && raw[0] != '=') || !strings.HasSuffix(raw, "\r\n") {
		t.Fatalf("not a bulk reply: %q", raw)
	}
	body := raw[i+2 : len(raw)-2]
	if raw[0] == '=' {
		body = body[4:]
	}
	return body
}

// bufioReaderOf reads a string as a reply stream.
func bufioReaderOf(s string) *bufio.Reader { return bufio.NewReader(strings.NewReader(s)) }
