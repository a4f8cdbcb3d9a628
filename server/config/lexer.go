package config

// This file reproduces the small C routines Redis uses to read configuration
// text, quirks included, so that a value Redis accepts Vireo accepts too and
// the other way round: sdssplitargs (line splitting and quoting), sdscatrepr
// (quoting on the way out), string2ll, memtoull and strtoll.

import (
	"math"
	"strconv"
	"strings"

	"github.com/vireodb/vireo/datatypes/sds"
)

// splitArgs splits a configuration line the way Redis's sdssplitargs does
// (datatypes/sds: blanks separate arguments, "double quotes" with \n \r \t
// \b \a \xHH and \<any char>, 'single quotes' with \' only, a closing quote
// followed by a blank or the end). ok is false for unbalanced quotes, which
// Redis reports as "Unbalanced quotes in configuration line".
func splitArgs(line string) (args []string, ok bool) {
	raw, ok := sds.SplitArgs([]byte(line), nil)
	if !ok {
		return nil, false
	}
	for _, a := range raw {
		args = append(args, string(a))
	}
	return args, true
}

// quoteRepr quotes s the way Redis's sdscatrepr does, which is how CONFIG
// REWRITE writes string values and how redis-server turns command-line
// arguments into configuration text. splitArgs reads the result back to s.
func quoteRepr(s string) string { return string(sds.AppendRepr(nil, []byte(s))) }

// splitSpaces splits a CONFIG SET value of a multi-argument directive the way
// Redis's sdssplitlen(value, " ") does: on every single space, keeping empty
// fields, and an empty value gives no fields at all.
func splitSpaces(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, " ")
}

// cString cuts s at its first NUL byte: Redis parses most values as C strings.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// isCSpace is C's isspace in the "C" locale.
func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHexDigit(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func hexValue(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// asciiLower lowercases ASCII letters only, like sdstolower, leaving any
// other byte (and invalid UTF-8) untouched.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// string2ll is Redis's strict integer parser: an optional '-', no '+', no
// blanks, no leading zeros ("0" itself excepted, "-0" refused), and no
// overflow.
func string2ll(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	if s == "0" {
		return 0, true
	}
	digits := s
	if digits[0] == '-' {
		digits = digits[1:]
	}
	if digits == "" || digits[0] < '1' || digits[0] > '9' {
		return 0, false
	}
	for i := 1; i < len(digits); i++ {
		if !isDigit(digits[i]) {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return v, true
}

// memToULL is Redis's memtoull: digits followed by an optional unit (b, k=1000,
// kb=1024, m, mb, g, gb; any case). Its quirks are kept on purpose because
// CONFIG SET answers with them: no digits at all reads as 0 ("" and "kb" are
// 0), a number past 2^64-1 reads as 2^64-1, and the multiplication wraps.
func memToULL(s string) (uint64, bool) {
	s = cString(s)
	if strings.HasPrefix(s, "-") {
		return 0, false
	}
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	var mul uint64
	switch strings.ToLower(s[i:]) {
	case "", "b":
		mul = 1
	case "k":
		mul = 1000
	case "kb":
		mul = 1024
	case "m":
		mul = 1000 * 1000
	case "mb":
		mul = 1024 * 1024
	case "g":
		mul = 1000 * 1000 * 1000
	case "gb":
		mul = 1024 * 1024 * 1024
	default:
		return 0, false
	}
	if i >= 128 { // Redis copies the digits into a 128-byte buffer.
		return 0, false
	}
	var val uint64
	if i > 0 {
		v, err := strconv.ParseUint(s[:i], 10, 64)
		if err != nil {
			v = math.MaxUint64 // strtoull saturates; Redis ignores ERANGE
		}
		val = v
	}
	return val * mul, true
}

// strtoll mimics C's strtoll(s, &end, base) for base 8 or 10: leading blanks,
// an optional sign, digits; it returns the value (saturated on overflow, as C
// does), whether it overflowed, and the unparsed rest. With no digits the
// rest is the whole input, as C leaves end at the start.
func strtoll(s string, base int64) (val int64, overflow bool, rest string) {
	p := 0
	for p < len(s) && isCSpace(s[p]) {
		p++
	}
	neg := false
	if p < len(s) && (s[p] == '+' || s[p] == '-') {
		neg = s[p] == '-'
		p++
	}
	start := p
	var acc uint64
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	for p < len(s) && isDigit(s[p]) && int64(s[p]-'0') < base {
		d := uint64(s[p] - '0')
		if !overflow {
			if acc > (limit-d)/uint64(base) {
				overflow = true
			} else {
				acc = acc*uint64(base) + d
			}
		}
		p++
	}
	if p == start {
		return 0, false, s
	}
	if overflow {
		if neg {
			return math.MinInt64, true, s[p:]
		}
		return math.MaxInt64, true, s[p:]
	}
	if neg {
		return -int64(acc), false, s[p:]
	}
	return int64(acc), false, s[p:]
}

// yesNo is Redis's yesnotoi.
func yesNo(s string) (v, ok bool) {
	switch strings.ToLower(cString(s)) {
	case "yes":
		return true, true
	case "no":
		return false, true
	}
	return false, false
}

// formatMemory writes a byte count the way CONFIG REWRITE does: in gb, mb or
// kb when it is an exact multiple, else in plain bytes.
func formatMemory(v uint64) string {
	const kb, mb, gb = 1024, 1024 * 1024, 1024 * 1024 * 1024
	switch {
	case v != 0 && v%gb == 0:
		return strconv.FormatUint(v/gb, 10) + "gb"
	case v != 0 && v%mb == 0:
		return strconv.FormatUint(v/mb, 10) + "mb"
	case v != 0 && v%kb == 0:
		return strconv.FormatUint(v/kb, 10) + "kb"
	}
	return strconv.FormatUint(v, 10)
}
