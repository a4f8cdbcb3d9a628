package replication

// Parsers for what a primary sends a replica: the PSYNC reply, the header
// of the RDB payload, and the RESP multibulk commands of the stream. They
// take untrusted input and return errors, never panic (FuzzProtocol).

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ErrProtocol is wrapped by every parse error.
var ErrProtocol = errors.New("replication: protocol error")

// PSyncKind is what the primary answered to PSYNC.
type PSyncKind int

// The answers to PSYNC.
const (
	PSyncFull         PSyncKind = iota // +FULLRESYNC <replid> <offset>
	PSyncContinue                      // +CONTINUE [<replid>]
	PSyncTryLater                      // -NOMASTERLINK / -LOADING: try again later
	PSyncNotSupported                  // -ERR...: the primary does not know PSYNC
)

// PSyncReply is a parsed answer to PSYNC.
type PSyncReply struct {
	Kind   PSyncKind
	ReplID string // FULLRESYNC: the primary's ID; CONTINUE: the new ID or ""
	Offset int64  // FULLRESYNC: the offset the payload was taken at
}

// ParsePSyncReply parses the primary's one-line answer to PSYNC (without
// the CRLF).
func ParsePSyncReply(line string) (PSyncReply, error) {
	switch {
	case strings.HasPrefix(line, "+FULLRESYNC"):
		f := strings.Fields(line[len("+FULLRESYNC"):])
		if len(f) != 2 || !validReplID(f[0]) {
			return PSyncReply{}, fmt.Errorf("%w: bad FULLRESYNC reply %q", ErrProtocol, line)
		}
		off, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil || off < 0 {
			return PSyncReply{}, fmt.Errorf("%w: bad FULLRESYNC offset %q", ErrProtocol, line)
		}
		return PSyncReply{Kind: PSyncFull, ReplID: f[0], Offset: off}, nil
	case strings.HasPrefix(line, "+CONTINUE"):
		rest := strings.TrimSpace(line[len("+CONTINUE"):])
		if rest != "" && !validReplID(rest) {
			return PSyncReply{}, fmt.Errorf("%w: bad CONTINUE reply %q", ErrProtocol, line)
		}
		return PSyncReply{Kind: PSyncContinue, ReplID: rest}, nil
	case strings.HasPrefix(line, "-NOMASTERLINK"), strings.HasPrefix(line, "-LOADING"):
		return PSyncReply{Kind: PSyncTryLater}, nil
	case strings.HasPrefix(line, "-"):
		return PSyncReply{Kind: PSyncNotSupported}, nil
	}
	return PSyncReply{}, fmt.Errorf("%w: unexpected reply to PSYNC %q", ErrProtocol, line)
}

func validReplID(s string) bool {
	if len(s) != 40 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// EOFMarkLen is the length of the diskless payload's end mark.
const EOFMarkLen = 40

// ParsePayloadHeader parses the line announcing the RDB payload: "$<len>"
// gives its size, "$EOF:<40 bytes>" the mark that ends it (size -1).
func ParsePayloadHeader(line string) (size int64, mark []byte, err error) {
	if !strings.HasPrefix(line, "$") {
		return 0, nil, fmt.Errorf("%w: bad payload header %q", ErrProtocol, line)
	}
	if strings.HasPrefix(line, "$EOF:") {
		m := line[len("$EOF:"):]
		if len(m) != EOFMarkLen {
			return 0, nil, fmt.Errorf("%w: bad EOF mark %q", ErrProtocol, line)
		}
		return -1, []byte(m), nil
	}
	n, err := strconv.ParseInt(line[1:], 10, 64)
	if err != nil || n < 0 {
		return 0, nil, fmt.Errorf("%w: bad payload length %q", ErrProtocol, line)
	}
	return n, nil, nil
}

// readLine reads one CRLF-terminated line, skipping the bare newlines a
// primary sends as keep-alives while it prepares the payload.
func readLine(r *bufio.Reader, max int) (string, error) {
	for {
		line, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) || len(line) > max {
			return "", fmt.Errorf("%w: line too long", ErrProtocol)
		}
		if err != nil {
			return "", err
		}
		s := strings.TrimRight(string(line), "\r\n")
		if s == "" {
			continue
		}
		return s, nil
	}
}

// CommandReader reads the commands of the replication stream.
type CommandReader struct {
	r       *bufio.Reader
	MaxBulk int64 // proto-max-bulk-len
	argv    [][]byte
}

// NewCommandReader reads commands from r.
func NewCommandReader(r *bufio.Reader) *CommandReader {
	return &CommandReader{r: r, MaxBulk: 512 << 20}
}

// Read returns the next command and the number of stream bytes it took.
// The arguments are valid until the next call.
func (cr *CommandReader) Read() (argv [][]byte, n int64, err error) {
	line, err := cr.r.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, 0, fmt.Errorf("%w: line too long", ErrProtocol)
		}
		return nil, 0, err
	}
	n = int64(len(line))
	if len(line) < 2 || line[len(line)-2] != '\r' {
		return nil, n, fmt.Errorf("%w: expected CRLF", ErrProtocol)
	}
	if line[0] != '*' {
		// An inline command: a primary never sends one, but a bare
		// newline is harmless.
		fields := bytes.Fields(line)
		cr.argv = cr.argv[:0]
		for _, f := range fields {
			cr.argv = append(cr.argv, append([]byte(nil), f...))
		}
		return cr.argv, n, nil
	}
	count, err := strconv.ParseInt(string(line[1:len(line)-2]), 10, 32)
	if err != nil || count > 1<<20 {
		return nil, n, fmt.Errorf("%w: bad multibulk length", ErrProtocol)
	}
	cr.argv = cr.argv[:0]
	for i := int64(0); i < count; i++ {
		hdr, err := cr.r.ReadSlice('\n')
		if err != nil {
			if errors.Is(err, bufio.ErrBufferFull) {
				return nil, n, fmt.Errorf("%w: line too long", ErrProtocol)
			}
			return nil, n, noEOF(err)
		}
		n += int64(len(hdr))
		if len(hdr) < 4 || hdr[0] != '$' || hdr[len(hdr)-2] != '\r' {
			return nil, n, fmt.Errorf("%w: expected '$'", ErrProtocol)
		}
		size, err := strconv.ParseInt(string(hdr[1:len(hdr)-2]), 10, 64)
		if err != nil || size < 0 || size > cr.MaxBulk {
			return nil, n, fmt.Errorf("%w: bad bulk length", ErrProtocol)
		}
		arg := make([]byte, size+2)
		if _, err := io.ReadFull(cr.r, arg); err != nil {
			return nil, n, noEOF(err)
		}
		n += size + 2
		if arg[size] != '\r' || arg[size+1] != '\n' {
			return nil, n, fmt.Errorf("%w: bulk without CRLF", ErrProtocol)
		}
		cr.argv = append(cr.argv, arg[:size])
	}
	return cr.argv, n, nil
}

func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// eofReader yields the diskless payload: everything up to the 40-byte
// mark, which it consumes. It never reads past the mark, so the command
// stream that follows stays in r.
type eofReader struct {
	r    *bufio.Reader
	mark []byte
	held []byte // bytes read that may be the start of the mark
	out  []byte // payload bytes ready to return
	done bool
}

func newEOFReader(r *bufio.Reader, mark []byte) *eofReader {
	return &eofReader{r: r, mark: mark}
}

func (e *eofReader) Read(p []byte) (int, error) {
	for len(e.out) == 0 {
		if e.done {
			return 0, io.EOF
		}
		if _, err := e.r.Peek(1); err != nil {
			return 0, noEOF(err)
		}
		chunk, _ := e.r.Peek(e.r.Buffered())
		window := append(e.held, chunk...)
		if i := bytes.Index(window, e.mark); i >= 0 {
			// The mark ends at window[i+len(mark)]: consume exactly that
			// much of chunk.
			end := i + len(e.mark) - len(e.held)
			e.r.Discard(end)
			e.out = window[:i:i]
			e.held = nil
			e.done = true
			break
		}
		e.r.Discard(len(chunk))
		keep := min(len(window), len(e.mark)-1)
		e.out = append([]byte(nil), window[:len(window)-keep]...)
		e.held = append([]byte(nil), window[len(window)-keep:]...)
	}
	n := copy(p, e.out)
	e.out = e.out[n:]
	return n, nil
}
