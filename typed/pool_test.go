package typed

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPool(t *testing.T) {
	t.Run("the zero pool hands out zero values", func(t *testing.T) {
		var p Pool[bytes.Buffer]
		b := p.Get()
		require.NotNil(t, b)
		assert.Zero(t, b.Len())
		p.Put(b)
		p.Put(nil) // ignored
	})
	t.Run("New makes objects and Reset clears them on Put", func(t *testing.T) {
		resets := 0
		p := Pool[[]byte]{
			New:   func() []byte { return make([]byte, 0, 64) },
			Reset: func(b *[]byte) { resets++; *b = (*b)[:0] },
		}
		b := p.Get()
		assert.Equal(t, 64, cap(*b))
		*b = append(*b, "hello"...)
		p.Put(b)
		assert.Equal(t, 1, resets)
		b = p.Get() // may or may not be the same buffer: sync.Pool may drop it
		assert.Zero(t, len(*b))
	})
	t.Run("Get and Put of a byte buffer do not allocate", func(t *testing.T) {
		if raceEnabled {
			t.Skip("the race detector makes sync.Pool drop objects")
		}
		p := Pool[[]byte]{New: func() []byte { return make([]byte, 0, 64) }}
		p.Put(p.Get())
		assert.Zero(t, testing.AllocsPerRun(100, func() {
			b := p.Get()
			*b = append((*b)[:0], 'x')
			p.Put(b)
		}))
	})
}
