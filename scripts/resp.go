package scripts

// A small RESP2/RESP3 reader for the replies the Executor returns. The input
// comes from our own reply writer, but a malformed reply must still end in an
// error, never a panic.

import (
	"errors"
	"strconv"
)

var errBadReply = errors.New("scripts: malformed RESP reply")

// respKind is the type byte of a RESP value.
type respKind byte

// respValue is one parsed reply. Aggregates keep their elements in Elems
// (maps as key, value, key, value ...).
type respValue struct {
	Kind  respKind // '+', '-', ':', '$', '*', '%', '~', '_', '#', ',', '(', '=', '|', '>'
	Str   []byte   // simple/bulk/error/verbatim text, big number digits, double text
	Int   int64
	Null  bool // $-1 / *-1
	Bool  bool
	Elems []respValue
	Attr  bool // '|' attribute (skipped by the conversion)
}

// parseRESP parses one value from b and returns it with the rest of b.
func parseRESP(b []byte, depth int) (respValue, []byte, error) {
	if depth > 1000 || len(b) < 3 {
		return respValue{}, nil, errBadReply
	}
	kind := respKind(b[0])
	line, rest, ok := cutLine(b[1:])
	if !ok {
		return respValue{}, nil, errBadReply
	}
	v := respValue{Kind: kind}
	switch kind {
	case '+', '-', '(':
		v.Str = line
	case ':':
		n, err := strconv.ParseInt(string(line), 10, 64)
		if err != nil {
			return v, nil, errBadReply
		}
		v.Int = n
	case ',':
		v.Str = line
	case '#':
		v.Bool = len(line) == 1 && line[0] == 't'
	case '_':
		v.Null = true
	case '$', '=', '!':
		n, err := strconv.Atoi(string(line))
		if err != nil {
			return v, nil, errBadReply
		}
		if n < 0 {
			v.Null = true
			return v, rest, nil
		}
		if len(rest) < n+2 {
			return v, nil, errBadReply
		}
		v.Str = rest[:n]
		rest = rest[n+2:]
		if kind == '!' {
			v.Kind = '-'
		}
	case '*', '%', '~', '>', '|':
		n, err := strconv.Atoi(string(line))
		if err != nil {
			return v, nil, errBadReply
		}
		if n < 0 {
			v.Null = true
			return v, rest, nil
		}
		count := n
		if kind == '%' || kind == '|' {
			count = 2 * n
		}
		v.Elems = make([]respValue, 0, min(count, 1024))
		for i := 0; i < count; i++ {
			var e respValue
			e, rest, err = parseRESP(rest, depth+1)
			if err != nil {
				return v, nil, err
			}
			v.Elems = append(v.Elems, e)
		}
		if kind == '|' {
			// An attribute precedes the real reply, which is what counts.
			return parseRESP(rest, depth+1)
		}
	default:
		return v, nil, errBadReply
	}
	return v, rest, nil
}

func cutLine(b []byte) (line, rest []byte, ok bool) {
	for i := 0; i+1 < len(b); i++ {
		if b[i] == '\r' && b[i+1] == '\n' {
			return b[:i], b[i+2:], true
		}
	}
	return nil, nil, false
}
