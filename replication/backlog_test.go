package replication

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestBacklogInactiveUntilCreated(t *testing.T) {
	b := NewBacklog(16, "")
	b.Write([]byte("lost"))
	if b.Offset() != 0 || b.Active() {
		t.Fatalf("offset %d active %v before Create", b.Offset(), b.Active())
	}
	b.Create()
	inf := b.Info()
	if !inf.Active || inf.FirstByte != 1 || inf.HistLen != 0 || inf.SecondOffset != -1 || inf.ReplID2 != NoReplID {
		t.Fatalf("after Create: %+v", inf)
	}
}

func TestBacklogWrapAndCopy(t *testing.T) {
	b := NewBacklog(10, "")
	b.Create()
	b.Write([]byte("abcdef"))
	b.Write([]byte("ghijkl")) // 12 bytes, buffer keeps the last 10
	inf := b.Info()
	if inf.Offset != 12 || inf.HistLen != 10 || inf.FirstByte != 3 {
		t.Fatalf("info %+v", inf)
	}
	got, ok := b.CopyFrom(3)
	if !ok || string(got) != "cdefghijkl" {
		t.Fatalf("CopyFrom(3) = %q %v", got, ok)
	}
	got, ok = b.CopyFrom(13)
	if !ok || len(got) != 0 {
		t.Fatalf("CopyFrom(end+1) = %q %v", got, ok)
	}
	if _, ok := b.CopyFrom(2); ok {
		t.Fatal("CopyFrom before the first byte succeeded")
	}
	if _, ok := b.CopyFrom(14); ok {
		t.Fatal("CopyFrom past the end succeeded")
	}
	b.Write([]byte(strings.Repeat("z", 25))) // larger than the buffer
	got, _ = b.CopyFrom(b.Offset() - 9)
	if string(got) != strings.Repeat("z", 10) {
		t.Fatalf("after an oversized write: %q", got)
	}
}

func TestBacklogContinueRules(t *testing.T) {
	b := NewBacklog(100, "")
	b.Create()
	b.Write([]byte("0123456789"))
	id := b.ReplID()
	if !b.CanContinue(id, 11) || !b.CanContinue(id, 1) {
		t.Fatal("offsets inside the history refused")
	}
	if b.CanContinue(id, 12) || b.CanContinue(NewReplID(), 5) {
		t.Fatal("bad offset or unknown ID accepted")
	}
	// After a promotion the old ID is good up to the split point only.
	b.Shift("")
	if b.ReplID() == id || b.Info().ReplID2 != id || b.Info().SecondOffset != 11 {
		t.Fatalf("Shift: %+v", b.Info())
	}
	b.Write([]byte("abc"))
	if !b.CanContinue(id, 11) {
		t.Fatal("old ID at the split point refused")
	}
	if b.CanContinue(id, 12) {
		t.Fatal("old ID past the split point accepted")
	}
	f := NewFeed(0)
	newID, ok := b.AttachContinue(f, id, 9)
	if !ok || newID != b.ReplID() {
		t.Fatalf("AttachContinue = %q %v", newID, ok)
	}
	b.Write([]byte("Z"))
	var out bytes.Buffer
	f.Close()
	if f.Pending() != 0 {
		t.Fatal("Close left bytes pending")
	}
	_ = out
}

func TestBacklogFeedsGetWrites(t *testing.T) {
	b := NewBacklog(100, "")
	f := NewFeed(0)
	id, off := b.AttachAt(f)
	if id != b.ReplID() || off != 0 || !b.Active() {
		t.Fatalf("AttachAt = %q %d", id, off)
	}
	b.Write([]byte("*1\r\n$4\r\nPING\r\n"))
	if f.Pending() != 14 {
		t.Fatalf("pending %d", f.Pending())
	}
	b.Detach(f)
	b.Write([]byte("more"))
	if f.Pending() != 14 {
		t.Fatal("a detached feed got a write")
	}
	b.ResetTo(strings.Repeat("a", 40), 500)
	inf := b.Info()
	if inf.Offset != 500 || inf.FirstByte != 501 || inf.ReplID != strings.Repeat("a", 40) || inf.SecondOffset != -1 {
		t.Fatalf("ResetTo: %+v", inf)
	}
}

func TestFeedDrainAndLimit(t *testing.T) {
	f := NewFeed(0)
	f.Write([]byte("hello "))
	f.Write([]byte("world"))
	var out syncBuffer
	done := make(chan error)
	go func() { done <- f.Drain(&out) }()
	waitFor(t, func() bool { return out.String() == "hello world" })
	f.Close()
	if err := <-done; err != ErrFeedClosed {
		t.Fatalf("Drain = %v", err)
	}

	g := NewFeed(8)
	g.Write([]byte("12345"))
	g.Write([]byte("6789"))
	if !g.Overflowed() || g.Pending() != 0 {
		t.Fatal("feed past its limit did not close")
	}
	if err := g.Drain(&out); err != ErrFeedClosed {
		t.Fatalf("Drain of an overflowed feed = %v", err)
	}
}

// TestFeedDrainKeepsOrder writes numbered records while Drain runs, with
// idle gaps (the drain waits on an empty feed and reuses its buffers): the
// output must be every record once, in order.
func TestFeedDrainKeepsOrder(t *testing.T) {
	f := NewFeed(0)
	var out syncBuffer
	done := make(chan error)
	go func() { done <- f.Drain(slowWriter{&out}) }()
	var want strings.Builder
	for i := 0; i < 2000; i++ {
		rec := []byte(strings.Repeat(string(rune('a'+i%26)), 1+i%7) + "|")
		want.Write(rec)
		f.Write(rec)
		if i%100 == 0 {
			waitFor(t, func() bool { return f.Pending() == 0 })
			time.Sleep(2 * time.Millisecond) // let Drain find the feed empty
		}
	}
	waitFor(t, func() bool { return len(out.String()) >= want.Len() })
	f.Close()
	<-done
	if out.String() != want.String() {
		t.Fatalf("drained %d bytes differ from the %d written", len(out.String()), want.Len())
	}
}

// slowWriter lets writers append while a batch is being written.
type slowWriter struct{ w *syncBuffer }

func (s slowWriter) Write(p []byte) (int, error) {
	time.Sleep(200 * time.Microsecond)
	return s.w.Write(p)
}

// Rebase keeps the current ID and makes the saved history the previous
// one: a replica at the saved offset continues, one past it does not, and
// later writes move the offset on from the saved one.
func TestBacklogRebase(t *testing.T) {
	saved := strings.Repeat("1", 40)
	b := NewBacklog(64, "")
	own := b.ReplID()
	b.Rebase(saved, 500)
	inf := b.Info()
	if inf.ReplID != own || inf.ReplID2 != saved || inf.SecondOffset != 501 || inf.Offset != 500 || !inf.Active || inf.HistLen != 0 {
		t.Fatalf("after Rebase: %+v", inf)
	}
	if !b.CanContinue(saved, 501) || b.CanContinue(saved, 502) || b.CanContinue(saved, 400) {
		t.Fatal("CanContinue with the saved ID")
	}
	if end := b.Write([]byte("abc")); end != 503 {
		t.Fatalf("Write returned %d, want 503", end)
	}
	f := NewFeed(0)
	if id, ok := b.AttachContinue(f, saved, 501); !ok || id != own || f.Pending() != 3 {
		t.Fatalf("AttachContinue = %s %v, %d pending", id, ok, f.Pending())
	}
}
