package databasesql

import "testing"

func TestInfoFromDSN(t *testing.T) {
	cases := []struct {
		dsn  string
		want dbInfo
	}{
		{"postgres://u:p@db.example:6543/shop?sslmode=disable", dbInfo{"postgresql", "shop", "db.example", 6543}},
		{"host=10.0.0.5 port=5433 user=u dbname='orders' sslmode=disable", dbInfo{"postgresql", "orders", "10.0.0.5", 5433}},
		{"host=/var/run/postgresql dbname=x", dbInfo{"postgresql", "x", "", 0}},
		{"root:pw@tcp(127.0.0.1:3306)/test?parseTime=true", dbInfo{"postgresql", "test", "127.0.0.1", 3306}},
		{"user@unix(/tmp/mysql.sock)/app", dbInfo{"postgresql", "app", "", 0}},
		{"/justdb", dbInfo{"postgresql", "justdb", "", 0}},
		{"file:test.db?cache=shared", dbInfo{"postgresql", "", "", 0}},
	}
	for _, c := range cases {
		if got := infoFromDSN("postgresql", c.dsn); got != c.want {
			t.Errorf("infoFromDSN(%q) = %+v, want %+v", c.dsn, got, c.want)
		}
	}
}
