//line $MODULE/input.go:1
package shop

import "errors"

// Refund gives money back; large refunds need a manager.
func Refund(id string, cents int64) (__rulec_r0 int64, __rulec_r1 error) { __rulec_shop_refund_before(id, cents); defer func() { __rulec_shop_refund_after(__rulec_r0, __rulec_r1) }(); /*line $MODULE/input.go:6:53*/
	if cents > 100 {
		return 0, errors.New("refund too large")
	}
	return cents, nil
}

// Unadvised stays exactly as it is.
func Unadvised() string { return "untouched" }
