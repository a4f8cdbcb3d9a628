package rdb

// Listpacks in RDB payloads. Redis 7 writes small hashes, sets, sorted sets
// and every list node as a listpack's bytes in one RDB string; the bytes
// themselves are datatypes/listpack's business (shared with the in-memory
// list, so both produce Redis's exact bytes). This file is the one way the
// value codecs read such a blob:
//
//   - listpackRange(blob, fn) checks the whole blob first (total bytes, each
//     entry's encoding and length inside the blob, back-lengths, the entry
//     count when the header knows it, the terminator last: Redis's deep
//     lpValidateIntegrity), then calls fn with each entry in order as a
//     listpackfmt.Entry, a string or an integer; use it where the kind matters
//     (a sorted set's scores);
//   - listpackStrings(blob, fn) is the same with every entry as bytes,
//     integers in decimal (hash fields and values, set members).
//
// Errors wrap ErrBadFormat; an error from fn stops the walk and is returned
// as is. Strings passed to fn alias the blob or a scratch buffer: copy what
// must outlive the call.
//
// Writing: build with listpackfmt.New and listpackfmt.Append (strings,
// integers packed as lpAppend does) or listpackfmt.AppendInt, then
// AppendString the result.
//
// The package is imported as listpackfmt throughout this package because
// the name listpack is taken here (a test helper).

import (
	"fmt"
	"strconv"

	listpackfmt "github.com/vireodb/vireo/datatypes/listpack"
)

// listpackRange validates lp, then calls fn with each entry.
func listpackRange(lp []byte, fn func(e listpackfmt.Entry) error) error {
	if _, err := listpackfmt.Validate(lp); err != nil {
		return fmt.Errorf("rdb: %w: %w", ErrBadFormat, err)
	}
	for p := listpackfmt.First(lp); p >= 0; p = listpackfmt.Next(lp, p) {
		if err := fn(listpackfmt.Get(lp, p)); err != nil {
			return err
		}
	}
	return nil
}

// listpackStrings validates lp, then calls fn with each entry as bytes.
func listpackStrings(lp []byte, fn func(s []byte) error) error {
	var digits [20]byte
	return listpackRange(lp, func(e listpackfmt.Entry) error {
		if e.IsInt {
			return fn(strconv.AppendInt(digits[:0], e.Int, 10))
		}
		return fn(e.Str)
	})
}
