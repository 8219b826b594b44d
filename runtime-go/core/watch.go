package core

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

const (
	// fileInterval keeps a changed RULEC_CONFIG_FILE in force within 2 s.
	fileInterval = time.Second
	// defaultURLInterval is how often RULEC_CONFIG_URL is fetched unless
	// RULEC_CONFIG_POLL_INTERVAL (a Go duration, e.g. "500ms") says otherwise.
	defaultURLInterval = 5 * time.Second
	maxConfigBytes     = 1 << 20
)

// liveState combines the documents of both sources (the URL's fields win,
// as the console is the operator's live tool) and applies the result.
type liveState struct {
	mu      sync.Mutex
	sampler *liveSampler
	file    liveConfig
	url     liveConfig
	applied string // what was last logged as in force
}

func (l *liveState) set(fromURL bool, c liveConfig) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if fromURL {
		l.url = c
	} else {
		l.file = c
	}
	eff := l.file.over(l.url)
	l.sampler.setRatio(eff.Sampling.Ratio)
	var disabled []string
	if eff.Plugins.Disabled != nil {
		disabled = *eff.Plugins.Disabled
	}
	off, on := setDisabledPlugins(disabled)
	summary := describe(eff)
	if summary != l.applied || len(off)+len(on) > 0 {
		l.applied = summary
		Logf("live configuration in force: %s", summary)
	}
}

func describe(c liveConfig) string {
	ratio := "as configured"
	if c.Sampling.Ratio != nil {
		ratio = fmt.Sprint(*c.Sampling.Ratio)
	}
	off := "none"
	if c.Plugins.Disabled != nil && len(*c.Plugins.Disabled) > 0 {
		off = strings.Join(*c.Plugins.Disabled, ", ")
	}
	return fmt.Sprintf("sampling ratio %s; plugins disabled: %s", ratio, off)
}

// source is one place a live document comes from. It remembers the last
// content it saw so that an unchanged document costs a comparison, and a
// malformed one is logged once, not at every poll.
type source struct {
	name  string // for the log: the path or URL
	read  func(ctx context.Context) ([]byte, error)
	parse func([]byte) (liveConfig, error)
	last  []byte
	bad   string // the last error logged
}

// poll reads the source and returns its document if it changed and is valid.
func (s *source) poll(ctx context.Context) (liveConfig, bool) {
	data, err := s.read(ctx)
	if err == nil && bytes.Equal(data, s.last) && s.bad == "" {
		return liveConfig{}, false
	}
	var c liveConfig
	if err == nil {
		c, err = s.parse(data)
	}
	if err != nil {
		if msg := err.Error(); msg != s.bad {
			s.bad = msg
			Logf("live configuration %s: %v (keeping the last good configuration)", s.name, err)
		}
		return liveConfig{}, false
	}
	s.last, s.bad = data, ""
	return c, true
}

// watchConfig starts polling the sources the environment names. The file is
// read once before returning, so its settings hold from the first request;
// the URL is fetched in the background, never delaying the program's start.
func watchConfig(getenv func(string) string, sampler *liveSampler) {
	live := &liveState{sampler: sampler}
	if path := strings.TrimSpace(getenv("RULEC_CONFIG_FILE")); path != "" {
		src := &source{name: path, read: readFile(path), parse: parseTOMLConfig}
		if c, ok := src.poll(context.Background()); ok {
			live.set(false, c)
		}
		go pollForever(src, fileInterval, func(c liveConfig) { live.set(false, c) })
	}
	if url := strings.TrimSpace(getenv("RULEC_CONFIG_URL")); url != "" {
		src := &source{name: url, read: fetchURL(url), parse: parseJSONConfig}
		go func() {
			if c, ok := src.poll(context.Background()); ok {
				live.set(true, c)
			}
			pollForever(src, urlInterval(getenv), func(c liveConfig) { live.set(true, c) })
		}()
	}
}

func pollForever(src *source, every time.Duration, apply func(liveConfig)) {
	defer func() { _ = recover() }() // telemetry must never take the app down
	for range time.Tick(every) {
		if c, ok := src.poll(context.Background()); ok {
			apply(c)
		}
	}
}

func urlInterval(getenv func(string) string) time.Duration {
	v := strings.TrimSpace(getenv("RULEC_CONFIG_POLL_INTERVAL"))
	if v == "" {
		return defaultURLInterval
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 100*time.Millisecond {
		Logf("RULEC_CONFIG_POLL_INTERVAL=%q: want a duration of at least 100ms; using %v", v, defaultURLInterval)
		return defaultURLInterval
	}
	return d
}

func readFile(path string) func(context.Context) ([]byte, error) {
	return func(context.Context) ([]byte, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return io.ReadAll(io.LimitReader(f, maxConfigBytes))
	}
}

func fetchURL(url string) func(context.Context) ([]byte, error) {
	client := &http.Client{Timeout: 5 * time.Second}
	return func(ctx context.Context) ([]byte, error) {
		// Under Suppress: the runtime's own requests are never traced.
		req, err := http.NewRequestWithContext(Suppress(ctx), http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("HTTP %s", resp.Status)
		}
		return io.ReadAll(io.LimitReader(resp.Body, maxConfigBytes))
	}
}
