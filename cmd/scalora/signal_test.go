package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// stuckShutdownEnv makes the test binary act as a process whose graceful
// shutdown never ends (see TestSecondSignalEndsAStuckShutdown).
const stuckShutdownEnv = "SCALORA_TEST_STUCK_SHUTDOWN"

// runStuckShutdown is the child's whole life: TestMain calls it instead of
// the tests when stuckShutdownEnv is set.
func runStuckShutdown() {
	ctx, stop := signalContext()
	defer stop()
	fmt.Println("running")
	<-ctx.Done()
	fmt.Println("shutting down")
	time.Sleep(time.Hour) // a flush that never finishes
}

// TestSecondSignalEndsAStuckShutdown: the first SIGTERM starts the
// graceful shutdown; a second one ends the process even though that
// shutdown is stuck.
func TestSecondSignalEndsAStuckShutdown(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), stuckShutdownEnv+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	expect := func(want string) {
		t.Helper()
		if !lines.Scan() || lines.Text() != want {
			t.Fatalf("child said %q (%v), want %q", lines.Text(), lines.Err(), want)
		}
	}

	expect("running")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	expect("shutting down")

	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		t.Fatalf("child exited on the first signal (%v); it should be shutting down", err)
	case <-time.After(200 * time.Millisecond):
	}

	// The default handling is restored right after the first signal was
	// delivered; send until it takes effect.
	for {
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGTERM {
				t.Fatalf("child ended with %v, want killed by SIGTERM", err)
			}
			return
		case <-time.After(time.Second):
			t.Log("second signal not taken yet, sending again")
		}
	}
}
