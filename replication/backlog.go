package replication

// The replication backlog. Every byte of the replication stream passes
// through Write: it is kept in a circular buffer (for partial resyncs) and
// copied into the Feed of every attached replica. The offsets follow Redis:
// Offset is master_repl_offset, the number of stream bytes ever produced
// under the current history; the buffer holds the last HistLen of them,
// starting at FirstByte = Offset - HistLen + 1.
//
// Locking: one mutex guards the buffer, the IDs and the set of feeds. Write
// runs under the propagation stream's lock (the server's sink), so it must
// never block: Feed.Write only appends to memory.

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
)

// NoReplID is the all-zero replication ID (master_replid2 when unset).
const NoReplID = "0000000000000000000000000000000000000000"

// NewReplID returns a random 40-character replication ID.
func NewReplID() string {
	var b [20]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Backlog is the replication history and the fan-out to replicas.
type Backlog struct {
	mu      sync.Mutex
	buf     []byte // circular; nil until the backlog is created
	size    int
	idx     int // next write position in buf
	histlen int
	offset  int64
	replID  string
	replID2 string
	second  int64 // second_repl_offset; -1 when there is no replID2
	feeds   map[*Feed]struct{}
}

// BacklogInfo is what INFO replication shows of the backlog.
type BacklogInfo struct {
	ReplID, ReplID2 string
	Offset          int64 // master_repl_offset
	SecondOffset    int64 // second_repl_offset
	Active          bool  // repl_backlog_active
	Size            int   // repl_backlog_size
	FirstByte       int64 // repl_backlog_first_byte_offset
	HistLen         int   // repl_backlog_histlen
}

// NewBacklog returns an inactive backlog of size bytes with replication ID
// replID (a fresh random one when empty) and offset 0, as a starting
// primary has.
func NewBacklog(size int, replID string) *Backlog {
	if size < 1 {
		size = 1
	}
	if replID == "" {
		replID = NewReplID()
	}
	return &Backlog{size: size, replID: replID, replID2: NoReplID, second: -1, feeds: map[*Feed]struct{}{}}
}

// Create allocates the buffer if it does not exist yet (Redis creates the
// backlog when the first replica connects). Bytes written before it are
// counted nowhere: the offset only moves while the backlog exists.
func (b *Backlog) Create() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.createLocked()
}

func (b *Backlog) createLocked() {
	if b.buf == nil {
		b.buf = make([]byte, b.size)
		b.idx, b.histlen = 0, 0
	}
}

// Active reports whether the backlog exists.
func (b *Backlog) Active() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf != nil
}

// Resize changes repl-backlog-size. An existing buffer is recreated empty,
// as Redis's resizeReplicationBacklog does: later PSYNCs asking for older
// bytes fall back to a full resync.
func (b *Backlog) Resize(size int) {
	if size < 1 {
		size = 1
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if size == b.size {
		return
	}
	b.size = size
	if b.buf != nil {
		b.buf = make([]byte, size)
		b.idx, b.histlen = 0, 0
	}
}

// Write appends p to the history and to every attached feed, and returns
// the offset after it. It does nothing while the backlog does not exist.
func (b *Backlog) Write(p []byte) int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf == nil {
		return b.offset
	}
	b.offset += int64(len(p))
	for f := range b.feeds {
		f.Write(p)
	}
	src := p
	if len(src) > b.size {
		src = src[len(src)-b.size:]
	}
	for len(src) > 0 {
		n := copy(b.buf[b.idx:], src)
		src = src[n:]
		b.idx = (b.idx + n) % b.size
	}
	b.histlen = min(b.histlen+len(p), b.size)
	return b.offset
}

// Offset is master_repl_offset.
func (b *Backlog) Offset() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.offset
}

// ReplID is the current replication ID.
func (b *Backlog) ReplID() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.replID
}

// Info returns the fields INFO replication prints.
func (b *Backlog) Info() BacklogInfo {
	b.mu.Lock()
	defer b.mu.Unlock()
	inf := BacklogInfo{ReplID: b.replID, ReplID2: b.replID2, Offset: b.offset, SecondOffset: b.second,
		Active: b.buf != nil, Size: b.size, HistLen: b.histlen}
	if b.buf != nil {
		inf.FirstByte = b.offset - int64(b.histlen) + 1
	}
	return inf
}

// CanContinue is Redis's masterTryPartialResynchronization test: a replica
// that last saw replID and wants the stream from offset (its own offset
// plus one) can continue when the ID is ours, or our previous one and the
// offset is not past the point where the histories split, and the bytes
// from offset on are still in the buffer.
func (b *Backlog) CanContinue(replID string, offset int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.canContinueLocked(replID, offset)
}

func (b *Backlog) canContinueLocked(replID string, offset int64) bool {
	if replID != b.replID && (replID != b.replID2 || offset > b.second) {
		return false
	}
	if b.buf == nil {
		return false
	}
	first := b.offset - int64(b.histlen) + 1
	return offset >= first && offset <= b.offset+1
}

// CopyFrom returns a copy of the stream bytes from offset (inclusive) to
// the end, and false when they are not all in the buffer.
func (b *Backlog) CopyFrom(offset int64) ([]byte, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.copyFromLocked(offset)
}

func (b *Backlog) copyFromLocked(offset int64) ([]byte, bool) {
	if b.buf == nil {
		return nil, false
	}
	first := b.offset - int64(b.histlen) + 1
	if offset < first || offset > b.offset+1 {
		return nil, false
	}
	n := int(b.offset + 1 - offset)
	out := make([]byte, n)
	start := (b.idx - n + b.size) % b.size
	k := copy(out, b.buf[start:])
	if k < n {
		copy(out[k:], b.buf[:n-k])
	}
	return out, true
}

// AttachContinue attaches f for a partial resync: if the replica with
// replID wanting offset can continue, the bytes it misses are queued in f
// and f receives every later write. It returns the current replication ID
// (for +CONTINUE) and whether the replica was attached.
func (b *Backlog) AttachContinue(f *Feed, replID string, offset int64) (string, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.canContinueLocked(replID, offset) {
		return "", false
	}
	missing, _ := b.copyFromLocked(offset)
	f.Write(missing)
	b.feeds[f] = struct{}{}
	return b.replID, true
}

// AttachAt attaches the feeds for a full resync starting now: it creates
// the backlog if needed and returns the replication ID and offset the
// replicas start from (+FULLRESYNC); feeds attached in one call start at
// the same offset (replicas sharing one snapshot). The caller makes sure
// nothing is propagated between the snapshot's epoch and this call (it
// holds every shard lock).
func (b *Backlog) AttachAt(fs ...*Feed) (string, int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.createLocked()
	for _, f := range fs {
		b.feeds[f] = struct{}{}
	}
	return b.replID, b.offset
}

// Detach stops feeding f.
func (b *Backlog) Detach(f *Feed) {
	b.mu.Lock()
	delete(b.feeds, f)
	b.mu.Unlock()
}

// DetachAll stops feeding every replica and closes their feeds (a replica
// that does a full sync from a new primary drops its own replicas: their
// history is no longer its history).
func (b *Backlog) DetachAll() {
	b.mu.Lock()
	feeds := b.feeds
	b.feeds = map[*Feed]struct{}{}
	b.mu.Unlock()
	for f := range feeds {
		f.Close()
	}
}

// ResetTo makes the history the primary's after a full sync: its ID, no
// previous ID, the offset the payload was taken at, an empty buffer.
func (b *Backlog) ResetTo(replID string, offset int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.replID, b.replID2, b.second = replID, NoReplID, -1
	b.offset = offset
	b.buf = nil
	b.createLocked()
}

// Rebase is a restarted primary's loadDataFromDisk with the replication
// state saved with its data: the saved history (replID at offset) becomes
// the previous one, valid up to offset+1, so that replicas which had
// reached offset continue with a partial resync; the current ID stays, the
// offset continues from the saved one, and the buffer is created empty.
func (b *Backlog) Rebase(replID string, offset int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.replID2, b.second = replID, offset+1
	b.offset = offset
	b.buf = nil
	b.createLocked()
}

// Shift starts a new history that continues the current one (Redis's
// shiftReplicationId): the current ID becomes the previous one, valid up to
// the current offset, and id (a new random one when empty) the current.
// A promoted replica calls it, and a replica whose primary answered
// +CONTINUE with a new ID.
func (b *Backlog) Shift(id string) {
	if id == "" {
		id = NewReplID()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.replID2, b.second = b.replID, b.offset+1
	b.replID = id
}
