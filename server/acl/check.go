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

// Denial says why a check failed, in Redis's order of relevance (acl.c
// ACL_DENIED_*): of the selectors' failures the highest is reported.
type Denial int

const (
	Allowed Denial = iota
	DeniedCommand
	DeniedKey
	DeniedAuth
	DeniedChannel
)

// Request is one command call to check.
type Request struct {
	Cmd      *Command
	FirstArg []byte // the first argument, for first-arg exceptions; nil if none
	// NoAuthCommand: the command needs no authentication (AUTH, HELLO...)
	// and is always allowed.
	NoAuthCommand bool
	Args          [][]byte
	KeyPos        []int // indexes in Args of the keys
	KeyPerm       Perm  // what the keys need
	// Args[ChanFrom:ChanTo] are channels; patterns when ChanPattern.
	ChanFrom, ChanTo int
	ChanPattern      bool
}

// Check runs r against the root selector and then each selector
// (ACLCheckAllUserCommandPerm): allowed when one allows the command, all
// its keys and all its channels. Otherwise it returns the most relevant
// denial and the index in Args of the denied key or channel.
func (u *User) Check(r *Request) (Denial, int) {
	d, idx := u.Root.check(r)
	if d == Allowed {
		return Allowed, 0
	}
	for _, s := range u.Selectors {
		sd, sidx := s.check(r)
		if sd == Allowed {
			return Allowed, 0
		}
		if sd > d || (sd == d && sidx > idx) {
			d, idx = sd, sidx
		}
	}
	return d, idx
}

func (s *Selector) check(r *Request) (Denial, int) {
	if !r.NoAuthCommand && !s.canRun(r.Cmd, r.FirstArg) {
		return DeniedCommand, 0
	}
	if !s.allKeys {
		for _, i := range r.KeyPos {
			if i < len(r.Args) && !s.canAccessKey(r.Args[i], r.KeyPerm) {
				return DeniedKey, i
			}
		}
	}
	if !s.allChannels {
		for i := r.ChanFrom; i < r.ChanTo && i < len(r.Args); i++ {
			if !s.canAccessChannel(r.Args[i], r.ChanPattern) {
				return DeniedChannel, i
			}
		}
	}
	return Allowed, 0
}

// CanRun reports whether the root selector allows cmd with the given first
// argument (nil when none).
func (u *User) CanRun(c *Command, firstArg []byte) bool { return u.Root.canRun(c, firstArg) }

func (s *Selector) canRun(c *Command, firstArg []byte) bool {
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

// CanAccessKey reports whether some root key pattern with the permissions
// perm matches key (ACLSelectorCheckKey). perm 0 needs only a match.
func (u *User) CanAccessKey(key []byte, perm Perm) bool { return u.Root.canAccessKey(key, perm) }

func (s *Selector) canAccessKey(key []byte, perm Perm) bool {
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

// CanAccessChannel reports whether the root selector allows channel. A
// pattern (PSUBSCRIBE) must equal one of the user's patterns literally; a
// channel must match one (ACLCheckChannelAgainstList).
func (u *User) CanAccessChannel(channel []byte, isPattern bool) bool {
	return u.Root.canAccessChannel(channel, isPattern)
}

func (s *Selector) canAccessChannel(channel []byte, isPattern bool) bool {
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
