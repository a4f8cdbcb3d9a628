package listpack

// Layout (Redis's listpack.c):
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
// the total-bytes header); offsets point at an entry's first byte. Only
// Validate may be given untrusted bytes: the others assume a listpack built
// by this package or accepted by Validate, and may panic on anything else.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/vireodb/vireo/datatypes/num"
)

// Entry is one decoded entry: a string (Str, possibly empty, not nil) or,
// when IsInt, an integer stored packed. Str aliases the listpack.
type Entry struct {
	Str   []byte
	Int   int64
	IsInt bool
}

// Append appends the entry's bytes (the decimal form of an integer).
func (e Entry) Append(dst []byte) []byte {
	if e.IsInt {
		return num.AppendInt(dst, e.Int)
	}
	return append(dst, e.Str...)
}

// Bytes returns the entry as a new byte slice.
func (e Entry) Bytes() []byte {
	if e.IsInt {
		return num.AppendInt(nil, e.Int)
	}
	return bytes.Clone(e.Str)
}

// Equal reports whether the entry equals s (lpCompare: an integer entry
// equals only the canonical decimal form of its value).
func (e Entry) Equal(s []byte) bool {
	if e.IsInt {
		v, ok := num.ParseInt(s)
		return ok && v == e.Int
	}
	return bytes.Equal(e.Str, s)
}

const (
	HeaderSize   = 6     // total bytes and element count
	EOF          = 0xFF  // the terminator
	CountUnknown = 65535 // the header count of a listpack this long or longer

	enc7BitUint  = 0x00 // 0xxxxxxx
	enc6BitStr   = 0x80 // 10xxxxxx
	enc13BitInt  = 0xC0 // 110xxxxx
	enc12BitStr  = 0xE0 // 1110xxxx
	enc32BitStr  = 0xF0
	enc16BitInt  = 0xF1
	enc24BitInt  = 0xF2
	enc32BitInt  = 0xF3
	enc64BitInt  = 0xF4
	maxEntryHead = 9 // the longest encoding without string data: 64-bit integer
)

// New returns an empty listpack.
func New() []byte { return []byte{7, 0, 0, 0, 0, 0, EOF} }

// setHeader rewrites both header fields for lp holding count entries.
func setHeader(lp []byte, count int) {
	binary.LittleEndian.PutUint32(lp, uint32(len(lp)))
	if count >= CountUnknown {
		count = CountUnknown
	}
	binary.LittleEndian.PutUint16(lp[4:], uint16(count))
}

// headerCount is the element count of the header (CountUnknown when the
// listpack holds that many or more).
func headerCount(lp []byte) int { return int(binary.LittleEndian.Uint16(lp[4:])) }

// Len counts lp's entries, reading the header when it knows.
func Len(lp []byte) int {
	if n := headerCount(lp); n != CountUnknown {
		return n
	}
	n := 0
	for p := First(lp); p >= 0; p = Next(lp, p) {
		n++
	}
	return n
}

// encodedSize is the length of the encoding and data of the entry at p
// (lpCurrentEncodedSizeUnsafe).
func encodedSize(lp []byte, p int) int {
	b := lp[p]
	switch {
	case b&0x80 == 0:
		return 1
	case b&0xC0 == enc6BitStr:
		return 1 + int(b&0x3F)
	case b&0xE0 == enc13BitInt:
		return 2
	case b&0xF0 == enc12BitStr:
		return 2 + (int(b&0x0F)<<8 | int(lp[p+1]))
	}
	switch b {
	case enc32BitStr:
		return 5 + int(binary.LittleEndian.Uint32(lp[p+1:]))
	case enc16BitInt:
		return 3
	case enc24BitInt:
		return 4
	case enc32BitInt:
		return 5
	case enc64BitInt:
		return 9
	}
	return 0 // EOF or an invalid byte: never reached on a valid listpack
}

// backlenSize is the number of bytes encodeBacklen uses for l.
func backlenSize(l int) int {
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

// AppendBacklen appends l in backlen form.
func AppendBacklen(dst []byte, l int) []byte {
	v := uint64(l)
	switch backlenSize(l) {
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

// decodeBacklen reads the backlen whose last byte is at p; ok is false when
// it runs past the start or is longer than five bytes.
func decodeBacklen(lp []byte, p int) (val, size int, ok bool) {
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

// EntrySize is the full size (encoding, data, backlen) of the entry at p.
func EntrySize(lp []byte, p int) int {
	n := encodedSize(lp, p)
	return n + backlenSize(n)
}

// First is the offset of the first entry, or -1 when lp is empty.
func First(lp []byte) int {
	if lp[HeaderSize] == EOF {
		return -1
	}
	return HeaderSize
}

// Next is the offset of the entry after p, or -1 at the end.
func Next(lp []byte, p int) int {
	p += EntrySize(lp, p)
	if lp[p] == EOF {
		return -1
	}
	return p
}

// Prev is the offset of the entry before p (p may be the EOF offset), or -1
// at the start.
func Prev(lp []byte, p int) int {
	if p <= HeaderSize {
		return -1
	}
	l, size, _ := decodeBacklen(lp, p-1)
	return p - size - l
}

// Last is the offset of the last entry, or -1 when lp is empty.
func Last(lp []byte) int { return Prev(lp, len(lp)-1) }

// Seek is the offset of entry index (negative counts from the end), or -1
// when out of range. Like Redis it walks from the nearer end when the count
// is known.
func Seek(lp []byte, index int) int {
	n := headerCount(lp)
	if n == CountUnknown {
		n = Len(lp)
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
			p = Prev(lp, p)
		}
		return p
	}
	p := HeaderSize
	for i := 0; i < index; i++ {
		p += EntrySize(lp, p)
	}
	return p
}

// Get decodes the entry at p: a string (aliasing lp) or an integer.
func Get(lp []byte, p int) Entry {
	b := lp[p]
	var uv uint64
	var negStart, negMax uint64
	switch {
	case b&0x80 == 0:
		return Entry{Int: int64(b), IsInt: true}
	case b&0xC0 == enc6BitStr:
		n := int(b & 0x3F)
		return Entry{Str: lp[p+1 : p+1+n]}
	case b&0xE0 == enc13BitInt:
		uv = uint64(b&0x1F)<<8 | uint64(lp[p+1])
		negStart, negMax = 1<<12, 8191
	case b&0xF0 == enc12BitStr:
		n := int(b&0x0F)<<8 | int(lp[p+1])
		return Entry{Str: lp[p+2 : p+2+n]}
	case b == enc32BitStr:
		n := int(binary.LittleEndian.Uint32(lp[p+1:]))
		return Entry{Str: lp[p+5 : p+5+n]}
	case b == enc16BitInt:
		uv = uint64(binary.LittleEndian.Uint16(lp[p+1:]))
		negStart, negMax = 1<<15, 65535
	case b == enc24BitInt:
		uv = uint64(lp[p+1]) | uint64(lp[p+2])<<8 | uint64(lp[p+3])<<16
		negStart, negMax = 1<<23, 1<<24-1
	case b == enc32BitInt:
		uv = uint64(binary.LittleEndian.Uint32(lp[p+1:]))
		negStart, negMax = 1<<31, 1<<32-1
	case b == enc64BitInt:
		return Entry{Int: int64(binary.LittleEndian.Uint64(lp[p+1:])), IsInt: true}
	}
	if uv >= negStart {
		return Entry{Int: -int64(negMax-uv) - 1, IsInt: true}
	}
	return Entry{Int: int64(uv), IsInt: true}
}

// entryHead computes the encoding of v the way encodeGetType does: the
// head bytes (the whole entry but string data and backlen), whether v is
// stored as an integer, and the size of encoding plus data.
func entryHead(v []byte) (head [maxEntryHead]byte, hlen int, isInt bool, encLen int) {
	if iv, ok := num.ParseInt(v); ok {
		hlen = intHead(&head, iv)
		return head, hlen, true, hlen
	}
	n := len(v)
	switch {
	case n < 64:
		head[0] = enc6BitStr | byte(n)
		hlen = 1
	case n < 4096:
		head[0] = enc12BitStr | byte(n>>8)
		head[1] = byte(n)
		hlen = 2
	default:
		head[0] = enc32BitStr
		binary.LittleEndian.PutUint32(head[1:], uint32(n))
		hlen = 5
	}
	return head, hlen, false, hlen + n
}

// intHead writes the smallest integer encoding of v and returns its length.
func intHead(head *[maxEntryHead]byte, v int64) int {
	switch {
	case v >= 0 && v <= 127:
		head[0] = byte(v)
		return 1
	case v >= -4096 && v <= 4095:
		u := uint64(v)
		if v < 0 {
			u = uint64(1<<13 + v)
		}
		head[0] = byte(u>>8) | enc13BitInt
		head[1] = byte(u)
		return 2
	case v >= -32768 && v <= 32767:
		u := uint64(v)
		if v < 0 {
			u = uint64(1<<16 + v)
		}
		head[0] = enc16BitInt
		head[1], head[2] = byte(u), byte(u>>8)
		return 3
	case v >= -8388608 && v <= 8388607:
		u := uint64(v)
		if v < 0 {
			u = uint64(1<<24 + v)
		}
		head[0] = enc24BitInt
		head[1], head[2], head[3] = byte(u), byte(u>>8), byte(u>>16)
		return 4
	case v >= -2147483648 && v <= 2147483647:
		u := uint64(v)
		if v < 0 {
			u = uint64(1<<32 + v)
		}
		head[0] = enc32BitInt
		binary.LittleEndian.PutUint32(head[1:], uint32(u))
		return 5
	}
	head[0] = enc64BitInt
	binary.LittleEndian.PutUint64(head[1:], uint64(v))
	return 9
}

// Insert inserts v as a new entry at offset p (an entry's offset: v goes
// before it; the EOF offset: v goes last) and returns the listpack.
func Insert(lp []byte, p int, v []byte) []byte {
	head, hlen, isInt, _ := entryHead(v)
	if isInt {
		v = nil
	}
	return insertEncoded(lp, p, head[:hlen], v)
}

// insertEncoded inserts the entry made of head (encoding, or a whole
// integer) and data at p, adding its backlen and updating the header.
func insertEncoded(lp []byte, p int, head, data []byte) []byte {
	enc := len(head) + len(data)
	size := enc + backlenSize(enc)
	old := len(lp)
	count := headerCount(lp)
	lp = growBy(lp, size)
	copy(lp[p+size:], lp[p:old])
	w := p + copy(lp[p:], head)
	w += copy(lp[w:], data)
	AppendBacklen(lp[w:w], enc)
	if count != CountUnknown {
		count++
	}
	setHeader(lp, count)
	return lp
}

// Append adds v after the last entry (lpAppend).
func Append(lp []byte, v []byte) []byte { return Insert(lp, len(lp)-1, v) }

// AppendInt adds v after the last entry in its smallest integer encoding
// (lpAppendInteger): the same bytes as Append of v's decimal form.
func AppendInt(lp []byte, v int64) []byte {
	var head [maxEntryHead]byte
	hlen := intHead(&head, v)
	return insertEncoded(lp, len(lp)-1, head[:hlen], nil)
}

// Prepend adds v before the first entry.
func Prepend(lp []byte, v []byte) []byte { return Insert(lp, HeaderSize, v) }

// Delete removes the entry at p; the entry that followed it (if any) is now
// at p.
func Delete(lp []byte, p int) []byte {
	size := EntrySize(lp, p)
	count := headerCount(lp)
	copy(lp[p:], lp[p+size:])
	lp = lp[:len(lp)-size]
	if count != CountUnknown {
		count--
	} else {
		count = Len(lp)
	}
	setHeader(lp, count)
	return lp
}

// Replace replaces the entry at p with v (Replace: same bytes as a
// delete then an insert at p).
func Replace(lp []byte, p int, v []byte) []byte {
	return Insert(Delete(lp, p), p, v)
}

// DeleteRange removes up to num entries starting at index (negative counts
// from the end), as Redis's DeleteRange; num < 0 means "to the end".
func DeleteRange(lp []byte, index, num int) []byte {
	if num == 0 {
		return lp
	}
	p := Seek(lp, index)
	if p < 0 {
		return lp
	}
	end := p
	deleted := 0
	for lp[end] != EOF && (num < 0 || deleted < num) {
		end += EntrySize(lp, end)
		deleted++
	}
	count := headerCount(lp)
	copy(lp[p:], lp[end:])
	lp = lp[:len(lp)-(end-p)]
	if count != CountUnknown {
		count -= deleted
	} else {
		count = Len(lp)
	}
	setHeader(lp, count)
	return lp
}

// Merge appends b's entries to a (Merge's result: a's entries, then b's).
func Merge(a, b []byte) []byte {
	na, nb := Len(a), Len(b)
	a = append(a[:len(a)-1], b[HeaderSize:]...)
	setHeader(a, na+nb)
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

// ErrMalformed is wrapped by every error Validate returns.
var ErrMalformed = errors.New("listpack: malformed")

// Validate checks every byte of an untrusted listpack (a RESTORE
// payload, an RDB file): the header sizes, each entry's encoding, length and
// backlen, the terminator, and that the header count agrees. It returns the
// number of entries.
func Validate(lp []byte) (int, error) {
	if len(lp) < HeaderSize+1 {
		return 0, fmt.Errorf("%w: %d bytes", ErrMalformed, len(lp))
	}
	if int(binary.LittleEndian.Uint32(lp)) != len(lp) {
		return 0, fmt.Errorf("%w: header says %d bytes, has %d", ErrMalformed, binary.LittleEndian.Uint32(lp), len(lp))
	}
	if lp[len(lp)-1] != EOF {
		return 0, fmt.Errorf("%w: no terminator", ErrMalformed)
	}
	n := 0
	p := HeaderSize
	for lp[p] != EOF {
		rest := len(lp) - 1 - p // bytes before the terminator
		b := lp[p]
		var enc int
		switch {
		case b&0x80 == 0:
			enc = 1
		case b&0xC0 == enc6BitStr:
			enc = 1 + int(b&0x3F)
		case b&0xE0 == enc13BitInt:
			enc = 2
		case b&0xF0 == enc12BitStr:
			if rest < 2 {
				return 0, fmt.Errorf("%w: truncated entry", ErrMalformed)
			}
			enc = 2 + (int(b&0x0F)<<8 | int(lp[p+1]))
		case b == enc32BitStr:
			if rest < 5 {
				return 0, fmt.Errorf("%w: truncated entry", ErrMalformed)
			}
			l := uint64(binary.LittleEndian.Uint32(lp[p+1:]))
			if l > uint64(rest) {
				return 0, fmt.Errorf("%w: string runs past the end", ErrMalformed)
			}
			enc = 5 + int(l)
		case b == enc16BitInt:
			enc = 3
		case b == enc24BitInt:
			enc = 4
		case b == enc32BitInt:
			enc = 5
		case b == enc64BitInt:
			enc = 9
		default:
			return 0, fmt.Errorf("%w: invalid encoding byte 0x%02x", ErrMalformed, b)
		}
		size := enc + backlenSize(enc)
		if size > rest {
			return 0, fmt.Errorf("%w: entry runs past the end", ErrMalformed)
		}
		l, bsize, ok := decodeBacklen(lp, p+size-1)
		if !ok || l != enc || bsize != backlenSize(enc) {
			return 0, fmt.Errorf("%w: backlen mismatch", ErrMalformed)
		}
		p += size
		n++
	}
	if p != len(lp)-1 {
		return 0, fmt.Errorf("%w: bytes after the terminator", ErrMalformed)
	}
	if hc := headerCount(lp); hc != CountUnknown && hc != n {
		return 0, fmt.Errorf("%w: header says %d entries, has %d", ErrMalformed, hc, n)
	}
	return n, nil
}
