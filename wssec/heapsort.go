package wssec

// heapSort sorts s by cmp (negative: a before b), in place, in
// O(n log n) whatever the input — canonicalisation sorts attributes a
// document chose, so no input may make it quadratic — and not stably,
// which no caller needs (what it sorts has no equal elements). It stands
// in for slices.Sort and slices.SortFunc, whose pattern-defeating
// quicksort is about 19 KB of code for each element type in the browser
// module.
func heapSort[T any](s []T, cmp func(a, b T) int) {
	down := func(root, n int) {
		for {
			child := 2*root + 1
			if child >= n {
				return
			}
			if child+1 < n && cmp(s[child], s[child+1]) < 0 {
				child++
			}
			if cmp(s[root], s[child]) >= 0 {
				return
			}
			s[root], s[child] = s[child], s[root]
			root = child
		}
	}
	for i := len(s)/2 - 1; i >= 0; i-- {
		down(i, len(s))
	}
	for end := len(s) - 1; end > 0; end-- {
		s[0], s[end] = s[end], s[0]
		down(0, end)
	}
}

// compareStrings orders strings as < does.
func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
