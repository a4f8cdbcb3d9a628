package keyspace

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// measured is what the keyspace's entries take by recomputation: the figure
// the incremental accounting must always equal once shards are unlocked.
func measured(ks *Keyspace) int64 {
	var total int64
	for i := range ks.shards {
		ks.shards[i].data.Range(func(k string, e Entry) bool {
			total += keyBytes(len(k)) + ks.valueSize(&e)
			return true
		})
	}
	return total
}

func accountingKeyspace() *Keyspace {
	ks := New(Options{Databases: 3, ShardsPerDB: 8})
	ks.SizeOf = func(e *Entry) int { return cap(e.Str) }
	return ks
}

func TestMemoryAccountingFollowsEveryWrite(t *testing.T) {
	ks := accountingKeyspace()
	rnd := rand.New(rand.NewPCG(1, 2))
	now := time.Now().UnixMilli()
	all := make([]int, len(ks.shards))
	for i := range all {
		all[i] = i
	}
	for step := range 20000 {
		db := ks.DB(rnd.IntN(ks.NumDBs()))
		key := []byte(fmt.Sprintf("k%d", rnd.IntN(200)))
		// Commands run between LockShards and UnlockShards, as the
		// dispatcher runs them; a command may touch a key several times.
		idx := ks.LockShards([]int{db.ShardIndex(key)})
		for range 1 + rnd.IntN(3) {
			switch op := rnd.IntN(10); {
			case op < 3:
				db.Put(key, str(string(make([]byte, rnd.IntN(300)))))
			case op < 6:
				if e := db.LookupWrite(key, now); e != nil {
					e.Str = append(e.Str, make([]byte, rnd.IntN(500))...)
				}
			case op < 7:
				if e := db.LookupWrite(key, now); e != nil {
					e.Str = e.Str[:0:0]
				}
			case op < 9:
				db.Delete(key)
			default:
				if e := db.LookupWrite(key, now); e != nil {
					db.SetExpire(key, e, now-1) // expires: the next lookup deletes it
				}
				db.Lookup(key, now)
			}
		}
		ks.UnlockShards(idx)
		if step%1000 == 999 {
			ks.LockAll()
			switch step / 1000 % 4 {
			case 1:
				ks.SwapDB(0, 1)
			case 3:
				ks.DB(2).FlushLocked()
			}
			ks.UnlockAll()
		}
		if got, want := ks.UsedMemory(), measured(ks); got != want {
			t.Fatalf("step %d: accounted %d bytes, entries take %d", step, got, want)
		}
	}
	if ks.UsedMemory() == 0 {
		t.Fatal("nothing accounted: the workload left no keys")
	}
}

func TestMemoryAccountingOff(t *testing.T) {
	ks := New(Options{Databases: 1, ShardsPerDB: 4})
	ks.DB(0).Put([]byte("a"), str("value"))
	if ks.UsedMemory() != 0 || len(ks.shards[ks.DB(0).ShardIndex([]byte("a"))].pending) != 0 {
		t.Fatal("accounting ran without SizeOf")
	}
	ks.SizeOf = func(e *Entry) int { return cap(e.Str) }
	ks.LockAll()
	ks.Remeasure()
	ks.UnlockAll()
	if got, want := ks.UsedMemory(), measured(ks); got != want || got == 0 {
		t.Fatalf("after Remeasure: %d, want %d", got, want)
	}
}

func TestPendingListIsBounded(t *testing.T) {
	ks := accountingKeyspace()
	db := ks.DB(0)
	now := time.Now().UnixMilli()
	// One shard, many keys written without unlocking (a long EXEC).
	ks.LockAll()
	for i := range 1000 {
		key := []byte(fmt.Sprintf("key%d", i))
		db.Put(key, str("v"))
		db.LookupWrite(key, now).Str = make([]byte, 100)
	}
	for i := range ks.shards {
		if n := len(ks.shards[i].pending); n > maxPending {
			t.Fatalf("shard %d has %d pending entries", i, n)
		}
	}
	ks.UnlockAll()
	if got, want := ks.UsedMemory(), measured(ks); got != want {
		t.Fatalf("accounted %d, want %d", got, want)
	}
}
