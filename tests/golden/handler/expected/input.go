//line $MODULE/input.go:1
package api

import (
	"fmt"
	"net/http"
)

type API struct{ name string }

func (a API) ServeHTTP(w http.ResponseWriter, r *http.Request) { __rulec_s0 := __rulec_api_serve_before(); if __rulec_s0 != nil { func() { defer __rulec_contain("api.serve"); __rulec_api_serve_attrs(__rulec_s0, "http.request.method", /*line $MODULE/rule.gorule:13:41*/r./*line $MODULE/rule.gorule:13:47*/Method) }(); func() { defer __rulec_contain("api.serve"); __rulec_api_serve_attrs(__rulec_s0, "url.path", /*line $MODULE/rule.gorule:13:67*/r./*line $MODULE/rule.gorule:13:73*/URL./*line $MODULE/rule.gorule:13:77*/Path) }(); func() { defer __rulec_contain("api.serve"); __rulec_api_serve_attrs(__rulec_s0, "api.name", /*line $MODULE/rule.gorule:13:95*/a./*line $MODULE/rule.gorule:13:100*/name) }(); };  defer func() { __rulec_api_serve_after(__rulec_s0) }(); __rulec_s1 := __rulec_api_audit_before(a, w, r); defer func() { __rulec_api_audit_after(__rulec_s1) }(); /*line $MODULE/input.go:10:65*/
	fmt.Fprintf(w, "%s: %s\n", a.name, r.URL.Path)
}

// Handle is not a ServeHTTP method: no rule reaches it.
func (a API) Handle(w http.ResponseWriter, r *http.Request) { a.ServeHTTP(w, r) }
