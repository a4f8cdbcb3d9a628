package rdb

import "errors"

// Decoding errors. Every decoding failure wraps exactly one of them, so the
// server can map them to Redis's replies with errors.Is.
var (
	// ErrBadPayload: a DUMP payload's footer is missing, its RDB version is
	// newer than MaxLoadVersion, or its CRC64 does not match. The server
	// replies "ERR DUMP payload version or checksum are wrong".
	ErrBadPayload = errors.New("rdb: DUMP payload version or checksum are wrong")

	// ErrBadFormat: the encoded value is malformed (unknown type or encoding,
	// truncated, invalid LZF data). The server replies "ERR Bad data format".
	ErrBadFormat = errors.New("rdb: bad data format")
)
