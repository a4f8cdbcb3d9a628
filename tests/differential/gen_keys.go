package differential

import "strconv"

// Generic key commands: existence, types, renames, copies, every expiry
// command with its NX/XX/GT/LT flags and invalid times, the TTL family
// (compared by class: the exact remaining time depends on each server's
// clock), scans, wrong arity and unknown commands.
func init() {
	Register("keys",
		Generator{Command: "DEL", Weight: 2, Make: func(g *Gen) []string { return append([]string{"DEL"}, g.Keys(1+g.R.IntN(3))...) }},
		Generator{Command: "UNLINK", Make: func(g *Gen) []string { return append([]string{"UNLINK"}, g.Keys(1+g.R.IntN(3))...) }},
		Generator{Command: "EXISTS", Weight: 2, Make: func(g *Gen) []string { return append([]string{"EXISTS"}, g.Keys(1+g.R.IntN(3))...) }},
		Generator{Command: "TOUCH", Make: func(g *Gen) []string { return append([]string{"TOUCH"}, g.Keys(1+g.R.IntN(3))...) }},
		Generator{Command: "TYPE", Make: func(g *Gen) []string { return []string{"TYPE", g.Key()} }},
		Generator{Command: "RENAME", Make: func(g *Gen) []string { return []string{"RENAME", g.Key(), g.Key()} }},
		Generator{Command: "RENAMENX", Make: func(g *Gen) []string { return []string{"RENAMENX", g.Key(), g.Key()} }},
		Generator{Command: "EXPIRE", Weight: 3, Make: func(g *Gen) []string {
			return g.withExpireFlags([]string{"EXPIRE", g.Key(), g.relativeSeconds()})
		}},
		Generator{Command: "PEXPIRE", Weight: 2, Make: func(g *Gen) []string {
			return g.withExpireFlags([]string{"PEXPIRE", g.Key(), g.relativeMillis()})
		}},
		Generator{Command: "EXPIREAT", Make: func(g *Gen) []string {
			return g.withExpireFlags([]string{"EXPIREAT", g.Key(), g.badTimeOr(strconv.FormatInt(g.UnixTime(), 10))})
		}},
		Generator{Command: "PEXPIREAT", Make: func(g *Gen) []string {
			return g.withExpireFlags([]string{"PEXPIREAT", g.Key(), g.badTimeOr(strconv.FormatInt(g.UnixTime()*1000, 10))})
		}},
		Generator{Command: "TTL", Weight: 2, Compare: CompareTTL, Make: func(g *Gen) []string { return []string{"TTL", g.Key()} }},
		Generator{Command: "PTTL", Compare: CompareTTL, Make: func(g *Gen) []string { return []string{"PTTL", g.Key()} }},
		Generator{Command: "EXPIRETIME", Compare: CompareTTL, Make: func(g *Gen) []string { return []string{"EXPIRETIME", g.Key()} }},
		Generator{Command: "PEXPIRETIME", Compare: CompareTTL, Make: func(g *Gen) []string { return []string{"PEXPIRETIME", g.Key()} }},
		Generator{Command: "PERSIST", Make: func(g *Gen) []string { return []string{"PERSIST", g.Key()} }},
		Generator{Command: "COPY", Make: func(g *Gen) []string {
			args := []string{"COPY", g.Key(), g.Key()}
			if g.Maybe(0.2) {
				args = append(args, "DB", g.Pick("0", "1", "16", "x"))
			}
			if g.Maybe(0.4) {
				args = append(args, "REPLACE")
			}
			return args
		}},
		Generator{Command: "DBSIZE", Make: func(g *Gen) []string { return []string{"DBSIZE"} }},
		Generator{Command: "KEYS", Compare: CompareUnordered, Make: func(g *Gen) []string {
			return []string{"KEYS", g.Pick("*", "k[0-3]", "k?", "x*")}
		}},
		Generator{Command: "SCAN", Compare: CompareUnordered, Make: func(g *Gen) []string {
			args := []string{"SCAN", "0", "COUNT", "100"}
			if g.Maybe(0.4) {
				args = append(args, "MATCH", g.Pick("k[4-7]", "*", "k1"))
			}
			if g.Maybe(0.3) {
				args = append(args, "TYPE", g.Pick("string", "list", "STRING"))
			}
			return args
		}},
		Generator{Name: "keys-arity", Mixes: keysArityCommands, Make: func(g *Gen) []string { return g.wrongArity(keysArityCommands...) }},
		Generator{Name: "unknown-command", Make: genUnknownCommand},
	)
}

// keysArityCommands are the key commands the wrong-arity generator breaks.
var keysArityCommands = []string{"TTL", "PTTL", "TYPE", "PERSIST", "RENAME", "RENAMENX", "DEL", "EXISTS", "EXPIRE"}

// withExpireFlags appends NX/XX/GT/LT, sometimes two (which conflict, or not:
// GT XX is allowed).
func (g *Gen) withExpireFlags(args []string) []string {
	if g.Maybe(0.5) {
		args = append(args, g.Pick("NX", "XX", "GT", "LT", "gt"))
		if g.Maybe(0.15) {
			args = append(args, g.Pick("NX", "XX", "GT", "LT", "FOO"))
		}
	}
	return args
}

// relativeSeconds returns a relative expiry in seconds: far apart from every
// other (see Gen.DurationMS), or one that deletes the key at once, or an
// invalid or overflowing one.
func (g *Gen) relativeSeconds() string {
	if g.Maybe(0.1) {
		return g.Pick("0", "-1", "-100")
	}
	return g.badTimeOr(strconv.FormatInt(g.DurationMS()/1000, 10))
}

func (g *Gen) relativeMillis() string {
	if g.Maybe(0.1) {
		return g.Pick("0", "-1", "-100")
	}
	return g.badTimeOr(strconv.FormatInt(g.DurationMS(), 10))
}

// genUnknownCommand: names no server knows, with arguments the error text
// echoes back (quoted, truncated, CR/LF replaced).
func genUnknownCommand(g *Gen) []string {
	args := []string{g.Pick("FOO", "getx", "SETT", "x\r\ny", "")}
	for range g.R.IntN(4) {
		args = append(args, g.Value())
	}
	return args
}
