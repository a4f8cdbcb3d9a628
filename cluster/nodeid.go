package cluster

import (
	"crypto/rand"
	"encoding/hex"
)

// NewNodeID returns a random 40-hex-character node (or shard) ID, the
// shape Redis gives its node names.
func NewNodeID() string {
	var b [20]byte
	rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

// ValidNodeID reports whether id has the shape of a node ID.
func ValidNodeID(id string) bool {
	if len(id) != 40 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
