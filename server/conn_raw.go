//go:build unix

package server

// Reading inside the runtime's readiness loop. A goroutine that reads with
// net.Conn.Read after answering a batch finds the socket empty and only then
// parks: one wasted read(2) per batch, which at pipeline depth 16 is half of
// all reads. serveRaw runs the connection's batches inside
// syscall.RawConn.Read instead: after a batch the callback returns false and
// the goroutine parks on the netpoller at once. That is safe because the
// poller is edge-triggered and its readiness flag is only cleared when
// RawConn.Read starts: data that arrived after our last read(2) has raised
// the flag (or will), so the wait ends; data that our read already took may
// also raise it, which costs one empty read, as before.
//
// The socket is non-blocking, so its read(2) and write(2) never wait; they
// are made with RawSyscall, which skips the runtime's system-call
// bookkeeping. That bookkeeping also wakes the runtime's monitor thread
// whenever it sleeps because the server was idle for a moment, and on a
// loaded server that shares its core with that thread the wake-ups cost
// more than the calls. A write that finds the socket full falls back to
// net.Conn.Write, which parks until it drains.
//
// While the callback runs, the connection holds its descriptor's read lock,
// and net.Conn.Close from another goroutine waits for that lock. So other
// goroutines close a connection with closeConn (it does not wait), and a
// command that may block leaves the loop first: its watcher goroutine reads
// the socket with net.Conn.Read (blocking.go).

import (
	"io"
	"net"
	"syscall"
	"unsafe"
)

func rawConnOf(nc net.Conn) syscall.RawConn {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	return rc
}

// serveRaw reads and runs batches until the connection must close
// (consumeClose) or a request that may block is next (consumeBlocking).
func (c *Ctx) serveRaw(rc syscall.RawConn, in *input) int {
	res := consumeMore
	err := rc.Read(func(fd uintptr) bool {
		for {
			if in.w == len(in.buf) {
				in.buf, in.r, in.w = c.srv.growBuffer(in.buf, in.r, in.w, 0)
			}
			room := len(in.buf) - in.w
			r, _, errno := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&in.buf[in.w])), uintptr(room))
			n := int(r)
			switch {
			case errno == syscall.EINTR:
				continue
			case errno == syscall.EAGAIN:
				c.armReadDeadline()
				return false
			case errno != 0 || n == 0:
				res = consumeClose
				var err error = io.EOF
				if errno != 0 {
					err = errno
				}
				c.logReadEnd(err)
				return true
			}
			c.received(in, n)
			c.inRawRead, c.rawFD = true, int(fd)
			res = c.consume(in, true)
			c.inRawRead = false
			if res != consumeMore {
				return true
			}
			if n < room {
				// The socket was drained: wait for the next edge.
				c.armReadDeadline()
				return false
			}
		}
	})
	if err != nil {
		c.logReadEnd(err)
		return consumeClose
	}
	return res
}

// write sends b to the client.
func (c *Ctx) write(b []byte) (int, error) {
	if !c.inRawRead {
		return c.conn.Write(b)
	}
	done := 0
	for done < len(b) {
		r, _, errno := syscall.RawSyscall(syscall.SYS_WRITE, uintptr(c.rawFD), uintptr(unsafe.Pointer(&b[done])), uintptr(len(b)-done))
		switch errno {
		case 0:
			done += int(r)
		case syscall.EINTR:
		case syscall.EAGAIN:
			n, err := c.conn.Write(b[done:])
			return done + n, err
		default:
			return done, errno
		}
	}
	return done, nil
}

// closeConn closes another connection's socket without waiting: its
// goroutine may hold the descriptor's read lock while it runs a command,
// and Close waits for that. shutdown(2) first, which takes no lock, so the
// peer sees the connection end before the caller replies (as Redis's
// CLIENT KILL), and the goroutine wakes with EOF or an error.
func closeConn(nc net.Conn) {
	if rc := rawConnOf(nc); rc != nil {
		rc.Control(func(fd uintptr) { syscall.Shutdown(int(fd), syscall.SHUT_RDWR) })
	}
	go nc.Close()
}
