package forecast

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// lstmGraph is the gorgonia expression graph of the model for a fixed batch
// size: the same LSTM and dense head that Predictor computes in pure Go, used
// for training and to check the pure-Go forward pass.
type lstmGraph struct {
	g     *G.ExprGraph
	batch int
	nf    int // inputs per step, len(Architecture.Features)

	xs   []*G.Node // InputSize inputs, each batch x len(Features)
	y    *G.Node   // targets, batch x Horizon; nil without a loss
	out  *G.Node   // outputs, batch x Horizon (normalised, not clipped)
	cost *G.Node   // MSE over out and y; nil without a loss

	// learn lists the weights in the order of weightViews.
	learn G.Nodes
}

// buildGraph builds the graph for batch windows initialised with w's
// values; a loss (LossMSE or LossMAE) adds the targets and that cost, ""
// builds the forward pass only.
func buildGraph(a Architecture, w *Weights, batch int, loss string) (*lstmGraph, error) {
	lg := &lstmGraph{g: G.NewGraph(), batch: batch, nf: len(a.Features)}
	nf, hid, k := lg.nf, a.Hidden, a.Horizon

	param := func(name string, data []float64, rows, cols int) *G.Node {
		t := tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(append([]float64(nil), data...)))
		n := G.NewMatrix(lg.g, tensor.Float64, G.WithShape(rows, cols), G.WithName(name), G.WithValue(t))
		lg.learn = append(lg.learn, n)
		return n
	}
	var wx, wh, b [numGates]*G.Node
	for g := range numGates {
		wx[g] = param(fmt.Sprintf("wx%d", g), w.Wx[g], nf, hid)
	}
	for g := range numGates {
		wh[g] = param(fmt.Sprintf("wh%d", g), w.Wh[g], hid, hid)
	}
	for g := range numGates {
		b[g] = param(fmt.Sprintf("b%d", g), w.B[g], 1, hid)
	}
	wy := param("wy", w.Wy, hid, k)
	by := param("by", w.By, 1, k)

	var h, c *G.Node
	for t := range InputSize {
		x := G.NewMatrix(lg.g, tensor.Float64, G.WithShape(batch, nf), G.WithName(fmt.Sprintf("x%d", t)))
		lg.xs = append(lg.xs, x)

		var gates [numGates]*G.Node
		for g := range numGates {
			z, err := gatePreact(x, wx[g], h, wh[g], b[g])
			if err != nil {
				return nil, fmt.Errorf("step %d gate %d: %w", t, g, err)
			}
			if g == gateG {
				gates[g], err = G.Tanh(z)
			} else {
				gates[g], err = G.Sigmoid(z)
			}
			if err != nil {
				return nil, fmt.Errorf("step %d gate %d: %w", t, g, err)
			}
		}

		var err error
		h, c, err = cellUpdate(gates, c)
		if err != nil {
			return nil, fmt.Errorf("step %d: %w", t, err)
		}
	}

	hy, err := G.Mul(h, wy)
	if err != nil {
		return nil, fmt.Errorf("head: %w", err)
	}
	if lg.out, err = G.BroadcastAdd(hy, by, nil, []byte{0}); err != nil {
		return nil, fmt.Errorf("head bias: %w", err)
	}
	if loss == "" {
		return lg, nil
	}

	lg.y = G.NewMatrix(lg.g, tensor.Float64, G.WithShape(batch, k), G.WithName("y"))
	diff, err := G.Sub(lg.out, lg.y)
	if err != nil {
		return nil, fmt.Errorf("loss: %w", err)
	}
	var pointwise *G.Node
	if loss == LossMAE {
		pointwise, err = G.Abs(diff)
	} else {
		pointwise, err = G.Square(diff)
	}
	if err != nil {
		return nil, fmt.Errorf("loss: %w", err)
	}
	if lg.cost, err = G.Mean(pointwise); err != nil {
		return nil, fmt.Errorf("loss: %w", err)
	}
	return lg, nil
}

// gatePreact is x*wx + h*wh + b; h is nil on the first step (zero state).
func gatePreact(x, wx, h, wh, b *G.Node) (*G.Node, error) {
	z, err := G.Mul(x, wx)
	if err != nil {
		return nil, err
	}
	if h != nil {
		hw, err := G.Mul(h, wh)
		if err != nil {
			return nil, err
		}
		if z, err = G.Add(z, hw); err != nil {
			return nil, err
		}
	}
	return G.BroadcastAdd(z, b, nil, []byte{0})
}

// cellUpdate is c' = f*c + i*g, h' = o*tanh(c'); c is nil on the first step.
func cellUpdate(gates [numGates]*G.Node, c *G.Node) (h, c2 *G.Node, err error) {
	c2, err = G.HadamardProd(gates[gateI], gates[gateG])
	if err != nil {
		return nil, nil, err
	}
	if c != nil {
		fc, err := G.HadamardProd(gates[gateF], c)
		if err != nil {
			return nil, nil, err
		}
		if c2, err = G.Add(fc, c2); err != nil {
			return nil, nil, err
		}
	}
	tc, err := G.Tanh(c2)
	if err != nil {
		return nil, nil, err
	}
	h, err = G.HadamardProd(gates[gateO], tc)
	return h, c2, err
}

// weightViews lists w's slices in the order of lstmGraph.learn.
func weightViews(w *Weights) [][]float64 {
	var v [][]float64
	for g := range numGates {
		v = append(v, w.Wx[g])
	}
	for g := range numGates {
		v = append(v, w.Wh[g])
	}
	for g := range numGates {
		v = append(v, w.B[g])
	}
	return append(v, w.Wy, w.By)
}

// readWeights copies the graph's current weight values into w.
func (lg *lstmGraph) readWeights(w *Weights) {
	for i, dst := range weightViews(w) {
		src := lg.learn[i].Value().Data().([]float64)
		copy(dst, src)
	}
}

// setInputs fills the input nodes (and the targets when y is not nil) from
// xs (batch x InputSize x features, flat) and ys (batch x Horizon, flat).
func (lg *lstmGraph) setInputs(xs, ys []float64) error {
	nf := lg.nf
	for t, node := range lg.xs {
		buf := make([]float64, lg.batch*nf)
		for i := range lg.batch {
			copy(buf[i*nf:i*nf+nf], xs[(i*InputSize+t)*nf:])
		}
		if err := G.Let(node, tensor.New(tensor.WithShape(lg.batch, nf), tensor.WithBacking(buf))); err != nil {
			return fmt.Errorf("set input %d: %w", t, err)
		}
	}
	if lg.y == nil {
		return nil
	}
	k := len(ys) / lg.batch
	t := tensor.New(tensor.WithShape(lg.batch, k), tensor.WithBacking(ys))
	if err := G.Let(lg.y, t); err != nil {
		return fmt.Errorf("set targets: %w", err)
	}
	return nil
}

// normaliseWindow writes window's base features (InputSize x Features)
// into dst; models with optional features use Model.fillFeatures.
func normaliseWindow(n Normalisation, window, dst []float64) {
	last, s := window[len(window)-1], n.scale(window)
	for t, v := range window {
		dst[t*2] = (v - last) / s
		dst[t*2+1] = v / n.LevelScale
	}
}
