package rdb

import (
	"encoding/binary"
	"io"
	"slices"
	"strconv"
)

// AppendLen appends n in RDB length encoding (rdbSaveLen): 6 bits in one
// byte, 14 bits in two, else a marker byte and a 32- or 64-bit big-endian
// integer.
func AppendLen(dst []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(dst, byte(n)|len6Bit<<6)
	case n < 1<<14:
		return append(dst, byte(n>>8)|len14Bit<<6, byte(n))
	case n <= 0xffffffff:
		dst = append(dst, len32Bit)
		return binary.BigEndian.AppendUint32(dst, uint32(n))
	default:
		dst = append(dst, len64Bit)
		return binary.BigEndian.AppendUint64(dst, n)
	}
}

// AppendInt appends v as an integer-encoded string when it fits in 32 bits
// (rdbEncodeInteger), else as its decimal digits (rdbSaveLongLongAsStringObject).
// It equals AppendString of v's decimal form.
func AppendInt(dst []byte, v int64) []byte {
	if out, ok := appendEncodedInt(dst, v); ok {
		return out
	}
	var digits [20]byte
	s := strconv.AppendInt(digits[:0], v, 10)
	dst = AppendLen(dst, uint64(len(s)))
	return append(dst, s...)
}

// appendEncodedInt appends v in the smallest RDB_ENC_INT* form, or reports
// false when v needs more than 32 bits.
func appendEncodedInt(dst []byte, v int64) ([]byte, bool) {
	switch {
	case v >= -(1<<7) && v <= 1<<7-1:
		return append(dst, lenEnc<<6|EncInt8, byte(v)), true
	case v >= -(1<<15) && v <= 1<<15-1:
		return append(dst, lenEnc<<6|EncInt16, byte(v), byte(v>>8)), true
	case v >= -(1<<31) && v <= 1<<31-1:
		return append(dst, lenEnc<<6|EncInt32, byte(v), byte(v>>8), byte(v>>16), byte(v>>24)), true
	}
	return dst, false
}

// AppendString appends s as Redis's rdbSaveRawString does, compress being
// the rdbcompression setting:
//   - a string of at most 11 bytes that is a canonical integer (string2ll
//     accepts it: no sign but '-', no leading zeros, no spaces) within 32
//     bits is stored integer-encoded;
//   - else, with compress on and more than 20 bytes, LZF-compressed when that
//     saves at least 4 bytes (rdbSaveLzfStringObject);
//   - else verbatim: length, then the bytes.
func AppendString(dst []byte, s []byte, compress bool) []byte {
	if len(s) <= 11 {
		if v, ok := parseRedisInt(s); ok {
			if out, ok := appendEncodedInt(dst, v); ok {
				return out
			}
		}
	}
	if compress && len(s) > 20 {
		if out, ok := appendLZFString(dst, s); ok {
			return out
		}
	}
	dst = AppendLen(dst, uint64(len(s)))
	return append(dst, s...)
}

// appendLZFString appends s LZF-compressed (encoding byte, compressed length,
// original length, data) if compression saves at least 4 bytes; otherwise it
// returns dst unchanged and false.
func appendLZFString(dst, s []byte) ([]byte, bool) {
	// Redis asks lzf_compress for at most len-4 bytes of output: "we require
	// at least four bytes compression for this to be worth it".
	if len(s) <= 4 {
		return dst, false
	}
	limit := len(s) - 4
	const maxHeader = 1 + 9 + 9
	start := len(dst)
	// Compress straight into dst's spare capacity past room for the header,
	// then slide the result down behind the header once its size is known.
	dst = slices.Grow(dst, maxHeader+limit)
	area := dst[start+maxHeader : start+maxHeader+limit]
	n := LZFCompress(s, area)
	if n == 0 {
		return dst, false
	}
	dst = appendLZFHeader(dst, uint64(n), uint64(len(s)))
	end := len(dst)
	dst = dst[:end+n]
	copy(dst[end:], area[:n]) // overlapping move down: copy is memmove
	return dst, true
}

func appendLZFHeader(dst []byte, compressedLen, originalLen uint64) []byte {
	dst = append(dst, lenEnc<<6|EncLZF)
	dst = AppendLen(dst, compressedLen)
	return AppendLen(dst, originalLen)
}

// AppendLZFBlob appends already-compressed data as an LZF string
// (rdbSaveLzfBlob), e.g. a compressed quicklist node saved as it is.
func AppendLZFBlob(dst, compressed []byte, originalLen uint64) []byte {
	dst = appendLZFHeader(dst, uint64(len(compressed)), originalLen)
	return append(dst, compressed...)
}

// parseRedisInt parses s as Redis's string2ll does: optional '-', then
// digits without leading zeros ("0" alone is fine, "-0" is not), nothing
// else, within int64. Only canonical forms are accepted, so formatting the
// result gives s back.
func parseRedisInt(s []byte) (int64, bool) {
	if len(s) == 0 || len(s) > 20 {
		return 0, false
	}
	if len(s) == 1 && s[0] == '0' {
		return 0, true
	}
	neg := s[0] == '-'
	digits := s
	if neg {
		digits = s[1:]
	}
	if len(digits) == 0 || digits[0] < '1' || digits[0] > '9' {
		return 0, false
	}
	var v uint64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if v > (1<<64-1)/10 || v*10 > 1<<64-1-d {
			return 0, false
		}
		v = v*10 + d
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true // v == 1<<63 wraps to MinInt64, as intended
	}
	if v > 1<<63-1 {
		return 0, false
	}
	return int64(v), true
}

// Encoder writes RDB items to an io.Writer and keeps the running CRC64 and
// byte count that an RDB file's footer needs. Errors are sticky: after a
// failed write every call returns the first error. Wrap slow writers in a
// bufio.Writer; Encoder writes each item as one call.
type Encoder struct {
	w        io.Writer
	compress bool
	crc      uint64
	n        int64
	buf      []byte
	err      error
}

// NewEncoder returns an Encoder writing to w; compress is the rdbcompression
// setting used by WriteString.
func NewEncoder(w io.Writer, compress bool) *Encoder {
	return &Encoder{w: w, compress: compress}
}

// WriteRaw writes p as it is.
func (e *Encoder) WriteRaw(p []byte) error {
	if e.err != nil {
		return e.err
	}
	n, err := e.w.Write(p)
	e.crc = CRC64(e.crc, p[:n])
	e.n += int64(n)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		e.err = err
	}
	return e.err
}

func (e *Encoder) flushBuf() error {
	err := e.WriteRaw(e.buf)
	e.buf = e.buf[:0]
	return err
}

// WriteType writes a value type or opcode byte.
func (e *Encoder) WriteType(t byte) error {
	e.buf = append(e.buf[:0], t)
	return e.flushBuf()
}

// WriteLen writes n in length encoding.
func (e *Encoder) WriteLen(n uint64) error {
	e.buf = AppendLen(e.buf[:0], n)
	return e.flushBuf()
}

// WriteString writes s as AppendString does.
func (e *Encoder) WriteString(s []byte) error {
	e.buf = AppendString(e.buf[:0], s, e.compress)
	return e.flushBuf()
}

// WriteInt writes v as AppendInt does.
func (e *Encoder) WriteInt(v int64) error {
	e.buf = AppendInt(e.buf[:0], v)
	return e.flushBuf()
}

// Checksum returns the CRC64 of everything written so far.
func (e *Encoder) Checksum() uint64 { return e.crc }

// Written returns the number of bytes written so far.
func (e *Encoder) Written() int64 { return e.n }
