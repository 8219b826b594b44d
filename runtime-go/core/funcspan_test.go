package core_test

import (
	"context"
	"errors"
	"testing"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/core/coretest"
)

func TestFuncSpans(t *testing.T) {
	rec := coretest.NewRecorder(t)
	parentCtx, parent := core.Start(context.Background(), "parent", trace.SpanKindServer)
	core.SpanEnd(core.SpanStartCtx(parentCtx, "child", int(trace.SpanKindInternal)), errors.New("boom"))
	core.SpanEnd(core.SpanStart("root", int(trace.SpanKindClient)), nil)
	parent.End()

	spans := rec.Ended()
	if len(spans) != 3 {
		t.Fatalf("got %d spans", len(spans))
	}
	child, root := spans[0], spans[1]
	if child.Name() != "child" || child.Parent().SpanID() != parent.SpanContext().SpanID() || child.Status().Code != codes.Error {
		t.Errorf("child span: %s parent=%s status=%v", child.Name(), child.Parent().SpanID(), child.Status())
	}
	if root.Name() != "root" || root.Parent().IsValid() || root.SpanKind() != trace.SpanKindClient {
		t.Errorf("root span: %s parent=%v kind=%v", root.Name(), root.Parent(), root.SpanKind())
	}
	core.SpanEnd(nil, nil) // a start that did nothing (SDK disabled) ends quietly
}
