package server

// INFO: Redis's sections, field names and field order (those of Redis 7.0,
// which clients and monitoring tools parse), CRLF line endings and "# Name"
// headers. Values are real where Vireo has the thing (clients, commands,
// keys, memory from the Go runtime and /proc, CPU from getrusage) and
// Redis's idle values for features Vireo does not have yet (persistence,
// replication, scripting, eviction, pub/sub). Later features replace their
// section's idle values with real ones here.

import (
	"bytes"
	"cmp"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func init() { familyRegistrars = append(familyRegistrars, registerInfoCommands) }

// infoSection is one INFO section: its name as INFO takes it, its header,
// and whether a plain INFO includes it.
type infoSection struct {
	name, title string
	inDefault   bool
	write       func(s *Server, w *infoWriter)
}

// vireoSections are Vireo's own sections, shown only when named, so that
// INFO, INFO all and INFO everything list Redis's sections and no others.
var vireoSections = map[string]bool{"backup": true, "failover": true}

// infoSections are in Redis's output order.
var infoSections = []infoSection{
	{"server", "Server", true, (*Server).infoServer},
	{"clients", "Clients", true, (*Server).infoClients},
	{"memory", "Memory", true, (*Server).infoMemory},
	{"persistence", "Persistence", true, (*Server).infoPersistence},
	{"backup", "Backup", false, (*Server).infoBackup}, // backup.go
	{"stats", "Stats", true, (*Server).infoStats},
	{"replication", "Replication", true, (*Server).infoReplication},
	{"failover", "Failover", false, (*Server).infoFailover}, // failover.go
	{"cpu", "CPU", true, (*Server).infoCPU},
	{"modules", "Modules", true, func(*Server, *infoWriter) {}},
	{"commandstats", "Commandstats", false, (*Server).infoCommandStats},
	{"errorstats", "Errorstats", true, (*Server).infoErrorStats},
	{"latencystats", "Latencystats", false, (*Server).infoLatencyStats}, // latency.go
	{"cluster", "Cluster", true, (*Server).infoCluster},
	{"keyspace", "Keyspace", true, (*Server).infoKeyspace},
}

// infoWriter builds the text of INFO.
type infoWriter struct{ b []byte }

func (w *infoWriter) str(name, v string) {
	w.b = append(w.b, name...)
	w.b = append(w.b, ':')
	w.b = append(w.b, v...)
	w.b = append(w.b, "\r\n"...)
}

func (w *infoWriter) int(name string, v int64) {
	w.b = append(w.b, name...)
	w.b = append(w.b, ':')
	w.b = strconv.AppendInt(w.b, v, 10)
	w.b = append(w.b, "\r\n"...)
}

// flag writes a yes/no field as Redis does: 1 or 0.
func (w *infoWriter) flag(name string, v bool) {
	if v {
		w.str(name, "1")
	} else {
		w.str(name, "0")
	}
}

// status writes an outcome field (rdb_last_bgsave_status, ...): ok or err.
func (w *infoWriter) status(name string, ok bool) {
	if ok {
		w.str(name, "ok")
	} else {
		w.str(name, "err")
	}
}

// fixed writes v with two decimals, as Redis's "%.2f".
func (w *infoWriter) fixed(name string, v float64) {
	w.str(name, strconv.FormatFloat(v, 'f', 2, 64))
}

// Info returns the INFO text for the given section names (Redis's rules:
// none or "default" = the default sections, "all" adds commandstats and
// latencystats, "everything" adds module sections too; unknown names are
// ignored; names are case-insensitive).
func (s *Server) Info(names ...string) string {
	want := make(map[string]bool)
	if len(names) == 0 {
		names = []string{"default"}
	}
	for _, n := range names {
		n = strings.ToLower(n)
		switch n {
		case "default":
			for _, sec := range infoSections {
				if sec.inDefault {
					want[sec.name] = true
				}
			}
		case "all", "everything":
			for _, sec := range infoSections {
				want[sec.name] = !vireoSections[sec.name]
			}
		default:
			want[n] = true
		}
	}
	w := &infoWriter{}
	first := true
	for _, sec := range infoSections {
		if !want[sec.name] {
			continue
		}
		if !first {
			w.b = append(w.b, "\r\n"...)
		}
		first = false
		w.b = append(w.b, "# "...)
		w.b = append(w.b, sec.title...)
		w.b = append(w.b, "\r\n"...)
		sec.write(s, w)
	}
	return string(w.b)
}

// INFO [section [section ...]]
func cmdInfo(c *Ctx, args [][]byte) {
	names := make([]string, 0, len(args)-1)
	for _, a := range args[1:] {
		names = append(names, string(a))
	}
	c.Verbatim(c.srv.Info(names...), "txt")
}

// ---------------------------------------------------------------------------
// Sections.

func (s *Server) infoServer(w *infoWriter) {
	now := time.Now()
	uptime := int64(now.Sub(s.startTime) / time.Second)
	exe, _ := os.Executable()
	w.str("redis_version", Version)
	w.str("redis_git_sha1", "00000000")
	w.str("redis_git_dirty", "0")
	w.str("redis_build_id", buildID())
	w.str("redis_mode", "standalone")
	w.str("os", osDescription())
	w.int("arch_bits", strconv.IntSize)
	w.str("monotonic_clock", "POSIX clock_gettime")
	w.str("multiplexing_api", multiplexingAPI())
	w.str("atomicvar_api", "sync/atomic")
	w.str("gcc_version", "0.0.0") // not built with gcc; go_version says what
	w.int("process_id", int64(os.Getpid()))
	w.str("process_supervised", "no")
	w.str("run_id", s.runID)
	w.int("tcp_port", int64(s.tcpPort()))
	w.int("server_time_usec", now.UnixMicro())
	w.int("uptime_in_seconds", uptime)
	w.int("uptime_in_days", uptime/86400)
	hz := s.set.hz.Load()
	w.int("hz", hz)
	w.int("configured_hz", hz)
	w.int("lru_clock", int64(s.ks.LRUClock()))
	w.str("executable", exe)
	w.str("config_file", s.cfg.File())
	w.str("io_threads_active", "0")
	// Vireo's own, after Redis's fields.
	w.str("go_version", runtime.Version())
	w.int("gomaxprocs", int64(runtime.GOMAXPROCS(0)))
}

func (s *Server) infoClients(w *infoWriter) {
	var maxOut int64
	for _, o := range s.sortedClients() {
		maxOut = max(maxOut, o.pub.outPeak.Load())
	}
	w.int("connected_clients", s.connectedClients())
	w.str("cluster_connections", "0")
	w.int("maxclients", s.set.maxClients.Load())
	w.str("client_recent_max_input_buffer", "0") // the read buffer is not exposed
	w.int("client_recent_max_output_buffer", maxOut)
	w.int("blocked_clients", s.BlockedClients()) // blocking.go
	w.str("tracking_clients", "0")
	w.str("clients_in_timeout_table", "0")
}

// memFigures are the memory figures INFO memory and MEMORY STATS report.
type memFigures struct {
	used, startup, dataset, clients, overhead, peak, netUsage int64
	rss, allocated, active, resident                          int64
}

func (s *Server) memFigures() memFigures {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	// used_memory follows the keyspace's accounting (evict.go), so that it
	// is what maxmemory is enforced against; Go's own view of the heap,
	// collectable garbage included, is allocator_allocated.
	var f memFigures
	for _, o := range s.sortedClients() {
		f.clients += readBufSize + o.pub.outCap.Load() + o.pub.multiMem.Load()
	}
	f.startup = s.baseMem.Load()
	f.dataset = s.ks.UsedMemory()
	f.used = f.startup + f.dataset + f.clients
	s.inst.notePeak(f.used)
	f.peak = s.inst.peakMem.Load()
	// Redis counts its hash tables' own structures as overhead, not data.
	// (The TTL index is not in the keyspace's accounting, so its nodes are
	// not moved out of the dataset; MEMORY STATS shows them per database.)
	for i := 0; i < s.ks.NumDBs(); i++ {
		f.overhead += s.ks.DB(i).Size() * keyspaceNodeBytes
	}
	f.dataset = max(f.dataset-f.overhead, 0)
	f.overhead += f.startup + f.clients
	f.netUsage = 1
	if f.used > f.startup {
		f.netUsage = f.used - f.startup
	}
	f.rss = residentSetSize(&ms)
	f.allocated = int64(ms.HeapAlloc)
	f.active = int64(ms.HeapInuse)
	f.resident = int64(ms.HeapSys - ms.HeapReleased)
	return f
}

func (s *Server) infoMemory(w *infoWriter) {
	f := s.memFigures()
	used, startup, dataset, clientsMem, overhead, peak, netUsage := f.used, f.startup, f.dataset, f.clients, f.overhead, f.peak, f.netUsage
	rss, allocated, active, resident := f.rss, f.allocated, f.active, f.resident
	sysMem := totalSystemMemory()

	w.int("used_memory", used)
	w.str("used_memory_human", bytesToHuman(used))
	w.int("used_memory_rss", rss)
	w.str("used_memory_rss_human", bytesToHuman(rss))
	w.int("used_memory_peak", peak)
	w.str("used_memory_peak_human", bytesToHuman(peak))
	w.str("used_memory_peak_perc", percent(used, peak))
	w.int("used_memory_overhead", overhead)
	w.int("used_memory_startup", startup)
	w.int("used_memory_dataset", dataset)
	w.str("used_memory_dataset_perc", percent(dataset, netUsage))
	w.int("allocator_allocated", allocated)
	w.int("allocator_active", active)
	w.int("allocator_resident", resident)
	w.int("total_system_memory", sysMem)
	w.str("total_system_memory_human", bytesToHuman(sysMem))
	sm := s.scriptingMemory()
	w.int("used_memory_lua", sm.vmEval)
	w.int("used_memory_vm_eval", sm.vmEval)
	w.str("used_memory_lua_human", bytesToHuman(sm.vmEval))
	w.int("used_memory_scripts_eval", sm.scriptsEval)
	w.int("number_of_cached_scripts", sm.cachedScripts)
	w.int("number_of_functions", sm.functions)
	w.int("number_of_libraries", sm.libraries)
	w.int("used_memory_vm_functions", sm.vmFunctions)
	w.int("used_memory_vm_total", sm.vmEval+sm.vmFunctions)
	w.str("used_memory_vm_total_human", bytesToHuman(sm.vmEval+sm.vmFunctions))
	w.int("used_memory_functions", sm.functionsOverhead)
	w.int("used_memory_scripts", sm.scriptsEval+sm.functionsOverhead)
	w.str("used_memory_scripts_human", bytesToHuman(sm.scriptsEval+sm.functionsOverhead))
	maxmem := s.set.maxmemory.Load()
	w.int("maxmemory", maxmem)
	w.str("maxmemory_human", bytesToHuman(maxmem))
	w.str("maxmemory_policy", s.cfg.Snapshot().MaxmemoryPolicy)
	w.fixed("allocator_frag_ratio", ratio(active, allocated))
	w.int("allocator_frag_bytes", active-allocated)
	w.fixed("allocator_rss_ratio", ratio(resident, active))
	w.int("allocator_rss_bytes", resident-active)
	w.fixed("rss_overhead_ratio", ratio(rss, resident))
	w.int("rss_overhead_bytes", rss-resident)
	w.fixed("mem_fragmentation_ratio", ratio(rss, used))
	w.int("mem_fragmentation_bytes", rss-used)
	w.int("mem_not_counted_for_evict", clientsMem)
	w.str("mem_replication_backlog", "0")
	w.str("mem_total_replication_buffers", "0")
	w.str("mem_clients_slaves", "0")
	w.int("mem_clients_normal", clientsMem)
	w.str("mem_cluster_links", "0")
	w.str("mem_aof_buffer", "0")
	w.str("mem_allocator", "go-"+strings.TrimPrefix(runtime.Version(), "go"))
	w.str("active_defrag_running", "0")
	w.str("lazyfree_pending_objects", "0")
	w.str("lazyfreed_objects", "0")
}

func (s *Server) infoStats(w *infoWriter) {
	st := &s.stats
	w.int("total_connections_received", st.connsReceived.Load())
	w.int("total_commands_processed", s.totalCommands())
	w.int("instantaneous_ops_per_sec", s.inst.rate(instOps))
	w.int("total_net_input_bytes", st.netInput.Load())
	w.int("total_net_output_bytes", st.netOutput.Load())
	w.str("total_net_repl_input_bytes", "0")
	w.str("total_net_repl_output_bytes", "0")
	w.fixed("instantaneous_input_kbps", float64(s.inst.rate(instNetInput))/1024)
	w.fixed("instantaneous_output_kbps", float64(s.inst.rate(instNetOutput))/1024)
	w.str("instantaneous_input_repl_kbps", "0.00")
	w.str("instantaneous_output_repl_kbps", "0.00")
	w.int("rejected_connections", st.rejectedConns.Load())
	w.int("sync_full", s.repl.syncFull.Load())
	w.int("sync_partial_ok", s.repl.syncPartialOK.Load())
	w.int("sync_partial_err", s.repl.syncPartialErr.Load())
	w.int("expired_keys", st.expiredKeys.Load())
	w.str("expired_stale_perc", "0.00")
	w.str("expired_time_cap_reached_count", "0")
	w.str("expire_cycle_cpu_milliseconds", "0")
	w.int("evicted_keys", st.evictedKeys.Load())
	w.str("evicted_clients", "0")
	w.str("total_eviction_exceeded_time", "0")
	w.str("current_eviction_exceeded_time", "0")
	w.int("keyspace_hits", st.keyspaceHits.Load())
	w.int("keyspace_misses", st.keyspaceMiss.Load())
	w.int("pubsub_channels", s.pubsub.numChannels(false))
	w.int("pubsub_patterns", s.pubsub.numPatterns())
	w.int("pubsubshard_channels", s.pubsub.numChannels(true))
	w.str("latest_fork_usec", "0")
	w.str("total_forks", "0")
	w.str("migrate_cached_sockets", "0")
	w.str("slave_expires_tracked_keys", "0")
	w.str("active_defrag_hits", "0")
	w.str("active_defrag_misses", "0")
	w.str("active_defrag_key_hits", "0")
	w.str("active_defrag_key_misses", "0")
	w.str("total_active_defrag_time", "0")
	w.str("current_active_defrag_time", "0")
	tkeys, titems, tprefixes := s.trackingTotals()
	w.int("tracking_total_keys", tkeys)
	w.int("tracking_total_items", titems)
	w.int("tracking_total_prefixes", tprefixes)
	w.str("unexpected_error_replies", "0")
	w.int("total_error_replies", st.errTot.Load())
	w.str("dump_payload_sanitizations", "0")
	// The connection loop does not count its reads and writes.
	w.str("total_reads_processed", "0")
	w.str("total_writes_processed", "0")
	w.str("io_threaded_reads_processed", "0")
	w.str("io_threaded_writes_processed", "0")
	w.str("reply_buffer_shrinks", "0")
	w.str("reply_buffer_expands", "0")
	// Redis 7.2's ACL denial counters (7.0.15 has none; acl.go).
	w.int("acl_access_denied_auth", s.acl.deniedAuth.Load())
	w.int("acl_access_denied_cmd", s.acl.deniedCmd.Load())
	w.int("acl_access_denied_key", s.acl.deniedKey.Load())
	w.int("acl_access_denied_channel", s.acl.deniedChannel.Load())
}

func (s *Server) infoCPU(w *infoWriter) {
	var self, children syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	w.str("used_cpu_sys", timeval(self.Stime))
	w.str("used_cpu_user", timeval(self.Utime))
	w.str("used_cpu_sys_children", timeval(children.Stime))
	w.str("used_cpu_user_children", timeval(children.Utime))
	// Go has no main thread that runs the commands: report the process.
	w.str("used_cpu_sys_main_thread", timeval(self.Stime))
	w.str("used_cpu_user_main_thread", timeval(self.Utime))
}

func (s *Server) infoCommandStats(w *infoWriter) {
	var line []byte
	emit := func(cmd *Command) {
		calls, usec, rejected, failed := cmd.stats.snapshot()
		if calls == 0 && rejected == 0 && failed == 0 {
			return
		}
		perCall := 0.0
		if calls > 0 {
			perCall = float64(usec) / float64(calls)
		}
		line = append(line[:0], "cmdstat_"...)
		line = append(line, cmd.Name...)
		line = append(line, ":calls="...)
		line = strconv.AppendInt(line, calls, 10)
		line = append(line, ",usec="...)
		line = strconv.AppendInt(line, usec, 10)
		line = append(line, ",usec_per_call="...)
		line = strconv.AppendFloat(line, perCall, 'f', 2, 64)
		line = append(line, ",rejected_calls="...)
		line = strconv.AppendInt(line, rejected, 10)
		line = append(line, ",failed_calls="...)
		line = strconv.AppendInt(line, failed, 10)
		line = append(line, "\r\n"...)
		w.b = append(w.b, line...)
	}
	for _, cmd := range s.table.Sorted() {
		emit(cmd)
		for _, sc := range sortedSubcommands(cmd) {
			emit(sc)
		}
	}
}

// sortedSubcommands returns cmd's subcommands by name (nil for a plain
// command).
func sortedSubcommands(cmd *Command) []*Command {
	if len(cmd.Subcommands) == 0 {
		return nil
	}
	subs := make([]*Command, 0, len(cmd.Subcommands))
	for _, sc := range cmd.Subcommands {
		subs = append(subs, sc)
	}
	slices.SortFunc(subs, func(a, b *Command) int { return cmp.Compare(a.Name, b.Name) })
	return subs
}

func (s *Server) infoErrorStats(w *infoWriter) {
	st := &s.stats
	st.errMu.Lock()
	codes := make([]string, 0, len(st.errors))
	for code := range st.errors {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		w.b = append(w.b, "errorstat_"...)
		w.b = append(w.b, code...)
		w.b = append(w.b, ":count="...)
		w.b = strconv.AppendInt(w.b, st.errors[code], 10)
		w.b = append(w.b, "\r\n"...)
	}
	st.errMu.Unlock()
}

func (s *Server) infoCluster(w *infoWriter) {
	w.str("cluster_enabled", boolDigit(s.cluster.enabled))
}

func (s *Server) infoKeyspace(w *infoWriter) {
	for i := 0; i < s.ks.NumDBs(); i++ {
		db := s.ks.DB(i)
		keys := db.Size()
		if keys == 0 {
			continue
		}
		w.b = append(w.b, "db"...)
		w.b = strconv.AppendInt(w.b, int64(i), 10)
		w.b = append(w.b, ":keys="...)
		w.b = strconv.AppendInt(w.b, keys, 10)
		w.b = append(w.b, ",expires="...)
		w.b = strconv.AppendInt(w.b, db.ExpiresSize(), 10)
		// Redis estimates avg_ttl from its expiry sampling; Vireo does not.
		w.b = append(w.b, ",avg_ttl=0\r\n"...)
	}
}

// ---------------------------------------------------------------------------
// Values from the runtime and the operating system.

// tcpPort is the port of the first TCP listener (the configured port, or the
// one the kernel chose for port 0).
func (s *Server) tcpPort() int {
	for _, ln := range s.listeners {
		if a, ok := ln.Addr().(*net.TCPAddr); ok {
			return a.Port
		}
	}
	return s.opts.Port
}

// bytesToHuman formats n as Redis's bytesToHuman does.
func bytesToHuman(n int64) string {
	d := float64(n)
	switch {
	case n < 1024:
		return strconv.FormatInt(n, 10) + "B"
	case n < 1<<20:
		return strconv.FormatFloat(d/(1<<10), 'f', 2, 64) + "K"
	case n < 1<<30:
		return strconv.FormatFloat(d/(1<<20), 'f', 2, 64) + "M"
	case n < 1<<40:
		return strconv.FormatFloat(d/(1<<30), 'f', 2, 64) + "G"
	case n < 1<<50:
		return strconv.FormatFloat(d/(1<<40), 'f', 2, 64) + "T"
	case n < 1<<60:
		return strconv.FormatFloat(d/(1<<50), 'f', 2, 64) + "P"
	}
	return strconv.FormatInt(n, 10) + "B"
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// percent is "%.2f%%" of a/b.
func percent(a, b int64) string {
	return strconv.FormatFloat(ratio(a, b)*100, 'f', 2, 64) + "%"
}

// timeval formats a rusage time as Redis's "%ld.%06ld".
func timeval(tv syscall.Timeval) string {
	us := int64(tv.Usec)
	s := strconv.FormatInt(us, 10)
	if len(s) < 6 {
		s = strings.Repeat("0", 6-len(s)) + s
	}
	return strconv.FormatInt(int64(tv.Sec), 10) + "." + s
}

// residentSetSize reads the process's RSS from /proc/self/statm; elsewhere
// it falls back to the memory the Go runtime holds from the OS.
func residentSetSize(ms *runtime.MemStats) int64 {
	if b, err := os.ReadFile("/proc/self/statm"); err == nil {
		f := bytes.Fields(b)
		if len(f) >= 2 {
			if pages, ok := parseInt(f[1]); ok {
				return pages * int64(os.Getpagesize())
			}
		}
	}
	return int64(ms.Sys - ms.HeapReleased)
}

// totalSystemMemory is MemTotal from /proc/meminfo, or 0 when unknown.
func totalSystemMemory() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if rest, ok := bytes.CutPrefix(line, []byte("MemTotal:")); ok {
			f := bytes.Fields(rest)
			if len(f) >= 1 {
				if kb, ok := parseInt(f[0]); ok {
					return kb * 1024
				}
			}
		}
	}
	return 0
}

// osDescription is uname's "sysname release machine", as Redis prints it.
func osDescription() string {
	sys, rel := runtime.GOOS, ""
	if b, err := os.ReadFile("/proc/sys/kernel/ostype"); err == nil {
		sys = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		rel = strings.TrimSpace(string(b))
	}
	machine := map[string]string{"amd64": "x86_64", "arm64": "aarch64", "386": "i686"}[runtime.GOARCH]
	if machine == "" {
		machine = runtime.GOARCH
	}
	return strings.Join(strings.Fields(sys+" "+rel+" "+machine), " ")
}

// multiplexingAPI is the poller the Go runtime's network poller uses.
func multiplexingAPI() string {
	switch runtime.GOOS {
	case "linux", "android":
		return "epoll"
	case "darwin", "freebsd", "netbsd", "openbsd", "dragonfly":
		return "kqueue"
	case "solaris", "illumos":
		return "evport"
	}
	return runtime.GOOS
}

// buildID identifies the binary: the VCS revision it was built from when Go
// recorded one.
func buildID() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, st := range bi.Settings {
			if st.Key == "vcs.revision" && len(st.Value) >= 16 {
				return st.Value[:16]
			}
		}
	}
	return "0"
}

func registerInfoCommands(t *Table) {
	t.Add(&Command{Name: "info", Arity: -1, Flags: FlagLoading | FlagStale, ACL: []string{"slow", "dangerous"}, Group: "server", Since: "1.0.0",
		Summary: "Returns information and statistics about the server.", Usage: "[section [section ...]]", Lock: LockNone, Handler: cmdInfo})
}
