package core

import (
	"context"
	"errors"
	"sync"
	"time"
)

var (
	// flushTimeout bounds each exit-time flush; set from config at init.
	flushTimeout = defaultFlushTimeout
	shutdownOnce sync.Once
)

// MainReturn is the after hook of the application's main.main: it runs when
// main returns or panics.
func MainReturn() { shutdown() }

// ExitBefore is the before hook of os.Exit: it flushes before the exit.
func ExitBefore(code int) { shutdown() }

// flush exports buffered spans, bounded by flushTimeout. It leaves the
// provider running, for when the application keeps going.
func flush() {
	defer func() { _ = recover() }()
	s := current.Load()
	if s == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), flushTimeout)
	defer cancel()
	err := s.tp.ForceFlush(ctx)
	if s.mp != nil {
		err = errors.Join(err, s.mp.ForceFlush(ctx))
	}
	if err != nil {
		Logf("flushing telemetry: %v", err)
	}
}

// shutdown flushes and shuts the provider down once; later or concurrent
// callers wait for the first one, so no exit path loses the final spans.
func shutdown() {
	shutdownOnce.Do(func() {
		defer func() { _ = recover() }()
		s := current.Load()
		if s == nil {
			return
		}
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), flushTimeout)
		defer cancel()
		// Shutdown flushes first; both signals share the one deadline.
		err := s.tp.Shutdown(ctx)
		if s.mp != nil {
			err = errors.Join(err, s.mp.Shutdown(ctx))
		}
		if err != nil {
			Logf("flushing telemetry at exit (%v): %v", time.Since(start).Round(time.Millisecond), err)
		}
	})
}
