package failover

import (
	"errors"
	"reflect"
	"testing"
)

var threeMembers = []Member{
	{ID: "a", Addr: "127.0.0.1:7001", RaftAddr: "127.0.0.1:17001"},
	{ID: "b", Addr: "127.0.0.1:7002", RaftAddr: "127.0.0.1:17002"},
	{ID: "c", Addr: "127.0.0.1:7003", RaftAddr: "127.0.0.1:17003"},
}

func applyErr(t *testing.T, f *FSM, c Command) error {
	t.Helper()
	r := f.Apply(c.Encode())
	if r == nil {
		return nil
	}
	err, ok := r.(error)
	if !ok {
		t.Fatalf("Apply returned %T %v, want nil or an error", r, r)
	}
	return err
}

func TestFSMInitOnce(t *testing.T) {
	f := NewFSM()
	if f.State().Initialized() || f.IsPrimary("a") {
		t.Fatal("a new FSM is initialized")
	}
	if err := applyErr(t, f, Command{Op: OpInit, Members: threeMembers, Primary: "a"}); err != nil {
		t.Fatal(err)
	}
	st := f.State()
	if st.Primary != "a" || st.Epoch != 1 || !reflect.DeepEqual(st.Members, threeMembers) {
		t.Fatalf("state after init: %+v", st)
	}
	if !f.IsPrimary("a") || f.IsPrimary("b") {
		t.Fatal("IsPrimary disagrees with the state")
	}
	// A second init (another member's proposal) changes nothing.
	err := applyErr(t, f, Command{Op: OpInit, Members: threeMembers[1:], Primary: "b"})
	if !errors.Is(err, ErrAlreadyInitialized) {
		t.Fatalf("second init: %v", err)
	}
	if f.State().Primary != "a" {
		t.Fatal("second init changed the primary")
	}
}

func TestFSMPromoteNeedsNextEpoch(t *testing.T) {
	f := NewFSM()
	if err := applyErr(t, f, Command{Op: OpPromote, Primary: "b", Epoch: 2}); !errors.Is(err, ErrNotInitialized) {
		t.Fatalf("promote before init: %v", err)
	}
	applyErr(t, f, Command{Op: OpInit, Members: threeMembers, Primary: "a"})
	if err := applyErr(t, f, Command{Op: OpPromote, Primary: "zz", Epoch: 2}); !errors.Is(err, ErrNotMember) {
		t.Fatalf("promote of a stranger: %v", err)
	}
	if err := applyErr(t, f, Command{Op: OpPromote, Primary: "b", Epoch: 3}); !errors.Is(err, ErrStaleEpoch) {
		t.Fatalf("promote skipping an epoch: %v", err)
	}
	if err := applyErr(t, f, Command{Op: OpPromote, Primary: "b", Epoch: 2}); err != nil {
		t.Fatal(err)
	}
	// The same decision committed twice (two leaders, one view) is refused.
	if err := applyErr(t, f, Command{Op: OpPromote, Primary: "c", Epoch: 2}); !errors.Is(err, ErrStaleEpoch) {
		t.Fatalf("second promote at the same epoch: %v", err)
	}
	if st := f.State(); st.Primary != "b" || st.Epoch != 2 {
		t.Fatalf("state: %+v", st)
	}
}

func TestFSMRejectsGarbage(t *testing.T) {
	f := NewFSM()
	for _, in := range []string{"", "{", `{"op":"explode"}`, `[1,2]`} {
		if r := f.Apply([]byte(in)); r == nil {
			t.Errorf("Apply(%q) accepted", in)
		}
	}
	if err := f.Restore([]byte("nope")); err == nil {
		t.Error("Restore accepted garbage")
	}
}

func TestFSMSnapshotRestore(t *testing.T) {
	f := NewFSM()
	applyErr(t, f, Command{Op: OpInit, Members: threeMembers, Primary: "a"})
	applyErr(t, f, Command{Op: OpPromote, Primary: "c", Epoch: 2})
	snap, err := f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	g := NewFSM()
	if err := g.Restore(snap); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g.State(), f.State()) || !g.IsPrimary("c") {
		t.Fatalf("restored %+v, want %+v", g.State(), f.State())
	}
	select {
	case <-g.Changes():
	default:
		t.Fatal("Restore did not report a change")
	}
}

func FuzzFSMApply(f *testing.F) {
	f.Add([]byte(`{"op":"init","members":[{"id":"a","addr":"h:1","raft":"h:2"}],"primary":"a"}`), []byte(`{"op":"promote","primary":"a","epoch":2}`))
	f.Add([]byte(`{"op":"promote","primary":"b","epoch":2}`), []byte(`{"members":null}`))
	f.Add([]byte(`{"op":"init","members":[],"primary":""}`), []byte(`{`))
	f.Fuzz(func(t *testing.T, first, second []byte) {
		fsm := NewFSM()
		fsm.Apply(Command{Op: OpInit, Members: threeMembers, Primary: "a"}.Encode())
		for _, in := range [][]byte{first, second} {
			before := fsm.State()
			r := fsm.Apply(in)
			after := fsm.State()
			if r != nil && !reflect.DeepEqual(before, after) {
				t.Fatalf("a refused command %q changed the state: %+v -> %+v", in, before, after)
			}
			if _, ok := after.PrimaryMember(); !ok || after.Epoch < before.Epoch {
				t.Fatalf("command %q left %+v", in, after)
			}
		}
		// Restore never panics, and what it accepts snapshots back.
		other := NewFSM()
		if other.Restore(first) == nil {
			if _, err := other.Snapshot(); err != nil {
				t.Fatal(err)
			}
		}
	})
}
