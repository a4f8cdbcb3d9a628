package server

// Invariants of the command table, checked for every spec every family
// registers, and the coverage of Redis 7.2's command set: each Redis command
// is in the table or listed, with the family that will bring it, in
// testdata/missing_commands.txt.

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var updateMissing = flag.Bool("update-missing", false, "drop implemented commands from testdata/missing_commands.txt")

// docGroups are the groups COMMAND DOCS may report (Redis's COMMAND_GROUP_STR).
var docGroups = map[string]bool{
	"generic": true, "string": true, "list": true, "set": true, "sorted-set": true, "hash": true,
	"pubsub": true, "transactions": true, "connection": true, "server": true, "scripting": true,
	"hyperloglog": true, "cluster": true, "sentinel": true, "geo": true, "stream": true, "bitmap": true,
}

var versionRE = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)

func TestCommandTableInvariants(t *testing.T) {
	tab := newTable()
	if tab.Len() == 0 {
		t.Fatal("empty command table")
	}
	for _, cmd := range tab.Sorted() {
		checkSpec(t, cmd, nil)
		if cmd.Subcommands != nil {
			if len(cmd.Subcommands) == 0 {
				t.Errorf("%s: container without subcommands", cmd.Name)
			}
			for _, sub := range cmd.sortedSubcommands() {
				checkSpec(t, sub, cmd)
			}
		}
	}
}

// checkSpec checks one spec; parent is nil for a top-level command.
func checkSpec(t testing.TB, cmd, parent *Command) {
	t.Helper()
	name := cmd.Name
	fail := func(format string, a ...any) {
		t.Helper()
		t.Errorf("%s: "+format, append([]any{name}, a...)...)
	}
	depth := 1 // words of the command name in argv
	if parent != nil {
		depth = 2
		if !strings.HasPrefix(name, parent.Name+"|") || strings.Count(name, "|") != 1 {
			fail("subcommand of %s is not named %s|sub", parent.Name, parent.Name)
		}
		if cmd.Subcommands != nil {
			fail("subcommands nest only one level")
		}
	}
	if name != strings.ToLower(name) || name == "" {
		fail("name must be lower case")
	}
	container := cmd.Subcommands != nil
	if cmd.Handler == nil && !container {
		fail("no handler")
	}
	if cmd.Arity == 0 {
		fail("arity 0")
	}
	if parent != nil && cmd.Arity > -2 && cmd.Arity < 2 {
		fail("subcommand arity %d does not count the subcommand", cmd.Arity)
	}
	if !docGroups[cmd.Group] {
		fail("group %q is not one of COMMAND DOCS's", cmd.Group)
	}
	if !versionRE.MatchString(cmd.Since) {
		fail("since %q is not a version", cmd.Since)
	}
	if cmd.Summary == "" {
		fail("no summary")
	}
	if cmd.Flags&FlagWrite != 0 && cmd.Flags&FlagReadonly != 0 {
		fail("both write and readonly")
	}
	for _, cat := range cmd.ACL {
		known := false
		for _, k := range ACLCategoryNames {
			known = known || cat == k
		}
		if !known {
			fail("unknown ACL category %q (write it without '@', in lower case)", cat)
		}
		if cat == "slow" && cmd.Flags&FlagFast != 0 {
			fail("fast and @slow")
		}
	}
	checkKeyPositions(t, cmd, fail)
	if !container {
		checkUsage(cmd, depth, fail)
	}
}

func checkKeyPositions(t testing.TB, cmd *Command, fail func(string, ...any)) {
	t.Helper()
	switch {
	case cmd.FirstKey < 0:
		fail("first key %d", cmd.FirstKey)
	case cmd.FirstKey == 0:
		if cmd.LastKey != 0 || cmd.KeyStep != 0 {
			fail("last key %d / step %d without a first key", cmd.LastKey, cmd.KeyStep)
		}
	default:
		if cmd.KeyStep <= 0 {
			fail("key step %d", cmd.KeyStep)
		}
		if cmd.LastKey == 0 {
			fail("first key %d without a last key", cmd.FirstKey)
		}
		if cmd.LastKey > 0 && cmd.LastKey < cmd.FirstKey {
			fail("last key %d before first key %d", cmd.LastKey, cmd.FirstKey)
		}
		if a := max(cmd.Arity, -cmd.Arity); cmd.FirstKey >= a {
			fail("first key %d is beyond the %d arguments arity %d guarantees", cmd.FirstKey, a, cmd.Arity)
		}
		if cmd.Arity > 0 && cmd.LastKey >= cmd.Arity {
			fail("last key %d is beyond arity %d", cmd.LastKey, cmd.Arity)
		}
	}
}

// checkUsage parses Usage and holds it against the arity: the arguments the
// usage requires are the arity's minimum, and a fixed arity has nothing
// optional or repeated. A usage is required wherever arguments are.
func checkUsage(cmd *Command, depth int, fail func(string, ...any)) {
	args, err := cmd.DocArgs()
	if err != nil {
		fail("%v", err)
		return
	}
	minArgs := -cmd.Arity - depth
	if cmd.Arity > 0 {
		minArgs = cmd.Arity - depth
	}
	if minArgs > 0 && cmd.Usage == "" {
		fail("no usage for %d required arguments", minArgs)
		return
	}
	if got := usageMinArgs(args); got != minArgs {
		fail("usage %q requires %d arguments, arity %d says %d", cmd.Usage, got, cmd.Arity, minArgs)
	}
	if cmd.Arity > 0 && usageVariable(args) {
		fail("usage %q has optional or repeated arguments but arity %d is fixed", cmd.Usage, cmd.Arity)
	}
	if cmd.Arity < 0 && !usageVariable(args) && cmd.Usage != "" {
		fail("usage %q is fixed but arity %d is not", cmd.Usage, cmd.Arity)
	}
}

// usageMinArgs counts the words the shortest valid call needs.
func usageMinArgs(args []*Arg) int {
	n := 0
	for _, a := range args {
		if a.Flags&ArgOptional == 0 {
			n += argMinWords(a)
		}
	}
	return n
}

func argMinWords(a *Arg) int {
	n := 0
	if a.Token != "" && a.Type != ArgPureToken {
		n = 1
	}
	switch a.Type {
	case ArgPureToken:
		return 1
	case ArgOneOf:
		best := -1
		for _, alt := range a.Args {
			if m := argMinWords(alt); best < 0 || m < best {
				best = m
			}
		}
		return n + best
	case ArgBlock:
		return n + usageMinArgs(a.Args)
	}
	return n + 1
}

// usageVariable reports whether the call's length can vary.
func usageVariable(args []*Arg) bool {
	for _, a := range args {
		if a.Flags&(ArgOptional|ArgMultiple) != 0 {
			return true
		}
		switch a.Type {
		case ArgBlock:
			if usageVariable(a.Args) {
				return true
			}
		case ArgOneOf:
			first := -1
			for _, alt := range a.Args {
				if usageVariable([]*Arg{alt}) {
					return true
				}
				if m := argMinWords(alt); first < 0 {
					first = m
				} else if m != first {
					return true
				}
			}
		}
	}
	return false
}

func TestRedisCommandCoverage(t *testing.T) {
	redis := readNameList(t, "testdata/redis72_commands.txt")
	missing := map[string]string{}
	for _, line := range readLines(t, "testdata/missing_commands.txt") {
		name, reason, ok := strings.Cut(line, ":")
		name, reason = strings.TrimSpace(name), strings.TrimSpace(reason)
		if !ok || name == "" || reason == "" {
			t.Errorf("missing_commands.txt: %q is not \"name: family (note)\"", line)
			continue
		}
		if _, dup := missing[name]; dup {
			t.Errorf("missing_commands.txt: %s listed twice", name)
		}
		missing[name] = reason
	}

	tab := newTable()
	inRedis := map[string]bool{}
	implemented := 0
	var stale []string
	for _, name := range redis {
		inRedis[name] = true
		have := tab.lookupFullName([]byte(name)) != nil
		_, listed := missing[name]
		switch {
		case have && listed:
			stale = append(stale, name)
			implemented++
		case have:
			implemented++
		case !listed:
			t.Errorf("Redis 7.2 command %q is neither in the table nor in testdata/missing_commands.txt", name)
		}
	}
	for name := range missing {
		if !inRedis[name] {
			t.Errorf("missing_commands.txt lists %q, which Redis 7.2 does not have", name)
		}
	}
	var extra []string
	for _, cmd := range tab.Sorted() {
		for _, c := range append([]*Command{cmd}, cmd.sortedSubcommands()...) {
			if !inRedis[c.Name] {
				extra = append(extra, c.Name)
			}
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		if *updateMissing {
			rewriteMissing(t, stale)
		} else {
			t.Errorf("implemented but still listed in testdata/missing_commands.txt (delete the lines, or run "+
				"go test ./server -run TestRedisCommandCoverage -update-missing): %s", strings.Join(stale, ", "))
		}
	}
	t.Logf("Redis 7.2 commands: %d implemented, %d missing, of %d", implemented, len(redis)-implemented, len(redis))
	if len(extra) > 0 {
		t.Logf("Vireo-only commands: %s", strings.Join(extra, ", "))
	}
}

// rewriteMissing drops the stale names' lines, keeping comments and order.
func rewriteMissing(t *testing.T, stale []string) {
	const path = "testdata/missing_commands.txt"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	drop := map[string]bool{}
	for _, s := range stale {
		drop[s] = true
	}
	var out []string
	for _, line := range strings.SplitAfter(string(data), "\n") {
		name, _, _ := strings.Cut(line, ":")
		if !strings.HasPrefix(line, "#") && drop[strings.TrimSpace(name)] {
			continue
		}
		out = append(out, line)
	}
	if err := os.WriteFile(path, []byte(strings.Join(out, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("dropped %d implemented commands from %s", len(stale), path)
}

// readLines returns a testdata file's lines without comments and blanks.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			lines = append(lines, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

func readNameList(t *testing.T, path string) []string {
	t.Helper()
	names := readLines(t, path)
	seen := map[string]bool{}
	for _, n := range names {
		if n != strings.ToLower(n) || strings.ContainsAny(n, " \t:") || seen[n] {
			t.Errorf("%s: bad or repeated name %q", path, n)
		}
		seen[n] = true
	}
	if len(names) < 300 {
		t.Fatalf("%s: only %d names", path, len(names))
	}
	return names
}

// TestTableChecksCatchBadSpecs makes sure the invariant checks can fail.
func TestTableChecksCatchBadSpecs(t *testing.T) {
	h := func(*Ctx, [][]byte) {}
	ok := Command{Name: "x", Arity: -2, Group: "generic", Since: "1.0.0", Summary: "s", Usage: "key [key ...]",
		FirstKey: 1, LastKey: -1, KeyStep: 1, Handler: h}
	for _, tc := range []struct {
		what string
		edit func(c *Command)
	}{
		{"no handler", func(c *Command) { c.Handler = nil }},
		{"arity 0", func(c *Command) { c.Arity = 0 }},
		{"bad group", func(c *Command) { c.Group = "strings" }},
		{"bad since", func(c *Command) { c.Since = "7.0" }},
		{"no summary", func(c *Command) { c.Summary = "" }},
		{"no usage", func(c *Command) { c.Usage = "" }},
		{"bad usage", func(c *Command) { c.Usage = "key [key ..." }},
		{"usage vs arity", func(c *Command) { c.Usage = "key [key ...] value" }},
		{"fixed arity, optional usage", func(c *Command) { c.Arity = 2; c.Usage = "key [x]"; c.LastKey = 1 }},
		{"step 0", func(c *Command) { c.KeyStep = 0 }},
		{"last before first", func(c *Command) { c.FirstKey, c.LastKey = 2, 1; c.Arity = -3; c.Usage = "a key [key ...]" }},
		{"first beyond arity", func(c *Command) { c.FirstKey = 2 }},
		{"unknown ACL", func(c *Command) { c.ACL = []string{"@string"} }},
		{"fast and slow", func(c *Command) { c.Flags = FlagFast; c.ACL = []string{"slow"} }},
		{"write and readonly", func(c *Command) { c.Flags = FlagWrite | FlagReadonly }},
	} {
		cmd := &Command{}
		copyCommandSpec(cmd, &ok)
		tc.edit(cmd)
		rec := &recordingT{TB: t}
		checkSpec(rec, cmd, nil)
		if !rec.failed {
			t.Errorf("%s: not caught", tc.what)
		}
	}
	// And the good spec passes.
	cmd := &Command{}
	copyCommandSpec(cmd, &ok)
	rec := &recordingT{TB: t}
	checkSpec(rec, cmd, nil)
	if rec.failed {
		t.Errorf("good spec rejected: %s", rec.msg)
	}
}

// copyCommandSpec copies the exported spec fields (Command holds atomics
// and a sync.Once, so it is not copied whole).
func copyCommandSpec(dst, src *Command) {
	dst.Name, dst.Arity, dst.Flags, dst.ACL = src.Name, src.Arity, src.Flags, src.ACL
	dst.Group, dst.Since, dst.Summary, dst.Usage = src.Group, src.Since, src.Summary, src.Usage
	dst.FirstKey, dst.LastKey, dst.KeyStep, dst.Handler = src.FirstKey, src.LastKey, src.KeyStep, src.Handler
}

// recordingT notes failures instead of failing the real test.
type recordingT struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recordingT) Errorf(format string, a ...any) {
	r.failed = true
	r.msg = fmt.Sprintf(format, a...)
}

func (r *recordingT) Helper() {}
