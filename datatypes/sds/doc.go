// Package sds reproduces the few routines of Redis's sds string library
// whose exact behaviour users see: sdssplitargs, which splits inline
// requests, redis.conf lines and CONFIG arguments with Redis's quoting
// rules. Both the RESP reader (server) and the config parser use it, so a
// line is split the same way wherever it comes from.
//
// It imports only the standard library.
package sds
