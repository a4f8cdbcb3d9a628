package acl

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// Perm is a key pattern's permission: %R~, %W~, or both (~).
type Perm uint8

const (
	PermRead Perm = 1 << iota
	PermWrite
	PermAll = PermRead | PermWrite
)

// KeyPattern is one key pattern of a user.
type KeyPattern struct {
	Perm    Perm
	Pattern string
}

// Selector is a set of command, key and channel permissions: a user's root
// selector, or one of its Redis 7 "(...)" selectors.
type Selector struct {
	allowed []uint64 // bit per command ID
	// future is Redis's reserved "all commands" bit: set by +@all, cleared
	// by -@all; it decides whether a description starts with +@all.
	future      bool
	firstArgs   map[int][]string // allowed first arguments of a denied command
	allKeys     bool
	keys        []KeyPattern
	allChannels bool
	channels    []string
}

// User is one ACL user. Values are immutable once published: SetRules
// works on a Clone.
type User struct {
	Name      string
	On        bool
	NoPass    bool
	Sanitize  int8     // 0 unset, 1 sanitize-payload, -1 skip-sanitize-payload
	Passwords []string // SHA-256 hex, in the order added
	Root      Selector
	// Selectors are the "(...)" selectors: a command is allowed when the
	// root or any one of them allows it with all its keys and channels.
	Selectors []*Selector
	// Permissive is true when the user may run every command on every key
	// and channel: the dispatcher then skips the checks.
	Permissive bool
}

// SetUserError is a rule's failure; Error is Redis's explanation.
type SetUserError struct {
	Rule string
	Msg  string
}

func (e *SetUserError) Error() string { return e.Msg }

// The explanations Redis gives (acl.c ACLSetUserStringError).
const (
	msgUnknown  = "Unknown command or category name in ACL"
	msgSyntax   = "Syntax error"
	msgAllKeys  = "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns"
	msgAllChans = "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels"
	msgNoPass   = "The password you are trying to remove from the user does not exist"
	msgBadHash  = "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters"
	msgSubFirst = "Allowing first-arg of a subcommand is not supported"
)

// NewUser returns a user as ACL SETUSER creates it: off, no passwords, no
// commands, keys or channels (channels per acl-pubsub-default).
func NewUser(cat *Catalog, name string, allChannelsDefault bool) *User {
	u := &User{Name: name}
	u.Root.allowed = make([]uint64, (cat.Len()+63)/64)
	u.Root.allChannels = allChannelsDefault
	u.refresh(cat)
	return u
}

// Clone returns a deep copy to apply rules to.
func (u *User) Clone() *User {
	n := *u
	n.Passwords = slices.Clone(u.Passwords)
	n.Root = *u.Root.clone()
	n.Selectors = make([]*Selector, len(u.Selectors))
	for i, s := range u.Selectors {
		n.Selectors[i] = s.clone()
	}
	return &n
}

func (s *Selector) clone() *Selector {
	n := *s
	n.allowed = slices.Clone(s.allowed)
	n.keys = slices.Clone(s.keys)
	n.channels = slices.Clone(s.channels)
	if s.firstArgs != nil {
		n.firstArgs = make(map[int][]string, len(s.firstArgs))
		for id, args := range s.firstArgs {
			n.firstArgs[id] = slices.Clone(args)
		}
	}
	return &n
}

// newSelector is a selector with no commands, keys or channels (channels
// per acl-pubsub-default).
func newSelector(cat *Catalog, allChannelsDefault bool) *Selector {
	return &Selector{allowed: make([]uint64, (cat.Len()+63)/64), allChannels: allChannelsDefault}
}

// HashPassword is the SHA-256 hex form Redis stores passwords in.
func HashPassword(pass []byte) string {
	sum := sha256.Sum256(pass)
	return hex.EncodeToString(sum[:])
}

func validHash(h string) bool {
	if len(h) != 64 {
		return false
	}
	for i := 0; i < len(h); i++ {
		ch := h[i]
		if !(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f') {
			return false
		}
	}
	return true
}

// SetRules applies rules in order, as ACL SETUSER does, to u (a clone the
// caller publishes only on success). allChannelsDefault is
// acl-pubsub-default, used by "reset".
func (u *User) SetRules(cat *Catalog, rules []string, allChannelsDefault bool) error {
	for _, r := range rules {
		if err := u.setRule(cat, r, allChannelsDefault); err != nil {
			return err
		}
	}
	u.refresh(cat)
	return nil
}

func (u *User) setRule(cat *Catalog, rule string, allChannelsDefault bool) error {
	fail := func(msg string) error { return &SetUserError{Rule: rule, Msg: msg} }
	if rule == "" {
		return nil
	}
	switch low := strings.ToLower(rule); {
	case low == "on":
		u.On = true
	case low == "off":
		u.On = false
	case low == "skip-sanitize-payload":
		u.Sanitize = -1
	case low == "sanitize-payload":
		u.Sanitize = 1
	case low == "nopass":
		u.NoPass = true
		u.Passwords = nil
	case low == "resetpass":
		u.NoPass = false
		u.Passwords = nil
	case low == "reset":
		u.NoPass, u.Passwords = false, nil
		u.Root.allKeys, u.Root.keys = false, nil
		u.Root.allChannels, u.Root.channels = allChannelsDefault, nil
		u.On = false
		u.Sanitize = 1
		u.Root.setAll(false)
		u.Selectors = nil
	case low == "clearselectors":
		u.Selectors = nil
	case rule[0] == '(':
		if len(rule) < 2 || rule[len(rule)-1] != ')' {
			return fail(msgSyntax)
		}
		s := newSelector(cat, allChannelsDefault)
		for _, r := range strings.Fields(rule[1 : len(rule)-1]) {
			if msg := s.setRule(cat, r); msg != "" {
				return fail(msg)
			}
		}
		u.Selectors = append(u.Selectors, s)
	case rule[0] == '>' || rule[0] == '#':
		var h string
		if rule[0] == '>' {
			h = HashPassword([]byte(rule[1:]))
		} else {
			h = rule[1:]
			if !validHash(h) {
				return fail(msgBadHash)
			}
		}
		if !slices.Contains(u.Passwords, h) {
			u.Passwords = append(u.Passwords, h)
		}
		u.NoPass = false
	case rule[0] == '<' || rule[0] == '!':
		var h string
		if rule[0] == '<' {
			h = HashPassword([]byte(rule[1:]))
		} else {
			h = rule[1:]
			if !validHash(h) {
				return fail(msgBadHash)
			}
		}
		i := slices.Index(u.Passwords, h)
		if i < 0 {
			return fail(msgNoPass)
		}
		u.Passwords = slices.Delete(u.Passwords, i, i+1)
		u.NoPass = false
	default:
		if msg := u.Root.setRule(cat, rule); msg != "" {
			return fail(msg)
		}
	}
	return nil
}

// setRule applies a selector rule; it returns Redis's explanation of a
// failure, or "".
func (s *Selector) setRule(cat *Catalog, rule string) string {
	low := strings.ToLower(rule)
	switch {
	case low == "allkeys" || rule == "~*":
		s.allKeys, s.keys = true, nil
	case low == "resetkeys":
		s.allKeys, s.keys = false, nil
	case low == "allchannels" || rule == "&*":
		s.allChannels, s.channels = true, nil
	case low == "resetchannels":
		s.allChannels, s.channels = false, nil
	case low == "allcommands" || low == "+@all":
		s.setAll(true)
	case low == "nocommands" || low == "-@all":
		s.setAll(false)
	case rule[0] == '~' || rule[0] == '%':
		perm, pat := PermAll, rule[1:]
		if rule[0] == '%' {
			perm = 0
			i := 1
			for ; i < len(rule) && rule[i] != '~'; i++ {
				switch rule[i] {
				case 'R', 'r':
					perm |= PermRead
				case 'W', 'w':
					perm |= PermWrite
				default:
					return msgSyntax
				}
			}
			if perm == 0 || i == len(rule) {
				return msgSyntax
			}
			pat = rule[i+1:]
		}
		if s.allKeys {
			return msgAllKeys
		}
		if pat == "*" && perm == PermAll {
			s.allKeys, s.keys = true, nil
			return ""
		}
		for i := range s.keys {
			if s.keys[i].Pattern == pat {
				s.keys[i].Perm |= perm
				return ""
			}
		}
		s.keys = append(s.keys, KeyPattern{Perm: perm, Pattern: pat})
	case rule[0] == '&':
		if s.allChannels {
			return msgAllChans
		}
		if !slices.Contains(s.channels, rule[1:]) {
			s.channels = append(s.channels, rule[1:])
		}
	case (rule[0] == '+' || rule[0] == '-') && len(rule) > 1 && rule[1] == '@':
		bit, ok := cat.CategoryBit(rule[2:])
		if !ok {
			return msgUnknown
		}
		for _, c := range cat.byID {
			if c.Categories&bit != 0 {
				s.change(c, rule[0] == '+')
			}
		}
	case rule[0] == '+' && strings.Contains(rule, "|"):
		name := rule[1:]
		cut := strings.LastIndexByte(name, '|')
		parent := cat.Lookup(name[:cut])
		if parent == nil {
			return msgUnknown
		}
		if parent.Parent != nil {
			return msgSubFirst
		}
		arg := name[cut+1:]
		if arg == "" {
			return msgSyntax
		}
		if parent.HasSubs {
			sub := cat.Lookup(name)
			if sub == nil {
				return msgUnknown
			}
			s.change(sub, true)
			return ""
		}
		if s.firstArgs == nil {
			s.firstArgs = make(map[int][]string)
		}
		for _, a := range s.firstArgs[parent.ID] {
			if strings.EqualFold(a, arg) {
				return ""
			}
		}
		s.firstArgs[parent.ID] = append(s.firstArgs[parent.ID], strings.ToLower(arg))
	case rule[0] == '+' || rule[0] == '-':
		c := cat.Lookup(rule[1:])
		if c == nil {
			return msgUnknown
		}
		s.change(c, rule[0] == '+')
	default:
		return msgSyntax
	}
	return ""
}

// setAll is +@all / -@all.
func (s *Selector) setAll(on bool) {
	var fill uint64
	if on {
		fill = ^uint64(0)
	}
	for i := range s.allowed {
		s.allowed[i] = fill
	}
	s.future = on
	s.firstArgs = nil
}

// change sets a command's bit and its subcommands' (ACLChangeSelectorPerm),
// dropping its first-arg exceptions.
func (s *Selector) change(c *Command, on bool) {
	s.setBit(c.ID, on)
	delete(s.firstArgs, c.ID)
	for _, sub := range c.Subs {
		s.setBit(sub.ID, on)
	}
}

func (s *Selector) setBit(id int, on bool) {
	if on {
		s.allowed[id/64] |= 1 << uint(id%64)
	} else {
		s.allowed[id/64] &^= 1 << uint(id%64)
	}
}

func (s *Selector) bit(id int) bool { return s.allowed[id/64]&(1<<uint(id%64)) != 0 }

// refresh recomputes the derived Permissive flag.
func (u *User) refresh(cat *Catalog) {
	s := &u.Root
	all := s.allKeys && s.allChannels
	for id := 0; all && id < cat.Len(); id++ {
		all = s.bit(id)
	}
	u.Permissive = all
}
