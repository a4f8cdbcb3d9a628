package server

import (
	"errors"
	"strings"
	"testing"
)

// describeArgs renders an argument tree compactly for assertions:
// name:type[=TOKEN][#keyspec][?+*](children), where ? is optional, + is
// multiple and * is multiple_token.
func describeArgs(args []*Arg) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		var b strings.Builder
		b.WriteString(a.Name)
		b.WriteByte(':')
		b.WriteString(a.Type.String())
		if a.Token != "" && a.Type != ArgPureToken {
			b.WriteString("=" + a.Token)
		}
		if a.Type == ArgPureToken && a.Token != strings.ToUpper(a.Name) {
			b.WriteString("=" + a.Token)
		}
		if a.KeySpecIndex >= 0 {
			b.WriteString("#" + string(rune('0'+a.KeySpecIndex)))
		}
		if a.Flags&ArgOptional != 0 {
			b.WriteByte('?')
		}
		if a.Flags&ArgMultiple != 0 {
			b.WriteByte('+')
		}
		if a.Flags&ArgMultipleToken != 0 {
			b.WriteByte('*')
		}
		if len(a.Args) > 0 {
			b.WriteString("(" + describeArgs(a.Args) + ")")
		}
		parts = append(parts, b.String())
	}
	return strings.Join(parts, " ")
}

func TestParseUsage(t *testing.T) {
	// Real usage lines (Redis 7.2's syntax) and the tree each must give.
	cases := []struct{ cmd, usage, want string }{
		{"set", "key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]",
			"key:key#0 value:string nx-xx:oneof?(nx:pure-token xx:pure-token) get:pure-token? seconds-milliseconds-unix-time-seconds:oneof?(seconds:integer=EX milliseconds:integer=PX unix-time-seconds:unix-time=EXAT unix-time-milliseconds:unix-time=PXAT keepttl:pure-token)"},
		{"getex", "key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]",
			"key:key#0 seconds-milliseconds-unix-time-seconds:oneof?(seconds:integer=EX milliseconds:integer=PX unix-time-seconds:unix-time=EXAT unix-time-milliseconds:unix-time=PXAT persist:pure-token)"},
		{"zadd", "key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]",
			"key:key#0 nx-xx:oneof?(nx:pure-token xx:pure-token) gt-lt:oneof?(gt:pure-token lt:pure-token) ch:pure-token? incr:pure-token? score-member:block+(score:double member:string)"},
		{"scan", "cursor [MATCH pattern] [COUNT count] [TYPE type]",
			"cursor:integer pattern:pattern=MATCH? count:integer=COUNT? type:string=TYPE?"},
		{"client|kill", "<ip:port | <[ID client-id] | [TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] | [USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME <YES | NO>]> [[ID client-id] | [TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] | [USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME <YES | NO>] ...]>",
			"ip:port-client-id-type-username:oneof(ip:port:string client-id-type-username:oneof+(client-id:integer=ID? type:oneof=TYPE?(normal:pure-token master:pure-token slave:pure-token replica:pure-token pubsub:pure-token) username:string=USER? ip:port:string=ADDR? ip:port:string=LADDR? skipme:oneof=SKIPME?(yes:pure-token no:pure-token)))"},
		{"client|kill", "<ip:port | <[ID client-id] | [TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] | [USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME <YES | NO>]> [...]>",
			"ip:port-client-id-type-username:oneof(ip:port:string client-id-type-username:oneof+(client-id:integer=ID? type:oneof=TYPE?(normal:pure-token master:pure-token slave:pure-token replica:pure-token pubsub:pure-token) username:string=USER? ip:port:string=ADDR? ip:port:string=LADDR? skipme:oneof=SKIPME?(yes:pure-token no:pure-token)))"},
		{"del", "key [...]", "key:key#0+"},
		{"bitfield", "key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | INCRBY encoding offset increment> [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | INCRBY encoding offset increment> ...]]",
			"key:key#0 get-overflow-set-incrby:oneof?+(get:block=GET(encoding:string offset:integer) overflow-set-incrby:block(overflow:oneof=OVERFLOW?(wrap:pure-token sat:pure-token fail:pure-token) set-incrby:oneof(set:block=SET(encoding:string offset:integer value:string) incrby:block=INCRBY(encoding:string offset:integer increment:integer))))"},
		{"lcs", "key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]",
			"key1:key#0 key2:key#1 len:pure-token? idx:pure-token? min-match-len:integer=MINMATCHLEN? withmatchlen:pure-token?"},
		{"expire", "key seconds [NX | XX | GT | LT]",
			"key:key#0 seconds:integer nx-xx-gt:oneof?(nx:pure-token xx:pure-token gt:pure-token lt:pure-token)"},
		{"restore", "key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]",
			"key:key#0 ttl:integer serialized-value:string replace:pure-token? absttl:pure-token? seconds:integer=IDLETIME? frequency:integer=FREQ?"},
		{"migrate", "host port <key | \"\"> destination-db timeout [COPY] [REPLACE] [AUTH password | AUTH2 username password] [KEYS key [key ...]]",
			"host:string port:integer key-empty:oneof(key:key#0 empty:pure-token=\"\") destination-db:integer timeout:integer copy:pure-token? replace:pure-token? password-auth2:oneof?(password:string=AUTH auth2:block=AUTH2(username:string password:string)) key:key=KEYS#1?+"},
		{"sort", "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA] [STORE destination]",
			"key:key#0 pattern:pattern=BY? limit:block=LIMIT?(offset:integer count:integer) pattern:pattern=GET?+* asc-desc:oneof?(asc:pure-token desc:pure-token) alpha:pure-token? destination:key=STORE#1?"},
		{"zunionstore", "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]",
			"destination:key#0 numkeys:integer key:key#1+ weight:integer=WEIGHTS?+ aggregate:oneof=AGGREGATE?(sum:pure-token min:pure-token max:pure-token)"},
		{"hset", "key field value [field value ...]",
			"key:key#0 field-value:block+(field:string value:string)"},
		{"hello", "[protover [AUTH username password] [SETNAME clientname]]",
			"protover-auth-clientname:block?(protover:integer auth:block=AUTH?(username:string password:string) clientname:string=SETNAME?)"},
		{"xadd", "key [NOMKSTREAM] [<MAXLEN | MINID> [= | ~] threshold [LIMIT count]] <* | id> field value [field value ...]",
			"key:key#0 nomkstream:pure-token? maxlen-minid-=-~-threshold:block?(maxlen-minid:oneof(maxlen:pure-token minid:pure-token) =-~:oneof?(=:pure-token ~:pure-token) threshold:string count:integer=LIMIT?) *-id:oneof(*:pure-token id:string) field-value:block+(field:string value:string)"},
		{"xreadgroup", "GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]",
			"group:block=GROUP(group:string consumer:string) count:integer=COUNT? milliseconds:integer=BLOCK? noack:pure-token? streams:block=STREAMS(key:key#0+ id:string+)"},
		{"geosearch", "key <FROMMEMBER member | FROMLONLAT longitude latitude> <BYRADIUS radius <M | KM | FT | MI> | BYBOX width height <M | KM | FT | MI>> [ASC | DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]",
			"key:key#0 member-fromlonlat:oneof(member:string=FROMMEMBER fromlonlat:block=FROMLONLAT(longitude:double latitude:double)) byradius-bybox:oneof(byradius:block=BYRADIUS(radius:double m-km-ft:oneof(m:pure-token km:pure-token ft:pure-token mi:pure-token)) bybox:block=BYBOX(width:double height:double m-km-ft:oneof(m:pure-token km:pure-token ft:pure-token mi:pure-token))) asc-desc:oneof?(asc:pure-token desc:pure-token) count-any:block?(count:integer=COUNT any:pure-token?) withcoord:pure-token? withdist:pure-token? withhash:pure-token?"},
		{"eval", "script numkeys [key [key ...]] [arg [arg ...]]",
			"script:string numkeys:integer key:key#0?+ arg:string?+"},
		{"incrbyfloat", "key increment",
			"key:key#0 increment:double"},
		{"blpop", "key [key ...] timeout",
			"key:key#0+ timeout:double"},
		{"command|list", "[FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]",
			"filterby:oneof=FILTERBY?(module-name:string=MODULE category:string=ACLCAT pattern:pattern=PATTERN)"},
		{"mset", "key value [key value ...]",
			"key-value:block+(key:key#0 value:string)"},
		{"del", "key [key ...]",
			"key:key#0+"},
		{"ping", "[message]",
			"message:string?"},
		{"client|setinfo", "<LIB-NAME libname | LIB-VER libver>",
			"libname-libver:oneof(libname:string=LIB-NAME libver:string=LIB-VER)"},
	}
	for _, tc := range cases {
		args, err := ParseUsage(tc.cmd, tc.usage)
		if err != nil {
			t.Errorf("%s %s: %v", tc.cmd, tc.usage, err)
			continue
		}
		if got := describeArgs(args); got != tc.want {
			t.Errorf("%s %s\n got: %s\nwant: %s", tc.cmd, tc.usage, got, tc.want)
		}
	}
}

func TestParseUsageEmpty(t *testing.T) {
	args, err := ParseUsage("quit", "  ")
	if err != nil || len(args) != 0 {
		t.Fatalf("empty usage: %v, %v", args, err)
	}
}

func TestParseUsageErrors(t *testing.T) {
	for _, u := range []string{
		"[key",
		"key]",
		"<key",
		"[key>",
		"[]",
		"<>",
		"a | | b",
		"| a",
		"[a |]",
		"...",
		"[...]",
		"a ... ...",
		"a >",
		"[...] a",
		"a ... [...]",
		"[... ]",
	} {
		args, err := ParseUsage("x", u)
		if err == nil {
			t.Errorf("%q parsed: %s", u, describeArgs(args))
			continue
		}
		if !errors.Is(err, ErrUsage) || !strings.HasPrefix(err.Error(), "usage: x: ") {
			t.Errorf("%q: error %q does not wrap ErrUsage", u, err)
		}
	}
}

// TestParseUsageTypes checks the name-based type inference on its own.
func TestParseUsageTypes(t *testing.T) {
	for _, tc := range []struct {
		cmd, name string
		want      ArgType
	}{
		{"rename", "newkey", ArgKey},
		{"bitop", "destkey", ArgKey},
		{"smove", "source", ArgKey},
		{"zunionstore", "numkeys", ArgInteger},
		{"copy", "destination-db", ArgInteger},
		{"swapdb", "index1", ArgInteger},
		{"cluster|countkeysinslot", "slot", ArgInteger},
		{"incrby", "increment", ArgInteger},
		{"hincrbyfloat", "increment", ArgDouble},
		{"wait", "timeout", ArgInteger},
		{"bzpopmin", "timeout", ArgDouble},
		{"keys", "pattern", ArgPattern},
		{"expireat", "unix-time-seconds", ArgUnixTime},
		{"zadd", "score", ArgDouble},
		{"get", "value", ArgString},
		{"client|kill", "ip:port", ArgString},
	} {
		args, err := ParseUsage(tc.cmd, tc.name)
		if err != nil || len(args) != 1 {
			t.Fatalf("%s: %v %v", tc.name, args, err)
		}
		if args[0].Type != tc.want {
			t.Errorf("%s %s: type %s, want %s", tc.cmd, tc.name, args[0].Type, tc.want)
		}
	}
}

// FuzzParseUsage: any input gives a tree or an error, never a panic, and a
// tree only of well-formed nodes.
func FuzzParseUsage(f *testing.F) {
	for _, s := range []string{
		"key value [NX | XX] [GET] [EX seconds | PX milliseconds | KEEPTTL]",
		"key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | INCRBY encoding offset increment> [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | INCRBY encoding offset increment> ...]]",
		"key field value [field value ...]",
		"[a | b [a | b ...]]",
		"<a | b> [a | b ...]",
		"GROUP group consumer STREAMS key [key ...] id [id ...]",
		"[key ...] ...",
		"[[[",
		"a|b|",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, usage string) {
		args, err := ParseUsage("fuzz", usage)
		if err != nil {
			return
		}
		checkArgTree(t, args)
	})
}

// checkArgTree asserts what COMMAND DOCS relies on: names, types in range,
// children exactly for oneof/block, a token on every pure-token.
func checkArgTree(t *testing.T, args []*Arg) {
	t.Helper()
	for _, a := range args {
		if a.Name == "" {
			t.Fatalf("argument without a name: %+v", a)
		}
		if a.Type > ArgBlock {
			t.Fatalf("bad type %d", a.Type)
		}
		if (a.Type == ArgOneOf || a.Type == ArgBlock) != (len(a.Args) > 0) {
			t.Fatalf("%s: type %s with %d children", a.Name, a.Type, len(a.Args))
		}
		if a.Type == ArgPureToken && a.Token == "" {
			t.Fatalf("%s: pure-token without token", a.Name)
		}
		if (a.Type == ArgKey) != (a.KeySpecIndex >= 0) {
			t.Fatalf("%s: type %s with key_spec_index %d", a.Name, a.Type, a.KeySpecIndex)
		}
		checkArgTree(t, a.Args)
	}
}
