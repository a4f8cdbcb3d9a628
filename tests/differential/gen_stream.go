package differential

import "strconv"

// Stream commands with explicit IDs only, so every reply is fixed: IDs come
// from a small range (many XADDs fail as "equal or smaller", which is
// compared too), the stream keys sk0..sk2 grow past a node of 100 entries
// now and then so approximate trims have whole nodes to remove, and the
// shared keys k0..k7 meet the other families' values (WRONGTYPE). Left out:
// "*" IDs, BLOCK, and the clock-bound replies (XPENDING's extended form,
// XINFO CONSUMERS, XINFO STREAM's times and radix-tree-nodes).
func init() {
	Register("stream",
		Generator{Command: "XADD", Weight: 12, Make: func(g *Gen) []string {
			args := []string{"XADD", g.streamKey()}
			if g.Maybe(0.1) {
				args = append(args, "NOMKSTREAM")
			}
			if g.Maybe(0.25) {
				args = append(args, g.streamTrimArgs()...)
			}
			args = append(args, g.streamAddID())
			for range 1 + g.R.IntN(2) {
				args = append(args, g.Pick("f", "g", "h"), g.Pick("1", "v", "-5", "x y"))
			}
			return args
		}},
		Generator{Name: "xadd-many", Command: "XADD", Weight: 3, Make: func(g *Gen) []string {
			// A fresh ms a bit above the others: a run of these fills nodes.
			return []string{"XADD", g.streamKey(), strconv.Itoa(1000+g.R.IntN(400)) + "-*", "f", g.Int()}
		}},
		Generator{Command: "XLEN", Weight: 2, Make: func(g *Gen) []string { return []string{"XLEN", g.streamKey()} }},
		Generator{Command: "XRANGE", Weight: 4, Make: func(g *Gen) []string {
			args := []string{"XRANGE", g.streamKey(), g.streamBound("-"), g.streamBound("+")}
			if g.Maybe(0.5) {
				args = append(args, "COUNT", g.IntIn(-1, 5))
			}
			return args
		}},
		Generator{Command: "XREVRANGE", Weight: 3, Make: func(g *Gen) []string {
			args := []string{"XREVRANGE", g.streamKey(), g.streamBound("+"), g.streamBound("-")}
			if g.Maybe(0.5) {
				args = append(args, "COUNT", g.IntIn(0, 5))
			}
			return args
		}},
		Generator{Command: "XDEL", Weight: 3, Make: func(g *Gen) []string {
			return []string{"XDEL", g.streamKey(), g.streamID(), g.streamID()}
		}},
		Generator{Command: "XTRIM", Weight: 3, Make: func(g *Gen) []string {
			return append([]string{"XTRIM", g.streamKey()}, g.streamTrimArgs()...)
		}},
		Generator{Command: "XSETID", Weight: 1, Make: func(g *Gen) []string {
			args := []string{"XSETID", g.streamKey(), g.streamID()}
			if g.Maybe(0.3) {
				args = append(args, "ENTRIESADDED", g.IntIn(0, 500))
			}
			if g.Maybe(0.3) {
				args = append(args, "MAXDELETEDID", g.streamID())
			}
			return args
		}},
		Generator{Command: "XREAD", Weight: 3, Make: func(g *Gen) []string {
			args := []string{"XREAD"}
			if g.Maybe(0.5) {
				args = append(args, "COUNT", g.IntIn(0, 4))
			}
			return append(args, "STREAMS", g.streamKey(), g.streamKey(), g.Pick("0", "$", "3-1"), g.streamID())
		}},
		Generator{Command: "XGROUP", Weight: 4, Make: func(g *Gen) []string {
			key, grp := g.streamKey(), g.streamGroup()
			switch g.R.IntN(5) {
			case 0:
				args := []string{"XGROUP", "CREATE", key, grp, g.Pick("$", "0", g.streamID())}
				if g.Maybe(0.5) {
					args = append(args, "MKSTREAM")
				}
				if g.Maybe(0.2) {
					args = append(args, "ENTRIESREAD", g.IntIn(-1, 20))
				}
				return args
			case 1:
				return []string{"XGROUP", "SETID", key, grp, g.Pick("$", "0", g.streamID())}
			case 2:
				return []string{"XGROUP", "DESTROY", key, grp}
			case 3:
				return []string{"XGROUP", "CREATECONSUMER", key, grp, g.streamConsumer()}
			}
			return []string{"XGROUP", "DELCONSUMER", key, grp, g.streamConsumer()}
		}},
		Generator{Command: "XREADGROUP", Weight: 5, Make: func(g *Gen) []string {
			args := []string{"XREADGROUP", "GROUP", g.streamGroup(), g.streamConsumer()}
			if g.Maybe(0.5) {
				args = append(args, "COUNT", g.IntIn(1, 4))
			}
			if g.Maybe(0.2) {
				args = append(args, "NOACK")
			}
			return append(args, "STREAMS", g.streamKey(), g.Pick(">", ">", "0", g.streamID()))
		}},
		Generator{Command: "XACK", Weight: 2, Make: func(g *Gen) []string {
			return []string{"XACK", g.streamKey(), g.streamGroup(), g.streamID(), g.streamID()}
		}},
		Generator{Command: "XPENDING", Weight: 2, Make: func(g *Gen) []string {
			return []string{"XPENDING", g.streamKey(), g.streamGroup()}
		}},
		Generator{Command: "XCLAIM", Weight: 2, Make: func(g *Gen) []string {
			args := []string{"XCLAIM", g.streamKey(), g.streamGroup(), g.streamConsumer(), "0", g.streamID(), g.streamID()}
			if g.Maybe(0.3) {
				args = append(args, "FORCE")
			}
			if g.Maybe(0.5) {
				args = append(args, "JUSTID")
			}
			return args
		}},
		Generator{Command: "XAUTOCLAIM", Weight: 2, Make: func(g *Gen) []string {
			args := []string{"XAUTOCLAIM", g.streamKey(), g.streamGroup(), g.streamConsumer(), "0", g.streamBound("-")}
			if g.Maybe(0.5) {
				args = append(args, "COUNT", g.IntIn(1, 4))
			}
			if g.Maybe(0.5) {
				args = append(args, "JUSTID")
			}
			return args
		}},
		Generator{Name: "xinfo-groups", Command: "XINFO", Weight: 2, Make: func(g *Gen) []string {
			return []string{"XINFO", "GROUPS", g.streamKey()}
		}},
	)
}

func (g *Gen) streamKey() string {
	if g.Maybe(0.15) {
		return g.Key()
	}
	return "sk" + strconv.Itoa(g.R.IntN(3))
}

func (g *Gen) streamGroup() string    { return g.Pick("g1", "g2") }
func (g *Gen) streamConsumer() string { return g.Pick("c1", "c2", "c3") }

// streamID is an explicit ID from a small range (sometimes invalid).
func (g *Gen) streamID() string {
	if g.Maybe(0.03) {
		return g.Pick("bad", "0-0", "18446744073709551615-18446744073709551615")
	}
	return strconv.Itoa(g.R.IntN(40)) + "-" + strconv.Itoa(g.R.IntN(3))
}

// streamAddID is XADD's ID: "ms-seq", "ms" or "ms-*".
func (g *Gen) streamAddID() string {
	ms := strconv.Itoa(g.R.IntN(40))
	switch g.R.IntN(4) {
	case 0:
		return ms
	case 1:
		return ms + "-*"
	}
	return g.streamID()
}

// streamBound is a range bound: the given special, an ID, or an exclusive one.
func (g *Gen) streamBound(special string) string {
	switch g.R.IntN(4) {
	case 0:
		return special
	case 1:
		return "(" + g.streamID()
	}
	return g.streamID()
}

func (g *Gen) streamTrimArgs() []string {
	var args []string
	if g.Maybe(0.6) {
		args = append(args, "MAXLEN")
	} else {
		args = append(args, "MINID")
	}
	approx := g.Maybe(0.5)
	if approx {
		args = append(args, "~")
	} else if g.Maybe(0.3) {
		args = append(args, "=")
	}
	if args[0] == "MAXLEN" {
		args = append(args, g.IntIn(0, 150))
	} else {
		args = append(args, g.Pick(g.streamID(), strconv.Itoa(1000+g.R.IntN(400))))
	}
	if approx && g.Maybe(0.3) {
		args = append(args, "LIMIT", g.IntIn(0, 200))
	}
	return args
}
