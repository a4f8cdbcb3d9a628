package aof

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// The rewrite sequence of Redis 7: a new increment at the start, then the
// new base; the old base and increments become history and are deleted.
func TestDirRewriteSequence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "appendonlydir")
	d, err := OpenDir(path, "appendonly.aof")
	if err != nil || !d.Empty() {
		t.Fatalf("open: %v", err)
	}
	tmp, _, err := d.WriteTempBase(func(w io.Writer) error { _, err := w.Write([]byte("REDIS0011")); return err })
	if err != nil {
		t.Fatal(err)
	}
	if err := d.CommitBase(tmp, true, false); err != nil {
		t.Fatal(err)
	}
	f, m, err := d.CreateIncr()
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := d.Install(m); err != nil {
		t.Fatal(err)
	}
	// Rewrite: new increment first, then the base.
	f, m, _ = d.CreateIncr()
	f.Close()
	d.Install(m)
	tmp, _, _ = d.WriteTempBase(func(w io.Writer) error { _, err := w.Write([]byte("REDIS0011x")); return err })
	if err := d.CommitBase(tmp, true, true); err != nil {
		t.Fatal(err)
	}
	want := []string{"appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof", "appendonly.aof.manifest"}
	if got := listDir(t, path); !slices.Equal(got, want) {
		t.Fatalf("files %v, want %v", got, want)
	}
	back, err := ReadManifest(path, "appendonly.aof")
	if err != nil {
		t.Fatal(err)
	}
	if string(back.Format()) != "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n" {
		t.Fatalf("manifest %q", back.Format())
	}
	base, total := d.Sizes()
	if base != 10 || total != 10 {
		t.Fatalf("sizes %d %d", base, total)
	}
}

func TestDirUpgradeLegacy(t *testing.T) {
	root := t.TempDir()
	legacy := filepath.Join(root, "appendonly.aof")
	os.WriteFile(legacy, []byte(resp("SET", "a", "1")), 0o644)
	d, _ := OpenDir(filepath.Join(root, "appendonlydir"), "appendonly.aof")
	if err := d.UpgradeLegacy(legacy); err != nil {
		t.Fatal(err)
	}
	var r recorder
	if _, err := load(d.Path, false, &r); err != nil || len(r.cmds) != 1 {
		t.Fatalf("%v %v", r.cmds, err)
	}
	if _, err := os.Stat(legacy); !os.IsNotExist(err) {
		t.Fatal("legacy file left in place")
	}
}
