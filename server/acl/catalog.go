package acl

import (
	"sort"
	"strings"
)

// Command is what the ACL needs to know of one command or subcommand.
type Command struct {
	ID         int
	Name       string // full lower-case name: "get", "config|get"
	Categories uint64 // bit i set: the command is in Catalog.Categories[i]
	Parent     *Command
	Subs       []*Command // subcommands, sorted by name
	// HasSubs is true for containers (CONFIG, CLIENT ...): "+config|get"
	// names a subcommand there, and a first argument elsewhere.
	HasSubs bool
}

// Catalog is the set of commands rules may name, by ID and by name.
type Catalog struct {
	// Categories are the category names in Redis's order (ACL CAT).
	Categories []string
	byID       []*Command
	top        []*Command // top-level commands sorted by name
	byName     map[string]*Command
}

// NewCatalog indexes commands: top-level commands with their Subs filled in.
// IDs are assigned here, in name order, subcommands after their parent.
func NewCatalog(categories []string, top []*Command) *Catalog {
	cat := &Catalog{Categories: categories, byName: make(map[string]*Command)}
	cat.top = append([]*Command(nil), top...)
	sort.Slice(cat.top, func(i, j int) bool { return cat.top[i].Name < cat.top[j].Name })
	for _, c := range cat.top {
		cat.add(c)
		sort.Slice(c.Subs, func(i, j int) bool { return c.Subs[i].Name < c.Subs[j].Name })
		for _, s := range c.Subs {
			s.Parent = c
			cat.add(s)
		}
	}
	return cat
}

func (cat *Catalog) add(c *Command) {
	c.ID = len(cat.byID)
	c.Name = strings.ToLower(c.Name)
	cat.byID = append(cat.byID, c)
	cat.byName[c.Name] = c
}

// Len is the number of commands and subcommands.
func (cat *Catalog) Len() int { return len(cat.byID) }

// Lookup finds a command by full name ("get", "config|get"),
// case-insensitively, as Redis's ACLLookupCommand.
func (cat *Catalog) Lookup(name string) *Command {
	return cat.byName[strings.ToLower(name)]
}

// ByID returns the command with the given ID.
func (cat *Catalog) ByID(id int) *Command { return cat.byID[id] }

// CategoryBit returns the bit of a category name (case-insensitive).
func (cat *Catalog) CategoryBit(name string) (uint64, bool) {
	for i, n := range cat.Categories {
		if strings.EqualFold(n, name) {
			return 1 << uint(i), true
		}
	}
	return 0, false
}

// InCategory lists the full names of the commands and subcommands in a
// category, in name order (Redis lists them in hash order).
func (cat *Catalog) InCategory(bit uint64) []string {
	var out []string
	for _, c := range cat.byID {
		if c.Categories&bit != 0 {
			out = append(out, c.Name)
		}
	}
	return out
}
