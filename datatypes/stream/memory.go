package stream

// MemoryBytes estimates the bytes the stream holds in O(nodes at most three,
// groups) time: the keyspace's memory accounting calls it on every write,
// where MemoryUsage's walk over every node would make XADD to a long stream
// slow. Nodes past the first three are counted at the newest node's bytes
// per entry, which a stream filled by XADD resembles; the groups are few.
func (s *Stream) MemoryBytes() int {
	const entrySize = 48 // as in MemoryUsage
	total := 96
	nodeBytes := func(n *node) int {
		b := 96 + cap(n.entries)*entrySize
		for _, f := range n.fields {
			b += 24 + cap(f)
		}
		for i := range n.entries {
			b += cap(n.entries[i].data)
		}
		return b
	}
	if nodes := s.nodes.Len(); nodes <= 3 {
		s.nodes.Scan(func(n *node) bool { total += nodeBytes(n); return true })
	} else if last, ok := s.nodes.Max(); ok && len(last.entries) > 0 {
		perEntry := nodeBytes(last) / len(last.entries)
		total += nodes*96 + int(s.length)*perEntry
	}
	s.Groups(func(g *Group) bool {
		total += 96 + len(g.name) + g.pel.Len()*(48+8+8) + g.consumers.Len()*80
		return true
	})
	return total
}
