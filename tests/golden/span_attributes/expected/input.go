//line $MODULE/input.go:1
package billing

import (
	"context"
	"errors"
)

type Customer struct{ ID string }

type ChargeRequest struct {
	Currency string
	Items    []string
	Customer *Customer
}

func (r *ChargeRequest) Count() int { return len(r.Items) }

type Receipt struct{ ID string }

type Service struct{ merchant string }

// Charge takes payment for a request.
func (s *Service) Charge(ctx context.Context, amount int64, req *ChargeRequest) (receipt *Receipt, err error) { __rulec_s0 := __rulec_billing_charge_before(ctx); if __rulec_s0 != nil { func() { defer __rulec_contain("billing.charge"); __rulec_billing_charge_attrs(__rulec_s0, "amount", /*line $MODULE/rule.gorule:13:17*/amount) }(); func() { defer __rulec_contain("billing.charge"); __rulec_billing_charge_attrs(__rulec_s0, "billing.currency", /*line $MODULE/rule.gorule:14:29*/req./*line $MODULE/rule.gorule:14:37*/Currency) }(); func() { defer __rulec_contain("billing.charge"); __rulec_billing_charge_attrs(__rulec_s0, "billing.items", /*line $MODULE/rule.gorule:15:26*/req./*line $MODULE/rule.gorule:15:34*/Count()) }(); func() { defer __rulec_contain("billing.charge"); __rulec_billing_charge_attrs(__rulec_s0, "billing.customer", /*line $MODULE/rule.gorule:16:29*/req./*line $MODULE/rule.gorule:16:37*/Customer./*line $MODULE/rule.gorule:16:46*/ID) }(); func() { defer __rulec_contain("billing.charge"); __rulec_billing_charge_attrs(__rulec_s0, "billing.merchant", /*line $MODULE/rule.gorule:17:29*/s./*line $MODULE/rule.gorule:17:34*/merchant) }(); };  defer func() { var __rulec_e0 error; if __rulec_s0 != nil { func() { defer __rulec_contain("billing.charge"); __rulec_billing_charge_attrs(__rulec_s0, "billing.receipt", /*line $MODULE/rule.gorule:18:28*/receipt./*line $MODULE/rule.gorule:18:43*/ID) }(); func() { defer __rulec_contain("billing.charge"); __rulec_e0 = /*line $MODULE/rule.gorule:20:18*/err }(); }; __rulec_billing_charge_after(__rulec_s0, __rulec_e0) }(); /*line $MODULE/input.go:23:112*/
	if amount <= 0 {
		return nil, errors.New("declined: nothing to charge")
	}
	return &Receipt{ID: "rcpt-" + req.Currency}, nil
}
