package core

import (
	"bytes"
	"sync"
	"testing"
)

// captureLog redirects the runtime's stderr lines into a buffer for one test.
func captureLog(t *testing.T) *syncBuffer {
	t.Helper()
	buf := &syncBuffer{}
	logMu.Lock()
	prev := logOut
	logOut = buf
	logMu.Unlock()
	t.Cleanup(func() {
		logMu.Lock()
		logOut = prev
		logMu.Unlock()
	})
	return buf
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
