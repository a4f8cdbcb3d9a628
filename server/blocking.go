package server

// Blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP; later
// BZPOPMIN/BZPOPMAX/BZMPOP and XREAD BLOCK), on the keyspace's waiter queues
// (datatypes/keyspace/blocking.go has the design).
//
// How a command blocks. Its handler runs as usual under the dispatcher's
// locks; when it finds nothing and may block (not inside MULTI or a script,
// see mayBlock), it calls blockOn with its keys, the value type that would
// satisfy it and its timeout, and returns without a reply. blockOn queues the
// client on those keys while their locks are still held. Once the dispatcher
// has released the locks, execute sees the pending block and awaitBlocked
// parks the connection goroutine on the waiter's Turn channel, a timer, and a
// watcher goroutine that reads the socket (so a disconnect is noticed, and
// what the client sends meanwhile is kept for later, as Redis does).
//
// How it is served. A write that readies one of the keys leads, after that
// write's command released its locks, to a turn: the woken goroutine runs the
// same handler again, with the same arguments, under the command's key locks
// (retryBlocked). The handler finds the value and replies — to this
// connection — and propagates its effect as the plain pop or move, exactly
// as if it had not blocked. If another client took the value first, the
// handler calls blockOn again, which during a retry only reports "still
// blocked": the client keeps its place in the queues (Redis 7.2 re-executes
// blocked commands the same way). A command whose retry needs state from the
// first run (XREAD's "$" must keep the ID it stood for) passes it to
// blockOnData and reads it back with blockData during retries.
//
// A timeout, CLIENT UNBLOCK or a disconnect ends the wait instead; the
// command's onTimeout writes its timeout reply.

import (
	"errors"
	"math/big"
	"os"
	"sync/atomic"
	"time"

	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/num"
)

const (
	errTimeoutNotFloat = "ERR timeout is not a float or out of range"
	errTimeoutNegative = "ERR timeout is negative"
	errUnblocked       = "UNBLOCKED client unblocked via CLIENT UNBLOCK"
)

// blockState is a connection's blocking state (Ctx.block).
type blockState struct {
	// deny makes blocking commands answer at once as on timeout; the
	// scripting engine sets it while a script runs (MULTI is checked
	// directly).
	deny bool

	waiter    *keyspace.Waiter // set while the command is blocked
	shared    atomic.Pointer[keyspace.Waiter]
	deadline  int64 // unix ms; 0: wait forever
	onTimeout func(c *Ctx)

	retrying     bool // the handler runs again for a turn
	stillBlocked bool // ... and found nothing again
	data         any  // what the command kept for its retries (blockOnData)
	whenGone     bool // offer the keys also when their values go (keyspace.Waiter.WhenGone)

	// flushed counts reply bytes written out before the command waited
	// (conn.go's run keeps its CLIENT REPLY mark right with it).
	flushed int
	// input holds what the client sent while blocked; the connection loop
	// appends it to its read buffer.
	input []byte
}

// mayBlock reports whether a blocking command may block now: not inside
// MULTI/EXEC and not from a script. Otherwise it answers as on timeout.
func (c *Ctx) mayBlock() bool { return c.multi == nil && !c.block.deny }

// blockOn blocks the client on keys (of the current database) until one of
// them holds a value of type t, or until timeoutMS passes (0: forever), then
// runs the command again. onTimeout writes the reply for a timeout. The
// caller holds the keys' locks (they are the command's keys) and has checked
// mayBlock. During a retry it only records that the command is still
// blocked: the client keeps its place in the queues.
func (c *Ctx) blockOn(keys [][]byte, t keyspace.Type, timeoutMS int64, onTimeout func(c *Ctx)) {
	c.blockOnData(keys, t, timeoutMS, onTimeout, nil)
}

// blockOnData is blockOn keeping data for the command's retries, where
// blockData returns it.
func (c *Ctx) blockOnData(keys [][]byte, t keyspace.Type, timeoutMS int64, onTimeout func(c *Ctx), data any) {
	if c.block.retrying {
		c.block.stillBlocked = true
		return
	}
	c.block.data = data
	w := keyspace.NewWaiter(t)
	w.WhenGone = c.block.whenGone
	for _, k := range keys {
		c.db.Block(k, w)
	}
	c.block.waiter = w
	c.block.shared.Store(w)
	c.block.deadline = 0
	if timeoutMS > 0 {
		c.block.deadline = c.now + timeoutMS
	}
	c.block.onTimeout = onTimeout
}

// blockData is what the command passed to blockOnData, during a retry; nil
// on the first run.
func (c *Ctx) blockData() any {
	if !c.block.retrying {
		return nil
	}
	return c.block.data
}

// parseTimeoutMS reads a timeout in milliseconds (XREAD BLOCK, WAIT): an
// integer, not negative; 0 means forever (getTimeoutFromObjectOrReply with
// UNIT_MILLISECONDS).
func (c *Ctx) parseTimeoutMS(arg []byte) (int64, bool) {
	v, ok := parseInt(arg)
	if !ok {
		c.Error("ERR timeout is not an integer or out of range")
		return 0, false
	}
	if v < 0 {
		c.Error(errTimeoutNegative)
		return 0, false
	}
	return v, true
}

// parseTimeout reads a blocking command's timeout in seconds and returns it
// in milliseconds (0: no timeout), with the rules of redis-server 7.0.15's
// getTimeoutFromObjectOrReply: the text is parsed like strtold into an x87
// long double (64-bit mantissa), multiplied by 1000, rounded up (ceill) and
// cast to a long long; a value out of that range turns into LLONG_MIN, so it
// reads as negative ("inf", "1e16"). So 0.0001 waits 1 ms, -0.0001 forever.
func (c *Ctx) parseTimeout(arg []byte) (int64, bool) {
	ms, errText := blockTimeoutMS(arg)
	if errText != "" {
		c.Error(errText)
		return 0, false
	}
	return ms, true
}

var (
	twoTo63  = new(big.Float).SetMantExp(big.NewFloat(0.5), 64) // 2^63
	thousand = big.NewFloat(1000)
)

func blockTimeoutMS(arg []byte) (int64, string) {
	// Integer seconds, the common case, without big.Float.
	if v, ok := num.ParseInt(arg); ok {
		if v > (1<<63-1)/1000 || v < -(1<<63-1)/1000 {
			return 0, errTimeoutNegative
		}
		if v < 0 {
			return 0, errTimeoutNegative
		}
		return v * 1000, ""
	}
	f, ok := parseLongDouble(arg) // string.go: strtold's syntax and range
	if !ok {
		return 0, errTimeoutNotFloat
	}
	ms := new(big.Float).SetPrec(64).SetMode(big.ToNearestEven).Mul(f, thousand)
	// (long long) of a value outside (-2^63, 2^63) is LLONG_MIN on x86.
	if ms.IsInf() || new(big.Float).Abs(ms).Cmp(twoTo63) >= 0 {
		return 0, errTimeoutNegative
	}
	v, acc := ms.Int64() // truncates toward zero
	if acc == big.Below {
		v++ // ceill: a positive fraction of a millisecond rounds up
	}
	if v < 0 {
		return 0, errTimeoutNegative
	}
	return v, ""
}

// awaitBlocked parks the connection until the blocked command is served,
// times out, is unblocked or the client goes away. It runs in execute, after
// the command released its locks.
func (c *Ctx) awaitBlocked(cmd *Command, args [][]byte) {
	w := c.block.waiter
	ks := c.srv.ks
	// Earlier replies of this batch go out now, from the watcher goroutine,
	// so a client that does not read cannot stall whoever gives us a turn.
	var pending []byte
	if len(c.out) > 0 && c.oq != nil {
		// A writer goroutine owns the socket (outqueue.go): queue them there.
		c.block.flushed += len(c.out)
		c.flush()
	} else if len(c.out) > 0 {
		pending = c.out
		c.block.flushed += len(pending)
		c.out = make([]byte, 0, readBufSize)
	}
	watch := c.startWatch(pending)
	var timer <-chan time.Time
	if d := c.block.deadline; d > 0 {
		t := time.NewTimer(time.Until(time.UnixMilli(d)))
		defer t.Stop()
		timer = t.C
	}
	gone, stopping := watch.gone, c.srv.ctx.Done()
	var want keyspace.CancelReason // a cancellation that lost to a turn, retried after it
	for c.block.waiter != nil {
		if want != keyspace.NotCancelled && w.TryCancel(want) {
			ks.Leave(w)
			c.endBlocked(want)
			break
		}
		select {
		case <-w.Turn():
			if r := w.Cancelled(); r != keyspace.NotCancelled {
				ks.Leave(w)
				c.endBlocked(r)
			} else {
				c.retryBlocked(cmd, args)
			}
		case <-timer:
			timer, want = nil, keyspace.CancelTimeout
		case <-gone:
			gone, want = nil, keyspace.CancelDisconnect
		case <-stopping:
			stopping, want = nil, keyspace.CancelDisconnect
		}
	}
	c.stopWatch(watch)
}

// endBlocked finishes a wait that ended without being served.
func (c *Ctx) endBlocked(r keyspace.CancelReason) {
	onTimeout := c.block.onTimeout
	c.clearBlocked()
	switch r {
	case keyspace.CancelTimeout, keyspace.CancelUnblock:
		onTimeout(c)
	case keyspace.CancelUnblockErr:
		c.Error(errUnblocked)
	case keyspace.CancelDisconnect:
		c.closeAfterReply = true
	}
}

func (c *Ctx) clearBlocked() {
	c.block.waiter = nil
	c.block.shared.Store(nil)
	c.block.onTimeout = nil
	c.block.data = nil
}

// retryBlocked is a turn: the command runs again under its key locks. When
// it is served the client leaves its queues; either way the turn ends after
// the locks are released, and a served client then serves the keys its own
// write readied (BLMOVE's destination).
func (c *Ctx) retryBlocked(cmd *Command, args [][]byte) {
	w := c.block.waiter
	srv := c.srv
	ks := srv.ks
	c.clock = time.Now()
	c.now = c.clock.UnixMilli()
	c.failed, c.dirty, c.customProp = false, 0, false
	c.block.retrying, c.block.stillBlocked = true, false
	c.keyIdx = cmd.keyPositions(args, c.keyIdx[:0])
	c.lockIdx = c.lockIdx[:0]
	for _, i := range c.keyIdx {
		c.lockIdx = append(c.lockIdx, c.db.ShardIndex(args[i]))
	}
	c.lockIdx = ks.LockShards(c.lockIdx)
	cmd.Handler(c, args)
	served := !c.block.stillBlocked
	if served {
		w.LeaveLocked()
	}
	c.propagateLocked(cmd, args)
	ks.UnlockShards(c.lockIdx)
	c.block.retrying = false
	if c.dirty > 0 {
		srv.dirty.Add(int64(c.dirty))
	}
	w.EndTurn(served)
	if served {
		c.clearBlocked()
		if ks.HasReady() {
			ks.ServeReady()
		}
	}
}

// serveBlocked gives turns to clients blocked on keys the command just
// readied; the dispatcher calls it after a command released its locks.
func (c *Ctx) serveBlocked() {
	if !c.allLocked && c.block.waiter == nil && c.srv.ks.HasReady() {
		c.srv.ks.ServeReady()
	}
}

// connWatch reads the socket of a blocked client.
type connWatch struct {
	gone  chan struct{} // closed when the connection failed or closed
	done  chan struct{} // closed when the watcher goroutine returned
	stop  atomic.Bool
	input []byte
}

// startWatch writes pending (earlier replies), then reads whatever the client
// sends until stopWatch, noticing a disconnect.
func (c *Ctx) startWatch(pending []byte) *connWatch {
	wt := &connWatch{gone: make(chan struct{}), done: make(chan struct{})}
	limit := c.srv.set.queryBufLimit.Load()
	noRead := c.inRawRead
	go func() {
		defer close(wt.done)
		if len(pending) > 0 {
			n, err := c.conn.Write(pending)
			c.srv.stats.netOutput.Add(int64(n))
			if err != nil {
				close(wt.gone)
				return
			}
		}
		if noRead {
			// This goroutine could not take the descriptor's read lock
			// (conn_raw.go); every command that blocks has FlagBlocking
			// and runs outside that loop, so this is only a safety net:
			// the wait goes on without watching the socket.
			return
		}
		buf := make([]byte, 4096)
		for {
			n, err := c.conn.Read(buf)
			if n > 0 {
				c.srv.stats.netInput.Add(int64(n))
				wt.input = append(wt.input, buf[:n]...)
				if limit > 0 && int64(len(wt.input)) > limit {
					close(wt.gone) // query buffer limit: the connection will be closed
					return
				}
			}
			if err != nil {
				if !(wt.stop.Load() && errors.Is(err, os.ErrDeadlineExceeded)) {
					close(wt.gone)
				}
				return
			}
		}
	}()
	return wt
}

// stopWatch ends the watcher and keeps what it read. A client that went away
// is closed after this command.
func (c *Ctx) stopWatch(wt *connWatch) {
	wt.stop.Store(true)
	c.conn.SetReadDeadline(time.Now())
	<-wt.done
	c.conn.SetReadDeadline(time.Time{})
	select {
	case <-wt.gone:
		c.closeAfterReply = true
		return
	default:
	}
	if len(wt.input) > 0 {
		c.block.input = append(c.block.input, wt.input...)
	}
}

// absorbBlockedInput appends what the client sent while blocked to the
// connection's read buffer buf[r:w] (conn.go calls it after each command).
func (c *Ctx) absorbBlockedInput(buf []byte, r, w int) ([]byte, int, int) {
	in := c.block.input
	c.block.input = nil
	if len(buf)-w < len(in) {
		buf, r, w = c.srv.growBuffer(buf, r, w, w-r+len(in))
	}
	w += copy(buf[w:], in)
	return buf, r, w
}

// CLIENT UNBLOCK client-id [TIMEOUT | ERROR]
func cmdClientUnblock(c *Ctx, args [][]byte) {
	if len(args) > 4 {
		c.Error("ERR unknown subcommand or wrong number of arguments for '" + string(args[1]) + "'. Try CLIENT HELP.")
		return
	}
	withError := false
	if len(args) == 4 {
		switch {
		case eq(args[3], "timeout"):
		case eq(args[3], "error"):
			withError = true
		default:
			c.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
			return
		}
	}
	id, ok := c.intArg(args[2])
	if !ok {
		return
	}
	if c.srv.UnblockClient(id, withError) {
		c.Int(1)
	} else {
		c.Int(0)
	}
}

// UnblockClient is CLIENT UNBLOCK id [TIMEOUT | ERROR]: a client blocked on
// keys stops waiting and gets its timeout reply, or the UNBLOCKED error. It
// reports whether the client was blocked.
func (s *Server) UnblockClient(id int64, withError bool) bool {
	s.clientsMu.Lock()
	target := s.clients[id]
	s.clientsMu.Unlock()
	if target == nil {
		return false
	}
	w := target.block.shared.Load()
	if w == nil {
		return false
	}
	reason := keyspace.CancelUnblock
	if withError {
		reason = keyspace.CancelUnblockErr
	}
	return w.Cancel(reason)
}

// BlockedClients is INFO's blocked_clients.
func (s *Server) BlockedClients() int64 { return s.ks.BlockedClients() }
