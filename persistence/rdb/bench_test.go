package rdb

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

func BenchmarkDumpString(b *testing.B) {
	random := make([]byte, 4096)
	r := rand.New(rand.NewPCG(1, 1))
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	for _, tc := range []struct {
		name string
		v    []byte
	}{
		{"short", []byte("hello world")},
		{"text-4KiB", bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog "), 100)[:4096]},
		{"random-4KiB", random},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.v)))
			b.ReportAllocs()
			for b.Loop() {
				DumpString(tc.v)
			}
		})
	}
}

func BenchmarkDecodeString(b *testing.B) {
	v := bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog "), 100)
	_, body, _ := ParseDump(DumpString(v))
	b.SetBytes(int64(len(v)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeStringValue(body); err != nil {
			b.Fatal(err)
		}
	}
}
