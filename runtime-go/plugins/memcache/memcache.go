// Package memcache holds rulec's hooks on github.com/bradfitz/gomemcache
// (plugin "memcache"): a CLIENT span and a db.client.operation.duration
// record per command (get, set, add, replace, append, prepend, cas,
// delete, touch, incr, decr). The client takes no context: the goroutine's
// parents the span. A cache miss is an answer, not a failure.
//
// Hook signatures are an ABI contract with the rulec compiler.
package memcache

import (
	"bufio"
	"context"
	"errors"
	"strings"

	"github.com/bradfitz/gomemcache/memcache"

	"rulec.dev/runtime/core"
)

func start(verb, key string) any {
	op := strings.ToUpper(verb)
	query := op
	if key != "" {
		query += " " + key
	}
	return core.StartDB(context.Background(), core.DBCall{System: "memcached", Operation: op, Query: query, SpanName: op})
}

func end(state any, err error) {
	if op, ok := state.(*core.DBOp); ok {
		if errors.Is(err, memcache.ErrCacheMiss) {
			err = nil
		}
		op.End(err)
	}
}

// StoreBefore is the before hook of (*Client).populateOne, behind Set, Add,
// Replace, Append, Prepend and CompareAndSwap; verb names which.
func StoreBefore(rw *bufio.ReadWriter, verb string, item *memcache.Item) any {
	key := ""
	if item != nil {
		key = item.Key
	}
	return start(verb, key)
}

// IncrDecrBefore is the before hook of (*Client).incrDecr.
func IncrDecrBefore(verb, key string, delta uint64) any { return start(verb, key) }

// GetBefore is the before hook of (*Client).Get.
func GetBefore(key string) any { return start("get", key) }

// GetMultiBefore is the before hook of (*Client).GetMulti.
func GetMultiBefore(keys []string) any { return start("get", "") }

// DeleteBefore is the before hook of (*Client).Delete.
func DeleteBefore(key string) any { return start("delete", key) }

// TouchBefore is the before hook of (*Client).Touch.
func TouchBefore(key string, seconds int32) any { return start("touch", key) }

// ErrAfter ends an operation whose only result is its error.
func ErrAfter(state any, err error) { end(state, err) }

// GetAfter ends a Get.
func GetAfter(state any, item *memcache.Item, err error) { end(state, err) }

// GetMultiAfter ends a GetMulti.
func GetMultiAfter(state any, items map[string]*memcache.Item, err error) { end(state, err) }

// IncrDecrAfter ends an incr or decr.
func IncrDecrAfter(state any, value uint64, err error) { end(state, err) }
