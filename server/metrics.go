package server

// The Prometheus endpoint: with vireo-metrics-addr set, GET /metrics on that
// address serves the server's INFO as Prometheus metrics. Like
// redis_exporter, it reads INFO (all sections) at scrape time, so the
// commands' hot path pays nothing for it:
//
//   - numeric fields become vireo_<field> gauges, or counters named
//     vireo_<field>_total for the monotonic ones (total_commands_processed
//     becomes vireo_commands_processed_total, used_cpu_sys
//     vireo_cpu_sys_seconds_total); "ok"/"err" statuses become 1/0, and
//     percentages lose their "%";
//   - Keyspace lines become vireo_db_keys{db}, vireo_db_keys_expiring{db}
//     and vireo_db_avg_ttl_seconds{db};
//   - Commandstats become vireo_commands_total{cmd},
//     vireo_commands_duration_seconds_total{cmd},
//     vireo_commands_rejected_calls_total{cmd} and
//     vireo_commands_failed_calls_total{cmd}; Errorstats
//     vireo_errors_total{err}; Latencystats
//     vireo_latency_percentiles_usec{cmd,quantile};
//   - vireo_info{version,role,mode,run_id} is 1.
//
// The Go runtime's own metrics (go_*, process_*) come with them.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

type metricsState struct {
	mu   sync.Mutex
	addr string
	srv  *http.Server
	ln   net.Listener
}

func (s *Server) initMetrics() {
	s.cfg.OnApply(s.applyMetricsAddr, "vireo-metrics-addr")
}

func (s *Server) applyMetricsAddr() error {
	if err := s.serveMetrics(s.cfg.Snapshot().MetricsAddr); err != nil {
		slog.Warn("can't serve metrics", "err", err)
		return errors.New("Unable to listen on this address. Check server logs.")
	}
	return nil
}

// serveMetrics serves /metrics on addr ("" stops it), replacing the
// listener of an earlier address once the new one is open.
func (s *Server) serveMetrics(addr string) error {
	m := &s.metrics
	m.mu.Lock()
	defer m.mu.Unlock()
	if addr == m.addr && (addr == "" || m.srv != nil) {
		return nil
	}
	var (
		next *http.Server
		ln   net.Listener
	)
	if addr != "" {
		var err error
		ln, err = net.Listen("tcp", addr)
		if err != nil {
			return err
		}
		reg := prometheus.NewRegistry()
		reg.MustRegister(infoCollector{s},
			collectors.NewGoCollector(),
			collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
		mux := http.NewServeMux()
		mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorLog: slogPromLogger{}}))
		next = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go next.Serve(ln)
	}
	if m.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		m.srv.Shutdown(ctx)
		cancel()
	}
	m.addr, m.srv, m.ln = addr, next, ln
	return nil
}

// MetricsAddr is the address /metrics is served on, nil when it is off.
func (s *Server) MetricsAddr() net.Addr {
	s.metrics.mu.Lock()
	defer s.metrics.mu.Unlock()
	if s.metrics.ln == nil {
		return nil
	}
	return s.metrics.ln.Addr()
}

func (s *Server) stopMetrics() { s.serveMetrics("") }

// slogPromLogger logs the errors promhttp meets while serving a scrape.
type slogPromLogger struct{}

func (slogPromLogger) Println(v ...any) {
	slog.Warn("metrics: " + strings.TrimSpace(fmt.Sprintln(v...)))
}

// counterFields are the INFO fields that only grow (until CONFIG
// RESETSTAT): Prometheus counters.
var counterFields = map[string]bool{
	"total_connections_received": true, "total_commands_processed": true,
	"total_net_input_bytes": true, "total_net_output_bytes": true,
	"total_net_repl_input_bytes": true, "total_net_repl_output_bytes": true,
	"rejected_connections": true, "sync_full": true, "sync_partial_ok": true,
	"sync_partial_err": true, "expired_keys": true, "expired_time_cap_reached_count": true,
	"expire_cycle_cpu_milliseconds": true, "evicted_keys": true, "evicted_clients": true,
	"total_eviction_exceeded_time": true, "keyspace_hits": true, "keyspace_misses": true,
	"total_forks": true, "unexpected_error_replies": true, "total_error_replies": true,
	"dump_payload_sanitizations": true, "total_reads_processed": true,
	"total_writes_processed": true, "reply_buffer_shrinks": true, "reply_buffer_expands": true,
	"acl_access_denied_auth": true, "acl_access_denied_cmd": true,
	"acl_access_denied_key": true, "acl_access_denied_channel": true,
	"rdb_saves": true, "aof_rewrites": true, "lazyfreed_objects": true,
}

// skippedFields are numeric INFO fields that are not measurements.
var skippedFields = map[string]bool{
	"process_id": true, "tcp_port": true, "arch_bits": true, "redis_git_dirty": true,
	"redis_git_sha1": true, "redis_build_id": true, "server_time_usec": true, "lru_clock": true,
}

// infoCollector turns INFO everything into metrics at each scrape. It is
// an unchecked collector (Describe sends nothing): the set of metrics
// follows INFO's fields.
type infoCollector struct{ s *Server }

func (infoCollector) Describe(chan<- *prometheus.Desc) {}

func (c infoCollector) Collect(ch chan<- prometheus.Metric) {
	text := c.s.Info("everything")
	info := map[string]string{}
	section := ""
	for _, line := range strings.Split(text, "\r\n") {
		if strings.HasPrefix(line, "# ") {
			section = strings.ToLower(line[2:])
			continue
		}
		field, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch section {
		case "keyspace":
			collectKeyspace(ch, field, value)
		case "commandstats":
			collectCommandStats(ch, field, value)
		case "errorstats":
			if name, ok := strings.CutPrefix(field, "errorstat_"); ok {
				counter(ch, "vireo_errors_total", "Error replies by error code.", fieldFloat(value, "count"), "err", name)
			}
		case "latencystats":
			collectLatency(ch, field, value)
		default:
			info[field] = value
			collectField(ch, field, value)
		}
	}
	gauge(ch, "vireo_info", "Server information; the value is always 1.", 1,
		"version", info["redis_version"], "role", info["role"], "mode", info["redis_mode"], "run_id", info["run_id"])
}

func collectField(ch chan<- prometheus.Metric, field, value string) {
	if skippedFields[field] || strings.HasPrefix(field, "slave") || strings.HasSuffix(field, "_human") {
		return
	}
	var v float64
	switch value {
	case "ok":
		v = 1
	case "err":
		v = 0
	default:
		f, err := strconv.ParseFloat(strings.TrimSuffix(value, "%"), 64)
		if err != nil {
			return // a string field (role, os, ...)
		}
		v = f
	}
	help := "INFO field " + field + "."
	switch {
	case strings.HasPrefix(field, "used_cpu_"):
		counter(ch, "vireo_"+strings.TrimPrefix(field, "used_")+"_seconds_total", help, v)
	case counterFields[field]:
		counter(ch, "vireo_"+strings.TrimPrefix(field, "total_")+"_total", help, v)
	default:
		gauge(ch, "vireo_"+metricName(field), help, v)
	}
}

// collectKeyspace reads "db0:keys=1,expires=0,avg_ttl=0".
func collectKeyspace(ch chan<- prometheus.Metric, db, value string) {
	gauge(ch, "vireo_db_keys", "Keys in the database.", fieldFloat(value, "keys"), "db", db)
	gauge(ch, "vireo_db_keys_expiring", "Keys with a TTL in the database.", fieldFloat(value, "expires"), "db", db)
	gauge(ch, "vireo_db_avg_ttl_seconds", "Average TTL of the keys that have one.", fieldFloat(value, "avg_ttl")/1000, "db", db)
}

// collectCommandStats reads
// "cmdstat_get:calls=1,usec=91,usec_per_call=91.00,rejected_calls=0,failed_calls=0".
func collectCommandStats(ch chan<- prometheus.Metric, field, value string) {
	cmd, ok := strings.CutPrefix(field, "cmdstat_")
	if !ok {
		return
	}
	counter(ch, "vireo_commands_total", "Calls of the command.", fieldFloat(value, "calls"), "cmd", cmd)
	counter(ch, "vireo_commands_duration_seconds_total", "Time spent in the command.", fieldFloat(value, "usec")/1e6, "cmd", cmd)
	counter(ch, "vireo_commands_rejected_calls_total", "Calls refused before running (arity, ACL, OOM, ...).", fieldFloat(value, "rejected_calls"), "cmd", cmd)
	counter(ch, "vireo_commands_failed_calls_total", "Calls that ran and replied with an error.", fieldFloat(value, "failed_calls"), "cmd", cmd)
}

// collectLatency reads "latency_percentiles_usec_get:p50=91.135,p99=...".
func collectLatency(ch chan<- prometheus.Metric, field, value string) {
	cmd, ok := strings.CutPrefix(field, "latency_percentiles_usec_")
	if !ok {
		return
	}
	for _, kv := range strings.Split(value, ",") {
		p, v, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			continue
		}
		gauge(ch, "vireo_latency_percentiles_usec", "Command latency percentiles in microseconds.", f, "cmd", cmd, "quantile", strings.TrimPrefix(p, "p"))
	}
}

// fieldFloat finds name=value in a "a=1,b=2" list; 0 when absent.
func fieldFloat(list, name string) float64 {
	for _, kv := range strings.Split(list, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0
}

// metricName keeps the characters Prometheus allows in a name.
func metricName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}

func gauge(ch chan<- prometheus.Metric, name, help string, v float64, labels ...string) {
	emit(ch, prometheus.GaugeValue, name, help, v, labels)
}

func counter(ch chan<- prometheus.Metric, name, help string, v float64, labels ...string) {
	emit(ch, prometheus.CounterValue, name, help, v, labels)
}

// emit sends one sample; labels alternate names and values.
func emit(ch chan<- prometheus.Metric, kind prometheus.ValueType, name, help string, v float64, labels []string) {
	var names, values []string
	for i := 0; i+1 < len(labels); i += 2 {
		names = append(names, labels[i])
		values = append(values, labels[i+1])
	}
	m, err := prometheus.NewConstMetric(prometheus.NewDesc(name, help, names, nil), kind, v, values...)
	if err != nil {
		return
	}
	ch <- m
}
