package rdb

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// A DUMP payload (cluster.c createDumpPayload / verifyDumpPayload):
//
//	<value type> <encoded value> <RDB version, 2 bytes LE> <CRC64, 8 bytes LE>
//
// where the CRC64 covers every byte before it, version included.

const dumpFooterLen = 2 + 8

// AppendDumpFooter appends the DUMP footer to payload, which must hold the
// type byte and encoded value from its first byte: the RDB version
// (RDBVersion), then the CRC64 of everything before the checksum.
func AppendDumpFooter(payload []byte) []byte {
	payload = binary.LittleEndian.AppendUint16(payload, RDBVersion)
	return binary.LittleEndian.AppendUint64(payload, CRC64(0, payload))
}

// DumpString returns the DUMP payload of a string value, as Redis returns it
// with rdbcompression on (the default).
func DumpString(value []byte) []byte {
	p := make([]byte, 0, 1+9+len(value)+dumpFooterLen)
	p = append(p, TypeString)
	p = AppendString(p, value, true)
	return AppendDumpFooter(p)
}

// ParseDump verifies a DUMP payload as RESTORE does and returns its value
// type and body.
//
// Errors: ErrBadPayload (reply "DUMP payload version or checksum are wrong")
// when the payload is shorter than the footer, its RDB version is above
// MaxLoadVersion, or the CRC64 does not match; ErrBadFormat (reply "Bad data
// format") when the type byte is not a known value type.
//
// body is everything after the type byte up to the end of the payload, the
// footer included. Redis decodes the value from the whole payload, so the
// value's declared lengths may run into the footer and whatever follows the
// value is ignored; decoders read body from the front, and giving them the
// same bytes keeps RESTORE's accept/reject behaviour equal to Redis's.
func ParseDump(payload []byte) (typ byte, body []byte, err error) {
	if len(payload) < dumpFooterLen {
		return 0, nil, fmt.Errorf("%w: %d bytes, shorter than the footer", ErrBadPayload, len(payload))
	}
	footer := payload[len(payload)-dumpFooterLen:]
	if v := binary.LittleEndian.Uint16(footer); v > MaxLoadVersion {
		return 0, nil, fmt.Errorf("%w: RDB version %d", ErrBadPayload, v)
	}
	want := binary.LittleEndian.Uint64(footer[2:])
	if got := CRC64(0, payload[:len(payload)-8]); got != want {
		return 0, nil, fmt.Errorf("%w: CRC64 %016x, footer says %016x", ErrBadPayload, got, want)
	}
	// With no value at all, Redis reads the type from the footer's first
	// byte; so do we (it is then usually rejected below or by the decoder).
	typ = payload[0]
	if !IsObjectType(typ) {
		return 0, nil, fmt.Errorf("%w: unknown value type %d", ErrBadFormat, typ)
	}
	return typ, payload[1:], nil
}

// DecodeStringValue decodes the string value at the front of body (raw,
// integer-encoded or LZF) and ignores what follows it. Errors wrap
// ErrBadFormat.
func DecodeStringValue(body []byte) ([]byte, error) {
	return NewDecoder(bytes.NewReader(body)).ReadString()
}
