package server

// FUNCTION and FCALL: libraries of Lua functions (scripts.Functions). FCALL
// runs like EVAL (every lock held, commands through the script client, its
// effects as MULTI/EXEC). FUNCTION LOAD, DELETE, FLUSH and RESTORE change
// the libraries and propagate as themselves, as Redis does.
//
// FUNCTION DUMP's payload is Redis's: for each library the FUNCTION2 opcode
// (245) and the code as an RDB string, then the RDB version and the CRC64.

import (
	"bytes"
	"encoding/binary"
	"strings"
	"time"

	"github.com/vireodb/vireo/datatypes/glob"
	"github.com/vireodb/vireo/persistence/rdb"
	"github.com/vireodb/vireo/scripts"
)

// rdbOpcodeFunction2 is RDB_OPCODE_FUNCTION2; rdbOpcodeFunction the
// pre-release 7.0 form that Redis still accepts (it carries a library name,
// engine, description and code, which 7.0 GA no longer writes).
const (
	rdbOpcodeFunction2 = 245
	rdbOpcodeFunction  = 246
)

func init() { familyRegistrars = append(familyRegistrars, registerFunctionCommands) }

func (s *Server) functions() *scripts.Functions { return s.scriptEngine().lib }

// FCALL function numkeys [key [key ...]] [arg [arg ...]]
func cmdFCall(c *Ctx, args [][]byte) { c.fcallGeneric(args, false) }

// FCALL_RO function numkeys [key [key ...]] [arg [arg ...]]
func cmdFCallRO(c *Ctx, args [][]byte) { c.fcallGeneric(args, true) }

func (c *Ctx) fcallGeneric(args [][]byte, ro bool) {
	if _, isInt := parseInt(args[2]); !isInt {
		c.Error("ERR Bad number of keys provided")
		return
	}
	keys, argv, ok := c.parseNumKeys(args)
	if !ok {
		return
	}
	lib := c.srv.functions()
	fn := lib.Lookup(string(args[1]))
	if fn == nil {
		c.Error("ERR Function not found")
		return
	}
	if !c.scriptFlagsAllow(fn.Flags, ro) {
		return
	}
	readOnly := ro || fn.Flags&scripts.FlagNoWrites != 0
	command := make([][]byte, len(args))
	for i, a := range args {
		command[i] = append([]byte(nil), a...)
	}
	c.runScript(true, readOnly, fn.Flags&scripts.FlagAllowOOM != 0, fn.Name, command, func(x scripts.Executor) ([]byte, bool) {
		run := &scripts.Run{Exec: x, Keys: keys, Args: argv, Resp: c.proto}
		return lib.Run(run, fn), run.ErrorCounted
	})
}

// FUNCTION LOAD [REPLACE] function-code
func cmdFunctionLoad(c *Ctx, args [][]byte) {
	replace := false
	if len(args) > 4 || (len(args) == 4 && !eq(args[2], "replace")) {
		c.Error("ERR Unknown option given: " + string(args[2]))
		return
	}
	if len(args) == 4 {
		replace = true
	}
	name, err := c.srv.functions().Load(string(args[len(args)-1]), replace)
	if err != nil {
		c.Error("ERR " + err.Error())
		return
	}
	c.dirty++
	c.BulkString(name)
}

// FUNCTION DELETE library-name
func cmdFunctionDelete(c *Ctx, args [][]byte) {
	if !c.srv.functions().Delete(string(args[2])) {
		c.Error("ERR Library not found")
		return
	}
	c.dirty++
	c.OK()
}

// FUNCTION FLUSH [ASYNC | SYNC]
func cmdFunctionFlush(c *Ctx, args [][]byte) {
	if len(args) > 3 || (len(args) == 3 && !eq(args[2], "sync") && !eq(args[2], "async")) {
		c.Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option")
		return
	}
	c.srv.functions().Flush()
	c.dirty++
	c.OK()
}

// FUNCTION KILL
func cmdFunctionKill(c *Ctx, args [][]byte) { c.killScript(true) }

// FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE]
func cmdFunctionList(c *Ctx, args [][]byte) {
	withCode := false
	pattern := ""
	hasPattern := false
	for i := 2; i < len(args); i++ {
		switch {
		case eq(args[i], "withcode"):
			withCode = true
		case eq(args[i], "libraryname"):
			if i+1 >= len(args) {
				c.Error("ERR library name argument was not given")
				return
			}
			if hasPattern {
				c.Error("ERR library name can be given only once")
				return
			}
			i++
			pattern, hasPattern = string(args[i]), true
		default:
			c.Error("ERR Unknown argument " + string(args[i]))
			return
		}
	}
	var libs []*scripts.Library
	for _, l := range c.srv.functions().Libraries() {
		if !hasPattern || glob.MatchString(pattern, l.Name, true) {
			libs = append(libs, l)
		}
	}
	c.Array(len(libs))
	for _, l := range libs {
		if withCode {
			c.Map(4)
		} else {
			c.Map(3)
		}
		c.BulkString("library_name")
		c.BulkString(l.Name)
		c.BulkString("engine")
		c.BulkString("LUA")
		c.BulkString("functions")
		names := l.FunctionNames()
		c.Array(len(names))
		for _, n := range names {
			fn := l.Functions[n]
			c.Map(3)
			c.BulkString("name")
			c.BulkString(fn.Name)
			c.BulkString("description")
			if fn.HasDesc {
				c.BulkString(fn.Description)
			} else {
				c.Null()
			}
			c.BulkString("flags")
			flags := fn.Flags.FlagNames()
			c.Set(len(flags))
			for _, f := range flags {
				c.Simple(f)
			}
		}
		if withCode {
			c.BulkString("library_code")
			c.BulkString(l.Code)
		}
	}
}

// FUNCTION STATS
func cmdFunctionStats(c *Ctx, args [][]byte) {
	c.Map(2)
	c.BulkString("running_script")
	if r := c.srv.scripting.running.Load(); r != nil && r.function {
		c.Map(3)
		c.BulkString("name")
		c.BulkString(r.name)
		c.BulkString("command")
		c.Array(len(r.command))
		for _, a := range r.command {
			c.Bulk(a)
		}
		c.BulkString("duration_ms")
		c.Int(time.Since(r.start).Milliseconds())
	} else {
		c.Null()
	}
	c.BulkString("engines")
	c.Map(1)
	c.BulkString("LUA")
	libs, funcs := c.srv.functions().Stats()
	c.Map(2)
	c.BulkString("libraries_count")
	c.Int(int64(libs))
	c.BulkString("functions_count")
	c.Int(int64(funcs))
}

// FUNCTION DUMP
func cmdFunctionDump(c *Ctx, args [][]byte) {
	var p []byte
	for _, l := range c.srv.functions().Libraries() {
		p = append(p, rdbOpcodeFunction2)
		p = rdb.AppendString(p, []byte(l.Code), true)
	}
	c.Bulk(rdb.AppendDumpFooter(p))
}

// FUNCTION RESTORE serialized-value [FLUSH | APPEND | REPLACE]
func cmdFunctionRestore(c *Ctx, args [][]byte) {
	policy := "APPEND"
	if len(args) > 4 {
		c.Error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.")
		return
	}
	if len(args) == 4 {
		policy = strings.ToUpper(string(args[3]))
		if policy != "FLUSH" && policy != "APPEND" && policy != "REPLACE" {
			c.Error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.")
			return
		}
	}
	codes, msg := parseFunctionDump(args[2])
	if msg != "" {
		c.Error(msg)
		return
	}
	if err := c.srv.functions().Restore(codes, policy); err != nil {
		c.Error("ERR " + err.Error())
		return
	}
	c.dirty++
	c.OK()
}

// parseFunctionDump verifies a FUNCTION DUMP payload and returns the
// libraries' codes, or the error reply.
func parseFunctionDump(payload []byte) ([]string, string) {
	const footer = 10
	if len(payload) < footer {
		return nil, errBadPayload
	}
	foot := payload[len(payload)-footer:]
	if binary.LittleEndian.Uint16(foot) > rdb.MaxLoadVersion ||
		rdb.CRC64(0, payload[:len(payload)-8]) != binary.LittleEndian.Uint64(foot[2:]) {
		return nil, errBadPayload
	}
	body := payload[:len(payload)-footer]
	r := bytes.NewReader(body)
	d := rdb.NewDecoder(r)
	var codes []string
	for r.Len() > 0 {
		typ, err := d.ReadType()
		if err != nil {
			return nil, "ERR can not read data type"
		}
		switch typ {
		case rdbOpcodeFunction2:
			code, err := d.ReadString()
			if err != nil {
				return nil, "ERR failed loading the given functions payload"
			}
			codes = append(codes, string(code))
		case rdbOpcodeFunction:
			// name, engine, description (optional), code
			var fields [][]byte
			for i := 0; i < 3; i++ {
				s, err := d.ReadString()
				if err != nil {
					return nil, "ERR failed loading the given functions payload"
				}
				fields = append(fields, s)
			}
			codes = append(codes, string(fields[2]))
		default:
			return nil, "ERR given type is not a function"
		}
	}
	return codes, ""
}

// FUNCTION HELP
func cmdFunctionHelp(c *Ctx, args [][]byte) {
	c.helpReply("function", []string{
		"LOAD [REPLACE] <FUNCTION CODE>",
		"    Create a new library with the given library name and code.",
		"DELETE <LIBRARY NAME>",
		"    Delete the given library.",
		"LIST [LIBRARYNAME PATTERN] [WITHCODE]",
		"    Return general information on all the libraries:",
		"    * Library name",
		"    * The engine used to run the Library",
		"    * Library description",
		"    * Functions list",
		"    * Library code (if WITHCODE is given)",
		"    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
		"STATS",
		"    Return information about the current function running:",
		"    * Function name",
		"    * Command used to run the function",
		"    * Duration in MS that the function is running",
		"    If no function is running, return nil",
		"    In addition, returns a list of available engines.",
		"KILL",
		"    Kill the current running function.",
		"FLUSH [ASYNC|SYNC]",
		"    Delete all the libraries.",
		"    When called without the optional mode argument, the behavior is determined by the",
		"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
		"    * ASYNC: Asynchronously flush the libraries.",
		"    * SYNC: Synchronously flush the libraries.",
		"DUMP",
		"    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
		"RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
		"    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
		"    control how to handle existing libraries (default APPEND):",
		"    * FLUSH: delete all existing libraries.",
		"    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
		"    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
		"      libraries with the new libraries (notice that even on this option there is a chance of failure",
		"      in case of functions name collision with another library).",
	})
}

func registerFunctionCommands(t *Table) {
	acl := []string{"slow", "scripting"}
	fcallFlags := FlagNoScript | FlagStale | FlagSkipMonitor | FlagNoMandatoryKeys | FlagMovableKeys
	fcall := func(name string, flags Flag, summary string, h func(*Ctx, [][]byte)) *Command {
		return &Command{Name: name, Arity: -3, Flags: flags, ACL: acl, Group: "scripting", Since: "7.0.0",
			Summary: summary, Usage: "function numkeys [key [key ...]] [arg [arg ...]]", Keys: numkeysKeys(2, false),
			Lock: LockNone, Handler: h, Complexity: "Depends on the function that is executed."}
	}
	sub := func(name string, arity int, flags Flag, summary, usage string, h func(*Ctx, [][]byte)) *Command {
		return &Command{Name: name, Arity: arity, Flags: flags, ACL: acl, Group: "scripting", Since: "7.0.0",
			Summary: summary, Usage: usage, Lock: LockNone, Handler: h}
	}
	write := FlagWrite | FlagNoScript
	t.Add(
		fcall("fcall", fcallFlags, "Invokes a function.", cmdFCall),
		fcall("fcall_ro", fcallFlags|FlagReadonly, "Invokes a read-only function.", cmdFCallRO),
		&Command{Name: "function", Arity: -2, ACL: []string{"slow"}, Group: "scripting", Since: "7.0.0",
			Summary: "A container for function commands.", Lock: LockNone,
			Subcommands: Sub(
				sub("delete", 3, write, "Deletes a library and its functions.", "library-name", cmdFunctionDelete),
				sub("dump", 2, FlagNoScript, "Dumps all libraries into a serialized binary payload.", "", cmdFunctionDump),
				sub("flush", -2, write, "Deletes all libraries and functions.", "[ASYNC | SYNC]", cmdFunctionFlush),
				sub("help", 2, FlagLoading|FlagStale, "Returns helpful text about the different subcommands.", "", cmdFunctionHelp),
				sub("kill", 2, FlagNoScript|FlagAllowBusy, "Terminates a function during execution.", "", cmdFunctionKill),
				sub("list", -2, FlagNoScript, "Returns information about all libraries.", "[LIBRARYNAME library-name-pattern] [WITHCODE]", cmdFunctionList),
				sub("load", -3, write|FlagDenyOOM, "Creates a library.", "[REPLACE] function-code", cmdFunctionLoad),
				sub("restore", -3, write|FlagDenyOOM, "Restores all libraries from a payload.", "serialized-value [FLUSH | APPEND | REPLACE]", cmdFunctionRestore),
				sub("stats", 2, FlagNoScript|FlagAllowBusy, "Returns information about a function during execution.", "", cmdFunctionStats),
			)},
	)
}
