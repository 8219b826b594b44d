// Package goredisv8 holds rulec's hooks on github.com/go-redis/redis/v8
// (plugin "goredisv8"): every client a program makes gets a go-redis hook
// (its public Hook API) that makes a CLIENT span and a
// db.client.operation.duration record per command and per pipeline.
//
// Hook signatures are an ABI contract with the rulec compiler.
package goredisv8

import (
	"context"
	"errors"

	"github.com/go-redis/redis/v8"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/plugins/internal/redisop"
)

// NewClientAfter is the after hook of redis.NewClient, which cluster nodes
// and ring shards are made with too, and of redis.NewFailoverClient.
func NewClientAfter(c *redis.Client) {
	if c == nil {
		return
	}
	opt := c.Options()
	c.AddHook(tracing{redisop.NewServer(opt.Addr, opt.DB)})
}

// The hook outlives any one call: it obeys the plugin's live switch itself.
var pluginSwitch = core.PackageSwitch()

type opKey struct{}

type tracing struct{ server redisop.Server }

func (t tracing) BeforeProcess(ctx context.Context, cmd redis.Cmder) (context.Context, error) {
	return t.start(ctx, t.server.Command(cmd.Name(), cmd.Args())), nil
}

func (tracing) AfterProcess(ctx context.Context, cmd redis.Cmder) error {
	end(ctx, cmd.Err())
	return nil
}

func (t tracing) BeforeProcessPipeline(ctx context.Context, cmds []redis.Cmder) (context.Context, error) {
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = c.Name()
	}
	return t.start(ctx, t.server.Pipeline(names)), nil
}

func (tracing) AfterProcessPipeline(ctx context.Context, cmds []redis.Cmder) error {
	var err error
	for _, c := range cmds {
		if e := c.Err(); e != nil && !errors.Is(e, redis.Nil) {
			err = e
			break
		}
	}
	end(ctx, err)
	return nil
}

func (tracing) start(ctx context.Context, call core.DBCall) context.Context {
	if !pluginSwitch.Load() {
		return ctx
	}
	op := core.StartDB(ctx, call)
	if op == nil {
		return ctx
	}
	return context.WithValue(op.Context(), opKey{}, op)
}

func end(ctx context.Context, err error) {
	if op, ok := ctx.Value(opKey{}).(*core.DBOp); ok {
		if errors.Is(err, redis.Nil) {
			err = nil
		}
		op.End(err)
	}
}
