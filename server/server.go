package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/persistence/rdb"
	"github.com/vireodb/vireo/server/config"
)

// Version is the Redis version Vireo reports (redis_version, HELLO).
const Version = "7.2.4"

// Server is a running Vireo instance.
type Server struct {
	cfg   *config.Config
	opts  Options // start-up values from cfg
	set   settings
	ks    *keyspace.Keyspace
	table *Table

	latency latencyMonitor // LATENCY events (latency.go)

	listeners []net.Listener
	clientsMu sync.Mutex
	clients   map[int64]*Ctx
	nextID    atomic.Int64
	nclients  atomic.Int64

	stats    serverStats
	dirty    atomic.Int64  // changes since the last save
	persist  persistState  // RDB saves and loading (persist.go)
	backup   backupState   // S3 backups (backup.go)
	tls      tlsState      // TLS listeners and configuration (tls.go)
	metrics  metricsState  // the Prometheus endpoint (metrics.go)
	aof      aofState      // append-only file (aof.go)
	repl     replState     // replication, both roles (replication.go)
	failover failoverState // automatic failover, when on (failover.go)
	// coordFailover is the FAILOVER command's state (failover_cmd.go).
	coordFailover coordFailover
	startTime     time.Time
	runID         string

	slowlog slowlog

	pause          clientPause  // CLIENT PAUSE state (client.go)
	inst           instMetrics  // instantaneous_* INFO samples (instmetrics.go)
	baseMem        atomic.Int64 // heap in use before any key existed (evict.go)
	monitors       monitorSet   // MONITOR clients (monitor.go)
	noActiveExpire atomic.Bool  // DEBUG SET-ACTIVE-EXPIRE 0 (debug.go)

	notifyFlags notifyFlags
	// pubsub is the channel registry (pubsub.go); keyspace notifications
	// are delivered through it (notify.go).
	pubsub pubsubRegistry
	// tracking is CLIENT TRACKING's key and prefix tables (tracking.go).
	tracking trackingTable
	// scripting is the Lua engines and the script in progress (scripting.go).
	scripting scripting
	// acl is the users and their permissions (acl.go).
	acl aclState
	// cluster is cluster mode's state (cluster_node.go); idle unless
	// cluster-enabled.
	cluster clusterNode
	// publishHook, when set, also sees every enabled keyspace event (tests).
	publishHook func(class NotifyClass, event string, key []byte, db int)

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	closed atomic.Bool
}

// Options are the start-up values the server reads once from its config.
type Options struct {
	Port        int
	Bind        []string
	UnixSocket  string
	Databases   int
	Shards      int
	Dir         string
	EnableDebug string // no | yes | local
}

// settings are the values read on hot paths, kept in atomics so CONFIG SET
// can change them while connections run.
type settings struct {
	maxClients      atomic.Int64
	timeout         atomic.Int64
	hz              atomic.Int64
	protoMaxBulkLen atomic.Int64
	queryBufLimit   atomic.Int64
	slowlogSlower   atomic.Int64
	slowlogMaxLen   atomic.Int64
	enableDebug     atomic.Pointer[string]
	protectedMode   atomic.Bool
	trackingMaxKeys atomic.Int64 // tracking-table-max-keys (0 = no limit)
	// limits are the encoding thresholds (hash-max-listpack-entries, ...):
	// commands read them on every write that may convert an encoding.
	limits atomic.Pointer[rdb.Limits]
	// hllSparseMaxBytes is hll-sparse-max-bytes, read by every PFADD.
	hllSparseMaxBytes atomic.Int64
	// outputLimits is client-output-buffer-limit, per client class,
	// checked whenever output is queued for a client (outqueue.go).
	outputLimits atomic.Pointer[[3]config.OutputBufferLimit]
	// maxmemory (0: no limit) and maxmemory-samples, read before every
	// command (evict.go); the policy lives in the keyspace.
	maxmemory        atomic.Int64
	maxmemorySamples atomic.Int64
	// latency-monitor-threshold (ms) and latency-tracking (latency.go).
	latencyThreshold atomic.Int64
	latencyTracking  atomic.Bool
	// min-replicas-to-write, read before every write (replication.go).
	minReplicasToWrite atomic.Int64
}

// Limits returns the current encoding thresholds.
func (s *Server) Limits() *rdb.Limits { return s.set.limits.Load() }

// New creates a server from its configuration; Start begins serving.
func New(cfg *config.Config) *Server {
	st := cfg.Snapshot()
	o := Options{
		Port: st.Port, Bind: st.Bind, UnixSocket: st.UnixSocket, Databases: st.Databases,
		Shards: st.Shards, Dir: st.Dir, EnableDebug: st.EnableDebugCommand,
	}
	s := &Server{
		cfg:       cfg,
		opts:      o,
		ks:        keyspace.New(keyspace.Options{Databases: o.Databases, ShardsPerDB: o.Shards}),
		table:     newTable(),
		clients:   make(map[int64]*Ctx),
		startTime: time.Now(),
		runID:     newRunID(),
	}
	if st.Failover {
		s.table.Add(sentinelCommand()) // sentinel.go: unknown, as in Redis, when off
	}
	s.ks.OnExpired = s.onExpired
	s.initPersist()
	s.initBackup()
	s.initAOF()
	s.initReplication()
	s.initTLS()
	s.initMetrics()
	s.initCluster()
	s.initMemory()
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.loadSettings()
	s.initACL()
	cfg.OnAnyChange(s.loadSettings, "min-replicas-to-write", "requirepass", "maxclients", "timeout", "hz",
		"proto-max-bulk-len", "client-query-buffer-limit", "slowlog-log-slower-than",
		"slowlog-max-len", "notify-keyspace-events", "vireo-gogc", "enable-debug-command", "protected-mode", "tracking-table-max-keys",
		"hash-max-listpack-entries", "hash-max-listpack-value", "set-max-intset-entries",
		"set-max-listpack-entries", "set-max-listpack-value", "zset-max-listpack-entries",
		"zset-max-listpack-value", "list-max-listpack-size", "list-compress-depth",
		"hll-sparse-max-bytes", "client-output-buffer-limit",
		"maxmemory", "maxmemory-policy", "maxmemory-samples", "lfu-log-factor", "lfu-decay-time",
		"latency-monitor-threshold", "latency-tracking")
	return s
}

// Config is the server's live configuration.
func (s *Server) Config() *config.Config { return s.cfg }

// loadSettings copies the configuration values read on hot paths into
// atomics; it runs at start and after every CONFIG SET of one of them.
func (s *Server) loadSettings() {
	st := s.cfg.Snapshot()
	s.set.maxClients.Store(int64(st.MaxClients))
	s.set.timeout.Store(int64(st.Timeout))
	s.set.hz.Store(int64(st.Hz))
	s.set.protoMaxBulkLen.Store(st.ProtoMaxBulkLen)
	s.set.queryBufLimit.Store(int64(st.ClientQueryBufferLimit))
	s.set.slowlogSlower.Store(st.SlowlogLogSlowerThan)
	s.set.slowlogMaxLen.Store(int64(st.SlowlogMaxLen))
	s.notifyFlags.v.Store(uint32(st.NotifyKeyspaceEvents))
	debug := st.EnableDebugCommand
	s.set.enableDebug.Store(&debug)
	s.set.protectedMode.Store(st.ProtectedMode)
	s.set.trackingMaxKeys.Store(int64(st.TrackingTableMaxKeys))
	limits := st.ClientOutputBufferLimit
	s.set.outputLimits.Store(&limits)
	s.set.limits.Store(&rdb.Limits{
		HashMaxListpackEntries: st.HashMaxListpackEntries,
		HashMaxListpackValue:   st.HashMaxListpackValue,
		SetMaxIntsetEntries:    st.SetMaxIntsetEntries,
		SetMaxListpackEntries:  st.SetMaxListpackEntries,
		SetMaxListpackValue:    st.SetMaxListpackValue,
		ZsetMaxListpackEntries: st.ZsetMaxListpackEntries,
		ZsetMaxListpackValue:   st.ZsetMaxListpackValue,
		ListMaxListpackSize:    st.ListMaxListpackSize,
		ListCompressDepth:      st.ListCompressDepth,
	})
	s.set.hllSparseMaxBytes.Store(int64(st.HLLSparseMaxBytes))
	s.set.maxmemory.Store(int64(min(st.Maxmemory, math.MaxInt64)))
	s.set.maxmemorySamples.Store(int64(st.MaxmemorySamples))
	s.set.latencyThreshold.Store(st.LatencyMonitorThreshold)
	s.set.minReplicasToWrite.Store(int64(st.MinReplicasToWrite))
	s.set.latencyTracking.Store(st.LatencyTracking)
	policy, _ := keyspace.ParsePolicy(st.MaxmemoryPolicy)
	s.ks.SetEvictionPolicy(policy, st.LFULogFactor, st.LFUDecayTime)
	debugSetGCPercent(st.GOGC)
	setGoMemoryLimit(st.Maxmemory)
}

// Start opens the listeners and starts serving in the background.
func (s *Server) Start() error {
	if s.acl.loadErr != nil {
		return s.acl.loadErr
	}
	st := s.cfg.Snapshot()
	// port 0 with a tls-port serves TLS only, as in Redis; port 0 alone
	// picks a free port (in-process tests).
	plainHosts := s.bindHosts()
	if s.opts.Port == 0 && st.TLSPort != 0 {
		plainHosts = nil
	}
	for _, host := range plainHosts {
		ln, err := net.Listen("tcp", net.JoinHostPort(host.addr, strconv.Itoa(s.opts.Port)))
		if err != nil {
			if host.optional {
				continue
			}
			s.closeListeners()
			return fmt.Errorf("server: listen on %s:%d: %w", host.addr, s.opts.Port, err)
		}
		s.listeners = append(s.listeners, ln)
	}
	if st.TLSPort != 0 {
		if err := s.listenTLS(&st); err != nil { // tls.go
			s.closeListeners()
			return fmt.Errorf("server: TLS on port %d: %w", st.TLSPort, err)
		}
	}
	if st.TLSReplication {
		if _, err := buildClientTLSConfig(&st); err != nil { // tls.go
			s.closeListeners()
			return fmt.Errorf("server: tls-replication: %w", err)
		}
	}
	if err := s.serveMetrics(st.MetricsAddr); err != nil { // metrics.go
		s.closeListeners()
		return fmt.Errorf("server: metrics on %s: %w", st.MetricsAddr, err)
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
	if err := s.startFailover(); err != nil { // failover.go
		s.closeListeners()
		return err
	}
	if err := s.startCluster(); err != nil { // cluster_node.go
		s.closeListeners()
		return err
	}
	for _, ln := range s.listeners {
		s.wg.Add(1)
		go s.acceptLoop(ln)
	}
	s.wg.Add(1)
	go s.cron()
	s.startReplication()
	return nil
}

// Addr is the first listener's address: the first plain one, else the
// first TLS one, else nil.
func (s *Server) Addr() net.Addr {
	if len(s.listeners) > 0 {
		return s.listeners[0].Addr()
	}
	s.tls.mu.Lock()
	defer s.tls.mu.Unlock()
	if len(s.tls.listeners) > 0 {
		return s.tls.listeners[0].Addr()
	}
	return nil
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
	s.stopMetrics()
	s.stopFailover()
	s.stopReplication()
	s.stopCluster()
	s.clientsMu.Lock()
	for _, c := range s.clients {
		closeConn(c.conn)
	}
	s.clientsMu.Unlock()
	s.wg.Wait()
	s.closeAOF() // aof.go: write and fsync what is buffered
	if s.opts.UnixSocket != "" {
		os.Remove(s.opts.UnixSocket)
	}
}

func (s *Server) closeListeners() {
	for _, ln := range s.listeners {
		ln.Close()
	}
	s.closeTLSListeners()
}

// bindHost is one address of the bind directive; an optional one ("-addr")
// may fail to listen without failing the start.
type bindHost struct {
	addr     string
	optional bool
}

func (s *Server) bindHosts() []bindHost {
	addrs := s.opts.Bind
	if len(addrs) == 0 {
		addrs = []string{"*"}
	}
	hosts := make([]bindHost, 0, len(addrs))
	for _, a := range addrs {
		h := bindHost{addr: strings.TrimPrefix(a, "-"), optional: strings.HasPrefix(a, "-")}
		switch h.addr {
		case "*":
			h.addr = "0.0.0.0"
		case "::*":
			h.addr = "::"
		}
		hosts = append(hosts, h)
	}
	return hosts
}

// tuneTCP sets Redis's socket options on an accepted TCP connection.
func tuneTCP(nc net.Conn) {
	if tc, ok := nc.(*net.TCPConn); ok {
		tc.SetNoDelay(true)
		tc.SetKeepAlive(true)
		tc.SetKeepAlivePeriod(300 * time.Second)
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
		tuneTCP(nc)
		s.stats.connsReceived.Add(1)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			if tc, ok := nc.(*tls.Conn); ok && !handshakeTLS(tc) { // tls.go
				return
			}
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
	c.selectDB(0)
	s.clientsMu.Lock()
	s.clients[c.id] = c
	s.clientsMu.Unlock()
	s.nclients.Add(1)
	return c
}

func (s *Server) closeClient(c *Ctx) {
	// Leave every channel, and let the writer goroutine (if any) send
	// what is still queued before the socket closes (pubsub.go).
	c.disableTracking()
	c.leavePubSub()
	s.stopMonitoring(c)
	if c.multi != nil {
		c.multi = nil
	}
	c.unwatchAll()
	s.replicaClientClosed(c)
	c.conn.Close()
	s.clientsMu.Lock()
	delete(s.clients, c.id)
	s.clientsMu.Unlock()
	s.nclients.Add(-1)
}

func (s *Server) maxClientsReached() bool {
	return s.nclients.Load() > s.set.maxClients.Load()
}

// onExpired runs under the key's shard lock when a key expired.
func (s *Server) onExpired(db int, key []byte) {
	s.stats.expiredKeys.Add(1)
	s.notify(NotifyExpired, "expired", key, db)
	s.invalidateKey(nil, key)
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
		s.ks.UpdateClock()
		// No active expiry while DEBUG SET-ACTIVE-EXPIRE 0 or a CLIENT PAUSE
		// holds writes back (expiring is a write), as in Redis.
		if !s.noActiveExpire.Load() && !s.writesPaused() {
			start := time.Now()
			s.ks.ActiveExpireCycle(period / 4)
			s.latencyEvent("expire-cycle", time.Since(start).Milliseconds()) // latency.go
		}
		s.inst.sample(s)
		s.limitTrackingTable()
		s.persistCron()
		s.backupCron() // backup.go
		s.aofCron()
		s.replicationCron()
	}
}

// debugSetGCPercent applies vireo-gogc (-1 turns the collector off).
func debugSetGCPercent(p int) { debug.SetGCPercent(p) }

func setGoMemoryLimit(maxmemory uint64) { debug.SetMemoryLimit(goMemoryLimit(maxmemory)) }

// goMemoryLimit is the Go runtime's soft memory limit for a maxmemory: half
// as much again (at least 64 MiB more), so that garbage waiting for the
// collector cannot double the process's size while the keys stay under
// maxmemory, as it would with GOGC's pacing alone. No maxmemory, no limit.
func goMemoryLimit(maxmemory uint64) int64 {
	if maxmemory == 0 || maxmemory > math.MaxInt64/2 {
		return math.MaxInt64
	}
	mm := int64(maxmemory)
	return mm + max(mm/2, 64<<20)
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
