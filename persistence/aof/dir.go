package aof

// The append-only directory: its manifest in memory, new incremental files,
// a rewrite's new base, history clean-up and the upgrade of a Redis 6
// single-file AOF. Every change is made on a copy of the manifest that is
// installed once it is on disk (temp file, fsync, rename, fsync dir), so a
// crash leaves either the old or the new set of files named.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Dir is an append-only directory (dir/appenddirname) and its manifest.
type Dir struct {
	Path     string
	Filename string // appendfilename
	Manifest *Manifest
}

// OpenDir reads path's manifest, creating the directory if needed. With no
// manifest yet, Manifest is empty.
func OpenDir(path, filename string) (*Dir, error) {
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("aof: can't create the append only directory %s: %w", path, err)
	}
	d := &Dir{Path: path, Filename: filename}
	m, err := ReadManifest(path, filename)
	switch {
	case errors.Is(err, os.ErrNotExist):
		m = &Manifest{}
	case err != nil:
		return nil, err
	}
	d.Manifest = m
	return d, nil
}

// Empty reports whether the manifest names no base and no increment.
func (d *Dir) Empty() bool { return d.Manifest.Base == nil && len(d.Manifest.Incr) == 0 }

// Install writes m as the manifest and makes it current.
func (d *Dir) Install(m *Manifest) error {
	if err := WriteManifest(d.Path, d.Filename, m); err != nil {
		return err
	}
	d.Manifest = m
	return nil
}

// CreateIncr creates the next incremental file and returns it open for
// appending with the manifest that names it, not yet installed.
func (d *Dir) CreateIncr() (*os.File, *Manifest, error) {
	m := d.Manifest.Clone()
	name := m.NewIncr(d.Filename)
	f, err := os.OpenFile(filepath.Join(d.Path, name), os.O_WRONLY|os.O_CREATE|os.O_APPEND|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("aof: can't open the append-only file %s: %w", name, err)
	}
	return f, m, nil
}

// OpenLastIncr opens the last increment for appending, with its size.
func (d *Dir) OpenLastIncr() (*os.File, int64, error) {
	last := d.Manifest.LastIncr()
	if last == nil {
		return nil, 0, fmt.Errorf("aof: the manifest names no incremental file")
	}
	f, err := os.OpenFile(filepath.Join(d.Path, last.Name), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, 0, fmt.Errorf("aof: can't open the append-only file %s: %w", last.Name, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("aof: stat %s: %w", last.Name, err)
	}
	return f, st.Size(), nil
}

// TempBasePath is where a rewrite writes the new base before CommitBase
// renames it (Redis's temp-rewriteaof-bg-<pid>.aof).
func (d *Dir) TempBasePath() string {
	return filepath.Join(d.Path, fmt.Sprintf("%srewriteaof-bg-%d.aof", tempPrefix, os.Getpid()))
}

// WriteTempBase writes a base through write into TempBasePath and fsyncs
// it; it returns the path and size. The file is removed on failure.
func (d *Dir) WriteTempBase(write func(w io.Writer) error) (string, int64, error) {
	path := d.TempBasePath()
	f, err := os.Create(path)
	if err != nil {
		return "", 0, fmt.Errorf("aof: opening the temp rewrite file: %w", err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	var size int64
	if err == nil {
		var st os.FileInfo
		if st, err = f.Stat(); err == nil {
			size = st.Size()
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", 0, fmt.Errorf("aof: writing the rewrite base: %w", err)
	}
	return path, size, nil
}

// CommitBase is a rewrite's end (backgroundRewriteDoneHandler): the temp
// base becomes the next base file, the previous base and every increment
// but the last (keepLastIncr; all of them when the AOF is off) become
// history, the manifest is installed and the history files deleted.
func (d *Dir) CommitBase(tempPath string, rdbFormat, keepLastIncr bool) error {
	m := d.Manifest.Clone()
	name := m.NewBase(d.Filename, rdbFormat)
	m.MarkRewrittenIncrAsHistory(keepLastIncr)
	if err := os.Rename(tempPath, filepath.Join(d.Path, name)); err != nil {
		os.Remove(tempPath)
		return fmt.Errorf("aof: renaming the rewritten base: %w", err)
	}
	if err := d.Install(m); err != nil {
		return err
	}
	return d.DeleteHistory()
}

// DeleteHistory removes the history files and drops them from the
// manifest (aofDelHistoryFiles).
func (d *Dir) DeleteHistory() error {
	if len(d.Manifest.History) == 0 {
		return nil
	}
	m := d.Manifest.Clone()
	for _, fi := range m.History {
		if err := os.Remove(filepath.Join(d.Path, fi.Name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("aof: removing history file %s: %w", fi.Name, err)
		}
	}
	m.History = nil
	return d.Install(m)
}

// Sizes returns the base's size and the total of base and increments.
func (d *Dir) Sizes() (base, total int64) {
	size := func(name string) int64 {
		st, err := os.Stat(filepath.Join(d.Path, name))
		if err != nil {
			return 0
		}
		return st.Size()
	}
	if d.Manifest.Base != nil {
		base = size(d.Manifest.Base.Name)
	}
	total = base
	for _, fi := range d.Manifest.Incr {
		total += size(fi.Name)
	}
	return base, total
}

// UpgradeLegacy moves a Redis 6 single-file AOF (dir/appendfilename) into
// the directory as its base, keeping its name, and writes the manifest
// (aofUpgradePrepare). The caller checked there is no manifest yet.
func (d *Dir) UpgradeLegacy(legacyPath string) error {
	m := &Manifest{BaseSeq: 1}
	m.Base = &FileInfo{Name: d.Filename, Seq: 1, Type: TypeBase}
	if err := os.Rename(legacyPath, filepath.Join(d.Path, d.Filename)); err != nil {
		return fmt.Errorf("aof: moving %s into %s: %w", legacyPath, d.Path, err)
	}
	if err := SyncDir(filepath.Dir(legacyPath)); err != nil {
		return err
	}
	return d.Install(m)
}
