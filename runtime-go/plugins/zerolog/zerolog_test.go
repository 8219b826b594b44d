package zerolog

import (
	"bytes"
	"context"
	"testing"

	"github.com/rs/zerolog"
	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/core/coretest"
)

// msg plays Msg and Send: they call the event's msg, rewritten, whose hook
// comes first. A nil event (its level off) goes no further than Msg.
func msg(e *zerolog.Event, m string) {
	if e != nil {
		MsgBefore(e, m)
	}
	e.Msg(m)
}

func TestEventsCarryTheirSpansIDs(t *testing.T) {
	coretest.NewRecorder(t)
	var buf bytes.Buffer
	l := zerolog.New(&buf).Level(zerolog.InfoLevel)
	msg(l.Info(), "outside")
	ctx, request := core.Start(context.Background(), "GET /logs", trace.SpanKindServer)
	msg(l.Info().Ctx(ctx).Int("n", 4), "with context")
	coretest.AttachSpan(t, request)
	msg(l.Warn(), "") // Send
	_, other := core.Start(context.Background(), "other", trace.SpanKindInternal)
	msg(l.Error().Ctx(trace.ContextWithSpan(context.Background(), other)), "another span's context")
	msg(l.Debug(), "below the level")

	records := coretest.CheckLogRecords(t, buf.Bytes(), "level", trace.SpanContext{}, request.SpanContext(), request.SpanContext(), other.SpanContext())
	if records[1]["n"] != float64(4) || records[1]["message"] != "with context" {
		t.Errorf("the event's own fields: %v", records[1])
	}
}

func TestNoIDsWhenDisabled(t *testing.T) {
	ctx := coretest.DisabledInSpan(t)
	var buf bytes.Buffer
	l := zerolog.New(&buf)
	msg(l.Info().Ctx(ctx), "disabled")
	coretest.CheckLogRecords(t, buf.Bytes(), "message", trace.SpanContext{})
	MsgBefore(nil, "a nil event")
}
