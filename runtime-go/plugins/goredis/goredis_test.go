package goredis

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/core/coretest"
)

// newClient plays the wrapper of redis.NewClient: the real constructor,
// then the after hook with the client it made.
func newClient(t *testing.T, opt *redis.Options) *redis.Client {
	t.Helper()
	c := redis.NewClient(opt)
	NewClientAfter(c)
	t.Cleanup(func() { c.Close() })
	return c
}

func TestCommandsAndPipelinesAreClientSpans(t *testing.T) {
	rec := coretest.NewRecorder(t)
	reader := coretest.NewMetricReader(t)
	addr := coretest.ServeRedis(t, coretest.RedisKV())
	c := newClient(t, &redis.Options{Addr: addr, DB: 3})
	ctx, request := core.Start(context.Background(), "GET /cache", trace.SpanKindServer)

	if err := c.Set(ctx, "user:1", "secret-value", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if v, err := c.Get(ctx, "user:1").Result(); err != nil || v != "secret-value" {
		t.Fatalf("GET = %q, %v", v, err)
	}
	if err := c.Get(ctx, "no-such-key").Err(); !errors.Is(err, redis.Nil) {
		t.Fatalf("GET of a missing key: %v", err)
	}
	if err := c.Incr(ctx, "user:1").Err(); err == nil {
		t.Fatal("INCR of a string succeeded")
	}
	if _, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Get(ctx, "user:1")
		p.Exists(ctx, "user:1")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	request.End()

	host, port := coretest.HostPort(t, addr)
	spans := rec.Ended()
	var commands []sdktrace.ReadOnlySpan
	for _, s := range coretest.SpansOfKind(spans, trace.SpanKindClient) {
		coretest.CheckAttrs(t, s.Name(), coretest.Attrs(s), map[string]any{
			"db.system.name": "redis", "db.namespace": "3", "server.address": host, "server.port": port,
		})
		if s.SpanContext().TraceID() != request.SpanContext().TraceID() {
			t.Errorf("%s is not in the caller's trace", s.Name())
		}
		if s.Parent().SpanID() == request.SpanContext().SpanID() {
			commands = append(commands, s)
		}
	}
	if got := fmt.Sprint(coretest.SpanNames(commands)); got != "[SET GET GET INCR PIPELINE]" {
		t.Fatalf("commands under the caller %s; all spans %v", got, coretest.SpanNames(spans))
	}
	// A new connection's set-up (SELECT...) is traced by newer go-redis
	// releases only, and then inside the first command: nowhere else.
	for _, s := range coretest.SpansOfKind(spans, trace.SpanKindClient) {
		if s.Parent().SpanID() != request.SpanContext().SpanID() && s.Parent().SpanID() != commands[0].SpanContext().SpanID() {
			t.Errorf("%s is under neither the caller nor the first command", s.Name())
		}
	}
	set, get, miss, incr, pipe := commands[0], commands[1], commands[2], commands[3], commands[4]
	coretest.CheckAttrs(t, "SET", coretest.Attrs(set), map[string]any{
		"db.operation.name": "SET", "db.query.text": "SET user:1 ?", // the key, not the value
	})
	coretest.CheckAttrs(t, "GET", coretest.Attrs(get), map[string]any{"db.query.text": "GET user:1", "error.type": nil})
	coretest.CheckAttrs(t, "PIPELINE", coretest.Attrs(pipe), map[string]any{
		"db.operation.name": "PIPELINE", "db.query.text": "GET EXISTS",
	})
	for _, s := range []sdktrace.ReadOnlySpan{set, get, miss, pipe} {
		if s.Status().Code != codes.Unset {
			t.Errorf("%s status %v; a missing key is an answer, not a failure", s.Name(), s.Status())
		}
	}
	if incr.Status().Code != codes.Error || incr.Status().Description != "ERR value is not an integer or out of range" {
		t.Errorf("INCR status %v", incr.Status())
	}
	coretest.CheckAttrs(t, "INCR", coretest.Attrs(incr), map[string]any{"error.type": "proto.RedisError"})

	points, unit := coretest.Histogram(t, reader, "db.client.operation.duration")
	if unit != "s" {
		t.Errorf("unit %q", unit)
	}
	byOp := map[string]uint64{}
	for _, p := range points {
		a := coretest.SetAttrs(p.Attributes)
		if a["db.query.text"] != nil || a["db.system.name"] != "redis" {
			t.Errorf("series %v", a)
		}
		op, _ := a["db.operation.name"].(string)
		if a["error.type"] != nil {
			op += " failed"
		}
		byOp[op] += p.Count
	}
	if byOp["GET"] != 2 || byOp["INCR failed"] != 1 || byOp["INCR"] != 0 || byOp["PIPELINE"] != 1 {
		t.Errorf("series counts %v", byOp)
	}
}

// A pipeline fails when any of its commands does (other than a miss),
// not only its first.
func TestPipelineWithAFailedCommandIsAnError(t *testing.T) {
	rec := coretest.NewRecorder(t)
	c := newClient(t, &redis.Options{Addr: coretest.ServeRedis(t, coretest.RedisKV())})
	ctx := context.Background()

	_, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Get(ctx, "no-such-key")
		p.Set(ctx, "name", "ann", 0)
		p.Incr(ctx, "name")
		return nil
	})
	if err == nil {
		t.Fatal("the pipeline did not fail")
	}
	_, err = c.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Get(ctx, "no-such-key")
		p.Exists(ctx, "name")
		return nil
	})
	if !errors.Is(err, redis.Nil) {
		t.Fatalf("a pipeline of a miss: %v", err)
	}

	pipes := coretest.SpansNamed(rec.Ended(), "PIPELINE")
	if len(pipes) != 2 {
		t.Fatalf("%d pipeline spans", len(pipes))
	}
	coretest.CheckAttrs(t, "PIPELINE", coretest.Attrs(pipes[0]), map[string]any{"db.query.text": "GET SET INCR"})
	if pipes[0].Status().Code != codes.Error {
		t.Errorf("failed pipeline status %v", pipes[0].Status())
	}
	if pipes[1].Status().Code != codes.Unset {
		t.Errorf("pipeline with a miss status %v", pipes[1].Status())
	}
}

func TestConnectionFailureIsAnError(t *testing.T) {
	rec := coretest.NewRecorder(t)
	addr := coretest.ClosedAddr(t)
	c := newClient(t, &redis.Options{Addr: addr, MaxRetries: -1})
	err := c.Get(context.Background(), "k").Err()
	if err == nil {
		t.Fatal("GET against a closed port succeeded")
	}

	spans := rec.Ended()
	s := coretest.FindSpan(t, spans, "GET", trace.SpanKindClient)
	if s.Status().Code != codes.Error || s.Status().Description != err.Error() {
		t.Errorf("status %v, want the error %q", s.Status(), err)
	}
	host, port := coretest.HostPort(t, addr)
	coretest.CheckAttrs(t, "GET", coretest.Attrs(s), map[string]any{
		"error.type": "*net.OpError", "server.address": host, "server.port": port, "db.namespace": "0",
	})
	if s.Parent().IsValid() {
		t.Error("a command without a caller's span has a parent")
	}
}

func TestFailoverClientAndNilClient(t *testing.T) {
	rec := coretest.NewRecorder(t)
	NewClientAfter(nil) // a constructor that returned nothing: nothing to do
	// NewFailoverClient's wrapper hands its client to the same hook.
	addr := coretest.ServeRedis(t, coretest.RedisKV())
	c := redis.NewClient(&redis.Options{Addr: addr, DB: 1})
	NewClientAfter(c)
	defer c.Close()
	if err := c.Ping(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	s := coretest.FindSpan(t, rec.Ended(), "PING", trace.SpanKindClient)
	coretest.CheckAttrs(t, "PING", coretest.Attrs(s), map[string]any{"db.namespace": "1", "db.query.text": "PING"})
}

func TestSuppressedContextMakesNoSpans(t *testing.T) {
	rec := coretest.NewRecorder(t)
	c := newClient(t, &redis.Options{Addr: coretest.ServeRedis(t, coretest.RedisKV())})
	ctx := core.Suppress(context.Background())
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Pipelined(ctx, func(p redis.Pipeliner) error { p.Get(ctx, "k"); return nil }); err != nil {
		t.Fatal(err)
	}
	if spans := rec.Ended(); len(spans) != 0 {
		t.Fatalf("suppressed commands made spans %v", coretest.SpanNames(spans))
	}
}
