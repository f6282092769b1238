//! Dense f32 helpers: matrix products (through `matrixmultiply`), activations and a
//! small deterministic random number generator. Matrices are row-major slices.

/// `C = A · B + beta · C`, with `A` m×k and `B` k×n; `ta` / `tb` say that the slice
/// holds the transpose (`A` stored k×m, `B` stored n×k).
#[allow(clippy::too_many_arguments)]
pub(crate) fn gemm(m: usize, k: usize, n: usize, a: &[f32], ta: bool, b: &[f32], tb: bool, c: &mut [f32], beta: f32) {
    if m == 0 || n == 0 {
        return;
    }
    assert!(a.len() >= m * k && b.len() >= k * n && c.len() >= m * n, "gemm: slice too short");
    if k == 0 {
        for x in &mut c[..m * n] {
            *x *= beta;
        }
        return;
    }
    let (rsa, csa) = if ta { (1, m as isize) } else { (k as isize, 1) };
    let (rsb, csb) = if tb { (1, k as isize) } else { (n as isize, 1) };
    // SAFETY: the asserts above keep every index the strides reach inside the slices.
    unsafe {
        matrixmultiply::sgemm(m, k, n, 1.0, a.as_ptr(), rsa, csa, b.as_ptr(), rsb, csb, beta, c.as_mut_ptr(), n as isize, 1);
    }
}

/// Adds `bias` to every row of the `rows`×`bias.len()` matrix `x`.
pub(crate) fn add_bias(x: &mut [f32], bias: &[f32]) {
    for row in x.chunks_exact_mut(bias.len()) {
        for (v, b) in row.iter_mut().zip(bias) {
            *v += b;
        }
    }
}

/// Adds the column sums of `dy` (rows × `db.len()`) to `db`.
pub(crate) fn col_sums(dy: &[f32], db: &mut [f32]) {
    for row in dy.chunks_exact(db.len()) {
        for (d, v) in db.iter_mut().zip(row) {
            *d += v;
        }
    }
}

/// Leaky ReLU slope below zero.
pub(crate) const LEAK: f32 = 0.1;

pub(crate) fn leaky_relu(x: &mut [f32]) {
    for v in x {
        if *v < 0.0 {
            *v *= LEAK;
        }
    }
}

/// Decoding buffers kept between batches, per thread: a batch's large buffers are given
/// back when it is decoded, so the next batch neither asks the allocator for fresh pages
/// nor zeroes them.
mod pool {
    use std::cell::RefCell;
    thread_local! {
        static POOL: RefCell<Vec<Vec<f32>>> = const { RefCell::new(Vec::new()) };
    }
    const KEEP: usize = 48;

    fn take(cap: usize) -> Vec<f32> {
        POOL.with(|p| {
            let mut p = p.borrow_mut();
            match p.iter().position(|v| v.capacity() >= cap) {
                Some(i) => p.swap_remove(i),
                None => p.pop().unwrap_or_default(),
            }
        })
    }

    /// `len` floats whose values are unspecified (left by an earlier batch, or zero): only
    /// for outputs that are written in full before they are read, or whose unwritten
    /// rows are never read.
    pub(crate) fn scratch(len: usize) -> Vec<f32> {
        let mut v = take(len);
        if v.len() >= len {
            v.truncate(len);
        } else {
            v.resize(len, 0.0);
        }
        v
    }

    /// An empty vector with room for `cap` floats.
    pub(crate) fn empty(cap: usize) -> Vec<f32> {
        let mut v = take(cap);
        v.clear();
        v.reserve(cap);
        v
    }

    /// Gives buffers back to the pool.
    pub(crate) fn give(bufs: impl IntoIterator<Item = Vec<f32>>) {
        POOL.with(|p| {
            let mut p = p.borrow_mut();
            for v in bufs {
                if v.capacity() > 0 && p.len() < KEEP {
                    p.push(v);
                }
            }
        })
    }
}
pub(crate) use pool::{empty as scratch_empty, give as recycle, scratch};

#[cfg(test)]
pub(crate) fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + fast_exp(-x))
}

/// `e^x` to about 2 ulp over the f32 range (clamped to ±87): a degree-6 polynomial on
/// `x - n ln 2`, scaled by `2^n` through the exponent bits. Branch-free, so loops of it
/// vectorise.
#[inline(always)]
pub(crate) fn fast_exp(x: f32) -> f32 {
    let x = x.clamp(-87.0, 87.0);
    let n = (x * std::f32::consts::LOG2_E + 0.5).floor();
    let r = x - n * 0.693_145_75 - n * 1.428_606_8e-6;
    let p = 1.0 + r * (1.0 + r * (0.5 + r * (0.166_666_67 + r * (0.041_666_668 + r * (0.008_333_334 + r * 0.001_388_889)))));
    p * f32::from_bits(((n as i32 + 127) << 23) as u32)
}

/// `tanh(x) = 2 σ(2x) - 1`.
#[inline(always)]
pub(crate) fn fast_tanh(x: f32) -> f32 {
    2.0 / (1.0 + fast_exp(-2.0 * x)) - 1.0
}

/// The LSTM cell on one row: `z` holds the pre-activations (i, f, g, o, each `h` wide)
/// and gets the activations; `c` holds the previous cell and gets the new one; `h_out`
/// gets the output.
#[inline(always)]
fn cell_generic(z: &mut [f32], c: &mut [f32], h_out: &mut [f32]) {
    cell_tail(z, c, h_out, 0)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn cell_avx2(z: &mut [f32], c: &mut [f32], h_out: &mut [f32]) {
    cell_generic(z, c, h_out)
}

/// AVX-512 kernels of the cell: `e^x` as [`fast_exp`] (2^n by `vscalefps`), `1 / x` by
/// `vrcp14ps` and one Newton step (about 1 ulp), 16 units at a time.
#[cfg(target_arch = "x86_64")]
mod avx512 {
    use std::arch::x86_64::*;

    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn exp16(x: __m512) -> __m512 {
        let x = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-87.0)), _mm512_set1_ps(87.0));
        let n = _mm512_roundscale_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(_mm512_mul_ps(x, _mm512_set1_ps(std::f32::consts::LOG2_E)));
        let r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693_145_75), x);
        let r = _mm512_fnmadd_ps(n, _mm512_set1_ps(1.428_606_8e-6), r);
        let mut p = _mm512_set1_ps(0.001_388_889);
        for c in [0.008_333_334, 0.041_666_668, 0.166_666_67, 0.5, 1.0, 1.0] {
            p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(c));
        }
        _mm512_scalef_ps(p, n)
    }

    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn sigmoid16(x: __m512) -> __m512 {
        let one = _mm512_set1_ps(1.0);
        let d = _mm512_add_ps(one, exp16(_mm512_sub_ps(_mm512_setzero_ps(), x)));
        let r = _mm512_rcp14_ps(d);
        // One Newton step: r (2 - d r).
        _mm512_mul_ps(r, _mm512_fnmadd_ps(d, r, _mm512_set1_ps(2.0)))
    }

    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn tanh16(x: __m512) -> __m512 {
        let s = sigmoid16(_mm512_add_ps(x, x));
        _mm512_sub_ps(_mm512_add_ps(s, s), _mm512_set1_ps(1.0))
    }

    /// The cell on the first `h - h % 16` units.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn cell(z: &mut [f32], c: &mut [f32], h_out: &mut [f32]) -> usize {
        let h = c.len();
        let full = h - h % 16;
        let zp = z.as_mut_ptr();
        let mut j = 0;
        while j < full {
            let i = sigmoid16(_mm512_loadu_ps(zp.add(j)));
            let f = sigmoid16(_mm512_loadu_ps(zp.add(h + j)));
            let g = tanh16(_mm512_loadu_ps(zp.add(2 * h + j)));
            let o = sigmoid16(_mm512_loadu_ps(zp.add(3 * h + j)));
            _mm512_storeu_ps(zp.add(j), i);
            _mm512_storeu_ps(zp.add(h + j), f);
            _mm512_storeu_ps(zp.add(2 * h + j), g);
            _mm512_storeu_ps(zp.add(3 * h + j), o);
            let cc = _mm512_fmadd_ps(f, _mm512_loadu_ps(c.as_ptr().add(j)), _mm512_mul_ps(i, g));
            _mm512_storeu_ps(c.as_mut_ptr().add(j), cc);
            _mm512_storeu_ps(h_out.as_mut_ptr().add(j), _mm512_mul_ps(o, tanh16(cc)));
            j += 16;
        }
        full
    }
}

/// The generic cell on units `from..`.
#[inline(always)]
fn cell_tail(z: &mut [f32], c: &mut [f32], h_out: &mut [f32], from: usize) {
    let h = c.len();
    for j in from..h {
        let i = 1.0 / (1.0 + fast_exp(-z[j]));
        let f = 1.0 / (1.0 + fast_exp(-z[h + j]));
        let g = fast_tanh(z[2 * h + j]);
        let o = 1.0 / (1.0 + fast_exp(-z[3 * h + j]));
        z[j] = i;
        z[h + j] = f;
        z[2 * h + j] = g;
        z[3 * h + j] = o;
        let cc = f * c[j] + i * g;
        c[j] = cc;
        h_out[j] = o * fast_tanh(cc);
    }
}

/// See [`cell_generic`]; uses AVX-512 or AVX2 where the processor has them.
pub(crate) fn lstm_cell(z: &mut [f32], c: &mut [f32], h_out: &mut [f32]) {
    debug_assert!(z.len() == 4 * c.len() && h_out.len() == c.len());
    #[cfg(target_arch = "x86_64")]
    {
        if super::int8::vnni() {
            // SAFETY: AVX-512F was detected at run time (with VNNI); the slices have the
            // lengths checked above, which the kernel reads and writes within.
            let done = unsafe { avx512::cell(z, c, h_out) };
            return cell_tail(z, c, h_out, done);
        }
        if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
            // SAFETY: the features were detected at run time.
            return unsafe { cell_avx2(z, c, h_out) };
        }
    }
    cell_generic(z, c, h_out)
}

/// In-place log-softmax of one row; returns nothing, the row then holds log-probabilities.
pub(crate) fn log_softmax(row: &mut [f32]) {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let sum: f32 = row.iter().map(|v| (v - max).exp()).sum();
    let lse = max + sum.ln();
    for v in row {
        *v -= lse;
    }
}

/// SplitMix64: small, deterministic, good enough for initialisation, shuffling and dropout.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub(crate) fn uniform(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(m: usize, k: usize, n: usize, a: &[f32], ta: bool, b: &[f32], tb: bool) -> Vec<f32> {
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                for l in 0..k {
                    let x = if ta { a[l * m + i] } else { a[i * k + l] };
                    let y = if tb { b[j * k + l] } else { b[l * n + j] };
                    c[i * n + j] += x * y;
                }
            }
        }
        c
    }

    #[test]
    fn fast_functions_are_accurate() {
        let mut x = -30.0f32;
        while x < 30.0 {
            let e = fast_exp(x);
            assert!(((e - x.exp()) / x.exp()).abs() < 1e-6, "exp {x}");
            assert!((fast_tanh(x) - x.tanh()).abs() < 1e-6, "tanh {x}");
            x += 0.01;
        }
        let mut z: Vec<f32> = (0..8).map(|i| i as f32 * 0.3 - 1.0).collect();
        let mut c = vec![0.5, -0.25];
        let mut h = vec![0.0; 2];
        let want_c0 = sigmoid(z[2]) * 0.5 + sigmoid(z[0]) * z[4].tanh();
        lstm_cell(&mut z, &mut c, &mut h);
        assert!((c[0] - want_c0).abs() < 1e-6);
        // The vector kernel (h = 40: two blocks of 16 and a tail) agrees with the scalar one.
        let mut rng = Rng::new(3);
        let z0: Vec<f32> = (0..160).map(|_| rng.uniform() * 16.0 - 8.0).collect();
        let c0: Vec<f32> = (0..40).map(|_| rng.uniform() * 4.0 - 2.0).collect();
        let (mut z1, mut c1, mut h1) = (z0.clone(), c0.clone(), vec![0.0; 40]);
        let (mut z2, mut c2, mut h2) = (z0.clone(), c0.clone(), vec![0.0; 40]);
        lstm_cell(&mut z1, &mut c1, &mut h1);
        cell_generic(&mut z2, &mut c2, &mut h2);
        for (a, b) in z1.iter().chain(&c1).chain(&h1).zip(z2.iter().chain(&c2).chain(&h2)) {
            assert!((a - b).abs() < 2e-6, "{a} vs {b}");
        }
        assert!((h[0] - sigmoid(-1.0 + 6.0 * 0.3) * want_c0.tanh()).abs() < 1e-6);
    }

    #[test]
    fn gemm_matches_naive_in_every_layout() {
        let mut r = Rng::new(1);
        let (m, k, n) = (5, 7, 3);
        let a: Vec<f32> = (0..m * k).map(|_| r.uniform() - 0.5).collect();
        let b: Vec<f32> = (0..k * n).map(|_| r.uniform() - 0.5).collect();
        for ta in [false, true] {
            for tb in [false, true] {
                let want = naive(m, k, n, &a, ta, &b, tb);
                let mut got = vec![1.0; m * n];
                gemm(m, k, n, &a, ta, &b, tb, &mut got, 0.0);
                for (x, y) in got.iter().zip(&want) {
                    assert!((x - y).abs() < 1e-5, "{ta} {tb}");
                }
            }
        }
    }
}
