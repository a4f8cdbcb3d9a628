package config

// A real redis-server as the oracle for the differential tests. The tests
// that use it skip only when /usr/bin/redis-server is missing.

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

const redisServerPath = "/usr/bin/redis-server"

func needRedisServer(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(redisServerPath); err != nil {
		t.Skip("no " + redisServerPath + ": skipping the comparison with Redis")
	}
}

// redisOracle is a running redis-server and a connection to it.
type redisOracle struct {
	conn net.Conn
	r    *bufio.Reader
	port int
	dir  string // its working directory
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startRedis starts redis-server with args (after --port) on a free
// loopback port and stops it when the test ends.
func startRedis(t *testing.T, args ...string) *redisOracle {
	t.Helper()
	return startRedisConf(t, "", args...)
}

// startRedisConf is startRedis with a configuration file (if conf is not "").
func startRedisConf(t *testing.T, conf string, args ...string) *redisOracle {
	t.Helper()
	needRedisServer(t)
	port := freePort(t)
	var all []string
	if conf != "" {
		all = append(all, conf)
	}
	all = append(all, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--daemonize", "no")
	all = append(all, args...)
	cmd := exec.Command(redisServerPath, all...)
	cmd.Dir = t.TempDir()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	deadline := time.Now().Add(5 * time.Second)
	for {
		conn, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err == nil {
			t.Cleanup(func() { conn.Close() })
			return &redisOracle{conn: conn, r: bufio.NewReader(conn), port: port, dir: cmd.Dir}
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server did not start: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// do sends a command and returns the reply: a string, "-ERR ..." for
// errors, or []any for arrays.
func (o *redisOracle) do(t *testing.T, args ...string) any {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	o.conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := o.conn.Write([]byte(b.String())); err != nil {
		t.Fatal(err)
	}
	v, err := readReply(o.r)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func readReply(r *bufio.Reader) (any, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimSuffix(line, "\r\n")
	if line == "" {
		return nil, errors.New("empty reply line")
	}
	switch line[0] {
	case '+', ':':
		return line[1:], nil
	case '-':
		return line, nil
	case '$':
		n, _ := strconv.Atoi(line[1:])
		if n < 0 {
			return nil, nil
		}
		buf := make([]byte, n+2)
		if _, err := readFull(r, buf); err != nil {
			return nil, err
		}
		return string(buf[:n]), nil
	case '*':
		n, _ := strconv.Atoi(line[1:])
		out := make([]any, 0, max(n, 0))
		for i := 0; i < n; i++ {
			v, err := readReply(r)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	return nil, fmt.Errorf("unexpected reply %q", line)
}

func readFull(r *bufio.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// configGet returns CONFIG GET's reply as a map.
func (o *redisOracle) configGet(t *testing.T, patterns ...string) map[string]string {
	t.Helper()
	reply, ok := o.do(t, append([]string{"CONFIG", "GET"}, patterns...)...).([]any)
	if !ok {
		t.Fatalf("CONFIG GET %v: not an array", patterns)
	}
	m := make(map[string]string)
	for i := 0; i+1 < len(reply); i += 2 {
		m[reply[i].(string)] = reply[i+1].(string)
	}
	return m
}

// setReply is what our Set returns, in the form the oracle's reply takes:
// "OK" or "-ERR ...".
func setReply(err error) string {
	if err == nil {
		return "OK"
	}
	return "-" + err.Error()
}

// redisLoadError starts redis-server on a configuration file holding
// content (plus extra arguments) and returns its fatal error: the line
// number, the offending line and the reason. ok is false when Redis did not
// report a configuration error.
func redisLoadError(t *testing.T, content string, args ...string) (line int, text, why string, ok bool) {
	t.Helper()
	dir := t.TempDir()
	path := dir + "/redis.conf"
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	// Port 0 keeps a Redis that accepts the file from listening on TCP; the
	// timeout stops it.
	cmd := exec.Command("timeout", append([]string{"2", redisServerPath, path, "--port", "0"}, args...)...)
	cmd.Dir = dir
	out, _ := cmd.CombinedOutput()
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "*** FATAL CONFIG FILE ERROR") {
			continue
		}
		rest := lines[i+1:]
		if len(rest) >= 3 && strings.HasPrefix(rest[0], "Reading the configuration file, at line ") {
			n, _ := strconv.Atoi(strings.TrimPrefix(rest[0], "Reading the configuration file, at line "))
			return n, strings.TrimSuffix(strings.TrimPrefix(rest[1], ">>> '"), "'"), rest[2], true
		}
		if len(rest) >= 1 {
			return 0, "", rest[0], true
		}
	}
	return 0, "", "", false
}
