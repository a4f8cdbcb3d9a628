package dict

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
)

// The benchmarks share one table of benchSize keys, built once: it is large
// enough that lookups miss the CPU caches as the keyspace's do.
const benchSize = 1_000_000

type benchData struct {
	keys    [][]byte
	strKeys []string
	missing [][]byte
	dict    *Dict[*int]
	goMap   map[string]*int
}

var benchValue = new(int)

var loadBenchData = sync.OnceValue(func() *benchData {
	bd := &benchData{
		keys:    make([][]byte, benchSize),
		strKeys: make([]string, benchSize),
		missing: make([][]byte, benchSize),
		dict:    New[*int](0),
		goMap:   map[string]*int{},
	}
	for i := range benchSize {
		bd.strKeys[i] = fmt.Sprintf("key:%d", i)
		bd.keys[i] = []byte(bd.strKeys[i])
		bd.missing[i] = fmt.Appendf(nil, "missing:%d", i)
		bd.dict.Set(bd.strKeys[i], benchValue)
		bd.goMap[bd.strKeys[i]] = benchValue
	}
	for bd.dict.Rehash(1000) {
	}
	return bd
})

func BenchmarkGetHit(b *testing.B) {
	bd := loadBenchData()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok := bd.dict.Get(bd.keys[i]); !ok {
			b.Fatal("miss")
		}
		if i++; i == benchSize {
			i = 0
		}
	}
}

func BenchmarkGetMiss(b *testing.B) {
	bd := loadBenchData()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok := bd.dict.Get(bd.missing[i]); ok {
			b.Fatal("hit")
		}
		if i++; i == benchSize {
			i = 0
		}
	}
}

// BenchmarkMapGetHit is the baseline: a Go map looked up by []byte key.
func BenchmarkMapGetHit(b *testing.B) {
	bd := loadBenchData()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok := bd.goMap[string(bd.keys[i])]; !ok {
			b.Fatal("miss")
		}
		if i++; i == benchSize {
			i = 0
		}
	}
}

func BenchmarkMapGetMiss(b *testing.B) {
	bd := loadBenchData()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok := bd.goMap[string(bd.missing[i])]; ok {
			b.Fatal("hit")
		}
		if i++; i == benchSize {
			i = 0
		}
	}
}

// BenchmarkSet inserts new keys into a table growing from empty to benchSize,
// incremental rehashing included.
func BenchmarkSet(b *testing.B) {
	bd := loadBenchData()
	b.ReportAllocs()
	d := New[*int](0)
	i := 0
	for b.Loop() {
		d.Set(bd.strKeys[i], benchValue)
		if i++; i == benchSize {
			d, i = New[*int](0), 0
		}
	}
}

func BenchmarkMapSet(b *testing.B) {
	bd := loadBenchData()
	b.ReportAllocs()
	m := map[string]*int{}
	i := 0
	for b.Loop() {
		m[bd.strKeys[i]] = benchValue
		if i++; i == benchSize {
			m, i = map[string]*int{}, 0
		}
	}
}

func BenchmarkSetOverwrite(b *testing.B) {
	bd := loadBenchData()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		bd.dict.Set(bd.strKeys[i], benchValue)
		if i++; i == benchSize {
			i = 0
		}
	}
}

// BenchmarkDeleteSet deletes a key and puts it back, so the table keeps its
// size.
func BenchmarkDeleteSet(b *testing.B) {
	bd := loadBenchData()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		bd.dict.Delete(bd.keys[i])
		bd.dict.Set(bd.strKeys[i], benchValue)
		if i++; i == benchSize {
			i = 0
		}
	}
}

// BenchmarkScanCount10 is one SCAN ... COUNT 10 over the big table: Scan
// calls until at least 10 entries came back.
func BenchmarkScanCount10(b *testing.B) {
	bd := loadBenchData()
	b.ReportAllocs()
	cursor := uint64(0)
	entries := 0
	for b.Loop() {
		got := 0
		for got < 10 {
			cursor = bd.dict.Scan(cursor, func(string, *int) { got++ })
			if cursor == 0 {
				break
			}
		}
		entries += got
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(entries), "ns/entry")
}

func BenchmarkRange(b *testing.B) {
	bd := loadBenchData()
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		bd.dict.Range(func(string, *int) bool { n++; return true })
		if n != benchSize {
			b.Fatalf("Range visited %d", n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchSize), "ns/entry")
}

func BenchmarkRandomEntry(b *testing.B) {
	bd := loadBenchData()
	rnd := newRnd(1)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, ok := bd.dict.RandomEntry(rnd); !ok {
			b.Fatal("no entry")
		}
	}
}

// BenchmarkSample16 is one eviction-pool refill (maxmemory-samples 16).
func BenchmarkSample16(b *testing.B) {
	bd := loadBenchData()
	rnd := newRnd(1)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		bd.dict.Sample(16, rnd, func(string, *int) { n++ })
	}
}

// heapInUse returns the live heap after a full collection.
func heapInUse() int64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// tableBytesPerEntry measures the heap a table of the given keys costs beyond
// the keys themselves (which both kinds share), per entry.
func tableBytesPerEntry[V any](keys []string, v V, useMap bool) float64 {
	before := heapInUse()
	var keep any
	if useMap {
		m := map[string]V{}
		for _, k := range keys {
			m[k] = v
		}
		keep = m
	} else {
		d := New[V](0)
		for _, k := range keys {
			d.Set(k, v)
		}
		for d.Rehash(1000) {
		}
		keep = d
	}
	after := heapInUse()
	runtime.KeepAlive(keep)
	return float64(after-before) / float64(len(keys))
}

// BenchmarkMemory reports heap bytes per entry for benchSize entries, keys
// excluded, for a Dict and for a Go map. Run with -benchtime=1x.
func BenchmarkMemory(b *testing.B) {
	keys := make([]string, benchSize)
	for i := range keys {
		keys[i] = fmt.Sprintf("key:%d", i)
	}
	var anyValue any = benchValue
	for _, c := range []struct {
		name    string
		measure func() float64
	}{
		{"dict/ptr", func() float64 { return tableBytesPerEntry(keys, benchValue, false) }},
		{"map/ptr", func() float64 { return tableBytesPerEntry(keys, benchValue, true) }},
		{"dict/iface", func() float64 { return tableBytesPerEntry(keys, anyValue, false) }},
		{"map/iface", func() float64 { return tableBytesPerEntry(keys, anyValue, true) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			perEntry := 0.0
			for b.Loop() {
				perEntry = c.measure()
			}
			b.ReportMetric(perEntry, "bytes/entry")
		})
	}
}
