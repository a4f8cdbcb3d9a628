package server

// The connection loop. One goroutine per connection reads into a reusable
// buffer, parses every complete request already buffered (arguments are
// slices of that buffer), runs them, and writes all their replies with one
// write: pipelining costs one read and one write per batch, and a GET
// allocates nothing.

import (
	"errors"
	"log/slog"
	"net"
	"os"
	"time"
)

const (
	readBufSize    = 16 * 1024
	flushThreshold = 64 * 1024 // write early when a batch's replies grow past this
)

func (s *Server) serveConn(nc net.Conn) {
	c := s.newClient(nc)
	defer s.closeClient(c)
	if s.maxClientsReached() {
		nc.Write([]byte("-ERR max number of clients reached\r\n"))
		s.stats.rejectedConns.Add(1)
		return
	}
	if s.set.protectedMode.Load() && !s.authRequired() && !c.isLocal() {
		nc.Write([]byte(errProtectedMode))
		return
	}
	buf := make([]byte, readBufSize)
	r, w := 0, 0
	for {
		if t := s.set.timeout.Load(); t > 0 {
			if c.subscribed() {
				nc.SetReadDeadline(time.Time{}) // subscribers never time out, as in Redis (pubsub.go)
			} else {
				nc.SetReadDeadline(time.Now().Add(time.Duration(t) * time.Second))
			}
		}
		if w == len(buf) {
			buf, r, w = s.growBuffer(buf, r, w, 0)
		}
		n, rerr := nc.Read(buf[w:])
		w += n
		c.clock = time.Now()
		s.stats.netInput.Add(int64(n))
		for r < w && !c.closeAfterReply {
			args, used, need, perr := parseRequest(buf[r:w], c.argv, parseLimits{
				maxBulk:      s.set.protoMaxBulkLen.Load(),
				authRequired: !c.authenticated && s.authRequired(),
			})
			if perr != nil {
				c.out = append(c.out, "-ERR "...)
				c.out = append(c.out, perr.Error()...)
				c.out = append(c.out, "\r\n"...)
				s.stats.countError("ERR")
				c.closeAfterReply = true
				break
			}
			if used == 0 {
				if need > len(buf)-r {
					buf, r, w = s.growBuffer(buf, r, w, need)
				}
				break
			}
			c.argv = args
			r += used
			if len(args) == 0 {
				continue
			}
			c.run(args)
			if c.block.input != nil {
				// What the client sent while the command was blocked (blocking.go).
				buf, r, w = c.absorbBlockedInput(buf, r, w)
			}
			if len(c.out) > flushThreshold {
				if !c.flush() {
					return
				}
			}
		}
		if len(c.out) > 0 && !c.flush() {
			return
		}
		if c.closeAfterReply || c.killed.Load() {
			return
		}
		if r == w {
			r, w = 0, 0
			if len(buf) > 4*readBufSize {
				buf = make([]byte, readBufSize)
			}
		} else if r > 0 && (w == len(buf) || r > len(buf)/2) {
			w = copy(buf, buf[r:w])
			r = 0
		}
		if lim := s.set.queryBufLimit.Load(); lim > 0 && int64(w-r) > lim {
			slog.Warn("closing client that reached max query buffer length", "id", c.id, "addr", c.addr, "qbuf", w-r)
			return
		}
		if rerr != nil {
			if errors.Is(rerr, os.ErrDeadlineExceeded) {
				slog.Debug("closing idle client", "id", c.id)
			}
			return
		}
	}
}

// errProtectedMode is sent to a non-local client when protected-mode is on
// and the default user has no password; then the connection is closed.
const errProtectedMode = "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. " +
	"In this mode connections are only accepted from the loopback interface. " +
	"If you want to connect from external computers to Redis you may adopt one of the following solutions: " +
	"1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. " +
	"2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. " +
	"3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. " +
	"4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n"

// growBuffer makes room for more unparsed input, keeping buf[r:w]. need is
// the size the pending request will reach (0 when unknown). The buffer
// doubles towards need instead of jumping to it, so a client that announces
// a 512 MB bulk and sends nothing does not make us allocate 512 MB; the
// query-buffer limit stops one that keeps sending.
func (s *Server) growBuffer(buf []byte, r, w, need int) ([]byte, int, int) {
	pending := w - r
	if r > 0 && need <= len(buf) && pending < len(buf)/2 {
		// Compacting is enough.
		copy(buf, buf[r:w])
		return buf, 0, pending
	}
	size := 2 * len(buf)
	if need > 0 && need < size {
		size = need
	}
	nb := make([]byte, size)
	copy(nb, buf[r:w])
	return nb, 0, pending
}

// run executes one request and applies CLIENT REPLY OFF/SKIP to its reply.
func (c *Ctx) run(args [][]byte) {
	mark := len(c.out)
	if c.replyMode == replySkip {
		c.replyMode = replySkipThis
	}
	c.execute(args)
	if c.block.flushed > 0 {
		// Earlier replies went out before a blocking command waited (blocking.go).
		mark = max(0, mark-c.block.flushed)
		c.block.flushed = 0
	}
	c.publishState() // for CLIENT LIST on other connections (client.go)
	if c.oq != nil {
		c.syncPubSub() // protocol and pub/sub mode for publishers (pubsub.go)
	}
	switch c.replyMode {
	case replyOff:
		c.out = c.out[:mark]
	case replySkipThis:
		c.out = c.out[:mark]
		c.replyMode = replyOn
	}
	if len(c.trackPending) > 0 {
		// Invalidations caused by this client's own command (tracking.go).
		c.out = append(c.out, c.trackPending...)
		c.trackPending = c.trackPending[:0]
	}
}

// flush writes the pending replies; false means the connection is gone.
func (c *Ctx) flush() bool {
	if c.oq != nil {
		// A writer goroutine owns the socket (outqueue.go): hand it the batch.
		ok := c.oq.appendReplies(c.out)
		c.out = c.out[:0]
		return ok
	}
	if c.overNormalOutputLimit() { // outqueue.go
		return false
	}
	n, err := c.conn.Write(c.out)
	c.srv.stats.netOutput.Add(int64(n))
	c.out = c.out[:0]
	if cap(c.out) > 4*flushThreshold {
		c.out = make([]byte, 0, readBufSize)
	}
	return err == nil
}
