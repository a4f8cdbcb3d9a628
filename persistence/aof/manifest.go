package aof

// The manifest (appendonly.aof.manifest) in Redis 7's format: one line per
// file, "file <name> seq <n> type <b|h|i>", the base first, then history,
// then the increments in sequence order. Names that need quoting are
// written as sdscatrepr writes them and read back with sdssplitargs, and
// unknown key/value pairs are ignored (Redis's forward compatibility).

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vireodb/vireo/datatypes/sds"
)

// FileType is a manifest entry's type letter.
type FileType byte

// The file types of a manifest line.
const (
	TypeBase    FileType = 'b'
	TypeHistory FileType = 'h'
	TypeIncr    FileType = 'i'
)

// Naming rules (Redis's BASE_FILE_SUFFIX & co).
const (
	baseSuffix      = ".base"
	incrSuffix      = ".incr"
	rdbSuffix       = ".rdb"
	aofSuffix       = ".aof"
	manifestSuffix  = ".manifest"
	tempPrefix      = "temp-"
	maxManifestLine = 1024
)

// ErrBadManifest wraps every manifest parse failure.
var ErrBadManifest = errors.New("aof: bad manifest")

// FileInfo is one manifest line.
type FileInfo struct {
	Name string
	Seq  int64
	Type FileType
}

// Manifest lists the files of an append-only directory.
type Manifest struct {
	Base    *FileInfo
	History []FileInfo
	Incr    []FileInfo
	// The highest sequence numbers used so far; new files take the next.
	BaseSeq, IncrSeq int64
}

// ManifestName is the manifest's file name for appendfilename name.
func ManifestName(name string) string { return name + manifestSuffix }

// Clone returns a deep copy; changes are made on a copy and installed once
// the copy is on disk, as Redis's aofManifestDup.
func (m *Manifest) Clone() *Manifest {
	c := &Manifest{BaseSeq: m.BaseSeq, IncrSeq: m.IncrSeq}
	if m.Base != nil {
		b := *m.Base
		c.Base = &b
	}
	c.History = append([]FileInfo(nil), m.History...)
	c.Incr = append([]FileInfo(nil), m.Incr...)
	return c
}

// NewBase names the next base file and makes the current one history
// (getNewBaseFileNameAndMarkPreAsHistory). rdbFormat picks .rdb or .aof.
func (m *Manifest) NewBase(name string, rdbFormat bool) string {
	if m.Base != nil {
		old := *m.Base
		old.Type = TypeHistory
		m.History = append([]FileInfo{old}, m.History...)
	}
	m.BaseSeq++
	suffix := aofSuffix
	if rdbFormat {
		suffix = rdbSuffix
	}
	m.Base = &FileInfo{Name: name + "." + strconv.FormatInt(m.BaseSeq, 10) + baseSuffix + suffix, Seq: m.BaseSeq, Type: TypeBase}
	return m.Base.Name
}

// NewIncr names the next incremental file and appends it (getNewIncrAofName).
func (m *Manifest) NewIncr(name string) string {
	m.IncrSeq++
	fi := FileInfo{Name: name + "." + strconv.FormatInt(m.IncrSeq, 10) + incrSuffix + aofSuffix, Seq: m.IncrSeq, Type: TypeIncr}
	m.Incr = append(m.Incr, fi)
	return fi.Name
}

// MarkRewrittenIncrAsHistory makes every increment but the last history:
// after a rewrite the new base holds their content, and the last one was
// opened when the rewrite started (markRewrittenIncrAofAsHistory). With
// keepLast false (the AOF is off) every increment goes.
func (m *Manifest) MarkRewrittenIncrAsHistory(keepLast bool) {
	n := len(m.Incr)
	if keepLast && n > 0 {
		n--
	}
	for _, fi := range m.Incr[:n] {
		fi.Type = TypeHistory
		m.History = append(m.History, fi)
	}
	m.Incr = append([]FileInfo(nil), m.Incr[n:]...)
}

// LastIncr is the increment new writes go to, nil when there is none.
func (m *Manifest) LastIncr() *FileInfo {
	if len(m.Incr) == 0 {
		return nil
	}
	return &m.Incr[len(m.Incr)-1]
}

// Format returns the manifest's text (getAofManifestAsString).
func (m *Manifest) Format() []byte {
	var b []byte
	if m.Base != nil {
		b = appendInfo(b, *m.Base)
	}
	for _, fi := range m.History {
		b = appendInfo(b, fi)
	}
	for _, fi := range m.Incr {
		b = appendInfo(b, fi)
	}
	return b
}

func appendInfo(b []byte, fi FileInfo) []byte {
	b = append(b, "file "...)
	if needsRepr(fi.Name) {
		b = sds.AppendRepr(b, []byte(fi.Name))
	} else {
		b = append(b, fi.Name...)
	}
	b = append(b, " seq "...)
	b = strconv.AppendInt(b, fi.Seq, 10)
	b = append(b, " type "...)
	b = append(b, byte(fi.Type), '\n')
	return b
}

// needsRepr is sdsneedsrepr: quotes, backslashes, spaces and bytes outside
// printable ASCII make a name quoted. A single quote does too, unlike in
// Redis, whose sdssplitargs could not read such a name back unquoted.
func needsRepr(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' || c == '"' || c == '\n' || c == '\r' || c == '\t' || c == '\a' || c == '\b' || c < 0x20 || c > 0x7e || c == ' ' || c == '\'' {
			return true
		}
	}
	return false
}

// ParseManifest reads a manifest's text (aofLoadManifestFromFile). Errors
// wrap ErrBadManifest and carry Redis's message and the line.
func ParseManifest(data []byte) (*Manifest, error) {
	m := &Manifest{}
	var maxSeq int64
	lines := 0
	var argv [][]byte
	for len(data) > 0 {
		lines++
		nl := bytes.IndexByte(data, '\n')
		if data[0] == '#' {
			if nl < 0 {
				break
			}
			data = data[nl+1:]
			continue
		}
		if nl < 0 || nl > maxManifestLine {
			return nil, manifestErr(lines, data[:min(len(data), maxManifestLine)], "The AOF manifest file contains too long line")
		}
		raw := data[:nl]
		data = data[nl+1:]
		line := bytes.Trim(raw, " \t\r\n")
		if len(line) == 0 {
			return nil, manifestErr(lines, line, "Invalid AOF manifest file format")
		}
		var ok bool
		argv, ok = sds.SplitArgs(line, argv[:0])
		if !ok || len(argv) < 6 || len(argv)%2 != 0 {
			return nil, manifestErr(lines, line, "Invalid AOF manifest file format")
		}
		var fi FileInfo
		for i := 0; i < len(argv); i += 2 {
			k, v := string(argv[i]), argv[i+1]
			switch {
			case strings.EqualFold(k, "file"):
				fi.Name = string(v)
				if fi.Name != filepath.Base(fi.Name) || strings.ContainsRune(fi.Name, '/') {
					return nil, manifestErr(lines, line, "File can't be a path, just a filename")
				}
			case strings.EqualFold(k, "seq"):
				fi.Seq = atoll(v)
			case strings.EqualFold(k, "type"):
				if len(v) > 0 {
					fi.Type = FileType(v[0])
				}
			}
		}
		if fi.Name == "" || fi.Seq == 0 || fi.Type == 0 {
			return nil, manifestErr(lines, line, "Invalid AOF manifest file format")
		}
		switch fi.Type {
		case TypeBase:
			if m.Base != nil {
				return nil, manifestErr(lines, line, "Found duplicate base file information")
			}
			b := fi
			m.Base = &b
			m.BaseSeq = fi.Seq
		case TypeHistory:
			m.History = append(m.History, fi)
		case TypeIncr:
			if fi.Seq <= maxSeq {
				return nil, manifestErr(lines, line, "Found a non-monotonic sequence number")
			}
			m.Incr = append(m.Incr, fi)
			m.IncrSeq, maxSeq = fi.Seq, fi.Seq
		default:
			return nil, manifestErr(lines, line, "Unknown AOF file type")
		}
	}
	if lines == 0 {
		return nil, fmt.Errorf("%w: Found an empty AOF manifest", ErrBadManifest)
	}
	return m, nil
}

// atoll is C's atoll: leading digits with an optional sign, 0 otherwise.
func atoll(b []byte) int64 {
	i, neg := 0, false
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	var n int64
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		n = n*10 + int64(b[i]-'0')
		if n > 1<<53 {
			break // far past any real sequence; avoids overflow
		}
	}
	if neg {
		return -n
	}
	return n
}

func manifestErr(line int, text []byte, msg string) error {
	return fmt.Errorf("%w: %s (at line %d: '%s')", ErrBadManifest, msg, line, text)
}

// ReadManifest loads dir/<name>.manifest; os.ErrNotExist when there is none.
func ReadManifest(dir, name string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestName(name)))
	if err != nil {
		return nil, err
	}
	m, err := ParseManifest(data)
	if err != nil {
		return nil, fmt.Errorf("aof: reading %s: %w", ManifestName(name), err)
	}
	return m, nil
}

// WriteManifest writes m atomically (persistAofManifest): temp file, fsync,
// rename over the manifest, fsync the directory.
func WriteManifest(dir, name string, m *Manifest) error {
	tmp := filepath.Join(dir, tempPrefix+ManifestName(name))
	if err := writeFileSync(tmp, m.Format()); err != nil {
		return fmt.Errorf("aof: writing the manifest: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, ManifestName(name))); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("aof: renaming the manifest: %w", err)
	}
	return SyncDir(dir)
}

func writeFileSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// SyncDir fsyncs a directory, so that renames and new files in it survive
// a crash.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("aof: opening dir %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("aof: fsync dir %s: %w", dir, err)
	}
	return nil
}
