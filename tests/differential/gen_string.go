package differential

import "strconv"

// String commands: values that are and aren't numbers, every SET and GETEX
// option (with invalid combinations), bit operations at small offsets.
// Offsets stay small on purpose: a valid SETBIT/SETRANGE at a huge offset
// allocates up to 512 MB on both servers.
func init() {
	Register("string",
		Generator{Command: "SET", Weight: 6, Make: genSet},
		Generator{Command: "GET", Weight: 4, Make: func(g *Gen) []string { return []string{"GET", g.Key()} }},
		Generator{Command: "SETNX", Make: func(g *Gen) []string { return []string{"SETNX", g.Key(), g.Value()} }},
		Generator{Command: "SETEX", Make: func(g *Gen) []string { return []string{"SETEX", g.Key(), g.expirySeconds(), g.Value()} }},
		Generator{Command: "PSETEX", Make: func(g *Gen) []string { return []string{"PSETEX", g.Key(), g.expiryMillis(), g.Value()} }},
		Generator{Command: "GETSET", Make: func(g *Gen) []string { return []string{"GETSET", g.Key(), g.Value()} }},
		Generator{Command: "INCR", Weight: 3, Make: func(g *Gen) []string { return []string{"INCR", g.Key()} }},
		Generator{Command: "DECR", Make: func(g *Gen) []string { return []string{"DECR", g.Key()} }},
		Generator{Command: "INCRBY", Weight: 2, Make: func(g *Gen) []string { return []string{"INCRBY", g.Key(), g.Int()} }},
		Generator{Command: "DECRBY", Make: func(g *Gen) []string { return []string{"DECRBY", g.Key(), g.Int()} }},
		Generator{Command: "INCRBYFLOAT", Weight: 2, Make: func(g *Gen) []string { return []string{"INCRBYFLOAT", g.Key(), g.Float()} }},
		Generator{Command: "APPEND", Weight: 2, Make: func(g *Gen) []string { return []string{"APPEND", g.Key(), g.Value()} }},
		Generator{Command: "STRLEN", Make: func(g *Gen) []string { return []string{"STRLEN", g.Key()} }},
		Generator{Command: "GETRANGE", Make: func(g *Gen) []string {
			return []string{"GETRANGE", g.Key(), g.rangeIndex(), g.rangeIndex()}
		}},
		Generator{Command: "SUBSTR", Weight: 1, Make: func(g *Gen) []string {
			return []string{"SUBSTR", g.Key(), g.rangeIndex(), g.rangeIndex()}
		}},
		Generator{Command: "SETRANGE", Weight: 2, Make: func(g *Gen) []string {
			offset := g.IntIn(0, 60)
			if g.Maybe(0.15) {
				offset = g.Pick("-1", "536870912", "abc")
			}
			return []string{"SETRANGE", g.Key(), offset, g.Value()}
		}},
		Generator{Command: "MSET", Weight: 2, Make: func(g *Gen) []string {
			args := []string{"MSET"}
			for range 1 + g.R.IntN(3) {
				args = append(args, g.Key(), g.Value())
			}
			if g.Maybe(0.1) {
				args = args[:len(args)-1] // odd count: wrong number of arguments
			}
			return args
		}},
		Generator{Command: "MSETNX", Make: func(g *Gen) []string {
			args := []string{"MSETNX"}
			for range 1 + g.R.IntN(3) {
				args = append(args, g.Key(), g.Value())
			}
			return args
		}},
		Generator{Command: "MGET", Weight: 2, Make: func(g *Gen) []string {
			return append([]string{"MGET"}, g.Keys(1+g.R.IntN(4))...)
		}},
		Generator{Command: "GETDEL", Make: func(g *Gen) []string { return []string{"GETDEL", g.Key()} }},
		Generator{Command: "GETEX", Weight: 2, Make: genGetEx},
		Generator{Command: "SETBIT", Weight: 2, Make: func(g *Gen) []string {
			bit := g.Pick("0", "1")
			if g.Maybe(0.1) {
				bit = g.Pick("2", "-1", "x")
			}
			return []string{"SETBIT", g.Key(), g.bitOffset(), bit}
		}},
		Generator{Command: "GETBIT", Make: func(g *Gen) []string { return []string{"GETBIT", g.Key(), g.bitOffset()} }},
		Generator{Command: "BITCOUNT", Make: func(g *Gen) []string {
			args := []string{"BITCOUNT", g.Key()}
			if g.Maybe(0.6) {
				args = append(args, g.rangeIndex(), g.rangeIndex())
				if g.Maybe(0.5) {
					args = append(args, g.Pick("BYTE", "BIT", "bit", "WORD"))
				}
			} else if g.Maybe(0.2) {
				args = append(args, g.rangeIndex()) // start without end: syntax error
			}
			return args
		}},
		Generator{Command: "BITPOS", Make: func(g *Gen) []string {
			args := []string{"BITPOS", g.Key(), g.Pick("0", "1", "1", "2")}
			switch g.R.IntN(4) {
			case 1:
				args = append(args, g.rangeIndex())
			case 2:
				args = append(args, g.rangeIndex(), g.rangeIndex())
			case 3:
				args = append(args, g.rangeIndex(), g.rangeIndex(), g.Pick("BYTE", "BIT", "BOTH"))
			}
			return args
		}},
		Generator{Command: "BITOP", Make: func(g *Gen) []string {
			op := g.Pick("AND", "OR", "XOR", "NOT", "and", "NAND")
			n := 1 + g.R.IntN(3)
			if op == "NOT" && g.Maybe(0.8) {
				n = 1
			}
			return append([]string{"BITOP", op, g.Key()}, g.Keys(n)...)
		}},
		Generator{Command: "BITFIELD", Make: genBitfield},
		Generator{Command: "LCS", Make: func(g *Gen) []string {
			args := []string{"LCS", g.Key(), g.Key()}
			for _, opt := range []string{"LEN", "IDX", "WITHMATCHLEN"} {
				if g.Maybe(0.3) {
					args = append(args, opt)
				}
			}
			if g.Maybe(0.3) {
				args = append(args, "MINMATCHLEN", g.IntIn(-1, 4))
			}
			return args
		}},
		Generator{Name: "string-arity", Mixes: stringArityCommands, Make: func(g *Gen) []string { return g.wrongArity(stringArityCommands...) }},
	)
}

// stringArityCommands are the string commands the wrong-arity generator breaks.
var stringArityCommands = []string{"GET", "SETNX", "INCRBY", "APPEND", "MSET", "GETEX", "STRLEN", "SET"}

// genSet: SET key value [NX|XX] [GET] [EX s|PX ms|EXAT t|PXAT t|KEEPTTL],
// options in random order, sometimes conflicting or repeated.
func genSet(g *Gen) []string {
	args := []string{"SET", g.Key(), g.Value()}
	var opts [][]string
	if g.Maybe(0.3) {
		opts = append(opts, []string{g.Pick("NX", "XX", "nx")})
	}
	if g.Maybe(0.25) {
		opts = append(opts, []string{"GET"})
	}
	if g.Maybe(0.4) {
		opts = append(opts, g.expiryOption(true))
	}
	if g.Maybe(0.05) {
		opts = append(opts, []string{g.Pick("NX", "XX", "GET", "KEEPTTL", "EX", "FOO")})
	}
	g.R.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	for _, o := range opts {
		args = append(args, o...)
	}
	return args
}

// genGetEx: GETEX key [EX s|PX ms|EXAT t|PXAT t|PERSIST].
func genGetEx(g *Gen) []string {
	args := []string{"GETEX", g.Key()}
	switch g.R.IntN(5) {
	case 1, 2:
		args = append(args, g.expiryOption(false)...)
	case 3:
		args = append(args, "PERSIST")
	case 4:
		if g.Maybe(0.5) {
			args = append(args, "PERSIST", "EX", "100")
		} else {
			args = append(args, g.Pick("KEEPTTL", "EX", "FOO"))
		}
	}
	return args
}

// expiryOption returns one of EX/PX/EXAT/PXAT with a value (and KEEPTTL
// when allowed), sometimes with an invalid value.
func (g *Gen) expiryOption(keepTTL bool) []string {
	choices := []string{"EX", "PX", "EXAT", "PXAT"}
	if keepTTL {
		choices = append(choices, "KEEPTTL")
	}
	switch opt := g.Pick(choices...); opt {
	case "KEEPTTL":
		return []string{opt}
	case "EX":
		return []string{opt, g.expirySeconds()}
	case "PX":
		return []string{opt, g.expiryMillis()}
	case "EXAT":
		return []string{opt, g.badTimeOr(strconv.FormatInt(g.absoluteTime(!keepTTL), 10))}
	default:
		return []string{opt, g.badTimeOr(strconv.FormatInt(g.absoluteTime(!keepTTL)*1000, 10))}
	}
}

// absoluteTime returns an EXAT/PXAT time in seconds. A time in the past
// only where the command deletes the key at once (GETEX does): Redis 7.0's
// SET stores the key with a past expiry and leaves it to the expiry cycle,
// so DBSIZE would count it for a moment that depends on timing.
func (g *Gen) absoluteTime(pastAllowed bool) int64 {
	if pastAllowed {
		return g.UnixTime()
	}
	return farFuture + g.DurationMS()/1000
}

// badTimes are invalid or overflowing expiry arguments.
var badTimes = []string{"0", "-1", "abc", "1.5", "9223372036854775807", "-9223372036854775808", "9223372036854775"}

func (g *Gen) badTimeOr(good string) string {
	if g.Maybe(0.1) {
		return g.Pick(badTimes...)
	}
	return good
}

func (g *Gen) expirySeconds() string {
	return g.badTimeOr(strconv.FormatInt(g.DurationMS()/1000, 10))
}

func (g *Gen) expiryMillis() string {
	return g.badTimeOr(strconv.FormatInt(g.DurationMS(), 10))
}

// rangeIndex returns a start/end index for GETRANGE, BITCOUNT and the like.
func (g *Gen) rangeIndex() string {
	if g.Maybe(0.05) {
		return g.Pick("abc", "9223372036854775807", "-9223372036854775808")
	}
	return g.IntIn(-60, 60)
}

// bitOffset returns a bit offset, small, or invalid now and then.
func (g *Gen) bitOffset() string {
	if g.Maybe(0.08) {
		return g.Pick("-1", "4294967296", "abc")
	}
	return g.IntIn(0, 200)
}

// genBitfield: BITFIELD key with a few GET/SET/INCRBY/OVERFLOW operations.
func genBitfield(g *Gen) []string {
	args := []string{"BITFIELD", g.Key()}
	for range 1 + g.R.IntN(3) {
		typ := g.Pick("u8", "i8", "u1", "i16", "u63", "i64", "u64", "i0", "x8")
		offset := g.IntIn(0, 64)
		if g.Maybe(0.3) {
			offset = "#" + g.IntIn(0, 4)
		}
		switch g.R.IntN(4) {
		case 0:
			args = append(args, "GET", typ, offset)
		case 1:
			args = append(args, "SET", typ, offset, g.Int())
		case 2:
			args = append(args, "INCRBY", typ, offset, g.Int())
		case 3:
			args = append(args, "OVERFLOW", g.Pick("WRAP", "SAT", "FAIL", "wrap", "BAD"))
		}
	}
	return args
}

// wrongArity returns one of cmds that the server under test knows, with no
// arguments or too many, for the arity errors; an unknown command when it
// knows none of them.
func (g *Gen) wrongArity(cmds ...string) []string {
	var known []string
	for _, c := range cmds {
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
	case "GET", "STRLEN", "INCR", "DECR", "GETDEL", "TTL", "PTTL", "TYPE", "PERSIST":
		return []string{cmd, g.Key(), g.Key()}
	case "SETNX", "APPEND", "INCRBY", "RENAME", "RENAMENX", "EXPIRE":
		return []string{cmd, g.Key()}
	case "MSET":
		return []string{g.Pick("mset", "Mset"), g.Key()}
	}
	return []string{cmd} // variadic commands (DEL, EXISTS): only too few

}
