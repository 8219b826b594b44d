// Package logrus holds rulec's hooks on github.com/sirupsen/logrus (plugin
// "logrus"): every Logger made by logrus.New (the standard logger too) gets
// a logrus hook that adds trace_id and span_id to entries written inside a
// traced call, from the entry's context (WithContext) or the goroutine's.
//
// Hook signatures are an ABI contract with the rulec compiler.
package logrus

import (
	"github.com/sirupsen/logrus"

	"rulec.dev/runtime/core"
)

// NewAfter is the after hook of logrus.New.
func NewAfter(l *logrus.Logger) {
	if l != nil {
		l.AddHook(ids{})
	}
}

type ids struct{}

func (ids) Levels() []logrus.Level { return logrus.AllLevels }

func (ids) Fire(e *logrus.Entry) error {
	if sc, ok := core.LogSpanContext(e.Context); ok {
		e.Data["trace_id"] = sc.TraceID().String()
		e.Data["span_id"] = sc.SpanID().String()
	}
	return nil
}
