package nethttp

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"rulec.dev/runtime/semconv"

	"rulec.dev/runtime/core"
)

// ClientBefore starts a CLIENT span under the span in the request's context
// and replaces the request with a copy that carries the span and the
// propagation headers; the caller's request and headers are left untouched.
// Requests under core.Suppress (the runtime's own exporter) are not traced.
func ClientBefore(t *http.Transport, r **http.Request) any {
	if !core.Enabled() || r == nil || *r == nil {
		return nil
	}
	req := *r
	if core.Suppressed(req.Context()) || isOTLPExport(req) {
		return nil
	}
	st := &clientState{start: time.Now()}
	attrs, method := MethodAttrs(req.Method)
	attrs = clientAttrs(req, attrs)
	st.metric = clientMetricAttrs(attrs)
	name := method
	if t := urlTemplate(req.Context()); t != "" {
		attrs = append(attrs, semconv.URLTemplate(t))
		name += " " + t
	}
	ctx, span := core.Start(req.Context(), name, trace.SpanKindClient, attrs...)
	st.span = span
	out := req.WithContext(ctx)
	out.Header = req.Header.Clone()
	if out.Header == nil {
		out.Header = http.Header{}
	}
	core.Propagator().Inject(ctx, propagation.HeaderCarrier(out.Header))
	*r = out
	st.ctx = ctx
	return st
}

// isOTLPExport reports whether req is an OTLP export by an OTel Go SDK
// exporter the application set up itself: tracing it would add a span per
// batch of telemetry, telemetry about telemetry.
func isOTLPExport(req *http.Request) bool {
	ua := req.Header.Get("User-Agent")
	return strings.HasPrefix(ua, "OTel OTLP Exporter Go/") || strings.HasPrefix(ua, "OTel Go OTLP over ")
}

// clientState follows one request from ClientBefore to ClientAfter.
type clientState struct {
	ctx    context.Context
	span   trace.Span
	start  time.Time
	metric []attribute.KeyValue // the bounded attributes known at start
}

// clientMetricAttrs keeps the span attributes that are bounded: method,
// scheme and the peer (server.address/port), not url.full.
func clientMetricAttrs(attrs []attribute.KeyValue) []attribute.KeyValue {
	out := make([]attribute.KeyValue, 0, 4)
	for _, kv := range attrs {
		switch kv.Key {
		case semconv.HTTPRequestMethodKey, semconv.URLSchemeKey, semconv.ServerAddressKey, semconv.ServerPortKey:
			out = append(out, kv)
		}
	}
	return out
}

func clientAttrs(req *http.Request, attrs []attribute.KeyValue) []attribute.KeyValue {
	if u := req.URL; u != nil {
		attrs = append(attrs, semconv.URLFull(redactedURL(u)), semconv.URLScheme(u.Scheme))
		attrs = append(attrs, ServerAddrAttrs(u.Host, u.Scheme)...)
	}
	if ua := req.Header.Get("User-Agent"); ua != "" {
		attrs = append(attrs, semconv.UserAgentOriginal(ua))
	}
	return attrs
}

// ClientAfter records the outcome and ends the span. On clients both 4xx and
// 5xx are errors; so is a transport error.
func ClientAfter(state any, resp *http.Response, err error) {
	st, ok := state.(*clientState)
	if !ok {
		return
	}
	span, metric := st.span, st.metric
	switch {
	case err != nil:
		core.RecordError(span, err)
		metric = append(metric, semconv.ErrorTypeKey.String(core.ErrorType(err)))
	case resp != nil:
		span.SetAttributes(semconv.HTTPResponseStatusCode(resp.StatusCode))
		metric = append(metric, semconv.HTTPResponseStatusCode(resp.StatusCode))
		if v := protocolVersion(resp.ProtoMajor, resp.ProtoMinor); v != "" {
			span.SetAttributes(semconv.NetworkProtocolVersion(v))
			metric = append(metric, semconv.NetworkProtocolVersion(v))
		}
		if resp.StatusCode >= 400 {
			core.SetError(span, strconv.Itoa(resp.StatusCode), "")
			metric = append(metric, semconv.ErrorTypeKey.String(strconv.Itoa(resp.StatusCode)))
		}
	}
	span.End()
	ClientDuration.Record(st.ctx, st.start, metric...)
}

// ClientDuration is http.client.request.duration, for every HTTP client plugin.
var ClientDuration = core.NewDuration("http.client.request.duration", "Duration of HTTP client requests.")
