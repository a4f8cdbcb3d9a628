package scripts

// cjson: Lua CJSON 2.1.0 as bundled with Redis. Output follows its format
// exactly where Lua table order allows: numbers as "%.14g", '/' escaped,
// control characters as \u00XX, an empty table as {}, sparse arrays refused.
// Decoding errors use its texts ("Expected value but found T_END at
// character 1").

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
)

// cjsonConfig is the library's settings (cjson.encode_max_depth & co).
type cjsonConfig struct {
	encodeMaxDepth        int
	decodeMaxDepth        int
	precision             int
	sparseConvert         bool
	sparseRatio           int
	sparseSafe            int
	encodeInvalidNumbers  bool
	decodeInvalidNumbers  bool
	encodeKeepBuffer      bool
	null                  *lua.LUserData
	encodeTableKeyInvalid bool
}

func openCJSON(L *lua.LState) {
	cfg := &cjsonConfig{encodeMaxDepth: 1000, decodeMaxDepth: 1000, precision: 14, sparseRatio: 2, sparseSafe: 10,
		decodeInvalidNumbers: true, encodeKeepBuffer: true}
	cfg.null = L.NewUserData()
	t := L.NewTable()
	fns := map[string]lua.LGFunction{
		"encode":           cfg.encode,
		"decode":           cfg.decode,
		"encode_max_depth": depthSetting(&cfg.encodeMaxDepth),
		"decode_max_depth": depthSetting(&cfg.decodeMaxDepth),
		"encode_number_precision": func(L *lua.LState) int {
			if L.GetTop() >= 1 {
				p := L.CheckInt(1)
				if p < 1 || p > 14 {
					L.ArgError(1, "expected integer between 1 and 14")
				}
				cfg.precision = p
			}
			L.Push(lua.LNumber(cfg.precision))
			return 1
		},
		"encode_sparse_array": func(L *lua.LState) int {
			if L.GetTop() >= 1 {
				cfg.sparseConvert = optBool(L, 1, cfg.sparseConvert)
			}
			if L.GetTop() >= 2 {
				cfg.sparseRatio = L.CheckInt(2)
			}
			if L.GetTop() >= 3 {
				cfg.sparseSafe = L.CheckInt(3)
			}
			L.Push(lua.LBool(cfg.sparseConvert))
			L.Push(lua.LNumber(cfg.sparseRatio))
			L.Push(lua.LNumber(cfg.sparseSafe))
			return 3
		},
		"encode_invalid_numbers": boolSetting(&cfg.encodeInvalidNumbers),
		"decode_invalid_numbers": boolSetting(&cfg.decodeInvalidNumbers),
		"encode_keep_buffer":     boolSetting(&cfg.encodeKeepBuffer),
	}
	for name, fn := range fns {
		t.RawSetString(name, L.NewFunction(fn))
	}
	t.RawSetString("null", cfg.null)
	t.RawSetString("_NAME", lua.LString("cjson"))
	t.RawSetString("_VERSION", lua.LString("2.1.0"))
	L.G.Global.RawSetString("cjson", t)
}

// depthSetting and boolSetting are the cjson.* functions that set a
// setting when given an argument and return its value.
func depthSetting(v *int) lua.LGFunction {
	return func(L *lua.LState) int {
		*v = optPositive(L, 1, *v)
		L.Push(lua.LNumber(*v))
		return 1
	}
}

func boolSetting(v *bool) lua.LGFunction {
	return func(L *lua.LState) int {
		*v = optBool(L, 1, *v)
		L.Push(lua.LBool(*v))
		return 1
	}
}

func optPositive(L *lua.LState, i, def int) int {
	if L.GetTop() < i || L.Get(i) == lua.LNil {
		return def
	}
	n := L.CheckInt(i)
	if n < 1 {
		L.ArgError(i, "expected integer between 1 and 2147483647")
	}
	return n
}

func optBool(L *lua.LState, i int, def bool) bool {
	if L.GetTop() < i || L.Get(i) == lua.LNil {
		return def
	}
	switch v := L.Get(i).(type) {
	case lua.LBool:
		return bool(v)
	case lua.LString:
		switch string(v) {
		case "on":
			return true
		case "off":
			return false
		}
	}
	L.ArgError(i, "invalid option '"+lua.LVAsString(L.Get(i))+"'")
	return def
}

// encode is cjson.encode(value).
func (cfg *cjsonConfig) encode(L *lua.LState) int {
	if L.GetTop() != 1 {
		L.ArgError(1, "expected 1 argument")
	}
	var b strings.Builder
	cfg.appendValue(L, &b, L.Get(1), 0)
	L.Push(lua.LString(b.String()))
	return 1
}

func cjsonTypeName(v lua.LValue) string {
	if _, ok := v.(*lua.LUserData); ok {
		return "userdata"
	}
	return v.Type().String()
}

func (cfg *cjsonConfig) appendValue(L *lua.LState, b *strings.Builder, v lua.LValue, depth int) {
	switch v := v.(type) {
	case lua.LString:
		appendJSONString(b, string(v))
	case lua.LNumber:
		cfg.appendNumber(L, b, float64(v))
	case lua.LBool:
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case *lua.LNilType:
		b.WriteString("null")
	case *lua.LUserData:
		if v == cfg.null {
			b.WriteString("null")
			return
		}
		L.RaiseError("Cannot serialise userdata: type not supported")
	case *lua.LTable:
		depth++
		if depth > cfg.encodeMaxDepth {
			L.RaiseError("Cannot serialise, excessive nesting (%d)", depth)
		}
		n := cfg.arrayLength(L, v)
		if n > 0 {
			b.WriteByte('[')
			for i := 1; i <= n; i++ {
				if i > 1 {
					b.WriteByte(',')
				}
				cfg.appendValue(L, b, v.RawGetInt(i), depth)
			}
			b.WriteByte(']')
			return
		}
		b.WriteByte('{')
		first := true
		v.ForEach(func(k, val lua.LValue) {
			if !first {
				b.WriteByte(',')
			}
			first = false
			switch k := k.(type) {
			case lua.LNumber:
				b.WriteByte('"')
				b.WriteString(formatG(float64(k), cfg.precision))
				b.WriteByte('"')
			case lua.LString:
				appendJSONString(b, string(k))
			default:
				L.RaiseError("Cannot serialise %s: table key must be a number or string", cjsonTypeName(k))
			}
			b.WriteByte(':')
			cfg.appendValue(L, b, val, depth)
		})
		b.WriteByte('}')
	default:
		L.RaiseError("Cannot serialise %s: type not supported", cjsonTypeName(v))
	}
}

func (cfg *cjsonConfig) appendNumber(L *lua.LState, b *strings.Builder, f float64) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		if !cfg.encodeInvalidNumbers {
			L.RaiseError("Cannot serialise number: must not be NaN or Inf")
		}
		switch {
		case math.IsNaN(f):
			b.WriteString("nan")
		case f > 0:
			b.WriteString("inf")
		default:
			b.WriteString("-inf")
		}
		return
	}
	b.WriteString(formatG(f, cfg.precision))
}

// arrayLength is lua_array_length: the array size when every key is a
// positive integer (0 for an empty table), -1 for an object.
func (cfg *cjsonConfig) arrayLength(L *lua.LState, t *lua.LTable) int {
	maxKey, items := 0.0, 0
	isArray := true
	t.ForEach(func(k, _ lua.LValue) {
		if !isArray {
			return
		}
		if n, ok := k.(lua.LNumber); ok && math.Floor(float64(n)) == float64(n) && n >= 1 {
			if float64(n) > maxKey {
				maxKey = float64(n)
			}
			items++
			return
		}
		isArray = false
	})
	if !isArray {
		return -1
	}
	if cfg.sparseRatio > 0 && maxKey > float64(items*cfg.sparseRatio) && maxKey > float64(cfg.sparseSafe) {
		if !cfg.sparseConvert {
			L.RaiseError("Cannot serialise table: excessively sparse array")
		}
		return -1
	}
	return int(maxKey)
}

func appendJSONString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '/':
			b.WriteString(`\/`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 || c == 0x7f {
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&15])
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
}

// JSON decoding: a tokenizer and a recursive parser with Lua CJSON's
// token names and error texts.

type jsonTokenType int

const (
	tObjBegin jsonTokenType = iota
	tObjEnd
	tArrBegin
	tArrEnd
	tString
	tNumber
	tBoolean
	tNull
	tColon
	tComma
	tEnd
	tWhitespace
	tError
	tUnknown
)

var jsonTokenNames = []string{"T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END", "T_STRING",
	"T_NUMBER", "T_BOOLEAN", "T_NULL", "T_COLON", "T_COMMA", "T_END", "T_WHITESPACE", "T_ERROR", "T_UNKNOWN"}

type jsonToken struct {
	typ   jsonTokenType
	index int
	str   string
	num   float64
	b     bool
	err   string
}

type jsonDecoder struct {
	L     *lua.LState
	cfg   *cjsonConfig
	data  string
	pos   int
	depth int
}

func (cfg *cjsonConfig) decode(L *lua.LState) int {
	if L.GetTop() != 1 {
		L.ArgError(1, "expected 1 argument")
	}
	s := L.CheckString(1)
	d := &jsonDecoder{L: L, cfg: cfg, data: s}
	tok := d.next()
	v := d.value(tok)
	tok = d.next()
	if tok.typ != tEnd {
		d.throw("the end", tok)
	}
	L.Push(v)
	return 1
}

func (d *jsonDecoder) throw(expected string, tok jsonToken) {
	found := jsonTokenNames[tok.typ]
	if tok.typ == tError {
		found = tok.err
	}
	d.L.RaiseError("Expected %s but found %s at character %d", expected, found, tok.index+1)
}

func (d *jsonDecoder) value(tok jsonToken) lua.LValue {
	switch tok.typ {
	case tString:
		return lua.LString(tok.str)
	case tNumber:
		return lua.LNumber(tok.num)
	case tBoolean:
		return lua.LBool(tok.b)
	case tNull:
		return d.cfg.null
	case tObjBegin:
		return d.object(tok)
	case tArrBegin:
		return d.array(tok)
	}
	d.throw("value", tok)
	return lua.LNil
}

func (d *jsonDecoder) enter(tok jsonToken) {
	d.depth++
	if d.depth > d.cfg.decodeMaxDepth {
		d.L.RaiseError("Found too many nested data structures (%d) at character %d", d.depth, tok.index+1)
	}
}

func (d *jsonDecoder) object(open jsonToken) lua.LValue {
	d.enter(open)
	t := d.L.NewTable()
	tok := d.next()
	if tok.typ == tObjEnd {
		d.depth--
		return t
	}
	for {
		if tok.typ != tString {
			d.throw("object key string", tok)
		}
		key := tok.str
		tok = d.next()
		if tok.typ != tColon {
			d.throw("colon", tok)
		}
		t.RawSetString(key, d.value(d.next()))
		tok = d.next()
		if tok.typ == tObjEnd {
			d.depth--
			return t
		}
		if tok.typ != tComma {
			d.throw("comma or object end", tok)
		}
		tok = d.next()
	}
}

func (d *jsonDecoder) array(open jsonToken) lua.LValue {
	d.enter(open)
	t := d.L.NewTable()
	tok := d.next()
	if tok.typ == tArrEnd {
		d.depth--
		return t
	}
	for i := 1; ; i++ {
		t.RawSetInt(i, d.value(tok))
		tok = d.next()
		if tok.typ == tArrEnd {
			d.depth--
			return t
		}
		if tok.typ != tComma {
			d.throw("comma or array end", tok)
		}
		tok = d.next()
	}
}

func (d *jsonDecoder) next() jsonToken {
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			break
		}
		d.pos++
	}
	tok := jsonToken{index: d.pos}
	if d.pos >= len(d.data) {
		tok.typ = tEnd
		return tok
	}
	c := d.data[d.pos]
	single := map[byte]jsonTokenType{'{': tObjBegin, '}': tObjEnd, '[': tArrBegin, ']': tArrEnd, ':': tColon, ',': tComma}
	if t, ok := single[c]; ok {
		d.pos++
		tok.typ = t
		return tok
	}
	switch {
	case c == '"':
		return d.str(tok)
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number(tok)
	case d.cfg.decodeInvalidNumbers && (hasPrefixFold(d.data[d.pos:], "inf") || hasPrefixFold(d.data[d.pos:], "nan")):
		return d.number(tok)
	}
	for _, lit := range []struct {
		s   string
		typ jsonTokenType
		b   bool
	}{{"true", tBoolean, true}, {"false", tBoolean, false}, {"null", tNull, false}} {
		if strings.HasPrefix(d.data[d.pos:], lit.s) {
			d.pos += len(lit.s)
			tok.typ, tok.b = lit.typ, lit.b
			return tok
		}
	}
	tok.typ, tok.err = tError, "invalid token"
	return tok
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func (d *jsonDecoder) number(tok jsonToken) jsonToken {
	end := d.pos
	for end < len(d.data) && strings.IndexByte("+-0123456789.eExXabcdefABCDEFinftyINFTYaAnN", d.data[end]) >= 0 {
		end++
	}
	text := d.data[d.pos:end]
	f, ok := strtodPrefix(text)
	if ok <= 0 {
		tok.typ, tok.err = tError, "invalid number"
		return tok
	}
	d.pos += ok
	tok.typ, tok.num = tNumber, f
	return tok
}

// strtodPrefix parses the longest prefix of s that C's strtod accepts and
// returns the value and the prefix length (0: none).
func strtodPrefix(s string) (float64, int) {
	for n := len(s); n > 0; n-- {
		p := s[:n]
		if h := strings.TrimPrefix(strings.TrimPrefix(p, "-"), "0x"); h != strings.TrimPrefix(p, "-") && h != "" {
			if v, err := strconv.ParseUint(h, 16, 64); err == nil {
				if strings.HasPrefix(p, "-") {
					return -float64(v), n
				}
				return float64(v), n
			}
			continue
		}
		if v, err := strconv.ParseFloat(p, 64); err == nil || (err != nil && strings.Contains(err.Error(), "range")) {
			if strings.ContainsAny(p, "_") {
				continue
			}
			return v, n
		}
	}
	return 0, 0
}

func (d *jsonDecoder) str(tok jsonToken) jsonToken {
	d.pos++ // the opening quote
	var b strings.Builder
	for {
		if d.pos >= len(d.data) {
			tok.typ, tok.err, tok.index = tError, "unexpected end of string", d.pos
			return tok
		}
		c := d.data[d.pos]
		if c == '"' {
			d.pos++
			tok.typ, tok.str = tString, b.String()
			return tok
		}
		if c != '\\' {
			b.WriteByte(c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(d.data) {
			tok.typ, tok.err, tok.index = tError, "unexpected end of string", d.pos
			return tok
		}
		esc := d.data[d.pos+1]
		switch esc {
		case '"', '\\', '/':
			b.WriteByte(esc)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, n := d.unicode()
			if n == 0 {
				tok.typ, tok.err, tok.index = tError, "invalid unicode escape code", d.pos
				return tok
			}
			b.WriteString(string(r))
			d.pos += n
			continue
		default:
			tok.typ, tok.err, tok.index = tError, "invalid escape code", d.pos
			return tok
		}
		d.pos += 2
	}
}

// unicode decodes \uXXXX (and a following low surrogate) at d.pos; n is the
// number of bytes consumed, 0 when invalid.
func (d *jsonDecoder) unicode() (rune, int) {
	hex4 := func(at int) (rune, bool) {
		if at+4 > len(d.data) {
			return 0, false
		}
		v, err := strconv.ParseUint(d.data[at:at+4], 16, 32)
		return rune(v), err == nil
	}
	r, ok := hex4(d.pos + 2)
	if !ok {
		return 0, 0
	}
	if r >= 0xdc00 && r <= 0xdfff {
		return 0, 0
	}
	if r >= 0xd800 && r <= 0xdbff {
		if d.pos+12 > len(d.data) || d.data[d.pos+6] != '\\' || d.data[d.pos+7] != 'u' {
			return 0, 0
		}
		lo, ok := hex4(d.pos + 8)
		if !ok || lo < 0xdc00 || lo > 0xdfff {
			return 0, 0
		}
		return ((r-0xd800)<<10 | (lo - 0xdc00)) + 0x10000, 12
	}
	if !utf8.ValidRune(r) && r != 0 {
		return utf8.RuneError, 6
	}
	return r, 6
}
