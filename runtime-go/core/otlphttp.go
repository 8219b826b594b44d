package core

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// OTLP over HTTP with protobuf bodies (otlpwire.go), configured by the
// specification's OTEL_EXPORTER_OTLP_* variables: endpoint, headers, timeout,
// compression and TLS files, each signal-specific variable over the generic
// one. Failed exports are retried (429, 502, 503, 504 and network errors)
// with backoff, honouring Retry-After, within the export's timeout.

// otlpHTTP posts one signal's requests.
type otlpHTTP struct {
	url      string
	headers  map[string]string
	gzip     bool
	timeout  time.Duration
	client   *http.Client
	shutdown atomic.Bool
}

func newOTLPHTTP(getenv func(string) string, signal, path string) (*otlpHTTP, error) {
	setting := func(name string) string {
		if v := strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_" + signal + "_" + name)); v != "" {
			return v
		}
		return strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_" + name))
	}
	e := &otlpHTTP{headers: parseHeaders(setting("HEADERS"))}
	if v := strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_" + signal + "_ENDPOINT")); v != "" {
		e.url = v // used as it is
	} else if v := strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_ENDPOINT")); v != "" {
		e.url = strings.TrimRight(v, "/") + path
	} else {
		e.url = "http://localhost:4318" + path
	}
	if u, err := url.Parse(e.url); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("OTLP %s endpoint %q is not an http(s) URL", strings.ToLower(signal), e.url)
	}
	timeoutVar := "OTEL_EXPORTER_OTLP_" + signal + "_TIMEOUT"
	if strings.TrimSpace(getenv(timeoutVar)) == "" {
		timeoutVar = "OTEL_EXPORTER_OTLP_TIMEOUT"
	}
	e.timeout = millis(getenv, timeoutVar, 10*time.Second)
	switch c := strings.ToLower(setting("COMPRESSION")); c {
	case "gzip":
		e.gzip = true
	case "", "none":
	default:
		Logf("OTEL_EXPORTER_OTLP_COMPRESSION=%q is not supported (gzip or none); sending uncompressed", c)
	}
	tlsConfig, err := clientTLS(setting("CERTIFICATE"), setting("CLIENT_CERTIFICATE"), setting("CLIENT_KEY"))
	if err != nil {
		return nil, err
	}
	e.client = &http.Client{Transport: &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:     tlsConfig,
		TLSHandshakeTimeout: 10 * time.Second,
		MaxIdleConnsPerHost: 2,
		IdleConnTimeout:     90 * time.Second,
	}}
	return e, nil
}

// parseHeaders reads "k1=v1,k2=v2" with URL-encoded values.
func parseHeaders(v string) map[string]string {
	out := map[string]string{}
	for _, pair := range strings.Split(v, ",") {
		k, val, ok := strings.Cut(pair, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			continue
		}
		if dec, err := url.QueryUnescape(strings.TrimSpace(val)); err == nil {
			val = dec
		}
		out[k] = strings.TrimSpace(val)
	}
	return out
}

func clientTLS(caFile, certFile, keyFile string) (*tls.Config, error) {
	if caFile == "" && certFile == "" {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("OTLP certificate: %w", err)
		}
		cfg.RootCAs = x509.NewCertPool()
		if !cfg.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("OTLP certificate %s holds no PEM certificate", caFile)
		}
	}
	if certFile != "" {
		pair, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, fmt.Errorf("OTLP client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

// retryable is a response worth sending again (the specification's list).
func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusBadGateway ||
		status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
}

// post sends one request body, retrying within the exporter's timeout. It
// runs under Suppress: rulec's own net/http hooks never trace it.
func (e *otlpHTTP) post(ctx context.Context, body []byte) error {
	if e.shutdown.Load() {
		return errExporterClosed
	}
	ctx, cancel := context.WithTimeout(Suppress(ctx), e.timeout)
	defer cancel()
	if e.gzip {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write(body)
		_ = zw.Close()
		body = buf.Bytes()
	}
	wait := 500 * time.Millisecond
	for {
		status, retryAfter, err := e.once(ctx, body)
		if err == nil && status/100 == 2 {
			return nil
		}
		if err == nil && !retryable(status) {
			return fmt.Errorf("OTLP export to %s: HTTP %d", e.url, status)
		}
		if err == nil {
			err = fmt.Errorf("OTLP export to %s: HTTP %d", e.url, status)
		}
		if retryAfter > 0 {
			wait = retryAfter
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

func (e *otlpHTTP) once(ctx context.Context, body []byte) (status int, retryAfter time.Duration, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	if e.gzip {
		req.Header.Set("Content-Encoding", "gzip")
	}
	for k, v := range e.headers {
		req.Header.Set(k, v)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		retryAfter = time.Duration(s) * time.Second
	}
	return resp.StatusCode, retryAfter, nil
}

func (e *otlpHTTP) close() {
	e.shutdown.Store(true)
	e.client.CloseIdleConnections()
}

// httpSpanExporter is the OTLP/HTTP trace exporter.
type httpSpanExporter struct{ *otlpHTTP }

func newHTTPSpanExporter(getenv func(string) string) (*httpSpanExporter, error) {
	e, err := newOTLPHTTP(getenv, "TRACES", "/v1/traces")
	if err != nil {
		return nil, err
	}
	return &httpSpanExporter{e}, nil
}

func (e *httpSpanExporter) Start(context.Context) error { return nil }

func (e *httpSpanExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	if len(spans) == 0 {
		return nil
	}
	return e.post(ctx, encodeSpans(spans))
}

func (e *httpSpanExporter) Shutdown(context.Context) error {
	e.close()
	return nil
}

// httpMetricExporter is the OTLP/HTTP metric exporter; a pushReader drives it.
type httpMetricExporter struct {
	*otlpHTTP
	temporality sdkmetric.TemporalitySelector
}

func newHTTPMetricExporter(getenv func(string) string) (*httpMetricExporter, error) {
	e, err := newOTLPHTTP(getenv, "METRICS", "/v1/metrics")
	if err != nil {
		return nil, err
	}
	return &httpMetricExporter{e, temporalityPreference(getenv("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"))}, nil
}

// temporalityPreference is the specification's
// OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: cumulative (the
// default), delta or lowmemory.
func temporalityPreference(v string) sdkmetric.TemporalitySelector {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "cumulative":
		return sdkmetric.DefaultTemporalitySelector
	case "delta":
		return func(k sdkmetric.InstrumentKind) metricdata.Temporality {
			if k == sdkmetric.InstrumentKindUpDownCounter || k == sdkmetric.InstrumentKindObservableUpDownCounter {
				return metricdata.CumulativeTemporality
			}
			return metricdata.DeltaTemporality
		}
	case "lowmemory":
		return func(k sdkmetric.InstrumentKind) metricdata.Temporality {
			if k == sdkmetric.InstrumentKindCounter || k == sdkmetric.InstrumentKindHistogram {
				return metricdata.DeltaTemporality
			}
			return metricdata.CumulativeTemporality
		}
	}
	Logf("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=%q is not supported; using cumulative", v)
	return sdkmetric.DefaultTemporalitySelector
}
