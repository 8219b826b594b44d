//go:build unix

package core

import (
	"os"
	"syscall"
)

// watchedSignals are the signals whose default action kills the process and
// that the runtime flushes on.
var watchedSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM}

// reraise sends sig to this process again; with the default action restored
// it terminates the process with the usual "killed by signal" status.
func reraise(sig os.Signal) {
	if s, ok := sig.(syscall.Signal); ok {
		_ = syscall.Kill(os.Getpid(), s)
	}
}
