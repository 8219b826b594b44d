package nethttp

import (
	"bytes"
	"io"
	"log"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core/coretest"
)

func TestServerSpanWithRoute(t *testing.T) {
	rec := coretest.NewRecorder(t)
	mux := http.NewServeMux()
	var handlerSpan trace.SpanContext
	mux.HandleFunc("GET /orders/{id}", func(w http.ResponseWriter, r *http.Request) {
		handlerSpan = trace.SpanContextFromContext(r.Context())
		w.WriteHeader(http.StatusCreated)
	})
	req := httptest.NewRequest("GET", "http://shop.example:8080/orders/42?x=1", nil)
	req.Header.Set("traceparent", coretest.Traceparent)
	req.Header.Set("User-Agent", "test-agent/1.0")
	w := httptest.NewRecorder()
	hookedServer(hookedMux(mux)).ServeHTTP(w, req)

	s := onlySpan(t, rec.Ended())
	if s.Name() != "GET /orders/{id}" || s.SpanKind() != trace.SpanKindServer {
		t.Errorf("span %q kind %v", s.Name(), s.SpanKind())
	}
	coretest.CheckRemoteParent(t, s)
	if handlerSpan.SpanID() != s.SpanContext().SpanID() {
		t.Error("the handler's context does not carry the server span")
	}
	if s.Status().Code != codes.Unset || w.Code != http.StatusCreated {
		t.Errorf("status %v, response %d", s.Status(), w.Code)
	}
	wantAttrs(t, s, map[string]any{
		"http.request.method":       "GET",
		"http.route":                "/orders/{id}",
		"http.response.status_code": int64(201),
		"url.path":                  "/orders/42",
		"url.scheme":                "http",
		"server.address":            "shop.example",
		"server.port":               int64(8080),
		"network.peer.address":      "192.0.2.1", // httptest's RemoteAddr
		"network.peer.port":         int64(1234),
		"user_agent.original":       "test-agent/1.0",
		"network.protocol.version":  "1.1",
		"error.type":                nil,
	})
}

func TestServerStatusAndNames(t *testing.T) {
	tests := []struct {
		name, method string
		status       int
		write        bool
		wantName     string
		wantCode     codes.Code
		wantErrType  any
	}{
		{"5xx is an error", "GET", 503, true, "GET", codes.Error, "503"},
		{"4xx is not", "POST", 404, true, "POST", codes.Unset, nil},
		{"no write means 200", "GET", 0, false, "GET", codes.Unset, nil},
		{"unknown method", "BREW", 200, true, "HTTP", codes.Unset, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := coretest.NewRecorder(t)
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.status != 0 {
					w.WriteHeader(tt.status)
				}
				if tt.write {
					_, _ = w.Write([]byte("x"))
				}
			})
			hookedServer(h).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(tt.method, "/x", nil))
			s := onlySpan(t, rec.Ended())
			wantStatus := tt.status
			if wantStatus == 0 {
				wantStatus = 200
			}
			if s.Name() != tt.wantName || s.Status().Code != tt.wantCode {
				t.Errorf("name %q status %v", s.Name(), s.Status())
			}
			wantAttrs(t, s, map[string]any{"http.response.status_code": int64(wantStatus), "error.type": tt.wantErrType})
			if tt.method == "BREW" {
				wantAttrs(t, s, map[string]any{"http.request.method": "_OTHER", "http.request.method_original": "BREW"})
			}
		})
	}
}

func TestInnermostMuxRouteWins(t *testing.T) {
	rec := coretest.NewRecorder(t)
	inner := http.NewServeMux()
	inner.HandleFunc("GET /items/{id}", func(http.ResponseWriter, *http.Request) {})
	outer := http.NewServeMux()
	outer.Handle("example.com/api/", http.StripPrefix("/api", hookedMux(inner)))
	hookedServer(hookedMux(outer)).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "http://example.com/api/items/7", nil))
	s := onlySpan(t, rec.Ended())
	if s.Name() != "GET /items/{id}" {
		t.Errorf("name %q", s.Name())
	}
	wantAttrs(t, s, map[string]any{"http.route": "/items/{id}"})
}

func TestOuterMuxRouteWhenInnerHasNone(t *testing.T) {
	rec := coretest.NewRecorder(t)
	outer := http.NewServeMux()
	outer.HandleFunc("example.com/files/", func(http.ResponseWriter, *http.Request) {})
	hookedServer(hookedMux(outer)).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "http://example.com/files/a/b", nil))
	if s := onlySpan(t, rec.Ended()); s.Name() != "GET /files/" {
		t.Errorf("name %q", s.Name())
	}
}

func TestWrappedWriterKeepsOptionalInterfaces(t *testing.T) {
	coretest.NewRecorder(t)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := w.(http.Flusher); !ok {
			t.Error("wrapped writer lost http.Flusher")
		}
		if u, ok := w.(interface{ Unwrap() http.ResponseWriter }); !ok {
			t.Error("wrapped writer has no Unwrap")
		} else if _, ok := u.Unwrap().(*httptest.ResponseRecorder); !ok {
			t.Errorf("Unwrap returned %T", u.Unwrap())
		}
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("ResponseController.Flush: %v", err)
		}
	})
	w := httptest.NewRecorder()
	hookedServer(h).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if !w.Flushed {
		t.Error("flush did not reach the real writer")
	}
}

func TestServerHandsMultipartFormBackForCleanup(t *testing.T) {
	coretest.NewRecorder(t)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("k", "v")
	_ = mw.Close()
	req := httptest.NewRequest("POST", "/upload", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			t.Error(err)
		}
	})
	hookedServer(h).ServeHTTP(httptest.NewRecorder(), req)
	if req.MultipartForm == nil {
		t.Fatal("net/http's request has no form to clean up")
	}
}

func TestServerHooksAreNoOpsWhenDisabled(t *testing.T) {
	coretest.Disable(t)
	w := http.ResponseWriter(httptest.NewRecorder())
	r := httptest.NewRequest("GET", "/", nil)
	origW, origR := w, r
	if st := ServerBefore(&w, &r); st != nil || w != origW || r != origR {
		t.Fatal("ServerBefore acted while disabled")
	}
	ServerAfter(nil, nil)
	if MuxBefore(w, r) != nil {
		t.Fatal("MuxBefore acted while disabled")
	}
	MuxAfter(nil)
}

func TestHandlerPanicIsRecordedAndPassedOn(t *testing.T) {
	rec := coretest.NewRecorder(t)
	srv := httptest.NewUnstartedServer(hookedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("boom")
	})))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	defer srv.Close()
	if _, err := http.Get(srv.URL); err == nil {
		t.Fatal("net/http did not see the panic: the request should fail")
	}
	spans := rec.Ended()
	if len(spans) != 1 {
		t.Fatalf("got %d spans", len(spans))
	}
	s := spans[0]
	if s.Status().Code != codes.Error || len(s.Events()) != 1 || s.Events()[0].Name != "exception" {
		t.Fatalf("span: status %v events %v", s.Status(), s.Events())
	}
	attrs := map[string]string{}
	for _, kv := range s.Events()[0].Attributes {
		attrs[string(kv.Key)] = kv.Value.Emit()
	}
	if attrs["exception.message"] != "boom" || attrs["exception.type"] != "string" || !strings.Contains(attrs["exception.stacktrace"], "server_test.go") {
		t.Errorf("exception event: %v", attrs)
	}
}
