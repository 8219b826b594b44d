module rulec.dev/bench/otlpsink

go 1.23
