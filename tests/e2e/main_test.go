package e2e_test

import (
	"os"
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
