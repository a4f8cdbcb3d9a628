package geo

// Redis's coordinate limits (geohash.h). Latitudes stop at the Web Mercator
// limit, so a cell is square in EPSG:3785.
const (
	StepMax = 26 // bits per coordinate in a stored score (52 in all)
	LatMin  = -85.05112878
	LatMax  = 85.05112878
	LongMin = -180.0
	LongMax = 180.0
)

// Range is a closed coordinate interval.
type Range struct{ Min, Max float64 }

// Hash is a geohash of Step bits per coordinate: longitude in the odd bits,
// latitude in the even ones.
type Hash struct {
	Bits uint64
	Step uint8
}

// IsZero reports the "no cell" value Redis uses for discarded neighbours.
func (h Hash) IsZero() bool { return h.Bits == 0 && h.Step == 0 }

// Area is a cell's extent.
type Area struct {
	Hash      Hash
	Longitude Range
	Latitude  Range
}

// Neighbors are the eight cells around a hash.
type Neighbors struct {
	North, East, West, South                   Hash
	NorthEast, SouthEast, NorthWest, SouthWest Hash
}

// WGS84 ranges are the ones scores are encoded in.
var (
	LongRange = Range{LongMin, LongMax}
	LatRange  = Range{LatMin, LatMax}
)

// interleave64 spreads x into the even bits and y into the odd bits.
func interleave64(xlo, ylo uint32) uint64 {
	b := [...]uint64{0x5555555555555555, 0x3333333333333333, 0x0F0F0F0F0F0F0F0F,
		0x00FF00FF00FF00FF, 0x0000FFFF0000FFFF}
	s := [...]uint{1, 2, 4, 8, 16}
	x, y := uint64(xlo), uint64(ylo)
	for i := 4; i >= 0; i-- {
		x = (x | (x << s[i])) & b[i]
		y = (y | (y << s[i])) & b[i]
	}
	return x | (y << 1)
}

// deinterleave64 undoes interleave64: even bits to the low word, odd bits to
// the high word.
func deinterleave64(v uint64) uint64 {
	b := [...]uint64{0x5555555555555555, 0x3333333333333333, 0x0F0F0F0F0F0F0F0F,
		0x00FF00FF00FF00FF, 0x0000FFFF0000FFFF, 0x00000000FFFFFFFF}
	s := [...]uint{0, 1, 2, 4, 8, 16}
	x, y := v, v>>1
	for i := 0; i < 6; i++ {
		x = (x | (x >> s[i])) & b[i]
		y = (y | (y >> s[i])) & b[i]
	}
	return x | (y << 32)
}

// cUint32 is C's (uint32_t) conversion of a non-negative double below 2^32
// as compiled on x86-64: truncation toward zero.
func cUint32(v float64) uint32 {
	if v <= 0 || v != v {
		return 0
	}
	if v >= 1<<32 {
		return uint32(uint64(v))
	}
	return uint32(v)
}

// Encode is geohashEncode: ok is false outside the Redis limits or the
// given ranges, or for a step of 0 or above 32.
func Encode(longRange, latRange Range, longitude, latitude float64, step uint8) (Hash, bool) {
	if step > 32 || step == 0 || (latRange.Min == 0 && latRange.Max == 0) || (longRange.Min == 0 && longRange.Max == 0) {
		return Hash{}, false
	}
	if longitude > LongMax || longitude < LongMin || latitude > LatMax || latitude < LatMin {
		return Hash{}, false
	}
	if latitude < latRange.Min || latitude > latRange.Max || longitude < longRange.Min || longitude > longRange.Max {
		return Hash{Step: step}, false
	}
	latOffset := (latitude - latRange.Min) / (latRange.Max - latRange.Min)
	longOffset := (longitude - longRange.Min) / (longRange.Max - longRange.Min)
	latOffset *= float64(uint64(1) << step)
	longOffset *= float64(uint64(1) << step)
	return Hash{Bits: interleave64(cUint32(latOffset), cUint32(longOffset)), Step: step}, true
}

// EncodeWGS84 encodes in the ranges scores use.
func EncodeWGS84(longitude, latitude float64, step uint8) (Hash, bool) {
	return Encode(LongRange, LatRange, longitude, latitude, step)
}

// Decode is geohashDecode: the cell h stands for.
func Decode(longRange, latRange Range, h Hash) (Area, bool) {
	if h.IsZero() || (latRange.Min == 0 && latRange.Max == 0) || (longRange.Min == 0 && longRange.Max == 0) {
		return Area{}, false
	}
	sep := deinterleave64(h.Bits)
	latScale := latRange.Max - latRange.Min
	longScale := longRange.Max - longRange.Min
	ilato := uint32(sep)
	ilono := uint32(sep >> 32)
	div := float64(uint64(1) << h.Step)
	// ilato+1 wraps in uint32 as it does in C.
	return Area{
		Hash: h,
		Latitude: Range{
			latRange.Min + (float64(ilato)*1.0/div)*latScale,
			latRange.Min + (float64(ilato+1)*1.0/div)*latScale,
		},
		Longitude: Range{
			longRange.Min + (float64(ilono)*1.0/div)*longScale,
			longRange.Min + (float64(ilono+1)*1.0/div)*longScale,
		},
	}, true
}

// Center is geohashDecodeAreaToLongLat: the cell's centre, clamped to the
// limits.
func (a Area) Center() (longitude, latitude float64) {
	longitude = (a.Longitude.Min + a.Longitude.Max) / 2
	longitude = min(max(longitude, LongMin), LongMax)
	latitude = (a.Latitude.Min + a.Latitude.Max) / 2
	latitude = min(max(latitude, LatMin), LatMax)
	return longitude, latitude
}

// ScoreBits is C's (uint64_t) conversion of a score as x86-64 gcc compiles
// it (cvttsd2si for values below 2^63, offset by 2^63 above): what Redis's
// decodeGeohash makes of any score a plain ZADD may have stored.
func ScoreBits(score float64) uint64 {
	const two63 = 9223372036854775808.0
	const indefinite = uint64(1) << 63 // cvttsd2si's answer out of range
	if score < two63 {
		if score <= -two63 {
			return indefinite
		}
		return uint64(int64(score))
	}
	// NaN lands here too, as the comparison is false in C as well.
	d := score - two63
	if d != d || d >= two63 {
		return indefinite ^ (1 << 63)
	}
	return uint64(int64(d)) ^ (1 << 63)
}

// DecodeScore is Redis's decodeGeohash: the position a member's score
// stands for, as the centre of its step-26 cell.
func DecodeScore(score float64) (longitude, latitude float64, ok bool) {
	a, ok := Decode(LongRange, LatRange, Hash{Bits: ScoreBits(score), Step: StepMax})
	if !ok {
		return 0, 0, false
	}
	longitude, latitude = a.Center()
	return longitude, latitude, true
}

// Align52 is geohashAlign52Bits: h shifted to a 52-bit score prefix.
func Align52(h Hash) uint64 { return h.Bits << (52 - uint(h.Step)*2) }

// Score is the sorted set score GEOADD stores for a position already
// checked against the limits.
func Score(longitude, latitude float64) uint64 {
	h, _ := EncodeWGS84(longitude, latitude, StepMax)
	return Align52(h)
}

// moveX moves h one cell east (d > 0) or west (d < 0), wrapping.
func moveX(h *Hash, d int) {
	if d == 0 {
		return
	}
	x := h.Bits & 0xaaaaaaaaaaaaaaaa
	y := h.Bits & 0x5555555555555555
	zz := uint64(0x5555555555555555) >> (64 - uint(h.Step)*2)
	if d > 0 {
		x = x + (zz + 1)
	} else {
		x = x | zz
		x = x - (zz + 1)
	}
	x &= uint64(0xaaaaaaaaaaaaaaaa) >> (64 - uint(h.Step)*2)
	h.Bits = x | y
}

// moveY moves h one cell north (d > 0) or south (d < 0), wrapping.
func moveY(h *Hash, d int) {
	if d == 0 {
		return
	}
	x := h.Bits & 0xaaaaaaaaaaaaaaaa
	y := h.Bits & 0x5555555555555555
	zz := uint64(0xaaaaaaaaaaaaaaaa) >> (64 - uint(h.Step)*2)
	if d > 0 {
		y = y + (zz + 1)
	} else {
		y = y | zz
		y = y - (zz + 1)
	}
	y &= uint64(0x5555555555555555) >> (64 - uint(h.Step)*2)
	h.Bits = x | y
}

// NeighborsOf is geohashNeighbors.
func NeighborsOf(h Hash) Neighbors {
	n := Neighbors{h, h, h, h, h, h, h, h}
	moveX(&n.East, 1)
	moveX(&n.West, -1)
	moveY(&n.South, -1)
	moveY(&n.North, 1)
	moveX(&n.NorthWest, -1)
	moveY(&n.NorthWest, 1)
	moveX(&n.SouthWest, -1)
	moveY(&n.SouthWest, -1)
	moveX(&n.NorthEast, 1)
	moveY(&n.NorthEast, 1)
	moveX(&n.SouthEast, 1)
	moveY(&n.SouthEast, -1)
	return n
}

// geoAlphabet is the standard geohash base32 alphabet.
const geoAlphabet = "0123456789bcdefghjkmnpqrstuvwxyz"

// String11 is GEOHASH's reply for a score: the position re-encoded in the
// standard [-90, 90] latitude range, as 11 base32 characters (the last is
// always '0': only 52 bits exist). ok is false when the score does not
// decode.
func String11(score float64) (s [11]byte, ok bool) {
	lon, lat, ok := DecodeScore(score)
	if !ok {
		return s, false
	}
	h, _ := Encode(Range{-180, 180}, Range{-90, 90}, lon, lat, StepMax)
	for i := range 11 {
		idx := uint64(0)
		if i != 10 {
			idx = (h.Bits >> (52 - uint(i+1)*5)) & 0x1f
		}
		s[i] = geoAlphabet[idx]
	}
	return s, true
}
