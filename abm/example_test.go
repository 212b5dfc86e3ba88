package abm_test

import (
	"context"
	"fmt"
	"os"

	"github.com/turncoat-abm/turncoat/abm"
)

// ExampleRun runs a toy model (a random walk) for three ticks and streams
// its observations as CSV.
func ExampleRun() {
	m := &counter{}
	tab := abm.NewTable(os.Stdout, m)
	st, err := abm.Run(context.Background(), m, abm.Config{Ticks: 3, Seed: 7, Recorders: []abm.Recorder{tab}})
	if err != nil {
		panic(err)
	}
	tab.Flush()
	fmt.Println("ticks:", st.Ticks)
	// Output:
	// tick,x,"label,with comma"
	// 0,0.7026893687206877,
	// 1,1.739049117887252,
	// 2,2.685797915912051,
	// ticks: 3
}

func ExampleSpearman() {
	simulated := []float64{86, 86, 87, 90, 101}
	historical := []float64{85, 86, 86, 90, 102}
	fmt.Printf("%.3f\n", abm.Spearman(simulated, historical))
	// Output: 0.921
}
