// Command vireo-docgen writes docs/commands.md, the Markdown table of every
// command Vireo answers, from the live command table (server.CommandTable),
// so the README's list of supported commands cannot drift from the code.
// `make generate` (go generate) runs it; its test fails when the committed
// file differs from what it would write.
//
// It imports server and nothing else of Vireo; nothing imports it.
package main
