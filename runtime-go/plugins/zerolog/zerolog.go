// Package zerolog holds rulec's hook on github.com/rs/zerolog (plugin
// "zerolog"): an event written inside a traced call carries trace_id and
// span_id, from the event's context (Ctx) or the goroutine's.
//
// Hook signatures are an ABI contract with the rulec compiler.
package zerolog

import (
	"github.com/rs/zerolog"

	"rulec.dev/runtime/core"
)

// MsgBefore is the before hook of (*Event).msg, behind Msg, Msgf and Send.
// A nil event is one its level turned off.
func MsgBefore(e *zerolog.Event, msg string) {
	if e == nil {
		return
	}
	if sc, ok := core.LogSpanContext(e.GetCtx()); ok {
		e.Str("trace_id", sc.TraceID().String()).Str("span_id", sc.SpanID().String())
	}
}
