package replication

// A Feed is one replica's pending output on the primary. The backlog
// appends to it under its lock (never blocking); a writer goroutine drains
// it to the replica's socket (Drain). A replica that does not keep up lets
// its feed grow until the hard limit (client-output-buffer-limit replica),
// when the feed closes itself and the replica is dropped, as Redis does.

import (
	"errors"
	"io"
	"sync"
)

// ErrFeedClosed is returned by Drain when the feed was closed or passed
// its limit.
var ErrFeedClosed = errors.New("replication: replica feed closed")

// Feed is a replica's output buffer.
type Feed struct {
	mu       sync.Mutex
	buf      []byte
	limit    int64 // 0: none
	closed   bool
	overflow bool
	wake     chan struct{}
}

// NewFeed returns a feed that closes itself when more than limit bytes are
// pending (0: no limit).
func NewFeed(limit int64) *Feed {
	return &Feed{limit: limit, wake: make(chan struct{}, 1)}
}

// Write queues p. It never blocks.
func (f *Feed) Write(p []byte) {
	if len(p) == 0 {
		return
	}
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return
	}
	f.buf = append(f.buf, p...)
	if f.limit > 0 && int64(len(f.buf)) > f.limit {
		f.closed, f.overflow, f.buf = true, true, nil
	}
	f.mu.Unlock()
	f.signal()
}

func (f *Feed) signal() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// Pending is the number of bytes queued and not yet handed to the writer.
func (f *Feed) Pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.buf)
}

// Overflowed reports whether the feed closed because it passed its limit.
func (f *Feed) Overflowed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.overflow
}

// Close ends the feed: Drain returns ErrFeedClosed.
func (f *Feed) Close() {
	f.mu.Lock()
	f.closed, f.buf = true, nil
	f.mu.Unlock()
	f.signal()
}

// Drain writes what is queued to w until the feed is closed or a write
// fails. It is the replica's writer goroutine.
func (f *Feed) Drain(w io.Writer) error {
	// spare is the buffer written last time, reused for the next batch;
	// it is handed back to the feed only while nothing else holds it.
	var spare []byte
	for {
		f.mu.Lock()
		if f.closed {
			f.mu.Unlock()
			return ErrFeedClosed
		}
		if len(f.buf) == 0 {
			f.mu.Unlock()
			<-f.wake
			continue
		}
		b := f.buf
		f.buf, spare = spare[:0], nil
		f.mu.Unlock()
		if _, err := w.Write(b); err != nil {
			return err
		}
		if cap(b) <= 1<<20 {
			spare = b[:0]
		}
	}
}
