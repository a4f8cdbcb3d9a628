package failover

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Member is one node of the replication group.
type Member struct {
	// ID is the node's stable identity: its raft server ID.
	ID string `json:"id"`
	// Addr is the host:port of the node's client (RESP) port.
	Addr string `json:"addr"`
	// RaftAddr is the host:port of the node's raft transport.
	RaftAddr string `json:"raft"`
}

// ParsePeers parses vireo-failover-peers: members separated by spaces or
// commas, each written id@host:port@raft-host:raft-port, where host:port is
// the client port. The first member is the group's initial primary. IDs,
// client addresses and raft addresses must be unique.
func ParsePeers(s string) ([]Member, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' })
	if len(fields) == 0 {
		return nil, fmt.Errorf("failover: no peers")
	}
	seen := map[string]bool{}
	out := make([]Member, 0, len(fields))
	for _, f := range fields {
		parts := strings.Split(f, "@")
		if len(parts) != 3 {
			return nil, fmt.Errorf("failover: peer %q is not id@host:port@raft-host:raft-port", f)
		}
		m := Member{ID: parts[0], Addr: parts[1], RaftAddr: parts[2]}
		if err := validID(m.ID); err != nil {
			return nil, err
		}
		for _, a := range []string{m.Addr, m.RaftAddr} {
			if err := validHostPort(a); err != nil {
				return nil, fmt.Errorf("failover: peer %q: %w", f, err)
			}
		}
		for _, key := range []string{"id " + m.ID, "addr " + m.Addr, "raft " + m.RaftAddr} {
			if seen[key] {
				return nil, fmt.Errorf("failover: peer %q repeats an %s", f, strings.SplitN(key, " ", 2)[0])
			}
			seen[key] = true
		}
		out = append(out, m)
	}
	return out, nil
}

// FormatPeers is ParsePeers' inverse.
func FormatPeers(members []Member) string {
	parts := make([]string, len(members))
	for i, m := range members {
		parts[i] = m.ID + "@" + m.Addr + "@" + m.RaftAddr
	}
	return strings.Join(parts, " ")
}

// validID accepts the characters that survive a config file, a RESP reply
// and a raft server ID unquoted.
func validID(id string) error {
	if id == "" || len(id) > 64 {
		return fmt.Errorf("failover: node id %q must be 1 to 64 characters", id)
	}
	for _, r := range id {
		ok := r == '-' || r == '_' || r == '.' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !ok {
			return fmt.Errorf("failover: node id %q may only hold letters, digits, '-', '_' and '.'", id)
		}
	}
	return nil
}

func validHostPort(a string) error {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return fmt.Errorf("address %q: %w", a, err)
	}
	if host == "" {
		return fmt.Errorf("address %q has no host", a)
	}
	p, err := strconv.Atoi(port)
	if err != nil || p <= 0 || p > 65535 {
		return fmt.Errorf("address %q has a bad port", a)
	}
	return nil
}

// SplitAddr splits a member's client address into host and port.
func SplitAddr(addr string) (string, int) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr, 0
	}
	p, _ := strconv.Atoi(port)
	return host, p
}
