package config

// Loading: the configuration file (with its includes), then the
// command-line overrides, which redis-server turns into extra configuration
// lines read after the file. Later lines override earlier ones, so the
// precedence is defaults < file < command line; save lines accumulate (the
// first one read replaces the default save points), as in Redis.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LoadError is a fatal error in the configuration, in Redis's words. Its
// message has Redis's layout with "Vireo" in place of the version:
//
//	*** FATAL CONFIG FILE ERROR (Vireo) ***
//	Reading the configuration file redis.conf, at line 2
//	>>> 'foo bar'
//	Bad directive or wrong number of arguments
type LoadError struct {
	File   string // the file being read ("" for the command line and final checks)
	Line   int    // 1-based line in File, 0 when not from a file
	Arg    int    // 1-based position in the argument list of the option, 0 when not from the command line
	Text   string // the offending line as read (for the command line, as Redis rebuilds it)
	Reason string // Redis's reason, e.g. "wrong number of arguments"
	Err    error  // the underlying cause, if any (an include that cannot be read)
}

func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString("*** FATAL CONFIG FILE ERROR (Vireo) ***\n")
	switch {
	case e.Arg > 0:
		fmt.Fprintf(&b, "Reading the command line, at argument %d\n>>> '%s'\n", e.Arg, e.Text)
	case e.Line > 0:
		fmt.Fprintf(&b, "Reading the configuration file %s, at line %d\n>>> '%s'\n", e.File, e.Line, e.Text)
	}
	b.WriteString(e.Reason)
	return b.String()
}

func (e *LoadError) Unwrap() error { return e.Err }

// maxIncludeDepth stops include cycles (Redis would recurse until it crashes).
const maxIncludeDepth = 16

// Load builds the configuration from the defaults, the file at path (if path
// is not "") and the command-line overrides args, e.g.
// ["--port", "7000", "--save", ""]. As with redis-server, when path is ""
// and the first argument does not start with '-', it is the file's path.
// Errors are *LoadError, or an error prefixed "config:" when the file
// cannot be read. Like redis-server, Load checks that logfile can be opened
// for appending, which creates it.
func Load(path string, args []string) (*Config, error) {
	firstArg := 1 // position of args[0] in the user's argument list
	hasFile := path != ""
	if !hasFile && len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		path, args, hasFile = args[0], args[1:], true
		firstArg = 2
	}
	if !hasFile {
		return load(nil, "", "", args, firstArg, true)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: can't open config file '%s': %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return load(data, path, abs, args, firstArg, false)
}

// LoadEmbedded is Load for a built-in configuration text (the server's
// default config, used when no file is given): name appears in error
// messages, and the result has no file, so CONFIG REWRITE refuses as it does
// for a server started without a config file.
func LoadEmbedded(name, text string, args []string) (*Config, error) {
	return load([]byte(text), name, "", args, 1, false)
}

func load(data []byte, path, abs string, args []string, firstArg int, stdinFirst bool) (*Config, error) {
	c := Default()
	c.file = abs
	ld := &loader{s: &c.Settings, ctx: setContext{loading: true}, readFile: os.ReadFile}
	if data != nil {
		if err := ld.loadText(string(data), path, 0); err != nil {
			return nil, err
		}
	}
	// redis-server reads standard input for a "-" given first (before any
	// file) or last.
	lines, err := commandLineLines(args, stdinFirst)
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		if err := ld.loadLine(l.text, position{arg: firstArg + l.arg}, 0); err != nil {
			return nil, err
		}
	}
	if err := finalChecks(&c.Settings); err != nil {
		return nil, err
	}
	return c, nil
}

// position locates a line: in a file, or at an argument of the command line.
type position struct {
	file string
	line int
	arg  int
}

func (p position) fail(text, why string, cause error) error {
	return &LoadError{File: p.file, Line: p.line, Arg: p.arg, Text: text, Reason: why, Err: cause}
}

type loader struct {
	s        *Settings
	ctx      setContext
	readFile func(string) ([]byte, error) // os.ReadFile; tests replace it
}

func (ld *loader) loadText(text, file string, depth int) error {
	for i, line := range strings.Split(text, "\n") {
		if err := ld.loadLine(line, position{file: file, line: i + 1}, depth); err != nil {
			return err
		}
	}
	return nil
}

// deprecatedDirectives are accepted and ignored with this many words, as
// Redis does.
var deprecatedDirectives = map[string]int{
	"list-max-ziplist-entries": 2,
	"list-max-ziplist-value":   2,
	"lua-replicate-commands":   2,
}

// loadLine reads one configuration line (Redis's loadServerConfigFromString
// loop body).
func (ld *loader) loadLine(raw string, pos position, depth int) error {
	// Redis reads the file through C strings: a NUL byte ends the line.
	line := strings.Trim(cString(raw), " \t\r\n")
	if line == "" || line[0] == '#' {
		return nil
	}
	argv, ok := splitArgs(line)
	if !ok {
		return pos.fail(line, "Unbalanced quotes in configuration line", nil)
	}
	if len(argv) == 0 {
		return nil
	}
	name := asciiLower(argv[0])
	if e := lookup(name); e != nil {
		if e.d.flags&multiArg == 0 && len(argv) != 2 {
			return pos.fail(line, "wrong number of arguments", nil)
		}
		args := argv[1:]
		if e.d.flags&multiArg != 0 && len(args) == 1 && args[0] != "" {
			// One quoted argument holds all the words (`save "900 1"`, which
			// is what `--save "900 1"` becomes); unbalanced quotes inside
			// leave no words at all, as in Redis.
			args, _ = splitArgs(args[0])
		}
		if err := e.d.value.set(ld.s, args, &ld.ctx); err != nil {
			return pos.fail(line, err.Error(), nil)
		}
		if e.d.apply != nil {
			e.d.apply(ld.s)
		}
		return nil
	}
	if n, ok := deprecatedDirectives[name]; ok && n == len(argv) {
		return nil
	}
	switch {
	case name == "include" && len(argv) == 2:
		return ld.include(argv[1], line, pos, depth)
	case name == "rename-command" && len(argv) == 3:
		return pos.fail(line, "rename-command is not supported by Vireo", nil)
	case name == "user" && len(argv) >= 2:
		ld.s.Users = append(append([][]string(nil), ld.s.Users...), append([]string(nil), argv[1:]...))
		return nil
	case name == "loadmodule" && len(argv) >= 2:
		return pos.fail(line, "loadmodule is not supported by Vireo (it has no module API)", nil)
	case strings.Contains(name, "."):
		if len(argv) < 2 {
			return pos.fail(line, "Module config specified without value", nil)
		}
		// Redis would fail after loading, when no module claims it.
		return pos.fail(line, "Module Configuration detected without loadmodule directive or no ApplyConfig call: aborting", nil)
	case name == "sentinel":
		if len(argv) != 1 {
			return pos.fail(line, "sentinel directive while not in sentinel mode", nil)
		}
		return pos.fail(line, "sentinel mode is not supported by Vireo", nil)
	}
	return pos.fail(line, "Bad directive or wrong number of arguments", nil)
}

// include reads another file in place of the include line. A pattern with
// wildcards includes every match (none is fine); a plain path must exist.
// Relative paths are relative to the working directory, as in Redis.
func (ld *loader) include(pattern, line string, pos position, depth int) error {
	if depth >= maxIncludeDepth {
		return pos.fail(line, "include nesting deeper than "+strconv.Itoa(maxIncludeDepth)+" files (does a file include itself?)", nil)
	}
	files := []string{pattern}
	if strings.ContainsAny(pattern, "*?[") {
		matches, err := filepath.Glob(pattern)
		if err != nil {
			matches = nil // a malformed pattern matches nothing, as with glob(3)
		}
		files = matches
	}
	for _, f := range files {
		data, err := ld.readFile(f)
		if err != nil {
			return pos.fail(line, "Fatal error, can't open config file '"+f+"': "+errnoText(err), err)
		}
		if err := ld.loadText(string(data), f, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// finalChecks are Redis's checks after the whole configuration is read.
func finalChecks(s *Settings) error {
	if s.LogFile != "" {
		// Fail now rather than when the first log line is written.
		f, err := os.OpenFile(resolvePath(s, s.LogFile), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return &LoadError{Reason: "Can't open the log file: " + errnoText(err), Err: err}
		}
		f.Close()
	}
	if s.ClusterEnabled && s.ReplicaOfHost != "" {
		return &LoadError{Reason: "replicaof directive not allowed in cluster mode"}
	}
	return nil
}

// resolvePath makes a relative path relative to dir: Redis changes its
// working directory to dir, so its relative paths (logfile, pidfile,
// unixsocket ...) are relative to it. Vireo keeps its working directory;
// the server should resolve such paths with this rule too.
func resolvePath(s *Settings, p string) string {
	if filepath.IsAbs(p) || s.Dir == "" {
		return p
	}
	return filepath.Join(s.Dir, p)
}

// ResolvePath returns p relative to the configured dir when p is relative.
func (s *Settings) ResolvePath(p string) string { return resolvePath(s, p) }

// commandLine is one configuration line built from the command line, with
// the index of the argument that started it.
type commandLine struct {
	text string
	arg  int
}

var errStdinConfig = errors.New("config: reading the configuration from standard input ('-') is not supported")

// commandLineLines turns `--name value ...` arguments into configuration
// lines exactly as redis-server's main does: each --name starts a line, the
// values that follow are quoted and appended, a bare --save (last, or
// followed by another --option) means save "", and "--port 6380" given as
// one argument carries its own value.
//
// firstArg says whether args[0] is the first argument of all (no file
// before it), where "-" would mean standard input.
func commandLineLines(args []string, firstArg bool) ([]commandLine, error) {
	var lines []commandLine
	handledLast := true // the previous option has a value
	for j, a := range args {
		switch {
		case a == "-" && ((j == 0 && firstArg) || j == len(args)-1):
			return nil, errStdinConfig
		case handledLast && strings.HasPrefix(a, "--"):
			text := a[2:] + " "
			words, _ := splitArgs(a)
			if len(words) == 1 {
				handledLast = false
				nextIsOption := j+1 < len(args) && strings.HasPrefix(args[j+1], "--")
				isLast := j == len(args)-1
				switch {
				case strings.EqualFold(a, "--save") && nextIsOption:
					text += `""`
					handledLast = true
				case strings.EqualFold(a, "--save") && isLast:
					text += `""`
				case strings.EqualFold(a, "--sentinel") && nextIsOption:
					handledLast = true
				}
			} else {
				handledLast = true
			}
			lines = append(lines, commandLine{text: text, arg: j})
		default:
			if len(lines) == 0 {
				lines = append(lines, commandLine{arg: j})
			}
			lines[len(lines)-1].text += quoteRepr(a) + " "
			handledLast = true
		}
	}
	return lines, nil
}
