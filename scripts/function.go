package scripts

// FUNCTION libraries (Redis 7's function_lua.c). Libraries live in their
// own Lua state. A library's code runs once at FUNCTION LOAD with a load
// environment that offers only redis.register_function, redis.log, the
// LOG_* levels and the version fields; the functions it registers later run
// with the full sandboxed API. Both go through one globals view whose
// lookups switch on whether a load is in progress, as Redis switches the
// __index of its globals' metatable.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vireodb/vireo/datatypes/sds"
	lua "github.com/yuin/gopher-lua"
)

// Function is a registered function.
type Function struct {
	Name        string
	Description string // "" when none was given
	HasDesc     bool
	Flags       ScriptFlags
	Library     *Library
	fn          *lua.LFunction
}

// Library is a loaded library.
type Library struct {
	Name      string
	Code      string
	Functions map[string]*Function
}

// FunctionNames lists the library's functions, sorted.
func (l *Library) FunctionNames() []string {
	names := make([]string, 0, len(l.Functions))
	for n := range l.Functions {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Functions is the FUNCTION engine: one Lua state and the libraries.
type Functions struct {
	mu      sync.Mutex // held for a run, a load, a flush
	st      *state
	loadEnv *lua.LTable
	loading *Library // the library being loaded (register_function target)
	libs    map[string]*Library
	funcs   map[string]*Function

	runMu   sync.Mutex
	running *state

	// Counts for FUNCTION STATS and INFO, readable while a function runs.
	nLibs, nFuncs, codeBytes atomic.Int64
}

// loadTimeout bounds a library's load-time code (Redis's LOAD_TIMEOUT_MS).
const loadTimeout = 500 * time.Millisecond

// NewFunctions creates an empty FUNCTION engine.
func NewFunctions() *Functions {
	f := &Functions{libs: map[string]*Library{}, funcs: map[string]*Function{}}
	f.st = f.newFunctionState()
	return f
}

func (f *Functions) newFunctionState() *state {
	st := newState("FUNCTION")
	st.protect()
	L := st.L
	// The load environment's redis table.
	r := L.NewTable()
	r.RawSetString("register_function", L.NewFunction(f.registerFunction))
	realRedis := st.globals.RawGetString("redis").(*lua.LTable).Metatable.(*lua.LTable).RawGetString("__index").(*lua.LTable)
	for _, k := range []string{"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING", "REDIS_VERSION", "REDIS_VERSION_NUM"} {
		r.RawSetString(k, realRedis.RawGetString(k))
	}
	readonly := L.NewFunction(func(L *lua.LState) int {
		L.RaiseError("Attempt to modify a readonly table")
		return 0
	})
	strict := func(t *lua.LTable) *lua.LTable {
		view := L.NewTable()
		mt := L.NewTable()
		mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
			v := t.RawGet(L.Get(2))
			if v == lua.LNil {
				L.RaiseError("Script attempted to access nonexistent global variable '%s'", lua.LVAsString(L.Get(2)))
			}
			L.Push(v)
			return 1
		}))
		mt.RawSetString("__newindex", readonly)
		view.Metatable = mt
		return view
	}
	loadGlobals := L.NewTable()
	loadGlobals.RawSetString("redis", strict(r))
	f.loadEnv = strict(loadGlobals)
	// Functions and library code share one environment that dispatches on
	// whether a load is in progress.
	runEnv := st.env
	env := L.NewTable()
	mt := L.NewTable()
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		src := runEnv
		if f.loading != nil {
			src = f.loadEnv
		}
		L.Push(L.GetField(src, lua.LVAsString(L.Get(2))))
		return 1
	}))
	mt.RawSetString("__newindex", readonly)
	env.Metatable = mt
	st.env = env
	return st
}

// Errors of Load, with Redis's texts (the server prefixes "ERR ").
var (
	errMissingMetadata = errors.New("Missing library metadata")
	errInvalidMetadata = errors.New("Invalid library metadata")
)

// parseLibraryMetadata reads "#!lua name=<name>" and returns the name and
// the length of the shebang line (functionExtractLibMetaData and the checks
// that follow it).
func parseLibraryMetadata(code string) (string, int, error) {
	if !strings.HasPrefix(code, "#!") {
		return "", 0, errMissingMetadata
	}
	end := strings.IndexByte(code, '\n')
	if end < 0 {
		return "", 0, errInvalidMetadata
	}
	parts, ok := sds.SplitArgs([]byte(code[:end]), nil)
	if !ok || len(parts) == 0 {
		return "", 0, errInvalidMetadata
	}
	name, hasName := "", false
	for _, p := range parts[1:] {
		ps := string(p)
		if len(ps) < 5 || !strings.EqualFold(ps[:5], "name=") {
			return "", 0, fmt.Errorf("Invalid metadata value given: %s", ps)
		}
		if hasName {
			return "", 0, errors.New("Invalid metadata value, name argument was given multiple times")
		}
		name, hasName = ps[5:], true
	}
	if !hasName {
		return "", 0, errors.New("Library name was not given")
	}
	if engine := string(parts[0][2:]); !strings.EqualFold(engine, "lua") {
		return "", 0, fmt.Errorf("Engine '%s' not found", engine)
	}
	if !validName(name) {
		return "", 0, errors.New(errBadName)
	}
	return name, end, nil
}

// errBadName is Redis 7.0's text for a bad library or function name.
const errBadName = "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"

// validName is functionsVerifyName: letters, digits and '_', at least one.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// Load compiles and runs a library's code and registers its functions.
// With replace, a library of the same name is replaced.
func (f *Functions) Load(code string, replace bool) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	lib, err := f.compileLibrary(code)
	if err != nil {
		return "", err
	}
	if err := f.join([]*Library{lib}, replace); err != nil {
		return "", err
	}
	return lib.Name, nil
}

// compileLibrary builds a library without installing it.
func (f *Functions) compileLibrary(code string) (*Library, error) {
	name, shebang, err := parseLibraryMetadata(code)
	if err != nil {
		return nil, err
	}
	st := f.st
	fn, err := st.compile(code[shebang:], "user_function")
	if err != nil {
		return nil, fmt.Errorf("Error compiling function: %s", compileErrorText(err))
	}
	lib := &Library{Name: name, Code: code, Functions: map[string]*Function{}}
	f.loading = lib
	defer func() { f.loading = nil }()
	L := st.L
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	L.SetContext(ctx)
	defer L.RemoveContext()
	L.Push(fn)
	if err := L.PCall(0, 0, nil); err != nil {
		L.SetTop(0)
		msg := err.Error()
		var obj lua.LValue = lua.LString(msg)
		if ae, ok := err.(*lua.ApiError); ok {
			obj = ae.Object
		}
		switch o := obj.(type) {
		case *lua.LTable:
			msg = lua.LVAsString(o.RawGetString("err"))
		default:
			msg = "ERR " + lua.LVAsString(o)
			if ctx.Err() != nil {
				msg = "ERR FUNCTION LOAD timeout"
			}
		}
		return nil, fmt.Errorf("Error registering functions: %s", msg)
	}
	L.SetTop(0)
	if len(lib.Functions) == 0 {
		return nil, errors.New("No functions registered")
	}
	return lib, nil
}

// join installs libraries (libraryJoin): an existing library of the same
// name is an error unless replace; a function name another library already
// has is always an error. Nothing changes on error.
func (f *Functions) join(libs []*Library, replace bool) error {
	removed := map[string]bool{}
	for _, lib := range libs {
		if _, ok := f.libs[lib.Name]; ok {
			if !replace {
				return fmt.Errorf("Library '%s' already exists", lib.Name)
			}
			removed[lib.Name] = true
		}
	}
	seen := map[string]bool{}
	for _, lib := range libs {
		for name := range lib.Functions {
			if old, ok := f.funcs[name]; (ok && !removed[old.Library.Name]) || seen[name] {
				return fmt.Errorf("Function %s already exists", name)
			}
			seen[name] = true
		}
	}
	for name := range removed {
		f.deleteLocked(name)
	}
	for _, lib := range libs {
		f.libs[lib.Name] = lib
		for name, fn := range lib.Functions {
			f.funcs[name] = fn
		}
	}
	f.countLocked()
	return nil
}

func (f *Functions) deleteLocked(name string) bool {
	lib, ok := f.libs[name]
	if !ok {
		return false
	}
	for fn := range lib.Functions {
		delete(f.funcs, fn)
	}
	delete(f.libs, name)
	f.countLocked()
	return true
}

// Delete removes a library; false when there is none of that name.
func (f *Functions) Delete(name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.deleteLocked(name)
}

// Flush removes every library and resets the Lua state.
func (f *Functions) Flush() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.libs = map[string]*Library{}
	f.funcs = map[string]*Function{}
	f.countLocked()
	f.st.L.Close()
	f.st = f.newFunctionState()
}

// Lookup finds a function by name.
func (f *Functions) Lookup(name string) *Function {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.funcs[name]
}

// Libraries returns the libraries sorted by name.
func (f *Functions) Libraries() []*Library {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]*Library, 0, len(f.libs))
	for _, l := range f.libs {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Stats returns the number of libraries and functions; it does not wait
// for a running function.
func (f *Functions) Stats() (libraries, functions int) {
	return int(f.nLibs.Load()), int(f.nFuncs.Load())
}

// Sizes returns the libraries, functions and the libraries' code size.
func (f *Functions) Sizes() (libraries, functions int, code int64) {
	return int(f.nLibs.Load()), int(f.nFuncs.Load()), f.codeBytes.Load()
}

func (f *Functions) countLocked() {
	f.nLibs.Store(int64(len(f.libs)))
	f.nFuncs.Store(int64(len(f.funcs)))
	var code int64
	for _, l := range f.libs {
		code += int64(len(l.Code))
	}
	f.codeBytes.Store(code)
}

// Restore installs libraries from their codes (FUNCTION RESTORE): policy
// "FLUSH" replaces everything, "REPLACE" replaces same-named libraries,
// "APPEND" refuses them.
func (f *Functions) Restore(codes []string, policy string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	libs := make([]*Library, 0, len(codes))
	names := map[string]bool{}
	for _, code := range codes {
		lib, err := f.compileLibrary(code)
		if err != nil {
			return err
		}
		if names[lib.Name] {
			return fmt.Errorf("Library '%s' already exists", lib.Name)
		}
		names[lib.Name] = true
		libs = append(libs, lib)
	}
	if policy == "FLUSH" {
		f.libs = map[string]*Library{}
		f.funcs = map[string]*Function{}
	}
	return f.join(libs, policy == "REPLACE")
}

// Run calls a function with its keys and arguments and returns the RESP
// reply for the caller.
func (f *Functions) Run(run *Run, fn *Function) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.st
	if run.Name == "" {
		run.Name = fn.Name
	}
	st.prepare()
	f.runMu.Lock()
	f.running = st
	f.runMu.Unlock()
	defer func() {
		f.runMu.Lock()
		f.running = nil
		f.runMu.Unlock()
	}()
	return st.call(run, fn.fn, bytesTable(st.L, run.Keys), bytesTable(st.L, run.Args))
}

// Kill stops the function in progress; false when none runs.
func (f *Functions) Kill() bool {
	f.runMu.Lock()
	defer f.runMu.Unlock()
	if f.running == nil {
		return false
	}
	f.running.kill()
	return true
}

// registerFunction is redis.register_function, positional or named.
func (f *Functions) registerFunction(L *lua.LState) int {
	lib := f.loading
	if lib == nil {
		return raise(L, "redis.register_function can only be called on FUNCTION LOAD command")
	}
	fn := &Function{Library: lib}
	switch argc := L.GetTop(); argc {
	case 1:
		t, ok := L.Get(1).(*lua.LTable)
		if !ok {
			return raise(L, "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).")
		}
		bad := ""
		t.ForEach(func(k, v lua.LValue) {
			if bad != "" {
				return
			}
			ks, ok := k.(lua.LString)
			if !ok {
				if _, isNum := k.(lua.LNumber); !isNum {
					bad = "named argument key given to redis.register_function is not a string"
					return
				}
				ks = lua.LString(lua.LVAsString(k))
			}
			switch strings.ToLower(string(ks)) {
			case "function_name":
				s, ok := luaStringish(v)
				if !ok {
					bad = "function_name argument given to redis.register_function must be a string"
					return
				}
				fn.Name = s
			case "description":
				s, ok := luaStringish(v)
				if !ok {
					bad = "description argument given to redis.register_function must be a string"
					return
				}
				fn.Description, fn.HasDesc = s, true
			case "callback":
				cb, ok := v.(*lua.LFunction)
				if !ok {
					bad = "callback argument given to redis.register_function must be a function"
					return
				}
				fn.fn = cb
			case "flags":
				ft, ok := v.(*lua.LTable)
				if !ok {
					bad = "flags argument to redis.register_function must be a table representing function flags"
					return
				}
				flags, okFlags := readFunctionFlags(ft)
				if !okFlags {
					bad = "unknown flag given"
					return
				}
				fn.Flags = flags
			default:
				bad = "unknown argument given to redis.register_function"
			}
		})
		if bad != "" {
			return raise(L, bad)
		}
		if fn.Name == "" && !validNamePresent(t) {
			return raise(L, "redis.register_function must get a function name argument")
		}
		if fn.fn == nil {
			return raise(L, "redis.register_function must get a callback argument")
		}
	case 2:
		s, ok := luaStringish(L.Get(1))
		if !ok {
			return raise(L, "first argument to redis.register_function must be a string")
		}
		cb, ok := L.Get(2).(*lua.LFunction)
		if !ok {
			return raise(L, "second argument to redis.register_function must be a function")
		}
		fn.Name, fn.fn = s, cb
	default:
		return raise(L, "wrong number of arguments to redis.register_function")
	}
	if !validName(fn.Name) {
		return raise(L, errBadName)
	}
	if _, ok := lib.Functions[fn.Name]; ok {
		return raise(L, "Function already exists in the library")
	}
	lib.Functions[fn.Name] = fn
	return 0
}

// validNamePresent reports whether the named arguments had a function_name.
func validNamePresent(t *lua.LTable) bool {
	found := false
	t.ForEach(func(k, _ lua.LValue) {
		if strings.EqualFold(lua.LVAsString(k), "function_name") {
			found = true
		}
	})
	return found
}

// luaStringish is lua_isstring: strings and numbers.
func luaStringish(v lua.LValue) (string, bool) {
	switch v := v.(type) {
	case lua.LString:
		return string(v), true
	case lua.LNumber:
		return formatG(float64(v), 14), true
	}
	return "", false
}

func readFunctionFlags(t *lua.LTable) (ScriptFlags, bool) {
	var names []string
	ok := true
	t.ForEach(func(_, v lua.LValue) {
		s, isStr := v.(lua.LString)
		if !isStr {
			ok = false
			return
		}
		names = append(names, string(s))
	})
	if !ok {
		return 0, false
	}
	flags, _, ok := parseFlagList(names)
	return flags, ok
}
