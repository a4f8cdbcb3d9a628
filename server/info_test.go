package server

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// infoHeaders lists the "# Section" headers of an INFO text.
func infoHeaders(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\r\n") {
		if h, ok := strings.CutPrefix(line, "# "); ok {
			out = append(out, h)
		}
	}
	return out
}

// infoFields maps each section of an INFO text to its field names in order.
func infoFields(text string) map[string][]string {
	out := make(map[string][]string)
	sec := ""
	for _, line := range strings.Split(text, "\r\n") {
		if h, ok := strings.CutPrefix(line, "# "); ok {
			sec = h
			out[sec] = []string{}
			continue
		}
		if name, _, ok := strings.Cut(line, ":"); ok && sec != "" {
			out[sec] = append(out[sec], name)
		}
	}
	return out
}

var defaultSections = []string{"Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Modules", "Errorstats", "Cluster", "Keyspace"}
var allSections = []string{"Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Modules", "Commandstats", "Errorstats", "Latencystats", "Cluster", "Keyspace"}

func TestInfoSectionSelection(t *testing.T) {
	c := newTestClient(t)
	for _, tc := range []struct {
		args string
		want []string
	}{
		{"info", defaultSections},
		{"info default", defaultSections},
		{"info all", allSections},
		{"info EVERYTHING", allSections},
		{"info keyspace server", []string{"Server", "Keyspace"}},
		{"info CLIENTS clients", []string{"Clients"}},
		{"info default commandstats", allSectionsBut("Latencystats")},
		{"info bogus", nil},
	} {
		text := bulkBody(t, c.do(tc.args))
		if got := infoHeaders(text); !slices.Equal(got, tc.want) {
			t.Errorf("%s: sections %q, want %q", tc.args, got, tc.want)
		}
		if strings.Contains(strings.ReplaceAll(text, "\r\n", ""), "\n") {
			t.Errorf("%s: a line does not end in CRLF", tc.args)
		}
	}
	c.expect("info bogus", "$0\r\n\r\n")
	c.expect("info cluster", "$30\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n")
	c.expect("info cluster keyspace", "$44\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n# Keyspace\r\n\r\n")
	c.do("hello 3")
	c.expect("info cluster", "=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n")
}

func allSectionsBut(name string) []string {
	var out []string
	for _, s := range allSections {
		if s != name {
			out = append(out, s)
		}
	}
	return out
}

func infoValue(t *testing.T, c *testClient, section, field string) string {
	t.Helper()
	text := bulkBody(t, c.do("info "+section))
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(field) + `:(.*)\r$`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("INFO %s has no %s: %q", section, field, text)
	}
	return m[1]
}

func TestInfoValues(t *testing.T) {
	s := newTestServer(t)
	c := s.testClient(t)
	s.testClient(t)
	c.expect("set a 1", "+OK\r\n")
	c.expect("set b 2 px 100000", "+OK\r\n")
	c.expect("get a", "$1\r\n1\r\n")
	c.expect("get nokey", "$-1\r\n")
	c.expect("select 2", "+OK\r\n")
	c.expect("set z 1", "+OK\r\n")
	c.do("nosuchcommand")
	c.do("get")
	c.expect("set a 1 ex 0", "-ERR invalid expire time in 'set' command\r\n")

	if got := bulkBody(t, c.do("info keyspace")); got != "# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\ndb2:keys=1,expires=0,avg_ttl=0\r\n" {
		t.Errorf("keyspace: %q", got)
	}
	for _, f := range []struct{ sec, name, want string }{
		// 7 commands ran (the unknown one and the arity error were
		// rejected), then INFO keyspace.
		{"stats", "total_commands_processed", "8"},
		{"stats", "keyspace_hits", "1"},
		{"stats", "keyspace_misses", "1"},
		{"stats", "total_error_replies", "3"},
		{"clients", "connected_clients", "2"},
		{"persistence", "rdb_changes_since_last_save", "3"},
		{"persistence", "aof_enabled", "0"},
		{"replication", "role", "master"},
		{"replication", "master_replid", s.runID},
		{"replication", "master_repl_offset", "0"},
		{"server", "redis_version", Version},
		{"server", "run_id", s.runID},
		{"cluster", "cluster_enabled", "0"},
	} {
		if got := infoValue(t, c, f.sec, f.name); got != f.want {
			t.Errorf("%s: %q, want %q", f.name, got, f.want)
		}
	}
	if got := bulkBody(t, c.do("info errorstats")); got != "# Errorstats\r\nerrorstat_ERR:count=3\r\n" {
		t.Errorf("errorstats: %q", got)
	}
	cs := bulkBody(t, c.do("info commandstats"))
	for _, re := range []string{
		`\r\ncmdstat_get:calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0\r\n`,
		`\r\ncmdstat_set:calls=4,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=1\r\n`,
		`\r\ncmdstat_select:calls=1,`,
		`\r\ncmdstat_info:calls=`,
	} {
		if !regexp.MustCompile(re).MatchString(cs) {
			t.Errorf("commandstats lacks %s: %q", re, cs)
		}
	}
	c.expect("client id", ":"+itoa(int(c.c.id))+"\r\n")
	if cs := bulkBody(t, c.do("info commandstats")); !strings.Contains(cs, "\r\ncmdstat_client|id:calls=1,") {
		t.Errorf("commandstats lacks the subcommand: %q", cs)
	}
	mem := bulkBody(t, c.do("info memory"))
	if !regexp.MustCompile(`\r\nused_memory:[1-9]\d*\r\nused_memory_human:\d+(\.\d\d[KMG])?B?\r\nused_memory_rss:[1-9]\d*\r\n`).MatchString(mem) {
		t.Errorf("memory: %q", mem)
	}
}

func TestBytesToHuman(t *testing.T) {
	for n, want := range map[int64]string{0: "0B", 1023: "1023B", 1024: "1.00K", 916240: "894.77K", 12087296: "11.53M", 25276026880: "23.54G"} {
		if got := bytesToHuman(n); got != want {
			t.Errorf("bytesToHuman(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestInfoFieldsMatchRedis checks INFO against the real redis-server: the
// same sections in the same order, and in every section with fixed fields
// Redis's field names in Redis's order (Vireo may add its own at the end).
func TestInfoFieldsMatchRedis(t *testing.T) {
	redis := dialResp(t, startRedis(t))
	s := startVireo(t)
	vireo := dialResp(t, s.Addr().String())
	for _, args := range [][]string{{"info"}, {"info", "everything"}} {
		want := bulkBody(t, redis.do(args...))
		got := bulkBody(t, vireo.do(args...))
		if w, g := infoHeaders(want), infoHeaders(got); !slices.Equal(w, g) {
			t.Fatalf("%q sections: %q, redis-server has %q", args, g, w)
		}
		wantFields, gotFields := infoFields(want), infoFields(got)
		for sec, wf := range wantFields {
			switch sec {
			case "Commandstats", "Errorstats", "Latencystats", "Keyspace":
				continue // one line per command, error, database
			}
			gf := gotFields[sec]
			if len(gf) < len(wf) || !slices.Equal(gf[:len(wf)], wf) {
				t.Errorf("%q section %s fields:\n got %q\nwant %q", args, sec, gf, wf)
			}
		}
	}
}

func TestInstantaneousMetrics(t *testing.T) {
	s := newTestServer(t)
	s.inst.sample(s)
	s.table.Get("ping").stats.stripe(0).calls.Add(1600)
	s.stats.netInput.Add(1600 * 1024)
	time.Sleep(instSamplePeriod + 10*time.Millisecond)
	s.inst.sample(s)
	// One sample of ~14500 ops/s averaged over 16 slots: ~900.
	if r := s.inst.rate(instOps); r < 500 || r > 1000 {
		t.Errorf("instantaneous ops rate %d", r)
	}
	c := s.testClient(t)
	if v := infoValue(t, c, "stats", "instantaneous_ops_per_sec"); v == "0" {
		t.Error("INFO shows no instantaneous ops")
	}
	if v := infoValue(t, c, "stats", "instantaneous_input_kbps"); v == "0.00" {
		t.Error("INFO shows no instantaneous input")
	}
}
