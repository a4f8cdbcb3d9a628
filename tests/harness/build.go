package harness

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// vireoPackage is the import path of the server's main package.
const vireoPackage = "github.com/vireodb/vireo/cmd/vireo-server"

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
	buildDir  string // temp dir holding the built binary; removed by Main
)

// BuildVireo returns the path of a vireo-server binary. $VIREO_BIN, when set,
// names an already built binary (any Redis-compatible server works, which is
// how the harness is exercised against redis-server on both sides).
// Otherwise the binary is built once per test binary with `go build` from the
// module root found above the test's working directory. With $VIREO_RACE=1
// it is built with -race, so data races inside the server fail the tests
// (the harness scans the server's output for race reports).
func BuildVireo(t testing.TB) string {
	t.Helper()
	if bin := os.Getenv("VIREO_BIN"); bin != "" {
		path, err := exec.LookPath(bin)
		if err != nil {
			t.Fatalf("harness: VIREO_BIN=%q: %v", bin, err)
		}
		return path
	}
	buildOnce.Do(func() { buildPath, buildErr = buildVireo() })
	if buildErr != nil {
		t.Fatalf("%v\n(set VIREO_BIN to use an already built server binary)", buildErr)
	}
	return buildPath
}

func buildVireo() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "vireo-test-bin-")
	if err != nil {
		return "", fmt.Errorf("harness: build: %w", err)
	}
	buildDir = dir
	out := filepath.Join(dir, "vireo-server")
	args := []string{"build", "-o", out}
	if os.Getenv("VIREO_RACE") == "1" {
		args = append(args, "-race")
	}
	args = append(args, vireoPackage)
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	var output bytes.Buffer
	cmd.Stdout = &output
	cmd.Stderr = &output
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("harness: go build %s: %w\n%s", vireoPackage, err, output.String())
	}
	return out, nil
}

// moduleRoot walks up from the working directory (a test runs in its
// package's directory) to the directory holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("harness: module root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("harness: module root: %w", err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("harness: module root: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Main runs the tests of a package and then removes the binary BuildVireo
// built. Use it from TestMain: func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	return code
}
