package server

// MONITOR: every command executed, as a line to the monitoring clients
// (Redis's replicationFeedMonitors).
//
// A monitor gets an outQueue and writer goroutine like a subscriber
// (outqueue.go), so the goroutine that ran a command only appends the line
// and never writes to another client's socket; a monitor that stops reading
// is dropped at its normal-class output limit. Lines are fed after the
// command ran, so queued MULTI commands appear when EXEC runs them, before
// EXEC itself. Admin commands and those flagged skip_monitor are not shown;
// the passwords of AUTH and HELLO ... AUTH are "(redacted)", as in Redis.

import (
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vireodb/vireo/datatypes/sds"
)

const errMonitorDenyBlocking = "ERR MONITOR isn't allowed for DENY BLOCKING client"

// monitorSet is the server's monitoring clients.
type monitorSet struct {
	n       atomic.Int32 // len(clients), read before every command
	mu      sync.Mutex
	clients []*Ctx
}

// MONITOR
func cmdMonitor(c *Ctx, args [][]byte) {
	if c.multi != nil && c.multi.executing {
		// Redis's CLIENT_DENY_BLOCKING: EXEC expects one reply per command.
		c.Error(errMonitorDenyBlocking)
		return
	}
	if c.monitoring {
		return // already monitoring: no reply, as in Redis
	}
	c.monitoring = true
	c.outQueue() // a writer goroutine owns the socket from now on
	m := &c.srv.monitors
	m.mu.Lock()
	m.clients = append(m.clients, c)
	m.n.Store(int32(len(m.clients)))
	m.mu.Unlock()
	c.OK()
}

// stopMonitoring removes a closing client from the monitors.
func (s *Server) stopMonitoring(c *Ctx) {
	if !c.monitoring {
		return
	}
	m := &s.monitors
	m.mu.Lock()
	if i := slices.Index(m.clients, c); i >= 0 {
		m.clients = slices.Delete(m.clients, i, i+1)
	}
	m.n.Store(int32(len(m.clients)))
	m.mu.Unlock()
}

// feedMonitors sends the command c just ran to the monitors.
func (s *Server) feedMonitors(c *Ctx, cmd *Command, args [][]byte) {
	if cmd.Flags&(FlagAdmin|FlagSkipMonitor) != 0 {
		return
	}
	now := time.Now()
	line := make([]byte, 0, 64)
	line = append(line, '+')
	line = strconv.AppendInt(line, now.Unix(), 10)
	line = append(line, '.')
	us := now.Nanosecond() / 1000
	for d := 100000; d > 1 && us < d; d /= 10 {
		line = append(line, '0')
	}
	line = strconv.AppendInt(line, int64(us), 10)
	line = append(line, " ["...)
	line = strconv.AppendInt(line, int64(c.dbIndex), 10)
	line = append(line, ' ')
	line = append(line, c.addr...)
	line = append(line, ']')
	from, to := monitorRedacted(cmd, args)
	for i, a := range args {
		line = append(line, ' ')
		if i >= from && i < to {
			line = append(line, `"(redacted)"`...)
			continue
		}
		line = sds.AppendRepr(line, a)
	}
	line = append(line, "\r\n"...)
	m := &s.monitors
	m.mu.Lock()
	targets := slices.Clone(m.clients)
	m.mu.Unlock()
	for _, o := range targets {
		if q := o.oqShared.Load(); q != nil {
			q.append(0, line)
		}
	}
}

// monitorRedacted is the range [from, to) of arguments MONITOR must hide:
// AUTH's password (and username), HELLO's AUTH username and password.
func monitorRedacted(cmd *Command, args [][]byte) (from, to int) {
	switch cmd.Name {
	case "auth":
		return 1, len(args)
	case "hello":
		for i := 2; i < len(args); i++ {
			if eq(args[i], "auth") {
				return i + 1, i + 3
			}
		}
	}
	return 0, 0
}

func registerMonitorCommands(t *Table) {
	t.Add(&Command{Name: "monitor", Arity: 1, Group: "server", Since: "1.0.0",
		Summary: "Listens for all requests received by the server in real-time.",
		Flags:   FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
		ACL:     []string{"slow", "dangerous"}, Lock: LockNone, Handler: cmdMonitor})
}

func init() { familyRegistrars = append(familyRegistrars, registerMonitorCommands) }
