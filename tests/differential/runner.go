package differential

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/vireodb/vireo/tests/harness"
)

// firstConn is the connection a script starts on.
const firstConn = 1

// Pair is a Vireo server and a reference redis-server driven in lockstep.
type Pair struct {
	Vireo, Redis *harness.Server
	// ReadTimeout bounds the wait for one reply (a blocked command).
	ReadTimeout time.Duration
	// Trace logs every step with both replies, for writing scripts.
	Trace bool
}

// StartPair starts Vireo and redis-server for the test.
func StartPair(t testing.TB) *Pair {
	t.Helper()
	return &Pair{Vireo: harness.StartVireo(t), Redis: harness.StartRedis(t), ReadTimeout: 3 * time.Second}
}

// connPair is one client connection to each server.
type connPair struct{ vireo, redis *harness.RawConn }

// session is the client side of one run: its connections and the current one.
type session struct {
	t     testing.TB
	p     *Pair
	conns map[int]*connPair
	cur   int
}

// Run flushes both servers, runs steps on fresh connections and returns the
// first mismatch, or nil. The error reports a failure of the harness itself
// (a server that cannot be reached or flushed), not a difference.
func (p *Pair) Run(t testing.TB, steps []Step) (*Mismatch, error) {
	s := &session{t: t, p: p, conns: map[int]*connPair{}, cur: firstConn}
	defer s.close()
	if err := s.reset(); err != nil {
		return nil, err
	}
	for i, step := range steps {
		v, r, err := s.exec(step)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", step.Pos, err)
		}
		if step.Kind == StepSleep || step.Kind == StepConn {
			continue
		}
		if p.Trace {
			t.Logf("%s: %s\n  vireo: %q\n  redis: %q", step.Pos, step.Script(), v, r)
		}
		if step.Compare&CompareSkip != 0 {
			continue
		}
		mode := step.Compare
		if step.Kind == StepHello || step.Kind == StepCommand && len(step.Args) > 0 && strings.EqualFold(step.Args[0], "HELLO") {
			mode |= compareHello
		}
		if !bytes.Equal(Normalise(v, mode), Normalise(r, mode)) {
			return &Mismatch{Index: i, Step: step, Vireo: v, Redis: r}, nil
		}
	}
	return nil, nil
}

// reset empties every database of both servers, so each run starts alike.
func (s *session) reset() error {
	for _, srv := range []*harness.Server{s.p.Vireo, s.p.Redis} {
		c, err := harness.DialRaw(s.t, srv.Addr())
		if err != nil {
			return fmt.Errorf("differential: reset: %w", err)
		}
		reply, err := c.TryDo("FLUSHALL")
		c.Close()
		if err != nil || string(reply) != "+OK\r\n" {
			return fmt.Errorf("differential: FLUSHALL on %s: %q %v", srv.Addr(), reply, err)
		}
	}
	return nil
}

func (s *session) close() {
	for _, c := range s.conns {
		c.closeBoth()
	}
}

func (c *connPair) closeBoth() {
	if c.vireo != nil {
		c.vireo.Close()
	}
	if c.redis != nil {
		c.redis.Close()
	}
}

// conn returns the current connection pair, opening what is not open.
func (s *session) conn() (*connPair, error) {
	c := s.conns[s.cur]
	if c == nil {
		c = &connPair{}
		s.conns[s.cur] = c
	}
	var err error
	if c.vireo == nil {
		if c.vireo, err = harness.DialRaw(s.t, s.p.Vireo.Addr()); err != nil {
			return nil, fmt.Errorf("differential: connect to vireo: %w", err)
		}
		c.vireo.SetReadTimeout(s.p.ReadTimeout)
	}
	if c.redis == nil {
		if c.redis, err = harness.DialRaw(s.t, s.p.Redis.Addr()); err != nil {
			return nil, fmt.Errorf("differential: connect to redis: %w", err)
		}
		c.redis.SetReadTimeout(s.p.ReadTimeout)
	}
	return c, nil
}

// exec runs one step on both servers and returns the two replies.
func (s *session) exec(step Step) (vireo, redis []byte, err error) {
	var payload []byte
	switch step.Kind {
	case StepSleep:
		time.Sleep(step.Sleep)
		return nil, nil, nil
	case StepConn:
		s.cur = step.Conn
		return nil, nil, nil
	case StepCommand:
		args := make([][]byte, len(step.Args))
		for i, a := range step.Args {
			args[i] = []byte(a)
		}
		payload = harness.EncodeCommand(args...)
	case StepHello:
		payload = harness.EncodeCommand([]byte("HELLO"), fmt.Appendf(nil, "%d", step.Protocol))
	case StepRaw:
		payload = step.Raw
	}
	c, err := s.conn()
	if err != nil {
		return nil, nil, err
	}
	if step.Kind == StepRead {
		return readOrDescribe(&c.vireo, nil), readOrDescribe(&c.redis, nil), nil
	}
	// Send to both before reading either, so both servers see the command
	// at nearly the same time.
	vErr := c.vireo.TrySendRaw(payload)
	rErr := c.redis.TrySendRaw(payload)
	vireo = readOrDescribe(&c.vireo, vErr)
	redis = readOrDescribe(&c.redis, rErr)
	return vireo, redis, nil
}

// readOrDescribe reads one reply. A connection that failed is closed and
// forgotten (the next step reopens it) and the failure becomes the "reply",
// described in words both servers' failures compare equal by.
func readOrDescribe(conn **harness.RawConn, sendErr error) []byte {
	err := sendErr
	var reply []byte
	if err == nil {
		reply, err = (*conn).TryRead()
	}
	if err == nil {
		return reply
	}
	(*conn).Close()
	*conn = nil
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return []byte("<no reply: timeout>")
	}
	return []byte("<no reply: connection closed>")
}

// Reproduce minimises steps, whose first mismatch is at index failing, to a
// short script that still fails first at its last step, trying until
// deadline. It returns the minimised steps and whether the failure
// reproduced at all when replayed.
func (p *Pair) Reproduce(t testing.TB, steps []Step, failing int, deadline time.Time) ([]Step, bool) {
	failsAtEnd := func(candidate []Step) bool {
		m, err := p.Run(t, candidate)
		return err == nil && m != nil && m.Index == len(candidate)-1
	}
	prefix := steps[:failing+1]
	if !failsAtEnd(prefix) {
		return prefix, false
	}
	return Minimise(prefix, failsAtEnd, deadline), true
}

// Report runs the mismatch's reproduction and formats the failure message:
// the mismatch, and the shortest script found that still produces it.
func (p *Pair) Report(t testing.TB, steps []Step, m *Mismatch, budget time.Duration) string {
	var b strings.Builder
	b.WriteString(m.String())
	repro, ok := p.Reproduce(t, steps, m.Index, time.Now().Add(budget))
	if !ok {
		fmt.Fprintf(&b, "\nthe mismatch did not reproduce when the %d steps up to it were replayed (timing?)", len(repro))
		return b.String()
	}
	fmt.Fprintf(&b, "\nshortest script found that reproduces it (%d of %d steps):\n", len(repro), m.Index+1)
	for _, step := range repro {
		for _, line := range strings.Split(step.Script(), "\n") {
			b.WriteString("    " + line + "\n")
		}
	}
	return b.String()
}

// Probe asks srv which of commands it knows: each is sent without
// arguments, and only an "unknown command" error means it does not. The
// commands must be harmless when run without arguments (most just answer
// with an arity error).
func Probe(t testing.TB, srv *harness.Server, commands []string) (map[string]bool, error) {
	c, err := harness.DialRaw(t, srv.Addr())
	if err != nil {
		return nil, fmt.Errorf("differential: probe: %w", err)
	}
	defer c.Close()
	known := map[string]bool{}
	for _, cmd := range commands {
		reply, err := c.TryDo(cmd)
		if err != nil {
			return nil, fmt.Errorf("differential: probe %s: %w", cmd, err)
		}
		known[strings.ToUpper(cmd)] = !bytes.HasPrefix(reply, []byte("-ERR unknown command"))
	}
	return known, nil
}
