package scripts

// The EVAL script cache: scripts by SHA1, compiled once in the EVAL Lua
// state. SCRIPT FLUSH drops the cache and starts a fresh state, as Redis
// resets its Lua interpreter.

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vireodb/vireo/datatypes/sds"
	lua "github.com/yuin/gopher-lua"
)

// ScriptFlags are the flags a script declares in its shebang line.
type ScriptFlags uint8

const (
	FlagNoWrites ScriptFlags = 1 << iota
	FlagAllowOOM
	FlagAllowStale
	FlagNoCluster
	FlagAllowCrossSlot
	// FlagCompat marks a script without a shebang line (Redis's
	// SCRIPT_FLAG_EVAL_COMPAT_MODE): the EVAL command's own flags apply.
	FlagCompat
)

var scriptFlagNames = []struct {
	flag ScriptFlags
	name string
}{
	{FlagNoWrites, "no-writes"},
	{FlagAllowOOM, "allow-oom"},
	{FlagAllowStale, "allow-stale"},
	{FlagNoCluster, "no-cluster"},
	{FlagAllowCrossSlot, "allow-cross-slot-keys"},
}

// FlagNames lists the flags in Redis's order (FUNCTION LIST shows them).
func (f ScriptFlags) FlagNames() []string {
	names := []string{}
	for _, fn := range scriptFlagNames {
		if f&fn.flag != 0 {
			names = append(names, fn.name)
		}
	}
	return names
}

// parseFlagList parses "no-writes,allow-oom" style lists.
func parseFlagList(list []string) (ScriptFlags, string, bool) {
	var f ScriptFlags
	for _, name := range list {
		found := false
		for _, fn := range scriptFlagNames {
			if name == fn.name {
				f |= fn.flag
				found = true
				break
			}
		}
		if !found {
			return 0, name, false
		}
	}
	return f, "", true
}

// ParseShebang reads the "#!lua flags=..." line of an EVAL script. It returns
// the flags and the length of the shebang line (0 without one); err is the
// Redis error text.
func ParseShebang(body string) (ScriptFlags, int, error) {
	if !strings.HasPrefix(body, "#!") {
		return FlagCompat, 0, nil
	}
	end := strings.IndexByte(body, '\n')
	if end < 0 {
		return 0, 0, fmt.Errorf("ERR Invalid script shebang")
	}
	parts, ok := sds.SplitArgs([]byte(body[:end]), nil)
	if !ok || len(parts) == 0 {
		return 0, 0, fmt.Errorf("ERR Invalid engine in script shebang")
	}
	if string(parts[0]) != "#!lua" {
		return 0, 0, fmt.Errorf("ERR Unexpected engine in script shebang: %s", parts[0])
	}
	var flags ScriptFlags
	for _, p := range parts[1:] {
		ps := string(p)
		if !strings.HasPrefix(ps, "flags=") {
			return 0, 0, fmt.Errorf("ERR Unknown lua shebang option: %s", ps)
		}
		list := strings.Split(ps[len("flags="):], ",")
		if ps == "flags=" {
			list = nil
		}
		f, bad, ok := parseFlagList(list)
		if !ok {
			return 0, 0, fmt.Errorf("ERR Unexpected flag in script shebang: %s", bad)
		}
		flags |= f
	}
	return flags, end, nil
}

// Script is a cached EVAL script.
type Script struct {
	SHA   string
	Body  string
	Flags ScriptFlags
	fn    *lua.LFunction
}

// Eval is the EVAL engine: one Lua state and the script cache.
type Eval struct {
	mu    sync.Mutex // held for a whole run, and for loads and flushes
	st    *state
	cache map[string]*Script
	// Counts for INFO, readable while a script runs.
	nScripts, bodyBytes atomic.Int64

	runMu   sync.Mutex
	running *state // the state of the script in progress, for Kill
}

// NewEval creates an empty EVAL engine.
func NewEval() *Eval {
	e := &Eval{cache: map[string]*Script{}}
	e.st = e.newEvalState()
	return e
}

func (e *Eval) newEvalState() *state {
	st := newState("SCRIPT")
	st.protect()
	return st
}

// Load compiles body into the cache (or finds it there). The error is the
// Redis error text of a bad shebang or a compile error.
func (e *Eval) Load(body string) (*Script, error) {
	sha := SHA1Hex(body)
	e.mu.Lock()
	defer e.mu.Unlock()
	if sc := e.cache[sha]; sc != nil {
		return sc, nil
	}
	flags, shebang, err := ParseShebang(body)
	if err != nil {
		return nil, err
	}
	// The shebang line is skipped but its newline kept, so line numbers
	// in errors stay the user's.
	fn, err := e.st.compile(body[shebang:], "user_script")
	if err != nil {
		return nil, fmt.Errorf("ERR Error compiling script (new function): %s", compileErrorText(err))
	}
	sc := &Script{SHA: sha, Body: body, Flags: flags, fn: fn}
	e.cache[sha] = sc
	e.nScripts.Add(1)
	e.bodyBytes.Add(int64(len(body)))
	return sc, nil
}

// compileErrorText turns gopher-lua's parse error into Lua's
// "user_script:LINE: message" shape where it can.
func compileErrorText(err error) string {
	msg := err.Error()
	if ae, ok := err.(*lua.ApiError); ok && ae.Cause != nil {
		msg = ae.Cause.Error()
	}
	// gopher-lua: "user_script line:1(column:9) near 'x':   syntax error"
	if i := strings.Index(msg, " line:"); i > 0 {
		rest := msg[i+len(" line:"):]
		if j := strings.IndexByte(rest, '('); j > 0 {
			line := rest[:j]
			tail := rest[j:]
			near := ""
			if k := strings.Index(tail, "near "); k >= 0 {
				near = tail[k:]
				if c := strings.Index(near, ":"); c > 0 {
					near = strings.TrimSpace(near[:c])
				}
			}
			what := strings.TrimSpace(tail[strings.LastIndex(tail, ":")+1:])
			out := msg[:i] + ":" + line + ": " + what
			if near != "" {
				out += " " + near
			}
			return out
		}
	}
	if i := strings.Index(msg, " at EOF:"); i > 0 {
		return msg[:i] + ": " + strings.TrimSpace(msg[i+len(" at EOF:"):]) + " near '<eof>'"
	}
	return msg
}

// Lookup finds a cached script by SHA (any case).
func (e *Eval) Lookup(sha string) *Script {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.cache[strings.ToLower(sha)]
}

// Exists reports whether a script is cached.
func (e *Eval) Exists(sha string) bool { return e.Lookup(sha) != nil }

// Flush empties the cache and resets the Lua state.
func (e *Eval) Flush() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.cache = map[string]*Script{}
	e.nScripts.Store(0)
	e.bodyBytes.Store(0)
	e.st.L.Close()
	e.st = e.newEvalState()
}

// Stats returns the number of cached scripts and their bodies' size; it
// does not wait for a running script.
func (e *Eval) Stats() (n int, bytes int64) {
	return int(e.nScripts.Load()), e.bodyBytes.Load()
}

// Run runs a cached script with KEYS and ARGV from run and returns the RESP
// reply for the caller (an error reply starts with '-').
func (e *Eval) Run(run *Run, sc *Script) []byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.st
	if run.Name == "" {
		run.Name = sc.SHA
	}
	st.globals.RawSetString("KEYS", bytesTable(st.L, run.Keys))
	st.globals.RawSetString("ARGV", bytesTable(st.L, run.Args))
	st.prepare()
	e.runMu.Lock()
	e.running = st
	e.runMu.Unlock()
	defer func() {
		e.runMu.Lock()
		e.running = nil
		e.runMu.Unlock()
	}()
	return st.call(run, sc.fn)
}

// Kill stops the script in progress; false when none runs.
func (e *Eval) Kill() bool {
	e.runMu.Lock()
	defer e.runMu.Unlock()
	if e.running == nil {
		return false
	}
	e.running.kill()
	return true
}

func bytesTable(L *lua.LState, items [][]byte) *lua.LTable {
	t := L.CreateTable(len(items), 0)
	for i, it := range items {
		t.RawSetInt(i+1, lua.LString(it))
	}
	return t
}
