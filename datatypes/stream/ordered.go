package stream

import "github.com/tidwall/btree"

// ordered is the sorted container behind a stream's nodes, groups,
// consumers and pending entries: a tidwall/btree B-tree, without its
// internal locking (the keyspace's shard lock guards every stream).
// Ascend visits the items not below a pivot, Descend those not above it,
// both stopping when the callback returns false.
type ordered[T any] = btree.BTreeG[T]

func newOrdered[T any](less func(a, b T) bool) *ordered[T] {
	return btree.NewBTreeGOptions(less, btree.Options{NoLocks: true})
}
