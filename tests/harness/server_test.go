package harness

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func TestStartRedisRawAndClients(t *testing.T) {
	s := StartRedis(t)
	if s.Port() == 0 || s.Addr() == "" {
		t.Fatalf("no address: %q", s.Addr())
	}
	raw := s.Raw(t)
	if got := raw.DoString("PING"); got != "+PONG\r\n" {
		t.Errorf("PING = %q", got)
	}
	if got := raw.DoString("SET", "k", "a\r\nb"); got != "+OK\r\n" {
		t.Errorf("SET = %q", got)
	}
	// Pipelined: two commands sent before either reply is read.
	raw.Send("GET", "k")
	raw.SendRaw([]byte("PING inline\r\n"))
	if got := string(raw.Read()); got != "$4\r\na\r\nb\r\n" {
		t.Errorf("pipelined GET = %q", got)
	}
	if got := string(raw.Read()); got != "$6\r\ninline\r\n" {
		t.Errorf("inline PING = %q", got)
	}
	hello := raw.Do("HELLO", "3")
	if hello[0] != '%' {
		t.Errorf("HELLO 3 = %q, want a map", hello)
	}

	ctx := context.Background()
	for _, proto := range []int{2, 3} {
		c := s.Client(proto)
		if err := c.Set(ctx, "p", proto, 0).Err(); err != nil {
			t.Fatalf("protocol %d: SET: %v", proto, err)
		}
		if n, err := c.Get(ctx, "p").Int(); err != nil || n != proto {
			t.Errorf("protocol %d: GET = %d, %v", proto, n, err)
		}
	}
}

func TestRawReadTimeout(t *testing.T) {
	s := StartRedis(t)
	raw := s.Raw(t)
	raw.SetReadTimeout(100 * time.Millisecond)
	start := time.Now()
	if _, err := raw.TryDo("BLPOP", "nothing", "0"); err == nil {
		t.Fatal("BLPOP on an empty list returned a reply")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("read timeout took %v", d)
	}
}

func TestKill9AndRestart(t *testing.T) {
	s := StartRedis(t)
	port := s.Port()
	raw := s.Raw(t)
	raw.Do("SET", "k", "v")
	raw.Do("SAVE")
	s.Kill9()
	if _, err := raw.TryDo("PING"); err == nil {
		t.Fatal("PING answered after Kill9")
	}
	s.Restart()
	if s.Port() != port {
		t.Errorf("restart moved the port from %d to %d", port, s.Port())
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), "dump.rdb")); err != nil {
		t.Errorf("SAVE wrote no dump.rdb in Dir: %v", err)
	}
	if got := s.Raw(t).DoString("GET", "k"); got != "$1\r\nv\r\n" {
		t.Errorf("GET after restart from dump.rdb = %q", got)
	}
	s.Stop()
}

func TestWaitExitAfterShutdown(t *testing.T) {
	s := StartRedis(t)
	raw := s.Raw(t)
	raw.Send("SHUTDOWN", "NOSAVE")
	if err := s.WaitExit(5 * time.Second); err != nil {
		t.Errorf("exit status after SHUTDOWN: %v", err)
	}
}

func TestStartFailureShowsOutput(t *testing.T) {
	// A server that refuses its arguments must not hang the harness; run it
	// in a throwaway TB so the expected failure does not fail this test.
	ft := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { recover() }() // fatalRecorder panics to stop the goroutine like Fatal
		StartRedis(ft, "--no-such-option", "x")
	}()
	<-done
	if ft.msg == "" {
		t.Fatal("StartRedis with a bad option did not fail")
	}
	if !contains(ft.msg, "no-such-option") {
		t.Errorf("failure message lacks the server's output: %s", ft.msg)
	}
}
