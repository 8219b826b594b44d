package hooks

import (
	"fmt"
	"net/http"
)

var Log []string

// BeforeServe takes the receiver as `any` (hooks need not name its type).
func BeforeServe(api any, w http.ResponseWriter, r *http.Request) string {
	return r.Method + " " + r.URL.Path
}

func AfterServe(what string) { Log = append(Log, fmt.Sprint("served ", what)) }
