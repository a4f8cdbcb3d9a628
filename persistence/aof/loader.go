package aof

// Loading (loadAppendOnlyFiles / loadSingleAppendOnlyFile): the base, then
// every increment in manifest order. A file that starts with "REDIS" opens
// with an RDB preamble, handed to LoadOptions.RDB; the rest of a file is
// RESP multibulk commands, handed one by one to LoadOptions.Exec. Lines
// starting with '#' are annotations (aof-timestamp-enabled) and skipped.
// A transaction is handed over only once its EXEC has been read, so a
// MULTI cut off by a crash is dropped like a truncated command. Only the
// last file may end short; with Truncated set the file is cut back to its
// last complete command, as Redis does.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
)

// Errors of the loader; every failure wraps one of them.
var (
	// ErrTruncated: a file ends in the middle of a command.
	ErrTruncated = errors.New("aof: unexpected end of file")
	// ErrBadFormat: a file holds something that is not a command.
	ErrBadFormat = errors.New("aof: bad file format")
)

// maxArgs bounds a command's argument count and maxBulk an argument's size,
// so that a corrupt header cannot make the loader allocate without limit.
const (
	maxArgs = 1 << 20
	maxBulk = 1 << 29
)

// LoadOptions configure Load.
type LoadOptions struct {
	Dir      string // the append-only directory (dir/appenddirname)
	Filename string // appendfilename
	// Truncated is aof-load-truncated: cut a short last file back to its
	// last complete command instead of failing.
	Truncated bool
	// RDB loads an RDB preamble from r, leaving r just after it.
	RDB func(r *bufio.Reader, file string) error
	// Exec runs one command. The commands of a transaction arrive as
	// MULTI, the commands, EXEC, all at once after EXEC was read.
	Exec func(argv [][]byte) error
	// BeginFile, when set, is told before each file is read (Redis reads
	// each with a new client, in database 0).
	BeginFile func(name string)
	Log       *slog.Logger // nil: slog.Default()
}

// LoadResult describes what Load read.
type LoadResult struct {
	Manifest  *Manifest
	Commands  int64
	BaseSize  int64 // bytes of the base file
	TotalSize int64 // bytes of the base and the increments (after truncation)
	Truncated bool  // the last file was cut back
}

// Load replays the files the manifest in opt.Dir names. With no manifest
// it returns an error wrapping os.ErrNotExist.
func Load(opt LoadOptions) (LoadResult, error) {
	var res LoadResult
	m, err := ReadManifest(opt.Dir, opt.Filename)
	if err != nil {
		return res, err
	}
	res.Manifest = m
	files := make([]FileInfo, 0, 1+len(m.Incr))
	if m.Base != nil {
		files = append(files, *m.Base)
	}
	files = append(files, m.Incr...)
	log := opt.Log
	if log == nil {
		log = slog.Default()
	}
	for i, fi := range files {
		last := i == len(files)-1
		path := filepath.Join(opt.Dir, fi.Name)
		n, size, trunc, err := loadFile(path, fi.Name, last, opt, log)
		res.Commands += n
		res.TotalSize += size
		if fi.Type == TypeBase {
			res.BaseSize = size
		}
		if trunc {
			res.Truncated = true
		}
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// LoadLegacy replays a single-file AOF of Redis before 7 (with or without
// an RDB preamble).
func LoadLegacy(path string, opt LoadOptions) (LoadResult, error) {
	var res LoadResult
	log := opt.Log
	if log == nil {
		log = slog.Default()
	}
	n, size, trunc, err := loadFile(path, filepath.Base(path), true, opt, log)
	res.Commands, res.TotalSize, res.BaseSize, res.Truncated = n, size, size, trunc
	return res, err
}

// loadFile replays one file; it returns the commands run, the file's size
// (after any truncation) and whether it was truncated.
func loadFile(path, name string, last bool, opt LoadOptions, log *slog.Logger) (int64, int64, bool, error) {
	if opt.BeginFile != nil {
		opt.BeginFile(name)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, false, fmt.Errorf("aof: opening %s: %w", name, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, 0, false, fmt.Errorf("aof: stat %s: %w", name, err)
	}
	size := st.Size()
	if size == 0 {
		return 0, 0, false, nil
	}
	br := bufio.NewReaderSize(f, 64<<10)
	cr := &countingReader{r: br}
	var start int64
	if head, _ := br.Peek(5); string(head) == "REDIS" {
		if opt.RDB == nil {
			return 0, size, false, fmt.Errorf("aof: %s: %w: RDB preamble not expected", name, ErrBadFormat)
		}
		log.Info("Reading RDB base file on AOF loading...", "file", name)
		before := br.Buffered()
		pos, _ := f.Seek(0, io.SeekCurrent)
		if err := opt.RDB(br, name); err != nil {
			return 0, size, false, fmt.Errorf("aof: error reading the RDB preamble of the AOF file %s, AOF loading aborted: %w", name, err)
		}
		now, _ := f.Seek(0, io.SeekCurrent)
		// Bytes consumed = what the file gave the reader minus what it
		// still buffers.
		start = (now - pos) + int64(before) - int64(br.Buffered())
		log.Info("Reading the remaining AOF tail...", "file", name)
	}
	cr.n = start
	p := &parser{r: cr}
	var n int64
	var tx [][][]byte  // a transaction being read
	validUpTo := start // end of the last complete command outside MULTI
	for {
		argv, err := p.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if errors.Is(err, ErrTruncated) {
				newSize, terr := truncated(path, name, last, validUpTo, opt, log)
				return n, newSize, terr == nil, terr
			}
			return n, size, false, fmt.Errorf("aof: bad file format reading the append only file %s at offset %d: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>: %w", name, p.cmdStart, err)
		}
		switch {
		case tx == nil && isCmd(argv, "multi"):
			tx = [][][]byte{argv}
			continue
		case tx != nil:
			tx = append(tx, argv)
			if !isCmd(argv, "exec") {
				continue
			}
			for _, a := range tx {
				if err := opt.Exec(a); err != nil {
					return n, size, false, fmt.Errorf("aof: %s: %w", name, err)
				}
				n++
			}
			tx = nil
		default:
			if err := opt.Exec(argv); err != nil {
				return n, size, false, fmt.Errorf("aof: %s: %w", name, err)
			}
			n++
		}
		validUpTo = cr.n
	}
	if tx != nil {
		log.Warn("Revert incomplete MULTI/EXEC transaction in AOF file " + name)
		newSize, terr := truncated(path, name, last, validUpTo, opt, log)
		return n, newSize, terr == nil, terr
	}
	return n, size, false, nil
}

// truncated handles a file that ends short: allowed for the last file with
// aof-load-truncated, which cuts it back to validUpTo.
func truncated(path, name string, last bool, validUpTo int64, opt LoadOptions, log *slog.Logger) (int64, error) {
	if !last {
		return 0, fmt.Errorf("aof: fatal error: the truncated file %s is not the last file: %w", name, ErrTruncated)
	}
	if !opt.Truncated {
		return 0, fmt.Errorf("aof: unexpected end of file reading the append only file %s. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server: %w", name, ErrTruncated)
	}
	log.Warn(fmt.Sprintf("!!! Warning: short read while loading the AOF file %s!!!", name))
	log.Warn(fmt.Sprintf("!!! Truncating the AOF %s at offset %d !!!", name, validUpTo))
	if err := os.Truncate(path, validUpTo); err != nil {
		return 0, fmt.Errorf("aof: error truncating the AOF file %s: %w", name, err)
	}
	log.Warn(fmt.Sprintf("AOF %s loaded anyway because aof-load-truncated is enabled", name))
	return validUpTo, nil
}

func isCmd(argv [][]byte, name string) bool {
	if len(argv) != 1 || len(argv[0]) != len(name) {
		return false
	}
	for i := range name {
		c := argv[0][i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != name[i] {
			return false
		}
	}
	return true
}

type countingReader struct {
	r *bufio.Reader
	n int64
}

// parser reads RESP multibulk commands as Redis's AOF loader does.
type parser struct {
	r        *countingReader
	cmdStart int64
}

// next returns the next command; io.EOF at a clean end, ErrTruncated when
// the input ends inside a command, ErrBadFormat for anything else.
func (p *parser) next() ([][]byte, error) {
	for {
		p.cmdStart = p.r.n
		line, err := p.line()
		if err != nil {
			if err == io.EOF && p.r.n == p.cmdStart {
				return nil, io.EOF
			}
			return nil, err
		}
		if len(line) > 0 && line[0] == '#' {
			continue // an annotation
		}
		if len(line) < 2 || line[0] != '*' {
			return nil, fmt.Errorf("%w: expected '*'", ErrBadFormat)
		}
		argc, err := strconv.Atoi(string(line[1:]))
		if err != nil || argc < 1 || argc > maxArgs {
			return nil, fmt.Errorf("%w: bad argument count %q", ErrBadFormat, line[1:])
		}
		argv := make([][]byte, argc)
		for i := range argv {
			line, err := p.line()
			if err == io.EOF {
				return nil, ErrTruncated
			}
			if err != nil {
				return nil, err
			}
			if len(line) < 2 || line[0] != '$' {
				return nil, fmt.Errorf("%w: expected '$'", ErrBadFormat)
			}
			l, err := strconv.Atoi(string(line[1:]))
			if err != nil || l < 0 || l > maxBulk {
				return nil, fmt.Errorf("%w: bad bulk length %q", ErrBadFormat, line[1:])
			}
			arg, err := p.readN(l + 2)
			if err != nil {
				return nil, err
			}
			if arg[l] != '\r' || arg[l+1] != '\n' {
				return nil, fmt.Errorf("%w: bulk not followed by CRLF", ErrBadFormat)
			}
			argv[i] = arg[:l:l]
		}
		return argv, nil
	}
}

// line reads one line without its CRLF (a bare LF ends it too, as fgets).
func (p *parser) line() ([]byte, error) {
	b, err := p.r.r.ReadSlice('\n')
	p.r.n += int64(len(b))
	if err == bufio.ErrBufferFull {
		return nil, fmt.Errorf("%w: line too long", ErrBadFormat)
	}
	if err != nil {
		if err == io.EOF && len(b) == 0 {
			return nil, io.EOF
		}
		if err == io.EOF {
			return nil, ErrTruncated
		}
		return nil, fmt.Errorf("aof: read: %w", err)
	}
	b = b[:len(b)-1]
	if len(b) > 0 && b[len(b)-1] == '\r' {
		b = b[:len(b)-1]
	}
	return b, nil
}

func (p *parser) readN(n int) ([]byte, error) {
	b := make([]byte, n)
	got, err := io.ReadFull(p.r.r, b)
	p.r.n += int64(got)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return nil, ErrTruncated
	}
	if err != nil {
		return nil, fmt.Errorf("aof: read: %w", err)
	}
	return b, nil
}
