package hooks

import "fmt"

var Log []string

func BeforeRefund(id string, cents int64) { Log = append(Log, fmt.Sprint("refund ", id, cents)) }

func AfterRefund(refunded int64, err error) {
	Log = append(Log, fmt.Sprint("refunded ", refunded, err))
}
