package core

import (
	"errors"
	"reflect"
	"sync"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// histogramBounds maps the name of each histogram rulec records to the
// boundaries the semantic conventions give it.
var histogramBounds sync.Map // string → []float64

// bucketView gives rulec's histograms their boundaries. A view, not the
// API's WithExplicitBucketBoundaries: that option came with OTel v1.20,
// after the runtime's floor, and so could not be used with an application
// that pins an older OTel.
func bucketView(inst sdkmetric.Instrument) (sdkmetric.Stream, bool) {
	if inst.Scope.Name != ScopeName || inst.Kind != sdkmetric.InstrumentKindHistogram {
		return sdkmetric.Stream{}, false
	}
	bounds, ok := histogramBounds.Load(inst.Name)
	if !ok {
		return sdkmetric.Stream{}, false
	}
	stream := sdkmetric.Stream{Name: inst.Name, Description: inst.Description, Unit: inst.Unit}
	if err := setBoundaries(&stream, bounds.([]float64)); err != nil {
		Logf("metric %s keeps the SDK's default buckets: %v", inst.Name, err)
		return sdkmetric.Stream{}, false
	}
	return stream, true
}

// setBoundaries sets stream's aggregation to an explicit-bucket histogram.
// The type of that aggregation moved between the OTel releases the runtime
// supports (sdk/metric/aggregation.ExplicitBucketHistogram before v1.19,
// sdk/metric.AggregationExplicitBucketHistogram since), so it is made from
// the SDK's own default histogram aggregation, whichever type that is.
func setBoundaries(stream *sdkmetric.Stream, bounds []float64) error {
	def := reflect.ValueOf(sdkmetric.DefaultAggregationSelector(sdkmetric.InstrumentKindHistogram))
	if def.Kind() != reflect.Struct {
		return errors.New("the SDK's default histogram aggregation is not a struct")
	}
	hist := reflect.New(def.Type()).Elem()
	hist.Set(def)
	field := hist.FieldByName("Boundaries")
	if !field.IsValid() || field.Type() != reflect.TypeOf(bounds) {
		return errors.New("the SDK's histogram aggregation has no Boundaries field")
	}
	field.Set(reflect.ValueOf(bounds))
	target := reflect.ValueOf(stream).Elem().FieldByName("Aggregation")
	if !target.IsValid() || !hist.Type().AssignableTo(target.Type()) {
		return errors.New("the SDK's Stream has no Aggregation field of that type")
	}
	target.Set(hist)
	return nil
}
