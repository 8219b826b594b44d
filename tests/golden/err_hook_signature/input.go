package shop

func Refund(id string, cents int64) error { return nil }
