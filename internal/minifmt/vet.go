//go:build socred_vet

package minifmt

import "fmt"

// Built only for `go vet -tags=socred_vet` (make test's vet step): Errorf
// and Sprintf hand their arguments to fmt's, so vet's printf check sees
// them as fmt.Errorf and fmt.Sprintf wrappers and checks every call in the
// tree with fmt's rules (a %w outside Errorf, a verb for the wrong type, a
// missing operand). minifmt_test.go checks that the verbs are also ones
// minifmt takes. The real package is minifmt.go.
func Errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// Sprintf is fmt.Sprintf, for vet (see Errorf).
func Sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
