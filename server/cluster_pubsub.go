package server

// PUBLISH in cluster mode reaches the subscribers of every node, as Redis
// Cluster's bus broadcasts it: each publishing node forwards the message to
// its peers' client ports (CLUSTER VIREO-PUBLISH, delivered there locally
// and not forwarded again). One queue and one connection per peer keep a
// publisher's messages in order; delivery is best effort, like Redis's bus:
// while a peer is unreachable its messages are dropped.

import (
	"bufio"
	"github.com/vireodb/vireo/replication"
	"io"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"time"
)

const clusterPublishQueue = 4096

// clusterPeers are the publish links to the other nodes.
type clusterPeers struct {
	mu    sync.Mutex
	links map[string]*peerLink // by node ID
}

type peerLink struct {
	addr  string
	queue chan [2][]byte
}

// clusterBroadcastPublish queues channel/message for every other node.
func (s *Server) clusterBroadcastPublish(channel, message []byte) {
	st := s.clusterState()
	if len(st.Nodes) <= 1 {
		return
	}
	cn := &s.cluster
	var msg [2][]byte
	msg[0] = append([]byte(nil), channel...)
	msg[1] = append([]byte(nil), message...)
	cn.peers.mu.Lock()
	defer cn.peers.mu.Unlock()
	if cn.peers.links == nil {
		cn.peers.links = map[string]*peerLink{}
	}
	for id, n := range st.Nodes {
		if id == cn.myID || n.Port == 0 {
			continue
		}
		ip := n.IP
		if ip == "" {
			ip = "127.0.0.1"
		}
		addr := net.JoinHostPort(ip, strconv.Itoa(n.Port))
		l := cn.peers.links[id]
		if l == nil || l.addr != addr {
			if l != nil {
				close(l.queue)
			}
			l = &peerLink{addr: addr, queue: make(chan [2][]byte, clusterPublishQueue)}
			cn.peers.links[id] = l
			cn.wg.Add(1)
			go s.runPeerLink(l)
		}
		select {
		case l.queue <- msg:
		default: // the peer is not keeping up: drop, as a full bus link would
		}
	}
}

// runPeerLink sends a peer's queued messages over one connection, dialling
// again after a failure.
func (s *Server) runPeerLink(l *peerLink) {
	cn := &s.cluster
	defer cn.wg.Done()
	var conn net.Conn
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for {
		var msg [2][]byte
		var ok bool
		select {
		case <-cn.stop:
			return
		case msg, ok = <-l.queue:
			if !ok {
				return
			}
		}
		if conn == nil {
			c, err := net.DialTimeout("tcp", l.addr, clusterDialTimeout)
			if err != nil {
				continue // dropped; the next message tries again
			}
			conn = c
			if err := s.authPeer(conn); err != nil {
				slog.Warn("cluster: publish link auth", "peer", l.addr, "err", err)
				conn.Close()
				conn = nil
				continue
			}
			// Replies are read and discarded so the peer never blocks on
			// a full socket.
			go io.Copy(io.Discard, conn)
		}
		req := replication.AppendCommand(nil, "CLUSTER", "VIREO-PUBLISH", string(msg[0]), string(msg[1]))
		conn.SetWriteDeadline(time.Now().Add(clusterDialTimeout))
		if _, err := conn.Write(req); err != nil {
			conn.Close()
			conn = nil
		}
	}
}

// authPeer authenticates a connection to another node with masteruser /
// masterauth, when set.
func (s *Server) authPeer(conn net.Conn) error {
	st := s.cfg.Snapshot()
	if st.MasterAuth == "" {
		return nil
	}
	req := appendAuth(nil, st.MasterUser, st.MasterAuth) // cluster_node.go
	conn.SetDeadline(time.Now().Add(clusterDialTimeout))
	defer conn.SetDeadline(time.Time{})
	if _, err := conn.Write(req); err != nil {
		return err
	}
	line, err := readLine(bufio.NewReaderSize(conn, 64))
	if err != nil {
		return err
	}
	if len(line) > 0 && line[0] == '-' {
		return &peerAuthError{line[1:]}
	}
	return nil
}

type peerAuthError struct{ msg string }

func (e *peerAuthError) Error() string { return "server: cluster: auth: " + e.msg }

// CLUSTER VIREO-PUBLISH channel message (internal): a message published on
// another node, delivered to this node's subscribers only.
func cmdClusterVireoPublish(c *Ctx, args [][]byte) {
	if !c.clusterOn() {
		return
	}
	c.Int(int64(c.srv.pubsub.publish(args[2], args[3])))
}
