package namedresults

import "errors"

// Divide names its results; the advice uses those names as they are.
func Divide(a, b int) (q int, err error) {
	if b == 0 {
		return 0, errors.New("division by zero")
	}
	return a / b, nil
}

// Split shares one type between two named results.
func Split(s string) (head, tail string) {
	return s[:1], s[1:]
}
