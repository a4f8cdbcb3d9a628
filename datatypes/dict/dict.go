// Package dict: TEMPORARY map-backed placeholder with the final API, replaced
// by the real incremental-rehash table before anything depends on its
// performance or scan guarantees.
package dict

import (
	"hash/maphash"
	"sort"
)

var seed = maphash.MakeSeed()

func Hash(key []byte) uint64       { return maphash.Bytes(seed, key) }
func HashString(key string) uint64 { return maphash.String(seed, key) }

type Dict[V any] struct{ m map[string]*V }

func New[V any](sizeHint int) *Dict[V] { return &Dict[V]{m: make(map[string]*V, sizeHint)} }
func (d *Dict[V]) Len() int            { return len(d.m) }
func (d *Dict[V]) Get(key []byte) (V, bool) {
	p, ok := d.m[string(key)]
	if !ok {
		var z V
		return z, false
	}
	return *p, true
}
func (d *Dict[V]) GetString(key string) (V, bool)           { return d.Get([]byte(key)) }
func (d *Dict[V]) GetHashed(h uint64, key []byte) (V, bool) { return d.Get(key) }
func (d *Dict[V]) Ref(key []byte) *V                        { return d.m[string(key)] }
func (d *Dict[V]) Set(key string, v V) bool {
	if p, ok := d.m[key]; ok {
		*p = v
		return true
	}
	d.m[key] = &v
	return false
}
func (d *Dict[V]) SetHashed(h uint64, key string, v V) bool { return d.Set(key, v) }
func (d *Dict[V]) Delete(key []byte) (V, bool) {
	p, ok := d.m[string(key)]
	if !ok {
		var z V
		return z, false
	}
	delete(d.m, string(key))
	return *p, true
}
func (d *Dict[V]) DeleteString(key string) (V, bool) { return d.Delete([]byte(key)) }
func (d *Dict[V]) Scan(cursor uint64, fn func(key string, v V)) uint64 {
	keys := make([]string, 0, len(d.m))
	for k := range d.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	end := cursor + 10
	for i := cursor; i < end && i < uint64(len(keys)); i++ {
		fn(keys[i], *d.m[keys[i]])
	}
	if end >= uint64(len(keys)) {
		return 0
	}
	return end
}
func (d *Dict[V]) RandomEntry(rnd func() uint64) (string, V, bool) {
	for k, p := range d.m {
		return k, *p, true
	}
	var z V
	return "", z, false
}
func (d *Dict[V]) Sample(n int, rnd func() uint64, fn func(key string, v V)) int {
	i := 0
	for k, p := range d.m {
		if i >= n {
			break
		}
		fn(k, *p)
		i++
	}
	return i
}
func (d *Dict[V]) Range(fn func(key string, v V) bool) {
	for k, p := range d.m {
		if !fn(k, *p) {
			return
		}
	}
}
func (d *Dict[V]) Clear()                            { d.m = map[string]*V{} }
func (d *Dict[V]) MemoryUsage() int                  { return len(d.m) * 64 }
func (d *Dict[V]) RefHashed(h uint64, key []byte) *V { return d.m[string(key)] }
