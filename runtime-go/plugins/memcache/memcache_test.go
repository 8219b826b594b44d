package memcache

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/bradfitz/gomemcache/memcache"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/core/coretest"
)

// serveMemcached runs a memcached speaking the text protocol, for the
// commands gomemcache sends, on a loopback port.
func serveMemcached(t *testing.T) string {
	var mu sync.Mutex
	items := map[string]string{}
	return coretest.ServeTCP(t, func(rw *bufio.ReadWriter) error {
		line, err := rw.ReadString('\n')
		if err != nil {
			return err
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			_, err = rw.WriteString("ERROR\r\n")
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		reply := func(s string) error { _, err := rw.WriteString(s + "\r\n"); return err }
		switch verb, key := f[0], f[1]; verb {
		case "set", "add", "replace", "append", "prepend", "cas":
			n, _ := strconv.Atoi(f[4])
			data := make([]byte, n+2)
			if _, err := io.ReadFull(rw, data); err != nil {
				return err
			}
			_, exists := items[key]
			if (verb == "add" && exists) || (verb != "set" && verb != "add" && !exists) {
				return reply("NOT_STORED")
			}
			items[key] = string(data[:n])
			return reply("STORED")
		case "gets":
			for _, k := range f[1:] {
				if v, ok := items[k]; ok {
					fmt.Fprintf(rw, "VALUE %s 0 %d 1\r\n%s\r\n", k, len(v), v)
				}
			}
			return reply("END")
		case "incr", "decr":
			v, ok := items[key]
			if !ok {
				return reply("NOT_FOUND")
			}
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return reply("CLIENT_ERROR cannot increment or decrement non-numeric value")
			}
			d, _ := strconv.ParseUint(f[2], 10, 64)
			if verb == "incr" {
				n += d
			} else {
				n -= d
			}
			items[key] = strconv.FormatUint(n, 10)
			return reply(items[key])
		case "delete", "touch":
			if _, ok := items[key]; !ok {
				return reply("NOT_FOUND")
			}
			if verb == "delete" {
				delete(items, key)
				return reply("DELETED")
			}
			return reply("TOUCHED")
		}
		return reply("ERROR")
	})
}

// The helpers below play the wrappers on the client's methods: before
// hook, the real call, after hook. Set, Add and CompareAndSwap reach the
// hooked populateOne with their verb; Increment and Decrement incrDecr.

func store(mc *memcache.Client, verb string, item *memcache.Item) error {
	st := StoreBefore(nil, verb, item)
	var err error
	switch verb {
	case "set":
		err = mc.Set(item)
	case "add":
		err = mc.Add(item)
	case "cas":
		err = mc.CompareAndSwap(item)
	}
	ErrAfter(st, err)
	return err
}

func get(mc *memcache.Client, key string) (*memcache.Item, error) {
	st := GetBefore(key)
	item, err := mc.Get(key)
	GetAfter(st, item, err)
	return item, err
}

func getMulti(mc *memcache.Client, keys []string) (map[string]*memcache.Item, error) {
	st := GetMultiBefore(keys)
	items, err := mc.GetMulti(keys)
	GetMultiAfter(st, items, err)
	return items, err
}

func incr(mc *memcache.Client, key string, delta uint64) (uint64, error) {
	st := IncrDecrBefore("incr", key, delta)
	n, err := mc.Increment(key, delta)
	IncrDecrAfter(st, n, err)
	return n, err
}

func decr(mc *memcache.Client, key string, delta uint64) (uint64, error) {
	st := IncrDecrBefore("decr", key, delta)
	n, err := mc.Decrement(key, delta)
	IncrDecrAfter(st, n, err)
	return n, err
}

func del(mc *memcache.Client, key string) error {
	st := DeleteBefore(key)
	err := mc.Delete(key)
	ErrAfter(st, err)
	return err
}

func touch(mc *memcache.Client, key string, seconds int32) error {
	st := TouchBefore(key, seconds)
	err := mc.Touch(key, seconds)
	ErrAfter(st, err)
	return err
}

func TestCommandsAreClientSpansUnderTheGoroutine(t *testing.T) {
	rec := coretest.NewRecorder(t)
	reader := coretest.NewMetricReader(t)
	coretest.UseGoroutineContext(t)
	mc := memcache.New(serveMemcached(t))
	// The client takes no context: the request's span is the goroutine's.
	_, request := core.Start(context.Background(), "GET /cache", trace.SpanKindServer)
	defer core.Detach(core.Attach(request))

	if err := store(mc, "set", &memcache.Item{Key: "views", Value: []byte("1")}); err != nil {
		t.Fatal(err)
	}
	item, err := get(mc, "views")
	if err != nil || string(item.Value) != "1" {
		t.Fatalf("get: %v, %v", item, err)
	}
	if _, err := get(mc, "no-such-key"); !errors.Is(err, memcache.ErrCacheMiss) {
		t.Fatalf("get of a missing key: %v", err)
	}
	if err := store(mc, "add", &memcache.Item{Key: "views", Value: []byte("2")}); !errors.Is(err, memcache.ErrNotStored) {
		t.Fatalf("add of an existing key: %v", err)
	}
	if n, err := incr(mc, "views", 41); err != nil || n != 42 {
		t.Fatalf("incr = %d, %v", n, err)
	}
	if n, err := decr(mc, "views", 2); err != nil || n != 40 {
		t.Fatalf("decr = %d, %v", n, err)
	}
	many, err := getMulti(mc, []string{"views", "no-such-key"})
	if err != nil || len(many) != 1 {
		t.Fatalf("get multi: %v, %v", many, err)
	}
	if err := touch(mc, "views", 60); err != nil {
		t.Fatal(err)
	}
	if err := del(mc, "views"); err != nil {
		t.Fatal(err)
	}
	if err := del(mc, "views"); !errors.Is(err, memcache.ErrCacheMiss) {
		t.Fatalf("delete of a missing key: %v", err)
	}
	request.End()

	spans := coretest.SpansOfKind(rec.Ended(), trace.SpanKindClient)
	want := "[SET GET GET ADD INCR DECR GET TOUCH DELETE DELETE]"
	if got := fmt.Sprint(coretest.SpanNames(spans)); got != want {
		t.Fatalf("spans %s, want %s", got, want)
	}
	queries := []any{"SET views", "GET views", "GET no-such-key", "ADD views", "INCR views", "DECR views",
		"GET", "TOUCH views", "DELETE views", "DELETE views"}
	for i, s := range spans {
		if s.Parent().SpanID() != request.SpanContext().SpanID() || s.SpanContext().TraceID() != request.SpanContext().TraceID() {
			t.Errorf("%s is not under the goroutine's span", s.Name())
		}
		coretest.CheckAttrs(t, s.Name(), coretest.Attrs(s), map[string]any{
			"db.system.name": "memcached", "db.operation.name": s.Name(), "db.query.text": queries[i],
		})
		// A miss (GET, DELETE) is an answer; only the refused ADD failed.
		if wantErr := s.Name() == "ADD"; (s.Status().Code == codes.Error) != wantErr {
			t.Errorf("%s (#%d) status %v", s.Name(), i, s.Status())
		}
	}
	add := spans[3]
	if add.Status().Description != memcache.ErrNotStored.Error() {
		t.Errorf("ADD status %v", add.Status())
	}
	coretest.CheckAttrs(t, "ADD", coretest.Attrs(add), map[string]any{"error.type": "*errors.errorString"})

	counts := coretest.DBSeries(t, reader, "memcached", func(a map[string]any) string {
		return fmt.Sprint(a["db.operation.name"], " ", a["error.type"] != nil)
	})
	if counts["GET false"] != 3 || counts["ADD true"] != 1 || counts["DELETE false"] != 2 {
		t.Errorf("series counts %v", counts)
	}
}

func TestCompareAndSwap(t *testing.T) {
	rec := coretest.NewRecorder(t)
	mc := memcache.New(serveMemcached(t))
	if err := mc.Set(&memcache.Item{Key: "k", Value: []byte("a")}); err != nil {
		t.Fatal(err)
	}
	item, err := mc.Get("k")
	if err != nil {
		t.Fatal(err)
	}
	item.Value = []byte("b")
	if err := store(mc, "cas", item); err != nil {
		t.Fatal(err)
	}
	s := coretest.FindSpan(t, rec.Ended(), "CAS", trace.SpanKindClient)
	coretest.CheckAttrs(t, "CAS", coretest.Attrs(s), map[string]any{"db.query.text": "CAS k", "db.operation.name": "CAS"})
	if s.Parent().IsValid() {
		t.Error("no caller's span, yet the command has a parent")
	}
}

func TestServerErrorsAreFailures(t *testing.T) {
	rec := coretest.NewRecorder(t)
	mc := memcache.New(serveMemcached(t))
	if err := mc.Set(&memcache.Item{Key: "name", Value: []byte("ann")}); err != nil {
		t.Fatal(err)
	}
	if _, err := incr(mc, "name", 1); err == nil {
		t.Fatal("incr of a word succeeded")
	}
	down := memcache.New(coretest.ClosedAddr(t))
	_, downErr := get(down, "k")
	if downErr == nil {
		t.Fatal("get against a closed port succeeded")
	}

	spans := rec.Ended()
	for _, name := range []string{"INCR", "GET"} {
		s := coretest.FindSpan(t, spans, name, trace.SpanKindClient)
		if s.Status().Code != codes.Error {
			t.Errorf("%s status %v", name, s.Status())
		}
		if _, ok := coretest.Attrs(s)["error.type"]; !ok {
			t.Errorf("%s has no error.type", name)
		}
	}
	if got := coretest.FindSpan(t, spans, "GET", trace.SpanKindClient).Status().Description; got != downErr.Error() {
		t.Errorf("GET status %q, want %q", got, downErr)
	}
}

func TestDisabledMakesNoSpans(t *testing.T) {
	rec := coretest.NewRecorder(t)
	mc := memcache.New(serveMemcached(t))
	coretest.Disable(t)
	if err := store(mc, "set", &memcache.Item{Key: "k", Value: []byte("v")}); err != nil {
		t.Fatal(err)
	}
	if _, err := get(mc, "k"); err != nil {
		t.Fatal(err)
	}
	if spans := rec.Ended(); len(spans) != 0 {
		t.Fatalf("spans %v", coretest.SpanNames(spans))
	}
}
