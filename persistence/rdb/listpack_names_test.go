package rdb

import listpackfmt "github.com/vireodb/vireo/datatypes/listpack"

// The hash and set codecs once had their own listpack and ziplist code;
// these names keep the tests written against it compiling unchanged, now
// backed by the shared implementation.

const (
	hashLPHeader      = listpackfmt.HeaderSize
	hashLPEOF         = listpackfmt.EOF
	setLPHeader       = listpackfmt.HeaderSize
	setLPEOF          = listpackfmt.EOF
	setLPCountUnknown = listpackfmt.CountUnknown
	hashZLHeader      = ziplistHeader
	hashZLEnd         = ziplistEnd
)

// hashAppendListpackEntry appends s as one listpack entry (encoding, data,
// back-length), as lpAppend encodes it.
func hashAppendListpackEntry(dst, s []byte) []byte {
	lp := listpackfmt.Append(listpackfmt.New(), s)
	return append(dst, lp[listpackfmt.HeaderSize:len(lp)-1]...)
}

func hashListpackRange(lp []byte, fn func(s []byte) error) error { return listpackStrings(lp, fn) }

// setListpackBacklen writes l's back-length into buf and returns its size.
func setListpackBacklen(buf []byte, l uint64) int {
	return copy(buf, listpackfmt.AppendBacklen(nil, int(l)))
}
