// Package nethttp holds rulec's net/http hooks (plugin "nethttp"):
//
//   - ServerBefore/ServerAfter on serverHandler.ServeHTTP: one SERVER span
//     per request served (HTTP/1 and HTTP/2);
//   - MuxBefore/MuxAfter on (*ServeMux).ServeHTTP: the matched pattern
//     becomes http.route and the server span's name;
//   - ClientBefore/ClientAfter on (*Transport).RoundTrip: one CLIENT span
//     per request sent, with trace context injected.
//
// Hook signatures are an ABI contract with the rulec compiler.
package nethttp
