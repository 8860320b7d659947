//go:build race

package typed

// raceEnabled scales the stress tests down under the race detector, which
// makes every memory access several times slower.
const raceEnabled = true
