package rdb

// The replication state Redis keeps in an RDB file's AUX fields
// (rdbSaveInfoAuxFields, rdbLoadRioWithLoadingCtx): a replica saves its
// primary's replication ID and the offset its data is at, and the database
// the primary's stream had selected, so that after a restart it can ask for
// a partial resync (PSYNC <repl-id> <repl-offset+1>) instead of a full one;
// a primary with a backlog saves its own, so that its replicas can
// continue after it restarts.

import (
	"strconv"
)

// The AUX keys of the replication state.
const (
	AuxReplStreamDB = "repl-stream-db"
	AuxReplID       = "repl-id"
	AuxReplOffset   = "repl-offset"
)

// replIDLen is CONFIG_RUN_ID_SIZE: Redis takes repl-id only at this length.
const replIDLen = 40

// ReplInfo is the replication state saved with a dataset (Redis's
// rdbSaveInfo).
type ReplInfo struct {
	StreamDB int    // repl-stream-db: the database the stream has selected
	ReplID   string // repl-id: the replication ID the offset belongs to
	Offset   int64  // repl-offset: the stream offset the data is at
}

// Aux returns the AUX fields Redis 7 writes (redis-ver, redis-bits, ctime,
// used-mem, then repl-stream-db, repl-id and repl-offset when repl is not
// nil, then aof-base 0), in Redis's order.
func Aux(ctimeUnix, usedMem int64, repl *ReplInfo) []AuxField {
	aux := []AuxField{
		{"redis-ver", RedisVersionAux},
		{"redis-bits", "64"},
		{"ctime", strconv.FormatInt(ctimeUnix, 10)},
		{"used-mem", strconv.FormatInt(usedMem, 10)},
	}
	if repl != nil {
		aux = append(aux,
			AuxField{AuxReplStreamDB, strconv.Itoa(repl.StreamDB)},
			AuxField{AuxReplID, repl.ReplID},
			AuxField{AuxReplOffset, strconv.FormatInt(repl.Offset, 10)})
	}
	return append(aux, AuxField{"aof-base", "0"})
}

// ReplInfoReader collects the replication AUX fields while a file loads
// (pass its Observe as, or call it from, LoadOptions.OnAux).
type ReplInfoReader struct {
	streamDB int
	replID   string
	offset   int64
	idSet    bool
	dbSet    bool
	offSet   bool
}

// Observe looks at one AUX field; fields other than the replication ones
// are ignored. It never fails: like Redis, a malformed value only makes
// the state unusable.
func (r *ReplInfoReader) Observe(key, value []byte) error {
	switch string(key) {
	case AuxReplStreamDB:
		db, err := strconv.Atoi(string(value))
		r.streamDB, r.dbSet = db, err == nil && db >= 0
	case AuxReplID:
		// Redis copies the ID only when it has exactly 40 characters.
		if len(value) == replIDLen {
			r.replID, r.idSet = string(value), true
		}
	case AuxReplOffset:
		off, err := strconv.ParseInt(string(value), 10, 64)
		r.offset, r.offSet = off, err == nil && off >= 0
	}
	return nil
}

// Info returns the saved replication state and whether the file had a
// usable one: an ID, an offset and a stream database, as loadDataFromDisk
// requires before it restores them.
func (r *ReplInfoReader) Info() (ReplInfo, bool) {
	if !r.idSet || !r.offSet || !r.dbSet {
		return ReplInfo{}, false
	}
	return ReplInfo{StreamDB: r.streamDB, ReplID: r.replID, Offset: r.offset}, true
}
