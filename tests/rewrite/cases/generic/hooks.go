package generic

func __rulec_g_map_before[T any](xs []T) {}

func __rulec_g_map_after[U any](out []U) {}

func __rulec_g_push_before[T any](s *Stack[T], v *T) {}
