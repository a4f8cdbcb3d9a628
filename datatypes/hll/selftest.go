package hll

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
)

// SelfTest is PFSELFTEST: it checks the 6-bit register packing against a
// byte array over 1000 rounds of random values, then adds ten million
// distinct elements to a dense and a sparse HLL side by side, checking at
// every power of ten that the sparse one stayed sparse while small, that
// both estimate the same and that the error stays within six standard
// errors. The error, when not nil, is Redis's "TESTFAILED ..." text.
func SelfTest(sparseMaxBytes int, rnd *rand.Rand) error {
	return selfTest(sparseMaxBytes, rnd, 1000, 10_000_000)
}

func selfTest(sparseMaxBytes int, rnd *rand.Rand, cycles int, elements uint64) error {
	dense := make([]byte, DenseSize)
	copy(dense, "HYLL")
	regs := dense[HeaderSize:]
	var want [RegisterCount]uint8

	// Test 1: registers keep their values and leave their neighbours alone.
	for range cycles {
		for i := range want {
			want[i] = uint8(rnd.Uint32() & registerMax)
			setRegister(regs, i, want[i])
		}
		for i := range want {
			if got := getRegister(regs, i); got != want[i] {
				return fmt.Errorf("TESTFAILED Register %d should be %d but is %d", i, want[i], got)
			}
		}
	}

	// Test 2: approximation error, dense and sparse together.
	clear(regs)
	sparse := New()
	relerr := 1.04 / math.Sqrt(RegisterCount)
	checkpoint := uint64(1)
	seed := rnd.Uint64()
	var ele [8]byte
	for j := uint64(1); j <= elements; j++ {
		binary.LittleEndian.PutUint64(ele[:], j^seed)
		index, count := patLen(ele[:])
		denseSet(regs, index, count)
		sparse, _, _ = set(sparse, index, count, sparseMaxBytes)
		if j != checkpoint {
			continue
		}
		if j < uint64(sparseMaxBytes/2) && sparse[4] != Sparse {
			return fmt.Errorf("TESTFAILED sparse encoding not used")
		}
		denseCard, _ := Count(dense)
		sparseCard, err := Count(sparse)
		if err != nil || denseCard != sparseCard {
			return fmt.Errorf("TESTFAILED dense/sparse disagree")
		}
		abserr := int64(checkpoint) - int64(denseCard)
		maxerr := uint64(math.Ceil(relerr * 6 * float64(checkpoint)))
		if j == 10 {
			// Collisions make a larger error likely now and then at 10.
			maxerr = 1
		}
		if abserr < 0 {
			abserr = -abserr
		}
		if abserr > int64(maxerr) {
			return fmt.Errorf("TESTFAILED Too big error. card:%d abserr:%d", checkpoint, abserr)
		}
		checkpoint *= 10
	}
	return nil
}
