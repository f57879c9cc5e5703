package sqlstore

import (
	"slices"
	"testing"
)

func TestChunkRows(t *testing.T) {
	for _, c := range []struct {
		cols int
		want []int
	}{
		{3, []int{33, 8, 1}},
		{12, []int{8, 2, 1}},
		{30, []int{3, 1}},
		{100, []int{1}},
		{250, []int{1}},
	} {
		got := chunkRows(c.cols)
		if !slices.Equal(got, c.want) {
			t.Errorf("chunkRows(%d) = %v, want %v", c.cols, got, c.want)
		}
		if got[len(got)-1] != 1 || got[0]*c.cols > max(chunkParams, c.cols) {
			t.Errorf("chunkRows(%d) = %v: must end in 1 and keep statements within %d parameters", c.cols, got, chunkParams)
		}
	}
}
