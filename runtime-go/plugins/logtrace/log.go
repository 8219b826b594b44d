// Package logtrace holds rulec's hook on the standard log package (plugin
// "logcorrelation"): a line written inside a traced call ends with
// " trace_id=… span_id=…".
//
// Hook signatures are an ABI contract with the rulec compiler.
package logtrace

import (
	"bytes"

	"rulec.dev/runtime/core"
)

// OutputBefore is the before hook of (*log.Logger).output, which every
// Print, Printf, Fatal and Panic function and method goes through. It wraps
// the function that appends the message.
func OutputBefore(pc uintptr, calldepth int, appendOutput *func([]byte) []byte) {
	sc, ok := core.LogSpanContext(nil)
	if !ok || *appendOutput == nil {
		return
	}
	suffix := " trace_id=" + sc.TraceID().String() + " span_id=" + sc.SpanID().String()
	inner := *appendOutput
	*appendOutput = func(buf []byte) []byte {
		start := len(buf)
		buf = inner(buf)
		msg := buf[start:]
		// slog's default handler writes through log: its record has the ids already.
		if bytes.Contains(msg, []byte(suffix[1:len(" trace_id=")+32])) {
			return buf
		}
		if n := len(buf); n > start && buf[n-1] == '\n' {
			return append(append(buf[:n-1], suffix...), '\n')
		}
		return append(buf, suffix...)
	}
}
