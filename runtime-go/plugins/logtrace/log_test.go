package logtrace

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/core/coretest"
)

// output plays (*log.Logger).output, rewritten, for a message s: the hook
// first, with a pointer to the function appending s (Print's, Printf's...),
// then what output does: the header, the message, a newline if it has
// none. output is unexported, and every Print goes through it, so the test
// makes the call itself.
func output(header, s string) string {
	appendOutput := func(b []byte) []byte { return append(b, s...) }
	OutputBefore(0, 2, &appendOutput)
	buf := appendOutput([]byte(header))
	if len(buf) == 0 || buf[len(buf)-1] != '\n' {
		buf = append(buf, '\n')
	}
	return string(buf)
}

func TestLinesEndWithTheGoroutinesSpanIDs(t *testing.T) {
	coretest.NewRecorder(t)
	if got := output("", "starting"); got != "starting\n" {
		t.Errorf("outside a span: %q", got)
	}
	_, request := core.Start(context.Background(), "GET /logs", trace.SpanKindServer)
	coretest.AttachSpan(t, request)
	sc := request.SpanContext()
	ids := " trace_id=" + sc.TraceID().String() + " span_id=" + sc.SpanID().String()

	tests := []struct{ header, msg, want string }{
		{"", "printf 7", "printf 7" + ids + "\n"},
		{"", "with newline\n", "with newline" + ids + "\n"}, // before the message's own newline
		{"app: 2024/01/02 ", "with a header", "app: 2024/01/02 with a header" + ids + "\n"},
		// slog's default handler writes through log, its record's ids already in it.
		{"", "INFO default slog" + ids, "INFO default slog" + ids + "\n"},
		{"", "", ids + "\n"},
	}
	for _, tt := range tests {
		if got := output(tt.header, tt.msg); got != tt.want {
			t.Errorf("output(%q, %q) = %q, want %q", tt.header, tt.msg, got, tt.want)
		}
	}
}

// The standard logger's header, such as a prefix ending in the ids of
// another span, is not the message: only the message is looked at.
func TestOnlyTheMessageIsLookedAt(t *testing.T) {
	coretest.NewRecorder(t)
	_, request := core.Start(context.Background(), "GET /logs", trace.SpanKindServer)
	coretest.AttachSpan(t, request)
	sc := request.SpanContext()
	ids := " trace_id=" + sc.TraceID().String() + " span_id=" + sc.SpanID().String()
	if got, want := output("prefix"+ids+" ", "msg"), "prefix"+ids+" msg"+ids+"\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	var none func([]byte) []byte
	OutputBefore(0, 2, &none) // log's output never passes a nil function; the hook copes
	if none != nil {
		t.Error("the hook replaced a nil function")
	}
}

func TestNoSuffixWhenDisabled(t *testing.T) {
	coretest.NewRecorder(t)
	_, span := core.Start(context.Background(), "GET /logs", trace.SpanKindServer)
	coretest.AttachSpan(t, span)
	coretest.Disable(t)
	if got := output("", "disabled"); got != "disabled\n" {
		t.Errorf("got %q", got)
	}
}
