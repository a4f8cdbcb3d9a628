package keyspace

// The propagation stream: one ordered stream of write effects that feeds the
// AOF and the replication backlog. A command appends while it still holds its
// shard locks, so the stream's order agrees with the order of changes on
// every key. Effects arrive already normalised by the command (relative
// expiries as absolute PXAT/PEXPIREAT, SPOP as SREM, ...); the stream adds a
// SELECT when the database changes and encodes each as a RESP multibulk.

import (
	"strconv"
	"sync"
	"sync/atomic"
)

// Sink consumes the encoded stream (AOF writer, replication backlog).
// Write is called with the stream's lock held and must not block for long.
type Sink interface {
	Write(p []byte)
}

// Stream is the propagation stream.
type Stream struct {
	mu      sync.Mutex
	sinks   []Sink
	active  atomic.Bool
	lastDB  int
	offset  atomic.Int64 // bytes written since start (master_repl_offset)
	scratch []byte
}

// AddSink attaches a consumer; the next effect starts with a SELECT.
func (s *Stream) AddSink(k Sink) {
	s.mu.Lock()
	s.sinks = append(s.sinks, k)
	s.lastDB = -1
	s.active.Store(true)
	s.mu.Unlock()
}

// RemoveSink detaches a consumer.
func (s *Stream) RemoveSink(k Sink) {
	s.mu.Lock()
	for i, x := range s.sinks {
		if x == k {
			s.sinks = append(s.sinks[:i], s.sinks[i+1:]...)
			break
		}
	}
	s.active.Store(len(s.sinks) > 0)
	s.mu.Unlock()
}

// ResetDB makes the next effect start with a SELECT. A consumer that starts
// reading at the current offset (a replica after a full sync, a new AOF
// increment file) has no database selected yet. Call it while holding every
// shard lock (or the stream's only producer), so no effect slips in between
// the offset the consumer starts at and the reset.
func (s *Stream) ResetDB() {
	s.mu.Lock()
	s.lastDB = -1
	s.mu.Unlock()
}

// Active reports whether anyone consumes the stream; commands may skip
// building effects when nobody does.
func (s *Stream) Active() bool { return s.active.Load() }

// Offset is the number of bytes propagated so far.
func (s *Stream) Offset() int64 { return s.offset.Load() }

// Propagate appends one effect executed in database db.
func (s *Stream) Propagate(db int, argv ...[]byte) {
	if !s.active.Load() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.scratch[:0]
	if db != s.lastDB {
		b = appendCommand(b, []byte("SELECT"), []byte(strconv.Itoa(db)))
		s.lastDB = db
	}
	b = appendCommand(b, argv...)
	for _, k := range s.sinks {
		k.Write(b)
	}
	s.offset.Add(int64(len(b)))
	s.scratch = b
}

func appendCommand(b []byte, argv ...[]byte) []byte {
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(argv)), 10)
	b = append(b, '\r', '\n')
	for _, a := range argv {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(a)), 10)
		b = append(b, '\r', '\n')
		b = append(b, a...)
		b = append(b, '\r', '\n')
	}
	return b
}
