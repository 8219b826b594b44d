package lib

type options struct{ size int }

type thing struct{ size int }

func (t *thing) Size() int { return t.size }

func Defaults() options { return options{size: 1} }

// Make takes and returns unexported types: its callers cannot name them.
func Make(o options) *thing { return &thing{size: o.size} }
