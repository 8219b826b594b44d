package core

import (
	"context"
	"errors"
	"sync"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// pushReader collects the runtime's metrics every interval and sends them
// with the OTLP/HTTP exporter, and once more when the provider shuts down.
// The SDK's PeriodicReader does the same, but it takes an Exporter whose
// interface changed shape across the OTel releases the runtime supports;
// a ManualReader's Collect did not.
type pushReader struct {
	sdkmetric.Reader // the ManualReader the meter provider registers with
	exp              *httpMetricExporter
	interval         time.Duration
	timeout          time.Duration // of each collect and send
	stop, done       chan struct{}
	shutdown         sync.Once
}

func newPushReader(exp *httpMetricExporter, interval, timeout time.Duration) *pushReader {
	r := &pushReader{
		Reader:   sdkmetric.NewManualReader(sdkmetric.WithTemporalitySelector(exp.temporality)),
		exp:      exp,
		interval: interval,
		timeout:  timeout,
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	go r.run()
	return r
}

func (r *pushReader) run() {
	defer close(r.done)
	tick := time.NewTicker(r.interval)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			if err := r.push(context.Background()); err != nil {
				Logf("metrics export: %v", err)
			}
		case <-r.stop:
			return
		}
	}
}

// push collects and sends once, within the export timeout (post itself runs
// under Suppress, so rulec's own hooks never trace the export traffic).
func (r *pushReader) push(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	var rm metricdata.ResourceMetrics
	if err := r.Reader.Collect(ctx, &rm); err != nil {
		return err
	}
	if len(rm.ScopeMetrics) == 0 {
		return nil
	}
	return r.exp.post(ctx, encodeMetrics(&rm))
}

// ForceFlush sends what was recorded so far.
func (r *pushReader) ForceFlush(ctx context.Context) error { return r.push(ctx) }

// Shutdown stops the loop, sends a last time and closes the exporter.
func (r *pushReader) Shutdown(ctx context.Context) error {
	err := errors.New("metrics reader already shut down")
	r.shutdown.Do(func() {
		close(r.stop)
		<-r.done
		err = errors.Join(r.push(ctx), r.Reader.Shutdown(ctx))
		r.exp.close()
	})
	return err
}
