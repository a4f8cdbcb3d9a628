// Package listpack reads and writes Redis's listpack, byte for byte: the
// compact encoding Redis 7 uses for small lists (each quicklist node), hashes,
// sets and sorted sets, and that RDB files and DUMP payloads carry as is.
//
// Why one package: the list keeps real listpacks in memory and the RDB
// codecs write and check them, and both must produce exactly Redis's bytes
// (integer-looking strings packed as integers, the smallest encodings, the
// same back-lengths) so DUMP payloads equal redis-server's. Keeping the
// encoder and the validator in one place keeps them agreeing.
//
// API in short:
//   - build: New, Append (strings; canonical integers are packed), AppendInt,
//     Prepend, Insert, Replace, Delete, DeleteRange, Merge;
//   - walk: First, Next, Prev, Last, Seek (offsets; -1 at either end), Get
//     (an Entry: string or integer), Len, EntrySize;
//   - trust: Validate, the deep check (Redis's lpValidateIntegrity with
//     deep=1) that untrusted bytes must pass before any other function sees
//     them; AppendBacklen for tests that build hostile input.
//
// It imports the standard library and datatypes/num only; persistence and
// the other datatypes packages import it, never the other way round.
package listpack
