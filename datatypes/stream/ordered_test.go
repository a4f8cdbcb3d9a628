package stream

import (
	"math/rand"
	"slices"
	"testing"
)

// TestOrderedAgainstSlice checks the chunked container against a sorted
// slice through random inserts, deletes and ranged walks.
func TestOrderedAgainstSlice(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	o := newOrdered(func(a, b int) bool { return a < b })
	var model []int
	for step := 0; step < 20000; step++ {
		k := rng.Intn(3000)
		if rng.Intn(4) == 0 {
			k = 3000 + step // appends past the end
		}
		if rng.Intn(3) == 0 {
			_, ok := o.Delete(k)
			i, found := slices.BinarySearch(model, k)
			if ok != found {
				t.Fatalf("Delete(%d) = %v, model %v", k, ok, found)
			}
			if found {
				model = slices.Delete(model, i, i+1)
			}
		} else {
			_, replaced := o.Set(k)
			i, found := slices.BinarySearch(model, k)
			if replaced != found {
				t.Fatalf("Set(%d) replaced=%v, model %v", k, replaced, found)
			}
			if !found {
				model = slices.Insert(model, i, k)
			}
		}
		if o.Len() != len(model) {
			t.Fatalf("Len %d, model %d", o.Len(), len(model))
		}
		if step%500 == 0 || step > 19900 {
			var got []int
			o.Scan(func(v int) bool { got = append(got, v); return true })
			if !slices.Equal(got, model) {
				t.Fatalf("Scan differs")
			}
			p := rng.Intn(5000)
			var asc, desc []int
			o.Ascend(p, func(v int) bool { asc = append(asc, v); return true })
			o.Descend(p, func(v int) bool { desc = append(desc, v); return true })
			i, _ := slices.BinarySearch(model, p)
			if !slices.Equal(asc, model[i:]) {
				t.Fatalf("Ascend(%d) differs", p)
			}
			j, found := slices.BinarySearch(model, p)
			if found {
				j++
			}
			want := slices.Clone(model[:j])
			slices.Reverse(want)
			if !slices.Equal(desc, want) {
				t.Fatalf("Descend(%d) = %v, want %v", p, desc, want)
			}
		}
	}
	if len(model) > 0 {
		if v, _ := o.Min(); v != model[0] {
			t.Fatal("Min")
		}
		if v, _ := o.Max(); v != model[len(model)-1] {
			t.Fatal("Max")
		}
		if _, ok := o.Get(model[len(model)/2]); !ok {
			t.Fatal("Get")
		}
	}
}
