package scripts

// The engine owns one Lua state (Redis keeps one for EVAL and another for
// FUNCTION) and runs one script at a time: mu is held for a whole run, so
// loading or flushing waits for the script in progress. Kill may be called
// from any goroutine while a script runs: it cancels the state's context,
// which gopher-lua checks before every instruction, so a pcall inside the
// script cannot swallow the kill (the next instruction raises again).

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"strings"
	"sync"
	"sync/atomic"

	lua "github.com/yuin/gopher-lua"
)

// Executor runs Redis commands on behalf of a script. The server implements it.
type Executor interface {
	// Call runs one command and returns its reply as RESP of protocol
	// resp (2 or 3). A non-nil error means the command was refused before
	// it ran (unknown command, wrong arity, not allowed from scripts...);
	// its text is the Redis error, optionally starting with "-CODE".
	Call(args [][]byte, resp int) (reply []byte, err error)
	// Log writes a redis.log message at level (LogDebug .. LogWarning).
	Log(level int, msg string)
}

// Log levels of redis.log, Redis's LL_* values.
const (
	LogDebug   = 0
	LogVerbose = 1
	LogNotice  = 2
	LogWarning = 3
)

// Run is one invocation of a script or function.
type Run struct {
	Exec       Executor
	Keys, Args [][]byte
	Resp       int // the caller's protocol, for the returned value
	// Name is the script's SHA (EVAL) or the function's name (FCALL): it
	// appears in error replies ("script: <name>, on @user_script:1.").
	Name string

	// ErrorCounted is set when the reply is an error that a command the
	// script called produced: the server counted it in errorstats already
	// (Redis's ignore_error_stats_update).
	ErrorCounted bool

	scriptResp int
}

// Version is the Redis version scripts see in redis.REDIS_VERSION.
var (
	Version    = "7.0.15"
	VersionNum = 0x07000f
)

// state is a sandboxed Lua state with the redis API.
type state struct {
	L       *lua.LState
	globals *lua.LTable // the real globals
	env     *lua.LTable // what scripts see: read-only view of globals
	handler *lua.LFunction
	run     *Run // the run in progress (nil between runs)
	rand    lrand48

	killed   atomic.Bool
	cancelMu sync.Mutex
	ctx      context.Context
	cancel   context.CancelFunc
	kind     string // "SCRIPT" or "FUNCTION", for the kill message
}

// SHA1Hex is the hex SHA1 of s, the name of an EVAL script.
func SHA1Hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// newState builds a sandboxed state. extra adds the state's own globals
// (the EVAL or FUNCTION specific API) before the globals are protected.
func newState(kind string) *state {
	L := lua.NewState(lua.Options{SkipOpenLibs: true, CallStackSize: 220, RegistrySize: 1024 * 20, RegistryMaxSize: 1024 * 1024})
	s := &state{L: L, kind: kind}
	s.rand.x = lrand48Init
	for _, lib := range []struct {
		name string
		fn   lua.LGFunction
	}{
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
		{lua.StringLibName, lua.OpenString},
		{lua.MathLibName, lua.OpenMath},
		{lua.CoroutineLibName, lua.OpenCoroutine},
	} {
		L.Push(L.NewFunction(lib.fn))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	g := L.G.Global
	s.globals = g
	allowed := map[string]bool{
		"xpcall": true, "tostring": true, "getfenv": true, "setmetatable": true, "next": true,
		"assert": true, "tonumber": true, "rawequal": true, "collectgarbage": true,
		"getmetatable": true, "rawset": true, "pcall": true, "coroutine": true, "type": true,
		"_G": true, "select": true, "unpack": true, "gcinfo": true, "pairs": true, "rawget": true,
		"loadstring": true, "ipairs": true, "_VERSION": true, "setfenv": true, "load": true,
		"error": true, "newproxy": true, "string": true, "math": true, "table": true,
	}
	var drop []lua.LValue
	g.ForEach(func(k, _ lua.LValue) {
		if ks, ok := k.(lua.LString); !ok || !allowed[string(ks)] {
			drop = append(drop, k)
		}
	})
	for _, k := range drop {
		g.RawSet(k, lua.LNil)
	}
	g.RawSetString("_VERSION", lua.LString("Lua 5.1"))
	g.RawSetString("tostring", L.NewFunction(luaToString))
	// error(): Lua 5.1 prefixes the position to numbers too (lua_isstring).
	g.RawSetString("error", L.NewFunction(func(L *lua.LState) int {
		obj := L.Get(1)
		if n, ok := obj.(lua.LNumber); ok {
			obj = lua.LString(formatG(float64(n), 14))
		}
		L.Error(obj, L.OptInt(2, 1))
		return 0
	}))
	g.RawSetString("gcinfo", L.NewFunction(func(L *lua.LState) int { L.Push(lua.LNumber(0)); return 1 }))
	if _, ok := g.RawGetString("newproxy").(*lua.LFunction); !ok {
		g.RawSetString("newproxy", L.NewFunction(func(L *lua.LState) int { L.Push(L.NewUserData()); return 1 }))
	}
	math := g.RawGetString("math").(*lua.LTable)
	math.RawSetString("random", L.NewFunction(s.mathRandom))
	math.RawSetString("randomseed", L.NewFunction(s.mathRandomSeed))

	openCJSON(L)
	openBit(L)
	openStruct(L)
	openCMsgpack(L)
	s.registerRedisAPI()
	s.handler = L.NewFunction(s.errorHandler)
	return s
}

// protect hides the real globals behind a read-only view: reading a missing
// global and writing any global are errors, as in Redis 7. Library tables are
// read-only views too.
func (s *state) protect() {
	L := s.L
	readonly := L.NewFunction(func(L *lua.LState) int {
		L.RaiseError("Attempt to modify a readonly table")
		return 0
	})
	views := map[lua.LValue]lua.LValue{}
	s.globals.ForEach(func(k, v lua.LValue) {
		if t, ok := v.(*lua.LTable); ok && k.String() != "_G" {
			view := L.NewTable()
			mt := L.NewTable()
			mt.RawSetString("__index", t)
			mt.RawSetString("__newindex", readonly)
			mt.RawSetString("__metatable", lua.LFalse)
			view.Metatable = mt
			views[k] = view
		}
	})
	for k, v := range views {
		s.globals.RawSet(k, v)
	}
	env := L.NewTable()
	mt := L.NewTable()
	globals := s.globals
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		k := L.Get(2)
		v := globals.RawGet(k)
		if v == lua.LNil {
			L.RaiseError("Script attempted to access nonexistent global variable '%s'", lua.LVAsString(k))
		}
		L.Push(v)
		return 1
	}))
	mt.RawSetString("__newindex", readonly)
	env.Metatable = mt
	s.globals.RawSetString("_G", env)
	s.env = env
}

// luaToString is tostring with Lua 5.1's "%.14g" for numbers.
func luaToString(L *lua.LState) int {
	v := L.CheckAny(1)
	if n, ok := v.(lua.LNumber); ok {
		L.Push(lua.LString(formatG(float64(n), 14)))
		return 1
	}
	if mt, ok := L.GetMetaField(v, "__tostring").(*lua.LFunction); ok {
		L.Push(mt)
		L.Push(v)
		L.Call(1, 1)
		return 1
	}
	L.Push(lua.LString(v.String()))
	return 1
}

// compile loads body as a chunk named user_script and binds it to the
// sandboxed environment.
func (s *state) compile(body, chunk string) (*lua.LFunction, error) {
	fn, err := s.L.Load(strings.NewReader(body), chunk)
	if err != nil {
		return nil, err
	}
	fn.Env = s.env
	return fn, nil
}

// call runs fn with nargs arguments already pushed after it, and returns
// the RESP reply for the caller.
func (s *state) call(run *Run, fn *lua.LFunction, args ...lua.LValue) []byte {
	L := s.L
	run.scriptResp = 2
	s.run = run
	s.cancelMu.Lock()
	ctx, cancel := s.ctx, s.cancel
	s.cancelMu.Unlock()
	L.SetContext(ctx)
	defer func() {
		L.RemoveContext()
		cancel()
		s.run = nil
		L.SetTop(0)
	}()
	L.Push(fn)
	for _, a := range args {
		L.Push(a)
	}
	w := replyWriter{callerResp: run.Resp}
	if err := L.PCall(len(args), 1, s.handler); err != nil {
		obj := lua.LValue(lua.LString(err.Error()))
		if ae, ok := err.(*lua.ApiError); ok {
			obj = ae.Object
		}
		return s.errorReply(run, obj)
	}
	w.scriptResp = run.scriptResp
	result := L.Get(-1)
	if t, ok := result.(*lua.LTable); ok {
		if _, isErr := t.RawGetString("err").(lua.LString); isErr {
			run.ErrorCounted = t.RawGetString(ignoreStatsField) == lua.LTrue
		}
	}
	return w.write(nil, result, 0)
}

// prepare readies the kill switch of the next run; the engine calls it
// before it makes the run visible to Kill, so a kill is never lost.
func (s *state) prepare() {
	ctx, cancel := context.WithCancel(context.Background())
	s.cancelMu.Lock()
	s.ctx, s.cancel = ctx, cancel
	s.cancelMu.Unlock()
	s.killed.Store(false)
}

// kill stops the running script, if any.
func (s *state) kill() {
	s.killed.Store(true)
	s.cancelMu.Lock()
	defer s.cancelMu.Unlock()
	if s.cancel != nil {
		s.cancel()
	}
}

// errorHandler is Redis's __redis__err__handler: it turns any error into
// an error table and records where it happened.
func (s *state) errorHandler(L *lua.LState) int {
	v := L.Get(1)
	// Redis looks at the raising function and, when that is a C function,
	// its caller. Our metamethods add Go frames of their own (the globals
	// views), so walk up to the first Lua frame.
	src, line := "", -1
	for level := 1; level <= 8; level++ {
		d, ok := L.GetStack(level)
		if !ok {
			break
		}
		// GetInfo fails on Go frames, which have no source anyway.
		_, _ = L.GetInfo("Sl", d, lua.LNil)
		if d.What != "G" {
			src, line = "@"+d.Source, d.CurrentLine
			break
		}
		src, line = "=[C]", -1
	}
	t, ok := v.(*lua.LTable)
	if s.killed.Load() {
		t = errorTable(L, "Script killed by user with "+s.kind+" KILL...")
	} else if !ok {
		t = L.CreateTable(0, 3)
		t.RawSetString("err", lua.LString("ERR "+lua.LVAsString(v)))
		if _, isStr := v.(lua.LString); !isStr {
			if _, isNum := v.(lua.LNumber); !isNum {
				t.RawSetString("err", lua.LString("ERR "+v.String()))
			}
		}
	}
	if src != "" && t.RawGetString("source") == lua.LNil {
		t.RawSetString("source", lua.LString(src))
		t.RawSetString("line", lua.LNumber(line))
	}
	L.Push(t)
	return 1
}

// errorReply formats a failed run as luaCallFunction does.
func (s *state) errorReply(run *Run, obj lua.LValue) []byte {
	t, ok := obj.(*lua.LTable)
	if !ok {
		msg := "execution failure"
		if str, isStr := obj.(lua.LString); isStr {
			msg = string(str)
		}
		if s.killed.Load() {
			msg = "Script killed by user with " + s.kind + " KILL..."
		}
		if len(msg) > 100 {
			msg = msg[:100]
		}
		return []byte("-ERR Error running script " + run.Name + ", " + noNewlines(msg) + "\r\n")
	}
	msg := ""
	if e, ok := t.RawGetString("err").(lua.LString); ok {
		msg = string(e)
	}
	run.ErrorCounted = t.RawGetString(ignoreStatsField) == lua.LTrue
	out := "-" + msg
	src, okSrc := t.RawGetString("source").(lua.LString)
	line := t.RawGetString("line")
	if okSrc && line != lua.LNil {
		out += " script: " + run.Name + ", on " + string(src) + ":" + lua.LVAsString(line) + "."
	}
	return []byte(noNewlines(out) + "\r\n")
}
