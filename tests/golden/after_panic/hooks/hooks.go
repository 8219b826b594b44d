package hooks

import "fmt"

var Log []string

func AfterDivide(quotient int, recovered any) {
	Log = append(Log, fmt.Sprint("divide ", quotient, recovered))
}

func BeforeMust(n int) int { return n }

func AfterMust(n int, recovered any) {
	if recovered != nil {
		Log = append(Log, fmt.Sprint("must ", n, " panicked: ", recovered))
	}
}
