package coretest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// ServeTCP runs a server on a loopback port for the rest of the test, for
// clients of line-based protocols (Redis, memcached) that need a peer. On
// each connection serve is called again and again: it reads one request
// from rw and writes its reply, flushed when it returns. The connection is
// closed when serve returns an error (io.EOF once the client hangs up).
// It returns the server's "host:port".
func ServeTCP(t testing.TB, serve func(rw *bufio.ReadWriter) error) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns = map[net.Conn]bool{}
		wg    sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns[conn] = true
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				rw := bufio.NewReadWriter(bufio.NewReader(conn), bufio.NewWriter(conn))
				for {
					err := serve(rw)
					if ferr := rw.Flush(); err == nil {
						err = ferr
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// ClosedAddr is a loopback "host:port" nothing listens on, for a client's
// connection-error path.
func ClosedAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// ServeRedis runs a Redis server (RESP2) on a loopback port for the rest of
// the test: reply receives each command (its name upper case, then its
// arguments) and returns the raw RESP reply, such as "+OK\r\n" or
// RESPError("ERR ..."). It returns the server's "host:port".
func ServeRedis(t testing.TB, reply func(cmd []string) string) string {
	t.Helper()
	return ServeTCP(t, func(rw *bufio.ReadWriter) error {
		cmd, err := readRESPCommand(rw.Reader)
		if err != nil {
			return err
		}
		_, err = rw.WriteString(reply(cmd))
		return err
	})
}

// RESP replies for ServeRedis.
func RESPError(msg string) string   { return "-" + msg + "\r\n" }
func RESPInt(n int64) string        { return ":" + strconv.FormatInt(n, 10) + "\r\n" }
func RESPBulk(s string) string      { return "$" + strconv.Itoa(len(s)) + "\r\n" + s + "\r\n" }
func RESPStatus(msg string) string  { return "+" + msg + "\r\n" }
func RESPNil() string               { return "$-1\r\n" }
func RESPUnknown(cmd string) string { return RESPError("ERR unknown command '" + cmd + "'") }

// readRESPCommand reads one command: an array of bulk strings.
func readRESPCommand(r *bufio.Reader) ([]string, error) {
	n, err := readRESPLen(r, '*')
	if err != nil {
		return nil, err
	}
	cmd := make([]string, n)
	for i := range cmd {
		size, err := readRESPLen(r, '$')
		if err != nil {
			return nil, err
		}
		buf := make([]byte, size+2) // and its CRLF
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		cmd[i] = string(buf[:size])
	}
	if n > 0 {
		cmd[0] = strings.ToUpper(cmd[0])
	}
	return cmd, nil
}

func readRESPLen(r *bufio.Reader, prefix byte) (int, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return 0, err
	}
	line = strings.TrimRight(line, "\r\n")
	if len(line) < 2 || line[0] != prefix {
		return 0, errors.New("coretest: not a RESP command: " + strconv.Quote(line))
	}
	n, err := strconv.Atoi(line[1:])
	if err != nil || n < 0 {
		return 0, fmt.Errorf("coretest: bad RESP length %q", line)
	}
	return n, nil
}

// RedisKV is a reply function for ServeRedis: a key-value store answering
// SET, GET, INCR, EXISTS, DEL, SELECT and PING as Redis does (INCR of a
// value that is not a number fails), and any other command (HELLO among
// them, so clients fall back to RESP2) as unknown.
func RedisKV() func(cmd []string) string {
	var mu sync.Mutex
	kv := map[string]string{}
	return func(cmd []string) string {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case cmd[0] == "PING":
			return RESPStatus("PONG")
		case cmd[0] == "SELECT" && len(cmd) == 2:
			return RESPStatus("OK")
		case cmd[0] == "SET" && len(cmd) >= 3:
			kv[cmd[1]] = cmd[2]
			return RESPStatus("OK")
		case cmd[0] == "GET" && len(cmd) == 2:
			v, ok := kv[cmd[1]]
			if !ok {
				return RESPNil()
			}
			return RESPBulk(v)
		case cmd[0] == "INCR" && len(cmd) == 2:
			n, err := strconv.ParseInt(kv[cmd[1]], 10, 64)
			if _, ok := kv[cmd[1]]; ok && err != nil {
				return RESPError("ERR value is not an integer or out of range")
			}
			kv[cmd[1]] = strconv.FormatInt(n+1, 10)
			return RESPInt(n + 1)
		case (cmd[0] == "EXISTS" || cmd[0] == "DEL") && len(cmd) >= 2:
			var n int64
			for _, k := range cmd[1:] {
				if _, ok := kv[k]; ok {
					n++
					if cmd[0] == "DEL" {
						delete(kv, k)
					}
				}
			}
			return RESPInt(n)
		}
		return RESPUnknown(strings.ToLower(cmd[0]))
	}
}

// HostPort splits a server's "host:port" into the server.address and
// server.port values a client span should carry.
func HostPort(t testing.TB, addr string) (string, int64) {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		t.Fatal(err)
	}
	return host, int64(p)
}
