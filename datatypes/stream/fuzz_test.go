package stream

import "testing"

// FuzzParseID: never panics, and a parsed ID prints back to a text that
// parses to the same ID.
func FuzzParseID(f *testing.F) {
	for _, s := range []string{"1-2", "-", "+", "5", "1-*", "(1-2", " 7-+3", "18446744073709551615-18446744073709551615", "1--0", "-18446744073709551615"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, strict := range []bool{false, true} {
			id, ok := ParseID([]byte(s), 0, strict)
			if !ok {
				continue
			}
			back, ok2 := ParseID(id.Append(nil), 0, true)
			if !ok2 || back != id {
				t.Fatalf("%q -> %v -> %v %v", s, id, back, ok2)
			}
		}
		ParseAddID([]byte(s))
		ParseExclusiveID([]byte(s), 0)
	})
}
