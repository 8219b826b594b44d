package hooks

import "strings"

// Normalize replaces the name the call sees; the count it takes as it is.
func Normalize(name *string, times int) { *name = strings.ToLower(*name) }

// Redact replaces the greeting the caller gets.
func Redact(msg *string, err error) {
	if err == nil {
		*msg = strings.ReplaceAll(*msg, "secret", "******")
	}
}
