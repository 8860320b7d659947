package typed

import "fmt"

func fmtAny(v any) string           { return fmt.Sprint(v) }
func fmtPair(v any, ok bool) string { return fmt.Sprint(v, ok) }
