package e2e_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vireodb/vireo/tests/harness"
)

// cliResult is what one redis-cli run printed and how it exited.
type cliResult struct {
	out  string // stdout and stderr together, in order
	code int
}

// runCLI runs redis-cli against port with args, feeding stdin.
func runCLI(t *testing.T, port int, stdin string, args ...string) cliResult {
	t.Helper()
	bin, err := exec.LookPath("redis-cli")
	if err != nil {
		t.Fatalf("redis-cli not found (%v): run `make test`, which installs it", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"-p", strconv.Itoa(port)}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("redis-cli %q timed out; output so far:\n%s", args, out.String())
	case errors.As(err, &exitErr):
		return cliResult{out: out.String(), code: exitErr.ExitCode()}
	case err != nil:
		t.Fatalf("redis-cli %q: %v", args, err)
	}
	return cliResult{out: out.String()}
}

// compareCLI runs the same redis-cli invocation against Vireo and
// redis-server, each flushed first, and fails on any difference.
func compareCLI(t *testing.T, vireo, redis *harness.Server, stdin string, args ...string) cliResult {
	t.Helper()
	var results [2]cliResult
	for i, srv := range []*harness.Server{vireo, redis} {
		if got := srv.Raw(t).DoString("FLUSHALL"); got != "+OK\r\n" {
			t.Fatalf("FLUSHALL = %q", got)
		}
		results[i] = runCLI(t, srv.Port(), stdin, args...)
	}
	if results[0] != results[1] {
		t.Errorf("redis-cli %q with stdin %q differs:\n--- vireo (exit %d) ---\n%s--- redis (exit %d) ---\n%s",
			args, stdin, results[0].code, results[0].out, results[1].code, results[1].out)
	}
	return results[0]
}

// TestCLIArgs runs single commands given as redis-cli arguments.
func TestCLIArgs(t *testing.T) {
	requireCommands(t)
	vireo, redis := harness.StartVireo(t), harness.StartRedis(t)
	for _, tc := range []struct {
		args []string
		want string // exact output, when it is worth pinning down
	}{
		{[]string{"PING"}, "PONG\n"},
		{[]string{"PING", "hello world"}, "hello world\n"},
		{[]string{"SET", "k", "v"}, "OK\n"},
		{[]string{"GET", "k"}, "\n"}, // each run starts flushed
		{[]string{"--no-raw", "GET", "k"}, "(nil)\n"},
		{[]string{"ECHO", "a\nb"}, "a\nb\n"},
		{[]string{"--no-raw", "ECHO", "a\nb"}, "\"a\\nb\"\n"},
		{[]string{"NOSUCH", "x"}, ""},
		{[]string{"--no-raw", "NOSUCH", "x"}, ""},
		{[]string{"GET"}, ""},
		{[]string{"-n", "3", "DBSIZE"}, "0\n"},
		{[]string{"-n", "16", "PING"}, ""},
		{[]string{"-3", "GET", "missing"}, ""},
		{[]string{"-3", "--no-raw", "GET", "missing"}, "(nil)\n"},
		{[]string{"DEL", "a", "b"}, "0\n"},
		{[]string{"--no-raw", "DEL", "a", "b"}, "(integer) 0\n"},
		{[]string{"-r", "3", "PING"}, "PONG\nPONG\nPONG\n"},
		{[]string{"-x", "SET", "fromstdin"}, "OK\n"},
	} {
		got := compareCLI(t, vireo, redis, "stdin value", tc.args...)
		if tc.want != "" && got.out != tc.want {
			t.Errorf("redis-cli %q printed %q, want %q", tc.args, got.out, tc.want)
		}
	}
}

// TestCLIArgsMoreCommands is TestCLIArgs over more of the command set.
func TestCLIArgsMoreCommands(t *testing.T) {
	requireCommands(t)
	vireo, redis := harness.StartVireo(t), harness.StartRedis(t)
	for _, args := range [][]string{
		{"INCR", "n"},
		{"--no-raw", "INCRBYFLOAT", "f", "1.5"},
		{"--no-raw", "MGET", "a", "b"},
		{"MSET", "a", "1", "b", "2"},
		{"--no-raw", "EXISTS", "a"},
		{"--no-raw", "TTL", "a"},
		{"--no-raw", "KEYS", "nomatch*"},
		{"--no-raw", "-3", "MGET", "a"},
	} {
		compareCLI(t, vireo, redis, "", args...)
	}
}

// TestCLIPipeMassInsertion feeds 10 000 SETs through redis-cli --pipe, the
// documented way to bulk-load Redis.
func TestCLIPipeMassInsertion(t *testing.T) {
	requireCommands(t)
	srv := harness.StartVireo(t)
	const n = 10000
	var input bytes.Buffer
	for i := range n {
		input.Write(harness.EncodeCommand([]byte("SET"), fmt.Appendf(nil, "key:%d", i), fmt.Appendf(nil, "value:%d", i)))
	}
	got := runCLI(t, srv.Port(), input.String(), "--pipe")
	if got.code != 0 || !strings.Contains(got.out, fmt.Sprintf("errors: 0, replies: %d", n)) {
		t.Fatalf("--pipe exit %d, output:\n%s", got.code, got.out)
	}
	raw := srv.Raw(t)
	if size := raw.DoString("DBSIZE"); size != fmt.Sprintf(":%d\r\n", n) {
		t.Errorf("DBSIZE after --pipe = %q, want %d", size, n)
	}
	if v := raw.DoString("GET", "key:9999"); v != "$10\r\nvalue:9999\r\n" {
		t.Errorf("GET key:9999 = %q", v)
	}
}

// stdinSession are commands typed into redis-cli one per line, with
// redis-cli's own quoting.
const stdinSession = `PING
PING "hello world"
ECHO 'single quoted'
ECHO "tab\there"
SET k v
GET k
GET missing
SET k "multi\nline"
GET k
DEL k missing
SELECT 1
SET k db1
SELECT 0
GET k
DBSIZE
NOSUCH a b
GET
SET k
SELECT 99
MULTI
SET a 1
GET a
EXEC
EXEC
FLUSHALL
DBSIZE
`

// stdinSessionMore exercises commands beyond the first ones Vireo had.
const stdinSessionMore = `MSET a 1 b 2 c 3
MGET a b missing
INCR a
INCRBY a 10
INCRBYFLOAT a 0.5
INCR a
EXPIRE b 100
TTL b
TTL c
TTL missing
EXISTS a b c missing
KEYS missing*
APPEND c xyz
GETRANGE c 0 1
STRLEN c
`

// TestCLIStdin types commands into redis-cli on stdin, in its default
// (raw, as stdout is not a terminal) and --no-raw output modes, and
// compares the text with what redis-cli prints for redis-server.
func TestCLIStdin(t *testing.T) {
	requireCommands(t)
	vireo, redis := harness.StartVireo(t), harness.StartRedis(t)
	for _, mode := range [][]string{nil, {"--no-raw"}} {
		got := compareCLI(t, vireo, redis, stdinSession, mode...)
		if !strings.Contains(got.out, "hello world") {
			t.Errorf("redis-cli %q printed no reply to PING \"hello world\":\n%s", mode, got.out)
		}
	}
}

func TestCLIStdinMoreCommands(t *testing.T) {
	requireCommands(t)
	vireo, redis := harness.StartVireo(t), harness.StartRedis(t)
	for _, mode := range [][]string{nil, {"--no-raw"}} {
		compareCLI(t, vireo, redis, stdinSessionMore, mode...)
	}
}
