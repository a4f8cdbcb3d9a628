package server

// The request reader. It follows Redis's processMultibulkBuffer and
// processInlineBuffer (networking.c) rather than redcon's ReadNextCommand,
// because the error texts, the limits (proto-max-bulk-len, the 64 KiB inline
// limit, the smaller limits before AUTH) and the edge cases (*0 and *-1 are
// empty commands, blank inline lines are skipped) must match Redis exactly.
// Arguments of a multibulk request are slices of the read buffer: no copy,
// no allocation. Replies are written with redcon's Append* functions.

import (
	"github.com/vireodb/vireo/datatypes/num"
	"github.com/vireodb/vireo/datatypes/sds"
)

const (
	protoInlineMaxSize   = 64 * 1024 // PROTO_INLINE_MAX_SIZE
	unauthMaxMultibulk   = 10        // multibulk count allowed before AUTH
	unauthMaxBulkLen     = 16384     // bulk length allowed before AUTH
	maxMultibulkElements = 1<<31 - 1 // INT_MAX
)

// protoError is a protocol violation: the server replies "-ERR " + text and
// closes the connection, as Redis does.
type protoError string

func (e protoError) Error() string { return string(e) }

const (
	errTooBigMbulk   protoError = "Protocol error: too big mbulk count string"
	errBadMbulkLen   protoError = "Protocol error: invalid multibulk length"
	errTooBigBulk    protoError = "Protocol error: too big bulk count string"
	errBadBulkLen    protoError = "Protocol error: invalid bulk length"
	errTooBigInline  protoError = "Protocol error: too big inline request"
	errUnbalancedQts protoError = "Protocol error: unbalanced quotes in request"
)

// parseLimits are the per-connection limits a request is checked against.
type parseLimits struct {
	maxBulk      int64 // proto-max-bulk-len
	authRequired bool  // the connection has not authenticated yet
}

// parseRequest reads one request from the front of buf.
//
// It returns the arguments (appended to args[:0]) and the number of bytes the
// request used. n == 0 with a nil error means the request is incomplete; need
// then says how many bytes the buffer must hold in total for progress (0 if
// unknown). A request with no arguments (*0, *-1, a blank line) returns n > 0
// and no arguments: the caller skips it.
func parseRequest(buf []byte, args [][]byte, lim parseLimits) (out [][]byte, n int, need int, err error) {
	out = args[:0]
	if len(buf) == 0 {
		return out, 0, 0, nil
	}
	if buf[0] != '*' {
		return parseInline(buf, out)
	}
	nl := indexByte(buf, '\r')
	if nl < 0 {
		if len(buf) > protoInlineMaxSize {
			return out, 0, 0, errTooBigMbulk
		}
		return out, 0, 0, nil
	}
	if nl+1 >= len(buf) { // need the '\n' too
		return out, 0, 0, nil
	}
	count, ok := num.ParseInt(buf[1:nl])
	if !ok || count > maxMultibulkElements {
		return out, 0, 0, errBadMbulkLen
	}
	if count > unauthMaxMultibulk && lim.authRequired {
		return out, 0, 0, errBadMbulkLen
	}
	pos := nl + 2
	if count <= 0 {
		return out, pos, 0, nil
	}
	for i := int64(0); i < count; i++ {
		rest := buf[pos:]
		nl := indexByte(rest, '\r')
		if nl < 0 {
			if len(rest) > protoInlineMaxSize {
				return out[:0], 0, 0, errTooBigBulk
			}
			return out[:0], 0, 0, nil
		}
		if nl+1 >= len(rest) {
			return out[:0], 0, 0, nil
		}
		if rest[0] != '$' {
			return out[:0], 0, 0, protoError("Protocol error: expected '$', got '" + string(rest[:1]) + "'")
		}
		blen, ok := num.ParseInt(rest[1:nl])
		if !ok || blen < 0 || (lim.authRequired && blen > unauthMaxBulkLen) || blen > lim.maxBulk {
			return out[:0], 0, 0, errBadBulkLen
		}
		start := pos + nl + 2
		end := start + int(blen)
		if end+2 > len(buf) {
			return out[:0], 0, end + 2, nil
		}
		// Like Redis, the two bytes after the bulk are skipped unchecked.
		out = append(out, buf[start:end:end])
		pos = end + 2
	}
	return out, pos, 0, nil
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// parseInline handles the telnet-style request: one line split like
// sdssplitargs. Its arguments are freshly allocated (quotes are unescaped).
func parseInline(buf []byte, out [][]byte) ([][]byte, int, int, error) {
	nl := indexByte(buf, '\n')
	if nl < 0 {
		if len(buf) > protoInlineMaxSize {
			return out, 0, 0, errTooBigInline
		}
		return out, 0, 0, nil
	}
	line := buf[:nl]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	out, ok := sds.SplitArgs(line, out)
	if !ok {
		return out[:0], 0, 0, errUnbalancedQts
	}
	return out, nl + 1, 0, nil
}
