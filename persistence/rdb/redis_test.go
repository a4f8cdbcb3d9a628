package rdb

// Differential tests against the real redis-server (7.0.15 at
// /usr/bin/redis-server): DUMP payloads must be equal byte for byte, Redis's
// payloads must decode here, and ours must RESTORE there. Skipped only when
// the binary is missing.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

const redisServerPath = "/usr/bin/redis-server"

// respClient is a minimal RESP2 client: enough for SET/GET/DUMP/RESTORE.
type respClient struct {
	conn net.Conn
	r    *bufio.Reader
}

// respError is an error reply ("-ERR ...").
type respError string

func (e respError) Error() string { return string(e) }

// do sends one command and returns the reply: string for simple strings,
// []byte for bulk strings (nil for a null bulk), int64, []any for arrays,
// or respError.
func (c *respClient) do(args ...[]byte) (any, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n", len(a))
		b.Write(a)
		b.WriteString("\r\n")
	}
	if err := c.conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return nil, err
	}
	if _, err := c.conn.Write(b.Bytes()); err != nil {
		return nil, err
	}
	return c.readReply()
}

// readReply reads one reply; arrays come back as []any.
func (c *respClient) readReply() (any, error) {
	line, err := c.r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimSuffix(line, "\r\n")
	if line == "" {
		return nil, errors.New("empty reply line")
	}
	switch line[0] {
	case '+':
		return line[1:], nil
	case '-':
		return respError(line[1:]), nil
	case ':':
		return strconv.ParseInt(line[1:], 10, 64)
	case '$':
		n, err := strconv.Atoi(line[1:])
		if err != nil {
			return nil, err
		}
		if n < 0 {
			return []byte(nil), nil
		}
		buf := make([]byte, n+2)
		if _, err := readFull(c.r, buf); err != nil {
			return nil, err
		}
		return buf[:n], nil
	case '*':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n < 0 {
			return []any(nil), err
		}
		out := make([]any, n)
		for i := range out {
			if out[i], err = c.readReply(); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("unexpected reply %q", line)
}

func readFull(r *bufio.Reader, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := r.Read(p[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (c *respClient) must(t *testing.T, args ...any) any {
	t.Helper()
	bs := make([][]byte, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			bs[i] = []byte(v)
		case []byte:
			bs[i] = v
		default:
			t.Fatalf("bad arg type %T", a)
		}
	}
	reply, err := c.do(bs...)
	if err != nil {
		t.Fatalf("%s: %v", bs[0], err)
	}
	return reply
}

// startRedis runs redis-server on a free loopback port for the test and
// returns a connected client.
func startRedis(t *testing.T) *respClient {
	t.Helper()
	return startRedisIn(t, t.TempDir())
}

// startRedisIn is startRedis with dir as redis-server's dir (its dump.rdb
// is loaded at startup and written by SAVE).
func startRedisIn(t *testing.T, dir string) *respClient {
	t.Helper()
	if _, err := os.Stat(redisServerPath); err != nil {
		t.Skipf("%s not available: %v", redisServerPath, err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(redisServerPath,
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--daemonize", "no",
		"--dir", dir, "--logfile", "", "--enable-debug-command", "local")
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(10 * time.Second)
	for {
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			c := &respClient{conn: conn, r: bufio.NewReader(conn)}
			t.Cleanup(func() { conn.Close() })
			if reply, err := c.do([]byte("PING")); err == nil && reply == "PONG" {
				return c
			}
			conn.Close()
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server did not come up on %s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// differentialValues covers every branch of rdbSaveRawString.
func differentialValues() [][]byte {
	r := rand.New(rand.NewPCG(3, 5))
	rnd := func(n int) []byte {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte(r.Uint32())
		}
		return p
	}
	vals := [][]byte{
		{}, []byte("a"), []byte("hello"), []byte("hello world"),
		// integer-looking strings
		[]byte("0"), []byte("1"), []byte("12"), []byte("-1"), []byte("127"), []byte("128"),
		[]byte("-128"), []byte("-129"), []byte("32767"), []byte("32768"), []byte("-32768"),
		[]byte("-32769"), []byte("2147483647"), []byte("2147483648"), []byte("-2147483648"),
		[]byte("-2147483649"), []byte("4294967296"), []byte("9223372036854775807"),
		[]byte("-9223372036854775808"), []byte("9223372036854775808"),
		[]byte("12345678901234567890123"), []byte("007"), []byte("-0"), []byte("+1"),
		[]byte(" 1"), []byte("1 "), []byte("1e3"), []byte("0x10"), []byte("1.5"), []byte("-"),
		[]byte("99999999999"), []byte("-9999999999"),
		// around the 20-byte compression threshold
		bytes.Repeat([]byte("a"), 20), bytes.Repeat([]byte("a"), 21), bytes.Repeat([]byte("a"), 22),
		bytes.Repeat([]byte("ab"), 12),
		// compressible
		bytes.Repeat([]byte("abcdefgh"), 50), bytes.Repeat([]byte("x"), 100000),
		[]byte(strings.Repeat("the quick brown fox jumps over the lazy dog ", 40)),
		// incompressible
		rnd(21), rnd(64), rnd(1000), rnd(20000),
		// binary
		{0, 1, 2, 255, 254, 0, 0, 0}, append(bytes.Repeat([]byte{0}, 40), 0xff, 0xfe),
	}
	// Lengths around the 6/14/32-bit length-encoding boundaries.
	for _, n := range []int{63, 64, 16383, 16384, 70000} {
		vals = append(vals, rnd(n))
	}
	// Partly repetitive data of many sizes: literal runs, short and long
	// references, the 8 KiB window.
	words := []string{"redis", "vireo", " ", "key:", "value", "0123456789", "\x00", "\xff\xfe"}
	for _, n := range []int{25, 33, 50, 100, 257, 300, 1000, 4096, 8191, 8192, 8193, 9000, 30000, 200000} {
		var b []byte
		for len(b) < n {
			if r.IntN(4) == 0 {
				b = append(b, rnd(1+r.IntN(40))...)
			} else {
				b = append(b, words[r.IntN(len(words))]...)
			}
		}
		vals = append(vals, b[:n])
	}
	for _, in := range lzfInputs() {
		vals = append(vals, in)
	}
	return vals
}

func TestDifferentialDumpString(t *testing.T) {
	c := startRedis(t)
	for i, v := range differentialValues() {
		key := fmt.Sprintf("k%d", i)
		if reply := c.must(t, "SET", key, v); reply != "OK" {
			t.Fatalf("SET: %v", reply)
		}
		reply := c.must(t, "DUMP", key)
		theirs, ok := reply.([]byte)
		if !ok {
			t.Fatalf("DUMP: %v", reply)
		}
		ours := DumpString(v)
		if !bytes.Equal(ours, theirs) {
			t.Errorf("value %d (len %d, %.30q): DumpString differs\n ours  % x\n redis % x",
				i, len(v), v, head(ours), head(theirs))
			continue
		}

		// Redis's payload decodes here.
		typ, body, err := ParseDump(theirs)
		if err != nil || typ != TypeString {
			t.Fatalf("value %d: ParseDump(redis payload) = %d, %v", i, typ, err)
		}
		got, err := DecodeStringValue(body)
		if err != nil || !bytes.Equal(got, v) {
			t.Fatalf("value %d: DecodeStringValue(redis payload): err %v, equal %v", i, err, bytes.Equal(got, v))
		}

		// Our payload restores there.
		rkey := "r" + key
		if reply := c.must(t, "RESTORE", rkey, "0", ours); reply != "OK" {
			t.Fatalf("value %d: RESTORE: %v", i, reply)
		}
		back, ok := c.must(t, "GET", rkey).([]byte)
		if !ok || !bytes.Equal(back, v) {
			t.Fatalf("value %d: GET after RESTORE differs", i)
		}
	}
}

// TestDifferentialNoCompression compares AppendString(compress=false) with
// Redis running with rdbcompression no.
func TestDifferentialNoCompression(t *testing.T) {
	c := startRedis(t)
	if reply := c.must(t, "CONFIG", "SET", "rdbcompression", "no"); reply != "OK" {
		t.Fatalf("CONFIG SET: %v", reply)
	}
	for i, v := range differentialValues() {
		key := fmt.Sprintf("k%d", i)
		c.must(t, "SET", key, v)
		theirs, _ := c.must(t, "DUMP", key).([]byte)
		ours := AppendDumpFooter(AppendString([]byte{TypeString}, v, false))
		if !bytes.Equal(ours, theirs) {
			t.Errorf("value %d (len %d): differs\n ours  % x\n redis % x", i, len(v), head(ours), head(theirs))
		}
	}
}

// TestDifferentialRandomLZF compares compressed bytes on many random
// compressible strings, the strongest check of the LZF port.
func TestDifferentialRandomLZF(t *testing.T) {
	c := startRedis(t)
	r := rand.New(rand.NewPCG(42, 43))
	for i := range 300 {
		n := 21 + r.IntN(3000)
		if i%50 == 0 {
			n = 20000 + r.IntN(60000)
		}
		alphabet := 1 + r.IntN(8)
		v := make([]byte, n)
		for j := range v {
			switch r.IntN(8) {
			case 0: // copy an earlier stretch, near or far
				if j > 10 {
					src := r.IntN(j)
					for k := 0; k < 1+r.IntN(300) && j < n; k++ {
						v[j] = v[src+k%(j-src)]
						j++
					}
					j--
					continue
				}
				fallthrough
			default:
				v[j] = byte('a' + r.IntN(alphabet))
			case 1:
				v[j] = byte(r.Uint32())
			}
		}
		key := fmt.Sprintf("z%d", i)
		c.must(t, "SET", key, v)
		theirs, _ := c.must(t, "DUMP", key).([]byte)
		if ours := DumpString(v); !bytes.Equal(ours, theirs) {
			t.Fatalf("random value %d (len %d): differs\n ours  % x\n redis % x", i, n, head(ours), head(theirs))
		}
	}
}

// TestDifferentialRestoreEdges checks that crafted payloads are accepted or
// rejected here exactly as Redis's RESTORE does.
func TestDifferentialRestoreEdges(t *testing.T) {
	c := startRedis(t)
	good := withFooter([]byte("\x00\x02ab"), 10)
	badCRC := append([]byte{}, good...)
	badCRC[len(badCRC)-1] ^= 1
	payloads := map[string][]byte{
		"plain":              good,
		"trailing bytes":     withFooter([]byte("\x00\x05helloXYZ"), 10),
		"lzf len 0 clen 1":   withFooter([]byte("\x00\xc3\x01\x00\x00"), 10),
		"lzf len 0 clen 0":   withFooter([]byte("\x00\xc3\x00\x00"), 10),
		"lzf short output":   withFooter([]byte("\x00\xc3\x02\x05\x01ab"), 10),
		"lzf bad data":       withFooter([]byte("\x00\xc3\x02\x05\x20\x05"), 10),
		"string into footer": withFooter([]byte("\x00\x05hel"), 10),
		"string past end":    withFooter([]byte("\x00\x40\xffhel"), 10),
		"int8":               withFooter([]byte("\x00\xc0\xff"), 10),
		"int16":              withFooter([]byte("\x00\xc1\x00\x80"), 10),
		"int32":              withFooter([]byte("\x00\xc2\x00\x00\x00\x80"), 10),
		"encoding 4":         withFooter([]byte("\x00\xc4"), 10),
		"len32":              withFooter([]byte("\x00\x80\x00\x00\x00\x02ab"), 10),
		"len64":              withFooter([]byte("\x00\x81\x00\x00\x00\x00\x00\x00\x00\x02ab"), 10),
		"len bad marker":     withFooter([]byte("\x00\x82ab"), 10),
		"type 99":            withFooter([]byte("\x63\x02ab"), 10),
		"type 8":             withFooter([]byte("\x08\x02ab"), 10),
		"empty body":         withFooter(nil, 10),
		"version 9":          withFooter([]byte("\x00\x02ab"), 9),
		"version 12":         withFooter([]byte("\x00\x02ab"), 12),
		"bad crc":            badCRC,
		"short":              []byte("short"),
		"nothing":            {},
	}
	for name, p := range payloads {
		key := "edge:" + name
		reply := c.must(t, "RESTORE", key, "0", p)
		// Our answer, as the server will map it.
		var ours any = "OK"
		var value []byte
		typ, body, err := ParseDump(p)
		if err == nil {
			if typ != TypeString {
				err = fmt.Errorf("%w: type %d not handled here", ErrBadFormat, typ)
			} else {
				value, err = DecodeStringValue(body)
			}
		}
		switch {
		case errors.Is(err, ErrBadPayload):
			ours = respError("ERR DUMP payload version or checksum are wrong")
		case errors.Is(err, ErrBadFormat):
			ours = respError("ERR Bad data format")
		case err != nil:
			t.Fatalf("%s: unexpected error %v", name, err)
		}
		if reply != ours {
			t.Errorf("%s: redis replied %v, we would reply %v (err %v)", name, reply, ours, err)
			continue
		}
		if reply == "OK" {
			if got, _ := c.must(t, "GET", key).([]byte); !bytes.Equal(got, value) {
				t.Errorf("%s: redis stored %q, we decoded %q", name, got, value)
			}
		}
	}
}

func head(p []byte) []byte {
	if len(p) > 64 {
		return p[:64]
	}
	return p
}
