//line $MODULE/input.go:1
package config

import (
	"os"
	"strconv"
)

// Port reads the port from the environment; two calls share the last line.
func Port() (int, error) {
	n, err := __rulec_cs_parse_atoi/*line $MODULE/input.go:10:24*/(os.Getenv("PORT"))
	if err != nil {
		return 0, err
	}
	return n + first(__rulec_cs_parse_atoi/*line $MODULE/input.go:14:31*/("0")) + first(__rulec_cs_parse_atoi/*line $MODULE/input.go:14:58*/(strconv.Itoa(0))), nil
}

func first(n int, _ error) int { return n }

var _ = strconv.Atoi
