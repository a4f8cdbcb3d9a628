package server

import "bytes"

// One home for the text of every error reply that more than one command
// family sends. The strings are Redis's, byte for byte: clients and test
// suites match on them. Family-specific errors live beside their command but
// still go through Ctx.Error so errorstats counts them.
const (
	ErrSyntax          = "ERR syntax error"
	ErrNotInteger      = "ERR value is not an integer or out of range"
	ErrNotFloat        = "ERR value is not a valid float"
	ErrWrongType       = "WRONGTYPE Operation against a key holding the wrong kind of value"
	ErrNoSuchKey       = "ERR no such key"
	ErrOverflow        = "ERR increment or decrement would overflow"
	ErrDBIndex         = "ERR DB index is out of range"
	ErrInvalidExpire   = "ERR invalid expire time in '%s' command"
	ErrNoAuth          = "NOAUTH Authentication required."
	ErrWrongPass       = "WRONGPASS invalid username-password pair or user is disabled."
	ErrExecAbort       = "EXECABORT Transaction discarded because of previous errors."
	ErrMultiNested     = "ERR MULTI calls can not be nested"
	ErrExecNoMulti     = "ERR EXEC without MULTI"
	ErrDiscardNoMulti  = "ERR DISCARD without MULTI"
	ErrWatchInMulti    = "ERR WATCH inside MULTI is not allowed"
	ErrStringTooLong   = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
	ErrBitOffset       = "ERR bit offset is not an integer or out of range"
	ErrOutOfRangeIndex = "ERR index out of range"
	ErrIncrFloatNaN    = "ERR increment would produce NaN or Infinity"
	ErrNotPositive     = "ERR value is out of range, must be positive"
	ErrSameObject      = "ERR source and destination objects are the same"
	ErrInvalidCursor   = "ERR invalid cursor"
	ErrBusyKey         = "BUSYKEY Target key name already exists."
)

// errArity is Redis's text for a wrong argument count; name is the command's
// full name ("get", "client|kill").
func errArity(name string) string {
	return "ERR wrong number of arguments for '" + name + "' command"
}

// errUnknownCommand lists up to the first arguments as Redis does, each
// quoted and followed by a space, each cut at 128 bytes.
func errUnknownCommand(args [][]byte) string {
	b := make([]byte, 0, 64)
	b = append(b, "ERR unknown command '"...)
	b = appendTrunc(b, args[0], 128)
	b = append(b, "', with args beginning with: "...)
	start := len(b)
	for i := 1; i < len(args) && len(b)-start < 128; i++ {
		b = append(b, '\'')
		b = appendTrunc(b, args[i], 128-(len(b)-1-start))
		b = append(b, "' "...)
	}
	return sanitizeErr(b)
}

func errUnknownSubcommand(sub []byte, container string) string {
	b := make([]byte, 0, 64)
	b = append(b, "ERR unknown subcommand '"...)
	b = appendTrunc(b, sub, 128)
	b = append(b, "'. Try "...)
	b = append(b, upper(container)...)
	b = append(b, " HELP."...)
	return sanitizeErr(b)
}

// appendTrunc appends s as C's "%.*s" would: at most max bytes, and never
// past a NUL byte.
func appendTrunc(dst, s []byte, max int) []byte {
	if max < 0 {
		max = 0
	}
	if i := bytes.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	if len(s) > max {
		s = s[:max]
	}
	return append(dst, s...)
}

// sanitizeErr replaces CR and LF with spaces: an error reply is one line.
func sanitizeErr(b []byte) string {
	for i, ch := range b {
		if ch == '\r' || ch == '\n' {
			b[i] = ' '
		}
	}
	return string(b)
}

func upper(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if ch >= 'a' && ch <= 'z' {
			b[i] = ch - 32
		}
	}
	return string(b)
}
