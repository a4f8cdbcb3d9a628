package e2e_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vireodb/vireo/tests/harness"
)

// monitorLine matches a MONITOR line's clock and client address, which
// differ between servers and runs.
var monitorLine = regexp.MustCompile(`^\d+\.\d{6} \[(\d+) (\S+)\] `)

// monitorRun starts `redis-cli monitor` against srv, sends cmds from one
// plain connection, and returns the lines the monitor printed with clock
// and address replaced.
func monitorRun(t *testing.T, srv *harness.Server, cmds [][]string) []string {
	t.Helper()
	bin, err := exec.LookPath("redis-cli")
	if err != nil {
		t.Fatalf("redis-cli not found (%v): run `make test`, which installs it", err)
	}
	mon := exec.Command(bin, "-p", strconv.Itoa(srv.Port()), "monitor")
	out, err := mon.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := mon.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { mon.Process.Kill(); mon.Wait() }()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	if first := <-lines; first != "OK" {
		t.Fatalf("MONITOR answered %q", first)
	}
	conn, err := net.Dial("tcp", srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rd := bufio.NewReader(conn)
	for _, cmd := range append(cmds, []string{"ECHO", "end"}) {
		fmt.Fprintf(conn, "*%d\r\n", len(cmd))
		for _, a := range cmd {
			fmt.Fprintf(conn, "$%d\r\n%s\r\n", len(a), a)
		}
		if _, err := readReply(rd); err != nil {
			t.Fatalf("%q: %v", cmd, err)
		}
	}
	// CLIENT LIST shows the monitor with flag O, as Redis does.
	fmt.Fprintf(conn, "*2\r\n$6\r\nCLIENT\r\n$4\r\nLIST\r\n")
	list, err := readReply(rd)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(list), " flags=O ") || !strings.Contains(string(list), " cmd=monitor ") {
		t.Errorf("CLIENT LIST has no monitor with flags=O:\n%s", list)
	}
	var got []string
	timeout := time.After(10 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("monitor stopped; got %q", got)
			}
			m := monitorLine.FindStringSubmatch(l)
			if m == nil {
				t.Fatalf("not a MONITOR line: %q", l)
			}
			l = "[" + m[1] + " client] " + l[len(m[0]):]
			if l == `[0 client] "ECHO" "end"` {
				return got
			}
			got = append(got, l)
		case <-timeout:
			t.Fatalf("no end line; got %q", got)
		}
	}
}

// TestMonitorMatchesRedis: the lines MONITOR prints for a sequence of
// commands — quoting, the database, MULTI/EXEC order, hidden admin
// commands, redacted passwords — equal redis-server's.
func TestMonitorMatchesRedis(t *testing.T) {
	requireCommands(t)
	cmds := [][]string{
		{"SET", "k", "a b\"c\n\x01"},
		{"GET", "k"},
		{"AUTH", "secret"},
		{"SELECT", "2"},
		{"GET", "x"},
		{"MULTI"},
		{"SET", "a", "1"},
		{"INCR", "a"},
		{"EXEC"},
		{"CONFIG", "GET", "port"},
		{"HELLO", "2", "AUTH", "default", "pw"},
		{"NOSUCHCOMMAND"},
		{"SELECT", "0"},
		{"PING"},
	}
	vireo := monitorRun(t, harness.StartVireo(t), cmds)
	redis := monitorRun(t, harness.StartRedis(t), cmds)
	if strings.Join(vireo, "\n") != strings.Join(redis, "\n") {
		t.Fatalf("MONITOR lines differ\nvireo:\n%s\nredis:\n%s", strings.Join(vireo, "\n"), strings.Join(redis, "\n"))
	}
	if len(vireo) < 10 {
		t.Fatalf("only %d lines: %q", len(vireo), vireo)
	}
}

// readReply reads one RESP2 reply whole and returns its raw text.
func readReply(rd *bufio.Reader) (string, error) {
	line, err := rd.ReadString('\n')
	if err != nil || len(line) < 3 {
		return line, fmt.Errorf("reply line %q: %v", line, err)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
	switch line[0] {
	case '$':
		if n < 0 {
			return line, nil
		}
		body := make([]byte, n+2)
		_, err := io.ReadFull(rd, body)
		return line + string(body), err
	case '*':
		out := line
		for range max(n, 0) {
			el, err := readReply(rd)
			out += el
			if err != nil {
				return out, err
			}
		}
		return out, nil
	}
	return line, nil
}
