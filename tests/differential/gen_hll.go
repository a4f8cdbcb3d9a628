package differential

import "strconv"

// HyperLogLog commands on the shared keys: PFADD in small and large batches
// (large ones take an HLL past hll-sparse-max-bytes to dense), PFCOUNT on
// one key (which rewrites the cached cardinality) and on several, PFMERGE,
// PFDEBUG, GET of the HLL bytes, and SETRANGE writes into an HLL's header
// and opcodes so corrupt values meet every command. The keys also hold
// other strings from the string generators: WRONGTYPE cases come free.
func init() {
	Register("hll",
		Generator{Command: "PFADD", Weight: 6, Make: genPFAdd},
		Generator{Command: "PFCOUNT", Weight: 4, Make: func(g *Gen) []string {
			return append([]string{"PFCOUNT"}, g.Keys(1+max(0, g.R.IntN(5)-2))...)
		}},
		Generator{Command: "PFMERGE", Weight: 2, Make: func(g *Gen) []string {
			return append([]string{"PFMERGE"}, g.Keys(1+g.R.IntN(4))...)
		}},
		Generator{Command: "PFDEBUG", Make: func(g *Gen) []string {
			sub := g.Pick("ENCODING", "decode", "TODENSE", "GETREG", "encoding", "nosuch")
			return []string{"PFDEBUG", sub, g.Key()}
		}},
		// GET shows the HLL's bytes: registers, opcodes and cache.
		Generator{Name: "hll-get", Command: "GET", Weight: 3, Make: func(g *Gen) []string { return []string{"GET", g.Key()} }},
		Generator{Name: "hll-corrupt", Command: "SETRANGE", Mixes: []string{"DEL"}, Make: genHLLCorrupt},
		Generator{Name: "hll-arity", Mixes: hllArityCommands, Make: func(g *Gen) []string { return g.hllWrongArity() }},
	)
}

var hllArityCommands = []string{"PFADD", "PFCOUNT", "PFMERGE", "PFDEBUG", "PFSELFTEST"}

// hllElement returns an element: mostly from a pool small enough to repeat
// (PFADD then reports no change), sometimes binary or empty.
func (g *Gen) hllElement() string {
	switch {
	case g.Maybe(0.05):
		return g.Pick("", "\x00", "\xff\xfe", "a\r\nb", "12345678", "123456789")
	case g.Maybe(0.5):
		return "e" + strconv.Itoa(g.R.IntN(300))
	}
	return strconv.Itoa(g.R.IntN(200000))
}

// genPFAdd: PFADD key [element ...], with no elements at times and a few
// hundred at others.
func genPFAdd(g *Gen) []string {
	args := []string{"PFADD", g.Key()}
	n := g.R.IntN(6)
	if g.Maybe(0.15) {
		n = 100 + g.R.IntN(900)
	}
	for range n {
		args = append(args, g.hllElement())
	}
	return args
}

// genHLLCorrupt overwrites bytes of a value where an HLL keeps its
// encoding byte (4), cached cardinality (8-15) and first opcodes (16-).
// A corrupt HLL stays corrupt, so more often it deletes a key instead,
// making room for a fresh one.
func genHLLCorrupt(g *Gen) []string {
	if !g.Maybe(0.3) {
		return []string{"DEL", g.Key()}
	}
	offset := g.Pick("4", "8", "15", "16", "17", "18", "20", "24")
	value := g.Pick("\x00", "\x01", "\x02", "\x80", "\x7f\xff", "\x40\x00", "\xff", "\x3f\x3f", "x")
	return []string{"SETRANGE", g.Key(), offset, value}
}

func (g *Gen) hllWrongArity() []string {
	var known []string
	for _, c := range hllArityCommands {
		if g.supports(c) {
			known = append(known, c)
		}
	}
	if len(known) == 0 {
		return genUnknownCommand(g)
	}
	switch cmd := g.Pick(known...); cmd {
	case "PFDEBUG":
		if g.Maybe(0.5) {
			return []string{cmd, "ENCODING"}
		}
		return []string{cmd, "ENCODING", g.Key(), g.Key()}
	case "PFSELFTEST":
		return []string{cmd, "x"}
	default:
		return []string{cmd}
	}
}
