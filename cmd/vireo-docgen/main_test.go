package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/vireodb/vireo/server"
)

// TestCommandsDocIsCurrent fails when docs/commands.md differs from what the
// command table generates: a command was added or changed without `make
// generate`.
func TestCommandsDocIsCurrent(t *testing.T) {
	const path = "../../docs/commands.md"
	want := render(server.CommandTable())
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `make generate`)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("docs/commands.md is out of date: run `make generate`\nline %d\n have: %s\n want: %s", i+1, g, w)
			}
		}
	}
}

func TestRender(t *testing.T) {
	md := string(render(server.CommandTable()))
	for _, want := range []string{
		"| command | group | since | summary | arity | flags |\n|---|---|---|---|---|---|\n",
		"| `GET` | string | 1.0.0 | ",
		" | 2 | readonly, fast |\n",
		"| `COMMAND` | server | 2.8.13 | ",
		"| `COMMAND LIST` | server | 7.0.0 | ",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("rendered page lacks %q", want)
		}
	}
	// Subcommands follow their container.
	if strings.Index(md, "`COMMAND COUNT`") < strings.Index(md, "`COMMAND`") {
		t.Error("COMMAND COUNT before COMMAND")
	}
	for i, line := range strings.Split(strings.TrimSpace(md[strings.Index(md, "| command"):]), "\n") {
		if n := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|"); n != 7 {
			t.Errorf("row %d has %d cell separators: %s", i, n, line)
		}
	}
}

func TestCell(t *testing.T) {
	if got := cell("a | b\nc"); got != `a \| b c` {
		t.Errorf("cell: %q", got)
	}
}

func TestWriteFile(t *testing.T) {
	path := t.TempDir() + "/commands.md"
	if err := writeFile(path, []byte("x\n")); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(path, []byte("y\n")); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "y\n" {
		t.Fatalf("%q %v", b, err)
	}
	if err := writeFile(t.TempDir()+"/no/such/dir/x.md", nil); err == nil || !strings.HasPrefix(err.Error(), "docgen: ") {
		t.Errorf("missing dir: %v", err)
	}
}
