package server

// The latency monitor and per-command latency histograms, as Redis 7.0:
//
//   - latency-monitor-threshold (ms, 0 = off): a command slower than it adds
//     a sample to the "command" event ("fast-command" for fast commands);
//     the active expiry and eviction add "expire-cycle", "eviction-cycle"
//     and "eviction-del". Each event keeps Redis's 160-slot ring of
//     per-second maxima. LATENCY LATEST / HISTORY / RESET / GRAPH / DOCTOR
//     read them.
//   - latency-tracking (default yes): every call's duration goes into its
//     command's histogram. LATENCY HISTOGRAM prints the cumulative counts at
//     Redis's bucket labels (1, 2, 4, 8, 16, 33, 66, 132, ... µs: the
//     powers of two in ns that Redis's HDR histogram reports, as its
//     highest equivalent value in µs), exactly as Redis counts them. INFO
//     latencystats prints percentiles from the same histogram: exact up to
//     66 µs, within 1/16 of the span between two labels above.

import (
	"bytes"
	"math/bits"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func init() { familyRegistrars = append(familyRegistrars, registerLatencyCommands) }

// ---------------------------------------------------------------------------
// The latency monitor.

const latencyRingLen = 160 // Redis's LATENCY_TS_LEN

type latencySample struct {
	time int64 // unix seconds; 0 = unused slot
	ms   int64
}

type latencySeries struct {
	samples [latencyRingLen]latencySample
	idx     int
	max     int64
}

// latencyMonitor holds the events in the order they first occurred (Redis
// prints them in hash-table order; one event at a time compares equal).
type latencyMonitor struct {
	mu     sync.Mutex
	names  []string
	events map[string]*latencySeries
}

// latencyEvent records ms against event when the monitor is on and ms is
// at least the threshold (Redis's latencyAddSampleIfNeeded).
func (s *Server) latencyEvent(event string, ms int64) {
	thr := s.set.latencyThreshold.Load()
	if thr <= 0 || ms < thr {
		return
	}
	s.latency.add(event, ms, time.Now().Unix())
}

func (m *latencyMonitor) add(event string, ms, now int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ts := m.events[event]
	if ts == nil {
		if m.events == nil {
			m.events = make(map[string]*latencySeries)
		}
		ts = &latencySeries{}
		m.events[event] = ts
		m.names = append(m.names, event)
	}
	ts.max = max(ts.max, ms)
	prev := &ts.samples[(ts.idx+latencyRingLen-1)%latencyRingLen]
	if prev.time == now {
		prev.ms = max(prev.ms, ms)
		return
	}
	ts.samples[ts.idx] = latencySample{time: now, ms: ms}
	ts.idx = (ts.idx + 1) % latencyRingLen
}

// reset drops event (case-insensitively, as Redis), or every event when
// event is empty, and returns how many were dropped.
func (m *latencyMonitor) reset(event string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	kept := m.names[:0]
	for _, name := range m.names {
		if event == "" || strings.EqualFold(name, event) {
			delete(m.events, name)
			n++
			continue
		}
		kept = append(kept, name)
	}
	m.names = kept
	return n
}

// ordered returns the samples of ts from the oldest, skipping unused slots.
func (ts *latencySeries) ordered() []latencySample {
	out := make([]latencySample, 0, latencyRingLen)
	for j := 0; j < latencyRingLen; j++ {
		if s := ts.samples[(ts.idx+j)%latencyRingLen]; s.time != 0 {
			out = append(out, s)
		}
	}
	return out
}

// ---------------------------------------------------------------------------
// Per-command histograms.

const (
	// Redis's HDR histogram labels: 2^k ns for k = 10..30, reported as the
	// highest value equivalent to 2^k at 2 significant figures
	// (2^k + 2^(k-7) - 1 ns), in µs.
	latencyFirstLabel = 10
	latencyLabels     = 21
	// One histogram serves both uses: a bucket per µs up to the label 66,
	// then 16 buckets between each label and the next, so every label is a
	// bucket boundary (exact LATENCY HISTOGRAM counts) and percentiles are
	// within 1/16 of the label's span.
	latencyExactMax = 66
	latencyFirstSeg = 6 // the label index of 66 µs
	latencySegSubs  = 16
	latencyFine     = latencyExactMax + 1 + (latencyLabels-1-latencyFirstSeg)*latencySegSubs
)

// latencyLabelUS[i] is the largest whole µs that Redis counts under label i.
var latencyLabelUS = func() (t [latencyLabels]int64) {
	for i := range t {
		k := uint(latencyFirstLabel + i)
		t[i] = (int64(1)<<k + int64(1)<<(k-7) - 1) / 1000
	}
	return t
}()

// latencyHist is one command's histogram, striped by client like its call
// counters; a stripe is allocated on its first sample.
type latencyHist struct {
	s [statStripes]atomic.Pointer[[latencyFine]atomic.Int64]
}

func (h *latencyHist) record(id int64, us int64) {
	p := &h.s[id&(statStripes-1)]
	st := p.Load()
	if st == nil {
		p.CompareAndSwap(nil, new([latencyFine]atomic.Int64))
		st = p.Load()
	}
	st[latencyIndex(us)].Add(1)
}

// latencyIndex is the bucket of a duration (clamped to 1 s, as Redis).
func latencyIndex(us int64) int {
	if us <= latencyExactMax {
		return int(max(us, 0))
	}
	us = min(us, 1_000_000)
	// Label i spans (T[i-1], T[i]]; T[i] is a little over 2^(i+10) ns.
	i := max(bits.Len64(uint64(us*1000))-11, latencyFirstSeg)
	for i > latencyFirstSeg && us <= latencyLabelUS[i] {
		i--
	}
	for us > latencyLabelUS[i+1] {
		i++
	}
	lo, hi := latencyLabelUS[i], latencyLabelUS[i+1]
	sub := (us - lo - 1) * latencySegSubs / (hi - lo)
	return latencyExactMax + 1 + (i-latencyFirstSeg)*latencySegSubs + int(sub)
}

// latencyUpper is the largest µs value of bucket i.
func latencyUpper(i int) int64 {
	if i <= latencyExactMax {
		return int64(i)
	}
	j := i - latencyExactMax - 1
	seg, sub := latencyFirstSeg+j/latencySegSubs, int64(j%latencySegSubs)
	lo, hi := latencyLabelUS[seg], latencyLabelUS[seg+1]
	// The largest us with (us-lo-1)*16/(hi-lo) == sub.
	return lo + ((sub+1)*(hi-lo)+latencySegSubs-1)/latencySegSubs
}

// snapshot sums the stripes; calls is 0 when nothing was recorded.
func (h *latencyHist) snapshot() (counts [latencyFine]int64, calls int64) {
	for i := range h.s {
		st := h.s[i].Load()
		if st == nil {
			continue
		}
		for j := range st {
			n := st[j].Load()
			counts[j] += n
			calls += n
		}
	}
	return
}

// labelCounts folds bucket counts into Redis's labels.
func labelCounts(counts *[latencyFine]int64) (labels [latencyLabels]int64) {
	li := 0
	for i, n := range counts {
		for latencyUpper(i) > latencyLabelUS[li] {
			li++
		}
		labels[li] += n
	}
	return
}

func (h *latencyHist) recorded() bool {
	for i := range h.s {
		if h.s[i].Load() != nil {
			return true
		}
	}
	return false
}

// hdrHighestEquivalentUS is what Redis prints for a duration of us µs: the
// highest value its HDR histogram (2 significant figures) keeps in the
// same bucket as us*1000 ns, in µs with three decimals.
func hdrHighestEquivalentUS(us int64) float64 {
	v := us * 1000
	k := bits.Len64(uint64(v)) - 1
	width := int64(1)
	if k >= 8 {
		width = int64(1) << (k - 7)
	}
	return float64(v&^(width-1)+width-1) / 1000
}

// percentileUS is the duration under which p percent of the calls fell
// (hdr_value_at_percentile's rule: the first bucket whose cumulative count
// reaches p% of the total, rounded).
func percentileUS(counts *[latencyFine]int64, calls int64, p float64) float64 {
	want := int64(p/100*float64(calls) + 0.5)
	want = max(want, 1)
	var seen int64
	for i, n := range counts {
		seen += n
		if seen >= want {
			return hdrHighestEquivalentUS(latencyUpper(i))
		}
	}
	return 0
}

// ---------------------------------------------------------------------------
// Commands.

// LATENCY LATEST
func cmdLatencyLatest(c *Ctx, args [][]byte) {
	m := &c.srv.latency
	m.mu.Lock()
	defer m.mu.Unlock()
	c.Array(len(m.names))
	for _, name := range m.names {
		ts := m.events[name]
		last := ts.samples[(ts.idx+latencyRingLen-1)%latencyRingLen]
		c.Array(4)
		c.BulkString(name)
		c.Int(last.time)
		c.Int(last.ms)
		c.Int(ts.max)
	}
}

// LATENCY HISTORY event
func cmdLatencyHistory(c *Ctx, args [][]byte) {
	m := &c.srv.latency
	m.mu.Lock()
	defer m.mu.Unlock()
	ts := m.events[string(args[2])]
	if ts == nil {
		c.Array(0)
		return
	}
	samples := ts.ordered()
	c.Array(len(samples))
	for _, s := range samples {
		c.Array(2)
		c.Int(s.time)
		c.Int(s.ms)
	}
}

// LATENCY RESET [event ...]
func cmdLatencyReset(c *Ctx, args [][]byte) {
	m := &c.srv.latency
	if len(args) == 2 {
		c.Int(int64(m.reset("")))
		return
	}
	n := 0
	for _, ev := range args[2:] {
		if len(ev) > 0 {
			n += m.reset(string(ev))
		}
	}
	c.Int(int64(n))
}

// LATENCY GRAPH event
func cmdLatencyGraph(c *Ctx, args [][]byte) {
	m := &c.srv.latency
	m.mu.Lock()
	ts := m.events[string(args[2])]
	var samples []latencySample
	var allTime int64
	if ts != nil {
		samples, allTime = ts.ordered(), ts.max
	}
	m.mu.Unlock()
	if ts == nil {
		c.Error("ERR No samples available for event '" + string(args[2]) + "'")
		return
	}
	c.Verbatim(latencyGraph(string(args[2]), samples, allTime, time.Now().Unix()), "txt")
}

// latencyGraph draws Redis's LATENCY GRAPH: a header, 80 dashes, and a
// four-row sparkline (Redis's sparkline.c, fill mode) with each sample's
// age as its vertical label.
func latencyGraph(event string, samples []latencySample, allTime, now int64) string {
	var lo, hi int64
	values := make([]float64, len(samples))
	labels := make([]string, len(samples))
	for i, s := range samples {
		if i == 0 {
			lo, hi = s.ms, s.ms
		}
		lo, hi = min(lo, s.ms), max(hi, s.ms)
		values[i] = float64(s.ms)
		age := now - s.time
		switch {
		case age < 60:
			labels[i] = strconv.FormatInt(age, 10) + "s"
		case age < 3600:
			labels[i] = strconv.FormatInt(age/60, 10) + "m"
		case age < 86400:
			labels[i] = strconv.FormatInt(age/3600, 10) + "h"
		default:
			labels[i] = strconv.FormatInt(age/86400, 10) + "d"
		}
	}
	var b bytes.Buffer
	b.WriteString(event + " - high " + strconv.FormatInt(hi, 10) + " ms, low " + strconv.FormatInt(lo, 10) +
		" ms (all time high " + strconv.FormatInt(allTime, 10) + " ms)\n")
	b.WriteString(strings.Repeat("-", 80) + "\n")
	sparkline(&b, values, labels, 80, 4)
	return b.String()
}

// sparkline renders values in chunks of columns, rows high, labels below.
func sparkline(b *bytes.Buffer, values []float64, labels []string, columns, rows int) {
	if len(values) == 0 {
		return
	}
	// The sequence's min and max, updated as sparklineSequenceAddSample does.
	lo, hi := values[0], values[0]
	for _, v := range values[1:] {
		if v < lo {
			lo = v
		} else if v > hi {
			hi = v
		}
	}
	const charset = "_o#"
	steps := len(charset) * rows
	rel := hi - lo
	if rel == 0 {
		rel = 1
	}
	for off := 0; off < len(values); off += columns {
		if off != 0 {
			b.WriteByte('\n')
		}
		n := min(columns, len(values)-off)
		chars := make([]byte, n)
		for row := 0; ; row++ {
			more := false
			for j := range chars {
				chars[j] = ' '
			}
			for j := 0; j < n; j++ {
				step := int(float64(int((values[off+j]-lo)*float64(steps))) / rel)
				step = min(max(step, 0), steps-1)
				if row < rows {
					more = true
					idx := step - (rows-row-1)*len(charset)
					if idx >= 0 && idx < len(charset) {
						chars[j] = charset[idx]
					} else if idx >= len(charset) {
						chars[j] = '|'
					}
					continue
				}
				if row-rows < 1 { // a blank line between the graph and the labels
					more = true
					break
				}
				label := labels[off+j]
				if at := row - rows - 1; at < len(label) {
					more = true
					chars[j] = label[at]
				}
			}
			if !more {
				break
			}
			b.Write(chars)
			b.WriteByte('\n')
		}
	}
}

// LATENCY DOCTOR
func cmdLatencyDoctor(c *Ctx, args [][]byte) {
	c.Verbatim(c.srv.latencyReport(), "txt")
}

// latencyReport is Redis's createLatencyReport: a line of statistics per
// event and the advice the events call for.
func (s *Server) latencyReport() string {
	m := &s.latency
	m.mu.Lock()
	defer m.mu.Unlock()
	thr := s.set.latencyThreshold.Load()
	if len(m.names) == 0 && thr == 0 {
		return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n"
	}
	var b strings.Builder
	advise := map[string]bool{}
	advices := 0
	now := time.Now().Unix()
	slower := s.set.slowlogSlower.Load()
	for n, name := range m.names {
		ts := m.events[name]
		if n == 0 {
			b.WriteString("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n")
		}
		samples := ts.ordered()
		var sum, oldest int64
		for _, x := range samples {
			sum += x.ms
			if oldest == 0 || x.time < oldest {
				oldest = x.time
			}
		}
		var avg, mad, period int64
		if len(samples) > 0 {
			avg = sum / int64(len(samples))
			period = max(now-oldest, 1)
			var dev int64
			for _, x := range samples {
				d := avg - x.ms
				if d < 0 {
					d = -d
				}
				dev += d
			}
			mad = dev / int64(len(samples))
		}
		b.WriteString(strconv.Itoa(n+1) + ". " + name + ": " + strconv.Itoa(len(samples)) + " latency spikes (average " +
			strconv.FormatInt(avg, 10) + "ms, mean deviation " + strconv.FormatInt(mad, 10) + "ms, period " +
			strconv.FormatFloat(float64(period)/float64(len(samples)), 'f', 2, 64) + " sec). Worst all time event " +
			strconv.FormatInt(ts.max, 10) + "ms.")
		switch strings.ToLower(name) {
		case "command":
			if slower < 0 {
				advise["slowlog-enable"] = true
				advices++
			} else if slower/1000 > thr {
				advise["slowlog-tune"] = true
				advices++
			}
			advise["slowlog-inspect"], advise["large-objects"] = true, true
			advices += 2
		case "fast-command":
			advise["scheduler"] = true
			advices++
		case "expire-cycle":
			advise["hz"], advise["large-objects"] = true, true
			advices += 2
		case "eviction-del":
			advise["large-objects"] = true
			advices++
		case "eviction-cycle":
			advise["mass-eviction"] = true
			advices++
		}
		b.WriteByte('\n')
	}
	if anonHugePages() > 0 {
		advise["thp"] = true
		advices++
	}
	switch {
	case len(m.names) == 0 && advices == 0:
		b.WriteString("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n")
	case advices == 0:
		b.WriteString("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n")
	default:
		b.WriteString("\nI have a few advices for you:\n\n")
		thrUS := strconv.FormatInt(thr*1000, 10)
		if advise["slowlog-enable"] {
			b.WriteString("- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than " + thrUS + "'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n")
		}
		if advise["slowlog-tune"] {
			b.WriteString("- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than " + thrUS + "'.\n")
		}
		if advise["slowlog-inspect"] {
			b.WriteString("- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n")
		}
		if advise["scheduler"] {
			b.WriteString("- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n" +
				"  1) Lower the system load.\n" +
				"  2) Use a computer / VM just for Redis if you are running other software in the same system.\n" +
				"  3) Check if you have a \"noisy neighbour\" problem.\n" +
				"  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
				"  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n")
		}
		if advise["hz"] && s.set.hz.Load() < 100 {
			b.WriteString("- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n")
		}
		if advise["large-objects"] {
			b.WriteString("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n")
		}
		if advise["mass-eviction"] {
			b.WriteString("- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. \n")
		}
		if advise["thp"] {
			b.WriteString("- I detected a non zero amount of anonymous huge pages used by your process. This creates very serious latency events in different conditions, especially when Redis is persisting on disk. To disable THP support use the command 'echo never > /sys/kernel/mm/transparent_hugepage/enabled', make sure to also add it into /etc/rc.local so that the command will be executed again after a reboot. Note that even if you have already disabled THP, you still need to restart the Redis process to get rid of the huge pages already created.\n")
		}
	}
	return b.String()
}

// anonHugePages is the process's AnonHugePages in bytes (Linux), 0 when
// unknown: Redis advises against transparent huge pages when it is not 0.
func anonHugePages() int64 {
	data, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "AnonHugePages:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

// LATENCY HISTOGRAM [command ...]
func cmdLatencyHistogram(c *Ctx, args [][]byte) {
	var cmds []*Command
	add := func(cmd *Command) {
		if cmd.latency.recorded() {
			cmds = append(cmds, cmd)
		}
	}
	if len(args) == 2 {
		for _, cmd := range c.srv.table.Sorted() {
			add(cmd)
			for _, sub := range sortedSubcommands(cmd) {
				add(sub)
			}
		}
	} else {
		for _, name := range args[2:] {
			cmd := c.srv.lookupFullName(name)
			if cmd == nil {
				continue
			}
			add(cmd)
			for _, sub := range sortedSubcommands(cmd) {
				add(sub)
			}
		}
	}
	c.Map(len(cmds))
	for _, cmd := range cmds {
		counts, calls := cmd.latency.snapshot()
		labels := labelCounts(&counts)
		c.BulkString(cmd.Name)
		c.Map(2)
		c.BulkString("calls")
		c.Int(calls)
		c.BulkString("histogram_usec")
		n := 0
		for _, v := range labels {
			if v > 0 {
				n++
			}
		}
		c.Map(n)
		var cum int64
		for i, v := range labels {
			if v == 0 {
				continue
			}
			cum += v
			c.Int(latencyLabelUS[i])
			c.Int(cum)
		}
	}
}

// lookupFullName finds a command or a subcommand by its full name
// ("config|get"), as Redis's lookupCommandBySds.
func (s *Server) lookupFullName(name []byte) *Command {
	top, sub, hasSub := bytes.Cut(name, []byte("|"))
	cmd := s.table.Lookup(top)
	if cmd == nil || !hasSub {
		return cmd
	}
	if cmd.Subcommands == nil || bytes.Contains(sub, []byte("|")) {
		return nil
	}
	return cmd.LookupSub(sub)
}

// infoLatencyStats writes INFO latencystats: the configured percentiles of
// every command that has samples.
func (s *Server) infoLatencyStats(w *infoWriter) {
	pcts := s.cfg.Snapshot().LatencyTrackingInfoPercentiles
	emit := func(cmd *Command) {
		counts, calls := cmd.latency.snapshot()
		if calls == 0 {
			return
		}
		var line []byte
		for i, p := range pcts {
			if i > 0 {
				line = append(line, ',')
			}
			line = append(line, 'p')
			line = strconv.AppendFloat(line, p, 'f', -1, 64)
			line = append(line, '=')
			line = strconv.AppendFloat(line, percentileUS(&counts, calls, p), 'f', 3, 64)
		}
		w.str("latency_percentiles_usec_"+cmd.Name, string(line))
	}
	for _, cmd := range s.table.Sorted() {
		emit(cmd)
		for _, sub := range sortedSubcommands(cmd) {
			emit(sub)
		}
	}
}

// LATENCY HELP
func cmdLatencyHelp(c *Ctx, args [][]byte) {
	c.helpReply("LATENCY", []string{
		"DOCTOR",
		"    Return a human readable latency analysis report.",
		"GRAPH <event>",
		"    Return an ASCII latency graph for the <event> class.",
		"HISTORY <event>",
		"    Return time-latency samples for the <event> class.",
		"LATEST",
		"    Return the latest latency samples for all events.",
		"RESET [<event> ...]",
		"    Reset latency data of one or more <event> classes.",
		"    (default: reset all data for all event classes)",
		"HISTOGRAM [COMMAND ...]",
		"    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
		"    If no commands are specified then all histograms are replied.",
	})
}

func registerLatencyCommands(t *Table) {
	g := "server"
	admin := []string{"slow", "dangerous"}
	special := []string{"nondeterministic_output", "request_policy:all_nodes", "response_policy:special"}
	sub := func(name, since, summary, usage string, arity int, h func(*Ctx, [][]byte)) *Command {
		return &Command{Name: name, Arity: arity, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale, ACL: admin,
			Group: g, Since: since, Summary: summary, Usage: usage, Tips: special, Lock: LockNone, Handler: h}
	}
	reset := sub("reset", "2.8.13", "Resets the latency data for one or more events.", "[event [event ...]]", -2, cmdLatencyReset)
	reset.Tips = []string{"request_policy:all_nodes", "response_policy:all_succeeded"}
	t.Add(&Command{Name: "latency", Arity: -2, ACL: []string{"slow"}, Group: g, Since: "2.8.13",
		Summary: "A container for latency diagnostics commands.", Lock: LockNone,
		Subcommands: Sub(
			sub("doctor", "2.8.13", "Returns a human-readable latency analysis report.", "", 2, cmdLatencyDoctor),
			sub("graph", "2.8.13", "Returns a latency graph for an event.", "event", 3, cmdLatencyGraph),
			sub("history", "2.8.13", "Returns timestamp-latency samples for an event.", "event", 3, cmdLatencyHistory),
			sub("latest", "2.8.13", "Returns the latest latency samples for all events.", "", 2, cmdLatencyLatest),
			reset,
			sub("histogram", "7.0.0", "Returns the cumulative distribution of latencies of a subset or all commands.", "[command [command ...]]", -2, cmdLatencyHistogram),
			&Command{Name: "help", Arity: 2, Flags: FlagLoading | FlagStale, ACL: []string{"slow"}, Group: g, Since: "2.8.13",
				Summary: "Returns helpful text about the different subcommands.", Lock: LockNone, Handler: cmdLatencyHelp},
		)})
}
