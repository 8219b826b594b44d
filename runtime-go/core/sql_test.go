package core

import "testing"

func TestSanitizeSQL(t *testing.T) {
	cases := map[string]string{
		"SELECT * FROM users WHERE id = 42":                         "SELECT * FROM users WHERE id = ?",
		"SELECT name FROM t1 WHERE col2 = 'it''s' AND x = 1.5e3":    "SELECT name FROM t1 WHERE col2 = ? AND x = ?",
		`SELECT "Col 1" FROM "t" WHERE a = $1 AND b = ?`:            `SELECT "Col 1" FROM "t" WHERE a = $1 AND b = ?`,
		"INSERT INTO orders (id, note) VALUES (7, 'x'), (0x1F, -3)": "INSERT INTO orders (id, note) VALUES (?, ?), (?, -?)",
		"SELECT $$secret$$, $tag$more$tag$ -- keep 1\n/* and 2 */":  "SELECT ?, ? -- keep 1\n/* and 2 */",
		"UPDATE `acct` SET bal = bal - 10 WHERE name = :name":       "UPDATE `acct` SET bal = bal - ? WHERE name = :name",
		"SELECT 'unterminated":                                      "SELECT ?",
	}
	for in, want := range cases {
		if got := SanitizeSQL(in); got != want {
			t.Errorf("SanitizeSQL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSQLSummary(t *testing.T) {
	cases := []struct{ query, op, table string }{
		{"select * from users where id = $1", "SELECT", "users"},
		{"/* hint */ INSERT INTO public.orders (id) VALUES ($1)", "INSERT", "public.orders"},
		{"UPDATE `acct` SET bal = 1", "UPDATE", "acct"},
		{"DELETE FROM t WHERE 1=1", "DELETE", "t"},
		{"SELECT a FROM t1, t2", "SELECT", ""},
		{"SELECT 1", "SELECT", ""},
		{"SELECT * FROM (SELECT 1) x", "SELECT", ""},
		{"CREATE TABLE x (id int)", "CREATE", ""},
		{"  ", "", ""},
	}
	for _, c := range cases {
		op, table := SQLSummary(c.query)
		if op != c.op || table != c.table {
			t.Errorf("SQLSummary(%q) = %q, %q; want %q, %q", c.query, op, table, c.op, c.table)
		}
	}
}
