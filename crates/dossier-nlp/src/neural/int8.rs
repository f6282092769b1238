//! Int8 matrix products for decoding: weights quantised per output column, inputs in
//! [-1, 1] (LSTM outputs) quantised with the fixed scale 1/127. On processors with
//! AVX-512 VNNI the products run four int8 multiply-adds per 32-bit lane and instruction
//! (`vpdpbusd`); elsewhere a scalar loop computes the very same integers, so both give
//! identical results.

/// A k x n weight matrix in int8, packed for `vpdpbusd`: groups of four consecutive k
/// for each output column, 16 columns per 64-byte block.
#[derive(Debug, Clone, Default)]
pub(crate) struct QMat {
    k: usize,
    n: usize,
    /// k rounded up to a multiple of 4.
    kp: usize,
    /// n rounded up to a multiple of 16.
    np: usize,
    /// `[kp / 4][np][4]`.
    data: Vec<i8>,
    /// Per column (np of them, zero beyond n): weight scale / 127 (the input scale).
    scale: Vec<f32>,
    /// Per column (np): 128 x the sum of its int8 weights (the input offset's share).
    offset: Vec<i32>,
}

/// An input value in [-1, 1] as an unsigned byte: round(x * 127) + 128 (ties to even).
#[inline(always)]
fn quantize(x: f32) -> u8 {
    ((x * 127.0).round_ties_even().clamp(-127.0, 127.0) as i32 + 128) as u8
}

#[inline(always)]
fn quantize_rows_generic(x: &[f32], k: usize, q: &mut [u8], kp: usize) {
    for (xr, qr) in x.chunks_exact(k).zip(q.chunks_exact_mut(kp)) {
        for (v, o) in xr.iter().zip(qr.iter_mut()) {
            *o = quantize(*v);
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn quantize_rows_avx512(x: &[f32], k: usize, q: &mut [u8], kp: usize) {
    use std::arch::x86_64::*;
    let rows = x.len() / k;
    let (lo, hi, off, s) = (_mm512_set1_epi32(-127), _mm512_set1_epi32(127), _mm512_set1_epi32(128), _mm512_set1_ps(127.0));
    for r in 0..rows {
        let mut i = 0;
        while i < k {
            let left = k - i;
            let mask: __mmask16 = if left >= 16 { 0xffff } else { (1u16 << left) - 1 };
            let v = _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, x.as_ptr().add(r * k + i)), s);
            // Rounds to nearest, ties to even (the default rounding mode), as `quantize`.
            let n = _mm512_add_epi32(_mm512_min_epi32(_mm512_max_epi32(_mm512_cvtps_epi32(v), lo), hi), off);
            _mm512_mask_cvtepi32_storeu_epi8(q.as_mut_ptr().add(r * kp + i) as *mut _, mask, n);
            i += 16;
        }
    }
}

/// Quantises `rows` rows of `x` (k wide) into `q` (kp wide, padding left at 128).
fn quantize_rows(x: &[f32], rows: usize, k: usize, q: &mut [u8], kp: usize) {
    let x = &x[..rows * k];
    let q = &mut q[..rows * kp];
    #[cfg(target_arch = "x86_64")]
    {
        if vnni() {
            // SAFETY: the features were detected at run time.
            return unsafe { quantize_rows_avx512(x, k, q, kp) };
        }
    }
    quantize_rows_generic(x, k, q, kp)
}

impl QMat {
    /// Quantises the row-major k x n matrix `w`.
    pub(crate) fn new(w: &[f32], k: usize, n: usize) -> QMat {
        let kp = k.div_ceil(4) * 4;
        let np = n.div_ceil(16) * 16;
        let mut data = vec![0i8; kp * np];
        // Padded to np so that the vector epilogue can load whole blocks.
        let mut scale = vec![0.0f32; np];
        let mut offset = vec![0i32; np];
        for j in 0..n {
            let max = (0..k).map(|i| w[i * n + j].abs()).fold(0.0f32, f32::max);
            let s = if max > 0.0 { max / 127.0 } else { 1.0 };
            let mut sum = 0i32;
            for i in 0..k {
                let q = (w[i * n + j] / s).round().clamp(-127.0, 127.0) as i8;
                data[((i / 4) * np + j) * 4 + i % 4] = q;
                sum += q as i32;
            }
            scale[j] = s / 127.0;
            offset[j] = 128 * sum;
        }
        QMat { k, n, kp, np, data, scale, offset }
    }

    /// `y = x · W` (or `y += x · W` with `add`), `x` rows x k with values in [-1, 1].
    pub(crate) fn matmul(&self, x: &[f32], rows: usize, y: &mut [f32], add: bool) {
        assert!(x.len() >= rows * self.k && y.len() >= rows * self.n, "qmat: slice too short");
        let mut q = vec![128u8; rows * self.kp];
        quantize_rows(x, rows, self.k, &mut q, self.kp);
        #[cfg(target_arch = "x86_64")]
        {
            if vnni() {
                // SAFETY: the features were detected at run time; slices were checked above.
                unsafe { self.matmul_vnni(&q, rows, y, add) };
                return;
            }
        }
        self.matmul_scalar(&q, rows, y, add);
    }

    fn finish(&self, j: usize, acc: i32) -> f32 {
        (acc - self.offset[j]) as f32 * self.scale[j]
    }

    fn matmul_scalar(&self, q: &[u8], rows: usize, y: &mut [f32], add: bool) {
        for r in 0..rows {
            let qr = &q[r * self.kp..(r + 1) * self.kp];
            for j in 0..self.n {
                let mut acc = 0i32;
                for g in 0..self.kp / 4 {
                    let w = &self.data[(g * self.np + j) * 4..(g * self.np + j) * 4 + 4];
                    for t in 0..4 {
                        acc += qr[g * 4 + t] as i32 * w[t] as i32;
                    }
                }
                let v = self.finish(j, acc);
                let out = &mut y[r * self.n + j];
                *out = if add { *out + v } else { v };
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    unsafe fn matmul_vnni(&self, q: &[u8], rows: usize, y: &mut [f32], add: bool) {
        let blocks = self.np / 16;
        let mut r0 = 0;
        while r0 < rows {
            let nr = (rows - r0).min(4);
            // Four 16-column blocks at a time: each weight load then feeds four rows and
            // each input broadcast four blocks (16 accumulators in registers).
            let mut jb = 0;
            while jb + 4 <= blocks {
                self.tile_vnni::<4>(q, r0, nr, jb, y, add);
                jb += 4;
            }
            while jb < blocks {
                self.tile_vnni::<1>(q, r0, nr, jb, y, add);
                jb += 1;
            }
            r0 += nr;
        }
    }

    /// Rows `r0..r0 + nr` (nr <= 4) by the `NB` 16-column blocks from `jb`.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    #[inline]
    unsafe fn tile_vnni<const NB: usize>(&self, q: &[u8], r0: usize, nr: usize, jb: usize, y: &mut [f32], add: bool) {
        use std::arch::x86_64::*;
        // Rows beyond the last repeat it; their results are not stored.
        let rp = |i: usize| q.as_ptr().add((r0 + i.min(nr - 1)) * self.kp) as *const i32;
        let p = [rp(0), rp(1), rp(2), rp(3)];
        let mut acc = [[_mm512_setzero_si512(); NB]; 4];
        let mut wp = self.data.as_ptr().add(jb * 64);
        for g in 0..self.kp / 4 {
            let mut w = [_mm512_setzero_si512(); NB];
            for (b, wb) in w.iter_mut().enumerate() {
                *wb = _mm512_loadu_si512(wp.add(b * 64) as *const _);
            }
            for (i, row) in acc.iter_mut().enumerate() {
                let x = _mm512_set1_epi32(p[i].add(g).read_unaligned());
                for (a, wb) in row.iter_mut().zip(&w) {
                    *a = _mm512_dpbusd_epi32(*a, x, *wb);
                }
            }
            wp = wp.add(self.np * 4);
        }
        for b in 0..NB {
            let j0 = (jb + b) * 16;
            let off = _mm512_loadu_si512(self.offset.as_ptr().add(j0) as *const _);
            let sc = _mm512_loadu_ps(self.scale.as_ptr().add(j0));
            let left = self.n.saturating_sub(j0);
            let mask: __mmask16 = if left >= 16 { 0xffff } else { (1u16 << left) - 1 };
            for (i, row) in acc.iter().enumerate().take(nr) {
                let mut v = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(row[b], off)), sc);
                let out = y.as_mut_ptr().add((r0 + i) * self.n + j0);
                if add {
                    v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(mask, out));
                }
                _mm512_mask_storeu_ps(out, mask, v);
            }
        }
    }
}

/// Whether this processor has AVX-512 VNNI (checked once).
#[cfg(target_arch = "x86_64")]
pub(crate) fn vnni() -> bool {
    use std::sync::OnceLock;
    static HAS: OnceLock<bool> = OnceLock::new();
    *HAS.get_or_init(|| {
        std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("avx512bw") && std::is_x86_feature_detected!("avx512vnni")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neural::math::{gemm, Rng};

    #[test]
    fn int8_products_match_f32_and_both_kernels_agree() {
        let mut rng = Rng::new(11);
        for (rows, k, n) in [(1, 5, 3), (7, 130, 40), (4, 256, 512), (9, 64, 16), (6, 96, 67), (5, 192, 384), (3, 128, 100)] {
            let w: Vec<f32> = (0..k * n).map(|_| rng.uniform() - 0.5).collect();
            let x: Vec<f32> = (0..rows * k).map(|_| rng.uniform() * 2.0 - 1.0).collect();
            let qm = QMat::new(&w, k, n);
            let mut want = vec![0.0; rows * n];
            gemm(rows, k, n, &x, false, &w, false, &mut want, 0.0);
            let mut got = vec![0.0; rows * n];
            qm.matmul(&x, rows, &mut got, false);
            let mut q = vec![128u8; rows * qm.kp];
            quantize_rows_generic(&x, k, &mut q, qm.kp);
            let mut q2 = vec![128u8; rows * qm.kp];
            quantize_rows(&x, rows, k, &mut q2, qm.kp);
            assert_eq!(q, q2);
            let mut scalar = vec![1.0; rows * n];
            qm.matmul_scalar(&q, rows, &mut scalar, false);
            assert_eq!(got, scalar, "{rows}x{k}x{n}");
            let tol = 0.02 * (k as f32).sqrt();
            for (a, b) in got.iter().zip(&want) {
                assert!((a - b).abs() < tol, "{a} vs {b}");
            }
            let mut acc = want.clone();
            qm.matmul(&x, rows, &mut acc, true);
            for ((a, b), c) in acc.iter().zip(&want).zip(&got) {
                assert!((a - (b + c)).abs() < 1e-4);
            }
        }
    }
}
