// Package scripts is Vireo's Lua scripting engine: a gopher-lua state with
// Redis's sandbox (protected globals, the base/table/string/math subset and
// the cjson, cmsgpack, bit and struct libraries), the redis.* API, the
// EVAL script cache and FUNCTION libraries, and the conversions between
// RESP replies and Lua values exactly as Redis 7 does them.
//
// The engine never runs a command itself: scripts call commands through the
// Executor interface that the server implements, and get the command's RESP
// reply back, which the engine parses (as Redis parses its fake client's
// output buffer). The value a script returns is written back as RESP.
//
// It must not import server, persistence, replication or cluster: the server
// imports it, never the other way round.
package scripts
