package coretest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core"
)

// GoRedisOptions are the client options the go-redis scenarios set.
type GoRedisOptions struct {
	Addr       string
	DB         int
	MaxRetries int
}

// A go-redis client, whichever major version (v8 and v9 are different
// modules with alike clients): Cl a *redis.Client, Cmd its *redis.Cmd, P
// its redis.Pipeliner, Cmds its []redis.Cmder. The scenarios send commands
// through Do, which goes through the client's hooks as its typed methods do.
type goRedisClient[Cmd goRedisCmd, P goRedisDoer[Cmd], Cmds any] interface {
	goRedisDoer[Cmd]
	Pipelined(ctx context.Context, fn func(P) error) (Cmds, error)
	Close() error
}

type goRedisCmd interface{ Result() (any, error) }

type goRedisDoer[Cmd goRedisCmd] interface {
	Do(ctx context.Context, args ...any) Cmd
}

// GoRedisScenarios runs, as subtests, the scenarios of a go-redis plugin's
// client hook against a client of the plugin's version and ServeRedis:
// newClient makes a client (redis.NewClient) with the options given, hook
// is the plugin's NewClientAfter (which the scenarios hand every client,
// and a nil one), and nilErr is the version's redis.Nil.
func GoRedisScenarios[Cl goRedisClient[Cmd, P, Cmds], Cmd goRedisCmd, P goRedisDoer[Cmd], Cmds any](
	t *testing.T, hook func(Cl), nilErr error, newClient func(GoRedisOptions) Cl,
) {
	r := goRedisScenario[Cl, Cmd, P, Cmds]{hook, nilErr, newClient}
	t.Run("CommandsAndPipelinesAreClientSpans", r.commandsAndPipelines)
	t.Run("PipelineWithAFailedCommandIsAnError", r.failedPipeline)
	t.Run("ConnectionFailureIsAnError", r.connectionFailure)
	t.Run("NilClientAndDB", r.nilClientAndDB)
	t.Run("SuppressedContextMakesNoSpans", r.suppressed)
}

type goRedisScenario[Cl goRedisClient[Cmd, P, Cmds], Cmd goRedisCmd, P goRedisDoer[Cmd], Cmds any] struct {
	hook      func(Cl)
	nilErr    error
	newClient func(GoRedisOptions) Cl
}

// client plays the rewritten redis.NewClient: the real constructor, then
// the after hook with the client it made.
func (r goRedisScenario[Cl, Cmd, P, Cmds]) client(t *testing.T, opt GoRedisOptions) Cl {
	t.Helper()
	c := r.newClient(opt)
	r.hook(c)
	t.Cleanup(func() { c.Close() })
	return c
}

// pipelined sends each command (its Do arguments) in one pipeline.
func (r goRedisScenario[Cl, Cmd, P, Cmds]) pipelined(ctx context.Context, c Cl, cmds ...[]any) error {
	_, err := c.Pipelined(ctx, func(p P) error {
		for _, args := range cmds {
			p.Do(ctx, args...)
		}
		return nil
	})
	return err
}

func (r goRedisScenario[Cl, Cmd, P, Cmds]) commandsAndPipelines(t *testing.T) {
	rec := NewRecorder(t)
	reader := NewMetricReader(t)
	addr := ServeRedis(t, RedisKV())
	c := r.client(t, GoRedisOptions{Addr: addr, DB: 3})
	ctx, request := core.Start(context.Background(), "GET /cache", trace.SpanKindServer)

	if _, err := c.Do(ctx, "set", "user:1", "secret-value").Result(); err != nil {
		t.Fatal(err)
	}
	if v, err := c.Do(ctx, "get", "user:1").Result(); err != nil || v != "secret-value" {
		t.Fatalf("GET = %q, %v", v, err)
	}
	if _, err := c.Do(ctx, "get", "no-such-key").Result(); !errors.Is(err, r.nilErr) {
		t.Fatalf("GET of a missing key: %v", err)
	}
	if _, err := c.Do(ctx, "incr", "user:1").Result(); err == nil {
		t.Fatal("INCR of a string succeeded")
	}
	if err := r.pipelined(ctx, c, []any{"get", "user:1"}, []any{"exists", "user:1"}); err != nil {
		t.Fatal(err)
	}
	request.End()

	host, port := HostPort(t, addr)
	spans := rec.Ended()
	var commands []sdktrace.ReadOnlySpan
	for _, s := range SpansOfKind(spans, trace.SpanKindClient) {
		CheckAttrs(t, s.Name(), Attrs(s), map[string]any{
			"db.system.name": "redis", "db.namespace": "3", "server.address": host, "server.port": port,
		})
		if s.SpanContext().TraceID() != request.SpanContext().TraceID() {
			t.Errorf("%s is not in the caller's trace", s.Name())
		}
		if s.Parent().SpanID() == request.SpanContext().SpanID() {
			commands = append(commands, s)
		}
	}
	if got := fmt.Sprint(SpanNames(commands)); got != "[SET GET GET INCR PIPELINE]" {
		t.Fatalf("commands under the caller %s; all spans %v", got, SpanNames(spans))
	}
	// A new connection's set-up (SELECT...) is traced by newer go-redis
	// releases only, and then inside the first command: nowhere else.
	for _, s := range SpansOfKind(spans, trace.SpanKindClient) {
		if s.Parent().SpanID() != request.SpanContext().SpanID() && s.Parent().SpanID() != commands[0].SpanContext().SpanID() {
			t.Errorf("%s is under neither the caller nor the first command", s.Name())
		}
	}
	set, get, miss, incr, pipe := commands[0], commands[1], commands[2], commands[3], commands[4]
	CheckAttrs(t, "SET", Attrs(set), map[string]any{
		"db.operation.name": "SET", "db.query.text": "SET user:1 ?", // the key, not the value
	})
	CheckAttrs(t, "GET", Attrs(get), map[string]any{"db.query.text": "GET user:1", "error.type": nil})
	CheckAttrs(t, "PIPELINE", Attrs(pipe), map[string]any{
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
	CheckAttrs(t, "INCR", Attrs(incr), map[string]any{"error.type": "proto.RedisError"})

	byOp := DBSeries(t, reader, "redis", func(a map[string]any) string {
		op, _ := a["db.operation.name"].(string)
		if a["error.type"] != nil {
			op += " failed"
		}
		return op
	})
	if byOp["GET"] != 2 || byOp["INCR failed"] != 1 || byOp["INCR"] != 0 || byOp["PIPELINE"] != 1 {
		t.Errorf("series counts %v", byOp)
	}
}

// A pipeline fails when any of its commands does (other than a miss),
// not only its first.
func (r goRedisScenario[Cl, Cmd, P, Cmds]) failedPipeline(t *testing.T) {
	rec := NewRecorder(t)
	c := r.client(t, GoRedisOptions{Addr: ServeRedis(t, RedisKV())})
	ctx := context.Background()

	if err := r.pipelined(ctx, c, []any{"get", "no-such-key"}, []any{"set", "name", "ann"}, []any{"incr", "name"}); err == nil {
		t.Fatal("the pipeline did not fail")
	}
	if err := r.pipelined(ctx, c, []any{"get", "no-such-key"}, []any{"exists", "name"}); !errors.Is(err, r.nilErr) {
		t.Fatalf("a pipeline of a miss: %v", err)
	}

	pipes := SpansNamed(rec.Ended(), "PIPELINE")
	if len(pipes) != 2 {
		t.Fatalf("%d pipeline spans", len(pipes))
	}
	CheckAttrs(t, "PIPELINE", Attrs(pipes[0]), map[string]any{"db.query.text": "GET SET INCR"})
	if pipes[0].Status().Code != codes.Error {
		t.Errorf("failed pipeline status %v", pipes[0].Status())
	}
	if pipes[1].Status().Code != codes.Unset {
		t.Errorf("pipeline with a miss status %v", pipes[1].Status())
	}
}

func (r goRedisScenario[Cl, Cmd, P, Cmds]) connectionFailure(t *testing.T) {
	rec := NewRecorder(t)
	addr := ClosedAddr(t)
	c := r.client(t, GoRedisOptions{Addr: addr, MaxRetries: -1})
	_, err := c.Do(context.Background(), "get", "k").Result()
	if err == nil {
		t.Fatal("GET against a closed port succeeded")
	}

	s := FindSpan(t, rec.Ended(), "GET", trace.SpanKindClient)
	if s.Status().Code != codes.Error || s.Status().Description != err.Error() {
		t.Errorf("status %v, want the error %q", s.Status(), err)
	}
	host, port := HostPort(t, addr)
	CheckAttrs(t, "GET", Attrs(s), map[string]any{
		"error.type": "*net.OpError", "server.address": host, "server.port": port, "db.namespace": "0",
	})
	if s.Parent().IsValid() {
		t.Error("a command without a caller's span has a parent")
	}
}

// The hook takes a constructor's nil (nothing to do), and a client
// NewFailoverClient made is handed to it as NewClient's is: its DB counts.
func (r goRedisScenario[Cl, Cmd, P, Cmds]) nilClientAndDB(t *testing.T) {
	rec := NewRecorder(t)
	var none Cl
	r.hook(none)
	c := r.client(t, GoRedisOptions{Addr: ServeRedis(t, RedisKV()), DB: 1})
	if _, err := c.Do(context.Background(), "ping").Result(); err != nil {
		t.Fatal(err)
	}
	s := FindSpan(t, rec.Ended(), "PING", trace.SpanKindClient)
	CheckAttrs(t, "PING", Attrs(s), map[string]any{"db.namespace": "1", "db.query.text": "PING"})
}

func (r goRedisScenario[Cl, Cmd, P, Cmds]) suppressed(t *testing.T) {
	rec := NewRecorder(t)
	c := r.client(t, GoRedisOptions{Addr: ServeRedis(t, RedisKV())})
	ctx := core.Suppress(context.Background())
	if _, err := c.Do(ctx, "set", "k", "v").Result(); err != nil {
		t.Fatal(err)
	}
	if err := r.pipelined(ctx, c, []any{"get", "k"}); err != nil {
		t.Fatal(err)
	}
	if spans := rec.Ended(); len(spans) != 0 {
		t.Fatalf("suppressed commands made spans %v", SpanNames(spans))
	}
}
