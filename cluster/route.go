package cluster

import "strconv"

// Verdict is the outcome of the redirection check.
type Verdict uint8

const (
	Serve        Verdict = iota // run the command here
	Moved                       // -MOVED slot ip:port
	Ask                         // -ASK slot ip:port
	CrossSlot                   // keys in different slots
	TryAgain                    // multi-key request on a slot being migrated
	DownUnbound                 // a key's slot has no owner
	Down                        // the cluster is down
	DownReadOnly                // down, but reads allowed: this is a write
)

// Request is what the dispatcher knows about a command (or a whole EXEC)
// when it asks where it must run.
type Request struct {
	// Keys are the command's keys (for EXEC, every queued command's).
	Keys [][]byte
	// Write: the command (or one queued command) may write.
	Write bool
	// Asking: the client sent ASKING, or the command is allowed on an
	// importing slot without it (RESTORE-ASKING).
	Asking bool
	// ReadOnly: the client sent READONLY (reads from replicas).
	ReadOnly bool
	// Migrate: the command is MIGRATE, which always runs on the source.
	Migrate bool
	// StateOK: the cluster is up (full coverage, or not required).
	StateOK bool
	// ReadsWhenDown is cluster-allow-reads-when-down.
	ReadsWhenDown bool
	// Exists reports whether a key is present here; it is only called for
	// slots being migrated or imported.
	Exists func(key []byte) bool
}

// Redirect is a verdict with the slot and the node it points to.
type Redirect struct {
	Verdict Verdict
	Slot    int
	Node    *Node
}

// Route is Redis's getNodeByQuery: where the request in r must run, seen
// from node me.
func (st *State) Route(me string, r *Request) Redirect {
	if len(r.Keys) == 0 {
		return Redirect{Verdict: Serve}
	}
	slot := KeySlot(r.Keys[0])
	ownerID := st.Owner[slot]
	if ownerID == "" {
		return Redirect{Verdict: DownUnbound, Slot: slot}
	}
	for _, k := range r.Keys[1:] {
		if KeySlot(k) != slot {
			return Redirect{Verdict: CrossSlot, Slot: slot}
		}
	}
	// The common case, without a map lookup: our slot, no slot moving.
	if ownerID == me && st.openSlots == 0 && r.StateOK {
		return Redirect{Verdict: Serve, Slot: slot}
	}
	self := st.Nodes[me]
	owner := st.Nodes[ownerID]
	if owner == nil {
		return Redirect{Verdict: DownUnbound, Slot: slot}
	}
	var migratingTo, importingFrom string
	if self != nil {
		if owner.ID == me {
			migratingTo = self.Migrating[slot]
		} else {
			importingFrom = self.Importing[slot]
		}
	}
	missing := 0
	if (migratingTo != "" || importingFrom != "") && r.Exists != nil {
		for _, k := range r.Keys {
			if !r.Exists(k) {
				missing++
			}
		}
	}
	if !r.StateOK {
		if !r.ReadsWhenDown {
			return Redirect{Verdict: Down, Slot: slot}
		}
		if r.Write {
			return Redirect{Verdict: DownReadOnly, Slot: slot}
		}
	}
	if (migratingTo != "" || importingFrom != "") && r.Migrate {
		return Redirect{Verdict: Serve, Slot: slot}
	}
	if migratingTo != "" && missing > 0 {
		if t := st.Nodes[migratingTo]; t != nil {
			return Redirect{Verdict: Ask, Slot: slot, Node: t}
		}
	}
	if importingFrom != "" && r.Asking {
		if len(r.Keys) > 1 && missing > 0 {
			return Redirect{Verdict: TryAgain, Slot: slot}
		}
		return Redirect{Verdict: Serve, Slot: slot}
	}
	if r.ReadOnly && !r.Write && self != nil && self.PrimaryID == owner.ID {
		return Redirect{Verdict: Serve, Slot: slot}
	}
	if owner.ID != me {
		return Redirect{Verdict: Moved, Slot: slot, Node: owner}
	}
	return Redirect{Verdict: Serve, Slot: slot}
}

// Error is the error reply for a verdict other than Serve.
func (r Redirect) Error() string {
	switch r.Verdict {
	case Moved:
		return "MOVED " + strconv.Itoa(r.Slot) + " " + r.Node.Addr()
	case Ask:
		return "ASK " + strconv.Itoa(r.Slot) + " " + r.Node.Addr()
	case CrossSlot:
		return "CROSSSLOT Keys in request don't hash to the same slot"
	case TryAgain:
		return "TRYAGAIN Multiple keys request during rehashing of slot"
	case DownUnbound:
		return "CLUSTERDOWN Hash slot not served"
	case Down:
		return "CLUSTERDOWN The cluster is down"
	case DownReadOnly:
		return "CLUSTERDOWN The cluster is down and only accepts read commands"
	}
	return ""
}
