package calc

// Divide panics when b is zero.
func Divide(a, b int) int {
	return a / b
}

func MustPositive(n int) {
	if n <= 0 {
		panic("not positive")
	}
}
