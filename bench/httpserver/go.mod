module rulec.dev/bench/httpserver

go 1.23
