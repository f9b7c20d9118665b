package voice

import "math"

// resampler converts a stream of samples from one rate to another with a windowed-sinc
// (Hann) interpolator. When downsampling the sinc's cutoff is lowered to the output's
// Nyquist frequency, so it also serves as the anti-aliasing filter (a 48 kHz microphone
// into a 16 kHz encoder). The filter is symmetric, so it adds no delay: N input samples
// become exactly floor(N*out/in) output samples aligned with the input.
type resampler struct {
	in, out int     // rates
	fc      float64 // cutoff as a fraction of the input Nyquist
	half    int     // filter half-width in input samples
	buf     []float64
	base    int64 // absolute input index of buf[0]
	total   int64 // input samples received
	n       int64 // output samples produced
}

// zeroCrossings is the number of sinc lobes on each side: 16 gives a stopband well below
// the 16-bit noise floor of speech for this purpose while staying cheap.
const zeroCrossings = 16

func newResampler(in, out int) *resampler {
	fc := 1.0
	if out < in {
		fc = float64(out) / float64(in)
	}
	return &resampler{in: in, out: out, fc: fc, half: int(math.Ceil(zeroCrossings / fc))}
}

// process appends the resampled form of src to dst; with final set, the stream ends with
// src and the remaining output is produced as if silence followed.
func (r *resampler) process(dst []int16, src []int16, final bool) []int16 {
	for _, s := range src {
		r.buf = append(r.buf, float64(s))
	}
	r.total += int64(len(src))
	end := r.base + int64(len(r.buf))
	limit := r.total * int64(r.out) / int64(r.in) // outputs the whole input yields
	for r.n < limit {
		// Output n sits at input time n*in/out, split into an integer index and a fraction.
		num := r.n * int64(r.in)
		center := num / int64(r.out)
		frac := float64(num%int64(r.out)) / float64(r.out)
		if !final && center+int64(r.half)+1 >= end {
			break // needs samples not yet received
		}
		acc := 0.0
		for k := center - int64(r.half) + 1; k <= center+int64(r.half); k++ {
			if k < 0 || k < r.base || k >= end {
				continue // before the stream or beyond its end: silence
			}
			x := float64(k-center) - frac
			acc += r.buf[k-r.base] * r.kernel(x)
		}
		dst = append(dst, clamp16(acc))
		r.n++
	}
	// Drop input no future output can reach.
	next := r.n * int64(r.in) / int64(r.out)
	if drop := next - int64(r.half) - r.base; drop > 0 {
		if drop > int64(len(r.buf)) {
			drop = int64(len(r.buf))
		}
		r.buf = append(r.buf[:0], r.buf[drop:]...)
		r.base += drop
	}
	return dst
}

func (r *resampler) kernel(x float64) float64 {
	w := float64(r.half)
	if x <= -w || x >= w {
		return 0
	}
	t := x * r.fc
	sinc := 1.0
	if t != 0 {
		sinc = math.Sin(math.Pi*t) / (math.Pi * t)
	}
	return r.fc * sinc * 0.5 * (1 + math.Cos(math.Pi*x/w))
}

func clamp16(v float64) int16 {
	v = math.Round(v)
	if v > math.MaxInt16 {
		return math.MaxInt16
	}
	if v < math.MinInt16 {
		return math.MinInt16
	}
	return int16(v)
}
