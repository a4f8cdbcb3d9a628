package server

// COMMAND family tests. Expected bytes come from redis-server 7.0.15 where
// the reply depends only on spec data both servers share (GET's entry, the
// FILTERBY argument tree, HELP); elsewhere they follow the same shapes with
// Vireo's own summaries.

import (
	"strconv"
	"strings"
	"testing"
)

// Redis 7.0.15: COMMAND INFO get nosuch.
const redisInfoGetNosuch = "*2\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n" +
	"*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n" +
	"$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n" +
	"$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n" +
	"*0\r\n$-1\r\n"

func TestCommandInfoMatchesRedis(t *testing.T) {
	c := newTestClient(t)
	c.expect("COMMAND INFO get nosuch", redisInfoGetNosuch)
	c.expect("COMMAND INFO GET", strings.Replace(strings.TrimSuffix(redisInfoGetNosuch, "$-1\r\n"), "*2\r\n", "*1\r\n", 1))
	// Full names reach subcommands, exactly: a '|' after a plain command or a
	// second '|' names nothing.
	c.expect("COMMAND INFO get|x command|count|x", "*2\r\n$-1\r\n$-1\r\n")
	// Redis 7.0.15, RESP3: COMMAND INFO command|count.
	c.do("HELLO 3")
	c.expect("COMMAND INFO command|count", "*1\r\n*10\r\n$13\r\ncommand|count\r\n:2\r\n~2\r\n+loading\r\n+stale\r\n"+
		":0\r\n:0\r\n:0\r\n~2\r\n+@slow\r\n+@connection\r\n~0\r\n~0\r\n~0\r\n")
	c.expect("COMMAND INFO nosuch", "*1\r\n_\r\n")
}

func TestCommandInfoContainer(t *testing.T) {
	c := newTestClient(t)
	got := c.do("COMMAND INFO command")
	// Redis 7.0.15's container entry; then the seven subcommands as an array.
	head := "*1\r\n*10\r\n$7\r\ncommand\r\n:-1\r\n*2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@slow\r\n+@connection\r\n" +
		"*1\r\n$29\r\nnondeterministic_output_order\r\n*0\r\n*7\r\n*10\r\n$13\r\ncommand|count\r\n"
	if !strings.HasPrefix(got, head) {
		t.Fatalf("got %q\nwant prefix %q", got, head)
	}
	for _, sub := range []string{"count", "docs", "getkeys", "getkeysandflags", "help", "info", "list"} {
		if !strings.Contains(got, "command|"+sub+"\r\n") {
			t.Errorf("subcommand %s missing", sub)
		}
	}
}

// TestCommandInfoWrites checks entries built from specs Vireo does not have
// yet against Redis 7.0.15's bytes for the same command.
func TestCommandInfoWrites(t *testing.T) {
	c := newTestClient(t)
	kill := &Command{Name: "client|kill", Arity: -3, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale, ACL: []string{"connection"}}
	c.c.out = c.c.out[:0]
	c.c.writeCommandInfo(kill)
	want := "*10\r\n$11\r\nclient|kill\r\n:-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n" +
		"*4\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n"
	if got := string(c.c.out); got != want {
		t.Errorf("client|kill\n got: %q\nwant: %q", got, want)
	}

	// DEL: Redis's key spec says RM/delete; ours says RW (see the file
	// comment), the rest is Redis's.
	del := &Command{Name: "del", Arity: -2, Flags: FlagWrite, ACL: []string{"keyspace"}, FirstKey: 1, LastKey: -1, KeyStep: 1}
	c.c.out = c.c.out[:0]
	c.c.writeCommandInfo(del)
	want = "*10\r\n$3\r\ndel\r\n:-2\r\n*1\r\n+write\r\n:1\r\n:-1\r\n:1\r\n" +
		"*3\r\n+@keyspace\r\n+@write\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*1\r\n+RW\r\n" +
		"$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n" +
		"$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n"
	if got := string(c.c.out); got != want {
		t.Errorf("del\n got: %q\nwant: %q", got, want)
	}
}

func TestACLCategories(t *testing.T) {
	tab := newTable()
	for _, tc := range []struct {
		cmd  *Command
		want string
	}{
		// Each as COMMAND INFO on redis-server 7.0.15 shows it.
		{tab.Get("get"), "read string fast"},
		{tab.Get("set"), "write string slow"},
		{tab.Get("flushall"), "keyspace write slow dangerous"},
		{tab.Get("ping"), "fast connection"},
		{&Command{Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale, ACL: []string{"connection"}}, "admin slow dangerous connection"},
		{&Command{Flags: FlagPubSub | FlagLoading | FlagStale | FlagFast, ACL: nil}, "pubsub fast"},
		{&Command{Flags: FlagWrite | FlagBlocking, ACL: []string{"list"}}, "write list slow blocking"},
		// Scripts are not @read even when read-only (EVAL_RO).
		{&Command{Flags: FlagReadonly | FlagNoMandatoryKeys, ACL: []string{"scripting"}}, "slow scripting"},
		// Explicit categories are not repeated.
		{&Command{Flags: FlagWrite, ACL: []string{"keyspace", "slow", "dangerous"}}, "keyspace write slow dangerous"},
	} {
		if tc.cmd == nil {
			t.Fatalf("command missing from the table (want %s)", tc.want)
		}
		if got := strings.Join(tc.cmd.ACLCategories(), " "); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.cmd.Name, got, tc.want)
		}
	}
}

func TestInfoFlags(t *testing.T) {
	cmd := &Command{Flags: FlagFast | FlagSentinel | FlagProtected | FlagOnlySentinel | FlagNoAuth,
		Keys: func([][]byte) []int { return nil }}
	if got := strings.Join(cmd.InfoFlags(), " "); got != "fast no_auth movablekeys" {
		t.Errorf("flags %q", got)
	}
}

func TestKeySpecs(t *testing.T) {
	for _, tc := range []struct {
		cmd  *Command
		want string
	}{
		{&Command{Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1}, "RO,access@1:0/1"},
		{&Command{Flags: FlagWrite, FirstKey: 1, LastKey: -1, KeyStep: 2}, "RW@1:-1/2"},
		{&Command{FirstKey: 2, LastKey: 4, KeyStep: 1}, "RO@2:2/1"},
		{&Command{Flags: FlagWrite, FirstKey: 1, LastKey: 1, KeyStep: 1, Keys: func([][]byte) []int { return nil }}, "RW@1:0/1 RW,incomplete@unknown"},
		{&Command{Flags: FlagReadonly, Keys: func([][]byte) []int { return nil }}, "RO,access,incomplete@unknown"},
		{&Command{}, ""},
	} {
		var parts []string
		for _, ks := range tc.cmd.KeySpecs() {
			s := strings.Join(ks.Flags, ",") + "@"
			if ks.BeginIndex == 0 {
				s += "unknown"
			} else {
				s += strconv.Itoa(ks.BeginIndex) + ":" + strconv.Itoa(ks.LastKey) + "/" + strconv.Itoa(ks.KeyStep)
			}
			parts = append(parts, s)
		}
		if got := strings.Join(parts, " "); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.cmd, got, tc.want)
		}
	}
}

func TestCommandDocs(t *testing.T) {
	c := newTestClient(t)
	// Redis 7.0.15: COMMAND DOCS get, from a spec with Redis's texts.
	get := &Command{Name: "get", Arity: 2, Group: "string", Since: "1.0.0", Summary: "Get the value of a key", Complexity: "O(1)",
		Usage: "key", FirstKey: 1, LastKey: 1, KeyStep: 1}
	c.c.out = c.c.out[:0]
	c.c.writeCommandDocs(get)
	want := "*10\r\n$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n" +
		"$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n*1\r\n*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n"
	if got := string(c.c.out); got != want {
		t.Errorf("get docs\n got: %q\nwant: %q", got, want)
	}
	// Unknown names are skipped, not nulls.
	c.expectPrefix("COMMAND DOCS get nosuch", "*2\r\n$3\r\nget\r\n")
	c.expect("COMMAND DOCS nosuch", "*0\r\n")

	// Redis 7.0.15, RESP3, COMMAND DOCS command|list, with our summary.
	list := c.srv.table.Get("command").Subcommands["list"]
	c.do("HELLO 3")
	c.expect("COMMAND DOCS command|list", "%1\r\n$12\r\ncommand|list\r\n%5\r\n$7\r\nsummary\r\n"+bulk(list.Summary)+
		"$5\r\nsince\r\n$5\r\n7.0.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n$10\r\ncomplexity\r\n$50\r\nO(N) where N is the total number of Redis commands\r\n"+
		"$9\r\narguments\r\n*1\r\n%5\r\n$4\r\nname\r\n$8\r\nfilterby\r\n$4\r\ntype\r\n$5\r\noneof\r\n$5\r\ntoken\r\n$8\r\nFILTERBY\r\n"+
		"$5\r\nflags\r\n~1\r\n+optional\r\n$9\r\narguments\r\n*3\r\n"+
		"%3\r\n$4\r\nname\r\n$11\r\nmodule-name\r\n$4\r\ntype\r\n$6\r\nstring\r\n$5\r\ntoken\r\n$6\r\nMODULE\r\n"+
		"%3\r\n$4\r\nname\r\n$8\r\ncategory\r\n$4\r\ntype\r\n$6\r\nstring\r\n$5\r\ntoken\r\n$6\r\nACLCAT\r\n"+
		"%3\r\n$4\r\nname\r\n$7\r\npattern\r\n$4\r\ntype\r\n$7\r\npattern\r\n$5\r\ntoken\r\n$7\r\nPATTERN\r\n")

	// A container lists its subcommands' docs as a map.
	got := c.do("COMMAND DOCS command")
	if !strings.Contains(got, "$11\r\nsubcommands\r\n%7\r\n$13\r\ncommand|count\r\n") {
		t.Errorf("container docs: %q", got)
	}
	got = c.do("COMMAND DOCS")
	if !strings.HasPrefix(got, "%"+strconv.Itoa(c.srv.table.Len())+"\r\n") {
		t.Errorf("COMMAND DOCS: %.80q", got)
	}
}

// TestCommandDocsKeyArgs: key arguments point at a key spec that exists,
// and become strings where the command has none.
func TestCommandDocsKeyArgs(t *testing.T) {
	c := newTestClient(t)
	oneSpec := &Command{Name: "lcs", Group: "string", Usage: "key1 key2 [IDX]", FirstKey: 1, LastKey: 2, KeyStep: 1}
	c.c.out = c.c.out[:0]
	c.c.writeCommandDocs(oneSpec)
	want := "*4\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$9\r\narguments\r\n*3\r\n" +
		"*6\r\n$4\r\nname\r\n$4\r\nkey1\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n" +
		"*6\r\n$4\r\nname\r\n$4\r\nkey2\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n" +
		"*8\r\n$4\r\nname\r\n$3\r\nidx\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$3\r\nIDX\r\n$5\r\nflags\r\n*1\r\n+optional\r\n"
	if got := string(c.c.out); got != want {
		t.Errorf("one key spec\n got: %q\nwant: %q", got, want)
	}
	noSpec := &Command{Name: "cluster|keyslot", Group: "cluster", Usage: "key"}
	c.c.out = c.c.out[:0]
	c.c.writeCommandDocs(noSpec)
	want = "*4\r\n$5\r\ngroup\r\n$7\r\ncluster\r\n$9\r\narguments\r\n*1\r\n*4\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$6\r\nstring\r\n"
	if got := string(c.c.out); got != want {
		t.Errorf("no key spec\n got: %q\nwant: %q", got, want)
	}
}

func bulk(s string) string { return "$" + strconv.Itoa(len(s)) + "\r\n" + s + "\r\n" }

func TestCommandCountAndAll(t *testing.T) {
	c := newTestClient(t)
	n := c.srv.table.Len()
	c.expect("COMMAND COUNT", ":"+strconv.Itoa(n)+"\r\n")
	all := c.do("COMMAND")
	if !strings.HasPrefix(all, "*"+strconv.Itoa(n)+"\r\n*10\r\n") {
		t.Errorf("COMMAND: %.60q", all)
	}
	if info := c.do("COMMAND INFO"); info != all {
		t.Errorf("COMMAND INFO without names differs from COMMAND")
	}
	c.expect("COMMAND COUNT x", "-ERR wrong number of arguments for 'command|count' command\r\n")
	c.expect("COMMAND FOO", "-ERR unknown subcommand 'FOO'. Try COMMAND HELP.\r\n")
}

func TestCommandList(t *testing.T) {
	c := newTestClient(t)
	c.expect("COMMAND LIST FILTERBY PATTERN COMM*", "*8\r\n$7\r\ncommand\r\n$13\r\ncommand|count\r\n$12\r\ncommand|docs\r\n"+
		"$15\r\ncommand|getkeys\r\n$23\r\ncommand|getkeysandflags\r\n$12\r\ncommand|help\r\n$12\r\ncommand|info\r\n$12\r\ncommand|list\r\n")
	c.expect("COMMAND LIST FILTERBY PATTERN comm*|[d-g]?t*", "*2\r\n$15\r\ncommand|getkeys\r\n$23\r\ncommand|getkeysandflags\r\n")
	c.expect("COMMAND LIST FILTERBY MODULE json", "*0\r\n")
	c.expect("COMMAND LIST FILTERBY ACLCAT nosuch", "*0\r\n")
	strs := c.do("COMMAND LIST FILTERBY ACLCAT STRING")
	if !strings.Contains(strs, "$3\r\nget\r\n") || !strings.Contains(strs, "$3\r\nset\r\n") || strings.Contains(strs, "$4\r\nping\r\n") {
		t.Errorf("ACLCAT string: %q", strs)
	}
	for _, bad := range []string{"COMMAND LIST FILTERBY PATTERN", "COMMAND LIST x y z", "COMMAND LIST FILTERBY nope x", "COMMAND LIST FILTERBY PATTERN a b"} {
		c.expect(bad, "-ERR syntax error\r\n")
	}
	all := c.do("COMMAND LIST")
	want := c.srv.table.Len() + len(c.srv.table.Get("command").Subcommands)
	if !strings.HasPrefix(all, "*") || !strings.Contains(all, "$12\r\ncommand|docs\r\n") {
		t.Fatalf("COMMAND LIST: %.80q", all)
	}
	if n, _ := strconv.Atoi(all[1:strings.Index(all, "\r\n")]); n < want {
		t.Errorf("COMMAND LIST has %d names, want at least %d", n, want)
	}
}

func TestCommandGetKeys(t *testing.T) {
	c := newTestClient(t)
	c.srv.table.Add(&Command{Name: "vireo-test-movable", Arity: -2, Flags: FlagNoMandatoryKeys, Group: "generic", Since: "7.0.0",
		Handler: func(*Ctx, [][]byte) {}, Keys: func(args [][]byte) []int {
			var pos []int
			for i := 1; i < len(args); i++ {
				if strings.HasPrefix(string(args[i]), "k") {
					pos = append(pos, i)
				}
			}
			return pos
		}})
	c.srv.table.Add(&Command{Name: "vireo-test-mandatory", Arity: -2, Group: "generic", Since: "7.0.0",
		Handler: func(*Ctx, [][]byte) {}, Keys: func(args [][]byte) []int { return nil }})

	// Redis 7.0.15's replies.
	c.expect("COMMAND GETKEYS get a", "*1\r\n$1\r\na\r\n")
	c.expect("COMMAND GETKEYS GET a", "*1\r\n$1\r\na\r\n")
	c.expect("COMMAND GETKEYS del a b c", "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n")
	c.expect("COMMAND GETKEYS nosuch a", "-ERR Invalid command specified\r\n")
	c.expect("COMMAND GETKEYS command nosub", "-ERR Invalid command specified\r\n")
	c.expect("COMMAND GETKEYS flushall x", "-ERR The command has no key arguments\r\n")
	c.expect("COMMAND GETKEYS command count", "-ERR The command has no key arguments\r\n")
	c.expect("COMMAND GETKEYS get a b", "-ERR Invalid number of arguments specified for command\r\n")
	c.expect("COMMAND GETKEYS get", "-ERR wrong number of arguments for 'command|getkeys' command\r\n")
	c.expect("COMMAND GETKEYS", "-ERR wrong number of arguments for 'command|getkeys' command\r\n")
	c.expect("COMMAND GETKEYSANDFLAGS get a", "*1\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n")
	c.expect("COMMAND GETKEYSANDFLAGS set a b", "*1\r\n*2\r\n$1\r\na\r\n*1\r\n+RW\r\n")

	// Keys funcs; no keys is an empty array only for no_mandatory_keys.
	c.expect("COMMAND GETKEYS vireo-test-movable x k1 y k2", "*2\r\n$2\r\nk1\r\n$2\r\nk2\r\n")
	c.expect("COMMAND GETKEYS vireo-test-movable x", "*0\r\n")
	c.expect("COMMAND GETKEYS vireo-test-mandatory x", "-ERR Invalid arguments specified for command\r\n")
	c.expect("COMMAND GETKEYSANDFLAGS vireo-test-movable k1", "*1\r\n*2\r\n$2\r\nk1\r\n*2\r\n+RO\r\n+incomplete\r\n")

	c.do("HELLO 3")
	c.expect("COMMAND GETKEYSANDFLAGS get a", "*1\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n")
}

func TestCommandHelp(t *testing.T) {
	c := newTestClient(t)
	// Redis 7.0.15.
	c.expect("COMMAND HELP", "*21\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+(no subcommand)\r\n"+
		"+    Return details about all Redis commands.\r\n+COUNT\r\n+    Return the total number of commands in this Redis server.\r\n"+
		"+LIST\r\n+    Return a list of all commands in this Redis server.\r\n+INFO [<command-name> ...]\r\n"+
		"+    Return details about multiple Redis commands.\r\n+    If no command names are given, documentation details for all\r\n"+
		"+    commands are returned.\r\n+DOCS [<command-name> ...]\r\n+    Return documentation details about multiple Redis commands.\r\n"+
		"+    If no command names are given, documentation details for all\r\n+    commands are returned.\r\n+GETKEYS <full-command>\r\n"+
		"+    Return the keys from a full Redis command.\r\n+GETKEYSANDFLAGS <full-command>\r\n"+
		"+    Return the keys and the access flags from a full Redis command.\r\n+HELP\r\n+    Prints this help.\r\n")
}

func TestCommandInMulti(t *testing.T) {
	c := newTestClient(t)
	c.expect("MULTI", "+OK\r\n")
	c.expect("COMMAND COUNT", "+QUEUED\r\n")
	c.expect("COMMAND", "+QUEUED\r\n")
	got := c.do("EXEC")
	if !strings.HasPrefix(got, "*2\r\n:"+strconv.Itoa(c.srv.table.Len())+"\r\n*") {
		t.Errorf("EXEC: %.60q", got)
	}
}
