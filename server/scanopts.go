package server

import (
	"strconv"

	"github.com/vireodb/vireo/datatypes/glob"
)

// replyScan sends a HSCAN/SSCAN/ZSCAN reply: the next cursor, then the
// elements (cursor 0 and none is Redis's shared.emptyscan).
func (c *Ctx) replyScan(cursor uint64, elems [][]byte) {
	c.Array(2)
	var buf [20]byte
	c.Bulk(strconv.AppendUint(buf[:0], cursor, 10))
	c.Array(len(elems))
	for _, e := range elems {
		c.Bulk(e)
	}
}

// scanOptions are the MATCH and COUNT options of HSCAN, SSCAN and ZSCAN.
type scanOptions struct {
	count      int64
	pattern    []byte
	usePattern bool // false for no MATCH or MATCH *
}

// matches reports whether b passes the MATCH filter.
func (o *scanOptions) matches(b []byte) bool {
	return !o.usePattern || glob.Match(o.pattern, b, false)
}

// parseScanOptions parses "[MATCH pattern] [COUNT count]" as Redis's
// scanGenericCommand does (COUNT below 1 is a syntax error), replying with
// the error when it fails.
func (c *Ctx) parseScanOptions(args [][]byte) (scanOptions, bool) {
	o := scanOptions{count: 10}
	for i := 0; i < len(args); i += 2 {
		if i+1 >= len(args) {
			c.Error(ErrSyntax)
			return o, false
		}
		switch {
		case eq(args[i], "count"):
			v, ok := c.intArg(args[i+1])
			if !ok {
				return o, false
			}
			if v < 1 {
				c.Error(ErrSyntax)
				return o, false
			}
			o.count = v
		case eq(args[i], "match"):
			o.pattern = args[i+1]
			o.usePattern = !(len(o.pattern) == 1 && o.pattern[0] == '*')
		default:
			c.Error(ErrSyntax)
			return o, false
		}
	}
	return o, true
}
