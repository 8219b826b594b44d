package core

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// EagleEye speaks the headers of Alibaba's EagleEye tracing (used by the
// ARMS agents), so a rulec service joins traces with services they trace.
// The mapping to W3C ids (see docs/design.md):
//
//   - EagleEye-TraceId: 1–32 hex digits are left-padded with zeros to a
//     128-bit trace id, so an id that is already W3C-shaped is kept as is;
//     any other text maps to the first 16 bytes of its SHA-256, so every
//     service maps the same EagleEye id to the same trace id. The original
//     text is kept in the context and sent on unchanged downstream.
//   - EagleEye-RpcId (e.g. "0.1.2", the call's place in the call tree): the
//     remote parent span id is the first 8 bytes of SHA-256(traceId "/"
//     rpcId). Downstream calls carry rpcId ".1" (the propagator cannot
//     number siblings; they share the child id).
//   - EagleEye-Sampled: "s0" means not sampled, "s1" (or absent) sampled.
//
// EagleEye carries no span id, so with EagleEye alone the callee's parent
// is that derived id, not the caller's span: list tracecontext too
// ("tracecontext,eagleeye") for exact links; a span context another format
// extracted is then kept.
type EagleEye struct{}

const (
	eagleEyeTraceID = "EagleEye-TraceId"
	eagleEyeRPCID   = "EagleEye-RpcId"
	eagleEyeSampled = "EagleEye-Sampled"
)

type eagleEyeKey struct{}

// eagleEyeOrigin is the incoming EagleEye identity, kept to send it on.
type eagleEyeOrigin struct {
	traceID string
	rpcID   string
	mapped  trace.TraceID
}

func (EagleEye) Fields() []string { return []string{eagleEyeTraceID, eagleEyeRPCID, eagleEyeSampled} }

func (EagleEye) Inject(ctx context.Context, carrier propagation.TextMapCarrier) {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		return
	}
	traceID, rpcID := sc.TraceID().String(), "0"
	if o, ok := ctx.Value(eagleEyeKey{}).(eagleEyeOrigin); ok && o.mapped == sc.TraceID() {
		traceID, rpcID = o.traceID, o.rpcID
	}
	carrier.Set(eagleEyeTraceID, traceID)
	carrier.Set(eagleEyeRPCID, rpcID+".1")
	if sc.IsSampled() {
		carrier.Set(eagleEyeSampled, "s1")
	} else {
		carrier.Set(eagleEyeSampled, "s0")
	}
}

func (EagleEye) Extract(ctx context.Context, carrier propagation.TextMapCarrier) context.Context {
	raw := strings.TrimSpace(carrier.Get(eagleEyeTraceID))
	if raw == "" {
		return ctx
	}
	rpcID := strings.TrimSpace(carrier.Get(eagleEyeRPCID))
	if rpcID == "" {
		rpcID = "0"
	}
	tid := eagleEyeTraceIDOf(raw)
	sum := sha256.Sum256([]byte(raw + "/" + rpcID))
	var sid trace.SpanID
	copy(sid[:], sum[:8])
	if !sid.IsValid() {
		sid[7] = 1
	}
	var flags trace.TraceFlags
	if carrier.Get(eagleEyeSampled) != "s0" {
		flags = trace.FlagsSampled
	}
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: flags, Remote: true})
	if prev := trace.SpanContextFromContext(ctx); prev.IsValid() && prev.IsRemote() {
		// Another format (tracecontext) already gave the exact parent; keep
		// it, and the EagleEye id to send on if it names the same trace.
		if prev.TraceID() == tid {
			ctx = context.WithValue(ctx, eagleEyeKey{}, eagleEyeOrigin{traceID: raw, rpcID: rpcID, mapped: tid})
		}
		return ctx
	}
	ctx = context.WithValue(ctx, eagleEyeKey{}, eagleEyeOrigin{traceID: raw, rpcID: rpcID, mapped: tid})
	return trace.ContextWithRemoteSpanContext(ctx, sc)
}

// eagleEyeTraceIDOf maps an EagleEye trace id to a W3C one (see EagleEye).
func eagleEyeTraceIDOf(raw string) trace.TraceID {
	var tid trace.TraceID
	if len(raw) <= 32 {
		if b, err := hex.DecodeString(strings.Repeat("0", 32-len(raw)) + strings.ToLower(raw)); err == nil {
			copy(tid[:], b)
			if tid.IsValid() {
				return tid
			}
		}
	}
	sum := sha256.Sum256([]byte(raw))
	copy(tid[:], sum[:16])
	return tid
}
