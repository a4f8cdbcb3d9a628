package server

import (
	"net/http"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape fetches /metrics from addr and parses the text format (a parse
// error fails the test: the output must be valid exposition format).
func scrape(t *testing.T, addr string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s", resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	return families
}

// sample is the value of family name's metric whose labels include want.
func sample(t *testing.T, families map[string]*dto.MetricFamily, name string, want ...string) float64 {
	t.Helper()
	f := families[name]
	if f == nil {
		t.Fatalf("no metric %s", name)
	}
next:
	for _, m := range f.Metric {
		for i := 0; i+1 < len(want); i += 2 {
			found := false
			for _, l := range m.Label {
				if l.GetName() == want[i] && l.GetValue() == want[i+1] {
					found = true
				}
			}
			if !found {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Untyped != nil:
			return m.Untyped.GetValue()
		}
	}
	t.Fatalf("no sample of %s with labels %v", name, want)
	return 0
}

func TestMetricsEndpoint(t *testing.T) {
	s := startVireo(t, "--vireo-metrics-addr", "127.0.0.1:0")
	c := s.testClient(t)
	for _, line := range []string{"SET a 1", "SET b 2", "SET c 3", "EXPIRE c 100"} {
		c.do(line)
	}
	c.do("GET a")
	c.do("GET nosuch")
	c.do("INCR a x") // a wrong-arity call: a rejected call and an error reply

	f := scrape(t, s.MetricsAddr().String())
	checks := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"vireo_commands_total", []string{"cmd", "set"}, 3},
		{"vireo_commands_total", []string{"cmd", "get"}, 2},
		{"vireo_commands_rejected_calls_total", []string{"cmd", "incr"}, 1},
		{"vireo_db_keys", []string{"db", "db0"}, 3},
		{"vireo_db_keys_expiring", []string{"db", "db0"}, 1},
		{"vireo_keyspace_hits_total", nil, 1},
		{"vireo_keyspace_misses_total", nil, 1},
		{"vireo_errors_total", []string{"err", "ERR"}, 1},
		{"vireo_rdb_last_bgsave_status", nil, 1},
		{"vireo_info", []string{"role", "master", "version", Version}, 1},
	}
	for _, ck := range checks {
		if got := sample(t, f, ck.name, ck.labels...); got != ck.want {
			t.Errorf("%s%v = %v, want %v", ck.name, ck.labels, got, ck.want)
		}
	}
	if got := sample(t, f, "vireo_connected_clients"); got < 1 {
		t.Errorf("vireo_connected_clients = %v, want >= 1", got)
	}
	if f["vireo_commands_total"].GetType() != dto.MetricType_COUNTER || f["vireo_used_memory"].GetType() != dto.MetricType_GAUGE {
		t.Errorf("types: commands %v, used_memory %v", f["vireo_commands_total"].GetType(), f["vireo_used_memory"].GetType())
	}
	if f["go_goroutines"] == nil {
		t.Error("the Go runtime metrics are missing")
	}
	for name := range f {
		if strings.HasSuffix(name, "_human") || name == "vireo_process_id" {
			t.Errorf("%s should not be exported", name)
		}
	}
}

func TestMetricsAddrConfigSet(t *testing.T) {
	s := startVireo(t)
	if s.MetricsAddr() != nil {
		t.Fatal("metrics served without vireo-metrics-addr")
	}
	c := s.testClient(t)
	c.expect("CONFIG SET vireo-metrics-addr 127.0.0.1:0", "+OK\r\n")
	addr := s.MetricsAddr()
	if addr == nil {
		t.Fatal("no metrics listener after CONFIG SET")
	}
	scrape(t, addr.String())
	c.expect("CONFIG SET vireo-metrics-addr 256.1.1.1:1", "-ERR CONFIG SET failed (possibly related to argument 'vireo-metrics-addr') - Unable to listen on this address. Check server logs.\r\n")
	if got := s.MetricsAddr(); got == nil || got.String() != addr.String() {
		t.Fatalf("a failed CONFIG SET moved the endpoint: %v", got)
	}
	c.expect("CONFIG SET vireo-metrics-addr \"\"", "+OK\r\n")
	if s.MetricsAddr() != nil {
		t.Fatal("metrics still served after CONFIG SET to empty")
	}
	if _, err := http.Get("http://" + addr.String() + "/metrics"); err == nil {
		t.Fatal("the old address still answers")
	}
}
