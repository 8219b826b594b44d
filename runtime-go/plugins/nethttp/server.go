package nethttp

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"rulec.dev/runtime/semconv"

	"rulec.dev/runtime/core"
)

// serverState follows one served request from ServerBefore to ServerAfter.
// The mux hook finds it through the request context to record the route.
type serverState struct {
	span     trace.Span
	start    time.Time
	method   string               // span-name method: the method, or "HTTP" if unknown
	metric   []attribute.KeyValue // the bounded attributes known at start
	route    atomic.Pointer[string]
	rec      statusRecorder
	previous any           // the goroutine context ServerAfter restores
	orig     *http.Request // the request net/http owns
	replaced *http.Request // the request handed to the handler
}

type serverStateKey struct{}

func serverStateFrom(ctx context.Context) *serverState {
	st, _ := ctx.Value(serverStateKey{}).(*serverState)
	return st
}

// ServerBefore starts the SERVER span for a request, continuing the trace
// found in its headers, and hands the handler a request whose context
// carries the span and a ResponseWriter that records the status.
func ServerBefore(w *http.ResponseWriter, r **http.Request) any {
	if !core.Enabled() || w == nil || *w == nil || r == nil || *r == nil {
		return nil
	}
	req := *r
	if core.Suppressed(req.Context()) {
		return nil // the runtime's own endpoints, e.g. the Prometheus scrape
	}
	start := time.Now()
	ctx := core.Propagator().Extract(req.Context(), propagation.HeaderCarrier(req.Header))
	attrs, method := MethodAttrs(req.Method)
	// The metric gets the span's bounded attributes only: not the path, the
	// peer, the user agent, nor (semconv opt-in) the client-chosen Host.
	// Sized for every attribute EndServerSpan may add (status, error, route),
	// so that no request grows it.
	metric := append(make([]attribute.KeyValue, 0, 6), attrs[0], semconv.URLScheme(scheme(req)))
	if v := protocolVersion(req.ProtoMajor, req.ProtoMinor); v != "" {
		metric = append(metric, semconv.NetworkProtocolVersion(v))
	}
	ctx, span := core.Start(ctx, method, trace.SpanKindServer, serverAttrs(req, attrs)...)
	st := &serverState{span: span, start: start, method: method, metric: metric, orig: req}
	st.replaced = req.WithContext(context.WithValue(ctx, serverStateKey{}, st))
	*r = st.replaced
	*w = st.rec.wrap(*w)
	// Goroutines the handler starts, and calls it makes without the
	// request's context, still join the request's trace.
	st.previous = core.Attach(span)
	return st
}

func scheme(req *http.Request) string {
	if req.TLS != nil {
		return "https"
	}
	return "http"
}

// maxServerAttrs is how many attributes serverAttrs adds at most.
const maxServerAttrs = 8

func serverAttrs(req *http.Request, method []attribute.KeyValue) []attribute.KeyValue {
	scheme := scheme(req)
	attrs := append(make([]attribute.KeyValue, 0, len(method)+maxServerAttrs), method...)
	attrs = append(attrs, semconv.URLScheme(scheme))
	if req.URL != nil {
		attrs = append(attrs, semconv.URLPath(req.URL.Path))
	}
	host := req.Host
	if host == "" && req.URL != nil {
		host = req.URL.Host
	}
	attrs = append(attrs, ServerAddrAttrs(host, scheme)...)
	attrs = append(attrs, PeerAttrs(req.RemoteAddr)...)
	if ua := req.UserAgent(); ua != "" {
		attrs = append(attrs, semconv.UserAgentOriginal(ua))
	}
	if v := protocolVersion(req.ProtoMajor, req.ProtoMinor); v != "" {
		attrs = append(attrs, semconv.NetworkProtocolVersion(v))
	}
	return attrs
}

// ServerAfter records the status and route, names and ends the span. Only
// 5xx marks a server span as failed: 4xx is the client's error. panicked is
// the handler's panic value, if it panicked (the advice re-panics it after
// this returns, so net/http handles it as it would have).
func ServerAfter(state any, panicked any) {
	st, ok := state.(*serverState)
	if !ok {
		return
	}
	core.Detach(st.previous)
	// net/http removes multipart temp files of the request it owns; point it
	// at the form the handler parsed on our copy so none are leaked.
	if st.orig.MultipartForm == nil {
		st.orig.MultipartForm = st.replaced.MultipartForm
	}
	EndServerSpan(st.replaced.Context(), st.span, st.start, st.method, st.route.Load(), st.rec.final(), panicked, st.metric)
}

// EndServerSpan ends a SERVER span as every HTTP server plugin does: the
// panic (recorded with its stack) or the status code (only 5xx fails a
// server span: 4xx is the client's error), the route in the span's name
// and attributes, and one http.server.request.duration record with the
// bounded attributes.
func EndServerSpan(ctx context.Context, span trace.Span, start time.Time, method string, route *string, code int,
	panicked any, metric []attribute.KeyValue) {
	if panicked != nil {
		core.RecordPanic(span, panicked)
	}
	// One SetAttributes call: the SDK copies the span's attributes into a
	// new, larger array on every call.
	end := make([]attribute.KeyValue, 0, 3)
	if code > 0 {
		end = append(end, semconv.HTTPResponseStatusCode(code))
		metric = append(metric, semconv.HTTPResponseStatusCode(code))
		if code >= 500 {
			// What core.SetError does, with the attribute in the one call.
			errType := semconv.ErrorTypeKey.String(strconv.Itoa(code))
			end = append(end, errType)
			span.SetStatus(codes.Error, "")
			metric = append(metric, errType)
		}
	} else if panicked != nil {
		metric = append(metric, semconv.ErrorTypeKey.String(fmt.Sprintf("%T", panicked)))
	}
	name := method
	if route != nil {
		end = append(end, semconv.HTTPRoute(*route))
		metric = append(metric, semconv.HTTPRoute(*route))
		name += " " + *route
	}
	span.SetAttributes(end...)
	span.SetName(name)
	span.End()
	ServerDuration.Record(ctx, start, metric...)
}

// ServerDuration is http.server.request.duration, for every HTTP server plugin.
var ServerDuration = core.NewDuration("http.server.request.duration", "Duration of HTTP server requests.")
