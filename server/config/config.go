package config

import (
	"os"
	"sort"
	"sync"
)

// Config is the server's configuration: the typed values (embedded
// Settings), the path of the file they came from, and the hooks the server
// registered for changes. See the package documentation for the locking
// rule.
type Config struct {
	Settings

	// mu guards Settings once the Config is shared.
	mu sync.RWMutex
	// setMu serialises Set, Update and Rewrite, and guards the hooks.
	setMu sync.Mutex

	file        string // absolute path of the loaded config file, "" if none
	changeHooks map[*directive][]*hook
	applyHooks  map[*directive][]*hook
}

// hook is one registered callback; a pointer so that a hook registered for
// several names runs once per CONFIG SET.
type hook struct {
	onChange func()
	onApply  func() error
}

// Default returns a Config holding the default of every directive (Redis
// 7.0.15's defaults; dir is the current working directory).
func Default() *Config {
	c := &Config{}
	for _, d := range directives {
		d.value.init(&c.Settings)
	}
	return c
}

func workingDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	return dir
}

// File is the absolute path of the configuration file Load read, or "" when
// the server runs without one (CONFIG REWRITE then fails).
func (c *Config) File() string { return c.file }

// Snapshot returns a copy of the current values, consistent with each other.
func (c *Config) Snapshot() Settings {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.Settings
}

// View calls fn with the values under the read lock; fn must not keep s or
// call back into c.
func (c *Config) View(fn func(s *Settings)) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	fn(&c.Settings)
}

// Update changes values from the server's own logic (REPLICAOF, ACL SAVE of
// users ...), bypassing CONFIG SET's rules and hooks. fn runs under the
// write lock and must store new slices rather than modify old ones.
func (c *Config) Update(fn func(s *Settings)) {
	c.setMu.Lock()
	defer c.setMu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	fn(&c.Settings)
}

// OnChange registers fn to run after every CONFIG SET that changed the named
// parameter (a canonical name or an alias), once the new values are visible.
// Hooks run in registration order. Unknown names are a programming error and
// panic.
func (c *Config) OnChange(name string, fn func()) {
	c.OnAnyChange(fn, name)
}

// OnAnyChange is OnChange for several parameters at once: fn runs once per
// CONFIG SET that changed any of them (registering fn with OnChange for
// each name would run it once per changed name).
func (c *Config) OnAnyChange(fn func(), names ...string) {
	c.addHook(&c.changeHooks, &hook{onChange: fn}, names...)
}

// OnApply registers fn to put a CONFIG SET of any of the named parameters
// into effect (e.g. listen on a new port). When fn fails, Set restores the
// previous values, runs the apply hooks again so they can undo, and returns
// fn's error text as the reason, as Redis does with its apply functions.
// Apply hooks run before change hooks.
func (c *Config) OnApply(fn func() error, names ...string) {
	c.addHook(&c.applyHooks, &hook{onApply: fn}, names...)
}

func (c *Config) addHook(hooks *map[*directive][]*hook, h *hook, names ...string) {
	c.setMu.Lock()
	defer c.setMu.Unlock()
	if *hooks == nil {
		*hooks = make(map[*directive][]*hook)
	}
	for _, name := range names {
		e := lookup(name)
		if e == nil {
			panic("config: hook registered for unknown parameter " + name)
		}
		(*hooks)[e.d] = append((*hooks)[e.d], h)
	}
}

// Names returns every canonical directive name, sorted (aliases excluded,
// hidden ones included).
func (c *Config) Names() []string {
	names := make([]string, 0, len(directives))
	for _, d := range directives {
		names = append(names, d.name)
	}
	sort.Strings(names)
	return names
}

// Info describes a configuration parameter.
type Info struct {
	Name      string // the name asked for, lowercase
	Canonical string // the directive's main name (differs for aliases)
	Mutable   bool   // CONFIG SET may change it
	Protected bool   // CONFIG SET needs enable-protected-configs
	Sensitive bool   // its value is a secret: redact it from logs
	Hidden    bool   // CONFIG GET matches it only by exact name
}

// Lookup describes the parameter with this name or alias.
func Lookup(name string) (Info, bool) {
	e := lookup(name)
	if e == nil {
		return Info{}, false
	}
	f := e.d.flags
	return Info{
		Name:      e.name,
		Canonical: e.d.name,
		Mutable:   f&immutable == 0,
		Protected: f&protected != 0,
		Sensitive: f&sensitive != 0,
		Hidden:    f&hidden != 0,
	}, true
}
