package core

import (
	"fmt"
	"math"
	"reflect"

	"go.opentelemetry.io/otel/attribute"
)

// AttributeValue makes a span attribute of any Go value a rule names:
// booleans, integers, floats and strings (named types of them included) keep
// their type, an error its message, a fmt.Stringer its String(), slices of
// those their element type, and anything else its fmt %v text. A nil value
// gives an invalid KeyValue, which the SDK drops.
func AttributeValue(key string, v any) attribute.KeyValue {
	switch x := v.(type) {
	case nil:
		return attribute.KeyValue{}
	case string:
		return attribute.String(key, x)
	case bool:
		return attribute.Bool(key, x)
	case int:
		return attribute.Int(key, x)
	case int64:
		return attribute.Int64(key, x)
	case float64:
		return attribute.Float64(key, x)
	case []string:
		return attribute.StringSlice(key, x)
	case error:
		return attribute.String(key, x.Error())
	case fmt.Stringer:
		return attribute.String(key, x.String())
	}
	return reflectedValue(key, reflect.ValueOf(v))
}

func reflectedValue(key string, rv reflect.Value) attribute.KeyValue {
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
		if rv.IsNil() {
			return attribute.KeyValue{}
		}
	}
	switch rv.Kind() {
	case reflect.String:
		return attribute.String(key, rv.String())
	case reflect.Bool:
		return attribute.Bool(key, rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return attribute.Int64(key, rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if u := rv.Uint(); u <= math.MaxInt64 {
			return attribute.Int64(key, int64(u))
		}
		return attribute.String(key, fmt.Sprint(rv.Uint()))
	case reflect.Float32, reflect.Float64:
		return attribute.Float64(key, rv.Float())
	case reflect.Pointer:
		return AttributeValue(key, rv.Elem().Interface())
	case reflect.Slice, reflect.Array:
		return sliceValue(key, rv)
	}
	return attribute.String(key, fmt.Sprintf("%v", rv.Interface()))
}

func sliceValue(key string, rv reflect.Value) attribute.KeyValue {
	n := rv.Len()
	switch rv.Type().Elem().Kind() {
	case reflect.String:
		out := make([]string, n)
		for i := range out {
			out[i] = rv.Index(i).String()
		}
		return attribute.StringSlice(key, out)
	case reflect.Bool:
		out := make([]bool, n)
		for i := range out {
			out[i] = rv.Index(i).Bool()
		}
		return attribute.BoolSlice(key, out)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		out := make([]int64, n)
		for i := range out {
			out[i] = rv.Index(i).Int()
		}
		return attribute.Int64Slice(key, out)
	case reflect.Float32, reflect.Float64:
		out := make([]float64, n)
		for i := range out {
			out[i] = rv.Index(i).Float()
		}
		return attribute.Float64Slice(key, out)
	}
	return attribute.String(key, fmt.Sprintf("%v", rv.Interface()))
}
