package hll

// The string format, the hash and the operations PFADD, PFCOUNT, PFMERGE
// and PFDEBUG are made of. Names and steps follow Redis's hyperloglog.c so
// the two can be read side by side.

import (
	"encoding/binary"
	"errors"
	"math/bits"
)

const (
	precision     = 14                    // HLL_P: index bits
	q             = 64 - precision        // HLL_Q: bits left for the zero run
	RegisterCount = 1 << precision        // HLL_REGISTERS
	registerBits  = 6                     // HLL_BITS
	registerMax   = 1<<registerBits - 1   // HLL_REGISTER_MAX
	HeaderSize    = 16                    // HLL_HDR_SIZE: magic, encoding, 3 unused, cached cardinality
	DenseSize     = HeaderSize + denseLen // HLL_DENSE_SIZE: the exact length of a dense HLL
	denseLen      = (RegisterCount*registerBits + 7) / 8

	// Encodings, the header's fifth byte.
	Dense  byte = 0
	Sparse byte = 1

	// DefaultSparseMaxBytes is hll-sparse-max-bytes' default: a sparse HLL
	// that would grow past it is converted to dense.
	DefaultSparseMaxBytes = 3000

	hashSeed = 0xadc83b19

	// Sparse opcodes: ZERO 00xxxxxx, XZERO 01xxxxxx yyyyyyyy, VAL 1vvvvvxx.
	xzeroBit    = 0x40
	valBit      = 0x80
	valMaxValue = 32
	valMaxLen   = 4
	zeroMaxLen  = 64
	xzeroMaxLen = 16384

	cacheInvalidBit = 0x80 // in the cardinality's most significant byte
)

// ErrCorrupt reports an HLL whose sparse representation does not describe
// exactly RegisterCount registers (Redis's INVALIDOBJ).
var ErrCorrupt = errors.New("hll: corrupted HLL object")

// Hash is Redis's MurmurHash64A with the HLL seed, reading the input as
// little-endian words on every architecture.
func Hash(key []byte) uint64 {
	const m = 0xc6a4a7935bd1e995
	const r = 47
	h := uint64(hashSeed) ^ uint64(len(key))*m
	for len(key) >= 8 {
		k := binary.LittleEndian.Uint64(key)
		k *= m
		k ^= k >> r
		k *= m
		h ^= k
		h *= m
		key = key[8:]
	}
	if len(key) > 0 {
		for i := len(key) - 1; i >= 0; i-- {
			h ^= uint64(key[i]) << (8 * uint(i))
		}
		h *= m
	}
	h ^= h >> r
	h *= m
	h ^= h >> r
	return h
}

// patLen is hllPatLen: the register an element maps to and the length of
// the 000..1 pattern that follows the index bits (1 to q+1).
func patLen(ele []byte) (index int, count uint8) {
	h := Hash(ele)
	index = int(h & (RegisterCount - 1))
	h >>= precision
	h |= 1 << q // the loop in Redis stops here at the latest
	return index, uint8(bits.TrailingZeros64(h)) + 1
}

// New returns an empty HLL as Redis's createHLLObject builds it: sparse,
// one XZERO opcode covering every register, cached cardinality 0 (valid).
func New() []byte {
	s := make([]byte, HeaderSize+2, HeaderSize+32)
	copy(s, "HYLL")
	s[4] = Sparse
	setXZero(s[HeaderSize:], xzeroMaxLen)
	return s
}

// IsValid is isHLLObjectOrReply's check of a string value: the magic, a
// known encoding, and the exact length of a dense HLL. A sparse body is
// checked only when it is read.
func IsValid(s []byte) bool {
	if len(s) < HeaderSize || string(s[:4]) != "HYLL" {
		return false
	}
	switch s[4] {
	case Dense:
		return len(s) == DenseSize
	case Sparse:
		return true
	}
	return false
}

// Encoding returns the header's encoding byte (Dense or Sparse).
func Encoding(s []byte) byte { return s[4] }

// CachedCard returns the cached cardinality and whether it is valid.
func CachedCard(s []byte) (card uint64, valid bool) {
	return binary.LittleEndian.Uint64(s[8:HeaderSize]), s[15]&cacheInvalidBit == 0
}

// SetCachedCard stores card as the valid cached cardinality.
func SetCachedCard(s []byte, card uint64) { binary.LittleEndian.PutUint64(s[8:HeaderSize], card) }

// InvalidateCache marks the cached cardinality stale (HLL_INVALIDATE_CACHE).
func InvalidateCache(s []byte) { s[15] |= cacheInvalidBit }

// ---- Dense registers ------------------------------------------------------

// getRegister reads dense register i: 6 bits packed from each byte's least
// significant bit up. Redis reads one byte past the last register (the sds
// terminator); that byte never contributes, so it is skipped here.
func getRegister(regs []byte, i int) uint8 {
	b := i * registerBits / 8
	fb := uint(i * registerBits & 7)
	v := uint(regs[b]) >> fb
	if b+1 < len(regs) {
		v |= uint(regs[b+1]) << (8 - fb)
	}
	return uint8(v & registerMax)
}

// setRegister writes dense register i.
func setRegister(regs []byte, i int, val uint8) {
	b := i * registerBits / 8
	fb := uint(i * registerBits & 7)
	v := uint(val)
	regs[b] &^= byte(registerMax << fb)
	regs[b] |= byte(v << fb)
	if b+1 < len(regs) {
		regs[b+1] &^= byte(registerMax >> (8 - fb))
		regs[b+1] |= byte(v >> (8 - fb))
	}
}

// denseSet is hllDenseSet: raise register index to count if it is lower.
func denseSet(regs []byte, index int, count uint8) bool {
	if count > getRegister(regs, index) {
		setRegister(regs, index, count)
		return true
	}
	return false
}

// ---- Sparse opcodes -------------------------------------------------------

func isZero(op byte) bool  { return op&0xc0 == 0 }
func isXZero(op byte) bool { return op&0xc0 == xzeroBit }
func isVal(op byte) bool   { return op&valBit != 0 }

func zeroLen(op byte) int  { return int(op&0x3f) + 1 }
func valValue(op byte) int { return int(op>>2&0x1f) + 1 }
func valLen(op byte) int   { return int(op&3) + 1 }

// xzeroLen reads the XZERO opcode at s[p]. An XZERO cut off by the end of
// the string reads its second byte as 0, as Redis reads the sds terminator.
func xzeroLen(s []byte, p int) int {
	var lo byte
	if p+1 < len(s) {
		lo = s[p+1]
	}
	return (int(s[p]&0x3f)<<8 | int(lo)) + 1
}

func valOp(val, n int) byte { return byte((val-1)<<2|(n-1)) | valBit }

func setXZero(dst []byte, n int) {
	dst[0] = byte((n-1)>>8) | xzeroBit
	dst[1] = byte((n - 1) & 0xff)
}

// appendZeros appends the shortest opcode for a run of n zero registers.
func appendZeros(dst []byte, n int) []byte {
	if n > zeroMaxLen {
		return append(dst, byte((n-1)>>8)|xzeroBit, byte((n-1)&0xff))
	}
	return append(dst, byte(n-1))
}

// ToDense is hllSparseToDense: the dense form of s (s itself when already
// dense), keeping the header's magic, unused bytes and cached cardinality.
func ToDense(s []byte) ([]byte, error) {
	if len(s) < HeaderSize {
		return s, ErrCorrupt
	}
	if s[4] == Dense {
		return s, nil
	}
	d := make([]byte, DenseSize)
	copy(d, s[:HeaderSize])
	d[4] = Dense
	regs := d[HeaderSize:]
	idx := 0
	for p := HeaderSize; p < len(s); {
		op := s[p]
		switch {
		case isZero(op):
			idx += zeroLen(op)
			p++
		case isXZero(op):
			idx += xzeroLen(s, p)
			p += 2
		default:
			n, v := valLen(op), uint8(valValue(op))
			if n+idx > RegisterCount {
				return s, ErrCorrupt // Redis breaks out and finds idx wrong
			}
			for ; n > 0; n-- {
				setRegister(regs, idx, v)
				idx++
			}
			p++
		}
	}
	if idx != RegisterCount {
		return s, ErrCorrupt
	}
	return d, nil
}

// sparseSet is hllSparseSet: raise register index to count in the sparse
// form, splitting and merging opcodes exactly as Redis does, or promote to
// dense when count does not fit a VAL opcode or the string would grow past
// maxBytes. It returns the (possibly moved) string and whether a register
// changed; ErrCorrupt when the opcodes do not reach the register.
func sparseSet(s []byte, index int, count uint8, maxBytes int) ([]byte, bool, error) {
	if count > valMaxValue {
		return promote(s, index, count)
	}

	// Step 1: find the opcode covering index.
	end := len(s)
	p, prev := HeaderSize, -1
	first, span := 0, 0
	for p < end {
		oplen := 1
		op := s[p]
		switch {
		case isZero(op):
			span = zeroLen(op)
		case isVal(op):
			span = valLen(op)
		default:
			span = xzeroLen(s, p)
			oplen = 2
		}
		if index <= first+span-1 {
			break
		}
		prev = p
		p += oplen
		first += span
	}
	if span == 0 || p >= end {
		return s, false, ErrCorrupt
	}

	op := s[p]
	var runlen, oldlen int
	switch {
	case isZero(op):
		runlen, oldlen = zeroLen(op), 1
	case isXZero(op):
		runlen, oldlen = xzeroLen(s, p), 2
	default:
		runlen, oldlen = valLen(op), 1
	}

	// Step 2: the trivial cases update one byte in place.
	switch {
	case isVal(op) && valValue(op) >= int(count):
		return s, false, nil
	case isVal(op) && runlen == 1, isZero(op) && runlen == 1:
		s[p] = valOp(int(count), 1)
		return mergeAdjacent(s, prev), true, nil
	}

	// The general case: split the opcode into up to three.
	var seqBuf [5]byte
	seq := seqBuf[:0]
	last := first + span - 1
	if isVal(op) {
		cur := valValue(op)
		if index != first {
			seq = append(seq, valOp(cur, index-first))
		}
		seq = append(seq, valOp(int(count), 1))
		if index != last {
			seq = append(seq, valOp(cur, last-index))
		}
	} else {
		if index != first {
			seq = appendZeros(seq, index-first)
		}
		seq = append(seq, valOp(int(count), 1))
		if index != last {
			seq = appendZeros(seq, last-index)
		}
	}

	// Step 3: put the new sequence in place of the old opcode.
	delta := len(seq) - oldlen
	if delta > 0 && len(s)+delta > maxBytes {
		return promote(s, index, count)
	}
	s = splice(s, p, oldlen, seq)
	return mergeAdjacent(s, prev), true, nil
}

// splice replaces the oldlen bytes at p with seq, the way Redis's memmove,
// sdsIncrLen and memcpy do: the length changes by exactly len(seq)-oldlen
// even when the old opcode was an XZERO cut off by the end of the string
// (then the new sequence's last byte falls off the end, as in Redis).
//
// Known difference in that corrupt case: Redis's memcpy writes the lost
// byte over the sds terminator, and later reads of a cut XZERO at the end
// see it; here they see 0. The string's bytes are the same either way.
func splice(s []byte, p, oldlen int, seq []byte) []byte {
	oldEnd := len(s)
	delta := len(seq) - oldlen
	tail := min(p+oldlen, oldEnd)
	if delta > 0 {
		s = append(s, seq[:delta]...) // grow; the bytes are overwritten below
	}
	if to := p + len(seq); to <= len(s) { // past the end only when the tail is empty
		copy(s[to:], s[tail:oldEnd])
	}
	s = s[:oldEnd+delta]
	copy(s[p:], seq)
	return s
}

// mergeAdjacent is Step 4 of hllSparseSet: from the opcode before the
// changed one, scan up to five opcodes and merge neighbouring VAL opcodes
// of the same value while the run fits; then invalidate the cache.
func mergeAdjacent(s []byte, prev int) []byte {
	p := prev
	if p < 0 {
		p = HeaderSize
	}
	end := len(s)
	for scan := 5; p < end && scan > 0; {
		scan--
		op := s[p]
		if isXZero(op) {
			p += 2
			continue
		}
		if isZero(op) {
			p++
			continue
		}
		if p+1 < end && isVal(s[p+1]) {
			v := valValue(op)
			if n := valLen(op) + valLen(s[p+1]); v == valValue(s[p+1]) && n <= valMaxLen {
				s[p+1] = valOp(v, n)
				copy(s[p:], s[p+1:end])
				end--
				s = s[:end]
				continue // try the merged opcode with its right neighbour
			}
		}
		p++
	}
	InvalidateCache(s)
	return s
}

// promote converts s to dense and sets the register there.
func promote(s []byte, index int, count uint8) ([]byte, bool, error) {
	d, err := ToDense(s)
	if err != nil {
		return s, false, err
	}
	return d, denseSet(d[HeaderSize:], index, count), nil
}

// set raises register index to count in either encoding (hllDenseSet or
// hllSparseSet by the current encoding).
func set(s []byte, index int, count uint8, maxBytes int) ([]byte, bool, error) {
	switch {
	case len(s) == DenseSize && s[4] == Dense:
		return s, denseSet(s[HeaderSize:], index, count), nil
	case len(s) >= HeaderSize && s[4] == Sparse:
		return sparseSet(s, index, count, maxBytes)
	}
	return s, false, ErrCorrupt
}

// Add is hllAdd: it hashes ele and raises its register. It returns the HLL
// (a new slice when it grew or was promoted to dense, which happens when a
// sparse HLL would exceed maxBytes) and whether a register changed. It
// does not invalidate the cached cardinality when only the dense form
// changed; the caller does that once per command, as PFADD does.
func Add(s, ele []byte, maxBytes int) ([]byte, bool, error) {
	index, count := patLen(ele)
	return set(s, index, count, maxBytes)
}
