module rulec.dev/bench/httpserver

go 1.23

require example.com/shop v0.0.0

replace example.com/shop => ../../examples/shop
