package chanx

import (
	"context"
	"testing"
)

var sink int

// sendDoneNil and recvDoneNil are Send and Recv with the plain fast path,
// a test of ctx.Done() == nil, in place of the type-word test.
func sendDoneNil[T any](ctx context.Context, ch chan<- T, v T) error {
	if ctx.Done() == nil {
		ch <- v
		return nil
	}
	return sendSlow(ctx, ch, v)
}

func recvDoneNil[T any](ctx context.Context, ch <-chan T) (T, error) {
	if ctx.Done() == nil {
		if v, ok := <-ch; ok {
			return v, nil
		}
	}
	return recvSlow(ctx, ch)
}

// BenchmarkSendRecvFastPath is the A/B benchmark of isBackground: a send
// and a receive on a buffered channel with context.Background(), through
// Send and Recv (typeword), through the same functions with the plain
// ctx.Done() == nil test (donenil), and with the raw operators (raw).
func BenchmarkSendRecvFastPath(b *testing.B) {
	ctx := context.Background()
	b.Run("typeword", func(b *testing.B) {
		ch := make(chan int, 1)
		for i := 0; b.Loop(); i++ {
			_ = Send(ctx, ch, i)
			v, _ := Recv(ctx, ch)
			sink += v
		}
	})
	b.Run("donenil", func(b *testing.B) {
		ch := make(chan int, 1)
		for i := 0; b.Loop(); i++ {
			_ = sendDoneNil(ctx, ch, i)
			v, _ := recvDoneNil(ctx, ch)
			sink += v
		}
	})
	b.Run("raw", func(b *testing.B) {
		ch := make(chan int, 1)
		for i := 0; b.Loop(); i++ {
			ch <- i
			v := <-ch
			sink += v
		}
	})
}
