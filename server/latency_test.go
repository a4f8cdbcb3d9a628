package server

import (
	"regexp"
	"strings"
	"testing"
)

// A LATENCY GRAPH taken from redis-server 7.0.15 (samples of 12, 30, 7 and
// 20 ms, 4, 3, 1 and 0 seconds old), redrawn from the same samples.
func TestLatencyGraphMatchesRedis(t *testing.T) {
	now := int64(1795436107)
	samples := []latencySample{{now - 4, 12}, {now - 3, 30}, {now - 1, 7}, {now, 20}}
	want := "command - high 30 ms, low 7 ms (all time high 30 ms)\n" +
		strings.Repeat("-", 80) + "\n" +
		" #  \n" +
		" | _\n" +
		" | |\n" +
		"#|_|\n" +
		"    \n" +
		"4310\n" +
		"ssss\n"
	if got := latencyGraph("command", samples, 30, now); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

// The values Redis prints for durations, from redis-server 7.0.15's LATENCY
// HISTOGRAM and INFO latencystats: labels are the first of 1, 2, 4, 8, 16,
// 33, 66, ... µs not below the duration; percentiles print the HDR bucket's
// highest equivalent value.
func TestLatencyBuckets(t *testing.T) {
	for _, tc := range []struct{ us, label int64 }{
		{0, 1}, {1, 1}, {2, 2}, {3, 4}, {5, 8}, {8, 8}, {9, 16}, {28, 33}, {33, 33}, {34, 66}, {67, 132}, {1056, 1056}, {1057, 2113},
		{5_000_000, 1_082_130}, // clamped to 1 s: the label of 2^30 ns
	} {
		var counts [latencyFine]int64
		counts[latencyIndex(tc.us)] = 1
		labels := labelCounts(&counts)
		got := int64(-1)
		for i, n := range labels {
			if n == 1 {
				got = latencyLabelUS[i]
			}
		}
		if got != tc.label {
			t.Errorf("%d µs under label %d, want %d", tc.us, got, tc.label)
		}
	}
	for _, tc := range []struct {
		us   int64
		want float64
	}{{0, 0}, {1, 1.003}, {2, 2.007}, {5, 5.023}, {28, 28.031}, {96, 96.255}, {659, 659.455}} {
		if got := hdrHighestEquivalentUS(tc.us); got != tc.want {
			t.Errorf("highest equivalent of %d µs = %v, want %v", tc.us, got, tc.want)
		}
	}
	// Buckets cover every duration once, in order, and every label is a
	// bucket's upper bound.
	prev := -1
	for us := int64(0); us <= 1_000_000; us++ {
		i := latencyIndex(us)
		if i < prev || i >= latencyFine {
			t.Fatalf("index of %d µs = %d after %d", us, i, prev)
		}
		if us > latencyUpper(i) || (i > 0 && us <= latencyUpper(i-1)) {
			t.Fatalf("%d µs outside bucket %d (upper %d)", us, i, latencyUpper(i))
		}
		prev = i
	}
	for _, l := range latencyLabelUS[:latencyLabels-1] {
		if latencyUpper(latencyIndex(l)) != l {
			t.Errorf("label %d µs is not a bucket boundary", l)
		}
	}
}

func TestLatencyHistogramAndPercentiles(t *testing.T) {
	var h latencyHist
	for i := 0; i < 98; i++ {
		h.record(int64(i), 5)
	}
	h.record(1, 28)
	h.record(2, 1500)
	fine, calls := h.snapshot()
	labels := labelCounts(&fine)
	if calls != 100 || labels[3] != 98 || labels[5] != 1 || labels[11] != 1 {
		t.Fatalf("calls %d, labels %v", calls, labels)
	}
	if p := percentileUS(&fine, calls, 50); p != 5.023 {
		t.Errorf("p50 = %v", p)
	}
	if p := percentileUS(&fine, calls, 99); p != 28.031 {
		t.Errorf("p99 = %v", p)
	}
	if p := percentileUS(&fine, calls, 99.9); p < 1500 || p > 1600 {
		t.Errorf("p99.9 = %v, want about 1500", p)
	}
}

// The monitor end to end: a slow command makes a "command" event, seen by
// LATEST, HISTORY, GRAPH, DOCTOR, and removed by RESET; latency-tracking
// feeds LATENCY HISTOGRAM and INFO latencystats.
func TestLatencyMonitor(t *testing.T) {
	c := dialResp(t, startVireo(t, "--enable-debug-command", "yes").Addr().String())
	if got := c.do("LATENCY", "DOCTOR"); !strings.Contains(got, "Latency monitoring is disabled") {
		t.Fatalf("DOCTOR with the monitor off: %q", got)
	}
	c.do("CONFIG", "SET", "latency-monitor-threshold", "5")
	if got := c.do("LATENCY", "DOCTOR"); !strings.Contains(got, "no latency spike was observed") && !strings.Contains(got, "anonymous huge pages") {
		t.Fatalf("DOCTOR without events: %q", got)
	}
	c.do("DEBUG", "SLEEP", "0.02")
	got := c.do("LATENCY", "LATEST")
	if !strings.HasPrefix(got, "*1\r\n*4\r\n$7\r\ncommand\r\n:") {
		t.Fatalf("LATEST: %q", got)
	}
	if got := c.do("LATENCY", "HISTORY", "command"); !strings.HasPrefix(got, "*1\r\n*2\r\n:") {
		t.Fatalf("HISTORY: %q", got)
	}
	// One sample: the bottom row's lowest mark, a blank line, the age.
	if got := c.do("LATENCY", "GRAPH", "command"); !strings.Contains(got, "command - high ") || !regexp.MustCompile(`\n \n \n \n_\n \n[01]\ns\n\r\n$`).MatchString(got) {
		t.Fatalf("GRAPH: %q", got)
	}
	if got := c.do("LATENCY", "DOCTOR"); !strings.Contains(got, "1. command: 1 latency spikes") ||
		!strings.Contains(got, "CONFIG SET slowlog-log-slower-than 5000") {
		t.Fatalf("DOCTOR: %q", got)
	}
	if got := c.do("LATENCY", "RESET"); got != ":1\r\n" {
		t.Fatalf("RESET: %q", got)
	}
	if got := c.do("LATENCY", "LATEST"); got != "*0\r\n" {
		t.Fatalf("LATEST after RESET: %q", got)
	}
	// Histograms: three SETs, then the SET histogram has 3 calls.
	for i := 0; i < 3; i++ {
		c.do("SET", "k", "v")
	}
	got = c.do("LATENCY", "HISTOGRAM", "set", "nosuch")
	if !strings.HasPrefix(got, "*2\r\n$3\r\nset\r\n*4\r\n$5\r\ncalls\r\n:3\r\n$14\r\nhistogram_usec\r\n*") {
		t.Fatalf("HISTOGRAM set: %q", got)
	}
	if got := c.do("LATENCY", "HISTOGRAM", "config|set"); !strings.Contains(got, "$10\r\nconfig|set\r\n") {
		t.Fatalf("HISTOGRAM config|set: %q", got)
	}
	info := c.do("INFO", "latencystats")
	if !strings.Contains(info, "latency_percentiles_usec_set:p50=") || !strings.Contains(info, ",p99.9=") {
		t.Fatalf("INFO latencystats: %q", info)
	}
	c.do("CONFIG", "SET", "latency-tracking", "no")
	c.do("SET", "k", "v")
	if got := c.do("LATENCY", "HISTOGRAM", "set"); !strings.Contains(got, "calls\r\n:3\r\n") {
		t.Fatalf("latency-tracking no still records: %q", got)
	}
}
