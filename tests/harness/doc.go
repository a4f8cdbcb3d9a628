// Package harness starts real server processes for end-to-end and
// differential tests: the Vireo binary (built once per test binary from
// cmd/vireo-server, or taken from $VIREO_BIN) and the reference redis-server.
//
// It owns process lifetime (free loopback port, temp dir, readiness by PING,
// SIGTERM/SIGKILL on cleanup, failing the test when a server panicked or died
// unexpectedly), go-redis clients bound to a server, and RawConn, a
// connection that speaks raw RESP and reads exactly one reply as bytes so
// callers can compare replies byte for byte.
//
// harness is test support only: nothing outside tests/ may import it, and it
// must not import any Vireo package — it talks to the servers over the wire,
// exactly as a client would.
package harness
