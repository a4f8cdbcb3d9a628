package differential_test

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vireodb/vireo/tests/differential"
	"github.com/vireodb/vireo/tests/harness"
)

var (
	seedFlag      = flag.Uint64("seed", 0, "seed of the random command sequences (0: taken from the clock)")
	sequencesFlag = flag.Int("sequences", 80, "number of random command sequences")
	commandsFlag  = flag.Int("commands", 150, "commands per random sequence")
	minimiseFlag  = flag.Duration("minimise", 20*time.Second, "time allowed for shrinking a failing script")
	repliesFlag   = flag.Bool("replies", false, "log every command with both replies (use with -v)")
)

// pending lists the scripts Vireo is known not to pass yet. They still run:
// a failure is reported as a skip with its first mismatch, a pass as a
// reminder to remove the file from this list. Delete entries as the
// commands land.
var pending = []string{}

// randomPending lists generators (by command, or by name for those that
// mix commands: "unknown-command", "string-arity", "keys-arity") that Vireo
// does not yet answer like Redis in every case; the random sequences leave
// them out. Commands Vireo does not know at all are left out automatically.
var randomPending = []string{}

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }

// TestDifferential starts one Vireo and one redis-server and runs every
// script, then the random sequences, on both.
func TestDifferential(t *testing.T) {
	pair := differential.StartPair(t)
	pair.Trace = *repliesFlag
	t.Run("scripts", func(t *testing.T) { testScripts(t, pair) })
	t.Run("random", func(t *testing.T) { testRandom(t, pair) })
}

func testScripts(t *testing.T, pair *differential.Pair) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts in testdata: %v", err)
	}
	t.Logf("pending scripts (not enforced): %s", strings.Join(pending, ", "))
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			text, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			steps, err := differential.ParseScript(name, string(text))
			if err != nil {
				t.Fatal(err)
			}
			mismatch, err := pair.Run(t, steps)
			if err != nil {
				t.Fatal(err)
			}
			isPending := slices.Contains(pending, name)
			switch {
			case mismatch == nil && isPending:
				t.Logf("%s passes now: remove it from pending in differential_test.go", name)
			case mismatch != nil && isPending:
				t.Skipf("pending; first mismatch:\n%s", mismatch)
			case mismatch != nil:
				t.Fatal(pair.Report(t, steps, mismatch, *minimiseFlag))
			}
		})
	}
}

func testRandom(t *testing.T, pair *differential.Pair) {
	seed := *seedFlag
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	rerun := "go test ./tests/differential -run TestDifferential/random -seed=" + strconv.FormatUint(seed, 10)
	t.Logf("seed %d (rerun: %s)", seed, rerun)

	gens, supported := supportedGenerators(t, pair)
	if len(gens) == 0 {
		t.Skip("vireo knows none of the generated commands")
	}
	for i := range *sequencesFlag {
		label := "seed " + strconv.FormatUint(seed, 10) + " seq " + strconv.FormatUint(uint64(i), 10)
		steps := differential.NewGen(seed, uint64(i), supported).Sequence(gens, *commandsFlag, label)
		mismatch, err := pair.Run(t, steps)
		if err != nil {
			t.Fatal(err)
		}
		if mismatch != nil {
			t.Fatalf("random sequence differs (rerun: %s)\n%s", rerun, pair.Report(t, steps, mismatch, *minimiseFlag))
		}
	}
}

// supportedGenerators returns the generators of every family whose command
// Vireo knows and randomPending does not exclude, and the set of commands a
// generator mixing several may use.
func supportedGenerators(t *testing.T, pair *differential.Pair) ([]differential.Generator, map[string]bool) {
	all := differential.Generators(differential.Families()...)
	var names []string
	for _, g := range all {
		if g.Command != "" {
			names = append(names, g.Command)
		}
		names = append(names, g.Mixes...)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	supported, err := differential.Probe(t, pair.Vireo, names)
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range randomPending {
		supported[strings.ToUpper(cmd)] = false
	}
	var gens []differential.Generator
	var missing []string
	for _, g := range all {
		if isRandomPending(g.ID()) || g.Command != "" && !supported[g.Command] {
			continue
		}
		gens = append(gens, g)
	}
	for _, name := range names {
		if !supported[name] {
			missing = append(missing, name)
		}
	}
	for _, name := range randomPending {
		if !slices.Contains(missing, strings.ToUpper(name)) {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		t.Logf("commands left out of the random sequences (unknown to vireo or in randomPending): %s", strings.Join(missing, " "))
	}
	return gens, supported
}

func isRandomPending(id string) bool {
	return slices.ContainsFunc(randomPending, func(p string) bool { return strings.EqualFold(p, id) })
}
