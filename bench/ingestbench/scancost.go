package main

import (
	"encoding/json"
	"fmt"

	"vigil/detect"
)

// ScanCost is the detection stage's own CPU cost per item, measured in
// process on the same texts the load sends: the work the server's detection
// stage does for every stored item (Engine.Scan and the verdict's JSON),
// without the store write.
type ScanCost struct {
	Items         int
	CPUSeconds    float64
	MicrosPerItem float64
	RulePack      string
	Model         string
}

// MeasureScanCost scans the first n texts (cycling) once, single-threaded.
func MeasureScanCost(texts []string, n int) (ScanCost, error) {
	e, err := detect.Default()
	if err != nil {
		return ScanCost{}, fmt.Errorf("load the detection engine: %w", err)
	}
	// One pass before the clock so that lazily built tables are not billed.
	for i := 0; i < min(n, 200); i++ {
		e.Scan(detect.Post{ID: "warm", Text: texts[i%len(texts)], Surface: "moments"})
	}
	c0 := cpuTime()
	for i := 0; i < n; i++ {
		v := e.Scan(detect.Post{ID: fmt.Sprintf("cost-%d", i), Text: texts[i%len(texts)], Surface: "moments"})
		if _, err := json.Marshal(v); err != nil {
			return ScanCost{}, err
		}
	}
	d := cpuTime() - c0
	sc := ScanCost{Items: n, CPUSeconds: d.Seconds(), MicrosPerItem: float64(d.Microseconds()) / float64(n)}
	v := e.Scan(detect.Post{ID: "id", Text: texts[0]})
	sc.RulePack, sc.Model = v.RulePack, v.Model
	return sc, nil
}
