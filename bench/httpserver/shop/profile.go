//go:build benchprofile

package shop

import (
	"log"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof on http.DefaultServeMux
	"os"
)

// With -tags benchprofile, a server using this package also serves net/http/pprof on
// BENCH_PPROF_ADDR, for bench/http_server.sh's CPU profile.
func init() {
	if addr := os.Getenv("BENCH_PPROF_ADDR"); addr != "" {
		go func() { log.Print(http.ListenAndServe(addr, nil)) }()
	}
}
