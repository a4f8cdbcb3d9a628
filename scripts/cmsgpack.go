package scripts

// cmsgpack: lua-cmsgpack 0.4.0 as bundled with Redis. Integers take the
// smallest MessagePack encoding, non-integral numbers float32 when exact
// and float64 otherwise, tables are arrays when their keys are exactly
// 1..n, and nesting deeper than 16 tables encodes nil.

import (
	"encoding/binary"
	"math"

	lua "github.com/yuin/gopher-lua"
)

const cmsgpackMaxNesting = 16

func openCMsgpack(L *lua.LState) {
	t := L.NewTable()
	t.RawSetString("pack", L.NewFunction(msgpackPack))
	t.RawSetString("unpack", L.NewFunction(func(L *lua.LState) int { return msgpackUnpack(L, 0, 0, true) }))
	t.RawSetString("unpack_one", L.NewFunction(func(L *lua.LState) int {
		return msgpackUnpack(L, 1, L.OptInt(2, 0), false)
	}))
	t.RawSetString("unpack_limit", L.NewFunction(func(L *lua.LState) int {
		return msgpackUnpack(L, L.OptInt(2, 0), L.OptInt(3, 0), false)
	}))
	t.RawSetString("_NAME", lua.LString("cmsgpack"))
	t.RawSetString("_VERSION", lua.LString("lua-cmsgpack 0.4.0"))
	t.RawSetString("_COPYRIGHT", lua.LString("Copyright (C) 2012, Salvatore Sanfilippo"))
	t.RawSetString("_DESCRIPTION", lua.LString("MessagePack C implementation for Lua"))
	L.G.Global.RawSetString("cmsgpack", t)
}

func msgpackPack(L *lua.LState) int {
	n := L.GetTop()
	if n == 0 {
		L.RaiseError("bad argument #0 to 'pack' (MessagePack pack needs input.)")
	}
	var b []byte
	for i := 1; i <= n; i++ {
		b = msgpackEncode(b, L.Get(i), 0)
	}
	L.Push(lua.LString(b))
	return 1
}

func msgpackEncode(b []byte, v lua.LValue, level int) []byte {
	switch v := v.(type) {
	case lua.LString:
		return msgpackBytes(b, string(v))
	case lua.LBool:
		if v {
			return append(b, 0xc3)
		}
		return append(b, 0xc2)
	case lua.LNumber:
		f := float64(v)
		if !math.IsInf(f, 0) && !math.IsNaN(f) && float64(int64(f)) == f {
			return msgpackInt(b, int64(f))
		}
		if float64(float32(f)) == f {
			b = append(b, 0xca)
			return binary.BigEndian.AppendUint32(b, math.Float32bits(float32(f)))
		}
		b = append(b, 0xcb)
		return binary.BigEndian.AppendUint64(b, math.Float64bits(f))
	case *lua.LTable:
		if level == cmsgpackMaxNesting {
			return append(b, 0xc0)
		}
		if n, ok := msgpackArrayLen(v); ok {
			b = msgpackHeader(b, n, 0x90, 0xdc, 0xdd)
			for i := 1; i <= n; i++ {
				b = msgpackEncode(b, v.RawGetInt(i), level+1)
			}
			return b
		}
		n := 0
		v.ForEach(func(_, _ lua.LValue) { n++ })
		b = msgpackHeader(b, n, 0x80, 0xde, 0xdf)
		v.ForEach(func(k, val lua.LValue) {
			b = msgpackEncode(b, k, level+1)
			b = msgpackEncode(b, val, level+1)
		})
		return b
	}
	return append(b, 0xc0)
}

// msgpackArrayLen is table_is_an_array: every key a positive integer and
// no holes.
func msgpackArrayLen(t *lua.LTable) (int, bool) {
	count, maxKey := 0, 0
	ok := true
	t.ForEach(func(k, _ lua.LValue) {
		n, isNum := k.(lua.LNumber)
		if !isNum || float64(n) < 1 || float64(int64(n)) != float64(n) {
			ok = false
			return
		}
		count++
		if int(n) > maxKey {
			maxKey = int(n)
		}
	})
	return count, ok && count == maxKey
}

func msgpackHeader(b []byte, n int, fix, b16, b32 byte) []byte {
	switch {
	case n < 16:
		return append(b, fix|byte(n))
	case n <= 0xffff:
		return binary.BigEndian.AppendUint16(append(b, b16), uint16(n))
	default:
		return binary.BigEndian.AppendUint32(append(b, b32), uint32(n))
	}
}

func msgpackBytes(b []byte, s string) []byte {
	n := len(s)
	switch {
	case n < 32:
		b = append(b, 0xa0|byte(n))
	case n <= 0xff:
		b = append(b, 0xd9, byte(n))
	case n <= 0xffff:
		b = binary.BigEndian.AppendUint16(append(b, 0xda), uint16(n))
	default:
		b = binary.BigEndian.AppendUint32(append(b, 0xdb), uint32(n))
	}
	return append(b, s...)
}

func msgpackInt(b []byte, n int64) []byte {
	if n >= 0 {
		switch {
		case n <= 127:
			return append(b, byte(n))
		case n <= 0xff:
			return append(b, 0xcc, byte(n))
		case n <= 0xffff:
			return binary.BigEndian.AppendUint16(append(b, 0xcd), uint16(n))
		case n <= 0xffffffff:
			return binary.BigEndian.AppendUint32(append(b, 0xce), uint32(n))
		default:
			return binary.BigEndian.AppendUint64(append(b, 0xcf), uint64(n))
		}
	}
	switch {
	case n >= -32:
		return append(b, byte(int8(n)))
	case n >= -128:
		return append(b, 0xd0, byte(int8(n)))
	case n >= -32768:
		return binary.BigEndian.AppendUint16(append(b, 0xd1), uint16(int16(n)))
	case n >= -2147483648:
		return binary.BigEndian.AppendUint32(append(b, 0xd2), uint32(int32(n)))
	default:
		return binary.BigEndian.AppendUint64(append(b, 0xd3), uint64(n))
	}
}

type msgpackError int

const (
	msgpackOK msgpackError = iota
	msgpackEOF
	msgpackBadFormat
)

type msgpackCursor struct {
	L    *lua.LState
	data []byte
	err  msgpackError
}

func (c *msgpackCursor) take(n int) []byte {
	if c.err != msgpackOK {
		return nil
	}
	if n < 0 || len(c.data) < n {
		c.err = msgpackEOF
		return nil
	}
	out := c.data[:n]
	c.data = c.data[n:]
	return out
}

func (c *msgpackCursor) uint(n int) uint64 {
	b := c.take(n)
	if b == nil {
		return 0
	}
	var v uint64
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	return v
}

func (c *msgpackCursor) decode(depth int) lua.LValue {
	if depth > 1000 {
		c.err = msgpackBadFormat
		return lua.LNil
	}
	h := c.take(1)
	if h == nil {
		return lua.LNil
	}
	t := h[0]
	switch {
	case t <= 0x7f:
		return lua.LNumber(t)
	case t >= 0xe0:
		return lua.LNumber(int8(t))
	case t >= 0xa0 && t <= 0xbf:
		return c.str(int(t & 0x1f))
	case t >= 0x90 && t <= 0x9f:
		return c.array(int(t&0x0f), depth)
	case t >= 0x80 && t <= 0x8f:
		return c.object(int(t&0x0f), depth)
	}
	switch t {
	case 0xcc:
		return lua.LNumber(c.uint(1))
	case 0xcd:
		return lua.LNumber(c.uint(2))
	case 0xce:
		return lua.LNumber(c.uint(4))
	case 0xcf:
		return lua.LNumber(float64(c.uint(8)))
	case 0xd0:
		return lua.LNumber(int8(c.uint(1)))
	case 0xd1:
		return lua.LNumber(int16(c.uint(2)))
	case 0xd2:
		return lua.LNumber(int32(c.uint(4)))
	case 0xd3:
		return lua.LNumber(float64(int64(c.uint(8))))
	case 0xc0:
		return lua.LNil
	case 0xc2:
		return lua.LFalse
	case 0xc3:
		return lua.LTrue
	case 0xca:
		return lua.LNumber(math.Float32frombits(uint32(c.uint(4))))
	case 0xcb:
		return lua.LNumber(math.Float64frombits(c.uint(8)))
	case 0xd9, 0xc4:
		return c.str(int(c.uint(1)))
	case 0xda, 0xc5:
		return c.str(int(c.uint(2)))
	case 0xdb, 0xc6:
		return c.str(int(c.uint(4)))
	case 0xdc:
		return c.array(int(c.uint(2)), depth)
	case 0xdd:
		return c.array(int(c.uint(4)), depth)
	case 0xde:
		return c.object(int(c.uint(2)), depth)
	case 0xdf:
		return c.object(int(c.uint(4)), depth)
	}
	c.err = msgpackBadFormat
	return lua.LNil
}

func (c *msgpackCursor) str(n int) lua.LValue {
	b := c.take(n)
	if b == nil {
		return lua.LNil
	}
	return lua.LString(b)
}

func (c *msgpackCursor) array(n int, depth int) lua.LValue {
	t := c.L.CreateTable(min(n, 1024), 0)
	for i := 1; i <= n && c.err == msgpackOK; i++ {
		t.RawSetInt(i, c.decode(depth+1))
	}
	return t
}

func (c *msgpackCursor) object(n int, depth int) lua.LValue {
	t := c.L.CreateTable(0, min(n, 1024))
	for i := 0; i < n && c.err == msgpackOK; i++ {
		k := c.decode(depth + 1)
		v := c.decode(depth + 1)
		if c.err == msgpackOK && k != lua.LNil {
			t.RawSet(k, v)
		}
	}
	return t
}

// msgpackUnpack is mp_unpack_full: decode up to limit values (all of them
// when all is set) starting at offset.
func msgpackUnpack(L *lua.LState, limit, offset int, all bool) int {
	s := L.CheckString(1)
	if offset < 0 || limit < 0 {
		L.RaiseError("Invalid request to unpack with offset of %d and limit of %d.", offset, len(s))
	}
	if offset > len(s) {
		L.RaiseError("Start offset %d greater than input length %d.", offset, len(s))
	}
	if all {
		limit = math.MaxInt
	}
	c := &msgpackCursor{L: L, data: []byte(s[offset:])}
	var out []lua.LValue
	for cnt := 0; len(c.data) > 0 && cnt < limit; cnt++ {
		v := c.decode(0)
		switch c.err {
		case msgpackEOF:
			L.RaiseError("Missing bytes in input.")
		case msgpackBadFormat:
			L.RaiseError("Bad data format in input.")
		}
		out = append(out, v)
	}
	if !all {
		next := len(s) - len(c.data)
		if len(c.data) == 0 {
			next = -1
		}
		L.Push(lua.LNumber(next))
	}
	for _, v := range out {
		L.Push(v)
	}
	if all {
		return len(out)
	}
	return len(out) + 1
}
