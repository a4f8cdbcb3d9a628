package server

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestTimeAndLastSave(t *testing.T) {
	c := newTestClient(t)
	got := c.do("time")
	m := regexp.MustCompile(`^\*2\r\n\$\d+\r\n(\d+)\r\n\$\d+\r\n(\d+)\r\n$`).FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("time: %q", got)
	}
	sec, _ := strconv.ParseInt(m[1], 10, 64)
	usec, _ := strconv.ParseInt(m[2], 10, 64)
	if d := time.Since(time.Unix(sec, usec*1000)); d < 0 || d > 5*time.Second || usec >= 1e6 {
		t.Errorf("time %q is not now", got)
	}
	c.expect("time x", "-ERR wrong number of arguments for 'time' command\r\n")
	c.expect("lastsave", ":"+strconv.FormatInt(c.srv.startTime.Unix(), 10)+"\r\n")
	c.expect("lastsave x", "-ERR wrong number of arguments for 'lastsave' command\r\n")
}

func TestLolwut(t *testing.T) {
	c := newTestClient(t)
	got := bulkBody(t, c.do("lolwut"))
	if !strings.HasSuffix(got, "\nVireo ver. "+Version+"\n") {
		t.Errorf("lolwut: %q", got)
	}
	if again := bulkBody(t, c.do("lolwut version 5 1 2")); again != got {
		t.Errorf("lolwut version 5: %q", again)
	}
	c.expect("lolwut version x", "-ERR value is not an integer or out of range\r\n")
	c.do("hello 3")
	c.expectPrefix("lolwut", "="+strconv.Itoa(len(got)+4)+"\r\ntxt:")
}

func TestShutdownErrors(t *testing.T) {
	c := newTestClient(t)
	c.expect("shutdown foo", "-ERR syntax error\r\n")
	c.expect("shutdown nosave save", "-ERR syntax error\r\n")
	c.expect("shutdown abort now", "-ERR syntax error\r\n")
	c.expect("shutdown abort", "-ERR No shutdown in progress.\r\n")
	// The save SHUTDOWN SAVE asks for fails: the dir is gone.
	if err := os.RemoveAll(c.srv.cfg.Snapshot().Dir); err != nil {
		t.Fatal(err)
	}
	c.expect("shutdown save", "-ERR Errors trying to SHUTDOWN. Check logs.\r\n")
	c.expect("multi", "+OK\r\n")
	c.expect("shutdown", "-ERR Command not allowed inside a transaction\r\n")
	c.expect("discard", "+OK\r\n")
	select {
	case <-c.srv.Done():
		t.Fatal("a failed SHUTDOWN stopped the server")
	default:
	}
}

func TestShutdownStopsTheServer(t *testing.T) {
	for _, args := range [][]string{{"shutdown", "nosave"}, {"shutdown", "save", "force", "now"}, {"shutdown"}} {
		s := startVireo(t)
		a, b := dialResp(t, s.Addr().String()), dialResp(t, s.Addr().String())
		b.do("ping")
		a.send(args...)
		select {
		case <-s.Done():
		case <-time.After(5 * time.Second):
			t.Fatalf("%q: server still running", args)
		}
		expectClosed(t, a) // no reply: the connection just closes
		expectClosed(t, b)
	}
}
