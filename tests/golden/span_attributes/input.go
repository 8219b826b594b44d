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
func (s *Service) Charge(ctx context.Context, amount int64, req *ChargeRequest) (receipt *Receipt, err error) {
	if amount <= 0 {
		return nil, errors.New("declined: nothing to charge")
	}
	return &Receipt{ID: "rcpt-" + req.Currency}, nil
}
