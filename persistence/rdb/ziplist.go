package rdb

// Ziplists in RDB payloads: the compact encoding of Redis 3.2-6.2, which
// Redis 7 still loads (old hashes, sorted sets, and the lists of the
// ziplist and quicklist-of-ziplists forms) and converts to listpacks.
// Vireo only reads them: ziplistStrings validates a blob as deeply as
// Redis's loader does and calls fn with each entry.

import (
	"encoding/binary"
	"fmt"
	"strconv"
)

// Ziplist layout (Redis 3.2-6.2's ziplist.c), all integers little endian:
//
//	<zlbytes uint32> <zltail uint32> <zllen uint16> <entry> ... <0xFF>
//
// An entry is the previous entry's length (1 byte, or 0xFE and 4 bytes), an
// encoding (string lengths in 1, 2 or 5 bytes, or an integer type), the data.
const (
	ziplistHeader       = 10
	ziplistEnd          = 0xff
	ziplistBigPrevLen   = 0xfe
	ziplistCountUnknown = 0xffff
)

// ziplistStrings checks a ziplist entry by entry (as Redis's deep
// ziplistValidateIntegrity) and calls fn with each entry as a string
// (integers in decimal). The string passed to fn may alias zl or a scratch
// buffer.
func ziplistStrings(zl []byte, fn func(s []byte) error) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("rdb: ziplist: "+format+": %w", append(args, ErrBadFormat)...)
	}
	if len(zl) < ziplistHeader+1 {
		return bad("%d bytes, too short", len(zl))
	}
	if total := binary.LittleEndian.Uint32(zl); uint64(total) != uint64(len(zl)) {
		return bad("header says %d bytes, blob has %d", total, len(zl))
	}
	if zl[len(zl)-1] != ziplistEnd {
		return bad("no terminator")
	}
	tail := int(binary.LittleEndian.Uint32(zl[4:]))
	declared := int(binary.LittleEndian.Uint16(zl[8:]))
	count, prevLen, last := 0, 0, ziplistHeader
	var digits [20]byte
	p := ziplistHeader
	for p < len(zl) && zl[p] != ziplistEnd {
		start := p
		// Previous entry length.
		var pl int
		if zl[p] < ziplistBigPrevLen {
			pl = int(zl[p])
			p++
		} else {
			if p+5 > len(zl) {
				return bad("truncated prevlen")
			}
			pl = int(binary.LittleEndian.Uint32(zl[p+1:]))
			p += 5
		}
		if pl != prevLen {
			return bad("prevlen %d at %d, previous entry is %d bytes", pl, start, prevLen)
		}
		if p >= len(zl) {
			return bad("truncated entry")
		}
		enc := zl[p]
		var s []byte
		var v int64
		isInt := true
		size := 0
		switch {
		case enc>>6 == 0:
			p++
			size, isInt = int(enc&0x3f), false
		case enc>>6 == 1:
			if p+2 > len(zl) {
				return bad("truncated 14-bit length")
			}
			size, isInt = int(enc&0x3f)<<8|int(zl[p+1]), false
			p += 2
		case enc == 0x80:
			if p+5 > len(zl) {
				return bad("truncated 32-bit length")
			}
			size, isInt = int(binary.BigEndian.Uint32(zl[p+1:])), false
			p += 5
		case enc == 0xc0: // int16
			size = 2
			p++
		case enc == 0xd0: // int32
			size = 4
			p++
		case enc == 0xe0: // int64
			size = 8
			p++
		case enc == 0xf0: // int24
			size = 3
			p++
		case enc == 0xfe: // int8
			size = 1
			p++
		case enc >= 0xf1 && enc <= 0xfd: // 4-bit immediate 0..12
			v = int64(enc&0x0f) - 1
			p++
		default:
			return bad("unknown encoding 0x%02x at %d", enc, p)
		}
		if size > len(zl)-1-p {
			return bad("entry at %d runs past the end", start)
		}
		data := zl[p : p+size]
		if isInt {
			switch size {
			case 1:
				v = int64(int8(data[0]))
			case 2:
				v = int64(int16(binary.LittleEndian.Uint16(data)))
			case 3:
				v = int64(int32(uint32(data[0])<<8|uint32(data[1])<<16|uint32(data[2])<<24) >> 8)
			case 4:
				v = int64(int32(binary.LittleEndian.Uint32(data)))
			case 8:
				v = int64(binary.LittleEndian.Uint64(data))
			}
			s = strconv.AppendInt(digits[:0], v, 10)
		} else {
			s = data
		}
		p += size
		if err := fn(s); err != nil {
			return err
		}
		count++
		prevLen = p - start
		last = start
	}
	if p != len(zl)-1 {
		return bad("terminator at %d of %d", p, len(zl))
	}
	if count > 0 && tail != last || count == 0 && tail != ziplistHeader {
		return bad("tail offset %d, last entry at %d", tail, last)
	}
	if declared != ziplistCountUnknown && declared != count {
		return bad("header says %d entries, found %d", declared, count)
	}
	return nil
}
