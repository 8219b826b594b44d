package core

import (
	"context"
	"sync/atomic"

	"go.opentelemetry.io/otel/trace"
)

// The goroutine context: the span context of the request (or declarative
// span) a goroutine is working for, kept on the goroutine itself by the
// edited Go runtime and inherited at every go statement. It lets work the
// application did not hand a context.Context, such as a goroutine started
// without one or a call made with context.Background(), join the trace.
//
// Only the span context is kept (a small value), never the request's
// context.Context, so a goroutine that outlives its request pins nothing.

type goroutineAccess struct {
	get func() any
	set func(any)
}

var goroutineSlot atomic.Pointer[goroutineAccess]

// UseGoroutineContext receives the runtime's accessors from the generated
// code of each root package, at init. It is an ABI contract with the rulec
// compiler. Without it (a build rulec did not make), nothing is kept.
func UseGoroutineContext(get func() any, set func(any)) {
	if get != nil && set != nil {
		goroutineSlot.Store(&goroutineAccess{get, set})
	}
}

// Attach makes span the current goroutine's context, so that goroutines it
// starts from now on, and spans begun without a parent, join it. It returns
// what Detach restores; Detach must run on the same goroutine.
func Attach(span trace.Span) (previous any) {
	a := goroutineSlot.Load()
	if a == nil {
		return nil
	}
	previous = a.get()
	if sc := span.SpanContext(); sc.IsValid() {
		a.set(sc)
	}
	return previous
}

// Detach restores the goroutine context Attach replaced.
func Detach(previous any) {
	if a := goroutineSlot.Load(); a != nil {
		a.set(previous)
	}
}

// goroutineSpanContext is the current goroutine's span context, if any.
func goroutineSpanContext() (trace.SpanContext, bool) {
	a := goroutineSlot.Load()
	if a == nil {
		return trace.SpanContext{}, false
	}
	sc, ok := a.get().(trace.SpanContext)
	return sc, ok && sc.IsValid()
}

// WithGoroutineParent returns ctx, or, when ctx carries no span, ctx with
// the goroutine's span context as its parent.
func WithGoroutineParent(ctx context.Context) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	if trace.SpanContextFromContext(ctx).IsValid() {
		return ctx
	}
	if sc, ok := goroutineSpanContext(); ok {
		return trace.ContextWithSpanContext(ctx, sc)
	}
	return ctx
}
