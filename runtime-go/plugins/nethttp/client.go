package nethttp

import (
	"net/http"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"

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
	if core.Suppressed(req.Context()) {
		return nil
	}
	attrs, method := methodAttrs(req.Method)
	ctx, span := core.Start(req.Context(), method, trace.SpanKindClient, clientAttrs(req, attrs)...)
	out := req.WithContext(ctx)
	out.Header = req.Header.Clone()
	if out.Header == nil {
		out.Header = http.Header{}
	}
	core.Propagator().Inject(ctx, propagation.HeaderCarrier(out.Header))
	*r = out
	return span
}

func clientAttrs(req *http.Request, attrs []attribute.KeyValue) []attribute.KeyValue {
	if u := req.URL; u != nil {
		attrs = append(attrs, semconv.URLFull(redactedURL(u)), semconv.URLScheme(u.Scheme))
		attrs = append(attrs, serverAddrAttrs(u.Host, u.Scheme)...)
	}
	if ua := req.Header.Get("User-Agent"); ua != "" {
		attrs = append(attrs, semconv.UserAgentOriginal(ua))
	}
	return attrs
}

// ClientAfter records the outcome and ends the span. On clients both 4xx and
// 5xx are errors; so is a transport error.
func ClientAfter(state any, resp *http.Response, err error) {
	span, ok := state.(trace.Span)
	if !ok {
		return
	}
	if err != nil {
		core.End(span, err)
		return
	}
	if resp != nil {
		span.SetAttributes(semconv.HTTPResponseStatusCode(resp.StatusCode))
		if v := protocolVersion(resp.ProtoMajor, resp.ProtoMinor); v != "" {
			span.SetAttributes(semconv.NetworkProtocolVersion(v))
		}
		if resp.StatusCode >= 400 {
			core.SetError(span, strconv.Itoa(resp.StatusCode), "")
		}
	}
	span.End()
}
