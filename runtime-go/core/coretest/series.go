package coretest

import (
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// SeriesCounts collects reader's float64 histogram called name, checks its
// unit, and sums its points' counts by key: a key of the test's choosing
// made of a point's attributes (as SetAttrs gives them), such as its route
// or its operation and whether it failed. key may check the attributes of
// each point as well.
func SeriesCounts[K comparable](t testing.TB, reader sdkmetric.Reader, name, unit string, key func(attrs map[string]any) K) map[K]uint64 {
	t.Helper()
	points, u := Histogram(t, reader, name)
	if u != unit {
		t.Errorf("%s unit %q, want %q", name, u, unit)
	}
	counts := map[K]uint64{}
	for _, p := range points {
		counts[key(SetAttrs(p.Attributes))] += p.Count
	}
	return counts
}

// DBSeries is SeriesCounts of db.client.operation.duration, whose every
// series must be of the given db.system.name and carry no db.query.text
// (its values are unbounded).
func DBSeries(t testing.TB, reader sdkmetric.Reader, system string, key func(attrs map[string]any) string) map[string]uint64 {
	t.Helper()
	return SeriesCounts(t, reader, "db.client.operation.duration", "s", func(a map[string]any) string {
		if a["db.query.text"] != nil || a["db.system.name"] != system {
			t.Errorf("series %v", a)
		}
		return key(a)
	})
}
