package core

import (
	"errors"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
)

type currency string

type cents uint16

func TestAttributeValue(t *testing.T) {
	var nilPtr *int
	seven := 7
	cases := []struct {
		in   any
		want attribute.Value
	}{
		{"eur", attribute.StringValue("eur")},
		{currency("usd"), attribute.StringValue("usd")},
		{true, attribute.BoolValue(true)},
		{42, attribute.IntValue(42)},
		{cents(250), attribute.Int64Value(250)},
		{uint64(1 << 63), attribute.StringValue("9223372036854775808")},
		{float32(1.5), attribute.Float64Value(1.5)},
		{errors.New("declined"), attribute.StringValue("declined")},
		{2 * time.Second, attribute.StringValue("2s")},
		{[]int{1, 2}, attribute.Int64SliceValue([]int64{1, 2})},
		{[]currency{"a"}, attribute.StringSliceValue([]string{"a"})},
		{&seven, attribute.Int64Value(7)},
		{struct{ A int }{3}, attribute.StringValue("{3}")},
	}
	for _, c := range cases {
		if got := AttributeValue("k", c.in); got.Value != c.want || got.Key != "k" {
			t.Errorf("AttributeValue(%#v) = %v, want %v", c.in, got.Value.Emit(), c.want.Emit())
		}
	}
	for _, v := range []any{nil, nilPtr, map[string]int(nil)} {
		if got := AttributeValue("k", v); got.Valid() {
			t.Errorf("AttributeValue(%#v) = %v, want an invalid KeyValue", v, got)
		}
	}
}
