package server

// Cluster mode's runtime: this node's identity, its raft member holding the
// cluster configuration (cluster/ is the state machine), proposals (applied
// here on the leader, forwarded to the leader's client port from a
// follower), MEET's join handshake, and the reactions to an applied change
// (replicating the primary CLUSTER REPLICATE named, rewriting nodes.conf).
//
// A fresh node bootstraps a one-member raft group and adds itself to it.
// CLUSTER MEET ip port on node A asks B (through B's client port, CLUSTER
// VIREO-JOIN) to leave its own one-member group: B, which must be alone and
// hold no keys, closes its group, wipes its raft state and reopens it empty,
// then answers with its ID and the slots it had claimed. A then proposes
// B's addition: the leader adds B as a voter and commits B's node entry with
// those slots. From then on B learns everything from the leader's log. When
// B is not alone but A is (redis-cli --cluster create has every node meet
// the first one), the roles swap: A leaves its group and asks B (CLUSTER
// VIREO-ADMIT) to have it added. A node that is forgotten (CLUSTER FORGET
// elsewhere, CLUSTER RESET) starts over as a one-node cluster.
//
// State files: <cluster-config-file>.raft/ holds the raft log, snapshots and
// node-id (the ID survives wiping the raft state for a join);
// <cluster-config-file> is rewritten in Redis's nodes.conf format after each
// change, for humans and tools only: it is never read back.

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vireodb/vireo/cluster"
	"github.com/vireodb/vireo/replication"
	"github.com/vireodb/vireo/replication/raftgroup"
)

const (
	clusterProposeTimeout = 5 * time.Second
	clusterDialTimeout    = 2 * time.Second
	// clusterJoinTimeout is how long a node that left its group for a MEET
	// waits to be added before it starts over alone.
	clusterJoinTimeout = 20 * time.Second
)

// clusterNode is the server's cluster-mode state. enabled is fixed at
// start; the rest is only used when it is set.
type clusterNode struct {
	enabled bool

	fsm      *cluster.FSM
	myID     string
	myShard  string
	confPath string // nodes.conf
	raftDir  string
	busPort  int
	bindHost string // where the raft transport listens
	advHost  string // what peers dial for it

	mu    sync.Mutex // guards group (swapped by a join)
	group *raftgroup.Group

	// changed wakes the reconciler after an applied change.
	changed chan struct{}
	// replicatingID is the primary the reconciler made us replicate ("":
	// none), so that only its own REPLICAOFs are undone.
	replicatingID atomic.Pointer[string]
	stop          chan struct{}
	wg            sync.WaitGroup

	peers clusterPeers // PUBLISH broadcast links (cluster_pubsub.go)

	failover clusterFailoverState // CLUSTER FAILOVER (cluster_failover.go)

	// wasMember: the configuration had us in it since we last started
	// over; losing our entry then means we were forgotten.
	wasMember atomic.Bool
	soloMu    sync.Mutex // serialises starting over alone

	// cluster-require-full-coverage and cluster-allow-reads-when-down,
	// read by every command's redirection check.
	requireFullCoverage, readsWhenDown atomic.Bool
}

// clusterConn is a connection's cluster-mode flags (ASKING, READONLY).
type clusterConn struct {
	asking   bool // the next command may run on an importing slot
	readOnly bool // reads may be served by a replica of the slot's owner
}

func (s *Server) initCluster() {
	st := s.cfg.Snapshot()
	cn := &s.cluster
	cn.enabled = st.ClusterEnabled
	if !cn.enabled {
		return
	}
	// A slot's keys share a shard, so a slot is listed by walking one
	// shard. New runs before any data is loaded, so this cannot fail.
	if err := s.ks.SetSlotFunc(cluster.KeySlot); err != nil {
		panic(err)
	}
	cn.confPath = st.ClusterConfigFile
	if !filepath.IsAbs(cn.confPath) && s.opts.Dir != "" {
		cn.confPath = filepath.Join(s.opts.Dir, cn.confPath)
	}
	cn.raftDir = cn.confPath + ".raft"
	cn.busPort = st.ClusterPort
	if cn.busPort == 0 {
		cn.busPort = s.opts.Port + 10000
	}
	cn.bindHost, cn.advHost = "0.0.0.0", "127.0.0.1"
	for _, b := range s.opts.Bind {
		b = strings.TrimPrefix(b, "-")
		if b != "*" && b != "::*" {
			cn.bindHost, cn.advHost = b, b
			break
		}
	}
	if st.ClusterAnnounceIP != "" {
		cn.advHost = st.ClusterAnnounceIP
	}
	load := func() {
		st := s.cfg.Snapshot()
		cn.requireFullCoverage.Store(st.ClusterRequireFullCoverage)
		cn.readsWhenDown.Store(st.ClusterAllowReadsWhenDown)
	}
	load()
	s.cfg.OnAnyChange(load, "cluster-require-full-coverage", "cluster-allow-reads-when-down")
	cn.changed = make(chan struct{}, 1)
	cn.stop = make(chan struct{})
	cn.fsm = cluster.NewFSM()
	cn.fsm.OnChange = func(*cluster.State) {
		select {
		case cn.changed <- struct{}{}:
		default:
		}
	}
}

// startCluster opens the raft member (bootstrapping a one-node cluster on
// first start) and makes sure this node is in the configuration.
func (s *Server) startCluster() error {
	cn := &s.cluster
	if !cn.enabled {
		return nil
	}
	if s.opts.Port > 65535-10000 && s.cfg.Snapshot().ClusterPort == 0 {
		return errors.New("server: Redis port number too high. Cluster communication port is 10,000 port numbers higher than your Redis port. Your Redis port number must be 55535 or less")
	}
	if err := os.MkdirAll(cn.raftDir, 0o755); err != nil {
		return fmt.Errorf("server: cluster state dir: %w", err)
	}
	id, shard, err := loadOrCreateNodeID(cn.raftDir)
	if err != nil {
		return err
	}
	cn.myID, cn.myShard = id, shard
	if err := s.openClusterGroup(true); err != nil {
		return err
	}
	cn.wg.Add(1)
	go s.clusterReconciler()
	// A one-node group elects itself in well under a second: wait for our
	// own entry so that the first CLUSTER command finds us. A member of a
	// bigger group waits for its leader in the background instead.
	if s.clusterAlone() {
		deadline := time.Now().Add(5 * time.Second)
		for s.clusterState().Node(cn.myID) == nil && time.Now().Before(deadline) {
			info := &cluster.Node{ID: cn.myID, Port: s.clusterPort(), BusPort: s.clusterBusPort(), ShardID: cn.myShard}
			if g := cn.currentGroup(); g != nil && g.IsLeader() {
				s.clusterApplyAsLeader(g, &cluster.Op{Kind: cluster.OpAddNode, Node: cn.myID, Info: info})
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// Make sure we are in the configuration with our current ports; on a
	// restart of a member of a bigger group the leader's log brings it.
	cn.wg.Add(1)
	go func() {
		defer cn.wg.Done()
		s.clusterEnsureSelf()
	}()
	return nil
}

// clusterEnsureSelf proposes this node's entry until the configuration has
// it with our addresses: a fresh one-node group adds us, a restarted node
// may have new ports. A node missing from a configuration that has others
// is never re-added here: it was forgotten, or the log is still replaying.
func (s *Server) clusterEnsureSelf() {
	cn := &s.cluster
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		st := cn.fsm.Current()
		me := st.Node(cn.myID)
		if me != nil && me.Port == s.clusterPort() && me.BusPort == s.clusterBusPort() {
			return
		}
		if me != nil || (len(st.Nodes) == 0 && s.clusterAlone()) {
			// Only the ports: the IP is learned from peers (MEET), as
			// Redis does.
			info := &cluster.Node{ID: cn.myID, Port: s.clusterPort(), BusPort: s.clusterBusPort(), ShardID: cn.myShard}
			s.clusterPropose(&cluster.Op{Kind: cluster.OpAddNode, Node: cn.myID, Info: info})
		}
		select {
		case <-cn.stop:
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// clusterBusPort is the bus port this node announces.
func (s *Server) clusterBusPort() int {
	if p := s.cfg.Snapshot().ClusterAnnounceBusPort; p != 0 {
		return p
	}
	return s.cluster.busPort
}

// clusterPort is the client port this node announces.
func (s *Server) clusterPort() int {
	if p := s.cfg.Snapshot().ClusterAnnouncePort; p != 0 {
		return p
	}
	return s.opts.Port
}

func (s *Server) openClusterGroup(bootstrap bool) error {
	cn := &s.cluster
	adv := net.JoinHostPort(cn.advHost, strconv.Itoa(s.clusterBusPort()))
	cfg := raftgroup.Config{
		NodeID:        cn.myID,
		BindAddr:      net.JoinHostPort(cn.bindHost, strconv.Itoa(cn.busPort)),
		AdvertiseAddr: adv,
		Dir:           cn.raftDir,
		Logger:        slog.Default(),
	}
	if bootstrap {
		cfg.Bootstrap = []raftgroup.Server{{ID: cn.myID, Addr: adv}}
	}
	var g *raftgroup.Group
	var err error
	// The bus port may still be held for a moment after a close (join).
	for try := 0; try < 20; try++ {
		if g, err = raftgroup.Open(cfg, cn.fsm); err == nil || !strings.Contains(err.Error(), "in use") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("server: cluster bus: %w", err)
	}
	if cn.busPort == 0 { // cluster-port 0 in tests: the port picked
		_, p, _ := net.SplitHostPort(g.Addr())
		cn.busPort, _ = strconv.Atoi(p)
	}
	cn.mu.Lock()
	cn.group = g
	cn.mu.Unlock()
	return nil
}

func (cn *clusterNode) currentGroup() *raftgroup.Group {
	cn.mu.Lock()
	defer cn.mu.Unlock()
	return cn.group
}

func (s *Server) stopCluster() {
	cn := &s.cluster
	if !cn.enabled || cn.stop == nil {
		return
	}
	select {
	case <-cn.stop:
		return
	default:
	}
	close(cn.stop)
	cn.wg.Wait()
	if g := cn.currentGroup(); g != nil {
		g.Close()
	}
}

// loadOrCreateNodeID reads the node and shard IDs kept in dir, creating
// them on first start.
func loadOrCreateNodeID(dir string) (id, shard string, err error) {
	path := filepath.Join(dir, "node-id")
	if b, err := os.ReadFile(path); err == nil {
		f := strings.Fields(string(b))
		if len(f) == 2 && cluster.ValidNodeID(f[0]) && cluster.ValidNodeID(f[1]) {
			return f[0], f[1], nil
		}
		return "", "", fmt.Errorf("server: corrupt %s", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", "", fmt.Errorf("server: %w", err)
	}
	id, shard = cluster.NewNodeID(), cluster.NewNodeID()
	if err := writeClusterFile(path, []byte(id+" "+shard+"\n")); err != nil {
		return "", "", err
	}
	return id, shard, nil
}

func writeClusterFile(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("server: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("server: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("server: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("server: %w", err)
	}
	return nil
}

// clusterState is the latest applied configuration.
func (s *Server) clusterState() *cluster.State { return s.cluster.fsm.Current() }

// clusterLeaderAddr is the client address of the raft leader, "" when no
// leader (or no address for it) is known.
func (s *Server) clusterLeaderAddr() string {
	g := s.cluster.currentGroup()
	if g == nil {
		return ""
	}
	id, _ := g.Leader()
	if id == "" || id == s.cluster.myID {
		return ""
	}
	n := s.clusterState().Node(id)
	if n == nil || n.Port == 0 {
		return ""
	}
	ip := n.IP
	if ip == "" {
		ip = "127.0.0.1"
	}
	return net.JoinHostPort(ip, strconv.Itoa(n.Port))
}

// errNoLeader: no raft leader could take a proposal in time.
var errNoLeader = errors.New("server: cluster: no leader reachable")

// clusterPropose commits op through the leader: applied here when we are
// the leader, else sent to the leader's client port. It retries while
// leadership moves, up to clusterProposeTimeout.
func (s *Server) clusterPropose(op *cluster.Op) (cluster.Result, error) {
	deadline := time.Now().Add(clusterProposeTimeout)
	var lastErr error = errNoLeader
	for time.Now().Before(deadline) {
		g := s.cluster.currentGroup()
		if g != nil && g.IsLeader() {
			res, err := s.clusterApplyAsLeader(g, op)
			if err == nil {
				return res, nil
			}
			lastErr = err
		} else if addr := s.clusterLeaderAddr(); addr != "" {
			res, err := s.clusterForward(addr, op)
			if err == nil {
				s.clusterAwaitApplied(res.Applied)
				return res, nil
			}
			lastErr = err
		}
		select {
		case <-s.cluster.stop:
			return cluster.Result{}, lastErr
		case <-time.After(50 * time.Millisecond):
		}
	}
	return cluster.Result{}, lastErr
}

// clusterApplyAsLeader commits op on the leader. A join (add-node with
// Target "join") first makes the new node a voter.
func (s *Server) clusterApplyAsLeader(g *raftgroup.Group, op *cluster.Op) (cluster.Result, error) {
	if op.Kind == cluster.OpAddNode && op.Target == "join" && op.Info != nil {
		n := op.Info
		// A voter that cannot be reached would cost the group its quorum
		// (the new configuration counts it at once): check the bus first.
		conn, err := net.DialTimeout("tcp", n.RaftAddr(), clusterDialTimeout)
		if err != nil {
			return cluster.Result{Err: "ERR Cannot reach the node's cluster bus at " + n.RaftAddr()}, nil
		}
		conn.Close()
		if err := g.AddVoter(n.ID, n.RaftAddr(), clusterProposeTimeout); err != nil {
			return cluster.Result{}, err
		}
	}
	if op.Kind == cluster.OpAddNode && op.Target != "join" && op.Info != nil && op.Info.IP != "" {
		// A node learned its IP (its first MEET): its raft address was a
		// guess from its bind address, correct it so that any future
		// leader dials the right one.
		s.clusterUpdateRaftAddr(g, op.Info)
	}
	v, err := g.Apply(op.Encode(), clusterProposeTimeout)
	if err != nil {
		return cluster.Result{}, err
	}
	res, _ := v.(cluster.Result)
	// A forgotten node leaves the raft group after the entry that forgets
	// it, so that it still receives that entry and starts over alone. The
	// leader may be removing itself (CLUSTER RESET on the leader): it steps
	// down once the change commits.
	if op.Kind == cluster.OpForget && res.Err == "" {
		if err := g.RemoveServer(op.Target, clusterProposeTimeout); err != nil {
			slog.Warn("cluster: removing a forgotten node from the raft group", "node", op.Target, "err", err)
		}
	}
	return res, nil
}

func (s *Server) clusterUpdateRaftAddr(g *raftgroup.Group, info *cluster.Node) {
	bus := info.BusPort
	if n := s.clusterState().Node(info.ID); bus == 0 && n != nil {
		bus = n.BusPort
	}
	if bus == 0 {
		return
	}
	addr := net.JoinHostPort(info.IP, strconv.Itoa(bus))
	servers, err := g.Servers()
	if err != nil {
		return
	}
	for _, sv := range servers {
		if sv.ID == info.ID && sv.Addr != addr {
			if err := g.AddVoter(info.ID, addr, clusterProposeTimeout); err != nil {
				slog.Warn("cluster: cannot update a raft address", "node", info.ID, "addr", addr, "err", err)
			}
		}
	}
}

// clusterForward sends op to the leader at addr (CLUSTER VIREO-PROPOSE).
func (s *Server) clusterForward(addr string, op *cluster.Op) (cluster.Result, error) {
	reply, err := s.clusterCall(addr, "CLUSTER", "VIREO-PROPOSE", string(op.Encode()))
	if err != nil {
		return cluster.Result{}, err
	}
	if strings.HasPrefix(reply, "-") {
		return cluster.Result{}, fmt.Errorf("server: cluster: leader: %s", reply[1:])
	}
	var res cluster.Result
	if !strings.HasPrefix(reply, "$") || json.Unmarshal([]byte(reply[1:]), &res) != nil {
		return cluster.Result{}, fmt.Errorf("server: cluster: unexpected reply %q", reply)
	}
	return res, nil
}

// clusterAwaitApplied waits (briefly) until the local state has applied
// the entry a proposal was committed as.
func (s *Server) clusterAwaitApplied(n uint64) {
	deadline := time.Now().Add(clusterProposeTimeout)
	for s.clusterState().Applied < n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
}

// clusterCall sends one command to another node's client port and returns
// its reply's first line (simple string, error) or, for a bulk string, "$"
// followed by its content. It authenticates with masteruser/masterauth.
func (s *Server) clusterCall(addr string, args ...string) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, clusterDialTimeout)
	if err != nil {
		return "", fmt.Errorf("server: cluster: %w", err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(clusterProposeTimeout + 2*time.Second))
	st := s.cfg.Snapshot()
	var req []byte
	if st.MasterAuth != "" {
		req = appendAuth(req, st.MasterUser, st.MasterAuth)
	}
	req = replication.AppendCommand(req, args...)
	if _, err := conn.Write(req); err != nil {
		return "", fmt.Errorf("server: cluster: %w", err)
	}
	r := bufio.NewReader(conn)
	if st.MasterAuth != "" {
		if line, err := readLine(r); err != nil {
			return "", err
		} else if strings.HasPrefix(line, "-") {
			return "", fmt.Errorf("server: cluster: auth: %s", line[1:])
		}
	}
	line, err := readLine(r)
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(line, "$") {
		n, err := strconv.Atoi(line[1:])
		if err != nil || n < 0 || n > 64<<20 {
			return "", fmt.Errorf("server: cluster: bad bulk length %q", line)
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", fmt.Errorf("server: cluster: %w", err)
		}
		return "$" + string(buf[:n]), nil
	}
	return line, nil
}

func readLine(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("server: cluster: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// joinReply is what a met node answers CLUSTER VIREO-JOIN with.
type joinReply struct {
	Member bool          `json:"member"` // already in the caller's cluster
	Info   *cluster.Node `json:"info"`
	Slots  []int         `json:"slots"`
}

// clusterMeet is CLUSTER MEET's work on the meeting node: the handshake
// with the met node, then the proposal of its addition.
func (s *Server) clusterMeet(ip string, port, busPort int) error {
	cn := &s.cluster
	addr := net.JoinHostPort(ip, strconv.Itoa(port))
	conn, err := net.DialTimeout("tcp", addr, clusterDialTimeout)
	if err != nil {
		return fmt.Errorf("server: cluster meet: %w", err)
	}
	localIP, _, _ := net.SplitHostPort(conn.LocalAddr().String())
	conn.Close()
	if ip := s.cfg.Snapshot().ClusterAnnounceIP; ip != "" {
		localIP = ip
	}
	if busPort != 0 {
		// Check the bus before the met node leaves its own group for us.
		bus := net.JoinHostPort(ip, strconv.Itoa(busPort))
		bc, err := net.DialTimeout("tcp", bus, clusterDialTimeout)
		if err != nil {
			return fmt.Errorf("ERR Cannot reach the node's cluster bus at %s", bus)
		}
		bc.Close()
	}
	reply, err := s.clusterCall(addr, "CLUSTER", "VIREO-JOIN", cn.myID)
	if err != nil {
		return err
	}
	if strings.HasPrefix(reply, "-"+errNotAlone) {
		// B belongs to a bigger cluster: if we are alone, we join it
		// instead (redis-cli --cluster create has every node meet the
		// first one, which is no longer alone after the first MEET).
		return s.clusterJoinPeer(addr, localIP)
	}
	if strings.HasPrefix(reply, "-") {
		return errors.New(reply[1:])
	}
	if !strings.HasPrefix(reply, "$") {
		return fmt.Errorf("server: cluster meet: unexpected reply %q", reply)
	}
	var jr joinReply
	if err := json.Unmarshal([]byte(reply[1:]), &jr); err != nil || jr.Info == nil {
		return fmt.Errorf("server: cluster meet: bad join reply: %v", err)
	}
	// We learn our own IP from the connection, as Redis does from its
	// first peer.
	if me := s.clusterState().Node(cn.myID); me != nil && me.IP == "" && localIP != "" {
		if _, err := s.clusterPropose(&cluster.Op{Kind: cluster.OpAddNode, Node: cn.myID,
			Info: &cluster.Node{ID: cn.myID, IP: localIP}}); err != nil {
			return err
		}
	}
	if jr.Member {
		return nil
	}
	// The address MEET named, unless the node announces its own.
	info := jr.Info
	if info.IP == "" {
		info.IP = ip
	}
	info.Port = port
	if busPort != 0 {
		info.BusPort = busPort
	}
	res, err := s.clusterPropose(&cluster.Op{Kind: cluster.OpAddNode, Node: info.ID, Target: "join", Info: info, Slots: jr.Slots})
	if err != nil {
		return err
	}
	if res.Err != "" {
		return errors.New(res.Err)
	}
	return nil
}

// clusterJoin is the met node's side of MEET: leave our one-node group and
// wait, empty, for the caller's leader to add us.
func (s *Server) clusterJoin(callerID string) (string, error) {
	cn := &s.cluster
	st := s.clusterState()
	me := st.Node(cn.myID)
	info := &cluster.Node{ID: cn.myID, BusPort: s.clusterBusPort(), ShardID: cn.myShard}
	if me != nil {
		info.ConfigEpoch, info.ShardID = me.ConfigEpoch, me.ShardID
	}
	if st.Node(callerID) != nil || callerID == cn.myID {
		b, _ := json.Marshal(joinReply{Member: true, Info: info})
		return string(b), nil
	}
	if !s.clusterAlone() {
		return "", errors.New(errNotAlone + " the node is already part of a cluster with other nodes")
	}
	jr, err := s.clusterLeaveForJoin()
	if err != nil {
		return "", err
	}
	b, _ := json.Marshal(jr)
	return string(b), nil
}

// errNotAlone starts VIREO-JOIN's answer from a node in a bigger cluster.
const errNotAlone = "VIREONOTALONE"

// clusterAlone reports whether this node is the only member of its group.
func (s *Server) clusterAlone() bool {
	g := s.cluster.currentGroup()
	if g == nil {
		return false
	}
	servers, err := g.Servers()
	return err == nil && len(servers) <= 1 && len(s.clusterState().Nodes) <= 1
}

// clusterReopenEmpty closes our raft member, wipes its state and opens it
// again with an empty configuration: as a one-node cluster of its own
// (bootstrap), or as a member waiting to be added by another group.
func (s *Server) clusterReopenEmpty(bootstrap bool) error {
	cn := &s.cluster
	cn.wasMember.Store(false)
	cn.mu.Lock()
	g := cn.group
	cn.group = nil
	cn.mu.Unlock()
	if g != nil {
		g.Close()
	}
	if err := wipeRaftState(cn.raftDir); err != nil {
		return err
	}
	cn.fsm.Restore(mustEncode(cluster.NewState()))
	return s.openClusterGroup(bootstrap)
}

// clusterLeaveForJoin drops our one-node group (we must hold no keys) and
// reopens the raft member empty, to be added by another group's leader. It
// returns what that leader needs to know about us.
func (s *Server) clusterLeaveForJoin() (*joinReply, error) {
	cn := &s.cluster
	if s.ks.DB(0).Size() != 0 {
		return nil, errors.New("ERR The node must be empty to join a cluster")
	}
	st := s.clusterState()
	info := &cluster.Node{ID: cn.myID, IP: s.cfg.Snapshot().ClusterAnnounceIP, Port: s.clusterPort(), BusPort: s.clusterBusPort(), ShardID: cn.myShard}
	if me := st.Node(cn.myID); me != nil {
		info.ConfigEpoch, info.ShardID = me.ConfigEpoch, me.ShardID
	}
	var slots []int
	for _, r := range st.SlotRanges(cn.myID) {
		for i := r.Start; i <= r.End; i++ {
			slots = append(slots, i)
		}
	}
	if err := s.clusterReopenEmpty(false); err != nil {
		return nil, err
	}
	// If no leader ever adds us (the meeting node failed half-way), do not
	// stay a member of no group: start over alone.
	cn.wg.Add(1)
	go func() {
		defer cn.wg.Done()
		select {
		case <-cn.stop:
			return
		case <-time.After(clusterJoinTimeout):
		}
		if s.clusterState().Node(cn.myID) == nil {
			slog.Warn("cluster: no leader added this node after MEET: starting over alone")
			if err := s.clusterRestartAlone(); err != nil {
				slog.Warn("cluster: cannot restart alone", "err", err)
			}
		}
	}()
	return &joinReply{Info: info, Slots: slots}, nil
}

// clusterJoinPeer is MEET towards a node of a bigger cluster: we leave our
// own group and ask that node (CLUSTER VIREO-ADMIT) to have us added.
func (s *Server) clusterJoinPeer(addr, localIP string) error {
	if !s.clusterAlone() {
		return errors.New("ERR Both nodes already belong to clusters with other nodes: merging clusters is not supported")
	}
	jr, err := s.clusterLeaveForJoin()
	if err != nil {
		return err
	}
	jr.Info.IP = localIP
	b, _ := json.Marshal(jr)
	reply, err := s.clusterCall(addr, "CLUSTER", "VIREO-ADMIT", string(b))
	if err != nil {
		return err
	}
	if strings.HasPrefix(reply, "-") {
		return errors.New(reply[1:])
	}
	return nil
}

// clusterAdmit proposes the addition of a node that left its own group to
// join ours.
func (s *Server) clusterAdmit(jr *joinReply) error {
	if jr.Info == nil || !cluster.ValidNodeID(jr.Info.ID) {
		return errors.New("ERR bad join request")
	}
	res, err := s.clusterPropose(&cluster.Op{Kind: cluster.OpAddNode, Node: jr.Info.ID, Target: "join", Info: jr.Info, Slots: jr.Slots})
	if err != nil {
		return err
	}
	if res.Err != "" {
		return errors.New(res.Err)
	}
	return nil
}

func mustEncode(st *cluster.State) []byte {
	b, _ := cluster.EncodeState(st) // an empty state always encodes
	return b
}

// wipeRaftState removes the raft log and snapshots, keeping node-id.
func wipeRaftState(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	for _, e := range entries {
		if e.Name() == "node-id" {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("server: %w", err)
		}
	}
	return nil
}

// clusterReconciler reacts to applied changes: follow the primary the
// configuration names for us, and rewrite nodes.conf.
func (s *Server) clusterReconciler() {
	cn := &s.cluster
	defer cn.wg.Done()
	for {
		select {
		case <-cn.stop:
			return
		case <-cn.changed:
		}
		st := s.clusterState()
		if st.Node(cn.myID) != nil {
			cn.wasMember.Store(true)
		} else if len(st.Nodes) > 0 && cn.wasMember.Load() {
			// We were forgotten (CLUSTER FORGET elsewhere): the others'
			// group is no longer ours, start over as a one-node cluster.
			slog.Warn("cluster: this node was forgotten by the cluster: starting over alone")
			if err := s.clusterRestartAlone(); err != nil {
				slog.Warn("cluster: cannot restart alone", "err", err)
			}
			continue
		}
		s.clusterFollowPrimary(st)
		s.clusterWriteNodesConf(st)
	}
}

// clusterRestartAlone drops the raft group and its state and bootstraps a
// fresh one-node cluster without slots (CLUSTER RESET, a forgotten node).
// The keys stay.
func (s *Server) clusterRestartAlone() error {
	cn := &s.cluster
	cn.soloMu.Lock()
	defer cn.soloMu.Unlock()
	if st := s.clusterState(); st.Node(cn.myID) != nil && len(st.Nodes) == 1 && s.clusterAlone() {
		return nil
	}
	if err := s.clusterReopenEmpty(true); err != nil {
		return err
	}
	s.clusterEnsureSelf()
	return nil
}

func (s *Server) clusterFollowPrimary(st *cluster.State) {
	cn := &s.cluster
	me := st.Node(cn.myID)
	cur := ""
	if p := cn.replicatingID.Load(); p != nil {
		cur = *p
	}
	want := ""
	if me != nil {
		want = me.PrimaryID
	}
	if want == cur {
		return
	}
	if want == "" {
		s.promote()
		slog.Info("cluster: no longer a replica: MASTER MODE enabled")
	} else {
		p := st.Node(want)
		if p == nil {
			return
		}
		ip := p.IP
		if ip == "" {
			ip = "127.0.0.1"
		}
		s.replicaOf(ip, p.Port)
		slog.Info("cluster: replicating", "primary", want, "addr", p.Addr())
	}
	cn.replicatingID.Store(&want)
}

// clusterWriteNodesConf writes nodes.conf in Redis's format.
func (s *Server) clusterWriteNodesConf(st *cluster.State) {
	text := st.NodesText(s.cluster.myID, 0)
	text += fmt.Sprintf("vars currentEpoch %d lastVoteEpoch 0\n", st.CurrentEpoch)
	if err := writeClusterFile(s.cluster.confPath, []byte(text)); err != nil {
		slog.Warn("cluster: cannot write nodes.conf", "err", err)
	}
}

// appendAuth encodes AUTH [user] password, the form one server
// authenticates to another with (masteruser/masterauth, MIGRATE's AUTH and
// AUTH2).
func appendAuth(b []byte, user, password string) []byte {
	if user != "" {
		return replication.AppendCommand(b, "AUTH", user, password)
	}
	return replication.AppendCommand(b, "AUTH", password)
}
