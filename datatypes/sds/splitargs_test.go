package sds

import "testing"

func TestSplitArgs(t *testing.T) {
	cases := []struct {
		in   string
		want []string
		ok   bool
	}{
		{"set k v", []string{"set", "k", "v"}, true},
		{"  a   b  ", []string{"a", "b"}, true},
		{`"a b" 'c d'`, []string{"a b", "c d"}, true},
		{`"\x41\x4a\n\t\\\"" 'it\'s'`, []string{"AJ\n\t\\\"", "it's"}, true},
		{`"\xZZ"`, []string{"xZZ"}, true},
		{`"abc`, nil, false},
		{`'abc`, nil, false},
		{`"a"b`, nil, false},
		{`'a'b`, nil, false},
		{"a\x00b c", []string{"a"}, true},
		{"", nil, true},
	}
	for _, tc := range cases {
		got, ok := SplitArgs([]byte(tc.in), nil)
		if ok != tc.ok || len(got) != len(tc.want) {
			t.Errorf("SplitArgs(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			continue
		}
		for i := range got {
			if string(got[i]) != tc.want[i] {
				t.Errorf("SplitArgs(%q)[%d] = %q want %q", tc.in, i, got[i], tc.want[i])
			}
		}
	}
}
