package rdb

// Whole RDB files, as Redis 7.0 writes and reads them (rdb.c rdbSaveRio,
// rdbLoadRioWithLoadingCtx):
//
//	"REDIS" + 4-digit version
//	AUX fields (redis-ver, redis-bits, ctime, used-mem,
//	    [repl-stream-db, repl-id, repl-offset], aof-base)
//	per database: SELECTDB db, RESIZEDB size expires,
//	    per key: [EXPIRETIME_MS ms] [IDLE secs | FREQ counter] type key value
//	EOF, CRC64 of everything before it (8 bytes LE; zeros with rdbchecksum no)
//
// Writing is split so that a fork-less snapshot can serialise keys under a
// shard lock into memory (AppendKey) and write those bytes to the file later
// (FileWriter.WriteRaw); the FileWriter keeps the running checksum over all
// of it.

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/vireodb/vireo/datatypes/keyspace"
)

// RedisVersionAux is the redis-ver AUX field Vireo writes: the Redis version
// whose RDB format (version 10) the file follows.
const RedisVersionAux = "7.0.15"

// ErrUnsupported wraps the errors for RDB content Vireo cannot load yet
// (module values, module AUX data, function libraries without a handler).
var ErrUnsupported = errors.New("rdb: not supported")

// AuxField is one AUX key/value pair of a file's header.
type AuxField struct {
	Key, Value string
}

// DefaultAux returns the AUX fields Redis 7.0 writes for a primary without
// replication info: redis-ver, redis-bits, ctime (unix seconds), used-mem,
// aof-base (0: a plain RDB, not an AOF preamble). See Aux for the fields
// with the replication state.
func DefaultAux(ctimeUnix int64, usedMem int64) []AuxField {
	return Aux(ctimeUnix, usedMem, nil)
}

// KeyMeta is the eviction metadata Redis writes before a key, depending on
// maxmemory-policy: IDLE (seconds) with an LRU policy, FREQ (the LFU
// counter) with an LFU policy, neither otherwise. Negative means absent.
type KeyMeta struct {
	Idle int64
	Freq int
}

// NoMeta writes neither IDLE nor FREQ.
var NoMeta = KeyMeta{Idle: -1, Freq: -1}

// AppendKey appends one key record (optional EXPIRETIME_MS, IDLE/FREQ, type,
// key, value) to dst, as rdbSaveKeyValuePair writes it.
func AppendKey(dst []byte, key []byte, e *keyspace.Entry, meta KeyMeta, compress bool) ([]byte, error) {
	if e.Expire != 0 {
		dst = append(dst, OpExpireTimeMs)
		dst = binary.LittleEndian.AppendUint64(dst, uint64(e.Expire))
	}
	if meta.Idle >= 0 {
		dst = append(dst, OpIdle)
		dst = AppendLen(dst, uint64(meta.Idle))
	}
	if meta.Freq >= 0 {
		dst = append(dst, OpFreq, byte(meta.Freq))
	}
	start := len(dst)
	dst = append(dst, 0) // the type, known once the value is encoded
	dst = AppendString(dst, key, compress)
	typ, out, err := EncodeValue(e, dst, compress)
	if err != nil {
		return dst[:start], fmt.Errorf("rdb: key %q: %w", key, err)
	}
	out[start] = typ
	return out, nil
}

// FileWriter writes an RDB file through an Encoder: header, databases, keys,
// footer. Errors are sticky (the Encoder's).
type FileWriter struct {
	enc      *Encoder
	compress bool
	checksum bool
	buf      []byte
}

// NewFileWriter returns a writer of an RDB file to w (wrap files in a
// bufio.Writer). compress is rdbcompression, checksum is rdbchecksum.
func NewFileWriter(w io.Writer, compress, checksum bool) *FileWriter {
	return &FileWriter{enc: NewEncoder(w, compress), compress: compress, checksum: checksum}
}

// WriteHeader writes the magic, the version (RDBVersion) and the AUX fields.
func (fw *FileWriter) WriteHeader(aux []AuxField) error {
	fw.buf = fmt.Appendf(fw.buf[:0], "REDIS%04d", RDBVersion)
	for _, a := range aux {
		fw.buf = append(fw.buf, OpAux)
		fw.buf = AppendString(fw.buf, []byte(a.Key), fw.compress)
		fw.buf = AppendString(fw.buf, []byte(a.Value), fw.compress)
	}
	return fw.enc.WriteRaw(fw.buf)
}

// WriteFunction writes one function library (FUNCTION2 opcode, then its
// code), as Redis writes each library before the databases.
func (fw *FileWriter) WriteFunction(code []byte) error {
	fw.buf = append(fw.buf[:0], OpFunction2)
	fw.buf = AppendString(fw.buf, code, fw.compress)
	return fw.enc.WriteRaw(fw.buf)
}

// WriteDB opens database db: SELECTDB, then RESIZEDB with the hints for the
// number of keys and of keys with a TTL.
func (fw *FileWriter) WriteDB(db int, keys, expires uint64) error {
	fw.buf = append(fw.buf[:0], OpSelectDB)
	fw.buf = AppendLen(fw.buf, uint64(db))
	fw.buf = append(fw.buf, OpResizeDB)
	fw.buf = AppendLen(fw.buf, keys)
	fw.buf = AppendLen(fw.buf, expires)
	return fw.enc.WriteRaw(fw.buf)
}

// WriteKey writes one key record (see AppendKey).
func (fw *FileWriter) WriteKey(key []byte, e *keyspace.Entry, meta KeyMeta) error {
	var err error
	fw.buf, err = AppendKey(fw.buf[:0], key, e, meta, fw.compress)
	if err != nil {
		return err
	}
	return fw.enc.WriteRaw(fw.buf)
}

// WriteRaw writes key records encoded earlier by AppendKey.
func (fw *FileWriter) WriteRaw(p []byte) error { return fw.enc.WriteRaw(p) }

// Finish writes EOF and the checksum (zero with rdbchecksum off, which
// Redis's loader accepts as "no checksum").
func (fw *FileWriter) Finish() error {
	if err := fw.enc.WriteType(OpEOF); err != nil {
		return err
	}
	var sum uint64
	if fw.checksum {
		sum = fw.enc.Checksum()
	}
	fw.buf = binary.LittleEndian.AppendUint64(fw.buf[:0], sum)
	return fw.enc.WriteRaw(fw.buf)
}

// Written returns the number of bytes written so far.
func (fw *FileWriter) Written() int64 { return fw.enc.Written() }

// LoadOptions configure Load.
type LoadOptions struct {
	Limits Limits // encoding thresholds for the loaded values

	// Databases is the number of databases; a SELECTDB at or above it is an
	// error, as in Redis. 0 means no check.
	Databases int

	// OnAux, when set, receives every AUX field.
	OnAux func(key, value []byte) error

	// OnFunction receives the code of each function library (FUNCTION2).
	// When nil, a file holding libraries fails with ErrUnsupported rather
	// than dropping them silently.
	OnFunction func(code []byte) error

	// SkipChecksum skips the footer check (rdbchecksum no).
	SkipChecksum bool
}

// LoadedKey is one key read from a file. Entry.Expire holds the key's
// absolute expiry in unix ms (0: none), whether passed or not: the caller
// decides (a primary drops expired keys, a replica keeps them).
type LoadedKey struct {
	DB    int
	Key   []byte
	Entry keyspace.Entry
	Meta  KeyMeta
}

// LoadInfo describes a loaded file.
type LoadInfo struct {
	Version int
	Keys    int64
	Bytes   int64
}

// Load reads a whole RDB file from r, calling fn for each key in file order,
// and verifies the footer's checksum. Every failure returns an error
// (wrapping ErrBadFormat for corrupt or truncated input, ErrUnsupported for
// content Vireo cannot hold); it never panics.
func Load(r io.Reader, opt LoadOptions, fn func(k *LoadedKey) error) (LoadInfo, error) {
	var info LoadInfo
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	d := NewDecoder(br)
	var magic [9]byte
	if err := d.read(magic[:], "header"); err != nil {
		return info, err
	}
	if string(magic[:5]) != "REDIS" {
		return info, fmt.Errorf("%w: wrong signature trying to load DB from file", ErrBadFormat)
	}
	ver, err := strconv.Atoi(string(magic[5:]))
	if err != nil || ver < 1 || ver > MaxLoadVersion {
		return info, fmt.Errorf("%w: can't handle RDB format version %q", ErrBadFormat, magic[5:])
	}
	info.Version = ver

	k := LoadedKey{Meta: NoMeta}
	var expire int64
	for {
		typ, err := d.ReadType()
		if err != nil {
			return info, err
		}
		switch typ {
		case OpExpireTime:
			var b [4]byte
			if err := d.read(b[:], "expire time"); err != nil {
				return info, err
			}
			expire = int64(int32(binary.LittleEndian.Uint32(b[:]))) * 1000
			continue
		case OpExpireTimeMs:
			var b [8]byte
			if err := d.read(b[:], "expire time"); err != nil {
				return info, err
			}
			expire = int64(binary.LittleEndian.Uint64(b[:]))
			continue
		case OpIdle:
			idle, err := d.ReadLen()
			if err != nil {
				return info, err
			}
			k.Meta.Idle = int64(min(idle, 1<<62))
			continue
		case OpFreq:
			f, err := d.ReadByte()
			if err != nil {
				return info, err
			}
			k.Meta.Freq = int(f)
			continue
		case OpEOF:
			return info, finishLoad(d, br, ver, opt, &info)
		case OpSelectDB:
			db, err := d.ReadLen()
			if err != nil {
				return info, err
			}
			if opt.Databases > 0 && db >= uint64(opt.Databases) {
				return info, fmt.Errorf("%w: the file selects database %d, the server has %d", ErrBadFormat, db, opt.Databases)
			}
			if db > 1<<30 {
				return info, fmt.Errorf("%w: database %d", ErrBadFormat, db)
			}
			k.DB = int(db)
			continue
		case OpResizeDB:
			if _, err := d.ReadLen(); err != nil {
				return info, err
			}
			if _, err := d.ReadLen(); err != nil {
				return info, err
			}
			continue
		case OpAux:
			key, err := d.ReadString()
			if err != nil {
				return info, err
			}
			val, err := d.ReadString()
			if err != nil {
				return info, err
			}
			if opt.OnAux != nil {
				if err := opt.OnAux(key, val); err != nil {
					return info, err
				}
			}
			continue
		case OpModuleAux:
			return info, fmt.Errorf("%w: module AUX data in the file (modules are not supported)", ErrUnsupported)
		case OpFunctionPreGA:
			return info, fmt.Errorf("%w: pre-GA function format in the file", ErrUnsupported)
		case OpFunction2:
			code, err := d.ReadString()
			if err != nil {
				return info, err
			}
			if opt.OnFunction == nil {
				return info, fmt.Errorf("%w: the file holds a function library; loading functions from RDB is not supported yet", ErrUnsupported)
			}
			if err := opt.OnFunction(code); err != nil {
				return info, err
			}
			continue
		}
		if typ == TypeModulePreGA || typ == TypeModule2 {
			return info, fmt.Errorf("%w: module value in the file (modules are not supported)", ErrUnsupported)
		}
		if !IsObjectType(typ) {
			return info, fmt.Errorf("%w: unknown object type %d at offset %d", ErrBadFormat, typ, d.Offset()-1)
		}
		if k.Key, err = d.ReadString(); err != nil {
			return info, err
		}
		if k.Entry, err = DecodeValueFrom(typ, d, opt.Limits); err != nil {
			return info, fmt.Errorf("rdb: key %q: %w", k.Key, err)
		}
		k.Entry.Expire = expire
		if err := fn(&k); err != nil {
			return info, err
		}
		info.Keys++
		expire = 0
		k.Meta = NoMeta
	}
}

// finishLoad checks the footer after EOF: from version 5 on, 8 bytes of
// CRC64 (zero: not computed by the writer).
func finishLoad(d *Decoder, br *bufio.Reader, ver int, opt LoadOptions, info *LoadInfo) error {
	info.Bytes = d.Offset()
	if ver < 5 {
		return nil
	}
	want := d.Checksum()
	var b [8]byte
	if _, err := io.ReadFull(br, b[:]); err != nil {
		return formatErr("checksum", err)
	}
	info.Bytes += 8
	got := binary.LittleEndian.Uint64(b[:])
	if got != 0 && !opt.SkipChecksum && got != want {
		return fmt.Errorf("%w: wrong RDB checksum expected: (%x) got: (%x)", ErrBadFormat, got, want)
	}
	return nil
}
