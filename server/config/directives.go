package config

// The directive table: every configuration parameter Vireo knows, declared
// once. Loading, CONFIG GET/SET/REWRITE and Names all read this table and
// nothing else switches on directive names. The order and the attributes
// follow the static_configs table of Redis 7.0's config.c.

import "strings"

// dirFlag holds the attributes of a directive.
type dirFlag uint8

const (
	// immutable directives are set only at startup: CONFIG SET refuses them.
	immutable dirFlag = 1 << iota
	// protected directives may be changed by CONFIG SET only when
	// enable-protected-configs allows it.
	protected
	// denyLoading directives cannot be changed while the dataset loads.
	denyLoading
	// hidden directives are matched by CONFIG GET only by their exact name.
	hidden
	// sensitive values (passwords) must not appear in logs or MONITOR.
	sensitive
	// multiArg directives take several words; CONFIG SET splits its value
	// on spaces.
	multiArg
)

// directive is one row of the table. apply, when set, runs after every
// successful set (startup or CONFIG SET) to bring a value into the range the
// server uses, as Redis's update* functions do for hz.
type directive struct {
	name  string
	alias string
	flags dirFlag
	value valueKind
	apply func(*Settings)
}

func yesNoDirective(name, alias string, flags dirFlag, field func(*Settings) *bool, def bool) *directive {
	return &directive{name: name, alias: alias, flags: flags, value: &boolValue{field: field, def: def}}
}

func numberDirective[T int | int64 | uint64](name, alias string, flags dirFlag, format numFormat,
	min, max int64, field func(*Settings) *T, def int64) *directive {
	load, store := bindNumber(field)
	return &directive{name: name, alias: alias, flags: flags,
		value: &numValue{format: format, min: min, max: max, def: def, load: load, store: store}}
}

// enumDirective declares an enumeration whose words have distinct values;
// def is the default word.
func enumDirective(name string, flags dirFlag, field func(*Settings) *string, def string, words ...string) *directive {
	entries := make([]enumEntry, len(words))
	for i, w := range words {
		entries[i] = enumEntry{name: w, val: i}
	}
	return enumValuesDirective(name, flags, field, def, entries...)
}

func enumValuesDirective(name string, flags dirFlag, field func(*Settings) *string, def string, entries ...enumEntry) *directive {
	return &directive{name: name, flags: flags, value: &enumValue{field: field, entries: entries, def: def}}
}

// stringDirective declares a string; nullable means "" is "not set".
func stringDirective(name, alias string, flags dirFlag, nullable bool, field func(*Settings) *string, def string) *directive {
	return &directive{name: name, alias: alias, flags: flags,
		value: &stringValue{field: field, def: def, nullable: nullable}}
}

func specialDirective(name, alias string, flags dirFlag, v *specialValue) *directive {
	return &directive{name: name, alias: alias, flags: flags, value: v}
}

// with returns d after f changed it, to keep table rows one expression.
func (d *directive) with(f func(d *directive)) *directive { f(d); return d }

func validatedString(validate func(string) error) func(d *directive) {
	return func(d *directive) { d.value.(*stringValue).validate = validate }
}

func binaryString(d *directive) { d.value.(*stringValue).binary = true }

func validatedBool(validate func(bool, *setContext) error) func(d *directive) {
	return func(d *directive) { d.value.(*boolValue).validate = validate }
}

const (
	nullable    = true
	notNullable = false
)

// shutdownFlags are the words of shutdown-on-sigint/sigterm: SHUTDOWN's
// modifiers, combined.
var shutdownFlags = []enumEntry{{"default", 0}, {"save", 1}, {"nosave", 2}, {"now", 4}, {"force", 8}}

func flagsEnum(d *directive) {
	v := d.value.(*enumValue)
	v.flags = true
	v.validate = func(val int) error {
		if val&1 != 0 && val&2 != 0 {
			return reason("shutdown options SAVE and NOSAVE can't be used simultaneously")
		}
		return nil
	}
}

// protectedActionValues are the values of enable-*-command and
// enable-protected-configs.
var protectedActionValues = []string{"no", "yes", "local"}

var directives = []*directive{
	// yes/no
	yesNoDirective("rdbchecksum", "", immutable, func(s *Settings) *bool { return &s.RDBChecksum }, true),
	yesNoDirective("daemonize", "", immutable, func(s *Settings) *bool { return &s.Daemonize }, false).with(validatedBool(refuseDaemonize)),
	yesNoDirective("io-threads-do-reads", "", immutable, func(s *Settings) *bool { return &s.IOThreadsDoReads }, false),
	yesNoDirective("always-show-logo", "", immutable, func(s *Settings) *bool { return &s.AlwaysShowLogo }, false),
	yesNoDirective("protected-mode", "", 0, func(s *Settings) *bool { return &s.ProtectedMode }, true),
	yesNoDirective("rdbcompression", "", 0, func(s *Settings) *bool { return &s.RDBCompression }, true),
	yesNoDirective("rdb-del-sync-files", "", 0, func(s *Settings) *bool { return &s.RDBDelSyncFiles }, false),
	yesNoDirective("activerehashing", "", 0, func(s *Settings) *bool { return &s.ActiveRehashing }, true),
	yesNoDirective("stop-writes-on-bgsave-error", "", 0, func(s *Settings) *bool { return &s.StopWritesOnBgsaveError }, true),
	yesNoDirective("set-proc-title", "", immutable, func(s *Settings) *bool { return &s.SetProcTitle }, true),
	yesNoDirective("dynamic-hz", "", 0, func(s *Settings) *bool { return &s.DynamicHz }, true),
	yesNoDirective("lazyfree-lazy-eviction", "", 0, func(s *Settings) *bool { return &s.LazyfreeLazyEviction }, false),
	yesNoDirective("lazyfree-lazy-expire", "", 0, func(s *Settings) *bool { return &s.LazyfreeLazyExpire }, false),
	yesNoDirective("lazyfree-lazy-server-del", "", 0, func(s *Settings) *bool { return &s.LazyfreeLazyServerDel }, false),
	yesNoDirective("lazyfree-lazy-user-del", "", 0, func(s *Settings) *bool { return &s.LazyfreeLazyUserDel }, false),
	yesNoDirective("lazyfree-lazy-user-flush", "", 0, func(s *Settings) *bool { return &s.LazyfreeLazyUserFlush }, false),
	yesNoDirective("repl-disable-tcp-nodelay", "", 0, func(s *Settings) *bool { return &s.ReplDisableTCPNoDelay }, false),
	yesNoDirective("repl-diskless-sync", "", 0, func(s *Settings) *bool { return &s.ReplDisklessSync }, true),
	yesNoDirective("aof-rewrite-incremental-fsync", "", 0, func(s *Settings) *bool { return &s.AOFRewriteIncrementalFsync }, true),
	yesNoDirective("no-appendfsync-on-rewrite", "", 0, func(s *Settings) *bool { return &s.NoAppendfsyncOnRewrite }, false),
	yesNoDirective("cluster-require-full-coverage", "", 0, func(s *Settings) *bool { return &s.ClusterRequireFullCoverage }, true),
	yesNoDirective("rdb-save-incremental-fsync", "", 0, func(s *Settings) *bool { return &s.RDBSaveIncrementalFsync }, true),
	yesNoDirective("aof-load-truncated", "", 0, func(s *Settings) *bool { return &s.AOFLoadTruncated }, true),
	yesNoDirective("aof-use-rdb-preamble", "", 0, func(s *Settings) *bool { return &s.AOFUseRDBPreamble }, true),
	yesNoDirective("aof-timestamp-enabled", "", 0, func(s *Settings) *bool { return &s.AOFTimestampEnabled }, false),
	yesNoDirective("cluster-replica-no-failover", "cluster-slave-no-failover", 0, func(s *Settings) *bool { return &s.ClusterReplicaNoFailover }, false),
	yesNoDirective("replica-lazy-flush", "slave-lazy-flush", 0, func(s *Settings) *bool { return &s.ReplicaLazyFlush }, false),
	yesNoDirective("replica-serve-stale-data", "slave-serve-stale-data", 0, func(s *Settings) *bool { return &s.ReplicaServeStaleData }, true),
	yesNoDirective("replica-read-only", "slave-read-only", 0, func(s *Settings) *bool { return &s.ReplicaReadOnly }, true),
	yesNoDirective("replica-ignore-maxmemory", "slave-ignore-maxmemory", 0, func(s *Settings) *bool { return &s.ReplicaIgnoreMaxmemory }, true),
	yesNoDirective("jemalloc-bg-thread", "", 0, func(s *Settings) *bool { return &s.JemallocBgThread }, true),
	yesNoDirective("activedefrag", "", 0, func(s *Settings) *bool { return &s.ActiveDefrag }, false).with(validatedBool(refuseActiveDefrag)),
	yesNoDirective("syslog-enabled", "", immutable, func(s *Settings) *bool { return &s.SyslogEnabled }, false),
	yesNoDirective("cluster-enabled", "", immutable, func(s *Settings) *bool { return &s.ClusterEnabled }, false),
	yesNoDirective("appendonly", "", denyLoading, func(s *Settings) *bool { return &s.AppendOnly }, false),
	yesNoDirective("cluster-allow-reads-when-down", "", 0, func(s *Settings) *bool { return &s.ClusterAllowReadsWhenDown }, false),
	yesNoDirective("cluster-allow-pubsubshard-when-down", "", 0, func(s *Settings) *bool { return &s.ClusterAllowPubsubshardWhenDown }, true),
	yesNoDirective("crash-log-enabled", "", 0, func(s *Settings) *bool { return &s.CrashLogEnabled }, true),
	yesNoDirective("crash-memcheck-enabled", "", 0, func(s *Settings) *bool { return &s.CrashMemcheckEnabled }, true),
	yesNoDirective("use-exit-on-panic", "", hidden, func(s *Settings) *bool { return &s.UseExitOnPanic }, false),
	yesNoDirective("disable-thp", "", immutable, func(s *Settings) *bool { return &s.DisableTHP }, true),
	yesNoDirective("cluster-allow-replica-migration", "", 0, func(s *Settings) *bool { return &s.ClusterAllowReplicaMigration }, true),
	yesNoDirective("replica-announced", "", 0, func(s *Settings) *bool { return &s.ReplicaAnnounced }, true),
	yesNoDirective("latency-tracking", "", 0, func(s *Settings) *bool { return &s.LatencyTracking }, true),
	yesNoDirective("replica-ignore-disk-write-errors", "", 0, func(s *Settings) *bool { return &s.ReplicaIgnoreDiskWriteErrors }, false),
	yesNoDirective("aof-disable-auto-gc", "", 0, func(s *Settings) *bool { return &s.AOFDisableAutoGC }, false),

	// strings
	stringDirective("aclfile", "", immutable, notNullable, func(s *Settings) *string { return &s.ACLFile }, ""),
	stringDirective("unixsocket", "", immutable, nullable, func(s *Settings) *string { return &s.UnixSocket }, ""),
	stringDirective("pidfile", "", immutable, nullable, func(s *Settings) *string { return &s.PidFile }, ""),
	stringDirective("replica-announce-ip", "slave-announce-ip", 0, nullable, func(s *Settings) *string { return &s.ReplicaAnnounceIP }, ""),
	stringDirective("masteruser", "", sensitive, nullable, func(s *Settings) *string { return &s.MasterUser }, ""),
	stringDirective("cluster-announce-ip", "", 0, nullable, func(s *Settings) *string { return &s.ClusterAnnounceIP }, ""),
	stringDirective("cluster-config-file", "", immutable, notNullable, func(s *Settings) *string { return &s.ClusterConfigFile }, "nodes.conf"),
	stringDirective("cluster-announce-hostname", "", 0, nullable, func(s *Settings) *string { return &s.ClusterAnnounceHostname }, "").with(validatedString(validateHostname)),
	stringDirective("syslog-ident", "", immutable, notNullable, func(s *Settings) *string { return &s.SyslogIdent }, "redis"),
	stringDirective("dbfilename", "", protected, notNullable, func(s *Settings) *string { return &s.DBFilename }, "dump.rdb").with(validatedString(validateBaseName("dbfilename", "filename"))),
	stringDirective("appendfilename", "", immutable, notNullable, func(s *Settings) *string { return &s.AppendFilename }, "appendonly.aof").with(validatedString(validateBaseName("appendfilename", "filename"))),
	stringDirective("appenddirname", "", immutable, notNullable, func(s *Settings) *string { return &s.AppendDirname }, "appendonlydir").with(validatedString(validateBaseName("appenddirname", "dirname"))),
	stringDirective("server_cpulist", "", immutable, nullable, func(s *Settings) *string { return &s.ServerCPUList }, ""),
	stringDirective("bio_cpulist", "", immutable, nullable, func(s *Settings) *string { return &s.BioCPUList }, ""),
	stringDirective("aof_rewrite_cpulist", "", immutable, nullable, func(s *Settings) *string { return &s.AOFRewriteCPUList }, ""),
	stringDirective("bgsave_cpulist", "", immutable, nullable, func(s *Settings) *string { return &s.BgsaveCPUList }, ""),
	stringDirective("ignore-warnings", "", 0, notNullable, func(s *Settings) *string { return &s.IgnoreWarnings }, ""),
	stringDirective("proc-title-template", "", 0, notNullable, func(s *Settings) *string { return &s.ProcTitleTemplate }, "{title} {listen-addr} {server-mode}").with(validatedString(validateProcTitleTemplate)),
	stringDirective("bind-source-addr", "", 0, nullable, func(s *Settings) *string { return &s.BindSourceAddr }, ""),
	stringDirective("logfile", "", immutable, notNullable, func(s *Settings) *string { return &s.LogFile }, ""),
	stringDirective("masterauth", "", sensitive, nullable, func(s *Settings) *string { return &s.MasterAuth }, "").with(binaryString),
	stringDirective("requirepass", "", sensitive, nullable, func(s *Settings) *string { return &s.RequirePass }, "").with(binaryString),

	// enumerations
	enumDirective("supervised", immutable, func(s *Settings) *string { return &s.Supervised }, "no", "upstart", "systemd", "auto", "no"),
	enumDirective("syslog-facility", immutable, func(s *Settings) *string { return &s.SyslogFacility }, "local0",
		"user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"),
	enumDirective("repl-diskless-load", denyLoading, func(s *Settings) *string { return &s.ReplDisklessLoad }, "disabled", "disabled", "on-empty-db", "swapdb"),
	enumDirective("loglevel", 0, func(s *Settings) *string { return &s.LogLevel }, "notice", "debug", "verbose", "notice", "warning"),
	enumDirective("maxmemory-policy", 0, func(s *Settings) *string { return &s.MaxmemoryPolicy }, "noeviction",
		"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"),
	enumDirective("appendfsync", 0, func(s *Settings) *string { return &s.AppendFsync }, "everysec", "everysec", "always", "no"),
	enumValuesDirective("oom-score-adj", 0, func(s *Settings) *string { return &s.OOMScoreAdj }, "no",
		enumEntry{"no", 0}, enumEntry{"yes", 1}, enumEntry{"relative", 1}, enumEntry{"absolute", 2}),
	enumDirective("acl-pubsub-default", 0, func(s *Settings) *string { return &s.ACLPubSubDefault }, "resetchannels", "allchannels", "resetchannels"),
	enumDirective("sanitize-dump-payload", 0, func(s *Settings) *string { return &s.SanitizeDumpPayload }, "no", "no", "yes", "clients"),
	enumDirective("enable-protected-configs", immutable, func(s *Settings) *string { return &s.EnableProtectedConfigs }, "no", protectedActionValues...),
	enumDirective("enable-debug-command", immutable, func(s *Settings) *string { return &s.EnableDebugCommand }, "no", protectedActionValues...),
	enumDirective("enable-module-command", immutable, func(s *Settings) *string { return &s.EnableModuleCommand }, "no", protectedActionValues...),
	enumDirective("propagation-error-behavior", 0, func(s *Settings) *string { return &s.PropagationErrorBehavior }, "ignore", "ignore", "panic", "panic-on-replicas"),
	enumValuesDirective("shutdown-on-sigint", multiArg, func(s *Settings) *string { return &s.ShutdownOnSigint }, "default", shutdownFlags...).with(flagsEnum),
	enumValuesDirective("shutdown-on-sigterm", multiArg, func(s *Settings) *string { return &s.ShutdownOnSigterm }, "default", shutdownFlags...).with(flagsEnum),
	enumDirective("cluster-preferred-endpoint-type", 0, func(s *Settings) *string { return &s.ClusterPreferredEndpointType }, "ip", "ip", "hostname", "unknown-endpoint"),

	// C int
	numberDirective("databases", "", immutable, signedInt, 1, intMax, func(s *Settings) *int { return &s.Databases }, 16),
	numberDirective("port", "", 0, signedInt, 0, 65535, func(s *Settings) *int { return &s.Port }, 6379),
	numberDirective("io-threads", "", immutable, signedInt, 1, 128, func(s *Settings) *int { return &s.IOThreads }, 1),
	numberDirective("auto-aof-rewrite-percentage", "", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.AutoAOFRewritePercentage }, 100),
	numberDirective("cluster-replica-validity-factor", "cluster-slave-validity-factor", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.ClusterReplicaValidityFactor }, 10),
	numberDirective("list-max-listpack-size", "list-max-ziplist-size", 0, signedInt, intMin, intMax, func(s *Settings) *int { return &s.ListMaxListpackSize }, -2),
	numberDirective("tcp-keepalive", "", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.TCPKeepalive }, 300),
	numberDirective("cluster-migration-barrier", "", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.ClusterMigrationBarrier }, 1),
	numberDirective("active-defrag-cycle-min", "", 0, signedInt, 1, 99, func(s *Settings) *int { return &s.ActiveDefragCycleMin }, 1),
	numberDirective("active-defrag-cycle-max", "", 0, signedInt, 1, 99, func(s *Settings) *int { return &s.ActiveDefragCycleMax }, 25),
	numberDirective("active-defrag-threshold-lower", "", 0, signedInt, 0, 1000, func(s *Settings) *int { return &s.ActiveDefragThresholdLower }, 10),
	numberDirective("active-defrag-threshold-upper", "", 0, signedInt, 0, 1000, func(s *Settings) *int { return &s.ActiveDefragThresholdUpper }, 100),
	numberDirective("lfu-log-factor", "", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.LFULogFactor }, 10),
	numberDirective("lfu-decay-time", "", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.LFUDecayTime }, 1),
	numberDirective("replica-priority", "slave-priority", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.ReplicaPriority }, 100),
	numberDirective("repl-diskless-sync-delay", "", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.ReplDisklessSyncDelay }, 5),
	numberDirective("maxmemory-samples", "", 0, signedInt, 1, intMax, func(s *Settings) *int { return &s.MaxmemorySamples }, 5),
	numberDirective("maxmemory-eviction-tenacity", "", 0, signedInt, 0, 100, func(s *Settings) *int { return &s.MaxmemoryEvictionTenacity }, 10),
	numberDirective("timeout", "", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.Timeout }, 0),
	numberDirective("replica-announce-port", "slave-announce-port", 0, signedInt, 0, 65535, func(s *Settings) *int { return &s.ReplicaAnnouncePort }, 0),
	numberDirective("tcp-backlog", "", immutable, signedInt, 0, intMax, func(s *Settings) *int { return &s.TCPBacklog }, 511),
	numberDirective("cluster-port", "", immutable, signedInt, 0, 65535, func(s *Settings) *int { return &s.ClusterPort }, 0),
	numberDirective("cluster-announce-bus-port", "", 0, signedInt, 0, 65535, func(s *Settings) *int { return &s.ClusterAnnounceBusPort }, 0),
	numberDirective("cluster-announce-port", "", 0, signedInt, 0, 65535, func(s *Settings) *int { return &s.ClusterAnnouncePort }, 0),
	numberDirective("cluster-announce-tls-port", "", 0, signedInt, 0, 65535, func(s *Settings) *int { return &s.ClusterAnnounceTLSPort }, 0),
	numberDirective("repl-timeout", "", 0, signedInt, 1, intMax, func(s *Settings) *int { return &s.ReplTimeout }, 60),
	numberDirective("repl-ping-replica-period", "repl-ping-slave-period", 0, signedInt, 1, intMax, func(s *Settings) *int { return &s.ReplPingReplicaPeriod }, 10),
	numberDirective("list-compress-depth", "", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.ListCompressDepth }, 0),
	numberDirective("rdb-key-save-delay", "", hidden, signedInt, intMin, intMax, func(s *Settings) *int { return &s.RDBKeySaveDelay }, 0),
	numberDirective("key-load-delay", "", hidden, signedInt, intMin, intMax, func(s *Settings) *int { return &s.KeyLoadDelay }, 0),
	numberDirective("active-expire-effort", "", 0, signedInt, 1, 10, func(s *Settings) *int { return &s.ActiveExpireEffort }, 1),
	numberDirective("hz", "", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.Hz }, 10).with(func(d *directive) { d.apply = clampHz }),
	numberDirective("min-replicas-to-write", "min-slaves-to-write", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.MinReplicasToWrite }, 0),
	numberDirective("min-replicas-max-lag", "min-slaves-max-lag", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.MinReplicasMaxLag }, 10),
	numberDirective("watchdog-period", "", hidden, signedInt, 0, intMax, func(s *Settings) *int { return &s.WatchdogPeriod }, 0),
	numberDirective("shutdown-timeout", "", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.ShutdownTimeout }, 10),
	numberDirective("repl-diskless-sync-max-replicas", "", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.ReplDisklessSyncMaxReplicas }, 0),

	// C unsigned int
	numberDirective("maxclients", "", 0, unsignedInt, 1, uintMax, func(s *Settings) *int { return &s.MaxClients }, 10000),
	numberDirective("socket-mark-id", "", immutable, unsignedInt, 0, uintMax, func(s *Settings) *int { return &s.SocketMarkID }, 0),
	numberDirective("unixsocketperm", "", immutable, octalPerm, 0, 0o777, func(s *Settings) *int { return &s.UnixSocketPerm }, 0),

	// C unsigned long (bounded as signed, as Redis does)
	numberDirective("active-defrag-max-scan-fields", "", 0, signedInt, 1, longMax, func(s *Settings) *int { return &s.ActiveDefragMaxScanFields }, 1000),
	numberDirective("slowlog-max-len", "", 0, signedInt, 0, longMax, func(s *Settings) *int { return &s.SlowlogMaxLen }, 128),
	numberDirective("acllog-max-len", "", 0, signedInt, 0, longMax, func(s *Settings) *int { return &s.ACLLogMaxLen }, 128),

	// C long long
	numberDirective("busy-reply-threshold", "lua-time-limit", 0, signedInt, 0, longMax, func(s *Settings) *int64 { return &s.BusyReplyThreshold }, 5000),
	numberDirective("cluster-node-timeout", "", 0, signedInt, 0, llongMax, func(s *Settings) *int64 { return &s.ClusterNodeTimeout }, 15000),
	numberDirective("slowlog-log-slower-than", "", 0, signedInt, -1, llongMax, func(s *Settings) *int64 { return &s.SlowlogLogSlowerThan }, 10000),
	numberDirective("latency-monitor-threshold", "", 0, signedInt, 0, llongMax, func(s *Settings) *int64 { return &s.LatencyMonitorThreshold }, 0),
	numberDirective("proto-max-bulk-len", "", 0, signedMem, 1<<20, longMax, func(s *Settings) *int64 { return &s.ProtoMaxBulkLen }, 512<<20),
	numberDirective("stream-node-max-entries", "", 0, signedInt, 0, llongMax, func(s *Settings) *int64 { return &s.StreamNodeMaxEntries }, 100),
	numberDirective("repl-backlog-size", "", 0, signedMem, 1, llongMax, func(s *Settings) *int64 { return &s.ReplBacklogSize }, 1<<20),

	// C unsigned long long
	numberDirective("maxmemory", "", 0, unsignedMem, 0, ullongMax, func(s *Settings) *uint64 { return &s.Maxmemory }, 0),
	numberDirective("cluster-link-sendbuf-limit", "", 0, unsignedMem, 0, ullongMax, func(s *Settings) *uint64 { return &s.ClusterLinkSendbufLimit }, 0),

	// C size_t
	numberDirective("hash-max-listpack-entries", "hash-max-ziplist-entries", 0, unsignedInt, 0, longMax, func(s *Settings) *int { return &s.HashMaxListpackEntries }, 512),
	numberDirective("set-max-intset-entries", "", 0, unsignedInt, 0, longMax, func(s *Settings) *int { return &s.SetMaxIntsetEntries }, 512),
	numberDirective("set-max-listpack-entries", "", 0, unsignedInt, 0, longMax, func(s *Settings) *int { return &s.SetMaxListpackEntries }, 128),
	numberDirective("set-max-listpack-value", "", 0, unsignedMem, 0, longMax, func(s *Settings) *int { return &s.SetMaxListpackValue }, 64),
	numberDirective("zset-max-listpack-entries", "zset-max-ziplist-entries", 0, unsignedInt, 0, longMax, func(s *Settings) *int { return &s.ZsetMaxListpackEntries }, 128),
	numberDirective("active-defrag-ignore-bytes", "", 0, unsignedMem, 1, llongMax, func(s *Settings) *int { return &s.ActiveDefragIgnoreBytes }, 100<<20),
	numberDirective("hash-max-listpack-value", "hash-max-ziplist-value", 0, unsignedMem, 0, longMax, func(s *Settings) *int { return &s.HashMaxListpackValue }, 64),
	numberDirective("stream-node-max-bytes", "", 0, unsignedMem, 0, longMax, func(s *Settings) *int { return &s.StreamNodeMaxBytes }, 4096),
	numberDirective("zset-max-listpack-value", "zset-max-ziplist-value", 0, unsignedMem, 0, longMax, func(s *Settings) *int { return &s.ZsetMaxListpackValue }, 64),
	numberDirective("hll-sparse-max-bytes", "", 0, unsignedMem, 0, longMax, func(s *Settings) *int { return &s.HLLSparseMaxBytes }, 3000),
	numberDirective("tracking-table-max-keys", "", 0, unsignedInt, 0, longMax, func(s *Settings) *int { return &s.TrackingTableMaxKeys }, 1000000),
	numberDirective("client-query-buffer-limit", "", 0, unsignedMem, 1<<20, longMax, func(s *Settings) *int { return &s.ClientQueryBufferLimit }, 1<<30),
	numberDirective("maxmemory-clients", "", 0, memPercent, -100, longMax, func(s *Settings) *int64 { return &s.MaxmemoryClients }, 0),

	// C time_t and off_t
	numberDirective("repl-backlog-ttl", "", 0, signedInt, 0, longMax, func(s *Settings) *int { return &s.ReplBacklogTTL }, 3600),
	numberDirective("auto-aof-rewrite-min-size", "", 0, signedMem, 0, llongMax, func(s *Settings) *int64 { return &s.AutoAOFRewriteMinSize }, 64<<20),
	numberDirective("loading-process-events-interval-bytes", "", hidden, signedInt, 1024, intMax, func(s *Settings) *int64 { return &s.LoadingProcessEventsIntervalBytes }, 2<<20),

	// TLS
	numberDirective("tls-port", "", 0, signedInt, 0, 65535, func(s *Settings) *int { return &s.TLSPort }, 0),
	numberDirective("tls-session-cache-size", "", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.TLSSessionCacheSize }, 20*1024),
	numberDirective("tls-session-cache-timeout", "", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.TLSSessionCacheTimeout }, 300),
	yesNoDirective("tls-cluster", "", 0, func(s *Settings) *bool { return &s.TLSCluster }, false),
	yesNoDirective("tls-replication", "", 0, func(s *Settings) *bool { return &s.TLSReplication }, false),
	enumDirective("tls-auth-clients", 0, func(s *Settings) *string { return &s.TLSAuthClients }, "yes", "no", "yes", "optional"),
	yesNoDirective("tls-prefer-server-ciphers", "", 0, func(s *Settings) *bool { return &s.TLSPreferServerCiphers }, false),
	yesNoDirective("tls-session-caching", "", 0, func(s *Settings) *bool { return &s.TLSSessionCaching }, true),
	stringDirective("tls-cert-file", "", 0, nullable, func(s *Settings) *string { return &s.TLSCertFile }, ""),
	stringDirective("tls-key-file", "", 0, nullable, func(s *Settings) *string { return &s.TLSKeyFile }, ""),
	stringDirective("tls-key-file-pass", "", 0, nullable, func(s *Settings) *string { return &s.TLSKeyFilePass }, ""),
	stringDirective("tls-client-cert-file", "", 0, nullable, func(s *Settings) *string { return &s.TLSClientCertFile }, ""),
	stringDirective("tls-client-key-file", "", 0, nullable, func(s *Settings) *string { return &s.TLSClientKeyFile }, ""),
	stringDirective("tls-client-key-file-pass", "", 0, nullable, func(s *Settings) *string { return &s.TLSClientKeyFilePass }, ""),
	stringDirective("tls-dh-params-file", "", 0, nullable, func(s *Settings) *string { return &s.TLSDHParamsFile }, ""),
	stringDirective("tls-ca-cert-file", "", 0, nullable, func(s *Settings) *string { return &s.TLSCACertFile }, ""),
	stringDirective("tls-ca-cert-dir", "", 0, nullable, func(s *Settings) *string { return &s.TLSCACertDir }, ""),
	stringDirective("tls-protocols", "", 0, nullable, func(s *Settings) *string { return &s.TLSProtocols }, ""),
	stringDirective("tls-ciphers", "", 0, nullable, func(s *Settings) *string { return &s.TLSCiphers }, ""),
	stringDirective("tls-ciphersuites", "", 0, nullable, func(s *Settings) *string { return &s.TLSCiphersuites }, ""),

	// special syntax
	specialDirective("dir", "", protected|denyLoading, &specialValue{
		initf: func(s *Settings) { s.Dir = workingDir() }, setf: setDir, getf: getDir, rewritef: rewriteDir}),
	specialDirective("save", "", multiArg, &specialValue{
		initf: func(s *Settings) { s.Save = defaultSave }, setf: setSave, getf: getSave, rewritef: rewriteSave}),
	specialDirective("client-output-buffer-limit", "", multiArg, &specialValue{
		initf: func(s *Settings) { s.ClientOutputBufferLimit = defaultOutputBufferLimits },
		setf:  setClientOutputBufferLimit, getf: getClientOutputBufferLimit, rewritef: rewriteClientOutputBufferLimit}),
	specialDirective("oom-score-adj-values", "", multiArg, &specialValue{
		initf: func(s *Settings) { s.OOMScoreAdjValues = defaultOOMScoreAdjValues },
		setf:  setOOMScoreAdjValues, getf: getOOMScoreAdjValues, rewritef: rewriteOOMScoreAdjValues}),
	specialDirective("notify-keyspace-events", "", 0, &specialValue{
		initf: func(s *Settings) { s.NotifyKeyspaceEvents = 0 },
		setf:  setNotifyKeyspaceEvents, getf: getNotifyKeyspaceEvents, rewritef: rewriteNotifyKeyspaceEvents}),
	specialDirective("bind", "", multiArg, &specialValue{
		initf: func(s *Settings) { s.Bind = defaultBind }, setf: setBind, getf: getBind, rewritef: rewriteBind}),
	specialDirective("replicaof", "slaveof", immutable|multiArg, &specialValue{
		initf: func(s *Settings) { s.ReplicaOfHost, s.ReplicaOfPort = "", 0 },
		setf:  setReplicaOf, getf: getReplicaOf, rewritef: rewriteReplicaOf}),
	specialDirective("latency-tracking-info-percentiles", "", multiArg, &specialValue{
		initf: func(s *Settings) { s.LatencyTrackingInfoPercentiles = defaultPercentiles },
		setf:  setPercentiles, getf: getPercentiles, rewritef: rewritePercentiles}),

	// Vireo only
	numberDirective("vireo-shards", "", immutable, signedInt, 1, 1<<16, func(s *Settings) *int { return &s.Shards }, 256).with(func(d *directive) {
		d.value.(*numValue).validate = validatePowerOfTwo
	}),
	numberDirective("vireo-gogc", "", 0, signedInt, -1, intMax, func(s *Settings) *int { return &s.GOGC }, 100),
	stringDirective("vireo-s3-endpoint", "", 0, nullable, func(s *Settings) *string { return &s.S3Endpoint }, ""),
	stringDirective("vireo-s3-bucket", "", 0, nullable, func(s *Settings) *string { return &s.S3Bucket }, ""),
	stringDirective("vireo-s3-prefix", "", 0, nullable, func(s *Settings) *string { return &s.S3Prefix }, ""),
	stringDirective("vireo-s3-access-key", "", 0, nullable, func(s *Settings) *string { return &s.S3AccessKey }, ""),
	stringDirective("vireo-s3-secret-key", "", sensitive, nullable, func(s *Settings) *string { return &s.S3SecretKey }, ""),
	stringDirective("vireo-s3-region", "", 0, nullable, func(s *Settings) *string { return &s.S3Region }, ""),
	yesNoDirective("vireo-s3-tls", "", 0, func(s *Settings) *bool { return &s.S3TLS }, true),
	numberDirective("vireo-s3-backup-interval", "", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.S3BackupInterval }, 0),
	numberDirective("vireo-s3-backup-keep", "", 0, signedInt, 0, intMax, func(s *Settings) *int { return &s.S3BackupKeep }, 0),
	stringDirective("vireo-s3-restore", "", immutable, nullable, func(s *Settings) *string { return &s.S3Restore }, ""),
	stringDirective("vireo-metrics-addr", "", 0, nullable, func(s *Settings) *string { return &s.MetricsAddr }, ""),
	yesNoDirective("vireo-failover", "", immutable, func(s *Settings) *bool { return &s.Failover }, false),
	stringDirective("vireo-failover-node-id", "", immutable, nullable, func(s *Settings) *string { return &s.FailoverNodeID }, ""),
	stringDirective("vireo-failover-raft-addr", "", immutable, nullable, func(s *Settings) *string { return &s.FailoverRaftAddr }, ""),
	stringDirective("vireo-failover-dir", "", immutable, nullable, func(s *Settings) *string { return &s.FailoverDir }, ""),
	stringDirective("vireo-failover-peers", "", immutable, nullable, func(s *Settings) *string { return &s.FailoverPeers }, ""),
	stringDirective("vireo-failover-master-name", "", immutable, notNullable, func(s *Settings) *string { return &s.FailoverMaster }, "mymaster"),
	numberDirective("vireo-failover-down-after-milliseconds", "", immutable, signedInt, 1, intMax, func(s *Settings) *int { return &s.FailoverDownAfter }, 5000),
}

// clampHz keeps hz within what the server can honour, as Redis's updateHZ:
// the value is a hint, so out-of-range values are accepted and capped.
func clampHz(s *Settings) {
	const minHz, maxHz = 1, 500
	s.Hz = max(minHz, min(s.Hz, maxHz))
}

// tableEntry is what a name (canonical or alias) resolves to. Redis keeps
// aliases as entries of their own: CONFIG GET answers with the name asked
// for, and CONFIG SET does not see "x" and its alias as the same parameter.
type tableEntry struct {
	name string
	d    *directive
}

// byName maps every lowercase name and alias to its entry; entries lists
// them in table order, each alias right after its directive.
var byName, entries = indexDirectives()

func indexDirectives() (map[string]*tableEntry, []*tableEntry) {
	m := make(map[string]*tableEntry, 2*len(directives))
	var list []*tableEntry
	add := func(name string, d *directive) {
		if _, dup := m[name]; dup || name != strings.ToLower(name) {
			panic("config: bad or duplicate directive name " + name) // table bug, caught by any test
		}
		e := &tableEntry{name: name, d: d}
		m[name] = e
		list = append(list, e)
	}
	for _, d := range directives {
		add(d.name, d)
		if d.alias != "" {
			add(d.alias, d)
		}
	}
	return m, list
}

// lookup resolves a directive name or alias, ignoring ASCII case.
func lookup(name string) *tableEntry { return byName[asciiLower(name)] }
