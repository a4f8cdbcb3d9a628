package stream

import (
	"encoding/binary"
	"errors"
	"sort"

	"github.com/vireodb/vireo/datatypes/num"
)

// Errors of Add, in Redis's streamAppendItem terms.
var (
	// ErrIDTooSmall: the ID is not greater than the stream's last ID
	// (EDOM), or "ms-*" cannot get a sequence after the last ID.
	ErrIDTooSmall = errors.New("stream: ID equal or smaller than the top item")
	// ErrTooLarge: the fields and values are too big for one node (ERANGE).
	ErrTooLarge = errors.New("stream: elements too large")
)

// InvalidEntriesRead is a group's entries-read when it is unknown
// (SCG_INVALID_ENTRIES_READ).
const InvalidEntriesRead int64 = -1

// maxNodeBytes is STREAM_LISTPACK_MAX_SIZE: no listpack grows past 1 GiB.
const maxNodeBytes = 1 << 30

// Entry flags as Redis stores them in a node (STREAM_ITEM_FLAG_*).
const (
	flagDeleted    = 1
	flagSameFields = 2
)

// entry is one entry of a node. data packs its fields and values as
// uvarint-length-prefixed strings: the values only when the entry's field
// names are the node's master fields (sameFields), else a uvarint count of
// pairs followed by field, value, field, value...
type entry struct {
	id         ID
	data       []byte
	deleted    bool
	sameFields bool
}

// node mirrors one of Redis's radix-tree listpacks (see doc.go).
type node struct {
	master  ID       // the ID of the entry that created the node (its rax key)
	fields  [][]byte // the master fields
	entries []entry  // in ID order, deleted ones included
	live    int      // entries not deleted
	lpBytes int      // the size the node's Redis listpack has
}

// Limits are the node thresholds (stream-node-max-bytes and
// stream-node-max-entries); 0 means no limit.
type Limits struct {
	NodeMaxBytes   int
	NodeMaxEntries int64
}

// Stream is a stream value. The zero value is not usable: call New.
type Stream struct {
	nodes        *ordered[*node]
	length       uint64
	lastID       ID
	firstID      ID
	maxDeletedID ID
	entriesAdded uint64
	groups       *ordered[*Group] // by name
}

func nodeLess(a, b *node) bool { return a.master.Less(b.master) }

// New returns an empty stream.
func New() *Stream {
	return &Stream{nodes: newOrdered(nodeLess)}
}

// Len is the number of entries (XLEN).
func (s *Stream) Len() uint64 { return s.length }

// LastID is the greatest ID ever added (or set by XSETID).
func (s *Stream) LastID() ID { return s.lastID }

// FirstID is the ID of the first entry, 0-0 when empty.
func (s *Stream) FirstID() ID { return s.firstID }

// MaxDeletedID is the greatest ID removed by XDEL (or set by XSETID).
func (s *Stream) MaxDeletedID() ID { return s.maxDeletedID }

// EntriesAdded counts every entry ever added to the stream.
func (s *Stream) EntriesAdded() uint64 { return s.entriesAdded }

// SetLastID sets the last ID (XSETID, RDB load); the caller checks it is not
// below the greatest entry.
func (s *Stream) SetLastID(id ID) { s.lastID = id }

// SetEntriesAdded sets the entries-added counter (XSETID, RDB load).
func (s *Stream) SetEntriesAdded(n uint64) { s.entriesAdded = n }

// SetMaxDeletedID sets the greatest deleted ID (XSETID, RDB load).
func (s *Stream) SetMaxDeletedID(id ID) { s.maxDeletedID = id }

// NumNodes is the number of nodes (XINFO STREAM's radix-tree-keys).
func (s *Stream) NumNodes() int { return s.nodes.Len() }

// --- sizes of the Redis listpack, to place node boundaries like Redis ---

// lpIntSize is the bytes an integer element takes in a listpack (encoding
// and backlen).
func lpIntSize(v int64) int {
	switch {
	case v >= 0 && v <= 127:
		return 2
	case v >= -4096 && v <= 4095:
		return 3
	case v >= -32768 && v <= 32767:
		return 4
	case v >= -8388608 && v <= 8388607:
		return 5
	case v >= -2147483648 && v <= 2147483647:
		return 6
	}
	return 10
}

// lpStrSize is the bytes a string element takes (integers in canonical form
// are stored as integers, as lpAppend does).
func lpStrSize(v []byte) int {
	if iv, ok := num.ParseInt(v); ok {
		return lpIntSize(iv)
	}
	n := len(v)
	var enc int
	switch {
	case n < 64:
		enc = 1 + n
	case n < 4096:
		enc = 2 + n
	default:
		enc = 5 + n
	}
	switch {
	case enc <= 127:
		return enc + 1
	case enc < 16383:
		return enc + 2
	case enc < 2097151:
		return enc + 3
	case enc < 268435455:
		return enc + 4
	}
	return enc + 5
}

const lpEmptySize = 7 // header (6) and end byte

// --- packing ---

func appendPacked(dst []byte, v []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(v)))
	return append(dst, v...)
}

// unpack appends e's field/value pairs to dst, aliasing the node's memory.
func (n *node) unpack(e *entry, dst [][]byte) [][]byte {
	d := e.data
	next := func() []byte {
		l, k := binary.Uvarint(d)
		v := d[k : k+int(l)]
		d = d[k+int(l):]
		return v
	}
	if e.sameFields {
		for _, f := range n.fields {
			dst = append(dst, f, next())
		}
		return dst
	}
	cnt, k := binary.Uvarint(d)
	d = d[k:]
	for i := uint64(0); i < cnt; i++ {
		f := next()
		dst = append(dst, f, next())
	}
	return dst
}

// --- adding ---

// AddID says which ID Add gives the new entry.
type AddID struct {
	Auto    bool // "*": from the clock
	ID      ID   // the explicit ID (its Ms alone when SeqAuto)
	SeqAuto bool // "ms-*": the sequence is generated
}

// Add appends an entry with the fields and values fv (field, value, ...) and
// returns its ID. nowMs is the clock for an automatic ID. The caller has
// checked that fv is not empty and has an even length, and that the stream's
// last ID is not MaxID.
func (s *Stream) Add(req AddID, fv [][]byte, nowMs uint64, lim Limits) (ID, error) {
	var id ID
	switch {
	case req.Auto:
		if nowMs > s.lastID.Ms {
			id = ID{nowMs, 0}
		} else {
			var ok bool
			if id, ok = s.lastID.Incr(); !ok {
				return ID{}, ErrIDTooSmall
			}
		}
	case req.SeqAuto:
		if s.lastID.Ms == req.ID.Ms {
			if s.lastID.Seq == ^uint64(0) {
				return ID{}, ErrIDTooSmall
			}
			id = ID{req.ID.Ms, s.lastID.Seq + 1}
		} else {
			id = ID{req.ID.Ms, 0}
		}
	default:
		id = req.ID
	}
	if id.Cmp(s.lastID) <= 0 {
		return ID{}, ErrIDTooSmall
	}
	total := 0
	for _, v := range fv {
		total += len(v)
	}
	if total > maxNodeBytes {
		return ID{}, ErrTooLarge
	}
	s.appendEntry(id, fv, total, lim)
	s.length++
	s.entriesAdded++
	s.lastID = id
	if s.length == 1 {
		s.firstID = id
	}
	return id, nil
}

// tail is the last node, nil when there is none.
func (s *Stream) tail() *node {
	n, _ := s.nodes.Max()
	return n
}

func (s *Stream) appendEntry(id ID, fv [][]byte, total int, lim Limits) {
	n := s.tail()
	if n != nil {
		maxBytes := lim.NodeMaxBytes
		if maxBytes <= 0 || maxBytes > maxNodeBytes {
			maxBytes = maxNodeBytes
		}
		if n.lpBytes+total >= maxBytes ||
			(lim.NodeMaxEntries > 0 && int64(len(n.entries)) >= lim.NodeMaxEntries) {
			n = nil
		}
	}
	if n == nil {
		n = newNode(id, everyOther(fv))
		s.nodes.Set(n)
	}
	n.appendEntry(id, fv)
}

// newNode starts a node whose master entry has the given fields.
func newNode(master ID, fields [][]byte) *node {
	n := &node{master: master, fields: make([][]byte, len(fields))}
	// Master entry: live count, deleted count, number of fields, the
	// fields, and the zero terminator.
	n.lpBytes = lpEmptySize + lpIntSize(0) + lpIntSize(0) + lpIntSize(int64(len(fields))) + lpIntSize(0)
	for i, f := range fields {
		n.fields[i] = append([]byte(nil), f...)
		n.lpBytes += lpStrSize(f)
	}
	return n
}

// appendEntry adds an entry after the node's last one, as streamAppendItem
// lays it out: flags, ms delta, seq delta, [number of fields, fields,]
// values, lp-count.
func (n *node) appendEntry(id ID, fv [][]byte) {
	n.lpBytes += lpIntSize(int64(n.live+1)) - lpIntSize(int64(n.live))
	numFields := len(fv) / 2
	same := len(n.fields) == numFields
	for i := 0; same && i < numFields; i++ {
		same = string(n.fields[i]) == string(fv[2*i])
	}
	flags := int64(0)
	if same {
		flags = flagSameFields
	}
	size := lpIntSize(flags) + lpIntSize(int64(id.Ms-n.master.Ms)) + lpIntSize(int64(id.Seq-n.master.Seq))
	lpCount := int64(numFields + 3)
	var data []byte
	if same {
		for i := 0; i < numFields; i++ {
			data = appendPacked(data, fv[2*i+1])
			size += lpStrSize(fv[2*i+1])
		}
	} else {
		lpCount += int64(numFields + 1)
		size += lpIntSize(int64(numFields))
		data = binary.AppendUvarint(data, uint64(numFields))
		for _, v := range fv {
			data = appendPacked(data, v)
			size += lpStrSize(v)
		}
	}
	size += lpIntSize(lpCount)
	n.entries = append(n.entries, entry{id: id, data: data, sameFields: same})
	n.live++
	n.lpBytes += size
}

// --- lookup and iteration ---

// nodeFor is the node whose range may hold id: the one with the greatest
// master ID not above id, or the first node.
func (s *Stream) nodeFor(id ID) *node {
	var found *node
	s.nodes.Descend(&node{master: id}, func(n *node) bool {
		found = n
		return false
	})
	if found == nil {
		found, _ = s.nodes.Min()
	}
	return found
}

// search is the index of the first entry of n with an ID >= id.
func (n *node) search(id ID) int {
	return sort.Search(len(n.entries), func(i int) bool { return n.entries[i].id.Cmp(id) >= 0 })
}

// Range calls fn for each entry with start <= ID <= end, in ascending order
// (descending when rev), until fn returns false. fv holds field, value, ...
// and aliases the stream: valid only during the call.
func (s *Stream) Range(start, end ID, rev bool, fn func(id ID, fv [][]byte) bool) {
	if s.length == 0 || start.Cmp(end) > 0 {
		return
	}
	var scratch [][]byte
	if !rev {
		first := s.nodeFor(start)
		if first == nil {
			return
		}
		s.nodes.Ascend(first, func(n *node) bool {
			for i := n.search(start); i < len(n.entries); i++ {
				e := &n.entries[i]
				if e.id.Cmp(end) > 0 {
					return false
				}
				if e.deleted {
					continue
				}
				scratch = n.unpack(e, scratch[:0])
				if !fn(e.id, scratch) {
					return false
				}
			}
			return true
		})
		return
	}
	last := s.nodeFor(end)
	if last == nil {
		return
	}
	s.nodes.Descend(last, func(n *node) bool {
		i := n.search(end)
		if i == len(n.entries) || n.entries[i].id.Cmp(end) > 0 {
			i--
		}
		for ; i >= 0; i-- {
			e := &n.entries[i]
			if e.id.Cmp(start) < 0 {
				return false
			}
			if e.deleted {
				continue
			}
			scratch = n.unpack(e, scratch[:0])
			if !fn(e.id, scratch) {
				return false
			}
		}
		return true
	})
}

// Get returns the fields and values of the entry id (a fresh slice aliasing
// the stream), or false.
func (s *Stream) Get(id ID) ([][]byte, bool) {
	n := s.nodeFor(id)
	if n == nil {
		return nil, false
	}
	i := n.search(id)
	if i == len(n.entries) || n.entries[i].id != id || n.entries[i].deleted {
		return nil, false
	}
	return n.unpack(&n.entries[i], nil), true
}

// Exists reports whether the entry id is in the stream.
func (s *Stream) Exists(id ID) bool {
	n := s.nodeFor(id)
	if n == nil {
		return false
	}
	i := n.search(id)
	return i < len(n.entries) && n.entries[i].id == id && !n.entries[i].deleted
}

// edge finds the first (or last) live entry's ID.
func (s *Stream) edge(last bool) (ID, bool) {
	var id ID
	found := false
	s.Range(ID{}, MaxID, last, func(eid ID, _ [][]byte) bool {
		id, found = eid, true
		return false
	})
	return id, found
}

// LastEntryID is the ID of the last entry (not LastID, which may be
// greater), and false when the stream is empty.
func (s *Stream) LastEntryID() (ID, bool) { return s.edge(true) }

func (s *Stream) refreshFirstID() {
	if s.length == 0 {
		s.firstID = ID{}
		return
	}
	s.firstID, _ = s.edge(false)
}

// --- deleting and trimming ---

// markDeleted marks entry i of n deleted, keeping the node's size in step.
func (n *node) markDeleted(i int) {
	deleted := len(n.entries) - n.live
	n.lpBytes += lpIntSize(int64(n.live-1)) - lpIntSize(int64(n.live))
	n.lpBytes += lpIntSize(int64(deleted+1)) - lpIntSize(int64(deleted))
	n.entries[i].deleted = true
	n.live--
}

// Delete removes the entries with the given IDs (XDEL) and returns how many
// existed. The greatest removed ID raises MaxDeletedID.
func (s *Stream) Delete(ids ...ID) int {
	deleted := 0
	for _, id := range ids {
		n := s.nodeFor(id)
		if n == nil {
			continue
		}
		i := n.search(id)
		if i == len(n.entries) || n.entries[i].id != id || n.entries[i].deleted {
			continue
		}
		n.markDeleted(i)
		if n.live == 0 {
			s.nodes.Delete(n)
		}
		s.length--
		deleted++
		if id.Cmp(s.maxDeletedID) > 0 {
			s.maxDeletedID = id
		}
	}
	if deleted > 0 {
		s.refreshFirstID()
	}
	return deleted
}

// TrimStrategy is XTRIM's MAXLEN or MINID.
type TrimStrategy uint8

const (
	TrimNone TrimStrategy = iota
	TrimMaxLen
	TrimMinID
)

// TrimArgs is a trim request (streamAddTrimArgs).
type TrimArgs struct {
	Strategy TrimStrategy
	MaxLen   uint64
	MinID    ID
	Approx   bool  // "~": whole nodes only
	Limit    int64 // with Approx: at most this many entries (0: no limit)
}

// Trim removes entries from the head (streamTrim) and returns how many.
// An approximate trim removes only whole nodes, as Redis does.
func (s *Stream) Trim(a TrimArgs) int64 {
	if a.Strategy == TrimNone {
		return 0
	}
	var deleted int64
	for {
		if a.Strategy == TrimMaxLen && s.length <= a.MaxLen {
			break
		}
		n, ok := s.nodes.Min()
		if !ok {
			break
		}
		entries := int64(n.live)
		if a.Limit > 0 && deleted+entries > a.Limit {
			break
		}
		var remove bool
		if a.Strategy == TrimMaxLen {
			remove = s.length-uint64(entries) >= a.MaxLen
		} else {
			remove = n.entries[len(n.entries)-1].id.Cmp(a.MinID) < 0
		}
		if remove {
			s.nodes.Delete(n)
			s.length -= uint64(entries)
			deleted += entries
			continue
		}
		if a.Approx {
			break
		}
		for i := range n.entries {
			e := &n.entries[i]
			var stop bool
			if a.Strategy == TrimMaxLen {
				stop = s.length <= a.MaxLen
			} else {
				stop = e.id.Cmp(a.MinID) >= 0
			}
			if stop {
				break
			}
			if !e.deleted {
				n.markDeleted(i)
				s.length--
				deleted++
			}
		}
		break
	}
	if deleted > 0 {
		s.refreshFirstID()
	}
	return deleted
}

// --- whole-node access for persistence ---

// NodeView is one node as Redis would store it: its master ID and fields,
// and its entries, deleted ones included (RDB writes them too).
type NodeView struct {
	Master       ID
	MasterFields [][]byte
	n            *node
}

// EachEntry calls fn for every entry of the node, deleted ones included, in
// ID order. fv aliases the stream: valid only during the call.
func (v NodeView) EachEntry(fn func(id ID, fv [][]byte, deleted, sameFields bool) bool) {
	var scratch [][]byte
	for i := range v.n.entries {
		e := &v.n.entries[i]
		scratch = v.n.unpack(e, scratch[:0])
		if !fn(e.id, scratch, e.deleted, e.sameFields) {
			return
		}
	}
}

// Nodes calls fn for every node in ID order.
func (s *Stream) Nodes(fn func(v NodeView) bool) {
	s.nodes.Scan(func(n *node) bool {
		return fn(NodeView{Master: n.master, MasterFields: n.fields, n: n})
	})
}

// LoadNode appends a node read from an RDB file: entries in ID order, all
// greater than the stream's existing ones; the first entry's fields become
// the master fields unless masterFields is given. It updates Len and
// FirstID, but not LastID, EntriesAdded or MaxDeletedID (set those after).
// Each loaded entry is (id, fv, deleted).
func (s *Stream) LoadNode(masterFields [][]byte, ids []ID, fvs [][][]byte, deleted []bool) {
	if len(ids) == 0 {
		return
	}
	if masterFields == nil {
		masterFields = everyOther(fvs[0])
	}
	n := newNode(ids[0], masterFields)
	for i, id := range ids {
		n.appendEntry(id, fvs[i])
		if deleted[i] {
			n.markDeleted(len(n.entries) - 1)
		} else {
			s.length++
		}
	}
	if n.live > 0 {
		s.nodes.Set(n)
	}
	s.refreshFirstID()
}

func everyOther(fv [][]byte) [][]byte {
	out := make([][]byte, 0, len(fv)/2)
	for i := 0; i+1 < len(fv); i += 2 {
		out = append(out, fv[i])
	}
	return out
}

// HeadID is the ID of the first entry of the first node, a deleted one
// included, or MaxID when the stream has no entries; Redis propagates it
// as the MINID an approximate trim left (streamGetEdgeID without skipping
// tombstones).
func (s *Stream) HeadID() ID {
	n, ok := s.nodes.Min()
	if !ok {
		return MaxID
	}
	return n.entries[0].id
}

// MemoryUsage estimates the bytes the stream holds (MEMORY USAGE): nodes
// with their entries and packed data, and the groups' PELs and consumers.
func (s *Stream) MemoryUsage() int {
	const entrySize = 48 // ID, data slice header, flags
	total := 96          // the Stream struct and its containers
	s.nodes.Scan(func(n *node) bool {
		total += 96 + cap(n.entries)*entrySize
		for _, f := range n.fields {
			total += 24 + cap(f)
		}
		for i := range n.entries {
			total += cap(n.entries[i].data)
		}
		return true
	})
	s.Groups(func(g *Group) bool {
		total += 96 + len(g.name) + g.pel.Len()*(48+8)
		g.consumers.Scan(func(c *Consumer) bool {
			total += 80 + len(c.name) + c.pel.Len()*8
			return true
		})
		return true
	})
	return total
}
