package config

// CONFIG GET and CONFIG SET semantics. The server parses the command (arity,
// an even number of arguments for SET) and replies; this file decides what
// matches, what is allowed and what the error text is.

import "strings"

// ReplyError is an error whose text is exactly the error reply Redis sends,
// without the leading '-' (e.g. "ERR Unknown option or number of arguments
// for CONFIG SET - 'foo'"). Err, when set, is the underlying cause.
type ReplyError struct {
	Msg string
	Err error
}

func (e *ReplyError) Error() string { return e.Msg }
func (e *ReplyError) Unwrap() error { return e.Err }

// loadingReply is Redis's shared LOADING error, which CONFIG SET returns for
// directives that cannot change while the dataset loads.
const loadingReply = "LOADING Redis is loading the dataset in memory"

// Get returns the parameters matching any of the patterns with their values,
// as CONFIG GET does: a pattern without glob characters ([*?) is an exact,
// case-insensitive name and the reply uses the name as given; a glob is
// matched case-insensitively against every name and alias except hidden
// ones. Each parameter (name or alias) appears once. Redis orders the reply
// by its hash table; Vireo keeps the order of the patterns, and table order
// within one glob.
func (c *Config) Get(patterns ...string) [][2]string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out [][2]string
	seen := make(map[string]bool) // lowercase names already in out
	for _, pattern := range patterns {
		if !strings.ContainsAny(pattern, "[*?") {
			key := asciiLower(pattern)
			if seen[key] {
				continue
			}
			if e := lookup(pattern); e != nil {
				seen[key] = true
				out = append(out, [2]string{pattern, e.d.value.get(&c.Settings)})
			}
			continue
		}
		for _, e := range entries {
			if e.d.flags&hidden != 0 || seen[e.name] {
				continue
			}
			if globMatch(pattern, e.name, true) {
				seen[e.name] = true
				out = append(out, [2]string{e.name, e.d.value.get(&c.Settings)})
			}
		}
	}
	return out
}

// SetOptions describes the client running CONFIG SET.
type SetOptions struct {
	// Local is true for a client connected over loopback or the unix
	// socket: enable-protected-configs local lets it change protected
	// parameters.
	Local bool
	// Loading is true while the server loads its dataset: parameters such
	// as appendonly and dir cannot change then.
	Loading bool
}

// Set is CONFIG SET for a remote client with the dataset loaded; see SetWith.
func (c *Config) Set(pairs [][2]string) error {
	return c.SetWith(pairs, SetOptions{})
}

// SetWith applies CONFIG SET name value [name value ...] all or nothing,
// with Redis 7.0's checks and exact error replies (as *ReplyError): the
// first name that is unknown, immutable, protected, a duplicate or (while
// loading) not allowed decides the error; otherwise the first value that
// does not parse does.
// After the values are stored, apply hooks run (a failure restores the old
// values), then change hooks, for the parameters whose value changed.
func (c *Config) SetWith(pairs [][2]string, opts SetOptions) error {
	c.setMu.Lock()
	defer c.setMu.Unlock()

	// Redis's checks, in its order of precedence. Indexes rather than names
	// record the culprits, since "" is a possible (unknown) name.
	set := make([]*tableEntry, len(pairs))
	unknown, bad, loadingDenied := -1, -1, false
	badReason := ""
	for i, pair := range pairs {
		e := lookup(pair[0])
		if e == nil {
			if unknown < 0 && bad < 0 && !loadingDenied {
				unknown = i
			}
			continue
		}
		if unknown >= 0 || bad >= 0 || loadingDenied {
			continue
		}
		f := e.d.flags
		switch {
		case f&immutable != 0:
			bad, badReason = i, "can't set immutable config"
			continue
		case f&protected != 0 && !c.protectedAllowed(opts):
			bad, badReason = i, "can't set protected config"
			continue
		case opts.Loading && f&denyLoading != 0:
			loadingDenied = true
			continue
		}
		for _, prev := range set[:i] {
			if prev == e {
				bad, badReason = i, "duplicate parameter"
				break
			}
		}
		set[i] = e
	}
	switch {
	case loadingDenied:
		return &ReplyError{Msg: loadingReply}
	case unknown >= 0:
		return &ReplyError{Msg: "ERR Unknown option or number of arguments for CONFIG SET - '" + pairs[unknown][0] + "'"}
	case bad >= 0:
		return setFailed(pairs[bad][0], badReason)
	}

	c.mu.Lock()
	old := c.Settings
	before := make([]string, len(pairs))
	for i, e := range set {
		before[i] = e.d.value.get(&c.Settings)
	}
	ctx := &setContext{}
	for i, e := range set {
		args := []string{pairs[i][1]}
		if e.d.flags&multiArg != 0 {
			args = splitSpaces(pairs[i][1])
		}
		if err := e.d.value.set(&c.Settings, args, ctx); err != nil {
			c.Settings = old
			c.mu.Unlock()
			return setFailed(e.name, err.Error())
		}
		if e.d.apply != nil {
			e.d.apply(&c.Settings)
		}
	}
	var changed []*tableEntry
	for i, e := range set {
		if e.d.value.get(&c.Settings) != before[i] {
			changed = append(changed, e)
		}
	}
	c.mu.Unlock()

	applied := c.hooksFor(c.applyHooks, changed)
	for i, h := range applied {
		if err := h.hook.onApply(); err != nil {
			c.mu.Lock()
			c.Settings = old
			c.mu.Unlock()
			// Give every hook that ran, the failing one included, a chance
			// to put the old values back into effect.
			for _, undo := range applied[:i+1] {
				_ = undo.hook.onApply()
			}
			return &ReplyError{Msg: setFailedText(h.name, err.Error()), Err: err}
		}
	}
	for _, h := range c.hooksFor(c.changeHooks, changed) {
		h.hook.onChange()
	}
	return nil
}

// protectedAllowed is Redis's allowProtectedAction for
// enable-protected-configs.
func (c *Config) protectedAllowed(opts SetOptions) bool {
	c.mu.RLock()
	mode := c.EnableProtectedConfigs
	c.mu.RUnlock()
	return mode == "yes" || (mode == "local" && opts.Local)
}

type namedHook struct {
	name string // the parameter that triggered it, for error messages
	hook *hook
}

// hooksFor lists the hooks of the changed parameters, each hook once, in the
// order the parameters were given.
func (c *Config) hooksFor(hooks map[*directive][]*hook, changed []*tableEntry) []namedHook {
	var out []namedHook
	seen := make(map[*hook]bool)
	for _, e := range changed {
		for _, h := range hooks[e.d] {
			if !seen[h] {
				seen[h] = true
				out = append(out, namedHook{name: e.name, hook: h})
			}
		}
	}
	return out
}

func setFailed(name, why string) error {
	return &ReplyError{Msg: setFailedText(name, why)}
}

func setFailedText(name, why string) string {
	return "ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + why
}
