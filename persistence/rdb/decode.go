package rdb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Decoder reads RDB items from an io.Reader and keeps the running CRC64 and
// offset of what it consumed, for checking an RDB file's footer. Reads are
// unbuffered: wrap files and sockets in a bufio.Reader.
//
// Every error wraps ErrBadFormat; a truncated input also wraps
// io.ErrUnexpectedEOF. Declared lengths are never trusted for allocation:
// a string claiming more bytes than the input holds fails once the input runs
// out, having allocated about as much as was actually read.
type Decoder struct {
	r       io.Reader
	crc     uint64
	off     int64
	scratch [9]byte
}

// NewDecoder returns a Decoder reading from r.
func NewDecoder(r io.Reader) *Decoder { return &Decoder{r: r} }

// Checksum returns the CRC64 of everything consumed so far.
func (d *Decoder) Checksum() uint64 { return d.crc }

// Offset returns the number of bytes consumed so far.
func (d *Decoder) Offset() int64 { return d.off }

func formatErr(what string, err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("%w: %s: %w", ErrBadFormat, what, err)
}

// ReadFull fills p from the input.
func (d *Decoder) ReadFull(p []byte) error {
	n, err := io.ReadFull(d.r, p)
	d.crc = CRC64(d.crc, p[:n])
	d.off += int64(n)
	return err
}

func (d *Decoder) read(p []byte, what string) error {
	if err := d.ReadFull(p); err != nil {
		return formatErr(what, err)
	}
	return nil
}

// ReadByte reads one byte.
func (d *Decoder) ReadByte() (byte, error) {
	if err := d.read(d.scratch[:1], "byte"); err != nil {
		return 0, err
	}
	return d.scratch[0], nil
}

// ReadType reads a value type or opcode byte.
func (d *Decoder) ReadType() (byte, error) { return d.ReadByte() }

// ReadLenOrEncoding reads a length (rdbLoadLenByRef). When the byte announces
// a special string encoding instead, it returns the encoding (EncInt8 ...
// EncLZF, or an unknown one) and encoded == true.
func (d *Decoder) ReadLenOrEncoding() (n uint64, encoded bool, err error) {
	first, err := d.ReadByte()
	if err != nil {
		return 0, false, err
	}
	switch {
	case first>>6 == lenEnc:
		return uint64(first & 0x3f), true, nil
	case first>>6 == len6Bit:
		return uint64(first & 0x3f), false, nil
	case first>>6 == len14Bit:
		if err := d.read(d.scratch[:1], "14-bit length"); err != nil {
			return 0, false, err
		}
		return uint64(first&0x3f)<<8 | uint64(d.scratch[0]), false, nil
	case first == len32Bit:
		if err := d.read(d.scratch[:4], "32-bit length"); err != nil {
			return 0, false, err
		}
		return uint64(binary.BigEndian.Uint32(d.scratch[:4])), false, nil
	case first == len64Bit:
		if err := d.read(d.scratch[:8], "64-bit length"); err != nil {
			return 0, false, err
		}
		return binary.BigEndian.Uint64(d.scratch[:8]), false, nil
	}
	return 0, false, fmt.Errorf("%w: unknown length encoding 0x%02x", ErrBadFormat, first)
}

// ReadLen reads a plain length; a special-encoding byte is an error.
func (d *Decoder) ReadLen() (uint64, error) {
	n, encoded, err := d.ReadLenOrEncoding()
	if err != nil {
		return 0, err
	}
	if encoded {
		return 0, fmt.Errorf("%w: string encoding %d where a length belongs", ErrBadFormat, n)
	}
	return n, nil
}

// remaining reports how many bytes the input still holds, when the reader
// can say (bytes.Reader, strings.Reader).
func (d *Decoder) remaining() (int, bool) {
	if l, ok := d.r.(interface{ Len() int }); ok {
		return l.Len(), true
	}
	return 0, false
}

// readBytesChunk caps how much is allocated ahead of data actually read.
const readBytesChunk = 1 << 20

// readBytes reads n bytes into a new slice. A reader that can say how much
// it holds (bytes.Reader, strings.Reader) fails fast; others are read in
// chunks so that a bogus length cannot force a huge allocation.
func (d *Decoder) readBytes(n uint64, what string) ([]byte, error) {
	if l, ok := d.r.(interface{ Len() int }); ok && n > uint64(l.Len()) {
		return nil, formatErr(what, io.ErrUnexpectedEOF)
	}
	if n <= readBytesChunk {
		p := make([]byte, n)
		return p, d.read(p, what)
	}
	var p []byte
	for uint64(len(p)) < n {
		step := min(n-uint64(len(p)), readBytesChunk)
		p = append(p, make([]byte, step)...)
		if err := d.read(p[uint64(len(p))-step:], what); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// ReadString reads a string in any RDB string encoding (raw, integer, LZF),
// as rdbGenericLoadStringObject does, and returns its bytes.
func (d *Decoder) ReadString() ([]byte, error) {
	n, encoded, err := d.ReadLenOrEncoding()
	if err != nil {
		return nil, err
	}
	if !encoded {
		return d.readBytes(n, "string")
	}
	switch n {
	case EncInt8, EncInt16, EncInt32:
		v, err := d.readEncodedInt(n)
		if err != nil {
			return nil, err
		}
		return strconv.AppendInt(nil, v, 10), nil
	case EncLZF:
		return d.readLZFString()
	}
	return nil, fmt.Errorf("%w: unknown string encoding %d", ErrBadFormat, n)
}

func (d *Decoder) readEncodedInt(enc uint64) (int64, error) {
	switch enc {
	case EncInt8:
		if err := d.read(d.scratch[:1], "8-bit integer"); err != nil {
			return 0, err
		}
		return int64(int8(d.scratch[0])), nil
	case EncInt16:
		if err := d.read(d.scratch[:2], "16-bit integer"); err != nil {
			return 0, err
		}
		return int64(int16(binary.LittleEndian.Uint16(d.scratch[:2]))), nil
	default:
		if err := d.read(d.scratch[:4], "32-bit integer"); err != nil {
			return 0, err
		}
		return int64(int32(binary.LittleEndian.Uint32(d.scratch[:4]))), nil
	}
}

// readLZFString reads an LZF string after its encoding byte (rdbLoadLzfStringObject).
func (d *Decoder) readLZFString() ([]byte, error) {
	clen, err := d.ReadLen()
	if err != nil {
		return nil, err
	}
	ulen, err := d.ReadLen()
	if err != nil {
		return nil, err
	}
	compressed, err := d.readBytes(clen, "lzf data")
	if err != nil {
		return nil, err
	}
	if ulen == 0 {
		// Redis accepts any data here: lzf_decompress into a zero-byte
		// buffer fails and returns 0, which equals the expected length.
		return []byte{}, nil
	}
	if ulen > uint64(len(compressed))*lzfMaxExpansion {
		return nil, fmt.Errorf("%w: lzf: %d bytes cannot expand to %d", ErrBadFormat, len(compressed), ulen)
	}
	out := make([]byte, ulen)
	n, err := LZFDecompress(compressed, out)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadFormat, err)
	}
	if uint64(n) != ulen {
		return nil, fmt.Errorf("%w: lzf: decompressed %d bytes, expected %d", ErrBadFormat, n, ulen)
	}
	return out, nil
}
