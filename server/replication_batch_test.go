package server

import (
	"bufio"
	"bytes"
	"errors"
	"testing"
)

type brokenWriter struct{}

func (brokenWriter) Write(p []byte) (int, error) { return 0, errors.New("broken pipe") }

// A replica whose socket fails drops out of a shared payload; the others
// get all of it; the write fails only when none is left.
func TestFanoutWriterSkipsFailedReplicas(t *testing.T) {
	var good bytes.Buffer
	f := &fanoutWriter{
		ws:     []*bufio.Writer{bufio.NewWriterSize(brokenWriter{}, 16), bufio.NewWriterSize(&good, 16)},
		failed: make([]bool, 2),
	}
	payload := bytes.Repeat([]byte("0123456789"), 10)
	for i := 0; i < len(payload); i += 7 {
		if _, err := f.Write(payload[i:min(i+7, len(payload))]); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	f.ws[1].Flush()
	if !f.failed[0] || f.failed[1] || !bytes.Equal(good.Bytes(), payload) {
		t.Fatalf("failed %v, good replica got %q", f.failed, good.Bytes())
	}
	f.failed[1] = true
	if _, err := f.Write([]byte("x")); !errors.Is(err, errAllReplicasGone) {
		t.Fatalf("write with every replica gone: %v", err)
	}
}
