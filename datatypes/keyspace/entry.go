package keyspace

// Type is a value's Redis type.
type Type uint8

const (
	TypeString Type = iota
	TypeList
	TypeSet
	TypeZSet
	TypeHash
	TypeStream
)

// Name is the type's name as TYPE reports it.
func (t Type) Name() string {
	switch t {
	case TypeString:
		return "string"
	case TypeList:
		return "list"
	case TypeSet:
		return "set"
	case TypeZSet:
		return "zset"
	case TypeHash:
		return "hash"
	case TypeStream:
		return "stream"
	}
	return "none"
}

// Encoding is the value's internal representation, reported by OBJECT ENCODING
// under Redis's names.
type Encoding uint8

const (
	EncRaw Encoding = iota
	EncInt
	EncEmbstr
	EncHashtable
	EncListpack
	EncIntset
	EncSkiplist
	EncQuicklist
	EncStream
)

// Name is the encoding's name as OBJECT ENCODING reports it.
func (e Encoding) Name() string {
	return [...]string{"raw", "int", "embstr", "hashtable", "listpack", "intset", "skiplist", "quicklist", "stream"}[e]
}

// Entry is one key's value and metadata. Strings keep their bytes in Str;
// every other type keeps its structure in Obj.
type Entry struct {
	Str    []byte
	Obj    any
	Expire int64  // absolute unix time in ms; 0 means no TTL. Change it only through DB.SetExpire or DB.Put (the TTL index follows them)
	Access uint32 // LRU clock (seconds) of the last access, for OBJECT IDLETIME and eviction
	Type   Type
	Enc    Encoding
}
