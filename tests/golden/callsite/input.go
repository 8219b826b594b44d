package config

import (
	"os"
	"strconv"
)

// Port reads the port from the environment; two calls share the last line.
func Port() (int, error) {
	n, err := strconv.Atoi(os.Getenv("PORT"))
	if err != nil {
		return 0, err
	}
	return n + first(strconv.Atoi("0")) + first(strconv.Atoi(strconv.Itoa(0))), nil
}

func first(n int, _ error) int { return n }
