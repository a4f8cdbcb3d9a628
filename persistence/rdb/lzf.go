package rdb

import (
	"errors"
	"math"
	"sync"
)

// LZF: a port of the liblzf 3.6 that Redis 7 bundles (src/lzf_c.c,
// src/lzf_d.c, src/lzfP.h) with Redis's settings: HLOG 16, VERY_FAST 1,
// ULTRA_FAST 0, CHECK_INPUT 1, INIT_HTAB 0. The compressor must produce
// exactly Redis's bytes, so the code follows the C control flow step by
// step, including its quirks:
//   - a back reference never points at the first input byte (ref > in_data);
//   - match lengths are extended as the C loop does (unrolled part included)
//     and never reach the last two input bytes;
//   - after a match only the last two positions are re-hashed (VERY_FAST);
//   - the "room for a back reference" test is liblzf's two-step one.
//
// liblzf leaves its hash table uninitialised (INIT_HTAB 0): a slot hit for
// the first time in a call holds stack garbage, read as an input offset. We
// start from an empty table instead, and the output is still the same,
// because garbage can never produce a match: a match needs an earlier
// position g holding the same three bytes T as the current one; the earliest
// occurrence of T is always hashed (positions skipped inside a match are
// copies of earlier ones), so T's slot was already overwritten before this
// position and the garbage is gone. (Hash collisions only make a slot's first
// hit earlier.) The differential tests confirm it against redis-server.
//
// Compressed format:
//
//	000LLLLL <L+1 bytes>          literal run of L+1 bytes
//	LLLooooo oooooooo             back reference: length L+2, offset o+1
//	111ooooo LLLLLLLL oooooooo    back reference: length L+7+2, offset o+1

const (
	lzfHLog   = 16
	lzfHSize  = 1 << lzfHLog
	lzfMaxLit = 1 << 5
	lzfMaxOff = 1 << 13
	lzfMaxRef = (1 << 8) + (1 << 3)

	// lzfMaxExpansion bounds the output of n compressed bytes: a 3-byte back
	// reference yields at most 264 bytes. Used to reject absurd declared
	// lengths before allocating for them.
	lzfMaxExpansion = (lzfMaxRef) / 3
)

// lzfTable is the compressor's hash table of input positions. In C it is an
// uninitialised stack array whose stale entries fail the match checks; here
// an entry holds base+pos+1 and anything <= base reads as "empty", which acts
// like C's ref == in_data (also rejected). Tables are pooled and the base
// moves past each input, so a table is cleared only when the base would wrap.
type lzfTable struct {
	slot [lzfHSize]uint32
	base uint32
}

var lzfTables = sync.Pool{New: func() any { return new(lzfTable) }}

// ErrLZFOutputTooSmall and ErrLZFCorrupt are LZFDecompress's two failures
// (liblzf's E2BIG and EINVAL). Decoders report them wrapped in ErrBadFormat.
var (
	ErrLZFOutputTooSmall = errors.New("rdb: lzf: output buffer too small")
	ErrLZFCorrupt        = errors.New("rdb: lzf: corrupt input")
)

func lzfIdx(h uint32) uint32 {
	return ((h >> (3*8 - lzfHLog)) - h*5) & (lzfHSize - 1)
}

// LZFCompress compresses in into out, exactly as Redis's lzf_compress with
// out_len = len(out), and returns the number of bytes written. It returns 0
// when in is empty or the result would not fit in out (the caller then stores
// the data uncompressed).
func LZFCompress(in, out []byte) int {
	inLen, outLen := len(in), len(out)
	if inLen == 0 || outLen == 0 {
		return 0
	}
	if uint64(inLen) > math.MaxUint32 { // liblzf takes unsigned int lengths
		return 0
	}

	t := lzfTables.Get().(*lzfTable)
	defer lzfTables.Put(t)
	if uint64(t.base)+uint64(inLen)+1 > math.MaxUint32 {
		clear(t.slot[:])
		t.base = 0
	}
	base := t.base
	t.base += uint32(inLen) + 1
	// get returns the stored position, or 0 (never a valid reference) for an
	// entry from an earlier input.
	get := func(slot uint32) int {
		if v := t.slot[slot]; v > base {
			return int(v - base - 1)
		}
		return 0
	}
	put := func(slot uint32, pos int) { t.slot[slot] = base + uint32(pos) + 1 }

	ip, op := 0, 0
	lit := 0
	op++ // start run

	var hval uint32
	if inLen >= 2 {
		hval = uint32(in[0])<<8 | uint32(in[1]) // FRST
	}
	for ip < inLen-2 {
		hval = hval<<8 | uint32(in[ip+2]) // NEXT
		slot := lzfIdx(hval)
		ref := get(slot)
		put(slot, ip)

		if off := ip - ref - 1; off >= 0 && off < lzfMaxOff &&
			ref > 0 &&
			in[ref+2] == in[ip+2] && in[ref] == in[ip] && in[ref+1] == in[ip+1] {
			// Match found at ref.
			n := 2
			maxlen := inLen - ip - n
			if maxlen > lzfMaxRef {
				maxlen = lzfMaxRef
			}

			// Room for the longest back reference and the next run header?
			// (liblzf: a fast conservative test, then the exact one.)
			if op+3+1 >= outLen {
				undo := 0
				if lit == 0 {
					undo = 1
				}
				if op-undo+3+1 >= outLen {
					return 0
				}
			}

			out[op-lit-1] = byte(lit - 1) // stop run
			if lit == 0 {
				op-- // undo run if length is zero
			}

			// Extend the match as the C code does: 16 unchecked-length steps
			// when far from the end, then one step at a time up to maxlen.
			unrolledMismatch := false
			if maxlen > 16 {
				for range 16 {
					n++
					if in[ref+n] != in[ip+n] {
						unrolledMismatch = true
						break
					}
				}
			}
			if !unrolledMismatch {
				for {
					n++
					if !(n < maxlen && in[ref+n] == in[ip+n]) {
						break
					}
				}
			}

			n -= 2 // n is now #octets - 1
			ip++

			if n < 7 {
				out[op] = byte(off>>8 + n<<5)
				op++
			} else {
				out[op] = byte(off>>8 + 7<<5)
				out[op+1] = byte(n - 7)
				op += 2
			}
			out[op] = byte(off)
			op++
			lit = 0
			op++ // start run

			ip += n + 1
			if ip >= inLen-2 {
				break
			}

			// VERY_FAST: re-hash only the last two positions of the match.
			ip -= 2
			hval = uint32(in[ip])<<8 | uint32(in[ip+1])
			hval = hval<<8 | uint32(in[ip+2])
			put(lzfIdx(hval), ip)
			ip++
			hval = hval<<8 | uint32(in[ip+2])
			put(lzfIdx(hval), ip)
			ip++
		} else {
			// One more literal byte to copy.
			if op >= outLen {
				return 0
			}
			lit++
			out[op] = in[ip]
			op++
			ip++
			if lit == lzfMaxLit {
				out[op-lit-1] = byte(lit - 1) // stop run
				lit = 0
				op++ // start run
			}
		}
	}

	if op+3 > outLen { // at most 3 bytes can be missing here
		return 0
	}
	for ip < inLen {
		lit++
		out[op] = in[ip]
		op++
		ip++
		if lit == lzfMaxLit {
			out[op-lit-1] = byte(lit - 1) // stop run
			lit = 0
			op++ // start run
		}
	}
	out[op-lit-1] = byte(lit - 1) // end run
	if lit == 0 {
		op-- // undo run if length is zero
	}
	return op
}

// LZFDecompress decompresses in into out, as Redis's lzf_decompress with
// input checking on, and returns the number of bytes written. Like the C
// code it fails when the output would overflow out (ErrLZFOutputTooSmall) or
// the input is truncated or refers before the start of the output
// (ErrLZFCorrupt); a stream that decodes to fewer than len(out) bytes is not
// an error here: callers compare the count with the length they expect.
func LZFDecompress(in, out []byte) (int, error) {
	ip, op := 0, 0
	inLen, outLen := len(in), len(out)
	if inLen == 0 {
		// The C loop would read a control byte past the end; every path then
		// fails. Say so without reading.
		return 0, ErrLZFCorrupt
	}
	for {
		ctrl := int(in[ip])
		ip++
		if ctrl < 1<<5 { // literal run
			ctrl++
			if op+ctrl > outLen {
				return 0, ErrLZFOutputTooSmall
			}
			if ip+ctrl > inLen {
				return 0, ErrLZFCorrupt
			}
			copy(out[op:op+ctrl], in[ip:ip+ctrl])
			op += ctrl
			ip += ctrl
		} else { // back reference
			n := ctrl >> 5
			ref := op - (ctrl&0x1f)<<8 - 1
			if ip >= inLen {
				return 0, ErrLZFCorrupt
			}
			if n == 7 {
				n += int(in[ip])
				ip++
				if ip >= inLen {
					return 0, ErrLZFCorrupt
				}
			}
			ref -= int(in[ip])
			ip++
			n += 2
			if op+n > outLen {
				return 0, ErrLZFOutputTooSmall
			}
			if ref < 0 {
				return 0, ErrLZFCorrupt
			}
			if ref+n <= op {
				copy(out[op:op+n], out[ref:ref+n])
				op += n
			} else {
				// Overlapping reference: byte by byte repeats the pattern.
				for range n {
					out[op] = out[ref]
					op++
					ref++
				}
			}
		}
		if ip >= inLen {
			return op, nil
		}
	}
}
