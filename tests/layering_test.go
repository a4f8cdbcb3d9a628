package tests

// The import rules of DESIGN.md, checked for every package in one place:
// imports point downward only (server -> scripts, replication, cluster,
// persistence -> datatypes/keyspace -> datatypes), datatypes/ touches no
// network, protocol or third-party code other than pure data-structure
// libraries (pureLibraries), and only the binaries and the end-to-end tests
// may import server/.

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/vireodb/vireo"

// pureLibraries are third-party packages that are data structures and
// nothing else (no I/O, no goroutines), which datatypes/ may build on:
// tidwall/btree is one of the project's required dependencies.
var pureLibraries = []string{"github.com/tidwall/btree"}

// leaves are packages that must stay narrower than their layer: the module
// packages each may import (nil: the standard library only).
var leaves = map[string][]string{
	"datatypes/dict": nil,
	"datatypes/glob": nil,
	"datatypes/hll":  nil,
	"datatypes/num":  nil,
	"datatypes/sds":  nil,
	"datatypes/hash": {"datatypes/dict"},
	"datatypes/set":  {"datatypes/dict", "datatypes/num"},
}

// allowed says whether package pkg (a path relative to the module root) may
// import imp (a full import path).
func allowed(pkg, imp string) bool {
	std := !strings.Contains(strings.SplitN(imp, "/", 2)[0], ".")
	if std {
		return true
	}
	own, isOwn := strings.CutPrefix(imp, module+"/")
	under := func(prefixes ...string) bool {
		for _, p := range prefixes {
			if own == p || strings.HasPrefix(own, p+"/") {
				return true
			}
		}
		return false
	}
	if only, ok := leaves[pkg]; ok {
		for _, o := range only {
			if own == o {
				return true
			}
		}
		return false
	}
	switch {
	case under2(pkg, "datatypes"):
		// Pure data structures: the standard library, each other and the
		// pure data-structure libraries only.
		return (isOwn && under("datatypes")) || slices.Contains(pureLibraries, imp)
	case under2(pkg, "persistence/s3backup"):
		// Object storage through minio-go, nothing of Vireo's.
		return !isOwn && strings.HasPrefix(imp, "github.com/minio/minio-go/")
	case under2(pkg, "persistence"):
		return isOwn && under("datatypes", "persistence")
	case under2(pkg, "server/config"):
		return isOwn && under("datatypes")
	case under2(pkg, "replication"), under2(pkg, "cluster"), under2(pkg, "scripts"):
		return !isOwn || under("datatypes", "persistence", "replication", "cluster", "scripts")
	case under2(pkg, "server"):
		return !isOwn || !under("tests", "cmd")
	case under2(pkg, "cmd"):
		return !isOwn || !under("tests")
	default: // tests/
		return true
	}
}

func under2(pkg, dir string) bool { return pkg == dir || strings.HasPrefix(pkg, dir+"/") }

func TestImportRules(t *testing.T) {
	root := ".."
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "bin" || name == "data") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, spec := range f.Imports {
			imp, _ := strconv.Unquote(spec.Path.Value)
			if !allowed(rel, imp) {
				t.Errorf("%s imports %s: against the layering rules (see tests/layering_test.go)", filepath.ToSlash(path), imp)
			}
		}
		checked++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("only %d files checked: is the module root at ..?", checked)
	}
}

func TestImportRulesCatchViolations(t *testing.T) {
	bad := map[string]string{
		"datatypes/dict":     "github.com/tidwall/redcon",
		"datatypes/keyspace": module + "/server",
		"persistence/rdb":    module + "/server/config",
		"server/config":      module + "/server",
		"replication":        module + "/server",
		"server":             module + "/tests/harness",
		"datatypes/hll":      module + "/datatypes/num",
		"datatypes/hash":     module + "/datatypes/num",
		"datatypes/zset":     "github.com/redis/go-redis/v9",
	}
	for pkg, imp := range bad {
		if allowed(pkg, imp) {
			t.Errorf("%s importing %s should be refused", pkg, imp)
		}
	}
	good := map[string]string{
		"datatypes/keyspace": module + "/datatypes/dict",
		"persistence/rdb":    module + "/datatypes/keyspace",
		"server":             "github.com/tidwall/redcon",
		"server/config":      module + "/datatypes/glob",
		"cmd/vireo-server":   module + "/server",
		"datatypes/stream":   "github.com/tidwall/btree",
	}
	for pkg, imp := range good {
		if !allowed(pkg, imp) {
			t.Errorf("%s importing %s should be allowed", pkg, imp)
		}
	}
}
