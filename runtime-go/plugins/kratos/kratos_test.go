package kratos

import (
	"context"
	"net/http"
	"testing"

	"github.com/go-kratos/kratos/v2/errors"
	khttp "github.com/go-kratos/kratos/v2/transport/http"
	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core/coretest"
	"rulec.dev/runtime/plugins/nethttp"
)

// serveKratos runs a Kratos HTTP server, hooked as rulec builds it, under
// the nethttp plugin's server hooks, which make the span the Kratos hook
// annotates. Routes go through the server's service middleware as
// generated code's do (ctx.Middleware with the operation set).
func serveKratos(t *testing.T) string {
	srv := khttp.NewServer()
	HTTPServerAfter(srv)
	r := srv.Route("/")
	route := func(path, operation string, reply error) {
		r.GET(path, func(ctx khttp.Context) error {
			khttp.SetOperation(ctx, operation)
			h := ctx.Middleware(func(context.Context, any) (any, error) { return "ok", reply })
			out, err := h(ctx, nil)
			if err != nil {
				return err
			}
			return ctx.Result(200, out)
		})
	}
	route("/users/{id}", "/shop.v1.Users/Get", nil)
	route("/missing/{id}", "/shop.v1.Users/Missing", errors.NotFound("USER_NOT_FOUND", "no such user"))
	route("/down", "/shop.v1.Users/Down", errors.InternalServer("DB_DOWN", "the store is down"))
	return coretest.Serve(t, coretest.HookedServer(srv, nethttp.ServerBefore, nethttp.ServerAfter))
}

func TestServerSpanGetsOperationAndErrorReason(t *testing.T) {
	rec := coretest.NewRecorder(t)
	url := serveKratos(t)
	for path, code := range map[string]int{"/users/7": 200, "/missing/7": 404, "/down": 500} {
		if got, _ := coretest.Get(t, url+path); got != code {
			t.Fatalf("GET %s: %d, want %d", path, got, code)
		}
	}
	spans := rec.Ended()
	ok := coretest.FindSpan(t, spans, "GET /users/{id}", trace.SpanKindServer)
	coretest.CheckAttrs(t, "ok", coretest.Attrs(ok), map[string]any{
		"kratos.operation": "/shop.v1.Users/Get", "kratos.error.reason": nil, "http.route": "/users/{id}",
	})
	missing := coretest.FindSpan(t, spans, "GET /missing/{id}", trace.SpanKindServer)
	coretest.CheckAttrs(t, "missing", coretest.Attrs(missing), map[string]any{
		"kratos.operation": "/shop.v1.Users/Missing", "kratos.error.reason": "USER_NOT_FOUND",
		"http.response.status_code": int64(404), "error.type": nil,
	})
	if msgs := coretest.ExceptionMessages(missing); len(msgs) != 1 {
		t.Errorf("the 404's error: %v, want one exception event", msgs)
	}
	down := coretest.FindSpan(t, spans, "GET /down", trace.SpanKindServer)
	coretest.CheckAttrs(t, "down", coretest.Attrs(down), map[string]any{
		"kratos.error.reason": "DB_DOWN", "http.response.status_code": int64(500), "error.type": "500",
	})
}

// hookedTransport runs the nethttp plugin's client hooks, as rulec's
// advice on (*http.Transport).RoundTrip does.
type hookedTransport struct{ base *http.Transport }

func (h hookedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	state := nethttp.ClientBefore(h.base, &req)
	resp, err := h.base.RoundTrip(req)
	nethttp.ClientAfter(state, resp, err)
	return resp, err
}

func TestClientSpanNamedByThePathTemplate(t *testing.T) {
	url := serveKratos(t)
	rec := coretest.NewRecorder(t)
	client, err := khttp.NewClient(context.Background(), khttp.WithEndpoint(url[len("http://"):]),
		khttp.WithTransport(hookedTransport{http.DefaultTransport.(*http.Transport).Clone()}))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	ctx := context.Background()
	opts := []khttp.CallOption{khttp.Operation("/shop.v1.Users/Get"), khttp.PathTemplate("/users/{id}")}
	InvokeBefore(&ctx, "GET", "/users/7", nil, nil, opts)
	var out string
	if err := client.Invoke(ctx, "GET", "/users/7", nil, &out, opts...); err != nil {
		t.Fatal(err)
	}
	spans := rec.Ended()
	c := coretest.FindSpan(t, spans, "GET /users/{id}", trace.SpanKindClient)
	coretest.CheckAttrs(t, "client", coretest.Attrs(c), map[string]any{"url.template": "/users/{id}"})
	s := coretest.FindSpan(t, spans, "GET /users/{id}", trace.SpanKindServer)
	if s.Parent().SpanID() != c.SpanContext().SpanID() {
		t.Error("the server span is not the client span's child")
	}
}
