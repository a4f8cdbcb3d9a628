// Package num converts between numbers and their Redis text forms exactly as
// Redis does: string2ll's strict integer syntax (no '+', no leading zeros, no
// spaces), strtold-style floats for INCRBYFLOAT and scores, and Redis's float
// formatting. Clients compare these bytes, so "close enough" is a bug here.
//
// It imports only the standard library.
package num
