package hll

import (
	"bytes"
	"testing"
)

// FuzzSparse feeds arbitrary sparse bodies (as SET or SETRANGE can write
// them) to every operation: none may panic; the ones that validate must
// agree on whether the body is valid; a valid body must give the same
// registers and count through every path; Add and WriteTo must keep a
// valid body valid.
func FuzzSparse(f *testing.F) {
	f.Add([]byte("\x7f\xff"), []byte("a"), uint16(3000))
	f.Add([]byte("\x40\x00"), []byte("x"), uint16(3000))
	f.Add([]byte("\x7f\xff\x7f\xff"), []byte("x"), uint16(3000))
	f.Add([]byte("\x45\x25\x80\x79\x25\x84\x41\xb1"), []byte("e7"), uint16(20))
	f.Add([]byte("\x45\x25\x80\x79\x25\x84\x41"), []byte("zz"), uint16(3000)) // XZERO cut off
	f.Add([]byte("\xff\xff\xff\xff\x7f"), []byte("q"), uint16(0))
	f.Add([]byte("\x3f\x3f\x3f\x8c\x8d\x7f\x00"), []byte("hello"), uint16(3000))
	f.Fuzz(func(t *testing.T, body, ele []byte, maxBytes uint16) {
		s := append([]byte("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"), body...)
		orig := bytes.Clone(s)

		_ = Decode(s)
		card, countErr := Count(s)
		var m Max
		mergeErr := m.Merge(s)
		d, denseErr := ToDense(bytes.Clone(s))
		if (countErr == nil) != (mergeErr == nil) || (countErr == nil) != (denseErr == nil) {
			t.Fatalf("validity disagrees: count %v merge %v todense %v", countErr, mergeErr, denseErr)
		}
		if !bytes.Equal(s, orig) {
			t.Fatal("a read changed the value")
		}
		if countErr == nil {
			if m.Count() != card {
				t.Fatalf("raw count %d, sparse count %d", m.Count(), card)
			}
			if dc, err := Count(d); err != nil || dc != card {
				t.Fatalf("dense count %d (%v), sparse %d", dc, err, card)
			}
			if regs, _ := DenseRegisters(d); !bytes.Equal(regs, m[:]) {
				t.Fatal("dense registers differ from merged ones")
			}
		}

		added, _, addErr := Add(bytes.Clone(s), ele, int(maxBytes))
		// A body ending in an XZERO cut in half reads its missing byte as
		// 0 (Redis's sds terminator) and can be valid; splitting that
		// opcode loses a byte in Redis too, so the result may not be.
		if countErr == nil && !endsInCutXZero(s) {
			if addErr != nil {
				t.Fatalf("Add on a valid HLL: %v", addErr)
			}
			var want Max = m
			i, c := patLen(ele)
			want[i] = max(want[i], c)
			var got Max
			if err := got.Merge(added); err != nil {
				t.Fatalf("Add made the HLL invalid: %v", err)
			}
			if got != want {
				t.Fatal("Add: registers differ from the model")
			}
			out := m.WriteTo(bytes.Clone(s), int(maxBytes))
			var back Max
			if err := back.Merge(out); err != nil || back != m {
				t.Fatalf("WriteTo onto itself changed the registers (%v)", err)
			}
		}
		if addErr == nil && len(added) >= HeaderSize {
			_, _ = Count(added)
		}
		_ = m.WriteTo(bytes.Clone(s), int(maxBytes))
	})
}

// endsInCutXZero reports whether the last opcode of s is an XZERO missing
// its second byte.
func endsInCutXZero(s []byte) bool {
	p := HeaderSize
	for p < len(s) {
		if isXZero(s[p]) {
			if p+1 == len(s) {
				return true
			}
			p += 2
		} else {
			p++
		}
	}
	return false
}
