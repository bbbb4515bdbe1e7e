package agent

import (
	"sync"

	"github.com/scalora/scalora/schemas"
)

// buffer is a bounded FIFO of samples that drops the oldest when full. It
// is safe for concurrent use: the sampling loop pushes, the sender takes.
type buffer struct {
	mu    sync.Mutex
	items []schemas.Sample // oldest first
	cap   int
	drop  func(n int) // called with the lock held; must not block
	ready chan struct{}
}

func newBuffer(capacity int, drop func(int)) *buffer {
	return &buffer{cap: capacity, drop: drop, ready: make(chan struct{}, 1)}
}

// push appends s, dropping the oldest sample when full, and wakes the
// sender. It never blocks.
func (b *buffer) push(s schemas.Sample) {
	b.mu.Lock()
	b.items = append(b.items, s)
	b.trim()
	b.mu.Unlock()

	select {
	case b.ready <- struct{}{}:
	default:
	}
}

// take removes and returns up to n of the oldest samples.
func (b *buffer) take(n int) []schemas.Sample {
	b.mu.Lock()
	defer b.mu.Unlock()

	n = min(n, len(b.items))
	out := make([]schemas.Sample, n)
	copy(out, b.items)
	b.items = append(b.items[:0], b.items[n:]...)
	return out
}

// requeue puts a batch that failed back at the front, where it belongs by
// age; whatever no longer fits is dropped, oldest first.
func (b *buffer) requeue(batch []schemas.Sample) {
	b.mu.Lock()
	defer b.mu.Unlock()

	b.items = append(append(make([]schemas.Sample, 0, len(batch)+len(b.items)), batch...), b.items...)
	b.trim()
}

func (b *buffer) len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.items)
}

// trim drops the oldest samples beyond the capacity; lock held.
func (b *buffer) trim() {
	if over := len(b.items) - b.cap; over > 0 {
		b.items = append(b.items[:0], b.items[over:]...)
		b.drop(over)
	}
}
