// Package differential runs the same commands against Vireo and the real
// redis-server and compares the raw reply bytes: the reference server is the
// oracle. It owns the script format of testdata/*.txt, the reply
// normalisations a script may ask for, the runner that drives both servers
// in lockstep, the minimiser that shrinks a failing script to a short
// reproduction, and the table of random command generators (one gen_*.go
// file per command family).
//
// Script format, one item per line:
//
//	SET k "a\x00b" 'it''s'   a command in redis-cli quoting ("..." with \x
//	                         escapes, '...'); blank lines are ignored
//	# comment                a line starting with #
//	!sleep 1100              sleep 1100 ms
//	!conn 2                  switch to client connection 2 (the script starts
//	                         on 1); connections open lazily on both servers
//	!resp3 / !resp2          send HELLO 3 / HELLO 2 on the current connection
//	                         (any HELLO reply, this one or a HELLO command's,
//	                         is compared with server, version and id masked)
//	!raw "PING\r\n"          send bytes as they are, compare the one reply
//	!read                    send nothing, compare the next pending reply on the
//	                         current connection (a subscriber's message, the
//	                         second confirmation of SUBSCRIBE a b)
//	!skip-compare            the next command runs on both, replies not compared
//	!unordered               the next reply is compared as multisets: the
//	                         elements of every aggregate are sorted (KEYS, SCAN)
//	!ttl                     in the next reply positive integers compare equal
//	                         (TTL/PTTL/EXPIRETIME values differ by the clock)
//
// The package is test support: it imports tests/harness, never a Vireo
// package, and nothing but the tests in this directory imports it.
package differential
