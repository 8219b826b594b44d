package multiresults

import "strconv"

// Parse returns three unnamed results.
func Parse(s string) (int, string, error) {
	n, err := strconv.Atoi(s)
	return n, s, err
}
