package aof

import (
	"errors"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// memFile is a File whose writes can be made to fail and whose fsyncs are
// slow enough for writers to pile up behind one.
type memFile struct {
	mu     sync.Mutex
	data   []byte
	synced int
	fail   atomic.Bool
	delay  time.Duration
	closed bool
}

func (f *memFile) Write(p []byte) (int, error) {
	if f.fail.Load() {
		// A partial write, then ENOSPC.
		n := len(p) / 2
		f.mu.Lock()
		f.data = append(f.data, p[:n]...)
		f.mu.Unlock()
		return n, syscall.ENOSPC
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.data = append(f.data, p...)
	return len(p), nil
}

func (f *memFile) Sync() error {
	time.Sleep(f.delay)
	f.mu.Lock()
	f.synced = len(f.data)
	f.mu.Unlock()
	return nil
}

func (f *memFile) Close() error { f.closed = true; return nil }

func (f *memFile) contents() (string, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return string(f.data), f.synced
}

func TestWriterAlwaysGroupCommit(t *testing.T) {
	f := &memFile{delay: 2 * time.Millisecond}
	w := NewWriter(f, 0, FsyncAlways, discardLog())
	defer w.Close()
	const writers, each = 8, 50
	var mu sync.Mutex // the stream's lock: Write is called under it
	var wg sync.WaitGroup
	for g := 0; g < writers; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				mu.Lock()
				w.Write([]byte("x"))
				mu.Unlock()
				if err := w.WaitReceived(); err != nil {
					t.Error(err)
					return
				}
				// Acknowledged: it must be on "disk" and fsynced.
				_, synced := f.contents()
				if synced < 1 {
					t.Error("acknowledged before fsync")
				}
			}
		}()
	}
	wg.Wait()
	data, synced := f.contents()
	if len(data) != writers*each || synced != len(data) {
		t.Fatalf("data %d synced %d", len(data), synced)
	}
	if n := w.Fsyncs(); n >= writers*each {
		t.Fatalf("%d fsyncs for %d writes: no group commit", n, writers*each)
	} else {
		t.Logf("%d fsyncs for %d acknowledged writes", n, writers*each)
	}
}

func TestWriterErrorRetriesAndReports(t *testing.T) {
	f := &memFile{}
	w := NewWriter(f, 0, FsyncAlways, discardLog())
	defer w.Close()
	f.fail.Store(true)
	w.Write([]byte("abcdefgh"))
	err := w.WaitReceived()
	if !errors.Is(err, syscall.ENOSPC) || !errors.Is(w.Err(), syscall.ENOSPC) {
		t.Fatalf("wait: %v, Err: %v", err, w.Err())
	}
	f.fail.Store(false)
	w.Write([]byte("ij"))
	deadline := time.Now().Add(5 * time.Second)
	for w.Err() != nil && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if err := w.WaitReceived(); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
	if data, _ := f.contents(); data != "abcdefghij" {
		t.Fatalf("data %q", data)
	}
}

func TestWriterSwitchKeepsOrder(t *testing.T) {
	a, b := &memFile{}, &memFile{}
	w := NewWriter(a, 0, FsyncEverysec, discardLog())
	w.Write([]byte("one"))
	if err := w.Switch(b); err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("two"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	da, sa := a.contents()
	db, sb := b.contents()
	if da != "one" || db != "two" || sa != 3 || sb != 3 || !a.closed || !b.closed {
		t.Fatalf("a %q/%d b %q/%d", da, sa, db, sb)
	}
	if err := w.WaitDurable(w.Received() + 1); !errors.Is(err, ErrClosed) {
		t.Fatalf("wait after close: %v", err)
	}
}

func TestWriterEverysecSyncsWithinASecond(t *testing.T) {
	f := &memFile{}
	w := NewWriter(f, 0, FsyncEverysec, discardLog())
	defer w.Close()
	w.Write([]byte("k"))
	deadline := time.Now().Add(3 * time.Second)
	for w.Synced() < 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if _, s := f.contents(); s != 1 {
		t.Fatalf("not fsynced within the period: synced %d", s)
	}
}
