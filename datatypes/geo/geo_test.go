package geo

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// Values below were read from redis-server 7.0.15 (GEOADD then ZSCORE,
// GEOPOS, GEOHASH, GEODIST).
func TestScoresAndPositionsMatchRedis(t *testing.T) {
	cases := []struct {
		lon, lat       float64
		score          uint64
		posLon, posLat string
		hash           string
	}{
		{13.361389, 38.115556, 3479099956230698, "13.36138933897018433", "38.11555639549629859", "sqc8b49rny0"},
		{15.087269, 37.502669, 3479447370796909, "15.08726745843887329", "37.50266842333162032", "sqdtr74hyu0"},
		{1, 1, 3377822707026402, "", "", ""},
	}
	for _, c := range cases {
		got := Score(c.lon, c.lat)
		if got != c.score {
			t.Errorf("Score(%v, %v) = %d, want %d", c.lon, c.lat, got, c.score)
		}
		if c.posLon == "" {
			continue
		}
		lon, lat, ok := DecodeScore(float64(got))
		if !ok {
			t.Fatalf("DecodeScore(%d) failed", got)
		}
		if s := human(lon); s != c.posLon {
			t.Errorf("longitude %s, want %s", s, c.posLon)
		}
		if s := human(lat); s != c.posLat {
			t.Errorf("latitude %s, want %s", s, c.posLat)
		}
		h, ok := String11(float64(got))
		if !ok || string(h[:]) != c.hash {
			t.Errorf("String11 = %q, want %q", h[:], c.hash)
		}
	}
}

// human is addReplyHumanLongDouble's text, as the server writes it.
func human(v float64) string {
	s := strconv.FormatFloat(v, 'f', 17, 64)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

func TestDistanceMatchesRedis(t *testing.T) {
	lon1, lat1, _ := DecodeScore(3479099956230698)
	lon2, lat2, _ := DecodeScore(3479447370796909)
	for _, c := range []struct {
		conv float64
		want string
	}{{1, "166274.1516"}, {1000, "166.2742"}, {1609.34, "103.3182"}, {0.3048, "545518.8700"}} {
		got := strconv.FormatFloat(Distance(lon1, lat1, lon2, lat2)/c.conv, 'f', 4, 64)
		if got != c.want {
			t.Errorf("distance / %v = %s, want %s", c.conv, got, c.want)
		}
	}
	if d := Distance(10, 20, 10, 20); d != 0 {
		t.Errorf("distance to itself = %v", d)
	}
}

func TestScoreBitsIsX86Conversion(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want uint64
	}{{0, 0}, {-1, math.MaxUint64}, {1e300, 0}, {math.NaN(), 0}, {math.Inf(-1), 1 << 63},
		{4503599627370496, 4503599627370496}, {1 << 63, 1 << 63}, {-9.3e18, 1 << 63}} {
		if got := ScoreBits(c.in); got != c.want {
			t.Errorf("ScoreBits(%v) = %#x, want %#x", c.in, got, c.want)
		}
	}
}

// Every encoded point lies in the cell its hash decodes to, at every step,
// and moving a cell east then west (north then south) returns to it.
func TestEncodeDecodeAndNeighborsProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		lon := r.Float64()*360 - 180
		lat := r.Float64()*2*LatMax - LatMax
		step := uint8(1 + r.IntN(StepMax))
		h, ok := EncodeWGS84(lon, lat, step)
		if !ok {
			t.Fatalf("EncodeWGS84(%v, %v, %d) failed", lon, lat, step)
		}
		a, ok := Decode(LongRange, LatRange, h)
		if !ok {
			t.Fatal("Decode failed")
		}
		const eps = 1e-9
		if lon < a.Longitude.Min-eps || lon > a.Longitude.Max+eps || lat < a.Latitude.Min-eps || lat > a.Latitude.Max+eps {
			t.Fatalf("(%v, %v) outside its cell %+v", lon, lat, a)
		}
		n := NeighborsOf(h)
		back := n.East
		moveX(&back, -1)
		if back != h {
			t.Fatalf("east then west: %+v != %+v", back, h)
		}
		back = n.North
		moveY(&back, -1)
		if back != h {
			t.Fatalf("north then south: %+v != %+v", back, h)
		}
		if step == StepMax {
			dl, dt, _ := DecodeScore(float64(Align52(h)))
			if math.Abs(dl-lon) > 1e-5 || math.Abs(dt-lat) > 1e-5 {
				t.Fatalf("decoded (%v, %v) far from (%v, %v)", dl, dt, lon, lat)
			}
		}
	}
	if _, ok := EncodeWGS84(180.1, 0, StepMax); ok {
		t.Error("longitude 180.1 encoded")
	}
	if _, ok := EncodeWGS84(0, 85.06, StepMax); ok {
		t.Error("latitude 85.06 encoded")
	}
}

func TestEstimateSteps(t *testing.T) {
	for _, c := range []struct {
		r, lat float64
		want   uint8
	}{{0, 0, 26}, {1, 0, 24}, {1000, 0, 14}, {1000, 70, 13}, {1000, 85, 12}, {5e7, 0, 1}} {
		if got := EstimateSteps(c.r, c.lat); got != c.want {
			t.Errorf("EstimateSteps(%v, %v) = %d, want %d", c.r, c.lat, got, c.want)
		}
	}
}

// A point inside a search shape is always inside one of its cells.
func TestSearchCellsCoverTheShape(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 3000 {
		s := Shape{Longitude: r.Float64()*360 - 180, Latitude: r.Float64()*170 - 85, Conversion: 1}
		if r.IntN(2) == 0 {
			s.Radius = math.Exp(r.Float64() * 15)
		} else {
			s.Box, s.Width, s.Height = true, math.Exp(r.Float64()*15), math.Exp(r.Float64()*15)
		}
		cells := s.SearchCells()
		for range 20 {
			lon := s.Longitude + (r.Float64()-0.5)*0.2
			lat := s.Latitude + (r.Float64()-0.5)*0.2
			if lon < LongMin || lon > LongMax || lat < LatMin || lat > LatMax {
				continue
			}
			score := Score(lon, lat)
			plon, plat, _ := DecodeScore(float64(score))
			if _, in := s.Contains(plon, plat); !in {
				continue
			}
			found := false
			for _, c := range cells {
				lo, hi := ScoreRange(c)
				if !c.IsZero() && score >= lo && score < hi {
					found = true
				}
			}
			if !found {
				t.Fatalf("shape %+v: point (%v, %v) in no cell", s, lon, lat)
			}
		}
	}
}

func FuzzDecodeScore(f *testing.F) {
	for _, v := range []float64{0, -1, 1e300, 3479099956230698, 4503599627370495, math.Inf(1)} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, score float64) {
		lon, lat, ok := DecodeScore(score)
		if !ok {
			t.Fatal("step-26 hashes always decode")
		}
		if lon < LongMin || lon > LongMax || lat < LatMin || lat > LatMax {
			t.Fatalf("(%v, %v) outside the limits", lon, lat)
		}
		String11(score)
	})
}

func FuzzSearchCells(f *testing.F) {
	f.Add(13.0, 38.0, 100.0, 0.0, false)
	f.Add(179.99, 85.0, 1e7, 1e7, true)
	f.Add(-180.0, -85.05112878, 0.0, 0.0, true)
	f.Fuzz(func(t *testing.T, lon, lat, a, b float64, box bool) {
		if !(lon >= LongMin && lon <= LongMax && lat >= LatMin && lat <= LatMax) || !(a >= 0) || !(b >= 0) {
			return
		}
		s := Shape{Longitude: lon, Latitude: lat, Radius: a, Box: box, Width: a, Height: b, Conversion: 1}
		cells := s.SearchCells()
		if cells[0].IsZero() {
			t.Fatal("the centre cell is never dropped")
		}
		s.Contains(lon, lat)
	})
}
