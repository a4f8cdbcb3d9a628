package scripts

// struct: Roberto Ierusalimschy's struct library (0.2) as bundled with
// Redis: struct.pack, struct.unpack and struct.size over C layouts
// ('<' '>' '!' endianness and alignment, b B h H l L T i I f d s c x).

import (
	"encoding/binary"
	"math"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

const (
	structMaxIntSize = 32
	structMaxAlign   = 8
)

type structHeader struct {
	little bool
	align  int
}

type structFormat struct {
	L   *lua.LState
	fmt string
	i   int
}

func (f *structFormat) more() bool { return f.i < len(f.fmt) }

func (f *structFormat) getnum(def int) int {
	if f.i >= len(f.fmt) || f.fmt[f.i] < '0' || f.fmt[f.i] > '9' {
		return def
	}
	a := 0
	for f.i < len(f.fmt) && f.fmt[f.i] >= '0' && f.fmt[f.i] <= '9' {
		if a > (math.MaxInt32-9)/10 {
			f.L.RaiseError("integral size overflow")
		}
		a = a*10 + int(f.fmt[f.i]-'0')
		f.i++
	}
	return a
}

func (f *structFormat) optsize(opt byte) int {
	switch opt {
	case 'B', 'b', 'x':
		return 1
	case 'H', 'h':
		return 2
	case 'L', 'l', 'T', 'd':
		return 8
	case 'f':
		return 4
	case 'c':
		return f.getnum(1)
	case 'i', 'I':
		sz := f.getnum(4)
		if sz > structMaxIntSize {
			f.L.RaiseError("integral size %d is larger than limit of %d", sz, structMaxIntSize)
		}
		return sz
	}
	return 0
}

func structToAlign(n int, h *structHeader, opt byte, size int) int {
	if size == 0 || opt == 'c' {
		return 0
	}
	if size > h.align {
		size = h.align
	}
	return (size - (n & (size - 1))) & (size - 1)
}

func (f *structFormat) control(opt byte, h *structHeader, fname string) {
	switch opt {
	case ' ':
	case '>':
		h.little = false
	case '<':
		h.little = true
	case '!':
		a := f.getnum(structMaxAlign)
		if a <= 0 || a&(a-1) != 0 {
			f.L.RaiseError("alignment %d is not a power of 2", a)
		}
		h.align = a
	default:
		f.L.RaiseError("bad argument #1 to '%s' (invalid format option '%c')", fname, opt)
	}
}

func openStruct(L *lua.LState) {
	t := L.NewTable()
	t.RawSetString("pack", L.NewFunction(structPack))
	t.RawSetString("unpack", L.NewFunction(structUnpack))
	t.RawSetString("size", L.NewFunction(structSize))
	L.G.Global.RawSetString("struct", t)
}

func putStructInt(b []byte, v uint64, little bool, size int) []byte {
	out := make([]byte, size)
	for i := 0; i < size; i++ {
		byt := byte(0)
		if i < 8 {
			byt = byte(v >> (8 * i))
		} else if int64(v) < 0 {
			byt = 0xff
		}
		if little {
			out[i] = byt
		} else {
			out[size-1-i] = byt
		}
	}
	return append(b, out...)
}

func structPack(L *lua.LState) int {
	f := &structFormat{L: L, fmt: L.CheckString(1)}
	h := structHeader{little: true, align: 1}
	arg := 2
	var b []byte
	for f.more() {
		opt := f.fmt[f.i]
		f.i++
		size := f.optsize(opt)
		for n := structToAlign(len(b), &h, opt, size); n > 0; n-- {
			b = append(b, 0)
		}
		switch opt {
		case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I':
			n := float64(L.CheckNumber(arg))
			arg++
			var v uint64
			if n < 0 {
				v = uint64(int64(n))
			} else {
				v = uint64(n)
			}
			b = putStructInt(b, v, h.little, size)
		case 'x':
			b = append(b, 0)
		case 'f':
			bits := math.Float32bits(float32(L.CheckNumber(arg)))
			arg++
			b = putStructInt(b, uint64(bits), h.little, 4)
		case 'd':
			bits := math.Float64bits(float64(L.CheckNumber(arg)))
			arg++
			b = putStructInt(b, bits, h.little, 8)
		case 'c', 's':
			s := L.CheckString(arg)
			arg++
			if size == 0 {
				size = len(s)
			}
			if len(s) < size {
				L.RaiseError("bad argument #%d to 'pack' (string too short)", arg-1)
			}
			b = append(b, s[:size]...)
			if opt == 's' {
				b = append(b, 0)
			}
		default:
			f.control(opt, &h, "pack")
		}
	}
	L.Push(lua.LString(b))
	return 1
}

func byteOrder(little bool) binary.ByteOrder {
	if little {
		return binary.LittleEndian
	}
	return binary.BigEndian
}

func getStructInt(data []byte, little, signed bool, size int) float64 {
	var v uint64
	for i := 0; i < size; i++ {
		var byt byte
		if little {
			byt = data[size-1-i]
		} else {
			byt = data[i]
		}
		v = v<<8 | uint64(byt)
	}
	if signed && size < 8 {
		mask := uint64(1) << (uint(size)*8 - 1)
		v = (v ^ mask) - mask
	}
	if signed {
		return float64(int64(v))
	}
	return float64(v)
}

func structUnpack(L *lua.LState) int {
	f := &structFormat{L: L, fmt: L.CheckString(1)}
	data := []byte(L.CheckString(2))
	pos := L.OptInt(3, 1) - 1
	if pos < 0 || pos > len(data) {
		L.RaiseError("bad argument #3 to 'unpack' (offset must be 1 <= offset <= len + 1)")
	}
	h := structHeader{little: true, align: 1}
	var out []lua.LValue
	for f.more() {
		opt := f.fmt[f.i]
		f.i++
		size := f.optsize(opt)
		pos += structToAlign(pos, &h, opt, size)
		if pos+size > len(data) || pos+size < pos {
			L.RaiseError("bad argument #2 to 'unpack' (data string too short)")
		}
		switch opt {
		case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I':
			signed := opt >= 'a' && opt <= 'z'
			if size > 8 {
				out = append(out, lua.LNumber(getStructInt(data[pos+size-8:pos+size], h.little, signed, 8)))
				if h.little {
					out[len(out)-1] = lua.LNumber(getStructInt(data[pos:pos+8], true, signed, 8))
				}
			} else {
				out = append(out, lua.LNumber(getStructInt(data[pos:pos+size], h.little, signed, size)))
			}
		case 'x':
		case 'f':
			out = append(out, lua.LNumber(math.Float32frombits(byteOrder(h.little).Uint32(data[pos:]))))
		case 'd':
			out = append(out, lua.LNumber(math.Float64frombits(byteOrder(h.little).Uint64(data[pos:]))))
		case 'c':
			if size == 0 {
				if len(out) == 0 {
					L.RaiseError("format 'c0' needs a previous size")
				}
				n, ok := out[len(out)-1].(lua.LNumber)
				if !ok {
					L.RaiseError("format 'c0' needs a previous size")
				}
				out = out[:len(out)-1]
				size = int(n)
				if size < 0 || size > len(data)-pos {
					L.RaiseError("bad argument #2 to 'unpack' (data string too short)")
				}
			}
			out = append(out, lua.LString(data[pos:pos+size]))
		case 's':
			e := strings.IndexByte(string(data[pos:]), 0)
			if e < 0 {
				L.RaiseError("unfinished string in data")
			}
			size = e + 1
			out = append(out, lua.LString(data[pos:pos+e]))
		default:
			f.control(opt, &h, "unpack")
		}
		pos += size
	}
	for _, v := range out {
		L.Push(v)
	}
	L.Push(lua.LNumber(pos + 1))
	return len(out) + 1
}

func structSize(L *lua.LState) int {
	f := &structFormat{L: L, fmt: L.CheckString(1)}
	h := structHeader{little: true, align: 1}
	total := 0
	for f.more() {
		opt := f.fmt[f.i]
		f.i++
		size := f.optsize(opt)
		total += structToAlign(total, &h, opt, size)
		if opt == 's' {
			L.RaiseError("bad argument #1 to 'size' (option 's' has no fixed size)")
		}
		if opt == 'c' && size == 0 {
			L.RaiseError("bad argument #1 to 'size' (option 'c0' has no fixed size)")
		}
		if !strings.ContainsRune("bBhHlLTiIfdcx", rune(opt)) {
			f.control(opt, &h, "size")
		}
		total += size
	}
	L.Push(lua.LNumber(total))
	return 1
}
