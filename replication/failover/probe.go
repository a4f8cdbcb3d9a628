package failover

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vireodb/vireo/replication"
)

// RESPProber is the Prober that speaks RESP to the members' client ports,
// keeping one connection per member open between probes as Sentinel does.
type RESPProber struct {
	// User and Password authenticate (masterauth / masteruser); an empty
	// Password sends no AUTH.
	User, Password string

	mu    sync.Mutex
	conns map[string]*probeConn
}

type probeConn struct {
	mu sync.Mutex
	nc net.Conn
	r  *bufio.Reader
}

// maxProbeReply bounds an INFO reply: a member's INFO replication is a few
// hundred bytes, and a peer must not make us allocate without limit.
const maxProbeReply = 1 << 20

// Ping sends PING. A reply of PONG, -LOADING or -MASTERDOWN means the
// member is up (Sentinel's rule): it answers, it is merely busy or
// detached from its own primary.
func (p *RESPProber) Ping(ctx context.Context, addr string) error {
	_, err := p.do(ctx, addr, "PING")
	var re replyError
	if errors.As(err, &re) && (strings.HasPrefix(string(re), "LOADING") || strings.HasPrefix(string(re), "MASTERDOWN")) {
		return nil
	}
	return err
}

// Info sends INFO server replication and parses the fields the monitor
// and the Sentinel replies need.
func (p *RESPProber) Info(ctx context.Context, addr string) (Report, error) {
	text, err := p.do(ctx, addr, "INFO", "server", "replication")
	if err != nil {
		return Report{}, err
	}
	rep := ParseInfo(text)
	if rep.Role == "" {
		return Report{}, fmt.Errorf("failover: INFO from %s has no role", addr)
	}
	return rep, nil
}

// ParseInfo reads a Report out of an INFO reply's text.
func ParseInfo(text string) Report {
	var rep Report
	for line := range strings.SplitSeq(text, "\n") {
		k, v, ok := strings.Cut(strings.TrimRight(line, "\r"), ":")
		if !ok {
			continue
		}
		switch k {
		case "run_id":
			rep.RunID = v
		case "role":
			rep.Role = v
		case "master_repl_offset":
			rep.Offset, _ = strconv.ParseInt(v, 10, 64)
		case "master_host":
			rep.MasterHost = v
		case "master_port":
			rep.MasterPort, _ = strconv.Atoi(v)
		case "master_link_status":
			rep.LinkUp = v == "up"
		}
	}
	return rep
}

// Close drops every cached connection.
func (p *RESPProber) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for addr, c := range p.conns {
		c.nc.Close()
		delete(p.conns, addr)
	}
}

type replyError string

func (e replyError) Error() string { return "failover: reply: " + string(e) }

// do sends one command and returns a simple or bulk reply's text.
func (p *RESPProber) do(ctx context.Context, addr string, args ...string) (string, error) {
	c, err := p.conn(ctx, addr)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	reply, err := c.roundTrip(ctx, args...)
	var re replyError
	if err != nil && !errors.As(err, &re) {
		p.drop(addr, c)
	}
	return reply, err
}

func (p *RESPProber) conn(ctx context.Context, addr string) (*probeConn, error) {
	p.mu.Lock()
	if p.conns == nil {
		p.conns = map[string]*probeConn{}
	}
	c := p.conns[addr]
	p.mu.Unlock()
	if c != nil {
		return c, nil
	}
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("failover: dial %s: %w", addr, err)
	}
	c = &probeConn{nc: nc, r: bufio.NewReader(nc)}
	if p.Password != "" {
		args := []string{"AUTH", p.Password}
		if p.User != "" {
			args = []string{"AUTH", p.User, p.Password}
		}
		if _, err := c.roundTrip(ctx, args...); err != nil {
			nc.Close()
			return nil, fmt.Errorf("failover: AUTH with %s: %w", addr, err)
		}
	}
	p.mu.Lock()
	if old := p.conns[addr]; old != nil {
		p.mu.Unlock()
		nc.Close()
		return old, nil
	}
	p.conns[addr] = c
	p.mu.Unlock()
	return c, nil
}

func (p *RESPProber) drop(addr string, c *probeConn) {
	c.nc.Close()
	p.mu.Lock()
	if p.conns[addr] == c {
		delete(p.conns, addr)
	}
	p.mu.Unlock()
}

func (c *probeConn) roundTrip(ctx context.Context, args ...string) (string, error) {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(time.Second)
	}
	c.nc.SetDeadline(deadline)
	if _, err := c.nc.Write(replication.AppendCommand(nil, args...)); err != nil {
		return "", fmt.Errorf("failover: write: %w", err)
	}
	return readSimpleReply(c.r)
}

// readSimpleReply reads a simple string, error, integer or bulk string.
func readSimpleReply(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("failover: read: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", errors.New("failover: empty reply line")
	}
	switch line[0] {
	case '+', ':':
		return line[1:], nil
	case '-':
		return "", replyError(line[1:])
	case '$':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n < -1 || n > maxProbeReply {
			return "", fmt.Errorf("failover: bad bulk length %q", line)
		}
		if n == -1 {
			return "", nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", fmt.Errorf("failover: read: %w", err)
		}
		return string(buf[:n]), nil
	default:
		return "", fmt.Errorf("failover: unexpected reply %q", line)
	}
}
