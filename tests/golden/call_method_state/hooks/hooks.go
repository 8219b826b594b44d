package hooks

import (
	"fmt"
	"time"

	store "example.com/golden/call_method_state"
)

var Log []string

// BeforeGet returns when the call started: the state AfterGet gets first.
func BeforeGet(c *store.Cache, key string) time.Time {
	return time.Now()
}

func AfterGet(start time.Time, value string, ok bool) {
	Log = append(Log, fmt.Sprint("get ", ok, time.Since(start) >= 0))
}
