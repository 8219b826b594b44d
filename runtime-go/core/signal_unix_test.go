//go:build unix

package core

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignalChild is the child process of TestSignal*; it does nothing
// unless started by them.
func TestSignalChild(t *testing.T) {
	mode := os.Getenv("RULEC_SIGNAL_CHILD")
	if mode == "" {
		t.Skip("child process only")
	}
	StartRuntime() // as an instrumented binary's root package does at init
	_, span := Start(context.Background(), "before-signal", 0)
	span.End()
	var app chan os.Signal
	if mode == "app" {
		app = make(chan os.Signal, 1)
		NotifyBefore(app, []os.Signal{syscall.SIGTERM}) // what the os/signal hook does
		signal.Notify(app, syscall.SIGTERM)
	}
	_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
	if app != nil {
		<-app
		os.Stdout.WriteString("app handled\n")
		ExitBefore(0) // what the os.Exit hook does
		os.Exit(0)
	}
	time.Sleep(10 * time.Second)
	t.Fatal("still alive after SIGTERM")
}

func runSignalChild(t *testing.T, mode string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSignalChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "RULEC_SIGNAL_CHILD="+mode, "OTEL_TRACES_EXPORTER=console", "OTEL_SDK_DISABLED=false")
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

func TestSignalWithoutAppHandlerFlushesThenDies(t *testing.T) {
	_, stderr, err := runSignalChild(t, "default")
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("child: %v, want killed by SIGTERM", err)
	}
	ws, ok := exit.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Fatalf("child exit %v, want killed by SIGTERM\n%s", exit, stderr)
	}
	if !strings.Contains(stderr, `"name":"before-signal"`) {
		t.Fatalf("span not flushed before death; stderr:\n%s", stderr)
	}
}

func TestSignalWithAppHandlerIsLeftToApp(t *testing.T) {
	stdout, stderr, err := runSignalChild(t, "app")
	if err != nil {
		t.Fatalf("child: %v, want exit 0\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "app handled") || !strings.Contains(stderr, `"name":"before-signal"`) {
		t.Fatalf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
}
