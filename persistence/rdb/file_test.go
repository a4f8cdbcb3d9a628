package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vireodb/vireo/datatypes/hash"
	"github.com/vireodb/vireo/datatypes/keyspace"
	"github.com/vireodb/vireo/datatypes/list"
	"github.com/vireodb/vireo/datatypes/set"
	"github.com/vireodb/vireo/datatypes/zset"
)

// redisDefaultLimits are redis-server 7.0's default encoding thresholds.
var redisDefaultLimits = Limits{
	HashMaxListpackEntries: 128, HashMaxListpackValue: 64,
	SetMaxIntsetEntries: 512, SetMaxListpackEntries: 128, SetMaxListpackValue: 64,
	ZsetMaxListpackEntries: 128, ZsetMaxListpackValue: 64,
	ListMaxListpackSize: -2,
}

type fileKey struct {
	db   int
	key  string
	e    keyspace.Entry
	meta KeyMeta
}

// sampleKeys builds keys of every type except streams (covered by the
// differential test), small and large encodings, some with a TTL.
func sampleKeys(t *testing.T) []fileKey {
	t.Helper()
	var out []fileKey
	add := func(db int, key string, e keyspace.Entry) {
		out = append(out, fileKey{db: db, key: key, e: e, meta: NoMeta})
	}
	add(0, "s:int", keyspace.Entry{Type: keyspace.TypeString, Str: []byte("12345")})
	add(0, "s:long", keyspace.Entry{Type: keyspace.TypeString, Str: bytes.Repeat([]byte("abc"), 100), Expire: 4102444800000})
	add(0, "", keyspace.Entry{Type: keyspace.TypeString, Str: []byte{}})
	for _, n := range []int{3, 1000} {
		l := list.New(-2)
		s := set.New()
		si := set.New()
		z := zset.New()
		if n > 128 {
			z = zset.NewBig(n)
		}
		var pairs [][]byte
		for i := 0; i < n; i++ {
			l.PushTail([]byte("elem" + strconv.Itoa(i)))
			s.Add([]byte("m"+strconv.Itoa(i)), 512)
			si.Add([]byte(strconv.Itoa(i*7)), 512)
			z.Insert([]byte("z"+strconv.Itoa(i)), float64(i)/3)
			pairs = append(pairs, []byte("f"+strconv.Itoa(i)), []byte("v"+strconv.Itoa(i)))
		}
		db := n % 3
		add(db, "list"+strconv.Itoa(n), keyspace.Entry{Type: keyspace.TypeList, Enc: keyspace.EncQuicklist, Obj: l})
		add(db, "set"+strconv.Itoa(n), keyspace.Entry{Type: keyspace.TypeSet, Obj: s})
		add(db, "iset"+strconv.Itoa(n), keyspace.Entry{Type: keyspace.TypeSet, Obj: si, Expire: 1})
		add(db, "zset"+strconv.Itoa(n), keyspace.Entry{Type: keyspace.TypeZSet, Obj: z})
		add(db, "hash"+strconv.Itoa(n), *hashEntry(hash.Limits{MaxListpackEntries: 128, MaxListpackValue: 64}, pairs...))
	}
	out[0].meta = KeyMeta{Idle: 77, Freq: -1}
	out[1].meta = KeyMeta{Idle: -1, Freq: 200}
	return out
}

// entryContents describes e's value independently of the iteration order
// of hash tables (which a reload may change, in Redis too).
func entryContents(t *testing.T, e *keyspace.Entry) string {
	t.Helper()
	switch e.Type {
	case keyspace.TypeSet:
		var ms []string
		for _, m := range e.Obj.(*set.Set).Members() {
			ms = append(ms, string(m))
		}
		slices.Sort(ms)
		return fmt.Sprintf("set %q", ms)
	case keyspace.TypeHash:
		return fmt.Sprintf("hash %q", hashContents(entryHash(e)))
	}
	return string(mustDump(t, e))
}

func writeFile(t *testing.T, keys []fileKey, compress, checksum bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	fw := NewFileWriter(&buf, compress, checksum)
	if err := fw.WriteHeader(DefaultAux(1700000000, 1234)); err != nil {
		t.Fatal(err)
	}
	for db := 0; db < 3; db++ {
		var n, nexp uint64
		for _, k := range keys {
			if k.db == db {
				n++
				if k.e.Expire != 0 {
					nexp++
				}
			}
		}
		if n == 0 {
			continue
		}
		if err := fw.WriteDB(db, n, nexp); err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if k.db == db {
				if err := fw.WriteKey([]byte(k.key), &k.e, k.meta); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if err := fw.Finish(); err != nil {
		t.Fatal(err)
	}
	if fw.Written() != int64(buf.Len()) {
		t.Fatalf("Written %d, buffer holds %d", fw.Written(), buf.Len())
	}
	return buf.Bytes()
}

func loadAll(data []byte, opt LoadOptions) ([]fileKey, LoadInfo, error) {
	var got []fileKey
	info, err := Load(bytes.NewReader(data), opt, func(k *LoadedKey) error {
		got = append(got, fileKey{db: k.DB, key: string(k.Key), e: k.Entry, meta: k.Meta})
		return nil
	})
	return got, info, err
}

func TestFileRoundTrip(t *testing.T) {
	keys := sampleKeys(t)
	for _, mode := range []struct{ compress, checksum bool }{{true, true}, {false, true}, {true, false}} {
		t.Run(fmt.Sprintf("compress=%v,checksum=%v", mode.compress, mode.checksum), func(t *testing.T) {
			data := writeFile(t, keys, mode.compress, mode.checksum)
			if !bytes.HasPrefix(data, []byte("REDIS0010\xfa\x09redis-ver\x067.0.15")) {
				t.Fatalf("header %q", data[:30])
			}
			if sum := binary.LittleEndian.Uint64(data[len(data)-8:]); (sum != 0) != mode.checksum {
				t.Fatalf("checksum %x with checksum=%v", sum, mode.checksum)
			}
			var aux []string
			got, info, err := loadAll(data, LoadOptions{Limits: redisDefaultLimits, Databases: 16,
				OnAux: func(k, v []byte) error { aux = append(aux, string(k)+"="+string(v)); return nil }})
			if err != nil {
				t.Fatal(err)
			}
			if want := "redis-ver=7.0.15 redis-bits=64 ctime=1700000000 used-mem=1234 aof-base=0"; strings.Join(aux, " ") != want {
				t.Fatalf("aux %q", aux)
			}
			if info.Version != 10 || info.Keys != int64(len(keys)) || info.Bytes != int64(len(data)) {
				t.Fatalf("info %+v, %d keys, %d bytes", info, len(keys), len(data))
			}
			want := map[string]fileKey{}
			for _, k := range keys {
				want[k.key] = k
			}
			for _, g := range got {
				w, ok := want[g.key]
				if !ok {
					t.Fatalf("unexpected key %q", g.key)
				}
				delete(want, g.key)
				if g.db != w.db || g.e.Expire != w.e.Expire || g.meta != w.meta {
					t.Errorf("%q: db %d expire %d meta %+v, want %d %d %+v", g.key, g.db, g.e.Expire, g.meta, w.db, w.e.Expire, w.meta)
				}
				if gd, wd := entryContents(t, &g.e), entryContents(t, &w.e); gd != wd {
					t.Errorf("%q: value differs after the round trip", g.key)
				}
			}
			if len(want) != 0 {
				t.Errorf("keys missing: %d", len(want))
			}
		})
	}
}

func TestFileLoadErrors(t *testing.T) {
	good := writeFile(t, sampleKeys(t)[:3], true, true)
	noop := func(*LoadedKey) error { return nil }
	check := func(name string, data []byte, opt LoadOptions, target error, text string) {
		t.Helper()
		_, err := Load(bytes.NewReader(data), opt, noop)
		if err == nil || !errors.Is(err, target) || !strings.Contains(err.Error(), text) {
			t.Errorf("%s: error %v, want %v containing %q", name, err, target, text)
		}
	}
	check("magic", append([]byte("RADIS"), good[5:]...), LoadOptions{}, ErrBadFormat, "wrong signature")
	check("version 12", append([]byte("REDIS0012"), good[9:]...), LoadOptions{}, ErrBadFormat, "version")
	check("version 0", append([]byte("REDIS0000"), good[9:]...), LoadOptions{}, ErrBadFormat, "version")
	bad := bytes.Clone(good)
	bad[len(bad)-1] ^= 1
	check("checksum", bad, LoadOptions{}, ErrBadFormat, "checksum")
	if _, err := Load(bytes.NewReader(bad), LoadOptions{SkipChecksum: true}, noop); err != nil {
		t.Errorf("SkipChecksum: %v", err)
	}
	hdr := []byte("REDIS0010")
	check("module aux", append(bytes.Clone(hdr), OpModuleAux, 0), LoadOptions{}, ErrUnsupported, "module")
	check("module value", append(bytes.Clone(hdr), TypeModule2, 1, 'k'), LoadOptions{}, ErrUnsupported, "module")
	fn := append(bytes.Clone(hdr), OpFunction2)
	fn = AppendString(fn, []byte("#!lua name=x\nredis.register_function('f', function() return 1 end)"), false)
	fn = append(fn, OpEOF)
	fn = binary.LittleEndian.AppendUint64(fn, 0)
	check("function", fn, LoadOptions{}, ErrUnsupported, "function")
	var libs []string
	if _, err := Load(bytes.NewReader(fn), LoadOptions{OnFunction: func(c []byte) error { libs = append(libs, string(c)); return nil }}, noop); err != nil || len(libs) != 1 {
		t.Errorf("OnFunction: %v, %q", err, libs)
	}
	check("unknown type", append(bytes.Clone(hdr), 30), LoadOptions{}, ErrBadFormat, "unknown object type")
	// Every truncation fails cleanly.
	for n := 0; n < len(good); n++ {
		if _, err := Load(bytes.NewReader(good[:n]), LoadOptions{Limits: redisDefaultLimits}, noop); err == nil || !errors.Is(err, ErrBadFormat) {
			t.Fatalf("truncated to %d bytes: %v", n, err)
		}
	}
}

// A SELECTDB beyond the configured databases is refused.
func TestFileLoadDatabaseLimit(t *testing.T) {
	data := writeFile(t, sampleKeys(t), true, true) // uses databases 0 and 1
	if _, _, err := loadAll(data, LoadOptions{Limits: redisDefaultLimits, Databases: 1}); err == nil || !strings.Contains(err.Error(), "database 1") {
		t.Fatalf("error %v", err)
	}
}

func FuzzLoadFile(f *testing.F) {
	keys := sampleKeys(&testing.T{})
	f.Add(writeFile(&testing.T{}, keys[:6], true, true))
	f.Add(writeFile(&testing.T{}, keys[:6], false, false))
	f.Add([]byte("REDIS0009\xfe\x00\x00\x01k\x01v\xff"))
	if data, err := os.ReadFile(filepath.Join("testdata", "redis-7.0.rdb")); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _, err := loadAll(data, LoadOptions{Limits: redisDefaultLimits, Databases: 16, SkipChecksum: true})
		if err != nil && !errors.Is(err, ErrBadFormat) && !errors.Is(err, ErrUnsupported) {
			t.Fatalf("error %v wraps neither ErrBadFormat nor ErrUnsupported", err)
		}
	})
}
