package geo

import "math"

// Redis computes distances with glibc's sin, cos and asin, which return the
// correctly rounded result; Go's math functions are off by an ulp or two
// now and then, which shows in the %.17g scores GEOSEARCHSTORE STOREDIST
// writes. These versions evaluate in double-double arithmetic (about 106
// bits) and round once, so they agree with glibc except in astronomically
// rare hard-to-round cases.

// dd is an unevaluated sum hi + lo with |lo| <= ulp(hi)/2.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, float64(a-float64(s-bb)) + float64(b-bb)}
}

func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - float64(s-a)}
}

func twoProd(a, b float64) dd {
	p := a * b
	return dd{p, math.FMA(a, b, -p)}
}

func ddAdd(a, b dd) dd {
	s := twoSum(a.hi, b.hi)
	t := twoSum(a.lo, b.lo)
	s.lo += t.hi
	s = quickTwoSum(s.hi, s.lo)
	s.lo += t.lo
	return quickTwoSum(s.hi, s.lo)
}

func ddMul(a, b dd) dd {
	p := twoProd(a.hi, b.hi)
	p.lo += float64(a.hi*b.lo) + float64(a.lo*b.hi)
	return quickTwoSum(p.hi, p.lo)
}

// ddDivF divides a by the double b.
func ddDivF(a dd, b float64) dd {
	q1 := a.hi / b
	r := ddAdd(a, dd{-twoProd(q1, b).hi, -twoProd(q1, b).lo})
	q2 := r.hi / b
	r = ddAdd(r, dd{-twoProd(q2, b).hi, -twoProd(q2, b).lo})
	q3 := r.hi / b
	return ddAdd(quickTwoSum(q1, q2), dd{q3, 0})
}

// ddSinCos returns sin(x) and cos(x) for |x| <= 4 by their Taylor series.
func ddSinCos(x float64) (s, c dd) {
	x2 := twoProd(x, x)
	term := dd{x, 0} // x^n / n!, n odd for sin
	s = term
	c = dd{1, 0}
	cterm := dd{1, 0}
	for n := 1; n < 60; n++ {
		// cos term: (-1)^n x^(2n) / (2n)!
		cterm = ddMul(cterm, x2)
		cterm = ddDivF(cterm, float64((2*n-1)*(2*n)))
		cterm = dd{-cterm.hi, -cterm.lo}
		c = ddAdd(c, cterm)
		// sin term: (-1)^n x^(2n+1) / (2n+1)!
		term = ddMul(term, x2)
		term = ddDivF(term, float64((2*n)*(2*n+1)))
		term = dd{-term.hi, -term.lo}
		s = ddAdd(s, term)
		if math.Abs(term.hi) < 1e-36 && math.Abs(cterm.hi) < 1e-36 {
			break
		}
	}
	return s, c
}

// crSin is sin(x) correctly rounded.
func crSin(x float64) float64 {
	if math.Abs(x) > 4 || x == 0 || x != x {
		return math.Sin(x)
	}
	s, _ := ddSinCos(x)
	return s.hi + s.lo
}

// crCos is cos(x) correctly rounded.
func crCos(x float64) float64 {
	if math.Abs(x) > 4 || x != x {
		return math.Cos(x)
	}
	_, c := ddSinCos(x)
	return c.hi + c.lo
}

// crAsin is asin(v) correctly rounded, for v in [0, 1]: one Newton step in
// double-double from Go's estimate.
func crAsin(v float64) float64 {
	if v <= 0 || v >= 1 || v != v {
		return math.Asin(v)
	}
	y := math.Asin(v)
	s, c := ddSinCos(y)
	diff := ddAdd(s, dd{-v, 0})
	cosy := c.hi + c.lo
	corr := ddDivF(diff, cosy)
	r := ddAdd(dd{y, 0}, dd{-corr.hi, -corr.lo})
	return r.hi + r.lo
}
