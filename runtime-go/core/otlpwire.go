package core

import (
	"encoding/binary"
	"math"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// OTLP's protobuf encoding, written by hand for the two requests rulec
// sends (ExportTraceServiceRequest, ExportMetricsServiceRequest). The OTel
// Go exporters marshal through the generated OTLP types, whose package also
// holds the gRPC service: they link gRPC and the protobuf runtime (some
// 13 MB) into every binary and raise those modules in every user's build.
// Field numbers are opentelemetry-proto's (v1.x, stable).

// pb appends protobuf fields to a buffer.
type pb []byte

const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

func (b *pb) tag(field, wire int) { b.varint(uint64(field)<<3 | uint64(wire)) }

func (b *pb) varint(v uint64) { *b = binary.AppendUvarint(*b, v) }

func (b *pb) uint(field int, v uint64) {
	if v != 0 {
		b.tag(field, wireVarint)
		b.varint(v)
	}
}

func (b *pb) fixed64(field int, v uint64) {
	if v != 0 {
		b.tag(field, wireFixed64)
		*b = binary.LittleEndian.AppendUint64(*b, v)
	}
}

func (b *pb) fixed32(field int, v uint32) {
	if v != 0 {
		b.tag(field, wireFixed32)
		*b = binary.LittleEndian.AppendUint32(*b, v)
	}
}

func (b *pb) double(field int, v float64) {
	if v != 0 {
		b.fixed64(field, math.Float64bits(v))
	}
}

func (b *pb) bytes(field int, v []byte) {
	if len(v) != 0 {
		b.tag(field, wireBytes)
		b.varint(uint64(len(v)))
		*b = append(*b, v...)
	}
}

func (b *pb) string(field int, v string) {
	if v != "" {
		b.tag(field, wireBytes)
		b.varint(uint64(len(v)))
		*b = append(*b, v...)
	}
}

// message appends field as an embedded message that fill writes, even when
// empty (an empty message still says "present").
func (b *pb) message(field int, fill func(*pb)) {
	var inner pb
	fill(&inner)
	b.tag(field, wireBytes)
	b.varint(uint64(len(inner)))
	*b = append(*b, inner...)
}

// packedFixed64 appends a packed repeated fixed64 or double field.
func (b *pb) packedFixed64(field int, values []uint64) {
	if len(values) == 0 {
		return
	}
	b.tag(field, wireBytes)
	b.varint(uint64(8 * len(values)))
	for _, v := range values {
		*b = binary.LittleEndian.AppendUint64(*b, v)
	}
}

// --- common.proto, resource.proto ---

func (b *pb) attributes(field int, kvs []attribute.KeyValue) {
	for _, kv := range kvs {
		b.message(field, func(m *pb) {
			m.string(1, string(kv.Key))
			m.message(2, func(v *pb) { v.anyValue(kv.Value) })
		})
	}
}

// anyValue writes AnyValue's one field: a zero value is still written, so
// that `false` and `0` arrive as such.
func (b *pb) anyValue(v attribute.Value) {
	switch v.Type() {
	case attribute.BOOL:
		b.tag(2, wireVarint)
		if v.AsBool() {
			b.varint(1)
		} else {
			b.varint(0)
		}
	case attribute.INT64:
		b.tag(3, wireVarint)
		b.varint(uint64(v.AsInt64()))
	case attribute.FLOAT64:
		b.tag(4, wireFixed64)
		*b = binary.LittleEndian.AppendUint64(*b, math.Float64bits(v.AsFloat64()))
	case attribute.STRING:
		b.tag(1, wireBytes)
		b.varint(uint64(len(v.AsString())))
		*b = append(*b, v.AsString()...)
	case attribute.BOOLSLICE:
		b.array(len(v.AsBoolSlice()), func(i int) attribute.Value { return attribute.BoolValue(v.AsBoolSlice()[i]) })
	case attribute.INT64SLICE:
		b.array(len(v.AsInt64Slice()), func(i int) attribute.Value { return attribute.Int64Value(v.AsInt64Slice()[i]) })
	case attribute.FLOAT64SLICE:
		b.array(len(v.AsFloat64Slice()), func(i int) attribute.Value { return attribute.Float64Value(v.AsFloat64Slice()[i]) })
	case attribute.STRINGSLICE:
		b.array(len(v.AsStringSlice()), func(i int) attribute.Value { return attribute.StringValue(v.AsStringSlice()[i]) })
	}
}

func (b *pb) array(n int, at func(int) attribute.Value) {
	b.message(5, func(arr *pb) {
		for i := 0; i < n; i++ {
			arr.message(1, func(v *pb) { v.anyValue(at(i)) })
		}
	})
}

func (b *pb) resource(field int, res *resource.Resource) {
	b.message(field, func(r *pb) {
		if res != nil {
			r.attributes(1, res.Attributes())
		}
	})
}

func (b *pb) scope(field int, s instrumentation.Scope) {
	b.message(field, func(m *pb) {
		m.string(1, s.Name)
		m.string(2, s.Version)
	})
}

// --- trace.proto ---

// encodeSpans is an ExportTraceServiceRequest of spans: one ResourceSpans
// per resource, one ScopeSpans per instrumentation scope, in arrival order.
func encodeSpans(spans []sdktrace.ReadOnlySpan) []byte {
	type group struct {
		res    *resource.Resource
		scopes []instrumentation.Scope
		spans  map[instrumentation.Scope][]sdktrace.ReadOnlySpan
	}
	var groups []*group
	byRes := map[attribute.Distinct]*group{}
	for _, s := range spans {
		key := s.Resource().Equivalent()
		g := byRes[key]
		if g == nil {
			g = &group{res: s.Resource(), spans: map[instrumentation.Scope][]sdktrace.ReadOnlySpan{}}
			byRes[key] = g
			groups = append(groups, g)
		}
		sc := s.InstrumentationScope()
		if _, ok := g.spans[sc]; !ok {
			g.scopes = append(g.scopes, sc)
		}
		g.spans[sc] = append(g.spans[sc], s)
	}
	var b pb
	for _, g := range groups {
		b.message(1, func(rs *pb) {
			rs.resource(1, g.res)
			for _, sc := range g.scopes {
				rs.message(2, func(ss *pb) {
					ss.scope(1, sc)
					for _, s := range g.spans[sc] {
						ss.message(2, func(m *pb) { m.span(s) })
					}
					ss.string(3, sc.SchemaURL)
				})
			}
			if g.res != nil {
				rs.string(3, g.res.SchemaURL())
			}
		})
	}
	return b
}

func (b *pb) span(s sdktrace.ReadOnlySpan) {
	sc := s.SpanContext()
	tid, sid := sc.TraceID(), sc.SpanID()
	b.bytes(1, tid[:])
	b.bytes(2, sid[:])
	b.string(3, sc.TraceState().String())
	if p := s.Parent(); p.SpanID().IsValid() {
		psid := p.SpanID()
		b.bytes(4, psid[:])
	}
	b.string(5, s.Name())
	b.uint(6, uint64(spanKind(s.SpanKind())))
	b.fixed64(7, uint64(s.StartTime().UnixNano()))
	b.fixed64(8, uint64(s.EndTime().UnixNano()))
	b.attributes(9, s.Attributes())
	b.uint(10, uint64(s.DroppedAttributes()))
	for _, e := range s.Events() {
		b.message(11, func(m *pb) {
			m.fixed64(1, uint64(e.Time.UnixNano()))
			m.string(2, e.Name)
			m.attributes(3, e.Attributes)
			m.uint(4, uint64(e.DroppedAttributeCount))
		})
	}
	b.uint(12, uint64(s.DroppedEvents()))
	for _, l := range s.Links() {
		b.message(13, func(m *pb) {
			ltid, lsid := l.SpanContext.TraceID(), l.SpanContext.SpanID()
			m.bytes(1, ltid[:])
			m.bytes(2, lsid[:])
			m.string(3, l.SpanContext.TraceState().String())
			m.attributes(4, l.Attributes)
			m.uint(5, uint64(l.DroppedAttributeCount))
		})
	}
	b.uint(14, uint64(s.DroppedLinks()))
	st := s.Status()
	b.message(15, func(m *pb) {
		m.string(2, st.Description)
		m.uint(3, uint64(statusCode(st.Code)))
	})
	// SpanFlags: the trace flags, and that the parent's remoteness is known.
	flags := uint32(sc.TraceFlags()) | 0x100
	if s.Parent().IsRemote() {
		flags |= 0x200
	}
	b.fixed32(16, flags)
}

func spanKind(k trace.SpanKind) int {
	switch k {
	case trace.SpanKindInternal:
		return 1
	case trace.SpanKindServer:
		return 2
	case trace.SpanKindClient:
		return 3
	case trace.SpanKindProducer:
		return 4
	case trace.SpanKindConsumer:
		return 5
	}
	return 0
}

func statusCode(c codes.Code) int {
	switch c {
	case codes.Ok:
		return 1
	case codes.Error:
		return 2
	}
	return 0
}

// --- metrics.proto ---

const (
	temporalityDelta      = 1
	temporalityCumulative = 2
)

// encodeMetrics is an ExportMetricsServiceRequest of rm.
func encodeMetrics(rm *metricdata.ResourceMetrics) []byte {
	var b pb
	b.message(1, func(r *pb) {
		r.resource(1, rm.Resource)
		for _, sm := range rm.ScopeMetrics {
			r.message(2, func(s *pb) {
				s.scope(1, sm.Scope)
				for _, m := range sm.Metrics {
					s.message(2, func(mb *pb) { mb.metric(m) })
				}
				s.string(3, sm.Scope.SchemaURL)
			})
		}
		if rm.Resource != nil {
			r.string(3, rm.Resource.SchemaURL())
		}
	})
	return b
}

func (b *pb) metric(m metricdata.Metrics) {
	b.string(1, m.Name)
	b.string(2, m.Description)
	b.string(3, m.Unit)
	switch d := m.Data.(type) {
	case metricdata.Gauge[int64]:
		b.message(5, func(g *pb) { numberPoints(g, d.DataPoints) })
	case metricdata.Gauge[float64]:
		b.message(5, func(g *pb) { numberPoints(g, d.DataPoints) })
	case metricdata.Sum[int64]:
		b.message(7, func(s *pb) { sum(s, d.DataPoints, d.Temporality, d.IsMonotonic) })
	case metricdata.Sum[float64]:
		b.message(7, func(s *pb) { sum(s, d.DataPoints, d.Temporality, d.IsMonotonic) })
	case metricdata.Histogram[int64]:
		b.message(9, func(h *pb) { histogram(h, d.DataPoints, d.Temporality) })
	case metricdata.Histogram[float64]:
		b.message(9, func(h *pb) { histogram(h, d.DataPoints, d.Temporality) })
	}
	// No exponential histograms: no view of rulec's makes them, and their
	// type is newer than the runtime's OTel floor.
}

func temporality(t metricdata.Temporality) uint64 {
	if t == metricdata.DeltaTemporality {
		return temporalityDelta
	}
	return temporalityCumulative
}

func sum[N int64 | float64](b *pb, points []metricdata.DataPoint[N], t metricdata.Temporality, monotonic bool) {
	numberPoints(b, points)
	b.uint(2, temporality(t))
	if monotonic {
		b.uint(3, 1)
	}
}

func numberPoints[N int64 | float64](b *pb, points []metricdata.DataPoint[N]) {
	for _, p := range points {
		b.message(1, func(m *pb) {
			m.fixed64(2, uint64(p.StartTime.UnixNano()))
			m.fixed64(3, uint64(p.Time.UnixNano()))
			// as_double (4, double) or as_int (6, sfixed64), written even when zero.
			switch v := any(p.Value).(type) {
			case float64:
				m.tag(4, wireFixed64)
				*m = binary.LittleEndian.AppendUint64(*m, math.Float64bits(v))
			case int64:
				m.tag(6, wireFixed64)
				*m = binary.LittleEndian.AppendUint64(*m, uint64(v))
			}
			m.attributes(7, p.Attributes.ToSlice())
		})
	}
}

func histogram[N int64 | float64](b *pb, points []metricdata.HistogramDataPoint[N], t metricdata.Temporality) {
	for _, p := range points {
		b.message(1, func(m *pb) {
			m.fixed64(2, uint64(p.StartTime.UnixNano()))
			m.fixed64(3, uint64(p.Time.UnixNano()))
			m.fixed64(4, p.Count)
			m.tag(5, wireFixed64) // sum is optional: present even when zero
			*m = binary.LittleEndian.AppendUint64(*m, math.Float64bits(float64(p.Sum)))
			m.packedFixed64(6, p.BucketCounts)
			bounds := make([]uint64, len(p.Bounds))
			for i, x := range p.Bounds {
				bounds[i] = math.Float64bits(x)
			}
			m.packedFixed64(7, bounds)
			m.attributes(9, p.Attributes.ToSlice())
			if v, ok := p.Min.Value(); ok {
				m.tag(11, wireFixed64)
				*m = binary.LittleEndian.AppendUint64(*m, math.Float64bits(float64(v)))
			}
			if v, ok := p.Max.Value(); ok {
				m.tag(12, wireFixed64)
				*m = binary.LittleEndian.AppendUint64(*m, math.Float64bits(float64(v)))
			}
		})
	}
	b.uint(2, temporality(t))
}
