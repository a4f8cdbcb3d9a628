package differential

import "strconv"

// Set commands: members that are and aren't canonical integers (so sets
// move between the intset and hash-table encodings), the set algebra and
// its STORE forms across the shared key space (meeting strings and other
// types: WRONGTYPE), SINTERCARD's numkeys and LIMIT, SMOVE, SSCAN.
//
// Replies that list a set are compared unordered: a hash table answers in
// its table's order, which differs between the servers. Random draws only
// appear where the answer is determined: SPOP and SRANDMEMBER with a count
// at least the set's size (the sets stay far below it), or where only the
// reply differs and nothing changes (SRANDMEMBER, not compared).
func init() {
	Register("set",
		Generator{Command: "SADD", Weight: 8, Make: func(g *Gen) []string {
			return append([]string{"SADD", g.Key()}, g.setMembers(1+g.R.IntN(4))...)
		}},
		Generator{Command: "SREM", Weight: 3, Make: func(g *Gen) []string {
			return append([]string{"SREM", g.Key()}, g.setMembers(1+g.R.IntN(3))...)
		}},
		Generator{Command: "SISMEMBER", Weight: 2, Make: func(g *Gen) []string {
			return []string{"SISMEMBER", g.Key(), g.setMember()}
		}},
		Generator{Command: "SMISMEMBER", Make: func(g *Gen) []string {
			return append([]string{"SMISMEMBER", g.Key()}, g.setMembers(1+g.R.IntN(3))...)
		}},
		Generator{Command: "SCARD", Weight: 2, Make: func(g *Gen) []string { return []string{"SCARD", g.Key()} }},
		Generator{Command: "SMEMBERS", Weight: 3, Compare: CompareUnordered, Make: func(g *Gen) []string {
			return []string{"SMEMBERS", g.Key()}
		}},
		Generator{Command: "SINTER", Weight: 2, Compare: CompareUnordered, Make: func(g *Gen) []string {
			return append([]string{"SINTER"}, g.Keys(1+g.R.IntN(3))...)
		}},
		Generator{Command: "SUNION", Weight: 2, Compare: CompareUnordered, Make: func(g *Gen) []string {
			return append([]string{"SUNION"}, g.Keys(1+g.R.IntN(3))...)
		}},
		Generator{Command: "SDIFF", Weight: 2, Compare: CompareUnordered, Make: func(g *Gen) []string {
			return append([]string{"SDIFF"}, g.Keys(1+g.R.IntN(3))...)
		}},
		Generator{Command: "SINTERSTORE", Make: func(g *Gen) []string {
			return append([]string{"SINTERSTORE", g.Key()}, g.Keys(1+g.R.IntN(3))...)
		}},
		Generator{Command: "SUNIONSTORE", Make: func(g *Gen) []string {
			return append([]string{"SUNIONSTORE", g.Key()}, g.Keys(1+g.R.IntN(3))...)
		}},
		Generator{Command: "SDIFFSTORE", Make: func(g *Gen) []string {
			return append([]string{"SDIFFSTORE", g.Key()}, g.Keys(1+g.R.IntN(3))...)
		}},
		Generator{Command: "SINTERCARD", Weight: 2, Make: genSInterCard},
		Generator{Command: "SMOVE", Weight: 2, Make: func(g *Gen) []string {
			return []string{"SMOVE", g.Key(), g.Key(), g.setMember()}
		}},
		Generator{Command: "SPOP", Compare: CompareUnordered, Make: func(g *Gen) []string {
			// Counts that pop everything, nothing, or are errors.
			return []string{"SPOP", g.Key(), g.Pick("1000", "100", "0", "-1", "x", "")}
		}},
		Generator{Command: "SRANDMEMBER", Compare: CompareUnordered, Make: func(g *Gen) []string {
			return []string{"SRANDMEMBER", g.Key(), g.Pick("1000", "100", "0", "x", "-9223372036854775808")}
		}},
		Generator{Name: "srandmember-random", Command: "SRANDMEMBER", Compare: CompareSkip, Make: func(g *Gen) []string {
			args := []string{"SRANDMEMBER", g.Key()}
			if g.Maybe(0.7) {
				args = append(args, g.Pick("1", "2", "3", "-1", "-5"))
			}
			return args
		}},
		Generator{Command: "SSCAN", Compare: CompareUnordered, Make: func(g *Gen) []string {
			args := []string{"SSCAN", g.Key(), g.Pick("0", "0", "0", "x", "")}
			if g.Maybe(0.4) {
				args = append(args, "MATCH", g.Pick("*", "1*", "[a-c]", "-*", "m?"))
			}
			// A COUNT far above any set's size: one call walks the whole
			// table, so the cursors agree (0) however the tables differ.
			args = append(args, "COUNT", g.Pick("1000", "1000", "0", "x"))
			return args
		}},
		Generator{Name: "set-encoding", Command: "OBJECT", Make: func(g *Gen) []string {
			return []string{"OBJECT", "ENCODING", g.Key()}
		}},
		Generator{Name: "set-arity", Mixes: setArityCommands, Make: genSetArity},
	)
}

// setArityCommands are the set commands the wrong-arity generator breaks.
var setArityCommands = []string{"SADD", "SREM", "SISMEMBER", "SCARD", "SMEMBERS", "SMOVE", "SINTERCARD", "SINTERSTORE", "SPOP", "SRANDMEMBER", "SSCAN"}

// setValues are members worth adding: small integers (intsets), integers
// at the edges of int64 and the intset widths, strings, and strings that
// almost parse as integers (which force a hash table).
var setValues = []string{
	"0", "-1", "7", "32767", "32768", "-32769", "2147483648", "9223372036854775807", "-9223372036854775808",
	"a", "b", "c", "m1", "m2", "", "007", "-0", "+1", " 1", "1.0", "9223372036854775808", "\x00\xff",
}

func (g *Gen) setMember() string {
	if g.Maybe(0.5) {
		return g.IntIn(-10, 20)
	}
	return g.Pick(setValues...)
}

func (g *Gen) setMembers(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = g.setMember()
	}
	return out
}

// genSInterCard: numkeys right, too big, zero or not a number; LIMIT good
// and bad; stray options.
func genSInterCard(g *Gen) []string {
	n := 1 + g.R.IntN(3)
	args := append([]string{"SINTERCARD", strconv.Itoa(n)}, g.Keys(n)...)
	switch {
	case g.Maybe(0.1):
		args[1] = g.Pick("0", "-1", "x", "4")
	case g.Maybe(0.4):
		args = append(args, g.Pick("LIMIT", "limit"), g.Pick("0", "1", "2", "-1", "x"))
	case g.Maybe(0.1):
		args = append(args, g.Pick("LIMIT", "FOO"))
	}
	return args
}

func genSetArity(g *Gen) []string {
	var known []string
	for _, c := range setArityCommands {
		if g.supports(c) {
			known = append(known, c)
		}
	}
	if len(known) == 0 {
		return genUnknownCommand(g)
	}
	cmd := g.Pick(known...)
	switch {
	case g.Maybe(0.4):
		return []string{cmd}
	case cmd == "SISMEMBER" || cmd == "SCARD" || cmd == "SMEMBERS":
		return []string{cmd, g.Key(), g.setMember(), g.setMember()}
	case cmd == "SMOVE":
		return []string{cmd, g.Key(), g.Key()}
	case cmd == "SPOP" || cmd == "SRANDMEMBER":
		return []string{cmd, g.Key(), "1", "2"} // a syntax error, not arity
	}
	return []string{cmd, g.Key()}
}
