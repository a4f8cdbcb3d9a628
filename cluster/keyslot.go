package cluster

// Slots is the number of hash slots, as in Redis Cluster.
const Slots = 16384

// crc16Table is CRC16-XMODEM (polynomial 0x1021, init 0), the function
// Redis Cluster hashes keys with.
var crc16Table = func() (t [256]uint16) {
	for i := range t {
		crc := uint16(i) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
		t[i] = crc
	}
	return t
}()

// CRC16 is CRC16-XMODEM of b.
func CRC16(b []byte) uint16 {
	var crc uint16
	for _, c := range b {
		crc = crc<<8 ^ crc16Table[byte(crc>>8)^c]
	}
	return crc
}

// HashTag returns the part of key that is hashed: the bytes between the
// first '{' and the first '}' after it when that is not empty, else the
// whole key (Redis's keyHashSlot rules: "{}" and "{" alone hash the key).
func HashTag(key []byte) []byte {
	for s := 0; s < len(key); s++ {
		if key[s] != '{' {
			continue
		}
		for e := s + 1; e < len(key); e++ {
			if key[e] == '}' {
				if e == s+1 {
					return key // "{}": no tag, hash everything
				}
				return key[s+1 : e]
			}
		}
		return key // no '}' after the first '{'
	}
	return key
}

// KeySlot is the hash slot of key.
func KeySlot(key []byte) int { return int(CRC16(HashTag(key)) & (Slots - 1)) }
