module rulec.dev/bench/gospawn

go 1.23
