package keyspace

import (
	"strconv"
	"testing"
)

// With a slot function, keys of one slot share a shard, ShardOf/ShardIndex
// agree with where the key is stored, and RangeShard of the slot's shard
// finds every key of the slot.
func TestSlotPlacement(t *testing.T) {
	ks := New(Options{Databases: 1, ShardsPerDB: 16})
	// A toy slot function: the key's first byte times 64.
	slotOf := func(k []byte) int { return int(k[0]) * 64 % HashSlots }
	if err := ks.SetSlotFunc(slotOf); err != nil {
		t.Fatal(err)
	}
	db := ks.DB(0)
	want := map[int]int{}
	for i := range 2000 {
		key := []byte{byte('a' + i%26)}
		key = append(key, strconv.Itoa(i)...)
		ks.LockAll()
		db.Put(key, Entry{Type: TypeString, Str: []byte("v")})
		ks.UnlockAll()
		slot := slotOf(key)
		want[slot]++
		if got, exp := ks.ShardOf(0, key), ks.ShardOfSlot(slot); got != exp {
			t.Fatalf("ShardOf(%s) = %d, want the slot's shard %d", key, got, exp)
		}
		if db.ShardIndex(key) != ks.ShardOfSlot(slot) {
			t.Fatalf("ShardIndex(%s) = %d, want %d", key, db.ShardIndex(key), ks.ShardOfSlot(slot))
		}
	}
	for slot, n := range want {
		found := 0
		db.RangeShard(ks.ShardOfSlot(slot), 0, func(k string, _ *Entry) bool {
			if slotOf([]byte(k)) == slot {
				found++
			}
			return true
		})
		if found != n {
			t.Fatalf("slot %d: %d keys in its shard, want %d", slot, found, n)
		}
	}
	// Slots spread over every shard, in contiguous ranges.
	if ks.ShardOfSlot(0) != 0 || ks.ShardOfSlot(HashSlots-1) != 15 || ks.ShardOfSlot(HashSlots/2) != 8 {
		t.Fatalf("ShardOfSlot: 0→%d, last→%d, middle→%d", ks.ShardOfSlot(0), ks.ShardOfSlot(HashSlots-1), ks.ShardOfSlot(HashSlots/2))
	}
	if err := ks.SetSlotFunc(slotOf); err == nil {
		t.Fatal("SetSlotFunc with keys present succeeded")
	}
}
