package num

import (
	"math"
	"strconv"
)

// ParseInt parses s with the rules of Redis's string2ll: an optional '-', then
// digits with no leading zero (except "0" itself), nothing else, and the value
// must fit in an int64.
func ParseInt(s []byte) (int64, bool) {
	n := len(s)
	if n == 0 || n > 20 {
		return 0, false
	}
	if n == 1 && s[0] == '0' {
		return 0, true
	}
	neg := false
	i := 0
	if s[0] == '-' {
		neg = true
		i = 1
		if n == 1 {
			return 0, false
		}
	}
	if s[i] < '1' || s[i] > '9' {
		return 0, false
	}
	var v uint64
	for ; i < n; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > (math.MaxUint64-9)/10 {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	if neg {
		if v > uint64(math.MaxInt64)+1 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// ParseIntString is ParseInt for a string.
func ParseIntString(s string) (int64, bool) {
	if len(s) > 20 {
		return 0, false
	}
	var buf [20]byte
	return ParseInt(append(buf[:0], s...))
}

// ParseUint parses a non-negative integer with the same strict rules, into a
// uint64 (Redis's string2ull, used by a few commands such as SCAN cursors).
func ParseUint(s []byte) (uint64, bool) {
	if len(s) == 0 || len(s) > 20 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(s), 10, 64)
	if err != nil {
		return 0, false
	}
	return v, true
}

// IsSpace reports whether c is a C isspace() character.
func IsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// ParseFloat parses s like Redis's string2ld / strtold use in getLongDoubleFromObject
// and getDoubleFromObject: the whole string must be a number (no leading or
// trailing space), "inf"/"-inf"/"+inf"/"infinity" are accepted, NaN is not,
// hex floats are accepted as strtod does.
func ParseFloat(s []byte) (float64, bool) {
	if len(s) == 0 || IsSpace(s[0]) || IsSpace(s[len(s)-1]) {
		return 0, false
	}
	str := string(s)
	f, err := strconv.ParseFloat(str, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			// strtod reports ERANGE for overflow (HUGE_VAL) and underflow;
			// Redis rejects overflow and accepts tiny values rounded to 0.
			if math.IsInf(f, 0) {
				return 0, false
			}
			return f, true
		}
		return 0, false
	}
	if math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// AppendInt appends the decimal form of v.
func AppendInt(dst []byte, v int64) []byte { return strconv.AppendInt(dst, v, 10) }

// FormatInt returns the decimal form of v.
func FormatInt(v int64) string { return strconv.FormatInt(v, 10) }

// AppendFloat17 appends f as Redis's "%.17g" (addReplyDouble in RESP2,
// INCRBYFLOAT uses a long-double variant below). Infinities are "inf"/"-inf".
func AppendFloat17(dst []byte, f float64) []byte {
	if math.IsInf(f, 1) {
		return append(dst, "inf"...)
	}
	if math.IsInf(f, -1) {
		return append(dst, "-inf"...)
	}
	return appendG(dst, f, 17)
}

// AppendHumanFloat appends f the way Redis's ld2string(LD_STR_HUMAN) prints
// the result of INCRBYFLOAT/HINCRBYFLOAT: fixed notation with up to 17
// significant digits, trailing zeros (and a trailing dot) removed.
func AppendHumanFloat(dst []byte, f float64) []byte {
	if math.IsInf(f, 1) {
		return append(dst, "inf"...)
	}
	if math.IsInf(f, -1) {
		return append(dst, "-inf"...)
	}
	// %.17Lf in Redis is on a long double; we carry a float64, so print the
	// shortest representation that round-trips, in fixed notation.
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, 'f', -1, 64)
	out := dst[start:]
	if len(out) == 2 && out[0] == '-' && out[1] == '0' {
		return append(dst[:start], '0')
	}
	return dst
}

// appendG formats like C's printf("%.*g", prec, f).
func appendG(dst []byte, f float64, prec int) []byte {
	if f == 0 {
		if math.Signbit(f) {
			return append(dst, "-0"...)
		}
		return append(dst, '0')
	}
	// Decide between %e and %f style exactly as C does: use exponent X of
	// the value rounded to prec significant digits.
	e := strconv.AppendFloat(nil, f, 'e', prec-1, 64)
	// e is like "-1.2345e+05"
	idx := len(e) - 1
	for e[idx] != 'e' {
		idx--
	}
	x, _ := strconv.Atoi(string(e[idx+1:]))
	if x < -4 || x >= prec {
		// %e form with trailing zeros removed from the mantissa.
		mant := trimZeros(e[:idx])
		dst = append(dst, mant...)
		dst = append(dst, 'e')
		exp := e[idx+1:]
		sign := exp[0]
		digits := exp[1:]
		for len(digits) > 2 && digits[0] == '0' {
			digits = digits[1:]
		}
		dst = append(dst, sign)
		return append(dst, digits...)
	}
	fs := strconv.AppendFloat(nil, f, 'f', prec-1-x, 64)
	return append(dst, trimZeros(fs)...)
}

func trimZeros(b []byte) []byte {
	dot := -1
	for i, c := range b {
		if c == '.' {
			dot = i
			break
		}
	}
	if dot < 0 {
		return b
	}
	end := len(b)
	for end > dot+1 && b[end-1] == '0' {
		end--
	}
	if end == dot+1 {
		end = dot
	}
	return b[:end]
}
