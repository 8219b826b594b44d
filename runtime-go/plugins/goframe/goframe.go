// Package goframe holds rulec's hooks on github.com/gogf/gf/v2 (plugin
// "goframe"): the route ghttp's router found names the request's server
// span and its metric, and GoFrame's own tracing middlewares step aside
// where rulec traces, so each hop has one span.
//
// Hook signatures are an ABI contract with the rulec compiler.
package goframe

import (
	"context"

	"github.com/gogf/gf/v2/net/gclient"
	"github.com/gogf/gf/v2/net/ghttp"
	"github.com/gogf/gf/v2/os/gctx"

	"rulec.dev/runtime/plugins/nethttp"
)

// The context keys GoFrame's server and client tracing middlewares set on
// a request they trace, and skip a request that has (gf v2.6 to v2.10).
const (
	serverTraced gctx.StrKey = "MiddlewareServerTracingHandled"
	clientTraced gctx.StrKey = "MiddlewareClientTracingHandled"
)

// HandlersBefore is the before hook of (*ghttp.Server).getHandlersWithCache.
func HandlersBefore(r *ghttp.Request) any { return r }

// HandlersAfter reports the route of the handler found, if any.
func HandlersAfter(state any, _ []*ghttp.HandlerItemParsed, serve *ghttp.HandlerItemParsed, _, _ bool) {
	r, ok := state.(*ghttp.Request)
	if !ok || r == nil || serve == nil || serve.Handler == nil || serve.Handler.Router == nil {
		return
	}
	nethttp.SetRoute(r.Request, serve.Handler.Router.Uri)
}

// ServerTracingBefore is the before hook of GoFrame's server tracing
// middleware: a request rulec serves under its SERVER span is marked as
// traced already.
func ServerTracingBefore(r *ghttp.Request) {
	if r != nil && nethttp.Serving(r.Request) {
		r.SetCtx(context.WithValue(r.Context(), serverTraced, 1))
	}
}

// DoRequestBefore is the before hook of (*gclient.Client).DoRequest: while
// rulec traces net/http's Transport, the request is marked as traced, and
// GoFrame's client middleware makes no second CLIENT span.
func DoRequestBefore(c *gclient.Client, ctx *context.Context, method, url string, data []any) {
	if ctx != nil && *ctx != nil && nethttp.ClientTraced() {
		*ctx = context.WithValue(*ctx, clientTraced, 1)
	}
}
