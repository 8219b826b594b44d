package typeerror

// Both functions below have a deliberate type error; the compiler must
// report each at its line and column in this file, not in the rewritten one.

func Two() int { return "two" } // error@25

func Add(a, b int) int {
	var s string = a + b // error@17
	return len(s)
}
