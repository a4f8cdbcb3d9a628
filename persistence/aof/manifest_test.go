package aof

import (
	"errors"
	"strings"
	"testing"
)

// Redis 7's own manifest text, as aof.c documents it.
const redisManifest = "file appendonly.aof.2.base.rdb seq 2 type b\n" +
	"file appendonly.aof.1.incr.aof seq 1 type h\n" +
	"file appendonly.aof.2.incr.aof seq 2 type h\n" +
	"file appendonly.aof.3.incr.aof seq 3 type h\n" +
	"file appendonly.aof.4.incr.aof seq 4 type i\n" +
	"file appendonly.aof.5.incr.aof seq 5 type i\n"

func TestManifestRoundTripRedisText(t *testing.T) {
	m, err := ParseManifest([]byte(redisManifest))
	if err != nil {
		t.Fatal(err)
	}
	if m.Base == nil || m.Base.Name != "appendonly.aof.2.base.rdb" || m.BaseSeq != 2 {
		t.Fatalf("base %+v seq %d", m.Base, m.BaseSeq)
	}
	if len(m.History) != 3 || len(m.Incr) != 2 || m.IncrSeq != 5 {
		t.Fatalf("history %d incr %d seq %d", len(m.History), len(m.Incr), m.IncrSeq)
	}
	if got := string(m.Format()); got != redisManifest {
		t.Fatalf("format:\n%s\nwant:\n%s", got, redisManifest)
	}
}

func TestManifestQuotedNameAndExtraKeys(t *testing.T) {
	m := &Manifest{}
	m.Base = &FileInfo{Name: "my file \"x\".rdb", Seq: 1, Type: TypeBase}
	text := string(m.Format())
	if text != "file \"my file \\\"x\\\".rdb\" seq 1 type b\n" {
		t.Fatalf("quoted: %q", text)
	}
	back, err := ParseManifest([]byte("# comment\n" + strings.TrimSuffix(text, "\n") + " future key\n"))
	if err != nil || back.Base.Name != m.Base.Name {
		t.Fatalf("back %+v err %v", back, err)
	}
}

func TestManifestErrors(t *testing.T) {
	for _, tc := range []struct{ text, msg string }{
		{"", "Found an empty AOF manifest"},
		{"file a seq 1\n", "Invalid AOF manifest file format"},
		{"\n", "Invalid AOF manifest file format"},
		{"file a seq 1 type b\nfile b seq 2 type b\n", "Found duplicate base file information"},
		{"file a seq 2 type i\nfile b seq 2 type i\n", "Found a non-monotonic sequence number"},
		{"file a seq 1 type x\n", "Unknown AOF file type"},
		{"file ../a seq 1 type b\n", "File can't be a path, just a filename"},
		{"file a seq 0 type b\n", "Invalid AOF manifest file format"},
		{"file a seq 1 type b", "too long line"},
		{"file \"a seq 1 type b\n", "Invalid AOF manifest file format"},
		{"file a seq 1 type b\n" + strings.Repeat("x", 2000) + "\n", "too long line"},
	} {
		_, err := ParseManifest([]byte(tc.text))
		if err == nil || !errors.Is(err, ErrBadManifest) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: err %v, want %q", tc.text, err, tc.msg)
		}
	}
}

func TestManifestRewriteTransitions(t *testing.T) {
	m := &Manifest{}
	if n := m.NewBase("appendonly.aof", true); n != "appendonly.aof.1.base.rdb" {
		t.Fatal(n)
	}
	m.NewIncr("appendonly.aof")
	if n := m.NewIncr("appendonly.aof"); n != "appendonly.aof.2.incr.aof" {
		t.Fatal(n)
	}
	m2 := m.Clone()
	if n := m2.NewBase("appendonly.aof", false); n != "appendonly.aof.2.base.aof" {
		t.Fatal(n)
	}
	m2.MarkRewrittenIncrAsHistory(true)
	want := "file appendonly.aof.2.base.aof seq 2 type b\n" +
		"file appendonly.aof.1.base.rdb seq 1 type h\n" +
		"file appendonly.aof.1.incr.aof seq 1 type h\n" +
		"file appendonly.aof.2.incr.aof seq 2 type i\n"
	if got := string(m2.Format()); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if len(m.History) != 0 || m.Base.Seq != 1 {
		t.Fatal("Clone shares state with the original")
	}
	m2.MarkRewrittenIncrAsHistory(false)
	if len(m2.Incr) != 0 || len(m2.History) != 3 {
		t.Fatalf("incr %d history %d", len(m2.Incr), len(m2.History))
	}
}

func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(redisManifest))
	f.Add([]byte("file \"a\\x00b\" seq 1 type i\n"))
	f.Add([]byte("# x\nfile a seq -1 type h\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(data)
		if err != nil {
			return
		}
		// What parses formats to text that parses to the same manifest.
		again, err := ParseManifest(m.Format())
		if err != nil {
			if len(m.Format()) == 0 {
				return // a manifest of comments only
			}
			t.Fatalf("reparse of %q: %v", m.Format(), err)
		}
		if string(again.Format()) != string(m.Format()) {
			t.Fatalf("not stable: %q vs %q", again.Format(), m.Format())
		}
	})
}
