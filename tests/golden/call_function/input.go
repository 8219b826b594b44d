package shop

import "errors"

// Refund gives money back; large refunds need a manager.
func Refund(id string, cents int64) (int64, error) {
	if cents > 100 {
		return 0, errors.New("refund too large")
	}
	return cents, nil
}

// Unadvised stays exactly as it is.
func Unadvised() string { return "untouched" }
