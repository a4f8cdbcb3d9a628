package snapshot

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vireodb/vireo/datatypes/hash"
	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/list"
	"github.com/vireodb/vireo/datatypes/set"
	"github.com/vireodb/vireo/datatypes/zset"
	"github.com/vireodb/vireo/persistence/rdb"
)

var limits = rdb.Limits{
	HashMaxListpackEntries: 128, HashMaxListpackValue: 64,
	SetMaxIntsetEntries: 512, SetMaxListpackEntries: 128, SetMaxListpackValue: 64,
	ZsetMaxListpackEntries: 128, ZsetMaxListpackValue: 64,
	ListMaxListpackSize: -2,
}

// contents describes an entry's value and TTL independently of hash-table
// iteration order.
func contents(t testing.TB, e *keyspace.Entry) string {
	switch e.Type {
	case keyspace.TypeSet:
		var ms []string
		for _, m := range e.Obj.(*set.Set).Members() {
			ms = append(ms, string(m))
		}
		slices.Sort(ms)
		return fmt.Sprintf("set %q ttl %d", ms, e.Expire)
	case keyspace.TypeZSet:
		var ps []string
		e.Obj.(*zset.ZSet).RangeByRank(0, -1, false, func(m []byte, sc float64) bool {
			ps = append(ps, fmt.Sprintf("%s=%g", m, sc))
			return true
		})
		return fmt.Sprintf("zset %q ttl %d", ps, e.Expire)
	case keyspace.TypeHash:
		var tmp hash.Hash
		var ps []string
		hash.View(e.Str, e.Obj, &tmp).Range(func(f, v []byte) bool {
			ps = append(ps, string(f)+"="+string(v))
			return true
		})
		slices.Sort(ps)
		return fmt.Sprintf("hash %q ttl %d", ps, e.Expire)
	}
	d, err := rdb.Dump(e)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s %x ttl %d", e.Type.Name(), d, e.Expire)
}

func newEntry(r *rand.Rand, typ int, n int) keyspace.Entry {
	switch typ {
	case 0:
		return keyspace.Entry{Type: keyspace.TypeString, Str: []byte("v" + strconv.Itoa(r.IntN(1e6)))}
	case 1:
		l := list.New(-2)
		for i := 0; i < n; i++ {
			l.PushTail([]byte("e" + strconv.Itoa(i)))
		}
		return keyspace.Entry{Type: keyspace.TypeList, Enc: keyspace.EncQuicklist, Obj: l}
	case 2:
		s := set.New()
		for i := 0; i < n; i++ {
			s.Add([]byte(strconv.Itoa(r.IntN(1000))), 512)
		}
		return keyspace.Entry{Type: keyspace.TypeSet, Obj: s}
	case 3:
		z := zset.New()
		for i := 0; i < n; i++ {
			z.Insert([]byte("m"+strconv.Itoa(i)), float64(r.IntN(100)))
		}
		return keyspace.Entry{Type: keyspace.TypeZSet, Obj: z}
	default:
		h := hash.New()
		for i := 0; i < n; i++ {
			h.Set([]byte("f"+strconv.Itoa(i)), []byte("v"+strconv.Itoa(r.IntN(100))), hash.Limits{MaxListpackEntries: 128, MaxListpackValue: 64})
		}
		e := keyspace.Entry{Type: keyspace.TypeHash}
		e.Str, e.Obj = hash.Parts(h, h)
		return e
	}
}

// image copies the whole keyspace (caller holds every lock) as
// "db/key" -> contents, expired-but-present keys included.
func image(t testing.TB, ks *keyspace.Keyspace) map[string]string {
	out := map[string]string{}
	for d := 0; d < ks.NumDBs(); d++ {
		db := ks.DB(d)
		for i := 0; i < db.NumShards(); i++ {
			db.RangeShard(i, 0, func(k string, e *keyspace.Entry) bool {
				out[fmt.Sprintf("%d/%s", d, k)] = contents(t, e)
				return true
			})
		}
	}
	return out
}

func loadImage(t testing.TB, data []byte) map[string]string {
	out := map[string]string{}
	_, err := rdb.Load(bytes.NewReader(data), rdb.LoadOptions{Limits: limits}, func(k *rdb.LoadedKey) error {
		name := fmt.Sprintf("%d/%s", k.DB, k.Key)
		if _, dup := out[name]; dup {
			return fmt.Errorf("key %s twice in the file", name)
		}
		out[name] = contents(t, &k.Entry)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func compareImages(t *testing.T, got, want map[string]string) {
	t.Helper()
	bad := 0
	for k, w := range want {
		if g, ok := got[k]; !ok {
			t.Errorf("%s missing from the snapshot", k)
			bad++
		} else if g != w {
			t.Errorf("%s differs:\n got %.200s\nwant %.200s", k, g, w)
			bad++
		}
		if bad > 10 {
			t.FailNow()
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s in the snapshot, born after the epoch", k)
		}
	}
}

func populate(ks *keyspace.Keyspace, r *rand.Rand, n int) {
	ks.LockAll()
	defer ks.UnlockAll()
	now := time.Now().UnixMilli()
	for i := 0; i < n; i++ {
		e := newEntry(r, r.IntN(5), 1+r.IntN(200))
		switch r.IntN(6) {
		case 0:
			e.Expire = now + 3600_000
		case 1:
			e.Expire = now - 1000 // expired, not collected yet
		}
		ks.DB(r.IntN(ks.NumDBs())).Put([]byte("k"+strconv.Itoa(i)), e)
	}
}

// mutate performs one random write, as the server's commands would. Only
// the goroutine with cron set runs active expiry (one cycle at a time, as
// the server's cron).
func mutate(ks *keyspace.Keyspace, r *rand.Rand, keyspaceSize int, cron bool) {
	d := r.IntN(ks.NumDBs())
	db := ks.DB(d)
	op := r.IntN(100)
	switch {
	case op < 2: // FLUSHDB
		ks.LockAll()
		db.FlushLocked()
		ks.UnlockAll()
		return
	case op < 4: // SWAPDB
		ks.LockAll()
		ks.SwapDB(d, r.IntN(ks.NumDBs()))
		ks.UnlockAll()
		return
	case op < 6: // active expiry
		if cron {
			ks.ActiveExpireCycle(time.Millisecond)
		}
		return
	case op < 10: // RENAME within a database
		src, dst := []byte("k"+strconv.Itoa(r.IntN(keyspaceSize))), []byte("k"+strconv.Itoa(r.IntN(keyspaceSize*2)))
		held := ks.LockShards([]int{db.ShardIndex(src), db.ShardIndex(dst)})
		if db.Lookup(src, time.Now().UnixMilli()) != nil {
			db.Rename(src, dst)
		}
		ks.UnlockShards(held)
		return
	}
	key := []byte("k" + strconv.Itoa(r.IntN(keyspaceSize*2))) // half of them new
	held := ks.LockShards([]int{db.ShardIndex(key)})
	defer ks.UnlockShards(held)
	now := time.Now().UnixMilli()
	switch {
	case op < 30:
		db.Put(key, newEntry(r, r.IntN(5), 1+r.IntN(20)))
	case op < 45:
		db.Delete(key)
	case op < 55:
		if e := db.LookupWrite(key, now); e != nil {
			db.SetExpire(key, e, now+int64(r.IntN(3))-1) // some expire at once
		}
	default: // change in place
		e := db.LookupWrite(key, now) // lazy expiry too
		if e == nil {
			return
		}
		switch e.Type {
		case keyspace.TypeString:
			e.Str = append(e.Str, 'x')
		case keyspace.TypeList:
			e.Obj.(*list.List).PushTail([]byte("pushed"))
		case keyspace.TypeSet:
			e.Obj.(*set.Set).Add([]byte("added"+strconv.Itoa(r.IntN(5))), 512)
		case keyspace.TypeZSet:
			z := e.Obj.(*zset.ZSet)
			z.Insert([]byte("new"+strconv.Itoa(r.IntN(1000))), 1.5)
		case keyspace.TypeHash:
			var tmp hash.Hash
			h := hash.View(e.Str, e.Obj, &tmp)
			h.Set([]byte("nf"), []byte(strconv.Itoa(r.IntN(100))), hash.Limits{MaxListpackEntries: 128, MaxListpackValue: 64})
			e.Str, e.Obj = hash.Parts(h, e.Obj)
		}
	}
}

// The property: a snapshot taken while writers change, delete, expire,
// rename, flush, swap and create keys of every type holds exactly the
// keyspace as it was when BeginLocked ran.
func TestSnapshotPointInTime(t *testing.T) {
	for round := 0; round < 3; round++ {
		t.Run(strconv.Itoa(round), func(t *testing.T) {
			ks := keyspace.New(keyspace.Options{Databases: 4, ShardsPerDB: 8})
			ks.SizeOf = func(e *keyspace.Entry) int { return len(e.Str) + 16 }
			r := rand.New(rand.NewPCG(uint64(round), 7))
			const n = 1500
			populate(ks, r, n)

			ks.LockAll()
			want := image(t, ks)
			snap, err := BeginLocked(ks, Options{Compress: round%2 == 0, Checksum: true, Aux: rdb.DefaultAux(1, 2)})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := BeginLocked(ks, Options{}); !errors.Is(err, ErrInProgress) {
				t.Fatalf("second snapshot: %v", err)
			}
			ks.UnlockAll()

			var stop atomic.Bool
			var wg sync.WaitGroup
			var ops atomic.Int64
			for w := 0; w < 3; w++ {
				wg.Add(1)
				go func(seed uint64) {
					defer wg.Done()
					r := rand.New(rand.NewPCG(seed, uint64(round)))
					for !stop.Load() {
						mutate(ks, r, n, seed == 100)
						ops.Add(1)
					}
				}(uint64(w + 100))
			}
			// Let the writers run ahead of the saver for a moment.
			time.Sleep(20 * time.Millisecond)
			var buf bytes.Buffer
			written, err := snap.WriteTo(&buf)
			stop.Store(true)
			wg.Wait()
			if err != nil {
				t.Fatal(err)
			}
			if written != int64(buf.Len()) {
				t.Fatalf("WriteTo says %d bytes, wrote %d", written, buf.Len())
			}
			if ks.Snapshot != nil {
				t.Fatal("hook still installed after WriteTo")
			}
			t.Logf("%d writes during the snapshot, %d bytes saved by writers", ops.Load(), snap.HookBytes())
			compareImages(t, loadImage(t, buf.Bytes()), want)
			if ops.Load() == 0 {
				t.Fatal("no write ran during the snapshot")
			}
		})
	}
}

func TestWriteLockedAndAbort(t *testing.T) {
	ks := keyspace.New(keyspace.Options{Databases: 2, ShardsPerDB: 4})
	populate(ks, rand.New(rand.NewPCG(1, 1)), 300)
	ks.LockAll()
	want := image(t, ks)
	var buf bytes.Buffer
	if _, err := WriteLocked(ks, &buf, Options{Checksum: true}); err != nil {
		t.Fatal(err)
	}
	snap, err := BeginLocked(ks, Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap.Abort()
	if ks.Snapshot != nil {
		t.Fatal("Abort left the hook installed")
	}
	ks.UnlockAll()
	compareImages(t, loadImage(t, buf.Bytes()), want)
	if _, err := snap.WriteTo(discardWriter{}); !errors.Is(err, ErrAborted) {
		t.Fatalf("WriteTo after Abort: %v", err)
	}
	// A new snapshot can start after the aborted one.
	ks.LockAll()
	if _, err := BeginLocked(ks, Options{}); err != nil {
		t.Fatal(err)
	}
	ks.UnlockAll()
}

// A failing writer (disk full) ends the snapshot with the error and removes
// the hook.
func TestWriteToError(t *testing.T) {
	ks := keyspace.New(keyspace.Options{Databases: 1, ShardsPerDB: 4})
	populate(ks, rand.New(rand.NewPCG(2, 2)), 200)
	ks.LockAll()
	snap, _ := BeginLocked(ks, Options{})
	ks.UnlockAll()
	if _, err := snap.WriteTo(&failAfter{n: 100}); err == nil || !errors.Is(err, errDiskFull) {
		t.Fatalf("error %v", err)
	}
	if ks.Snapshot != nil {
		t.Fatal("hook still installed")
	}
}

type discardWriter struct{}

func (discardWriter) Write(p []byte) (int, error) { return len(p), nil }

var errDiskFull = errors.New("no space left on device")

type failAfter struct{ n int }

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		n := f.n
		f.n = 0
		return n, errDiskFull
	}
	f.n -= len(p)
	return len(p), nil
}
