package set

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// allowedImports are the module packages set may use; anything else from
// outside the standard library breaks the rule in doc.go.
var allowedImports = map[string]bool{
	"github.com/vireodb/vireo/datatypes/dict": true,
	"github.com/vireodb/vireo/datatypes/num":  true,
}

// TestImports enforces the rule in doc.go: datatypes sit at the bottom of
// the import graph.
func TestImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			if strings.Contains(first, ".") && !allowedImports[path] {
				t.Errorf("%s imports %q; set may import only the standard library, datatypes/dict and datatypes/num", name, path)
			}
		}
	}
}
