package config

// Settings holds one value per directive, typed. Field comments give the
// directive name; the table in directives.go gives types, defaults, bounds
// and which ones CONFIG SET may change. Enumerations hold the canonical
// lowercase name of their value. Settings is a plain value: copying it is how
// Set rolls back and how Snapshot hands out a consistent view.
type Settings struct {
	// Network and clients.
	Port                   int      // port
	Bind                   []string // bind (empty: listen on no TCP address)
	BindSourceAddr         string   // bind-source-addr
	UnixSocket             string   // unixsocket ("" = none)
	UnixSocketPerm         int      // unixsocketperm (permission bits, shown in octal)
	TCPBacklog             int      // tcp-backlog
	TCPKeepalive           int      // tcp-keepalive (seconds)
	Timeout                int      // timeout (idle client seconds, 0 = never)
	ProtectedMode          bool     // protected-mode
	MaxClients             int      // maxclients
	ProtoMaxBulkLen        int64    // proto-max-bulk-len (bytes)
	ClientQueryBufferLimit int      // client-query-buffer-limit (bytes)
	// ClientOutputBufferLimit is client-output-buffer-limit, indexed by
	// ClientClassNormal, ClientClassReplica and ClientClassPubSub.
	ClientOutputBufferLimit [clientClassCount]OutputBufferLimit
	MaxmemoryClients        int64 // maxmemory-clients: bytes, or -N for N percent of maxmemory
	IOThreads               int   // io-threads (accepted, Vireo does not use it)
	IOThreadsDoReads        bool  // io-threads-do-reads
	SocketMarkID            int   // socket-mark-id (SO_MARK of listening sockets)

	// Security.
	RequirePass            string // requirepass ("" = none)
	ACLFile                string // aclfile
	ACLLogMaxLen           int    // acllog-max-len
	ACLPubSubDefault       string // acl-pubsub-default
	EnableProtectedConfigs string // enable-protected-configs (no|yes|local)
	EnableDebugCommand     string // enable-debug-command (no|yes|local)
	EnableModuleCommand    string // enable-module-command (no|yes|local)
	// Users holds the arguments of each `user` line of the configuration
	// file (without the word "user"), for the ACL code; CONFIG REWRITE
	// writes them back.
	Users [][]string

	// General and process.
	Daemonize                      bool      // daemonize (only "no" is accepted)
	Supervised                     string    // supervised
	PidFile                        string    // pidfile
	LogLevel                       string    // loglevel
	LogFile                        string    // logfile ("" = standard output)
	SyslogEnabled                  bool      // syslog-enabled
	SyslogIdent                    string    // syslog-ident
	SyslogFacility                 string    // syslog-facility
	Databases                      int       // databases
	AlwaysShowLogo                 bool      // always-show-logo
	SetProcTitle                   bool      // set-proc-title
	ProcTitleTemplate              string    // proc-title-template
	CrashLogEnabled                bool      // crash-log-enabled
	CrashMemcheckEnabled           bool      // crash-memcheck-enabled
	UseExitOnPanic                 bool      // use-exit-on-panic (hidden)
	DisableTHP                     bool      // disable-thp
	OOMScoreAdj                    string    // oom-score-adj
	OOMScoreAdjValues              [3]int    // oom-score-adj-values
	ShutdownTimeout                int       // shutdown-timeout (seconds)
	ShutdownOnSigint               string    // shutdown-on-sigint: "default" or SHUTDOWN modifiers ("save now")
	ShutdownOnSigterm              string    // shutdown-on-sigterm, like ShutdownOnSigint
	IgnoreWarnings                 string    // ignore-warnings
	ServerCPUList                  string    // server_cpulist
	BioCPUList                     string    // bio_cpulist
	AOFRewriteCPUList              string    // aof_rewrite_cpulist
	BgsaveCPUList                  string    // bgsave_cpulist
	JemallocBgThread               bool      // jemalloc-bg-thread
	WatchdogPeriod                 int       // watchdog-period (hidden)
	Hz                             int       // hz (kept within 1..500 as Redis does)
	DynamicHz                      bool      // dynamic-hz
	ActiveExpireEffort             int       // active-expire-effort
	ActiveRehashing                bool      // activerehashing
	Dir                            string    // dir: absolute working directory for RDB/AOF files
	LatencyTracking                bool      // latency-tracking
	LatencyTrackingInfoPercentiles []float64 // latency-tracking-info-percentiles

	// Snapshotting (RDB).
	Save                              []SavePoint // save (empty: no automatic snapshots)
	StopWritesOnBgsaveError           bool        // stop-writes-on-bgsave-error
	RDBCompression                    bool        // rdbcompression
	RDBChecksum                       bool        // rdbchecksum
	DBFilename                        string      // dbfilename
	RDBDelSyncFiles                   bool        // rdb-del-sync-files
	RDBSaveIncrementalFsync           bool        // rdb-save-incremental-fsync
	RDBKeySaveDelay                   int         // rdb-key-save-delay (hidden, microseconds per key)
	KeyLoadDelay                      int         // key-load-delay (hidden)
	SanitizeDumpPayload               string      // sanitize-dump-payload
	LoadingProcessEventsIntervalBytes int64       // loading-process-events-interval-bytes (hidden)

	// Append only file.
	AppendOnly                 bool   // appendonly
	AppendFilename             string // appendfilename
	AppendDirname              string // appenddirname
	AppendFsync                string // appendfsync (always|everysec|no)
	NoAppendfsyncOnRewrite     bool   // no-appendfsync-on-rewrite
	AutoAOFRewritePercentage   int    // auto-aof-rewrite-percentage
	AutoAOFRewriteMinSize      int64  // auto-aof-rewrite-min-size (bytes)
	AOFLoadTruncated           bool   // aof-load-truncated
	AOFUseRDBPreamble          bool   // aof-use-rdb-preamble
	AOFRewriteIncrementalFsync bool   // aof-rewrite-incremental-fsync
	AOFTimestampEnabled        bool   // aof-timestamp-enabled
	AOFDisableAutoGC           bool   // aof-disable-auto-gc

	// Memory and eviction.
	Maxmemory                  uint64 // maxmemory (bytes, 0 = no limit)
	MaxmemoryPolicy            string // maxmemory-policy
	MaxmemorySamples           int    // maxmemory-samples
	MaxmemoryEvictionTenacity  int    // maxmemory-eviction-tenacity
	LFULogFactor               int    // lfu-log-factor
	LFUDecayTime               int    // lfu-decay-time
	LazyfreeLazyEviction       bool   // lazyfree-lazy-eviction
	LazyfreeLazyExpire         bool   // lazyfree-lazy-expire
	LazyfreeLazyServerDel      bool   // lazyfree-lazy-server-del
	LazyfreeLazyUserDel        bool   // lazyfree-lazy-user-del
	LazyfreeLazyUserFlush      bool   // lazyfree-lazy-user-flush
	ActiveDefrag               bool   // activedefrag (only "no" is accepted)
	ActiveDefragIgnoreBytes    int    // active-defrag-ignore-bytes
	ActiveDefragThresholdLower int    // active-defrag-threshold-lower
	ActiveDefragThresholdUpper int    // active-defrag-threshold-upper
	ActiveDefragCycleMin       int    // active-defrag-cycle-min
	ActiveDefragCycleMax       int    // active-defrag-cycle-max
	ActiveDefragMaxScanFields  int    // active-defrag-max-scan-fields

	// Encodings of small values.
	ListMaxListpackSize    int   // list-max-listpack-size (negative: size class in KiB)
	ListCompressDepth      int   // list-compress-depth
	HashMaxListpackEntries int   // hash-max-listpack-entries
	HashMaxListpackValue   int   // hash-max-listpack-value (bytes)
	SetMaxIntsetEntries    int   // set-max-intset-entries
	SetMaxListpackEntries  int   // set-max-listpack-entries (Redis 7.2)
	SetMaxListpackValue    int   // set-max-listpack-value (Redis 7.2, bytes)
	ZsetMaxListpackEntries int   // zset-max-listpack-entries
	ZsetMaxListpackValue   int   // zset-max-listpack-value (bytes)
	HLLSparseMaxBytes      int   // hll-sparse-max-bytes
	StreamNodeMaxBytes     int   // stream-node-max-bytes
	StreamNodeMaxEntries   int64 // stream-node-max-entries

	// Observability.
	NotifyKeyspaceEvents    KeyspaceEvents // notify-keyspace-events
	SlowlogLogSlowerThan    int64          // slowlog-log-slower-than (microseconds, -1 = off)
	SlowlogMaxLen           int            // slowlog-max-len
	LatencyMonitorThreshold int64          // latency-monitor-threshold (milliseconds)
	TrackingTableMaxKeys    int            // tracking-table-max-keys
	BusyReplyThreshold      int64          // busy-reply-threshold, alias lua-time-limit (milliseconds)

	// Replication.
	ReplicaOfHost                string // replicaof host ("" = this is a primary)
	ReplicaOfPort                int    // replicaof port
	MasterAuth                   string // masterauth
	MasterUser                   string // masteruser
	ReplicaServeStaleData        bool   // replica-serve-stale-data
	ReplicaReadOnly              bool   // replica-read-only
	ReplicaIgnoreMaxmemory       bool   // replica-ignore-maxmemory
	ReplicaLazyFlush             bool   // replica-lazy-flush
	ReplicaAnnounced             bool   // replica-announced
	ReplicaAnnounceIP            string // replica-announce-ip
	ReplicaAnnouncePort          int    // replica-announce-port
	ReplicaPriority              int    // replica-priority
	ReplBacklogSize              int64  // repl-backlog-size (bytes)
	ReplBacklogTTL               int    // repl-backlog-ttl (seconds)
	ReplTimeout                  int    // repl-timeout (seconds)
	ReplPingReplicaPeriod        int    // repl-ping-replica-period (seconds)
	ReplDisableTCPNoDelay        bool   // repl-disable-tcp-nodelay
	ReplDisklessSync             bool   // repl-diskless-sync
	ReplDisklessSyncDelay        int    // repl-diskless-sync-delay (seconds)
	ReplDisklessSyncMaxReplicas  int    // repl-diskless-sync-max-replicas
	ReplDisklessLoad             string // repl-diskless-load
	ReplicaIgnoreDiskWriteErrors bool   // replica-ignore-disk-write-errors
	PropagationErrorBehavior     string // propagation-error-behavior
	MinReplicasToWrite           int    // min-replicas-to-write
	MinReplicasMaxLag            int    // min-replicas-max-lag (seconds)

	// Cluster.
	ClusterEnabled                  bool   // cluster-enabled
	ClusterConfigFile               string // cluster-config-file
	ClusterNodeTimeout              int64  // cluster-node-timeout (milliseconds)
	ClusterPort                     int    // cluster-port
	ClusterAnnounceIP               string // cluster-announce-ip
	ClusterAnnounceHostname         string // cluster-announce-hostname
	ClusterAnnouncePort             int    // cluster-announce-port
	ClusterAnnounceBusPort          int    // cluster-announce-bus-port
	ClusterAnnounceTLSPort          int    // cluster-announce-tls-port
	ClusterPreferredEndpointType    string // cluster-preferred-endpoint-type
	ClusterRequireFullCoverage      bool   // cluster-require-full-coverage
	ClusterReplicaNoFailover        bool   // cluster-replica-no-failover
	ClusterReplicaValidityFactor    int    // cluster-replica-validity-factor
	ClusterMigrationBarrier         int    // cluster-migration-barrier
	ClusterAllowReplicaMigration    bool   // cluster-allow-replica-migration
	ClusterAllowReadsWhenDown       bool   // cluster-allow-reads-when-down
	ClusterAllowPubsubshardWhenDown bool   // cluster-allow-pubsubshard-when-down
	ClusterLinkSendbufLimit         uint64 // cluster-link-sendbuf-limit (bytes)

	// TLS.
	TLSPort                int    // tls-port
	TLSCertFile            string // tls-cert-file
	TLSKeyFile             string // tls-key-file
	TLSKeyFilePass         string // tls-key-file-pass
	TLSClientCertFile      string // tls-client-cert-file
	TLSClientKeyFile       string // tls-client-key-file
	TLSClientKeyFilePass   string // tls-client-key-file-pass
	TLSDHParamsFile        string // tls-dh-params-file
	TLSCACertFile          string // tls-ca-cert-file
	TLSCACertDir           string // tls-ca-cert-dir
	TLSProtocols           string // tls-protocols
	TLSCiphers             string // tls-ciphers
	TLSCiphersuites        string // tls-ciphersuites
	TLSAuthClients         string // tls-auth-clients (no|yes|optional)
	TLSReplication         bool   // tls-replication
	TLSCluster             bool   // tls-cluster
	TLSPreferServerCiphers bool   // tls-prefer-server-ciphers
	TLSSessionCaching      bool   // tls-session-caching
	TLSSessionCacheSize    int    // tls-session-cache-size
	TLSSessionCacheTimeout int    // tls-session-cache-timeout

	// Vireo only.
	Shards int // vireo-shards: shards per database, a power of two
	GOGC   int // vireo-gogc: the Go GC target percentage (-1 turns the GC off)

	// Backups to S3-compatible object storage (Vireo only).
	S3Endpoint       string // vireo-s3-endpoint: host:port or URL ("" = AWS)
	S3Bucket         string // vireo-s3-bucket ("" = backups off)
	S3Prefix         string // vireo-s3-prefix: prepended to object names
	S3AccessKey      string // vireo-s3-access-key ("" = from the environment)
	S3SecretKey      string // vireo-s3-secret-key
	S3Region         string // vireo-s3-region
	S3TLS            bool   // vireo-s3-tls: HTTPS to the endpoint
	S3BackupInterval int    // vireo-s3-backup-interval: seconds between automatic backups (0 = none)
	S3BackupKeep     int    // vireo-s3-backup-keep: newest backups kept (0 = all)
	S3Restore        string // vireo-s3-restore: "latest" or an object name to restore at start-up

	MetricsAddr string // vireo-metrics-addr: host:port of the Prometheus /metrics endpoint ("" = off)

	// Automatic failover of a replication group through raft (Vireo only).
	Failover          bool   // vireo-failover: run the failover member and answer SENTINEL
	FailoverNodeID    string // vireo-failover-node-id ("" = the peer whose raft address is ours)
	FailoverRaftAddr  string // vireo-failover-raft-addr: host:port of the raft transport
	FailoverDir       string // vireo-failover-dir: raft log and snapshots ("" = <dir>/raft)
	FailoverPeers     string // vireo-failover-peers: id@host:port@raft-host:raft-port ..., first = initial primary
	FailoverMaster    string // vireo-failover-master-name: the name SENTINEL commands answer to
	FailoverDownAfter int    // vireo-failover-down-after-milliseconds
}

// SavePoint is one `save <seconds> <changes>` rule: snapshot when at least
// Changes writes happened within Seconds.
type SavePoint struct {
	Seconds int64
	Changes int
}

// OutputBufferLimit is one class of client-output-buffer-limit: a client is
// closed when its output buffer passes Hard bytes, or stays above Soft bytes
// for SoftSeconds.
type OutputBufferLimit struct {
	Hard        uint64
	Soft        uint64
	SoftSeconds int64
}

// Client classes of client-output-buffer-limit, the index into
// Settings.ClientOutputBufferLimit.
const (
	ClientClassNormal = iota
	ClientClassReplica
	ClientClassPubSub
	clientClassCount
)
