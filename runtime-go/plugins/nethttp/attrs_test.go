package nethttp

import (
	"net/url"
	"testing"
)

func TestRouteFromPattern(t *testing.T) {
	for pattern, want := range map[string]string{
		"":                             "",
		"/":                            "/",
		"/orders/{id}":                 "/orders/{id}",
		"GET /orders/{id}":             "/orders/{id}",
		"GET  example.com/orders/{id}": "/orders/{id}",
		"example.com/static/":          "/static/",
		"POST /{$}":                    "/",
		"example.com":                  "",
	} {
		if got := routeFromPattern(pattern); got != want {
			t.Errorf("routeFromPattern(%q) = %q, want %q", pattern, got, want)
		}
	}
}

func TestSmallHelpers(t *testing.T) {
	if h, p := splitHostPort("[::1]:8443"); h != "::1" || p != 8443 {
		t.Errorf("splitHostPort = %q %d", h, p)
	}
	if h, p := splitHostPort("[::1]"); h != "::1" || p != 0 {
		t.Errorf("splitHostPort no port = %q %d", h, p)
	}
	for _, c := range []struct {
		major, minor int
		want         string
	}{{1, 0, "1.0"}, {1, 1, "1.1"}, {2, 0, "2"}, {3, 0, "3"}, {0, 0, ""}} {
		if got := protocolVersion(c.major, c.minor); got != c.want {
			t.Errorf("protocolVersion(%d,%d) = %q", c.major, c.minor, got)
		}
	}
	u, _ := url.Parse("https://bob:pw@example.com/a?b=c")
	if got := redactedURL(u); got != "https://REDACTED:REDACTED@example.com/a?b=c" || u.User.Username() != "bob" {
		t.Errorf("redactedURL = %q (original user %q)", got, u.User.Username())
	}
	if _, name := MethodAttrs(""); name != "GET" {
		t.Errorf("empty method named %q", name)
	}
}
