package core_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/core/coretest"
)

// oneSlot stands in for the edited runtime's per-goroutine field; the test
// stays on one goroutine.
func oneSlot(t *testing.T) *any {
	slot := new(any)
	core.UseGoroutineContext(func() any { return *slot }, func(v any) { *slot = v })
	t.Cleanup(func() { core.UseGoroutineContext(func() any { return nil }, func(any) {}) })
	return slot
}

func TestGoroutineContextParentsSpansWithoutOne(t *testing.T) {
	rec := coretest.NewRecorder(t)
	slot := oneSlot(t)
	_, server := core.Start(context.Background(), "GET /", trace.SpanKindServer)
	previous := core.Attach(server)

	_, client := core.Start(context.Background(), "GET", trace.SpanKindClient) // context.Background() in a handler
	client.End()
	_, inner := core.Start(context.Background(), "consume", trace.SpanKindConsumer) // entry points take the wire's parent only
	inner.End()
	fn := core.SpanStart("work", int(trace.SpanKindInternal)) // a declarative span attaches itself while it runs
	if sc, ok := (*slot).(trace.SpanContext); !ok || sc.SpanID() == server.SpanContext().SpanID() {
		t.Errorf("the declarative span is not the goroutine context: %v", *slot)
	}
	core.SpanEnd(fn, nil)
	if sc, _ := (*slot).(trace.SpanContext); sc.SpanID() != server.SpanContext().SpanID() {
		t.Error("SpanEnd did not restore the server span")
	}
	core.Detach(previous)
	server.End()
	if *slot != nil {
		t.Errorf("Detach left %v", *slot)
	}
	_, after := core.Start(context.Background(), "later", trace.SpanKindClient)
	after.End()

	spans := rec.Ended()
	byName := map[string]trace.SpanContext{}
	parents := map[string]trace.SpanContext{}
	for _, s := range spans {
		byName[s.Name()], parents[s.Name()] = s.SpanContext(), s.Parent()
	}
	serverID := byName["GET /"].SpanID()
	if parents["GET"].SpanID() != serverID || parents["work"].SpanID() != serverID {
		t.Errorf("client parent %v, work parent %v, want the server span %v", parents["GET"].SpanID(), parents["work"].SpanID(), serverID)
	}
	if parents["consume"].IsValid() || parents["later"].IsValid() {
		t.Errorf("consumer parent %v, later parent %v: want roots", parents["consume"], parents["later"])
	}
}

func TestGoroutineContextNeedsTheEditedRuntime(t *testing.T) {
	coretest.NewRecorder(t)
	core.UseGoroutineContext(nil, nil) // ignored: the accessors stay as they were
	ctx := context.Background()
	if core.WithGoroutineParent(ctx) != ctx {
		t.Error("without a goroutine context, ctx must come back unchanged")
	}
}
