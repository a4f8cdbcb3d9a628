package server

// Keyspace notifications. Commands call Notify with Redis's class and event
// name at the point Redis calls notifyKeyspaceEvent, so the events are right
// from the start. Delivery to __keyspace@<db>__ / __keyevent@<db>__
// subscribers arrives with pub/sub; until then Notify only checks whether
// notify-keyspace-events enables the class.

import (
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
}
