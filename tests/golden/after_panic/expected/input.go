//line $MODULE/input.go:1
package calc

// Divide panics when b is zero.
func Divide(a, b int) (__rulec_r0 int) { defer func() { __rulec_p0 := recover(); __rulec_calc_divide_after(__rulec_r0, __rulec_p0); if __rulec_p0 != nil { panic(__rulec_p0) } }(); /*line $MODULE/input.go:4:28*/
	return a / b
}

func MustPositive(n int) { __rulec_s0 := __rulec_calc_must_before(n); defer func() { __rulec_p0 := recover(); __rulec_calc_must_after(__rulec_s0, __rulec_p0); if __rulec_p0 != nil { panic(__rulec_p0) } }(); /*line $MODULE/input.go:8:27*/
	if n <= 0 {
		panic("not positive")
	}
}
