// Package server is Vireo's network front: listeners, client connections,
// the RESP reader and the RESP2/RESP3 reply writer, the command table and the
// dispatcher, and one file per command family (string.go, generic.go, ...).
//
// It may import datatypes/..., persistence/..., replication/, cluster/ and
// scripts/; none of those may import it (they expose interfaces it fills).
package server
