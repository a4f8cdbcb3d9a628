package zset

// Score parsing and formatting with Redis's rules. Redis parses scores with
// C's strtod, whose grammar is wider than Go's strconv (hex without a 'p'
// exponent, leading blanks, a prefix followed by a NUL), and prints them in
// three different ways depending on where they go.

import (
	"math"
	"strconv"
)

// isSpace is C's isspace in the C locale.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHexDigit(c byte) bool {
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f')
}

// hasPrefixFold reports whether b starts with the lower-case ASCII word w,
// ignoring case.
func hasPrefixFold(b []byte, w string) bool {
	if len(b) < len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		if b[i]|0x20 != w[i] {
			return false
		}
	}
	return true
}

// strtod parses the longest prefix of b that glibc's strtod accepts and
// returns its value and length (0 when no number starts b, as strtod leaves
// its end pointer at the start). erange is strtod's ERANGE: the value
// overflowed to ±Inf or underflowed to zero.
func strtod(b []byte) (v float64, n int, erange bool) {
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	rest := b[i:]
	switch {
	case hasPrefixFold(rest, "inf"):
		n = i + 3
		if hasPrefixFold(rest, "infinity") {
			n = i + 8
		}
		v = math.Inf(1)
		if neg {
			v = -v
		}
		return v, n, false
	case hasPrefixFold(rest, "nan"):
		n = i + 3
		// "nan(chars)" is one token when the parenthesis closes.
		if n < len(b) && b[n] == '(' {
			j := n + 1
			for j < len(b) && (isDigit(b[j]) || (b[j]|0x20 >= 'a' && b[j]|0x20 <= 'z') || b[j] == '_') {
				j++
			}
			if j < len(b) && b[j] == ')' {
				n = j + 1
			}
		}
		return math.NaN(), n, false
	case len(rest) >= 2 && rest[0] == '0' && rest[1]|0x20 == 'x':
		if v, m, erange, ok := parseHex(rest, neg); ok {
			return v, i + m, erange
		}
		// "0x" with no hex digit after it: strtod reads the "0" alone.
		if neg {
			return math.Copysign(0, -1), i + 1, false
		}
		return 0, i + 1, false
	}
	return parseDecimal(b, i, neg)
}

// parseDecimal parses digits [. digits] [e [sign] digits] starting at b[i].
func parseDecimal(b []byte, i int, neg bool) (float64, int, bool) {
	start := i
	digits, nonZero := 0, false
	for i < len(b) && isDigit(b[i]) {
		nonZero = nonZero || b[i] != '0'
		i++
		digits++
	}
	if i < len(b) && b[i] == '.' {
		j := i + 1
		frac := 0
		for j < len(b) && isDigit(b[j]) {
			nonZero = nonZero || b[j] != '0'
			j++
			frac++
		}
		if digits+frac > 0 {
			i = j
			digits += frac
		}
	}
	if digits == 0 {
		return 0, 0, false
	}
	if i < len(b) && b[i]|0x20 == 'e' {
		j := i + 1
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if j < len(b) && isDigit(b[j]) {
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			i = j
		}
	}
	v, err := strconv.ParseFloat(string(b[start:i]), 64)
	erange := err != nil || (v == 0 && nonZero)
	if neg {
		v = -v
	}
	return v, i, erange
}

// parseHex parses a hexadecimal float "0x" hexdigits [. hexdigits]
// [p [sign] digits] at the start of b; ok is false when no hex digit follows
// the "0x".
func parseHex(b []byte, neg bool) (v float64, n int, erange, ok bool) {
	i := 2
	digits, nonZero := 0, false
	for i < len(b) && isHexDigit(b[i]) {
		nonZero = nonZero || b[i] != '0'
		i++
		digits++
	}
	if i < len(b) && b[i] == '.' {
		j := i + 1
		frac := 0
		for j < len(b) && isHexDigit(b[j]) {
			nonZero = nonZero || b[j] != '0'
			j++
			frac++
		}
		if digits+frac > 0 {
			i = j
			digits += frac
		}
	}
	if digits == 0 {
		return 0, 0, false, false
	}
	mantissa := b[:i]
	exp := "p0"
	if i < len(b) && b[i]|0x20 == 'p' {
		j := i + 1
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if j < len(b) && isDigit(b[j]) {
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			exp = string(b[i:j])
			i = j
		}
	}
	s := string(mantissa)
	if s[2] == '.' {
		s = "0x0" + s[2:] // Go wants a digit before the point
	}
	v, err := strconv.ParseFloat(s+exp, 64)
	erange = err != nil || (v == 0 && nonZero)
	if neg {
		v = -v
	}
	return v, i, erange, true
}

// ParseScore parses a score argument (ZADD, ZINCRBY, WEIGHTS) as Redis's
// string2d: the whole string must be a number, with no leading blank;
// "inf"/"-inf" are fine, NaN and values that overflow to infinity or
// underflow to zero are not.
func ParseScore(b []byte) (float64, bool) {
	if len(b) == 0 || isSpace(b[0]) {
		return 0, false
	}
	v, n, erange := strtod(b)
	if n != len(b) || math.IsNaN(v) || (erange && (math.IsInf(v, 0) || v == 0)) {
		return 0, false
	}
	return v, true
}

// ScoreRange is a score interval as ZRANGEBYSCORE, ZCOUNT and
// ZREMRANGEBYSCORE take it: inclusive bounds unless marked exclusive.
type ScoreRange struct {
	Min, Max     float64
	MinEx, MaxEx bool
}

// parseScoreBound parses one bound as Redis's zslParseRange: an optional '('
// for an exclusive bound, then whatever strtod accepts up to the end of the
// argument or a NUL byte (the C string ends there); NaN is refused.
func parseScoreBound(b []byte) (v float64, ex, ok bool) {
	if len(b) > 0 && b[0] == '(' {
		ex = true
		b = b[1:]
	}
	v, n, _ := strtod(b)
	if (n != len(b) && b[n] != 0) || math.IsNaN(v) {
		return 0, false, false
	}
	return v, ex, true
}

// ParseScoreRange parses min and max; ok is false for Redis's "min or max is
// not a float".
func ParseScoreRange(min, max []byte) (r ScoreRange, ok bool) {
	if r.Min, r.MinEx, ok = parseScoreBound(min); !ok {
		return r, false
	}
	r.Max, r.MaxEx, ok = parseScoreBound(max)
	return r, ok
}

func (r *ScoreRange) gteMin(v float64) bool {
	if r.MinEx {
		return v > r.Min
	}
	return v >= r.Min
}

func (r *ScoreRange) lteMax(v float64) bool {
	if r.MaxEx {
		return v < r.Max
	}
	return v <= r.Max
}

// Contains reports whether v lies in the range.
func (r *ScoreRange) Contains(v float64) bool { return r.gteMin(v) && r.lteMax(v) }

// empty reports ranges that can hold nothing (zslIsInRange's first test).
func (r *ScoreRange) empty() bool {
	return r.Min > r.Max || (r.Min == r.Max && (r.MinEx || r.MaxEx))
}

// lexKind says whether a lex bound is a string or one of the infinities.
type lexKind int8

const (
	lexValue  lexKind = 0
	lexNegInf lexKind = -1 // "-"
	lexPosInf lexKind = 1  // "+"
)

// LexBound is one end of a lexicographic range.
type LexBound struct {
	Kind  lexKind
	Value []byte // for lexValue; aliases the argument
	Ex    bool
}

// LexRange is a member interval as ZRANGEBYLEX, ZLEXCOUNT and
// ZREMRANGEBYLEX take it.
type LexRange struct{ Min, Max LexBound }

// parseLexBound parses "-", "+", "(value" or "[value" (zslParseLexRangeItem).
// The infinities count as exclusive, as in Redis, which matters for the
// empty-range test of "- -".
func parseLexBound(b []byte) (LexBound, bool) {
	if len(b) == 0 {
		return LexBound{}, false
	}
	switch b[0] {
	case '+', '-':
		// Redis compares the C string: a NUL right after the sign ends it.
		if len(b) > 1 && b[1] != 0 {
			return LexBound{}, false
		}
		k := lexPosInf
		if b[0] == '-' {
			k = lexNegInf
		}
		return LexBound{Kind: k, Ex: true}, true
	case '(':
		return LexBound{Value: b[1:], Ex: true}, true
	case '[':
		return LexBound{Value: b[1:]}, true
	}
	return LexBound{}, false
}

// ParseLexRange parses min and max; ok is false for Redis's "min or max not
// valid string range item".
func ParseLexRange(min, max []byte) (r LexRange, ok bool) {
	if r.Min, ok = parseLexBound(min); !ok {
		return r, false
	}
	r.Max, ok = parseLexBound(max)
	return r, ok
}

// compareLex is sdscmplex of a member and a bound.
func compareLex(member []byte, b *LexBound) int {
	switch b.Kind {
	case lexNegInf:
		return 1
	case lexPosInf:
		return -1
	}
	return compareBytes(member, b.Value)
}

func (r *LexRange) gteMin(member []byte) bool {
	c := compareLex(member, &r.Min)
	if r.Min.Ex {
		return c > 0
	}
	return c >= 0
}

func (r *LexRange) lteMax(member []byte) bool {
	c := compareLex(member, &r.Max)
	if r.Max.Ex {
		return c < 0
	}
	return c <= 0
}

// Contains reports whether member lies in the range.
func (r *LexRange) Contains(member []byte) bool { return r.gteMin(member) && r.lteMax(member) }

// empty is the first test of zslIsInLexRange: min after max, or equal with
// an exclusive end.
func (r *LexRange) empty() bool {
	var c int
	switch {
	case r.Min.Kind == r.Max.Kind && r.Min.Kind != lexValue:
		c = 0
	case r.Min.Kind == lexNegInf || r.Max.Kind == lexPosInf:
		c = -1
	case r.Min.Kind == lexPosInf || r.Max.Kind == lexNegInf:
		c = 1
	default:
		c = compareBytes(r.Min.Value, r.Max.Value)
	}
	return c > 0 || (c == 0 && (r.Min.Ex || r.Max.Ex))
}

// d2stringIntMin and d2stringIntMax bound the integers d2string prints
// without an exponent: the open interval (-(2^52-1), 2^52).
const (
	d2stringIntMin = -4503599627370495
	d2stringIntMax = 4503599627370496
)

// AppendScoreString appends v as Redis 7.0's d2string prints it: how ZSCAN
// shows the scores of a big sorted set. Integral values in (-2^52, 2^52)
// print as integers, zero keeps its sign, everything else is %.17g.
func AppendScoreString(dst []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, "nan"...)
	case math.IsInf(v, 1):
		return append(dst, "inf"...)
	case math.IsInf(v, -1):
		return append(dst, "-inf"...)
	case v == 0:
		if math.Signbit(v) {
			return append(dst, "-0"...)
		}
		return append(dst, '0')
	case v > d2stringIntMin && v < d2stringIntMax && v == math.Trunc(v):
		return strconv.AppendInt(dst, int64(v), 10)
	}
	return AppendFloat17(dst, v)
}

// ListpackInt reports whether Redis stores v in a listpack as an integer
// (double2ll, used by zzlInsertAt): integral and within ±2^62. Negative zero
// is stored as the integer 0, which is why a small sorted set forgets the
// sign of a zero score and a big one keeps it.
func ListpackInt(v float64) (int64, bool) {
	const bound = float64(math.MaxInt64 / 2) // rounds to 2^62, as in C
	if v < -bound || v > bound || math.IsNaN(v) {
		return 0, false
	}
	i := int64(v)
	if float64(i) != v {
		return 0, false
	}
	return i, true
}

// AppendListpackScore appends v as Redis stores it in a listpack, which is
// also how ZSCAN shows the scores of a small sorted set.
func AppendListpackScore(dst []byte, v float64) []byte {
	if i, ok := ListpackInt(v); ok {
		return strconv.AppendInt(dst, i, 10)
	}
	return AppendScoreString(dst, v)
}

// AppendFloat17 appends v as C's printf("%.17g"), how Redis 7.0 prints
// scores in replies; infinities are "inf" and "-inf". It gives the bytes of
// num.AppendFloat17 without allocating (a reply of ten scores calls it ten
// times): integral values under 1e17 print as integers, the others from the
// 17 significant digits of one strconv conversion into a stack buffer.
func AppendFloat17(dst []byte, v float64) []byte {
	switch {
	case math.IsInf(v, 1):
		return append(dst, "inf"...)
	case math.IsInf(v, -1):
		return append(dst, "-inf"...)
	case math.IsNaN(v):
		return append(dst, "nan"...)
	case v == 0:
		if math.Signbit(v) {
			return append(dst, "-0"...)
		}
		return append(dst, '0')
	case v == math.Trunc(v) && v > -1e17 && v < 1e17:
		return strconv.AppendInt(dst, int64(v), 10)
	}
	// e is "-d.dddddddddddddddde±XX": 17 significant digits, rounded.
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], v, 'e', 16, 64)
	if e[0] == '-' {
		dst = append(dst, '-')
		e = e[1:]
	}
	var digits [17]byte
	digits[0] = e[0]
	copy(digits[1:], e[2:18])
	exp := 0
	for _, c := range e[20:] {
		exp = exp*10 + int(c-'0')
	}
	if e[19] == '-' {
		exp = -exp
	}
	// Trailing zeros are not printed by %g.
	n := 17
	for n > 1 && digits[n-1] == '0' {
		n--
	}
	sig := digits[:n]
	if exp < -4 || exp >= 17 {
		dst = append(dst, sig[0])
		if len(sig) > 1 {
			dst = append(dst, '.')
			dst = append(dst, sig[1:]...)
		}
		dst = append(dst, 'e')
		if exp < 0 {
			dst = append(dst, '-')
			exp = -exp
		} else {
			dst = append(dst, '+')
		}
		if exp < 10 {
			dst = append(dst, '0')
		}
		return strconv.AppendInt(dst, int64(exp), 10)
	}
	if exp < 0 {
		dst = append(dst, '0', '.')
		for i := -1; i > exp; i-- {
			dst = append(dst, '0')
		}
		return append(dst, sig...)
	}
	// exp+1 digits before the point, zeros if the significant ones run out.
	for i := 0; i <= exp; i++ {
		if i < len(sig) {
			dst = append(dst, sig[i])
		} else {
			dst = append(dst, '0')
		}
	}
	if len(sig) > exp+1 {
		dst = append(dst, '.')
		dst = append(dst, sig[exp+1:]...)
	}
	return dst
}
