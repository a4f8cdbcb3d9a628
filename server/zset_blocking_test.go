package server

import (
	"slices"
	"testing"
)

// Replies derived from redis-server 7.0.15.

func TestBZPopImmediateAndErrors(t *testing.T) {
	c := newTestClient(t)
	c.expect("zadd z 1 a 2 b 3 c", ":3\r\n")
	c.expect("bzpopmin z 0", "*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n")
	c.expect("bzpopmax nokey z 0", "*3\r\n$1\r\nz\r\n$1\r\nc\r\n$1\r\n3\r\n")
	c.expect("bzmpop 0 2 nokey z min count 5", "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n")
	c.expect("exists z", ":0\r\n")
	c.expect("bzmpop 0 1 z", "-ERR wrong number of arguments for 'bzmpop' command\r\n")
	c.expect("bzmpop 0 0 z min", "-ERR numkeys should be greater than 0\r\n")
	c.expect("bzmpop x 1 z min", "-ERR timeout is not a float or out of range\r\n")
	c.expect("bzmpop x 1 z foo", "-ERR syntax error\r\n") // where is checked before the timeout
	c.expect("bzmpop 0 1 z min count 0", "-ERR count should be greater than 0\r\n")
	c.expect("bzmpop 0 5 z min", "-ERR syntax error\r\n")
	c.expect("bzpopmin z x", "-ERR timeout is not a float or out of range\r\n")
	c.expect("bzpopmin z -1", "-ERR timeout is negative\r\n")
	c.expect("bzpopmin z 0.01", "*-1\r\n")
	c.expect("bzmpop 0.01 1 z max count 2", "*-1\r\n")
	c.expect("set s v", "+OK\r\n")
	c.expect("bzpopmin s 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("bzmpop 0 1 s min", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	c.expect("zadd z 1 a 2 b 3 c", ":3\r\n")
	c.do("hello 3")
	c.expect("bzpopmin z 0", "*3\r\n$1\r\nz\r\n$1\r\na\r\n,1\r\n")
	c.expect("bzmpop 0 1 z max count 1", "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nc\r\n,3\r\n")
	c.expect("bzpopmin none 0.01", "_\r\n")
	c.expect("multi", "+OK\r\n")
	c.do("bzpopmin none 0")
	c.do("bzmpop 0 1 none min")
	c.do("bzpopmax z 0")
	c.expect("exec", "*3\r\n_\r\n_\r\n*3\r\n$1\r\nz\r\n$1\r\nb\r\n,2\r\n")
	if c.srv.BlockedClients() != 0 {
		t.Errorf("blocked clients: %d", c.srv.BlockedClients())
	}
}

func TestBZPopBlocksFIFOAndPropagatesZPop(t *testing.T) {
	srv := newTestServer(t)
	a, b, d, p := srv.testClient(t), srv.testClient(t), srv.testClient(t), srv.testClient(t)
	fx := recordEffects(p)
	ra := goDo(a, "bzpopmin other z 0")
	waitBlocked(t, srv, 1)
	rb := goDo(b, "bzpopmax z 0")
	waitBlocked(t, srv, 2)
	rd := goDo(d, "bzmpop 0 1 z min count 10")
	waitBlocked(t, srv, 3)
	notYet(t, ra)
	p.expect("rpush l x", ":1\r\n") // a list does not serve a sorted set waiter
	notYet(t, ra)
	p.expect("zadd z 1 a 2 b 3 c 4 d", ":4\r\n")
	if got := recv(t, ra); got != "*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n" {
		t.Errorf("first client got %q", got)
	}
	if got := recv(t, rb); got != "*3\r\n$1\r\nz\r\n$1\r\nd\r\n$1\r\n4\r\n" {
		t.Errorf("second client got %q", got)
	}
	if got := recv(t, rd); got != "*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n" {
		t.Errorf("third client got %q", got)
	}
	p.expect("exists z", ":0\r\n")
	stream, events := fx.take()
	want := []string{"SELECT 0", "rpush l x", "zadd z 1 a 2 b 3 c 4 d", "ZPOPMIN z", "ZPOPMAX z", "ZPOPMIN z 2"}
	if !slices.Equal(stream, want) {
		t.Errorf("propagated %q, want %q", stream, want)
	}
	wantEv := []string{"rpush:l", "zadd:z", "zpopmin:z", "zpopmax:z", "zpopmin:z", "del:z", "keymiss:z"}
	if !slices.Equal(events, wantEv) {
		t.Errorf("events %q, want %q", events, wantEv)
	}
	waitBlocked(t, srv, 0)
	if srv.ks.BlockingKeys() != 0 {
		t.Errorf("blocking keys left: %d", srv.ks.BlockingKeys())
	}
}

func TestBZPopServedByZSetStoreAndTimesOut(t *testing.T) {
	srv := newTestServer(t)
	a, p := srv.testClient(t), srv.testClient(t)
	a.do("hello 3")
	ra := goDo(a, "bzmpop 0 2 dst x max")
	waitBlocked(t, srv, 1)
	p.expect("zadd src 5 m", ":1\r\n")
	notYet(t, ra)
	p.expect("zunionstore dst 1 src", ":1\r\n")
	if got := recv(t, ra); got != "*2\r\n$3\r\ndst\r\n*1\r\n*2\r\n$1\r\nm\r\n,5\r\n" {
		t.Errorf("blocked client got %q", got)
	}
	rt := goDo(a, "bzpopmin nothing 0.05")
	if got := recv(t, rt); got != "_\r\n" {
		t.Errorf("timeout reply %q", got)
	}
	waitBlocked(t, srv, 0)
}
