package differential

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// StepKind says what a Step does.
type StepKind int

const (
	StepCommand StepKind = iota // send Args as a RESP command, compare the reply
	StepRaw                     // send Raw bytes as they are, compare the reply
	StepSleep                   // sleep for Sleep
	StepConn                    // switch to connection Conn
	StepHello                   // send HELLO Protocol, compare the masked reply
	// StepRead sends nothing and compares the next reply already pending on
	// the connection: a subscriber's messages, or the second confirmation of
	// SUBSCRIBE a b (a command step reads only one reply).
	StepRead
)

// Step is one executable item of a script or of a generated sequence.
type Step struct {
	Pos      string // where it came from, "strings.txt:12" or "seq 3 cmd 17"
	Kind     StepKind
	Args     []string // StepCommand
	Raw      []byte   // StepRaw
	Sleep    time.Duration
	Conn     int
	Protocol int // StepHello
	Compare  CompareMode
}

// Script renders the step back in script syntax, directives included, so a
// minimised failure can be pasted into a testdata file.
func (s Step) Script() string {
	var b strings.Builder
	if s.Compare&CompareSkip != 0 {
		b.WriteString("!skip-compare\n")
	}
	if s.Compare&CompareUnordered != 0 {
		b.WriteString("!unordered\n")
	}
	if s.Compare&CompareTTL != 0 {
		b.WriteString("!ttl\n")
	}
	switch s.Kind {
	case StepCommand:
		b.WriteString(QuoteArgs(s.Args))
	case StepRaw:
		b.WriteString("!raw " + quoteArg(string(s.Raw), true))
	case StepSleep:
		fmt.Fprintf(&b, "!sleep %d", s.Sleep.Milliseconds())
	case StepConn:
		fmt.Fprintf(&b, "!conn %d", s.Conn)
	case StepHello:
		fmt.Fprintf(&b, "!resp%d", s.Protocol)
	case StepRead:
		b.WriteString("!read")
	}
	return b.String()
}

// ParseScript parses a script; name prefixes the positions of its steps.
func ParseScript(name, text string) ([]Step, error) {
	var steps []Step
	var pending CompareMode // modifiers waiting for the next command
	pendingLine := 0
	for i, line := range strings.Split(text, "\n") {
		lineNo := i + 1
		pos := fmt.Sprintf("%s:%d", name, lineNo)
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !strings.HasPrefix(line, "!") {
			args, err := SplitArgs(line)
			if err != nil {
				return nil, fmt.Errorf("differential: %s: %w", pos, err)
			}
			steps = append(steps, Step{Pos: pos, Kind: StepCommand, Args: args, Compare: pending})
			pending = 0
			continue
		}
		directive, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		step := Step{Pos: pos}
		switch directive {
		case "!skip-compare", "!unordered", "!ttl":
			if rest != "" {
				return nil, fmt.Errorf("differential: %s: %s takes no argument", pos, directive)
			}
			pending |= map[string]CompareMode{"!skip-compare": CompareSkip, "!unordered": CompareUnordered, "!ttl": CompareTTL}[directive]
			pendingLine = lineNo
			continue
		case "!sleep":
			ms, err := strconv.Atoi(rest)
			if err != nil || ms < 0 {
				return nil, fmt.Errorf("differential: %s: !sleep needs milliseconds, got %q", pos, rest)
			}
			step.Kind, step.Sleep = StepSleep, time.Duration(ms)*time.Millisecond
		case "!conn":
			n, err := strconv.Atoi(rest)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("differential: %s: !conn needs a connection number, got %q", pos, rest)
			}
			step.Kind, step.Conn = StepConn, n
		case "!read":
			if rest != "" {
				return nil, fmt.Errorf("differential: %s: !read takes no argument", pos)
			}
			step.Kind, step.Compare = StepRead, pending
			pending = 0
		case "!resp2", "!resp3":
			if rest != "" {
				return nil, fmt.Errorf("differential: %s: %s takes no argument", pos, directive)
			}
			step.Kind, step.Protocol = StepHello, int(directive[5]-'0')
		case "!raw":
			args, err := SplitArgs(rest)
			if err != nil || len(args) != 1 || args[0] == "" {
				return nil, fmt.Errorf("differential: %s: !raw needs one quoted argument (%v)", pos, err)
			}
			step.Kind, step.Raw, step.Compare = StepRaw, []byte(args[0]), pending
			pending = 0
		default:
			return nil, fmt.Errorf("differential: %s: unknown directive %s", pos, directive)
		}
		if pending != 0 && step.Kind != StepRaw && step.Kind != StepRead {
			return nil, fmt.Errorf("differential: %s:%d: comparison directive not followed by a command", name, pendingLine)
		}
		steps = append(steps, step)
	}
	if pending != 0 {
		return nil, fmt.Errorf("differential: %s:%d: comparison directive at the end of the script", name, pendingLine)
	}
	return steps, nil
}

var errUnbalanced = errors.New("unbalanced quotes")

// SplitArgs splits a line into arguments exactly like redis-cli
// (sdssplitargs): "..." understands \xHH, \n, \r, \t, \b, \a and \<c>;
// '...' understands only \'; a closing quote must be followed by a space or
// the end of the line; a quote inside a word starts quoting there.
func SplitArgs(line string) ([]string, error) {
	var args []string
	p := 0
	for {
		for p < len(line) && isSpace(line[p]) {
			p++
		}
		if p >= len(line) {
			return args, nil
		}
		var cur []byte
		inDouble, inSingle, done := false, false, false
		for !done {
			switch {
			case inDouble:
				if p >= len(line) {
					return nil, errUnbalanced
				}
				switch c := line[p]; {
				case c == '\\' && p+3 < len(line) && line[p+1] == 'x' && isHex(line[p+2]) && isHex(line[p+3]):
					v, _ := strconv.ParseUint(line[p+2:p+4], 16, 8)
					cur = append(cur, byte(v))
					p += 3
				case c == '\\' && p+1 < len(line):
					p++
					cur = append(cur, unescape(line[p]))
				case c == '"':
					if p+1 < len(line) && !isSpace(line[p+1]) {
						return nil, errUnbalanced
					}
					done = true
				default:
					cur = append(cur, c)
				}
			case inSingle:
				if p >= len(line) {
					return nil, errUnbalanced
				}
				switch c := line[p]; {
				case c == '\\' && p+1 < len(line) && line[p+1] == '\'':
					p++
					cur = append(cur, '\'')
				case c == '\'':
					if p+1 < len(line) && !isSpace(line[p+1]) {
						return nil, errUnbalanced
					}
					done = true
				default:
					cur = append(cur, c)
				}
			default:
				if p >= len(line) {
					done = true
					break
				}
				switch c := line[p]; c {
				case ' ', '\n', '\r', '\t', 0:
					done = true
				case '"':
					inDouble = true
				case '\'':
					inSingle = true
				default:
					cur = append(cur, c)
				}
			}
			if p < len(line) {
				p++
			}
		}
		args = append(args, string(cur))
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'a':
		return '\a'
	}
	return c
}

// QuoteArgs renders args as one script line that SplitArgs turns back into
// the same args.
func QuoteArgs(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		// A first word starting with ! or # would read as a directive or a comment.
		quoted[i] = quoteArg(a, i == 0 && a != "" && (a[0] == '!' || a[0] == '#'))
	}
	return strings.Join(quoted, " ")
}

func quoteArg(a string, force bool) string {
	if !force && a != "" && !strings.ContainsFunc(a, needsQuoting) {
		return a
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(a); i++ {
		switch c := a[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func needsQuoting(r rune) bool {
	return r <= ' ' || r >= 0x7f || r == '"' || r == '\'' || r == '\\'
}
