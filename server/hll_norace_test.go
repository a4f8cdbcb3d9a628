//go:build !race

package server

const hllRaceEnabled = false
