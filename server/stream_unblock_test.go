package server

// A client blocked in XREADGROUP is unblocked with an error when its stream
// goes away (deleted, overwritten, renamed, expired, flushed, swapped out)
// or its group is destroyed; one blocked in XREAD keeps waiting. Compared
// with redis-server byte for byte.

import (
	"testing"
	"time"
)

func TestXReadGroupUnblockedWhenStreamGoes(t *testing.T) {
	redisAddr := startRedis(t)
	vireoAddr := startVireo(t).Addr().String()
	ops := [][]string{
		{"DEL", "s"},
		{"SET", "s", "x"},
		{"FLUSHDB"},
		{"RENAME", "s", "t"},
		{"EXPIRE", "s", "0"},
		{"XGROUP", "DESTROY", "s", "g"},
		{"SWAPDB", "0", "1"},
		{"LPUSH", "other", "a"}, // unrelated: the client stays blocked
	}
	for _, op := range ops {
		var replies [2]string
		for i, addr := range []string{redisAddr, vireoAddr} {
			admin := dialResp(t, addr)
			admin.do("FLUSHALL")
			admin.do("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
			blocked := dialResp(t, addr)
			blocked.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "1000", "STREAMS", "s", ">")
			waitBlockedClients(t, admin, 1)
			admin.do(op...)
			got, err := blocked.read()
			if err != nil {
				t.Fatalf("%v on %s: %v", op, addr, err)
			}
			replies[i] = got
		}
		if replies[0] != replies[1] {
			t.Errorf("%v: vireo %q, redis %q", op, replies[1], replies[0])
		}
	}
}

func TestXReadKeepsWaitingWhenStreamDeleted(t *testing.T) {
	addr := startVireo(t).Addr().String()
	admin := dialResp(t, addr)
	admin.do("XADD", "q", "1-1", "a", "1")
	blocked := dialResp(t, addr)
	blocked.send("XREAD", "BLOCK", "0", "STREAMS", "q", "$")
	waitBlockedClients(t, admin, 1)
	for _, op := range [][]string{{"DEL", "q"}, {"SET", "q", "x"}, {"DEL", "q"}} {
		admin.do(op...)
	}
	time.Sleep(50 * time.Millisecond)
	waitBlockedClients(t, admin, 1)
	// A new stream under the key serves the waiter with the entries after
	// the ID "$" stood for when it blocked.
	admin.do("XADD", "q", "2-1", "b", "2")
	got, err := blocked.read()
	if err != nil {
		t.Fatal(err)
	}
	want := "*1\r\n*2\r\n$1\r\nq\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
