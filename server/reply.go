package server

// Reply writing. Every reply goes through these methods so that the RESP2 /
// RESP3 differences live in one place: a handler says "map of n pairs" or
// "null" and the connection's protocol decides the bytes. Replies are appended
// to the connection's output buffer and written once per read batch.

import (
	"math"
	"strconv"

	"github.com/tidwall/redcon"
	"github.com/vireodb/vireo/datatypes/num"
)

// OK writes +OK.
func (c *Ctx) OK() { c.out = append(c.out, "+OK\r\n"...) }

// Simple writes a status reply (+text).
func (c *Ctx) Simple(s string) { c.out = redcon.AppendString(c.out, s) }

// Bulk writes a bulk string.
func (c *Ctx) Bulk(b []byte) { c.out = redcon.AppendBulk(c.out, b) }

// BulkString writes a bulk string.
func (c *Ctx) BulkString(s string) { c.out = redcon.AppendBulkString(c.out, s) }

// BulkInt writes an integer as a bulk string.
func (c *Ctx) BulkInt(v int64) { c.out = redcon.AppendBulkInt(c.out, v) }

// Int writes an integer reply.
func (c *Ctx) Int(v int64) { c.out = redcon.AppendInt(c.out, v) }

// Null writes the null bulk string ($-1 in RESP2, _ in RESP3).
func (c *Ctx) Null() {
	if c.proto == 3 {
		c.out = append(c.out, "_\r\n"...)
	} else {
		c.out = append(c.out, "$-1\r\n"...)
	}
}

// NullArray writes the null array (*-1 in RESP2, _ in RESP3).
func (c *Ctx) NullArray() {
	if c.proto == 3 {
		c.out = append(c.out, "_\r\n"...)
	} else {
		c.out = append(c.out, "*-1\r\n"...)
	}
}

// Array writes an array header for n elements.
func (c *Ctx) Array(n int) { c.out = redcon.AppendArray(c.out, n) }

// Map writes a map header for n key/value pairs (a flat array of 2n in RESP2).
func (c *Ctx) Map(n int) {
	if c.proto == 3 {
		c.out = appendHeader(c.out, '%', n)
	} else {
		c.out = redcon.AppendArray(c.out, 2*n)
	}
}

// Set writes a set header for n elements (an array in RESP2).
func (c *Ctx) Set(n int) {
	if c.proto == 3 {
		c.out = appendHeader(c.out, '~', n)
	} else {
		c.out = redcon.AppendArray(c.out, n)
	}
}

// Push writes a push header (RESP3 out-of-band data; an array in RESP2).
func (c *Ctx) Push(n int) {
	if c.proto == 3 {
		c.out = appendHeader(c.out, '>', n)
	} else {
		c.out = redcon.AppendArray(c.out, n)
	}
}

// Double writes a double: RESP3 ",<v>", RESP2 a bulk string in %.17g form.
func (c *Ctx) Double(f float64) {
	if c.proto == 3 {
		c.out = append(c.out, ',')
		switch {
		case math.IsInf(f, 1):
			c.out = append(c.out, "inf"...)
		case math.IsInf(f, -1):
			c.out = append(c.out, "-inf"...)
		case math.IsNaN(f):
			c.out = append(c.out, "nan"...)
		default:
			c.out = num.AppendFloat17(c.out, f)
		}
		c.out = append(c.out, "\r\n"...)
		return
	}
	var buf [32]byte
	c.out = redcon.AppendBulk(c.out, num.AppendFloat17(buf[:0], f))
}

// Bool writes a boolean: RESP3 #t/#f, RESP2 :1/:0.
func (c *Ctx) Bool(b bool) {
	switch {
	case c.proto == 3 && b:
		c.out = append(c.out, "#t\r\n"...)
	case c.proto == 3:
		c.out = append(c.out, "#f\r\n"...)
	case b:
		c.out = append(c.out, ":1\r\n"...)
	default:
		c.out = append(c.out, ":0\r\n"...)
	}
}

// Verbatim writes a verbatim string (RESP3 "=len\r\ntxt:..."), a bulk string in RESP2.
func (c *Ctx) Verbatim(s string, format string) {
	if c.proto != 3 {
		c.BulkString(s)
		return
	}
	c.out = appendHeader(c.out, '=', len(s)+4)
	c.out = append(c.out, format...)
	c.out = append(c.out, ':')
	c.out = append(c.out, s...)
	c.out = append(c.out, "\r\n"...)
}

// Error writes an error reply. msg is the full text, starting with the error
// code ("ERR ...", "WRONGTYPE ..."); a missing code gets "ERR " like Redis's
// addReplyError. The error is counted in errorstats.
func (c *Ctx) Error(msg string) {
	if len(msg) == 0 || msg[0] == '-' {
		msg = msg[min(1, len(msg)):]
	}
	c.out = append(c.out, '-')
	c.out = append(c.out, msg...)
	c.out = append(c.out, "\r\n"...)
	c.failed = true
	c.srv.stats.countError(msg)
}

// Raw appends bytes that are already RESP.
func (c *Ctx) Raw(b []byte) { c.out = append(c.out, b...) }

// StringArray writes strs as an array of bulk strings.
func (c *Ctx) StringArray(strs []string) {
	c.Array(len(strs))
	for _, s := range strs {
		c.BulkString(s)
	}
}

func appendHeader(b []byte, kind byte, n int) []byte {
	b = append(b, kind)
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, '\r', '\n')
}
