package typed

import (
	"hash/maphash"
	"math/bits"
	"reflect"
	"unsafe"
)

// A hasher hashes the keys of one [Map]. Its seeds are drawn at random once
// per Map and kept by every table the Map has, so that a key keeps its hash
// across resizes.
type hasher[K comparable] struct {
	seed    maphash.Seed
	intSeed uint64 // derived from seed, like strSeed
	strSeed uint64
	kind    keyKind
}

type keyKind uint8

const (
	kindOther  keyKind = iota
	kindInt            // K is one of the integer types
	kindString         // K's underlying type is string
)

func newHasher[K comparable](seed maphash.Seed) hasher[K] {
	h := hasher[K]{
		seed:    seed,
		intSeed: maphash.Comparable(seed, uint64(0x5bd1e995)),
		strSeed: maphash.Comparable(seed, uint64(0x27d4eb2f165667c5)),
	}
	var zero K
	switch any(zero).(type) {
	case int, uint, int64, uint64, int32, uint32, int16, uint16, int8, uint8, uintptr:
		h.kind = kindInt
	}
	if reflect.TypeFor[K]().Kind() == reflect.String {
		h.kind = kindString
	}
	return h
}

// hash returns key's hash: integer keys and strings of up to 16 bytes in
// line, other keys with [maphash.Comparable].
func (h *hasher[K]) hash(key K) uint64 {
	switch h.kind {
	case kindString: // K's underlying type is string: a K is a string
		return hashString(*(*string)(unsafe.Pointer(&key)), h.intSeed, h.strSeed, h.seed)
	case kindInt:
		return mixInt(h.intSeed ^ intBits(key))
	}
	return maphash.Comparable(h.seed, key)
}

// hashString hashes a string key. A key of up to 16 bytes, the common case,
// is hashed in line: its bytes, its length and two per-Map random seeds go
// through two 64x64->128-bit multiplies, each folded to 64 bits (the mixing
// step of the runtime's own map hash where AES is not available). That makes
// no call, where maphash.Comparable makes two, one of them indirect
// (BenchmarkABLoadHash). A longer key goes to maphash.Comparable, as keys of
// other types do.
func hashString(s string, s0, s1 uint64, seed maphash.Seed) uint64 {
	n := len(s)
	var a, b uint64
	switch {
	case n > 16:
		return maphash.Comparable(seed, s)
	case n >= 8: // a and b overlap below 16 bytes; together they hold every byte
		a, b = le64(s), le64(s[n-8:])
	case n >= 4:
		a, b = le32(s), le32(s[n-4:])
	case n > 0:
		a = uint64(s[0])<<16 | uint64(s[n>>1])<<8 | uint64(s[n-1])
	}
	return fold(fold(a^s0, b^s1)^uint64(n), s0^s1)
}

// fold multiplies x and y and folds the 128-bit product to 64 bits.
func fold(x, y uint64) uint64 {
	hi, lo := bits.Mul64(x, y)
	return hi ^ lo
}

// le64 returns the first 8 bytes of s as a little-endian word: one load
// where the compiler merges byte loads (amd64, arm64, ...).
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// le32 returns the first 4 bytes of s as a little-endian word.
func le32(s string) uint64 {
	_ = s[3]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24
}

// intBits returns the bits of an integer key; K is one of the integer types.
func intBits[K any](k K) uint64 {
	switch unsafe.Sizeof(k) {
	case 8:
		return *(*uint64)(unsafe.Pointer(&k))
	case 4:
		return uint64(*(*uint32)(unsafe.Pointer(&k)))
	case 2:
		return uint64(*(*uint16)(unsafe.Pointer(&k)))
	default:
		return uint64(*(*uint8)(unsafe.Pointer(&k)))
	}
}

// mixInt is the SplitMix64 finalizer: every input bit affects every output bit.
func mixInt(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
