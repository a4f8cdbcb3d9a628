// Package hll is Redis's HyperLogLog, byte for byte: the "HYLL" string
// format with its 16-byte header (magic, encoding, three unused bytes, the
// cached cardinality with its invalid bit), the sparse run-length encoding
// (ZERO, XZERO and VAL opcodes) and the dense array of 16384 6-bit
// registers, MurmurHash64A with Redis's seed, promotion from sparse to dense
// at hll-sparse-max-bytes, and Redis 7's cardinality estimator (Ertl's
// improved estimator, hllSigma/hllTau).
//
// An HLL is a plain string value: the functions here take and return the
// string's bytes, changing them in place where Redis does so the server can
// keep the value in its string entry. Every routine follows Redis's
// algorithm step by step, including what it does with corrupt input (a
// value written with SET or SETRANGE), so that GET, DUMP and PFCOUNT agree
// with redis-server for the same commands; where Redis reports a corrupt
// HLL these return ErrCorrupt, and no input makes them panic.
//
// It imports only the standard library.
package hll
