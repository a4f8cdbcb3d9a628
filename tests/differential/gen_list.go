package differential

import (
	"strconv"
	"strings"
)

// List commands: pushes of small and node-filling values (so lists span
// several quicklist nodes and DUMP compares their layout), pops with and
// without counts, ranges and indexes around the ends, inserts that split
// nodes, LREM/LTRIM/LPOS with every option, moves between keys (the same key
// too), and the blocking forms with zero or tiny timeouts: with one
// connection nothing wakes them, so they either pop at once or time out
// (0.01 s) on both servers.
func init() {
	Register("list",
		Generator{Command: "RPUSH", Weight: 6, Make: func(g *Gen) []string { return g.push("RPUSH") }},
		Generator{Command: "LPUSH", Weight: 4, Make: func(g *Gen) []string { return g.push("LPUSH") }},
		Generator{Command: "RPUSHX", Make: func(g *Gen) []string { return g.push("RPUSHX") }},
		Generator{Command: "LPUSHX", Make: func(g *Gen) []string { return g.push("LPUSHX") }},
		Generator{Command: "LPOP", Weight: 2, Make: func(g *Gen) []string { return g.pop("LPOP") }},
		Generator{Command: "RPOP", Weight: 2, Make: func(g *Gen) []string { return g.pop("RPOP") }},
		Generator{Command: "LLEN", Make: func(g *Gen) []string { return []string{"LLEN", g.Key()} }},
		Generator{Command: "LRANGE", Weight: 3, Make: func(g *Gen) []string {
			return []string{"LRANGE", g.Key(), g.listIndex(), g.listIndex()}
		}},
		Generator{Command: "LINDEX", Weight: 2, Make: func(g *Gen) []string { return []string{"LINDEX", g.Key(), g.listIndex()} }},
		Generator{Command: "LSET", Weight: 2, Make: func(g *Gen) []string {
			return []string{"LSET", g.Key(), g.listIndex(), g.listValue()}
		}},
		Generator{Command: "LINSERT", Weight: 3, Make: func(g *Gen) []string {
			where := g.Pick("BEFORE", "AFTER", "before", "after")
			if g.Maybe(0.05) {
				where = "MIDDLE"
			}
			return []string{"LINSERT", g.Key(), where, g.listPivot(), g.listValue()}
		}},
		Generator{Command: "LREM", Weight: 2, Make: func(g *Gen) []string {
			return []string{"LREM", g.Key(), g.Pick("0", "1", "-1", "2", "-2", "100", "x"), g.listPivot()}
		}},
		Generator{Command: "LTRIM", Make: func(g *Gen) []string {
			return []string{"LTRIM", g.Key(), g.listIndex(), g.listIndex()}
		}},
		Generator{Command: "LPOS", Weight: 2, Make: genLPos},
		Generator{Command: "LMOVE", Weight: 2, Make: func(g *Gen) []string {
			return []string{"LMOVE", g.Key(), g.Key(), g.listEnd(), g.listEnd()}
		}},
		Generator{Command: "RPOPLPUSH", Make: func(g *Gen) []string { return []string{"RPOPLPUSH", g.Key(), g.Key()} }},
		Generator{Command: "LMPOP", Weight: 2, Make: func(g *Gen) []string { return append([]string{"LMPOP"}, g.mpopArgs()...) }},
		Generator{Command: "BLPOP", Make: func(g *Gen) []string { return g.blockingPop("BLPOP") }},
		Generator{Command: "BRPOP", Make: func(g *Gen) []string { return g.blockingPop("BRPOP") }},
		Generator{Command: "BLMOVE", Make: func(g *Gen) []string {
			return []string{"BLMOVE", g.Key(), g.Key(), g.listEnd(), g.listEnd(), g.blockTimeout()}
		}},
		Generator{Command: "BRPOPLPUSH", Make: func(g *Gen) []string {
			return []string{"BRPOPLPUSH", g.Key(), g.Key(), g.blockTimeout()}
		}},
		Generator{Command: "BLMPOP", Make: func(g *Gen) []string {
			return append([]string{"BLMPOP", g.blockTimeout()}, g.mpopArgs()...)
		}},
		Generator{Name: "list-layout", Mixes: []string{"RPUSH", "LPUSH", "LINSERT", "LREM", "LPOP", "DUMP"}, Weight: 3, Make: genListLayout},
		Generator{Name: "list-arity", Mixes: listArityCommands, Make: func(g *Gen) []string { return g.wrongArity(listArityCommands...) }},
	)
}

var listArityCommands = []string{"LPUSH", "RPUSH", "LPOP", "LLEN", "LRANGE", "LINDEX", "LSET", "LINSERT", "LREM", "LTRIM", "LPOS", "LMOVE", "RPOPLPUSH", "LMPOP", "BLPOP", "BLMOVE", "BRPOPLPUSH", "BLMPOP"}

// listValues are elements: a few repeated words (so LREM, LPOS and LINSERT
// find them), integers in each listpack integer width, and strings that are
// almost integers.
var listValues = []string{
	"a", "b", "c", "a", "b", "", "0", "1", "-1", "127", "128", "-4096", "4096", "32768",
	"8388608", "2147483648", "9223372036854775807", "-9223372036854775808", "007", "+1", " 1",
}

func (g *Gen) listValue() string {
	switch {
	case g.Maybe(0.08):
		// Big enough that a few fill an 8 KiB node: layouts with several
		// nodes, splits on LINSERT.
		return strings.Repeat(g.Pick("x", "y", "ab"), 500+g.R.IntN(3000))
	case g.Maybe(0.15):
		return g.Value()
	}
	return g.Pick(listValues...)
}

// listPivot is an element to search for: usually one that is there.
func (g *Gen) listPivot() string {
	if g.Maybe(0.8) {
		return g.Pick(listValues[:8]...)
	}
	return g.listValue()
}

func (g *Gen) push(cmd string) []string {
	args := []string{cmd, g.Key()}
	for range 1 + g.R.IntN(6) {
		args = append(args, g.listValue())
	}
	return args
}

func (g *Gen) pop(cmd string) []string {
	args := []string{cmd, g.Key()}
	if g.Maybe(0.5) {
		args = append(args, g.Pick("0", "1", "2", "5", "100", "-1", "x", "9223372036854775807"))
	}
	return args
}

// listIndex is a list index: mostly near either end, sometimes far or bad.
func (g *Gen) listIndex() string {
	if g.Maybe(0.1) {
		return g.Pick("100", "-100", "9223372036854775807", "-9223372036854775808", "x", "1.5", "")
	}
	return g.IntIn(-6, 6)
}

func (g *Gen) listEnd() string {
	if g.Maybe(0.05) {
		return g.Pick("UP", "middle", "")
	}
	return g.Pick("LEFT", "RIGHT", "left", "right")
}

// genListLayout works on keys of its own (other families never touch them,
// so they always hold lists) and compares their DUMP: the bytes expose the
// quicklist node layout, which pushes, inserts (node splits and merges),
// removals and counted pops shape.
func genListLayout(g *Gen) []string {
	key := g.Pick("lst0", "lst1")
	switch g.R.IntN(8) {
	case 0, 1:
		return []string{"RPUSH", key, g.layoutValue(), g.layoutValue(), g.layoutValue()}
	case 2:
		return []string{"LPUSH", key, g.layoutValue()}
	case 3:
		return []string{"LINSERT", key, g.Pick("BEFORE", "AFTER"), g.Pick("a", "b", "1"), g.layoutValue()}
	case 4:
		return []string{"LREM", key, g.Pick("1", "-1", "0"), g.Pick("a", "b", "1")}
	case 5:
		return []string{g.Pick("LPOP", "RPOP"), key, g.Pick("1", "3")}
	}
	return []string{"DUMP", key}
}

func (g *Gen) layoutValue() string {
	if g.Maybe(0.3) {
		return strings.Repeat("v", 100+g.R.IntN(2000))
	}
	return g.Pick("a", "b", "1", "-300", "70000", "c")
}

func genLPos(g *Gen) []string {
	args := []string{"LPOS", g.Key(), g.listPivot()}
	for range g.R.IntN(3) {
		switch g.R.IntN(4) {
		case 0:
			args = append(args, "RANK", g.Pick("1", "2", "-1", "-2", "0", "x", "-9223372036854775808"))
		case 1:
			args = append(args, "COUNT", g.Pick("0", "1", "2", "-1", "x"))
		case 2:
			args = append(args, "MAXLEN", g.Pick("0", "1", "3", "-1"))
		default:
			args = append(args, g.Pick("RANK", "FOO"))
		}
	}
	return args
}

// mpopArgs is "numkeys key [key ...] <LEFT | RIGHT> [COUNT count]", now and
// then malformed.
func (g *Gen) mpopArgs() []string {
	n := 1 + g.R.IntN(3)
	numkeys := strconv.Itoa(n)
	if g.Maybe(0.1) {
		numkeys = g.Pick("0", "-1", "x", "9", "9223372036854775807")
	}
	args := append([]string{numkeys}, g.Keys(n)...)
	args = append(args, g.listEnd())
	if g.Maybe(0.5) {
		args = append(args, "COUNT", g.Pick("1", "2", "10", "0", "-1", "x"))
	}
	return args
}

func (g *Gen) blockingPop(cmd string) []string {
	args := append([]string{cmd}, g.Keys(1+g.R.IntN(3))...)
	return append(args, g.blockTimeout())
}

// blockTimeout is a short timeout, or an invalid one. Never 0: on an empty
// key it would block the sequence for good.
func (g *Gen) blockTimeout() string {
	if g.Maybe(0.1) {
		return g.Pick("-1", "x", "inf", "nan", "-0.5")
	}
	return g.Pick("0.01", "0.01", "0.001", "0.02")
}
