package server

// CLUSTER and the cluster-mode connection commands (READONLY, READWRITE,
// ASKING). Without cluster mode (cluster-enabled no) they fail as
// redis-server's do; in cluster mode, changes to the configuration are
// proposed to the raft group (cluster_node.go) and answered once committed,
// and reads describe the latest applied configuration.

import (
	"encoding/json"
	"errors"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/vireodb/vireo/cluster"
	"github.com/vireodb/vireo/datatypes/keyspace"
)

func init() { familyRegistrars = append(familyRegistrars, registerClusterCommands) }

const (
	errClusterDisabled = "ERR This instance has cluster support disabled"
	errInvalidSlot     = "ERR Invalid or out of range slot"
)

// READONLY / READWRITE / ASKING without cluster mode.
func cmdClusterDisabled(c *Ctx, args [][]byte) { c.Error(errClusterDisabled) }

// clusterOn replies the cluster-disabled error and returns false outside
// cluster mode.
func (c *Ctx) clusterOn() bool {
	if !c.srv.cluster.enabled {
		c.Error(errClusterDisabled)
		return false
	}
	return true
}

// READONLY
func cmdReadOnly(c *Ctx, args [][]byte) {
	if c.clusterOn() {
		c.cluster.readOnly = true
		c.OK()
	}
}

// READWRITE
func cmdReadWrite(c *Ctx, args [][]byte) {
	if c.clusterOn() {
		c.cluster.readOnly = false
		c.OK()
	}
}

// ASKING
func cmdAsking(c *Ctx, args [][]byte) {
	if c.clusterOn() {
		c.cluster.asking = true
		c.OK()
	}
}

// clusterApply proposes op and replies: OK, the op's status reply, or its
// error.
func (c *Ctx) clusterApply(op *cluster.Op) {
	res, err := c.srv.clusterPropose(op)
	switch {
	case err != nil:
		c.Error("CLUSTERDOWN The cluster configuration could not be committed: " + err.Error())
	case res.Err != "":
		c.Error(res.Err)
	case res.Reply != "":
		c.Simple(res.Reply)
	default:
		c.OK()
	}
}

// slotArg is Redis's getSlotOrReply.
func (c *Ctx) slotArg(b []byte) (int, bool) {
	v, ok := parseInt(b)
	if !ok || v < 0 || v >= cluster.Slots {
		c.Error(errInvalidSlot)
		return 0, false
	}
	return int(v), true
}

// CLUSTER INFO
func cmdClusterInfo(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	s := c.srv
	st := s.clusterState()
	state := "fail"
	if s.clusterOK(st) {
		state = "ok"
	}
	var myEpoch uint64
	if me := st.Node(s.cluster.myID); me != nil {
		myEpoch = st.Primary(me).ConfigEpoch
	}
	var b strings.Builder
	line := func(k, v string) { b.WriteString(k + ":" + v + "\r\n") }
	line("cluster_state", state)
	line("cluster_slots_assigned", strconv.Itoa(st.Assigned))
	line("cluster_slots_ok", strconv.Itoa(st.Assigned))
	line("cluster_slots_pfail", "0")
	line("cluster_slots_fail", "0")
	line("cluster_known_nodes", strconv.Itoa(max(len(st.Nodes), 1)))
	line("cluster_size", strconv.Itoa(max(st.Size(), 1)))
	line("cluster_current_epoch", strconv.FormatUint(st.CurrentEpoch, 10))
	line("cluster_my_epoch", strconv.FormatUint(myEpoch, 10))
	line("cluster_stats_messages_sent", "0")
	line("cluster_stats_messages_received", "0")
	line("total_cluster_links_buffer_limit_exceeded", "0")
	c.Verbatim(b.String(), "txt")
}

// CLUSTER MYID
func cmdClusterMyid(c *Ctx, args [][]byte) {
	if c.clusterOn() {
		c.BulkString(c.srv.cluster.myID)
	}
}

// CLUSTER MYSHARDID
func cmdClusterMyshardid(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	shard := c.srv.cluster.myShard
	if me := c.srv.clusterState().Node(c.srv.cluster.myID); me != nil {
		shard = me.ShardID
	}
	c.BulkString(shard)
}

// clusterSelfView is the applied configuration, with this node in it even
// before its own entry is committed (a fresh node's first moments).
func (s *Server) clusterSelfView() *cluster.State {
	st := s.clusterState()
	if st.Node(s.cluster.myID) != nil {
		return st
	}
	st = st.Clone()
	st.Nodes[s.cluster.myID] = &cluster.Node{ID: s.cluster.myID, Port: s.clusterPort(), BusPort: s.clusterBusPort(), ShardID: s.cluster.myShard}
	return st
}

// CLUSTER NODES
func cmdClusterNodes(c *Ctx, args [][]byte) {
	if c.clusterOn() {
		c.Verbatim(c.srv.clusterSelfView().NodesText(c.srv.cluster.myID, time.Now().UnixMilli()), "txt")
	}
}

// replyNodeBrief is one node of a CLUSTER SLOTS entry: ip, port, id and
// the (empty) map of extra endpoints.
func (c *Ctx) replyNodeBrief(n *cluster.Node) {
	c.Array(4)
	c.BulkString(n.IP)
	c.Int(int64(n.Port))
	c.BulkString(n.ID)
	c.Map(0)
}

// CLUSTER SLOTS
func cmdClusterSlots(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	tab := c.srv.clusterState().SlotsTable()
	c.Array(len(tab))
	for _, e := range tab {
		c.Array(2 + len(e.Nodes))
		c.Int(int64(e.Start))
		c.Int(int64(e.End))
		for _, n := range e.Nodes {
			c.replyNodeBrief(n)
		}
	}
}

// CLUSTER SHARDS
func cmdClusterShards(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	s := c.srv
	st := s.clusterSelfView()
	shards := st.Shards()
	c.Array(len(shards))
	for _, sh := range shards {
		c.Map(2)
		c.BulkString("slots")
		c.Array(2 * len(sh.Ranges))
		for _, r := range sh.Ranges {
			c.Int(int64(r.Start))
			c.Int(int64(r.End))
		}
		c.BulkString("nodes")
		c.Array(len(sh.Nodes))
		for _, n := range sh.Nodes {
			c.Map(7)
			c.BulkString("id")
			c.BulkString(n.ID)
			c.BulkString("port")
			c.Int(int64(n.Port))
			c.BulkString("ip")
			c.BulkString(n.IP)
			c.BulkString("endpoint")
			c.BulkString(n.IP)
			c.BulkString("role")
			if n.IsReplica() {
				c.BulkString("replica")
			} else {
				c.BulkString("master")
			}
			c.BulkString("replication-offset")
			var off int64
			if n.ID == s.cluster.myID {
				off = s.repl.backlog.Offset()
			}
			c.Int(off)
			c.BulkString("health")
			c.BulkString("online")
		}
	}
}

// CLUSTER KEYSLOT key
func cmdClusterKeyslot(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	c.Int(int64(cluster.KeySlot(args[2])))
}

// clusterKeysInSlot visits db 0's keys in slot until fn returns false. In
// cluster mode the keyspace places keys by slot (initCluster), so this
// walks the one shard that holds the slot: about 1/vireo-shards of the
// keys, with no per-key index to keep up on the write path.
func (c *Ctx) clusterKeysInSlot(slot int, fn func(key string) bool) {
	db := c.srv.ks.DB(0)
	// In cluster mode keys are placed by slot (initCluster): only the
	// slot's shard can hold them.
	i := c.srv.ks.ShardOfSlot(slot)
	if !c.allLocked {
		db.LockShard(i)
		defer db.UnlockShard(i)
	}
	db.RangeShard(i, c.now, func(k string, _ *keyspace.Entry) bool {
		if cluster.KeySlot(keyBytes(k)) == slot {
			return fn(k)
		}
		return true
	})
}

// CLUSTER COUNTKEYSINSLOT slot
func cmdClusterCountkeysinslot(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	slot, ok := c.intArg(args[2])
	if !ok {
		return
	}
	if slot < 0 || slot >= cluster.Slots {
		c.Error("ERR Invalid slot")
		return
	}
	n := 0
	c.clusterKeysInSlot(int(slot), func(string) bool { n++; return true })
	c.Int(int64(n))
}

// CLUSTER GETKEYSINSLOT slot count
func cmdClusterGetkeysinslot(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	slot, ok := c.intArg(args[2])
	if !ok {
		return
	}
	count, ok := c.intArg(args[3])
	if !ok {
		return
	}
	if slot < 0 || slot >= cluster.Slots || count < 0 {
		c.Error("ERR Invalid slot or number of keys")
		return
	}
	var keys []string
	if count > 0 {
		c.clusterKeysInSlot(int(slot), func(k string) bool {
			keys = append(keys, k)
			return int64(len(keys)) < count
		})
	}
	c.StringArray(keys)
}

// parseSlotArgs reads ADDSLOTS/DELSLOTS' slot list (ranges: pairs) and
// applies Redis's per-slot checks against the current configuration.
func (c *Ctx) parseSlotArgs(args [][]byte, ranges, del bool) ([]int, bool) {
	if ranges && len(args)%2 == 1 {
		c.Error(errArity(c.cmd.Name))
		return nil, false
	}
	var slots []int
	if ranges {
		for i := 0; i < len(args); i += 2 {
			a, ok := c.slotArg(args[i])
			if !ok {
				return nil, false
			}
			b, ok := c.slotArg(args[i+1])
			if !ok {
				return nil, false
			}
			if a > b {
				c.Error("ERR start slot number " + strconv.Itoa(a) + " is greater than end slot number " + strconv.Itoa(b))
				return nil, false
			}
			for s := a; s <= b; s++ {
				slots = append(slots, s)
			}
		}
	} else {
		for _, a := range args {
			s, ok := c.slotArg(a)
			if !ok {
				return nil, false
			}
			slots = append(slots, s)
		}
	}
	st := c.srv.clusterState()
	seen := make(map[int]bool, len(slots))
	for _, s := range slots {
		switch {
		case del && st.Owner[s] == "":
			c.Error("ERR Slot " + strconv.Itoa(s) + " is already unassigned")
			return nil, false
		case !del && st.Owner[s] != "":
			c.Error("ERR Slot " + strconv.Itoa(s) + " is already busy")
			return nil, false
		case seen[s]:
			c.Error("ERR Slot " + strconv.Itoa(s) + " specified multiple times")
			return nil, false
		}
		seen[s] = true
	}
	return slots, true
}

func clusterSlotsCmd(ranges, del bool) func(c *Ctx, args [][]byte) {
	return func(c *Ctx, args [][]byte) {
		if !c.clusterOn() {
			return
		}
		slots, ok := c.parseSlotArgs(args[2:], ranges, del)
		if !ok {
			return
		}
		kind := cluster.OpAddSlots
		if del {
			kind = cluster.OpDelSlots
		}
		c.clusterApply(&cluster.Op{Kind: kind, Node: c.srv.cluster.myID, Slots: slots})
	}
}

// CLUSTER FLUSHSLOTS
func cmdClusterFlushslots(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	if c.srv.ks.DB(0).Size() != 0 {
		c.Error("ERR DB must be empty to perform CLUSTER FLUSHSLOTS.")
		return
	}
	c.clusterApply(&cluster.Op{Kind: cluster.OpFlushSlots, Node: c.srv.cluster.myID})
}

// CLUSTER SETSLOT slot IMPORTING node-id | MIGRATING node-id | NODE node-id | STABLE
func cmdClusterSetslot(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	s := c.srv
	st := s.clusterState()
	if me := st.Node(s.cluster.myID); me != nil && me.IsReplica() {
		c.Error("ERR Please use SETSLOT only with masters.")
		return
	}
	slot, ok := c.slotArg(args[2])
	if !ok {
		return
	}
	op := &cluster.Op{Kind: cluster.OpSetSlot, Node: s.cluster.myID, Slot: slot}
	switch {
	case eq(args[3], "migrating") && len(args) == 5:
		op.Action, op.Target = cluster.SetSlotMigrating, string(args[4])
	case eq(args[3], "importing") && len(args) == 5:
		op.Action, op.Target = cluster.SetSlotImporting, string(args[4])
	case eq(args[3], "stable") && len(args) == 4:
		op.Action = cluster.SetSlotStable
	case eq(args[3], "node") && len(args) == 5:
		op.Action, op.Target = cluster.SetSlotNode, string(args[4])
		if st.Node(op.Target) == nil {
			c.Error("ERR Unknown node " + op.Target)
			return
		}
		if st.Owner[slot] == s.cluster.myID && op.Target != s.cluster.myID {
			n := 0
			c.clusterKeysInSlot(slot, func(string) bool { n++; return false })
			if n != 0 {
				c.Error("ERR Can't assign hashslot " + strconv.Itoa(slot) + " to a different node while I still hold keys for this hash slot.")
				return
			}
		}
	default:
		c.Error("ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP")
		return
	}
	c.clusterApply(op)
}

// CLUSTER REPLICATE node-id
func cmdClusterReplicate(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	s := c.srv
	st := s.clusterState()
	id := string(args[2])
	n := st.Node(id)
	switch {
	case n == nil:
		c.Error("ERR Unknown node " + id)
		return
	case id == s.cluster.myID:
		c.Error("ERR Can't replicate myself")
		return
	case n.IsReplica():
		c.Error("ERR I can only replicate a master, not a replica.")
		return
	}
	if me := st.Node(s.cluster.myID); me == nil || !me.IsReplica() {
		if st.SlotCount(s.cluster.myID) != 0 || s.ks.DB(0).Size() != 0 {
			c.Error("ERR To set a master the node must be empty and without assigned slots.")
			return
		}
	}
	c.clusterApply(&cluster.Op{Kind: cluster.OpReplicate, Node: s.cluster.myID, Target: id})
}

// CLUSTER REPLICAS node-id (and SLAVES)
func cmdClusterReplicas(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	st := c.srv.clusterState()
	id := string(args[2])
	n := st.Node(id)
	if n == nil {
		c.Error("ERR Unknown node " + id)
		return
	}
	if n.IsReplica() {
		c.Error("ERR The specified node is not a master")
		return
	}
	reps := st.Replicas(id)
	c.Array(len(reps))
	now := time.Now().UnixMilli()
	for _, r := range reps {
		c.BulkString(st.NodeLine(r, c.srv.cluster.myID, now))
	}
}

// CLUSTER COUNT-FAILURE-REPORTS node-id: raft has no failure reports.
func cmdClusterCountFailureReports(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	if c.srv.clusterSelfView().Node(string(args[2])) == nil {
		c.Error("ERR Unknown node " + string(args[2]))
		return
	}
	c.Int(0)
}

// CLUSTER FORGET node-id
func cmdClusterForget(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	s := c.srv
	id := string(args[2])
	st := s.clusterSelfView()
	switch n := st.Node(id); {
	case n == nil:
		c.Error("ERR Unknown node " + id)
		return
	case id == s.cluster.myID:
		c.Error("ERR I tried hard but I can't forget myself...")
		return
	case st.Node(s.cluster.myID).PrimaryID == id:
		c.Error("ERR Can't forget my master!")
		return
	}
	c.clusterApply(&cluster.Op{Kind: cluster.OpForget, Node: s.cluster.myID, Target: id})
}

// CLUSTER MEET ip port [cluster-bus-port]
func cmdClusterMeet(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	if len(args) > 5 {
		c.Error(errArity(c.cmd.Name))
		return
	}
	port, ok := parseInt(args[3])
	if !ok {
		c.Error("ERR Invalid TCP base port specified: " + string(args[3]))
		return
	}
	busPort := port + 10000
	if len(args) == 5 {
		if busPort, ok = parseInt(args[4]); !ok {
			c.Error("ERR Invalid TCP bus port specified: " + string(args[4]))
			return
		}
	}
	ip := string(args[2])
	if net.ParseIP(ip) == nil || port <= 0 || port > 65535 || busPort <= 0 || busPort > 65535 {
		c.Error("ERR Invalid node address specified: " + ip + ":" + string(args[3]))
		return
	}
	if len(args) == 4 {
		busPort = 0 // not given: the met node tells us its own
	}
	if err := c.srv.clusterMeet(ip, int(port), int(busPort)); err != nil {
		c.Error(errorReplyText(err))
		return
	}
	c.OK()
}

// errorReplyText is err as an error reply: its text when it already starts
// with an error code (ERR, CLUSTERDOWN ...), else prefixed with ERR.
func errorReplyText(err error) string {
	msg := err.Error()
	if i := strings.IndexByte(msg, ' '); i > 0 && isUpperWord(msg[:i]) {
		return msg
	}
	return "ERR " + msg
}

// isUpperWord reports whether w looks like an error code (ERR, CLUSTERDOWN).
func isUpperWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'A' || w[i] > 'Z' {
			return false
		}
	}
	return w != ""
}

// CLUSTER SET-CONFIG-EPOCH config-epoch
func cmdClusterSetConfigEpoch(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	epoch, ok := c.intArg(args[2])
	if !ok {
		return
	}
	if epoch < 0 {
		c.Error("ERR Invalid config epoch specified: " + strconv.FormatInt(epoch, 10))
		return
	}
	c.clusterApply(&cluster.Op{Kind: cluster.OpSetConfigEpoch, Node: c.srv.cluster.myID, Epoch: uint64(epoch)})
}

// CLUSTER BUMPEPOCH
func cmdClusterBumpepoch(c *Ctx, args [][]byte) {
	if c.clusterOn() {
		c.clusterApply(&cluster.Op{Kind: cluster.OpBumpEpoch, Node: c.srv.cluster.myID})
	}
}

// CLUSTER SAVECONFIG
func cmdClusterSaveconfig(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	c.srv.clusterWriteNodesConf(c.srv.clusterSelfView())
	c.OK()
}

// CLUSTER LINKS: raft connections are not Redis bus links; none to show.
func cmdClusterLinks(c *Ctx, args [][]byte) {
	if c.clusterOn() {
		c.Array(0)
	}
}

// CLUSTER RESET [HARD | SOFT]
func cmdClusterReset(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	hard := false
	if len(args) == 3 {
		switch {
		case eq(args[2], "hard"):
			hard = true
		case eq(args[2], "soft"):
		default:
			c.Error(ErrSyntax)
			return
		}
	} else if len(args) > 3 {
		c.Error(ErrSyntax)
		return
	}
	s := c.srv
	st := s.clusterState()
	if me := st.Node(s.cluster.myID); (me == nil || !me.IsReplica()) && s.ks.DB(0).Size() != 0 {
		c.Error("ERR CLUSTER RESET can't be called with master nodes containing keys")
		return
	}
	if err := s.clusterReset(hard); err != nil {
		c.Error("ERR " + err.Error())
		return
	}
	c.OK()
}

// clusterReset leaves the cluster (the others forget us) and starts over
// as a one-node cluster without slots.
func (s *Server) clusterReset(hard bool) error {
	cn := &s.cluster
	st := s.clusterState()
	if len(st.Nodes) > 1 {
		var other string
		for id := range st.Nodes {
			if id != cn.myID {
				other = id
				break
			}
		}
		res, err := s.clusterPropose(&cluster.Op{Kind: cluster.OpForget, Node: other, Target: cn.myID})
		if err != nil {
			return err
		}
		if res.Err != "" {
			return errors.New(strings.TrimPrefix(res.Err, "ERR "))
		}
		return s.clusterRestartAlone()
	}
	action := ""
	if hard {
		action = "hard"
	}
	res, err := s.clusterPropose(&cluster.Op{Kind: cluster.OpReset, Node: cn.myID, Action: action})
	if err != nil {
		return err
	}
	if res.Err != "" {
		return errors.New(strings.TrimPrefix(res.Err, "ERR "))
	}
	return nil
}

// CLUSTER VIREO-PROPOSE op (internal): a follower's proposal, for the
// leader to commit. TRYAGAIN when this node is not the leader (any more).
func cmdClusterVireoPropose(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	op, err := cluster.DecodeOp(args[2])
	if err != nil {
		c.Error("ERR " + err.Error())
		return
	}
	g := c.srv.cluster.currentGroup()
	if g == nil || !g.IsLeader() {
		c.Error("TRYAGAIN not the cluster configuration leader")
		return
	}
	res, err := c.srv.clusterApplyAsLeader(g, op)
	if err != nil {
		c.Error("TRYAGAIN " + err.Error())
		return
	}
	b, _ := json.Marshal(res)
	c.Bulk(b)
}

// CLUSTER VIREO-JOIN caller-id (internal): MEET's handshake on the met node.
func cmdClusterVireoJoin(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	reply, err := c.srv.clusterJoin(string(args[2]))
	if err != nil {
		c.Error(errorReplyText(err))
		return
	}
	c.BulkString(reply)
}

// CLUSTER VIREO-ADMIT join-request (internal): a node that left its own
// group asks to be added to ours.
func cmdClusterVireoAdmit(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	var jr joinReply
	if err := json.Unmarshal(args[2], &jr); err != nil {
		c.Error("ERR bad join request")
		return
	}
	if err := c.srv.clusterAdmit(&jr); err != nil {
		c.Error(errorReplyText(err))
		return
	}
	c.OK()
}

// CLUSTER HELP
func cmdClusterHelp(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	c.helpReply("CLUSTER", []string{
		"ADDSLOTS <slot> [<slot> ...]",
		"    Assign slots to current node.",
		"ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
		"    Assign slots which are between <start-slot> and <end-slot> to current node.",
		"BUMPEPOCH",
		"    Advance the cluster config epoch.",
		"COUNT-FAILURE-REPORTS <node-id>",
		"    Return number of failure reports for <node-id>.",
		"COUNTKEYSINSLOT <slot>",
		"    Return the number of keys in <slot>.",
		"DELSLOTS <slot> [<slot> ...]",
		"    Delete slots information from current node.",
		"DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
		"    Delete slots information which are between <start-slot> and <end-slot> from current node.",
		"FAILOVER [FORCE|TAKEOVER]",
		"    Promote current replica node to being a master.",
		"FORGET <node-id>",
		"    Remove a node from the cluster.",
		"GETKEYSINSLOT <slot> <count>",
		"    Return key names stored by current node in a slot.",
		"FLUSHSLOTS",
		"    Delete current node own slots information.",
		"INFO",
		"    Return information about the cluster.",
		"KEYSLOT <key>",
		"    Return the hash slot for <key>.",
		"MEET <ip> <port> [<bus-port>]",
		"    Connect nodes into a working cluster.",
		"MYID",
		"    Return the node id.",
		"MYSHARDID",
		"    Return the node's shard id.",
		"NODES",
		"    Return cluster configuration seen by node. Output format:",
		"    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
		"REPLICATE <node-id>",
		"    Configure current node as replica to <node-id>.",
		"RESET [HARD|SOFT]",
		"    Reset current node (default: soft).",
		"SET-CONFIG-EPOCH <epoch>",
		"    Set config epoch of current node.",
		"SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)",
		"    Set slot state.",
		"REPLICAS <node-id>",
		"    Return <node-id> replicas.",
		"SAVECONFIG",
		"    Force saving cluster configuration on disk.",
		"SLOTS",
		"    Return information about slots range mappings. Each range is made of:",
		"    start, end, master and replicas IP addresses, ports and ids",
		"SHARDS",
		"    Return information about slot range mappings and the nodes associated with them.",
		"LINKS",
		"    Return information about all network links between this node and its peers.",
		"    Output format is an array where each array element is a map containing attributes of a link",
	})
}

func registerClusterCommands(t *Table) {
	conn := []string{"connection"}
	adm := FlagAdmin | FlagStale | FlagNoAsyncLoading
	dangerous := []string{"slow", "dangerous"}
	slow := []string{"slow"}
	nondet := []string{"nondeterministic_output"}
	sub := func(name string, arity int, flags Flag, acl, tips []string, since, summary, complexity, usage string, h func(*Ctx, [][]byte)) *Command {
		return &Command{Name: name, Arity: arity, Flags: flags, ACL: acl, Tips: tips, Group: "cluster", Since: since,
			Summary: summary, Complexity: complexity, Usage: usage, Lock: LockNone, Handler: h}
	}
	slaves := sub("slaves", 3, FlagAdmin|FlagStale, dangerous, nondet, "3.0.0", "Lists the replica nodes of a master node.", "O(N) where N is the number of replicas.", "node-id", cmdClusterReplicas)
	slaves.DocFlags, slaves.DeprecatedSince, slaves.ReplacedBy = DocDeprecated, "5.0.0", "`CLUSTER REPLICAS`"
	t.Add(
		&Command{Name: "readonly", Arity: 1, Flags: FlagLoading | FlagStale | FlagFast, ACL: conn, Group: "cluster", Since: "3.0.0",
			Summary: "Enables read-only queries for a connection to a Redis Cluster replica node.", Complexity: "O(1)", Lock: LockNone, Handler: cmdReadOnly},
		&Command{Name: "readwrite", Arity: 1, Flags: FlagLoading | FlagStale | FlagFast, ACL: conn, Group: "cluster", Since: "3.0.0",
			Summary: "Enables read-write queries for a connection to a Redis Cluster replica node.", Complexity: "O(1)", Lock: LockNone, Handler: cmdReadWrite},
		&Command{Name: "asking", Arity: 1, Flags: FlagFast, ACL: conn, Group: "cluster", Since: "3.0.0",
			Summary: "Signals that a cluster client is following an -ASK redirect.", Complexity: "O(1)", Lock: LockNone, Handler: cmdAsking},
		&Command{Name: "cluster", Arity: -2, ACL: slow, Group: "cluster", Since: "3.0.0",
			Summary: "A container for Redis Cluster commands.", Complexity: "Depends on subcommand.", Lock: LockNone,
			Subcommands: Sub(
				sub("addslots", -3, adm, dangerous, nil, "3.0.0", "Assigns new hash slots to a node.", "O(N) where N is the total number of hash slot arguments", "slot [slot ...]", clusterSlotsCmd(false, false)),
				sub("addslotsrange", -4, adm, dangerous, nil, "7.0.0", "Assigns new hash slot ranges to a node.", "O(N) where N is the total number of the slots between the start slot and end slot arguments.", "start-slot end-slot [start-slot end-slot ...]", clusterSlotsCmd(true, false)),
				sub("bumpepoch", 2, adm, dangerous, nondet, "3.0.0", "Advances the cluster config epoch.", "O(1)", "", cmdClusterBumpepoch),
				sub("count-failure-reports", 3, FlagAdmin|FlagStale, dangerous, nondet, "3.0.0", "Returns the number of active failure reports active for a node.", "O(N) where N is the number of failure reports", "node-id", cmdClusterCountFailureReports),
				sub("countkeysinslot", 3, FlagStale, slow, nil, "3.0.0", "Returns the number of keys in a hash slot.", "O(1)", "slot", cmdClusterCountkeysinslot),
				sub("delslots", -3, adm, dangerous, nil, "3.0.0", "Sets hash slots as unbound for a node.", "O(N) where N is the total number of hash slot arguments", "slot [slot ...]", clusterSlotsCmd(false, true)),
				sub("delslotsrange", -4, adm, dangerous, nil, "7.0.0", "Sets hash slot ranges as unbound for a node.", "O(N) where N is the total number of the slots between the start slot and end slot arguments.", "start-slot end-slot [start-slot end-slot ...]", clusterSlotsCmd(true, true)),
				sub("failover", -2, adm, dangerous, nil, "3.0.0", "Forces a replica to perform a manual failover of its master.", "O(1)", "[FORCE | TAKEOVER]", cmdClusterFailover),
				sub("flushslots", 2, adm, dangerous, nil, "3.0.0", "Deletes all slots information from a node.", "O(1)", "", cmdClusterFlushslots),
				sub("forget", 3, adm, dangerous, nil, "3.0.0", "Removes a node from the nodes table.", "O(1)", "node-id", cmdClusterForget),
				sub("getkeysinslot", 4, FlagStale, slow, nondet, "3.0.0", "Returns the key names in a hash slot.", "O(N) where N is the number of requested keys", "slot count", cmdClusterGetkeysinslot),
				sub("help", 2, FlagLoading|FlagStale, slow, nil, "5.0.0", "Returns helpful text about the different subcommands.", "O(1)", "", cmdClusterHelp),
				sub("info", 2, FlagStale, slow, nondet, "3.0.0", "Returns information about the state of a node.", "O(1)", "", cmdClusterInfo),
				sub("keyslot", 3, FlagStale, slow, nil, "3.0.0", "Returns the hash slot for a key.", "O(N) where N is the number of bytes in the key", "key", cmdClusterKeyslot),
				sub("links", 2, FlagStale, slow, nondet, "7.0.0", "Returns a list of all TCP links to and from peer nodes.", "O(N) where N is the total number of Cluster nodes", "", cmdClusterLinks),
				sub("meet", -4, adm, dangerous, nil, "3.0.0", "Forces a node to handshake with another node.", "O(1)", "ip port [cluster-bus-port]", cmdClusterMeet),
				sub("myid", 2, FlagStale, slow, nil, "3.0.0", "Returns the ID of a node.", "O(1)", "", cmdClusterMyid),
				sub("myshardid", 2, FlagStale, slow, nondet, "7.2.0", "Returns the shard ID of a node.", "O(1)", "", cmdClusterMyshardid),
				sub("nodes", 2, FlagStale, slow, nondet, "3.0.0", "Returns the cluster configuration for a node.", "O(N) where N is the total number of Cluster nodes", "", cmdClusterNodes),
				sub("replicas", 3, FlagAdmin|FlagStale, dangerous, nondet, "5.0.0", "Lists the replica nodes of a master node.", "O(N) where N is the number of replicas.", "node-id", cmdClusterReplicas),
				sub("replicate", 3, adm, dangerous, nil, "3.0.0", "Configure a node as replica of a master node.", "O(1)", "node-id", cmdClusterReplicate),
				sub("reset", -2, FlagAdmin|FlagNoScript|FlagStale, dangerous, nil, "3.0.0", "Resets a node.", "O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side effect.", "[HARD | SOFT]", cmdClusterReset),
				sub("saveconfig", 2, adm, dangerous, nil, "3.0.0", "Forces a node to save the cluster configuration to disk.", "O(1)", "", cmdClusterSaveconfig),
				sub("set-config-epoch", 3, adm, dangerous, nil, "3.0.0", "Sets the configuration epoch for a new node.", "O(1)", "config-epoch", cmdClusterSetConfigEpoch),
				sub("setslot", -4, adm, dangerous, nil, "3.0.0", "Binds a hash slot to a node.", "O(1)", "slot <IMPORTING node-id | MIGRATING node-id | NODE node-id | STABLE>", cmdClusterSetslot),
				sub("shards", 2, FlagStale, slow, nondet, "7.0.0", "Returns the mapping of cluster slots to shards.", "O(N) where N is the total number of cluster nodes", "", cmdClusterShards),
				slaves,
				sub("slots", 2, FlagStale, slow, nondet, "3.0.0", "Returns the mapping of cluster slots to nodes.", "O(N) where N is the total number of Cluster nodes", "", cmdClusterSlots),
				// Vireo's own, between nodes: a follower's proposal for the
				// raft leader, and MEET's handshake.
				sub("vireo-propose", 3, adm, dangerous, nil, "7.2.0", "Commits a cluster configuration change on the raft leader (internal).", "O(1)", "op", cmdClusterVireoPropose),
				sub("vireo-admit", 3, adm, dangerous, nil, "7.2.0", "Adds a node that left its own cluster to join this one (internal).", "O(1)", "join-request", cmdClusterVireoAdmit),
				sub("vireo-publish", 4, FlagPubSub|FlagLoading|FlagStale|FlagFast, []string{"pubsub", "fast"}, nil, "7.2.0", "Delivers a message published on another node to this node's subscribers (internal).", "O(N+M)", "channel message", cmdClusterVireoPublish),
				sub("vireo-mfstart", 3, adm, dangerous, nil, "7.2.0", "Pauses writes for a replica's manual failover and returns the replication offset (internal).", "O(1)", "replica-id", cmdClusterVireoMFStart),
				sub("vireo-mfabort", 3, adm, dangerous, nil, "7.2.0", "Resumes writes after a replica gave up its manual failover (internal).", "O(1)", "replica-id", cmdClusterVireoMFAbort),
				sub("vireo-join", 3, adm, dangerous, nil, "7.2.0", "Makes an empty node leave its own cluster to join the caller's (internal).", "O(1)", "caller-id", cmdClusterVireoJoin),
			)},
	)
}
