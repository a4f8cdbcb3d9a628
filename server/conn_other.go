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
