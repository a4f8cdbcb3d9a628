package keyspace

import (
	"sync"
	"testing"
	"time"
)

func str(v string) Entry { return Entry{Type: TypeString, Str: []byte(v)} }

func TestPutLookupDelete(t *testing.T) {
	ks := New(Options{Databases: 2, ShardsPerDB: 8})
	db := ks.DB(0)
	now := time.Now().UnixMilli()
	db.Put([]byte("a"), str("1"))
	if e := db.Lookup([]byte("a"), now); e == nil || string(e.Str) != "1" {
		t.Fatalf("lookup a: %+v", e)
	}
	if ks.DB(1).Lookup([]byte("a"), now) != nil {
		t.Fatal("key leaked into db 1")
	}
	db.Put([]byte("a"), str("2"))
	if db.Size() != 1 {
		t.Fatalf("size %d", db.Size())
	}
	if !db.Delete([]byte("a")) || db.Delete([]byte("a")) {
		t.Fatal("delete")
	}
	if db.Size() != 0 {
		t.Fatalf("size after delete %d", db.Size())
	}
}

func TestLazyExpiry(t *testing.T) {
	ks := New(Options{Databases: 1, ShardsPerDB: 4})
	var expired []string
	ks.OnExpired = func(db int, key []byte) { expired = append(expired, string(key)) }
	db := ks.DB(0)
	now := time.Now().UnixMilli()
	e := str("v")
	e.Expire = now + 10
	db.Put([]byte("k"), e)
	if db.ExpiresSize() != 1 {
		t.Fatalf("expires %d", db.ExpiresSize())
	}
	if db.Lookup([]byte("k"), now) == nil {
		t.Fatal("key gone too early")
	}
	if db.IsExpired([]byte("k"), now+10) != true {
		t.Fatal("IsExpired")
	}
	if db.Lookup([]byte("k"), now+10) != nil {
		t.Fatal("expired key visible")
	}
	if len(expired) != 1 || expired[0] != "k" || db.Size() != 0 || db.ExpiresSize() != 0 {
		t.Fatalf("after expiry: %v size=%d expires=%d", expired, db.Size(), db.ExpiresSize())
	}
}

func TestReplicaHidesButKeepsExpired(t *testing.T) {
	ks := New(Options{Databases: 1, ShardsPerDB: 4})
	ks.SetReplica(true)
	db := ks.DB(0)
	e := str("v")
	e.Expire = 1
	db.Put([]byte("k"), e)
	if db.Lookup([]byte("k"), 2) != nil || db.Size() != 1 {
		t.Fatal("replica must hide the key and keep it")
	}
}

func TestSetExpireIndex(t *testing.T) {
	ks := New(Options{Databases: 1, ShardsPerDB: 4})
	db := ks.DB(0)
	db.Put([]byte("k"), str("v"))
	e := db.Lookup([]byte("k"), 0)
	db.SetExpire([]byte("k"), e, 100)
	if db.ExpiresSize() != 1 {
		t.Fatal("expire not indexed")
	}
	db.SetExpire([]byte("k"), e, 0)
	if db.ExpiresSize() != 0 {
		t.Fatal("persist not unindexed")
	}
	db.Put([]byte("k"), Entry{Type: TypeString, Str: []byte("x"), Expire: 50})
	if db.ExpiresSize() != 1 {
		t.Fatal("put with ttl not indexed")
	}
}

func TestActiveExpireCycle(t *testing.T) {
	ks := New(Options{Databases: 2, ShardsPerDB: 8})
	n := 0
	ks.OnExpired = func(int, []byte) { n++ }
	past := time.Now().UnixMilli() - 1
	for i := 0; i < 500; i++ {
		e := str("v")
		e.Expire = past
		ks.DB(i%2).Put([]byte{byte(i), byte(i >> 8)}, e)
	}
	ks.DB(0).Put([]byte("keep"), str("v"))
	for i := 0; i < 50 && n < 500; i++ {
		ks.ActiveExpireCycle(50 * time.Millisecond)
	}
	if n != 500 || ks.DB(0).Size() != 1 || ks.DB(1).Size() != 0 {
		t.Fatalf("expired %d, sizes %d %d", n, ks.DB(0).Size(), ks.DB(1).Size())
	}
}

func TestWatchSignals(t *testing.T) {
	ks := New(Options{Databases: 2, ShardsPerDB: 4})
	db := ks.DB(0)
	var w Watcher
	db.Watch([]byte("k"), &w)
	db.SignalModified([]byte("other"))
	if w.Dirty() {
		t.Fatal("unrelated key dirtied the watcher")
	}
	db.SignalModified([]byte("k"))
	if !w.Dirty() {
		t.Fatal("watched key change not seen")
	}
	w.Reset()
	db.Unwatch([]byte("k"), &w)
	db.SignalModified([]byte("k"))
	if w.Dirty() {
		t.Fatal("unwatched key still signals")
	}
	// Flush touches watched keys that exist, not the others.
	var w2, w3 Watcher
	db.Put([]byte("x"), str("1"))
	db.Watch([]byte("x"), &w2)
	db.Watch([]byte("y"), &w3)
	ks.LockAll()
	db.FlushLocked()
	ks.UnlockAll()
	if !w2.Dirty() || w3.Dirty() {
		t.Fatalf("flush: w2=%v w3=%v", w2.Dirty(), w3.Dirty())
	}
}

func TestSwapDB(t *testing.T) {
	ks := New(Options{Databases: 2, ShardsPerDB: 4})
	ks.DB(0).Put([]byte("a"), str("0"))
	ks.DB(1).Put([]byte("b"), str("1"))
	var w Watcher
	ks.DB(1).Watch([]byte("a"), &w)
	ks.LockAll()
	ks.SwapDB(0, 1)
	ks.UnlockAll()
	if ks.DB(1).Lookup([]byte("a"), 0) == nil || ks.DB(0).Lookup([]byte("b"), 0) == nil || ks.DB(0).Size() != 1 {
		t.Fatal("swap did not exchange contents")
	}
	if !w.Dirty() {
		t.Fatal("swap did not touch a watched key that appeared")
	}
}

func TestLockShardsOrderAndDedup(t *testing.T) {
	ks := New(Options{Databases: 1, ShardsPerDB: 16})
	idx := ks.LockShards([]int{5, 3, 5, 9, 3})
	if len(idx) != 3 || idx[0] != 3 || idx[1] != 5 || idx[2] != 9 {
		t.Fatalf("idx %v", idx)
	}
	ks.UnlockShards(idx)
	// Concurrent lockers of overlapping sets in different orders must not deadlock.
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				set := []int{(g + i) % 16, (g*7 + i) % 16, (i * 3) % 16}
				held := ks.LockShards(set)
				ks.UnlockShards(held)
			}
		}(g)
	}
	wg.Wait()
}

func TestStreamSelectAndEncoding(t *testing.T) {
	var s Stream
	sink := &bufSink{}
	s.Propagate(0, []byte("SET"), []byte("a"), []byte("b")) // no sink: dropped
	s.AddSink(sink)
	s.Propagate(0, []byte("SET"), []byte("a"), []byte("b"))
	s.Propagate(0, []byte("DEL"), []byte("a"))
	s.Propagate(3, []byte("DEL"), []byte("a"))
	want := "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$3\r\nDEL\r\n$1\r\na\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n*2\r\n$3\r\nDEL\r\n$1\r\na\r\n"
	if string(sink.b) != want {
		t.Fatalf("stream:\n%q\nwant\n%q", sink.b, want)
	}
	if s.Offset() != int64(len(want)) {
		t.Fatalf("offset %d", s.Offset())
	}
}

type bufSink struct{ b []byte }

func (b *bufSink) Write(p []byte) { b.b = append(b.b, p...) }
