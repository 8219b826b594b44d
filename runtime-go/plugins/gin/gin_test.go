package gin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"go.opentelemetry.io/otel/codes"

	"rulec.dev/runtime/core/coretest"
	"rulec.dev/runtime/plugins/nethttp"
)

func init() { gin.SetMode(gin.TestMode) }

// hooked plays the Engine's ServeHTTP with handleHTTPRequest rewritten.
// ServeHTTP readies a pooled Context for the request and calls
// handleHTTPRequest with it; HandleContext makes that same call, so the
// hooks go around it, on a Context readied the same way.
func hooked(e *gin.Engine) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := gin.CreateTestContextOnly(w, e)
		c.Request = r
		st := HandleBefore(c)
		defer HandleAfter(st)
		e.HandleContext(c)
	})
}

// serve runs the engine on a loopback server under the nethttp plugin's
// server hooks, which make the span the gin hooks name.
func serve(t *testing.T, e *gin.Engine) string {
	return coretest.Serve(t, coretest.HookedServer(hooked(e), nethttp.ServerBefore, nethttp.ServerAfter))
}

func TestMatchedRouteNamesServerSpanAndMetric(t *testing.T) {
	coretest.CheckMatchedRoutes(t,
		[]string{"/users/1", "/users/2", "/admin/items/9", "/files/a/b.txt"},
		[]string{"/users/{id}", "/users/{id}", "/admin/items/{item}", "/files/{path...}"},
		func(handled func(context.Context)) string {
			ok := func(c *gin.Context) { handled(c.Request.Context()); c.String(200, "ok") }
			e := gin.New()
			e.GET("/users/:id", ok)
			e.Group("/admin").GET("/items/:item", ok)
			e.GET("/files/*path", ok)
			return serve(t, e)
		})
}

func TestHandlerErrorIsRecordedOnTheSpan(t *testing.T) {
	rec := coretest.NewRecorder(t)
	e := gin.New()
	e.GET("/fail", func(c *gin.Context) {
		_ = c.Error(errors.New("first"))
		_ = c.Error(errors.New("boom"))
		c.Status(500)
	})
	url := serve(t, e)

	s := coretest.GetOneRoute(t, rec, url, "/fail", "/fail", 500)
	// The last error the handlers attached, once.
	if got := fmt.Sprint(coretest.ExceptionMessages(s)); got != "[boom]" {
		t.Errorf("exceptions %s", got)
	}
}

func TestClientErrorDoesNotFailTheSpan(t *testing.T) {
	rec := coretest.NewRecorder(t)
	e := gin.New()
	e.POST("/users", func(c *gin.Context) {
		var body struct {
			Name string `json:"name" binding:"required"`
		}
		_ = c.Bind(&body) // a 400 with the binding error attached
	})
	url := serve(t, e)

	resp, err := http.Post(url+"/users", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	s := coretest.WaitSpans(t, rec, 1)[0]
	// As for any server span, a 4xx is the client's error, not the
	// server's: the error is on record, the span has not failed.
	coretest.CheckRouteSpan(t, s, "POST", "/users", 400)
	if len(coretest.ExceptionMessages(s)) != 1 {
		t.Errorf("exceptions %v", coretest.ExceptionMessages(s))
	}
}

func TestUnmatchedRequestHasNoRoute(t *testing.T) {
	rec := coretest.NewRecorder(t)
	e := gin.New()
	e.GET("/users/:id", func(c *gin.Context) {})
	url := serve(t, e)

	s := coretest.GetOneRoute(t, rec, url, "/nowhere", "", 404)
	if len(s.Events()) != 0 {
		t.Errorf("events %v", s.Events())
	}
}

func TestPanickingHandlerKeepsItsRoute(t *testing.T) {
	rec := coretest.NewRecorder(t)
	e := gin.New() // no Recovery: the panic reaches net/http
	e.GET("/panic/:id", func(c *gin.Context) { panic("boom") })
	url := serve(t, e)

	coretest.GetFails(t, url+"/panic/1")
	s := coretest.WaitSpans(t, rec, 1)[0]
	// The after hook runs while the panic unwinds handleHTTPRequest.
	if s.Name() != "GET /panic/{id}" || s.Status().Code != codes.Error || fmt.Sprint(coretest.ExceptionMessages(s)) != "[boom]" {
		t.Errorf("span %q status %v exceptions %v", s.Name(), s.Status(), coretest.ExceptionMessages(s))
	}
}

func TestHooksAreNoOpsOutsideAServerSpan(t *testing.T) {
	rec := coretest.NewRecorder(t)
	e := gin.New()
	e.GET("/fail", func(c *gin.Context) { _ = c.Error(errors.New("boom")); c.Status(500) })
	w := httptest.NewRecorder()
	hooked(e).ServeHTTP(w, httptest.NewRequest("GET", "/fail", nil))
	if w.Code != 500 || len(rec.Ended()) != 0 {
		t.Errorf("status %d, spans %v", w.Code, coretest.SpanNames(rec.Ended()))
	}
	HandleAfter(nil)
	HandleAfter(&gin.Context{}) // no request
}
