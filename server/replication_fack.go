package server

// A replica's fsynced offset (Redis 7.2's fsynced_reploff): how far into
// its primary's stream the effects it applied are fsynced to its AOF. Each
// REPLCONF ACK carries it as FACK <offset>, and the primary's WAITAOF
// counts the replicas whose FACK reached the client's write offset.
//
// The AOF writer counts its own bytes (Received, Synced), not stream
// offsets, so the two are tied at a point where they agree: under applyMu
// a replica has applied (and so handed to the AOF) exactly the commands up
// to its offset (or up to an open MULTI, whose queued commands have no
// effects yet). Once Synced reaches the Received taken there, that offset
// is durable. A sample whose bytes are not fsynced yet is handed to a
// goroutine that waits for them and sends an ACK as soon as they are, so
// that with appendfsync always a WAITAOF does not wait for the next
// periodic ACK.
//
// Lock order: applyMu is released before fackState.mu is taken.

import (
	"sync"

	"github.com/vireodb/vireo/persistence/aof"
)

// fackState is the replica's fsynced offset bookkeeping.
type fackState struct {
	mu      sync.Mutex
	w       *aof.Writer // the writer the offset was measured with
	gen     int64       // the history (replState.histGen) it belongs to
	durable int64       // fsynced up to here
	waiting bool        // a goroutine waits for a sample to be fsynced
}

// replicaFsyncedOffset is the FACK a replica sends: -1 with the AOF off
// (no FACK), the last offset known fsynced otherwise; while the AOF waits
// for its first base (turned on, or restarted after a full sync) nothing
// newer counts, as Redis leaves fsynced_reploff until the rewrite is done.
func (s *Server) replicaFsyncedOffset() int64 {
	a := &s.aof
	a.mu.Lock()
	w, waitRewrite := a.w, a.waitRewrite
	a.mu.Unlock()
	if w == nil {
		return -1
	}
	r := &s.repl
	r.applyMu.Lock()
	gen := r.histGen.Load()
	recv, off := w.Received(), r.backlog.Offset()
	if r.master.multi != nil {
		off = r.multiStart
	}
	r.applyMu.Unlock()

	f := &r.fack
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.w != w || f.gen != gen {
		// Another writer (the AOF was turned off and on) or another
		// history (a full sync): start from nothing.
		f.w, f.gen, f.durable = w, gen, 0
	}
	if waitRewrite {
		return f.durable
	}
	if w.Synced() >= recv {
		f.durable = max(f.durable, off)
		return f.durable
	}
	if !f.waiting {
		f.waiting = true
		go s.awaitFsync(w, gen, recv, off)
	}
	return f.durable
}

// awaitFsync waits until the AOF writer fsynced recv bytes, records off as
// durable (if the writer and the history are still the same) and sends an
// ACK at once.
func (s *Server) awaitFsync(w *aof.Writer, gen, recv, off int64) {
	err := w.WaitDurable(recv)
	f := &s.repl.fack
	f.mu.Lock()
	f.waiting = false
	advanced := err == nil && f.w == w && f.gen == gen && off > f.durable
	if advanced {
		f.durable = off
	}
	f.mu.Unlock()
	if !advanced {
		return
	}
	s.repl.mu.Lock()
	link := s.repl.link
	s.repl.mu.Unlock()
	if link != nil {
		link.SendAck()
	}
}
