package server

// Instantaneous metrics for INFO (instantaneous_ops_per_sec,
// instantaneous_input_kbps, ...) and the memory peak, sampled by the server
// cron the way Redis's trackInstantaneousMetric does it: every 100 ms the
// rate since the previous sample goes into a ring of 16 samples, and INFO
// reports their average.

import (
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

const (
	instSamples      = 16 // STATS_METRIC_SAMPLES
	instSamplePeriod = 100 * time.Millisecond
)

const (
	instOps = iota
	instNetInput
	instNetOutput
	instCount
)

type instMetrics struct {
	mu       sync.Mutex
	lastTime time.Time
	last     [instCount]int64
	samples  [instCount][instSamples]int64
	idx      int

	// Heap bytes in use: the highest seen (used_memory_peak) and the first
	// sample, taken by the first cron tick after start (used_memory_startup).
	peakMem    atomic.Int64
	startupMem atomic.Int64
}

// sample records one sample per metric when the period has passed since the
// previous one; the cron calls it on every tick.
func (m *instMetrics) sample(s *Server) {
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.lastTime.IsZero() && now.Sub(m.lastTime) < instSamplePeriod {
		return
	}
	cur := [instCount]int64{
		instOps:       s.totalCommands(),
		instNetInput:  s.stats.netInput.Load(),
		instNetOutput: s.stats.netOutput.Load(),
	}
	if !m.lastTime.IsZero() {
		ms := now.Sub(m.lastTime).Milliseconds()
		for i := range cur {
			var rate int64
			if ms > 0 {
				rate = (cur[i] - m.last[i]) * 1000 / ms
			}
			m.samples[i][m.idx] = rate
		}
		m.idx = (m.idx + 1) % instSamples
	}
	m.last = cur
	m.lastTime = now
	m.notePeak(heapInUse())
}

// rate is the average per-second rate of one metric over the samples.
func (m *instMetrics) rate(metric int) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	var sum int64
	for _, v := range m.samples[metric] {
		sum += v
	}
	return sum / instSamples
}

// notePeak raises the memory peak to used if it is higher, and remembers the
// first value seen as the startup memory.
func (m *instMetrics) notePeak(used int64) {
	m.startupMem.CompareAndSwap(0, used)
	for {
		p := m.peakMem.Load()
		if used <= p || m.peakMem.CompareAndSwap(p, used) {
			return
		}
	}
}

// heapInUse is the bytes of live and not yet swept heap objects (the Go
// equivalent of the allocator's "allocated"), read without stopping the
// world.
func heapInUse() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}
