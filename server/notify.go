package server

// Keyspace notifications. Commands call Notify with Redis's class and event
// name at the point Redis calls notifyKeyspaceEvent; when
// notify-keyspace-events enables the class, the event is published to
// __keyspace@<db>__:<key> (message: the event) and/or
// __keyevent@<db>__:<event> (message: the key), per the K and E flags.
//
// Notify runs under the keyspace shard locks of the command (or of the
// expiring key), so delivery only appends to subscribers' output queues
// (pubsub.go, outqueue.go): it takes no keyspace lock and never blocks.

import (
	"strconv"
	"sync/atomic"

	"github.com/vireodb/vireo/server/config"
)

// NotifyClass is a notify-keyspace-events class bit (the config package's
// parsed representation, Redis's NOTIFY_* flags).
type NotifyClass = config.KeyspaceEvents

const (
	NotifyKeyspace = config.EventKeyspace // K
	NotifyKeyevent = config.EventKeyevent // E
	NotifyGeneric  = config.EventGeneric  // g
	NotifyString   = config.EventString   // $
	NotifyList     = config.EventList     // l
	NotifySet      = config.EventSet      // s
	NotifyHash     = config.EventHash     // h
	NotifyZSet     = config.EventZset     // z
	NotifyExpired  = config.EventExpired  // x
	NotifyEvicted  = config.EventEvicted  // e
	NotifyStream   = config.EventStream   // t
	NotifyKeyMiss  = config.EventKeyMiss  // m
	NotifyModule   = config.EventModule   // d
	NotifyNew      = config.EventNew      // n
)

// notifyFlags holds the enabled classes (set from notify-keyspace-events).
type notifyFlags struct{ v atomic.Uint32 }

// Notify reports a keyspace event for key in the client's database.
func (c *Ctx) Notify(class NotifyClass, event string, key []byte) {
	c.srv.notify(class, event, key, c.dbIndex)
}

func (s *Server) notify(class NotifyClass, event string, key []byte, db int) {
	flags := NotifyClass(s.notifyFlags.v.Load())
	if flags&class == 0 || flags&(NotifyKeyspace|NotifyKeyevent) == 0 {
		return
	}
	if s.publishHook != nil {
		s.publishHook(class, event, key, db)
	}
	if s.pubsub.subscriptions.Load() == 0 {
		return // nobody listens: skip building the channel names
	}
	var buf [128]byte
	if flags&NotifyKeyspace != 0 {
		ch := appendNotifyPrefix(buf[:0], "__keyspace@", db)
		ch = append(ch, key...)
		s.pubsub.publish(ch, []byte(event))
	}
	if flags&NotifyKeyevent != 0 {
		ch := appendNotifyPrefix(buf[:0], "__keyevent@", db)
		ch = append(ch, event...)
		s.pubsub.publish(ch, key)
	}
}

// appendNotifyPrefix appends "<kind><db>__:".
func appendNotifyPrefix(b []byte, kind string, db int) []byte {
	b = append(b, kind...)
	b = strconv.AppendInt(b, int64(db), 10)
	return append(b, "__:"...)
}
