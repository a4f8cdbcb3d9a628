package scripts

// The redis.* API scripts call (script_lua.c's luaRegisterRedisAPI), and the
// math.random Redis substitutes so that scripts see the same sequence on
// every platform.

import (
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

func (s *state) registerRedisAPI() {
	L := s.L
	r := L.NewTable()
	set := func(name string, fn lua.LGFunction) { r.RawSetString(name, L.NewFunction(fn)) }
	set("call", s.redisCommand(true))
	set("pcall", s.redisCommand(false))
	set("log", s.redisLog)
	r.RawSetString("LOG_DEBUG", lua.LNumber(LogDebug))
	r.RawSetString("LOG_VERBOSE", lua.LNumber(LogVerbose))
	r.RawSetString("LOG_NOTICE", lua.LNumber(LogNotice))
	r.RawSetString("LOG_WARNING", lua.LNumber(LogWarning))
	r.RawSetString("REDIS_VERSION_NUM", lua.LNumber(VersionNum))
	r.RawSetString("REDIS_VERSION", lua.LString(Version))
	set("setresp", s.redisSetResp)
	set("sha1hex", redisSHA1Hex)
	set("error_reply", redisErrorReply)
	set("status_reply", redisStatusReply)
	set("set_repl", s.redisSetRepl)
	r.RawSetString("REPL_NONE", lua.LNumber(0))
	r.RawSetString("REPL_AOF", lua.LNumber(1))
	r.RawSetString("REPL_SLAVE", lua.LNumber(2))
	r.RawSetString("REPL_REPLICA", lua.LNumber(2))
	r.RawSetString("REPL_ALL", lua.LNumber(3))
	set("replicate_commands", func(L *lua.LState) int { L.Push(lua.LTrue); return 1 })
	set("breakpoint", func(L *lua.LState) int { L.Push(lua.LFalse); return 1 })
	set("debug", func(L *lua.LState) int { return 0 })
	set("acl_check_cmd", s.redisACLCheckCmd)
	L.G.Global.RawSetString("redis", r)
	L.G.Global.RawSetString("pcall", L.NewFunction(luaPcall))
}

// raise raises Redis's error object {err = "ERR msg"}.
func raise(L *lua.LState, msg string) int {
	raiseTable(L, errorTable(L, msg))
	return 0
}

// raiseTable raises an error object from a Go function, recording the
// calling Lua line in it as Redis's error handler would: the handler cannot
// always see the frames of a Go function that raised.
func raiseTable(L *lua.LState, t *lua.LTable) {
	if d, ok := L.GetStack(1); ok {
		_, _ = L.GetInfo("Sl", d, lua.LNil)
		if d.What != "G" && d.Source != "" {
			t.RawSetString("source", lua.LString("@"+d.Source))
			t.RawSetString("line", lua.LNumber(d.CurrentLine))
		}
	}
	L.Error(t, 0)
}

// scriptArgs converts the arguments of redis.call into command arguments:
// numbers as "%.17g", strings as they are (luaArgsToRedisArgv).
func scriptArgs(L *lua.LState) ([][]byte, string) {
	argc := L.GetTop()
	if argc == 0 {
		return nil, "Please specify at least one argument for this redis lib call"
	}
	args := make([][]byte, argc)
	for i := 1; i <= argc; i++ {
		switch v := L.Get(i).(type) {
		case lua.LNumber:
			args[i-1] = []byte(formatG(float64(v), 17))
		case lua.LString:
			args[i-1] = []byte(v)
		default:
			return nil, "Lua redis lib command arguments must be strings or integers"
		}
	}
	return args, ""
}

func (s *state) redisCommand(raiseErrors bool) lua.LGFunction {
	return func(L *lua.LState) int {
		raiseErrors := raiseErrors
		run := s.run
		if run == nil {
			return raise(L, "redis.call/pcall can only be called inside a script invocation")
		}
		args, bad := scriptArgs(L)
		if bad != "" {
			t := errorTable(L, bad)
			if raiseErrors {
				raiseTable(L, t)
			}
			L.Push(t)
			return 1
		}
		reply, err := run.Exec.Call(args, run.scriptResp)
		var v lua.LValue
		if err != nil {
			t := errorTable(L, err.Error())
			t.RawSetString(ignoreStatsField, lua.LTrue)
			v = t
		} else {
			parsed, _, perr := parseRESP(reply, 0)
			if perr != nil {
				v = errorTable(L, perr.Error())
			} else {
				v = respToLua(L, parsed)
				if parsed.Kind != '-' {
					raiseErrors = false
				}
			}
		}
		if raiseErrors {
			if t, isErr := v.(*lua.LTable); isErr {
				raiseTable(L, t)
			}
		}
		L.Push(v)
		return 1
	}
}

// luaPcall is Redis 7's pcall: an error object {err = ...} reaches the
// script as its message string, as in older versions.
func luaPcall(L *lua.LState) int {
	L.CheckAny(1)
	nargs := L.GetTop() - 1
	if err := L.PCall(nargs, lua.MultRet, nil); err != nil {
		obj := lua.LValue(lua.LString(err.Error()))
		if ae, ok := err.(*lua.ApiError); ok {
			obj = ae.Object
		}
		if t, ok := obj.(*lua.LTable); ok {
			if e, ok := t.RawGetString("err").(lua.LString); ok {
				obj = e
			}
		}
		L.SetTop(0)
		L.Push(lua.LFalse)
		L.Push(obj)
		return 2
	}
	L.Insert(lua.LTrue, 1)
	return L.GetTop()
}

func (s *state) redisLog(L *lua.LState) int {
	argc := L.GetTop()
	if argc < 2 {
		return raise(L, "redis.log() requires two arguments or more.")
	}
	lv, ok := toNumber(L.Get(1))
	if !ok {
		return raise(L, "First argument must be a number (log level).")
	}
	level := int(lv)
	if level < LogDebug || level > LogWarning {
		return raise(L, "Invalid debug level.")
	}
	msg := ""
	for i := 2; i <= argc; i++ {
		var part string
		switch v := L.Get(i).(type) {
		case lua.LString:
			part = string(v)
		case lua.LNumber:
			part = formatG(float64(v), 14)
		default:
			continue
		}
		if i != 2 {
			msg += " "
		}
		msg += part
	}
	if s.run != nil {
		s.run.Exec.Log(level, msg)
	}
	return 0
}

// toNumber is lua_tonumber: numbers and numeric strings.
func toNumber(v lua.LValue) (float64, bool) {
	switch v := v.(type) {
	case lua.LNumber:
		return float64(v), true
	case lua.LString:
		n, err := parseLuaNumber(string(v))
		return n, err == nil
	}
	return 0, false
}

// parseLuaNumber is Lua 5.1's string-to-number conversion (strtod, or a
// hexadecimal integer), surrounding spaces allowed.
func parseLuaNumber(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if h := strings.TrimPrefix(strings.TrimPrefix(t, "0x"), "0X"); h != t && h != "" {
		n, err := strconv.ParseUint(h, 16, 64)
		return float64(n), err
	}
	return strconv.ParseFloat(t, 64)
}

func (s *state) redisSetResp(L *lua.LState) int {
	if s.run == nil {
		return raise(L, "redis.setresp can only be called inside a script invocation")
	}
	if L.GetTop() != 1 {
		return raise(L, "redis.setresp() requires one argument.")
	}
	n, _ := toNumber(L.Get(1))
	resp := int(n)
	if resp != 2 && resp != 3 {
		return raise(L, "RESP version must be 2 or 3.")
	}
	s.run.scriptResp = resp
	return 0
}

func (s *state) redisSetRepl(L *lua.LState) int {
	if s.run == nil {
		return raise(L, "redis.set_repl can only be called inside a script invocation")
	}
	if L.GetTop() != 1 {
		return raise(L, "redis.set_repl() requires two arguments.")
	}
	n, _ := toNumber(L.Get(1))
	if int(n)&^3 != 0 {
		return raise(L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.")
	}
	// Effects replication is always on; the flags are accepted and ignored.
	return 0
}

// ACLChecker is implemented by executors that can answer
// redis.acl_check_cmd.
type ACLChecker interface {
	// CheckCommand reports whether the command exists and whether the
	// calling user may run it.
	CheckCommand(args [][]byte) (known, allowed bool)
}

func (s *state) redisACLCheckCmd(L *lua.LState) int {
	if s.run == nil {
		return raise(L, "redis.acl_check_cmd can only be called inside a script invocation")
	}
	args, bad := scriptArgs(L)
	if bad != "" {
		return raise(L, bad)
	}
	known, allowed := true, true
	if ac, ok := s.run.Exec.(ACLChecker); ok {
		known, allowed = ac.CheckCommand(args)
	}
	if !known {
		return raise(L, "Invalid command passed to redis.acl_check_cmd()")
	}
	L.Push(lua.LBool(allowed))
	return 1
}

func redisSHA1Hex(L *lua.LState) int {
	if L.GetTop() != 1 {
		return raise(L, "wrong number of arguments")
	}
	L.Push(lua.LString(SHA1Hex(lua.LVAsString(L.Get(1)))))
	return 1
}

func redisErrorReply(L *lua.LState) int {
	s, ok := L.Get(-1).(lua.LString)
	if L.GetTop() != 1 || !ok {
		L.Push(errorTable(L, "wrong number or type of arguments"))
		return 1
	}
	msg := string(s)
	if len(msg) == 0 || msg[0] != '-' {
		msg = "-" + msg
	}
	L.Push(errorTable(L, msg))
	return 1
}

func redisStatusReply(L *lua.LState) int {
	s, ok := L.Get(-1).(lua.LString)
	if L.GetTop() != 1 || !ok {
		L.Push(errorTable(L, "wrong number or type of arguments"))
		return 1
	}
	t := L.CreateTable(0, 1)
	t.RawSetString("ok", s)
	L.Push(t)
	return 1
}

// lrand48 is Redis's rand.c: the 48-bit linear congruential generator of
// drand48, so math.random gives Redis's sequence.
type lrand48 struct{ x uint64 }

const lrand48Max = math.MaxInt32

// lrand48Init is rand.c's initial state (X2, X1, X0), before any seeding.
const lrand48Init = 0x1234abcd330e

func (r *lrand48) seed(i int32) { r.x = (uint64(uint32(i)) << 16) | 0x330e }

func (r *lrand48) next() int32 {
	r.x = (0x5deece66d*r.x + 0xb) & (1<<48 - 1)
	return int32(r.x >> 17)
}

func (s *state) mathRandom(L *lua.LState) int {
	if s.run == nil {
		L.RaiseError("math.random can only be called inside a script invocation")
	}
	r := float64(s.rand.next()%lrand48Max) / float64(lrand48Max)
	switch L.GetTop() {
	case 0:
		L.Push(lua.LNumber(r))
	case 1:
		u := L.CheckInt(1)
		if u < 1 {
			L.ArgError(1, "interval is empty")
		}
		L.Push(lua.LNumber(math.Floor(r*float64(u)) + 1))
	case 2:
		l, u := L.CheckInt(1), L.CheckInt(2)
		if l > u {
			L.ArgError(2, "interval is empty")
		}
		L.Push(lua.LNumber(math.Floor(r*float64(u-l+1)) + float64(l)))
	default:
		L.RaiseError("wrong number of arguments")
	}
	return 1
}

func (s *state) mathRandomSeed(L *lua.LState) int {
	if s.run == nil {
		L.RaiseError("math.randomseed can only be called inside a script invocation")
	}
	s.rand.seed(int32(L.CheckInt(1)))
	return 0
}
