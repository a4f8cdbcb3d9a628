package differential_test

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/vireodb/vireo/tests/differential"
)

// TestHLL runs HyperLogLog workloads on Vireo and redis-server and compares
// every reply byte for byte, GET and DUMP of the HLL values included: HLL
// values are Redis's exact string format, so the bytes must be equal, not
// just the estimates.
func TestHLL(t *testing.T) {
	pair := differential.StartPair(t)
	pair.Trace = *repliesFlag
	seed := *seedFlag
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	rerun := "go test ./tests/differential -run TestHLL -seed=" + strconv.FormatUint(seed, 10)
	t.Logf("seed %d (rerun: %s)", seed, rerun)

	run := func(t *testing.T, steps []differential.Step) {
		t.Helper()
		mismatch, err := pair.Run(t, steps)
		if err != nil {
			t.Fatal(err)
		}
		if mismatch != nil {
			t.Fatalf("differs (rerun: %s)\n%s", rerun, pair.Report(t, steps, mismatch, *minimiseFlag))
		}
	}

	// The HLL generators alone, so the keys stay HLLs long enough to grow
	// dense, be merged and be corrupted.
	t.Run("random", func(t *testing.T) {
		gens := differential.Generators("hll")
		for i := range 20 {
			label := "hll seed " + strconv.FormatUint(seed, 10) + " seq " + strconv.Itoa(i)
			run(t, differential.NewGen(seed, uint64(i), nil).Sequence(gens, 300, label))
		}
	})

	// Thousands of random elements per key in batches, the value checked
	// after every batch while it is sparse, across the promotion to dense
	// and after merges.
	t.Run("bulk", func(t *testing.T) {
		rnd := rand.New(rand.NewPCG(seed, 99))
		var steps []differential.Step
		add := func(args ...string) {
			steps = append(steps, differential.Step{Pos: "hll bulk " + strconv.Itoa(len(steps)), Kind: differential.StepCommand, Args: args})
		}
		keys := []string{"a", "b", "c", "d"}
		for _, key := range keys {
			total := 500 + rnd.IntN(6000)
			for done := 0; done < total; {
				batch := 1 + rnd.IntN(300)
				args := []string{"PFADD", key}
				for range batch {
					// Elements of 0-40 random bytes, repeats likely within a key.
					el := make([]byte, rnd.IntN(41))
					for i := range el {
						el[i] = byte(rnd.IntN(256))
					}
					if rnd.IntN(4) == 0 {
						el = []byte(strconv.Itoa(rnd.IntN(total)))
					}
					args = append(args, string(el))
				}
				done += batch
				add(args...)
				add("GET", key)
				if rnd.IntN(3) == 0 {
					add("PFCOUNT", key)
					add("GET", key)
				}
			}
			add("PFDEBUG", "ENCODING", key)
			add("PFCOUNT", key)
			add("DUMP", key)
		}
		add("PFCOUNT", "a", "b", "c", "d")
		add("PFMERGE", "m", "a", "b")
		add("GET", "m")
		add("PFMERGE", "m", "c", "d")
		add("GET", "m")
		add("PFCOUNT", "m")
		add("DUMP", "m")
		add("PFADD", "small", "x", "y", "z")
		add("PFMERGE", "small", "a")
		add("GET", "small")
		add("PFCOUNT", "small")
		run(t, steps)
	})

	// PFCOUNT on many random sets, sparse and dense, single and merged.
	t.Run("counts", func(t *testing.T) {
		rnd := rand.New(rand.NewPCG(seed, 7))
		var steps []differential.Step
		for i := range 120 {
			key := "s" + strconv.Itoa(i)
			n := rnd.IntN(1 << rnd.IntN(16))
			args := []string{"PFADD", key}
			for range n {
				args = append(args, strconv.FormatUint(rnd.Uint64(), 36))
			}
			steps = append(steps,
				differential.Step{Pos: "hll counts " + key, Kind: differential.StepCommand, Args: args},
				differential.Step{Pos: "hll counts " + key, Kind: differential.StepCommand, Args: []string{"PFCOUNT", key}},
				differential.Step{Pos: "hll counts " + key, Kind: differential.StepCommand, Args: []string{"PFCOUNT", key, "s" + strconv.Itoa(rnd.IntN(i+1))}},
			)
		}
		run(t, steps)
	})
}
