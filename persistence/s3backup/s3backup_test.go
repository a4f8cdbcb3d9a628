package s3backup

import (
	"sort"
	"testing"
	"time"
)

func TestObjectNamesSortByTimeAndParseBack(t *testing.T) {
	st, err := Open(Config{Endpoint: "127.0.0.1:9", Bucket: "b", Prefix: "p/x/"})
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 11, 23, 9, 59, 59, 999_000_000, time.UTC)
	times := []time.Time{base.Add(time.Millisecond), base, base.Add(-time.Hour * 24 * 400), base.Add(time.Second * 3)}
	var names []string
	for i, tm := range times {
		n := st.ObjectName(tm.In(time.FixedZone("X", 3600*5)), []string{"aaaa", "zzzz", "mmmm", "0000"}[i])
		names = append(names, n)
		got, ok := parseName(n[len("p/x/"):])
		if !ok || !got.Equal(tm) {
			t.Errorf("parseName(%q) = %v %v, want %v", n, got, ok, tm)
		}
	}
	if names[1] != "p/x/dump-20261123T095959.999Z-zzzz.rdb" {
		t.Errorf("name %q", names[1])
	}
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	want := []string{names[2], names[1], names[0], names[3]}
	for i := range want {
		if sorted[i] != want[i] {
			t.Fatalf("names sort as %q, want time order %q", sorted, want)
		}
	}
}

func TestParseNameRejectsOtherObjects(t *testing.T) {
	for _, n := range []string{"", "dump-.rdb", "dump-20261123T095959.999Z.rdb", "dump-20261123T095959.999Z-id.aof",
		"x-20261123T095959.999Z-id.rdb", "dump-2026112XT095959.999Z-id.rdb", "sub/dump-20261123T095959.999Z-id.rdb"} {
		if _, ok := parseName(n); ok {
			t.Errorf("parseName(%q) accepted", n)
		}
	}
}

func TestOpenChecksConfig(t *testing.T) {
	if _, err := Open(Config{}); err == nil {
		t.Error("Open without a bucket succeeded")
	}
	if _, err := Open(Config{Bucket: "b", Endpoint: "http://"}); err == nil {
		t.Error("Open with a URL without host succeeded")
	}
	st, err := Open(Config{Bucket: "b", Endpoint: "https://s3.example.com:9000"})
	if err != nil {
		t.Fatal(err)
	}
	if u := st.Client().EndpointURL(); u.Scheme != "https" || u.Host != "s3.example.com:9000" {
		t.Errorf("endpoint %v", u)
	}
}
