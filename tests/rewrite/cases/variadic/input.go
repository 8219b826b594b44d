package variadic

import "fmt"

// Logf has a named variadic parameter.
func Logf(format string, args ...any) string {
	return fmt.Sprintf(format, args...)
}

// Sum has an unnamed variadic parameter: its generated name goes before the `...`.
func Sum(int, ... int) int {
	return 0
}
