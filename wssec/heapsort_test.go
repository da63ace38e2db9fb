package wssec

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHeapSort compares heapSort with slices.Sort on lengths around the
// heap's levels, with repeats, already sorted and reversed input.
func TestHeapSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 70 {
		for _, shape := range []string{"random", "repeats", "sorted", "reversed"} {
			s := make([]string, n)
			for i := range s {
				switch shape {
				case "random":
					s[i] = strconv.Itoa(r.IntN(1000))
				case "repeats":
					s[i] = strconv.Itoa(r.IntN(3))
				default:
					s[i] = strconv.Itoa(1000 + i)
				}
			}
			if shape == "reversed" {
				slices.Reverse(s)
			}
			want := slices.Clone(s)
			slices.Sort(want)
			heapSort(s, compareStrings)
			assert.Equal(t, want, s, "%d %s", n, shape)
		}
	}
}
