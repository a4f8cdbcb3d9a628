package server

import (
	"bytes"
	"testing"
)

func TestParseRequest(t *testing.T) {
	lim := parseLimits{maxBulk: 512 << 20}
	cases := []struct {
		in   string
		args []string
		n    int
		err  string
	}{
		{"*1\r\n$4\r\nPING\r\n", []string{"PING"}, 14, ""},
		{"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1", []string{"GET", "k"}, 20, ""},
		{"*2\r\n$3\r\nGET\r\n$1\r\n", nil, 0, ""},
		{"*2\r\n$3\r\nGET\r\n$1", nil, 0, ""},
		{"*2\r", nil, 0, ""},
		{"*0\r\n", []string{}, 4, ""},
		{"*-1\r\n", []string{}, 5, ""},
		{"*x\r\n", nil, 0, "Protocol error: invalid multibulk length"},
		{"*01\r\n", nil, 0, "Protocol error: invalid multibulk length"},
		{"*1\r\n:1\r\n", nil, 0, "Protocol error: expected '$', got ':'"},
		{"*1\r\n$-1\r\n", nil, 0, "Protocol error: invalid bulk length"},
		{"*1\r\n$536870913\r\n", nil, 0, "Protocol error: invalid bulk length"},
		{"PING\r\n", []string{"PING"}, 6, ""},
		{"PING\n", []string{"PING"}, 5, ""},
		{"\r\n", []string{}, 2, ""},
		{"set k \"a b\\x41\\n\" 'c\\'d'\r\n", []string{"set", "k", "a bA\n", "c'd"}, 26, ""},
		{"ping \"abc\r\n", nil, 0, "Protocol error: unbalanced quotes in request"},
		{"ping \"a\"b\r\n", nil, 0, "Protocol error: unbalanced quotes in request"},
		{"PING", nil, 0, ""},
	}
	for _, tc := range cases {
		args, n, _, err := parseRequest([]byte(tc.in), nil, lim)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%q: err %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: unexpected error %v", tc.in, err)
			continue
		}
		if n != tc.n {
			t.Errorf("%q: n=%d want %d", tc.in, n, tc.n)
		}
		if tc.args == nil {
			continue
		}
		if len(args) != len(tc.args) {
			t.Errorf("%q: args %q want %q", tc.in, args, tc.args)
			continue
		}
		for i := range args {
			if string(args[i]) != tc.args[i] {
				t.Errorf("%q: arg %d = %q want %q", tc.in, i, args[i], tc.args[i])
			}
		}
	}
}

func TestParseRequestLimits(t *testing.T) {
	big := bytes.Repeat([]byte("a"), protoInlineMaxSize+1)
	if _, _, _, err := parseRequest(big, nil, parseLimits{maxBulk: 1 << 20}); err != errTooBigInline {
		t.Fatalf("inline: got %v", err)
	}
	big[0] = '*'
	if _, _, _, err := parseRequest(big, nil, parseLimits{maxBulk: 1 << 20}); err != errTooBigMbulk {
		t.Fatalf("mbulk: got %v", err)
	}
	unauth := parseLimits{maxBulk: 1 << 20, authRequired: true}
	if _, _, _, err := parseRequest([]byte("*11\r\n"), nil, unauth); err != errBadMbulkLen {
		t.Fatalf("unauth count: got %v", err)
	}
	if _, _, _, err := parseRequest([]byte("*1\r\n$16385\r\n"), nil, unauth); err != errBadBulkLen {
		t.Fatalf("unauth bulk: got %v", err)
	}
	_, n, need, err := parseRequest([]byte("*1\r\n$100\r\nab"), nil, parseLimits{maxBulk: 1 << 20})
	if n != 0 || need != 4+6+100+2 || err != nil {
		t.Fatalf("need: n=%d need=%d err=%v", n, need, err)
	}
}

func TestParseRequestNoAlloc(t *testing.T) {
	in := []byte("*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n")
	args := make([][]byte, 0, 8)
	allocs := testing.AllocsPerRun(100, func() {
		args, _, _, _ = parseRequest(in, args, parseLimits{maxBulk: 1 << 20})
	})
	if allocs != 0 {
		t.Fatalf("parseRequest allocates %v times per call", allocs)
	}
}

// FuzzParseRequest: arbitrary input never panics, consumed bytes stay in
// range, and a request that parses re-encodes and parses to the same args.
func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{"*1\r\n$4\r\nPING\r\n", "PING\r\n", "set a \"b\\x00\" 'c'\n", "*-1\r\n", "*3\r\n$1\r\na\r\n$0\r\n\r\n$2\r\nbc\r\n", "*1\r\n$-5\r\n", "\"", "*99999999999\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		lim := parseLimits{maxBulk: 1 << 20}
		args, n, _, err := parseRequest(in, nil, lim)
		if err != nil {
			return
		}
		if n < 0 || n > len(in) {
			t.Fatalf("consumed %d of %d", n, len(in))
		}
		if n == 0 {
			return
		}
		var enc []byte
		enc = append(enc, '*')
		enc = append(enc, []byte(itoa(len(args)))...)
		enc = append(enc, "\r\n"...)
		for _, a := range args {
			enc = append(enc, '$')
			enc = append(enc, []byte(itoa(len(a)))...)
			enc = append(enc, "\r\n"...)
			enc = append(enc, a...)
			enc = append(enc, "\r\n"...)
		}
		again, m, _, err := parseRequest(enc, nil, lim)
		if len(args) == 0 {
			return
		}
		if err != nil || m != len(enc) || len(again) != len(args) {
			t.Fatalf("re-parse of %q: %v %d %d", enc, err, m, len(again))
		}
		for i := range args {
			if !bytes.Equal(args[i], again[i]) {
				t.Fatalf("arg %d differs", i)
			}
		}
	})
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
