package redisop

import "testing"

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
