package core

import (
	"context"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// DurationBuckets are the histogram boundaries, in seconds, that the OTel
// semantic conventions give every request-duration metric.
var DurationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// Duration is a plugin's RED metric: a histogram of operation durations in
// seconds whose count gives the rate, whose error.type attribute gives the
// errors, and whose buckets give the latency. Every plugin declares its
// metric once, as a package variable, and records through it.
type Duration struct {
	name, description string
	unit              string  // "s", or "ms" where the conventions say so
	scale             float64 // seconds → unit
	inst              atomic.Pointer[durationInstrument]
}

// durationInstrument is the histogram made for one runtime state, so that a
// swapped provider (tests, a disabled SDK) gets an instrument of its own.
type durationInstrument struct {
	owner *state
	hist  metric.Float64Histogram
}

// NewDuration declares a duration histogram named per semconv, e.g.
// "http.server.request.duration", with DurationBuckets or, when given, the
// boundaries semconv names for that metric.
func NewDuration(name, description string, buckets ...float64) *Duration {
	if len(buckets) == 0 {
		buckets = DurationBuckets
	}
	histogramBounds.Store(name, buckets)
	return &Duration{name: name, description: description, unit: "s", scale: 1}
}

// NewMillisecondDuration declares a histogram in milliseconds, for metrics
// the conventions define in ms (rpc.server.duration, rpc.client.duration),
// with DurationBuckets in ms.
func NewMillisecondDuration(name, description string) *Duration {
	buckets := make([]float64, len(DurationBuckets))
	for i, b := range DurationBuckets {
		buckets[i] = b * 1000
	}
	histogramBounds.Store(name, buckets)
	return &Duration{name: name, description: description, unit: "ms", scale: 1000}
}

// Record adds one operation that began at start. attrs must be bounded
// (methods, route templates, status codes, peers): never ids, raw paths or
// query strings. ctx is the operation's, for exemplars; it is often done by
// the time the operation ends (a server's call, a cancelled client call),
// and the metric SDK the runtime requires (v0.39) drops what is recorded
// under a done context, so its cancellation is set aside.
func (d *Duration) Record(ctx context.Context, start time.Time, attrs ...attribute.KeyValue) {
	s := current.Load()
	if s == nil {
		return
	}
	inst := d.inst.Load()
	if inst == nil || inst.owner != s {
		inst = d.instrument(s)
	}
	inst.hist.Record(context.WithoutCancel(ctx), time.Since(start).Seconds()*d.scale, metric.WithAttributes(attrs...))
}

func (d *Duration) instrument(s *state) *durationInstrument {
	hist, err := s.meter.Float64Histogram(d.name,
		metric.WithUnit(d.unit),
		metric.WithDescription(d.description)) // the boundaries come from bucketView
	if err != nil {
		// The SDK still returns a working instrument alongside the error.
		Logf("metric %s: %v", d.name, err)
	}
	inst := &durationInstrument{owner: s, hist: hist}
	d.inst.Store(inst)
	return inst
}
