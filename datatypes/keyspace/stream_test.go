package keyspace

import "testing"

type recordSink struct{ got []byte }

func (r *recordSink) Write(p []byte) { r.got = append(r.got, p...) }

func TestStreamSelectsAndOffsets(t *testing.T) {
	var s Stream
	s.Propagate(0, []byte("SET"), []byte("a"), []byte("1")) // nobody listens: dropped
	if s.Active() || s.Offset() != 0 {
		t.Fatalf("inactive stream: active=%v offset=%d", s.Active(), s.Offset())
	}
	var r recordSink
	s.AddSink(&r)
	s.Propagate(0, []byte("SET"), []byte("a"), []byte("1"))
	s.Propagate(0, []byte("DEL"), []byte("a"))
	s.Propagate(2, []byte("INCR"), []byte("n"))
	want := "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n" +
		"*2\r\n$3\r\nDEL\r\n$1\r\na\r\n" +
		"*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n"
	if string(r.got) != want {
		t.Fatalf("stream =\n%q\nwant\n%q", r.got, want)
	}
	if s.Offset() != int64(len(want)) {
		t.Fatalf("offset %d, want %d", s.Offset(), len(want))
	}
	// Same database again after ResetDB: the SELECT is repeated.
	r.got = nil
	s.ResetDB()
	s.Propagate(2, []byte("INCR"), []byte("n"))
	if want := "*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n"; string(r.got) != want {
		t.Fatalf("after ResetDB: %q, want %q", r.got, want)
	}
	s.RemoveSink(&r)
	if s.Active() {
		t.Fatal("stream still active without sinks")
	}
}
