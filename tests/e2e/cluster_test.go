package e2e_test

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/vireodb/vireo/tests/harness"
)

// keySlot asks a node for a key's slot.
func keySlot(t *testing.T, c *redis.Client, key string) int {
	t.Helper()
	s, err := c.ClusterKeySlot(context.Background(), key).Result()
	if err != nil {
		t.Fatal(err)
	}
	return int(s)
}

// ownerOf returns the index of the node owning slot, per CLUSTER SLOTS.
func ownerOf(t *testing.T, nodes []*harness.ClusterNode, slot int) int {
	t.Helper()
	slots, err := nodes[0].Client(2).ClusterSlots(context.Background()).Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range slots {
		if slot >= int(r.Start) && slot <= int(r.End) {
			for i, nd := range nodes {
				if r.Nodes[0].Addr == nd.Addr() {
					return i
				}
			}
		}
	}
	t.Fatalf("slot %d has no owner", slot)
	return -1
}

func TestClusterThreeNodes(t *testing.T) {
	ctx := context.Background()
	nodes := harness.StartVireoCluster(t, 3)
	cc := harness.ClusterClient(t, nodes)

	for i := range 1000 {
		if err := cc.Set(ctx, fmt.Sprintf("key:%d", i), i, 0).Err(); err != nil {
			t.Fatalf("set key:%d: %v", i, err)
		}
	}
	for i := range 1000 {
		if v, err := cc.Get(ctx, fmt.Sprintf("key:%d", i)).Int(); err != nil || v != i {
			t.Fatalf("get key:%d = %d, %v", i, v, err)
		}
	}
	// Each key is stored on the node owning its slot, and only there.
	total := int64(0)
	for _, nd := range nodes {
		n, err := nd.Client(2).DBSize(ctx).Result()
		if err != nil {
			t.Fatal(err)
		}
		total += n
	}
	if total != 1000 {
		t.Fatalf("keys stored across nodes = %d, want 1000", total)
	}
	slot := keySlot(t, nodes[0].Client(2), "key:7")
	owner := ownerOf(t, nodes, slot)
	wrong := nodes[(owner+1)%3]
	raw := wrong.Raw(t)
	got := raw.DoString("GET", "key:7")
	want := fmt.Sprintf("-MOVED %d 127.0.0.1:%d\r\n", slot, nodes[owner].Port())
	if got != want {
		t.Fatalf("GET on the wrong node: %q, want %q", got, want)
	}
	if v := nodes[owner].Client(2).Get(ctx, "key:7").Val(); v != "7" {
		t.Fatalf("owner has key:7 = %q", v)
	}
	// PUBLISH on one node reaches subscribers on the others.
	sub := nodes[2].Client(2).Subscribe(ctx, "news")
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	if err := nodes[0].Client(2).Publish(ctx, "news", "hello").Err(); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if m, err := sub.ReceiveMessage(rctx); err != nil || m.Payload != "hello" {
		t.Fatalf("message published on another node: %v %v", m, err)
	}
	// And through the ClusterClient, whichever nodes it picks.
	csub := cc.Subscribe(ctx, "news2")
	defer csub.Close()
	if _, err := csub.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := cc.Publish(ctx, "news2", strconv.Itoa(i)).Err(); err != nil {
			t.Fatal(err)
		}
		if m, err := csub.ReceiveMessage(rctx); err != nil || m.Payload != strconv.Itoa(i) {
			t.Fatalf("ClusterClient publish %d: %v %v", i, m, err)
		}
	}
	// Every node describes the same slot map.
	var first string
	for i, nd := range nodes {
		text, err := nd.Client(2).ClusterNodes(ctx).Result()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Count(text, "myself") != 1 || strings.Count(text, "\n") != 3 {
			t.Fatalf("node %d CLUSTER NODES:\n%s", i, text)
		}
		norm := normaliseNodes(text)
		if first == "" {
			first = norm
		} else if norm != first {
			t.Fatalf("nodes disagree:\n%s\n---\n%s", first, norm)
		}
	}
}

// normaliseNodes keeps id, address and slots of each CLUSTER NODES line.
func normaliseNodes(text string) string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		f := strings.Fields(line)
		out = append(out, strings.Join(append(f[:2:2], f[8:]...), " "))
	}
	return strings.Join(out, "\n")
}

func TestClusterSlotMigrationUnderTraffic(t *testing.T) {
	ctx := context.Background()
	nodes := harness.StartVireoCluster(t, 3)
	cc := harness.ClusterClient(t, nodes)
	const tag = "{mig}"
	src0 := nodes[0].Client(2)
	slot := keySlot(t, src0, tag)
	si := ownerOf(t, nodes, slot)
	di := (si + 1) % 3
	src, dst := nodes[si], nodes[di]
	srcC, dstC := src.Client(2), dst.Client(2)
	srcID, dstID := src.MyID(t), dst.MyID(t)

	const n = 300
	for i := range n {
		if err := cc.Set(ctx, fmt.Sprintf("%s:%d", tag, i), i, 0).Err(); err != nil {
			t.Fatal(err)
		}
	}

	// Traffic on the migrating slot: reads of existing keys and writes of
	// new ones, through go-redis, which follows MOVED and ASK.
	var stop atomic.Bool
	var wg sync.WaitGroup
	var trafficErr atomic.Value
	var written atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			k := fmt.Sprintf("%s:%d", tag, i%n)
			if v, err := cc.Get(ctx, k).Int(); err != nil || v != i%n {
				trafficErr.Store(fmt.Errorf("get %s = %d, %v", k, v, err))
				return
			}
			nk := fmt.Sprintf("%s:new:%d", tag, i)
			if err := cc.Set(ctx, nk, i, 0).Err(); err != nil {
				trafficErr.Store(fmt.Errorf("set %s: %v", nk, err))
				return
			}
			written.Store(int64(i + 1))
		}
	}()

	must := func(c *redis.Client, args ...any) {
		t.Helper()
		if err := c.Do(ctx, args...).Err(); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	must(dstC, "CLUSTER", "SETSLOT", slot, "IMPORTING", srcID)
	must(srcC, "CLUSTER", "SETSLOT", slot, "MIGRATING", dstID)

	// A key that is not on the source any more is redirected with ASK.
	raw := src.Raw(t)
	if got, want := raw.DoString("GET", tag+":absent"), fmt.Sprintf("-ASK %d 127.0.0.1:%d\r\n", slot, dst.Port()); got != want {
		t.Fatalf("GET absent key on the migrating node: %q, want %q", got, want)
	}
	rawDst := dst.Raw(t)
	if got := rawDst.DoString("GET", tag+":absent"); !strings.HasPrefix(got, "-MOVED ") {
		t.Fatalf("GET on the importing node without ASKING: %q", got)
	}
	rawDst.DoString("ASKING")
	if got := rawDst.DoString("GET", tag+":absent"); got != "$-1\r\n" {
		t.Fatalf("GET on the importing node after ASKING: %q", got)
	}

	for {
		keys, err := srcC.ClusterGetKeysInSlot(ctx, slot, 50).Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) == 0 {
			break
		}
		args := []any{"MIGRATE", "127.0.0.1", dst.Port(), "", 0, 5000, "KEYS"}
		for _, k := range keys {
			args = append(args, k)
		}
		must(srcC, args...)
		time.Sleep(5 * time.Millisecond) // let traffic hit the half-moved slot
	}
	must(srcC, "CLUSTER", "SETSLOT", slot, "NODE", dstID)
	must(dstC, "CLUSTER", "SETSLOT", slot, "NODE", dstID)
	time.Sleep(100 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	if err := trafficErr.Load(); err != nil {
		t.Fatal(err)
	}
	if written.Load() == 0 {
		t.Fatal("no traffic ran during the migration")
	}
	if got := ownerOf(t, nodes, slot); got != di {
		t.Fatalf("slot owner after migration = node %d, want %d", got, di)
	}
	if c, _ := srcC.ClusterCountKeysInSlot(ctx, slot).Result(); c != 0 {
		t.Fatalf("source still has %d keys in the slot", c)
	}
	for i := range n {
		k := fmt.Sprintf("%s:%d", tag, i)
		if v, err := cc.Get(ctx, k).Int(); err != nil || v != i {
			t.Fatalf("after migration get %s = %d, %v", k, v, err)
		}
	}
	for i := int64(0); i < written.Load(); i++ {
		k := fmt.Sprintf("%s:new:%d", tag, i)
		if err := cc.Get(ctx, k).Err(); err != nil {
			t.Fatalf("after migration get %s: %v", k, err)
		}
	}
}

func TestClusterRestartKeepsSlotMap(t *testing.T) {
	ctx := context.Background()
	nodes := harness.StartVireoCluster(t, 3)
	before, err := nodes[2].Client(2).ClusterNodes(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	nodes[2].Kill9()
	// A change committed while the node is down reaches it after restart.
	if err := nodes[0].Client(2).Do(ctx, "CLUSTER", "DELSLOTS", 0).Err(); err != nil {
		t.Fatal(err)
	}
	nodes[2].Restart()
	deadline := time.Now().Add(10 * time.Second)
	for {
		after, err := nodes[2].Client(2).ClusterNodes(ctx).Result()
		if err == nil && strings.Count(after, "\n") == 3 && !strings.Contains(after, " 0-") {
			if strings.Count(normaliseNodes(before), "\n") != strings.Count(normaliseNodes(after), "\n") {
				t.Fatalf("node list changed:\n%s\n%s", before, after)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("slot map did not come back after restart: %q %v", after, err)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// FORGET: the others drop the node, which starts over alone; RESET:
	// the node leaves by itself.
	if err := nodes[0].Client(2).Do(ctx, "CLUSTER", "FORGET", nodes[2].MyID(t)).Err(); err != nil {
		t.Fatal(err)
	}
	if err := nodes[1].Client(2).Do(ctx, "CLUSTER", "RESET").Err(); err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{1, 1, 1} {
		deadline := time.Now().Add(10 * time.Second)
		for {
			info, err := nodes[i].Client(2).ClusterInfo(ctx).Result()
			if err == nil && strings.Contains(info, fmt.Sprintf("cluster_known_nodes:%d\r\n", want)) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("node %d after FORGET and RESET: %q %v", i, info, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	if slots, err := nodes[1].Client(2).ClusterSlots(ctx).Result(); err != nil || len(slots) != 0 {
		t.Fatalf("reset node still serves slots: %v %v", slots, err)
	}
}

func TestClusterRedisCliCreate(t *testing.T) {
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		t.Skip("redis-cli not installed")
	}
	nodes := []*harness.ClusterNode{harness.StartVireoClusterNode(t), harness.StartVireoClusterNode(t), harness.StartVireoClusterNode(t)}
	args := []string{"--cluster", "create"}
	for _, nd := range nodes {
		args = append(args, nd.Addr())
	}
	args = append(args, "--cluster-yes")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, cli, args...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "[OK] All 16384 slots covered.") {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	harness.WaitClusterOK(t, nodes, 3)
	cc := harness.ClusterClient(t, nodes)
	for i := range 100 {
		if err := cc.Set(context.Background(), "k"+strconv.Itoa(i), i, 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestClusterOracleOneNode compares a one-node Vireo cluster's replies with
// a cluster-enabled redis-server's.
func TestClusterOracleOneNode(t *testing.T) {
	ctx := context.Background()
	v := harness.StartVireoClusterNode(t)
	// An explicit bus port: the default, port+10000, is out of range for
	// the harness's high random ports.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rbus := l.Addr().(*net.TCPAddr).Port
	l.Close()
	r := harness.StartRedis(t, "--cluster-enabled", "yes", "--cluster-config-file", "nodes-oracle.conf", "--cluster-port", strconv.Itoa(rbus))
	for _, s := range []*harness.Server{v.Server, r} {
		if err := s.Client(2).Do(ctx, "CLUSTER", "ADDSLOTSRANGE", 0, 16383).Err(); err != nil {
			t.Fatal(err)
		}
	}
	// redis-server turns ok after its own short delay.
	harness.WaitClusterOK(t, []*harness.ClusterNode{v, {Server: r}}, 1)
	vr, rr := v.Raw(t), r.Raw(t)
	same := [][]string{
		{"SET", "foo", "bar"},
		{"MSET", "a", "1", "b", "2"},
		{"MSET", "{a}1", "1", "{a}2", "2"},
		{"SELECT", "1"},
		{"SELECT", "0"},
		{"SWAPDB", "0", "1"},
		{"MOVE", "{a}1", "1"},
		{"COPY", "{a}1", "{a}9", "DB", "1"},
		{"COPY", "{a}1", "{a}9", "DB", "0"},
		{"CLUSTER", "KEYSLOT", "123456789"},
		{"CLUSTER", "KEYSLOT", "{user1000}.following"},
		{"CLUSTER", "COUNTKEYSINSLOT", "12182"},
		{"CLUSTER", "COUNTKEYSINSLOT", "99999"},
		{"CLUSTER", "GETKEYSINSLOT", "12182", "5"},
		{"CLUSTER", "GETKEYSINSLOT", "1", "-1"},
		{"CLUSTER", "ADDSLOTS", "1"},
		{"CLUSTER", "ADDSLOTS", "x"},
		{"CLUSTER", "ADDSLOTSRANGE", "5", "1"},
		{"CLUSTER", "SETSLOT", "1", "bogus"},
		{"CLUSTER", "SETSLOT", "1", "node", "abc"},
		{"CLUSTER", "FORGET", "abc"},
		{"CLUSTER", "REPLICATE", "abc"},
		{"CLUSTER", "MEET", "1.2.3.4", "x"},
		{"CLUSTER", "SET-CONFIG-EPOCH", "-1"},
		{"CLUSTER", "RESET", "bogus"},
		{"CLUSTER", "LINKS"},
		{"READONLY"},
		{"READWRITE"},
		{"ASKING"},
		{"MULTI"}, {"SET", "{x}1", "1"}, {"SET", "{y}1", "1"}, {"EXEC"},
		{"CLUSTER", "DELSLOTS", "15495"},
		{"GET", "a"},
	}
	for _, cmd := range same {
		if cmd[0] == "GET" {
			time.Sleep(1200 * time.Millisecond) // redis-server updates its state in its cron
		}
		got, want := vr.DoString(cmd...), rr.DoString(cmd...)
		if got != want {
			t.Errorf("%v:\n vireo %q\n redis %q", cmd, got, want)
		}
	}
	// CLUSTER SLOTS has the same shape (the IP is empty on both: a lone
	// node does not know its own address yet).
	vs, rs := vr.DoString("CLUSTER", "SLOTS"), rr.DoString("CLUSTER", "SLOTS")
	if strings.ReplaceAll(vs, v.MyID(t), "ID") != strings.ReplaceAll(strings.ReplaceAll(rs, strconv.Itoa(r.Port()), strconv.Itoa(v.Port())), redisMyID(t, r), "ID") {
		t.Errorf("CLUSTER SLOTS:\n vireo %q\n redis %q", vs, rs)
	}
	// CLUSTER NODES and SHARDS: the same text and shape once IDs, ports
	// and the replication offset are set aside.
	norm := func(s string, id string, port, bus int) string {
		s = strings.ReplaceAll(s, id, "ID")
		s = strings.ReplaceAll(s, strconv.Itoa(bus), "BUS")
		s = strings.ReplaceAll(s, strconv.Itoa(port), "PORT")
		return s
	}
	rid := redisMyID(t, r)
	if got, want := norm(vr.DoString("CLUSTER", "NODES"), v.MyID(t), v.Port(), v.BusPort), norm(rr.DoString("CLUSTER", "NODES"), rid, r.Port(), rbus); got != want {
		t.Errorf("CLUSTER NODES:\n vireo %q\n redis %q", got, want)
	}
	offset := regexp.MustCompile(`replication-offset\r\n:\d+`)
	for _, proto := range []string{"2", "3"} {
		vr.DoString("HELLO", proto)
		rr.DoString("HELLO", proto)
		got := offset.ReplaceAllString(norm(vr.DoString("CLUSTER", "SHARDS"), v.MyID(t), v.Port(), v.BusPort), "OFF")
		want := offset.ReplaceAllString(norm(rr.DoString("CLUSTER", "SHARDS"), rid, r.Port(), rbus), "OFF")
		if got != want {
			t.Errorf("CLUSTER SHARDS (RESP%s):\n vireo %q\n redis %q", proto, got, want)
		}
	}
	// CLUSTER INFO: the same fields in the same order.
	vi, _ := v.Client(2).ClusterInfo(ctx).Result()
	ri, _ := r.Client(2).ClusterInfo(ctx).Result()
	if fieldNames(vi) != fieldNames(ri) {
		t.Errorf("CLUSTER INFO fields:\n vireo %s\n redis %s", fieldNames(vi), fieldNames(ri))
	}
}

func redisMyID(t *testing.T, r *harness.Server) string {
	id, err := r.Client(2).Do(context.Background(), "CLUSTER", "MYID").Text()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func fieldNames(info string) string {
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(info), "\n") {
		if k, _, ok := strings.Cut(line, ":"); ok {
			names = append(names, k)
		}
	}
	return strings.Join(names, ",")
}

// TestMigrateWithRedis moves keys from Vireo to redis-server and back, in
// standalone mode.
func TestMigrateWithRedis(t *testing.T) {
	ctx := context.Background()
	v := harness.StartVireo(t)
	r := harness.StartRedis(t)
	vc, rc := v.Client(2), r.Client(2)
	vc.Set(ctx, "s", "hello", time.Minute)
	vc.RPush(ctx, "l", "a", "b", "c")
	vc.HSet(ctx, "h", "f", "v")
	if err := vc.Do(ctx, "MIGRATE", "127.0.0.1", r.Port(), "", 0, 5000, "KEYS", "s", "l", "h").Err(); err != nil {
		t.Fatal(err)
	}
	if n := vc.Exists(ctx, "s", "l", "h").Val(); n != 0 {
		t.Fatalf("%d keys left on the source", n)
	}
	if v := rc.Get(ctx, "s").Val(); v != "hello" {
		t.Fatalf("redis s = %q", v)
	}
	if ttl := rc.PTTL(ctx, "s").Val(); ttl <= 0 || ttl > time.Minute {
		t.Fatalf("redis s ttl = %v", ttl)
	}
	if l := rc.LRange(ctx, "l", 0, -1).Val(); strings.Join(l, ",") != "a,b,c" {
		t.Fatalf("redis l = %v", l)
	}
	// Redis to Vireo, COPY keeps the source, a second move hits BUSYKEY.
	if err := rc.Do(ctx, "MIGRATE", "127.0.0.1", v.Port(), "h", 0, 5000, "COPY").Err(); err != nil {
		t.Fatal(err)
	}
	if got := vc.HGet(ctx, "h", "f").Val(); got != "v" || rc.Exists(ctx, "h").Val() != 1 {
		t.Fatalf("copy: vireo h.f = %q", got)
	}
	err := rc.Do(ctx, "MIGRATE", "127.0.0.1", v.Port(), "h", 0, 5000).Err()
	want := "ERR Target instance replied with error: BUSYKEY Target key name already exists."
	if err == nil || err.Error() != want {
		t.Fatalf("migrate onto an existing key: %v", err)
	}
	if err := vc.Do(ctx, "MIGRATE", "127.0.0.1", r.Port(), "nokey", 0, 5000).Err(); err != nil {
		t.Fatal(err)
	}
	if got := vc.Do(ctx, "MIGRATE", "127.0.0.1", r.Port(), "nokey", 0, 5000).Val(); got != "NOKEY" {
		t.Fatalf("missing key: %v", got)
	}
	// The same replies from both for the argument errors.
	vr, rr := v.Raw(t), r.Raw(t)
	for _, cmd := range [][]string{
		{"MIGRATE", "127.0.0.1", "1", "k", "0", "1000", "KEYS", "a"},
		{"MIGRATE", "127.0.0.1", "1", "k", "0", "1000", "BOGUS"},
		{"MIGRATE", "127.0.0.1", "1", "k", "0", "x"},
		{"MIGRATE", "127.0.0.1", "1", "k", "0", "1000", "AUTH2", "u"},
		{"MIGRATE", "127.0.0.1", "1", "k", "0"},
	} {
		if got, want := vr.DoString(cmd...), rr.DoString(cmd...); got != want {
			t.Errorf("%v:\n vireo %q\n redis %q", cmd, got, want)
		}
	}
}

func TestClusterReplica(t *testing.T) {
	ctx := context.Background()
	nodes := harness.StartVireoCluster(t, 3)
	rep := harness.StartVireoClusterNode(t)
	// No bus port: the met node reports its own (not port+10000 here).
	if err := nodes[1].Client(2).Do(ctx, "CLUSTER", "MEET", "127.0.0.1", rep.Port()).Err(); err != nil {
		t.Fatal(err)
	}
	harness.WaitClusterOK(t, append(nodes, rep), 4)
	primary := nodes[0]
	if err := rep.Client(2).Do(ctx, "CLUSTER", "REPLICATE", primary.MyID(t)).Err(); err != nil {
		t.Fatal(err)
	}
	// A key of the primary's slots.
	key := ""
	for i := 0; key == ""; i++ {
		k := "r" + strconv.Itoa(i)
		if ownerOf(t, nodes, keySlot(t, primary.Client(2), k)) == 0 {
			key = k
		}
	}
	if err := primary.Client(2).Set(ctx, key, "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	raw := rep.Raw(t)
	deadline := time.Now().Add(10 * time.Second)
	raw.DoString("READONLY")
	for raw.DoString("GET", key) != "$1\r\nv\r\n" {
		if time.Now().After(deadline) {
			t.Fatalf("replica never served %s with READONLY", key)
		}
		time.Sleep(50 * time.Millisecond)
	}
	slot := keySlot(t, primary.Client(2), key)
	if got, want := raw.DoString("SET", key, "w"), fmt.Sprintf("-MOVED %d 127.0.0.1:%d\r\n", slot, primary.Port()); got != want {
		t.Fatalf("write on the replica: %q, want %q", got, want)
	}
	reps, err := primary.Client(2).Do(ctx, "CLUSTER", "REPLICAS", primary.MyID(t)).StringSlice()
	if err != nil || len(reps) != 1 || !strings.Contains(reps[0], rep.MyID(t)+" 127.0.0.1:"+strconv.Itoa(rep.Port())) || !strings.Contains(reps[0], " slave "+primary.MyID(t)) {
		t.Fatalf("CLUSTER REPLICAS: %q %v", reps, err)
	}
	if role := rep.Client(2).Do(ctx, "ROLE").Val().([]any)[0]; role != "slave" {
		t.Fatalf("replica's ROLE: %v", role)
	}
}

// TestClusterAOFReload: the AOF is replayed at start before the slot map is
// back from raft; its commands must not be refused as unserved.
func TestClusterAOFReload(t *testing.T) {
	ctx := context.Background()
	n := harness.StartVireoClusterNode(t, "--appendonly", "yes", "--appendfsync", "always")
	c := n.Client(2)
	if err := c.Do(ctx, "CLUSTER", "ADDSLOTSRANGE", 0, 16383).Err(); err != nil {
		t.Fatal(err)
	}
	harness.WaitClusterOK(t, []*harness.ClusterNode{n}, 1)
	for i := range 50 {
		if err := c.Set(ctx, "k"+strconv.Itoa(i), i, 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	n.Kill9()
	n.Restart()
	harness.WaitClusterOK(t, []*harness.ClusterNode{n}, 1)
	c = n.Client(2)
	if got := c.DBSize(ctx).Val(); got != 50 {
		t.Fatalf("keys after restart: %d, want 50", got)
	}
	if v := c.Get(ctx, "k7").Val(); v != "7" {
		t.Fatalf("k7 after restart = %q", v)
	}
}
