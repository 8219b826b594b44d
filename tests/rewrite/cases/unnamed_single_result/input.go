package unnamedsingle

import "errors"

// Close returns a single unnamed error.
func Close() error {
	return errors.New("closed")
}

// Counter returns a single unnamed function type.
func Counter(start int) func() int {
	return func() int { start++; return start }
}
