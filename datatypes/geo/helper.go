package geo

import "math"

// Redis's constants (geohash_helper.c).
const (
	EarthRadius = 6372797.560856 // metres: WGS-84's quadratic mean radius
	mercatorMax = 20037726.37
	degToRad    = math.Pi / 180.0
)

func degRad(ang float64) float64 { return ang * degToRad }
func radDeg(ang float64) float64 { return ang / degToRad }

// EstimateSteps is geohashEstimateStepsByRadius: the cell precision whose
// nine cells around a point cover a radius of rangeMeters at lat.
func EstimateSteps(rangeMeters, lat float64) uint8 {
	if rangeMeters == 0 {
		return 26
	}
	step := 1
	for rangeMeters < mercatorMax {
		rangeMeters *= 2
		step++
	}
	step -= 2
	if lat > 66 || lat < -66 {
		step--
		if lat > 80 || lat < -80 {
			step--
		}
	}
	return uint8(min(max(step, 1), 26))
}

// LatDistance is geohashGetLatDistance: metres between two latitudes on a
// meridian.
func LatDistance(lat1, lat2 float64) float64 {
	return EarthRadius * math.Abs(degRad(lat2)-degRad(lat1))
}

// Distance is geohashGetDistance: the haversine distance in metres.
func Distance(lon1, lat1, lon2, lat2 float64) float64 {
	lon1r := degRad(lon1)
	lon2r := degRad(lon2)
	v := crSin((lon2r - lon1r) / 2)
	if v == 0.0 {
		return LatDistance(lat1, lat2)
	}
	lat1r := degRad(lat1)
	lat2r := degRad(lat2)
	u := crSin((lat2r - lat1r) / 2)
	a := u*u + crCos(lat1r)*crCos(lat2r)*v*v
	return 2.0 * EarthRadius * crAsin(math.Sqrt(a))
}

// Shape is a search area around a centre: a circle (Radius) or, with Box
// set, a Width x Height rectangle. Sizes are in the query's unit; Conversion
// turns them into metres.
type Shape struct {
	Longitude, Latitude float64
	Box                 bool
	Radius              float64
	Width, Height       float64
	Conversion          float64
}

// BoundingBox is geohashBoundingBox: min longitude, min latitude, max
// longitude, max latitude of the shape.
func (s *Shape) BoundingBox() [4]float64 {
	height, width := s.Radius, s.Radius
	if s.Box {
		height, width = s.Height/2, s.Width/2
	}
	height *= s.Conversion
	width *= s.Conversion
	latDelta := radDeg(height / EarthRadius)
	longDeltaTop := radDeg(width / EarthRadius / crCos(degRad(s.Latitude+latDelta)))
	longDeltaBottom := radDeg(width / EarthRadius / crCos(degRad(s.Latitude-latDelta)))
	var b [4]float64
	if s.Latitude < 0 {
		b[0] = s.Longitude - longDeltaBottom
		b[2] = s.Longitude + longDeltaBottom
	} else {
		b[0] = s.Longitude - longDeltaTop
		b[2] = s.Longitude + longDeltaTop
	}
	b[1] = s.Latitude - latDelta
	b[3] = s.Latitude + latDelta
	return b
}

// Contains is Redis's geoWithinShape for a decoded position: whether it
// lies in the shape, and its distance from the centre in metres.
func (s *Shape) Contains(lon, lat float64) (dist float64, ok bool) {
	if !s.Box {
		d := Distance(s.Longitude, s.Latitude, lon, lat)
		return d, d <= s.Radius*s.Conversion
	}
	widthM, heightM := s.Width*s.Conversion, s.Height*s.Conversion
	if LatDistance(lat, s.Latitude) > heightM/2 {
		return 0, false
	}
	if Distance(lon, lat, s.Longitude, lat) > widthM/2 {
		return 0, false
	}
	return Distance(s.Longitude, s.Latitude, lon, lat), true
}

// SearchCells is geohashCalculateAreasByShapeWGS84 flattened into the
// order Redis's membersOfAllNeighbors visits the cells: the centre, then
// north, south, east, west, north-east, north-west, south-east, south-west.
// Discarded cells are zero Hashes.
func (s *Shape) SearchCells() [9]Hash {
	b := s.BoundingBox()
	minLon, minLat, maxLon, maxLat := b[0], b[1], b[2], b[3]
	radiusMeters := s.Radius
	if s.Box {
		radiusMeters = math.Sqrt((s.Width/2)*(s.Width/2) + (s.Height/2)*(s.Height/2))
	}
	radiusMeters *= s.Conversion
	steps := EstimateSteps(radiusMeters, s.Latitude)

	hash, _ := EncodeWGS84(s.Longitude, s.Latitude, steps)
	n := NeighborsOf(hash)
	area, _ := Decode(LongRange, LatRange, hash)

	north, _ := Decode(LongRange, LatRange, n.North)
	south, _ := Decode(LongRange, LatRange, n.South)
	east, _ := Decode(LongRange, LatRange, n.East)
	west, _ := Decode(LongRange, LatRange, n.West)
	decrease := north.Latitude.Max < maxLat || south.Latitude.Min > minLat ||
		east.Longitude.Max < maxLon || west.Longitude.Min > minLon
	if steps > 1 && decrease {
		steps--
		hash, _ = EncodeWGS84(s.Longitude, s.Latitude, steps)
		n = NeighborsOf(hash)
		area, _ = Decode(LongRange, LatRange, hash)
	}
	if steps >= 2 {
		if area.Latitude.Min < minLat {
			n.South, n.SouthWest, n.SouthEast = Hash{}, Hash{}, Hash{}
		}
		if area.Latitude.Max > maxLat {
			n.North, n.NorthEast, n.NorthWest = Hash{}, Hash{}, Hash{}
		}
		if area.Longitude.Min < minLon {
			n.West, n.SouthWest, n.NorthWest = Hash{}, Hash{}, Hash{}
		}
		if area.Longitude.Max > maxLon {
			n.East, n.SouthEast, n.NorthEast = Hash{}, Hash{}, Hash{}
		}
	}
	return [9]Hash{hash, n.North, n.South, n.East, n.West, n.NorthEast, n.NorthWest, n.SouthEast, n.SouthWest}
}

// ScoreRange is scoresOfGeoHashBox: the scores [min, max) of the members
// inside cell h.
func ScoreRange(h Hash) (lo, hi uint64) {
	lo = Align52(h)
	h.Bits++
	return lo, Align52(h)
}
