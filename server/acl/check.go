package acl

import (
	"crypto/subtle"
	"strings"

	"github.com/vireodb/vireo/datatypes/glob"
)

// CheckPassword reports whether pass authenticates u (ACLCheckUserCredentials):
// the user must be on, and nopass or holding the password's hash.
func (u *User) CheckPassword(pass []byte) bool {
	if !u.On {
		return false
	}
	if u.NoPass {
		return true
	}
	h := HashPassword(pass)
	ok := false
	for _, p := range u.Passwords {
		// Compare every hash in constant time so that timing says nothing.
		if subtle.ConstantTimeCompare([]byte(p), []byte(h)) == 1 {
			ok = true
		}
	}
	return ok
}

// CanRun reports whether the user may run cmd with the given first argument
// (nil when none): its bit, or a first-arg exception.
func (u *User) CanRun(c *Command, firstArg []byte) bool {
	s := &u.Root
	if s.bit(c.ID) {
		return true
	}
	if firstArg == nil || c.HasSubs {
		return false
	}
	for _, a := range s.firstArgs[c.ID] {
		if strings.EqualFold(a, string(firstArg)) {
			return true
		}
	}
	return false
}

// CanAccessKey reports whether some key pattern with the permissions perm
// matches key (ACLSelectorCheckKey). perm 0 needs only a matching pattern.
func (u *User) CanAccessKey(key []byte, perm Perm) bool {
	s := &u.Root
	if s.allKeys {
		return true
	}
	for _, p := range s.keys {
		if p.Perm&perm != perm {
			continue
		}
		if glob.Match([]byte(p.Pattern), key, false) {
			return true
		}
	}
	return false
}

// AllKeys reports whether the user may access every key.
func (u *User) AllKeys() bool { return u.Root.allKeys }

// AllChannels reports whether the user may access every channel.
func (u *User) AllChannels() bool { return u.Root.allChannels }

// CanAccessChannel reports whether the user may use channel. A pattern
// (PSUBSCRIBE) must equal one of the user's patterns literally; a channel
// must match one (ACLCheckChannelAgainstList).
func (u *User) CanAccessChannel(channel []byte, isPattern bool) bool {
	s := &u.Root
	if s.allChannels {
		return true
	}
	for _, p := range s.channels {
		if isPattern {
			if p == string(channel) {
				return true
			}
		} else if glob.Match([]byte(p), channel, false) {
			return true
		}
	}
	return false
}

// Channels returns the user's channel patterns (nil with allchannels).
func (u *User) Channels() []string { return u.Root.channels }
