package server

import "testing"

// BenchmarkDispatchGet measures the dispatcher path of a GET hit (no
// network): lookup, arity, locking, handler, reply, statistics.
func BenchmarkDispatchGet(b *testing.B) {
	c := newTestClient(b)
	c.do("SET key value")
	args := [][]byte{[]byte("GET"), []byte("key")}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.c.out = c.c.out[:0]
		c.c.run(args)
	}
}

// BenchmarkDispatchSet measures a SET overwrite through the dispatcher.
func BenchmarkDispatchSet(b *testing.B) {
	c := newTestClient(b)
	args := [][]byte{[]byte("SET"), []byte("key"), []byte("value")}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.c.out = c.c.out[:0]
		c.c.run(args)
	}
}

// BenchmarkDispatchSetReplicated is BenchmarkDispatchSet on a primary whose
// backlog is a sink of the stream (a replica connected once): the write
// path also stores the client's write offset (Ctx.woff).
func BenchmarkDispatchSetReplicated(b *testing.B) {
	c := newTestClient(b)
	s := c.srv
	s.ks.LockAll()
	s.ensureBacklogSinkLocked()
	s.repl.backlog.Create()
	s.ks.UnlockAll()
	args := [][]byte{[]byte("SET"), []byte("key"), []byte("value")}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.c.out = c.c.out[:0]
		c.c.run(args)
	}
}
