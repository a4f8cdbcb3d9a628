package harness

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Limits that keep a malformed or hostile reply from exhausting memory or the
// stack; real replies in tests are far below them.
const (
	maxReplyDepth = 512
	maxBulkLen    = 512 << 20 // Redis's proto-max-bulk-len default
	maxLineLen    = 64 << 20
)

// Reply is one parsed RESP2/RESP3 reply. Bytes reproduces the exact wire
// form it was parsed from, so callers can normalise parts of a reply and
// still compare whole replies byte for byte.
type Reply struct {
	// Kind is the type byte: + - : $ * _ , # ! = ( % ~ > |
	Kind byte
	// Line is the text after the type byte up to CRLF: the value of a simple
	// type ("OK", "42"), or the length/count of a bulk or aggregate ("5", "-1").
	Line string
	// Bulk is the payload of $ ! = (nil for a null bulk string).
	Bulk []byte
	// Elems are an aggregate's elements in wire order; for maps (%) and
	// attributes (|) they alternate key, value.
	Elems []*Reply
	// Attached is the reply an attribute (|) annotates: RESP3 sends the
	// attribute first and the reply right after it, and both form one reply.
	Attached *Reply
}

// IsAggregate reports whether r holds elements.
func (r *Reply) IsAggregate() bool {
	switch r.Kind {
	case '*', '~', '>', '%', '|':
		return true
	}
	return false
}

// Bytes returns the wire form of r.
func (r *Reply) Bytes() []byte {
	var buf bytes.Buffer
	r.writeTo(&buf)
	return buf.Bytes()
}

func (r *Reply) writeTo(buf *bytes.Buffer) {
	buf.WriteByte(r.Kind)
	buf.WriteString(r.Line)
	buf.WriteString("\r\n")
	switch {
	case r.Bulk != nil:
		buf.Write(r.Bulk)
		buf.WriteString("\r\n")
	case r.IsAggregate():
		for _, e := range r.Elems {
			e.writeTo(buf)
		}
		if r.Attached != nil {
			r.Attached.writeTo(buf)
		}
	}
}

// ReadReply reads exactly one complete reply (nested aggregates and an
// attribute together with the reply it annotates) and returns its raw bytes.
func ReadReply(r *bufio.Reader) ([]byte, error) {
	reply, err := ReadParsed(r)
	if err != nil {
		return nil, err
	}
	return reply.Bytes(), nil
}

// ReadParsed reads exactly one complete reply and returns it parsed.
func ReadParsed(r *bufio.Reader) (*Reply, error) {
	return readReply(r, 0)
}

// ParseReply parses raw, which must hold exactly one complete reply.
func ParseReply(raw []byte) (*Reply, error) {
	r := bufio.NewReader(bytes.NewReader(raw))
	reply, err := readReply(r, 0)
	if err != nil {
		return nil, err
	}
	if r.Buffered() > 0 {
		return nil, fmt.Errorf("harness: resp: %d bytes after the reply", r.Buffered())
	}
	return reply, nil
}

var errProtocol = errors.New("harness: resp: protocol error")

func readReply(r *bufio.Reader, depth int) (*Reply, error) {
	if depth > maxReplyDepth {
		return nil, fmt.Errorf("%w: nesting deeper than %d", errProtocol, maxReplyDepth)
	}
	kind, err := r.ReadByte()
	if err != nil {
		return nil, err
	}
	line, err := readLine(r)
	if err != nil {
		return nil, err
	}
	reply := &Reply{Kind: kind, Line: line}
	switch kind {
	case '+', '-', ':', ',', '(':
		return reply, nil
	case '_':
		if line != "" {
			return nil, fmt.Errorf("%w: null with payload %q", errProtocol, line)
		}
		return reply, nil
	case '#':
		if line != "t" && line != "f" {
			return nil, fmt.Errorf("%w: boolean %q", errProtocol, line)
		}
		return reply, nil
	case '$', '!', '=':
		n, err := parseLength(line, kind == '$', maxBulkLen)
		if err != nil || n < 0 {
			return reply, err
		}
		var payload bytes.Buffer
		if _, err := io.CopyN(&payload, r, int64(n)+2); err != nil {
			return nil, noEOF(err)
		}
		body := payload.Bytes()
		if !bytes.HasSuffix(body, []byte("\r\n")) {
			return nil, fmt.Errorf("%w: bulk string not followed by CRLF", errProtocol)
		}
		reply.Bulk = body[:n:n]
		return reply, nil
	case '*', '~', '>', '%', '|':
		n, err := parseLength(line, kind == '*', maxBulkLen)
		if err != nil || n < 0 {
			return reply, err
		}
		if kind == '%' || kind == '|' {
			n *= 2
		}
		for range n {
			elem, err := readReply(r, depth+1)
			if err != nil {
				return nil, noEOF(err)
			}
			reply.Elems = append(reply.Elems, elem)
		}
		if kind == '|' {
			if reply.Attached, err = readReply(r, depth+1); err != nil {
				return nil, noEOF(err)
			}
		}
		return reply, nil
	}
	return nil, fmt.Errorf("%w: unknown type byte %q", errProtocol, kind)
}

// readLine reads up to CRLF and returns the text before it.
func readLine(r *bufio.Reader) (string, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if err == nil {
			break
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return "", noEOF(err)
		}
		if len(line) > maxLineLen {
			return "", fmt.Errorf("%w: line longer than %d bytes", errProtocol, maxLineLen)
		}
	}
	if len(line) < 2 || line[len(line)-2] != '\r' {
		return "", fmt.Errorf("%w: line not terminated by CRLF", errProtocol)
	}
	return string(line[:len(line)-2]), nil
}

// parseLength parses a bulk length or an aggregate count; -1 (null) is
// allowed only where RESP2 has it.
func parseLength(line string, nullable bool, limit int) (int, error) {
	n, err := strconv.Atoi(line)
	switch {
	case err != nil:
		return 0, fmt.Errorf("%w: bad length %q", errProtocol, line)
	case n == -1 && nullable:
		return -1, nil
	case n < 0 || n > limit:
		return 0, fmt.Errorf("%w: length %d out of range", errProtocol, n)
	}
	return n, nil
}

// noEOF turns an EOF inside a reply into ErrUnexpectedEOF: only an EOF before
// the first byte of a reply is a clean end of stream.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// EncodeCommand returns args as a RESP array of bulk strings, the form
// clients send commands in.
func EncodeCommand(args ...[]byte) []byte {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&buf, "$%d\r\n", len(a))
		buf.Write(a)
		buf.WriteString("\r\n")
	}
	return buf.Bytes()
}
