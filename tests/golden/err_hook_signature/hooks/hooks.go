package hooks

// BeforeRefund takes cents as an int: Refund's is an int64.
func BeforeRefund(id string, cents int) {}
