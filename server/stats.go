package server

import (
	"strings"
	"sync"
	"sync/atomic"
)

// Counters bumped by every command are striped: each client adds to the
// stripe its id selects, and readers sum the stripes. With one shared
// atomic, every core running commands would fight over one cache line.
const statStripes = 16

type paddedCounter struct {
	v atomic.Int64
	_ [56]byte
}

// stripedCounter is a counter written from many cores.
type stripedCounter struct{ s [statStripes]paddedCounter }

// Add adds n on the stripe of client id.
func (sc *stripedCounter) Add(id int64, n int64) { sc.s[id&(statStripes-1)].v.Add(n) }

// Load sums the stripes.
func (sc *stripedCounter) Load() int64 {
	var t int64
	for i := range sc.s {
		t += sc.s[i].v.Load()
	}
	return t
}

// Reset zeroes the counter.
func (sc *stripedCounter) Reset() {
	for i := range sc.s {
		sc.s[i].v.Store(0)
	}
}

// cmdStats are one command's commandstats, striped by client.
type cmdStats struct{ s [statStripes]cmdStatStripe }

type cmdStatStripe struct {
	calls, usec, rejected, failed atomic.Int64
	_                             [32]byte
}

func (st *cmdStats) stripe(id int64) *cmdStatStripe { return &st.s[id&(statStripes-1)] }

// snapshot sums the stripes.
func (st *cmdStats) snapshot() (calls, usec, rejected, failed int64) {
	for i := range st.s {
		x := &st.s[i]
		calls += x.calls.Load()
		usec += x.usec.Load()
		rejected += x.rejected.Load()
		failed += x.failed.Load()
	}
	return
}

func (st *cmdStats) reset() {
	for i := range st.s {
		x := &st.s[i]
		x.calls.Store(0)
		x.usec.Store(0)
		x.rejected.Store(0)
		x.failed.Store(0)
	}
}

// totalCommands is total_commands_processed: the sum of every command's calls.
func (s *Server) totalCommands() int64 {
	var n int64
	for _, cmd := range s.table.cmds {
		c, _, _, _ := cmd.stats.snapshot()
		n += c
		for _, sub := range cmd.Subcommands {
			c, _, _, _ := sub.stats.snapshot()
			n += c
		}
	}
	return n
}

// serverStats are the counters INFO stats reports.
type serverStats struct {
	connsReceived atomic.Int64
	rejectedConns atomic.Int64
	netInput      atomic.Int64
	netOutput     atomic.Int64
	expiredKeys   atomic.Int64
	evictedKeys   atomic.Int64
	// outputLimitDisconnections counts clients dropped for passing
	// client-output-buffer-limit (outqueue.go).
	outputLimitDisconnections atomic.Int64
	keyspaceHits              stripedCounter
	keyspaceMiss              stripedCounter

	errMu  sync.Mutex
	errors map[string]int64 // errorstats: count per error code
	errTot atomic.Int64
}

// countError records an error reply under its code (the first word).
func (st *serverStats) countError(msg string) {
	code := msg
	if i := strings.IndexByte(msg, ' '); i >= 0 {
		code = msg[:i]
	}
	st.errTot.Add(1)
	st.errMu.Lock()
	if st.errors == nil {
		st.errors = make(map[string]int64)
	}
	if _, ok := st.errors[code]; !ok && len(st.errors) >= 128 {
		code = "ERRORSTATS_OVERFLOW"
	}
	st.errors[code]++
	st.errMu.Unlock()
}
