// Package goredis holds rulec's hooks on github.com/redis/go-redis/v9
// (plugin "goredis"): every client a program makes gets a go-redis hook
// (its public Hook API) that makes a CLIENT span and a
// db.client.operation.duration record per command and per pipeline.
//
// Hook signatures are an ABI contract with the rulec compiler.
package goredis

import (
	"context"
	"errors"

	"github.com/redis/go-redis/v9"

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

type tracing struct{ server redisop.Server }

func (tracing) DialHook(next redis.DialHook) redis.DialHook { return next }

func (t tracing) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if !pluginSwitch.Load() {
			return next(ctx, cmd)
		}
		op := core.StartDB(ctx, t.server.Command(cmd.Name(), cmd.Args()))
		err := next(opContext(ctx, op), cmd)
		op.End(failure(err))
		return err
	}
}

func (t tracing) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if !pluginSwitch.Load() {
			return next(ctx, cmds)
		}
		names := make([]string, len(cmds))
		for i, c := range cmds {
			names[i] = c.Name()
		}
		op := core.StartDB(ctx, t.server.Pipeline(names))
		err := next(opContext(ctx, op), cmds)
		op.End(pipelineFailure(err, cmds))
		return err
	}
}

// The hook outlives any one call: it obeys the plugin's live switch itself.
var pluginSwitch = core.PackageSwitch()

func opContext(ctx context.Context, op *core.DBOp) context.Context {
	if c := op.Context(); c != nil {
		return c
	}
	return ctx
}

// pipelineFailure is a pipeline's failure: its own error, else that of the
// first command that failed (go-redis returns only the first command's
// error down the hook chain, so a later command's failure is not in err).
func pipelineFailure(err error, cmds []redis.Cmder) error {
	if err = failure(err); err != nil {
		return err
	}
	for _, c := range cmds {
		if err = failure(c.Err()); err != nil {
			return err
		}
	}
	return nil
}

// failure is err as the span sees it: redis.Nil, a missing key, is an
// answer, not a failure.
func failure(err error) error {
	if errors.Is(err, redis.Nil) {
		return nil
	}
	return err
}
