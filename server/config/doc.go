// Package config owns Vireo's configuration: the redis.conf-style file format,
// `--name value` command-line overrides, the table of directives with their
// types, defaults and bounds, and the semantics of CONFIG GET, CONFIG SET and
// CONFIG REWRITE (the server implements the commands on top of this API).
//
// It must import nothing but the standard library: every other Vireo package
// may depend on it, so it depends on none of them.
//
// # Compatibility
//
// The oracle is redis-server 7.0.15. Parsing follows Redis's sdssplitargs
// quoting rules, numbers follow Redis's string2ll/memtoull/strtoll quirks, and
// the texts returned by [Config.Set] and [Config.Rewrite] are the exact Redis
// error replies (without the leading '-'), so the server can send them as they
// are. Every directive redis-server 7.0.15 knows is in the table, including the
// ones Vireo only stores (TLS, cluster, defrag knobs ...), so clients that read
// or write them see what they see on Redis. Vireo adds set-max-listpack-entries
// and set-max-listpack-value (Redis 7.2), vireo-shards and vireo-gogc.
//
// The API in short: [Load] (or [Default]) builds a *[Config]; [Config.Get],
// [Config.Set] / [Config.SetWith] and [Config.Rewrite] implement CONFIG GET,
// SET and REWRITE and return [*ReplyError] values holding Redis's exact
// reply texts; [Config.OnChange], [Config.OnAnyChange] and [Config.OnApply]
// let the server react to CONFIG SET; [Lookup] tells whether a parameter is
// sensitive (for redaction), protected or mutable. CONFIG RESETSTAT touches
// no configuration and is the server's alone.
//
// Two Redis behaviours are changed on purpose. Vireo never changes its
// working directory: `dir` is stored as an absolute path and relative file
// names (dbfilename, logfile, pidfile ...) are meant to be resolved against
// it with [Settings.ResolvePath], which gives what Redis's chdir gives.
// And CONFIG GET lists matches in argument and table order, where Redis
// uses the random order of its hash table.
//
// A few directives are refused when loading: `daemonize yes`, rename-command,
// loadmodule (and module configs), sentinel. `user` lines are kept verbatim in
// [Settings.Users] for the ACL code and written back by CONFIG REWRITE.
//
// # Concurrency
//
// A *Config embeds [Settings], so the values are plain typed fields
// (c.Port, c.Bind, c.Maxmemory ...). The rule is:
//
//   - Before the Config is shared (between Load and starting the listeners)
//     the fields may be read and written directly.
//   - Once connections run, CONFIG SET may change them at any time. Read them
//     then through [Config.Snapshot] (a copy taken under the read lock) or
//     [Config.View]; change them only through [Config.Set] or
//     [Config.Update]. A struct copy is cheap, but not for every command:
//     values needed on hot paths (hz, maxmemory, timeouts, listpack limits,
//     notify-keyspace-events ...) should be copied by the server into atomics
//     from [Config.OnChange] hooks, which run after every CONFIG SET that
//     changed the named parameter.
//   - Slices in Settings (Bind, Save, Users ...) are never modified in place:
//     a change stores a new slice, so a slice read from a snapshot stays valid.
//     Callers must not modify them either.
//
// Set and Rewrite are serialised by an internal mutex; hooks run while it is
// held (and without the value lock), so a hook may read the Config but must
// not call Set.
package config
