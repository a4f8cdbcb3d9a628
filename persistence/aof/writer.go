package aof

// The writer: a keyspace.Sink that appends the propagation stream to the
// current incremental file.
//
// Write (called under the stream's lock) only appends to a buffer and wakes
// the writer goroutine, which swaps the buffer out, writes it and fsyncs
// according to the policy. Offsets count bytes accepted since the writer
// started: Received is what Write took, Synced what is on disk and fsynced.
// With appendfsync always a connection waits in WaitDurable until Synced
// reaches what it propagated before it sends replies; the goroutine fsyncs
// once for everything buffered meanwhile, so concurrent writers share one
// fsync (group commit). A failed write keeps its bytes for a retry every
// second (Redis's flushAppendOnlyFile); until one succeeds Err reports it
// and waiters are told instead of acknowledged.

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Policy is appendfsync.
type Policy int32

// The fsync policies.
const (
	FsyncNo Policy = iota
	FsyncEverysec
	FsyncAlways
)

// ParsePolicy reads appendfsync's value.
func ParsePolicy(s string) (Policy, error) {
	switch s {
	case "no":
		return FsyncNo, nil
	case "everysec":
		return FsyncEverysec, nil
	case "always":
		return FsyncAlways, nil
	}
	return 0, fmt.Errorf("aof: unknown appendfsync policy %q", s)
}

// File is what the writer appends to (an *os.File; tests inject failures).
type File interface {
	io.Writer
	Sync() error
	Close() error
}

// ErrClosed is returned to waiters once the writer is closed.
var ErrClosed = errors.New("aof: writer closed")

// retryDelay is how long the goroutine waits before writing again after a
// failed write, and the everysec period.
const retryDelay = time.Second

// Writer appends the stream to a File under an fsync policy.
type Writer struct {
	mu       sync.Mutex
	progress *sync.Cond // broadcast when Synced moves, an error occurs or the writer closes
	buf      []byte     // accepted, not yet handed to the goroutine
	spare    []byte
	f        File
	size     int64 // bytes in the current file
	writing  bool  // the goroutine is writing outside mu
	closed   bool
	written  int64 // offset of the bytes written to files so far
	err      error // the last write or fsync error, nil once a retry succeeds
	lastSync time.Time

	policy   atomic.Int32
	received atomic.Int64
	synced   atomic.Int64
	errSet   atomic.Bool
	fsyncs   atomic.Int64
	bufLen   atomic.Int64

	kick chan struct{}
	quit chan struct{}
	done chan struct{}
	log  *slog.Logger
}

// NewWriter starts a writer appending to f, whose current size is size.
func NewWriter(f File, size int64, policy Policy, log *slog.Logger) *Writer {
	if log == nil {
		log = slog.Default()
	}
	w := &Writer{f: f, size: size, kick: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{}), log: log, lastSync: time.Now()}
	w.progress = sync.NewCond(&w.mu)
	w.policy.Store(int32(policy))
	go w.run()
	return w
}

// Write accepts encoded effects (keyspace.Sink). It never blocks on I/O.
func (w *Writer) Write(p []byte) {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return
	}
	w.buf = append(w.buf, p...)
	w.received.Add(int64(len(p)))
	w.bufLen.Store(int64(len(w.buf)))
	w.mu.Unlock()
	w.wake()
}

func (w *Writer) wake() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// SetPolicy changes the fsync policy (CONFIG SET appendfsync).
func (w *Writer) SetPolicy(p Policy) {
	w.policy.Store(int32(p))
	w.wake()
}

// Received is the offset of everything Write accepted.
func (w *Writer) Received() int64 { return w.received.Load() }

// Synced is the offset of everything written and fsynced.
func (w *Writer) Synced() int64 { return w.synced.Load() }

// Fsyncs counts the fsyncs of appended data (group commit shows as fewer
// fsyncs than acknowledged writes).
func (w *Writer) Fsyncs() int64 { return w.fsyncs.Load() }

// BufferLen is the bytes accepted and not yet written (aof_buffer_length).
func (w *Writer) BufferLen() int64 { return w.bufLen.Load() }

// Size is the current file's size including what is buffered.
func (w *Writer) Size() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.size + int64(len(w.buf))
}

// Err is the last write or fsync error, nil when the last attempt worked.
func (w *Writer) Err() error {
	if !w.errSet.Load() {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// WaitDurable waits until every byte up to off is fsynced. It returns the
// write error instead while writes fail, and ErrClosed once closed.
func (w *Writer) WaitDurable(off int64) error {
	if w.synced.Load() >= off {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.synced.Load() < off {
		if w.err != nil {
			return w.err
		}
		if w.closed {
			return ErrClosed
		}
		w.wake()
		w.progress.Wait()
	}
	return nil
}

// WaitReceived waits until everything accepted so far is durable: what a
// connection calls before sending replies with appendfsync always.
func (w *Writer) WaitReceived() error { return w.WaitDurable(w.received.Load()) }

func (w *Writer) run() {
	defer close(w.done)
	tick := time.NewTicker(retryDelay)
	defer tick.Stop()
	for {
		select {
		case <-w.quit:
			return
		case <-w.kick:
		case <-tick.C:
		}
		w.flushOnce(false)
	}
}

// flushOnce writes what is buffered and fsyncs as the policy says (always
// when force). It runs on the goroutine, or with it idle (Switch, Close).
func (w *Writer) flushOnce(force bool) error {
	w.mu.Lock()
	for w.writing {
		w.progress.Wait()
	}
	if w.err != nil && !force && time.Since(w.lastSync) < retryDelay && len(w.buf) > 0 {
		// After a failure, retry once per retryDelay, not on every write.
		w.mu.Unlock()
		return w.err
	}
	data := w.buf
	w.buf = w.spare[:0]
	w.spare = nil
	f := w.f
	w.writing = true
	w.mu.Unlock()

	var werr error
	n := 0
	if len(data) > 0 && f != nil {
		n, werr = f.Write(data)
	}
	policy := Policy(w.policy.Load())
	var serr error
	synced := false
	if werr == nil && f != nil && (force || policy == FsyncAlways ||
		(policy == FsyncEverysec && time.Since(w.lastSync) >= retryDelay && w.written+int64(n) > w.synced.Load())) {
		serr = f.Sync()
		synced = serr == nil
		if len(data) > 0 || force {
			w.fsyncs.Add(1)
		}
	}

	w.mu.Lock()
	w.writing = false
	w.written += int64(n)
	w.size += int64(n)
	if werr != nil {
		// Keep what was not written, ahead of what arrived meanwhile.
		rest := append(append([]byte(nil), data[n:]...), w.buf...)
		w.buf = rest
		if w.err == nil {
			w.log.Warn("Error writing to the AOF file", "err", werr)
		}
		w.setErrLocked(werr)
		w.lastSync = time.Now() // paces the retries
	} else {
		if cap(data) <= 1<<20 {
			w.spare = data[:0]
		}
		if serr != nil {
			if w.err == nil {
				w.log.Warn("Can't persist AOF for fsync error", "err", serr)
			}
			w.setErrLocked(serr)
		} else {
			if w.err != nil {
				w.log.Warn("AOF write error looks solved, Redis can write again.")
				w.setErrLocked(nil)
			}
			if synced {
				w.lastSync = time.Now()
				w.synced.Store(w.written)
			} else if policy == FsyncNo {
				// Nothing is ever fsynced under "no": what reached the
				// kernel counts (WAITAOF's offset follows the writes).
				w.synced.Store(w.written)
			}
		}
	}
	w.bufLen.Store(int64(len(w.buf)))
	err := w.err
	w.progress.Broadcast()
	w.mu.Unlock()
	if werr != nil {
		return fmt.Errorf("aof: write: %w", werr)
	}
	if serr != nil {
		return fmt.Errorf("aof: fsync: %w", serr)
	}
	return err
}

func (w *Writer) setErrLocked(err error) {
	w.err = err
	w.errSet.Store(err != nil)
}

// Switch writes and fsyncs everything accepted so far to the current file,
// closes it and goes on with f (a new incremental file, size 0). The
// caller stops the producers meanwhile (it holds every shard lock), so the
// old file ends exactly where the new one starts.
func (w *Writer) Switch(f File) error {
	if err := w.flushOnce(true); err != nil {
		return err
	}
	w.mu.Lock()
	for w.writing {
		w.progress.Wait()
	}
	old := w.f
	if len(w.buf) > 0 {
		// Something arrived between the flush and now: write it to the old
		// file first, keeping the order.
		w.mu.Unlock()
		if err := w.flushOnce(true); err != nil {
			return err
		}
		w.mu.Lock()
		for w.writing {
			w.progress.Wait()
		}
		old = w.f
	}
	w.f, w.size = f, 0
	w.mu.Unlock()
	if old != nil {
		if err := old.Close(); err != nil {
			return fmt.Errorf("aof: closing the old file: %w", err)
		}
	}
	return nil
}

// Close writes and fsyncs what is buffered, stops the goroutine and closes
// the file. Waiters get ErrClosed if their bytes could not be written.
func (w *Writer) Close() error {
	err := w.flushOnce(true)
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return err
	}
	w.closed = true
	f := w.f
	w.f = nil
	w.progress.Broadcast()
	w.mu.Unlock()
	close(w.quit)
	<-w.done
	if f != nil {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("aof: close: %w", cerr)
		}
	}
	return err
}
