package task

import "testing"

func TestCounter(t *testing.T) {
	t.Run("wait returns at once at zero", func(t *testing.T) {
		var c counter
		c.wait()
		c.add()
		c.done()
		c.wait()
		if n := c.count(); n != 0 {
			t.Fatalf("count() = %d; want 0", n)
		}
	})

	t.Run("every waiter is released once the count reaches zero, not before", func(t *testing.T) {
		for range 200 {
			var c counter
			c.add()
			c.add()
			released := make(chan struct{}, 3)
			for range 3 {
				go func() { c.wait(); released <- struct{}{} }()
			}
			c.done()
			select {
			case <-released:
				t.Fatal("wait() returned with one task still counted")
			default:
			}
			c.add() // a task starting a task before it ends
			c.done()
			c.done()
			for range 3 {
				<-released
			}
			if n := c.count(); n != 0 {
				t.Fatalf("count() = %d; want 0", n)
			}
		}
	})

	t.Run("many goroutines counting and waiting agree", func(t *testing.T) {
		var c counter
		const n = 1000
		c.add()
		for range n {
			c.add()
			go c.done()
		}
		waited := make(chan struct{})
		go func() { c.wait(); close(waited) }()
		c.done()
		<-waited
		if got := c.count(); got != 0 {
			t.Fatalf("count() = %d after wait; want 0", got)
		}
	})
}
