package list

// Listpack: Redis's listpack.c format, the bytes of one quicklist node.
//
//	<total bytes uint32 LE> <element count uint16 LE> <entry> ... <0xFF>
//
// Each entry is <encoding+data> <backlen>, where backlen is the length of
// <encoding+data> written so it can be read from its last byte backwards
// (that is what makes walking from the tail possible). A string that is a
// canonical 64-bit integer (string2ll rules) is stored as the smallest
// integer encoding that holds it, exactly as lpInsertString does, so the
// bytes equal Redis's.
//
// The functions here take and return whole listpacks ([]byte whose length is
// the total-bytes header); offsets point at an entry's first byte. Callers
// pass only listpacks built by this file or checked by validateListpack.

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/vireodb/vireo/datatypes/num"
)

const (
	lpHeaderSize   = 6
	lpEOF          = 0xFF
	lpCountUnknown = 65535

	lpEnc7BitUint  = 0x00 // 0xxxxxxx
	lpEnc6BitStr   = 0x80 // 10xxxxxx
	lpEnc13BitInt  = 0xC0 // 110xxxxx
	lpEnc12BitStr  = 0xE0 // 1110xxxx
	lpEnc32BitStr  = 0xF0
	lpEnc16BitInt  = 0xF1
	lpEnc24BitInt  = 0xF2
	lpEnc32BitInt  = 0xF3
	lpEnc64BitInt  = 0xF4
	lpMaxEntryHead = 9 // the longest encoding without string data: 64-bit integer
)

// lpNew returns an empty listpack.
func lpNew() []byte { return []byte{7, 0, 0, 0, 0, 0, lpEOF} }

// lpSetHeader rewrites both header fields for lp holding count entries.
func lpSetHeader(lp []byte, count int) {
	binary.LittleEndian.PutUint32(lp, uint32(len(lp)))
	if count >= lpCountUnknown {
		count = lpCountUnknown
	}
	binary.LittleEndian.PutUint16(lp[4:], uint16(count))
}

// lpHeaderCount is the element count of the header (lpCountUnknown when the
// listpack holds that many or more).
func lpHeaderCount(lp []byte) int { return int(binary.LittleEndian.Uint16(lp[4:])) }

// lpLength counts lp's entries, reading the header when it knows.
func lpLength(lp []byte) int {
	if n := lpHeaderCount(lp); n != lpCountUnknown {
		return n
	}
	n := 0
	for p := lpFirst(lp); p >= 0; p = lpNext(lp, p) {
		n++
	}
	return n
}

// lpEncodedSize is the length of the encoding and data of the entry at p
// (lpCurrentEncodedSizeUnsafe).
func lpEncodedSize(lp []byte, p int) int {
	b := lp[p]
	switch {
	case b&0x80 == 0:
		return 1
	case b&0xC0 == lpEnc6BitStr:
		return 1 + int(b&0x3F)
	case b&0xE0 == lpEnc13BitInt:
		return 2
	case b&0xF0 == lpEnc12BitStr:
		return 2 + (int(b&0x0F)<<8 | int(lp[p+1]))
	}
	switch b {
	case lpEnc32BitStr:
		return 5 + int(binary.LittleEndian.Uint32(lp[p+1:]))
	case lpEnc16BitInt:
		return 3
	case lpEnc24BitInt:
		return 4
	case lpEnc32BitInt:
		return 5
	case lpEnc64BitInt:
		return 9
	}
	return 0 // EOF or an invalid byte: never reached on a valid listpack
}

// lpBacklenSize is the number of bytes lpEncodeBacklen uses for l.
func lpBacklenSize(l int) int {
	switch {
	case l <= 127:
		return 1
	case l < 16383:
		return 2
	case l < 2097151:
		return 3
	case l < 268435455:
		return 4
	}
	return 5
}

// lpAppendBacklen appends l in backlen form.
func lpAppendBacklen(dst []byte, l int) []byte {
	v := uint64(l)
	switch lpBacklenSize(l) {
	case 1:
		return append(dst, byte(v))
	case 2:
		return append(dst, byte(v>>7), byte(v&127)|128)
	case 3:
		return append(dst, byte(v>>14), byte((v>>7)&127)|128, byte(v&127)|128)
	case 4:
		return append(dst, byte(v>>21), byte((v>>14)&127)|128, byte((v>>7)&127)|128, byte(v&127)|128)
	}
	return append(dst, byte(v>>28), byte((v>>21)&127)|128, byte((v>>14)&127)|128, byte((v>>7)&127)|128, byte(v&127)|128)
}

// lpDecodeBacklen reads the backlen whose last byte is at p; ok is false when
// it runs past the start or is longer than five bytes.
func lpDecodeBacklen(lp []byte, p int) (val, size int, ok bool) {
	var v uint64
	shift := uint(0)
	for {
		if p < 0 {
			return 0, 0, false
		}
		b := lp[p]
		v |= uint64(b&127) << shift
		size++
		if b&128 == 0 {
			break
		}
		shift += 7
		p--
		if shift > 28 {
			return 0, 0, false
		}
	}
	return int(v), size, true
}

// lpEntrySize is the full size (encoding, data, backlen) of the entry at p.
func lpEntrySize(lp []byte, p int) int {
	n := lpEncodedSize(lp, p)
	return n + lpBacklenSize(n)
}

// lpFirst is the offset of the first entry, or -1 when lp is empty.
func lpFirst(lp []byte) int {
	if lp[lpHeaderSize] == lpEOF {
		return -1
	}
	return lpHeaderSize
}

// lpNext is the offset of the entry after p, or -1 at the end.
func lpNext(lp []byte, p int) int {
	p += lpEntrySize(lp, p)
	if lp[p] == lpEOF {
		return -1
	}
	return p
}

// lpPrev is the offset of the entry before p (p may be the EOF offset), or -1
// at the start.
func lpPrev(lp []byte, p int) int {
	if p <= lpHeaderSize {
		return -1
	}
	l, size, _ := lpDecodeBacklen(lp, p-1)
	return p - size - l
}

// lpLast is the offset of the last entry, or -1 when lp is empty.
func lpLast(lp []byte) int { return lpPrev(lp, len(lp)-1) }

// lpSeek is the offset of entry index (negative counts from the end), or -1
// when out of range. Like Redis it walks from the nearer end when the count
// is known.
func lpSeek(lp []byte, index int) int {
	n := lpHeaderCount(lp)
	if n == lpCountUnknown {
		n = lpLength(lp)
	}
	if index < 0 {
		index += n
	}
	if index < 0 || index >= n {
		return -1
	}
	if index > n/2 {
		p := len(lp) - 1
		for i := n; i > index; i-- {
			p = lpPrev(lp, p)
		}
		return p
	}
	p := lpHeaderSize
	for i := 0; i < index; i++ {
		p += lpEntrySize(lp, p)
	}
	return p
}

// lpGet decodes the entry at p: a string (aliasing lp) or an integer.
func lpGet(lp []byte, p int) Elem {
	b := lp[p]
	var uv uint64
	var negStart, negMax uint64
	switch {
	case b&0x80 == 0:
		return Elem{Int: int64(b), IsInt: true}
	case b&0xC0 == lpEnc6BitStr:
		n := int(b & 0x3F)
		return Elem{Str: lp[p+1 : p+1+n]}
	case b&0xE0 == lpEnc13BitInt:
		uv = uint64(b&0x1F)<<8 | uint64(lp[p+1])
		negStart, negMax = 1<<12, 8191
	case b&0xF0 == lpEnc12BitStr:
		n := int(b&0x0F)<<8 | int(lp[p+1])
		return Elem{Str: lp[p+2 : p+2+n]}
	case b == lpEnc32BitStr:
		n := int(binary.LittleEndian.Uint32(lp[p+1:]))
		return Elem{Str: lp[p+5 : p+5+n]}
	case b == lpEnc16BitInt:
		uv = uint64(binary.LittleEndian.Uint16(lp[p+1:]))
		negStart, negMax = 1<<15, 65535
	case b == lpEnc24BitInt:
		uv = uint64(lp[p+1]) | uint64(lp[p+2])<<8 | uint64(lp[p+3])<<16
		negStart, negMax = 1<<23, 1<<24-1
	case b == lpEnc32BitInt:
		uv = uint64(binary.LittleEndian.Uint32(lp[p+1:]))
		negStart, negMax = 1<<31, 1<<32-1
	case b == lpEnc64BitInt:
		return Elem{Int: int64(binary.LittleEndian.Uint64(lp[p+1:])), IsInt: true}
	}
	if uv >= negStart {
		return Elem{Int: -int64(negMax-uv) - 1, IsInt: true}
	}
	return Elem{Int: int64(uv), IsInt: true}
}

// lpEntryHead computes the encoding of v the way lpEncodeGetType does: the
// head bytes (the whole entry but string data and backlen), whether v is
// stored as an integer, and the size of encoding plus data.
func lpEntryHead(v []byte) (head [lpMaxEntryHead]byte, hlen int, isInt bool, encLen int) {
	if iv, ok := num.ParseInt(v); ok {
		hlen = lpIntHead(&head, iv)
		return head, hlen, true, hlen
	}
	n := len(v)
	switch {
	case n < 64:
		head[0] = lpEnc6BitStr | byte(n)
		hlen = 1
	case n < 4096:
		head[0] = lpEnc12BitStr | byte(n>>8)
		head[1] = byte(n)
		hlen = 2
	default:
		head[0] = lpEnc32BitStr
		binary.LittleEndian.PutUint32(head[1:], uint32(n))
		hlen = 5
	}
	return head, hlen, false, hlen + n
}

// lpIntHead writes the smallest integer encoding of v and returns its length.
func lpIntHead(head *[lpMaxEntryHead]byte, v int64) int {
	switch {
	case v >= 0 && v <= 127:
		head[0] = byte(v)
		return 1
	case v >= -4096 && v <= 4095:
		u := uint64(v)
		if v < 0 {
			u = uint64(1<<13 + v)
		}
		head[0] = byte(u>>8) | lpEnc13BitInt
		head[1] = byte(u)
		return 2
	case v >= -32768 && v <= 32767:
		u := uint64(v)
		if v < 0 {
			u = uint64(1<<16 + v)
		}
		head[0] = lpEnc16BitInt
		head[1], head[2] = byte(u), byte(u>>8)
		return 3
	case v >= -8388608 && v <= 8388607:
		u := uint64(v)
		if v < 0 {
			u = uint64(1<<24 + v)
		}
		head[0] = lpEnc24BitInt
		head[1], head[2], head[3] = byte(u), byte(u>>8), byte(u>>16)
		return 4
	case v >= -2147483648 && v <= 2147483647:
		u := uint64(v)
		if v < 0 {
			u = uint64(1<<32 + v)
		}
		head[0] = lpEnc32BitInt
		binary.LittleEndian.PutUint32(head[1:], uint32(u))
		return 5
	}
	head[0] = lpEnc64BitInt
	binary.LittleEndian.PutUint64(head[1:], uint64(v))
	return 9
}

// lpEntryLen is the full size v's entry would take.
func lpEntryLen(v []byte) int {
	_, _, _, enc := lpEntryHead(v)
	return enc + lpBacklenSize(enc)
}

// lpInsert inserts v as a new entry at offset p (an entry's offset: v goes
// before it; the EOF offset: v goes last) and returns the listpack.
func lpInsert(lp []byte, p int, v []byte) []byte {
	head, hlen, isInt, enc := lpEntryHead(v)
	size := enc + lpBacklenSize(enc)
	old := len(lp)
	count := lpHeaderCount(lp)
	lp = growBy(lp, size)
	copy(lp[p+size:], lp[p:old])
	w := p + copy(lp[p:], head[:hlen])
	if !isInt {
		w += copy(lp[w:], v)
	}
	lpAppendBacklen(lp[w:w], enc)
	if count != lpCountUnknown {
		count++
	}
	lpSetHeader(lp, count)
	return lp
}

// lpAppend adds v after the last entry.
func lpAppend(lp []byte, v []byte) []byte { return lpInsert(lp, len(lp)-1, v) }

// lpPrepend adds v before the first entry.
func lpPrepend(lp []byte, v []byte) []byte { return lpInsert(lp, lpHeaderSize, v) }

// lpDelete removes the entry at p; the entry that followed it (if any) is now
// at p.
func lpDelete(lp []byte, p int) []byte {
	size := lpEntrySize(lp, p)
	count := lpHeaderCount(lp)
	copy(lp[p:], lp[p+size:])
	lp = lp[:len(lp)-size]
	if count != lpCountUnknown {
		count--
	} else {
		count = lpLength(lp)
	}
	lpSetHeader(lp, count)
	return lp
}

// lpReplace replaces the entry at p with v (lpReplace: same bytes as a
// delete then an insert at p).
func lpReplace(lp []byte, p int, v []byte) []byte {
	return lpInsert(lpDelete(lp, p), p, v)
}

// lpDeleteRange removes up to num entries starting at index (negative counts
// from the end), as Redis's lpDeleteRange; num < 0 means "to the end".
func lpDeleteRange(lp []byte, index, num int) []byte {
	if num == 0 {
		return lp
	}
	p := lpSeek(lp, index)
	if p < 0 {
		return lp
	}
	end := p
	deleted := 0
	for lp[end] != lpEOF && (num < 0 || deleted < num) {
		end += lpEntrySize(lp, end)
		deleted++
	}
	count := lpHeaderCount(lp)
	copy(lp[p:], lp[end:])
	lp = lp[:len(lp)-(end-p)]
	if count != lpCountUnknown {
		count -= deleted
	} else {
		count = lpLength(lp)
	}
	lpSetHeader(lp, count)
	return lp
}

// lpMerge appends b's entries to a (lpMerge's result: a's entries, then b's).
func lpMerge(a, b []byte) []byte {
	na, nb := lpLength(a), lpLength(b)
	a = append(a[:len(a)-1], b[lpHeaderSize:]...)
	lpSetHeader(a, na+nb)
	return a
}

// growBy extends lp by n bytes, reallocating with headroom only when needed.
func growBy(lp []byte, n int) []byte {
	if cap(lp)-len(lp) >= n {
		return lp[:len(lp)+n]
	}
	nl := make([]byte, len(lp)+n, len(lp)+n+len(lp)/4)
	copy(nl, lp)
	return nl
}

var errBadListpack = errors.New("list: malformed listpack")

// validateListpack checks every byte of an untrusted listpack (a RESTORE
// payload, an RDB file): the header sizes, each entry's encoding, length and
// backlen, the terminator, and that the header count agrees. It returns the
// number of entries.
func validateListpack(lp []byte) (int, error) {
	if len(lp) < lpHeaderSize+1 {
		return 0, fmt.Errorf("%w: %d bytes", errBadListpack, len(lp))
	}
	if int(binary.LittleEndian.Uint32(lp)) != len(lp) {
		return 0, fmt.Errorf("%w: header says %d bytes, has %d", errBadListpack, binary.LittleEndian.Uint32(lp), len(lp))
	}
	if lp[len(lp)-1] != lpEOF {
		return 0, fmt.Errorf("%w: no terminator", errBadListpack)
	}
	n := 0
	p := lpHeaderSize
	for lp[p] != lpEOF {
		rest := len(lp) - 1 - p // bytes before the terminator
		b := lp[p]
		var enc int
		switch {
		case b&0x80 == 0:
			enc = 1
		case b&0xC0 == lpEnc6BitStr:
			enc = 1 + int(b&0x3F)
		case b&0xE0 == lpEnc13BitInt:
			enc = 2
		case b&0xF0 == lpEnc12BitStr:
			if rest < 2 {
				return 0, fmt.Errorf("%w: truncated entry", errBadListpack)
			}
			enc = 2 + (int(b&0x0F)<<8 | int(lp[p+1]))
		case b == lpEnc32BitStr:
			if rest < 5 {
				return 0, fmt.Errorf("%w: truncated entry", errBadListpack)
			}
			l := uint64(binary.LittleEndian.Uint32(lp[p+1:]))
			if l > uint64(rest) {
				return 0, fmt.Errorf("%w: string runs past the end", errBadListpack)
			}
			enc = 5 + int(l)
		case b == lpEnc16BitInt:
			enc = 3
		case b == lpEnc24BitInt:
			enc = 4
		case b == lpEnc32BitInt:
			enc = 5
		case b == lpEnc64BitInt:
			enc = 9
		default:
			return 0, fmt.Errorf("%w: invalid encoding byte 0x%02x", errBadListpack, b)
		}
		size := enc + lpBacklenSize(enc)
		if size > rest {
			return 0, fmt.Errorf("%w: entry runs past the end", errBadListpack)
		}
		l, bsize, ok := lpDecodeBacklen(lp, p+size-1)
		if !ok || l != enc || bsize != lpBacklenSize(enc) {
			return 0, fmt.Errorf("%w: backlen mismatch", errBadListpack)
		}
		p += size
		n++
	}
	if p != len(lp)-1 {
		return 0, fmt.Errorf("%w: bytes after the terminator", errBadListpack)
	}
	if hc := lpHeaderCount(lp); hc != lpCountUnknown && hc != n {
		return 0, fmt.Errorf("%w: header says %d entries, has %d", errBadListpack, hc, n)
	}
	return n, nil
}
