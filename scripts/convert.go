package scripts

// Conversions between RESP replies and Lua values, following Redis 7's
// script_lua.c: redisProtocolToLuaType for the replies of redis.call and
// luaReplyToRedisReply for the value a script returns.

import (
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// respToLua converts a parsed command reply into the Lua value a script sees.
func respToLua(L *lua.LState, v respValue) lua.LValue {
	switch v.Kind {
	case ':':
		return lua.LNumber(v.Int)
	case '$':
		if v.Null {
			return lua.LFalse
		}
		return lua.LString(v.Str)
	case '*', '>':
		if v.Null {
			return lua.LFalse
		}
		t := L.CreateTable(len(v.Elems), 0)
		for i, e := range v.Elems {
			t.RawSetInt(i+1, respToLua(L, e))
		}
		return t
	case '+':
		t := L.CreateTable(0, 1)
		t.RawSetString("ok", lua.LString(v.Str))
		return t
	case '-':
		t := errorTable(L, "-"+string(v.Str))
		// The command that replied counted the error already.
		t.RawSetString(ignoreStatsField, lua.LTrue)
		return t
	case '%':
		inner := L.CreateTable(0, len(v.Elems)/2)
		for i := 0; i+1 < len(v.Elems); i += 2 {
			inner.RawSet(respToLua(L, v.Elems[i]), respToLua(L, v.Elems[i+1]))
		}
		t := L.CreateTable(0, 1)
		t.RawSetString("map", inner)
		return t
	case '~':
		inner := L.CreateTable(0, len(v.Elems))
		for _, e := range v.Elems {
			inner.RawSet(respToLua(L, e), lua.LTrue)
		}
		t := L.CreateTable(0, 1)
		t.RawSetString("set", inner)
		return t
	case '_':
		return lua.LNil
	case '#':
		return lua.LBool(v.Bool)
	case ',':
		f, _ := parseRESPDouble(string(v.Str))
		t := L.CreateTable(0, 1)
		t.RawSetString("double", lua.LNumber(f))
		return t
	case '(':
		t := L.CreateTable(0, 1)
		t.RawSetString("big_number", lua.LString(v.Str))
		return t
	case '=':
		format, text := "txt", v.Str
		if len(text) >= 4 && text[3] == ':' {
			format, text = string(text[:3]), text[4:]
		}
		inner := L.CreateTable(0, 2)
		inner.RawSetString("string", lua.LString(text))
		inner.RawSetString("format", lua.LString(format))
		t := L.CreateTable(0, 1)
		t.RawSetString("verbatim_string", inner)
		return t
	}
	return lua.LNil
}

func parseRESPDouble(s string) (float64, error) {
	switch s {
	case "inf":
		return math.Inf(1), nil
	case "-inf":
		return math.Inf(-1), nil
	case "nan", "-nan":
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, 64)
}

// errorText turns an error as Redis code produces it ("-CODE message" or a
// bare message) into the "CODE message" form of a Lua error table, as
// luaPushErrorBuff does.
func errorText(s string) string {
	code, msg := "ERR", s
	if strings.HasPrefix(s, "-") {
		if i := strings.IndexByte(s, ' '); i < 0 {
			msg = s[1:]
		} else {
			code, msg = s[1:i], s[i+1:]
		}
	}
	msg = strings.Trim(msg, "\r\n")
	return code + " " + msg
}

// ignoreStatsField marks an error object whose error a command counted in
// errorstats already.
const ignoreStatsField = "ignore_error_stats_update"

// errorTable is Redis's error object: {err = "CODE message"}.
func errorTable(L *lua.LState, s string) *lua.LTable {
	t := L.CreateTable(0, 1)
	t.RawSetString("err", lua.LString(errorText(s)))
	return t
}

// maxReplyDepth stands in for the Lua stack limit that stops Redis from
// converting a table that contains itself.
const maxReplyDepth = 7990 / 4

// replyWriter converts the script's result into RESP for the caller.
type replyWriter struct {
	callerResp int // the caller's protocol: 2 or 3
	scriptResp int // redis.setresp: decides how booleans convert
}

func (w replyWriter) null(b []byte) []byte {
	if w.callerResp == 3 {
		return append(b, "_\r\n"...)
	}
	return append(b, "$-1\r\n"...)
}

func appendBulk(b []byte, s string) []byte {
	b = append(b, '$')
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, "\r\n"...)
	b = append(b, s...)
	return append(b, "\r\n"...)
}

func appendHeader(b []byte, kind byte, n int) []byte {
	b = append(b, kind)
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, "\r\n"...)
}

// noNewlines maps CR and LF to spaces, as Redis does for status and error
// replies built from script values.
func noNewlines(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}

func (w replyWriter) write(b []byte, v lua.LValue, depth int) []byte {
	if depth > maxReplyDepth {
		return append(b, "-ERR reached lua stack limit\r\n"...)
	}
	switch v := v.(type) {
	case lua.LString:
		return appendBulk(b, string(v))
	case lua.LBool:
		if w.scriptResp == 2 {
			if v {
				return append(b, ":1\r\n"...)
			}
			return w.null(b)
		}
		switch {
		case w.callerResp == 3 && bool(v):
			return append(b, "#t\r\n"...)
		case w.callerResp == 3:
			return append(b, "#f\r\n"...)
		case bool(v):
			return append(b, ":1\r\n"...)
		default:
			return append(b, ":0\r\n"...)
		}
	case lua.LNumber:
		b = append(b, ':')
		b = strconv.AppendInt(b, luaNumberToInt(float64(v)), 10)
		return append(b, "\r\n"...)
	case *lua.LTable:
		return w.writeTable(b, v, depth)
	}
	return w.null(b)
}

// luaNumberToInt is C's (long long) cast of a double: truncation, with the
// out-of-range values x86 produces.
func luaNumberToInt(f float64) int64 {
	if math.IsNaN(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0 {
		return math.MinInt64
	}
	return int64(f)
}

func (w replyWriter) writeTable(b []byte, t *lua.LTable, depth int) []byte {
	if e, ok := t.RawGetString("err").(lua.LString); ok {
		b = append(b, '-')
		b = append(b, noNewlines(string(e))...)
		return append(b, "\r\n"...)
	}
	if s, ok := t.RawGetString("ok").(lua.LString); ok {
		b = append(b, '+')
		b = append(b, noNewlines(string(s))...)
		return append(b, "\r\n"...)
	}
	if d, ok := t.RawGetString("double").(lua.LNumber); ok {
		return w.double(b, float64(d))
	}
	if s, ok := t.RawGetString("big_number").(lua.LString); ok {
		n := noNewlines(string(s))
		if w.callerResp == 3 {
			b = append(b, '(')
			b = append(b, n...)
			return append(b, "\r\n"...)
		}
		return appendBulk(b, n)
	}
	if vt, ok := t.RawGetString("verbatim_string").(*lua.LTable); ok {
		format, okf := vt.RawGetString("format").(lua.LString)
		str, oks := vt.RawGetString("string").(lua.LString)
		if okf && oks {
			if w.callerResp != 3 {
				return appendBulk(b, string(str))
			}
			f := string(format)
			if len(f) > 3 {
				f = f[:3]
			}
			b = appendHeader(b, '=', len(str)+4)
			b = append(b, f...)
			b = append(b, ':')
			b = append(b, str...)
			return append(b, "\r\n"...)
		}
	}
	if m, ok := t.RawGetString("map").(*lua.LTable); ok {
		var body []byte
		n := 0
		m.ForEach(func(k, v lua.LValue) {
			body = w.write(body, k, depth+1)
			body = w.write(body, v, depth+1)
			n++
		})
		if w.callerResp == 3 {
			b = appendHeader(b, '%', n)
		} else {
			b = appendHeader(b, '*', 2*n)
		}
		return append(b, body...)
	}
	if s, ok := t.RawGetString("set").(*lua.LTable); ok {
		var body []byte
		n := 0
		s.ForEach(func(k, _ lua.LValue) {
			body = w.write(body, k, depth+1)
			n++
		})
		if w.callerResp == 3 {
			b = appendHeader(b, '~', n)
		} else {
			b = appendHeader(b, '*', n)
		}
		return append(b, body...)
	}
	// An array: elements 1, 2, ... up to the first nil.
	var body []byte
	n := 0
	for i := 1; ; i++ {
		e := t.RawGetInt(i)
		if e == lua.LNil {
			break
		}
		body = w.write(body, e, depth+1)
		n++
	}
	b = appendHeader(b, '*', n)
	return append(b, body...)
}

// double is addReplyDouble: "%.17g", a bulk string in RESP2.
func (w replyWriter) double(b []byte, f float64) []byte {
	var s string
	switch {
	case math.IsInf(f, 1):
		s = "inf"
	case math.IsInf(f, -1):
		s = "-inf"
	default:
		s = formatG(f, 17)
	}
	if w.callerResp == 3 {
		b = append(b, ',')
		b = append(b, s...)
		return append(b, "\r\n"...)
	}
	return appendBulk(b, s)
}

// formatG is C's printf("%.<prec>g").
func formatG(f float64, prec int) string {
	switch {
	case math.IsNaN(f):
		if math.Signbit(f) {
			return "-nan"
		}
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'g', prec, 64)
}
