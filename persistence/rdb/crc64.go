package rdb

import "encoding/binary"

// jonesPoly is the "Jones" CRC-64 polynomial 0xad93d23594c935a9 in reversed
// (LSB-first) form, as Redis's reflected crc64 uses it.
const jonesPoly = 0x95ac9329ac4bc9b5

// crcTables holds the byte table (crcTables[0], identical to crc64_tab in
// Redis's src/crc64.c) and seven derived tables for slicing-by-8. The
// standard library's hash/crc64 would rebuild the derived tables on every
// long call for a polynomial other than ISO/ECMA, and inverts the register,
// which Redis does not; so the few lines are ours.
var crcTables = makeCRCTables()

func makeCRCTables() *[8][256]uint64 {
	t := new([8][256]uint64)
	for i := range 256 {
		crc := uint64(i)
		for range 8 {
			if crc&1 == 1 {
				crc = crc>>1 ^ jonesPoly
			} else {
				crc >>= 1
			}
		}
		t[0][i] = crc
	}
	for k := 1; k < 8; k++ {
		for i := range 256 {
			prev := t[k-1][i]
			t[k][i] = t[0][prev&0xff] ^ prev>>8
		}
	}
	return t
}

// CRC64 continues Redis's CRC64 (crc-64-jones, reflected, initial value 0, no
// final xor) over p, starting from crc. CRC64(0, data) is the checksum of
// data, and CRC64(CRC64(0, a), b) == CRC64(0, a+b), so a stream can be
// checksummed piece by piece.
func CRC64(crc uint64, p []byte) uint64 {
	t := crcTables
	for len(p) >= 8 {
		crc ^= binary.LittleEndian.Uint64(p)
		crc = t[7][crc&0xff] ^
			t[6][(crc>>8)&0xff] ^
			t[5][(crc>>16)&0xff] ^
			t[4][(crc>>24)&0xff] ^
			t[3][(crc>>32)&0xff] ^
			t[2][(crc>>40)&0xff] ^
			t[1][(crc>>48)&0xff] ^
			t[0][crc>>56]
		p = p[8:]
	}
	for _, b := range p {
		crc = t[0][byte(crc)^b] ^ crc>>8
	}
	return crc
}
