package server

import (
	"net"
	"sync/atomic"
	"time"

	"github.com/vireodb/vireo/datatypes/keyspace"
)

// Ctx is one client connection: its protocol state, its session (database,
// protocol version, auth, transaction, WATCH) and the scratch space the
// dispatcher reuses for every command. Handlers receive it and reply through
// its methods (reply.go). Only the connection's own goroutine touches it,
// except the fields marked atomic, which CLIENT LIST/KILL read from others.
type Ctx struct {
	srv  *Server
	conn net.Conn
	id   int64

	created  time.Time
	addr     string
	laddr    string
	isUnix   bool
	name     atomic.Pointer[string]
	libName  atomic.Pointer[string]
	libVer   atomic.Pointer[string]
	lastCmd  atomic.Pointer[Command]
	lastSeen atomic.Int64 // unix ms of the last command
	dbAtomic atomic.Int32 // copy of dbIndex for CLIENT LIST
	killed   atomic.Bool

	proto         int
	dbIndex       int
	db            *keyspace.DB
	authenticated bool
	// user is the ACL user the connection runs as (acl.go); nil means
	// default. Atomic: CLIENT LIST and KILL read it from other connections.
	user atomic.Pointer[aclUser]

	out  []byte
	argv [][]byte // request arguments (scratch)

	// Per-command state, reset by the dispatcher.
	clock      time.Time // the latest clock reading (see execute)
	lastTop    *Command  // the last top-level command looked up
	now        int64     // the command's clock, unix ms
	cmd        *Command
	failed     bool
	dirty      int  // changes made by the command (Redis's server.dirty delta)
	customProp bool // the handler propagated its own normalised effects
	allLocked  bool // every shard is held (EXEC of whole-keyspace commands, LockAll)

	// woff is the replication offset right after this client's last
	// propagated write (Redis's c->woff): WAIT and WAITAOF wait for that,
	// not for whatever other clients wrote since.
	woff int64

	closeAfterReply bool
	deadlineSet     bool // a read deadline is armed (conn.go)
	inRawRead       bool // batches run inside RawConn.Read (conn_raw.go) ...
	rawFD           int  // ... on this descriptor
	replyMode       replyMode

	multi   *multiState
	watcher keyspace.Watcher
	watched []watchedKey

	lockIdx []int // scratch for shard indexes
	keyIdx  []int // scratch for key positions

	noEvict bool
	noTouch bool

	// script is set on the client a script's commands run on (scripting.go);
	// preOOM says memory was over maxmemory when the command started.
	script *scriptRun
	preOOM bool

	// pub is what CLIENT LIST on other connections sees of this session
	// (client.go); the connection goroutine refreshes it after each command.
	pub clientPublished

	block blockState // blocking commands: BLPOP & co (blocking.go)

	cluster clusterConn // ASKING / READONLY (cluster_node.go)

	// ps is the client's subscriptions, nil until its first one; oq its
	// out-of-band output queue and writer goroutine, which own the socket's
	// writes from the first subscription on (pubsub.go, outqueue.go).
	ps         *clientPubSub
	oq         *outQueue
	monitoring bool                         // MONITOR was sent (monitor.go)
	psShared   atomic.Pointer[clientPubSub] // ps and oq for other goroutines (CLIENT LIST)
	oqShared   atomic.Pointer[outQueue]

	// CLIENT TRACKING (tracking.go): the configuration (nil: off), its
	// copy for invalidating goroutines, and CLIENT CACHING's one-command flag.
	track        *trackConf
	trackShared  atomic.Pointer[trackConf]
	trackCaching bool
	trackProto   atomic.Int32 // the protocol when tracking was enabled
	trackPending []byte       // invalidations for this client, sent after the command's reply
}

type replyMode uint8

const (
	replyOn replyMode = iota
	replyOff
	replySkip     // skip the next command's reply
	replySkipThis // set while the skipped command runs
)

// Now is the command's clock in unix milliseconds (fixed for the whole
// command, and for the whole of EXEC).
func (c *Ctx) Now() int64 { return c.now }

// DB is the client's current database.
func (c *Ctx) DB() *keyspace.DB { return c.db }

// Server is the server the client is connected to.
func (c *Ctx) Server() *Server { return c.srv }

// Proto is the client's protocol version (2 or 3).
func (c *Ctx) Proto() int { return c.proto }

// Lookup returns key's entry for reading in the current database.
func (c *Ctx) Lookup(key []byte) *keyspace.Entry {
	if c.noTouch {
		return c.db.LookupNoTouch(key, c.now)
	}
	return c.db.Lookup(key, c.now)
}

// LookupWrite returns key's entry for modification in the current database.
func (c *Ctx) LookupWrite(key []byte) *keyspace.Entry {
	return c.db.LookupWrite(key, c.now)
}

// Modified records that the command changed key: WATCHers are told and the
// change counts towards propagation and INFO's changes-since-save.
func (c *Ctx) Modified(key []byte) {
	c.db.SignalModified(key)
	c.dirty++
	if c.srv.tracking.clients.Load() != 0 {
		from := c
		if c.script != nil {
			from = c.script.caller // a script's writes are its caller's (NOLOOP)
		}
		c.srv.invalidateKey(from, key) // client-side caching (tracking.go)
	}
}

// Propagate replaces the command's own arguments in the propagation stream
// with a normalised effect (SET k v PXAT ms, PEXPIREAT, DEL, ...). It may be
// called several times; each call appends one effect.
func (c *Ctx) Propagate(argv ...[]byte) {
	c.customProp = true
	c.emit(argv)
}

// emit appends one effect to the propagation stream; inside EXEC the first
// effect is preceded by MULTI so the transaction stays atomic downstream.
func (c *Ctx) emit(argv [][]byte) {
	st := &c.srv.ks.Stream
	if !st.Active() {
		return
	}
	if c.script != nil {
		c.script.beginEffects(c.dbIndex, st)
	} else if c.multi != nil && c.multi.executing && !c.multi.propagated {
		st.Propagate(c.dbIndex, []byte("MULTI"))
		c.multi.propagated = true
	}
	st.Propagate(c.dbIndex, argv...)
	c.woff = c.srv.repl.streamEnd.Load()
}

// selectDB switches the client's database.
func (c *Ctx) selectDB(i int) {
	c.dbIndex = i
	c.db = c.srv.ks.DB(i)
	c.dbAtomic.Store(int32(i))
}

// forEachShard calls fn for every local shard index of db, holding that
// shard's lock unless the command already holds every lock.
func (c *Ctx) forEachShard(db *keyspace.DB, fn func(i int) bool) {
	for i := 0; i < db.NumShards(); i++ {
		if !c.allLocked {
			db.LockShard(i)
		}
		more := fn(i)
		if !c.allLocked {
			db.UnlockShard(i)
		}
		if !more {
			return
		}
	}
}
