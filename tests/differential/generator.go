package differential

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Generator makes random commands of one kind. Each family file
// (gen_string.go, gen_keys.go, ...) registers its generators in init with
// Register, so a new family is one new file.
type Generator struct {
	// Command is the command the generator exercises, upper case. A run
	// leaves out the generators whose command the server under test does not
	// know yet; empty means always included.
	Command string
	// Name identifies the generator in a test's list of pending generators;
	// empty means Command.
	Name string
	// Mixes lists the commands a generator picks among when it makes more
	// than one (wrong-arity forms); it picks only those the server knows.
	Mixes []string
	// Weight is the relative frequency; 0 counts as 1.
	Weight int
	// Compare is how the replies of the generated commands are compared.
	Compare CompareMode
	// Make returns the arguments of one command.
	Make func(g *Gen) []string
}

var (
	registryMu sync.Mutex
	registry   = map[string][]Generator{}
)

// ID returns the generator's Name, or its Command.
func (g Generator) ID() string {
	if g.Name != "" {
		return g.Name
	}
	return g.Command
}

// Register adds a family's generators.
func Register(family string, gens ...Generator) {
	registryMu.Lock()
	defer registryMu.Unlock()
	registry[family] = append(registry[family], gens...)
}

// Families returns the registered family names, sorted.
func Families() []string {
	registryMu.Lock()
	defer registryMu.Unlock()
	names := make([]string, 0, len(registry))
	for name := range registry {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Generators returns the generators of the families, in a stable order.
func Generators(families ...string) []Generator {
	registryMu.Lock()
	defer registryMu.Unlock()
	var gens []Generator
	for _, f := range families {
		gens = append(gens, registry[f]...)
	}
	return gens
}

// NumKeys is the size of the key space generated commands touch: small, so
// commands keep meeting each other's keys.
const NumKeys = 8

// Gen is the state of one generated sequence: its random source and the
// expiry times already handed out.
type Gen struct {
	R *rand.Rand
	// Supported, when not nil, says which commands the server under test
	// knows; generators that mix several commands pick among those.
	Supported map[string]bool
	durations map[int64]bool
}

// NewGen returns a generator state for one sequence.
func NewGen(seed, stream uint64, supported map[string]bool) *Gen {
	return &Gen{R: rand.New(rand.NewPCG(seed, stream)), Supported: supported, durations: map[int64]bool{}}
}

// supports reports whether the server under test knows cmd.
func (g *Gen) supports(cmd string) bool {
	return g.Supported == nil || g.Supported[strings.ToUpper(cmd)]
}

// Sequence generates n command steps from gens, drawn by weight.
func (g *Gen) Sequence(gens []Generator, n int, label string) []Step {
	total := 0
	for _, gen := range gens {
		total += max(gen.Weight, 1)
	}
	if total == 0 {
		return nil
	}
	steps := make([]Step, 0, n)
	for i := range n {
		pick := g.R.IntN(total)
		for _, gen := range gens {
			if pick -= max(gen.Weight, 1); pick < 0 {
				steps = append(steps, Step{
					Pos:     fmt.Sprintf("%s cmd %d", label, i),
					Kind:    StepCommand,
					Args:    gen.Make(g),
					Compare: gen.Compare,
				})
				break
			}
		}
	}
	return steps
}

// Key returns one key of the key space.
func (g *Gen) Key() string { return "k" + strconv.Itoa(g.R.IntN(NumKeys)) }

// Keys returns n keys (repeats allowed, as in real use).
func (g *Gen) Keys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = g.Key()
	}
	return keys
}

// Pick returns one of options.
func (g *Gen) Pick(options ...string) string { return options[g.R.IntN(len(options))] }

// Maybe is true with probability p.
func (g *Gen) Maybe(p float64) bool { return g.R.Float64() < p }

// IntIn returns an integer in [lo, hi] as a string.
func (g *Gen) IntIn(lo, hi int) string { return strconv.Itoa(lo + g.R.IntN(hi-lo+1)) }

// values are string values worth storing: integers at the edges of int64,
// things that almost parse as numbers, the 44-byte embstr/raw boundary,
// binary bytes.
var values = []string{
	"", "0", "1", "-1", "10", "123", "-0", "007", "+1", " 1", "1 ", "0x10",
	"9223372036854775807", "-9223372036854775808", "9223372036854775808",
	"3.14", "-2.5e3", "1e400", "inf", "nan", "abc", "hello world", "\x00\xff\r\n",
	"12345678901234567890123456789012345678901234",  // 44 bytes: the longest embstr
	"123456789012345678901234567890123456789012345", // 45 bytes: raw
}

// Value returns a value to store.
func (g *Gen) Value() string {
	if g.Maybe(0.3) {
		return g.IntIn(-100, 100)
	}
	return g.Pick(values...)
}

// integers are integer arguments, good and bad.
var integers = []string{
	"0", "1", "-1", "2", "100", "-100", "9223372036854775807", "-9223372036854775808",
	"9223372036854775808", "-9223372036854775809", "1.5", "abc", "", " 1", "0x1", "+5",
}

// Int returns an integer argument, sometimes not a valid one.
func (g *Gen) Int() string {
	if g.Maybe(0.6) {
		return g.IntIn(-50, 50)
	}
	return g.Pick(integers...)
}

// floats are float arguments, good and bad.
var floats = []string{
	"0", "1", "-1", "0.1", "1.5", "-2.25", "3e2", "1e-5", "10.000", "1e308", "-1e308",
	"5.0e3", "inf", "-inf", "+inf", "nan", "abc", "", "1,5", "0x10", ".5", "5.",
}

// Float returns a float argument, sometimes not a valid one.
func (g *Gen) Float() string { return g.Pick(floats...) }

// DurationMS returns an expiry duration in milliseconds that no earlier call
// in the sequence returned, at least 10 s and a multiple of 10 s. The two
// servers run a command a few hundred microseconds apart, so two relative
// expiries compare the same way on both only when they are far apart:
// distinct multiples of 10 s are, for any sequence shorter than 10 s.
func (g *Gen) DurationMS() int64 {
	for {
		d := int64(1+g.R.IntN(100000)) * 10000
		if !g.durations[d] {
			g.durations[d] = true
			return d
		}
	}
}

// farFuture is 2100-01-01 in Unix seconds: absolute expiry times from here on
// are later than any relative one DurationMS gives.
const farFuture = 4102444800

// UnixTime returns an absolute expiry time in seconds: far in the future
// (distinct per call) or in the past (the key is deleted at once).
func (g *Gen) UnixTime() int64 {
	if g.Maybe(0.2) {
		return int64(g.R.IntN(1000000))
	}
	return farFuture + g.DurationMS()/1000
}
