package stream

// Group is a consumer group: its last delivered ID, its entries-read
// counter, its pending entries list (PEL) and its consumers.
type Group struct {
	name        string
	LastID      ID
	EntriesRead int64 // InvalidEntriesRead when unknown
	pel         *ordered[*Pending]
	consumers   *ordered[*Consumer] // by name
}

// Pending is a delivered entry not yet acknowledged (a NACK).
type Pending struct {
	ID            ID
	Consumer      *Consumer
	DeliveryTime  int64 // unix ms of the last delivery
	DeliveryCount uint64
}

// Consumer is one consumer of a group.
type Consumer struct {
	name       string
	SeenTime   int64 // unix ms of its last interaction
	ActiveTime int64 // unix ms of its last successful read or claim (7.2); -1 never
	pel        *ordered[*Pending]
}

func pendingLess(a, b *Pending) bool { return a.ID.Less(b.ID) }
func groupLess(a, b *Group) bool     { return a.name < b.name }
func consumerLess(a, b *Consumer) bool {
	return a.name < b.name
}

func newPEL() *ordered[*Pending] {
	return newOrdered(pendingLess)
}

// Name is the group's name.
func (g *Group) Name() string { return g.name }

// Name is the consumer's name.
func (c *Consumer) Name() string { return c.name }

// PendingLen is the number of entries in the consumer's own PEL.
func (c *Consumer) PendingLen() int { return c.pel.Len() }

// RangePending calls fn for the consumer's pending entries with
// start <= ID <= end in ID order until it returns false.
func (c *Consumer) RangePending(start, end ID, fn func(p *Pending) bool) {
	rangePEL(c.pel, start, end, fn)
}

func rangePEL(pel *ordered[*Pending], start, end ID, fn func(p *Pending) bool) {
	pel.Ascend(&Pending{ID: start}, func(p *Pending) bool {
		if p.ID.Cmp(end) > 0 {
			return false
		}
		return fn(p)
	})
}

// --- groups of a stream ---

// NumGroups is the number of consumer groups.
func (s *Stream) NumGroups() int {
	if s.groups == nil {
		return 0
	}
	return s.groups.Len()
}

// Group returns the group called name, or nil.
func (s *Stream) Group(name []byte) *Group {
	if s.groups == nil {
		return nil
	}
	g, _ := s.groups.Get(&Group{name: string(name)})
	return g
}

// CreateGroup adds a group; nil when one with that name exists.
func (s *Stream) CreateGroup(name []byte, lastID ID, entriesRead int64) *Group {
	if s.groups == nil {
		s.groups = newOrdered(groupLess)
	}
	if s.Group(name) != nil {
		return nil
	}
	g := &Group{
		name: string(name), LastID: lastID, EntriesRead: entriesRead, pel: newPEL(),
		consumers: newOrdered(consumerLess),
	}
	s.groups.Set(g)
	return g
}

// DestroyGroup removes a group and reports whether it existed.
func (s *Stream) DestroyGroup(name []byte) bool {
	if s.groups == nil {
		return false
	}
	_, ok := s.groups.Delete(&Group{name: string(name)})
	return ok
}

// Groups calls fn for every group in name order until it returns false.
func (s *Stream) Groups(fn func(g *Group) bool) {
	if s.groups == nil {
		return
	}
	s.groups.Scan(fn)
}

// --- consumers ---

// NumConsumers is the number of consumers in the group.
func (g *Group) NumConsumers() int { return g.consumers.Len() }

// Consumer returns the consumer called name, or nil.
func (g *Group) Consumer(name []byte) *Consumer {
	c, _ := g.consumers.Get(&Consumer{name: string(name)})
	return c
}

// CreateConsumer adds a consumer seen at nowMs; nil when it exists.
func (g *Group) CreateConsumer(name []byte, nowMs int64) *Consumer {
	if g.Consumer(name) != nil {
		return nil
	}
	c := &Consumer{name: string(name), SeenTime: nowMs, ActiveTime: -1, pel: newPEL()}
	g.consumers.Set(c)
	return c
}

// LookupOrCreateConsumer returns the consumer, creating it when missing
// (created reports that).
func (g *Group) LookupOrCreateConsumer(name []byte, nowMs int64) (c *Consumer, created bool) {
	if c = g.Consumer(name); c != nil {
		return c, false
	}
	return g.CreateConsumer(name, nowMs), true
}

// DeleteConsumer removes a consumer and its pending entries from the group
// and returns how many it had pending; false when it did not exist.
func (g *Group) DeleteConsumer(name []byte) (int, bool) {
	c := g.Consumer(name)
	if c == nil {
		return 0, false
	}
	n := c.pel.Len()
	c.pel.Scan(func(p *Pending) bool {
		g.pel.Delete(p)
		return true
	})
	g.consumers.Delete(c)
	return n, true
}

// Consumers calls fn for every consumer in name order until it returns
// false.
func (g *Group) Consumers(fn func(c *Consumer) bool) { g.consumers.Scan(fn) }

// --- the PEL ---

// PendingLen is the number of entries in the group's PEL.
func (g *Group) PendingLen() int { return g.pel.Len() }

// Pending returns the PEL entry of id, or nil.
func (g *Group) Pending(id ID) *Pending {
	p, _ := g.pel.Get(&Pending{ID: id})
	return p
}

// RangePending calls fn for the group's pending entries with
// start <= ID <= end in ID order until it returns false.
func (g *Group) RangePending(start, end ID, fn func(p *Pending) bool) {
	rangePEL(g.pel, start, end, fn)
}

// FirstPending and LastPending are the PEL's smallest and greatest entries.
func (g *Group) FirstPending() *Pending {
	p, _ := g.pel.Min()
	return p
}

// LastPending is the PEL's greatest entry, or nil.
func (g *Group) LastPending() *Pending {
	p, _ := g.pel.Max()
	return p
}

// Ack removes id from the PEL and reports whether it was pending.
func (g *Group) Ack(id ID) bool {
	p, ok := g.pel.Delete(&Pending{ID: id})
	if !ok {
		return false
	}
	p.Consumer.pel.Delete(p)
	return true
}

// Deliver records that id was delivered to c at nowMs (XREADGROUP): a new
// PEL entry with count 1, or an existing one moved to c with its count and
// time reset, as Redis does for an entry re-read after XGROUP SETID.
func (g *Group) Deliver(id ID, c *Consumer, nowMs int64) *Pending {
	if p := g.Pending(id); p != nil {
		p.Consumer.pel.Delete(p)
		p.Consumer = c
		p.DeliveryTime = nowMs
		p.DeliveryCount = 1
		c.pel.Set(p)
		return p
	}
	p := &Pending{ID: id, Consumer: c, DeliveryTime: nowMs, DeliveryCount: 1}
	g.pel.Set(p)
	c.pel.Set(p)
	return p
}

// Claim gives the pending entry p to c (XCLAIM/XAUTOCLAIM): it moves to c's
// PEL; the caller updates its time and count.
func (g *Group) Claim(p *Pending, c *Consumer) {
	if p.Consumer != c {
		p.Consumer.pel.Delete(p)
		p.Consumer = c
		c.pel.Set(p)
	}
}

// AddPending adds a PEL entry for c (XCLAIM FORCE of an unknown id, RDB
// load); it reports false when id is already pending.
func (g *Group) AddPending(id ID, c *Consumer, deliveryTime int64, deliveryCount uint64) (*Pending, bool) {
	if g.Pending(id) != nil {
		return nil, false
	}
	p := &Pending{ID: id, Consumer: c, DeliveryTime: deliveryTime, DeliveryCount: deliveryCount}
	g.pel.Set(p)
	c.pel.Set(p)
	return p, true
}

// --- entries-read and lag (Redis 7.0) ---

// EstimateDistance is the logical number of entries read up to id
// (streamEstimateDistanceFromFirstEverEntry), or InvalidEntriesRead when
// it cannot be known.
func (s *Stream) EstimateDistance(id ID) int64 {
	if s.entriesAdded == 0 {
		return 0
	}
	if s.length == 0 && id.Cmp(s.lastID) < 1 {
		return int64(s.entriesAdded)
	}
	cmpLast := id.Cmp(s.lastID)
	if cmpLast == 0 {
		return int64(s.entriesAdded)
	} else if cmpLast > 0 {
		return InvalidEntriesRead
	}
	cmpIDFirst := id.Cmp(s.firstID)
	cmpXdelFirst := s.maxDeletedID.Cmp(s.firstID)
	if s.maxDeletedID.IsZero() || cmpXdelFirst < 0 {
		if cmpIDFirst < 0 {
			return int64(s.entriesAdded - s.length)
		} else if cmpIDFirst == 0 {
			return int64(s.entriesAdded - s.length + 1)
		}
	}
	return InvalidEntriesRead
}

// RangeHasTombstones reports whether a deleted entry may lie in
// [start, end] (streamRangeHasTombstones); end nil means to the end.
func (s *Stream) RangeHasTombstones(start ID, end *ID) bool {
	if s.length == 0 || s.maxDeletedID.IsZero() {
		return false
	}
	if s.firstID.Cmp(s.maxDeletedID) > 0 {
		return false
	}
	e := MaxID
	if end != nil {
		e = *end
	}
	return start.Cmp(s.maxDeletedID) <= 0 && s.maxDeletedID.Cmp(e) <= 0
}

// Lag is the number of entries the group has yet to read, false when it
// cannot be known (streamReplyWithCGLag).
func (s *Stream) Lag(g *Group) (int64, bool) {
	if s.entriesAdded == 0 {
		return 0, true
	}
	if g.EntriesRead != InvalidEntriesRead && !s.RangeHasTombstones(g.LastID, nil) {
		return int64(s.entriesAdded) - g.EntriesRead, true
	}
	read := s.EstimateDistance(g.LastID)
	if read == InvalidEntriesRead {
		return 0, false
	}
	return int64(s.entriesAdded) - read, true
}

// Advance moves the group's last delivered ID to id when id is greater,
// keeping entries-read in step (streamReplyWithRange with a group); it
// reports whether the ID moved.
func (s *Stream) Advance(g *Group, id ID) bool {
	if id.Cmp(g.LastID) <= 0 {
		return false
	}
	if g.EntriesRead != InvalidEntriesRead && !s.RangeHasTombstones(id, nil) {
		g.EntriesRead++
	} else if s.entriesAdded != 0 {
		g.EntriesRead = s.EstimateDistance(id)
	}
	g.LastID = id
	return true
}

// --- copying ---

// Clone returns a deep copy (COPY). Entry data is never changed in place,
// so the copy shares it.
func (s *Stream) Clone() any {
	c := &Stream{
		nodes:  newOrdered(nodeLess),
		length: s.length, lastID: s.lastID, firstID: s.firstID,
		maxDeletedID: s.maxDeletedID, entriesAdded: s.entriesAdded,
	}
	s.nodes.Scan(func(n *node) bool {
		cn := *n
		cn.entries = append([]entry(nil), n.entries...)
		c.nodes.Set(&cn)
		return true
	})
	s.Groups(func(g *Group) bool {
		cg := c.CreateGroup([]byte(g.name), g.LastID, g.EntriesRead)
		consumers := map[*Consumer]*Consumer{}
		g.consumers.Scan(func(con *Consumer) bool {
			cc := cg.CreateConsumer([]byte(con.name), con.SeenTime)
			cc.ActiveTime = con.ActiveTime
			consumers[con] = cc
			return true
		})
		g.pel.Scan(func(p *Pending) bool {
			cg.AddPending(p.ID, consumers[p.Consumer], p.DeliveryTime, p.DeliveryCount)
			return true
		})
		return true
	})
	return c
}
