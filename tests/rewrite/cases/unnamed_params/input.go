package unnamedparams

// Handler does not name its parameters.
func Handler(string, int, *[]byte) bool {
	return true
}

// Point has a method with an unnamed receiver, parameter and result.
type Point struct{ X, Y float64 }

func (Point) Scale(float64) Point {
	return Point{}
}

// Multi spreads its unnamed parameters over several lines.
func Multi(
	string,
	int,
) {
}
