package greet

import "strings"

func Greet(name string, _ int) (string, error) {
	return "hello " + strings.TrimSpace(name), nil
}
