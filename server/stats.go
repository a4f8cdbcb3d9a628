package server

import (
	"strings"
	"sync"
	"sync/atomic"
)

// serverStats are the counters INFO stats reports.
type serverStats struct {
	commands      atomic.Int64
	connsReceived atomic.Int64
	rejectedConns atomic.Int64
	netInput      atomic.Int64
	netOutput     atomic.Int64
	expiredKeys   atomic.Int64
	keyspaceHits  atomic.Int64
	keyspaceMiss  atomic.Int64

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
