package aof

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func resp(argv ...string) string {
	var b strings.Builder
	b.WriteString("*" + itoa(len(argv)) + "\r\n")
	for _, a := range argv {
		b.WriteString("$" + itoa(len(a)) + "\r\n" + a + "\r\n")
	}
	return b.String()
}

func itoa(n int) string { return string(strconvAppend(nil, n)) }

func strconvAppend(b []byte, n int) []byte {
	if n >= 10 {
		b = strconvAppend(b, n/10)
	}
	return append(b, byte('0'+n%10))
}

// writeDir makes an append-only dir holding files (name -> content) listed
// in a manifest in the given order: the first is the base when base is set.
func writeDir(t *testing.T, base string, incr ...string) string {
	t.Helper()
	dir := t.TempDir()
	m := &Manifest{}
	if base != "" {
		name := m.NewBase("appendonly.aof", strings.HasPrefix(base, "REDIS"))
		os.WriteFile(filepath.Join(dir, name), []byte(base), 0o644)
	}
	for _, c := range incr {
		name := m.NewIncr("appendonly.aof")
		os.WriteFile(filepath.Join(dir, name), []byte(c), 0o644)
	}
	if err := WriteManifest(dir, "appendonly.aof", m); err != nil {
		t.Fatal(err)
	}
	return dir
}

type recorder struct{ cmds []string }

func (r *recorder) exec(argv [][]byte) error {
	r.cmds = append(r.cmds, string(bytes.Join(argv, []byte(" "))))
	return nil
}

func load(dir string, truncated bool, r *recorder) (LoadResult, error) {
	return Load(LoadOptions{Dir: dir, Filename: "appendonly.aof", Truncated: truncated, Exec: r.exec,
		Log: discardLog()})
}

func TestLoadBaseAndIncrementsInOrder(t *testing.T) {
	dir := writeDir(t, resp("SELECT", "0")+resp("SET", "a", "1"),
		"#TS:1700000000\r\n"+resp("SET", "b", "2"),
		"", resp("MULTI")+resp("INCR", "n")+resp("EXEC")+resp("DEL", "a"))
	var r recorder
	res, err := load(dir, false, &r)
	if err != nil {
		t.Fatal(err)
	}
	want := "SELECT 0|SET a 1|SET b 2|MULTI|INCR n|EXEC|DEL a"
	if got := strings.Join(r.cmds, "|"); got != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
	if res.Commands != 7 || res.Truncated {
		t.Fatalf("%+v", res)
	}
}

func TestLoadTruncatedLastFile(t *testing.T) {
	good := resp("SET", "a", "1")
	for _, tail := range []string{"*3\r\n$3\r\nSET", "*2\r\n", "*", resp("MULTI") + resp("SET", "b", "2")} {
		dir := writeDir(t, good, good+tail)
		var r recorder
		if _, err := load(dir, false, &r); !errors.Is(err, ErrTruncated) {
			t.Fatalf("tail %q with aof-load-truncated no: %v", tail, err)
		}
		r = recorder{}
		res, err := load(dir, true, &r)
		if err != nil || !res.Truncated || len(r.cmds) != 2 {
			t.Fatalf("tail %q: res %+v cmds %v err %v", tail, res, r.cmds, err)
		}
		data, _ := os.ReadFile(filepath.Join(dir, "appendonly.aof.1.incr.aof"))
		if string(data) != good {
			t.Fatalf("tail %q: file not cut back: %q", tail, data)
		}
	}
}

func TestLoadTruncatedNotLastFileFails(t *testing.T) {
	dir := writeDir(t, "", resp("SET", "a", "1")+"*3\r\n$3", resp("SET", "b", "1"))
	var r recorder
	if _, err := load(dir, true, &r); !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), "not the last file") {
		t.Fatalf("err %v", err)
	}
}

func TestLoadCorruptFails(t *testing.T) {
	for _, bad := range []string{"SET a 1\r\n", "*1\r\n+OK\r\n", "*1\r\n$3\r\nabcXY", "*-1\r\n", "*1\r\n$-5\r\n"} {
		dir := writeDir(t, "", resp("SET", "a", "1")+bad+resp("SET", "b", "2"))
		var r recorder
		_, err := load(dir, true, &r)
		if !errors.Is(err, ErrBadFormat) {
			t.Errorf("%q: err %v", bad, err)
		}
	}
}

func TestLoadRDBPreambleThenTail(t *testing.T) {
	base := "REDIS0011<rdb>" + resp("SET", "tail", "1")
	dir := writeDir(t, base)
	var r recorder
	_, err := Load(LoadOptions{Dir: dir, Filename: "appendonly.aof", Exec: r.exec, Log: discardLog(),
		RDB: func(br *bufio.Reader, name string) error {
			b := make([]byte, len("REDIS0011<rdb>"))
			_, err := io.ReadFull(br, b)
			return err
		}})
	if err != nil || len(r.cmds) != 1 || r.cmds[0] != "SET tail 1" {
		t.Fatalf("cmds %v err %v", r.cmds, err)
	}
}

func TestLoadLegacyAndMissing(t *testing.T) {
	dir := t.TempDir()
	if _, err := load(dir, false, &recorder{}); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("no manifest: %v", err)
	}
	path := filepath.Join(dir, "appendonly.aof")
	os.WriteFile(path, []byte(resp("SET", "x", "y")), 0o644)
	var r recorder
	res, err := LoadLegacy(path, LoadOptions{Exec: r.exec, Log: discardLog()})
	if err != nil || res.Commands != 1 {
		t.Fatalf("%+v %v", res, err)
	}
}

func FuzzLoadCommands(f *testing.F) {
	f.Add([]byte(resp("SET", "a", "1") + resp("MULTI") + resp("EXEC")))
	f.Add([]byte("#TS:1\r\n" + resp("DEL", "k")))
	f.Add([]byte("*2\r\n$3\r\nGET\r\n$99999999\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		m := &Manifest{}
		name := m.NewIncr("appendonly.aof")
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
		if err := WriteManifest(dir, "appendonly.aof", m); err != nil {
			t.Fatal(err)
		}
		var r recorder
		res, err := Load(LoadOptions{Dir: dir, Filename: "appendonly.aof", Truncated: true, Exec: r.exec, Log: discardLog(),
			RDB: func(*bufio.Reader, string) error { return errors.New("no rdb") }})
		if err != nil {
			return
		}
		// A file that loaded (perhaps cut back) loads again identically.
		var r2 recorder
		res2, err := Load(LoadOptions{Dir: dir, Filename: "appendonly.aof", Exec: r2.exec, Log: discardLog()})
		if err != nil || res2.Commands != res.Commands || res2.Truncated {
			t.Fatalf("reload: %+v vs %+v, %v", res2, res, err)
		}
	})
}
