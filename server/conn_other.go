//go:build !unix

package server

import (
	"net"
	"syscall"
)

// rawConnOf: without unix read(2), connections use net.Conn.Read (conn.go).
func rawConnOf(net.Conn) syscall.RawConn { return nil }

func (c *Ctx) serveRaw(syscall.RawConn, *input) int { return consumeClose }

func (c *Ctx) write(b []byte) (int, error) { return c.conn.Write(b) }

// closeConn closes another connection's socket (conn_raw.go explains why it
// does not wait).
func closeConn(nc net.Conn) { go nc.Close() }
