package sds

import "testing"

func TestAppendReprRoundTrips(t *testing.T) {
	for _, s := range []string{"", "plain", `a b"c\d`, "\n\r\t\a\b", "\x00\x7f\xff é"} {
		q := AppendRepr(nil, []byte(s))
		args, ok := SplitArgs(q, nil)
		if !ok || len(args) != 1 || string(args[0]) != s {
			t.Errorf("%q quoted as %s reads back as %q, %v", s, q, args, ok)
		}
	}
	if got := string(AppendRepr([]byte("x "), []byte("a\"b\n\x01"))); got != `x "a\"b\n\x01"` {
		t.Errorf("got %s", got)
	}
}
