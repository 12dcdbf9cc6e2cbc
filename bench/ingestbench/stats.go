package main

import (
	"slices"
	"time"
)

// Percentile returns the p-th percentile (0 < p <= 100) of ds by the
// nearest-rank method: the smallest value with at least p% of the values at
// or below it. It returns 0 for no values.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(float64(len(s))*p/100 + 0.999999999)
	rank = max(1, min(rank, len(s)))
	return s[rank-1]
}

// Rate is items per second, 0 when no time passed.
func Rate(items int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(items) / d.Seconds()
}

// Lost is the number of acknowledged items the store does not hold: an
// item counts as lost when its batch got a 2xx answer naming it accepted
// and no row with its id exists.
func Lost(acked, stored int64) int64 { return max(0, acked-stored) }
