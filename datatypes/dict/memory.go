package dict

import "unsafe"

// MemoryUsage returns the approximate number of bytes held by d: the Dict
// itself, its bucket tables, its entries and their keys, each rounded up to
// the Go allocator's size class. Memory the values point to is not counted.
func (d *Dict[V]) MemoryUsage() int {
	var e entry[V]
	tables := (cap(d.tables[0]) + cap(d.tables[1])) * int(unsafe.Sizeof(&e))
	return int(unsafe.Sizeof(*d)) + allocSize(tables) +
		d.Len()*allocSize(int(unsafe.Sizeof(e))) + d.keyBytes
}

// stringAllocSize estimates the heap bytes behind a key of n bytes: keys
// under 16 bytes hold no pointers and share 16-byte blocks in Go's tiny
// allocator, so they cost about their length.
func stringAllocSize(n int) int {
	if n < tinySize {
		return n
	}
	return allocSize(n)
}

const (
	tinySize     = 16
	maxSmallSize = 32 << 10
	pageSize     = 8 << 10
)

// sizeClasses are the Go runtime's small-object size classes
// (internal/runtime/gc/sizeclasses.go); an allocation takes the first class
// that fits it.
var sizeClasses = [...]int{
	8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224,
	240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896,
	1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456,
	4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880,
	12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264,
	28672, 32768,
}

// smallClass maps (n+7)/8 to n's size class for n up to smallMax, as the
// runtime's size_to_class8 does: the memory accounting sizes a value on
// every write, and a table read is cheaper than a search.
const smallMax = 1024

var smallClass = func() (t [smallMax/8 + 1]uint16) {
	for i := range t {
		t[i] = uint16(searchClass(i * 8))
	}
	return t
}()

// allocSize returns the bytes the Go allocator hands out for a request of n.
func allocSize(n int) int {
	if n <= 0 {
		return 0
	}
	if n <= smallMax {
		return int(smallClass[(n+7)>>3])
	}
	return searchClass(n)
}

// searchClass is allocSize for any n > 0.
func searchClass(n int) int {
	if n <= 0 {
		return 0
	}
	if n > maxSmallSize {
		return (n + pageSize - 1) &^ (pageSize - 1)
	}
	lo, hi := 0, len(sizeClasses)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if sizeClasses[mid] < n {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return sizeClasses[lo]
}

// EntryBytes estimates what one more key of keyLen bytes costs a Dict[V]
// beyond its value's own allocations: the entry node, the key string and a
// bucket slot (the table keeps a load factor of about one).
func EntryBytes[V any](keyLen int) int {
	var e entry[V]
	return allocSize(int(unsafe.Sizeof(e))) + stringAllocSize(keyLen) + int(unsafe.Sizeof(&e))
}

// AllocSize returns the bytes the Go allocator hands out for a request of n
// bytes (its size class), for callers that estimate their own memory.
func AllocSize(n int) int { return allocSize(n) }
