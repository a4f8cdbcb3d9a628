package replication

// The replica's link to its primary. Run connects, performs the handshake,
// synchronises (full: the RDB payload handed to the Applier; partial: the
// primary continues from our offset) and then applies the command stream,
// reconnecting with backoff whenever the link breaks, until Stop.
//
// The stream is applied in the order received by the link's goroutine
// alone. Every command, once applied, is appended verbatim to the replica's
// own Backlog (by the Applier), whose offset is therefore the replica's
// processed offset
// (slave_repl_offset): chained replicas and PSYNCs after a promotion see
// the primary's history unchanged, as in Redis 7.

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Applier is what the server does with the data a primary sends.
type Applier interface {
	// Load replaces the whole dataset with the RDB payload read from r;
	// it must read r to its end (io.EOF) unless it fails. The payload is
	// the primary's data at offset of the history replID: Load makes that
	// the Backlog's history too (Backlog.ResetTo) in the same step as the
	// new data, so that whoever saves data and offset together (an RDB
	// save, a sub-replica's sync) sees both before or both after.
	Load(r io.Reader, replID string, offset int64) error
	// Apply handles one command of the stream: it runs it as the
	// primary's client, with no reply (keep-alives and REPLCONF, which the
	// link answers itself, need not run), then appends raw, the command as
	// the primary sent it, to the replica's Backlog, atomically with
	// respect to snapshots taken for the replica's own replicas. argv and
	// raw are valid only during the call.
	Apply(argv [][]byte, raw []byte)
}

// LinkConfig is what a Link needs.
type LinkConfig struct {
	Host          string
	Port          int
	User, Auth    string // masteruser, masterauth ("" = no AUTH)
	ListeningPort int    // REPLCONF listening-port
	AnnounceIP    string // REPLCONF ip-address ("" = none)
	Timeout       time.Duration
	MaxBulk       int64 // proto-max-bulk-len (0: 512 MiB)
	Backlog       *Backlog
	Applier       Applier
	// OnSync, when set, is told of each successful synchronisation
	// (full: a payload was loaded; partial: +CONTINUE).
	OnSync func(full bool)
	// TLS, when set, makes the link a TLS connection (tls-replication).
	TLS *tls.Config
	// Failover makes the first session's PSYNC carry FAILOVER: a primary
	// running the FAILOVER command asks its chosen replica to take over.
	// OnFailover is then told once how that first session ended: nil when
	// the target answered the PSYNC with +CONTINUE or +FULLRESYNC.
	Failover   bool
	OnFailover func(err error)
	// FsyncedOffset, when set, is the offset of the stream whose effects
	// are fsynced to the replica's AOF (Redis 7.2's fsynced_reploff); each
	// ACK carries it as FACK <offset>, unless it is negative (AOF off).
	FsyncedOffset func() int64
}

// LinkState is the replica's view of its link (Redis's repl_state).
type LinkState int32

// The link's states.
const (
	LinkConnecting LinkState = iota // connecting or waiting to reconnect
	LinkHandshake                   // PING / AUTH / REPLCONF / PSYNC
	LinkTransfer                    // receiving the RDB payload
	LinkConnected                   // applying the stream
)

// Link is a replica's connection to its primary.
type Link struct {
	cfg LinkConfig

	state        atomic.Int32
	lastIO       atomic.Int64 // unix ms of the last byte from the primary
	readOffset   atomic.Int64 // slave_read_repl_offset
	downSince    atomic.Int64 // unix ms the link went down; 0 while up
	syncStart    atomic.Int64 // unix ms the transfer began
	transferRead atomic.Int64 // payload bytes read so far
	transferSize atomic.Int64 // payload size, -1 when unknown (diskless)

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	failoverPending bool // the next PSYNC carries FAILOVER (Run's goroutine only)

	mu   sync.Mutex // guards conn and writes to it
	conn net.Conn
}

// NewLink returns a link; Run starts it.
func NewLink(cfg LinkConfig) *Link {
	if cfg.MaxBulk <= 0 {
		cfg.MaxBulk = 512 << 20
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	l := &Link{cfg: cfg, done: make(chan struct{}), failoverPending: cfg.Failover}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	return l
}

// Host and Port are the primary's address.
func (l *Link) Host() string { return l.cfg.Host }
func (l *Link) Port() int    { return l.cfg.Port }

// State is the link's state.
func (l *Link) State() LinkState { return LinkState(l.state.Load()) }

// LastIO is when the primary last sent something (unix ms).
func (l *Link) LastIO() int64 { return l.lastIO.Load() }

// ReadOffset is the offset of the stream bytes read (applied or not).
func (l *Link) ReadOffset() int64 { return l.readOffset.Load() }

// DownSince is when the last connected session ended (unix ms), 0 when
// the link was never up.
func (l *Link) DownSince() int64 { return l.downSince.Load() }

// Transfer reports a payload transfer's start (unix ms), bytes read and
// size (-1: unknown).
func (l *Link) Transfer() (start, read, size int64) {
	return l.syncStart.Load(), l.transferRead.Load(), l.transferSize.Load()
}

// Run keeps the link up until Stop: connect, sync, apply; on any error
// wait a little (longer after repeated failures) and start again.
func (l *Link) Run() {
	defer close(l.done)
	backoff := 100 * time.Millisecond
	for l.ctx.Err() == nil {
		synced, err := l.session()
		if err != nil && l.ctx.Err() == nil {
			slog.Warn("Link with the primary failed", "primary", net.JoinHostPort(l.cfg.Host, strconv.Itoa(l.cfg.Port)), "err", err)
		}
		l.state.Store(int32(LinkConnecting))
		if synced {
			l.downSince.Store(time.Now().UnixMilli())
			backoff = 100 * time.Millisecond
		}
		select {
		case <-l.ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, time.Second)
	}
}

// Stop closes the link and waits until Run returned: nothing is applied
// after Stop.
func (l *Link) Stop() {
	l.cancel()
	l.mu.Lock()
	if l.conn != nil {
		l.conn.Close()
	}
	l.mu.Unlock()
	<-l.done
}

// Conn is the current connection to the primary, nil while there is none:
// CLIENT LIST shows its addresses and descriptor. Callers must not read
// from or write to it.
func (l *Link) Conn() net.Conn {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.conn
}

// Drop closes the current connection; Run reconnects (CLIENT KILL of the
// primary's client, tests).
func (l *Link) Drop() {
	l.mu.Lock()
	if l.conn != nil {
		l.conn.Close()
	}
	l.mu.Unlock()
}

// session is one connection: it reports whether a sync succeeded.
func (l *Link) session() (bool, error) {
	l.state.Store(int32(LinkConnecting))
	d := net.Dialer{Timeout: l.cfg.Timeout}
	nc, err := d.DialContext(l.ctx, "tcp", net.JoinHostPort(l.cfg.Host, strconv.Itoa(l.cfg.Port)))
	if err == nil && l.cfg.TLS != nil {
		tc := tls.Client(nc, l.cfg.TLS)
		tc.SetDeadline(time.Now().Add(l.cfg.Timeout))
		if err = tc.HandshakeContext(l.ctx); err != nil {
			nc.Close()
		}
		tc.SetDeadline(time.Time{})
		nc = tc
	}
	if err != nil {
		err = fmt.Errorf("replication: connecting to the primary: %w", err)
		l.failoverDone(err)
		return false, err
	}
	l.mu.Lock()
	if l.ctx.Err() != nil {
		l.mu.Unlock()
		nc.Close()
		return false, l.ctx.Err()
	}
	l.conn = nc
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		l.conn = nil
		l.mu.Unlock()
		nc.Close()
	}()
	r := bufio.NewReaderSize(nc, 64<<10)
	l.state.Store(int32(LinkHandshake))
	reply, err := l.handshake(nc, r)
	if err != nil {
		l.failoverDone(err)
		return false, err
	}
	if reply.Kind == PSyncFull || reply.Kind == PSyncContinue {
		l.failoverDone(nil)
	} else {
		l.failoverDone(errors.New("replication: the target refused PSYNC FAILOVER"))
	}
	b := l.cfg.Backlog
	switch reply.Kind {
	case PSyncFull:
		if err := l.fullSync(nc, r, reply); err != nil {
			return false, err
		}
	case PSyncContinue:
		if reply.ReplID != "" && reply.ReplID != b.ReplID() {
			b.Shift(reply.ReplID)
		}
		if l.cfg.OnSync != nil {
			l.cfg.OnSync(false)
		}
	case PSyncTryLater:
		return false, fmt.Errorf("replication: the primary cannot sync now")
	default:
		return false, fmt.Errorf("replication: the primary does not support PSYNC")
	}
	l.readOffset.Store(b.Offset())
	l.state.Store(int32(LinkConnected))
	return true, l.stream(nc, r)
}

// failoverDone reports the first session's outcome to OnFailover, once.
func (l *Link) failoverDone(err error) {
	if !l.failoverPending {
		return
	}
	l.failoverPending = false
	if l.cfg.OnFailover != nil {
		l.cfg.OnFailover(err)
	}
}

// command sends one command and reads its one-line reply.
func (l *Link) command(nc net.Conn, r *bufio.Reader, args ...string) (string, error) {
	nc.SetDeadline(time.Now().Add(l.cfg.Timeout))
	defer nc.SetDeadline(time.Time{})
	if err := l.send(args...); err != nil {
		return "", err
	}
	line, err := readLine(r, 1<<16)
	if err != nil {
		return "", fmt.Errorf("replication: reading the reply to %s: %w", args[0], err)
	}
	l.lastIO.Store(time.Now().UnixMilli())
	return line, nil
}

// send writes one command to the primary.
func (l *Link) send(args ...string) error {
	b := AppendCommand(nil, args...)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == nil {
		return fmt.Errorf("replication: link closed")
	}
	if _, err := l.conn.Write(b); err != nil {
		return fmt.Errorf("replication: writing to the primary: %w", err)
	}
	return nil
}

// handshake is Redis's syncWithMaster up to the PSYNC reply.
func (l *Link) handshake(nc net.Conn, r *bufio.Reader) (PSyncReply, error) {
	line, err := l.command(nc, r, "PING")
	if err != nil {
		return PSyncReply{}, err
	}
	// An error other than an authentication one means the primary is not
	// able to serve us (Redis accepts -NOAUTH and -NOPERM here).
	if strings.HasPrefix(line, "-") && !strings.HasPrefix(line, "-NOAUTH") &&
		!strings.HasPrefix(line, "-NOPERM") && !strings.HasPrefix(line, "-ERR operation not permitted") {
		return PSyncReply{}, fmt.Errorf("replication: error reply to PING from the primary: %s", line)
	}
	if l.cfg.Auth != "" {
		args := []string{"AUTH", l.cfg.Auth}
		if l.cfg.User != "" {
			args = []string{"AUTH", l.cfg.User, l.cfg.Auth}
		}
		line, err := l.command(nc, r, args...)
		if err != nil {
			return PSyncReply{}, err
		}
		if strings.HasPrefix(line, "-") {
			return PSyncReply{}, fmt.Errorf("replication: unable to AUTH to the primary: %s", line)
		}
	}
	// The primary's answers to REPLCONF are only advisory, as in Redis.
	if _, err := l.command(nc, r, "REPLCONF", "listening-port", strconv.Itoa(l.cfg.ListeningPort)); err != nil {
		return PSyncReply{}, err
	}
	if l.cfg.AnnounceIP != "" {
		if _, err := l.command(nc, r, "REPLCONF", "ip-address", l.cfg.AnnounceIP); err != nil {
			return PSyncReply{}, err
		}
	}
	if _, err := l.command(nc, r, "REPLCONF", "capa", "eof", "capa", "psync2"); err != nil {
		return PSyncReply{}, err
	}
	replID, offset := "?", "-1"
	if inf := l.cfg.Backlog.Info(); inf.Active {
		replID, offset = inf.ReplID, strconv.FormatInt(inf.Offset+1, 10)
	}
	psync := []string{"PSYNC", replID, offset}
	if l.failoverPending {
		psync = append(psync, "FAILOVER")
	}
	line, err = l.command(nc, r, psync...)
	if err != nil {
		return PSyncReply{}, err
	}
	return ParsePSyncReply(line)
}

// fullSync reads the payload into the Applier, which resets the history to
// the primary's.
func (l *Link) fullSync(nc net.Conn, r *bufio.Reader, reply PSyncReply) error {
	l.state.Store(int32(LinkTransfer))
	l.syncStart.Store(time.Now().UnixMilli())
	l.transferRead.Store(0)
	nc.SetReadDeadline(time.Now().Add(l.cfg.Timeout))
	line, err := readLine(r, 1<<10)
	if err != nil {
		return fmt.Errorf("replication: reading the payload header: %w", err)
	}
	size, mark, err := ParsePayloadHeader(line)
	if err != nil {
		return err
	}
	l.transferSize.Store(size)
	var payload io.Reader
	if mark != nil {
		payload = newEOFReader(r, mark)
	} else {
		payload = io.LimitReader(r, size)
	}
	payload = &countingReader{r: payload, link: l, conn: nc}
	if err := l.cfg.Applier.Load(payload, reply.ReplID, reply.Offset); err != nil {
		return fmt.Errorf("replication: loading the payload: %w", err)
	}
	// Whatever the loader left unread belongs to the payload.
	if _, err := io.Copy(io.Discard, payload); err != nil {
		return fmt.Errorf("replication: reading the payload: %w", err)
	}
	nc.SetReadDeadline(time.Time{})
	if l.cfg.OnSync != nil {
		l.cfg.OnSync(true)
	}
	if mark != nil {
		// A primary puts a diskless replica online only on its first ACK.
		return l.sendAck()
	}
	return nil
}

// countingReader counts payload bytes and keeps the read deadline moving.
type countingReader struct {
	r    io.Reader
	link *Link
	conn net.Conn
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.conn.SetReadDeadline(time.Now().Add(c.link.cfg.Timeout))
	n, err := c.r.Read(p)
	if n > 0 {
		c.link.transferRead.Add(int64(n))
		c.link.lastIO.Store(time.Now().UnixMilli())
	}
	return n, err
}

// sendAck sends REPLCONF ACK <offset> [FACK <fsynced offset>].
func (l *Link) sendAck() error {
	return l.send(l.ackArgs()...)
}

func (l *Link) ackArgs() []string {
	args := []string{"REPLCONF", "ACK", strconv.FormatInt(l.cfg.Backlog.Offset(), 10)}
	if l.cfg.FsyncedOffset != nil {
		if f := l.cfg.FsyncedOffset(); f >= 0 {
			args = append(args, "FACK", strconv.FormatInt(f, 10))
		}
	}
	return args
}

// SendAck sends an ACK now if the link is streaming (the server calls it
// when its AOF fsynced more of the stream, so that a WAITAOF on the
// primary need not wait for the next periodic ACK). It does nothing while
// the link is down or synchronising: an ACK then would break the
// handshake.
func (l *Link) SendAck() {
	b := AppendCommand(nil, l.ackArgs()...)
	l.mu.Lock()
	defer l.mu.Unlock()
	// A session clears conn before the state leaves LinkConnected, so a
	// conn seen with that state is a streaming session's.
	if l.conn == nil || l.State() != LinkConnected {
		return
	}
	l.conn.Write(b)
}

// stream applies the command stream until the link breaks, acknowledging
// the processed offset every second.
func (l *Link) stream(nc net.Conn, r *bufio.Reader) error {
	stopAcks := make(chan struct{})
	defer close(stopAcks)
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stopAcks:
				return
			case <-t.C:
				if l.sendAck() != nil {
					return
				}
			}
		}
	}()
	cr := NewCommandReader(r)
	cr.MaxBulk = l.cfg.MaxBulk
	var raw []byte
	for {
		nc.SetReadDeadline(time.Now().Add(l.cfg.Timeout))
		argv, n, err := cr.Read()
		if err != nil {
			if l.ctx.Err() != nil {
				return l.ctx.Err()
			}
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("replication: the primary closed the link")
			}
			return fmt.Errorf("replication: reading the stream: %w", err)
		}
		l.lastIO.Store(time.Now().UnixMilli())
		l.readOffset.Add(n)
		if len(argv) == 0 {
			continue
		}
		if isGetAck(argv) {
			// The ACK reports the offset before the GETACK itself, as
			// Redis's does.
			if err := l.sendAck(); err != nil {
				return err
			}
		}
		raw = AppendCommand(raw[:0], argv...)
		l.cfg.Applier.Apply(argv, raw)
	}
}

func isGetAck(argv [][]byte) bool {
	return len(argv) >= 2 && strings.EqualFold(string(argv[0]), "replconf") && strings.EqualFold(string(argv[1]), "getack")
}

// AppendCommand encodes args as a RESP command (a multibulk of bulk
// strings): how a primary sends its stream, and how one server sends a
// command to another (the replica's handshake, failover probes, cluster
// forwarding).
func AppendCommand[T string | []byte](b []byte, args ...T) []byte {
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, "\r\n"...)
	for _, a := range args {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(a)), 10)
		b = append(b, "\r\n"...)
		b = append(b, a...)
		b = append(b, "\r\n"...)
	}
	return b
}
