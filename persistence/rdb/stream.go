package rdb

// The stream value codec. A stream is written as redis-server 7.0 writes it
// (RDB_TYPE_STREAM_LISTPACKS_2), byte for byte:
//
//	<number of nodes>
//	  per node: <master ID, 16 bytes big endian, as a string> <node listpack as a string>
//	<length> <last ID ms> <last ID seq>
//	<first ID ms> <first ID seq> <max deleted ID ms> <max deleted ID seq> <entries added>
//	<number of groups>
//	  per group: <name> <last ID ms> <last ID seq> <entries read>
//	    <global PEL size> per entry: <ID, 16 raw bytes> <delivery time, 8 bytes LE> <delivery count>
//	    <number of consumers>
//	      per consumer: <name> <seen time, 8 bytes LE> [<active time, 8 bytes LE>: type 21 only]
//	        <PEL size> per entry: <ID, 16 raw bytes>
//
// Numbers are RDB lengths; the first-ID ... entries-added line and the
// groups' entries-read are absent in type 15 (Redis 5-6.2), and type 21
// (Redis 7.2) adds each consumer's active time.
//
// A node's listpack has Redis's stream layout (t_stream.c): the master entry
// (live count, deleted count, number of master fields, the fields, 0), then
// per entry: flags (1 deleted, 2 same fields as the master), ms and seq
// deltas from the master ID, [number of fields, then field, value pairs |
// only the values when the fields are the master's], and lp-count, the
// number of elements of the entry before it (so the node can be walked
// backwards).
//
// Reading checks everything a hostile payload can get wrong: listpack
// integrity, the node layout and its counts, IDs strictly ascending across
// all nodes and not above the last ID, the length equal to the live
// entries, unique group and consumer names, unique PEL IDs, every consumer
// PEL ID present in its group's PEL and owned by one consumer only, and
// every group PEL entry owned by a consumer.

import (
	"encoding/binary"
	"fmt"

	"github.com/vireodb/vireo/datatypes/keyspace"
	listpackfmt "github.com/vireodb/vireo/datatypes/listpack"
	"github.com/vireodb/vireo/datatypes/stream"
)

func init() {
	Register(keyspace.TypeStream, encodeStream, decodeStream,
		TypeStreamListpacks, TypeStreamListpacks2, TypeStreamListpacks3)
}

// Stream entry flags in a node listpack (STREAM_ITEM_FLAG_*).
const (
	streamFlagDeleted    = 1
	streamFlagSameFields = 2
)

func appendStreamID(dst []byte, id stream.ID) []byte {
	dst = binary.BigEndian.AppendUint64(dst, id.Ms)
	return binary.BigEndian.AppendUint64(dst, id.Seq)
}

func parseStreamID(b []byte) stream.ID {
	return stream.ID{Ms: binary.BigEndian.Uint64(b), Seq: binary.BigEndian.Uint64(b[8:])}
}

// appendMillis writes a time as rdbSaveMillisecondTime: 8 bytes little endian.
func appendMillis(dst []byte, ms int64) []byte {
	return binary.LittleEndian.AppendUint64(dst, uint64(ms))
}

func encodeStream(e *keyspace.Entry, dst []byte, compress bool) (byte, []byte, error) {
	s, ok := e.Obj.(*stream.Stream)
	if !ok || s == nil {
		return 0, dst, fmt.Errorf("rdb: stream entry holds %T, not *stream.Stream", e.Obj)
	}
	return TypeStreamListpacks2, appendStreamAs(dst, s, TypeStreamListpacks2, compress), nil
}

// appendStreamAs appends s as an RDB object body of type typ (one of the
// three stream types): 19 is what DUMP writes (RDB 10); 15 and 21 exist
// for RDB files of other versions and for tests of the decoder.
func appendStreamAs(dst []byte, s *stream.Stream, typ byte, compress bool) []byte {
	dst = AppendLen(dst, uint64(s.NumNodes()))
	var key []byte
	s.Nodes(func(v stream.NodeView) bool {
		key = appendStreamID(key[:0], v.Master)
		dst = AppendString(dst, key, compress)
		dst = AppendString(dst, streamNodeListpack(v), compress)
		return true
	})
	dst = AppendLen(dst, s.Len())
	last := s.LastID()
	dst = AppendLen(dst, last.Ms)
	dst = AppendLen(dst, last.Seq)
	if typ == TypeStreamListpacks {
		return appendStreamGroups(dst, s, typ, compress)
	}
	first := s.FirstID()
	dst = AppendLen(dst, first.Ms)
	dst = AppendLen(dst, first.Seq)
	maxDel := s.MaxDeletedID()
	dst = AppendLen(dst, maxDel.Ms)
	dst = AppendLen(dst, maxDel.Seq)
	dst = AppendLen(dst, s.EntriesAdded())
	return appendStreamGroups(dst, s, typ, compress)
}

func appendStreamGroups(dst []byte, s *stream.Stream, typ byte, compress bool) []byte {
	dst = AppendLen(dst, uint64(s.NumGroups()))
	s.Groups(func(g *stream.Group) bool {
		dst = AppendString(dst, []byte(g.Name()), compress)
		dst = AppendLen(dst, g.LastID.Ms)
		dst = AppendLen(dst, g.LastID.Seq)
		if typ != TypeStreamListpacks {
			// entries-read is a long long; -1 (unknown) goes out as 2^64-1.
			dst = AppendLen(dst, uint64(g.EntriesRead))
		}
		dst = AppendLen(dst, uint64(g.PendingLen()))
		g.RangePending(stream.ID{}, stream.MaxID, func(p *stream.Pending) bool {
			dst = appendStreamID(dst, p.ID)
			dst = appendMillis(dst, p.DeliveryTime)
			dst = AppendLen(dst, p.DeliveryCount)
			return true
		})
		dst = AppendLen(dst, uint64(g.NumConsumers()))
		g.Consumers(func(c *stream.Consumer) bool {
			dst = AppendString(dst, []byte(c.Name()), compress)
			dst = appendMillis(dst, c.SeenTime)
			if typ == TypeStreamListpacks3 {
				dst = appendMillis(dst, c.ActiveTime)
			}
			dst = AppendLen(dst, uint64(c.PendingLen()))
			c.RangePending(stream.ID{}, stream.MaxID, func(p *stream.Pending) bool {
				dst = appendStreamID(dst, p.ID)
				return true
			})
			return true
		})
		return true
	})
	return dst
}

// streamNodeListpack builds a node's listpack as streamAppendItem leaves it
// (lpReplaceInteger of the counts and flags gives the same bytes as
// appending the final values, listpack encodings being canonical).
func streamNodeListpack(v stream.NodeView) []byte {
	live, deleted := 0, 0
	v.EachEntry(func(_ stream.ID, _ [][]byte, del, _ bool) bool {
		if del {
			deleted++
		} else {
			live++
		}
		return true
	})
	lp := listpackfmt.New()
	lp = listpackfmt.AppendInt(lp, int64(live))
	lp = listpackfmt.AppendInt(lp, int64(deleted))
	lp = listpackfmt.AppendInt(lp, int64(len(v.MasterFields)))
	for _, f := range v.MasterFields {
		lp = listpackfmt.Append(lp, f)
	}
	lp = listpackfmt.AppendInt(lp, 0)
	v.EachEntry(func(id stream.ID, fv [][]byte, del, same bool) bool {
		var flags int64
		if del {
			flags |= streamFlagDeleted
		}
		if same {
			flags |= streamFlagSameFields
		}
		lp = listpackfmt.AppendInt(lp, flags)
		// Deltas are computed in unsigned arithmetic and stored as int64,
		// as Redis does: a seq delta may be "negative".
		lp = listpackfmt.AppendInt(lp, int64(id.Ms-v.Master.Ms))
		lp = listpackfmt.AppendInt(lp, int64(id.Seq-v.Master.Seq))
		numFields := len(fv) / 2
		lpCount := int64(numFields + 3)
		if same {
			for i := 1; i < len(fv); i += 2 {
				lp = listpackfmt.Append(lp, fv[i])
			}
		} else {
			lp = listpackfmt.AppendInt(lp, int64(numFields))
			for _, x := range fv {
				lp = listpackfmt.Append(lp, x)
			}
			lpCount += int64(numFields + 1)
		}
		lp = listpackfmt.AppendInt(lp, lpCount)
		return true
	})
	return lp
}

func streamErr(format string, args ...any) error {
	return fmt.Errorf("rdb: stream: %s: %w", fmt.Sprintf(format, args...), ErrBadFormat)
}

func decodeStream(typ byte, d *Decoder, _ Limits) (keyspace.Entry, error) {
	if typ != TypeStreamListpacks && typ != TypeStreamListpacks2 && typ != TypeStreamListpacks3 {
		return keyspace.Entry{}, fmt.Errorf("rdb: object type %d is not a stream: %w", typ, ErrBadFormat)
	}
	s, err := decodeStreamBody(typ, d)
	if err != nil {
		return keyspace.Entry{}, err
	}
	return keyspace.Entry{Type: keyspace.TypeStream, Enc: keyspace.EncStream, Obj: s}, nil
}

func (d *Decoder) readStreamID(what string) (stream.ID, error) {
	var b [16]byte
	if err := d.read(b[:], what); err != nil {
		return stream.ID{}, err
	}
	return parseStreamID(b[:]), nil
}

func (d *Decoder) readLenID() (stream.ID, error) {
	ms, err := d.ReadLen()
	if err != nil {
		return stream.ID{}, err
	}
	seq, err := d.ReadLen()
	if err != nil {
		return stream.ID{}, err
	}
	return stream.ID{Ms: ms, Seq: seq}, nil
}

func (d *Decoder) readMillis(what string) (int64, error) {
	var b [8]byte
	if err := d.read(b[:], what); err != nil {
		return 0, err
	}
	return int64(binary.LittleEndian.Uint64(b[:])), nil
}

func decodeStreamBody(typ byte, d *Decoder) (*stream.Stream, error) {
	numNodes, err := d.ReadLen()
	if err != nil {
		return nil, err
	}
	s := stream.New()
	var live uint64
	var prev stream.ID
	havePrev := false
	for i := uint64(0); i < numNodes; i++ {
		key, err := d.ReadString()
		if err != nil {
			return nil, err
		}
		if len(key) != 16 {
			return nil, streamErr("node key of %d bytes", len(key))
		}
		lp, err := d.ReadString()
		if err != nil {
			return nil, err
		}
		node, err := parseStreamNode(parseStreamID(key), lp)
		if err != nil {
			return nil, err
		}
		if havePrev && node.ids[0].Cmp(prev) <= 0 {
			return nil, streamErr("node %s not after the previous entries", node.ids[0])
		}
		prev, havePrev = node.ids[len(node.ids)-1], true
		live += uint64(node.live)
		s.LoadNode(node.masterFields, node.ids, node.fvs, node.deleted)
	}
	length, err := d.ReadLen()
	if err != nil {
		return nil, err
	}
	if length != live {
		return nil, streamErr("length %d but %d live entries", length, live)
	}
	lastID, err := d.readLenID()
	if err != nil {
		return nil, err
	}
	if havePrev && lastID.Cmp(prev) < 0 {
		return nil, streamErr("last ID %s below entry %s", lastID, prev)
	}
	s.SetLastID(lastID)
	if typ >= TypeStreamListpacks2 {
		// The stored first ID is what Redis keeps in s->first_id; Vireo
		// derives it from the entries (LoadNode did), which gives the same
		// value for any stream Redis wrote.
		if _, err := d.readLenID(); err != nil {
			return nil, err
		}
		maxDel, err := d.readLenID()
		if err != nil {
			return nil, err
		}
		added, err := d.ReadLen()
		if err != nil {
			return nil, err
		}
		if added < length {
			return nil, streamErr("entries added %d below length %d", added, length)
		}
		s.SetMaxDeletedID(maxDel)
		s.SetEntriesAdded(added)
	} else {
		// Redis 5-6.2 kept no counters: Redis 7 assumes nothing was deleted.
		s.SetEntriesAdded(length)
	}

	numGroups, err := d.ReadLen()
	if err != nil {
		return nil, err
	}
	for i := uint64(0); i < numGroups; i++ {
		if err := decodeStreamGroup(d, typ, s); err != nil {
			return nil, err
		}
	}
	// What follows the value (a DUMP footer, the next key) is the caller's.
	return s, nil
}

func decodeStreamGroup(d *Decoder, typ byte, s *stream.Stream) error {
	name, err := d.ReadString()
	if err != nil {
		return err
	}
	lastID, err := d.readLenID()
	if err != nil {
		return err
	}
	entriesRead := stream.InvalidEntriesRead
	if typ >= TypeStreamListpacks2 {
		n, err := d.ReadLen()
		if err != nil {
			return err
		}
		entriesRead = int64(n)
		if entriesRead < stream.InvalidEntriesRead {
			return streamErr("group %q entries read %d", name, entriesRead)
		}
	} else {
		entriesRead = s.EstimateDistance(lastID)
	}
	g := s.CreateGroup(name, lastID, entriesRead)
	if g == nil {
		return streamErr("duplicate group %q", name)
	}

	// The group PEL comes first, its owners after: hold the entries until
	// their consumer is read.
	type nack struct {
		time  int64
		count uint64
		owned bool
	}
	pelSize, err := d.ReadLen()
	if err != nil {
		return err
	}
	pel := map[stream.ID]*nack{}
	for j := uint64(0); j < pelSize; j++ {
		id, err := d.readStreamID("PEL ID")
		if err != nil {
			return err
		}
		t, err := d.readMillis("delivery time")
		if err != nil {
			return err
		}
		count, err := d.ReadLen()
		if err != nil {
			return err
		}
		if pel[id] != nil {
			return streamErr("group %q: duplicate PEL entry %s", name, id)
		}
		pel[id] = &nack{time: t, count: count}
	}

	numConsumers, err := d.ReadLen()
	if err != nil {
		return err
	}
	owned := uint64(0)
	for j := uint64(0); j < numConsumers; j++ {
		cname, err := d.ReadString()
		if err != nil {
			return err
		}
		seen, err := d.readMillis("seen time")
		if err != nil {
			return err
		}
		active := seen // Redis 7.2's best estimate for older payloads
		if typ >= TypeStreamListpacks3 {
			if active, err = d.readMillis("active time"); err != nil {
				return err
			}
		}
		c := g.CreateConsumer(cname, seen)
		if c == nil {
			return streamErr("group %q: duplicate consumer %q", name, cname)
		}
		c.ActiveTime = active
		n, err := d.ReadLen()
		if err != nil {
			return err
		}
		for k := uint64(0); k < n; k++ {
			id, err := d.readStreamID("consumer PEL ID")
			if err != nil {
				return err
			}
			p := pel[id]
			if p == nil {
				return streamErr("group %q consumer %q: PEL entry %s not in the group PEL", name, cname, id)
			}
			if p.owned {
				return streamErr("group %q: PEL entry %s owned twice", name, id)
			}
			p.owned = true
			owned++
			g.AddPending(id, c, p.time, p.count)
		}
	}
	if owned != pelSize {
		return streamErr("group %q: %d PEL entries without a consumer", name, pelSize-owned)
	}
	return nil
}

// loadedNode is one node read from a listpack, ready for stream.LoadNode.
type loadedNode struct {
	masterFields [][]byte
	ids          []stream.ID
	fvs          [][][]byte
	deleted      []bool
	live         int
}

// parseStreamNode checks a node listpack (streamValidateListpackIntegrity,
// plus ascending IDs) and reads its entries.
func parseStreamNode(master stream.ID, lp []byte) (*loadedNode, error) {
	var elems []listpackfmt.Entry
	if err := listpackRange(lp, func(e listpackfmt.Entry) error {
		elems = append(elems, e)
		return nil
	}); err != nil {
		return nil, err
	}
	pos := 0
	nextInt := func(what string) (int64, error) {
		if pos >= len(elems) {
			return 0, streamErr("node ends before its %s", what)
		}
		e := elems[pos]
		pos++
		if e.IsInt {
			return e.Int, nil
		}
		if v, ok := parseRedisInt(e.Str); ok {
			return v, nil
		}
		return 0, streamErr("node %s is not an integer", what)
	}
	nextStr := func(what string) ([]byte, error) {
		if pos >= len(elems) {
			return nil, streamErr("node ends before its %s", what)
		}
		e := elems[pos]
		pos++
		return e.Bytes(), nil
	}
	if len(elems) == 0 {
		return nil, streamErr("empty node listpack")
	}
	count, err := nextInt("entry count")
	if err != nil {
		return nil, err
	}
	delCount, err := nextInt("deleted count")
	if err != nil {
		return nil, err
	}
	numMaster, err := nextInt("master field count")
	if err != nil {
		return nil, err
	}
	if count < 0 || delCount < 0 || numMaster < 0 || numMaster > int64(len(elems)) {
		return nil, streamErr("bad master entry counts")
	}
	n := &loadedNode{masterFields: make([][]byte, 0, numMaster)}
	for i := int64(0); i < numMaster; i++ {
		f, err := nextStr("master field")
		if err != nil {
			return nil, err
		}
		n.masterFields = append(n.masterFields, f)
	}
	if z, err := nextInt("master terminator"); err != nil {
		return nil, err
	} else if z != 0 {
		return nil, streamErr("master entry terminator %d", z)
	}
	for pos < len(elems) {
		start := pos
		flags, err := nextInt("flags")
		if err != nil {
			return nil, err
		}
		if flags&^(streamFlagDeleted|streamFlagSameFields) != 0 {
			return nil, streamErr("entry flags %d", flags)
		}
		msDelta, err := nextInt("ms delta")
		if err != nil {
			return nil, err
		}
		seqDelta, err := nextInt("seq delta")
		if err != nil {
			return nil, err
		}
		id := stream.ID{Ms: master.Ms + uint64(msDelta), Seq: master.Seq + uint64(seqDelta)}
		if len(n.ids) > 0 && id.Cmp(n.ids[len(n.ids)-1]) <= 0 {
			return nil, streamErr("entry %s not after %s", id, n.ids[len(n.ids)-1])
		}
		var fv [][]byte
		if flags&streamFlagSameFields != 0 {
			for _, f := range n.masterFields {
				v, err := nextStr("value")
				if err != nil {
					return nil, err
				}
				fv = append(fv, f, v)
			}
		} else {
			nf, err := nextInt("field count")
			if err != nil {
				return nil, err
			}
			if nf < 0 || nf > int64(len(elems)) {
				return nil, streamErr("entry field count %d", nf)
			}
			for i := int64(0); i < 2*nf; i++ {
				x, err := nextStr("field or value")
				if err != nil {
					return nil, err
				}
				fv = append(fv, x)
			}
		}
		if len(fv) == 0 {
			return nil, streamErr("entry %s without fields", id)
		}
		lpCount, err := nextInt("lp-count")
		if err != nil {
			return nil, err
		}
		if lpCount != int64(pos-start-1) {
			return nil, streamErr("entry %s lp-count %d, expected %d", id, lpCount, pos-start-1)
		}
		deleted := flags&streamFlagDeleted != 0
		if !deleted {
			n.live++
		}
		n.ids = append(n.ids, id)
		n.fvs = append(n.fvs, fv)
		n.deleted = append(n.deleted, deleted)
	}
	if len(n.ids) == 0 {
		return nil, streamErr("node without entries")
	}
	if int64(n.live) != count || int64(len(n.ids)-n.live) != delCount {
		return nil, streamErr("node counts %d live, %d deleted; found %d, %d",
			count, delCount, n.live, len(n.ids)-n.live)
	}
	return n, nil
}
