package e2e_test

// Replication against the built binary and the real redis-server 7.0.15:
// redis-server replicating from Vireo, Vireo from redis-server, Vireo from
// Vireo with a partial resync after the link breaks, WAIT, READONLY, the
// replica's expiry (hidden, deleted only by the primary's DEL) and
// REPLICAOF NO ONE. Datasets are compared with DEBUG DIGEST once the
// replica's offset equals the primary's.

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/vireodb/vireo/tests/harness"
)

// replInfo reads one field of an INFO section.
func replInfo(t *testing.T, c *redis.Client, section, field string) string {
	t.Helper()
	info, err := c.Info(context.Background(), section).Result()
	if err != nil {
		t.Fatalf("INFO %s: %v", section, err)
	}
	for line := range strings.SplitSeq(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return v
		}
	}
	return ""
}

// waitSynced waits until the replica's link is up and its offset equals
// the primary's.
func waitSynced(t *testing.T, primary, replica *redis.Client) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		up := replInfo(t, replica, "replication", "master_link_status") == "up"
		p := replInfo(t, primary, "replication", "master_repl_offset")
		r := replInfo(t, replica, "replication", "slave_repl_offset")
		if up && p == r {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica not in sync: link up %v, primary offset %s, replica offset %s", up, p, r)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func sameDigest(t *testing.T, primary, replica *redis.Client) {
	t.Helper()
	ctx := context.Background()
	want, err := primary.Do(ctx, "DEBUG", "DIGEST").Text()
	if err != nil {
		t.Fatalf("primary DEBUG DIGEST: %v", err)
	}
	got, err := replica.Do(ctx, "DEBUG", "DIGEST").Text()
	if err != nil {
		t.Fatalf("replica DEBUG DIGEST: %v", err)
	}
	if got != want || want == strings.Repeat("0", 40) {
		t.Fatalf("replica digest %s, primary %s", got, want)
	}
}

// writeAfterSync sends writes that travel through the command stream:
// every type, a transaction, a script, relative TTLs and another database.
func writeAfterSync(t *testing.T, c *redis.Client) {
	t.Helper()
	ctx := context.Background()
	for _, args := range [][]any{
		{"SET", "s:after", "v", "EX", "1000"},
		{"INCRBYFLOAT", "f:after", "1.5"},
		{"RPUSH", "l:after", "a", "b"},
		{"LPOP", "l:after"},
		{"SADD", "set:after", "x", "y", "z"},
		{"SPOP", "set:after"},
		{"ZADD", "z:after", "1", "a", "2", "b"},
		{"HSET", "h:after", "f", "v"},
		{"PFADD", "hll:after", "a"},
		{"XADD", "x:after", "*", "f", "v"},
		{"EXPIRE", "h:after", "5000"},
		{"EVAL", "redis.call('set', KEYS[1], 'lua'); return redis.call('incr', KEYS[2])", "2", "lua:a", "lua:b"},
	} {
		if err := c.Do(ctx, args...).Err(); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	pipe := c.TxPipeline()
	pipe.Set(ctx, "tx:a", "1", 0)
	pipe.Incr(ctx, "tx:b")
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatalf("MULTI/EXEC: %v", err)
	}
	conn := c.Conn()
	defer conn.Close()
	if err := conn.Select(ctx, 3).Err(); err != nil {
		t.Fatal(err)
	}
	if err := conn.Set(ctx, "in:db3", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	// The connection goes back to the pool: leave it in database 0.
	if err := conn.Select(ctx, 0).Err(); err != nil {
		t.Fatal(err)
	}
}

func fillPrimary(t *testing.T, c *redis.Client) {
	t.Helper()
	conn := c.Conn()
	defer conn.Close()
	fillEveryType(t, conn)
}

// (a) redis-server replicates from Vireo.
func TestReplicationRedisReplicaOfVireo(t *testing.T) {
	ctx := context.Background()
	primary := startVireoPrimary(t)
	pc := primary.Client(2)
	fillPrimary(t, pc)
	replica := harness.StartRedis(t, "--replicaof", "127.0.0.1", strconv.Itoa(primary.Port()))
	rc := replica.Client(2)
	waitSynced(t, pc, rc)
	writeAfterSync(t, pc)
	waitSynced(t, pc, rc)
	sameDigest(t, pc, rc)

	// A key with PX expires on the primary, which propagates its DEL.
	if err := pc.Set(ctx, "short", "v", 200*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	waitSynced(t, pc, rc)
	if n, _ := rc.Exists(ctx, "short").Result(); n != 1 {
		t.Fatal("the replica did not get the short-lived key")
	}
	deadline := time.Now().Add(5 * time.Second)
	for pc.Exists(ctx, "short").Val() != 0 || rc.DBSize(ctx).Val() != pc.DBSize(ctx).Val() {
		if time.Now().After(deadline) {
			t.Fatal("the expired key did not go from the replica")
		}
		time.Sleep(50 * time.Millisecond)
	}
	waitSynced(t, pc, rc)
	sameDigest(t, pc, rc)
	if role := pc.Do(ctx, "ROLE").Val().([]any); role[0] != "master" || len(role[2].([]any)) != 1 {
		t.Fatalf("primary ROLE = %v", role)
	}
	if replInfo(t, pc, "replication", "connected_slaves") != "1" ||
		!strings.Contains(replInfo(t, pc, "replication", "slave0"), "state=online") {
		t.Fatalf("primary INFO replication: slave0 %q", replInfo(t, pc, "replication", "slave0"))
	}
	if n, err := pc.Do(ctx, "WAIT", "1", "2000").Int(); err != nil || n != 1 {
		t.Fatalf("WAIT 1 2000 = %d, %v", n, err)
	}
}

// (b) Vireo replicates from redis-server; (e) it refuses writes.
func TestReplicationVireoReplicaOfRedis(t *testing.T) {
	ctx := context.Background()
	primary := harness.StartRedis(t, "--repl-diskless-sync-delay", "0")
	pc := primary.Client(2)
	fillPrimary(t, pc)
	replica := harness.StartVireo(t, "--replicaof", "127.0.0.1 "+strconv.Itoa(primary.Port()))
	rc := replica.Client(2)
	waitSynced(t, pc, rc)
	writeAfterSync(t, pc)
	waitSynced(t, pc, rc)
	sameDigest(t, pc, rc)

	err := rc.Set(ctx, "k", "v", 0).Err()
	if err == nil || err.Error() != "READONLY You can't write against a read only replica." {
		t.Fatalf("write on the replica: %v", err)
	}
	if err := rc.Do(ctx, "WAIT", "0", "0").Err(); err == nil || !strings.HasPrefix(err.Error(), "ERR WAIT cannot be used with replica instances") {
		t.Fatalf("WAIT on the replica: %v", err)
	}
	role := rc.Do(ctx, "ROLE").Val().([]any)
	if role[0] != "slave" || role[3] != "connected" {
		t.Fatalf("replica ROLE = %v", role)
	}
	if s, _ := rc.Do(ctx, "REPLICAOF", "127.0.0.1", strconv.Itoa(primary.Port())).Text(); s != "OK Already connected to specified master" {
		t.Fatalf("REPLICAOF the same primary = %q", s)
	}
	if n, err := pc.Do(ctx, "WAIT", "1", "2000").Int(); err != nil || n != 1 {
		t.Fatalf("redis-server WAIT 1 2000 = %d, %v", n, err)
	}
}

// (c) Vireo replicates from Vireo; a broken link continues with a partial
// resync; (d) WAIT; expiry waits for the primary's DEL; (f) REPLICAOF NO
// ONE promotes with the data.
func TestReplicationVireoReplicaOfVireo(t *testing.T) {
	ctx := context.Background()
	primary := startVireoPrimary(t)
	pc := primary.Client(2)
	fillPrimary(t, pc)
	replica := harness.StartVireo(t)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("--- primary output ---\n%s\n--- replica output ---\n%s", primary.Output(), replica.Output())
		}
	})
	rc := replica.Client(2)
	if err := rc.Do(ctx, "REPLICAOF", "127.0.0.1", strconv.Itoa(primary.Port())).Err(); err != nil {
		t.Fatal(err)
	}
	waitSynced(t, pc, rc)
	writeAfterSync(t, pc)
	if n, err := pc.Do(ctx, "WAIT", "1", "5000").Int(); err != nil || n != 1 {
		t.Fatalf("WAIT 1 5000 = %d, %v\nreplica: %s\nprimary: %s", n, err,
			rc.Info(ctx, "replication").Val(), pc.Info(ctx, "replication").Val())
	}
	waitSynced(t, pc, rc)
	sameDigest(t, pc, rc)

	// Expiry: with the primary's active expiry off, a logically expired
	// key is hidden on the replica but stays until the primary's DEL.
	if err := pc.Do(ctx, "DEBUG", "SET-ACTIVE-EXPIRE", "0").Err(); err != nil {
		t.Fatal(err)
	}
	before := rc.DBSize(ctx).Val()
	pc.Set(ctx, "short", "v", 100*time.Millisecond)
	waitSynced(t, pc, rc)
	time.Sleep(300 * time.Millisecond)
	if v, err := rc.Get(ctx, "short").Result(); err != redis.Nil {
		t.Fatalf("expired key read on the replica: %q %v", v, err)
	}
	if n := rc.DBSize(ctx).Val(); n != before+1 {
		t.Fatalf("replica DBSIZE %d, want %d: it deleted the expired key itself", n, before+1)
	}
	pc.Get(ctx, "short") // the primary expires it lazily and propagates DEL
	waitSynced(t, pc, rc)
	if n := rc.DBSize(ctx).Val(); n != before {
		t.Fatalf("replica DBSIZE %d after the primary's DEL, want %d", n, before)
	}

	// Break the link from the primary's side; the replica reconnects and
	// continues from its offset.
	ids := replicaClientIDs(t, pc)
	if len(ids) != 1 {
		t.Fatalf("replica connections on the primary: %v", ids)
	}
	if err := pc.Do(ctx, "CLIENT", "KILL", "ID", ids[0]).Err(); err != nil {
		t.Fatal(err)
	}
	pc.Set(ctx, "while:down", "1", 0)
	pc.Incr(ctx, "counter")
	deadline := time.Now().Add(10 * time.Second)
	for replInfo(t, pc, "stats", "sync_partial_ok") != "1" {
		if time.Now().After(deadline) {
			t.Fatalf("no partial resync: sync_full %s sync_partial_ok %s sync_partial_err %s",
				replInfo(t, pc, "stats", "sync_full"), replInfo(t, pc, "stats", "sync_partial_ok"),
				replInfo(t, pc, "stats", "sync_partial_err"))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if f := replInfo(t, pc, "stats", "sync_full"); f != "1" {
		t.Fatalf("sync_full %s after the reconnect, want 1", f)
	}
	waitSynced(t, pc, rc)
	sameDigest(t, pc, rc)

	// Promotion keeps the data and takes writes; the old ID is replid2.
	oldID := replInfo(t, pc, "replication", "master_replid")
	if err := rc.Do(ctx, "REPLICAOF", "NO", "ONE").Err(); err != nil {
		t.Fatal(err)
	}
	if replInfo(t, rc, "replication", "role") != "master" || replInfo(t, rc, "replication", "master_replid2") != oldID {
		t.Fatalf("after REPLICAOF NO ONE: role %s replid2 %s (old primary %s)",
			replInfo(t, rc, "replication", "role"), replInfo(t, rc, "replication", "master_replid2"), oldID)
	}
	if v := rc.Get(ctx, "while:down").Val(); v != "1" {
		t.Fatalf("promoted replica lost data: while:down = %q", v)
	}
	if err := rc.Set(ctx, "after:promotion", "v", 0).Err(); err != nil {
		t.Fatalf("write on the promoted replica: %v", err)
	}
}

// replicaClientIDs lists the ids of the connections a primary serves
// replicas on (their last command is REPLCONF or PSYNC).
func replicaClientIDs(t *testing.T, c *redis.Client) []string {
	t.Helper()
	list, err := c.Do(context.Background(), "CLIENT", "LIST").Text()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for line := range strings.SplitSeq(strings.TrimSpace(list), "\n") {
		if !strings.Contains(line, "cmd=replconf") && !strings.Contains(line, "cmd=psync") {
			continue
		}
		for f := range strings.FieldsSeq(line) {
			if id, ok := strings.CutPrefix(f, "id="); ok {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// A replica with the AOF on starts its AOF over after a full sync: after
// kill -9 and a restart on its own, it has exactly the primary's data, not
// a mix with what it held before the sync.
func TestReplicationAOFReplicaRestartsItsAOF(t *testing.T) {
	ctx := context.Background()
	primary := startVireoPrimary(t)
	pc := primary.Client(2)
	fillPrimary(t, pc)
	replica := harness.StartVireo(t, "--appendonly", "yes", "--appendfsync", "always")
	rc := replica.Client(2)
	for _, k := range []string{"old1", "old2", "str"} {
		if err := rc.Set(ctx, k, "before the sync", 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	if err := rc.Do(ctx, "REPLICAOF", "127.0.0.1", strconv.Itoa(primary.Port())).Err(); err != nil {
		t.Fatal(err)
	}
	waitSynced(t, pc, rc)
	writeAfterSync(t, pc)
	waitSynced(t, pc, rc)
	deadline := time.Now().Add(20 * time.Second)
	for replInfo(t, rc, "persistence", "aof_rewrite_in_progress") != "0" ||
		replInfo(t, rc, "persistence", "aof_rewrite_scheduled") != "0" {
		if time.Now().After(deadline) {
			t.Fatalf("the replica's AOF rewrite did not finish:\n%s", rc.Info(ctx, "persistence").Val())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := replInfo(t, rc, "persistence", "aof_rewrites"); got == "0" {
		t.Fatalf("no AOF rewrite after the sync")
	}
	sameDigest(t, pc, rc)
	rc.Close()
	replica.Kill9()
	replica.Restart() // on its own now: REPLICAOF was a command, not an option
	rc2 := replica.Client(2)
	defer rc2.Close()
	sameDigest(t, pc, rc2)
	if n, err := rc2.Exists(ctx, "old1", "old2").Result(); err != nil || n != 0 {
		t.Fatalf("keys from before the sync came back: %d, %v", n, err)
	}
}

// waitInfo waits until an INFO field has the value want.
func waitInfo(t *testing.T, c *redis.Client, section, field, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := replInfo(t, c, section, field)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("INFO %s %s = %q, want %q", section, field, got, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// syncCounts reads a primary's sync_full and sync_partial_ok.
func syncCounts(t *testing.T, c *redis.Client) string {
	t.Helper()
	return "sync_full=" + replInfo(t, c, "stats", "sync_full") + " sync_partial_ok=" + replInfo(t, c, "stats", "sync_partial_ok")
}

// A Vireo replica that saved its data continues after a restart with a
// partial resync: the RDB file carries repl-id, repl-offset and
// repl-stream-db, and the restarted replica asks PSYNC from there. Then a
// restarted primary keeps the old ID as its previous one, so the replica
// continues again.
func TestReplicationRestartsContinueVireo(t *testing.T) {
	ctx := context.Background()
	primary := startVireoPrimary(t)
	pc := primary.Client(2)
	fillPrimary(t, pc)
	replica := harness.StartVireo(t, "--replicaof", "127.0.0.1 "+strconv.Itoa(primary.Port()))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("--- primary output ---\n%s\n--- replica output ---\n%s", primary.Output(), replica.Output())
		}
	})
	rc := replica.Client(2)
	waitSynced(t, pc, rc)
	writeAfterSync(t, pc)
	// The stream's database at the save is not 0: the restarted replica
	// must apply what follows in database 5.
	conn := pc.Conn()
	defer conn.Close()
	if err := conn.Select(ctx, 5).Err(); err != nil {
		t.Fatal(err)
	}
	if err := conn.Set(ctx, "db5:before", "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	waitSynced(t, pc, rc)
	if err := rc.Do(ctx, "SAVE").Err(); err != nil {
		t.Fatal(err)
	}
	rc.Close()
	replica.Stop()
	// Writes while the replica is down, continuing in database 5 without
	// a SELECT (the primary's stream has it selected already).
	if err := conn.Set(ctx, "db5:while-down", "2", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if err := conn.Incr(ctx, "db5:counter").Err(); err != nil {
		t.Fatal(err)
	}
	pc.Set(ctx, "db0:while-down", "3", 0)
	if got := syncCounts(t, pc); got != "sync_full=1 sync_partial_ok=0" {
		t.Fatalf("before the restart: %s", got)
	}
	replica.Restart()
	rc = replica.Client(2)
	defer rc.Close()
	waitSynced(t, pc, rc)
	if got := syncCounts(t, pc); got != "sync_full=1 sync_partial_ok=1" {
		t.Fatalf("after the replica's restart: %s (want a partial resync)", got)
	}
	sameDigest(t, pc, rc)

	// The primary restarts (SHUTDOWN SAVE writes the final offset); the
	// replica's link reconnects and continues under the primary's new ID.
	// A key that expires while the primary is down: the restarted primary
	// skips it and sends the replica, which still has it, its DEL.
	pc.Set(ctx, "expires:while-down", "v", 300*time.Millisecond)
	pc.Do(ctx, "DEBUG", "SET-ACTIVE-EXPIRE", "0")
	waitSynced(t, pc, rc)
	oldID := replInfo(t, pc, "replication", "master_replid")
	oldOffset := replInfo(t, pc, "replication", "master_repl_offset")
	conn.Close()
	pc.Do(ctx, "SHUTDOWN", "SAVE") // the connection closes: no reply
	if err := primary.WaitExit(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond)
	primary.Restart()
	pc = primary.Client(2)
	defer pc.Close()
	if id2, off := replInfo(t, pc, "replication", "master_replid2"), replInfo(t, pc, "replication", "second_repl_offset"); id2 != oldID ||
		off != strconv.Itoa(mustAtoi(t, oldOffset)+1) || mustAtoi(t, replInfo(t, pc, "replication", "master_repl_offset")) <= mustAtoi(t, oldOffset) {
		t.Fatalf("restarted primary: replid2 %s second_repl_offset %s master_repl_offset %s; before: replid %s offset %s",
			id2, off, replInfo(t, pc, "replication", "master_repl_offset"), oldID, oldOffset)
	}
	waitInfo(t, pc, "stats", "sync_partial_ok", "1")
	if got := syncCounts(t, pc); got != "sync_full=0 sync_partial_ok=1" {
		t.Fatalf("after the primary's restart: %s", got)
	}
	pc.Set(ctx, "after:primary-restart", "v", 0)
	waitSynced(t, pc, rc)
	sameDigest(t, pc, rc)
	if n := rc.DBSize(ctx).Val(); n != pc.DBSize(ctx).Val() {
		t.Fatalf("replica DBSIZE %d, primary %d: the expired key's DEL did not arrive", n, pc.DBSize(ctx).Val())
	}
	if id := replInfo(t, rc, "replication", "master_replid"); id != replInfo(t, pc, "replication", "master_replid") || id == oldID {
		t.Fatalf("replica's replid %s, primary's %s (old %s)", id, replInfo(t, pc, "replication", "master_replid"), oldID)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}

// A Vireo replica of redis-server restarts from its saved RDB and gets
// +CONTINUE from redis-server: the AUX fields are the ones Redis reads.
func TestReplicationVireoReplicaRestartContinuesFromRedis(t *testing.T) {
	ctx := context.Background()
	primary := harness.StartRedis(t, "--repl-diskless-sync-delay", "0")
	pc := primary.Client(2)
	fillPrimary(t, pc)
	replica := harness.StartVireo(t, "--replicaof", "127.0.0.1 "+strconv.Itoa(primary.Port()))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("--- replica output ---\n%s", replica.Output())
		}
	})
	rc := replica.Client(2)
	waitSynced(t, pc, rc)
	writeAfterSync(t, pc)
	waitSynced(t, pc, rc)
	if err := rc.Do(ctx, "SAVE").Err(); err != nil {
		t.Fatal(err)
	}
	rc.Close()
	replica.Stop()
	pc.Set(ctx, "while-down", "1", 0)
	pc.Incr(ctx, "counter:while-down")
	replica.Restart()
	rc = replica.Client(2)
	defer rc.Close()
	waitSynced(t, pc, rc)
	if got := syncCounts(t, pc); got != "sync_full=1 sync_partial_ok=1" {
		t.Fatalf("redis-server after the replica's restart: %s (want +CONTINUE)", got)
	}
	sameDigest(t, pc, rc)
}

// redis-server, a replica of Vireo, restarts from its own saved RDB and
// Vireo accepts its PSYNC: Vireo's IDs and offsets are the ones Redis keeps.
func TestReplicationRedisReplicaRestartContinuesFromVireo(t *testing.T) {
	ctx := context.Background()
	primary := startVireoPrimary(t)
	pc := primary.Client(2)
	fillPrimary(t, pc)
	replica := harness.StartRedis(t, "--replicaof", "127.0.0.1", strconv.Itoa(primary.Port()))
	rc := replica.Client(2)
	waitSynced(t, pc, rc)
	writeAfterSync(t, pc)
	waitSynced(t, pc, rc)
	if err := rc.Do(ctx, "SAVE").Err(); err != nil {
		t.Fatal(err)
	}
	rc.Close()
	replica.Stop() // save "": the SIGTERM does not save again
	pc.Set(ctx, "while-down", "1", 0)
	pc.Incr(ctx, "counter:while-down")
	replica.Restart()
	rc = replica.Client(2)
	defer rc.Close()
	waitSynced(t, pc, rc)
	if got := syncCounts(t, pc); got != "sync_full=1 sync_partial_ok=1" {
		t.Fatalf("Vireo after redis-server's restart: %s (want a partial resync)", got)
	}
	sameDigest(t, pc, rc)
}

// clientFields parses one CLIENT LIST line into its fields.
func clientFields(line string) map[string]string {
	m := map[string]string{}
	for f := range strings.FieldsSeq(line) {
		if k, v, ok := strings.Cut(f, "="); ok {
			m[k] = v
		}
	}
	return m
}

// The primary's client shows in a replica's CLIENT LIST as Redis shows it
// (flags=M, the link's addresses, the last applied command, user
// (superuser)), CLIENT LIST TYPE master finds it, and CLIENT KILL TYPE
// master drops the link, which continues with a partial resync. The
// replica's connection shows on the primary with flags=S and TYPE replica.
// The same checks run against redis-server as the replica.
func TestReplicationMasterClientInClientList(t *testing.T) {
	for _, kind := range []string{"vireo", "redis"} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			primary := harness.StartRedis(t, "--repl-diskless-sync-delay", "0")
			pc := primary.Client(2)
			port := strconv.Itoa(primary.Port())
			var replica *harness.Server
			if kind == "vireo" {
				replica = harness.StartVireo(t, "--replicaof", "127.0.0.1 "+port)
			} else {
				replica = harness.StartRedis(t, "--replicaof", "127.0.0.1", port)
			}
			rc := replica.Client(2)
			waitSynced(t, pc, rc)
			conn := pc.Conn()
			defer conn.Close()
			conn.Select(ctx, 4)
			conn.Set(ctx, "k", "v", 0)
			waitSynced(t, pc, rc)

			list, err := rc.Do(ctx, "CLIENT", "LIST", "TYPE", "master").Text()
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(list), "\n")
			if len(lines) != 1 {
				t.Fatalf("CLIENT LIST TYPE master: %q", list)
			}
			m := clientFields(lines[0])
			want := map[string]string{"addr": "127.0.0.1:" + port, "flags": "M", "db": "4", "cmd": "set", "user": "(superuser)", "name": "", "multi": "-1", "resp": "2"}
			for k, v := range want {
				if m[k] != v {
					t.Errorf("master client %s=%q, want %q (line %q)", k, m[k], v, lines[0])
				}
			}
			if m["laddr"] == "" || m["fd"] == "-1" || m["id"] == "" {
				t.Errorf("master client line %q", lines[0])
			}
			all, _ := rc.Do(ctx, "CLIENT", "LIST").Text()
			if !strings.Contains(all, "id="+m["id"]+" ") {
				t.Errorf("CLIENT LIST lacks the master client:\n%s", all)
			}
			if got, _ := rc.Do(ctx, "CLIENT", "LIST", "ID", m["id"]).Text(); !strings.Contains(got, "flags=M") {
				t.Errorf("CLIENT LIST ID %s = %q", m["id"], got)
			}
			if normal, _ := rc.Do(ctx, "CLIENT", "LIST", "TYPE", "normal").Text(); strings.Contains(normal, "flags=M") {
				t.Errorf("CLIENT LIST TYPE normal lists the master client:\n%s", normal)
			}
			// On the primary (redis-server) the replica is flags=S.
			if reps, _ := pc.Do(ctx, "CLIENT", "LIST", "TYPE", "replica").Text(); !strings.Contains(reps, "flags=S") {
				t.Errorf("primary's CLIENT LIST TYPE replica = %q", reps)
			}

			// connected_clients counts the master client, as CLIENT LIST
			// lists it.
			if got, want := replInfo(t, rc, "clients", "connected_clients"), clientCount(t, rc); got != strconv.Itoa(want) {
				t.Errorf("replica's connected_clients %s, CLIENT LIST has %d", got, want)
			}
			if n, err := rc.Do(ctx, "CLIENT", "KILL", "TYPE", "master").Int(); err != nil || n != 1 {
				t.Fatalf("CLIENT KILL TYPE master = %d, %v", n, err)
			}
			conn.Set(ctx, "after:kill", "v", 0)
			waitInfo(t, pc, "stats", "sync_partial_ok", "1")
			waitSynced(t, pc, rc)
			sameDigest(t, pc, rc)
		})
	}
}

// A Vireo primary lists its replica's connection with flags=S, under
// CLIENT LIST TYPE replica, as redis-server does.
func TestReplicationReplicaConnFlags(t *testing.T) {
	ctx := context.Background()
	primary := startVireoPrimary(t)
	pc := primary.Client(2)
	replica := harness.StartVireo(t, "--replicaof", "127.0.0.1 "+strconv.Itoa(primary.Port()))
	rc := replica.Client(2)
	waitSynced(t, pc, rc)
	reps, err := pc.Do(ctx, "CLIENT", "LIST", "TYPE", "replica").Text()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(reps), "\n")
	if len(lines) != 1 || clientFields(lines[0])["flags"] != "S" {
		t.Fatalf("CLIENT LIST TYPE replica = %q", reps)
	}
	if normal, _ := pc.Do(ctx, "CLIENT", "LIST", "TYPE", "normal").Text(); strings.Contains(normal, "flags=S") {
		t.Fatalf("CLIENT LIST TYPE normal lists the replica:\n%s", normal)
	}
	// connected_clients leaves the replicas out, as Redis counts it.
	if got, want := replInfo(t, pc, "clients", "connected_clients"), clientCount(t, pc)-1; got != strconv.Itoa(want) {
		t.Fatalf("primary's connected_clients %s, want %d", got, want)
	}
}

// clientCount is the number of lines of CLIENT LIST.
func clientCount(t *testing.T, c *redis.Client) int {
	t.Helper()
	list, err := c.Do(context.Background(), "CLIENT", "LIST").Text()
	if err != nil {
		t.Fatal(err)
	}
	return len(strings.Split(strings.TrimSpace(list), "\n"))
}

// startVireoPrimary starts Vireo to serve replicas at once: without
// repl-diskless-sync-delay (Redis's default 5 s wait for more replicas).
func startVireoPrimary(t *testing.T, args ...string) *harness.Server {
	t.Helper()
	return harness.StartVireo(t, append([]string{"--repl-diskless-sync-delay", "0"}, args...)...)
}

// repl-diskless-sync-delay: replicas asking within the delay wait (state
// wait_bgsave, kept alive by newlines) and then share one snapshot.
func TestReplicationDisklessSyncDelaySharesSnapshot(t *testing.T) {
	ctx := context.Background()
	primary := harness.StartVireo(t, "--repl-diskless-sync-delay", "2")
	pc := primary.Client(2)
	fillPrimary(t, pc)
	port := strconv.Itoa(primary.Port())
	r1 := harness.StartVireo(t)
	r2 := harness.StartRedis(t)
	c1, c2 := r1.Client(2), r2.Client(2)
	asked := time.Now()
	if err := c1.Do(ctx, "REPLICAOF", "127.0.0.1", port).Err(); err != nil {
		t.Fatal(err)
	}
	if err := c2.Do(ctx, "REPLICAOF", "127.0.0.1", port).Err(); err != nil {
		t.Fatal(err)
	}
	waitInfo(t, pc, "replication", "connected_slaves", "2")
	if s := replInfo(t, pc, "replication", "slave0"); !strings.Contains(s, "state=wait_bgsave") && time.Since(asked) < 1500*time.Millisecond {
		t.Fatalf("a replica within the delay: %s", s)
	}
	waitSynced(t, pc, c1)
	waitSynced(t, pc, c2)
	if waited := time.Since(asked); waited < 2*time.Second {
		t.Fatalf("the full sync started after %v, before the 2 s delay", waited)
	}
	writeAfterSync(t, pc)
	waitSynced(t, pc, c1)
	waitSynced(t, pc, c2)
	sameDigest(t, pc, c1)
	sameDigest(t, pc, c2)
	if got := syncCounts(t, pc); got != "sync_full=2 sync_partial_ok=0" {
		t.Fatalf("primary: %s", got)
	}
	if out := primary.Output(); strings.Count(out, "Starting a snapshot for SYNC") != 1 || !strings.Contains(out, "replicas=2") {
		t.Fatalf("the replicas did not share one snapshot:\n%s", out)
	}
}
