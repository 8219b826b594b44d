// Package fasthttp holds rulec's hooks on github.com/valyala/fasthttp
// (plugin "fasthttp"), which does not build on net/http: a SERVER span per
// request a fasthttp.Server serves (fiber's included) and a CLIENT span per
// request a fasthttp client sends, with W3C (or OTEL_PROPAGATORS) trace
// context in both directions and the HTTP RED metrics net/http's have.
//
// A fasthttp handler gets a *RequestCtx, not a context.Context that could
// carry the span: the span is the goroutine's context for the handler's
// duration, so what the handler calls joins the trace without it.
//
// Hook signatures are an ABI contract with the rulec compiler.
package fasthttp

import (
	"context"
	"net"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
	"go.opentelemetry.io/otel/trace"
	"rulec.dev/runtime/semconv"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/plugins/nethttp"
)

var (
	pluginSwitch = core.PackageSwitch()
	wrapped      core.SideTable[fasthttp.Server, bool]
)

// ServeBefore is the before hook of (*Server).Serve, which every
// ListenAndServe* goes through: it wraps the server's handler, once.
func ServeBefore(s *fasthttp.Server, ln net.Listener) {
	if s == nil || s.Handler == nil {
		return
	}
	if done, _ := wrapped.Get(s); done {
		return
	}
	wrapped.Set(s, true)
	s.Handler = traced(s.Handler)
}

// serverState follows one request; a router (fiber) finds it in the
// RequestCtx's user values to report the route.
type serverState struct {
	route atomic.Pointer[string]
}

type stateKey struct{}

// SetRoute records a router's route template for the request ctx serves.
// The first route set wins: routers report innermost first.
func SetRoute(ctx *fasthttp.RequestCtx, route string) {
	if ctx == nil || route == "" {
		return
	}
	if st, ok := ctx.UserValue(stateKey{}).(*serverState); ok {
		route = nethttp.NormalizeRoute(route)
		st.route.CompareAndSwap(nil, &route)
	}
}

func traced(next fasthttp.RequestHandler) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		if !pluginSwitch.Load() || !core.Enabled() {
			next(ctx)
			return
		}
		start := time.Now()
		parent := core.Propagator().Extract(context.Background(), requestCarrier{&ctx.Request.Header})
		attrs, method := nethttp.MethodAttrs(string(ctx.Method()))
		scheme := "http"
		if ctx.IsTLS() {
			scheme = "https"
		}
		metric := append(attrs[:1:1], semconv.URLScheme(scheme))
		attrs = append(attrs, semconv.URLScheme(scheme), semconv.URLPath(string(ctx.Path())))
		attrs = append(attrs, nethttp.ServerAddrAttrs(string(ctx.Host()), scheme)...)
		attrs = append(attrs, nethttp.PeerAttrs(ctx.RemoteAddr().String())...)
		if ua := ctx.UserAgent(); len(ua) > 0 {
			attrs = append(attrs, semconv.UserAgentOriginal(string(ua)))
		}
		_, span := core.Start(parent, method, trace.SpanKindServer, attrs...)
		st := &serverState{}
		ctx.SetUserValue(stateKey{}, st)
		previous := core.Attach(span)
		defer func() {
			core.Detach(previous)
			panicked := recover()
			code := 0
			if panicked == nil {
				code = ctx.Response.StatusCode()
			}
			nethttp.EndServerSpan(context.Background(), span, start, method, st.route.Load(), code, panicked, metric)
			if panicked != nil {
				panic(panicked)
			}
		}()
		next(ctx)
	}
}
