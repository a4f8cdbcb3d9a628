package dict

import "testing"

func TestAllocSizeTableMatchesSearch(t *testing.T) {
	for n := -1; n <= 2*maxSmallSize; n++ {
		if got, want := allocSize(n), searchClass(n); got != want {
			t.Fatalf("allocSize(%d) = %d, search says %d", n, got, want)
		}
	}
	for _, tc := range []struct{ n, want int }{{1, 8}, {8, 8}, {9, 16}, {33, 48}, {1024, 1024}, {1025, 1152}, {40000, 40960}} {
		if got := allocSize(tc.n); got != tc.want {
			t.Errorf("allocSize(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}
