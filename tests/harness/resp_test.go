package harness

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// wellFormed are complete replies of every RESP2/RESP3 type, each followed in
// the tests by a second reply that must not be consumed.
var wellFormed = []string{
	"+OK\r\n",
	"-ERR unknown command 'FOO', with args beginning with: \r\n",
	":0\r\n",
	":-9223372036854775808\r\n",
	"$0\r\n\r\n",
	"$-1\r\n",
	"$5\r\nhe\r\no\r\n", // CRLF inside a bulk string is payload
	"*-1\r\n",
	"*0\r\n",
	"*3\r\n:1\r\n$1\r\na\r\n*2\r\n+x\r\n_\r\n",
	"_\r\n",
	",3.14\r\n",
	",inf\r\n",
	"#t\r\n",
	"#f\r\n",
	"!21\r\nSYNTAX invalid syntax\r\n",
	"=15\r\ntxt:Some string\r\n",
	"(3492890328409238509324850943850943825024385\r\n",
	"%2\r\n+first\r\n:1\r\n$6\r\nsecond\r\n*1\r\n%0\r\n",
	"~2\r\n+a\r\n+b\r\n",
	">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$3\r\nmsg\r\n",
	"|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*1\r\n:2\r\n",
}

func TestReadReplyReadsExactlyOne(t *testing.T) {
	const next = ":42\r\n"
	for _, want := range wellFormed {
		r := bufio.NewReader(strings.NewReader(want + next))
		got, err := ReadReply(r)
		if err != nil {
			t.Errorf("ReadReply(%q): %v", want, err)
			continue
		}
		if string(got) != want {
			t.Errorf("ReadReply(%q) = %q", want, got)
		}
		rest, _ := io.ReadAll(r)
		if string(rest) != next {
			t.Errorf("after %q the reader holds %q, want %q", want, rest, next)
		}
	}
}

func TestParseReplyStructure(t *testing.T) {
	r, err := ParseReply([]byte("%2\r\n+first\r\n:1\r\n$6\r\nsecond\r\n*2\r\n$-1\r\n#t\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Kind != '%' || r.Line != "2" || len(r.Elems) != 4 {
		t.Fatalf("map parsed as kind %q line %q with %d elems", r.Kind, r.Line, len(r.Elems))
	}
	if string(r.Elems[2].Bulk) != "second" || r.Elems[3].Elems[0].Bulk != nil || r.Elems[3].Elems[1].Line != "t" {
		t.Errorf("unexpected elements: %q %+v", r.Elems[2].Bulk, r.Elems[3].Elems)
	}
	attr, err := ParseReply([]byte(wellFormed[len(wellFormed)-1]))
	if err != nil {
		t.Fatal(err)
	}
	if attr.Attached == nil || attr.Attached.Kind != '*' {
		t.Errorf("attribute did not carry its reply: %+v", attr)
	}
}

func TestReadReplyRejectsMalformed(t *testing.T) {
	for _, in := range []string{
		"",                   // clean EOF
		"+OK\n",              // LF only
		"+OK",                // truncated line
		"$3\r\nab\r\n",       // short bulk
		"$3\r\nabcd\r\n",     // bulk not followed by CRLF
		"$-2\r\n",            // bad length
		"$x\r\n",             // non-numeric length
		"!-1\r\n",            // null only exists for $ and *
		"*2\r\n:1\r\n",       // missing element
		"%1\r\n+k\r\n",       // map missing its value
		"|1\r\n+a\r\n+b\r\n", // attribute without the reply it annotates
		"#x\r\n",             // bad boolean
		"_x\r\n",             // null with payload
		"?\r\n",              // unknown type
		strings.Repeat("*1\r\n", maxReplyDepth+2) + ":1\r\n",
	} {
		if got, err := ReadReply(bufio.NewReader(strings.NewReader(in))); err == nil {
			t.Errorf("ReadReply(%q) = %q, want an error", in, got)
		}
	}
	_, err := ReadReply(bufio.NewReader(strings.NewReader("*2\r\n:1\r\n")))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated aggregate: err = %v, want io.ErrUnexpectedEOF", err)
	}
	if _, err := ParseReply([]byte("+OK\r\n+OK\r\n")); err == nil {
		t.Error("ParseReply accepted trailing bytes")
	}
}

func TestReadReplyLongLine(t *testing.T) {
	long := "+" + strings.Repeat("x", 10000) + "\r\n" // longer than bufio's buffer
	got, err := ReadReply(bufio.NewReaderSize(strings.NewReader(long), 16))
	if err != nil || string(got) != long {
		t.Fatalf("long simple string: err %v, %d bytes back", err, len(got))
	}
}

func TestEncodeCommand(t *testing.T) {
	got := EncodeCommand([]byte("SET"), []byte("k"), []byte(""), []byte("a\r\nb"))
	want := "*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n$4\r\na\r\nb\r\n"
	if string(got) != want {
		t.Errorf("EncodeCommand = %q, want %q", got, want)
	}
}

// FuzzReadReply checks that the reader never panics and that whatever it
// accepts reproduces its input bytes exactly.
func FuzzReadReply(f *testing.F) {
	for _, s := range wellFormed {
		f.Add([]byte(s))
	}
	f.Add([]byte("*3\r\n$1\r\n"))
	f.Add([]byte("%1\r\n|1\r\n+a\r\n+b\r\n+c\r\n+d\r\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		r := bufio.NewReader(bytes.NewReader(in))
		got, err := ReadReply(r)
		if err != nil {
			return
		}
		if !bytes.HasPrefix(in, got) {
			t.Fatalf("ReadReply(%q) = %q, not a prefix of the input", in, got)
		}
		if _, err := ParseReply(got); err != nil {
			t.Fatalf("ParseReply rejected what ReadReply accepted (%q): %v", got, err)
		}
	})
}

func TestOutputBufferFindsSplitMarker(t *testing.T) {
	var b outputBuffer
	b.Write([]byte("starting\npan"))
	if b.crashMarker() != "" {
		t.Fatal("marker reported too early")
	}
	b.Write([]byte("ic: runtime error\n"))
	if b.crashMarker() != "panic:" {
		t.Errorf("split panic marker not found in %q", b.String())
	}
}
