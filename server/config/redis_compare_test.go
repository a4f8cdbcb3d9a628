package config

// Differential tests: the same configuration, CONFIG GET patterns, CONFIG
// SET sequences and broken configuration files, given to Vireo's package and
// to the real redis-server 7.0.15, must give the same answers.

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// vireoOnly are parameters Redis 7.0.15 does not have.
var vireoOnly = map[string]bool{
	"set-max-listpack-entries": true, // Redis 7.2
	"set-max-listpack-value":   true, // Redis 7.2
}

// isVireoOnly: the 7.2 parameters above, and Vireo's own (named vireo-*).
func isVireoOnly(name string) bool { return vireoOnly[name] || strings.HasPrefix(name, "vireo-") }

var hiddenNames = []string{
	"use-exit-on-panic", "rdb-key-save-delay", "key-load-delay", "watchdog-period",
	"loading-process-events-interval-bytes",
}

func getMap(pairs [][2]string) map[string]string {
	m := make(map[string]string, len(pairs))
	for _, p := range pairs {
		m[p[0]] = p[1]
	}
	return m
}

// sameStartup starts Redis and loads our config with the same arguments.
func sameStartup(t *testing.T, args ...string) (*redisOracle, *Config) {
	t.Helper()
	needRedisServer(t)
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	args = append([]string{"--dir", dir}, args...)
	o := startRedis(t, args...)
	port := o.conn.RemoteAddr().String()
	port = port[strings.LastIndexByte(port, ':')+1:]
	c, err := Load("", append([]string{"--port", port, "--bind", "127.0.0.1", "--daemonize", "no"}, args...))
	if err != nil {
		t.Fatal(err)
	}
	return o, c
}

func TestGetAllMatchesRedisDefaults(t *testing.T) {
	o, c := sameStartup(t)
	want := o.configGet(t, "*")
	got := getMap(c.Get("*"))
	if len(want) < 150 {
		t.Fatalf("Redis returned only %d parameters", len(want))
	}
	for name, value := range want {
		g, ok := got[name]
		if !ok {
			t.Errorf("parameter %q missing (Redis: %q)", name, value)
		} else if g != value {
			t.Errorf("%s = %q, Redis says %q", name, g, value)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok && !isVireoOnly(name) {
			t.Errorf("parameter %q unknown to Redis", name)
		}
	}
	for _, name := range hiddenNames {
		w, g := o.configGet(t, name), getMap(c.Get(name))
		if len(w) != 1 || w[name] != g[name] || len(g) != 1 {
			t.Errorf("hidden %s: got %v, Redis %v", name, g, w)
		}
	}
}

func TestGetAfterStartupOverridesMatchesRedis(t *testing.T) {
	o, c := sameStartup(t,
		"--save", "900 1", "--save", "60 100",
		"--maxmemory", "2mb", "--maxmemory-policy", "ALLKEYS-LRU",
		"--client-output-buffer-limit", "pubsub 1gb 2k 7",
		"--notify-keyspace-events", "KEA",
		"--hz", "1000", "--slaveof", "127.0.0.1 1", // slaveof also exercises the alias
		"--unixsocketperm", "700", "--oom-score-adj", "relative",
		"--latency-tracking-info-percentiles", "50.5 99.99 100",
		"--list-max-ziplist-size", "-3", "--maxmemory-clients", "5%",
	)
	want := o.configGet(t, "*")
	got := getMap(c.Get("*"))
	for name, value := range want {
		if got[name] != value {
			t.Errorf("%s = %q, Redis says %q", name, got[name], value)
		}
	}
}

func TestGetPatternsMatchRedis(t *testing.T) {
	o, c := sameStartup(t)
	for _, patterns := range [][]string{
		{"PORT"}, {"port", "PORT"}, {"PORT", "port"}, {"Po*"}, {"*slave*"},
		{"hash-max-ziplist-*"}, {"*max-*-entries*"}, {"[pq]ort"}, {`\port`},
		{`p\ort`}, {"H*", "hz"}, {"HZ", "hz"}, {"hz", "timeout", "HZ"},
		{"nonexistent"}, {"*exit*"}, {"rdb-key*"}, {"use-exit-on-panic"},
		{"*max*", "maxmemory"}, {"[^a-s]*"}, {"?z"}, {"lua-time-limit", "busy-*"},
		{"slaveof", "replicaof"}, {"*", "port"}, {"[a-"}, {"*[*"},
	} {
		want := o.configGet(t, patterns...)
		gotPairs := c.Get(patterns...)
		got := getMap(gotPairs)
		if len(got) != len(gotPairs) {
			t.Errorf("Get(%q) repeats a name: %v", patterns, gotPairs)
		}
		for name := range got {
			if isVireoOnly(name) {
				delete(got, name)
			}
		}
		if !equalMaps(got, want) {
			t.Errorf("Get(%q):\n got %v\nwant %v", patterns, got, want)
		}
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestSetMatchesRedis runs the same CONFIG SET sequence on both and compares
// every reply and, after each, the values of the parameters involved.
func TestSetMatchesRedis(t *testing.T) {
	o, c := sameStartup(t)
	steps := [][]string{
		{"foo", "bar"}, {"", "1"}, {"port", "1", "", "2"}, {"daemonize", "no", "", "2"},
		{"maxmemory", "abc"}, {"MAXMEMORY", "abc"}, {"maxmemory", ""}, {"maxmemory", "kb"},
		{"maxmemory", "99999999999999999999999"}, {"maxmemory", "18446744073709551615kb"},
		{"maxmemory", "1.5gb"}, {"maxmemory", "-1"}, {"maxmemory", "+5"}, {"maxmemory", " 5"},
		{"maxmemory", "5B"}, {"maxmemory", "1K"}, {"maxmemory", "1Kb"}, {"maxmemory", "2G"},
		{"maxmemory", "3mB"}, {"maxmemory", "5\x00kb"}, {"maxmemory", "0"},
		{"daemonize", "yes"}, {"port", "1", "port", "2"}, {"hz", "1", "HZ", "2"},
		{"port", "1", "foo", "2"}, {"foo", "1", "daemonize", "2"}, {"daemonize", "2", "foo", "1"},
		{"hash-max-ziplist-value", "1", "hash-max-listpack-value", "2"},
		{"HASH-max-ziplist-value", "1", "hash-max-ZIPLIST-value", "2"},
		{"hash-max-ziplist-value", "abc"}, {"hash-max-ziplist-value", "64"},
		{"hz", "abc"}, {"hz", "007"}, {"hz", "-0"}, {"hz", "+1"}, {"hz", "99999999999999999999"},
		{"hz", "-1"}, {"hz", "0"}, {"hz", "1000"}, {"hz", "10"},
		{"timeout", "-1"}, {"maxclients", "0"}, {"maxclients", "99999999999"},
		{"loglevel", "foo"}, {"loglevel", "WARNING"}, {"loglevel", "notice"},
		{"appendfsync", "foo"}, {"maxmemory-policy", "foo"}, {"maxmemory-policy", "allkeys-LFU"},
		{"oom-score-adj", "relative"}, {"oom-score-adj", "no"}, {"oom-score-adj", "maybe"},
		{"activerehashing", "maybe"}, {"activerehashing", "NO"}, {"activerehashing", "yes"},
		{"activedefrag", "yes"}, {"activedefrag", "no"},
		{"save", "1 2 3"}, {"save", "0 1"}, {"save", "abc 1"}, {"save", "10 -1"},
		{"save", "10  1"}, {"save", " 10 1"}, {"save", "10 "}, {"save", "10 4294967297"},
		{"save", "99999999999999999999 1"}, {"save", "+5 -0"}, {"save", ""},
		{"save", "3600 1 300 100 60 10000"},
		{"notify-keyspace-events", "Q"}, {"notify-keyspace-events", "A"}, {"notify-keyspace-events", "KEA"},
		{"notify-keyspace-events", "KEAnd"}, {"notify-keyspace-events", "g$lshzxetd"},
		{"notify-keyspace-events", "g$lshzxet"}, {"notify-keyspace-events", "KEn"},
		{"notify-keyspace-events", "Kd"}, {"notify-keyspace-events", "Km"}, {"notify-keyspace-events", "xg"},
		{"notify-keyspace-events", "K E"}, {"notify-keyspace-events", ""},
		{"client-output-buffer-limit", "normal 0 0"}, {"client-output-buffer-limit", "foo 0 0 0"},
		{"client-output-buffer-limit", "master 0 0 0"}, {"client-output-buffer-limit", "normal 1x 0 0"},
		{"client-output-buffer-limit", "normal 1 0 -1"}, {"client-output-buffer-limit", ""},
		{"client-output-buffer-limit", "replica 1kb 2mb 3 PUBSUB 1 2 3"},
		{"client-output-buffer-limit", "pubsub 0 0 4294967297"},
		{"client-output-buffer-limit", "slave 268435456 67108864 60 pubsub 33554432 8388608 60"},
		{"dbfilename", "a/b"}, {"dir", "/tmp"}, {"unixsocketperm", "700"}, {"logfile", "x"},
		{"appendfilename", "x"}, {"replicaof", "a 1"}, {"slaveof", "no one"},
		{"list-max-ziplist-size", "-3"}, {"list-max-listpack-size", "1kb"}, {"list-max-listpack-size", "-2"},
		{"list-max-ziplist-entries", "5"},
		{"proto-max-bulk-len", "1"}, {"proto-max-bulk-len", "18446744073709551615"},
		{"proto-max-bulk-len", "1gb"}, {"proto-max-bulk-len", "512mb"},
		{"repl-backlog-size", "0"}, {"repl-backlog-size", "99999999999999999999999"},
		{"client-query-buffer-limit", "9223372036854775808"}, {"hash-max-listpack-value", "-1"},
		{"slowlog-log-slower-than", "-2"}, {"slowlog-log-slower-than", "-1"}, {"slowlog-log-slower-than", "10000"},
		{"maxmemory-clients", "10%"}, {"maxmemory-clients", "101%"}, {"maxmemory-clients", "abc"},
		{"maxmemory-clients", "-5%"}, {"maxmemory-clients", "18446744073709551615"}, {"maxmemory-clients", "0"},
		{"maxmemory", "1kb", "maxmemory-policy", "foo"}, {"lfu-log-factor", "5", "lfu-decay-time", "x"},
		{"latency-tracking-info-percentiles", "x"}, {"latency-tracking-info-percentiles", "101"},
		{"latency-tracking-info-percentiles", "50 99.9 100"}, {"latency-tracking-info-percentiles", ""},
		{"latency-tracking-info-percentiles", "50 99 99.9"},
		{"oom-score-adj-values", "1 2"}, {"oom-score-adj-values", "1 2 99999"}, {"oom-score-adj-values", "0 200 x"},
		{"oom-score-adj-values", "0 200 801"}, {"oom-score-adj-values", "0 200 800"},
		{"proc-title-template", "{foo}"}, {"proc-title-template", "{title"}, {"proc-title-template", ""},
		{"proc-title-template", "{{title}"}, {"proc-title-template", "{listen-addr}"},
		{"proc-title-template", "{title} {listen-addr} {server-mode}"},
		{"cluster-announce-hostname", "a_b"}, {"cluster-announce-hostname", "a-b.c"}, {"cluster-announce-hostname", ""},
		{"masterauth", "a b"}, {"masterauth", ""}, {"masteruser", "x\x00y"}, {"masteruser", ""},
		{"replica-announce-ip", "10.0.0.1"}, {"replica-announce-ip", ""},
		{"lua-time-limit", "abc"}, {"lua-time-limit", "6000"}, {"busy-reply-threshold", "5000"},
		{"slave-read-only", "abc"}, {"appendonly", "maybe"},
		{"rdb-key-save-delay", "5"}, {"rdb-key-save-delay", "0"}, {"use-exit-on-panic", "x"},
		{"tls-port", "abc"}, {"tcp-keepalive", "1kb"}, {"set-max-intset-entries", "-1"},
		{"stream-node-max-entries", "-1"}, {"active-expire-effort", "11"},
		{"maxmemory-eviction-tenacity", "101"}, {"repl-backlog-ttl", "-1"},
		{"auto-aof-rewrite-min-size", "1g"}, {"auto-aof-rewrite-min-size", "64mb"},
		{"acllog-max-len", "-1"}, {"cluster-node-timeout", "-1"},
		{"ignore-warnings", "ARM64-COW-BUG"}, {"ignore-warnings", ""},
		{"shutdown-on-sigint", "save now"}, {"shutdown-on-sigint", "save nosave"}, {"shutdown-on-sigint", ""},
		{"shutdown-on-sigint", "now default"}, {"shutdown-on-sigterm", "force now nosave"},
		{"shutdown-on-sigint", "x"}, {"shutdown-on-sigint", "default"}, {"shutdown-on-sigterm", "default"},
		{"socket-mark-id", "1"}, {"propagation-error-behavior", "x"}, {"propagation-error-behavior", "panic"},
		{"propagation-error-behavior", "ignore"}, {"loglevel", "notice warning"},
		{"replica-ignore-disk-write-errors", "x"}, {"enable-debug-command", "yes"},
	}
	for _, step := range steps {
		var pairs [][2]string
		names := map[string]bool{}
		for i := 0; i+1 < len(step); i += 2 {
			pairs = append(pairs, [2]string{step[i], step[i+1]})
			if e := lookup(step[i]); e != nil {
				names[e.d.name] = true
			}
		}
		want := o.do(t, append([]string{"CONFIG", "SET"}, step...)...)
		got := setReply(c.Set(pairs))
		if got != want {
			t.Errorf("CONFIG SET %q:\n got %q\nwant %q", step, got, want)
		}
		for name := range names {
			w, g := o.configGet(t, name), getMap(c.Get(name))
			if !equalMaps(g, w) {
				t.Errorf("after CONFIG SET %q: %s is %v, Redis %v", step, name, g, w)
			}
		}
	}
}

// TestLoadErrorsMatchRedis feeds the same broken configurations to both and
// compares the line, the offending text and the reason.
func TestLoadErrorsMatchRedis(t *testing.T) {
	needRedisServer(t)
	for _, tc := range []struct {
		content string
		args    []string
	}{
		{content: "port 6379\nfoo bar\n"},
		{content: "port abc\n"},
		{content: "port 1 2\n"},
		{content: "hz\n"},
		{content: "# comment\n\n   loglevel foo\n"},
		{content: "requirepass \"abc\n"},
		{content: "requirepass \"abc\"x\n"},
		{content: "requirepass 'abc'x\n"},
		{content: "requirepass 'abc\n"},
		{content: "daemonize maybe\n"},
		{content: "save 1\n"},
		{content: "save 0 1\n"},
		{content: "dir /nonexistent-vireo-dir\n"},
		{content: "client-output-buffer-limit normal 1 2\n"},
		{content: "client-output-buffer-limit master 1 2 3\n"},
		{content: "bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n"},
		{content: "maxmemory 10 mb\n"},
		{content: "maxmemory 10xb\n"},
		{content: "MAXMEMORY-POLICY lru\n"},
		{content: "notify-keyspace-events KEQ\n"},
		{content: "notify-keyspace-events K E\n"},
		{content: "unixsocketperm 800\n"},
		{content: "unixsocketperm abc\n"},
		{content: "replicaof host\n"},
		{content: "replicaof host port\n"},
		{content: "slaveof host 70000\n"},
		{content: "a.b\n"},
		{content: "save \"1 1 2\"\n"},
		{content: "loglevel \"notice warning\"\n"},
		{content: "shutdown-on-sigint save nosave\n"},
		{content: "socket-mark-id -1\n"},
		{content: "sentinel monitor x\n"},
		{content: "include\n"},
		{content: "lua-replicate-commands yes no\n"},
		{content: "dbfilename a/b\n"},
		{content: "appendfilename \"\"\n"},
		{content: "appenddirname a/b\n"},
		{content: "oom-score-adj-values 1 2\n"},
		{content: "latency-tracking-info-percentiles 200\n"},
		{content: "proc-title-template {nope}\n"},
		{content: "databases 0\n"},
		{content: "io-threads 129\n"},
		{content: "cluster-enabled yes\nreplicaof 127.0.0.1 6379\n"},
		{content: "logfile /nonexistent-vireo-dir/x.log\n"},
		{content: "port \"\\x41\"\n"},
		{content: "port 6379\n", args: []string{"--foo", "bar"}},
		{content: "", args: []string{"--port", "1", "2"}},
		{content: "", args: []string{"--port"}},
		{content: "", args: []string{"--hz", "5", "--loglevel", "bad"}},
		{content: "", args: []string{"--hz 5 6"}},
		{content: "", args: []string{"--hz", "--loglevel", "notice"}},
	} {
		wantLine, wantText, wantWhy, ok := redisLoadError(t, tc.content, tc.args...)
		if !ok {
			t.Errorf("%q %q: Redis reported no configuration error", tc.content, tc.args)
			continue
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "redis.conf")
		writeFile(t, path, tc.content)
		_, err := Load(path, append([]string{"--port", "0"}, tc.args...))
		le, isLoadErr := err.(*LoadError)
		if !isLoadErr {
			t.Errorf("%q %q: got %v, want a *LoadError like Redis's %q", tc.content, tc.args, err, wantWhy)
			continue
		}
		if le.Reason != wantWhy || le.Text != wantText {
			t.Errorf("%q %q:\n got %q: %q\nwant %q: %q", tc.content, tc.args, le.Text, le.Reason, wantText, wantWhy)
		}
		// Redis counts lines in the file followed by the command line;
		// Vireo names the file's line, or the argument.
		if tc.args == nil && le.Line != wantLine {
			t.Errorf("%q: line %d, Redis says %d", tc.content, le.Line, wantLine)
		}
	}
}

// TestLoadAcceptsWhatRedisAccepts checks configurations Redis loads without
// complaint load here too, with the same values.
func TestLoadAcceptsWhatRedisAccepts(t *testing.T) {
	for _, tc := range []struct {
		content string
		args    []string
		check   map[string]string
	}{
		{content: "save 900 1\n", args: []string{"--save", "60", "100"}, check: map[string]string{"save": "900 1 60 100"}},
		{content: "save 900 1\n", args: []string{"--save", "", "--save", "5", "5"}, check: map[string]string{"save": "5 5"}},
		{args: []string{"--save"}, check: map[string]string{"save": ""}},
		{args: []string{"--save", "--hz", "20"}, check: map[string]string{"save": "", "hz": "20"}},
		{content: "save 1 1\nsave \"\"\nsave 2 2\n", check: map[string]string{"save": "2 2"}},
		{content: "bind\n", check: map[string]string{"bind": ""}},
		{content: "list-max-ziplist-entries 5\nlist-max-ziplist-value 6\n", check: map[string]string{"list-max-listpack-size": "-2"}},
		{content: "HZ 20\nHash-Max-Ziplist-Entries 5\n", check: map[string]string{"hz": "20", "hash-max-listpack-entries": "5"}},
		{content: "requirepass \"a\\x41\\n\\\"b\"\n", check: map[string]string{"requirepass": "aA\n\"b"}},
		{content: "requirepass 'it\\'s'\n", check: map[string]string{"requirepass": "it's"}},
		{content: "unixsocketperm 0755\n", check: map[string]string{"unixsocketperm": "755"}},
		{content: "hz 0\n", check: map[string]string{"hz": "1"}},
		{content: "client-output-buffer-limit\n", check: map[string]string{"client-output-buffer-limit": "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"}},
	} {
		needRedisServer(t)
		if _, _, why, failed := redisLoadError(t, tc.content, tc.args...); failed {
			t.Errorf("%q %q: Redis refuses it (%s); fix the test", tc.content, tc.args, why)
			continue
		}
		path := filepath.Join(t.TempDir(), "redis.conf")
		writeFile(t, path, tc.content)
		c, err := Load(path, tc.args)
		if err != nil {
			t.Errorf("%q %q: %v", tc.content, tc.args, err)
			continue
		}
		got := getMap(c.Get(sortedKeys(tc.check)...))
		if !equalMaps(got, tc.check) {
			t.Errorf("%q %q: got %v, want %v", tc.content, tc.args, got, tc.check)
		}
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
