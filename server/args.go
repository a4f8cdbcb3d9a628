package server

// Argument parsing shared by the command families, with Redis's rules and
// error texts.

import (
	"bytes"

	"github.com/vireodb/vireo/datatypes/num"
)

// parseInt parses a strict Redis integer (string2ll rules).
func parseInt(b []byte) (int64, bool) { return num.ParseInt(b) }

// intArg parses args[i] as an integer or replies ErrNotInteger.
func (c *Ctx) intArg(b []byte) (int64, bool) {
	v, ok := num.ParseInt(b)
	if !ok {
		c.Error(ErrNotInteger)
	}
	return v, ok
}

// floatArg parses b as a float or replies ErrNotFloat.
func (c *Ctx) floatArg(b []byte) (float64, bool) {
	v, ok := num.ParseFloat(b)
	if !ok {
		c.Error(ErrNotFloat)
	}
	return v, ok
}

// eq reports whether b equals the ASCII word s, ignoring case.
func eq(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		ch := b[i]
		if ch >= 'A' && ch <= 'Z' {
			ch += 32
		}
		sc := s[i]
		if sc >= 'A' && sc <= 'Z' {
			sc += 32
		}
		if ch != sc {
			return false
		}
	}
	return true
}

// clone copies b (arguments alias the read buffer; stored values must not).
func clone(b []byte) []byte { return bytes.Clone(b) }
