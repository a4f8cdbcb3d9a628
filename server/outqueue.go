package server

// Out-of-band output: the per-connection queue that publishers append to.
//
// A plain request/reply connection writes its replies itself, once per read
// batch (conn.go); nothing else ever writes to its socket. A connection that
// subscribes to a channel must also receive messages while its goroutine
// sits in conn.Read, and a publisher must never write to another client's
// socket (it may hold keyspace locks, and the subscriber may be slow). So on
// its first subscription the connection gets an outQueue and a writer
// goroutine that from then on owns every write to the socket: the
// connection goroutine hands it its reply batches (flush), publishers append
// message frames (push), both under the queue's mutex and in that order.
// Appending never blocks: a subscriber that does not read lets its queue
// grow until the client-output-buffer-limit for its class is passed, and is
// then disconnected, as Redis's checkClientOutputBufferLimits does.

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vireodb/vireo/server/config"
)

// outQueue is a connection's pending output once it has a writer goroutine.
type outQueue struct {
	c *Ctx
	// proto is the client's protocol, read by publishers to pick '*' or
	// '>' for message frames; the connection goroutine keeps it current.
	proto atomic.Int32
	// pubsub says the client is subscribed (its output limits are the
	// pubsub class's); kept current by the connection goroutine.
	pubsub atomic.Bool

	mu        sync.Mutex
	buf       []byte // bytes waiting for the writer
	inflight  int    // bytes the writer is writing now
	softSince int64  // unix ms since the soft limit has been exceeded; 0: not exceeded
	closed    bool   // no more output: the connection is closing or was dropped
	// held keeps the writer from sending while SUBSCRIBE registers the
	// channels it already confirmed: a client that sees the confirmation
	// can count on the subscription (hold, release).
	held bool
	omem atomic.Int64

	wake chan struct{} // capacity 1: "there is something to write"
	stop chan struct{} // closed when the connection goroutine is done
	done chan struct{} // closed when the writer goroutine returned
}

// outQueue returns the connection's queue, starting its writer goroutine
// the first time. Only the connection goroutine calls it.
func (c *Ctx) outQueue() *outQueue {
	if c.oq != nil {
		return c.oq
	}
	q := &outQueue{c: c, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	q.proto.Store(int32(c.proto))
	c.oq = q
	c.oqShared.Store(q)
	go q.run()
	return q
}

// run is the writer goroutine: it writes what was queued until the
// connection closes or a write fails.
func (q *outQueue) run() {
	defer close(q.done)
	var spare []byte
	for {
		stopping := false
		select {
		case <-q.wake:
		case <-q.stop:
			stopping = true
		}
		q.mu.Lock()
		if q.held && !stopping {
			q.mu.Unlock()
			continue // release wakes us
		}
		b := q.buf
		q.buf = spare[:0]
		q.inflight = len(b)
		q.mu.Unlock()
		if len(b) > 0 {
			n, err := q.c.conn.Write(b)
			q.c.srv.stats.netOutput.Add(int64(n))
			if err != nil {
				q.mu.Lock()
				q.closed = true
				q.buf, q.inflight = nil, 0
				q.omem.Store(0)
				q.mu.Unlock()
				closeConn(q.c.conn) // the reader sees it and ends the connection
				return
			}
		}
		q.mu.Lock()
		q.inflight = 0
		q.omem.Store(int64(len(q.buf)))
		q.mu.Unlock()
		// Keep a modest buffer for the next round; drop one a burst grew.
		if cap(b) <= 4*flushThreshold {
			spare = b[:0]
		} else {
			spare = nil
		}
		if stopping {
			q.mu.Lock()
			empty := len(q.buf) == 0
			q.mu.Unlock()
			if empty {
				return
			}
		}
	}
}

// hold stops the writer from sending until release.
func (q *outQueue) hold() {
	q.mu.Lock()
	q.held = true
	q.mu.Unlock()
}

// release lets the writer send again.
func (q *outQueue) release() {
	q.mu.Lock()
	q.held = false
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// appendReplies moves the connection's reply buffer into the queue (the
// connection goroutine's flush). false: the connection is gone.
func (q *outQueue) appendReplies(out []byte) bool {
	return q.append(0, out)
}

// push appends one message frame for a subscriber. frame is a RESP2 array;
// for a RESP3 client its first byte becomes '>'. It never blocks and never
// writes to the socket; false: the client is gone or was just dropped for
// passing its output buffer limit.
func (q *outQueue) push(frame []byte) bool {
	if q.proto.Load() == 3 {
		return q.append('>', frame[1:])
	}
	return q.append(0, frame)
}

func (q *outQueue) append(first byte, b []byte) bool {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return false
	}
	if first != 0 {
		q.buf = append(q.buf, first)
	}
	q.buf = append(q.buf, b...)
	pending := len(q.buf) + q.inflight
	q.omem.Store(int64(pending))
	over := q.overLimitLocked(int64(pending))
	if over {
		q.closed = true
		q.buf = nil
		q.omem.Store(0)
	}
	q.mu.Unlock()
	if over {
		c := q.c
		c.srv.stats.outputLimitDisconnections.Add(1)
		slog.Warn("client scheduled to be closed ASAP for overcoming of output buffer limits",
			"id", c.id, "addr", c.addr, "class", q.className(), "omem", pending)
		c.srv.kill(c)
		return false
	}
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return true
}

// overLimitLocked applies client-output-buffer-limit to pending bytes:
// past the hard limit, or past the soft limit for longer than its seconds
// (Redis's checkClientOutputBufferLimits). q.mu is held.
func (q *outQueue) overLimitLocked(pending int64) bool {
	lim := q.c.srv.outputLimit(q.class())
	if lim.Hard > 0 && uint64(pending) >= lim.Hard {
		return true
	}
	if lim.Soft > 0 && uint64(pending) >= lim.Soft {
		now := time.Now().UnixMilli()
		if q.softSince == 0 {
			q.softSince = now
			return false
		}
		return now-q.softSince > lim.SoftSeconds*1000
	}
	q.softSince = 0
	return false
}

func (q *outQueue) class() int {
	if q.pubsub.Load() {
		return config.ClientClassPubSub
	}
	return config.ClientClassNormal
}

func (q *outQueue) className() string {
	if q.pubsub.Load() {
		return "pubsub"
	}
	return "normal"
}

// close ends the writer after it wrote what is queued (a QUIT's +OK, the
// last replies). A client that does not read gets a second to take it.
// Only the connection goroutine calls it, before closing the socket.
func (q *outQueue) close() {
	q.c.conn.SetWriteDeadline(time.Now().Add(time.Second))
	close(q.stop)
	<-q.done
	q.mu.Lock()
	q.closed = true
	q.buf = nil
	q.mu.Unlock()
}

// overNormalOutputLimit applies the normal class's hard limit to a plain
// connection's reply batch before it is written (a huge LRANGE, say); the
// client is dropped unanswered, as Redis drops it. Such a connection writes
// synchronously, so nothing stays pending long enough for a soft limit.
func (c *Ctx) overNormalOutputLimit() bool {
	lim := c.srv.set.outputLimits.Load()
	if lim == nil || lim[config.ClientClassNormal].Hard == 0 || uint64(len(c.out)) < lim[config.ClientClassNormal].Hard {
		return false
	}
	c.srv.stats.outputLimitDisconnections.Add(1)
	slog.Warn("client scheduled to be closed ASAP for overcoming of output buffer limits",
		"id", c.id, "addr", c.addr, "class", "normal", "omem", len(c.out))
	c.out = c.out[:0]
	return true
}

// outputLimit is the client-output-buffer-limit of a client class.
func (s *Server) outputLimit(class int) config.OutputBufferLimit {
	if l := s.set.outputLimits.Load(); l != nil {
		return l[class]
	}
	return config.OutputBufferLimit{}
}
