// Package prometheus links the Prometheus exporter into a binary, for
// OTEL_METRICS_EXPORTER=prometheus. rulec imports it into applications that
// already use the Prometheus client, or where rulec.toml asks (`exporters =
// ["prometheus"]` under [runtime]).
package prometheus

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	promclient "github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"rulec.dev/runtime/core"
)

func init() { core.RegisterPrometheusReader(newReader) }

// newReader serves the metrics for scraping at http://addr/metrics.
// It uses a registry of its own, so it never collides with collectors the
// application registers in Prometheus' default one. The listener is bound
// here so that a busy port is reported at start, not lost in a goroutine.
func newReader(addr string) (sdkmetric.Reader, error) {
	reg := promclient.NewRegistry()
	reader, err := otelprom.New(otelprom.WithRegisterer(reg))
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		// Scrapes are the runtime's own traffic: never traced.
		BaseContext: func(net.Listener) context.Context { return core.Suppress(context.Background()) },
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			core.Logf("prometheus endpoint %s: %v", addr, err)
		}
	}()
	return reader, nil
}
