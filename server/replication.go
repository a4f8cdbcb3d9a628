package server

// Replication (Redis's PSYNC2, both roles): the glue between the
// replication package (backlog, feeds, the replica's link) and the server.
//
// Primary side. The backlog is a sink of the propagation stream once the
// first replica connects (and stays one, as Redis keeps its backlog). A
// PSYNC that can continue attaches the replica's Feed with the bytes it
// misses; otherwise a fork-less snapshot is opened under LockAll, the
// stream's next effect is made to start with SELECT, and the Feed attached
// at the same instant, so the replica gets exactly the writes after the
// snapshot's epoch. A writer goroutine per replica sends the payload, then
// drains the Feed. The connection's own goroutine keeps reading the
// replica's REPLCONF ACKs, with its replies switched off.
//
// Replica side. A replication.Link connects to the primary; the payload
// replaces the dataset (written to a temp file, then flushed and loaded
// under LockAll, while stale data is served meanwhile), and each command of
// the stream runs through the dispatcher on the master client, a Ctx with
// no socket whose replies are dropped. applyMu makes "apply a command, then
// append it verbatim to our own backlog" atomic with respect to a
// sub-replica's snapshot, so chained replicas get every command once.
//
// Saves take applyMu before the shard locks too (lockForSave), so that a
// replica's saved offset (repl-offset) is the one its data is at.
//
// Lock order: applyMu, then shard locks, then the stream's lock, then the
// backlog's lock, then a Feed's lock.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vireodb/vireo/persistence/rdb"
	"github.com/vireodb/vireo/persistence/snapshot"
	"github.com/vireodb/vireo/replication"
)

// Error replies of the replication checks (Redis 7.0's shared objects).
const (
	errReadOnlyReplica = "READONLY You can't write against a read only replica."
	errNoReplicas      = "NOREPLICAS Not enough good replicas to write."
	errMasterDown      = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
	errWaitOnReplica   = "ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated."
	// Redis 7.2's WAITAOF on a replica.
	errWaitAOFOnReplica = "ERR WAITAOF cannot be used with replica instances. Please also note that writes to replicas are just local and are not propagated."
)

// The states of a replica as the primary shows them (INFO's slaveN state).
const (
	replicaWaitBgsave int32 = iota
	replicaSendBulk
	replicaOnline
)

// replState is the server's replication state.
type replState struct {
	backlog *replication.Backlog

	mu       sync.Mutex
	sinkOn   bool                        // the backlog is a sink of the stream
	link     *replication.Link           // nil on a primary
	replicas map[int64]*replicaConn      // by client id, from the first REPLCONF
	snaps    map[*snapshot.Snapshot]bool // full-sync snapshots being written
	ackWake  chan struct{}               // closed (and replaced) on every ACK: WAIT

	isReplica atomic.Bool // a link is configured (masterhost != NULL)
	applyMu   sync.Mutex  // see the file comment
	master    *Ctx        // the master client (replica side)
	lastPing  time.Time

	batch syncBatch // replicas waiting for a shared full sync (replication_batch.go)

	// masterSince is when the link last finished a sync (unix ms): the
	// age CLIENT LIST shows for the master client, which Redis creates then.
	masterSince atomic.Int64

	// multiStart is the offset before the MULTI of a transaction the
	// master client has open (guarded by applyMu): a save meanwhile is at
	// that offset, as Redis's master->reploff stays before an open MULTI.
	multiStart int64

	syncFull, syncPartialOK, syncPartialErr atomic.Int64

	// histGen counts the histories a replica took from a full sync
	// (guarded by applyMu for writes): an fsynced offset of an older one
	// means nothing in the new one.
	histGen atomic.Int64
	fack    fackState

	// streamEnd is the backlog's offset after the stream's last effect,
	// stored by the backlog sink under the stream's lock: a client reads
	// it right after propagating as its write offset (Ctx.woff).
	streamEnd atomic.Int64
}

// replicaConn is one replica connected to this primary.
type replicaConn struct {
	c             *Ctx
	ip            string
	listeningPort int
	capaEOF       bool
	capaPSync2    bool
	feed          *replication.Feed
	state         atomic.Int32
	ackOffset     atomic.Int64
	fackOffset    atomic.Int64 // the replica's AOF is fsynced up to here (REPLCONF ACK ... FACK)
	ackTime       atomic.Int64 // unix ms of the last ACK
	firstAck      chan struct{}
	firstAckOnce  sync.Once
}

// backlogSink feeds the stream into the backlog while this server is a
// primary; a replica's backlog gets its primary's stream verbatim instead.
type backlogSink struct{ s *Server }

func (k backlogSink) Write(p []byte) {
	if r := &k.s.repl; !r.isReplica.Load() {
		r.streamEnd.Store(r.backlog.Write(p))
	}
}

func (s *Server) initReplication() {
	r := &s.repl
	// The first replication ID is the run ID, as INFO has always shown.
	r.backlog = replication.NewBacklog(int(s.cfg.Snapshot().ReplBacklogSize), s.runID)
	r.replicas = map[int64]*replicaConn{}
	r.snaps = map[*snapshot.Snapshot]bool{}
	r.ackWake = make(chan struct{})
	// Created once and never replaced: the dispatcher compares every
	// client with it, from every connection goroutine.
	r.master = s.newMasterClient()
	s.cfg.OnAnyChange(func() { r.backlog.Resize(int(s.cfg.Snapshot().ReplBacklogSize)) }, "repl-backlog-size")
}

// startReplication follows the replicaof directive at start-up.
func (s *Server) startReplication() {
	st := s.cfg.Snapshot()
	if st.ReplicaOfHost != "" {
		s.replicaOf(st.ReplicaOfHost, st.ReplicaOfPort)
	}
}

// stopReplication ends the link and every replica's writer (Close).
func (s *Server) stopReplication() {
	s.repl.mu.Lock()
	link := s.repl.link
	s.repl.mu.Unlock()
	if link != nil {
		link.Stop()
	}
	s.repl.backlog.DetachAll()
}

// ensureBacklogSinkLocked makes the backlog a sink of the stream; the caller
// holds every shard lock, so the next effect's SELECT lands in it.
func (s *Server) ensureBacklogSinkLocked() {
	r := &s.repl
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.sinkOn {
		s.ks.Stream.AddSink(backlogSink{s})
		r.sinkOn = true
	}
	s.ks.Stream.ResetDB()
}

// ---------------------------------------------------------------------------
// Checks run by the dispatcher.

// replicationReject is the dispatcher's replication check: the error a
// command gets from min-replicas-to-write (NOREPLICAS), a read-only replica
// (READONLY) or a replica whose link is down with stale data refused
// (MASTERDOWN); "" when it may run. The master client is never refused.
func (c *Ctx) replicationReject(cmd *Command) string {
	s := c.srv
	if !s.repl.isReplica.Load() {
		if cmd.IsWrite() && s.failoverRefusesWrite(c) {
			return errReadOnlyReplica // failover.go: not the committed primary now
		}
		if cmd.IsWrite() && s.minReplicasUnmet() {
			return errNoReplicas
		}
		return ""
	}
	if c == s.repl.master {
		return ""
	}
	st := s.cfg.Snapshot()
	if cmd.IsWrite() && st.ReplicaReadOnly {
		return errReadOnlyReplica
	}
	if !st.ReplicaServeStaleData && cmd.Flags&FlagStale == 0 && !s.masterLinkUp() {
		return errMasterDown
	}
	return ""
}

// minReplicasUnmet reports whether min-replicas-to-write is set and fewer
// replicas than that acknowledged within min-replicas-max-lag seconds.
func (s *Server) minReplicasUnmet() bool {
	if s.set.minReplicasToWrite.Load() <= 0 {
		return false // the usual case: no copy of the settings per write
	}
	st := s.cfg.Snapshot()
	if st.MinReplicasToWrite <= 0 || st.MinReplicasMaxLag <= 0 {
		return false
	}
	return s.goodReplicas(st.MinReplicasMaxLag) < st.MinReplicasToWrite
}

// goodReplicas counts online replicas whose last ACK is at most maxLag
// seconds old.
func (s *Server) goodReplicas(maxLag int) int {
	now := time.Now().UnixMilli()
	n := 0
	for _, rc := range s.onlineReplicas() {
		if (now-rc.ackTime.Load())/1000 <= int64(maxLag) {
			n++
		}
	}
	return n
}

func (s *Server) masterLinkUp() bool {
	s.repl.mu.Lock()
	link := s.repl.link
	s.repl.mu.Unlock()
	return link != nil && link.State() == replication.LinkConnected
}

// ---------------------------------------------------------------------------
// Primary side.

// replicaOfClient returns c's replica state, creating it (REPLCONF before
// PSYNC) when create is set.
func (s *Server) replicaOfClient(c *Ctx, create bool) *replicaConn {
	s.repl.mu.Lock()
	defer s.repl.mu.Unlock()
	rc := s.repl.replicas[c.id]
	if rc == nil && create {
		host, _, _ := net.SplitHostPort(c.addr)
		rc = &replicaConn{c: c, ip: host, firstAck: make(chan struct{})}
		s.repl.replicas[c.id] = rc
	}
	return rc
}

// replicaClientClosed forgets a disconnected replica (closeClient).
func (s *Server) replicaClientClosed(c *Ctx) {
	s.repl.mu.Lock()
	rc := s.repl.replicas[c.id]
	delete(s.repl.replicas, c.id)
	s.repl.mu.Unlock()
	if rc != nil && rc.feed != nil {
		s.repl.backlog.Detach(rc.feed)
		rc.feed.Close()
		slog.Info("Connection with replica lost.", "addr", c.addr)
	}
}

// onlineReplicas lists the replicas past their sync, by client id.
func (s *Server) onlineReplicas() []*replicaConn {
	return s.listReplicas(true)
}

func (s *Server) listReplicas(onlineOnly bool) []*replicaConn {
	s.repl.mu.Lock()
	defer s.repl.mu.Unlock()
	out := make([]*replicaConn, 0, len(s.repl.replicas))
	for _, rc := range s.repl.replicas {
		if rc.feed == nil || (onlineOnly && rc.state.Load() != replicaOnline) {
			continue
		}
		out = append(out, rc)
	}
	// Oldest connection first, as Redis lists its replicas.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].c.id < out[j-1].c.id; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// REPLCONF <option> <value> [<option> <value> ...]
func cmdReplconf(c *Ctx, args [][]byte) {
	if len(args)%2 == 0 {
		c.Error(ErrSyntax)
		return
	}
	s := c.srv
	for i := 1; i < len(args); i += 2 {
		opt, val := args[i], args[i+1]
		switch {
		case eq(opt, "listening-port"):
			port, err := strconv.ParseInt(string(val), 10, 64)
			if err != nil {
				c.Error(ErrNotInteger)
				return
			}
			s.replicaOfClient(c, true).listeningPort = int(port)
		case eq(opt, "ip-address"):
			s.replicaOfClient(c, true).ip = string(val)
		case eq(opt, "capa"):
			rc := s.replicaOfClient(c, true)
			switch {
			case eq(val, "eof"):
				rc.capaEOF = true
			case eq(val, "psync2"):
				rc.capaPSync2 = true
			}
		case eq(opt, "ack"):
			// REPLCONF ACK <offset> [FACK <aof offset>]: a replica reports
			// its offset, and (Redis 7.2) how far its AOF is fsynced.
			// Redis never answers ACKs.
			off, err := strconv.ParseInt(string(val), 10, 64)
			rc := s.replicaOfClient(c, false)
			if err != nil || rc == nil || rc.feed == nil {
				return
			}
			if off > rc.ackOffset.Load() {
				rc.ackOffset.Store(off)
			}
			if i+3 < len(args) && eq(args[i+2], "fack") {
				foff, err := strconv.ParseInt(string(args[i+3]), 10, 64)
				if err != nil {
					return
				}
				if foff > rc.fackOffset.Load() {
					rc.fackOffset.Store(foff)
				}
			}
			rc.ackTime.Store(time.Now().UnixMilli())
			rc.firstAckOnce.Do(func() { close(rc.firstAck) })
			s.wakeWaiters()
			return
		case eq(opt, "getack"):
			// Only a primary sends GETACK; the link answers it.
			return
		case eq(opt, "rdb-only"), eq(opt, "rdb-filter-only"):
		default:
			c.Error("ERR Unrecognized REPLCONF option: " + string(opt))
			return
		}
	}
	c.OK()
}

// nextAck is closed when the next replica ACK arrives (WAIT, WAITAOF,
// FAILOVER wait on it).
func (s *Server) nextAck() <-chan struct{} {
	s.repl.mu.Lock()
	defer s.repl.mu.Unlock()
	return s.repl.ackWake
}

// wakeWaiters tells WAITing clients that an ACK arrived.
func (s *Server) wakeWaiters() {
	s.repl.mu.Lock()
	close(s.repl.ackWake)
	s.repl.ackWake = make(chan struct{})
	s.repl.mu.Unlock()
}

// SYNC
func cmdSync(c *Ctx, args [][]byte) { c.psync("?", -1, true) }

// PSYNC replicationid offset [FAILOVER]
func cmdPSync(c *Ctx, args [][]byte) {
	if rc := c.srv.replicaOfClient(c, false); rc != nil && rc.feed != nil {
		return // already a replica: Redis ignores a second SYNC
	}
	if len(args) > 3 && eq(args[3], "failover") {
		if err := c.psyncFailover(string(args[1])); err != nil { // failover_cmd.go
			c.Error(err.Error())
			return
		}
	}
	off, err := strconv.ParseInt(string(args[2]), 10, 64)
	if err != nil {
		c.Error(ErrNotInteger)
		return
	}
	c.psync(string(args[1]), off, false)
}

// psync is syncCommand: a partial resync when the backlog has what the
// replica misses, a full one otherwise. From here on the connection sends
// no replies; the replica's writer goroutine owns the socket's output.
func (c *Ctx) psync(replID string, offset int64, oldSync bool) {
	s := c.srv
	if s.replicaOfClient(c, false) != nil && s.replicaOfClient(c, false).feed != nil {
		return // already a replica: Redis ignores a second SYNC
	}
	if s.coordFailover.state.Load() != failoverNone {
		c.Error("NOMASTERLINK Can't SYNC while failing over")
		return
	}
	if s.repl.isReplica.Load() && !s.masterLinkUp() {
		c.Error("NOMASTERLINK Can't SYNC while not connected with my master")
		return
	}
	rc := s.replicaOfClient(c, true)
	limit := int64(s.outputLimit(1).Hard) // client-output-buffer-limit replica
	feed := replication.NewFeed(limit)
	if !oldSync {
		if id, ok := s.repl.backlog.AttachContinue(feed, replID, offset); ok {
			s.repl.syncPartialOK.Add(1)
			s.setReplicaFeed(rc, feed)
			rc.state.Store(replicaOnline)
			rc.ackTime.Store(time.Now().UnixMilli())
			if rc.capaPSync2 {
				c.Simple("CONTINUE " + id)
			} else {
				c.Simple("CONTINUE")
			}
			c.handOverToFeed()
			slog.Info("Partial resynchronization request accepted.", "replica", c.addr, "offset", offset)
			go s.runReplicaWriter(rc, nil)
			return
		}
		if replID != "?" {
			s.repl.syncPartialErr.Add(1)
		}
	}
	if st := s.cfg.Snapshot(); !oldSync && rc.capaEOF && st.ReplDisklessSync && st.ReplDisklessSyncDelay > 0 {
		// repl-diskless-sync-delay: wait for more replicas to share one
		// snapshot; +FULLRESYNC goes out when it starts (replication_batch.go).
		s.repl.syncFull.Add(1)
		s.setReplicaFeed(rc, feed)
		rc.state.Store(replicaWaitBgsave)
		c.handOverToFeed()
		s.queueFullSync(rc, st.ReplDisklessSyncDelay, st.ReplDisklessSyncMaxReplicas)
		return
	}
	snap, id, off, err := s.beginFullSync([]*replication.Feed{feed}, c.killed.Load)
	if err != nil {
		if !errors.Is(err, errSyncAbandoned) {
			c.Error("ERR " + err.Error())
		}
		return
	}
	s.repl.syncFull.Add(1)
	s.setReplicaFeed(rc, feed)
	rc.state.Store(replicaSendBulk)
	if !oldSync {
		c.Simple("FULLRESYNC " + id + " " + strconv.FormatInt(off, 10))
	}
	c.handOverToFeed()
	slog.Info("Starting full resynchronization", "replica", c.addr, "replid", id, "offset", off)
	go s.runReplicaWriter(rc, snap)
}

// setReplicaFeed makes rc a replica fed by feed; under repl.mu, which
// the listings (listReplicas, isReplicaConn) read it under.
func (s *Server) setReplicaFeed(rc *replicaConn, feed *replication.Feed) {
	s.repl.mu.Lock()
	rc.feed = feed
	s.repl.mu.Unlock()
}

// handOverToFeed sends the replies written so far and switches the
// connection's replies off: the writer goroutine writes from now on.
func (c *Ctx) handOverToFeed() {
	c.block.flushed += len(c.out)
	c.flush()
	c.replyMode = replyOff
}

// errSyncAbandoned is beginFullSync's answer when the replicas went away
// (or the server stops) while another snapshot was running.
var errSyncAbandoned = errors.New("server: full sync abandoned")

// beginFullSync opens a snapshot and attaches the feeds at its epoch,
// waiting while another snapshot (a BGSAVE, another sync) runs, until
// abandoned says to give up.
func (s *Server) beginFullSync(feeds []*replication.Feed, abandoned func() bool) (*snapshot.Snapshot, string, int64, error) {
	// A replica serving sub-replicas applies its primary's stream under
	// applyMu: hold it so the snapshot and the attach see the same offset.
	s.repl.applyMu.Lock()
	defer s.repl.applyMu.Unlock()
	for {
		s.ks.LockAll()
		// The backlog exists before the payload's AUX fields are taken, so
		// that they carry the history the replica starts from: restarted
		// with this payload as its data, it can continue (Redis creates the
		// backlog on the first replica's SYNC, before its BGSAVE).
		s.ensureBacklogSinkLocked()
		s.repl.backlog.Create()
		snap, err := snapshot.BeginLocked(s.ks, s.saveOptionsLocked())
		if err == nil {
			id, off := s.repl.backlog.AttachAt(feeds...)
			s.repl.mu.Lock()
			s.repl.snaps[snap] = true
			s.repl.mu.Unlock()
			s.ks.UnlockAll()
			return snap, id, off, nil
		}
		s.ks.UnlockAll()
		if !errors.Is(err, snapshot.ErrInProgress) {
			return nil, "", 0, err
		}
		if abandoned() || s.closed.Load() {
			return nil, "", 0, errSyncAbandoned
		}
		s.repl.applyMu.Unlock()
		time.Sleep(20 * time.Millisecond)
		s.repl.applyMu.Lock()
	}
}

// endSyncSnapshot forgets a full sync's snapshot once its payload is sent.
func (s *Server) endSyncSnapshot(snap *snapshot.Snapshot) {
	s.repl.mu.Lock()
	delete(s.repl.snaps, snap)
	s.repl.mu.Unlock()
}

// runReplicaWriter sends a full sync's payload (snap non-nil), then the
// replica's stream until the feed closes or a write fails; then it closes
// the connection.
func (s *Server) runReplicaWriter(rc *replicaConn, snap *snapshot.Snapshot) {
	c := rc.c
	defer closeConn(c.conn)
	if snap != nil {
		err := s.sendPayload(rc, snap)
		s.endSyncSnapshot(snap)
		if err != nil {
			slog.Warn("Replica full sync failed", "replica", c.addr, "err", err)
			return
		}
	}
	s.drainToReplica(rc)
}

// drainToReplica sends the replica's stream until its feed closes or a
// write fails.
func (s *Server) drainToReplica(rc *replicaConn) {
	if err := rc.feed.Drain(rc.c.conn); err != nil && rc.feed.Overflowed() {
		s.stats.outputLimitDisconnections.Add(1)
		slog.Warn("Client scheduled to be closed ASAP for overcoming of output buffer limits.", "replica", rc.c.addr)
	}
}

// sendPayload writes the snapshot: in the diskless EOF-mark form when the
// replica can read it and repl-diskless-sync is on, else as a $<len> bulk
// (built in memory). A diskless replica goes online on its first ACK, as
// in Redis: until then it cannot tell the payload's end from the stream.
func (s *Server) sendPayload(rc *replicaConn, snap *snapshot.Snapshot) error {
	c := rc.c
	if rc.capaEOF && s.cfg.Snapshot().ReplDisklessSync {
		mark := replication.NewReplID()
		bw := bufio.NewWriterSize(c.conn, 64<<10)
		bw.WriteString("$EOF:" + mark + "\r\n")
		if _, err := snap.WriteTo(bw); err != nil {
			return err
		}
		bw.WriteString(mark)
		if err := bw.Flush(); err != nil {
			return err
		}
		if err := s.awaitFirstAck(rc); err != nil {
			return err
		}
	} else {
		var buf bytes.Buffer
		if _, err := snap.WriteTo(&buf); err != nil {
			return err
		}
		if _, err := c.conn.Write([]byte("$" + strconv.Itoa(buf.Len()) + "\r\n")); err != nil {
			return err
		}
		if _, err := c.conn.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	s.putReplicaOnline(rc)
	return nil
}

// awaitFirstAck waits for a diskless replica's first ACK, which tells the
// payload's end was found (repl-timeout at most).
func (s *Server) awaitFirstAck(rc *replicaConn) error {
	timeout := time.Duration(s.cfg.Snapshot().ReplTimeout) * time.Second
	select {
	case <-rc.firstAck:
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("server: replica did not acknowledge the payload in %v", timeout)
	case <-s.ctx.Done():
		return s.ctx.Err()
	}
}

// putReplicaOnline is putSlaveOnline: the replica gets the stream now.
func (s *Server) putReplicaOnline(rc *replicaConn) {
	rc.ackTime.Store(time.Now().UnixMilli())
	rc.state.Store(replicaOnline)
	slog.Info("Synchronization with replica succeeded", "replica", rc.c.addr)
}

// abortReplicaSyncsLocked stops every full-sync snapshot and drops every
// replica (a replica loading a new dataset; its history changes). The
// caller holds every shard lock.
func (s *Server) abortReplicaSyncsLocked() {
	s.repl.mu.Lock()
	for snap := range s.repl.snaps {
		snap.Abort()
	}
	s.repl.mu.Unlock()
	s.repl.backlog.DetachAll()
}

// replicationCron pings the replicas every repl-ping-replica-period (the
// PING goes into the stream, as Redis's does, and keeps their links busy).
func (s *Server) replicationCron() {
	s.sendSyncKeepalives() // replication_batch.go
	r := &s.repl
	if r.isReplica.Load() || len(s.onlineReplicas()) == 0 || s.writesPaused() {
		return // a write pause holds PINGs back too, as in Redis
	}
	period := time.Duration(s.cfg.Snapshot().ReplPingReplicaPeriod) * time.Second
	if time.Since(r.lastPing) < period {
		return
	}
	r.lastPing = time.Now()
	r.backlog.Write([]byte("*1\r\n$4\r\nPING\r\n"))
}

// WAIT numreplicas timeout
func cmdWait(c *Ctx, args [][]byte) {
	s := c.srv
	if s.repl.isReplica.Load() {
		c.Error(errWaitOnReplica)
		return
	}
	num, err := strconv.ParseInt(string(args[1]), 10, 64)
	if err != nil {
		c.Error(ErrNotInteger)
		return
	}
	timeout, err := strconv.ParseInt(string(args[2]), 10, 64)
	if err != nil {
		c.Error("ERR timeout is not an integer or out of range")
		return
	}
	if timeout < 0 {
		c.Error("ERR timeout is negative")
		return
	}
	// The client's own last write, not the whole stream: what other
	// clients wrote since is not this client's to wait for.
	target := c.woff
	count := s.replicasAcked(target)
	if int64(count) >= num || (c.multi != nil && c.multi.executing) {
		c.Int(int64(count))
		return
	}
	s.requestAcks()
	var deadline <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Millisecond)
		defer t.Stop()
		deadline = t.C
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for int64(count) < num {
		select {
		case <-s.nextAck():
		case <-tick.C:
			if c.killed.Load() {
				return
			}
		case <-deadline:
			c.Int(int64(s.replicasAcked(target)))
			return
		case <-s.ctx.Done():
			return
		}
		count = s.replicasAcked(target)
	}
	c.Int(int64(count))
}

// requestAcks asks every replica for an ACK now (REPLCONF GETACK *), as a
// blocking WAIT or WAITAOF does.
func (s *Server) requestAcks() {
	s.repl.backlog.Write([]byte("*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n"))
}

// replicasAcked counts replicas that acknowledged offset.
func (s *Server) replicasAcked(offset int64) int {
	n := 0
	for _, rc := range s.onlineReplicas() {
		if rc.ackOffset.Load() >= offset {
			n++
		}
	}
	return n
}

// replicasFsynced counts replicas whose AOF is fsynced up to offset
// (replicationCountAOFAcksByOffset).
func (s *Server) replicasFsynced(offset int64) int {
	n := 0
	for _, rc := range s.onlineReplicas() {
		if rc.fackOffset.Load() >= offset {
			n++
		}
	}
	return n
}

// ---------------------------------------------------------------------------
// Replica side.

// REPLICAOF host port | NO ONE (and SLAVEOF)
func cmdReplicaOf(c *Ctx, args [][]byte) {
	s := c.srv
	if eq(args[1], "no") && eq(args[2], "one") {
		if s.repl.isReplica.Load() {
			s.promote()
			slog.Info("MASTER MODE enabled (user request)", "client", c.addr)
		}
		c.OK()
		return
	}
	port, err := strconv.ParseInt(string(args[2]), 10, 64)
	if err != nil || port < 0 || port > 65535 {
		c.Error("ERR Invalid master port")
		return
	}
	host := string(args[1])
	s.repl.mu.Lock()
	link := s.repl.link
	s.repl.mu.Unlock()
	if link != nil && strings.EqualFold(link.Host(), host) && link.Port() == int(port) {
		slog.Info("REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.")
		c.Simple("OK Already connected to specified master")
		return
	}
	s.replicaOf(host, int(port))
	slog.Info("REPLICAOF enabled (user request from client)", "master", net.JoinHostPort(host, strconv.Itoa(int(port))))
	c.OK()
}

// replicaOf makes the server a replica of host:port (replicationSetMaster):
// writes stop being taken from clients, expiry waits for the primary's
// DELs, our replicas are dropped (they resync with the new history) and the
// link starts; it first tries to continue from our own history.
func (s *Server) replicaOf(host string, port int) { s.startLink(host, port, nil) }

// startLink is replicaOf; a non-nil onFailover makes the link's first PSYNC
// ask the target to take over (FAILOVER, failover_cmd.go) and is told how
// that ended.
func (s *Server) startLink(host string, port int, onFailover func(error)) {
	r := &s.repl
	r.mu.Lock()
	old := r.link
	r.link = nil
	r.mu.Unlock()
	if old != nil {
		old.Stop()
	}
	r.isReplica.Store(true)
	s.ks.SetReplica(true)
	r.backlog.DetachAll()
	s.dropQueuedSyncs() // replication_batch.go
	st := s.cfg.Snapshot()
	announce := st.ReplicaAnnouncePort
	if announce == 0 {
		announce = s.opts.Port
	}
	link := replication.NewLink(replication.LinkConfig{
		Host: host, Port: port,
		User: st.MasterUser, Auth: st.MasterAuth,
		ListeningPort: announce,
		AnnounceIP:    st.ReplicaAnnounceIP,
		Timeout:       time.Duration(st.ReplTimeout) * time.Second,
		MaxBulk:       st.ProtoMaxBulkLen,
		Backlog:       r.backlog,
		Applier:       replApplier{s},
		TLS:           s.replicationTLS(&st), // tls.go
		Failover:      onFailover != nil,
		OnFailover:    onFailover,
		FsyncedOffset: s.replicaFsyncedOffset,
		OnSync: func(full bool) {
			r.masterSince.Store(time.Now().UnixMilli())
			if full {
				slog.Info("MASTER <-> REPLICA sync: Finished with success")
			} else {
				slog.Info("Successful partial resynchronization with master.")
			}
		},
	})
	r.mu.Lock()
	r.link = link
	r.mu.Unlock()
	slog.Info("Connecting to MASTER", "addr", net.JoinHostPort(host, strconv.Itoa(port)))
	go link.Run()
}

// promote is REPLICAOF NO ONE: the link stops, a new history starts that
// continues the primary's (its ID becomes replid2, so our replicas can
// continue with PSYNC), and the server takes writes and expires keys again.
func (s *Server) promote() {
	r := &s.repl
	r.mu.Lock()
	link := r.link
	r.link = nil
	r.mu.Unlock()
	if link != nil {
		link.Stop()
	}
	s.ks.LockAll()
	r.backlog.Create()
	r.backlog.Shift("")
	r.isReplica.Store(false)
	s.ks.SetReplica(false)
	s.ensureBacklogSinkLocked()
	r.master.multi = nil // the link is stopped: nothing applies any more
	s.ks.UnlockAll()
	// Our replicas reconnect and continue with the new ID (Redis drops
	// them so that they learn it).
	r.backlog.DetachAll()
}

// newMasterClient builds the client the primary's stream runs on: no
// socket, authenticated, replies dropped, never blocking.
func (s *Server) newMasterClient() *Ctx {
	mc := &Ctx{
		srv:           s,
		id:            s.nextID.Add(1),
		created:       time.Now(),
		addr:          "master",
		proto:         2,
		authenticated: true,
		argv:          make([][]byte, 0, 16),
	}
	mc.user.Store(s.acl.internal) // acl.go: the primary's stream is not checked
	mc.block.deny = true
	mc.selectDB(0)
	return mc
}

// replApplier is the server's replication.Applier.
type replApplier struct{ s *Server }

// Apply runs one command of the primary's stream on the master client and
// appends it verbatim to our backlog (for chained replicas, and for PSYNCs
// after a promotion).
func (a replApplier) Apply(argv [][]byte, raw []byte) {
	s := a.s
	r := &s.repl
	r.applyMu.Lock()
	defer r.applyMu.Unlock()
	mc := r.master
	inMulti := mc.multi != nil
	mc.clock = time.Now()
	if !isReplicationControl(argv) {
		mc.execute(argv)
		mc.out = mc.out[:0]
	} else {
		// The link answers these itself; CLIENT LIST still shows them as
		// the master client's last command, as Redis does.
		mc.lastSeen.Store(mc.clock.UnixMilli())
		if cmd := s.table.Lookup(argv[0]); cmd != nil {
			mc.lastCmd.Store(cmd)
		}
	}
	mc.publishState() // CLIENT LIST's view of its transaction
	end := r.backlog.Write(raw)
	if !inMulti && mc.multi != nil {
		r.multiStart = end - int64(len(raw))
	}
}

// isReplicationControl reports the stream's keep-alives and ACK requests,
// which the link handles.
func isReplicationControl(argv [][]byte) bool {
	return eq(argv[0], "ping") || eq(argv[0], "replconf")
}

// Load replaces the dataset with the primary's payload: it is written to a
// temp file while the old data is still served, then, with applyMu and
// every shard locked, the keyspace is flushed, the file loaded and the
// history reset to the primary's (replID at offset); the file becomes the
// RDB file, as Redis's disk-based load leaves it.
func (a replApplier) Load(r io.Reader, replID string, offset int64) error {
	s := a.s
	st := s.cfg.Snapshot()
	tmp := filepath.Join(st.Dir, fmt.Sprintf("temp-%d.%d.rdb", time.Now().Unix(), os.Getpid()))
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("server: opening the temp file for the sync payload: %w", err)
	}
	_, err = io.Copy(f, r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("server: receiving the sync payload: %w", err)
	}
	slog.Info("MASTER <-> REPLICA sync: Flushing old data")
	s.repl.applyMu.Lock()
	defer s.repl.applyMu.Unlock()
	s.ks.LockAll()
	defer s.ks.UnlockAll()
	s.abortBGSaveLocked()
	s.abortReplicaSyncsLocked()
	for i := 0; i < s.ks.NumDBs(); i++ {
		s.ks.DB(i).FlushLocked()
	}
	if err := os.Rename(tmp, s.rdbPath()); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("server: renaming the sync payload: %w", err)
	}
	slog.Info("MASTER <-> REPLICA sync: Loading DB in memory")
	if _, err := s.loadLocked(false, nil); err != nil {
		return err
	}
	s.repl.backlog.ResetTo(replID, offset)
	s.repl.histGen.Add(1)         // fsynced offsets of the old history are void
	s.restartAOFAfterSyncLocked() // aof.go
	s.ks.Stream.ResetDB()
	mc := s.repl.master
	mc.multi = nil
	mc.selectDB(0)
	return nil
}

// ---------------------------------------------------------------------------
// The master client in CLIENT LIST and CLIENT KILL.

// connectedMasterClient is the master client while the link is up, nil
// otherwise: Redis's server.master exists from the end of a sync until the
// link breaks, and only then do CLIENT LIST and CLIENT KILL see it.
func (s *Server) connectedMasterClient() *Ctx {
	s.repl.mu.Lock()
	link := s.repl.link
	s.repl.mu.Unlock()
	if link == nil || link.State() != replication.LinkConnected {
		return nil
	}
	return s.repl.master
}

// masterClientAddrs are the master client's addr and laddr: the link's
// connection's remote and local addresses ("" while there is none).
func (s *Server) masterClientAddrs() (addr, laddr string) {
	s.repl.mu.Lock()
	link := s.repl.link
	s.repl.mu.Unlock()
	if link == nil {
		return "", ""
	}
	if nc := link.Conn(); nc != nil {
		return nc.RemoteAddr().String(), nc.LocalAddr().String()
	}
	return "", ""
}

// masterClientView completes CLIENT LIST's line of the master client with
// what the link holds: its socket's addresses and descriptor, the age of
// the synchronised link, the M flag and Redis's user for a client without
// one, "(superuser)".
func (s *Server) masterClientView(v *clientView, now time.Time) {
	v.master = true
	v.addr, v.laddr = s.masterClientAddrs()
	v.fd = -1
	s.repl.mu.Lock()
	link := s.repl.link
	s.repl.mu.Unlock()
	if link != nil {
		if nc := link.Conn(); nc != nil {
			v.fd = connFD(nc)
		}
	}
	if since := s.repl.masterSince.Load(); since > 0 {
		v.age = max((now.UnixMilli()-since)/1000, 0)
	}
	v.user = "(superuser)"
}

// connectedClients is INFO's connected_clients as Redis counts it: the
// clients without the replicas' connections, with the master client
// while the link is up.
func (s *Server) connectedClients() int64 {
	n := s.nclients.Load() - int64(len(s.listReplicas(false)))
	if s.connectedMasterClient() != nil {
		n++
	}
	return n
}

// dropMasterLink is CLIENT KILL of the master client: the link's
// connection closes and the link reconnects, asking to continue.
func (s *Server) dropMasterLink() {
	s.repl.mu.Lock()
	link := s.repl.link
	s.repl.mu.Unlock()
	if link != nil {
		link.Drop()
	}
}

// isReplicaConn reports whether c is a replica's connection to this
// primary (it sent SYNC or PSYNC): Redis's CLIENT_SLAVE.
func (s *Server) isReplicaConn(c *Ctx) bool {
	s.repl.mu.Lock()
	defer s.repl.mu.Unlock()
	rc := s.repl.replicas[c.id]
	return rc != nil && rc.feed != nil
}

// ---------------------------------------------------------------------------
// The replication state saved with the data (RDB AUX fields).

// replSaveInfoLocked is rdbPopulateSaveInfo: the replication state an RDB
// save records with the data, nil when there is none worth keeping (a
// primary whose backlog was never created, a replica that never synced).
// The caller holds applyMu (lockForSave, or it runs on the master client)
// and every shard lock, so the data and the offset agree: a primary's
// effects reach the backlog under their shard locks, a replica applies a
// command and then appends it to the backlog under applyMu.
func (s *Server) replSaveInfoLocked() *rdb.ReplInfo {
	r := &s.repl
	inf := r.backlog.Info()
	if !inf.Active {
		return nil
	}
	if !r.isReplica.Load() {
		// The stream's next effect starts with SELECT, so the saved
		// database does not matter to whoever continues from here (Redis
		// saves 0 for a stream without a SELECT yet).
		s.ks.Stream.ResetDB()
		return &rdb.ReplInfo{StreamDB: 0, ReplID: inf.ReplID, Offset: inf.Offset}
	}
	off := inf.Offset
	if r.master.multi != nil {
		off = r.multiStart
	}
	return &rdb.ReplInfo{StreamDB: r.master.dbIndex, ReplID: inf.ReplID, Offset: off}
}

// restoreReplicationLocked is loadDataFromDisk's use of the replication
// state loaded with the data at start-up (the caller holds every shard
// lock). A replica takes it as its cached primary: its history is the
// saved one, its offset the saved one, and the master client has the
// stream's database selected, so its first PSYNC asks to continue. A
// primary keeps its new ID and makes the saved one its previous ID,
// with the offset going on from the saved one, so its replicas continue;
// the keys it skipped as expired go into its stream as DELs, which those
// replicas, holding them still, need (Redis's RDBFLAGS_FEED_REPL).
func (s *Server) restoreReplicationLocked(ri rdb.ReplInfo, expired []expiredKey) {
	r := &s.repl
	if s.cfg.Snapshot().ReplicaOfHost != "" {
		r.backlog.ResetTo(ri.ReplID, ri.Offset)
		if ri.StreamDB < s.ks.NumDBs() {
			r.master.selectDB(ri.StreamDB)
		}
		slog.Info("Using the replication ID and offset saved in the RDB file to synthesize a cached master: a partial resync may be possible",
			"replid", ri.ReplID, "offset", ri.Offset)
		return
	}
	r.backlog.Rebase(ri.ReplID, ri.Offset)
	s.ensureBacklogSinkLocked()
	for _, k := range expired {
		s.ks.Stream.Propagate(k.db, []byte("DEL"), k.key)
	}
	slog.Info("Kept the replication ID and offset saved in the RDB file as the previous ones: replicas may continue with a partial resync",
		"replid2", ri.ReplID, "offset", ri.Offset)
}

// ---------------------------------------------------------------------------
// ROLE and INFO.

// ROLE
func cmdRole(c *Ctx, args [][]byte) {
	s := c.srv
	s.repl.mu.Lock()
	link := s.repl.link
	s.repl.mu.Unlock()
	if link == nil {
		replicas := s.onlineReplicas()
		c.Array(3)
		c.BulkString("master")
		c.Int(s.repl.backlog.Offset())
		c.Array(len(replicas))
		for _, rc := range replicas {
			c.Array(3)
			c.BulkString(rc.ip)
			c.BulkString(strconv.Itoa(rc.listeningPort))
			c.BulkString(strconv.FormatInt(rc.ackOffset.Load(), 10))
		}
		return
	}
	c.Array(5)
	c.BulkString("slave")
	c.BulkString(link.Host())
	c.Int(int64(link.Port()))
	switch link.State() {
	case replication.LinkConnecting:
		c.BulkString("connecting")
	case replication.LinkHandshake:
		c.BulkString("handshake")
	case replication.LinkTransfer:
		c.BulkString("sync")
	default:
		c.BulkString("connected")
	}
	if link.State() == replication.LinkConnected {
		c.Int(s.repl.backlog.Offset())
	} else {
		c.Int(-1)
	}
}

func (s *Server) infoReplication(w *infoWriter) {
	r := &s.repl
	r.mu.Lock()
	link := r.link
	r.mu.Unlock()
	st := s.cfg.Snapshot()
	inf := r.backlog.Info()
	now := time.Now().UnixMilli()
	if link == nil {
		w.str("role", "master")
	} else {
		w.str("role", "slave")
		w.str("master_host", link.Host())
		w.int("master_port", int64(link.Port()))
		up := link.State() == replication.LinkConnected
		if up {
			w.str("master_link_status", "up")
			w.int("master_last_io_seconds_ago", (now-link.LastIO())/1000)
		} else {
			w.str("master_link_status", "down")
			w.str("master_last_io_seconds_ago", "-1")
		}
		if link.State() == replication.LinkTransfer {
			w.str("master_sync_in_progress", "1")
		} else {
			w.str("master_sync_in_progress", "0")
		}
		readOff, off := int64(1), int64(1)
		if up {
			readOff, off = link.ReadOffset(), inf.Offset
		} else if inf.Active {
			readOff, off = inf.Offset, inf.Offset
		}
		w.int("slave_read_repl_offset", readOff)
		w.int("slave_repl_offset", off)
		if link.State() == replication.LinkTransfer {
			start, read, size := link.Transfer()
			w.int("master_sync_total_bytes", size)
			w.int("master_sync_read_bytes", read)
			w.int("master_sync_left_bytes", size-read)
			perc := 0.0
			if size > 0 {
				perc = float64(read) * 100 / float64(size)
			}
			w.fixed("master_sync_perc", perc)
			w.int("master_sync_last_io_seconds_ago", (now-max(start, link.LastIO()))/1000)
		}
		if !up {
			if d := link.DownSince(); d > 0 {
				w.int("master_link_down_since_seconds", (now-d)/1000)
			} else {
				w.str("master_link_down_since_seconds", "-1")
			}
		}
		w.int("slave_priority", int64(st.ReplicaPriority))
		w.str("slave_read_only", boolDigit(st.ReplicaReadOnly))
		w.str("replica_announced", boolDigit(st.ReplicaAnnounced))
	}
	replicas := s.listReplicas(false)
	w.int("connected_slaves", int64(len(replicas)))
	if st.MinReplicasToWrite > 0 && st.MinReplicasMaxLag > 0 {
		w.int("min_slaves_good_slaves", int64(s.goodReplicas(st.MinReplicasMaxLag)))
	}
	for i, rc := range replicas {
		state := "online"
		switch rc.state.Load() {
		case replicaWaitBgsave:
			state = "wait_bgsave"
		case replicaSendBulk:
			state = "send_bulk"
		}
		w.str("slave"+strconv.Itoa(i), fmt.Sprintf("ip=%s,port=%d,state=%s,offset=%d,lag=%d",
			rc.ip, rc.listeningPort, state, rc.ackOffset.Load(), (now-rc.ackTime.Load())/1000))
	}
	w.str("master_failover_state", failoverStateName(s.coordFailover.state.Load()))
	w.str("master_replid", inf.ReplID)
	w.str("master_replid2", inf.ReplID2)
	w.int("master_repl_offset", inf.Offset)
	w.int("second_repl_offset", inf.SecondOffset)
	w.str("repl_backlog_active", boolDigit(inf.Active))
	w.int("repl_backlog_size", int64(inf.Size))
	w.int("repl_backlog_first_byte_offset", inf.FirstByte)
	w.int("repl_backlog_histlen", int64(inf.HistLen))
}

func boolDigit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func init() { familyRegistrars = append(familyRegistrars, registerReplicationCommands) }

func registerReplicationCommands(t *Table) {
	t.Add(
		&Command{Name: "role", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast, ACL: []string{"admin", "dangerous"},
			Group: "server", Since: "2.8.12", Summary: "Returns the replication role.", Complexity: "O(1)", Lock: LockNone, Handler: cmdRole},
		&Command{Name: "replconf", Arity: -1, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale | FlagAllowBusy, ACL: []string{"slow", "dangerous"},
			Group: "server", Since: "3.0.0", Summary: "An internal command for configuring the replication stream.", Complexity: "O(1)",
			DocFlags: DocSysCmd, Lock: LockNone, Handler: cmdReplconf},
		&Command{Name: "psync", Arity: -3, Flags: FlagAdmin | FlagNoScript | FlagNoAsyncLoading | FlagNoMulti, ACL: []string{"slow", "dangerous"},
			Group: "server", Since: "2.8.0", Summary: "An internal command used in replication.",
			Usage: "replicationid offset [argument ...]", DocFlags: DocSysCmd, Lock: LockNone, Handler: cmdPSync},
		&Command{Name: "sync", Arity: 1, Flags: FlagAdmin | FlagNoScript | FlagNoAsyncLoading | FlagNoMulti, ACL: []string{"slow", "dangerous"},
			Group: "server", Since: "1.0.0", Summary: "An internal command used in replication.",
			DocFlags: DocSysCmd, Lock: LockNone, Handler: cmdSync},
		&Command{Name: "replicaof", Arity: 3, Flags: FlagAdmin | FlagNoScript | FlagStale | FlagNoAsyncLoading, ACL: []string{"slow", "dangerous"},
			Group: "server", Since: "5.0.0", Summary: "Configures a server as replica of another, or promotes it to a master.",
			Usage: "host port", Complexity: "O(1)", Lock: LockNone, Handler: cmdReplicaOf},
		&Command{Name: "slaveof", Arity: 3, Flags: FlagAdmin | FlagNoScript | FlagStale | FlagNoAsyncLoading, ACL: []string{"slow", "dangerous"},
			Group: "server", Since: "1.0.0", Summary: "Sets a Redis server as a replica of another, or promotes it to being a master.",
			Usage: "host port", Complexity: "O(1)", DocFlags: DocDeprecated, DeprecatedSince: "5.0.0", ReplacedBy: "`REPLICAOF`",
			Lock: LockNone, Handler: cmdReplicaOf},
		&Command{Name: "wait", Arity: 3, Flags: FlagNoScript, ACL: []string{"slow", "connection"},
			Group: "generic", Since: "3.0.0", Summary: "Blocks until the asynchronous replication of all preceding write commands sent by the connection is completed.",
			Usage: "numreplicas timeout", Complexity: "O(1)", Tips: []string{"request_policy:all_shards", "response_policy:agg_min"},
			Lock: LockNone, Handler: cmdWait},
	)
}
