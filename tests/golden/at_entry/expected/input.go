//line $MODULE/input.go:1
package limits

var Calls int

func Clamp(n, max int) int { /*line $MODULE/rule.gorule:11:15*/if n < 0 { n = 0 }; Calls++; /*line $MODULE/input.go:5:29*/
	if n > max {
		return max
	}
	return n
}
