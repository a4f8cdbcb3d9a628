// Package rdb encodes and decodes Redis's RDB serialization format, byte for
// byte compatible with Redis 7: the CRC64 checksum, LZF string compression,
// length and string encodings, the value type constants and file opcodes,
// and DUMP/RESTORE payloads.
//
// It serves DUMP and RESTORE (dump.go) and whole RDB files (file.go:
// FileWriter, AppendKey, Load) for SAVE/BGSAVE and loading at startup. The
// Append* functions write into byte slices, Encoder and Decoder stream over
// an io.Writer / io.Reader while keeping the running CRC64 that an RDB
// file's footer needs; value decoders read from a Decoder and stop right
// after their object, so a file is read key after key.
//
// Why byte for byte: a DUMP taken from Vireo must RESTORE into redis-server
// and the other way round, and tests compare DUMP replies with Redis's. So
// LZF is a faithful port of the liblzf bundled with Redis (same hash, same
// match rules, same output), and the choice between integer, LZF and raw
// encodings follows rdbSaveRawString exactly.
//
// The package owns the wire format and the value codecs (values.go: how each
// value type is written as an RDB object and read back). It imports the
// standard library and datatypes/... only; it must not import server/ or any
// networking (redcon).
package rdb
