package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vireodb/vireo/datatypes/keyspace"
)

// Version is the Redis version Vireo reports (redis_version, HELLO).
const Version = "7.2.4"

// Server is a running Vireo instance.
type Server struct {
	opts  Options
	set   settings
	ks    *keyspace.Keyspace
	table *Table

	listeners []net.Listener
	clientsMu sync.Mutex
	clients   map[int64]*Ctx
	nextID    atomic.Int64
	nclients  atomic.Int64

	stats     serverStats
	dirty     atomic.Int64 // changes since the last save
	startTime time.Time
	runID     string

	slowlog slowlog

	pause          clientPause // CLIENT PAUSE state (client.go)
	inst           instMetrics // instantaneous_* INFO samples (instmetrics.go)
	noActiveExpire atomic.Bool // DEBUG SET-ACTIVE-EXPIRE 0 (debug.go)

	notifyFlags notifyFlags
	// publishHook delivers keyspace notifications once pub/sub exists.
	publishHook func(class NotifyClass, event string, key []byte, db int)

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	closed atomic.Bool
}

// Options is what the server is started with; cmd/vireo-server fills it
// from the config file and the command line.
type Options struct {
	Port            int
	Bind            []string
	UnixSocket      string
	Databases       int
	Shards          int
	RequirePass     string
	MaxClients      int
	Timeout         int // seconds; 0 = never
	Hz              int
	ProtoMaxBulkLen int64
	QueryBufLimit   int64
	Dir             string
	EnableDebug     string // no | yes | local
}

// DefaultOptions are Redis's defaults.
func DefaultOptions() Options {
	return Options{
		Port: 6379, Bind: []string{"*", "-::*"}, Databases: 16, Shards: 256,
		MaxClients: 10000, Hz: 10, ProtoMaxBulkLen: 512 << 20, QueryBufLimit: 1 << 30,
		Dir: ".", EnableDebug: "no",
	}
}

// settings are the values read on hot paths, kept in atomics so CONFIG SET
// can change them while connections run.
type settings struct {
	requirePass     atomic.Pointer[string]
	maxClients      atomic.Int64
	timeout         atomic.Int64
	hz              atomic.Int64
	protoMaxBulkLen atomic.Int64
	queryBufLimit   atomic.Int64
	slowlogSlower   atomic.Int64
	slowlogMaxLen   atomic.Int64
}

// New creates a server; Start begins serving.
func New(o Options) *Server {
	s := &Server{
		opts:      o,
		ks:        keyspace.New(keyspace.Options{Databases: o.Databases, ShardsPerDB: o.Shards}),
		table:     newTable(),
		clients:   make(map[int64]*Ctx),
		startTime: time.Now(),
		runID:     newRunID(),
	}
	pass := o.RequirePass
	s.set.requirePass.Store(&pass)
	s.set.maxClients.Store(int64(o.MaxClients))
	s.set.timeout.Store(int64(o.Timeout))
	s.set.hz.Store(int64(o.Hz))
	s.set.protoMaxBulkLen.Store(o.ProtoMaxBulkLen)
	s.set.queryBufLimit.Store(o.QueryBufLimit)
	s.set.slowlogSlower.Store(10000)
	s.set.slowlogMaxLen.Store(128)
	s.ks.OnExpired = s.onExpired
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// Start opens the listeners and starts serving in the background.
func (s *Server) Start() error {
	addrs := s.opts.Bind
	if len(addrs) == 0 {
		addrs = []string{"*"}
	}
	for _, a := range addrs {
		optional := strings.HasPrefix(a, "-")
		a = strings.TrimPrefix(a, "-")
		host := a
		switch a {
		case "*":
			host = "0.0.0.0"
		case "::*":
			host = "::"
		}
		ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(s.opts.Port)))
		if err != nil {
			if optional {
				continue
			}
			s.closeListeners()
			return fmt.Errorf("server: listen on %s:%d: %w", host, s.opts.Port, err)
		}
		s.listeners = append(s.listeners, ln)
	}
	if s.opts.UnixSocket != "" {
		os.Remove(s.opts.UnixSocket)
		ln, err := net.Listen("unix", s.opts.UnixSocket)
		if err != nil {
			s.closeListeners()
			return fmt.Errorf("server: listen on unix socket %s: %w", s.opts.UnixSocket, err)
		}
		s.listeners = append(s.listeners, ln)
	}
	for _, ln := range s.listeners {
		s.wg.Add(1)
		go s.acceptLoop(ln)
	}
	s.wg.Add(1)
	go s.cron()
	return nil
}

// Addr is the first listener's address.
func (s *Server) Addr() net.Addr {
	if len(s.listeners) == 0 {
		return nil
	}
	return s.listeners[0].Addr()
}

// Done is closed when the server stops (SHUTDOWN or Close).
func (s *Server) Done() <-chan struct{} { return s.ctx.Done() }

// Close stops accepting, disconnects every client and stops background work.
func (s *Server) Close() {
	if !s.closed.CompareAndSwap(false, true) {
		return
	}
	s.cancel()
	s.closeListeners()
	s.clientsMu.Lock()
	for _, c := range s.clients {
		c.conn.Close()
	}
	s.clientsMu.Unlock()
	s.wg.Wait()
	if s.opts.UnixSocket != "" {
		os.Remove(s.opts.UnixSocket)
	}
}

func (s *Server) closeListeners() {
	for _, ln := range s.listeners {
		ln.Close()
	}
}

func (s *Server) acceptLoop(ln net.Listener) {
	defer s.wg.Done()
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.closed.Load() || errors.Is(err, net.ErrClosed) {
				return
			}
			slog.Warn("accept failed", "err", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if tc, ok := nc.(*net.TCPConn); ok {
			tc.SetNoDelay(true)
			tc.SetKeepAlive(true)
			tc.SetKeepAlivePeriod(300 * time.Second)
		}
		s.stats.connsReceived.Add(1)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serveConn(nc)
		}()
	}
}

func (s *Server) newClient(nc net.Conn) *Ctx {
	c := &Ctx{
		srv:     s,
		conn:    nc,
		id:      s.nextID.Add(1),
		created: time.Now(),
		proto:   2,
		argv:    make([][]byte, 0, 16),
		out:     make([]byte, 0, readBufSize),
	}
	c.addr = nc.RemoteAddr().String()
	c.laddr = nc.LocalAddr().String()
	if _, ok := nc.(*net.UnixConn); ok {
		c.isUnix = true
		c.addr = "/unixsocket:0"
		c.laddr = s.opts.UnixSocket + ":0"
	}
	c.lastSeen.Store(time.Now().UnixMilli())
	c.authenticated = !s.authRequired()
	c.user = "default"
	c.selectDB(0)
	s.clientsMu.Lock()
	s.clients[c.id] = c
	s.clientsMu.Unlock()
	s.nclients.Add(1)
	return c
}

func (s *Server) closeClient(c *Ctx) {
	if c.multi != nil {
		c.multi = nil
	}
	c.unwatchAll()
	c.conn.Close()
	s.clientsMu.Lock()
	delete(s.clients, c.id)
	s.clientsMu.Unlock()
	s.nclients.Add(-1)
}

func (s *Server) maxClientsReached() bool {
	return s.nclients.Load() > s.set.maxClients.Load()
}

func (s *Server) authRequired() bool {
	p := s.set.requirePass.Load()
	return p != nil && *p != ""
}

// onExpired runs under the key's shard lock when a key expired.
func (s *Server) onExpired(db int, key []byte) {
	s.stats.expiredKeys.Add(1)
	s.notify(NotifyExpired, "expired", key, db)
	s.ks.Stream.Propagate(db, []byte("DEL"), key)
}

// cron runs the periodic tasks (Redis's serverCron): active expiry.
func (s *Server) cron() {
	defer s.wg.Done()
	for {
		hz := s.set.hz.Load()
		if hz <= 0 {
			hz = 10
		}
		period := time.Second / time.Duration(hz)
		select {
		case <-s.ctx.Done():
			return
		case <-time.After(period):
		}
		// No active expiry while DEBUG SET-ACTIVE-EXPIRE 0 or a CLIENT PAUSE
		// holds writes back (expiring is a write), as in Redis.
		if !s.noActiveExpire.Load() && !s.writesPaused() {
			s.ks.ActiveExpireCycle(period / 4)
		}
		s.inst.sample(s)
	}
}

func newRunID() string {
	var b [20]byte
	f, err := os.Open("/dev/urandom")
	if err == nil {
		f.Read(b[:])
		f.Close()
	} else {
		binaryTime := time.Now().UnixNano()
		for i := range b {
			b[i] = byte(binaryTime >> (i % 8 * 8))
		}
	}
	return fmt.Sprintf("%x", b[:])
}
