//go:build !linux

package indicator

func threadCPU() (ns int64, ok bool) { return 0, false }
