// Package geo is the arithmetic behind Redis's GEO commands: the 52-bit
// interleaved geohash that a geo member stores as its sorted set score
// (Redis's geohash.c with GEO_STEP_MAX 26 and the Web Mercator latitude
// limits), the neighbouring cells of a hash, the haversine distance with
// Redis's earth radius, and the nine cells a radius or box search scans
// (geohash_helper.c). Every formula follows Redis's operation order so that
// the results agree with redis-server to the last bit.
//
// It imports only the standard library; it must not import the sorted set,
// the keyspace, the server or any networking.
package geo
