package app

import "example.com/golden/err_callsite_unexported/lib"

func Build() int { return lib.Make(lib.Defaults()).Size() }
