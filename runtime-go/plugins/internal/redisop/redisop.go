// Package redisop turns Redis commands into the runtime's database calls,
// for every Redis client plugin (go-redis v8 and v9): span names, the
// conventions' attributes, and db.query.text without values.
package redisop

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"rulec.dev/runtime/core"
)

// Server is where a client sends its commands.
type Server struct {
	Host string
	Port int
	DB   int
}

// NewServer reads a client's address ("host:port") and database index.
func NewServer(addr string, db int) Server {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return Server{Host: addr, DB: db}
	}
	p, _ := strconv.Atoi(port)
	return Server{Host: host, Port: p, DB: db}
}

func (s Server) call(operation, query string) core.DBCall {
	return core.DBCall{
		System: "redis", Namespace: strconv.Itoa(s.DB), Operation: operation, Query: query,
		ServerAddress: s.Host, ServerPort: s.Port, SpanName: operation,
	}
}

// Command is one command: args as the client has them, the command's name first.
func (s Server) Command(name string, args []any) core.DBCall {
	op := strings.ToUpper(name)
	return s.call(op, queryText(op, args))
}

// Pipeline is several commands sent at once.
func (s Server) Pipeline(names []string) core.DBCall {
	return s.call("PIPELINE", strings.ToUpper(strings.Join(names, " ")))
}

// queryText is the command with its key and a "?" for each other argument:
// keys name data (bounded enough to debug with), values are data.
func queryText(op string, args []any) string {
	var b strings.Builder
	b.WriteString(op)
	for i, a := range args {
		if i == 0 {
			continue // the name
		}
		b.WriteByte(' ')
		if i == 1 || core.RawStatements() {
			fmt.Fprint(&b, a)
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}
