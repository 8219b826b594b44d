package redisop

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestCommand(t *testing.T) {
	s := NewServer("127.0.0.1:6380", 2)
	c := s.Command("set", []any{"set", "user:1", "secret", "EX", 10})
	if c.SpanName != "SET" || c.Operation != "SET" || c.Query != "SET user:1 ? ? ?" || c.Namespace != "2" {
		t.Fatalf("%+v", c)
	}
	if c.ServerAddress != "127.0.0.1" || c.ServerPort != 6380 || c.System != "redis" {
		t.Fatalf("%+v", c)
	}
	p := s.Pipeline([]string{"get", "incr"})
	if p.SpanName != "PIPELINE" || p.Query != "GET INCR" {
		t.Fatalf("%+v", p)
	}
}

func TestServerAddress(t *testing.T) {
	for _, c := range []struct {
		addr string
		want Server
	}{
		{"redis.example:6379", Server{"redis.example", 6379, 0}},
		{"[::1]:7000", Server{"::1", 7000, 0}},
		{"redis.example", Server{"redis.example", 0, 0}}, // no port: the address as given
		{"/tmp/redis.sock", Server{"/tmp/redis.sock", 0, 0}},
	} {
		if got := NewServer(c.addr, 0); got != c.want {
			t.Errorf("NewServer(%q) = %+v, want %+v", c.addr, got, c.want)
		}
	}
	c := NewServer("redis.example", 5).Command("get", []any{"get", "k"})
	if c.ServerAddress != "redis.example" || c.ServerPort != 0 || c.Namespace != "5" {
		t.Errorf("%+v", c)
	}
}

func TestQueryText(t *testing.T) {
	s := NewServer("127.0.0.1:6379", 0)
	for _, c := range []struct {
		name string
		args []any
		want string
	}{
		{"ping", []any{"ping"}, "PING"},
		{"get", []any{"get", "user:1"}, "GET user:1"},
		{"hset", []any{"hset", "user:1", "name", "ann", "age", 42}, "HSET user:1 ? ? ? ?"},
		{"expire", []any{"expire", 7, 60}, "EXPIRE 7 ?"}, // a key need not be a string
	} {
		got := s.Command(c.name, c.args)
		if got.Query != c.want || got.Operation != strings.ToUpper(c.name) || got.SQL {
			t.Errorf("%s: query %q operation %q SQL %v, want %q", c.name, got.Query, got.Operation, got.SQL, c.want)
		}
	}
	if p := s.Pipeline(nil); p.SpanName != "PIPELINE" || p.Query != "" {
		t.Errorf("empty pipeline %+v", p)
	}
}

// RULEC_DB_STATEMENT is read once, at start: the test runs itself again
// with it set.
func TestRawStatementsKeepValues(t *testing.T) {
	if os.Getenv("RULEC_DB_STATEMENT") != "raw" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRawStatementsKeepValues$", "-test.count=1")
		cmd.Env = append(os.Environ(), "RULEC_DB_STATEMENT=raw")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("with RULEC_DB_STATEMENT=raw: %v\n%s", err, out)
		}
		return
	}
	c := NewServer("127.0.0.1:6379", 0).Command("set", []any{"set", "user:1", "secret", "EX", 10})
	if c.Query != "SET user:1 secret EX 10" {
		t.Fatalf("raw query %q", c.Query)
	}
}
