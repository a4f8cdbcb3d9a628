package harness

import (
	"fmt"
	"strings"
	"testing"
)

// fatalRecorder is a testing.TB whose Fatalf records the message and
// unwinds with a panic instead of failing the real test.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(f.msg)
}

func (f *fatalRecorder) Helper() {}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
