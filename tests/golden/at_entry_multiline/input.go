package limits

func Clamp(n, max int) int {
	if n > max {
		return max
	}
	return n
}
