package server

// MODULE LIST / LOAD / LOADEX / UNLOAD / HELP. Vireo loads no Redis modules
// (they are C shared objects written against Redis's internals): LIST is
// empty, and loading fails the way redis-server fails for a library it
// cannot load, after the enable-module-command check.

func init() { familyRegistrars = append(familyRegistrars, registerModuleCommands) }

const errModuleNotAllowed = "ERR MODULE command not allowed. If the enable-module-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server."

// moduleAllowed applies enable-module-command (no | yes | local).
func (c *Ctx) moduleAllowed() bool {
	switch c.srv.cfg.Snapshot().EnableModuleCommand {
	case "yes":
		return true
	case "local":
		if c.isLocal() {
			return true
		}
	}
	c.Error(errModuleNotAllowed)
	return false
}

// MODULE LIST
func cmdModuleList(c *Ctx, args [][]byte) { c.Array(0) }

// MODULE LOAD path [arg ...] / MODULE LOADEX path [CONFIG name value ...] [ARGS arg ...]
func cmdModuleLoad(c *Ctx, args [][]byte) {
	if !c.moduleAllowed() {
		return
	}
	c.Error("ERR Error loading the extension. Please check the server logs.")
}

// MODULE UNLOAD name
func cmdModuleUnload(c *Ctx, args [][]byte) {
	if !c.moduleAllowed() {
		return
	}
	c.Error("ERR Error unloading module: no such module with that name")
}

// MODULE HELP
func cmdModuleHelp(c *Ctx, args [][]byte) {
	c.helpReply("MODULE", []string{
		"LIST",
		"    Return a list of loaded modules.",
		"LOAD <path> [<arg> ...]",
		"    Load a module library from <path>, passing to it any optional arguments.",
		"LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
		"    Load a module library from <path>, while passing it module configurations and optional arguments.",
		"UNLOAD <name>",
		"    Unload a module.",
	})
}

func registerModuleCommands(t *Table) {
	admin := []string{"slow", "dangerous"}
	g := "server"
	t.Add(&Command{Name: "module", Arity: -2, ACL: []string{"slow"}, Group: g, Since: "4.0.0",
		Summary: "A container for module commands.", Lock: LockNone,
		Subcommands: Sub(
			&Command{Name: "list", Arity: 2, Flags: FlagAdmin | FlagNoScript, ACL: admin, Group: g, Since: "4.0.0",
				Tips:    []string{"nondeterministic_output_order"},
				Summary: "Returns all loaded modules.", Lock: LockNone, Handler: cmdModuleList},
			&Command{Name: "load", Arity: -3, Flags: FlagAdmin | FlagNoScript | FlagNoAsyncLoading, ACL: admin, Group: g, Since: "4.0.0",
				Summary: "Loads a module.", Usage: "path [arg [arg ...]]", Lock: LockNone, Handler: cmdModuleLoad},
			&Command{Name: "loadex", Arity: -3, Flags: FlagAdmin | FlagNoScript | FlagNoAsyncLoading, ACL: admin, Group: g, Since: "7.0.0",
				Summary: "Loads a module using extended parameters.", Usage: "path [CONFIG name value [CONFIG name value ...]] [ARGS args [args ...]]",
				Lock: LockNone, Handler: cmdModuleLoad},
			&Command{Name: "unload", Arity: 3, Flags: FlagAdmin | FlagNoScript | FlagNoAsyncLoading, ACL: admin, Group: g, Since: "4.0.0",
				Summary: "Unloads a module.", Usage: "name", Lock: LockNone, Handler: cmdModuleUnload},
			&Command{Name: "help", Arity: 2, Flags: FlagLoading | FlagStale, ACL: []string{"slow"}, Group: g, Since: "5.0.0",
				Summary: "Returns helpful text about the different subcommands.", Lock: LockNone, Handler: cmdModuleHelp},
		)})
}
