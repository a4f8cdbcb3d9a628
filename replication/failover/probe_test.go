package failover

import (
	"bufio"
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// respStub answers each command line-by-line from replies (by command
// name), counting the connections it accepted.
func respStub(t *testing.T, replies map[string]string) (addr string, conns chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	conns = make(chan struct{}, 100)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns <- struct{}{}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "*")))
					if err != nil {
						return
					}
					var name string
					for i := 0; i < n; i++ {
						r.ReadString('\n')
						arg, _ := r.ReadString('\n')
						if i == 0 {
							name = strings.ToUpper(strings.TrimSpace(arg))
						}
					}
					c.Write([]byte(replies[name]))
				}
			}()
		}
	}()
	return ln.Addr().String(), conns
}

func TestRESPProber(t *testing.T) {
	info := "# Server\r\nrun_id:abc\r\n\r\n# Replication\r\nrole:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\nmaster_repl_offset:4242\r\n"
	addr, conns := respStub(t, map[string]string{
		"PING": "+PONG\r\n",
		"INFO": "$" + strconv.Itoa(len(info)) + "\r\n" + info + "\r\n",
	})
	p := &RESPProber{}
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	for range 3 {
		if err := p.Ping(ctx, addr); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := p.Info(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	want := Report{RunID: "abc", Role: "slave", Offset: 4242, MasterHost: "10.0.0.1", MasterPort: 6379, LinkUp: true}
	if rep != want {
		t.Fatalf("report %+v, want %+v", rep, want)
	}
	if len(conns) != 1 {
		t.Fatalf("%d connections for 4 probes, want 1 kept open", len(conns))
	}
}

func TestRESPProberBusyCountsAsUp(t *testing.T) {
	loading, _ := respStub(t, map[string]string{"PING": "-LOADING Redis is loading the dataset in memory\r\n"})
	broken, _ := respStub(t, map[string]string{"PING": "-ERR something else\r\n"})
	p := &RESPProber{}
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := p.Ping(ctx, loading); err != nil {
		t.Fatalf("a loading member counts as down: %v", err)
	}
	if err := p.Ping(ctx, broken); err == nil {
		t.Fatal("an error reply counts as up")
	}
	if err := p.Ping(ctx, freeAddr(t)); err == nil {
		t.Fatal("a closed port counts as up")
	}
}

func TestRESPProberTimesOut(t *testing.T) {
	// A member that accepts and never answers (a stopped process) fails
	// the probe within its deadline.
	silent, _ := respStub(t, map[string]string{})
	p := &RESPProber{}
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := p.Ping(ctx, silent); err == nil {
		t.Fatal("no error from a silent member")
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("probe took %v", d)
	}
}
