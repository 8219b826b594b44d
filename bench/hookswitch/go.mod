module rulec.dev/bench/hookswitch

go 1.23
