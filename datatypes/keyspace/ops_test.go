package keyspace

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// withAll runs fn with every shard of ks held, as the dispatcher's LockAll.
func withAll(ks *Keyspace, fn func()) {
	ks.LockAll()
	defer ks.UnlockAll()
	fn()
}

func TestRenameKeepsTTLAndAccess(t *testing.T) {
	ks := New(Options{Databases: 2, ShardsPerDB: 8})
	db := ks.DB(0)
	withAll(ks, func() {
		db.Put([]byte("a"), Entry{Str: []byte("v"), Expire: 1 << 50, Access: 7})
		db.Put([]byte("b"), Entry{Str: []byte("old")})
		if !db.Rename([]byte("a"), []byte("b")) {
			t.Fatal("Rename of an existing key reported false")
		}
		if db.Lookup([]byte("a"), 0) != nil {
			t.Error("source still present")
		}
		e := db.LookupNoTouch([]byte("b"), 0)
		if e == nil || string(e.Str) != "v" || e.Expire != 1<<50 || e.Access != 7 {
			t.Fatalf("destination = %+v", e)
		}
		if db.Size() != 1 || db.ExpiresSize() != 1 {
			t.Errorf("Size %d ExpiresSize %d, want 1 1", db.Size(), db.ExpiresSize())
		}
		if db.Rename([]byte("nokey"), []byte("x")) {
			t.Error("Rename of a missing key reported true")
		}
		// Replacing a key that had a TTL with one that has none fixes the index.
		db.Put([]byte("c"), Entry{Str: []byte("c")})
		db.Rename([]byte("c"), []byte("b"))
		if db.ExpiresSize() != 0 || db.Size() != 1 {
			t.Errorf("after rename over a volatile key: Size %d ExpiresSize %d, want 1 0", db.Size(), db.ExpiresSize())
		}
	})
}

func TestMoveTo(t *testing.T) {
	ks := New(Options{Databases: 2, ShardsPerDB: 8})
	a, b := ks.DB(0), ks.DB(1)
	withAll(ks, func() {
		a.Put([]byte("k"), Entry{Str: []byte("v"), Expire: 1 << 50})
		if a.MoveTo(a, []byte("k")) {
			t.Error("move onto the same database reported true")
		}
		if !a.MoveTo(b, []byte("k")) {
			t.Fatal("MoveTo reported false")
		}
		if a.Size() != 0 || a.ExpiresSize() != 0 || b.Size() != 1 || b.ExpiresSize() != 1 {
			t.Errorf("sizes: src %d/%d dst %d/%d", a.Size(), a.ExpiresSize(), b.Size(), b.ExpiresSize())
		}
		if e := b.Lookup([]byte("k"), 0); e == nil || string(e.Str) != "v" {
			t.Errorf("destination = %+v", e)
		}
		if a.MoveTo(b, []byte("k")) {
			t.Error("MoveTo of a missing key reported true")
		}
	})
}

type fakeList struct{ items []string }

func (l *fakeList) Clone() any { return &fakeList{items: append([]string(nil), l.items...)} }

func TestEntryClone(t *testing.T) {
	e := Entry{Str: []byte("abc"), Expire: 5, Type: TypeString, Enc: EncEmbstr}
	c, err := e.Clone()
	if err != nil {
		t.Fatal(err)
	}
	c.Str[0] = 'X'
	if string(e.Str) != "abc" || c.Expire != 5 || c.Enc != EncEmbstr {
		t.Errorf("clone shares bytes or lost metadata: %+v / %+v", e, c)
	}

	l := &fakeList{items: []string{"a"}}
	e = Entry{Obj: l, Type: TypeList}
	c, err = e.Clone()
	if err != nil {
		t.Fatal(err)
	}
	c.Obj.(*fakeList).items[0] = "changed"
	if l.items[0] != "a" {
		t.Error("clone shares the list")
	}

	e = Entry{Obj: struct{}{}, Type: TypeHash}
	if _, err := e.Clone(); err == nil {
		t.Error("Clone of a value without Clone method succeeded")
	}
}

func TestRandomShardWeighted(t *testing.T) {
	ks := New(Options{Databases: 1, ShardsPerDB: 16})
	db := ks.DB(0)
	if _, ok := db.RandomShard(rand.Uint64); ok {
		t.Fatal("RandomShard on an empty database reported ok")
	}
	withAll(ks, func() {
		for i := 0; i < 2000; i++ {
			db.Put(fmt.Appendf(nil, "key:%d", i), Entry{Str: []byte("v")})
		}
	})
	counts := make([]int, db.NumShards())
	const draws = 100000
	for i := 0; i < draws; i++ {
		s, ok := db.RandomShard(rand.Uint64)
		if !ok {
			t.Fatal("RandomShard failed on a full database")
		}
		counts[s]++
	}
	for i, n := range counts {
		want := float64(draws) * float64(db.ShardLen(i)) / float64(db.Size())
		if db.ShardLen(i) == 0 && n != 0 {
			t.Errorf("empty shard %d drawn %d times", i, n)
		}
		if want > 0 && (float64(n) < want*0.8 || float64(n) > want*1.2) {
			t.Errorf("shard %d drawn %d times, expected about %.0f", i, n, want)
		}
	}
	// Only one non-empty shard: it is always chosen.
	withAll(ks, func() { db.FlushLocked(); db.Put([]byte("only"), Entry{Str: []byte("v")}) })
	want := ks.ShardOf(0, []byte("only"))
	for i := 0; i < 100; i++ {
		if s, ok := db.RandomShard(rand.Uint64); !ok || s != want {
			t.Fatalf("RandomShard = %d,%v want %d", s, ok, want)
		}
	}
}
