package server

// Bitmap commands: strings seen as arrays of bits, bit 0 being the most
// significant bit of the first byte. Replies, errors and their order follow
// redis-server 7.0.15 (bitops.c); writes change the value in place after
// LookupWrite, and count as changes only when a bit really changed (or the
// string grew), as Redis 7.x does.

import (
	"encoding/binary"
	"math/bits"

	"github.com/vireodb/vireo/datatypes/keyspace"
)

func init() { familyRegistrars = append(familyRegistrars, registerBitmapCommands) }

// Errors only this family sends.
const (
	errBitValue        = "ERR bit is not an integer or out of range"
	errBitArg          = "ERR The bit argument must be 1 or 0."
	errBitopNotArity   = "ERR BITOP NOT must be called with a single source key."
	errBitfieldType    = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."
	errBitfieldOvType  = "ERR Invalid OVERFLOW type specified"
	errBitfieldROWrite = "ERR BITFIELD_RO only supports the GET subcommand"
)

// bitOffsetArg parses a bit offset (getBitOffsetFromArgument). With hash
// and bits > 0 (BITFIELD), "#N" means N*bits. The offset's byte must be
// below proto-max-bulk-len.
func (c *Ctx) bitOffsetArg(b []byte, hash bool, width int) (uint64, bool) {
	useHash := hash && width > 0 && len(b) > 0 && b[0] == '#'
	if useHash {
		b = b[1:]
	}
	v, ok := parseInt(b)
	if ok && useHash {
		v *= int64(width) // wraps on overflow as in C; caught below or harmless
	}
	if !ok || v < 0 || v>>3 >= c.srv.set.protoMaxBulkLen.Load() {
		c.Error(ErrBitOffset)
		return 0, false
	}
	return uint64(v), true
}

// stringForBitWrite looks key up for a bit write reaching bit maxBit
// (lookupStringForBitCommand): a missing key is created as zero bytes, a
// short value is padded with zero bytes, and the value becomes raw. grown
// reports whether the key was created or lengthened. ok is false when the
// key holds another type (WRONGTYPE sent).
func (c *Ctx) stringForBitWrite(key []byte, maxBit uint64) (e *keyspace.Entry, grown, ok bool) {
	need := int(maxBit>>3) + 1
	e, ok = c.getStringWrite(key)
	if !ok {
		return nil, false, false
	}
	if e == nil {
		c.db.Put(key, keyspace.Entry{Type: keyspace.TypeString, Enc: keyspace.EncRaw, Str: make([]byte, need)})
		return c.LookupWrite(key), true, true
	}
	old := len(e.Str)
	e.Str = growZero(e.Str, need)
	e.Enc = keyspace.EncRaw
	return e, len(e.Str) != old, true
}

// SETBIT key offset value
func cmdSetBit(c *Ctx, args [][]byte) {
	key := args[1]
	off, ok := c.bitOffsetArg(args[2], false, 0)
	if !ok {
		return
	}
	on, ok := parseInt(args[3])
	if !ok || on&^1 != 0 {
		c.Error(errBitValue)
		return
	}
	e, grown, ok := c.stringForBitWrite(key, off)
	if !ok {
		return
	}
	byteIdx, mask := off>>3, byte(1)<<(7-off&7)
	old := e.Str[byteIdx]&mask != 0
	if grown || old != (on == 1) {
		if on == 1 {
			e.Str[byteIdx] |= mask
		} else {
			e.Str[byteIdx] &^= mask
		}
		c.Modified(key)
		c.Notify(NotifyString, "setbit", key)
	}
	if old {
		c.Int(1)
	} else {
		c.Int(0)
	}
}

// GETBIT key offset
func cmdGetBit(c *Ctx, args [][]byte) {
	off, ok := c.bitOffsetArg(args[2], false, 0)
	if !ok {
		return
	}
	e, ok := c.getString(args[1])
	if !ok {
		return
	}
	if e == nil || off>>3 >= uint64(len(e.Str)) || e.Str[off>>3]&(1<<(7-off&7)) == 0 {
		c.Int(0)
		return
	}
	c.Int(1)
}

// bitRange is a resolved BITCOUNT/BITPOS range: bytes [start, end] of the
// string, with firstMask/lastMask the bits of the first/last byte that lie
// outside a BIT-unit range (Redis's first_byte_neg_mask/last_byte_neg_mask).
type bitRange struct {
	start, end          int64
	firstMask, lastMask byte
}

// resolveBitRange clamps start/end (in bytes, or in bits when isBit) to a
// string of n bytes the way BITCOUNT and BITPOS do.
func resolveBitRange(start, end, n int64, isBit bool) bitRange {
	total := n
	if isBit {
		total <<= 3
	}
	if start < 0 {
		start += total
	}
	if end < 0 {
		end += total
	}
	start = max(start, 0)
	end = max(end, 0)
	if end >= total {
		end = total - 1
	}
	r := bitRange{start: start, end: end}
	if isBit && start <= end {
		r.firstMask = ^byte((1 << (8 - start&7)) - 1)
		r.lastMask = byte((1 << (7 - end&7)) - 1)
		r.start >>= 3
		r.end >>= 3
	}
	return r
}

// parseBitUnit parses BITCOUNT/BITPOS's optional BYTE|BIT.
func (c *Ctx) parseBitUnit(b []byte) (isBit, ok bool) {
	switch {
	case eq(b, "bit"):
		return true, true
	case eq(b, "byte"):
		return false, true
	}
	c.Error(ErrSyntax)
	return false, false
}

// BITCOUNT key [start end [BYTE | BIT]]
func cmdBitCount(c *Ctx, args [][]byte) {
	// Redis 7.0 looks the key up before parsing the range.
	e, ok := c.getString(args[1])
	if !ok {
		return
	}
	if e == nil {
		c.Int(0)
		return
	}
	s := e.Str
	var r bitRange
	switch len(args) {
	case 4, 5:
		start, ok := c.intArg(args[2])
		if !ok {
			return
		}
		end, ok := c.intArg(args[3])
		if !ok {
			return
		}
		if start < 0 && end < 0 && start > end {
			c.Int(0)
			return
		}
		isBit := false
		if len(args) == 5 {
			if isBit, ok = c.parseBitUnit(args[4]); !ok {
				return
			}
		}
		r = resolveBitRange(start, end, int64(len(s)), isBit)
	case 2:
		r = bitRange{start: 0, end: int64(len(s)) - 1}
	default:
		c.Error(ErrSyntax)
		return
	}
	if r.start > r.end {
		c.Int(0)
		return
	}
	count := popcount(s[r.start : r.end+1])
	count -= int64(bits.OnesCount8(s[r.start]&r.firstMask) + bits.OnesCount8(s[r.end]&r.lastMask))
	c.Int(count)
}

// popcount counts the set bits of s.
func popcount(s []byte) int64 {
	var n int
	for len(s) >= 8 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(s))
		s = s[8:]
	}
	for _, b := range s {
		n += bits.OnesCount8(b)
	}
	return int64(n)
}

// firstBit returns the position of the first bit equal to bit in s
// (redisBitpos). Looking for a 0 in all ones gives len(s)*8: the string is
// taken as padded with zeros on the right. Looking for a 1 in all zeros
// gives -1.
func firstBit(s []byte, bit int) int64 {
	skip := byte(0)
	if bit == 0 {
		skip = 0xff
	}
	for i, b := range s {
		if b == skip {
			continue
		}
		if bit == 0 {
			b = ^b
		}
		return int64(i)*8 + int64(bits.LeadingZeros8(b))
	}
	if bit == 1 {
		return -1
	}
	return int64(len(s)) * 8
}

// BITPOS key bit [start [end [BYTE | BIT]]]
func cmdBitPos(c *Ctx, args [][]byte) {
	bit, ok := c.intArg(args[2])
	if !ok {
		return
	}
	if bit != 0 && bit != 1 {
		c.Error(errBitArg)
		return
	}
	e, ok := c.getString(args[1])
	if !ok {
		return
	}
	if e == nil {
		// A missing key is an infinite run of zeros.
		c.Int(-bit)
		return
	}
	s := e.Str
	n := int64(len(s))
	var r bitRange
	endGiven := false
	switch len(args) {
	case 4, 5, 6:
		start, ok := c.intArg(args[3])
		if !ok {
			return
		}
		isBit := false
		if len(args) == 6 {
			if isBit, ok = c.parseBitUnit(args[5]); !ok {
				return
			}
		}
		end := n - 1
		if len(args) >= 5 {
			if end, ok = c.intArg(args[4]); !ok {
				return
			}
			endGiven = true
		} else if isBit {
			end = n<<3 + 7
		}
		r = resolveBitRange(start, end, n, isBit)
	case 3:
		r = bitRange{start: 0, end: n - 1}
	default:
		c.Error(ErrSyntax)
		return
	}
	if r.start > r.end {
		c.Int(-1)
		return
	}
	c.Int(bitPosInRange(s, r, int(bit), endGiven))
}

// bitPosInRange is the search part of BITPOS over a resolved range, with
// Redis's edge-byte handling for BIT ranges.
func bitPosInRange(s []byte, r bitRange, bit int, endGiven bool) int64 {
	start, bytes := r.start, r.end-r.start+1
	// maskEdge forces the bits of an edge byte outside the range to the
	// value not searched for.
	maskEdge := func(b, outside byte) byte {
		if bit == 1 {
			return b &^ outside
		}
		return b | outside
	}
	// search returns as soon as a part of the range settles the answer,
	// leaving start/bytes at that part (the result is relative to it).
	search := func() int64 {
		if r.firstMask != 0 {
			b := maskEdge(s[start], r.firstMask)
			if r.lastMask != 0 && bytes == 1 {
				b = maskEdge(b, r.lastMask)
			}
			pos := firstBit([]byte{b}, bit)
			if bytes == 1 || (pos != -1 && pos != 8) {
				return pos
			}
			start++
			bytes--
		}
		whole := bytes
		if r.lastMask != 0 {
			whole--
		}
		if whole > 0 {
			pos := firstBit(s[start:start+whole], bit)
			if bytes == whole || (pos != -1 && pos != whole<<3) {
				return pos
			}
			start += whole
			bytes -= whole
		}
		return firstBit([]byte{maskEdge(s[r.end], r.lastMask)}, bit)
	}
	pos := search()
	// Looking for a 0 in an explicit range: the bits right of the range are
	// not zero padding, so "one past the end" means none found.
	if endGiven && bit == 0 && pos == bytes<<3 {
		return -1
	}
	if pos != -1 {
		pos += start << 3
	}
	return pos
}

// BITOP <AND | OR | XOR | NOT> destkey key [key ...]
func cmdBitOp(c *Ctx, args [][]byte) {
	op := args[1]
	switch {
	case eq(op, "and"), eq(op, "or"), eq(op, "xor"), eq(op, "not"):
	default:
		c.Error(ErrSyntax)
		return
	}
	not := eq(op, "not")
	if not && len(args) != 4 {
		c.Error(errBitopNotArity)
		return
	}
	dest := args[2]
	srcs := make([][]byte, 0, len(args)-3)
	maxLen := 0
	for _, k := range args[3:] {
		e, ok := c.getString(k)
		if !ok {
			return
		}
		var s []byte
		if e != nil {
			s = e.Str
		}
		srcs = append(srcs, s)
		maxLen = max(maxLen, len(s))
	}
	if maxLen == 0 {
		if c.db.Delete(dest) {
			c.Modified(dest)
			c.Notify(NotifyGeneric, "del", dest)
		}
		c.Int(0)
		return
	}
	res := make([]byte, maxLen)
	copy(res, srcs[0])
	switch {
	case not:
		for i := range res {
			res[i] = ^res[i]
		}
	case eq(op, "and"):
		for _, s := range srcs[1:] {
			for i := range res {
				if i < len(s) {
					res[i] &= s[i]
				} else {
					res[i] = 0
				}
			}
		}
	case eq(op, "or"):
		for _, s := range srcs[1:] {
			for i := range s {
				res[i] |= s[i]
			}
		}
	default: // xor
		for _, s := range srcs[1:] {
			for i := range s {
				res[i] ^= s[i]
			}
		}
	}
	c.db.Put(dest, keyspace.Entry{Type: keyspace.TypeString, Enc: keyspace.EncRaw, Str: res})
	c.Modified(dest)
	c.Notify(NotifyString, "set", dest)
	c.Int(int64(maxLen))
}

// Overflow behaviours of BITFIELD SET/INCRBY.
const (
	overflowWrap = iota
	overflowSat
	overflowFail
)

// bitfieldOp is one parsed BITFIELD operation.
type bitfieldOp struct {
	offset   uint64
	value    int64 // SET value or INCRBY increment
	kind     byte  // 'g' GET, 's' SET, 'i' INCRBY
	overflow int
	width    int
	signed   bool
}

// bitfieldTypeArg parses "i<1-64>" or "u<1-63>".
func (c *Ctx) bitfieldTypeArg(b []byte) (signed bool, width int, ok bool) {
	if len(b) == 0 || (b[0] != 'i' && b[0] != 'u') {
		c.Error(errBitfieldType)
		return false, 0, false
	}
	signed = b[0] == 'i'
	n, ok := parseInt(b[1:])
	if !ok || n < 1 || (signed && n > 64) || (!signed && n > 63) {
		c.Error(errBitfieldType)
		return false, 0, false
	}
	return signed, int(n), true
}

// getUnsignedBits reads width bits at bit offset off of p, big-endian.
func getUnsignedBits(p []byte, off uint64, width int) uint64 {
	var v uint64
	for j := 0; j < width; j++ {
		b := p[off>>3] >> (7 - off&7) & 1
		v = v<<1 | uint64(b)
		off++
	}
	return v
}

// getSignedBits reads a two's-complement integer of width bits.
func getSignedBits(p []byte, off uint64, width int) int64 {
	v := getUnsignedBits(p, off, width)
	if width < 64 && v&(1<<(width-1)) != 0 {
		v |= ^uint64(0) << width
	}
	return int64(v)
}

// setBits writes the low width bits of v at bit offset off of p.
func setBits(p []byte, off uint64, width int, v uint64) {
	for j := 0; j < width; j++ {
		mask := byte(1) << (7 - off&7)
		if v&(1<<(width-1-j)) != 0 {
			p[off>>3] |= mask
		} else {
			p[off>>3] &^= mask
		}
		off++
	}
}

// unsignedOverflow is checkUnsignedBitfieldOverflow: it reports whether
// value+incr leaves [0, 2^width-1] and the value the overflow mode gives.
func unsignedOverflow(value uint64, incr int64, width, mode int) (bool, uint64) {
	maxV := uint64(1)<<width - 1
	maxIncr := int64(maxV - value)
	minIncr := -int64(value)
	wrap := func() uint64 { return (value + uint64(incr)) & maxV }
	switch {
	case value > maxV || (incr > 0 && incr > maxIncr):
		if mode == overflowWrap {
			return true, wrap()
		}
		return true, maxV
	case incr < 0 && incr < minIncr:
		if mode == overflowWrap {
			return true, wrap()
		}
		return true, 0
	}
	return false, 0
}

// signedOverflow is checkSignedBitfieldOverflow for a width-bit signed field.
func signedOverflow(value, incr int64, width, mode int) (bool, int64) {
	maxV := int64(1)<<(width-1) - 1
	if width == 64 {
		maxV = 1<<63 - 1
	}
	minV := -maxV - 1
	maxIncr := int64(uint64(maxV) - uint64(value))
	minIncr := minV - value
	wrap := func() int64 {
		sum := uint64(value) + uint64(incr)
		if width < 64 {
			if sum&(1<<(width-1)) != 0 {
				sum |= ^uint64(0) << width
			} else {
				sum &^= ^uint64(0) << width
			}
		}
		return int64(sum)
	}
	switch {
	case value > maxV || (width != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr):
		if mode == overflowWrap {
			return true, wrap()
		}
		return true, maxV
	case value < minV || (width != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr):
		if mode == overflowWrap {
			return true, wrap()
		}
		return true, minV
	}
	return false, 0
}

// BITFIELD key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | INCRBY encoding offset increment> [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | INCRBY encoding offset increment> ...]]
func cmdBitField(c *Ctx, args [][]byte) { bitfield(c, args, false) }

// BITFIELD_RO key [GET encoding offset [GET encoding offset ...]]
func cmdBitFieldRO(c *Ctx, args [][]byte) { bitfield(c, args, true) }

func bitfield(c *Ctx, args [][]byte, readonlyCmd bool) {
	key := args[1]
	var ops []bitfieldOp
	overflow := overflowWrap
	readonly := true
	var highest uint64
	for j := 2; j < len(args); j++ {
		remaining := len(args) - j - 1
		sub := args[j]
		var op bitfieldOp
		switch {
		case eq(sub, "get") && remaining >= 2:
			op.kind = 'g'
		case eq(sub, "set") && remaining >= 3:
			op.kind = 's'
		case eq(sub, "incrby") && remaining >= 3:
			op.kind = 'i'
		case eq(sub, "overflow") && remaining >= 1:
			j++
			switch mode := args[j]; {
			case eq(mode, "wrap"):
				overflow = overflowWrap
			case eq(mode, "sat"):
				overflow = overflowSat
			case eq(mode, "fail"):
				overflow = overflowFail
			default:
				c.Error(errBitfieldOvType)
				return
			}
			continue
		default:
			c.Error(ErrSyntax)
			return
		}
		var ok bool
		if op.signed, op.width, ok = c.bitfieldTypeArg(args[j+1]); !ok {
			return
		}
		if op.offset, ok = c.bitOffsetArg(args[j+2], true, op.width); !ok {
			return
		}
		if op.kind != 'g' {
			readonly = false
			highest = max(highest, op.offset+uint64(op.width)-1)
			if op.value, ok = c.intArg(args[j+3]); !ok {
				return
			}
			j++
		}
		op.overflow = overflow
		ops = append(ops, op)
		j += 2
	}

	var e *keyspace.Entry
	grown := false
	if readonly {
		var ok bool
		if e, ok = c.getString(key); !ok {
			return
		}
	} else {
		if readonlyCmd {
			c.Error(errBitfieldROWrite)
			return
		}
		var ok bool
		if e, grown, ok = c.stringForBitWrite(key, highest); !ok {
			return
		}
	}

	c.Array(len(ops))
	changes := 0
	for _, op := range ops {
		if op.kind == 'g' {
			// Read through a zero-padded window so fields may run past the
			// end of the string (or of a missing key).
			var buf [9]byte
			byteIdx := op.offset >> 3
			if e != nil && byteIdx < uint64(len(e.Str)) {
				copy(buf[:], e.Str[byteIdx:])
			}
			off := op.offset - byteIdx*8
			if op.signed {
				c.Int(getSignedBits(buf[:], off, op.width))
			} else {
				c.Int(int64(getUnsignedBits(buf[:], off, op.width)))
			}
			continue
		}
		p := e.Str
		var oldBits, newBits uint64
		var reply int64
		var over bool
		if op.signed {
			old := getSignedBits(p, op.offset, op.width)
			newV := op.value
			if op.kind == 'i' {
				var wrapped int64
				if over, wrapped = signedOverflow(old, op.value, op.width, op.overflow); over {
					newV = wrapped
				} else {
					newV = old + op.value
				}
				reply = newV
			} else {
				var wrapped int64
				if over, wrapped = signedOverflow(newV, 0, op.width, op.overflow); over {
					newV = wrapped
				}
				reply = old
			}
			oldBits, newBits = uint64(old), uint64(newV)
		} else {
			old := getUnsignedBits(p, op.offset, op.width)
			newV := uint64(op.value)
			if op.kind == 'i' {
				newV = old + uint64(op.value)
				if o, wrapped := unsignedOverflow(old, op.value, op.width, op.overflow); o {
					over, newV = true, wrapped
				}
				reply = int64(newV)
			} else {
				if o, wrapped := unsignedOverflow(newV, 0, op.width, op.overflow); o {
					over, newV = true, wrapped
				}
				reply = int64(old)
			}
			oldBits, newBits = old, newV
		}
		if over && op.overflow == overflowFail {
			c.Null()
			continue
		}
		c.Int(reply)
		setBits(p, op.offset, op.width, newBits)
		if grown || oldBits != newBits {
			changes++
		}
	}
	if changes > 0 {
		c.Modified(key)
		c.dirty += changes - 1 // Redis counts every changing operation
		c.Notify(NotifyString, "setbit", key)
	}
}

func registerBitmapCommands(t *Table) {
	bm := []string{"bitmap"}
	one := func(cmd *Command) *Command {
		cmd.ACL, cmd.Group, cmd.FirstKey, cmd.LastKey, cmd.KeyStep = bm, "bitmap", 1, 1, 1
		return cmd
	}
	t.Add(
		one(&Command{Name: "setbit", Arity: 4, Flags: FlagWrite | FlagDenyOOM, Since: "2.2.0",
			Summary: "Sets or clears one bit of a string value, returning its old value.", Usage: "key offset value",
			Handler: cmdSetBit}),
		one(&Command{Name: "getbit", Arity: 3, Flags: FlagReadonly | FlagFast, Since: "2.2.0",
			Summary: "Returns one bit of a string value.", Usage: "key offset", Handler: cmdGetBit}),
		one(&Command{Name: "bitcount", Arity: -2, Flags: FlagReadonly, Since: "2.6.0",
			Summary: "Counts the set bits of a string value, or of a byte or bit range of it.",
			Usage:   "key [start end [BYTE | BIT]]", Handler: cmdBitCount}),
		one(&Command{Name: "bitpos", Arity: -3, Flags: FlagReadonly, Since: "2.8.7",
			Summary: "Finds the first set or clear bit of a string value, or of a byte or bit range of it.",
			Usage:   "key bit [start [end [BYTE | BIT]]]", Handler: cmdBitPos}),
		&Command{Name: "bitop", Arity: -4, Flags: FlagWrite | FlagDenyOOM, ACL: bm, Group: "bitmap", Since: "2.6.0",
			Summary:  "Combines string values bitwise (AND, OR, XOR, NOT) into a destination key.",
			Usage:    "<AND | OR | XOR | NOT> destkey key [key ...]",
			FirstKey: 2, LastKey: -1, KeyStep: 1, Handler: cmdBitOp},
		one(&Command{Name: "bitfield", Arity: -2, Flags: FlagWrite | FlagDenyOOM, Since: "3.2.0",
			Summary: "Reads, writes and increments integer fields of arbitrary width in a string value.",
			Usage:   "key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | INCRBY encoding offset increment> [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | INCRBY encoding offset increment> ...]]",
			Handler: cmdBitField}),
		one(&Command{Name: "bitfield_ro", Arity: -2, Flags: FlagReadonly | FlagFast, Since: "6.0.0",
			Summary: "Reads integer fields of arbitrary width in a string value.",
			Usage:   "key [GET encoding offset [GET encoding offset ...]]", Handler: cmdBitFieldRO}),
	)
}
