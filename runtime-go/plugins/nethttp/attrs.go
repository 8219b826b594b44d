package nethttp

import (
	"net"
	"net/url"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"rulec.dev/runtime/semconv"
)

// knownMethods are the methods semconv lets through as-is; any other value
// becomes _OTHER so that attacker-chosen methods cannot blow up cardinality.
var knownMethods = map[string]bool{
	"CONNECT": true, "DELETE": true, "GET": true, "HEAD": true, "OPTIONS": true,
	"PATCH": true, "POST": true, "PUT": true, "TRACE": true,
}

// MethodAttrs returns the method attributes and the method part of the span
// name ("HTTP" for unknown methods, per semconv).
func MethodAttrs(method string) ([]attribute.KeyValue, string) {
	if method == "" {
		method = "GET" // net/http's meaning of an empty client method
	}
	if knownMethods[method] {
		return []attribute.KeyValue{semconv.HTTPRequestMethodKey.String(method)}, method
	}
	return []attribute.KeyValue{
		semconv.HTTPRequestMethodKey.String("_OTHER"),
		semconv.HTTPRequestMethodOriginal(method),
	}, "HTTP"
}

// ServerAddrAttrs returns server.address and server.port for hostport,
// falling back to the scheme's default port.
func ServerAddrAttrs(hostport, scheme string) []attribute.KeyValue {
	host, port := splitHostPort(hostport)
	if host == "" {
		return nil
	}
	if port == 0 {
		port = defaultPort(scheme)
	}
	attrs := []attribute.KeyValue{semconv.ServerAddress(host)}
	if port > 0 {
		attrs = append(attrs, semconv.ServerPort(port))
	}
	return attrs
}

// PeerAttrs returns network.peer.address and network.peer.port.
func PeerAttrs(hostport string) []attribute.KeyValue {
	host, port := splitHostPort(hostport)
	if host == "" {
		return nil
	}
	attrs := []attribute.KeyValue{semconv.NetworkPeerAddress(host)}
	if port > 0 {
		attrs = append(attrs, semconv.NetworkPeerPort(port))
	}
	return attrs
}

func splitHostPort(hostport string) (string, int) {
	host, p, err := net.SplitHostPort(hostport)
	if err != nil {
		return strings.TrimSuffix(strings.TrimPrefix(hostport, "["), "]"), 0
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 0 || port > 65535 {
		port = 0
	}
	return host, port
}

func defaultPort(scheme string) int {
	switch scheme {
	case "http":
		return 80
	case "https":
		return 443
	}
	return 0
}

// protocolVersion renders network.protocol.version ("1.1", "2", ...).
func protocolVersion(major, minor int) string {
	switch {
	case major <= 0:
		return ""
	case major >= 2:
		return strconv.Itoa(major)
	}
	return strconv.Itoa(major) + "." + strconv.Itoa(minor)
}

// redactedURL is url.full without credentials, as semconv requires.
func redactedURL(u *url.URL) string {
	if u.User == nil {
		return u.String()
	}
	c := *u
	c.User = url.UserPassword("REDACTED", "REDACTED")
	return c.String()
}
