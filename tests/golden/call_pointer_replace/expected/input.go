//line $MODULE/input.go:1
package greet

import "strings"

func Greet(name string, __rulec_p1 int) (__rulec_r0 string, __rulec_r1 error) { __rulec_greet_normalize_before(&name, __rulec_p1); defer func() { __rulec_greet_normalize_after(&__rulec_r0, __rulec_r1) }(); /*line $MODULE/input.go:5:49*/
	return "hello " + strings.TrimSpace(name), nil
}
