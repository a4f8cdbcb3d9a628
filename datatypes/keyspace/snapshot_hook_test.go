package keyspace

import (
	"fmt"
	"slices"
	"testing"
)

type recordingHook struct{ calls []string }

func (h *recordingHook) BeforeChange(db int, key []byte, e *Entry) {
	h.calls = append(h.calls, fmt.Sprintf("change %d %s %s", db, key, e.Str))
}
func (h *recordingHook) Created(db int, key []byte) {
	h.calls = append(h.calls, fmt.Sprintf("created %d %s", db, key))
}
func (h *recordingHook) BeforeFlush(db int) { h.calls = append(h.calls, fmt.Sprintf("flush %d", db)) }

// Every path that changes, replaces, deletes or discards an entry tells the
// snapshot hook first, and inserts are reported.
func TestSnapshotHookCalls(t *testing.T) {
	ks := New(Options{Databases: 2, ShardsPerDB: 1})
	h := &recordingHook{}
	ks.LockAll()
	defer ks.UnlockAll()
	ks.SetSnapshot(h)
	db := ks.DB(0)
	str := func(s string) Entry { return Entry{Type: TypeString, Str: []byte(s)} }
	db.Put([]byte("a"), str("1"))  // created
	db.Put([]byte("a"), str("2"))  // change (replace)
	db.LookupWrite([]byte("a"), 0) // change (in place)
	db.SetExpire([]byte("a"), db.Lookup([]byte("a"), 0), 5)
	db.Lookup([]byte("a"), 10)          // lazy expiry: change (delete)
	db.Put([]byte("b"), str("3"))       // created
	db.Rename([]byte("b"), []byte("c")) // change b, created c
	db.MoveTo(ks.DB(1), []byte("c"))    // change c, created in db 1
	ks.SwapDB(0, 1)
	ks.DB(1).FlushLocked()
	want := []string{
		"created 0 a", "change 0 a 1", "change 0 a 2", "change 0 a 2", "change 0 a 2",
		"created 0 b", "change 0 b 3", "created 0 c", "change 0 c 3", "created 1 c",
		"flush 0", "flush 1", "flush 1",
	}
	if !slices.Equal(h.calls, want) {
		t.Fatalf("hook calls\n got %q\nwant %q", h.calls, want)
	}
}
