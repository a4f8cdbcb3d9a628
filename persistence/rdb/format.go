package rdb

// Format constants from Redis's src/rdb.h. They are fixed by the on-disk
// format: never renumber them.

// RDBVersion is the RDB version written into DUMP payloads and files. Redis
// 7.0 writes 10 and refuses anything newer, so writing 10 keeps Vireo's DUMP
// output restorable by Redis 7.0 and equal to what it returns.
const RDBVersion = 10

// MaxLoadVersion is the newest RDB version accepted when loading (Redis 7.2
// writes 11).
const MaxLoadVersion = 11

// Value types: the byte that precedes a key's value in an RDB file and opens
// a DUMP payload.
const (
	TypeString           byte = 0
	TypeList             byte = 1
	TypeSet              byte = 2
	TypeZSet             byte = 3
	TypeHash             byte = 4
	TypeZSet2            byte = 5 // sorted set with binary doubles
	TypeModulePreGA      byte = 6 // 4.0 release candidates
	TypeModule2          byte = 7
	TypeHashZipmap       byte = 9
	TypeListZiplist      byte = 10
	TypeSetIntset        byte = 11
	TypeZSetZiplist      byte = 12
	TypeHashZiplist      byte = 13
	TypeListQuicklist    byte = 14
	TypeStreamListpacks  byte = 15
	TypeHashListpack     byte = 16
	TypeZSetListpack     byte = 17
	TypeListQuicklist2   byte = 18
	TypeStreamListpacks2 byte = 19
	TypeSetListpack      byte = 20 // RDB 11 (Redis 7.2)
	TypeStreamListpacks3 byte = 21 // RDB 11 (Redis 7.2)
)

// IsObjectType reports whether t is a value type known to Redis 7.2
// (rdbIsObjectType). 8 was never assigned.
func IsObjectType(t byte) bool {
	return t <= TypeModule2 || (t >= TypeHashZipmap && t <= TypeStreamListpacks3)
}

// Opcodes: special bytes in an RDB file's stream of types.
const (
	OpFunction2     byte = 245 // function library
	OpFunctionPreGA byte = 246 // 7.0 rc1/rc2 function library
	OpModuleAux     byte = 247
	OpIdle          byte = 248 // LRU idle time
	OpFreq          byte = 249 // LFU frequency
	OpAux           byte = 250 // auxiliary field
	OpResizeDB      byte = 251
	OpExpireTimeMs  byte = 252
	OpExpireTime    byte = 253 // seconds, pre-RDB 3
	OpSelectDB      byte = 254
	OpEOF           byte = 255
)

// Module value sub-opcodes (RDB_MODULE_OPCODE_*).
const (
	ModuleOpEOF    = 0
	ModuleOpSInt   = 1
	ModuleOpUInt   = 2
	ModuleOpFloat  = 3
	ModuleOpDouble = 4
	ModuleOpString = 5
)

// Length encoding. The top two bits of a length's first byte say how long it
// is; 11 means the byte is not a length but a special string encoding whose
// kind is in the low six bits.
const (
	len6Bit  = 0    // 00xxxxxx
	len14Bit = 1    // 01xxxxxx xxxxxxxx
	len32Bit = 0x80 // 10000000 + 4 bytes big endian
	len64Bit = 0x81 // 10000001 + 8 bytes big endian
	lenEnc   = 3    // 11xxxxxx: special encoding
)

// Special string encodings (RDB_ENC_*), the low six bits after lenEnc.
const (
	EncInt8  = 0 // 8-bit signed integer
	EncInt16 = 1 // 16-bit signed integer, little endian
	EncInt32 = 2 // 32-bit signed integer, little endian
	EncLZF   = 3 // LZF-compressed string
)
