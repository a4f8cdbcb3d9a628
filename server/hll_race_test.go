//go:build race

package server

// hllRaceEnabled skips PFSELFTEST's ten million additions under -race.
const hllRaceEnabled = true
