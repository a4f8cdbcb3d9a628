package config

import (
	"errors"
	"reflect"
	"sort"
	"strconv"
	"sync"
	"testing"
)

func TestGetFormatsLikeRedis(t *testing.T) {
	c := mustLoad(t, "maxmemory 1gb\nsave 900 1\nsave 300 10\nbind 127.0.0.1 ::1\nunixsocketperm 700\n"+
		"client-output-buffer-limit replica 1kb 2mb 3\nmaxmemory-clients 5%\nnotify-keyspace-events KEA\n"+
		"slaveof h 1\nlatency-tracking-info-percentiles 99.9 50\n")
	want := map[string]string{
		"maxmemory": "1073741824", "save": "900 1 300 10", "bind": "127.0.0.1 ::1",
		"unixsocketperm": "700", "activerehashing": "yes", "appendonly": "no",
		"client-output-buffer-limit": "normal 0 0 0 slave 1024 2097152 3 pubsub 33554432 8388608 60",
		"maxmemory-clients":          "5%", "notify-keyspace-events": "AKE", "replicaof": "h 1", "slaveof": "h 1",
		"latency-tracking-info-percentiles": "99.9 50", "requirepass": "", "vireo-shards": "256",
	}
	got := getMap(c.Get(sortedKeys(want)...))
	if !equalMaps(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

func TestGetMatching(t *testing.T) {
	c := Default()
	names := func(pairs [][2]string) []string {
		var out []string
		for _, p := range pairs {
			out = append(out, p[0])
		}
		return out
	}
	for _, tc := range []struct {
		patterns []string
		want     []string
	}{
		{[]string{"PORT"}, []string{"PORT"}}, // exact names answer as asked
		{[]string{"port", "PORT", "p?rt"}, []string{"port"}},
		{[]string{"hash-max-*-entries"}, []string{"hash-max-listpack-entries", "hash-max-ziplist-entries"}},
		{[]string{"vireo-*"}, []string{"vireo-shards", "vireo-gogc", "vireo-s3-endpoint", "vireo-s3-bucket", "vireo-s3-prefix", "vireo-s3-access-key", "vireo-s3-secret-key", "vireo-s3-region", "vireo-s3-tls", "vireo-s3-backup-interval", "vireo-s3-backup-keep", "vireo-s3-restore", "vireo-metrics-addr",
			"vireo-failover", "vireo-failover-node-id", "vireo-failover-raft-addr", "vireo-failover-dir", "vireo-failover-peers",
			"vireo-failover-master-name", "vireo-failover-down-after-milliseconds"}},
		{[]string{"*exit-on*"}, nil},                                   // hidden: exact name only
		{[]string{"use-exit-on-panic"}, []string{"use-exit-on-panic"}}, // ... which works
		{[]string{"nosuch", "no*such"}, nil},
		{[]string{"lua-time-limit", "*reply-threshold"}, []string{"lua-time-limit", "busy-reply-threshold"}},
	} {
		got := names(c.Get(tc.patterns...))
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Get(%q) names = %q, want %q", tc.patterns, got, tc.want)
		}
	}
	all := c.Get("*")
	seen := map[string]bool{}
	for _, p := range all {
		if seen[p[0]] {
			t.Errorf("Get(*) repeats %s", p[0])
		}
		seen[p[0]] = true
	}
	if !seen["slaveof"] || !seen["replicaof"] || seen["rdb-key-save-delay"] {
		t.Errorf("Get(*) aliases or hidden wrong: %v", all)
	}
}

func TestSetErrors(t *testing.T) {
	for _, tc := range []struct {
		pairs [][2]string
		opts  SetOptions
		want  string
	}{
		{[][2]string{{"foo", "bar"}}, SetOptions{}, "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"},
		{[][2]string{{"maxmemory", "lots"}}, SetOptions{}, "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value"},
		{[][2]string{{"hz", "x"}}, SetOptions{}, "ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer"},
		{[][2]string{{"daemonize", "no"}}, SetOptions{}, "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config"},
		{[][2]string{{"vireo-shards", "512"}}, SetOptions{}, "ERR CONFIG SET failed (possibly related to argument 'vireo-shards') - can't set immutable config"},
		{[][2]string{{"Port", "1"}, {"port", "2"}}, SetOptions{}, "ERR CONFIG SET failed (possibly related to argument 'port') - duplicate parameter"},
		{[][2]string{{"hz", "1"}, {"daemonize", "no"}, {"bad", "1"}}, SetOptions{}, "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config"},
		{[][2]string{{"hz", "1"}, {"bad", "1"}, {"daemonize", "no"}}, SetOptions{}, "ERR Unknown option or number of arguments for CONFIG SET - 'bad'"},
		{[][2]string{{"dbfilename", "x.rdb"}}, SetOptions{Local: true}, "ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config"},
		{[][2]string{{"appendonly", "yes"}}, SetOptions{Loading: true}, "LOADING Redis is loading the dataset in memory"},
		{[][2]string{{"bad", "1"}, {"appendonly", "yes"}}, SetOptions{Loading: true}, "ERR Unknown option or number of arguments for CONFIG SET - 'bad'"},
		{[][2]string{{"appendonly", "yes"}, {"bad", "1"}}, SetOptions{Loading: true}, "LOADING Redis is loading the dataset in memory"},
		{[][2]string{{"hz", "5"}, {"timeout", "-1"}}, SetOptions{}, "ERR CONFIG SET failed (possibly related to argument 'timeout') - argument must be between 0 and 2147483647 inclusive"},
	} {
		c := Default()
		before := c.Get("*")
		err := c.SetWith(tc.pairs, tc.opts)
		var re *ReplyError
		if !errors.As(err, &re) || re.Msg != tc.want {
			t.Errorf("Set(%q): got %v, want %q", tc.pairs, err, tc.want)
		}
		if after := c.Get("*"); !reflect.DeepEqual(before, after) {
			t.Errorf("Set(%q) failed but changed values", tc.pairs)
		}
	}
}

func TestSetProtectedConfigs(t *testing.T) {
	dir := t.TempDir()
	for mode, allowed := range map[string][2]bool{"no": {false, false}, "local": {false, true}, "yes": {true, true}} {
		for i, local := range []bool{false, true} {
			c := mustLoad(t, "enable-protected-configs "+mode+"\n")
			err := c.SetWith([][2]string{{"dbfilename", "x.rdb"}, {"dir", dir}}, SetOptions{Local: local})
			if (err == nil) != allowed[i] {
				t.Errorf("enable-protected-configs %s, local %v: %v", mode, local, err)
			}
			if err == nil && (c.DBFilename != "x.rdb" || c.Dir == "") {
				t.Errorf("values not set: %q %q", c.DBFilename, c.Dir)
			}
		}
	}
}

func TestSetAppliesAllOrNothing(t *testing.T) {
	c := Default()
	if err := c.Set([][2]string{{"hz", "20"}, {"maxmemory", "10mb"}, {"save", ""}, {"lua-time-limit", "100"}}); err != nil {
		t.Fatal(err)
	}
	if c.Hz != 20 || c.Maxmemory != 10<<20 || len(c.Save) != 0 || c.BusyReplyThreshold != 100 {
		t.Errorf("values: hz %d maxmemory %d save %v busy %d", c.Hz, c.Maxmemory, c.Save, c.BusyReplyThreshold)
	}
	if err := c.Set([][2]string{{"hz", "30"}, {"save", "1 1"}, {"maxmemory", "bad"}}); err == nil {
		t.Fatal("no error")
	}
	if c.Hz != 20 || len(c.Save) != 0 || c.Maxmemory != 10<<20 {
		t.Errorf("not rolled back: hz %d save %v", c.Hz, c.Save)
	}
	if err := c.Set([][2]string{{"hz", "100000"}}); err != nil || c.Hz != 500 {
		t.Errorf("hz not capped: %d %v", c.Hz, err)
	}
}

func TestHooks(t *testing.T) {
	c := Default()
	var changes []string
	c.OnChange("hz", func() { changes = append(changes, "hz="+strconv.Itoa(c.Snapshot().Hz)) })
	c.OnChange("slave-read-only", func() { changes = append(changes, "ro") }) // alias of replica-read-only
	c.OnAnyChange(func() { changes = append(changes, "limits") }, "maxmemory", "maxmemory-policy")

	if err := c.Set([][2]string{{"hz", "10"}}); err != nil { // unchanged: no hook
		t.Fatal(err)
	}
	if err := c.Set([][2]string{{"HZ", "25"}, {"replica-read-only", "no"}, {"maxmemory", "1mb"}, {"maxmemory-policy", "allkeys-lru"}}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"hz=25", "ro", "limits"}; !reflect.DeepEqual(changes, want) {
		t.Errorf("change hooks ran %q, want %q", changes, want)
	}

	// A failing apply hook rolls everything back, lets hooks undo, and its
	// text becomes the reason.
	var applied []int
	fail := true
	c.OnApply(func() error {
		port := c.Snapshot().Port
		applied = append(applied, port)
		if fail && port == 1 {
			return errors.New("Unable to listen on this port. Check server logs.")
		}
		return nil
	}, "port")
	changes = nil
	err := c.Set([][2]string{{"hz", "40"}, {"port", "1"}})
	want := "ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs."
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	if c.Port != 6379 || c.Hz != 25 || !reflect.DeepEqual(applied, []int{1, 6379}) || changes != nil {
		t.Errorf("after failed apply: port %d hz %d applied %v changes %q", c.Port, c.Hz, applied, changes)
	}
	fail = false
	if err := c.Set([][2]string{{"port", "1"}}); err != nil || c.Port != 1 {
		t.Errorf("apply ok: %v port %d", err, c.Port)
	}

	defer func() {
		if recover() == nil {
			t.Error("OnChange with an unknown name did not panic")
		}
	}()
	c.OnChange("no-such-parameter", func() {})
}

func TestUpdateAndSnapshot(t *testing.T) {
	c := Default()
	snap := c.Snapshot()
	c.Update(func(s *Settings) { s.ReplicaOfHost, s.ReplicaOfPort = "10.1.1.1", 7000 })
	if snap.ReplicaOfHost != "" {
		t.Error("snapshot changed")
	}
	if got := getMap(c.Get("replicaof")); got["replicaof"] != "10.1.1.1 7000" {
		t.Errorf("replicaof = %v", got)
	}
	var port int
	c.View(func(s *Settings) { port = s.Port })
	if port != 6379 {
		t.Errorf("View port %d", port)
	}
}

// TestConcurrentSetAndRead is for the race detector: CONFIG SET while
// connections read values.
func TestConcurrentSetAndRead(t *testing.T) {
	c := Default()
	var hz sync.Map
	c.OnChange("hz", func() { hz.Store("hz", c.Snapshot().Hz) })
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				s := c.Snapshot()
				if s.Hz < 1 || s.Hz > 500 || (len(s.Save) != 1 && len(s.Save) != 3) { // the 3 defaults, or one point once Set ran
					t.Errorf("inconsistent snapshot: hz %d save %v", s.Hz, s.Save)
					return
				}
				c.Get("h*", "save")
				c.View(func(s *Settings) { _ = s.Maxmemory })
			}
		}()
	}
	for i := 0; i < 200; i++ {
		if err := c.Set([][2]string{{"hz", strconv.Itoa(1 + i%50)}, {"save", strconv.Itoa(1+i) + " 1"}}); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	if v, _ := hz.Load("hz"); v != 50 {
		t.Errorf("last hook saw hz %v", v)
	}
}

func TestNamesAndLookup(t *testing.T) {
	names := Default().Names()
	if !sort.StringsAreSorted(names) || len(names) != len(directives) {
		t.Fatalf("Names: %d names, sorted %v", len(names), sort.StringsAreSorted(names))
	}
	idx := sort.SearchStrings(names, "replicaof")
	if idx >= len(names) || names[idx] != "replicaof" {
		t.Error("replicaof missing from Names")
	}
	for _, n := range names {
		if n == "slaveof" {
			t.Error("alias in Names")
		}
	}
	info, ok := Lookup("SLAVEOF")
	if !ok || info != (Info{Name: "slaveof", Canonical: "replicaof"}) {
		t.Errorf("Lookup(slaveof) = %+v", info)
	}
	if info, _ := Lookup("requirepass"); !info.Sensitive || !info.Mutable {
		t.Errorf("requirepass: %+v", info)
	}
	if info, _ := Lookup("dir"); !info.Protected {
		t.Errorf("dir: %+v", info)
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup(nope) found")
	}
}

// TestEveryValueRoundTrips checks that what CONFIG GET shows can be given
// back to CONFIG SET unchanged, which Set relies on nowhere but clients do
// (and Redis's own rollback does).
func TestEveryValueRoundTrips(t *testing.T) {
	c := mustLoad(t, "maxmemory 3gb\nmaxmemory-clients 7%\nunixsocketperm 750\nsave 5 5\n"+
		"notify-keyspace-events Kx\nshutdown-on-sigint now save\nrequirepass \"a\\x00b\"\n")
	for _, e := range entries {
		if e.d.flags&immutable != 0 {
			continue
		}
		value := e.d.value.get(&c.Settings)
		if err := c.SetWith([][2]string{{e.name, value}}, SetOptions{Local: true}); err != nil &&
			!(e.d.flags&protected != 0) {
			t.Errorf("%s: setting back %q: %v", e.name, value, err)
			continue
		}
		if again := e.d.value.get(&c.Settings); again != value {
			t.Errorf("%s: %q became %q", e.name, value, again)
		}
	}
}
