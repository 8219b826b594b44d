// Package semconv names the attributes rulec records, as the OpenTelemetry
// semantic conventions v1.26.0 spell them (the stable HTTP names).
//
// They live here rather than in go.opentelemetry.io/otel/semconv/v1.26.0 so
// that the runtime compiles against every OTel release from its floor
// (v1.16.0, which predates that package) to the newest: the runtime then
// raises no module of an application that pins an older OTel.
package semconv

import "go.opentelemetry.io/otel/attribute"

// SchemaURL is the schema the names above belong to.
const SchemaURL = "https://opentelemetry.io/schemas/1.26.0"

// ExceptionEventName is the name of the span event that records a panic or error.
const ExceptionEventName = "exception"

const (
	ErrorTypeKey              = attribute.Key("error.type")
	ExceptionMessageKey       = attribute.Key("exception.message")
	ExceptionStacktraceKey    = attribute.Key("exception.stacktrace")
	ExceptionTypeKey          = attribute.Key("exception.type")
	HTTPRequestMethodKey      = attribute.Key("http.request.method")
	HTTPRequestMethodOrigKey  = attribute.Key("http.request.method_original")
	HTTPResponseStatusCodeKey = attribute.Key("http.response.status_code")
	HTTPRouteKey              = attribute.Key("http.route")
	NetworkPeerAddressKey     = attribute.Key("network.peer.address")
	NetworkPeerPortKey        = attribute.Key("network.peer.port")
	NetworkProtocolVersionKey = attribute.Key("network.protocol.version")
	ServerAddressKey          = attribute.Key("server.address")
	ServerPortKey             = attribute.Key("server.port")
	ServiceInstanceIDKey      = attribute.Key("service.instance.id")
	TelemetryDistroNameKey    = attribute.Key("telemetry.distro.name")
	TelemetryDistroVersionKey = attribute.Key("telemetry.distro.version")
	URLFullKey                = attribute.Key("url.full")
	URLPathKey                = attribute.Key("url.path")
	URLSchemeKey              = attribute.Key("url.scheme")
	URLTemplateKey            = attribute.Key("url.template")
	UserAgentOriginalKey      = attribute.Key("user_agent.original")
)

// ErrorTypeOther is error.type's value when the kind of failure is not known.
var ErrorTypeOther = ErrorTypeKey.String("_OTHER")

func ExceptionMessage(v string) attribute.KeyValue    { return ExceptionMessageKey.String(v) }
func ExceptionStacktrace(v string) attribute.KeyValue { return ExceptionStacktraceKey.String(v) }
func ExceptionType(v string) attribute.KeyValue       { return ExceptionTypeKey.String(v) }
func HTTPRequestMethodOriginal(v string) attribute.KeyValue {
	return HTTPRequestMethodOrigKey.String(v)
}
func HTTPResponseStatusCode(v int) attribute.KeyValue    { return HTTPResponseStatusCodeKey.Int(v) }
func HTTPRoute(v string) attribute.KeyValue              { return HTTPRouteKey.String(v) }
func NetworkPeerAddress(v string) attribute.KeyValue     { return NetworkPeerAddressKey.String(v) }
func NetworkPeerPort(v int) attribute.KeyValue           { return NetworkPeerPortKey.Int(v) }
func NetworkProtocolVersion(v string) attribute.KeyValue { return NetworkProtocolVersionKey.String(v) }
func ServerAddress(v string) attribute.KeyValue          { return ServerAddressKey.String(v) }
func ServerPort(v int) attribute.KeyValue                { return ServerPortKey.Int(v) }
func ServiceInstanceID(v string) attribute.KeyValue      { return ServiceInstanceIDKey.String(v) }
func TelemetryDistroName(v string) attribute.KeyValue    { return TelemetryDistroNameKey.String(v) }
func TelemetryDistroVersion(v string) attribute.KeyValue { return TelemetryDistroVersionKey.String(v) }
func URLFull(v string) attribute.KeyValue                { return URLFullKey.String(v) }
func URLPath(v string) attribute.KeyValue                { return URLPathKey.String(v) }
func URLScheme(v string) attribute.KeyValue              { return URLSchemeKey.String(v) }
func URLTemplate(v string) attribute.KeyValue            { return URLTemplateKey.String(v) }
func UserAgentOriginal(v string) attribute.KeyValue      { return UserAgentOriginalKey.String(v) }
