package replication

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestParsePSyncReply(t *testing.T) {
	id := strings.Repeat("f", 40)
	tests := []struct {
		line string
		want PSyncReply
		bad  bool
	}{
		{line: "+FULLRESYNC " + id + " 42", want: PSyncReply{Kind: PSyncFull, ReplID: id, Offset: 42}},
		{line: "+CONTINUE", want: PSyncReply{Kind: PSyncContinue}},
		{line: "+CONTINUE " + id, want: PSyncReply{Kind: PSyncContinue, ReplID: id}},
		{line: "-NOMASTERLINK Can't SYNC while not connected with my master", want: PSyncReply{Kind: PSyncTryLater}},
		{line: "-LOADING Redis is loading the dataset in memory", want: PSyncReply{Kind: PSyncTryLater}},
		{line: "-ERR unknown command 'PSYNC'", want: PSyncReply{Kind: PSyncNotSupported}},
		{line: "+FULLRESYNC short 1", bad: true},
		{line: "+FULLRESYNC " + id + " -5", bad: true},
		{line: "+FULLRESYNC " + id, bad: true},
		{line: "+CONTINUE nope", bad: true},
		{line: "+OK", bad: true},
	}
	for _, tc := range tests {
		got, err := ParsePSyncReply(tc.line)
		if tc.bad {
			if err == nil {
				t.Errorf("%q: no error", tc.line)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q = %+v, %v; want %+v", tc.line, got, err, tc.want)
		}
	}
}

func TestParsePayloadHeader(t *testing.T) {
	if n, m, err := ParsePayloadHeader("$123"); n != 123 || m != nil || err != nil {
		t.Fatalf("$123 = %d %q %v", n, m, err)
	}
	mark := strings.Repeat("x", 40)
	if n, m, err := ParsePayloadHeader("$EOF:" + mark); n != -1 || string(m) != mark || err != nil {
		t.Fatalf("$EOF = %d %q %v", n, m, err)
	}
	for _, bad := range []string{"", "+OK", "$-1", "$abc", "$EOF:short"} {
		if _, _, err := ParsePayloadHeader(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestCommandReader(t *testing.T) {
	in := "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n"
	cr := NewCommandReader(bufio.NewReader(strings.NewReader(in)))
	argv, n, err := cr.Read()
	if err != nil || n != 23 || string(argv[0]) != "SELECT" || string(argv[1]) != "0" {
		t.Fatalf("first = %q %d %v", argv, n, err)
	}
	argv, n, err = cr.Read()
	if err != nil || n != int64(len(in)-23) || len(argv) != 3 || len(argv[2]) != 0 {
		t.Fatalf("second = %q %d %v", argv, n, err)
	}
	if _, _, err := cr.Read(); err != io.EOF {
		t.Fatalf("end = %v", err)
	}
	for _, bad := range []string{"*1\r\n$3\r\nab", "*1\r\n:3\r\n", "*x\r\n", "*1\r\n$3\r\nabcd\r\n", "*1\n"} {
		if _, _, err := NewCommandReader(bufio.NewReader(strings.NewReader(bad))).Read(); err == nil || err == io.EOF {
			t.Errorf("%q: err %v", bad, err)
		}
	}
}

func TestEOFReaderStopsAtMark(t *testing.T) {
	mark := strings.Repeat("m", 39) + "M"
	payload := strings.Repeat("REDIS-payload-", 5000)
	after := "*1\r\n$4\r\nPING\r\n"
	// A tiny bufio buffer makes the mark straddle reads.
	for _, size := range []int{16, 64, 4096} {
		r := bufio.NewReaderSize(strings.NewReader(payload+mark+after), size)
		got, err := io.ReadAll(newEOFReader(r, []byte(mark)))
		if err != nil || string(got) != payload {
			t.Fatalf("size %d: payload %d bytes, err %v", size, len(got), err)
		}
		rest, _ := io.ReadAll(r)
		if string(rest) != after {
			t.Fatalf("size %d: after the mark %q", size, rest)
		}
	}
	r := bufio.NewReader(strings.NewReader("truncated"))
	if _, err := io.ReadAll(newEOFReader(r, []byte(mark))); err != io.ErrUnexpectedEOF {
		t.Fatalf("truncated payload: %v", err)
	}
}

// FuzzProtocol feeds arbitrary primary output to every parser a replica
// runs: none may panic, and a parsed command's byte count never exceeds
// the input.
func FuzzProtocol(f *testing.F) {
	f.Add([]byte("+FULLRESYNC " + strings.Repeat("a", 40) + " 0"))
	f.Add([]byte("+CONTINUE " + strings.Repeat("b", 40)))
	f.Add([]byte("$EOF:" + strings.Repeat("c", 40)))
	f.Add([]byte("$12"))
	f.Add([]byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*1\r\n$4\r\nPING\r\n"))
	f.Add([]byte("*1\r\n$-1\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ParsePSyncReply(string(data))
		ParsePayloadHeader(string(data))
		cr := NewCommandReader(bufio.NewReaderSize(bytes.NewReader(data), 64))
		cr.MaxBulk = 1 << 16
		var total int64
		for i := 0; i < 100; i++ {
			_, n, err := cr.Read()
			total += n
			if err != nil {
				break
			}
		}
		if total > int64(len(data)) {
			t.Fatalf("read %d bytes of %d", total, len(data))
		}
		io.ReadAll(newEOFReader(bufio.NewReaderSize(bytes.NewReader(data), 16), []byte(strings.Repeat("c", 40))))
	})
}
