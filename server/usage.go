package server

// The Usage grammar. Every spec writes its arguments once, as Redis's
// documentation writes them ("key value [NX | XX] [EX seconds | PX
// milliseconds]"); COMMAND DOCS, and through it redis-cli's argument hints,
// need them as a tree (Redis's commands/*.json "arguments"). ParseUsage turns
// the one into the other so that nothing has to be written twice.
//
// Grammar (after the command name):
//
//	usage   = alts
//	alts    = seq { "|" seq }          several alternatives: a oneof
//	seq     = item { item }
//	item    = word [ "..." ] | "[" alts [ "..." ] "]" | "<" alts [ "..." ] ">" | "[...]"
//
// Words without lower-case letters are tokens (NX, EX, "*", `""`); the others
// are values named by the word. "[ ]" is optional, "< >" groups without
// making anything optional (Redis 7.2's rendering of a required oneof:
// "[AGGREGATE <SUM | MIN | MAX>]"). "..." repeats the item before it, or,
// right before a closing bracket, the whole group; "X [...]" abbreviates
// "X [X ...]". Redis renders a multiple
// argument X as "X [X ...]"; that shape is folded back into one argument with
// the multiple flag (and multiple_token when X starts with its token, as in
// "GET pattern [GET pattern ...]"), as is "[A | B [A | B ...]]", a multiple
// oneof. A token followed by one value is that value with its token ("EX
// seconds"); a token followed by several is a block with that token ("LIMIT
// offset count").
//
// Value types are inferred from the name (see valueType): exact agreement with
// Redis's JSON types is not required, a valid tree is.

import (
	"errors"
	"fmt"
	"strings"
)

// ArgType is an argument's type as COMMAND DOCS names it.
type ArgType uint8

const (
	ArgString ArgType = iota
	ArgInteger
	ArgDouble
	ArgKey
	ArgPattern
	ArgUnixTime
	ArgPureToken
	ArgOneOf
	ArgBlock
)

var argTypeNames = [...]string{"string", "integer", "double", "key", "pattern", "unix-time", "pure-token", "oneof", "block"}

func (t ArgType) String() string {
	if int(t) < len(argTypeNames) {
		return argTypeNames[t]
	}
	return "unknown"
}

// ArgFlag is an argument flag as COMMAND DOCS names it.
type ArgFlag uint8

const (
	ArgOptional ArgFlag = 1 << iota
	ArgMultiple
	ArgMultipleToken
)

// Names lists the flags in Redis's reply order.
func (f ArgFlag) Names() []string {
	var out []string
	if f&ArgOptional != 0 {
		out = append(out, "optional")
	}
	if f&ArgMultiple != 0 {
		out = append(out, "multiple")
	}
	if f&ArgMultipleToken != 0 {
		out = append(out, "multiple_token")
	}
	return out
}

// Arg is one node of a command's argument tree.
type Arg struct {
	Name  string
	Type  ArgType
	Token string // the literal word before the value, or the pure token itself
	Flags ArgFlag
	// KeySpecIndex numbers the key arguments in order of appearance (0, 1,
	// ...); -1 for every other argument. COMMAND DOCS maps it onto the key
	// specs the command actually has.
	KeySpecIndex int
	Args         []*Arg // the alternatives of a oneof, the parts of a block
}

// ErrUsage is wrapped by every ParseUsage error.
var ErrUsage = errors.New("usage")

// ParseUsage parses a spec's Usage string. cmdName (the full name, "set",
// "client|kill") only refines type inference (INCRBYFLOAT's increment is a
// double). An empty usage has no arguments.
func ParseUsage(cmdName, usage string) ([]*Arg, error) {
	p := usageParser{cmd: strings.ToLower(cmdName), words: splitUsage(usage)}
	if len(p.words) == 0 {
		return nil, nil
	}
	alts, repeat, err := p.parseAlts("")
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.words) {
		return nil, p.errorf("unexpected %q", p.words[p.pos])
	}
	if repeat {
		return nil, p.errorf(`"..." with nothing to repeat`)
	}
	var args []*Arg
	if len(alts) == 1 {
		args = p.buildSeq(alts[0])
	} else {
		args = []*Arg{p.buildOneOf(alts)}
	}
	n := 0
	numberKeys(args, &n)
	return args, nil
}

// splitUsage cuts a usage string into words, brackets, bars and ellipses.
func splitUsage(s string) []string {
	var out []string
	i := 0
	for i < len(s) {
		ch := s[i]
		switch {
		case ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r':
			i++
		case ch == '[' || ch == ']' || ch == '<' || ch == '>' || ch == '|':
			out = append(out, s[i:i+1])
			i++
		case strings.HasPrefix(s[i:], "..."):
			out = append(out, "...")
			i += 3
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\r\n[]<>|", rune(s[j])) && !strings.HasPrefix(s[j:], "...") {
				j++
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	return out
}

// node is the raw parse before folding: a word, or a bracketed group.
type node struct {
	word     string
	group    [][]node // alternatives, each a sequence
	optional bool     // "[ ]"
	repeat   bool     // followed by "..." (or "..." closed the group)
}

func (n node) isWord() bool { return n.group == nil }

func isTokenWord(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] >= 'a' && w[i] <= 'z' {
			return false
		}
	}
	return true
}

func (n node) isToken() bool { return n.isWord() && !n.repeat && isTokenWord(n.word) }

// render writes a node back in canonical form, to compare shapes.
func (n node) render(b *strings.Builder) {
	if n.isWord() {
		b.WriteString(n.word)
	} else {
		open, close := "<", ">"
		if n.optional {
			open, close = "[", "]"
		}
		b.WriteString(open)
		renderAlts(b, n.group)
		b.WriteString(close)
	}
	if n.repeat {
		b.WriteString(" ...")
	}
}

func renderAlts(b *strings.Builder, alts [][]node) {
	for i, seq := range alts {
		if i > 0 {
			b.WriteString(" | ")
		}
		renderSeq(b, seq)
	}
}

func renderSeq(b *strings.Builder, seq []node) {
	for i, n := range seq {
		if i > 0 {
			b.WriteByte(' ')
		}
		n.render(b)
	}
}

func seqString(seq []node) string {
	var b strings.Builder
	renderSeq(&b, seq)
	return b.String()
}

func altsString(alts [][]node) string {
	var b strings.Builder
	renderAlts(&b, alts)
	return b.String()
}

type usageParser struct {
	cmd   string
	words []string
	pos   int
	keys  int
}

func (p *usageParser) errorf(format string, a ...any) error {
	return fmt.Errorf("%w: %s: %s (at word %d)", ErrUsage, p.cmd, fmt.Sprintf(format, a...), p.pos+1)
}

// parseAlts parses alternatives up to the closing bracket (or the end when
// closing is ""). repeat reports a "..." right before the close.
func (p *usageParser) parseAlts(closing string) (alts [][]node, repeat bool, err error) {
	var seq []node
	for {
		if p.pos == len(p.words) {
			if closing != "" {
				return nil, false, p.errorf("missing %q", closing)
			}
			break
		}
		w := p.words[p.pos]
		if w == closing {
			break
		}
		switch w {
		case "]", ">":
			return nil, false, p.errorf("unbalanced %q", w)
		case "|":
			if len(seq) == 0 {
				return nil, false, p.errorf(`empty alternative before "|"`)
			}
			alts = append(alts, seq)
			seq = nil
			p.pos++
			continue
		case "...":
			p.pos++
			if closing != "" && p.pos < len(p.words) && p.words[p.pos] == closing {
				// "..." closing the group repeats the whole group.
				if len(seq) == 0 {
					return nil, false, p.errorf(`"..." with nothing to repeat`)
				}
				repeat = true
				continue
			}
			if len(seq) == 0 || seq[len(seq)-1].repeat {
				return nil, false, p.errorf(`"..." with nothing to repeat`)
			}
			seq[len(seq)-1].repeat = true
			continue
		case "[", "<":
			if w == "[" && p.pos+2 < len(p.words) && p.words[p.pos+1] == "..." && p.words[p.pos+2] == "]" {
				// "X [...]" abbreviates "X [X ...]".
				if len(seq) == 0 || seq[len(seq)-1].repeat {
					return nil, false, p.errorf(`"[...]" with nothing to repeat`)
				}
				seq[len(seq)-1].repeat = true
				p.pos += 3
				continue
			}
			p.pos++
			closeWith := "]"
			if w == "<" {
				closeWith = ">"
			}
			inner, rep, err := p.parseAlts(closeWith)
			if err != nil {
				return nil, false, err
			}
			p.pos++ // the closing bracket
			g := node{group: inner, optional: w == "[", repeat: rep}
			g = foldRepeatedOneOf(g)
			seq = foldRepeat(seq, g)
			continue
		default:
			seq = append(seq, node{word: w})
			p.pos++
		}
	}
	if len(seq) == 0 {
		if len(alts) == 0 {
			return nil, false, p.errorf("empty group")
		}
		return nil, false, p.errorf(`empty alternative after "|"`)
	}
	alts = append(alts, seq)
	return alts, repeat, nil
}

// foldRepeat appends g to seq, folding "X [X ...]" into one required
// repeated X, and "<A | B> [A | B ...]" into one required repeated oneof.
func foldRepeat(seq []node, g node) []node {
	if !g.optional || !g.repeat {
		return append(seq, g)
	}
	if len(g.group) == 1 {
		x := g.group[0]
		if len(seq) >= len(x) && seqString(seq[len(seq)-len(x):]) == seqString(x) {
			seq = seq[:len(seq)-len(x)]
			return append(seq, node{group: [][]node{x}, repeat: true})
		}
		return append(seq, g)
	}
	if len(seq) > 0 {
		prev := seq[len(seq)-1]
		if !prev.isWord() && !prev.optional && !prev.repeat && altsString(prev.group) == altsString(g.group) {
			seq[len(seq)-1] = node{group: g.group, repeat: true}
			return seq
		}
	}
	return append(seq, g)
}

// foldRepeatedOneOf recognises "[A | B [A | B ...]]" (a multiple oneof, as
// Redis renders one): the last alternative ends with a repeat of all the
// alternatives.
func foldRepeatedOneOf(g node) node {
	if g.repeat || len(g.group) < 2 {
		return g
	}
	last := g.group[len(g.group)-1]
	tail := last[len(last)-1]
	if tail.isWord() || !tail.optional || !tail.repeat || len(last) < 2 {
		return g
	}
	alts := make([][]node, len(g.group))
	copy(alts, g.group)
	alts[len(alts)-1] = last[:len(last)-1]
	if altsString(tail.group) != altsString(alts) {
		return g
	}
	return node{group: alts, optional: g.optional, repeat: true}
}

// buildSeq turns a sequence into arguments: a token takes the required
// values that follow it.
func (p *usageParser) buildSeq(seq []node) []*Arg {
	var out []*Arg
	for i := 0; i < len(seq); {
		n := seq[i]
		if !n.isToken() {
			out = append(out, p.buildNode(n))
			i++
			continue
		}
		j := i + 1
		for j < len(seq) && !seq[j].isToken() && !seq[j].optional {
			j++
		}
		out = append(out, p.withToken(n.word, p.buildNodes(seq[i+1:j])))
		i = j
	}
	return out
}

func (p *usageParser) buildNodes(seq []node) []*Arg {
	out := make([]*Arg, 0, len(seq))
	for _, n := range seq {
		out = append(out, p.buildNode(n))
	}
	return out
}

// withToken attaches a token to the values that follow it.
func (p *usageParser) withToken(token string, vals []*Arg) *Arg {
	switch {
	case len(vals) == 0:
		return &Arg{Name: tokenName(token), Type: ArgPureToken, Token: token, KeySpecIndex: -1}
	case len(vals) == 1 && vals[0].Token == "" && vals[0].Type != ArgPureToken:
		vals[0].Token = token
		if vals[0].Type == ArgOneOf || vals[0].Type == ArgBlock {
			// A group is best named by its token ("filterby", "overflow").
			vals[0].Name = tokenName(token)
		}
		return vals[0]
	default:
		return &Arg{Name: tokenName(token), Type: ArgBlock, Token: token, KeySpecIndex: -1, Args: vals}
	}
}

// tokenName is the argument name of a token: the token in lower case
// ("empty" for the empty-string token `""`).
func tokenName(token string) string {
	name := strings.ToLower(strings.Trim(token, `"`))
	if name == "" {
		return "empty"
	}
	return name
}

func (p *usageParser) buildNode(n node) *Arg {
	var a *Arg
	switch {
	case n.isWord() && isTokenWord(n.word):
		a = &Arg{Name: tokenName(n.word), Type: ArgPureToken, Token: n.word, KeySpecIndex: -1}
	case n.isWord():
		a = &Arg{Name: n.word, Type: p.valueType(n.word), KeySpecIndex: -1}
	case len(n.group) == 1:
		a = p.seqArg(n.group[0])
		if n.repeat && len(n.group[0]) > 0 && n.group[0][0].isToken() && a.Token != "" {
			a.Flags |= ArgMultipleToken
		}
	default:
		a = p.buildOneOf(n.group)
	}
	if n.optional {
		a.Flags |= ArgOptional
	}
	if n.repeat {
		a.Flags |= ArgMultiple
	}
	return a
}

// seqArg makes one argument of a sequence: itself when it is one, else a
// block.
func (p *usageParser) seqArg(seq []node) *Arg {
	args := p.buildSeq(seq)
	if len(args) == 1 {
		return args[0]
	}
	return &Arg{Name: joinNames(args), Type: ArgBlock, KeySpecIndex: -1, Args: args}
}

func (p *usageParser) buildOneOf(alts [][]node) *Arg {
	a := &Arg{Type: ArgOneOf, KeySpecIndex: -1}
	for _, seq := range alts {
		a.Args = append(a.Args, p.seqArg(seq))
	}
	a.Name = joinNames(a.Args)
	return a
}

// joinNames names a block or oneof after its first parts.
func joinNames(args []*Arg) string {
	var names []string
	for i, a := range args {
		if i == 3 {
			break
		}
		names = append(names, a.Name)
	}
	return strings.Join(names, "-")
}

// numberKeys gives key arguments their KeySpecIndex in order of appearance.
func numberKeys(args []*Arg, n *int) {
	for _, a := range args {
		if a.Type == ArgKey {
			a.KeySpecIndex = *n
			*n++
		}
		numberKeys(a.Args, n)
	}
}

// Value names by inferred type. Names are compared after dropping a trailing
// digit ("index1") and, failing that, by their last dash-separated part
// ("destination-db", "start-slot").
var (
	integerNames = map[string]bool{
		"count": true, "seconds": true, "milliseconds": true, "index": true, "start": true,
		"end": true, "offset": true, "db": true, "timeout": true, "numkeys": true,
		"cursor": true, "numreplicas": true, "numlocal": true, "port": true, "ttl": true,
		"increment": true, "decrement": true, "len": true, "slot": true, "frequency": true,
		"protover": true, "weight": true, "client-id": true, "bit": true, "pivot-index": true,
		"numslots": true, "timestamp": true, "rank": true, "maxlen": true, "numerator": true,
		"threshold-count": true, "limit": true, "millisecond": true, "epoch": true,
	}
	doubleNames = map[string]bool{
		"score": true, "longitude": true, "latitude": true, "radius": true, "width": true, "height": true,
	}
	// keyNames are key arguments whose name does not say "key".
	keyNames = map[string]bool{"destination": true, "source": true}
	// blockingTimeouts take a timeout in seconds as a double (Redis 6.0+).
	blockingTimeouts = map[string]bool{
		"blpop": true, "brpop": true, "brpoplpush": true, "blmove": true, "blmpop": true,
		"bzpopmin": true, "bzpopmax": true, "bzmpop": true,
	}
)

// valueType infers a value argument's type from its name.
func (p *usageParser) valueType(name string) ArgType {
	base := strings.TrimRight(name, "0123456789")
	switch {
	case strings.HasPrefix(name, "unix-time"):
		return ArgUnixTime
	case strings.HasSuffix(base, "key") || keyNames[base]:
		return ArgKey
	case base == "pattern" || strings.HasSuffix(base, "-pattern"):
		return ArgPattern
	case base == "timeout" && blockingTimeouts[p.cmd]:
		return ArgDouble
	case base == "increment" && strings.HasSuffix(p.cmd, "float"):
		return ArgDouble
	case doubleNames[base]:
		return ArgDouble
	case integerNames[base] || strings.HasPrefix(base, "num"):
		return ArgInteger
	}
	if i := strings.LastIndexByte(base, '-'); i >= 0 {
		last := base[i+1:]
		switch {
		case doubleNames[last]:
			return ArgDouble
		case integerNames[last]:
			return ArgInteger
		}
	}
	return ArgString
}
