package server

// Scripting: EVAL, EVALSHA, their _RO variants and SCRIPT. A script runs with
// every shard of every database locked (runScript takes LockAll), so it is
// atomic exactly as in Redis. Commands a script calls run through `call`
// on a script client (a Ctx of its own, like Redis's fake Lua client) with
// allLocked set: propagation, keyspace notifications, WATCH invalidation and
// statistics work as for any command. The script's effects are propagated as
// MULTI, effects, EXEC (nothing when it wrote nothing).
//
// While a script runs longer than busy-reply-threshold, other clients get
// -BUSY for every command not flagged allow_busy; SCRIPT KILL stops a script
// that has not written (scripts.Eval.Kill cancels the Lua state's context).

import (
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vireodb/vireo/scripts"
)

const (
	errNoScript     = "NOSCRIPT No matching script. Please use EVAL."
	errNotBusy      = "NOTBUSY No scripts in execution right now."
	errUnkillable   = "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command."
	errBusyScript   = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
	errBusyFunction = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
)

// scripting is the server's scripting state.
type scripting struct {
	once sync.Once
	eval *scripts.Eval
	lib  *scripts.Functions

	running atomic.Pointer[scriptRun] // the script in progress, nil when none
	pending atomic.Int32              // scripts waiting for their locks
}

func (s *Server) scriptEngine() *scripting {
	sc := &s.scripting
	sc.once.Do(func() {
		scriptsVersionOnce.Do(func() { scripts.Version, scripts.VersionNum = Version, versionNum(Version) })
		sc.eval = scripts.NewEval()
		sc.lib = scripts.NewFunctions()
	})
	return sc
}

// scriptRun is one script in progress.
type scriptRun struct {
	caller    *Ctx
	client    *Ctx // the script client commands run on
	start     time.Time
	threshold time.Duration
	function  bool // FCALL: FUNCTION KILL stops it, not SCRIPT KILL
	readOnly  bool // EVAL_RO/FCALL_RO or a no-writes script
	allowOOM  bool
	preOOM    bool          // the server was out of memory when the script started
	done      chan struct{} // closed when the script ends
	dirty     atomic.Bool   // the script ran a write command
	killed    atomic.Bool

	name    string   // FCALL: the function, for FUNCTION STATS
	command [][]byte // FCALL: the command, for FUNCTION STATS

	outer      *multiState // the caller's EXEC, when the script runs inside one
	propagated bool        // MULTI went into the stream
}

// busyRun returns the script that makes the server busy for other clients:
// one running longer than busy-reply-threshold.
func (s *Server) busyRun() *scriptRun {
	r := s.scripting.running.Load()
	if r == nil || r.threshold <= 0 || time.Since(r.start) < r.threshold {
		return nil
	}
	return r
}

// busyError holds back c's command while another client's script runs, as
// Redis does not read commands during a script: it returns "" when the
// script ended, and the -BUSY reply once the script has run longer than
// busy-reply-threshold. Commands flagged allow_busy run at once. (dispatch.go)
func (c *Ctx) busyError(cmd *Command) string {
	if cmd.Flags&FlagAllowBusy != 0 {
		return ""
	}
	sc := &c.srv.scripting
	for {
		r := sc.running.Load()
		if r == nil && sc.pending.Load() > 0 {
			time.Sleep(50 * time.Microsecond) // a script is taking its locks
			continue
		}
		if r == nil || r.caller == c || r.caller == c.script.callerOrNil() {
			return ""
		}
		wait := r.threshold - time.Since(r.start)
		if r.threshold <= 0 {
			wait = time.Hour
		}
		if wait <= 0 {
			if r.function {
				return errBusyFunction
			}
			return errBusyScript
		}
		t := time.NewTimer(wait)
		select {
		case <-r.done:
		case <-t.C:
		}
		t.Stop()
	}
}

func (r *scriptRun) callerOrNil() *Ctx {
	if r == nil {
		return nil
	}
	return r.caller
}

// beginEffects is called before the script's first effect reaches the
// propagation stream: it opens the MULTI that wraps the effects.
func (r *scriptRun) beginEffects(db int, st interface{ Propagate(int, ...[]byte) }) {
	if r.outer != nil {
		if !r.outer.propagated {
			st.Propagate(db, []byte("MULTI"))
			r.outer.propagated = true
		}
		return
	}
	if !r.propagated {
		st.Propagate(db, []byte("MULTI"))
		r.propagated = true
	}
}

// scriptExec is the scripts.Executor of one run.
type scriptExec struct{ run *scriptRun }

// Call runs one command for the script (Redis's scriptCall). A refusal is
// counted in errorstats here, as Redis does; the script's error reply built
// from it is then not counted again.
func (x scriptExec) Call(args [][]byte, resp int) ([]byte, error) {
	reply, err := x.call(args, resp)
	if err != nil {
		msg := err.Error()
		if strings.HasPrefix(msg, "-") {
			msg = msg[1:]
		} else {
			msg = "ERR " + msg
		}
		x.run.client.srv.stats.countError(msg)
	}
	return reply, err
}

func (x scriptExec) call(args [][]byte, resp int) ([]byte, error) {
	r := x.run
	c := r.client
	cmd := c.srv.table.Lookup(args[0])
	if cmd != nil && cmd.Subcommands != nil && (len(args) > 1 || cmd.Handler == nil) {
		if len(args) == 1 {
			return nil, errors.New("Wrong number of args calling Redis command from script")
		}
		cmd = cmd.LookupSub(args[1])
	}
	if cmd == nil || cmd.Handler == nil {
		return nil, errors.New("Unknown Redis command called from script")
	}
	if (cmd.Arity > 0 && len(args) != cmd.Arity) || len(args) < -cmd.Arity {
		return nil, errors.New("Wrong number of args calling Redis command from script")
	}
	if cmd.Flags&FlagNoScript != 0 {
		return nil, errors.New("This Redis command is not allowed from script")
	}
	if msg := c.scriptACLCheck(cmd, args); msg != "" { // acl.go
		return nil, errors.New(msg)
	}
	if r.readOnly && cmd.Flags&(FlagWrite|FlagMayReplicate) != 0 {
		return nil, errors.New("Write commands are not allowed from read-only scripts.")
	}
	// Out of memory when the script started: refuse a command that may
	// grow memory, unless the script already wrote (it cannot stop halfway).
	if !r.allowOOM && r.preOOM && !r.dirty.Load() && cmd.Flags&FlagDenyOOM != 0 {
		return nil, errors.New("-" + errOOM)
	}
	if c.srv.cluster.enabled { // cluster_redirect.go
		if msg := c.clusterScriptReject(r.caller, cmd, args); msg != "" {
			return nil, errors.New(msg)
		}
	}
	if cmd.Flags&FlagWrite != 0 {
		r.dirty.Store(true)
	}
	c.proto = resp
	c.out = c.out[:0]
	c.now = r.caller.now
	c.call(cmd, args, time.Now())
	return append([]byte(nil), c.out...), nil
}

// Log writes a redis.log line to the server log.
func (x scriptExec) Log(level int, msg string) {
	switch level {
	case scripts.LogWarning:
		slog.Warn(msg, "source", "script")
	case scripts.LogNotice:
		slog.Info(msg, "source", "script")
	default:
		slog.Debug(msg, "source", "script")
	}
}

// CheckCommand answers redis.acl_check_cmd for the script's user (acl.go).
func (x scriptExec) CheckCommand(args [][]byte) (known, allowed bool) {
	return x.run.client.aclCheckArgs(args)
}

// newScriptClient builds the client a script's commands run on: the
// caller's database, RESP2 until redis.setresp, blocking commands answer as
// on timeout.
func (c *Ctx) newScriptClient(r *scriptRun) *Ctx {
	sc := &Ctx{
		srv:           c.srv,
		id:            c.id,
		created:       c.created,
		addr:          "lua",
		laddr:         c.laddr,
		proto:         2,
		authenticated: true,
		allLocked:     true,
		script:        r,
		// Keys the script reads are tracked for the caller, as in Redis.
		track:        c.track,
		trackCaching: c.trackCaching,
	}
	sc.block.deny = true
	sc.user.Store(c.user.Load()) // the caller's ACL user (acl.go)
	sc.selectDB(c.dbIndex)
	return sc
}

// runScript runs exec (the engine call) as a script of c with every shard
// locked. While it waits for the locks it counts as pending, so that other
// clients arriving meanwhile wait in the dispatcher (and get BUSY after the
// threshold) instead of queueing on a shard lock for as long as the script
// runs. Inside EXEC the locks are held already.
func (c *Ctx) runScript(function bool, readOnly, allowOOM bool, name string, command [][]byte, exec func(scripts.Executor) ([]byte, bool)) {
	srv := c.srv
	r := &scriptRun{
		caller:    c,
		start:     time.Now(),
		threshold: time.Duration(srv.cfg.Snapshot().BusyReplyThreshold) * time.Millisecond,
		function:  function,
		readOnly:  readOnly,
		allowOOM:  allowOOM,
		preOOM:    c.preOOM,
		name:      name,
		command:   command,
		done:      make(chan struct{}),
	}
	if c.multi != nil && c.multi.executing {
		r.outer = c.multi
	}
	r.client = c.newScriptClient(r)
	sc := srv.scriptEngine()
	locked := c.allLocked
	if !locked {
		// A script that may write waits out a write pause, as Redis holds
		// back EVAL and FCALL unless the script is no-writes or the
		// command *_RO; checked again under the locks, as Ctx.call does.
		if !readOnly && !srv.waitForWrites(c) {
			return
		}
		sc.pending.Add(1)
		srv.ks.LockAll()
		for !readOnly && srv.pause.active.Load() && srv.writesPaused() {
			srv.ks.UnlockAll()
			if !srv.waitForWrites(c) {
				sc.pending.Add(-1)
				return
			}
			srv.ks.LockAll()
		}
		sc.pending.Add(-1)
		c.allLocked = true
	}
	// Every script runs under LockAll, so at most one is running.
	r.start = time.Now()
	sc.running.Store(r)
	reply, errCounted := exec(scriptExec{run: r})
	if !locked {
		c.allLocked = false
		srv.ks.UnlockAll()
	}
	sc.running.Store(nil)
	close(r.done)
	if r.propagated {
		srv.ks.Stream.Propagate(r.client.dbIndex, []byte("EXEC"))
		c.woff = srv.repl.streamEnd.Load() // the script's effects are its caller's writes (WAIT)
	}
	// The script's commands counted and propagated their own changes.
	c.dirty = 0
	c.customProp = true
	if len(reply) > 0 && reply[0] == '-' {
		if errCounted {
			// The failing command counted it in errorstats already.
			c.out = append(c.out, reply...)
			c.failed = true
			return
		}
		c.Error(strings.TrimSuffix(string(reply[1:]), "\r\n"))
		return
	}
	c.Raw(reply)
}

// parseNumKeys reads numkeys at args[2] and splits keys and arguments.
func (c *Ctx) parseNumKeys(args [][]byte) (keys, argv [][]byte, ok bool) {
	n, isInt := parseInt(args[2])
	if !isInt {
		c.Error(ErrNotInteger)
		return nil, nil, false
	}
	if n > int64(len(args)-3) {
		c.Error("ERR Number of keys can't be greater than number of args")
		return nil, nil, false
	}
	if n < 0 {
		c.Error("ERR Number of keys can't be negative")
		return nil, nil, false
	}
	return args[3 : 3+n], args[3+n:], true
}

// EVAL script numkeys [key [key ...]] [arg [arg ...]]
func cmdEval(c *Ctx, args [][]byte) { c.evalGeneric(args, false, false) }

// EVALSHA sha1 numkeys [key [key ...]] [arg [arg ...]]
func cmdEvalSHA(c *Ctx, args [][]byte) { c.evalGeneric(args, true, false) }

// EVAL_RO script numkeys [key [key ...]] [arg [arg ...]]
func cmdEvalRO(c *Ctx, args [][]byte) { c.evalGeneric(args, false, true) }

// EVALSHA_RO sha1 numkeys [key [key ...]] [arg [arg ...]]
func cmdEvalSHARO(c *Ctx, args [][]byte) { c.evalGeneric(args, true, true) }

func (c *Ctx) evalGeneric(args [][]byte, bySHA, ro bool) {
	keys, argv, ok := c.parseNumKeys(args)
	if !ok {
		return
	}
	eng := c.srv.scriptEngine().eval
	var sc *scripts.Script
	if bySHA {
		if sc = eng.Lookup(string(args[1])); sc == nil {
			c.Error(errNoScript)
			return
		}
	} else {
		var err error
		if sc, err = eng.Load(string(args[1])); err != nil {
			c.Error(err.Error())
			return
		}
	}
	if !c.scriptFlagsAllow(sc.Flags, ro) {
		return
	}
	readOnly := ro || sc.Flags&scripts.FlagNoWrites != 0
	c.runScript(false, readOnly, sc.Flags&scripts.FlagAllowOOM != 0, "", nil, func(x scripts.Executor) ([]byte, bool) {
		run := &scripts.Run{Exec: x, Keys: keys, Args: argv, Resp: c.proto}
		return eng.Run(run, sc), run.ErrorCounted
	})
}

// scriptFlagsAllow applies a shebang script's flags before it runs
// (Redis's scriptPrepareForRun and the flag-derived command flags).
func (c *Ctx) scriptFlagsAllow(flags scripts.ScriptFlags, ro bool) bool {
	if flags&scripts.FlagCompat != 0 {
		return true
	}
	if flags&scripts.FlagNoWrites == 0 {
		if ro {
			c.Error("ERR Can not execute a script with write flag using *_ro command.")
			return false
		}
		if flags&scripts.FlagAllowOOM == 0 && c.preOOM {
			c.Error(errOOM)
			return false
		}
	}
	return true
}

// SCRIPT LOAD script
func cmdScriptLoad(c *Ctx, args [][]byte) {
	sc, err := c.srv.scriptEngine().eval.Load(string(args[2]))
	if err != nil {
		c.Error(err.Error())
		return
	}
	c.BulkString(sc.SHA)
}

// SCRIPT EXISTS sha1 [sha1 ...]
func cmdScriptExists(c *Ctx, args [][]byte) {
	eng := c.srv.scriptEngine().eval
	c.Array(len(args) - 2)
	for _, a := range args[2:] {
		if eng.Exists(string(a)) {
			c.Int(1)
		} else {
			c.Int(0)
		}
	}
}

// SCRIPT FLUSH [ASYNC | SYNC]
func cmdScriptFlush(c *Ctx, args [][]byte) {
	if len(args) > 3 || (len(args) == 3 && !eq(args[2], "sync") && !eq(args[2], "async")) {
		c.Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option")
		return
	}
	c.srv.scriptEngine().eval.Flush()
	c.OK()
}

// SCRIPT DEBUG. Redis's Lua debugger (LDB) steps a script line by line
// through a Lua hook; gopher-lua has no line hooks, so Vireo has no
// debugger: NO (debugging off, the state every client is in) is accepted,
// YES and SYNC are refused with a reason instead of a session that could
// not step.
func cmdScriptDebug(c *Ctx, args [][]byte) {
	switch {
	case eq(args[2], "no"):
		c.OK()
	case eq(args[2], "yes"), eq(args[2], "sync"):
		c.Error("ERR SCRIPT DEBUG YES/SYNC is not supported: Vireo's Lua engine has no debugger")
	default:
		c.Error("ERR Use SCRIPT DEBUG YES/SYNC/NO")
	}
}

// SCRIPT KILL
func cmdScriptKill(c *Ctx, args [][]byte) { c.killScript(false) }

// killScript is SCRIPT KILL (function false) and FUNCTION KILL.
func (c *Ctx) killScript(function bool) {
	sc := c.srv.scriptEngine()
	r := sc.running.Load()
	switch {
	case r == nil:
		c.Error(errNotBusy)
	case r.dirty.Load():
		c.Error(errUnkillable)
	case r.function != function:
		if r.function {
			c.Error(errBusyFunction)
		} else {
			c.Error(errBusyScript)
		}
	default:
		r.killed.Store(true)
		kill := sc.eval.Kill
		if function {
			kill = sc.lib.Kill
		}
		// The run is published before the engine starts it: wait for
		// the engine to have it (or for it to end) so the kill is not lost.
		for !kill() {
			select {
			case <-r.done:
			case <-time.After(time.Millisecond):
				continue
			}
			break
		}
		c.OK()
	}
}

// SCRIPT HELP
func cmdScriptHelp(c *Ctx, args [][]byte) {
	c.helpReply("script", []string{
		"DEBUG (YES|SYNC|NO)",
		"    Set the debug mode for subsequent scripts executed.",
		"EXISTS <sha1> [<sha1> ...]",
		"    Return information about the existence of the scripts in the script cache.",
		"FLUSH [ASYNC|SYNC]",
		"    Flush the Lua scripts cache. Very dangerous on replicas.",
		"    When called without the optional mode argument, the behavior is determined by the",
		"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
		"    * ASYNC: Asynchronously flush the scripts cache.",
		"    * SYNC: Synchronously flush the scripts cache.",
		"KILL",
		"    Kill the currently executing Lua script.",
		"LOAD <script>",
		"    Load a script into the scripts cache without executing it.",
	})
}

func init() { familyRegistrars = append(familyRegistrars, registerScriptingCommands) }

func registerScriptingCommands(t *Table) {
	acl := []string{"slow", "scripting"}
	evalFlags := FlagNoScript | FlagStale | FlagSkipMonitor | FlagNoMandatoryKeys | FlagMovableKeys
	evalCmd := func(name string, flags Flag, since, summary, usage string, h func(*Ctx, [][]byte)) *Command {
		return &Command{Name: name, Arity: -3, Flags: flags, ACL: acl, Group: "scripting", Since: since,
			Summary: summary, Usage: usage, Keys: numkeysKeys(2, false), Lock: LockNone, Handler: h,
			Complexity: "Depends on the script that is executed."}
	}
	sub := func(name string, arity int, flags Flag, since, summary, usage string, h func(*Ctx, [][]byte)) *Command {
		return &Command{Name: name, Arity: arity, Flags: flags, ACL: acl, Group: "scripting", Since: since,
			Summary: summary, Usage: usage, Lock: LockNone, Handler: h}
	}
	t.Add(
		evalCmd("eval", evalFlags, "2.6.0", "Executes a server-side Lua script.", "script numkeys [key [key ...]] [arg [arg ...]]", cmdEval),
		evalCmd("evalsha", evalFlags, "2.6.0", "Executes a server-side Lua script by SHA1 digest.", "sha1 numkeys [key [key ...]] [arg [arg ...]]", cmdEvalSHA),
		evalCmd("eval_ro", evalFlags|FlagReadonly, "7.0.0", "Executes a read-only server-side Lua script.", "script numkeys [key [key ...]] [arg [arg ...]]", cmdEvalRO),
		evalCmd("evalsha_ro", evalFlags|FlagReadonly, "7.0.0", "Executes a read-only server-side Lua script by SHA1 digest.", "sha1 numkeys [key [key ...]] [arg [arg ...]]", cmdEvalSHARO),
		&Command{Name: "script", Arity: -2, ACL: []string{"slow"}, Group: "scripting", Since: "2.6.0",
			Summary: "A container for Lua scripts management commands.", Lock: LockNone,
			Subcommands: Sub(
				sub("debug", 3, FlagNoScript, "3.2.0", "Sets the debug mode of server-side Lua scripts.", "<YES | SYNC | NO>", cmdScriptDebug),
				sub("exists", -3, FlagNoScript, "2.6.0", "Determines whether server-side Lua scripts exist in the script cache.", "sha1 [sha1 ...]", cmdScriptExists),
				sub("flush", -2, FlagNoScript, "2.6.0", "Removes all server-side Lua scripts from the script cache.", "[ASYNC | SYNC]", cmdScriptFlush),
				sub("help", 2, FlagLoading|FlagStale, "5.0.0", "Returns helpful text about the different subcommands.", "", cmdScriptHelp),
				sub("kill", 2, FlagNoScript|FlagAllowBusy, "2.6.0", "Terminates a server-side Lua script during execution.", "", cmdScriptKill),
				sub("load", 3, FlagNoScript|FlagStale, "2.6.0", "Loads a server-side Lua script to the script cache.", "script", cmdScriptLoad),
			)},
	)
}

// scriptsSHA1Hex names an EVAL script.
func scriptsSHA1Hex(body string) string { return scripts.SHA1Hex(body) }

var scriptsVersionOnce sync.Once

// versionNum is REDIS_VERSION_NUM: 0x00MMmmpp.
func versionNum(v string) int {
	n := 0
	for _, part := range strings.SplitN(v, ".", 3) {
		x := 0
		for _, ch := range part {
			if ch < '0' || ch > '9' {
				break
			}
			x = x*10 + int(ch-'0')
		}
		n = n<<8 | x
	}
	return n
}

// scriptingMemoryInfo is INFO memory's scripting fields.
type scriptingMemoryInfo struct {
	vmEval, vmFunctions            int64
	scriptsEval, functionsOverhead int64
	cachedScripts                  int64
	functions, libraries           int64
}

// Sizes standing in for the Lua heap, which gopher-lua does not measure:
// an empty Redis 7.0 Lua VM reports 31744 bytes, and each cached script or
// registered function costs its code plus an entry of bookkeeping.
const (
	luaVMBaseline     = 31744
	scriptEntryBytes  = 64
	functionEntryByte = 96
)

func (s *Server) scriptingMemory() scriptingMemoryInfo {
	sc := s.scriptEngine()
	n, body := sc.eval.Stats()
	libs, funcs, code := sc.lib.Sizes()
	return scriptingMemoryInfo{
		vmEval:            luaVMBaseline + body,
		vmFunctions:       luaVMBaseline + code,
		scriptsEval:       body + int64(n)*scriptEntryBytes,
		functionsOverhead: int64(funcs)*functionEntryByte + int64(libs)*scriptEntryBytes,
		cachedScripts:     int64(n),
		functions:         int64(funcs),
		libraries:         int64(libs),
	}
}
