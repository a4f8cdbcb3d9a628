// Command fanout measures Pub/Sub fan-out on Vireo and redis-server side by
// side: many subscriber connections (SUBSCRIBE over a few channels, plus
// PSUBSCRIBE ch:* pattern subscribers) and one pipelined publisher. The
// figure is delivered messages per second: every message every subscriber
// received, divided by the time from the first PUBLISH to the last message
// read. Every subscriber must receive exactly the messages of its channel;
// a short or long count fails the run.
//
// It starts no server: tests/bench/bench.sh starts both, pinned, and runs
// it on the client CPUs (its fanout part), or run it by hand:
//
//	go run ./tests/bench/fanout -vireo 127.0.0.1:6380 -redis 127.0.0.1:6379
//
// Servers alternate within each round (which goes first alternates too) and
// the median of the rounds is printed. It speaks raw RESP with a minimal
// frame reader, one goroutine per subscriber, so the client costs as little
// as it can. Like everything under tests/, it imports no Vireo package.
package main
