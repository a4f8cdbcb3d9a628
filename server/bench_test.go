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
