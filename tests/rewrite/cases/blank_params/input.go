package blankparams

// Blank has blank parameters and a blank result next to named ones.
func Blank(_ string, n int, _ bool) (_ int, err error) {
	return n, nil
}

// T has a method with a blank receiver.
type T struct{}

func (_ *T) M(_ int) {
}
