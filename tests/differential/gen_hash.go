package differential

// Hash commands on the shared key space, so they meet strings and each
// other's keys (WRONGTYPE both ways). Fields come from a small set so
// commands keep meeting each other's fields. Most hashes stay listpacks,
// whose order both servers share, but a HINCRBYFLOAT result or a long value
// can convert one to a hashtable, whose order is each server's own: replies
// that list a whole hash are compared unordered. HRANDFIELD is generated
// only in the forms that do not depend on chance (no key, count 0, a count
// covering the whole hash, argument errors); the random picks run with
// their replies not compared.
func init() {
	Register("hash",
		Generator{Command: "HSET", Weight: 6, Make: func(g *Gen) []string { return g.hashSet("HSET") }},
		Generator{Command: "HMSET", Make: func(g *Gen) []string { return g.hashSet(g.Pick("HMSET", "hmset")) }},
		Generator{Command: "HSETNX", Weight: 2, Make: func(g *Gen) []string {
			return []string{"HSETNX", g.Key(), g.hashField(), g.hashValue()}
		}},
		Generator{Command: "HGET", Weight: 4, Make: func(g *Gen) []string { return []string{"HGET", g.Key(), g.hashField()} }},
		Generator{Command: "HMGET", Weight: 2, Make: func(g *Gen) []string {
			return append([]string{"HMGET", g.Key()}, g.hashFields(1+g.R.IntN(4))...)
		}},
		Generator{Command: "HDEL", Weight: 3, Make: func(g *Gen) []string {
			return append([]string{"HDEL", g.Key()}, g.hashFields(1+g.R.IntN(3))...)
		}},
		Generator{Command: "HLEN", Make: func(g *Gen) []string { return []string{"HLEN", g.Key()} }},
		Generator{Command: "HSTRLEN", Make: func(g *Gen) []string { return []string{"HSTRLEN", g.Key(), g.hashField()} }},
		Generator{Command: "HEXISTS", Make: func(g *Gen) []string { return []string{"HEXISTS", g.Key(), g.hashField()} }},
		Generator{Command: "HKEYS", Compare: CompareUnordered, Make: func(g *Gen) []string { return []string{"HKEYS", g.Key()} }},
		Generator{Command: "HVALS", Compare: CompareUnordered, Make: func(g *Gen) []string { return []string{"HVALS", g.Key()} }},
		Generator{Command: "HGETALL", Weight: 3, Compare: CompareUnordered, Make: func(g *Gen) []string {
			return []string{"HGETALL", g.Key()}
		}},
		Generator{Command: "HINCRBY", Weight: 3, Make: func(g *Gen) []string {
			return []string{"HINCRBY", g.Key(), g.hashField(), g.Int()}
		}},
		Generator{Command: "HINCRBYFLOAT", Weight: 2, Make: func(g *Gen) []string {
			return []string{"HINCRBYFLOAT", g.Key(), g.hashField(), g.Float()}
		}},
		Generator{Command: "HRANDFIELD", Weight: 2, Compare: CompareUnordered, Make: genHRandFieldDeterministic},
		Generator{Name: "hrandfield-random", Command: "HRANDFIELD", Compare: CompareSkip, Make: func(g *Gen) []string {
			args := []string{"HRANDFIELD", g.Key()}
			if g.Maybe(0.7) {
				args = append(args, g.IntIn(-20, 20))
				if g.Maybe(0.5) {
					args = append(args, "WITHVALUES")
				}
			}
			return args
		}},
		Generator{Command: "HSCAN", Weight: 2, Compare: CompareUnordered, Make: genHScan},
		Generator{Name: "hash-arity", Mixes: hashArityCommands, Make: func(g *Gen) []string { return g.wrongHashArity() }},
	)
}

// hashArityCommands are the hash commands the wrong-arity generator breaks.
var hashArityCommands = []string{"HSET", "HGET", "HDEL", "HLEN", "HINCRBY", "HINCRBYFLOAT", "HSCAN", "HRANDFIELD", "HGETALL", "HSETNX"}

// hashFieldNames are fields worth having: a few ordinary ones met often,
// the empty field, integer-looking ones (integer-encoded in Redis's
// listpack), binary bytes.
var hashFieldNames = []string{"f0", "f1", "f2", "f3", "f4", "f5", "", "0", "-1", "007", "12345678901", "\x00\xff"}

// hashField returns a field, mostly from the first few.
func (g *Gen) hashField() string {
	if g.Maybe(0.7) {
		return hashFieldNames[g.R.IntN(4)]
	}
	return g.Pick(hashFieldNames...)
}

// hashFields returns n fields (repeats allowed).
func (g *Gen) hashFields(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = g.hashField()
	}
	return out
}

// hashValue returns a value; rarely one longer than
// hash-max-listpack-value, which converts the hash.
func (g *Gen) hashValue() string {
	if g.Maybe(0.03) {
		return "long-" + g.Pick(values...) + "-0123456789012345678901234567890123456789012345678901234567890123"
	}
	return g.Value()
}

// hashSet makes HSET/HMSET with one to four pairs, sometimes with a value
// missing (wrong number of arguments).
func (g *Gen) hashSet(cmd string) []string {
	args := []string{cmd, g.Key()}
	for range 1 + g.R.IntN(4) {
		args = append(args, g.hashField(), g.hashValue())
	}
	if g.Maybe(0.08) {
		args = args[:len(args)-1]
	}
	return args
}

// genHRandFieldDeterministic: HRANDFIELD forms whose reply does not depend
// on chance, given the hash: a count of 0 or one covering any hash the
// sequence can build, argument errors (found before the key is looked up);
// on a missing key, any form.
func genHRandFieldDeterministic(g *Gen) []string {
	key := g.Key()
	switch g.R.IntN(6) {
	case 0:
		args := []string{"HRANDFIELD", "nokey" + key}
		if g.Maybe(0.7) {
			args = append(args, g.IntIn(-5, 5))
			if g.Maybe(0.5) {
				args = append(args, "WITHVALUES")
			}
		}
		return args
	case 1:
		return []string{"HRANDFIELD", key, g.Pick("0", "-0", "00"), g.Pick("WITHVALUES", "withvalues")}[:3+g.R.IntN(2)]
	case 2:
		return []string{"HRANDFIELD", key, g.Pick("1000", "4611686018427387903"), "WITHVALUES"}
	case 3:
		return []string{"HRANDFIELD", key, g.Pick("1000", "9223372036854775807")}
	case 4:
		if g.Maybe(0.3) {
			return []string{"HRANDFIELD", key, g.Pick("-4611686018427387904", "4611686018427387904"), "WITHVALUES"}
		}
		return []string{"HRANDFIELD", key, g.Pick("x", "1.5", "", "-9223372036854775808", "9223372036854775808")}
	default:
		args := []string{"HRANDFIELD", key, g.Pick("1", "-1", "5")}
		switch g.R.IntN(3) {
		case 0:
			return append(args, "WITHVALUES", "x")
		case 1:
			return append(args, "FOO")
		default:
			return append(args, "withvalue")
		}
	}
}

// genHScan: a whole scan in one call (cursor 0 and a COUNT far above any
// hash the sequence builds, so a hashtable is done in one call too), with
// or without MATCH, or a malformed call.
func genHScan(g *Gen) []string {
	args := []string{"HSCAN", g.Key(), "0", "COUNT", "1000"}
	if g.Maybe(0.4) {
		args = append(args, "MATCH", g.Pick("f[0-2]", "*", "f*", "0", "\\x*"))
	}
	switch g.R.IntN(10) {
	case 0:
		args[2] = g.Pick("x", "18446744073709551616", " 0")
	case 1:
		args = append(args, g.Pick("COUNT", "MATCH", "TYPE", "NOVALUES"))
	case 2:
		args = append(args, "COUNT", g.Pick("0", "-1", "x"))
	}
	return args
}

// wrongHashArity returns a hash command with too few or too many
// arguments.
func (g *Gen) wrongHashArity() []string {
	var known []string
	for _, c := range hashArityCommands {
		if g.supports(c) {
			known = append(known, c)
		}
	}
	if len(known) == 0 {
		return genUnknownCommand(g)
	}
	cmd := g.Pick(known...)
	if g.Maybe(0.5) {
		return []string{cmd}
	}
	switch cmd {
	case "HLEN", "HGETALL":
		return []string{cmd, g.Key(), g.Key()}
	case "HGET":
		return []string{cmd, g.Key(), g.hashField(), g.hashField()}
	case "HSETNX", "HINCRBY", "HINCRBYFLOAT", "HSET":
		return []string{cmd, g.Key(), g.hashField()}
	case "HRANDFIELD":
		return []string{cmd, g.Key(), "1", "WITHVALUES", "x"}
	}
	return []string{cmd, g.Key()} // HDEL, HSCAN: too few
}
