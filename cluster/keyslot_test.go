package cluster

import "testing"

func TestCRC16KnownVector(t *testing.T) {
	// The check value of CRC16-XMODEM, quoted in the Redis Cluster spec.
	if got := CRC16([]byte("123456789")); got != 0x31C3 {
		t.Fatalf("CRC16(123456789) = %#x, want 0x31c3", got)
	}
}

func TestKeySlot(t *testing.T) {
	cases := []struct {
		key  string
		slot int
	}{
		{"123456789", 12739},
		{"foo", 12182},
		{"a", 15495},
		{"", 0},
		{"{user1000}.following", 3443},
		{"{user1000}.followers", 3443},
		// Slots from redis-server's CLUSTER KEYSLOT.
		{"foo{}{bar}", 8363},
		{"foo{{bar}}zap", 4015},
		{"foo{bar}{zap}", 5061},
		{"{}", 15257},
		{"{a", 10276},
		{"a{}b", 13694},
	}
	for _, c := range cases {
		if got := KeySlot([]byte(c.key)); got != c.slot {
			t.Errorf("KeySlot(%q) = %d, want %d", c.key, got, c.slot)
		}
	}
}

func TestHashTag(t *testing.T) {
	cases := []struct{ key, tag string }{
		{"{user1000}.following", "user1000"},
		{"foo{}{bar}", "foo{}{bar}"}, // the first '{' has an empty tag: hash it all
		{"foo{{bar}}zap", "{bar"},
		{"foo{bar}{zap}", "bar"},
		{"{}", "{}"},
		{"{a", "{a"},
		{"a{}b", "a{}b"},
		{"a}b{c}", "c"},
		{"{a}", "a"},
		{"plain", "plain"},
	}
	for _, c := range cases {
		if got := string(HashTag([]byte(c.key))); got != c.tag {
			t.Errorf("HashTag(%q) = %q, want %q", c.key, got, c.tag)
		}
	}
	if KeySlot([]byte("{a}x")) != KeySlot([]byte("a")) {
		t.Error("{a}x and a must share a slot")
	}
}

func FuzzKeySlot(f *testing.F) {
	for _, s := range []string{"", "{", "}", "{}", "{a", "a{}b", "{a}b", "x{y}z{w}", "123456789", "{{}}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, key []byte) {
		slot := KeySlot(key)
		if slot < 0 || slot >= Slots {
			t.Fatalf("slot %d out of range", slot)
		}
		tag := HashTag(key)
		if len(tag) == 0 && len(key) != 0 {
			t.Fatalf("empty tag for %q", key)
		}
		if len(tag) < len(key) {
			// A real tag: the key must contain {tag}, and hashing the tag
			// alone (when it has no braces of its own) gives the same slot.
			if KeySlot(tag) != slot && string(HashTag(tag)) == string(tag) {
				t.Fatalf("tag %q of %q hashes elsewhere", tag, key)
			}
		}
	})
}
