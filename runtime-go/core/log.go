package core

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// logMu guards logOut, which tests swap to capture output.
var (
	logMu  sync.Mutex
	logOut io.Writer = os.Stderr
)

// Logf writes one "rulec: " prefixed line to stderr. The runtime lives inside
// someone else's program, so it never touches stdout or the log package.
func Logf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	logMu.Lock()
	defer logMu.Unlock()
	_, _ = io.WriteString(logOut, "rulec: "+msg+"\n")
}

// errorHandler receives OpenTelemetry's internal errors (mostly failed
// exports). A dead collector fails every few seconds, so it logs at most one
// line per minute rather than flooding the application's stderr.
type errorHandler struct {
	mu         sync.Mutex
	last       time.Time
	suppressed int
}

func (h *errorHandler) Handle(err error) {
	h.mu.Lock()
	now := time.Now()
	if !h.last.IsZero() && now.Sub(h.last) < time.Minute {
		h.suppressed++
		h.mu.Unlock()
		return
	}
	n := h.suppressed
	h.last, h.suppressed = now, 0
	h.mu.Unlock()
	if n > 0 {
		Logf("telemetry error: %v (%d more in the last minute not shown)", err, n)
		return
	}
	Logf("telemetry error: %v", err)
}
