//go:build !unix

package core

import "os"

// watchedSignals is empty where a signal cannot be re-raised: there the
// runtime leaves signals alone and flushes only on main return and os.Exit.
var watchedSignals []os.Signal

func reraise(os.Signal) {}
