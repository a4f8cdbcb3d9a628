package e2e_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/vireodb/vireo/tests/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }

// needs lists the tests that use commands Vireo does not have yet, with
// what they need. Such a test is skipped with that reason; delete its entry
// as soon as the commands land — every entry is a test not running.
var needs = map[string]string{}

// requireCommands skips the test if it is listed in needs.
func requireCommands(t *testing.T) {
	t.Helper()
	if what, ok := needs[t.Name()]; ok {
		t.Skipf("needs %s (listed in needs in main_test.go)", what)
	}
}

// requireServerCommands skips the test, after requireCommands, when the
// server does not know one of cmds (COMMAND INFO answers nil for it). It is
// for families still landing, such as sorted sets: the test runs by itself
// the day the server has them, without an entry in needs to delete.
func requireServerCommands(t *testing.T, srv *harness.Server, cmds ...string) {
	t.Helper()
	requireCommands(t)
	c := srv.Client(2)
	args := append([]any{"COMMAND", "INFO"}, anySlice(cmds)...)
	infos, err := c.Do(context.Background(), args...).Slice()
	if err != nil {
		t.Fatalf("COMMAND INFO %s: %v", strings.Join(cmds, " "), err)
	}
	if len(infos) != len(cmds) {
		t.Fatalf("COMMAND INFO %s: %d entries, want %d", strings.Join(cmds, " "), len(infos), len(cmds))
	}
	var missing []string
	for i, info := range infos {
		if info == nil {
			missing = append(missing, strings.ToUpper(cmds[i]))
		}
	}
	if len(missing) > 0 {
		t.Skipf("server lacks %s (COMMAND INFO answers nil): runs once they land", strings.Join(missing, ", "))
	}
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
