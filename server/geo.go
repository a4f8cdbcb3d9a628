package server

// Geo commands: positions kept as sorted set members whose scores are
// 52-bit geohashes (datatypes/geo), searched by scanning the score ranges of
// the nine cells around the query, as Redis's geo.c does. Replies, error
// texts and their order follow redis-server 7.0.15: coordinates are printed
// as Redis's "human" long doubles (%.17Lf, trailing zeros cut), distances as
// %.4f bulk strings in both protocols.
//
// GEOADD is ZADD underneath: it builds the ZADD argument vector, runs it,
// and propagates that ZADD, as Redis's replaceClientCommandVector does.

import (
	"slices"
	"strconv"

	"github.com/vireodb/vireo/datatypes/geo"
	"github.com/vireodb/vireo/datatypes/num"
	"github.com/vireodb/vireo/datatypes/zset"
)

func init() { familyRegistrars = append(familyRegistrars, registerGeoCommands) }

// Errors only this family sends.
const (
	errGeoUnit        = "ERR unsupported unit provided. please use M, KM, FT, MI"
	errGeoRadius      = "ERR need numeric radius"
	errGeoRadiusNeg   = "ERR radius cannot be negative"
	errGeoWidth       = "ERR need numeric width"
	errGeoHeight      = "ERR need numeric height"
	errGeoBoxNeg      = "ERR height or width cannot be negative"
	errGeoMember      = "ERR could not decode requested zset member"
	errGeoCount       = "ERR COUNT must be > 0"
	errGeoAnyCount    = "ERR the ANY argument requires COUNT argument"
	errGeoStoreRadius = "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
	errGeoStoreSearch = "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
)

// geoLonLat parses a longitude and a latitude as Redis's
// extractLongLatOrReply: both as floats first, then the range check.
func (c *Ctx) geoLonLat(lon, lat []byte) (x, y float64, ok bool) {
	if x, ok = c.floatArg(lon); !ok {
		return 0, 0, false
	}
	if y, ok = c.floatArg(lat); !ok {
		return 0, 0, false
	}
	if x < geo.LongMin || x > geo.LongMax || y < geo.LatMin || y > geo.LatMax {
		c.Error("ERR invalid longitude,latitude pair " + strconv.FormatFloat(x, 'f', 6, 64) + "," + strconv.FormatFloat(y, 'f', 6, 64))
		return 0, 0, false
	}
	return x, y, true
}

// geoUnit is extractUnitOrReply: metres per unit, or -1 (error sent).
func (c *Ctx) geoUnit(u []byte) float64 {
	switch {
	case eq(u, "m"):
		return 1
	case eq(u, "km"):
		return 1000
	case eq(u, "ft"):
		return 0.3048
	case eq(u, "mi"):
		return 1609.34
	}
	c.Error(errGeoUnit)
	return -1
}

// geoParseFloat parses b as a float or replies msg.
func (c *Ctx) geoParseFloat(b []byte, msg string) (float64, bool) {
	v, ok := num.ParseFloat(b)
	if !ok {
		c.Error(msg)
	}
	return v, ok
}

// geoHumanDouble writes v as Redis's addReplyHumanLongDouble.
func (c *Ctx) geoHumanDouble(v float64) {
	b := strconv.AppendFloat(make([]byte, 0, 40), v, 'f', 17, 64)
	for b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if b[len(b)-1] == '.' {
		b = b[:len(b)-1]
	}
	if string(b) == "-0" {
		b = b[1:]
	}
	if c.proto == 3 {
		c.out = append(c.out, ',')
		c.out = append(c.out, b...)
		c.out = append(c.out, '\r', '\n')
		return
	}
	c.Bulk(b)
}

// geoDistance writes a distance as addReplyDoubleDistance: "%.4f", always a
// bulk string.
func (c *Ctx) geoDistance(d float64) {
	c.Bulk(strconv.AppendFloat(make([]byte, 0, 32), d, 'f', 4, 64))
}

// GEOADD key [NX | XX] [CH] longitude latitude member [longitude latitude member ...]
func cmdGeoAdd(c *Ctx, args [][]byte) {
	xx, nx := false, false
	longIdx := 2
options:
	for ; longIdx < len(args); longIdx++ {
		switch a := args[longIdx]; {
		case eq(a, "nx"):
			nx = true
		case eq(a, "xx"):
			xx = true
		case eq(a, "ch"):
		default:
			break options
		}
	}
	if (len(args)-longIdx)%3 != 0 || (xx && nx) {
		c.Error(ErrSyntax)
		return
	}
	elements := (len(args) - longIdx) / 3
	zargs := make([][]byte, 0, longIdx+elements*2)
	zargs = append(zargs, []byte("zadd"))
	zargs = append(zargs, args[1:longIdx]...)
	for i := range elements {
		base := longIdx + i*3
		x, y, ok := c.geoLonLat(args[base], args[base+1])
		if !ok {
			return
		}
		zargs = append(zargs, strconv.AppendUint(nil, geo.Score(x, y), 10), args[base+2])
	}
	before := c.dirty
	zaddGeneric(c, zargs, 0)
	if c.dirty > before {
		c.Propagate(zargs...)
	}
}

// geoPosition decodes member's stored position.
func geoPosition(z *zset.ZSet, member []byte) (lon, lat float64, ok bool) {
	score, ok := z.Score(member)
	if !ok {
		return 0, 0, false
	}
	return geo.DecodeScore(score)
}

// GEOPOS key [member [member ...]]
func cmdGeoPos(c *Ctx, args [][]byte) {
	z, ok := c.getZSet(args[1])
	if !ok {
		return
	}
	c.Array(len(args) - 2)
	for _, m := range args[2:] {
		if z == nil {
			c.NullArray()
			continue
		}
		lon, lat, ok := geoPosition(z, m)
		if !ok {
			c.NullArray()
			continue
		}
		c.Array(2)
		c.geoHumanDouble(lon)
		c.geoHumanDouble(lat)
	}
}

// GEODIST key member1 member2 [M | KM | FT | MI]
func cmdGeoDist(c *Ctx, args [][]byte) {
	toMeter := 1.0
	if len(args) == 5 {
		if toMeter = c.geoUnit(args[4]); toMeter < 0 {
			return
		}
	} else if len(args) > 5 {
		c.Error(ErrSyntax)
		return
	}
	z, ok := c.getZSet(args[1])
	if !ok {
		return
	}
	if z == nil {
		c.Null()
		return
	}
	lon1, lat1, ok1 := geoPosition(z, args[2])
	lon2, lat2, ok2 := geoPosition(z, args[3])
	if !ok1 || !ok2 {
		c.Null()
		return
	}
	c.geoDistance(geo.Distance(lon1, lat1, lon2, lat2) / toMeter)
}

// GEOHASH key [member [member ...]]
func cmdGeoHash(c *Ctx, args [][]byte) {
	z, ok := c.getZSet(args[1])
	if !ok {
		return
	}
	c.Array(len(args) - 2)
	for _, m := range args[2:] {
		if z == nil {
			c.Null()
			continue
		}
		score, ok := z.Score(m)
		if !ok {
			c.Null()
			continue
		}
		s, ok := geo.String11(score)
		if !ok {
			c.Null()
			continue
		}
		c.Bulk(s[:])
	}
}

// How georadiusGeneric was called (Redis's RADIUS_* / GEOSEARCH flags).
const (
	geoFromCoords = 1 << iota
	geoFromMember
	geoNoStore
	geoSearch
	geoSearchStore
)

// geoPoint is one search hit.
type geoPoint struct {
	member   []byte
	score    float64
	lon, lat float64
	dist     float64
}

// GEORADIUS key longitude latitude radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC] [STORE key | STOREDIST key]
func cmdGeoRadius(c *Ctx, args [][]byte) { geoSearchGeneric(c, args, 1, geoFromCoords) }

// GEORADIUS_RO key longitude latitude radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC]
func cmdGeoRadiusRO(c *Ctx, args [][]byte) {
	geoSearchGeneric(c, args, 1, geoFromCoords|geoNoStore)
}

// GEORADIUSBYMEMBER key member radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC] [STORE key | STOREDIST key]
func cmdGeoRadiusByMember(c *Ctx, args [][]byte) { geoSearchGeneric(c, args, 1, geoFromMember) }

// GEORADIUSBYMEMBER_RO key member radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC]
func cmdGeoRadiusByMemberRO(c *Ctx, args [][]byte) {
	geoSearchGeneric(c, args, 1, geoFromMember|geoNoStore)
}

// GEOSEARCH key <FROMMEMBER member | FROMLONLAT longitude latitude> <BYRADIUS radius <M | KM | FT | MI> | BYBOX width height <M | KM | FT | MI>> [ASC | DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]
func cmdGeoSearch(c *Ctx, args [][]byte) { geoSearchGeneric(c, args, 1, geoSearch) }

// GEOSEARCHSTORE destination source <FROMMEMBER member | FROMLONLAT longitude latitude> <BYRADIUS radius <M | KM | FT | MI> | BYBOX width height <M | KM | FT | MI>> [ASC | DESC] [COUNT count [ANY]] [STOREDIST]
func cmdGeoSearchStore(c *Ctx, args [][]byte) {
	geoSearchGeneric(c, args, 2, geoSearch|geoSearchStore)
}

// geoRadiusArgs reads "radius unit" as extractDistanceOrReply.
func (c *Ctx) geoRadiusArgs(args [][]byte, shape *geo.Shape) bool {
	r, ok := c.geoParseFloat(args[0], errGeoRadius)
	if !ok {
		return false
	}
	if r < 0 {
		c.Error(errGeoRadiusNeg)
		return false
	}
	shape.Radius = r
	if shape.Conversion = c.geoUnit(args[1]); shape.Conversion < 0 {
		return false
	}
	return true
}

// geoBoxArgs reads "width height unit" as extractBoxOrReply.
func (c *Ctx) geoBoxArgs(args [][]byte, shape *geo.Shape) bool {
	w, ok := c.geoParseFloat(args[0], errGeoWidth)
	if !ok {
		return false
	}
	h, ok := c.geoParseFloat(args[1], errGeoHeight)
	if !ok {
		return false
	}
	if h < 0 || w < 0 {
		c.Error(errGeoBoxNeg)
		return false
	}
	shape.Width, shape.Height = w, h
	if shape.Conversion = c.geoUnit(args[2]); shape.Conversion < 0 {
		return false
	}
	return true
}

// geoSearchGeneric is Redis 7.0's georadiusGeneric: every search command.
func geoSearchGeneric(c *Ctx, args [][]byte, srcIdx int, flags int) {
	var storeKey []byte
	storeDist := false
	z, ok := c.getZSet(args[srcIdx])
	if !ok {
		return
	}
	var shape geo.Shape
	baseArgs := 0
	switch {
	case flags&geoFromCoords != 0:
		baseArgs = 6
		if shape.Longitude, shape.Latitude, ok = c.geoLonLat(args[2], args[3]); !ok {
			return
		}
		if !c.geoRadiusArgs(args[4:6], &shape) {
			return
		}
	case flags&geoFromMember != 0 && z == nil:
		// No source key: parse the rest to know which empty reply to send.
		baseArgs = 5
	case flags&geoFromMember != 0:
		baseArgs = 5
		if shape.Longitude, shape.Latitude, ok = geoPosition(z, args[2]); !ok {
			c.Error(errGeoMember)
			return
		}
		if !c.geoRadiusArgs(args[3:5], &shape) {
			return
		}
	default:
		baseArgs = 2
		if flags&geoSearchStore != 0 {
			baseArgs = 3
			storeKey = args[1]
		}
	}

	withDist, withHash, withCoord := false, false, false
	fromMember, fromLoc, byRadius, byBox := false, false, false, false
	sort := 0 // 0 none, 1 asc, 2 desc
	anyHit := false
	var count int64
	search := flags&geoSearch != 0
	canStore := flags&geoNoStore == 0 && !search
	remaining := len(args) - baseArgs
	for i := 0; i < remaining; i++ {
		arg := args[baseArgs+i]
		switch {
		case eq(arg, "withdist"):
			withDist = true
		case eq(arg, "withhash"):
			withHash = true
		case eq(arg, "withcoord"):
			withCoord = true
		case eq(arg, "any"):
			anyHit = true
		case eq(arg, "asc"):
			sort = 1
		case eq(arg, "desc"):
			sort = 2
		case eq(arg, "count") && i+1 < remaining:
			if count, ok = c.intArg(args[baseArgs+i+1]); !ok {
				return
			}
			if count <= 0 {
				c.Error(errGeoCount)
				return
			}
			i++
		case eq(arg, "store") && i+1 < remaining && canStore:
			storeKey = args[baseArgs+i+1]
			storeDist = false
			i++
		case eq(arg, "storedist") && i+1 < remaining && canStore:
			storeKey = args[baseArgs+i+1]
			storeDist = true
			i++
		case eq(arg, "storedist") && search && flags&geoSearchStore != 0:
			storeDist = true
		case eq(arg, "frommember") && i+1 < remaining && search && !fromLoc:
			if z != nil {
				if shape.Longitude, shape.Latitude, ok = geoPosition(z, args[baseArgs+i+1]); !ok {
					c.Error(errGeoMember)
					return
				}
			}
			fromMember = true
			i++
		case eq(arg, "fromlonlat") && i+2 < remaining && search && !fromMember:
			if shape.Longitude, shape.Latitude, ok = c.geoLonLat(args[baseArgs+i+1], args[baseArgs+i+2]); !ok {
				return
			}
			fromLoc = true
			i += 2
		case eq(arg, "byradius") && i+2 < remaining && search && !byBox:
			if !c.geoRadiusArgs(args[baseArgs+i+1:baseArgs+i+3], &shape) {
				return
			}
			shape.Box = false
			byRadius = true
			i += 2
		case eq(arg, "bybox") && i+3 < remaining && search && !byRadius:
			if !c.geoBoxArgs(args[baseArgs+i+1:baseArgs+i+4], &shape) {
				return
			}
			shape.Box = true
			byBox = true
			i += 3
		default:
			c.Error(ErrSyntax)
			return
		}
	}

	if storeKey != nil && (withDist || withHash || withCoord) {
		if flags&geoSearchStore != 0 {
			c.Error(errGeoStoreSearch)
		} else {
			c.Error(errGeoStoreRadius)
		}
		return
	}
	name := string(args[0])
	if search && !(fromMember || fromLoc) {
		c.Error("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + name)
		return
	}
	if search && !(byRadius || byBox) {
		c.Error("ERR exactly one of BYRADIUS and BYBOX can be specified for " + name)
		return
	}
	if anyHit && count == 0 {
		c.Error(errGeoAnyCount)
		return
	}

	if z == nil {
		if storeKey != nil {
			if c.db.Delete(storeKey) {
				c.Modified(storeKey)
				c.Notify(NotifyGeneric, "del", storeKey)
			}
			c.Int(0)
		} else {
			c.Array(0)
		}
		return
	}

	if count != 0 && sort == 0 && !anyHit {
		sort = 1
	}
	limit := 0
	if anyHit {
		limit = int(min(count, int64(z.Len())+1))
	}
	points := geoMembersInShape(z, &shape, limit)

	if len(points) == 0 && storeKey == nil {
		c.Array(0)
		return
	}
	returned := len(points)
	if count != 0 && int64(returned) > count {
		returned = int(count)
	}
	switch sort {
	case 1:
		slices.SortStableFunc(points, func(a, b geoPoint) int { return cmpDist(a.dist, b.dist) })
	case 2:
		slices.SortStableFunc(points, func(a, b geoPoint) int { return cmpDist(b.dist, a.dist) })
	}
	points = points[:returned]

	if storeKey == nil {
		options := 0
		for _, on := range []bool{withDist, withCoord, withHash} {
			if on {
				options++
			}
		}
		c.Array(returned)
		for i := range points {
			p := &points[i]
			if options > 0 {
				c.Array(options + 1)
			}
			c.Bulk(p.member)
			if withDist {
				c.geoDistance(p.dist / shape.Conversion)
			}
			if withHash {
				c.Int(int64(p.score))
			}
			if withCoord {
				c.Array(2)
				c.geoHumanDouble(p.lon)
				c.geoHumanDouble(p.lat)
			}
		}
		return
	}

	event := "georadiusstore"
	if search {
		event = "geosearchstore"
	}
	if returned == 0 {
		c.storeZSet(storeKey, nil, event)
		return
	}
	maxLen := 0
	for i := range points {
		maxLen = max(maxLen, len(points[i].member))
	}
	out := zset.NewSized(returned, maxLen, c.zsetLimits())
	for i := range points {
		score := points[i].score
		if storeDist {
			score = points[i].dist / shape.Conversion
		}
		out.Insert(points[i].member, score)
	}
	c.storeZSet(storeKey, out, event)
	c.dirty += returned - 1
}

func cmpDist(a, b float64) int {
	switch {
	case a > b:
		return 1
	case a == b:
		return 0
	}
	return -1
}

// geoMembersInShape is membersOfAllNeighbors: the members of z inside the
// shape, cell by cell in Redis's order, stopping once limit are found
// (limit 0: no limit).
func geoMembersInShape(z *zset.ZSet, shape *geo.Shape, limit int) []geoPoint {
	cells := shape.SearchCells()
	var points []geoPoint
	lastProcessed := 0
	for i, cell := range cells {
		if cell.IsZero() {
			continue
		}
		// Huge radii make neighbours coincide; Redis skips a cell equal to
		// the last one it scanned (never comparing with the centre).
		if lastProcessed != 0 && cell == cells[lastProcessed] {
			continue
		}
		if len(points) > 0 && limit > 0 && len(points) >= limit {
			break
		}
		lo, hi := geo.ScoreRange(cell)
		r := zset.ScoreRange{Min: float64(lo), Max: float64(hi), MaxEx: true}
		z.RangeByScore(&r, false, 0, -1, func(member []byte, score float64) bool {
			lon, lat, ok := geo.DecodeScore(score)
			if ok {
				if dist, in := shape.Contains(lon, lat); in {
					points = append(points, geoPoint{member: clone(member), score: score, lon: lon, lat: lat, dist: dist})
				}
			}
			return !(len(points) > 0 && limit > 0 && len(points) >= limit)
		})
		lastProcessed = i
	}
	return points
}

// georadiusKeys is georadiusGetKeys: the source, and the last STORE or
// STOREDIST destination.
func georadiusKeys(args [][]byte) []int {
	keys := []int{1}
	stored := -1
	for i := 5; i < len(args); i++ {
		if (eq(args[i], "store") || eq(args[i], "storedist")) && i+1 < len(args) {
			stored = i + 1
			i++
		}
	}
	if stored > 0 {
		keys = append(keys, stored)
	}
	return keys
}

func registerGeoCommands(t *Table) {
	read := []string{"read", "geo", "slow"}
	write := []string{"write", "geo", "slow"}
	const g = "geo"
	one := func(c *Command) *Command {
		c.FirstKey, c.LastKey, c.KeyStep = 1, 1, 1
		c.Group = g
		return c
	}
	const searchOpts = "[WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC]"
	t.Add(
		one(&Command{Name: "geoadd", Arity: -5, Flags: FlagWrite | FlagDenyOOM, ACL: write, Since: "3.2.0",
			Summary: "Adds members with their positions to a geospatial index; creates the key if needed.",
			Usage:   "key [NX | XX] [CH] longitude latitude member [longitude latitude member ...]", Handler: cmdGeoAdd}),
		one(&Command{Name: "geopos", Arity: -2, Flags: FlagReadonly, ACL: read, Since: "3.2.0",
			Summary: "Returns the longitude and latitude of members of a geospatial index.",
			Usage:   "key [member [member ...]]", Handler: cmdGeoPos}),
		one(&Command{Name: "geodist", Arity: -4, Flags: FlagReadonly, ACL: read, Since: "3.2.0",
			Summary: "Returns the distance between two members of a geospatial index.",
			Usage:   "key member1 member2 [M | KM | FT | MI]", Handler: cmdGeoDist}),
		one(&Command{Name: "geohash", Arity: -2, Flags: FlagReadonly, ACL: read, Since: "3.2.0",
			Summary: "Returns members' positions as standard geohash strings.",
			Usage:   "key [member [member ...]]", Handler: cmdGeoHash}),
		one(&Command{Name: "geosearch", Arity: -7, Flags: FlagReadonly, ACL: read, Since: "6.2.0",
			Summary: "Returns the members of a geospatial index inside a circle or a box.",
			Usage:   "key <FROMMEMBER member | FROMLONLAT longitude latitude> <BYRADIUS radius <M | KM | FT | MI> | BYBOX width height <M | KM | FT | MI>> [ASC | DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]",
			Handler: cmdGeoSearch}),
		&Command{Name: "geosearchstore", Arity: -8, Flags: FlagWrite | FlagDenyOOM, ACL: write, Group: g, Since: "6.2.0",
			Summary:  "Stores the members of a geospatial index inside a circle or a box in a key.",
			Usage:    "destination source <FROMMEMBER member | FROMLONLAT longitude latitude> <BYRADIUS radius <M | KM | FT | MI> | BYBOX width height <M | KM | FT | MI>> [ASC | DESC] [COUNT count [ANY]] [STOREDIST]",
			FirstKey: 1, LastKey: 2, KeyStep: 1, Handler: cmdGeoSearchStore},
		&Command{Name: "georadius", Arity: -6, Flags: FlagWrite | FlagDenyOOM | FlagMovableKeys, ACL: write, Group: g, Since: "3.2.0",
			Summary:  "Returns (or stores) the members of a geospatial index within a radius of a point.",
			Usage:    "key longitude latitude radius <M | KM | FT | MI> " + searchOpts + " [STORE key | STOREDIST key]",
			FirstKey: 1, LastKey: 1, KeyStep: 1, Keys: georadiusKeys, Handler: cmdGeoRadius},
		one(&Command{Name: "georadius_ro", Arity: -6, Flags: FlagReadonly, ACL: read, Since: "3.2.10",
			Summary: "Returns the members of a geospatial index within a radius of a point.",
			Usage:   "key longitude latitude radius <M | KM | FT | MI> " + searchOpts, Handler: cmdGeoRadiusRO}),
		&Command{Name: "georadiusbymember", Arity: -5, Flags: FlagWrite | FlagDenyOOM | FlagMovableKeys, ACL: write, Group: g, Since: "3.2.0",
			Summary:  "Returns (or stores) the members of a geospatial index within a radius of a member.",
			Usage:    "key member radius <M | KM | FT | MI> " + searchOpts + " [STORE key | STOREDIST key]",
			FirstKey: 1, LastKey: 1, KeyStep: 1, Keys: georadiusKeys, Handler: cmdGeoRadiusByMember},
		one(&Command{Name: "georadiusbymember_ro", Arity: -5, Flags: FlagReadonly, ACL: read, Since: "3.2.10",
			Summary: "Returns the members of a geospatial index within a radius of a member.",
			Usage:   "key member radius <M | KM | FT | MI> " + searchOpts, Handler: cmdGeoRadiusByMemberRO}),
	)
}
