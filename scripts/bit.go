package scripts

// The bit library (LuaBitOp 1.0.2, as bundled with Redis): 32-bit
// operations on numbers, results as signed 32-bit integers.

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// bitArg is LuaBitOp's barg: the number's low 32 bits (through the 2^52+2^51
// addition trick, i.e. rounding to nearest).
func bitArg(L *lua.LState, i int) uint32 {
	v := L.Get(i)
	n, ok := v.(lua.LNumber)
	if !ok {
		if s, isStr := v.(lua.LString); isStr {
			if f, err := parseLuaNumber(string(s)); err == nil {
				n, ok = lua.LNumber(f), true
			}
		}
	}
	if !ok {
		L.TypeError(i, lua.LTNumber)
	}
	f := float64(n) + 6755399441055744.0 // 2^52 + 2^51
	return uint32(uint64(int64(f)))
}

func pushBit(L *lua.LState, v uint32) int {
	L.Push(lua.LNumber(int32(v)))
	return 1
}

func openBit(L *lua.LState) {
	t := L.NewTable()
	fold := func(op func(a, b uint32) uint32) lua.LGFunction {
		return func(L *lua.LState) int {
			r := bitArg(L, 1)
			for i := 2; i <= L.GetTop(); i++ {
				r = op(r, bitArg(L, i))
			}
			return pushBit(L, r)
		}
	}
	fns := map[string]lua.LGFunction{
		"tobit": func(L *lua.LState) int { return pushBit(L, bitArg(L, 1)) },
		"bnot":  func(L *lua.LState) int { return pushBit(L, ^bitArg(L, 1)) },
		"band":  fold(func(a, b uint32) uint32 { return a & b }),
		"bor":   fold(func(a, b uint32) uint32 { return a | b }),
		"bxor":  fold(func(a, b uint32) uint32 { return a ^ b }),
		"lshift": func(L *lua.LState) int {
			return pushBit(L, bitArg(L, 1)<<(bitArg(L, 2)&31))
		},
		"rshift": func(L *lua.LState) int {
			return pushBit(L, bitArg(L, 1)>>(bitArg(L, 2)&31))
		},
		"arshift": func(L *lua.LState) int {
			return pushBit(L, uint32(int32(bitArg(L, 1))>>(bitArg(L, 2)&31)))
		},
		"rol": func(L *lua.LState) int {
			b, n := bitArg(L, 1), bitArg(L, 2)&31
			return pushBit(L, b<<n|b>>((32-n)&31))
		},
		"ror": func(L *lua.LState) int {
			b, n := bitArg(L, 1), bitArg(L, 2)&31
			return pushBit(L, b>>n|b<<((32-n)&31))
		},
		"bswap": func(L *lua.LState) int {
			b := bitArg(L, 1)
			return pushBit(L, b>>24|(b>>8)&0xff00|(b&0xff00)<<8|b<<24)
		},
		"tohex": func(L *lua.LState) int {
			b := bitArg(L, 1)
			n := int32(8)
			if L.GetTop() >= 2 && L.Get(2) != lua.LNil {
				n = int32(bitArg(L, 2))
			}
			digits := "0123456789abcdef"
			if n < 0 {
				n = -n
				digits = "0123456789ABCDEF"
			}
			if n > 8 {
				n = 8
			}
			var sb strings.Builder
			buf := make([]byte, n)
			for i := int(n) - 1; i >= 0; i-- {
				buf[i] = digits[b&15]
				b >>= 4
			}
			sb.Write(buf)
			L.Push(lua.LString(sb.String()))
			return 1
		},
	}
	for name, fn := range fns {
		t.RawSetString(name, L.NewFunction(fn))
	}
	L.G.Global.RawSetString("bit", t)
}
