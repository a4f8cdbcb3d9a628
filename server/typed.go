package server

// Typed lookups shared by the collection families: find a key, check that it
// holds the expected type (replying WRONGTYPE otherwise) and hand back its
// structure.

import "github.com/vireodb/vireo/datatypes/keyspace"

// readTyped looks key up for reading as Redis's lookupKeyRead does (hit/miss
// statistics, the keymiss event). v is the zero value when the key is
// missing; ok is false when it holds another type (WRONGTYPE has been sent).
func readTyped[T any](c *Ctx, key []byte, t keyspace.Type) (v T, ok bool) {
	e := c.lookupRead(key, 0)
	if e == nil {
		return v, true
	}
	if e.Type != t {
		c.Error(ErrWrongType)
		return v, false
	}
	return e.Obj.(T), true
}

// writeTyped looks key up for modification (lookupKeyWrite). e is nil when
// the key is missing; ok is false when it holds another type (WRONGTYPE has
// been sent).
func writeTyped[T any](c *Ctx, key []byte, t keyspace.Type) (e *keyspace.Entry, v T, ok bool) {
	e = c.LookupWrite(key)
	if e == nil {
		return nil, v, true
	}
	if e.Type != t {
		c.Error(ErrWrongType)
		return nil, v, false
	}
	return e, e.Obj.(T), true
}
