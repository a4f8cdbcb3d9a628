// Package e2e holds end-to-end tests that run the built vireo-server binary
// and talk to it with real clients: go-redis v9 (RESP3 and RESP2) and
// redis-cli (arguments, --pipe mass insertion, commands on stdin, with the
// output compared to what redis-cli prints against the real redis-server).
//
// Only tests live here (package e2e_test); this file exists to document the
// package. It imports tests/harness and no Vireo package.
package e2e
