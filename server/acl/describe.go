package acl

import "strings"

// Flags lists the user's flags as ACL GETUSER shows them, in Redis's order.
func (u *User) Flags() []string {
	var out []string
	if u.On {
		out = append(out, "on")
	} else {
		out = append(out, "off")
	}
	if u.NoPass {
		out = append(out, "nopass")
	}
	switch u.Sanitize {
	case -1:
		out = append(out, "skip-sanitize-payload")
	case 1:
		out = append(out, "sanitize-payload")
	}
	return out
}

// KeysString is the key patterns as GETUSER shows them ("~*", "%R~a ~b").
func (u *User) KeysString() string { return u.Root.KeysString() }

// KeysString is the selector's key patterns.
func (s *Selector) KeysString() string {
	if s.allKeys {
		return "~*"
	}
	parts := make([]string, 0, len(s.keys))
	for _, p := range s.keys {
		parts = append(parts, patternString(p))
	}
	return strings.Join(parts, " ")
}

func patternString(p KeyPattern) string {
	switch p.Perm {
	case PermRead:
		return "%R~" + p.Pattern
	case PermWrite:
		return "%W~" + p.Pattern
	}
	return "~" + p.Pattern
}

// ChannelsString is the channel patterns as GETUSER shows them.
func (u *User) ChannelsString() string { return u.Root.ChannelsString() }

// ChannelsString is the selector's channel patterns.
func (s *Selector) ChannelsString() string {
	if s.allChannels {
		return "&*"
	}
	parts := make([]string, 0, len(s.channels))
	for _, c := range s.channels {
		parts = append(parts, "&"+c)
	}
	return strings.Join(parts, " ")
}

// CommandRules describes the command permissions as rules that rebuild
// them (ACLDescribeSelectorCommandRules in Redis 7.0): +@all or -@all, then
// each category more than half of whose commands differ from that start,
// then the single commands that still differ, then first-arg exceptions.
// Redis lists the single commands in its command table's hash order, which
// changes from run to run; here they come in name order.
func (u *User) CommandRules(cat *Catalog) string { return u.Root.CommandRules(cat) }

// CommandRules describes the selector's command permissions.
func (s *Selector) CommandRules(cat *Catalog) string {
	var b strings.Builder
	fake := Selector{allowed: make([]uint64, len(s.allowed))}
	additive := !s.future
	if additive {
		b.WriteString("-@all ")
	} else {
		b.WriteString("+@all ")
		fake.setAll(true)
	}
	for i, name := range cat.Categories {
		bit := uint64(1) << uint(i)
		on, off := 0, 0
		for _, c := range cat.byID {
			if c.Categories&bit == 0 {
				continue
			}
			if s.bit(c.ID) {
				on++
			} else {
				off++
			}
		}
		if (additive && on > off) || (!additive && off > on) {
			if additive {
				b.WriteString("+@")
			} else {
				b.WriteString("-@")
			}
			b.WriteString(name)
			b.WriteByte(' ')
			for _, c := range cat.byID {
				if c.Categories&bit != 0 {
					fake.change(c, additive)
				}
			}
		}
	}
	for _, c := range cat.top {
		describeSingle(&b, s, &fake, c)
		for _, sub := range c.Subs {
			describeSingle(&b, s, &fake, sub)
		}
		if !s.bit(c.ID) {
			for _, a := range s.firstArgs[c.ID] {
				b.WriteString("+" + c.Name + "|" + a + " ")
			}
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

func describeSingle(b *strings.Builder, s, fake *Selector, c *Command) {
	have := s.bit(c.ID)
	if have == fake.bit(c.ID) {
		return
	}
	if have {
		b.WriteByte('+')
	} else {
		b.WriteByte('-')
	}
	b.WriteString(c.Name)
	b.WriteByte(' ')
	fake.change(c, have)
}

// Describe is the user as one ACL LIST line (and an aclfile line):
// "user name on #hash ~* &* +@all".
func (u *User) Describe(cat *Catalog) string {
	var b strings.Builder
	b.WriteString("user ")
	b.WriteString(u.Name)
	for _, f := range u.Flags() {
		b.WriteString(" " + f)
	}
	for _, p := range u.Passwords {
		b.WriteString(" #" + p)
	}
	b.WriteString(" ")
	b.WriteString(u.Root.describe(cat))
	for _, s := range u.Selectors {
		b.WriteString(" (" + s.describe(cat) + ")")
	}
	return b.String()
}

// describe is the selector as rules (ACLDescribeSelector): keys, channels,
// commands.
func (s *Selector) describe(cat *Catalog) string {
	var b strings.Builder
	if k := s.KeysString(); k != "" {
		b.WriteString(k + " ")
	}
	if s.allChannels {
		b.WriteString("&* ")
	} else {
		b.WriteString("resetchannels ")
		if ch := s.ChannelsString(); ch != "" {
			b.WriteString(ch + " ")
		}
	}
	b.WriteString(s.CommandRules(cat))
	return b.String()
}
