package hll

// Cardinality estimation (hllCount with Ertl's estimator), the register
// array PFCOUNT and PFMERGE merge into, and the PFDEBUG views.

import (
	"math"
	"strconv"
	"strings"
)

// alphaInf is HLL_ALPHA_INF, 0.5/ln(2).
const alphaInf = 0.721347520444481703680

// histogram counts the registers of each value. 64 slots: a corrupt dense
// HLL may hold any 6-bit value, which lands in a slot the estimator ignores,
// as in Redis.
type histogram [64]int

// denseHisto is hllDenseRegHisto.
func denseHisto(regs []byte, h *histogram) {
	for r := regs; len(r) >= 12; r = r[12:] {
		// 16 registers in 12 bytes.
		for k := 0; k < 12; k += 3 {
			b0, b1, b2 := r[k], r[k+1], r[k+2]
			h[b0&63]++
			h[(b0>>6|b1<<2)&63]++
			h[(b1>>4|b2<<4)&63]++
			h[(b2>>2)&63]++
		}
	}
}

// sparseHisto is hllSparseRegHisto; it reports whether the opcodes cover
// exactly RegisterCount registers.
func sparseHisto(s []byte, h *histogram) bool {
	idx := 0
	for p := HeaderSize; p < len(s); {
		op := s[p]
		switch {
		case isZero(op):
			n := zeroLen(op)
			idx += n
			h[0] += n
			p++
		case isXZero(op):
			n := xzeroLen(s, p)
			idx += n
			h[0] += n
			p += 2
		default:
			n := valLen(op)
			idx += n
			h[valValue(op)] += n
			p++
		}
	}
	return idx == RegisterCount
}

// sigma is hllSigma (Ertl, "New cardinality estimation algorithms for
// HyperLogLog sketches", arXiv:1702.01284). The explicit float64
// conversions keep the compiler from fusing multiply-adds, so every step
// rounds as Redis's C does.
func sigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x *= x
		zPrime := z
		z += float64(x * y)
		y += y
		if zPrime == z {
			return z
		}
	}
}

// tau is hllTau (same paper).
func tau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for {
		x = math.Sqrt(x)
		zPrime := z
		y *= 0.5
		d := 1 - x
		z -= float64(float64(d*d) * y)
		if zPrime == z {
			return z / 3
		}
	}
}

// estimate turns a register histogram into a cardinality, step for step as
// Redis 7's hllCount.
func estimate(h *histogram) uint64 {
	m := float64(RegisterCount)
	z := m * tau((m-float64(h[q+1]))/m)
	for j := q; j >= 1; j-- {
		z += float64(h[j])
		z *= 0.5
	}
	z += float64(m * sigma(float64(h[0])/m))
	// llroundl rounds half away from zero; out of range (only corrupt
	// registers get there, with z = 0 giving +Inf) it yields LLONG_MIN,
	// which Redis turns back into 1<<63 and replies as a negative number.
	e := math.Round(alphaInf * m * m / z)
	if !(e < 1<<63) {
		return 1 << 63
	}
	return uint64(e)
}

// Count computes the cardinality from the registers (ignoring the cache).
func Count(s []byte) (uint64, error) {
	var h histogram
	switch {
	case len(s) == DenseSize && s[4] == Dense:
		denseHisto(s[HeaderSize:], &h)
	case len(s) >= HeaderSize && s[4] == Sparse:
		if !sparseHisto(s, &h) {
			return 0, ErrCorrupt
		}
	default:
		return 0, ErrCorrupt
	}
	return estimate(&h), nil
}

// Max is a plain array of registers (Redis's HLL_RAW), the target PFCOUNT
// with several keys and PFMERGE merge their inputs into.
type Max [RegisterCount]uint8

// Merge is hllMerge: m[i] = max(m[i], register i of s). ErrCorrupt when a
// sparse s does not cover exactly RegisterCount registers (m may then be
// partly merged, which does not matter: the command fails).
func (m *Max) Merge(s []byte) error {
	switch {
	case len(s) == DenseSize && s[4] == Dense:
		regs := s[HeaderSize:]
		for i := range m {
			if v := getRegister(regs, i); v > m[i] {
				m[i] = v
			}
		}
		return nil
	case len(s) < HeaderSize || s[4] != Sparse:
		return ErrCorrupt
	}
	i := 0
	for p := HeaderSize; p < len(s); {
		op := s[p]
		switch {
		case isZero(op):
			i += zeroLen(op)
			p++
		case isXZero(op):
			i += xzeroLen(s, p)
			p += 2
		default:
			n, v := valLen(op), uint8(valValue(op))
			if n+i > RegisterCount {
				return ErrCorrupt
			}
			for ; n > 0; n-- {
				if v > m[i] {
					m[i] = v
				}
				i++
			}
			p++
		}
	}
	if i != RegisterCount {
		return ErrCorrupt
	}
	return nil
}

// Count is hllCount of the raw registers.
func (m *Max) Count() uint64 {
	var h histogram
	for _, v := range m {
		h[v&63]++
	}
	return estimate(&h)
}

// WriteTo stores the registers into the HLL s as PFMERGE does: each
// non-zero register raised in index order through the current encoding
// (so a sparse s may be promoted part way, exactly where Redis promotes
// it), then the cache invalidated. It returns the possibly moved HLL.
func (m *Max) WriteTo(s []byte, maxBytes int) []byte {
	for i, v := range m {
		if v == 0 {
			continue
		}
		s, _, _ = set(s, i, v, maxBytes) // Redis ignores the result too
	}
	if len(s) >= HeaderSize {
		InvalidateCache(s)
	}
	return s
}

// DenseRegisters returns the register values of a dense HLL (PFDEBUG
// GETREG converts to dense first).
func DenseRegisters(s []byte) ([]uint8, error) {
	if len(s) != DenseSize || s[4] != Dense {
		return nil, ErrCorrupt
	}
	out := make([]uint8, RegisterCount)
	for i := range out {
		out[i] = getRegister(s[HeaderSize:], i)
	}
	return out, nil
}

// Decode is PFDEBUG DECODE's text for a sparse HLL: its opcodes as
// "z:len", "Z:len" and "v:value,len", space separated. Like Redis it
// decodes whatever bytes are there without validating them.
func Decode(s []byte) string {
	var b strings.Builder
	for p := HeaderSize; p < len(s); {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		op := s[p]
		switch {
		case isZero(op):
			b.WriteString("z:")
			b.WriteString(strconv.Itoa(zeroLen(op)))
			p++
		case isXZero(op):
			b.WriteString("Z:")
			b.WriteString(strconv.Itoa(xzeroLen(s, p)))
			p += 2
		default:
			b.WriteString("v:")
			b.WriteString(strconv.Itoa(valValue(op)))
			b.WriteByte(',')
			b.WriteString(strconv.Itoa(valLen(op)))
			p++
		}
	}
	return b.String()
}
