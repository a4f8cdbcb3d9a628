package rdb

// The value codec registry. Each value type registers how it is written as
// an RDB object (type byte + body) and how every RDB object type that holds
// it is read back. DUMP/RESTORE use it today; RDB files will use the same
// codecs. The string codec is registered here; the collection types register
// theirs in their own files (hash.go, set.go, ...).

import (
	"bytes"
	"fmt"

	"github.com/vireodb/vireo/datatypes/keyspace"
)

// Limits are the encoding thresholds (hash-max-listpack-entries, ...) a
// decoder needs to pick the in-memory encoding Redis would pick on load.
type Limits struct {
	HashMaxListpackEntries int
	HashMaxListpackValue   int
	SetMaxIntsetEntries    int
	SetMaxListpackEntries  int
	SetMaxListpackValue    int
	ZsetMaxListpackEntries int
	ZsetMaxListpackValue   int
	ListMaxListpackSize    int
	ListCompressDepth      int
}

// ValueEncoder writes one value: it appends the body of the RDB object (not the
// type byte) to dst and returns the RDB type byte it used.
type ValueEncoder func(e *keyspace.Entry, dst []byte, compress bool) (typ byte, out []byte, err error)

// ValueDecoder reads the body of an RDB object of type typ into an entry. It
// must check its input (it may be hostile: a RESTORE payload, a corrupt
// file) and return an error wrapping ErrBadFormat, never panic.
//
// It reads the object from d and must stop right after it: in an RDB file
// the next key follows.
type ValueDecoder func(typ byte, d *Decoder, lim Limits) (keyspace.Entry, error)

var (
	encoders = map[keyspace.Type]ValueEncoder{}
	decoders = map[byte]ValueDecoder{}
)

// Register adds the codec of a value type; rdbTypes are the RDB object
// types its decoder reads.
func Register(t keyspace.Type, enc ValueEncoder, dec ValueDecoder, rdbTypes ...byte) {
	encoders[t] = enc
	for _, rt := range rdbTypes {
		decoders[rt] = dec
	}
}

// EncodeValue appends e's RDB object body to dst and returns its type byte.
func EncodeValue(e *keyspace.Entry, dst []byte, compress bool) (byte, []byte, error) {
	enc, ok := encoders[e.Type]
	if !ok {
		return 0, dst, fmt.Errorf("rdb: no encoder for %s values", e.Type.Name())
	}
	return enc(e, dst, compress)
}

// HasDecoder reports whether RDB object type typ can be read.
func HasDecoder(typ byte) bool { _, ok := decoders[typ]; return ok }

// DecodeValue reads an RDB object body of type typ from the front of body
// (what follows the object is ignored).
func DecodeValue(typ byte, body []byte, lim Limits) (keyspace.Entry, error) {
	return DecodeValueFrom(typ, NewDecoder(bytes.NewReader(body)), lim)
}

// DecodeValueFrom reads an RDB object body of type typ from d, stopping
// right after it.
func DecodeValueFrom(typ byte, d *Decoder, lim Limits) (keyspace.Entry, error) {
	dec, ok := decoders[typ]
	if !ok {
		return keyspace.Entry{}, fmt.Errorf("rdb: object type %d not supported: %w", typ, ErrBadFormat)
	}
	return dec(typ, d, lim)
}

// Dump builds a DUMP payload for e.
func Dump(e *keyspace.Entry) ([]byte, error) {
	typ, body, err := EncodeValue(e, []byte{0}, true)
	if err != nil {
		return nil, err
	}
	body[0] = typ
	return AppendDumpFooter(body), nil
}

func init() {
	Register(keyspace.TypeString,
		func(e *keyspace.Entry, dst []byte, compress bool) (byte, []byte, error) {
			return TypeString, AppendString(dst, e.Str, compress), nil
		},
		func(typ byte, d *Decoder, lim Limits) (keyspace.Entry, error) {
			v, err := d.ReadString()
			if err != nil {
				return keyspace.Entry{}, err
			}
			return keyspace.Entry{Type: keyspace.TypeString, Str: v}, nil
		},
		TypeString)
}
