package nethttp

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync/atomic"

	"github.com/felixge/httpsnoop"
)

// statusRecorder learns the response status by wrapping the ResponseWriter.
// httpsnoop keeps the optional interfaces (Flusher, Hijacker, Pusher,
// ReaderFrom) and Unwrap, which http.ResponseController relies on. Fields
// are atomic because handlers may write from other goroutines.
type statusRecorder struct {
	status   atomic.Int32 // first final status; 0 until headers are sent
	hijacked atomic.Bool
}

func (s *statusRecorder) wrap(w http.ResponseWriter) http.ResponseWriter {
	return httpsnoop.Wrap(w, httpsnoop.Hooks{
		WriteHeader: func(next httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc {
			return func(code int) {
				s.header(code)
				next(code)
			}
		},
		Write: func(next httpsnoop.WriteFunc) httpsnoop.WriteFunc {
			return func(b []byte) (int, error) {
				s.header(http.StatusOK)
				return next(b)
			}
		},
		ReadFrom: func(next httpsnoop.ReadFromFunc) httpsnoop.ReadFromFunc {
			return func(src io.Reader) (int64, error) {
				s.header(http.StatusOK)
				return next(src)
			}
		},
		Flush: func(next httpsnoop.FlushFunc) httpsnoop.FlushFunc {
			return func() {
				s.header(http.StatusOK)
				next()
			}
		},
		Hijack: func(next httpsnoop.HijackFunc) httpsnoop.HijackFunc {
			return func() (net.Conn, *bufio.ReadWriter, error) {
				c, rw, err := next()
				if err == nil {
					s.hijacked.Store(true)
				}
				return c, rw, err
			}
		},
	})
}

// header records code if it is the first final status. 1xx codes other than
// 101 are informational and followed by the real one, as in net/http.
func (s *statusRecorder) header(code int) {
	if code >= 200 || code == http.StatusSwitchingProtocols {
		s.status.CompareAndSwap(0, int32(code))
	}
}

// final is the status the client got: a handler that wrote nothing gets 200
// from net/http. A hijacked connection without a status has none.
func (s *statusRecorder) final() int {
	if code := s.status.Load(); code != 0 {
		return int(code)
	}
	if s.hijacked.Load() {
		return 0
	}
	return http.StatusOK
}
