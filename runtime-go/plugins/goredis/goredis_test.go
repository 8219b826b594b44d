package goredis

import (
	"testing"

	"github.com/redis/go-redis/v9"

	"rulec.dev/runtime/core/coretest"
)

// The client hook's scenarios are coretest's, shared with the other
// go-redis major version's plugin; this one's client is what they drive.
func TestClientHook(t *testing.T) {
	coretest.GoRedisScenarios(t, NewClientAfter, redis.Nil, func(o coretest.GoRedisOptions) *redis.Client {
		return redis.NewClient(&redis.Options{Addr: o.Addr, DB: o.DB, MaxRetries: o.MaxRetries})
	})
}
