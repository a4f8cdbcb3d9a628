package config

import (
	"errors"
	"testing"
)

// FuzzParse feeds arbitrary file contents to the parser. It must never
// panic; and whatever it accepts must survive CONFIG REWRITE: the rewritten
// text, parsed again, gives the same values.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"",
		"port 6379\n",
		"# comment\n\n  bind 127.0.0.1 ::1\r\nsave 900 1\nsave \"\"\n",
		"requirepass \"a\\x41\\n\\\"b\"\nmasterauth 'it\\'s'\n",
		"maxmemory 1gb\nmaxmemory-clients 5%\nunixsocketperm 0777\n",
		"client-output-buffer-limit normal 0 0 0 replica 1kb 2mb 3 pubsub 32mb 8mb 60\n",
		"notify-keyspace-events KEA\nshutdown-on-sigint save now\n",
		"slaveof 10.0.0.1 6380\nhash-max-ziplist-entries 100\nlist-max-ziplist-size -3\n",
		"include /nonexistent\ninclude conf.d/*.conf\n",
		"user alice on >pw ~* +@all\n",
		"latency-tracking-info-percentiles \"50 99.9\"\n",
		"foo\"bar baz\" 'x'y\n",
		"save \"1 \\\"2\"\n",
		"proc-title-template \"{title} {{ {port}\"\n",
		"hz 100000\nvireo-shards 1024\nvireo-gogc -1\n",
		"\x00port 1\n\xff\xfe\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, content string) {
		c := Default()
		ld := &loader{s: &c.Settings, ctx: setContext{loading: true}, readFile: refuseFiles}
		if err := ld.loadText(content, "fuzz.conf", 0); err != nil {
			var le *LoadError
			if !errors.As(err, &le) || le.Reason == "" {
				t.Fatalf("error is not a *LoadError with a reason: %#v", err)
			}
			return
		}
		rw := newRewriteState(content)
		for _, d := range directives {
			d.value.rewrite(&c.Settings, d.name, rw)
		}
		rewritten := rw.content()
		back := Default()
		ld = &loader{s: &back.Settings, ctx: setContext{loading: true}, readFile: refuseFiles}
		if err := ld.loadText(rewritten, "rewritten.conf", 0); err != nil {
			if unrepresentable(c) {
				return
			}
			t.Fatalf("rewritten text does not load: %v\n--- input\n%q\n--- rewritten\n%q", err, content, rewritten)
		}
		want, got := getMap(c.Get("*")), getMap(back.Get("*"))
		for name, v := range want {
			if got[name] != v && !(unrepresentable(c) && (name == "bind" || name == "replicaof" || name == "slaveof")) {
				t.Fatalf("%s: %q became %q\n--- input\n%q\n--- rewritten\n%q", name, v, got[name], content, rewritten)
			}
		}
	})
}

// refuseFiles stands for the file system while fuzzing: an include of
// /dev/zero or /dev/stdin must not hang the fuzzer.
func refuseFiles(string) ([]byte, error) { return nil, errors.New("no files while fuzzing") }

// unrepresentable reports values Redis itself cannot write back: bind
// addresses and replicaof hosts are written unquoted, so blanks or quotes in
// them do not survive a rewrite (Redis has the same limitation).
func unrepresentable(c *Config) bool {
	for _, a := range c.Bind {
		if !plainWord(a) {
			return true
		}
	}
	return c.ReplicaOfHost != "" && !plainWord(c.ReplicaOfHost)
}

func plainWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if isCSpace(s[i]) || s[i] == '"' || s[i] == '\'' || s[i] == 0 || s[i] == '#' {
			return false
		}
	}
	return true
}

// FuzzSet gives arbitrary CONFIG SET pairs: no panic, and a refused SET
// leaves every value as it was.
func FuzzSet(f *testing.F) {
	for _, seed := range [][4]string{
		{"maxmemory", "1gb", "hz", "x"},
		{"save", "900 1 300 10", "save", "1"},
		{"client-output-buffer-limit", "pubsub 1 2 3", "bind", "127.0.0.1 ::1"},
		{"notify-keyspace-events", "KEA", "latency-tracking-info-percentiles", "50 1e2"},
		{"shutdown-on-sigint", "save now", "maxmemory-clients", "10%"},
		{"proc-title-template", "{title}{{", "oom-score-adj-values", "1 2 3"},
		{"HZ", "0", "lua-time-limit", "-1"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	f.Fuzz(func(t *testing.T, name1, value1, name2, value2 string) {
		c := Default()
		before := c.Get("*")
		err := c.Set([][2]string{{name1, value1}, {name2, value2}})
		if err == nil {
			return
		}
		var re *ReplyError
		if !errors.As(err, &re) || re.Msg == "" {
			t.Fatalf("error is not a *ReplyError: %#v", err)
		}
		after := c.Get("*")
		for i := range before {
			if before[i] != after[i] {
				t.Fatalf("refused SET changed %s: %q -> %q", before[i][0], before[i][1], after[i][1])
			}
		}
	})
}
