package rdb

// The list codec. Lists are written as Redis 7.0/7.2 write them,
// RDB_TYPE_LIST_QUICKLIST_2: the node count, then per node its container
// (2: a listpack, 1: a "plain" node holding one big element) and the node's
// bytes as an RDB string. Vireo's nodes are literal listpacks laid out like
// Redis's, so the bytes — and so DUMP payloads — match redis-server's.
// (A node Redis keeps LZF-compressed in memory, list-compress-depth, is
// written as the same LZF blob that compressing it here produces, so that
// setting does not change the bytes either.)
//
// Read: QUICKLIST_2 (18), the 3.2-6.2 QUICKLIST of ziplists (14), the older
// ZIPLIST (10) and plain LIST (1) forms. Nodes are checked entry by entry;
// empty nodes are skipped and an empty list is an error, as in Redis.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/list"
)

const (
	quicklistContainerPlain  = 1
	quicklistContainerPacked = 2
)

func init() {
	Register(keyspace.TypeList, encodeList, decodeList,
		TypeList, TypeListZiplist, TypeListQuicklist, TypeListQuicklist2)
}

func encodeList(e *keyspace.Entry, dst []byte, compress bool) (byte, []byte, error) {
	l, ok := e.Obj.(*list.List)
	if !ok {
		return 0, dst, fmt.Errorf("rdb: list value is %T, not *list.List", e.Obj)
	}
	dst = AppendLen(dst, uint64(l.NumNodes()))
	l.EachNode(func(lp []byte) {
		dst = AppendLen(dst, quicklistContainerPacked)
		dst = AppendString(dst, lp, compress)
	})
	return TypeListQuicklist2, dst, nil
}

func decodeList(typ byte, body []byte, lim Limits) (keyspace.Entry, error) {
	d := NewDecoder(bytes.NewReader(body))
	l := list.New(lim.ListMaxListpackSize)
	switch typ {
	case TypeList:
		n, err := d.ReadLen()
		if err != nil {
			return keyspace.Entry{}, err
		}
		for ; n > 0; n-- {
			v, err := d.ReadString()
			if err != nil {
				return keyspace.Entry{}, err
			}
			l.PushTail(v)
		}
	case TypeListZiplist:
		zl, err := d.ReadString()
		if err != nil {
			return keyspace.Entry{}, err
		}
		vals, err := decodeListZiplist(zl)
		if err != nil {
			return keyspace.Entry{}, err
		}
		for _, v := range vals {
			l.PushTail(v)
		}
	case TypeListQuicklist, TypeListQuicklist2:
		n, err := d.ReadLen()
		if err != nil {
			return keyspace.Entry{}, err
		}
		for ; n > 0; n-- {
			container := uint64(quicklistContainerPacked)
			if typ == TypeListQuicklist2 {
				if container, err = d.ReadLen(); err != nil {
					return keyspace.Entry{}, err
				}
				if container != quicklistContainerPlain && container != quicklistContainerPacked {
					return keyspace.Entry{}, fmt.Errorf("%w: quicklist node container %d", ErrBadFormat, container)
				}
			}
			data, err := d.ReadString()
			if err != nil {
				return keyspace.Entry{}, err
			}
			switch {
			case container == quicklistContainerPlain:
				l.PushTail(data)
			case typ == TypeListQuicklist:
				vals, err := decodeListZiplist(data)
				if err != nil {
					return keyspace.Entry{}, err
				}
				l.AppendNodeOf(vals)
			default:
				if err := l.AppendListpack(data); err != nil {
					return keyspace.Entry{}, fmt.Errorf("%w: %w", ErrBadFormat, err)
				}
			}
		}
	default:
		return keyspace.Entry{}, fmt.Errorf("%w: list codec cannot read type %d", ErrBadFormat, typ)
	}
	if l.Len() == 0 {
		return keyspace.Entry{}, fmt.Errorf("%w: empty list", ErrBadFormat)
	}
	return keyspace.Entry{Type: keyspace.TypeList, Enc: keyspace.EncQuicklist, Obj: l}, nil
}

// decodeListZiplist reads the entries of a ziplist (Redis's encoding before
// listpacks) as strings, checking every length against the buffer:
//
//	<zlbytes u32 LE> <zltail u32 LE> <zllen u16 LE> <entry> ... <0xFF>
//	entry: <prevlen: 1 byte, or 0xFE + u32 LE> <encoding> <data>
func decodeListZiplist(zl []byte) ([][]byte, error) {
	bad := func(what string) error { return fmt.Errorf("%w: ziplist: %s", ErrBadFormat, what) }
	const header = 10
	if len(zl) < header+1 {
		return nil, bad("too short")
	}
	if int(binary.LittleEndian.Uint32(zl)) != len(zl) {
		return nil, bad("zlbytes does not match the length")
	}
	if zl[len(zl)-1] != 0xFF {
		return nil, bad("no terminator")
	}
	tail := int(binary.LittleEndian.Uint32(zl[4:]))
	count := int(binary.LittleEndian.Uint16(zl[8:]))
	var vals [][]byte
	p, prevLen, last := header, 0, header
	for zl[p] != 0xFF {
		start := p
		end := len(zl) - 1 // entries end before the terminator
		var plen int
		if zl[p] < 0xFE {
			plen = int(zl[p])
			p++
		} else if zl[p] == 0xFE && p+5 <= end {
			plen = int(binary.LittleEndian.Uint32(zl[p+1:]))
			p += 5
		} else {
			return nil, bad("bad prevlen")
		}
		if plen != prevLen {
			return nil, bad("prevlen does not match the previous entry")
		}
		if p >= end {
			return nil, bad("truncated entry")
		}
		enc := zl[p]
		var v []byte
		var n int
		switch {
		case enc>>6 == 0:
			n, p = int(enc&0x3F), p+1
		case enc>>6 == 1:
			if p+2 > end {
				return nil, bad("truncated length")
			}
			n, p = int(enc&0x3F)<<8|int(zl[p+1]), p+2
		case enc == 0x80:
			if p+5 > end {
				return nil, bad("truncated length")
			}
			n, p = int(binary.BigEndian.Uint32(zl[p+1:])), p+5
		case enc>>6 == 2:
			return nil, bad("bad string encoding")
		default:
			var size int
			var iv int64
			switch {
			case enc == 0xC0:
				size = 2
			case enc == 0xD0:
				size = 4
			case enc == 0xE0:
				size = 8
			case enc == 0xF0:
				size = 3
			case enc == 0xFE:
				size = 1
			case enc >= 0xF1 && enc <= 0xFD:
				iv = int64(enc&0x0F) - 1
			default:
				return nil, bad("bad integer encoding")
			}
			p++
			if p+size > end {
				return nil, bad("truncated integer")
			}
			b := zl[p : p+size]
			switch size {
			case 1:
				iv = int64(int8(b[0]))
			case 2:
				iv = int64(int16(binary.LittleEndian.Uint16(b)))
			case 3:
				iv = int64(int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24) >> 8)
			case 4:
				iv = int64(int32(binary.LittleEndian.Uint32(b)))
			case 8:
				iv = int64(binary.LittleEndian.Uint64(b))
			}
			p += size
			v = strconv.AppendInt(nil, iv, 10)
		}
		if v == nil {
			if n > end-p {
				return nil, bad("string runs past the end")
			}
			v = bytes.Clone(zl[p : p+n])
			p += n
		}
		vals = append(vals, v)
		prevLen, last = p-start, start
	}
	if p != len(zl)-1 {
		return nil, bad("bytes after the terminator")
	}
	if len(vals) > 0 && tail != last || len(vals) == 0 && tail != header {
		return nil, bad("zltail does not point at the last entry")
	}
	if count != 0xFFFF && count != len(vals) {
		return nil, bad("zllen does not match the entries")
	}
	return vals, nil
}
