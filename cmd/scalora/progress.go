package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// isTerminal reports whether w is a terminal; progress is drawn only then.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressWriter returns where a long command writes its progress: w
// itself on a terminal, otherwise a writer that keeps whole lines (the
// per-epoch summaries of train) and drops redrawn bars, which are the
// writes containing a carriage return.
func progressWriter(w io.Writer) io.Writer {
	if isTerminal(w) {
		return w
	}
	return lineOnly{w}
}

type lineOnly struct{ w io.Writer }

func (l lineOnly) Write(p []byte) (int, error) {
	if bytes.IndexByte(p, '\r') >= 0 {
		return len(p), nil
	}
	return l.w.Write(p)
}

// spinner shows "what… 12s" on a terminal until the returned stop is
// called, then erases it. Off a terminal it writes nothing. It says how
// long the work has run, not how much is left: the work it watches
// reports no progress of its own.
func spinner(w io.Writer, what string) (stop func()) {
	if !isTerminal(w) {
		return func() {}
	}

	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		start, frames := time.Now(), `|/-\`
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			fmt.Fprintf(w, "\r%c %s %s ", frames[i%4], what, time.Since(start).Truncate(time.Second))
			select {
			case <-done:
				fmt.Fprint(w, "\r\033[K")
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}
