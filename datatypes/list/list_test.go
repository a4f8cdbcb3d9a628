package list

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// model is the reference: a plain slice of strings.
type model []string

func (m model) index(i int) (string, bool) {
	if i < 0 {
		i += len(m)
	}
	if i < 0 || i >= len(m) {
		return "", false
	}
	return m[i], true
}

// contents reads the list front to back through Each.
func contents(l *List) []string {
	var out []string
	l.Each(false, func(e Elem) bool {
		out = append(out, string(e.Append(nil)))
		return true
	})
	return out
}

// checkInvariants verifies the node chain, the counts and every listpack.
func checkInvariants(t testing.TB, l *List) {
	t.Helper()
	total, nodes := 0, 0
	var prev *node
	for n := l.head; n != nil; n = n.next {
		if n.prev != prev {
			t.Fatalf("node %d: broken prev link", nodes)
		}
		c, err := validateListpack(n.lp)
		if err != nil {
			t.Fatalf("node %d: %v", nodes, err)
		}
		if c != n.count || c == 0 {
			t.Fatalf("node %d: count %d, listpack holds %d", nodes, n.count, c)
		}
		total += c
		nodes++
		prev = n
	}
	if prev != l.tail || total != l.count || nodes != l.nodes {
		t.Fatalf("list: tail ok=%v count %d/%d nodes %d/%d", prev == l.tail, total, l.count, nodes, l.nodes)
	}
}

func randValue(r *rand.Rand) string {
	switch r.IntN(8) {
	case 0:
		return strconv.Itoa(r.IntN(300) - 150)
	case 1:
		return strconv.FormatInt(r.Int64()-math.MaxInt64/2, 10)
	case 2:
		return string(bytes.Repeat([]byte{'x'}, r.IntN(5000)))
	case 3:
		return ""
	case 4:
		return "0" + strconv.Itoa(r.IntN(10)) // not canonical: stays a string
	case 5:
		return strconv.Itoa(r.IntN(70000) - 35000)
	}
	return "v" + strconv.Itoa(r.IntN(20))
}

func TestListAgainstModel(t *testing.T) {
	for _, fill := range []int{-2, -1, -5, 0, 1, 3, 128, -9, 99999} {
		t.Run(fmt.Sprint("fill", fill), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(fill+100), 7))
			l := New(fill)
			var m model
			for step := 0; step < 3000; step++ {
				v := randValue(r)
				switch op := r.IntN(12); op {
				case 0, 1:
					l.PushHead([]byte(v))
					m = append(model{v}, m...)
				case 2, 3:
					l.PushTail([]byte(v))
					m = append(m, v)
				case 4:
					head := r.IntN(2) == 0
					got, ok := l.Pop(head)
					if ok != (len(m) > 0) {
						t.Fatalf("pop ok=%v with %d elements", ok, len(m))
					}
					if ok {
						want := m[len(m)-1]
						if head {
							want, m = m[0], m[1:]
						} else {
							m = m[:len(m)-1]
						}
						if string(got) != want {
							t.Fatalf("pop %q want %q", got, want)
						}
					}
				case 5:
					i := r.IntN(2*len(m)+3) - len(m) - 1
					e, ok := l.Index(i)
					want, wok := m.index(i)
					if ok != wok || ok && string(e.Append(nil)) != want {
						t.Fatalf("index %d: %q,%v want %q,%v", i, e.Append(nil), ok, want, wok)
					}
				case 6:
					i := r.IntN(2*len(m)+3) - len(m) - 1
					ok := l.Set(i, []byte(v))
					_, wok := m.index(i)
					if ok != wok {
						t.Fatalf("set %d: %v want %v", i, ok, wok)
					}
					if ok {
						if i < 0 {
							i += len(m)
						}
						m[i] = v
					}
				case 7:
					if len(m) == 0 {
						continue
					}
					pivot := m[r.IntN(len(m))]
					if r.IntN(5) == 0 {
						pivot = "absent"
					}
					after := r.IntN(2) == 0
					found := l.Insert([]byte(pivot), []byte(v), after)
					at := -1
					for j, s := range m {
						if s == pivot {
							at = j
							break
						}
					}
					if found != (at >= 0) {
						t.Fatalf("insert found=%v", found)
					}
					if at >= 0 {
						if after {
							at++
						}
						m = append(m[:at], append(model{v}, m[at:]...)...)
					}
				case 8:
					if len(m) == 0 {
						continue
					}
					target := m[r.IntN(len(m))]
					count := r.IntN(5) - 2
					got := l.Remove(count, []byte(target))
					want := 0
					limit := count
					if limit < 0 {
						limit = -limit
					}
					var keep model
					if count >= 0 {
						for _, s := range m {
							if s == target && (limit == 0 || want < limit) {
								want++
								continue
							}
							keep = append(keep, s)
						}
					} else {
						for j := len(m) - 1; j >= 0; j-- {
							if m[j] == target && want < limit {
								want++
								continue
							}
							keep = append(model{m[j]}, keep...)
						}
					}
					m = keep
					if got != want {
						t.Fatalf("remove %d %q: %d want %d", count, target, got, want)
					}
				case 9:
					start := r.IntN(2*len(m)+3) - len(m) - 1
					count := r.IntN(len(m) + 3)
					l.DelRange(start, count)
					s := start
					if s < 0 {
						s += len(m)
					}
					if s >= 0 && s < len(m) {
						e := min(s+count, len(m))
						m = append(m[:s], m[e:]...)
					}
				case 10:
					if len(m) == 0 {
						continue
					}
					start := r.IntN(len(m))
					n := r.IntN(len(m) + 2)
					rev := r.IntN(2) == 0
					var got []string
					l.Range(start, n, rev, func(e Elem) bool {
						got = append(got, string(e.Append(nil)))
						return true
					})
					var want []string
					for j := start; len(want) < n && j >= 0 && j < len(m); {
						want = append(want, m[j])
						if rev {
							j--
						} else {
							j++
						}
					}
					if fmt.Sprint(got) != fmt.Sprint(want) {
						t.Fatalf("range %d %d %v: %q want %q", start, n, rev, got, want)
					}
				case 11:
					c := l.Clone().(*List)
					checkInvariants(t, c)
					if fmt.Sprint(contents(c)) != fmt.Sprint(contents(l)) {
						t.Fatal("clone differs")
					}
					c.PushHead([]byte("only in clone"))
					if l.Len() == c.Len() {
						t.Fatal("clone shares state")
					}
				}
				if l.Len() != len(m) {
					t.Fatalf("step %d: len %d want %d", step, l.Len(), len(m))
				}
				if step%50 == 0 {
					checkInvariants(t, l)
					if got := contents(l); fmt.Sprint(got) != fmt.Sprint([]string(m)) {
						t.Fatalf("step %d: contents differ", step)
					}
				}
			}
			checkInvariants(t, l)
		})
	}
}

// TestListpackBytes pins encodings to what Redis writes (values taken from
// redis-server 7.0.15 DUMP payloads).
func TestListpackBytes(t *testing.T) {
	lp := lpNew()
	for _, v := range []string{"a", "1", "-1", "127", "128", "4095", "-4096", "4096", "32767", "-32769", "8388607", "8388608", "2147483648", "01", ""} {
		lp = lpAppend(lp, []byte(v))
	}
	want := []byte{0x47, 0, 0, 0, 15, 0,
		0x81, 'a', 2,
		1, 1,
		0xDF, 0xFF, 2,
		0x7F, 1,
		0xC0, 0x80, 2,
		0xCF, 0xFF, 2,
		0xD0, 0x00, 2,
		0xF1, 0x00, 0x10, 3,
		0xF1, 0xFF, 0x7F, 3,
		0xF2, 0xFF, 0x7F, 0xFF, 4,
		0xF2, 0xFF, 0xFF, 0x7F, 4,
		0xF3, 0x00, 0x00, 0x80, 0x00, 5,
		0xF4, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 9,
		0x82, '0', '1', 3,
		0x80, 1,
		0xFF}
	binary.LittleEndian.PutUint32(want, uint32(len(want)))
	if !bytes.Equal(lp, want) {
		t.Fatalf("listpack\n got % x\nwant % x", lp, want)
	}
	if _, err := validateListpack(lp); err != nil {
		t.Fatal(err)
	}
	var got []string
	for p := lpFirst(lp); p >= 0; p = lpNext(lp, p) {
		got = append(got, string(lpGet(lp, p).Append(nil)))
	}
	if fmt.Sprint(got) != "[a 1 -1 127 128 4095 -4096 4096 32767 -32769 8388607 8388608 2147483648 01 ]" {
		t.Fatalf("decoded %q", got)
	}
	// Backwards too.
	got = got[:0]
	for p := lpLast(lp); p >= 0; p = lpPrev(lp, p) {
		got = append(got, string(lpGet(lp, p).Append(nil)))
	}
	if len(got) != 15 || got[0] != "" || got[14] != "a" {
		t.Fatalf("reverse decoded %q", got)
	}
	// Long strings use the 12- and 32-bit length forms and multi-byte backlens.
	for _, n := range []int{63, 64, 127, 128, 4095, 4096, 20000} {
		v := bytes.Repeat([]byte{'z'}, n)
		lp := lpAppend(lpAppend(lpNew(), v), []byte("end"))
		if c, err := validateListpack(lp); err != nil || c != 2 {
			t.Fatalf("len %d: %d %v", n, c, err)
		}
		if e := lpGet(lp, lpLast(lp)); string(e.Str) != "end" {
			t.Fatalf("len %d: last %q", n, e.Str)
		}
		if e := lpGet(lp, lpPrev(lp, lpLast(lp))); !bytes.Equal(e.Str, v) {
			t.Fatalf("len %d: first differs", n)
		}
	}
}

func TestNodeLayoutFollowsFill(t *testing.T) {
	// fill 3: three elements per node.
	l := New(3)
	for i := 0; i < 10; i++ {
		l.PushTail([]byte("x"))
	}
	if l.NumNodes() != 4 {
		t.Fatalf("fill 3, 10 elements: %d nodes, want 4", l.NumNodes())
	}
	// fill -2: 8 KiB nodes. Each 100-byte string takes 2+100+1 bytes, so a
	// node with k elements takes one more while 7 + 103*k + 100 + 8 <= 8192:
	// 79 elements.
	l = New(-2)
	v := bytes.Repeat([]byte{'v'}, 100)
	for i := 0; i < 80; i++ {
		l.PushTail(v)
	}
	if l.NumNodes() != 2 || l.head.count != 79 {
		t.Fatalf("fill -2: %d nodes, head holds %d", l.NumNodes(), l.head.count)
	}
}

func TestAppendListpackRejectsBadInput(t *testing.T) {
	good := lpAppend(lpAppend(lpNew(), []byte("hello")), []byte("12"))
	bad := map[string][]byte{
		"short":         {1, 2, 3},
		"wrong total":   append([]byte{0xFF, 0, 0, 0}, good[4:]...),
		"no terminator": func() []byte { b := bytes.Clone(good); b[len(b)-1] = 0; return b }(),
		"bad backlen":   func() []byte { b := bytes.Clone(good); b[6+6] = 9; return b }(),
		"bad count":     func() []byte { b := bytes.Clone(good); b[4] = 3; return b }(),
		"bad encoding":  func() []byte { b := bytes.Clone(good); b[6] = 0xF7; return b }(),
		"string too long": func() []byte {
			b := bytes.Clone(good)
			b[6] = 0xBF
			return b
		}(),
	}
	for name, b := range bad {
		l := New(-2)
		if err := l.AppendListpack(b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	l := New(-2)
	if err := l.AppendListpack(bytes.Clone(good)); err != nil || l.Len() != 2 {
		t.Fatalf("good listpack: %v len %d", err, l.Len())
	}
	if err := l.AppendListpack(lpNew()); err != nil || l.NumNodes() != 1 {
		t.Fatalf("empty listpack: %v nodes %d", err, l.NumNodes())
	}
}

// FuzzListpack feeds arbitrary bytes to the RDB loader's entry point: it must
// reject or accept without panicking, and whatever it accepts must read back
// and survive changes.
func FuzzListpack(f *testing.F) {
	f.Add(lpAppend(lpAppend(lpNew(), []byte("hello")), []byte("-300")))
	f.Add(lpNew())
	f.Add([]byte{0x0c, 0, 0, 0, 1, 0, 0xF0, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF})
	f.Add(lpAppend(lpNew(), bytes.Repeat([]byte{'a'}, 200)))
	f.Fuzz(func(t *testing.T, data []byte) {
		l := New(-2)
		if err := l.AppendListpack(bytes.Clone(data)); err != nil {
			return
		}
		checkInvariants(t, l)
		before := contents(l)
		l.PushHead([]byte("h"))
		l.PushTail([]byte("t"))
		l.Insert([]byte("t"), []byte("x"), false)
		l.Remove(0, []byte("h"))
		after := contents(l)
		if len(after) != len(before)+2 || after[len(after)-1] != "t" {
			t.Fatalf("after edits: %q from %q", after, before)
		}
		checkInvariants(t, l)
	})
}

// FuzzListOps drives the list with an operation stream and checks it against
// the model.
func FuzzListOps(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, int8(-2))
	f.Add([]byte{1, 1, 1, 1, 7, 7, 7, 9, 9, 3, 3}, int8(2))
	f.Fuzz(func(t *testing.T, ops []byte, fill int8) {
		l := New(int(fill))
		var m model
		for i, op := range ops {
			v := strconv.Itoa(int(op) * 37 % 300)
			if op%5 == 0 {
				v = string(bytes.Repeat([]byte{'q'}, int(op)*20))
			}
			switch op % 7 {
			case 0:
				l.PushHead([]byte(v))
				m = append(model{v}, m...)
			case 1:
				l.PushTail([]byte(v))
				m = append(m, v)
			case 2:
				if got, ok := l.Pop(true); ok {
					if string(got) != m[0] {
						t.Fatalf("op %d: pop %q want %q", i, got, m[0])
					}
					m = m[1:]
				}
			case 3:
				if len(m) > 0 {
					p := m[int(op)%len(m)]
					l.Insert([]byte(p), []byte(v), op%2 == 0)
					for j, s := range m {
						if s == p {
							if op%2 == 0 {
								j++
							}
							m = append(m[:j], append(model{v}, m[j:]...)...)
							break
						}
					}
				}
			case 4:
				if len(m) > 0 {
					s := int(op) % len(m)
					l.DelRange(s, 3)
					m = append(m[:s], m[min(s+3, len(m)):]...)
				}
			case 5:
				if len(m) > 0 {
					i := int(op) % len(m)
					l.Set(i, []byte(v))
					m[i] = v
				}
			case 6:
				if len(m) > 0 {
					target := m[len(m)-1]
					n := l.Remove(-1, []byte(target))
					if n != 1 {
						t.Fatalf("remove: %d", n)
					}
					for j := len(m) - 1; j >= 0; j-- {
						if m[j] == target {
							m = append(m[:j], m[j+1:]...)
							break
						}
					}
				}
			}
		}
		checkInvariants(t, l)
		if fmt.Sprint(contents(l)) != fmt.Sprint([]string(m)) {
			t.Fatalf("contents differ")
		}
	})
}
