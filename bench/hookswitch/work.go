// Package hookswitch measures what a switched-off plugin costs: Traced is
// advised by a rule (hookswitch.gorule), Plain is its unadvised twin.
package hookswitch

// Traced is the advised function.
//
//go:noinline
func Traced(x int) int { return x*31 + 7 }

// Plain has the same body and no advice: the baseline.
//
//go:noinline
func Plain(x int) int { return x*31 + 7 }
