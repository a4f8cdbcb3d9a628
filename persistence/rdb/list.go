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
	"fmt"

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

func decodeList(typ byte, d *Decoder, lim Limits) (keyspace.Entry, error) {
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

// decodeListZiplist reads the entries of a ziplist as strings, checked as
// ziplistStrings does, copied out of zl.
func decodeListZiplist(zl []byte) ([][]byte, error) {
	var vals [][]byte
	err := ziplistStrings(zl, func(s []byte) error {
		vals = append(vals, bytes.Clone(s))
		return nil
	})
	return vals, err
}
