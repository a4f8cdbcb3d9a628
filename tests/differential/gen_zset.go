package differential

import (
	"strconv"
	"strings"
)

// Sorted set commands. Three kinds of keys keep every reply deterministic
// on both servers:
//
//   - the shared keys (k0..k7) get members from a small pool, so their sets
//     stay small (listpack) and meet the other families' values (WRONGTYPE);
//     lexicographic ranges over their mixed scores are asked too, which
//     Redis answers with a scan of its listpack;
//   - zbig0..zbig1 get members from a pool of 300, so they grow past 128 and
//     convert to the skiplist; every command but the lexicographic ones
//     runs on them;
//   - zlex0..zlex1 hold members that all score 0 (one of them too long for
//     a listpack), so lexicographic ranges are well defined in both
//     encodings. (With mixed scores, Redis's skiplist answers depend on its
//     random tower heights.)
//
// ZRANDMEMBER is compared only where its reply is fixed (a count at least
// the set's size, errors); ZSCAN with a COUNT that finishes in one call,
// compared as multisets.
func init() {
	Register("zset",
		Generator{Command: "ZADD", Weight: 8, Make: genZAdd},
		Generator{Name: "zadd-big", Command: "ZADD", Weight: 8, Make: func(g *Gen) []string {
			args := []string{"ZADD", g.zsetBigKey()}
			if g.Maybe(0.2) {
				args = append(args, g.Pick("NX", "XX", "GT", "LT", "CH"))
			}
			// Many pairs at once: a big key passes 128 members within a
			// few commands of a sequence.
			for range 1 + g.R.IntN(120) {
				args = append(args, g.zsetValidScore(), g.zsetBigMember())
			}
			return args
		}},
		Generator{Name: "zadd-lex", Command: "ZADD", Weight: 3, Make: func(g *Gen) []string {
			args := []string{"ZADD", g.zsetLexKey()}
			for range 1 + g.R.IntN(4) {
				args = append(args, "0", g.zsetLexMember())
			}
			return args
		}},
		Generator{Command: "ZINCRBY", Weight: 3, Make: func(g *Gen) []string {
			if g.Maybe(0.4) {
				return []string{"ZINCRBY", g.zsetBigKey(), g.zsetScore(), g.zsetBigMember()}
			}
			return []string{"ZINCRBY", g.Key(), g.zsetScore(), g.zsetMember()}
		}},
		Generator{Command: "ZREM", Weight: 2, Make: func(g *Gen) []string {
			key, member := g.zsetAnyKey()
			args := []string{"ZREM", key}
			for range 1 + g.R.IntN(3) {
				args = append(args, member())
			}
			return args
		}},
		Generator{Command: "ZCARD", Make: func(g *Gen) []string { k, _ := g.zsetAnyKey(); return []string{"ZCARD", k} }},
		Generator{Command: "ZSCORE", Make: func(g *Gen) []string {
			k, m := g.zsetAnyKey()
			return []string{"ZSCORE", k, m()}
		}},
		Generator{Command: "ZMSCORE", Make: func(g *Gen) []string {
			k, m := g.zsetAnyKey()
			return []string{"ZMSCORE", k, m(), m(), m()}
		}},
		Generator{Command: "ZRANK", Weight: 2, Make: func(g *Gen) []string {
			k, m := g.zsetAnyKey()
			return []string{g.Pick("ZRANK", "ZREVRANK"), k, m()}
		}},
		Generator{Command: "ZCOUNT", Make: func(g *Gen) []string {
			return []string{"ZCOUNT", g.zsetScoreKey(), g.zsetScoreBound(), g.zsetScoreBound()}
		}},
		Generator{Command: "ZLEXCOUNT", Make: func(g *Gen) []string {
			return []string{"ZLEXCOUNT", g.zsetLexRangeKey(), g.zsetLexBound(), g.zsetLexBound()}
		}},
		Generator{Command: "ZRANGE", Weight: 6, Make: genZRange},
		Generator{Command: "ZREVRANGE", Make: func(g *Gen) []string {
			return g.zsetWithScores([]string{"ZREVRANGE", g.zsetScoreKey(), g.zsetIndex(), g.zsetIndex()})
		}},
		Generator{Command: "ZRANGEBYSCORE", Weight: 2, Make: func(g *Gen) []string {
			cmd := g.Pick("ZRANGEBYSCORE", "ZREVRANGEBYSCORE")
			return g.zsetLimit(g.zsetWithScores([]string{cmd, g.zsetScoreKey(), g.zsetScoreBound(), g.zsetScoreBound()}))
		}},
		Generator{Command: "ZRANGEBYLEX", Weight: 2, Make: func(g *Gen) []string {
			cmd := g.Pick("ZRANGEBYLEX", "ZREVRANGEBYLEX")
			return g.zsetLimit([]string{cmd, g.zsetLexRangeKey(), g.zsetLexBound(), g.zsetLexBound()})
		}},
		Generator{Command: "ZRANGESTORE", Weight: 2, Make: func(g *Gen) []string {
			args := genZRange(g)
			out := []string{"ZRANGESTORE", g.zsetDestFor(args[1])}
			for _, a := range args[1:] {
				if a != "WITHSCORES" {
					out = append(out, a)
				}
			}
			return out
		}},
		Generator{Command: "ZREMRANGEBYRANK", Make: func(g *Gen) []string {
			return []string{"ZREMRANGEBYRANK", g.zsetScoreKey(), g.zsetIndex(), g.zsetIndex()}
		}},
		Generator{Command: "ZREMRANGEBYSCORE", Make: func(g *Gen) []string {
			return []string{"ZREMRANGEBYSCORE", g.zsetScoreKey(), g.zsetScoreBound(), g.zsetScoreBound()}
		}},
		Generator{Command: "ZREMRANGEBYLEX", Make: func(g *Gen) []string {
			return []string{"ZREMRANGEBYLEX", g.zsetLexRangeKey(), g.zsetLexBound(), g.zsetLexBound()}
		}},
		Generator{Command: "ZPOPMIN", Weight: 2, Make: func(g *Gen) []string {
			args := []string{g.Pick("ZPOPMIN", "ZPOPMAX"), g.zsetScoreKey()}
			if g.Maybe(0.6) {
				args = append(args, g.Pick("0", "1", "2", "5", "-1", "x", "300"))
			}
			return args
		}},
		Generator{Command: "ZMPOP", Weight: 2, Make: func(g *Gen) []string {
			n := 1 + g.R.IntN(3)
			args := []string{"ZMPOP", strconv.Itoa(n)}
			if g.Maybe(0.05) {
				args[1] = g.Pick("0", "-1", "x", "9")
			}
			for range n {
				args = append(args, g.zsetScoreKey())
			}
			args = append(args, g.Pick("MIN", "MAX", "max", "FOO"))
			if g.Maybe(0.5) {
				args = append(args, "COUNT", g.Pick("1", "2", "10", "0", "-3", "x"))
			}
			return args
		}},
		Generator{Command: "ZRANDMEMBER", Make: func(g *Gen) []string {
			args := []string{"ZRANDMEMBER", g.zsetScoreKey()}
			switch g.R.IntN(4) {
			case 0:
				args = append(args, "1000")
			case 1:
				args = append(args, "1000", "WITHSCORES")
			case 2:
				args = append(args, "0", g.Pick("WITHSCORES", "FOO"))
			default:
				args = append(args, g.Pick("x", "-9223372036854775808", "9223372036854775807"), "WITHSCORES")
			}
			return args
		}},
		Generator{Command: "ZUNION", Weight: 2, Make: func(g *Gen) []string { return g.zsetSetOp(g.Pick("ZUNION", "ZINTER", "ZDIFF"), false) }},
		Generator{Command: "ZUNIONSTORE", Weight: 2, Make: func(g *Gen) []string {
			return g.zsetSetOp(g.Pick("ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"), true)
		}},
		Generator{Command: "ZINTERCARD", Make: func(g *Gen) []string {
			n := 1 + g.R.IntN(3)
			args := []string{"ZINTERCARD", strconv.Itoa(n)}
			for range n {
				args = append(args, g.zsetScoreKey())
			}
			if g.Maybe(0.5) {
				args = append(args, "LIMIT", g.Pick("0", "1", "2", "-1", "x"))
			}
			return args
		}},
		Generator{Command: "ZSCAN", Compare: CompareUnordered, Make: func(g *Gen) []string {
			args := []string{"ZSCAN", g.zsetScoreKey(), "0", "COUNT", "100000"}
			if g.Maybe(0.3) {
				args = append(args, "MATCH", g.Pick("a*", "m1*", "*", "[ab]"))
			}
			return args
		}},
		Generator{Name: "zset-arity", Mixes: zsetArityCommands, Make: genZSetArity},
	)
}

// zsetArityCommands are the sorted set commands the wrong-arity generator
// breaks.
var zsetArityCommands = []string{"ZADD", "ZINCRBY", "ZREM", "ZCARD", "ZSCORE", "ZRANGE", "ZCOUNT", "ZRANGESTORE", "ZMPOP", "ZUNIONSTORE", "ZPOPMIN"}

func genZSetArity(g *Gen) []string {
	var known []string
	for _, c := range zsetArityCommands {
		if g.supports(c) {
			known = append(known, c)
		}
	}
	if len(known) == 0 {
		return genUnknownCommand(g)
	}
	cmd := g.Pick(known...)
	switch cmd {
	case "ZADD", "ZINCRBY", "ZRANGE", "ZCOUNT", "ZRANGESTORE":
		return []string{cmd, g.Key(), "1"}
	case "ZCARD":
		return []string{cmd, g.Key(), g.Key()}
	case "ZSCORE":
		return []string{cmd, g.Key(), "a", "b"}
	}
	return []string{cmd}
}

// zsetMembers are the shared keys' members: a small pool, with the empty
// string, integer-looking members (stored as integers in a listpack) and
// bytes outside ASCII.
var zsetMembers = []string{"a", "b", "c", "d", "e", "f", "g", "h", "", "1", "10", "-5", "007", "a\x00b", "\xff", "ab", "ba", "zz"}

func (g *Gen) zsetMember() string { return g.Pick(zsetMembers...) }

// zsetBigMember is one of 300 members: enough for a skiplist.
func (g *Gen) zsetBigMember() string { return "m" + strconv.Itoa(g.R.IntN(300)) }

// zsetLexMembers score 0 in the zlex keys; the last is longer than a
// listpack member may be.
var zsetLexMembers = []string{"a", "aa", "ab", "b", "ba", "c", "d", "e", "\x00", "", "z", "zz",
	"0123456789012345678901234567890123456789012345678901234567890123456789"}

func (g *Gen) zsetLexMember() string { return g.Pick(zsetLexMembers...) }

func (g *Gen) zsetBigKey() string { return "zbig" + strconv.Itoa(g.R.IntN(2)) }
func (g *Gen) zsetLexKey() string { return "zlex" + strconv.Itoa(g.R.IntN(2)) }

// zsetScoreKey is a key for commands whose answer is defined for any
// scores: a shared key or a big one.
func (g *Gen) zsetScoreKey() string {
	if g.Maybe(0.3) {
		return g.zsetBigKey()
	}
	return g.Key()
}

// zsetLexRangeKey is a key lexicographic ranges are asked of: a zlex key,
// or a shared key (always small: its listpack scan is what Redis defines).
func (g *Gen) zsetLexRangeKey() string {
	if g.Maybe(0.6) {
		return g.zsetLexKey()
	}
	return g.Key()
}

// zsetDestFor returns a destination for a result read from src that keeps
// each kind of key to its own kind of contents: a big or all-zero set never
// lands in a shared key, which must stay small (see the package comment).
func (g *Gen) zsetDestFor(src string) string {
	switch {
	case strings.HasPrefix(src, "zbig"):
		return g.zsetBigKey()
	case strings.HasPrefix(src, "zlex"):
		return g.zsetLexKey()
	}
	return g.Key()
}

// zsetAnyKey returns a key and a member generator that fits it.
func (g *Gen) zsetAnyKey() (string, func() string) {
	switch g.R.IntN(5) {
	case 0:
		return g.zsetBigKey(), g.zsetBigMember
	case 1:
		return g.zsetLexKey(), g.zsetLexMember
	}
	return g.Key(), g.zsetMember
}

// zsetScores are scores: small integers (ties), fractions, infinities, the
// forms strtod accepts and Go's parser does not, and invalid ones.
var zsetScores = []string{"0", "1", "2", "-1", "1.5", "-2.25", "0.1", "1e3", "-0", "inf", "-inf", "+inf",
	"1e308", "0x10", "1e-310", "3.0", "5.", ".5", "nan", "abc", "", " 1", "1e-400", "1e400"}

func (g *Gen) zsetScore() string {
	if g.Maybe(0.5) {
		return g.IntIn(-5, 10)
	}
	return g.Pick(zsetScores...)
}

// zsetValidScore is a score every server accepts.
func (g *Gen) zsetValidScore() string {
	if g.Maybe(0.7) {
		return g.IntIn(-50, 50)
	}
	return g.Pick(zsetScores[:18]...)
}

// zsetScoreBound is a ZRANGEBYSCORE bound: inclusive, exclusive, infinite
// or invalid.
func (g *Gen) zsetScoreBound() string {
	switch g.R.IntN(6) {
	case 0:
		return g.Pick("-inf", "+inf", "inf", "(-inf", "(inf")
	case 1:
		return "(" + g.IntIn(-3, 8)
	case 2:
		return g.Pick("1.5", "(1.5", "-0", "0x2", " 3", "(", "", "nan", "x", "((1", "1e-400")
	}
	return g.IntIn(-3, 8)
}

// zsetLexBound is a ZRANGEBYLEX bound.
func (g *Gen) zsetLexBound() string {
	switch g.R.IntN(7) {
	case 0:
		return g.Pick("-", "+")
	case 1:
		return g.Pick("a", "", "+a", "--", "[", "(")
	}
	return g.Pick("[", "(") + g.Pick(zsetLexMembers[:12]...)
}

// zsetIndex is a rank index, counted from either end.
func (g *Gen) zsetIndex() string {
	if g.Maybe(0.05) {
		return g.Pick("x", "1.5", "9223372036854775807", "-9223372036854775808")
	}
	if g.Maybe(0.3) {
		return g.IntIn(-200, 200)
	}
	return g.IntIn(-6, 6)
}

func (g *Gen) zsetWithScores(args []string) []string {
	if g.Maybe(0.5) {
		args = append(args, g.Pick("WITHSCORES", "withscores"))
	}
	return args
}

func (g *Gen) zsetLimit(args []string) []string {
	if g.Maybe(0.4) {
		args = append(args, "LIMIT", g.Pick("0", "1", "2", "-1", "200", "x"), g.Pick("1", "2", "-1", "0", "10"))
	}
	return args
}

// genZAdd: ZADD on a shared key with options in any order, sometimes
// conflicting, and one or more pairs.
func genZAdd(g *Gen) []string {
	args := []string{"ZADD", g.Key()}
	for range g.R.IntN(3) {
		args = append(args, g.Pick("NX", "XX", "GT", "LT", "CH", "INCR", "ch", "FOO"))
	}
	pairs := 1 + g.R.IntN(4)
	if g.Maybe(0.6) {
		pairs = 1 // INCR allows one pair
	}
	for range pairs {
		args = append(args, g.zsetScore(), g.zsetMember())
	}
	if g.Maybe(0.03) {
		args = args[:len(args)-1] // a score without its member
	}
	return args
}

// genZRange: ZRANGE with BYSCORE / BYLEX / REV / LIMIT / WITHSCORES in any
// combination, valid or not.
func genZRange(g *Gen) []string {
	var args []string
	switch g.R.IntN(3) {
	case 0:
		args = []string{"ZRANGE", g.zsetScoreKey(), g.zsetIndex(), g.zsetIndex()}
	case 1:
		args = []string{"ZRANGE", g.zsetScoreKey(), g.zsetScoreBound(), g.zsetScoreBound(), "BYSCORE"}
	default:
		args = []string{"ZRANGE", g.zsetLexRangeKey(), g.zsetLexBound(), g.zsetLexBound(), "BYLEX"}
	}
	if g.Maybe(0.4) {
		args = append(args, "REV")
	}
	if g.Maybe(0.3) {
		args = append(args, "LIMIT", g.Pick("0", "1", "-1", "3"), g.Pick("1", "2", "-1", "0"))
	}
	if g.Maybe(0.4) {
		args = append(args, "WITHSCORES")
	}
	if g.Maybe(0.05) {
		args = append(args, g.Pick("BYSCORE", "REV", "FOO"))
	}
	return args
}

// zsetSetOp builds ZUNION/ZINTER/ZDIFF (STORE when store) over shared and
// big keys, with WEIGHTS, AGGREGATE and WITHSCORES sometimes.
func (g *Gen) zsetSetOp(cmd string, store bool) []string {
	n := 1 + g.R.IntN(3)
	keys := make([]string, n)
	dst := g.Key()
	for i := range keys {
		keys[i] = g.zsetScoreKey()
		if strings.HasPrefix(keys[i], "zbig") {
			dst = g.zsetBigKey() // a big input: the result may be big
		}
	}
	args := []string{cmd}
	if store {
		args = append(args, dst)
	}
	args = append(args, strconv.Itoa(n))
	if g.Maybe(0.04) {
		args[len(args)-1] = g.Pick("0", "-1", "x", "7")
	}
	args = append(args, keys...)
	if g.Maybe(0.3) {
		args = append(args, "WEIGHTS")
		for range n {
			args = append(args, g.Pick("1", "2", "-1", "0", "0.5", "inf", "x"))
		}
	}
	if g.Maybe(0.3) {
		args = append(args, "AGGREGATE", g.Pick("SUM", "MIN", "MAX", "max", "AVG"))
	}
	if !store && g.Maybe(0.5) {
		args = append(args, "WITHSCORES")
	}
	return args
}
