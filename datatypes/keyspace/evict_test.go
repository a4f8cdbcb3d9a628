package keyspace

import (
	"fmt"
	"testing"
	"time"
)

func TestEvictOneByPolicy(t *testing.T) {
	now := time.Now().UnixMilli()
	fill := func(p Policy) (*Keyspace, *DB) {
		ks := accountingKeyspace()
		ks.SetEvictionPolicy(p, 10, 1)
		db := ks.DB(1)
		for i := range 8 {
			e := str("v")
			if i%2 == 1 {
				e.Expire = now + int64(i)*1000 // odd keys have TTLs; k1 expires first
			}
			db.Put([]byte(fmt.Sprintf("k%d", i)), e)
		}
		return ks, db
	}
	evict := func(ks *Keyspace, samples int) (string, bool) {
		var got string
		ok := ks.EvictOne(samples, func(db int, key []byte) {
			if db != 1 {
				t.Errorf("evicted from db %d", db)
			}
			got = string(key)
		})
		return got, ok
	}

	// LRU: the key idle the longest goes, once the sample sees every key.
	ks, db := fill(AllKeysLRU)
	for i := range 8 {
		db.Lookup([]byte(fmt.Sprintf("k%d", i)), now).Access = ks.LRUClock() - uint32(i) // idle i seconds
	}
	db.Lookup([]byte("k5"), now).Access = ks.LRUClock() - 100
	if got, ok := evict(ks, 1000); !ok || got != "k5" {
		t.Fatalf("allkeys-lru evicted %q, %v; want k5", got, ok)
	}
	if db.Size() != 7 || ks.UsedMemory() != measured(ks) {
		t.Fatalf("after eviction: %d keys, %d accounted, %d measured", db.Size(), ks.UsedMemory(), measured(ks))
	}

	// volatile-ttl: the nearest expiry goes.
	ks, _ = fill(VolatileTTL)
	if got, ok := evict(ks, 1000); !ok || got != "k1" {
		t.Fatalf("volatile-ttl evicted %q, %v; want k1", got, ok)
	}

	// volatile-random only takes keys with a TTL.
	ks, db = fill(VolatileRandom)
	for range 4 {
		got, ok := evict(ks, 5)
		if !ok || got == "" || (got[1]-'0')%2 != 1 {
			t.Fatalf("volatile-random evicted %q, %v", got, ok)
		}
	}
	if _, ok := evict(ks, 5); ok {
		t.Fatal("volatile-random evicted a key without a TTL")
	}
	if db.Size() != 4 {
		t.Fatalf("%d keys left, want the 4 without TTL", db.Size())
	}

	// LFU: the least frequently used goes.
	ks, db = fill(AllKeysLFU)
	for i := range 8 {
		db.Lookup([]byte(fmt.Sprintf("k%d", i)), now).Access = ks.lfuMinutes()<<8 | uint32(50+i)
	}
	db.Lookup([]byte("k6"), now).Access = ks.lfuMinutes()<<8 | 2
	if got, ok := evict(ks, 1000); !ok || got != "k6" {
		t.Fatalf("allkeys-lfu evicted %q, %v; want k6", got, ok)
	}

	// noeviction never evicts; an empty keyspace has nothing to evict.
	ks, _ = fill(NoEviction)
	if _, ok := evict(ks, 5); ok {
		t.Fatal("noeviction evicted")
	}
	empty := accountingKeyspace()
	empty.SetEvictionPolicy(AllKeysRandom, 10, 1)
	if _, ok := evict(empty, 5); ok {
		t.Fatal("evicted from an empty keyspace")
	}
}

func TestLFUCounter(t *testing.T) {
	ks := accountingKeyspace()
	ks.SetEvictionPolicy(AllKeysLFU, 0, 1) // log factor 0: every access counts
	db := ks.DB(0)
	now := time.Now().UnixMilli()
	db.Put([]byte("k"), str("v"))
	if f := ks.Frequency(db.LookupNoTouch([]byte("k"), now).Access); f != lfuInitVal {
		t.Fatalf("new key frequency %d, want %d", f, lfuInitVal)
	}
	for range 10 {
		db.Lookup([]byte("k"), now)
	}
	if f := ks.Frequency(db.LookupNoTouch([]byte("k"), now).Access); f != lfuInitVal+10 {
		t.Fatalf("frequency after 10 hits %d, want %d", f, lfuInitVal+10)
	}
	// Decay: one period per lfu-decay-time minutes.
	ks.lruClock.Store(600) // ten minutes in
	e := db.LookupNoTouch([]byte("k"), now)
	e.Access = (ks.lfuMinutes()-3)<<8 | 20
	if f := ks.Frequency(e.Access); f != 17 {
		t.Fatalf("frequency after 3 minutes %d, want 17", f)
	}
	// Across the 16-bit wrap Redis counts one minute less (65535-ldt+now).
	ks.lruClock.Store(60)
	e.Access = 65534<<8 | 20
	if f := ks.Frequency(e.Access); f != 18 {
		t.Fatalf("frequency across the wrap %d, want 18", f)
	}
	if f := ks.Frequency(ks.SetFrequency(200)); f != 200 {
		t.Fatalf("SetFrequency(200) reads %d", f)
	}
	// lfuLogIncr saturates at 255.
	if c := lfuLogIncr(255, 0); c != 255 {
		t.Fatalf("counter past 255: %d", c)
	}
}
