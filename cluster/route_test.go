package cluster

import (
	"strings"
	"testing"
)

func keys(ks ...string) [][]byte {
	out := make([][]byte, len(ks))
	for i, k := range ks {
		out[i] = []byte(k)
	}
	return out
}

func TestRoute(t *testing.T) {
	f, ids := threeNodes(t)
	a, b := ids[0], ids[1]
	// "a" is in slot 15495 and "foo" in 12182, both node c's.
	st := f.Current()
	ok := &Request{StateOK: true}
	r := *ok
	r.Keys = keys("a")
	if got := st.Route(ids[2], &r); got.Verdict != Serve {
		t.Fatalf("own slot: %+v", got)
	}
	if got := st.Route(a, &r); got.Verdict != Moved || got.Error() != "MOVED 15495 127.0.0.1:7002" {
		t.Fatalf("moved: %q", got.Error())
	}
	r.Keys = keys("a", "b")
	if got := st.Route(a, &r); got.Error() != "CROSSSLOT Keys in request don't hash to the same slot" {
		t.Fatalf("crossslot: %q", got.Error())
	}
	r.Keys = keys("{a}x", "{a}y") // one slot, 15495: node c's
	if got := st.Route(ids[2], &r); got.Verdict != Serve {
		t.Fatalf("same tag: %+v", got)
	}
	r.Keys = nil
	if got := st.Route(a, &r); got.Verdict != Serve {
		t.Fatal("keyless command must run anywhere")
	}
	down := Request{Keys: keys("a")}
	if got := st.Route(ids[2], &down); got.Error() != "CLUSTERDOWN The cluster is down" {
		t.Fatalf("down: %q", got.Error())
	}
	down.ReadsWhenDown, down.Write = true, true
	if got := st.Route(ids[2], &down); got.Error() != "CLUSTERDOWN The cluster is down and only accepts read commands" {
		t.Fatalf("down write: %q", got.Error())
	}

	// Slot 12182 ("foo") migrates from c to a.
	c := ids[2]
	mustApply(t, f, Op{Kind: OpSetSlot, Node: a, Slot: 12182, Action: SetSlotImporting, Target: c})
	mustApply(t, f, Op{Kind: OpSetSlot, Node: c, Slot: 12182, Action: SetSlotMigrating, Target: a})
	st = f.Current()
	present := map[string]bool{"foo": true}
	exists := func(k []byte) bool { return present[string(k)] }
	q := Request{Keys: keys("foo"), StateOK: true, Exists: exists}
	if got := st.Route(c, &q); got.Verdict != Serve {
		t.Fatalf("migrating, key here: %+v", got)
	}
	delete(present, "foo")
	if got := st.Route(c, &q); got.Error() != "ASK 12182 127.0.0.1:7000" {
		t.Fatalf("migrating, key gone: %q", got.Error())
	}
	q.Migrate = true
	if got := st.Route(c, &q); got.Verdict != Serve {
		t.Fatal("MIGRATE must run on the source")
	}
	q.Migrate = false
	if got := st.Route(a, &q); got.Verdict != Moved {
		t.Fatalf("importing without ASKING: %+v", got)
	}
	q.Asking = true
	if got := st.Route(a, &q); got.Verdict != Serve {
		t.Fatalf("importing with ASKING: %+v", got)
	}
	q.Keys = keys("foo", "{foo}x")
	if got := st.Route(a, &q); got.Error() != "TRYAGAIN Multiple keys request during rehashing of slot" {
		t.Fatalf("tryagain: %q", got.Error())
	}
	// Another node not involved in the migration still says MOVED to c.
	if got := st.Route(b, &Request{Keys: keys("foo"), StateOK: true}); got.Error() != "MOVED 12182 127.0.0.1:7002" {
		t.Fatalf("uninvolved node: %q", got.Error())
	}
	mustApply(t, f, Op{Kind: OpDelSlots, Node: a, Slots: []int{15495}})
	if got := f.Current().Route(a, &Request{Keys: keys("a"), StateOK: true}); got.Error() != "CLUSTERDOWN Hash slot not served" {
		t.Fatalf("unbound: %q", got.Error())
	}
	// READONLY on a replica of the owner serves reads.
	rep := strings.Repeat("e", 40)
	mustApply(t, f, Op{Kind: OpAddNode, Info: &Node{ID: rep, IP: "127.0.0.1", Port: 7005}})
	mustApply(t, f, Op{Kind: OpReplicate, Node: rep, Target: c})
	st = f.Current()
	rq := Request{Keys: keys("foo"), StateOK: true, ReadOnly: true}
	if got := st.Route(rep, &rq); got.Verdict != Serve {
		t.Fatalf("readonly replica read: %+v", got)
	}
	rq.Write = true
	if got := st.Route(rep, &rq); got.Verdict != Moved {
		t.Fatalf("readonly replica write: %+v", got)
	}
}
