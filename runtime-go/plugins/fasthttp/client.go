package fasthttp

import (
	"context"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
	"rulec.dev/runtime/semconv"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/plugins/nethttp"
)

type clientState struct {
	span   trace.Span
	start  time.Time
	resp   *fasthttp.Response
	metric []attribute.KeyValue
}

// DoBefore is the before hook of (*HostClient).Do, which Client.Do, the
// Do*Timeout/Deadline variants, redirects and LBClient go through. fasthttp
// requests carry no context: the goroutine's parents the span.
func DoBefore(req *fasthttp.Request, resp *fasthttp.Response) any {
	if !core.Enabled() || req == nil {
		return nil
	}
	attrs, method := nethttp.MethodAttrs(string(req.Header.Method()))
	uri := req.URI()
	scheme := string(uri.Scheme())
	attrs = append(attrs, semconv.URLScheme(scheme))
	attrs = append(attrs, nethttp.ServerAddrAttrs(string(uri.Host()), scheme)...)
	metric := append([]attribute.KeyValue(nil), attrs...)
	attrs = append(attrs, semconv.URLFull(scheme+"://"+string(uri.Host())+string(uri.Path())))
	ctx, span := core.Start(context.Background(), method, trace.SpanKindClient, attrs...)
	core.Propagator().Inject(ctx, requestCarrier{&req.Header})
	return &clientState{span: span, start: time.Now(), resp: resp, metric: metric}
}

// DoAfter records the error or the status (4xx and 5xx fail a client span).
func DoAfter(state any, err error) {
	st, ok := state.(*clientState)
	if !ok {
		return
	}
	metric := st.metric
	switch {
	case err != nil:
		core.RecordError(st.span, err)
		metric = append(metric, semconv.ErrorTypeKey.String(core.ErrorType(err)))
	case st.resp != nil:
		code := st.resp.StatusCode()
		st.span.SetAttributes(semconv.HTTPResponseStatusCode(code))
		metric = append(metric, semconv.HTTPResponseStatusCode(code))
		if code >= 400 {
			core.SetError(st.span, strconv.Itoa(code), "")
			metric = append(metric, semconv.ErrorTypeKey.String(strconv.Itoa(code)))
		}
	}
	st.span.End()
	nethttp.ClientDuration.Record(context.Background(), st.start, metric...)
}
