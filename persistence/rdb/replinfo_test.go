package rdb

import (
	"bytes"
	"strings"
	"testing"
)

// The replication AUX fields go between used-mem and aof-base, as
// rdbSaveInfoAuxFields writes them, and come back through ReplInfoReader.
func TestReplInfoRoundTrip(t *testing.T) {
	id := strings.Repeat("ab", 20)
	want := ReplInfo{StreamDB: 3, ReplID: id, Offset: 123456789}
	var buf bytes.Buffer
	fw := NewFileWriter(&buf, true, true)
	if err := fw.WriteHeader(Aux(1700000000, 1, &want)); err != nil {
		t.Fatal(err)
	}
	if err := fw.Finish(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	var rr ReplInfoReader
	_, err := Load(bytes.NewReader(buf.Bytes()), LoadOptions{OnAux: func(k, v []byte) error {
		keys = append(keys, string(k))
		return rr.Observe(k, v)
	}}, func(*LoadedKey) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(keys, " "); got != "redis-ver redis-bits ctime used-mem repl-stream-db repl-id repl-offset aof-base" {
		t.Fatalf("AUX order %q", got)
	}
	got, ok := rr.Info()
	if !ok || got != want {
		t.Fatalf("ReplInfo %+v %v, want %+v", got, ok, want)
	}
	if aux := Aux(1, 2, nil); len(aux) != 5 || aux[4].Key != "aof-base" {
		t.Fatalf("Aux without repl info: %v", aux)
	}
}

// A file without the fields, or with any of them unusable, gives no
// replication state: loadDataFromDisk restores nothing then.
func TestReplInfoReaderIncomplete(t *testing.T) {
	id := strings.Repeat("0f", 20)
	for _, tc := range []struct {
		name   string
		fields [][2]string
	}{
		{"none", nil},
		{"no id", [][2]string{{"repl-stream-db", "0"}, {"repl-offset", "10"}}},
		{"short id", [][2]string{{"repl-stream-db", "0"}, {"repl-id", "abc"}, {"repl-offset", "10"}}},
		{"no offset", [][2]string{{"repl-stream-db", "0"}, {"repl-id", id}}},
		{"offset -1", [][2]string{{"repl-stream-db", "0"}, {"repl-id", id}, {"repl-offset", "-1"}}},
		{"bad offset", [][2]string{{"repl-stream-db", "0"}, {"repl-id", id}, {"repl-offset", "x"}}},
		{"db -1", [][2]string{{"repl-stream-db", "-1"}, {"repl-id", id}, {"repl-offset", "10"}}},
		{"no db", [][2]string{{"repl-id", id}, {"repl-offset", "10"}}},
	} {
		var rr ReplInfoReader
		for _, f := range tc.fields {
			if err := rr.Observe([]byte(f[0]), []byte(f[1])); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
		}
		if info, ok := rr.Info(); ok {
			t.Errorf("%s: usable state %+v", tc.name, info)
		}
	}
	var rr ReplInfoReader
	for _, f := range [][2]string{{"redis-ver", "7.0.15"}, {"repl-stream-db", "2"}, {"repl-id", id}, {"repl-offset", "0"}} {
		rr.Observe([]byte(f[0]), []byte(f[1]))
	}
	if info, ok := rr.Info(); !ok || info != (ReplInfo{StreamDB: 2, ReplID: id, Offset: 0}) {
		t.Fatalf("complete fields: %+v %v", info, ok)
	}
}

// FuzzReplInfoReader feeds arbitrary replication AUX values: never a
// panic, and a usable state only with a 40-character ID, an offset and a
// database that are non-negative integers, which read back as written.
func FuzzReplInfoReader(f *testing.F) {
	f.Add("0", strings.Repeat("a", 40), "0")
	f.Add("-1", "short", "-1")
	f.Add("15", strings.Repeat("9", 40), "9223372036854775807")
	f.Add("x", strings.Repeat("\x00", 40), "99999999999999999999")
	f.Fuzz(func(t *testing.T, db, id, off string) {
		var rr ReplInfoReader
		rr.Observe([]byte(AuxReplStreamDB), []byte(db))
		rr.Observe([]byte(AuxReplID), []byte(id))
		rr.Observe([]byte(AuxReplOffset), []byte(off))
		info, ok := rr.Info()
		if !ok {
			return
		}
		if len(info.ReplID) != 40 || info.ReplID != id || info.StreamDB < 0 || info.Offset < 0 {
			t.Fatalf("usable state %+v from %q %q %q", info, db, id, off)
		}
		var buf bytes.Buffer
		fw := NewFileWriter(&buf, true, true)
		if err := fw.WriteHeader(Aux(1, 1, &info)); err != nil {
			t.Fatal(err)
		}
		fw.Finish()
		var back ReplInfoReader
		if _, err := Load(bytes.NewReader(buf.Bytes()), LoadOptions{OnAux: back.Observe}, func(*LoadedKey) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if got, ok := back.Info(); !ok || got != info {
			t.Fatalf("round trip %+v %v, want %+v", got, ok, info)
		}
	})
}
