package server

// The in-process test harness: commands run through the real dispatcher
// against a real keyspace, with no sockets. Replies come back as raw RESP.
//
//	c := newTestClient(t)
//	c.expect("SET k v", "+OK\r\n")
//	c.expect("GET k", "$1\r\nv\r\n")

import (
	"github.com/vireodb/vireo/datatypes/sds"

	"net"
	"strings"
	"testing"
	"time"

	"github.com/vireodb/vireo/server/config"
)

type testClient struct {
	t   testing.TB
	srv *Server
	c   *Ctx
}

// newTestServer builds a server that is not listening.
func newTestServer(t testing.TB, overrides ...string) *Server {
	// Each server gets its own dir: FLUSHALL and SHUTDOWN save dump.rdb
	// there with the default save points.
	args := append([]string{"--vireo-shards", "16", "--enable-debug-command", "yes", "--dir", t.TempDir()}, overrides...)
	cfg, err := config.Load("", args)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return New(cfg)
}

// newTestClient builds a server and one client connected to it.
func newTestClient(t testing.TB) *testClient {
	return newTestServer(t).testClient(t)
}

// testClient adds another client to the same server.
func (s *Server) testClient(t testing.TB) *testClient {
	a, b := net.Pipe()
	t.Cleanup(func() { a.Close(); b.Close() })
	return &testClient{t: t, srv: s, c: s.newClient(a)}
}

// do runs one command line (redis-cli quoting) and returns the raw reply.
func (tc *testClient) do(line string) string {
	tc.t.Helper()
	args, ok := sds.SplitArgs([]byte(line), nil)
	if !ok || len(args) == 0 {
		tc.t.Fatalf("bad command line %q", line)
	}
	return tc.doArgs(args...)
}

// doArgs runs one command given as arguments and returns the raw reply.
func (tc *testClient) doArgs(args ...[]byte) string {
	tc.c.out = tc.c.out[:0]
	tc.c.clock = time.Now()
	tc.c.run(args)
	return string(tc.c.out)
}

// expect runs line and checks the raw reply.
func (tc *testClient) expect(line, want string) {
	tc.t.Helper()
	if got := tc.do(line); got != want {
		tc.t.Errorf("%s\n got: %q\nwant: %q", line, got, want)
	}
}

// expectPrefix runs line and checks the reply starts with want.
func (tc *testClient) expectPrefix(line, want string) {
	tc.t.Helper()
	if got := tc.do(line); !strings.HasPrefix(got, want) {
		tc.t.Errorf("%s\n got: %q\nwant prefix: %q", line, got, want)
	}
}
