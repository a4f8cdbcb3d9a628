package differential

import "strconv"

// Geo commands, mostly on keys of their own: GEOADD of random points (some clustered
// so searches find several, some at the limits), GEOPOS/GEODIST/GEOHASH, and
// every search form with random shapes and options, wrong ones included.
// The keys also hold sorted sets with arbitrary scores from the zset
// generators and values of other types, so odd scores and WRONGTYPE come
// free. STOREDIST is left to geo.txt: its %.17g distances may differ from
// glibc's libm in the last ulp for far points.
func init() {
	Register("geo",
		Generator{Command: "GEOADD", Weight: 14, Make: genGeoAdd},
		Generator{Command: "GEOPOS", Weight: 2, Make: func(g *Gen) []string {
			return append([]string{"GEOPOS", g.geoKey()}, g.geoMembers(g.R.IntN(4))...)
		}},
		Generator{Command: "GEODIST", Weight: 2, Make: func(g *Gen) []string {
			args := append([]string{"GEODIST", g.geoKey()}, g.geoMembers(2)...)
			if g.Maybe(0.6) {
				args = append(args, g.geoUnit())
			}
			return args
		}},
		Generator{Command: "GEOHASH", Weight: 2, Make: func(g *Gen) []string {
			return append([]string{"GEOHASH", g.geoKey()}, g.geoMembers(g.R.IntN(4))...)
		}},
		Generator{Command: "GEOSEARCH", Weight: 4, Make: func(g *Gen) []string { return g.geoSearch("GEOSEARCH", false) }},
		Generator{Command: "GEOSEARCHSTORE", Weight: 2, Make: func(g *Gen) []string { return g.geoSearch("GEOSEARCHSTORE", true) }},
		Generator{Command: "GEORADIUS", Weight: 2, Make: func(g *Gen) []string {
			lon, lat := g.geoPoint()
			args := []string{g.Pick("GEORADIUS", "GEORADIUS_RO"), g.geoKey(), lon, lat, g.geoSize(), g.geoUnit()}
			return g.geoRadiusOptions(args, args[0] == "GEORADIUS")
		}},
		Generator{Command: "GEORADIUSBYMEMBER", Weight: 2, Make: func(g *Gen) []string {
			args := []string{g.Pick("GEORADIUSBYMEMBER", "GEORADIUSBYMEMBER_RO"), g.geoKey(), g.geoMember(), g.geoSize(), g.geoUnit()}
			return g.geoRadiusOptions(args, args[0] == "GEORADIUSBYMEMBER")
		}},
	)
}

// geoKey returns mostly one of a few keys only geo commands write, so
// searches find members, and sometimes a shared key (other types, sorted
// sets with arbitrary scores).
func (g *Gen) geoKey() string {
	if g.Maybe(0.8) {
		return "geo" + strconv.Itoa(g.R.IntN(2))
	}
	return g.Key()
}

// geoMember returns a member name from a small pool, so commands meet
// members that exist.
func (g *Gen) geoMember() string { return "g" + strconv.Itoa(g.R.IntN(60)) }

func (g *Gen) geoMembers(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = g.geoMember()
	}
	return out
}

// geoPoint returns a longitude and a latitude: mostly around a few centres
// (Sicily, the antimeridian, near a pole), sometimes anywhere, sometimes at
// or past the limits, sometimes not a number.
func (g *Gen) geoPoint() (string, string) {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }
	switch {
	case g.Maybe(0.03):
		return g.Pick("180", "-180", "181", "foo", "0"), g.Pick("85.05112878", "-85.05112878", "85.06", "-90", "bar", "0")
	case g.Maybe(0.15):
		return f(g.R.Float64()*360 - 180), f(g.R.Float64()*170 - 85)
	}
	centres := [][2]float64{{13.36, 38.11}, {179.9, 10}, {-179.9, 10}, {20, 84}}
	c := centres[g.R.IntN(len(centres))]
	lon := c[0] + (g.R.Float64()-0.5)*2
	return f(min(max(lon, -180), 180)), f(c[1] + (g.R.Float64()-0.5)*2)
}

func (g *Gen) geoUnit() string { return g.Pick("km", "km", "mi", "km", "m", "ft", "KM", "M", "yd") }

// geoSize returns a radius, width or height: mostly reasonable, sometimes
// zero, negative, huge or not a number.
func (g *Gen) geoSize() string {
	switch {
	case g.Maybe(0.04):
		return g.Pick("0", "-1", "foo", "1e10", "inf")
	case g.Maybe(0.5):
		return strconv.Itoa(1 + g.R.IntN(500))
	}
	return strconv.Itoa(1000 + g.R.IntN(500000))
}

// genGeoAdd: GEOADD key [NX|XX] [CH] lon lat member ...
func genGeoAdd(g *Gen) []string {
	args := []string{"GEOADD", g.geoKey()}
	if g.Maybe(0.2) {
		args = append(args, g.Pick("NX", "XX", "CH", "nx", "NX", "XX CH"))
		if args[len(args)-1] == "XX CH" {
			args = append(args[:len(args)-1], "XX", "CH")
		}
	}
	n := 1 + g.R.IntN(12)
	for range n {
		lon, lat := g.geoPoint()
		args = append(args, lon, lat, g.geoMember())
	}
	if g.Maybe(0.03) {
		args = args[:len(args)-1]
	}
	return args
}

// geoCommonOptions appends WITH*, COUNT [ANY] and ASC/DESC in random order.
func (g *Gen) geoCommonOptions(args []string, with bool) []string {
	for range g.R.IntN(4) {
		switch g.R.IntN(5) {
		case 0:
			if with {
				args = append(args, g.Pick("WITHDIST", "WITHCOORD", "WITHHASH", "withdist"))
			}
		case 1:
			args = append(args, "COUNT", g.Pick("1", "3", "10", "0", "-1", "x"))
			if g.Maybe(0.3) {
				args = append(args, "ANY")
			}
		case 2:
			args = append(args, g.Pick("ASC", "DESC", "asc"))
		case 3:
			if g.Maybe(0.2) {
				args = append(args, g.Pick("ANY", "bogus", "COUNT"))
			}
		default:
			args = append(args, "WITHDIST")
		}
	}
	return args
}

// geoRadiusOptions adds the GEORADIUS options, STORE where allowed.
func (g *Gen) geoRadiusOptions(args []string, store bool) []string {
	args = g.geoCommonOptions(args, g.Maybe(0.7))
	if store && g.Maybe(0.3) || g.Maybe(0.03) {
		args = append(args, "STORE", g.geoKey())
	}
	return args
}

// geoSearch builds GEOSEARCH or GEOSEARCHSTORE with its FROM and BY parts
// in random order, and now and then one missing or doubled.
func (g *Gen) geoSearch(cmd string, store bool) []string {
	args := []string{cmd}
	if store {
		args = append(args, g.geoKey())
	}
	args = append(args, g.geoKey())
	var from, by []string
	if g.Maybe(0.5) {
		from = []string{"FROMMEMBER", g.geoMember()}
	} else {
		lon, lat := g.geoPoint()
		from = []string{"FROMLONLAT", lon, lat}
	}
	if g.Maybe(0.5) {
		by = []string{"BYRADIUS", g.geoSize(), g.geoUnit()}
	} else {
		by = []string{"BYBOX", g.geoSize(), g.geoSize(), g.geoUnit()}
	}
	switch g.R.IntN(12) {
	case 0:
		from = nil
	case 1:
		by = nil
	case 2:
		args = append(args, by...)
	}
	if g.Maybe(0.5) {
		args = append(append(args, from...), by...)
	} else {
		args = append(append(args, by...), from...)
	}
	return g.geoCommonOptions(args, !store || g.Maybe(0.05))
}
