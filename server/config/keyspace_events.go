package config

import "strings"

// KeyspaceEvents is the parsed value of notify-keyspace-events: which
// keyspace notifications are published. The bits are Redis's NOTIFY_* flags.
type KeyspaceEvents int

// The event classes of notify-keyspace-events, with their letters.
const (
	EventKeyspace KeyspaceEvents = 1 << iota // K: __keyspace@<db>__ channel
	EventKeyevent                            // E: __keyevent@<db>__ channel
	EventGeneric                             // g: DEL, EXPIRE, RENAME, ...
	EventString                              // $
	EventList                                // l
	EventSet                                 // s
	EventHash                                // h
	EventZset                                // z
	EventExpired                             // x
	EventEvicted                             // e
	EventStream                              // t
	EventKeyMiss                             // m: key misses (excluded from A)
	EventLoaded                              // module "loaded" events (no letter)
	EventModule                              // d: module key type events
	EventNew                                 // n: new keys (excluded from A)

	// EventAll is what the letter A stands for.
	EventAll = EventGeneric | EventString | EventList | EventSet | EventHash |
		EventZset | EventExpired | EventEvicted | EventStream | EventModule
)

// errBadEventClass is Redis's reason for an unknown class letter.
const errBadEventClass = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."

// ParseKeyspaceEvents parses a notify-keyspace-events class string. It
// reports false on an unknown letter.
func ParseKeyspaceEvents(classes string) (KeyspaceEvents, bool) {
	var flags KeyspaceEvents
	for i := 0; i < len(classes); i++ {
		switch classes[i] {
		case 'A':
			flags |= EventAll
		case 'g':
			flags |= EventGeneric
		case '$':
			flags |= EventString
		case 'l':
			flags |= EventList
		case 's':
			flags |= EventSet
		case 'h':
			flags |= EventHash
		case 'z':
			flags |= EventZset
		case 'x':
			flags |= EventExpired
		case 'e':
			flags |= EventEvicted
		case 'K':
			flags |= EventKeyspace
		case 'E':
			flags |= EventKeyevent
		case 't':
			flags |= EventStream
		case 'm':
			flags |= EventKeyMiss
		case 'd':
			flags |= EventModule
		case 'n':
			flags |= EventNew
		default:
			return 0, false
		}
	}
	return flags, true
}

// String formats the flags as CONFIG GET shows them: the type classes and n,
// or just A when all the A classes are set (Redis 7.0 then drops n), then K,
// E and m.
func (f KeyspaceEvents) String() string {
	var b strings.Builder
	if f&EventAll == EventAll {
		b.WriteByte('A')
	} else {
		for _, c := range []struct {
			flag   KeyspaceEvents
			letter byte
		}{
			{EventGeneric, 'g'}, {EventString, '$'}, {EventList, 'l'},
			{EventSet, 's'}, {EventHash, 'h'}, {EventZset, 'z'},
			{EventExpired, 'x'}, {EventEvicted, 'e'}, {EventStream, 't'},
			{EventModule, 'd'}, {EventNew, 'n'},
		} {
			if f&c.flag != 0 {
				b.WriteByte(c.letter)
			}
		}
	}
	if f&EventKeyspace != 0 {
		b.WriteByte('K')
	}
	if f&EventKeyevent != 0 {
		b.WriteByte('E')
	}
	if f&EventKeyMiss != 0 {
		b.WriteByte('m')
	}
	return b.String()
}
