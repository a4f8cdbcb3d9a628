package harness

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

const (
	readyTimeout = 10 * time.Second
	stopGrace    = 3 * time.Second
	startTries   = 5 // a port found free can be taken before the server binds it
)

// crashMarkers are the output lines that mean a Go server crashed or raced.
var crashMarkers = []string{"panic:", "fatal error:", "WARNING: DATA RACE"}

// Server is a server process started for one test.
type Server struct {
	t    testing.TB
	name string // "vireo" or "redis", for messages
	bin  string
	args []string // arguments after the port/dir ones, kept for Restart
	dir  string
	port int

	cmd    *exec.Cmd
	output *outputBuffer
	exited chan struct{} // closed when the process has exited
	err    error         // the process's exit status, valid after exited

	mu       sync.Mutex
	stopping bool // set before a deliberate stop, so the exit is not reported
}

// StartVireo starts the Vireo binary (see BuildVireo) with
// `--port N --bind 127.0.0.1 --dir DIR --enable-debug-command yes` followed
// by extraArgs (a first extra argument not starting with "--" is a config
// file and goes before all the others), waits until it answers PING and stops it when the test ends.
func StartVireo(t testing.TB, extraArgs ...string) *Server {
	t.Helper()
	bin := BuildVireo(t)
	return start(t, "vireo", bin, nil, extraArgs)
}

// StartRedis starts the reference redis-server (from $REDIS_SERVER or PATH)
// without persistence, like StartVireo.
func StartRedis(t testing.TB, extraArgs ...string) *Server {
	t.Helper()
	bin := os.Getenv("REDIS_SERVER")
	if bin == "" {
		bin = "redis-server"
	}
	path, err := exec.LookPath(bin)
	if err != nil {
		t.Fatalf("harness: %s not found (%v): run `make test`, which installs redis-server, or set REDIS_SERVER", bin, err)
	}
	return start(t, "redis", path, []string{"--save", "", "--appendonly", "no"}, extraArgs)
}

func start(t testing.TB, name, bin string, fixedArgs, extraArgs []string) *Server {
	t.Helper()
	dir := t.TempDir()
	// A config file (a first extra argument not starting with "--") stays
	// first; launch puts it before the port and dir overrides.
	var args []string
	if len(extraArgs) > 0 && !strings.HasPrefix(extraArgs[0], "--") {
		args, extraArgs = extraArgs[:1], extraArgs[1:]
	}
	args = append(args, "--enable-debug-command", "yes")
	args = append(append(args, fixedArgs...), extraArgs...)
	var lastErr error
	for range startTries {
		port, err := freePort()
		if err != nil {
			t.Fatalf("harness: %v", err)
		}
		s := &Server{t: t, name: name, bin: bin, args: args, dir: dir, port: port}
		err = s.launch()
		if err == nil {
			t.Cleanup(s.cleanup)
			return s
		}
		lastErr = err
		if !strings.Contains(s.output.String(), "in use") {
			break
		}
	}
	t.Fatalf("harness: start %s: %v", name, lastErr)
	return nil
}

// freePort asks the kernel for a free loopback port. The listener is closed
// before the server binds the port, so start retries if it was taken.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("harness: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// FreePort is a free loopback port for a test's own listener (e.g. a
// tls-port); like freePort, it can be taken before it is bound.
func FreePort(t testing.TB) int {
	t.Helper()
	p, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// launch starts the process and waits until it answers PING. On failure the
// process is killed and the error carries its output.
func (s *Server) launch() error {
	args := []string{"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--dir", s.dir}
	if len(s.args) > 0 && !strings.HasPrefix(s.args[0], "--") {
		// A config file must come first, before the --name value overrides.
		args = append([]string{s.args[0]}, args...)
		args = append(args, s.args[1:]...)
	} else {
		args = append(args, s.args...)
	}
	s.cmd = exec.Command(s.bin, args...)
	s.cmd.Dir = s.dir
	s.output = &outputBuffer{}
	s.cmd.Stdout = s.output
	s.cmd.Stderr = s.output
	s.exited = make(chan struct{})
	s.stopping = false
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("%s %s: %w", s.bin, strings.Join(args, " "), err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(); err != nil {
		s.kill()
		return fmt.Errorf("%s %q: %w\n--- server output ---\n%s", s.bin, args, err, s.output.String())
	}
	return nil
}

func (s *Server) waitReady() error {
	deadline := time.Now().Add(readyTimeout)
	var lastErr error
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("exited before answering PING: %v", s.err)
		default:
		}
		lastErr = ping(s.Addr())
		if lastErr == nil {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("no answer to PING within %v: %v", readyTimeout, lastErr)
}

// ping sends one PING; any reply but -LOADING means the server is serving
// (a -NOAUTH reply still proves it is up).
func ping(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(time.Second))
	if _, err := conn.Write([]byte("*1\r\n$4\r\nPING\r\n")); err != nil {
		return err
	}
	reply, err := ReadReply(bufio.NewReader(conn))
	if err != nil {
		return err
	}
	if bytes.HasPrefix(reply, []byte("-LOADING")) {
		return errors.New("still loading")
	}
	return nil
}

// Addr returns host:port.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// Port returns the TCP port.
func (s *Server) Port() int { return s.port }

// Dir returns the server's working directory (--dir), a per-test temp dir.
func (s *Server) Dir() string { return s.dir }

// PID returns the process id.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Output returns everything the process wrote to stdout and stderr so far
// (the tail of it, when it wrote more than outputLimit).
func (s *Server) Output() string { return s.output.String() }

// Options returns go-redis options for this server with the given protocol
// (2 or 3), for tests that need to set more options than Client does.
func (s *Server) Options(protocol int) *redis.Options {
	return &redis.Options{Addr: s.Addr(), Protocol: protocol}
}

// Client returns a go-redis client speaking protocol 2 or 3, closed when the
// test ends.
func (s *Server) Client(protocol int) *redis.Client {
	c := redis.NewClient(s.Options(protocol))
	s.t.Cleanup(func() { c.Close() })
	return c
}

// Kill9 kills the process with SIGKILL and waits for it to exit, as a crash
// would; the exit is not reported as unexpected.
func (s *Server) Kill9() {
	s.t.Helper()
	s.expectExit()
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
}

// Stop sends SIGTERM and waits for the exit, sending SIGKILL after 3 s.
func (s *Server) Stop() {
	s.t.Helper()
	s.expectExit()
	s.kill()
}

// WaitExit marks an exit as expected (the test sent SHUTDOWN, say) and waits
// for it; it returns the exit status, or an error after timeout.
func (s *Server) WaitExit(timeout time.Duration) error {
	s.expectExit()
	select {
	case <-s.exited:
		return s.err
	case <-time.After(timeout):
		return fmt.Errorf("harness: %s did not exit within %v", s.name, timeout)
	}
}

// Restart starts the same binary again with the same arguments, port and
// dir after the process has been stopped or killed — for persistence tests.
func (s *Server) Restart() {
	s.t.Helper()
	select {
	case <-s.exited:
	default:
		s.t.Fatalf("harness: Restart of %s while it is still running", s.name)
	}
	s.checkCrash()
	if err := s.launch(); err != nil {
		s.t.Fatalf("harness: restart %s: %v", s.name, err)
	}
}

func (s *Server) expectExit() {
	s.mu.Lock()
	s.stopping = true
	s.mu.Unlock()
}

// kill sends SIGTERM, then SIGKILL if the process has not exited after
// stopGrace, and waits for the exit.
func (s *Server) kill() {
	select {
	case <-s.exited:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(stopGrace):
		s.cmd.Process.Signal(syscall.SIGKILL)
		<-s.exited
	}
}

// cleanup stops the server at the end of the test and fails the test if the
// server died on its own or its output shows a crash.
func (s *Server) cleanup() {
	s.mu.Lock()
	stopping := s.stopping
	s.mu.Unlock()
	if !stopping {
		select {
		case <-s.exited:
			s.t.Errorf("harness: %s (port %d) exited unexpectedly: %v\n--- server output ---\n%s",
				s.name, s.port, s.err, s.output.String())
		default:
		}
	}
	s.expectExit()
	s.kill()
	s.checkCrash()
}

func (s *Server) checkCrash() {
	if marker := s.output.crashMarker(); marker != "" {
		s.t.Errorf("harness: %s (port %d) output shows %q\n--- server output ---\n%s",
			s.name, s.port, marker, s.output.String())
	}
}

// outputLimit bounds the output kept per process; crash markers are detected
// as the output arrives, so dropping the head loses none.
const outputLimit = 4 << 20

// outputBuffer collects a process's stdout and stderr.
type outputBuffer struct {
	mu     sync.Mutex
	buf    []byte
	marker string // first crash marker seen
}

func (b *outputBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	// Search the new bytes plus a small overlap, so a marker split across two
	// writes is still found.
	from := max(0, len(b.buf)-32)
	b.buf = append(b.buf, p...)
	if b.marker == "" {
		for _, m := range crashMarkers {
			if bytes.Contains(b.buf[from:], []byte(m)) {
				b.marker = m
				break
			}
		}
	}
	if len(b.buf) > outputLimit {
		b.buf = append([]byte("[...]\n"), b.buf[len(b.buf)-outputLimit/2:]...)
	}
	return len(p), nil
}

func (b *outputBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

func (b *outputBuffer) crashMarker() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.marker
}
