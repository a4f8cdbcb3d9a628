package server

// Full syncs that share one snapshot (repl-diskless-sync-delay, Redis's
// replicationStartPendingFork). A replica asking for a diskless full sync
// is not answered at once: it waits, in state wait_bgsave, until the
// oldest waiting replica has waited repl-diskless-sync-delay seconds (or
// repl-diskless-sync-max-replicas are waiting). Then one fork-less
// snapshot is opened, every waiting replica's feed is attached at its
// epoch in one step (all start at the same offset), each gets
// +FULLRESYNC, and one goroutine streams the payload to all of them. Until
// then the cron sends each a newline every second, as Redis does, so that
// its link does not time out.
//
// Locking: syncBatch.mu guards the waiting list and the writes of the
// keep-alive newlines; a replica leaves the list, under it, before
// anything else is written to its socket.

import (
	"bufio"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/vireodb/vireo/persistence/snapshot"
	"github.com/vireodb/vireo/replication"
)

// syncBatch is the replicas waiting for a shared full sync.
type syncBatch struct {
	mu           sync.Mutex
	waiting      []*replicaConn
	timer        *time.Timer
	lastNewlines time.Time
}

// queueFullSync makes rc wait for the next shared full sync, which starts
// delay seconds after the first waiting replica asked, or at once when
// maxReplicas (> 0) are waiting.
func (s *Server) queueFullSync(rc *replicaConn, delay, maxReplicas int) {
	b := &s.repl.batch
	b.mu.Lock()
	defer b.mu.Unlock()
	b.waiting = append(b.waiting, rc)
	slog.Info("Delay next BGSAVE for diskless SYNC", "replica", rc.c.addr)
	switch {
	case maxReplicas > 0 && len(b.waiting) >= maxReplicas:
		if b.timer != nil {
			b.timer.Stop()
			b.timer = nil
		}
		go s.startQueuedSyncs()
	case b.timer == nil:
		b.timer = time.AfterFunc(time.Duration(delay)*time.Second, s.startQueuedSyncs)
	}
}

// startQueuedSyncs starts the shared full sync of the waiting replicas
// that are still connected.
func (s *Server) startQueuedSyncs() {
	waiting := s.takeQueuedSyncs()
	live := waiting[:0]
	for _, rc := range waiting {
		if s.replicaOfClient(rc.c, false) == rc && !rc.c.killed.Load() {
			live = append(live, rc)
		}
	}
	if len(live) == 0 {
		return
	}
	feeds := make([]*replication.Feed, len(live))
	for i, rc := range live {
		feeds[i] = rc.feed
	}
	gone := func() bool {
		for _, rc := range live {
			if s.replicaOfClient(rc.c, false) == rc {
				return false
			}
		}
		return true
	}
	snap, id, off, err := s.beginFullSync(feeds, gone)
	if err != nil {
		if !errors.Is(err, errSyncAbandoned) {
			slog.Warn("Can't start the full sync of the waiting replicas", "err", err)
		}
		for _, rc := range live {
			closeConn(rc.c.conn)
		}
		return
	}
	slog.Info("Starting a snapshot for SYNC shared by the waiting replicas", "replicas", len(live), "replid", id, "offset", off)
	reply := []byte("+FULLRESYNC " + id + " " + strconv.FormatInt(off, 10) + "\r\n")
	for _, rc := range live {
		rc.state.Store(replicaSendBulk)
		rc.c.conn.Write(reply) // a failed write shows in the payload's
	}
	go s.runSharedSync(live, snap)
}

// runSharedSync streams one payload to several replicas (the diskless
// $EOF: form), then, for each, waits for its first ACK and sends its
// stream. A replica whose socket fails is dropped; the others go on.
func (s *Server) runSharedSync(rcs []*replicaConn, snap *snapshot.Snapshot) {
	mark := replication.NewReplID()
	out := &fanoutWriter{}
	for _, rc := range rcs {
		bw := bufio.NewWriterSize(rc.c.conn, 64<<10)
		bw.WriteString("$EOF:" + mark + "\r\n")
		out.ws = append(out.ws, bw)
	}
	out.failed = make([]bool, len(rcs))
	_, err := snap.WriteTo(out)
	s.endSyncSnapshot(snap)
	for i, rc := range rcs {
		if err == nil && !out.failed[i] {
			out.ws[i].WriteString(mark)
			if out.ws[i].Flush() == nil {
				go s.finishSharedSync(rc)
				continue
			}
		}
		slog.Warn("Replica full sync failed", "replica", rc.c.addr, "err", err)
		closeConn(rc.c.conn)
	}
}

// finishSharedSync puts a replica online on its first ACK and sends it
// its stream; then it closes the connection.
func (s *Server) finishSharedSync(rc *replicaConn) {
	defer closeConn(rc.c.conn)
	if err := s.awaitFirstAck(rc); err != nil {
		slog.Warn("Replica full sync failed", "replica", rc.c.addr, "err", err)
		return
	}
	s.putReplicaOnline(rc)
	s.drainToReplica(rc)
}

// takeQueuedSyncs empties the queue of replicas waiting for a full sync
// and stops its timer.
func (s *Server) takeQueuedSyncs() []*replicaConn {
	b := &s.repl.batch
	b.mu.Lock()
	defer b.mu.Unlock()
	waiting := b.waiting
	b.waiting = nil
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	return waiting
}

// dropQueuedSyncs disconnects the replicas waiting for a full sync, as
// REPLICAOF host port drops every replica: the history they would get is
// about to change.
func (s *Server) dropQueuedSyncs() {
	waiting := s.takeQueuedSyncs()
	for _, rc := range waiting {
		closeConn(rc.c.conn)
	}
}

// sendSyncKeepalives is the cron's part: a newline every second to each
// replica waiting for its full sync to start.
func (s *Server) sendSyncKeepalives() {
	b := &s.repl.batch
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.waiting) == 0 || time.Since(b.lastNewlines) < time.Second {
		return
	}
	b.lastNewlines = time.Now()
	for _, rc := range b.waiting {
		rc.c.conn.SetWriteDeadline(time.Now().Add(time.Second))
		rc.c.conn.Write([]byte("\n"))
		rc.c.conn.SetWriteDeadline(time.Time{})
	}
}

// errAllReplicasGone ends a shared payload whose every replica failed.
var errAllReplicasGone = errors.New("server: every replica of the shared full sync is gone")

// fanoutWriter writes the shared payload to every replica still there; a
// failed replica is marked and skipped, the write fails only when none is
// left.
type fanoutWriter struct {
	ws     []*bufio.Writer
	failed []bool
}

func (f *fanoutWriter) Write(p []byte) (int, error) {
	live := 0
	for i, w := range f.ws {
		if f.failed[i] {
			continue
		}
		if _, err := w.Write(p); err != nil {
			f.failed[i] = true
			continue
		}
		live++
	}
	if live == 0 {
		return 0, errAllReplicasGone
	}
	return len(p), nil
}
