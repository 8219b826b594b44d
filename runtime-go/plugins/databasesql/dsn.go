package databasesql

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"rulec.dev/runtime/core"
)

// dbInfo is what every span of one *sql.DB carries.
type dbInfo struct {
	system    string
	namespace string
	host      string
	port      int
}

// systemOf maps a driver (by its type, or the name it was registered under)
// to db.system.name.
func systemOf(driverName string, d driver.Driver) string {
	byType := map[string]string{
		"*pq.Driver": "postgresql", "*stdlib.Driver": "postgresql",
		"*mysql.MySQLDriver": "mysql", "*sqlite3.SQLiteDriver": "sqlite", "*sqlite.Driver": "sqlite",
		"*mssql.Driver": "microsoft.sql_server", "*clickhouse.stdDriver": "clickhouse",
	}
	if d != nil {
		if s, ok := byType[fmt.Sprintf("%T", d)]; ok {
			return s
		}
	}
	return core.DBSystemOfDriver(driverName)
}

// infoFromDSN reads the server and database name from a data source name in
// the forms the common drivers take: a URL (postgres://host:5432/db), libpq
// key=value pairs, or the MySQL driver's user:pass@tcp(host:port)/db.
func infoFromDSN(system, dsn string) dbInfo {
	info := dbInfo{system: system}
	switch {
	case strings.Contains(dsn, "://"):
		u, err := url.Parse(dsn)
		if err != nil {
			return info
		}
		info.host, info.port = u.Hostname(), atoi(u.Port())
		info.namespace = strings.TrimPrefix(u.Path, "/")
	case strings.Contains(dsn, "@") || strings.HasPrefix(dsn, "tcp(") || strings.HasPrefix(dsn, "/"):
		rest := dsn[strings.LastIndex(dsn, "@")+1:]
		if open := strings.IndexByte(rest, '('); open >= 0 {
			if end := strings.IndexByte(rest[open:], ')'); end > 0 {
				info.host, info.port = splitHostPort(rest[open+1 : open+end])
				rest = rest[open+end+1:]
			}
		}
		if slash := strings.IndexByte(rest, '/'); slash >= 0 {
			info.namespace, _, _ = strings.Cut(rest[slash+1:], "?")
		}
	case strings.Contains(dsn, "="):
		for _, field := range strings.Fields(dsn) {
			k, v, _ := strings.Cut(field, "=")
			v = strings.Trim(v, "'")
			switch k {
			case "host":
				info.host = v
			case "port":
				info.port = atoi(v)
			case "dbname":
				info.namespace = v
			}
		}
	}
	if strings.HasPrefix(info.host, "/") { // a unix socket directory, not an address
		info.host, info.port = "", 0
	}
	return info
}

func splitHostPort(hostport string) (string, int) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return hostport, 0
	}
	return host, atoi(port)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// infoOf is what is known of db: from sql.Open, or the driver alone.
func infoOf(db *sql.DB) dbInfo {
	if info, ok := dbs.Get(db); ok {
		return info
	}
	return dbInfo{system: systemOf("", db.Driver())}
}
