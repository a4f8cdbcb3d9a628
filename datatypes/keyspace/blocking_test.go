package keyspace

import (
	"sync"
	"testing"
	"time"
)

// counter is a list value for the blocking tests: a count of elements.
type counter struct{ n int }

// waitLoop plays a blocked client's goroutine: on each turn it "pops" one
// element of key under the key's lock if there is one, and records it.
func waitLoop(ks *Keyspace, db *DB, key string, w *Waiter, name string, got chan<- string) {
	for range w.Turn() {
		if w.Cancelled() != NotCancelled {
			ks.Leave(w)
			got <- name + ":cancelled"
			return
		}
		idx := ks.LockShards([]int{db.ShardIndex([]byte(key))})
		e := db.Lookup([]byte(key), time.Now().UnixMilli())
		served := false
		if e != nil && e.Type == TypeList {
			c := e.Obj.(*counter)
			c.n--
			if c.n == 0 {
				db.Delete([]byte(key))
			}
			served = true
			w.LeaveLocked()
		}
		ks.UnlockShards(idx)
		if served {
			// Recorded before the turn ends: the next waiter's turn starts
			// when EndTurn returns control to the server.
			got <- name
		}
		w.EndTurn(served)
		if served {
			return
		}
	}
}

func lockKey(ks *Keyspace, db *DB, key string) []int {
	return ks.LockShards([]int{db.ShardIndex([]byte(key))})
}

func TestBlockingFIFOAndTypeCheck(t *testing.T) {
	ks := New(Options{Databases: 2, ShardsPerDB: 4})
	db := ks.DB(0)
	got := make(chan string, 10)
	var wg sync.WaitGroup
	var waiters []*Waiter
	for _, name := range []string{"a", "b", "c"} {
		w := NewWaiter(TypeList)
		held := lockKey(ks, db, "k")
		db.Block([]byte("k"), w)
		db.Block([]byte("k"), w) // named twice: queued once
		ks.UnlockShards(held)
		waiters = append(waiters, w)
		wg.Add(1)
		go func() { defer wg.Done(); waitLoop(ks, db, "k", w, name, got) }()
	}
	if ks.BlockedClients() != 3 || ks.BlockingKeys() != 1 {
		t.Fatalf("blocked %d keys %d", ks.BlockedClients(), ks.BlockingKeys())
	}
	// Storing a string does not ready the key; signalled anyway, the key is
	// offered to nobody: its type is checked at serve time.
	held := lockKey(ks, db, "k")
	db.Put([]byte("k"), Entry{Type: TypeString, Str: []byte("x")})
	if ks.HasReady() {
		t.Fatal("Put of a string readied the key")
	}
	db.SignalReady([]byte("k"))
	ks.UnlockShards(held)
	ks.ServeReady()
	select {
	case s := <-got:
		t.Fatalf("%s served by a string value", s)
	default:
	}
	// Two elements: a and b are served, in order; c keeps waiting.
	held = lockKey(ks, db, "k")
	db.Put([]byte("k"), Entry{Type: TypeList, Obj: &counter{n: 2}})
	ks.UnlockShards(held)
	ks.ServeReady()
	if a, b := <-got, <-got; a != "a" || b != "b" {
		t.Fatalf("served %s then %s, want a then b", a, b)
	}
	if ks.BlockedClients() != 1 || ks.HasReady() {
		t.Fatalf("after serving: blocked %d ready %v", ks.BlockedClients(), ks.HasReady())
	}
	// Cancel c from outside.
	if !waiters[2].Cancel(CancelUnblock) || waiters[2].Cancel(CancelUnblock) {
		t.Fatal("Cancel should succeed once")
	}
	if s := <-got; s != "c:cancelled" {
		t.Fatalf("got %s", s)
	}
	wg.Wait()
	if ks.BlockedClients() != 0 || ks.BlockingKeys() != 0 {
		t.Fatalf("left blocked %d keys %d", ks.BlockedClients(), ks.BlockingKeys())
	}
	s, _ := db.shardFor([]byte("k"))
	if len(s.waiting) != 0 {
		t.Fatalf("queue left behind: %v", s.waiting)
	}
}

func TestBlockingSwapDBSignals(t *testing.T) {
	ks := New(Options{Databases: 2, ShardsPerDB: 4})
	w := NewWaiter(TypeList)
	held := lockKey(ks, ks.DB(0), "k")
	ks.DB(0).Block([]byte("k"), w)
	ks.UnlockShards(held)
	ks.LockAll()
	ks.DB(1).Put([]byte("k"), Entry{Type: TypeList, Obj: &counter{n: 1}})
	if ks.HasReady() {
		t.Fatal("a key in another database signalled")
	}
	ks.SwapDB(0, 1)
	ks.UnlockAll()
	if !ks.HasReady() {
		t.Fatal("SWAPDB did not ready the waited key")
	}
	got := make(chan string, 1)
	go waitLoop(ks, ks.DB(0), "k", w, "w", got)
	ks.ServeReady()
	if s := <-got; s != "w" {
		t.Fatalf("got %s", s)
	}
}

func TestTryCancelLosesToClaimedTurn(t *testing.T) {
	w := NewWaiter(TypeList)
	if !w.state.CompareAndSwap(waitBlocked, waitServing) {
		t.Fatal("claim")
	}
	if w.TryCancel(CancelTimeout) || w.Cancel(CancelUnblock) {
		t.Fatal("cancel won against a claimed turn")
	}
	w.EndTurn(false)
	<-w.ended
	if !w.TryCancel(CancelTimeout) || w.Cancelled() != CancelTimeout {
		t.Fatal("cancel after the turn ended failed")
	}
}
