package sameline

// Double's body starts and ends on the line of its signature.
func Double(x int) int { return x * 2 }

// Nop is empty.
func Nop() {}

// Twice opens its body on the signature's line and goes on.
func Twice(s string) string { t := s + s
	return t
}
