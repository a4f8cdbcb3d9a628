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
	in := &input{buf: make([]byte, readBufSize)}
	rc := rawConnOf(nc) // conn_raw.go; nil for connections without a descriptor
	for {
		if rc != nil {
			// Batches run inside the runtime's read-readiness loop; it
			// returns for a request that may block, which runs below.
			if c.serveRaw(rc, in) == consumeClose {
				return
			}
			if c.consume(in, false) == consumeClose {
				return
			}
			continue
		}
		c.armReadDeadline()
		if in.w == len(in.buf) {
			in.buf, in.r, in.w = s.growBuffer(in.buf, in.r, in.w, 0)
		}
		n, rerr := nc.Read(in.buf[in.w:])
		c.received(in, n)
		if c.consume(in, false) == consumeClose {
			return
		}
		if rerr != nil {
			c.logReadEnd(rerr)
			return
		}
	}
}

func (c *Ctx) logReadEnd(err error) {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		slog.Debug("closing idle client", "id", c.id)
	}
}

// input is a connection's read buffer: buf[r:w] is read and not yet parsed.
type input struct {
	buf  []byte
	r, w int
}

// What consume found.
const (
	consumeMore     = iota // every complete request ran: read more
	consumeClose           // close the connection
	consumeBlocking        // the request at r may block; it has not run
)

// received accounts for n bytes just read into in.
func (c *Ctx) received(in *input, n int) {
	in.w += n
	c.clock = time.Now()
	c.srv.stats.netInput.Add(int64(n))
}

// armReadDeadline applies the idle timeout before the connection waits for
// input. Subscribers never time out, as in Redis (pubsub.go).
func (c *Ctx) armReadDeadline() {
	t := c.srv.set.timeout.Load()
	switch {
	case t > 0 && !c.subscribed():
		c.conn.SetReadDeadline(time.Now().Add(time.Duration(t) * time.Second))
		c.deadlineSet = true
	case c.deadlineSet:
		c.conn.SetReadDeadline(time.Time{})
		c.deadlineSet = false
	}
}

// consume parses every complete request in in, runs it, and writes the
// replies. With stopAtBlocking it stops before a command that may block
// (conn_raw.go runs those outside its read loop).
func (c *Ctx) consume(in *input, stopAtBlocking bool) int {
	s := c.srv
	for in.r < in.w && !c.closeAfterReply {
		if c.killed.Load() {
			return consumeClose // CLIENT KILL: nothing more runs
		}
		args, used, need, perr := parseRequest(in.buf[in.r:in.w], c.argv, parseLimits{
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
			if need > len(in.buf)-in.r {
				in.buf, in.r, in.w = s.growBuffer(in.buf, in.r, in.w, need)
			}
			break
		}
		c.argv = args
		if len(args) == 0 {
			in.r += used
			continue
		}
		if stopAtBlocking && c.mayBlockOn(args[0]) {
			return consumeBlocking
		}
		in.r += used
		c.run(args)
		if c.block.input != nil {
			// What the client sent while the command was blocked (blocking.go).
			in.buf, in.r, in.w = c.absorbBlockedInput(in.buf, in.r, in.w)
		}
		if len(c.out) > flushThreshold {
			if !c.flush() {
				return consumeClose
			}
		}
	}
	if len(c.out) > 0 && !c.flush() {
		return consumeClose
	}
	if c.closeAfterReply || c.killed.Load() {
		return consumeClose
	}
	if in.r == in.w {
		in.r, in.w = 0, 0
		if len(in.buf) > 4*readBufSize {
			in.buf = make([]byte, readBufSize)
		}
	} else if in.r > 0 && (in.w == len(in.buf) || in.r > len(in.buf)/2) {
		in.w = copy(in.buf, in.buf[in.r:in.w])
		in.r = 0
	}
	if lim := s.set.queryBufLimit.Load(); lim > 0 && int64(in.w-in.r) > lim {
		slog.Warn("closing client that reached max query buffer length", "id", c.id, "addr", c.addr, "qbuf", in.w-in.r)
		return consumeClose
	}
	return consumeMore
}

// mayBlockOn reports whether the command named name can block its
// connection (BLPOP, XREAD, ...), whatever its arguments.
func (c *Ctx) mayBlockOn(name []byte) bool {
	cmd := c.lookupCommand(name)
	return cmd != nil && cmd.Flags&FlagBlocking != 0
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
	// appendfsync always: replies leave only once the writes they
	// acknowledge are fsynced; false (the AOF cannot be written) drops the
	// connection rather than acknowledge them (aof.go).
	if w := c.srv.aof.always.Load(); w != nil && w.WaitReceived() != nil {
		return false
	}
	if c.oq != nil {
		// A writer goroutine owns the socket (outqueue.go): hand it the batch.
		ok := c.oq.appendReplies(c.out)
		c.out = c.out[:0]
		return ok
	}
	if c.overNormalOutputLimit() { // outqueue.go
		return false
	}
	n, err := c.write(c.out)
	c.srv.stats.netOutput.Add(int64(n))
	c.out = c.out[:0]
	if cap(c.out) > 4*flushThreshold {
		c.out = make([]byte, 0, readBufSize)
	}
	return err == nil
}
