package server

// CLIENT: connection introspection and management (ID, SETNAME, GETNAME,
// LIST, INFO, KILL, SETINFO, PAUSE, UNPAUSE, REPLY, NO-EVICT, NO-TOUCH).
//
// Concurrency: a Ctx belongs to its connection goroutine, but CLIENT LIST and
// CLIENT KILL look at other connections. The fields they read are atomics:
// the ones Ctx already keeps (name, lib name/version, last command, last
// interaction, db) and a small published view of the session state (MULTI,
// protocol, flags, buffer sizes) that the connection goroutine refreshes
// after every command (publishState, called from Ctx.run). A client reading
// its own line uses its live state instead.
//
// CLIENT PAUSE holds back commands in the dispatcher: execute calls
// waitIfPaused before running or queueing a command, and a paused command's
// goroutine sleeps until the pause ends, is lifted by CLIENT UNPAUSE, the
// client is killed or the server stops.

import (
	"cmp"
	"math"
	"net"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func init() { familyRegistrars = append(familyRegistrars, registerClientCommands) }

// ---------------------------------------------------------------------------
// The published view of a connection's session state.

// clientPublished is what other connections may read about this one. The
// connection goroutine writes it (publishState); anyone reads it.
type clientPublished struct {
	state    atomic.Uint64 // publishedState bits
	multiMem atomic.Int64  // bytes of queued MULTI arguments
	outCap   atomic.Int64  // capacity of the reply buffer (rbs)
	outPeak  atomic.Int64  // largest pending reply seen (rbp)

	// Owned by the connection goroutine: what was last published, and the
	// running total of queued argument bytes (so a long MULTI costs O(1) per
	// queued command).
	last        uint64
	lastQueued  int
	multiMemAcc int64
	lastCap     int64
	peak        int64
}

// Bits of clientPublished.state. The low 32 bits hold the number of queued
// MULTI commands plus one (0 = not in MULTI).
const (
	pubMultiMask  = 1<<32 - 1
	pubProto3     = 1 << 32
	pubNoEvict    = 1 << 33
	pubNoTouch    = 1 << 34
	pubWatching   = 1 << 35
	pubCloseAfter = 1 << 36
	pubMonitor    = 1 << 37
)

// publishState refreshes the view other connections have of this client. It
// runs after every command; it stores only what changed.
func (c *Ctx) publishState() {
	p := &c.pub
	var bits uint64
	if c.multi != nil {
		q := c.multi.queued
		if p.lastQueued > len(q) {
			p.lastQueued, p.multiMemAcc = 0, 0
		}
		for _, qc := range q[p.lastQueued:] {
			for _, a := range qc.args {
				p.multiMemAcc += int64(len(a))
			}
		}
		p.lastQueued = len(q)
		bits = uint64(len(q)+1) & pubMultiMask
	} else if p.lastQueued != 0 || p.multiMemAcc != 0 {
		p.lastQueued, p.multiMemAcc = 0, 0
	}
	if c.proto == 3 {
		bits |= pubProto3
	}
	if c.noEvict {
		bits |= pubNoEvict
	}
	if c.noTouch {
		bits |= pubNoTouch
	}
	if len(c.watched) > 0 {
		bits |= pubWatching
	}
	if c.closeAfterReply {
		bits |= pubCloseAfter
	}
	if c.monitoring {
		bits |= pubMonitor
	}
	if bits != p.last {
		p.last = bits
		p.state.Store(bits)
		p.multiMem.Store(p.multiMemAcc)
	}
	if n := int64(cap(c.out)); n != p.lastCap {
		p.lastCap = n
		p.outCap.Store(n)
	}
	if n := int64(len(c.out)); n > p.peak {
		p.peak = n
		p.outPeak.Store(n)
	}
}

// ---------------------------------------------------------------------------
// CLIENT LIST / CLIENT INFO lines.

// clientView is one client as a CLIENT LIST line shows it.
type clientView struct {
	id                  int64
	addr, laddr         string
	fd                  int
	name                string
	age, idle           int64
	flags               string
	db                  int
	multi               int
	argvMem, multiMem   int64
	rbs, rbp            int64
	cmd                 string
	resp                int
	libName, libVer     string
	totMem              int64
	isUnix, noEvict     bool
	monitor             bool
	master, replica     bool // the primary's client on a replica (M), a replica's connection (S)
	noTouch, inMulti    bool
	watching, closeSoon bool
	sub, psub, ssub     int64      // subscriptions (pubsub.go)
	omem                int64      // queued output (outqueue.go)
	track               *trackConf // CLIENT TRACKING (tracking.go); nil: off
	user                string     // the ACL user (acl.go)
}

func loadString(p *atomic.Pointer[string]) string {
	if s := p.Load(); s != nil {
		return *s
	}
	return ""
}

// view describes client o as seen from c (o may be c itself, whose live
// state is used; others are read through their published atomics).
func (c *Ctx) view(o *Ctx, now time.Time) clientView {
	v := clientView{
		id:      o.id,
		addr:    o.addr,
		laddr:   o.laddr,
		fd:      connFD(o.conn),
		name:    loadString(&o.name),
		age:     int64(now.Sub(o.created) / time.Second),
		idle:    (now.UnixMilli() - o.lastSeen.Load()) / 1000,
		db:      int(o.dbAtomic.Load()),
		cmd:     "NULL",
		libName: loadString(&o.libName),
		libVer:  loadString(&o.libVer),
		isUnix:  o.isUnix,
		user:    o.currentUser().name,
		multi:   -1,
		resp:    2,
	}
	if v.idle < 0 {
		v.idle = 0
	}
	v.sub, v.psub, v.ssub = o.subCounts()
	v.omem = o.outputMemory()
	v.track = o.trackShared.Load()
	if cmd := o.lastCmd.Load(); cmd != nil {
		v.cmd = cmd.Name
	}
	if o == c {
		if c.multi != nil {
			v.inMulti = true
			v.multi = len(c.multi.queued)
			for _, q := range c.multi.queued {
				for _, a := range q.args {
					v.multiMem += int64(len(a))
				}
			}
		}
		for _, a := range c.argv {
			v.argvMem += int64(len(a))
		}
		v.resp = c.proto
		v.noEvict, v.noTouch = c.noEvict, c.noTouch
		v.watching = len(c.watched) > 0
		v.closeSoon = c.closeAfterReply
		v.monitor = c.monitoring
		v.rbs = int64(cap(c.out))
		v.rbp = max(c.pub.peak, int64(len(c.out)))
	} else {
		bits := o.pub.state.Load()
		if m := bits & pubMultiMask; m != 0 {
			v.inMulti = true
			v.multi = int(m - 1)
		}
		if bits&pubProto3 != 0 {
			v.resp = 3
		}
		v.noEvict = bits&pubNoEvict != 0
		v.noTouch = bits&pubNoTouch != 0
		v.watching = bits&pubWatching != 0
		v.closeSoon = bits&pubCloseAfter != 0
		v.monitor = bits&pubMonitor != 0
		v.multiMem = o.pub.multiMem.Load()
		v.rbs = o.pub.outCap.Load()
		v.rbp = o.pub.outPeak.Load()
	}
	if o == c.srv.repl.master {
		c.srv.masterClientView(&v, now) // replication.go
	} else {
		v.replica = c.srv.isReplicaConn(o)
	}
	v.flags = v.flagLetters(o)
	// The read buffer (readBufSize, allocated per connection) plus what is
	// known of the reply buffer and arguments.
	v.totMem = readBufSize + v.rbs + v.argvMem + v.multiMem + v.omem
	return v
}

// flagLetters are Redis's client flags, in catClientInfoString's order, for
// the states Vireo has.
func (v *clientView) flagLetters(o *Ctx) string {
	var b [8]byte
	f := b[:0]
	switch {
	case v.monitor:
		f = append(f, 'O')
	case v.replica:
		f = append(f, 'S')
	}
	if v.master {
		f = append(f, 'M')
	}
	if v.sub+v.psub+v.ssub > 0 {
		f = append(f, 'P')
	}
	if v.inMulti {
		f = append(f, 'x')
	}
	if v.track != nil {
		f = append(f, 't')
		if v.track.bcast {
			f = append(f, 'B')
		}
	}
	if v.watching && o.watcher.Dirty() {
		f = append(f, 'd')
	}
	if v.closeSoon || o.killed.Load() {
		f = append(f, 'c')
	}
	if v.isUnix {
		f = append(f, 'U')
	}
	if v.noEvict {
		f = append(f, 'e')
	}
	if v.noTouch {
		f = append(f, 'T')
	}
	if len(f) == 0 {
		f = append(f, 'N')
	}
	return string(f)
}

// appendClientInfo appends v as Redis 7.2's catClientInfoString writes it.
func appendClientInfo(b []byte, v *clientView) []byte {
	b = append(b, "id="...)
	b = strconv.AppendInt(b, v.id, 10)
	b = append(b, " addr="...)
	b = append(b, v.addr...)
	b = append(b, " laddr="...)
	b = append(b, v.laddr...)
	b = append(b, " fd="...)
	b = strconv.AppendInt(b, int64(v.fd), 10)
	b = append(b, " name="...)
	b = append(b, v.name...)
	b = append(b, " age="...)
	b = strconv.AppendInt(b, v.age, 10)
	b = append(b, " idle="...)
	b = strconv.AppendInt(b, v.idle, 10)
	b = append(b, " flags="...)
	b = append(b, v.flags...)
	b = append(b, " db="...)
	b = strconv.AppendInt(b, int64(v.db), 10)
	b = append(b, " sub="...)
	b = strconv.AppendInt(b, v.sub, 10)
	b = append(b, " psub="...)
	b = strconv.AppendInt(b, v.psub, 10)
	b = append(b, " ssub="...)
	b = strconv.AppendInt(b, v.ssub, 10)
	b = append(b, " multi="...)
	b = strconv.AppendInt(b, int64(v.multi), 10)
	// The query buffer is the connection loop's local; it is not exposed.
	b = append(b, " qbuf=0 qbuf-free=0 argv-mem="...)
	b = strconv.AppendInt(b, v.argvMem, 10)
	b = append(b, " multi-mem="...)
	b = strconv.AppendInt(b, v.multiMem, 10)
	b = append(b, " rbs="...)
	b = strconv.AppendInt(b, v.rbs, 10)
	b = append(b, " rbp="...)
	b = strconv.AppendInt(b, v.rbp, 10)
	// Vireo queues output as one buffer: obl/oll stay 0, omem is real.
	b = append(b, " obl=0 oll=0 omem="...)
	b = strconv.AppendInt(b, v.omem, 10)
	b = append(b, " tot-mem="...)
	b = strconv.AppendInt(b, v.totMem, 10)
	b = append(b, " events=r cmd="...)
	b = append(b, v.cmd...)
	b = append(b, " user="...)
	b = append(b, v.user...)
	b = append(b, " redir="...)
	redir := int64(-1)
	if v.track != nil {
		redir = v.track.redirect
	}
	b = strconv.AppendInt(b, redir, 10)
	b = append(b, " resp="...)
	b = strconv.AppendInt(b, int64(v.resp), 10)
	b = append(b, " lib-name="...)
	b = append(b, v.libName...)
	b = append(b, " lib-ver="...)
	b = append(b, v.libVer...)
	return b
}

// connFD is the connection's file descriptor, or -1 (in-process pipes,
// closed connections).
func connFD(nc net.Conn) int {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return -1
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return -1
	}
	fd := -1
	if raw.Control(func(f uintptr) { fd = int(f) }) != nil {
		return -1
	}
	return fd
}

// sortedClients returns the connected clients in creation (id) order, as
// Redis lists them.
func (s *Server) sortedClients() []*Ctx {
	s.clientsMu.Lock()
	out := make([]*Ctx, 0, len(s.clients))
	for _, o := range s.clients {
		// A killed client is gone, as Redis frees it at once, although its
		// goroutine may not have removed it yet.
		if !o.killed.Load() {
			out = append(out, o)
		}
	}
	s.clientsMu.Unlock()
	slices.SortFunc(out, func(a, b *Ctx) int {
		switch {
		case a.id < b.id:
			return -1
		case a.id > b.id:
			return 1
		}
		return 0
	})
	return out
}

// listedClients is what CLIENT LIST and CLIENT KILL go through: the
// connected clients and, on a replica whose link is up, the primary's
// client, in id order.
func (s *Server) listedClients() []*Ctx {
	out := s.sortedClients()
	mc := s.connectedMasterClient()
	if mc == nil {
		return out
	}
	i, _ := slices.BinarySearchFunc(out, mc.id, func(o *Ctx, id int64) int { return cmp.Compare(o.id, id) })
	return slices.Insert(out, i, mc)
}

func (s *Server) clientByID(id int64) *Ctx {
	s.clientsMu.Lock()
	defer s.clientsMu.Unlock()
	return s.clients[id]
}

// clientType is the client's class for CLIENT LIST/KILL TYPE (Redis's
// getClientType): master for the primary's client on a replica, replica
// for a replica's connection, pubsub while subscribed, otherwise normal.
// Safe from any goroutine.
func (c *Ctx) clientType() string {
	switch {
	case c == c.srv.repl.master:
		return "master"
	case c.srv.isReplicaConn(c):
		return "replica"
	}
	if sub, psub, ssub := c.subCounts(); sub+psub+ssub > 0 {
		return "pubsub"
	}
	return "normal"
}

// parseClientType maps a TYPE argument to a class name (Redis's
// getClientTypeByName); ok is false for an unknown name.
func parseClientType(b []byte) (string, bool) {
	switch {
	case eq(b, "normal"):
		return "normal", true
	case eq(b, "slave"), eq(b, "replica"):
		return "replica", true
	case eq(b, "pubsub"):
		return "pubsub", true
	case eq(b, "master"):
		return "master", true
	}
	return "", false
}

// ---------------------------------------------------------------------------
// Kill and pause.

// kill disconnects client o from another connection: its goroutine sees the
// closed socket (or the killed flag, if it is waiting in a pause) and exits.
func (s *Server) kill(o *Ctx) {
	if o == s.repl.master {
		// The primary's client has no socket of its own: the link drops
		// and reconnects, continuing with a partial resync (Redis caches
		// the freed master for that).
		s.dropMasterLink() // replication.go
		return
	}
	o.killed.Store(true)
	closeConn(o.conn)
	s.pause.wake()
}

// pauseMode is what CLIENT PAUSE holds back; a stronger pause wins.
type pauseMode uint8

const (
	pauseNone pauseMode = iota
	pauseWrite
	pauseAll
)

// clientPause is the server's CLIENT PAUSE state.
type clientPause struct {
	active atomic.Bool // fast path for the dispatcher: nothing is paused

	mu      sync.Mutex
	mode    pauseMode // CLIENT PAUSE's
	end     time.Time
	changed chan struct{} // closed (and replaced) whenever the pause changes
	// failover holds writes back while a FAILOVER runs (failover_cmd.go),
	// apart from CLIENT PAUSE: CLIENT UNPAUSE does not lift it, as Redis
	// keeps PAUSE_DURING_FAILOVER apart from PAUSE_BY_CLIENT_COMMAND.
	failover bool
}

// holdForFailover starts or ends FAILOVER's write pause.
func (p *clientPause) holdForFailover(on bool) {
	p.mu.Lock()
	p.failover = on
	p.active.Store(p.mode != pauseNone || on)
	p.signalLocked()
	p.mu.Unlock()
}

// pause starts or extends a pause: as in Redis, the stronger mode and the
// later end win when pauses overlap.
func (p *clientPause) pause(mode pauseMode, end time.Time) {
	p.mu.Lock()
	if mode > p.mode {
		p.mode = mode
	}
	if end.After(p.end) {
		p.end = end
	}
	p.active.Store(true)
	p.signalLocked()
	p.mu.Unlock()
}

// unpause ends CLIENT PAUSE's pause now.
func (p *clientPause) unpause() {
	p.mu.Lock()
	p.mode = pauseNone
	p.end = time.Time{}
	p.active.Store(p.failover)
	p.signalLocked()
	p.mu.Unlock()
}

// wake makes every paused goroutine re-check its state (after a kill).
func (p *clientPause) wake() {
	if !p.active.Load() {
		return
	}
	p.mu.Lock()
	p.signalLocked()
	p.mu.Unlock()
}

func (p *clientPause) signalLocked() {
	if p.changed != nil {
		close(p.changed)
	}
	p.changed = make(chan struct{})
}

// current returns the pause in force (expiring a CLIENT PAUSE whose time
// is up); FAILOVER's pause holds at least writes until it is lifted.
func (p *clientPause) current(now time.Time) (pauseMode, time.Time, <-chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mode != pauseNone && !now.Before(p.end) {
		p.mode = pauseNone
		p.end = time.Time{}
		p.active.Store(p.failover)
		p.signalLocked()
	}
	if p.changed == nil {
		p.changed = make(chan struct{})
	}
	mode, end := p.mode, p.end
	if p.failover {
		if mode < pauseWrite {
			mode = pauseWrite
		}
		if farEnd := now.Add(time.Hour); farEnd.After(end) {
			end = farEnd // until holdForFailover(false) signals changed
		}
	}
	return mode, end, p.changed
}

// writesPaused reports whether a pause holds back writes now (the active
// expiry cycle must not delete keys then, as in Redis).
func (s *Server) writesPaused() bool {
	if !s.pause.active.Load() {
		return false
	}
	mode, _, _ := s.pause.current(time.Now())
	return mode != pauseNone
}

// pausedBy reports whether a command is held back by a pause of the given
// mode: everything under ALL; under WRITE, commands that may write or
// replicate, and EXEC of a transaction that queued such a command (Redis's
// processCommand rule).
func (c *Ctx) pausedBy(mode pauseMode, cmd *Command) bool {
	switch mode {
	case pauseAll:
		return true
	case pauseWrite:
		if cmd.Flags&(FlagWrite|FlagMayReplicate) != 0 {
			return true
		}
		if cmd.Name == "exec" && c.multi != nil {
			for _, q := range c.multi.queued {
				if q.cmd.Flags&(FlagWrite|FlagMayReplicate) != 0 {
					return true
				}
			}
		}
	}
	return false
}

// pausedNow reports whether a pause in force now holds cmd back.
func (c *Ctx) pausedNow(cmd *Command) bool {
	mode, _, _ := c.srv.pause.current(time.Now())
	return c.pausedBy(mode, cmd)
}

// waitIfPaused blocks the connection's goroutine while a CLIENT PAUSE holds
// cmd back; the command's clock then restarts when the pause ends. It
// returns false when the command must not run at all: the client was
// killed or the server is stopping while it waited.
func (s *Server) waitIfPaused(c *Ctx, cmd *Command) bool {
	if !s.pause.active.Load() {
		return true
	}
	return s.waitWhilePaused(c, func(mode pauseMode) bool { return c.pausedBy(mode, cmd) })
}

// waitForWrites is waitIfPaused for work that writes but is not one
// command the dispatcher can judge by its flags (a script that may write).
func (s *Server) waitForWrites(c *Ctx) bool {
	if !s.pause.active.Load() {
		return true
	}
	return s.waitWhilePaused(c, func(mode pauseMode) bool { return mode != pauseNone })
}

// waitWhilePaused blocks while held says the pause in force holds the
// client back; false when it must not run at all (killed, stopping).
func (s *Server) waitWhilePaused(c *Ctx, held func(pauseMode) bool) bool {
	for waited := false; ; waited = true {
		now := time.Now()
		mode, end, changed := s.pause.current(now)
		if !held(mode) {
			if waited {
				c.clock = now
				c.now = now.UnixMilli()
				c.lastSeen.Store(c.now)
			}
			return true
		}
		if c.killed.Load() {
			return false
		}
		t := time.NewTimer(time.Until(end))
		select {
		case <-changed:
		case <-t.C:
		case <-s.ctx.Done():
			t.Stop()
			return false
		}
		t.Stop()
	}
}

// ---------------------------------------------------------------------------
// The commands.

// CLIENT ID
func cmdClientID(c *Ctx, args [][]byte) { c.Int(c.id) }

// CLIENT SETNAME connection-name
func cmdClientSetName(c *Ctx, args [][]byte) {
	if !validClientName(args[2]) {
		c.Error("ERR Client names cannot contain spaces, newlines or special characters.")
		return
	}
	c.setName(args[2])
	c.OK()
}

// CLIENT GETNAME
func cmdClientGetName(c *Ctx, args [][]byte) {
	if n := c.name.Load(); n != nil {
		c.BulkString(*n)
		return
	}
	c.Null()
}

// CLIENT SETINFO <LIB-NAME libname | LIB-VER libver>
func cmdClientSetInfo(c *Ctx, args [][]byte) {
	var dst *atomic.Pointer[string]
	switch {
	case eq(args[2], "lib-name"):
		dst = &c.libName
	case eq(args[2], "lib-ver"):
		dst = &c.libVer
	default:
		c.Error("ERR Unrecognized option '" + string(args[2]) + "'")
		return
	}
	if !validClientName(args[3]) {
		c.Error("ERR " + string(args[2]) + " cannot contain spaces, newlines or special characters.")
		return
	}
	if len(args[3]) == 0 {
		dst.Store(nil)
	} else {
		s := string(args[3])
		dst.Store(&s)
	}
	c.OK()
}

// CLIENT INFO
func cmdClientInfo(c *Ctx, args [][]byte) {
	v := c.view(c, time.Now())
	b := appendClientInfo(nil, &v)
	b = append(b, '\n')
	c.Verbatim(string(b), "txt")
}

// CLIENT LIST [TYPE <NORMAL | MASTER | REPLICA | PUBSUB>] [ID client-id [client-id ...]]
func cmdClientList(c *Ctx, args [][]byte) {
	now := time.Now()
	var list []*Ctx
	switch {
	case len(args) == 2:
		list = c.srv.listedClients()
	case len(args) == 4 && eq(args[2], "type"):
		typ, ok := parseClientType(args[3])
		if !ok {
			c.Error("ERR Unknown client type '" + string(args[3]) + "'")
			return
		}
		for _, o := range c.srv.listedClients() {
			if o.clientType() == typ {
				list = append(list, o)
			}
		}
	case len(args) > 3 && eq(args[2], "id"):
		// Listed in argument order, as Redis does; every ID must parse.
		for _, a := range args[3:] {
			id, ok := parseInt(a)
			if !ok {
				c.Error("ERR Invalid client ID")
				return
			}
			if o := c.srv.clientByID(id); o != nil {
				list = append(list, o)
			} else if mc := c.srv.connectedMasterClient(); mc != nil && mc.id == id {
				list = append(list, mc)
			}
		}
	default:
		c.Error(ErrSyntax)
		return
	}
	var b []byte
	for _, o := range list {
		v := c.view(o, now)
		b = appendClientInfo(b, &v)
		b = append(b, '\n')
	}
	c.Verbatim(string(b), "txt")
}

// CLIENT KILL <ip:port | <[ID client-id] | [TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] | [USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME <YES | NO>]> [...]>
func cmdClientKill(c *Ctx, args [][]byte) {
	var (
		id          int64
		typ         string
		addr, laddr []byte
		user        []byte
		skipMe      = true
	)
	oldForm := len(args) == 3
	if oldForm {
		addr = args[2]
		skipMe = false // with the old form a client may kill itself
	} else {
		for i := 2; i < len(args); i += 2 {
			more := i+1 < len(args)
			switch {
			case eq(args[i], "id") && more:
				v, ok := parseInt(args[i+1])
				if !ok || v < 1 {
					c.Error("ERR client-id should be greater than 0")
					return
				}
				id = v
			case eq(args[i], "type") && more:
				t, ok := parseClientType(args[i+1])
				if !ok {
					c.Error("ERR Unknown client type '" + string(args[i+1]) + "'")
					return
				}
				typ = t
			case eq(args[i], "addr") && more:
				addr = args[i+1]
			case eq(args[i], "laddr") && more:
				laddr = args[i+1]
			case eq(args[i], "user") && more:
				if c.srv.lookupUser(string(args[i+1])) == nil { // acl.go
					c.Error("ERR No such user '" + string(args[i+1]) + "'")
					return
				}
				user = args[i+1]
			case eq(args[i], "skipme") && more:
				switch {
				case eq(args[i+1], "yes"):
					skipMe = true
				case eq(args[i+1], "no"):
					skipMe = false
				default:
					c.Error(ErrSyntax)
					return
				}
			default:
				c.Error(ErrSyntax)
				return
			}
		}
	}
	var killed int64
	for _, o := range c.srv.listedClients() {
		oAddr, oLaddr := o.addr, o.laddr
		if o == c.srv.repl.master {
			oAddr, oLaddr = c.srv.masterClientAddrs()
		}
		switch {
		case addr != nil && oAddr != string(addr),
			laddr != nil && oLaddr != string(laddr),
			typ != "" && o.clientType() != typ,
			id != 0 && o.id != id,
			user != nil && o.currentUser().name != string(user),
			o == c && skipMe:
			continue
		}
		if o == c {
			c.closeAfterReply = true // after this reply
		} else {
			c.srv.kill(o)
		}
		killed++
	}
	if !oldForm {
		c.Int(killed)
		return
	}
	if killed == 0 {
		c.Error("ERR No such client")
		return
	}
	c.OK()
}

// CLIENT PAUSE timeout [WRITE | ALL]
func cmdClientPause(c *Ctx, args [][]byte) {
	if len(args) > 4 {
		c.Error("ERR unknown subcommand or wrong number of arguments for '" + string(args[1]) + "'. Try CLIENT HELP.")
		return
	}
	mode := pauseAll
	if len(args) == 4 {
		switch {
		case eq(args[3], "write"):
			mode = pauseWrite
		case eq(args[3], "all"):
			mode = pauseAll
		default:
			c.Error("ERR CLIENT PAUSE mode must be WRITE or ALL")
			return
		}
	}
	ms, ok := parseInt(args[2])
	if !ok {
		c.Error("ERR timeout is not an integer or out of range")
		return
	}
	if ms < 0 {
		c.Error("ERR timeout is negative")
		return
	}
	now := time.Now()
	if ms > math.MaxInt64-now.UnixMilli() {
		c.Error("ERR timeout is out of range")
		return
	}
	c.srv.pause.pause(mode, now.Add(time.Duration(ms)*time.Millisecond))
	c.OK()
}

// CLIENT UNPAUSE
func cmdClientUnpause(c *Ctx, args [][]byte) {
	c.srv.pause.unpause()
	c.OK()
}

// CLIENT REPLY <ON | OFF | SKIP>
func cmdClientReply(c *Ctx, args [][]byte) {
	// The connection loop (Ctx.run) drops the replies; only ON answers.
	switch {
	case eq(args[2], "on"):
		c.replyMode = replyOn
		c.OK()
	case eq(args[2], "off"):
		c.replyMode = replyOff
	case eq(args[2], "skip"):
		if c.replyMode != replyOff {
			c.replyMode = replySkip
		}
	default:
		c.Error(ErrSyntax)
	}
}

// onOffArg parses ON|OFF or replies with a syntax error.
func (c *Ctx) onOffArg(b []byte) (on, ok bool) {
	switch {
	case eq(b, "on"):
		return true, true
	case eq(b, "off"):
		return false, true
	}
	c.Error(ErrSyntax)
	return false, false
}

// CLIENT NO-EVICT <ON | OFF>
func cmdClientNoEvict(c *Ctx, args [][]byte) {
	if on, ok := c.onOffArg(args[2]); ok {
		c.noEvict = on
		c.OK()
	}
}

// CLIENT NO-TOUCH <ON | OFF>
func cmdClientNoTouch(c *Ctx, args [][]byte) {
	if on, ok := c.onOffArg(args[2]); ok {
		c.noTouch = on
		c.OK()
	}
}

// CLIENT HELP
func cmdClientHelp(c *Ctx, args [][]byte) {
	// Redis 7.2's text, without the subcommands Vireo does not have yet
	// (CACHING, GETREDIR, TRACKING, TRACKINGINFO).
	c.helpReply("CLIENT", []string{
		"GETNAME",
		"    Return the name of the current connection.",
		"ID",
		"    Return the ID of the current connection.",
		"INFO",
		"    Return information about the current client connection.",
		"KILL <ip:port>",
		"    Kill connection made from <ip:port>.",
		"KILL <option> <value> [<option> <value> [...]]",
		"    Kill connections. Options are:",
		"    * ADDR (<ip:port>|<unixsocket>:0)",
		"      Kill connections made from the specified address",
		"    * LADDR (<ip:port>|<unixsocket>:0)",
		"      Kill connections made to specified local address",
		"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
		"      Kill connections by type.",
		"    * USER <username>",
		"      Kill connections authenticated by <username>.",
		"    * SKIPME (YES|NO)",
		"      Skip killing current connection (default: yes).",
		"LIST [options ...]",
		"    Return information about client connections. Options:",
		"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
		"      Return clients of specified type.",
		"UNPAUSE",
		"    Stop the current client pause, resuming traffic.",
		"PAUSE <timeout> [WRITE|ALL]",
		"    Suspend all, or just write, clients for <timeout> milliseconds.",
		"REPLY (ON|OFF|SKIP)",
		"    Control the replies sent to the current connection.",
		"SETNAME <name>",
		"    Assign the name <name> to the current connection.",
		"UNBLOCK <clientid> [TIMEOUT|ERROR]",
		"    Unblock the specified blocked client.",
		"SETINFO <option> <value>",
		"    Set client meta attr. Options are:",
		"    * LIB-NAME: the client lib name.",
		"    * LIB-VER: the client lib version.",
		"NO-EVICT (ON|OFF)",
		"    Protect current client connection from eviction.",
		"NO-TOUCH (ON|OFF)",
		"    Will not touch LRU/LFU stats when this mode is on.",
	})
}

func registerClientCommands(t *Table) {
	base := FlagNoScript | FlagLoading | FlagStale
	adm := base | FlagAdmin
	conn := []string{"slow", "connection"}
	dangerous := []string{"slow", "dangerous", "connection"}
	sub := func(name string, arity int, flags Flag, acl []string, since, summary, usage string, h func(*Ctx, [][]byte)) *Command {
		return &Command{Name: name, Arity: arity, Flags: flags, ACL: acl, Group: "connection", Since: since,
			Summary: summary, Usage: usage, Lock: LockNone, Handler: h}
	}
	t.Add(&Command{Name: "client", Arity: -2, ACL: []string{"slow"}, Group: "connection", Since: "2.4.0",
		Summary: "A container for client connection commands.", Lock: LockNone,
		Subcommands: Sub(
			sub("id", 2, base, conn, "5.0.0", "Returns the unique client ID of the connection.", "", cmdClientID),
			sub("setname", 3, base, conn, "2.6.9", "Sets the connection name.", "connection-name", cmdClientSetName),
			sub("getname", 2, base, conn, "2.6.9", "Returns the name of the connection.", "", cmdClientGetName),
			sub("setinfo", 4, base, conn, "7.2.0", "Sets information specific to the client or connection.",
				"<LIB-NAME libname | LIB-VER libver>", cmdClientSetInfo),
			sub("info", 2, base, conn, "6.2.0", "Returns information about the connection.", "", cmdClientInfo),
			sub("list", -2, adm, dangerous, "2.4.0", "Lists open connections.",
				"[TYPE <NORMAL | MASTER | REPLICA | PUBSUB>] [ID client-id [client-id ...]]", cmdClientList),
			sub("kill", -3, adm, dangerous, "2.4.0", "Terminates open connections.",
				"<ip:port | <[ID client-id] | [TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] | [USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME <YES | NO>]> [...]>", cmdClientKill),
			sub("pause", -3, adm, dangerous, "3.0.0", "Suspends commands processing.", "timeout [WRITE | ALL]", cmdClientPause),
			sub("unpause", 2, adm, dangerous, "6.2.0", "Resumes processing commands from paused clients.", "", cmdClientUnpause),
			sub("reply", 3, base, conn, "3.2.0", "Instructs the server whether to reply to commands.", "<ON | OFF | SKIP>", cmdClientReply),
			sub("unblock", -3, adm, dangerous, "5.0.0", "Unblocks a client blocked by a blocking command from a different connection.",
				"client-id [TIMEOUT | ERROR]", cmdClientUnblock), // blocking.go
			sub("no-evict", 3, adm, dangerous, "7.0.0", "Sets the client eviction mode of the connection.", "<ON | OFF>", cmdClientNoEvict),
			sub("no-touch", 3, base, conn, "7.2.0", "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.", "<ON | OFF>", cmdClientNoTouch),
			sub("tracking", -3, base, conn, "6.0.0", "Controls server-assisted client-side caching for the connection.",
				"<ON | OFF> [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]", cmdClientTracking), // tracking.go
			sub("caching", 3, base, conn, "6.0.0", "Instructs the server whether to track the keys in the next request.", "<YES | NO>", cmdClientCaching),
			sub("getredir", 2, base, conn, "6.0.0", "Returns the client ID to which the connection's tracking notifications are redirected.", "", cmdClientGetRedir),
			sub("trackinginfo", 2, base, conn, "6.2.0", "Returns information about server-assisted client-side caching for the connection.", "", cmdClientTrackingInfo),
			sub("help", 2, FlagLoading|FlagStale, conn, "5.0.0", "Returns helpful text about the different subcommands.", "", cmdClientHelp),
		)})
}
