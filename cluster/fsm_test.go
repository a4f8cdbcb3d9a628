package cluster

import (
	"strings"
	"testing"
)

func apply(t *testing.T, f *FSM, op Op) Result {
	t.Helper()
	return f.Apply(op.Encode()).(Result)
}

func mustApply(t *testing.T, f *FSM, op Op) {
	t.Helper()
	if r := apply(t, f, op); r.Err != "" {
		t.Fatalf("%s: %s", op.Kind, r.Err)
	}
}

func threeNodes(t *testing.T) (*FSM, [3]string) {
	f := NewFSM()
	ids := [3]string{strings.Repeat("a", 40), strings.Repeat("b", 40), strings.Repeat("c", 40)}
	for i, id := range ids {
		mustApply(t, f, Op{Kind: OpAddNode, Info: &Node{ID: id, IP: "127.0.0.1", Port: 7000 + i, BusPort: 17000 + i}})
	}
	mustApply(t, f, Op{Kind: OpAddSlots, Node: ids[0], Slots: rangeSlots(0, 5460)})
	mustApply(t, f, Op{Kind: OpAddSlots, Node: ids[1], Slots: rangeSlots(5461, 10922)})
	mustApply(t, f, Op{Kind: OpAddSlots, Node: ids[2], Slots: rangeSlots(10923, 16383)})
	return f, ids
}

func rangeSlots(a, b int) []int {
	var s []int
	for i := a; i <= b; i++ {
		s = append(s, i)
	}
	return s
}

func TestFSMSlots(t *testing.T) {
	f, ids := threeNodes(t)
	st := f.Current()
	if st.Assigned != Slots || st.Size() != 3 {
		t.Fatalf("assigned %d size %d", st.Assigned, st.Size())
	}
	if r := apply(t, f, Op{Kind: OpAddSlots, Node: ids[1], Slots: []int{7}}); r.Err != "ERR Slot 7 is already busy" {
		t.Fatalf("busy: %q", r.Err)
	}
	mustApply(t, f, Op{Kind: OpDelSlots, Node: ids[1], Slots: []int{7, 8}})
	if r := apply(t, f, Op{Kind: OpDelSlots, Node: ids[1], Slots: []int{7}}); r.Err != "ERR Slot 7 is already unassigned" {
		t.Fatalf("unassigned: %q", r.Err)
	}
	if got := f.Current().Assigned; got != Slots-2 {
		t.Fatalf("assigned after delslots = %d", got)
	}
	mustApply(t, f, Op{Kind: OpFlushSlots, Node: ids[2]})
	if got := f.Current().SlotCount(ids[2]); got != 0 {
		t.Fatalf("flushslots left %d", got)
	}
	// The published view did not change under an earlier reader.
	if st.Assigned != Slots || st.Owner[7] != ids[0] {
		t.Fatal("an earlier view was modified")
	}
}

func TestFSMSetSlotMigration(t *testing.T) {
	f, ids := threeNodes(t)
	a, b := ids[0], ids[1]
	if r := apply(t, f, Op{Kind: OpSetSlot, Node: b, Slot: 100, Action: SetSlotMigrating, Target: a}); r.Err != "ERR I'm not the owner of hash slot 100" {
		t.Fatalf("migrating not owner: %q", r.Err)
	}
	if r := apply(t, f, Op{Kind: OpSetSlot, Node: a, Slot: 100, Action: SetSlotImporting, Target: b}); r.Err != "ERR I'm already the owner of hash slot 100" {
		t.Fatalf("importing owner: %q", r.Err)
	}
	mustApply(t, f, Op{Kind: OpSetSlot, Node: b, Slot: 100, Action: SetSlotImporting, Target: a})
	mustApply(t, f, Op{Kind: OpSetSlot, Node: a, Slot: 100, Action: SetSlotMigrating, Target: b})
	st := f.Current()
	if st.Nodes[a].Migrating[100] != b || st.Nodes[b].Importing[100] != a {
		t.Fatalf("marks not set: %+v %+v", st.Nodes[a], st.Nodes[b])
	}
	if line := st.NodeLine(st.Nodes[a], a, 0); !strings.HasSuffix(line, "[100->-"+b+"]") {
		t.Fatalf("nodes line: %s", line)
	}
	mustApply(t, f, Op{Kind: OpSetSlot, Node: a, Slot: 100, Action: SetSlotNode, Target: b})
	st = f.Current()
	if st.Owner[100] != b || len(st.Nodes[a].Migrating) != 0 || len(st.Nodes[b].Importing) != 0 {
		t.Fatalf("after NODE: owner %s marks %v %v", st.Owner[100], st.Nodes[a].Migrating, st.Nodes[b].Importing)
	}
	if st.Nodes[b].ConfigEpoch == 0 {
		t.Fatal("importing node's epoch not bumped")
	}
	if r := apply(t, f, Op{Kind: OpSetSlot, Node: a, Slot: 1, Action: SetSlotNode, Target: strings.Repeat("d", 40)}); !strings.HasPrefix(r.Err, "ERR Unknown node") {
		t.Fatalf("unknown node: %q", r.Err)
	}
}

func TestFSMReplicateAndForget(t *testing.T) {
	f, ids := threeNodes(t)
	r := strings.Repeat("e", 40)
	mustApply(t, f, Op{Kind: OpAddNode, Info: &Node{ID: r, IP: "127.0.0.1", Port: 7005, BusPort: 17005}})
	if res := apply(t, f, Op{Kind: OpReplicate, Node: ids[1], Target: ids[0]}); !strings.Contains(res.Err, "must be empty") {
		t.Fatalf("replicate with slots: %q", res.Err)
	}
	mustApply(t, f, Op{Kind: OpReplicate, Node: r, Target: ids[0]})
	st := f.Current()
	if reps := st.Replicas(ids[0]); len(reps) != 1 || reps[0].ID != r || reps[0].ShardID != st.Nodes[ids[0]].ShardID {
		t.Fatalf("replicas: %+v", reps)
	}
	if tab := st.SlotsTable(); len(tab) != 3 || len(tab[0].Nodes) != 2 || tab[0].Nodes[1].ID != r {
		t.Fatalf("slots table: %+v", tab)
	}
	if res := apply(t, f, Op{Kind: OpForget, Node: r, Target: ids[0]}); res.Err != "ERR Can't forget my master!" {
		t.Fatalf("forget master: %q", res.Err)
	}
	mustApply(t, f, Op{Kind: OpForget, Node: ids[1], Target: ids[2]})
	if st := f.Current(); st.Nodes[ids[2]] != nil || st.Assigned != 10923 {
		t.Fatalf("forget: assigned %d", st.Assigned)
	}
}

func TestFSMEpochs(t *testing.T) {
	f := NewFSM()
	a := strings.Repeat("a", 40)
	mustApply(t, f, Op{Kind: OpAddNode, Info: &Node{ID: a}})
	mustApply(t, f, Op{Kind: OpSetConfigEpoch, Node: a, Epoch: 5})
	if r := apply(t, f, Op{Kind: OpSetConfigEpoch, Node: a, Epoch: 6}); r.Err != "ERR Node config epoch is already non-zero" {
		t.Fatalf("second set: %q", r.Err)
	}
	if r := apply(t, f, Op{Kind: OpBumpEpoch, Node: a}); r.Reply != "STILL 5" {
		t.Fatalf("bump: %+v", r)
	}
	b := strings.Repeat("b", 40)
	mustApply(t, f, Op{Kind: OpAddNode, Info: &Node{ID: b, ConfigEpoch: 9}})
	if r := apply(t, f, Op{Kind: OpBumpEpoch, Node: a}); r.Reply != "BUMPED 10" {
		t.Fatalf("bump: %+v", r)
	}
}

func TestFSMSnapshotRoundTrip(t *testing.T) {
	f, ids := threeNodes(t)
	mustApply(t, f, Op{Kind: OpSetSlot, Node: ids[1], Slot: 9, Action: SetSlotImporting, Target: ids[0]})
	snap, err := f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	g := NewFSM()
	changed := 0
	g.OnChange = func(*State) { changed++ }
	if err := g.Restore(snap); err != nil {
		t.Fatal(err)
	}
	a, b := f.Current(), g.Current()
	if a.Owner != b.Owner || a.Assigned != b.Assigned || b.Nodes[ids[1]].Importing[9] != ids[0] || changed != 1 {
		t.Fatal("restored state differs")
	}
	if a.NodesText(ids[0], 1) != b.NodesText(ids[0], 1) {
		t.Fatal("nodes text differs")
	}
	if err := g.Restore([]byte("{")); err == nil {
		t.Fatal("bad snapshot accepted")
	}
	if r := g.Apply([]byte("not json")).(Result); r.Err == "" {
		t.Fatal("bad op accepted")
	}
}

func TestNodesText(t *testing.T) {
	f, ids := threeNodes(t)
	text := f.Current().NodesText(ids[1], 42)
	want := ids[0] + " 127.0.0.1:7000@17000 master - 0 42 0 connected 0-5460\n" +
		ids[1] + " 127.0.0.1:7001@17001 myself,master - 0 0 0 connected 5461-10922\n" +
		ids[2] + " 127.0.0.1:7002@17002 master - 0 42 0 connected 10923-16383\n"
	if text != want {
		t.Fatalf("got\n%s\nwant\n%s", text, want)
	}
}

// FuzzFSM feeds arbitrary log entries and snapshots to the state machine:
// it must answer with an error, never panic, and keep Assigned consistent.
func FuzzFSM(f *testing.F) {
	a := strings.Repeat("a", 40)
	for _, op := range []Op{
		{Kind: OpAddNode, Info: &Node{ID: a, Port: 1}, Slots: []int{1, 2}},
		{Kind: OpAddSlots, Node: a, Slots: []int{0, 16383}},
		{Kind: OpSetSlot, Node: a, Slot: 5, Action: SetSlotMigrating, Target: a},
		{Kind: OpReplicate, Node: a, Target: a},
		{Kind: OpDelSlots, Node: a, Slots: []int{-1}},
	} {
		f.Add(op.Encode(), []byte(`{"nodes":[{"id":"x"}],"slots":[{"start":0,"end":3,"node":"x"}]}`))
	}
	f.Fuzz(func(t *testing.T, entry, snap []byte) {
		m := NewFSM()
		m.Apply((&Op{Kind: OpAddNode, Info: &Node{ID: a}}).Encode())
		m.Apply(entry)
		_ = m.Restore(snap)
		m.Apply(entry)
		st := m.Current()
		n := 0
		for _, o := range st.Owner {
			if o != "" {
				n++
			}
		}
		if n != st.Assigned {
			t.Fatalf("Assigned %d, counted %d", st.Assigned, n)
		}
	})
}

func TestFSMFailover(t *testing.T) {
	f, ids := threeNodes(t)
	rep, rep2 := strings.Repeat("d", 40), strings.Repeat("e", 40)
	for i, id := range []string{rep, rep2} {
		mustApply(t, f, Op{Kind: OpAddNode, Info: &Node{ID: id, IP: "127.0.0.1", Port: 7003 + i, BusPort: 17003 + i}})
		mustApply(t, f, Op{Kind: OpReplicate, Node: id, Target: ids[0]})
	}
	mustApply(t, f, Op{Kind: OpSetSlot, Node: ids[0], Slot: 3, Action: SetSlotMigrating, Target: ids[1]})
	if r := apply(t, f, Op{Kind: OpFailover, Node: ids[0], Target: ids[1]}); r.Err != "ERR You should send CLUSTER FAILOVER to a replica" {
		t.Fatalf("failover of a primary: %q", r.Err)
	}
	if r := apply(t, f, Op{Kind: OpFailover, Node: rep, Target: ids[1]}); r.Err == "" {
		t.Fatal("failover naming another primary than ours was applied")
	}
	before := f.Current()
	mustApply(t, f, Op{Kind: OpFailover, Node: rep, Target: ids[0]})
	st := f.Current()
	if got := st.SlotCount(rep); got != 5461 || st.SlotCount(ids[0]) != 0 || st.Owner[0] != rep || st.Owner[5460] != rep {
		t.Fatalf("new primary owns %d slots, old one %d", got, st.SlotCount(ids[0]))
	}
	if st.SlotCount(ids[1]) != 5462 || st.Assigned != Slots {
		t.Fatalf("other shards changed: %d, assigned %d", st.SlotCount(ids[1]), st.Assigned)
	}
	if st.Node(rep).IsReplica() || st.Node(ids[0]).PrimaryID != rep || st.Node(rep2).PrimaryID != rep {
		t.Fatalf("roles: new %q old %q other replica %q", st.Node(rep).PrimaryID, st.Node(ids[0]).PrimaryID, st.Node(rep2).PrimaryID)
	}
	if e := st.Node(rep).ConfigEpoch; e <= before.MaxEpoch() || e != st.CurrentEpoch || e != st.MaxEpoch() {
		t.Fatalf("epoch %d, was max %d, current %d", e, before.MaxEpoch(), st.CurrentEpoch)
	}
	if st.Node(rep).Migrating[3] != ids[1] || len(st.Node(ids[0]).Migrating) != 0 {
		t.Fatalf("open slot not handed over: %v %v", st.Node(rep).Migrating, st.Node(ids[0]).Migrating)
	}
	// The old primary can fail back.
	mustApply(t, f, Op{Kind: OpFailover, Node: ids[0], Target: rep})
	if st := f.Current(); st.SlotCount(ids[0]) != 5461 || st.Node(rep).PrimaryID != ids[0] || st.Node(rep2).PrimaryID != ids[0] {
		t.Fatalf("failback: %d slots, roles %q %q", st.SlotCount(ids[0]), st.Node(rep).PrimaryID, st.Node(rep2).PrimaryID)
	}
}
