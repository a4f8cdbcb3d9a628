// Package zset is the sorted set value type: members (binary strings) with
// float64 scores, ordered by score and then by member bytes, with Redis's
// semantics for adding, ranking, range queries, popping and random picks.
//
// A ZSet has two encodings, as in Redis, and converts from the first to the
// second at thresholds the caller passes in (zset-max-listpack-entries and
// zset-max-listpack-value, read by the server from its live config):
//
//   - compact (OBJECT ENCODING "listpack"): every member and score packed into
//     one byte slice in order, about ten bytes of overhead per member. Every
//     operation is a linear scan, which is what Redis does on its listpack
//     and is fast for the small sets this form is for. The scan order is
//     also what makes the range commands give Redis's exact answers when a
//     lexicographic range is asked of members with different scores.
//   - big (OBJECT ENCODING "skiplist"): a member -> score hash table
//     (datatypes/dict, which gives ZSCAN its cursor and ZRANDMEMBER its fair
//     random pick) plus an order-statistics B+ tree (tree.go): leaves hold
//     the members in order and link to their neighbours, inner nodes keep
//     the number of members under each child, so rank <-> member in both
//     directions is O(log n), like Redis's skiplist with spans, with far
//     fewer pointers per member. The tree and the table share each member's
//     string.
//
// Scores are parsed and formatted here with Redis's exact rules (score.go):
// strtod's grammar (hex, inf, leading blanks in ranges), the rejection of
// NaN and of overflow, and the three ways Redis prints a score (%.17g in
// replies, d2string in ZSCAN, integers where listpack stores them).
//
// A ZSet is not safe for concurrent use; the keyspace's shard lock guards it.
// Byte slices passed to callbacks view the set's own memory: they are valid
// only during the callback and must not be modified.
//
// It imports only the standard library and datatypes/dict; it must not
// import the keyspace, the server, persistence or any networking.
package zset
