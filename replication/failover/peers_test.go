package failover

import (
	"reflect"
	"strings"
	"testing"
)

func TestParsePeers(t *testing.T) {
	got, err := ParsePeers("a@127.0.0.1:7001@127.0.0.1:17001, b@127.0.0.1:7002@127.0.0.1:17002 c@127.0.0.1:7003@127.0.0.1:17003")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, threeMembers) {
		t.Fatalf("got %+v", got)
	}
	if s := FormatPeers(got); s != "a@127.0.0.1:7001@127.0.0.1:17001 b@127.0.0.1:7002@127.0.0.1:17002 c@127.0.0.1:7003@127.0.0.1:17003" {
		t.Fatalf("FormatPeers: %s", s)
	}
	for _, bad := range []string{
		"", " , ",
		"a@127.0.0.1:7001",                                   // no raft address
		"a@127.0.0.1:7001@127.0.0.1:17001@x",                 // too many parts
		"a b@127.0.0.1:7001@127.0.0.1:17001",                 // a bare word
		"@127.0.0.1:7001@127.0.0.1:17001",                    // no id
		"a/b@127.0.0.1:7001@127.0.0.1:17001",                 // odd id
		"a@127.0.0.1@127.0.0.1:17001",                        // no port
		"a@127.0.0.1:0@127.0.0.1:17001",                      // port 0
		"a@:7001@127.0.0.1:17001",                            // no host
		"a@h:7001@h:17001 a@h:7002@h:17002",                  // repeated id
		"a@h:7001@h:17001 b@h:7001@h:17002",                  // repeated client address
		"a@h:7001@h:17001 b@h:7002@h:17001",                  // repeated raft address
		"a@127.0.0.1:70010@127.0.0.1:17001",                  // port out of range
		strings.Repeat("x", 65) + "@127.0.0.1:1@127.0.0.1:2", // id too long
	} {
		if m, err := ParsePeers(bad); err == nil {
			t.Errorf("ParsePeers(%q) = %+v, want an error", bad, m)
		}
	}
}

func FuzzParsePeers(f *testing.F) {
	f.Add("a@127.0.0.1:7001@127.0.0.1:17001 b@127.0.0.1:7002@127.0.0.1:17002")
	f.Add("a@[::1]:7001@[::1]:17001,b@h:1@h:2")
	f.Add("@@@")
	f.Add("a@h:1@h:1")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParsePeers(s)
		if err != nil {
			return
		}
		// What parses, formats and parses back to the same members.
		again, err := ParsePeers(FormatPeers(m))
		if err != nil || !reflect.DeepEqual(again, m) {
			t.Fatalf("round trip of %q: %+v, %v", s, again, err)
		}
	})
}
