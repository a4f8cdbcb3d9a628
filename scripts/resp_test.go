package scripts

import (
	"testing"

	lua "github.com/yuin/gopher-lua"
)

func TestParseRESP(t *testing.T) {
	v, rest, err := parseRESP([]byte("*3\r\n:1\r\n$-1\r\n%1\r\n+a\r\n,1.5\r\nextra"), 0)
	if err != nil || string(rest) != "extra" || v.Kind != '*' || len(v.Elems) != 3 || !v.Elems[1].Null || len(v.Elems[2].Elems) != 2 {
		t.Fatalf("parse: %+v %q %v", v, rest, err)
	}
	for _, bad := range []string{"", "*", "$5\r\nab\r\n", ":x\r\n", "?\r\n", "*2\r\n:1\r\n"} {
		if _, _, err := parseRESP([]byte(bad), 0); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// FuzzParseRESP checks that a reply the parser accepts converts to Lua
// without panicking, and that nothing panics on garbage.
func FuzzParseRESP(f *testing.F) {
	for _, s := range []string{"+OK\r\n", "*2\r\n$1\r\na\r\n_\r\n", "%1\r\n:1\r\n#t\r\n", "=7\r\ntxt:abc\r\n", "|1\r\n+a\r\n+b\r\n:1\r\n", "~1\r\n(12\r\n"} {
		f.Add([]byte(s))
	}
	L := lua.NewState()
	defer L.Close()
	f.Fuzz(func(t *testing.T, b []byte) {
		v, _, err := parseRESP(b, 0)
		if err != nil {
			return
		}
		_ = respToLua(L, v)
	})
}

func FuzzParseShebang(f *testing.F) {
	for _, s := range []string{"#!lua flags=no-writes\nreturn 1", "#!lua\n", "return 1", "#!lua name=x\n", "#!lua \"unterminated\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, n, err := ParseShebang(s)
		if err == nil && (n < 0 || n > len(s)) {
			t.Fatalf("shebang length %d of %d", n, len(s))
		}
		_, n, err = parseLibraryMetadata(s)
		if err == nil && (n < 0 || n > len(s)) {
			t.Fatalf("metadata length %d of %d", n, len(s))
		}
	})
}
