// Package acl is Redis 7.0's access-control model without the network: users
// (passwords as SHA-256 hex, on/off, nopass), their rules as ACL SETUSER
// parses them (command bits per command ID, categories, first-arg
// exceptions, key and channel patterns), the permission checks the
// dispatcher runs, and the rule strings ACL LIST and ACL GETUSER describe.
//
// The commands a server knows are given to it as a Catalog (IDs, full names,
// category bits, subcommands), built once by the server from its command
// table, so that a user's command permissions are a bitset computed when its
// rules change and a check is a bit test.
//
// Users are values: SETUSER applies rules to a copy and publishes the copy,
// so connections may read a user without locks while it is being changed.
//
// It imports only the standard library and datatypes/glob; it must not
// import the server, the network or the protocol.
package acl
