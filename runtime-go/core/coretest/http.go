package coretest

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// A remote caller's trace context, for server tests: Traceparent is the
// header it sends, RemoteTraceID and RemoteSpanID the ids in it.
const (
	RemoteTraceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	RemoteSpanID  = "00f067aa0ba902b7"
	Traceparent   = "00-" + RemoteTraceID + "-" + RemoteSpanID + "-01"
)

// CheckRemoteParent checks that s continues the remote trace of Traceparent.
func CheckRemoteParent(t testing.TB, s sdktrace.ReadOnlySpan) {
	t.Helper()
	p := s.Parent()
	if p.TraceID().String() != RemoteTraceID || p.SpanID().String() != RemoteSpanID || !p.IsRemote() {
		t.Errorf("%s: parent %s/%s (remote %v), want the remote traceparent", s.Name(), p.TraceID(), p.SpanID(), p.IsRemote())
	}
}

// HookedServer plays net/http's serverHandler.ServeHTTP as rulec rewrites
// it for the nethttp plugin: before gets pointers to the writer and request
// h is then handed, and after, deferred, gets before's state and h's panic,
// which is passed on. Tests of router plugins pass the nethttp plugin's
// ServerBefore and ServerAfter, whose server span their hooks name (this
// package cannot import them: nethttp's own tests import it).
func HookedServer(h http.Handler, before func(*http.ResponseWriter, **http.Request) any, after func(state, panicked any)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := before(&w, &r)
		defer func() {
			p := recover()
			after(st, p)
			if p != nil {
				panic(p)
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// Serve runs h on a loopback server for the rest of the test and returns
// its base URL. The server logs nothing (a handler's panic, say).
func Serve(t testing.TB, h http.Handler) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

// Get sends a GET with the given header lines ("Name", "value", ...) and
// returns the response's status and body; the test fails if it cannot.
func Get(t testing.TB, url string, header ...string) (int, string) {
	t.Helper()
	resp, err := get(url, header)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// GetFails sends a GET the server cannot answer (its handler panics); the
// test fails if a response comes.
func GetFails(t testing.TB, url string) {
	t.Helper()
	if resp, err := get(url, nil); err == nil {
		resp.Body.Close()
		t.Fatalf("GET %s: status %d, want no response", url, resp.StatusCode)
	}
}

// get sends each request on a connection of its own: net/http would send a
// GET again that fails on a reused one, and serve it twice.
func get(url string, header []string) (*http.Response, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return nil, err
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
}

// ExceptionMessages is the exception.message of each exception event on s,
// in order.
func ExceptionMessages(s sdktrace.ReadOnlySpan) []string {
	var msgs []string
	for _, e := range s.Events() {
		if e.Name != "exception" {
			continue
		}
		for _, kv := range e.Attributes {
			if kv.Key == "exception.message" {
				msgs = append(msgs, kv.Value.AsString())
			}
		}
	}
	return msgs
}
