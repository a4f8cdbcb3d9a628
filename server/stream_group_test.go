package server

import (
	"regexp"
	"testing"
)

// Expected replies come from redis-server 7.0.15; propagation follows its
// t_stream.c (XREADGROUP and XCLAIM/XAUTOCLAIM as XCLAIM ... FORCE JUSTID
// LASTID, NOACK as XGROUP SETID/CREATECONSUMER).

// timeArg hides the TIME <ms> value of a propagated XCLAIM.
var timeArg = regexp.MustCompile(`TIME \d+`)

func maskTimes(stream []string) []string {
	out := make([]string, len(stream))
	for i, s := range stream {
		out[i] = timeArg.ReplaceAllString(s, "TIME <ms>")
	}
	return out
}

func TestStreamGroupEffects(t *testing.T) {
	c := newTestClient(t)
	c.do("XADD s 1-0 f 1")
	c.do("XADD s 2-0 f 2")
	c.do("XADD s 3-0 f 3")
	rec := recordEffects(c)
	cases := []struct {
		cmd, reply string
		stream     []string
		events     []string
	}{
		{"XGROUP CREATE s g 0", "+OK\r\n", []string{"XGROUP CREATE s g 0"}, []string{"xgroup-create:s"}},
		{"XGROUP CREATE s g 0", "-BUSYGROUP Consumer Group name already exists\r\n", nil, nil},
		{"XGROUP CREATE m g $ MKSTREAM", "+OK\r\n", []string{"XGROUP CREATE m g $ MKSTREAM"}, []string{"xgroup-create:m"}},
		{"XREADGROUP GROUP g alice COUNT 2 STREAMS s >",
			"*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n",
			[]string{"XCLAIM s g alice 0 1-0 TIME <ms> RETRYCOUNT 1 FORCE JUSTID LASTID 1-0", "XCLAIM s g alice 0 2-0 TIME <ms> RETRYCOUNT 1 FORCE JUSTID LASTID 2-0"},
			[]string{"xgroup-createconsumer:s"}},
		{"XREADGROUP GROUP g bob NOACK STREAMS s >",
			"*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nf\r\n$1\r\n3\r\n",
			[]string{"XGROUP CREATECONSUMER s g bob", "XGROUP SETID s g 3-0 ENTRIESREAD 3"},
			[]string{"xgroup-createconsumer:s"}},
		{"XREADGROUP GROUP g bob STREAMS s >", "*-1\r\n", nil, nil},
		{"XACK s g 1-0 7-0", ":1\r\n", []string{"XACK s g 1-0 7-0"}, nil},
		{"XCLAIM s g carol 0 2-0 JUSTID", "*1\r\n$3\r\n2-0\r\n",
			[]string{"XCLAIM s g carol 0 2-0 TIME <ms> RETRYCOUNT 1 FORCE JUSTID LASTID 3-0"}, []string{"xgroup-createconsumer:s"}},
		{"XCLAIM s g carol 0 9-0 LASTID 5-0", "*0\r\n", []string{"XGROUP SETID s g 5-0 ENTRIESREAD 3"}, nil},
		{"XDEL s 2-0", ":1\r\n", []string{"XDEL s 2-0"}, []string{"xdel:s"}},
		{"XAUTOCLAIM s g dave 0 0", "*3\r\n$3\r\n0-0\r\n*0\r\n*1\r\n$3\r\n2-0\r\n",
			[]string{"XCLAIM s g carol 0 2-0 TIME <ms> RETRYCOUNT 1 FORCE JUSTID LASTID 5-0"}, nil},
		{"XGROUP SETID s g 0", "+OK\r\n", []string{"XGROUP SETID s g 0"}, []string{"xgroup-setid:s"}},
		{"XGROUP CREATECONSUMER s g erin", ":1\r\n", []string{"XGROUP CREATECONSUMER s g erin"}, []string{"xgroup-createconsumer:s"}},
		{"XGROUP DELCONSUMER s g erin", ":0\r\n", []string{"XGROUP DELCONSUMER s g erin"}, []string{"xgroup-delconsumer:s"}},
		{"XGROUP DELCONSUMER s g erin", ":0\r\n", nil, nil},
		{"XGROUP DESTROY s g", ":1\r\n", []string{"XGROUP DESTROY s g"}, []string{"xgroup-destroy:s"}},
		{"XGROUP DESTROY s g", ":0\r\n", nil, nil},
	}
	for _, tc := range cases {
		c.expect(tc.cmd, tc.reply)
		stream, events := rec.take()
		if len(stream) > 0 && stream[0] == "SELECT 0" {
			stream = stream[1:]
		}
		if got, want := maskTimes(stream), tc.stream; !equalStrings(got, want) {
			t.Errorf("%s: propagated %q, want %q", tc.cmd, got, want)
		}
		if !equalStrings(events, tc.events) {
			t.Errorf("%s: events %q, want %q", tc.cmd, events, tc.events)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestStreamGroupReplies(t *testing.T) {
	c := newTestClient(t)
	c.do("XADD s 1-0 f 1")
	c.do("XADD s 2-0 f 2")
	c.expect("XGROUP CREATE s g 0 FOO", "-ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.\r\n")
	c.expect("XGROUP CREATE s g 0 ENTRIESREAD -2", "-ERR value for ENTRIESREAD must be positive or -1\r\n")
	c.expect("XGROUP CREATE nokey g 0", "-"+errXGroupNoKey[0:]+"\r\n")
	c.expect("XGROUP SETID s nog 0", "-NOGROUP No such consumer group 'nog' for key name 's'\r\n")
	c.expect("XGROUP CREATE s g 0", "+OK\r\n")
	c.expect("XREADGROUP GROUP g a STREAMS s $", "-ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.\r\n")
	c.expect("XREADGROUP GROUP nog a STREAMS s >", "-NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option\r\n")
	c.expect("XREADGROUP COUNT 1 NOACK STREAMS s >", "-ERR Missing GROUP option for XREADGROUP\r\n")
	c.expect("XREADGROUP GROUP g a STREAMS s 0", "*1\r\n*2\r\n$1\r\ns\r\n*0\r\n")
	// idle is milliseconds since the read: 0 or a few on a loaded machine.
	c.expectPrefix("XINFO CONSUMERS s g", "*1\r\n*6\r\n$4\r\nname\r\n$1\r\na\r\n$7\r\npending\r\n:0\r\n$4\r\nidle\r\n:")
	c.do("XREADGROUP GROUP g a STREAMS s >")
	c.expect("XDEL s 1-0", ":1\r\n")
	c.expect("XREADGROUP GROUP g a STREAMS s 0", "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*-1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n")
	c.expect("XPENDING s g", "*4\r\n:2\r\n$3\r\n1-0\r\n$3\r\n2-0\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n2\r\n")
	// The idle time (third field) is 0 or a few ms on a loaded machine.
	if got := c.do("XPENDING s g - + 1"); !regexp.MustCompile(`^\*1\r\n\*4\r\n\$3\r\n1-0\r\n\$1\r\na\r\n:[0-9]+\r\n:1\r\n$`).MatchString(got) {
		t.Fatalf("XPENDING s g - + 1: %q", got)
	}
	c.expect("XCLAIM s g b x 1-0", "-ERR Invalid min-idle-time argument for XCLAIM\r\n")
	c.expect("XCLAIM s g b 0 1-0 FOO", "-ERR Unrecognized XCLAIM option 'FOO'\r\n")
	c.expect("XAUTOCLAIM s g b 0 0 COUNT 0", "-ERR COUNT must be > 0\r\n")
	c.expect("XAUTOCLAIM s nog b 0 0", "-NOGROUP No such key 's' or consumer group 'nog'\r\n")
	c.expect("XINFO GROUPS s", "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:2\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-0\r\n$12\r\nentries-read\r\n:2\r\n$3\r\nlag\r\n:0\r\n")
	c.expect("XINFO STREAM s FOO", "-ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.\r\n")
	c.expect("XINFO STREAM nokey", "-ERR no such key\r\n")
	c.expect("XINFO STREAM s", "*20\r\n$6\r\nlength\r\n:1\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n2-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-0\r\n$13\r\nentries-added\r\n:2\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n2-0\r\n$6\r\ngroups\r\n:1\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n")
	c.do("HELLO 3")
	c.expect("XINFO GROUPS s", "*1\r\n%6\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:2\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-0\r\n$12\r\nentries-read\r\n:2\r\n$3\r\nlag\r\n:0\r\n")
	c.expect("XPENDING s g2", "-NOGROUP No such key 's' or consumer group 'g2'\r\n")
	c.expect("XREADGROUP GROUP g a STREAMS s 1-0", "%1\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n")
}

func TestStreamXReadGroupBlock(t *testing.T) {
	srv := newTestServer(t)
	a, p := srv.testClient(t), srv.testClient(t)
	p.do("XGROUP CREATE s g $ MKSTREAM")
	ra := goDo(a, "XREADGROUP GROUP g alice BLOCK 0 STREAMS s >")
	waitBlocked(t, srv, 1)
	notYet(t, ra)
	fx := recordEffects(p)
	p.expect("XADD s 1-0 f v", "$3\r\n1-0\r\n")
	if got := recv(t, ra); got != "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n" {
		t.Errorf("XREADGROUP got %q", got)
	}
	stream, _ := fx.take()
	want := []string{"SELECT 0", "XADD s 1-0 f v", "XCLAIM s g alice 0 1-0 TIME <ms> RETRYCOUNT 1 FORCE JUSTID LASTID 1-0"}
	if got := maskTimes(stream); !equalStrings(got, want) {
		t.Errorf("propagated %q, want %q", got, want)
	}
	p.expect("XPENDING s g", "*4\r\n:1\r\n$3\r\n1-0\r\n$3\r\n1-0\r\n*1\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n")
	a.expect("XREADGROUP GROUP g alice BLOCK 10 STREAMS s >", "*-1\r\n")
}

// TestStreamDigestAndMemory: DEBUG DIGEST-VALUE equals redis-server
// 7.0.15's for the same stream (groups are not part of it).
func TestStreamDigestAndMemory(t *testing.T) {
	c := newTestClient(t)
	c.do("XADD d 1-1 f v g 12")
	c.do("XADD d 2-0 h w")
	c.do("XGROUP CREATE d g 0")
	c.expect("DEBUG DIGEST-VALUE d", "*1\r\n+5b3965f243c7a0a5e60ab6187e7b849c9efaf57b\r\n")
	c.expect("DEBUG DIGEST", "+632a315058533a4caca1f6cc5c58d8b2c05afa41\r\n")
	c.expectPrefix("MEMORY USAGE d", ":")
	if got := c.do("MEMORY USAGE d"); got == ":0\r\n" {
		t.Errorf("MEMORY USAGE = %q", got)
	}
}
