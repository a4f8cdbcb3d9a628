package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func loadString(t *testing.T, content string, args ...string) (*Config, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vireo.conf")
	writeFile(t, path, content)
	return Load(path, args)
}

func mustLoad(t *testing.T, content string, args ...string) *Config {
	t.Helper()
	c, err := loadString(t, content, args...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLoadFileValues(t *testing.T) {
	dir := t.TempDir()
	c := mustLoad(t, `# a comment
   # an indented comment

PORT 7000
bind 127.0.0.1 "::1"
maxmemory 2GB
maxmemory-policy ALLKEYS-lru
requirepass "p\x40ss word\n"
masterauth 'it\'s'
save 900 1
save 300 10
appendonly yes
appendfsync always
hash-max-ziplist-entries 100
slaveof 10.0.0.1 6380
client-output-buffer-limit pubsub 64mb 16mb 90 replica 1gb 512mb 120
notify-keyspace-events "Ex"
unixsocket /tmp/vireo.sock
unixsocketperm 770
dir `+dir+`
vireo-shards 64
vireo-gogc 200
loglevel warning
	timeout 30	
tcp-keepalive 0
databases 4
`)
	s := c.Snapshot()
	want := map[string]any{
		"Port": 7000, "Bind": []string{"127.0.0.1", "::1"}, "Maxmemory": uint64(2 << 30),
		"MaxmemoryPolicy": "allkeys-lru", "RequirePass": "p@ss word\n", "MasterAuth": "it's",
		"Save": []SavePoint{{900, 1}, {300, 10}}, "AppendOnly": true, "AppendFsync": "always",
		"HashMaxListpackEntries": 100, "ReplicaOfHost": "10.0.0.1", "ReplicaOfPort": 6380,
		"NotifyKeyspaceEvents": EventKeyevent | EventExpired, "UnixSocket": "/tmp/vireo.sock",
		"UnixSocketPerm": 0o770, "Shards": 64, "GOGC": 200, "LogLevel": "warning", "Timeout": 30,
		"TCPKeepalive": 0, "Databases": 4,
		"ClientOutputBufferLimit": [clientClassCount]OutputBufferLimit{
			{0, 0, 0}, {1 << 30, 512 << 20, 120}, {64 << 20, 16 << 20, 90}},
	}
	v := reflect.ValueOf(s)
	for field, w := range want {
		if got := v.FieldByName(field).Interface(); !reflect.DeepEqual(got, w) {
			t.Errorf("%s = %#v, want %#v", field, got, w)
		}
	}
	resolved, _ := filepath.EvalSymlinks(dir)
	if s.Dir != resolved {
		t.Errorf("Dir = %q, want %q", s.Dir, resolved)
	}
	if c.File() == "" || !filepath.IsAbs(c.File()) {
		t.Errorf("File() = %q, want an absolute path", c.File())
	}
}

func TestDefaults(t *testing.T) {
	s := Default().Snapshot()
	wd, _ := os.Getwd()
	if s.Port != 6379 || s.Databases != 16 || s.Shards != 256 || s.GOGC != 100 || s.Hz != 10 ||
		!s.DynamicHz || s.MaxClients != 10000 || s.Maxmemory != 0 || s.MaxmemoryPolicy != "noeviction" ||
		s.LogLevel != "notice" || s.AppendFsync != "everysec" || s.ProtoMaxBulkLen != 512<<20 ||
		s.ClientQueryBufferLimit != 1<<30 || s.ReplBacklogSize != 1<<20 || !s.ProtectedMode ||
		s.EnableDebugCommand != "no" || s.DBFilename != "dump.rdb" || s.Dir != wd ||
		!reflect.DeepEqual(s.Save, []SavePoint{{3600, 1}, {300, 100}, {60, 10000}}) ||
		!reflect.DeepEqual(s.Bind, []string{"*", "-::*"}) || s.ListMaxListpackSize != -2 ||
		s.ShutdownOnSigint != "default" || s.SetMaxListpackEntries != 128 {
		t.Errorf("unexpected defaults: %+v", s)
	}
}

func TestOverridesTakePrecedence(t *testing.T) {
	c := mustLoad(t, "port 7000\nhz 20\nloglevel debug\nsave 10 1\nbind 10.0.0.1\n",
		"--port", "7001", "--loglevel", "warning", "--bind", "127.0.0.1", "::1", "--maxmemory", "1mb")
	got := getMap(c.Get("port", "hz", "loglevel", "save", "bind", "maxmemory"))
	want := map[string]string{
		"port": "7001", "hz": "20", "loglevel": "warning", "save": "10 1",
		"bind": "127.0.0.1 ::1", "maxmemory": "1048576",
	}
	if !equalMaps(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestLoadLeadingPathInArgs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.conf")
	writeFile(t, path, "port 7005\n")
	c, err := Load("", []string{path, "--hz", "30"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 7005 || c.Hz != 30 {
		t.Errorf("port %d hz %d", c.Port, c.Hz)
	}
	// Arguments are counted from the user's first one, the file.
	_, err = Load("", []string{path, "--hz", "x"})
	var le *LoadError
	if !errors.As(err, &le) || le.Arg != 2 || le.Text != `hz "x"` {
		t.Errorf("got %#v", err)
	}
	c, err = Load("", []string{"--port", "7006"})
	if err != nil || c.Port != 7006 || c.File() != "" {
		t.Errorf("no file: %v %v", c, err)
	}
	if _, err := Load("", []string{"/nonexistent/vireo.conf"}); err == nil || !strings.HasPrefix(err.Error(), "config: can't open config file") || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		content string
		line    int
		text    string
		reason  string
	}{
		{"port 6379\nfoo bar\n", 2, "foo bar", "Bad directive or wrong number of arguments"},
		{"\n\n  # x\n port abc \r\n", 4, "port abc", "argument couldn't be parsed into an integer"},
		{"port 1 2", 1, "port 1 2", "wrong number of arguments"},
		{"requirepass \"abc", 1, `requirepass "abc`, "Unbalanced quotes in configuration line"},
		{"maxmemory 1tb", 1, "maxmemory 1tb", "argument must be a memory value"},
		{"loglevel loud", 1, "loglevel loud", "argument(s) must be one of the following: debug, verbose, notice, warning"},
		{"save 10", 1, "save 10", "Invalid save parameters"},
		{"daemonize yes", 1, "daemonize yes", "daemonize yes is not supported by Vireo: run it in the foreground under a supervisor (systemd, docker ...)"},
		{"rename-command FLUSHALL \"\"", 1, `rename-command FLUSHALL ""`, "rename-command is not supported by Vireo"},
		{"loadmodule /x.so", 1, "loadmodule /x.so", "loadmodule is not supported by Vireo (it has no module API)"},
		{"sentinel", 1, "sentinel", "sentinel mode is not supported by Vireo"},
		{"vireo-shards 100", 1, "vireo-shards 100", "argument must be a power of two"},
		{"vireo-shards 0", 1, "vireo-shards 0", "argument must be between 1 and 65536 inclusive"},
		{"vireo-gogc -2", 1, "vireo-gogc -2", "argument must be between -1 and 2147483647 inclusive"},
		{"notify-keyspace-events KEy", 1, "notify-keyspace-events KEy", errBadEventClass},
		{"include", 1, "include", "Bad directive or wrong number of arguments"},
	} {
		_, err := loadString(t, tc.content)
		var le *LoadError
		if !errors.As(err, &le) {
			t.Errorf("%q: got %v, want a *LoadError", tc.content, err)
			continue
		}
		if le.Line != tc.line || le.Text != tc.text || le.Reason != tc.reason || le.Arg != 0 {
			t.Errorf("%q: got line %d %q %q arg %d; want line %d %q %q", tc.content, le.Line, le.Text, le.Reason, le.Arg, tc.line, tc.text, tc.reason)
		}
		msg := le.Error()
		for _, part := range []string{"*** FATAL CONFIG FILE ERROR (Vireo) ***", "vireo.conf, at line", ">>> '" + tc.text + "'", tc.reason} {
			if !strings.Contains(msg, part) {
				t.Errorf("%q: message %q lacks %q", tc.content, msg, part)
			}
		}
	}
}

func TestLoadErrorMessageLayout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.conf")
	writeFile(t, path, "port 6379\nfoo bar\n")
	_, err := Load(path, nil)
	want := "*** FATAL CONFIG FILE ERROR (Vireo) ***\nReading the configuration file " + path +
		", at line 2\n>>> 'foo bar'\nBad directive or wrong number of arguments"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	_, err = Load("", []string{"--port", "1", "--foo", "bar"})
	want = "*** FATAL CONFIG FILE ERROR (Vireo) ***\nReading the command line, at argument 3\n>>> 'foo \"bar\"'\nBad directive or wrong number of arguments"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	_, err = Load("", []string{"--cluster-enabled", "yes", "--replicaof", "h", "1"})
	want = "*** FATAL CONFIG FILE ERROR (Vireo) ***\nreplicaof directive not allowed in cluster mode"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	for _, args := range [][]string{{"--port", "1", "-"}, {"-", "--port", "1"}} {
		if _, err := Load("", args); err != errStdinConfig {
			t.Errorf("%q: %v", args, err)
		}
	}
	// After a file, a "-" in the middle is just a value, as in Redis.
	writeFile(t, path, "port 1\n")
	_, err = Load(path, []string{"-", "--port", "1"})
	var le *LoadError
	if !errors.As(err, &le) || le.Text != `"-"` || le.Reason != "Bad directive or wrong number of arguments" {
		t.Errorf("'-' after a file: %v", err)
	}
}

func TestCommandLineLines(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []commandLine
	}{
		{nil, nil},
		{[]string{"--port", "6380"}, []commandLine{{`port "6380" `, 0}}},
		{[]string{"--save", "", "--bind", "a", "b"}, []commandLine{{`save "" `, 0}, {`bind "a" "b" `, 2}}},
		{[]string{"--save"}, []commandLine{{`save ""`, 0}}},
		{[]string{"--save", "--port", "1"}, []commandLine{{`save ""`, 0}, {`port "1" `, 1}}},
		{[]string{"--port 6380", "--hz", "5"}, []commandLine{{"port 6380 ", 0}, {`hz "5" `, 1}}},
		{[]string{"--port", "--hz"}, []commandLine{{`port "--hz" `, 0}}},
		{[]string{"--sentinel", "--port", "1"}, []commandLine{{"sentinel ", 0}, {`port "1" `, 1}}},
		{[]string{"value", "--port", "1"}, []commandLine{{`"value" `, 0}, {`port "1" `, 1}}},
		{[]string{"--requirepass", "a \"b\"\n"}, []commandLine{{`requirepass "a \"b\"\n" `, 0}}},
	} {
		got, err := commandLineLines(tc.args, true)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("commandLineLines(%q) = %+v, %v; want %+v", tc.args, got, err, tc.want)
		}
	}
}

func TestInclude(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "base.conf"), "port 7100\nhz 11\n")
	writeFile(t, filepath.Join(dir, "nested.conf"), "include "+filepath.Join(dir, "base.conf")+"\nhz 12\n")
	confd := filepath.Join(dir, "conf.d")
	os.Mkdir(confd, 0o755)
	writeFile(t, filepath.Join(confd, "a.conf"), "save 1 1\n")
	writeFile(t, filepath.Join(confd, "b.conf"), "save 2 2\n")
	c := mustLoad(t, "include "+filepath.Join(dir, "nested.conf")+"\n"+
		"include "+filepath.Join(confd, "*.conf")+"\n"+
		"include "+filepath.Join(dir, "empty.d", "*.conf")+"\n"+ // no match: fine
		"loglevel verbose\n")
	if c.Port != 7100 || c.Hz != 12 || c.LogLevel != "verbose" ||
		!reflect.DeepEqual(c.Save, []SavePoint{{1, 1}, {2, 2}}) {
		t.Errorf("port %d hz %d loglevel %s save %v", c.Port, c.Hz, c.LogLevel, c.Save)
	}

	// An error inside an included file names that file and its line.
	bad := filepath.Join(dir, "bad.conf")
	writeFile(t, bad, "# ok\nport nope\n")
	_, err := loadString(t, "hz 5\ninclude "+bad+"\n")
	var le *LoadError
	if !errors.As(err, &le) || le.File != bad || le.Line != 2 || le.Text != "port nope" {
		t.Errorf("bad include: %#v", err)
	}

	// A missing include is reported at the include line.
	missing := filepath.Join(dir, "missing.conf")
	_, err = loadString(t, "\ninclude "+missing+"\n")
	if !errors.As(err, &le) || le.Line != 2 || !errors.Is(err, fs.ErrNotExist) ||
		le.Reason != "Fatal error, can't open config file '"+missing+"': No such file or directory" {
		t.Errorf("missing include: %#v", err)
	}

	// A file that includes itself stops instead of recursing forever.
	loop := filepath.Join(dir, "loop.conf")
	writeFile(t, loop, "include "+loop+"\n")
	if _, err := Load(loop, nil); !errors.As(err, &le) || !strings.Contains(le.Reason, "include nesting") {
		t.Errorf("include loop: %v", err)
	}
}

func TestUsersAreKept(t *testing.T) {
	c := mustLoad(t, "user alice on >pw ~* +@all\nuser bob off\n")
	want := [][]string{{"alice", "on", ">pw", "~*", "+@all"}, {"bob", "off"}}
	if !reflect.DeepEqual(c.Users, want) {
		t.Errorf("Users = %q", c.Users)
	}
}

func TestDirIsResolved(t *testing.T) {
	base := t.TempDir()
	os.Mkdir(filepath.Join(base, "sub"), 0o755)
	writeFile(t, filepath.Join(base, "file"), "")
	c := mustLoad(t, "dir "+base+"\ndir sub\nlogfile vireo.log\n")
	resolved, _ := filepath.EvalSymlinks(filepath.Join(base, "sub"))
	if c.Dir != resolved {
		t.Errorf("Dir = %q, want %q", c.Dir, resolved)
	}
	// The log file is checked (and created) relative to dir, as Redis,
	// which has changed its directory by then.
	if _, err := os.Stat(filepath.Join(resolved, "vireo.log")); err != nil {
		t.Errorf("log file not created in dir: %v", err)
	}
	if got := c.ResolvePath("x.pid"); got != filepath.Join(resolved, "x.pid") {
		t.Errorf("ResolvePath = %q", got)
	}
	for content, why := range map[string]string{
		"dir " + filepath.Join(base, "nope"): "No such file or directory",
		"dir " + filepath.Join(base, "file"): "Not a directory",
		`dir ""`:                             "No such file or directory",
	} {
		_, err := loadString(t, content)
		var le *LoadError
		if !errors.As(err, &le) || le.Reason != why {
			t.Errorf("%q: %v, want %q", content, err, why)
		}
	}
}
