/*
 * TinyForge DSP blocks in portable C99 (float32). See tf_dsp.h; the Python blocks in
 * workers/dsp/ are the reference, and the parity tests hold both to the same features.
 */
#include "tf_dsp.h"

#include <math.h>
#include <string.h>

/* Partial sums are flushed every SUM_BLOCK samples so rounding grows with n / SUM_BLOCK + SUM_BLOCK
 * instead of n (long windows stay accurate in float32). */
#define SUM_BLOCK 64u

/* ------------------------------------------------------------------------------------------ */
/* Moments */

/* The mean is kept as two floats, mean = hi + lo: a compensated (Kahan) sum gives the sum to
 * nearly double precision, and lo is what rounding the mean to float32 lost. Centring as
 * (x - hi) - lo is then as accurate as the deviations themselves: a big offset with a small
 * variation keeps its skewness and kurtosis, a constant signal has exactly zero variance, and the
 * average of large values of both signs stays exact to the float32 output. */
typedef struct {
    float hi;
    float lo;
    float variance; /* 0 when constant */
    int constant;
} tf_centre_t;

/* The scaled input sample i of a strided axis. */
static float sample_at(const float *x, uint32_t i, uint32_t stride, float scale)
{
    return x[i * stride] * scale;
}

static tf_centre_t centre(const float *x, uint32_t n, uint32_t stride, float scale)
{
    tf_centre_t c;
    float sum = 0.0f, lost = 0.0f, s2 = 0.0f, p2 = 0.0f, var, mean;
    const float nf = (float)n;
    uint32_t i;

    for (i = 0; i < n; i++) {
        const float y = sample_at(x, i, stride, scale) - lost;
        const float t = sum + y;
        lost = (t - sum) - y;
        sum = t;
    }
    c.hi = sum / nf;
    c.lo = (fmaf(-c.hi, nf, sum) - lost) / nf; /* fmaf: sum - hi * n without rounding hi * n */
    for (i = 0; i < n; i++) {
        const float d = (sample_at(x, i, stride, scale) - c.hi) - c.lo;
        p2 += d * d;
        if ((i + 1u) % SUM_BLOCK == 0u) {
            s2 += p2;
            p2 = 0.0f;
        }
    }
    var = (s2 + p2) / nf;
    mean = c.hi + c.lo;
    c.constant = var <= TF_DSP_CONSTANT_REL_EPS * (var + mean * mean) + TF_DSP_CONSTANT_ABS_EPS;
    c.variance = c.constant ? 0.0f : var;
    return c;
}

/* Skewness and excess kurtosis of a non-constant signal, from standardised values. */
static void shape(const float *x, uint32_t n, uint32_t stride, float scale, const tf_centre_t *c,
                  float *skewness, float *kurtosis)
{
    float s3 = 0.0f, s4 = 0.0f, p3 = 0.0f, p4 = 0.0f;
    const float inv_std = 1.0f / sqrtf(c->variance);
    uint32_t i;

    for (i = 0; i < n; i++) {
        const float z = ((sample_at(x, i, stride, scale) - c->hi) - c->lo) * inv_std;
        const float z2 = z * z;
        p3 += z2 * z;
        p4 += z2 * z2;
        if ((i + 1u) % SUM_BLOCK == 0u) {
            s3 += p3;
            s4 += p4;
            p3 = 0.0f;
            p4 = 0.0f;
        }
    }
    *skewness = (s3 + p3) / (float)n;
    *kurtosis = (s4 + p4) / (float)n - 3.0f;
}

/* ------------------------------------------------------------------------------------------ */
/* Raw and flatten: read the window in place, no scratch. */

static void run_raw(const tf_dsp_raw_config_t *cfg, const tf_dsp_block_t *block, const float *window,
                    uint32_t n, uint32_t stride, float *out)
{
    uint32_t i, a;
    for (i = 0; i < n; i++) {
        const float *row = window + i * stride;
        for (a = 0; a < block->axes_count; a++) {
            *out++ = row[block->axes[a]] * cfg->scale;
        }
    }
}

static float *run_flatten_axis(const tf_dsp_flatten_config_t *cfg, const float *x, uint32_t n,
                               uint32_t stride, float *out)
{
    float lo = sample_at(x, 0, stride, cfg->scale), hi = lo, sq = 0.0f, part = 0.0f;
    float skewness = 0.0f, kurtosis = 0.0f;
    uint32_t i;
    tf_centre_t c = centre(x, n, stride, cfg->scale);

    for (i = 0; i < n; i++) {
        const float v = sample_at(x, i, stride, cfg->scale);
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        part += v * v;
        if ((i + 1u) % SUM_BLOCK == 0u) {
            sq += part;
            part = 0.0f;
        }
    }
    if (!c.constant && (cfg->stats & (TF_DSP_FLATTEN_SKEWNESS | TF_DSP_FLATTEN_KURTOSIS))) {
        shape(x, n, stride, cfg->scale, &c, &skewness, &kurtosis);
    }
    if (cfg->stats & TF_DSP_FLATTEN_AVERAGE) *out++ = c.hi + c.lo;
    if (cfg->stats & TF_DSP_FLATTEN_MINIMUM) *out++ = lo;
    if (cfg->stats & TF_DSP_FLATTEN_MAXIMUM) *out++ = hi;
    if (cfg->stats & TF_DSP_FLATTEN_RMS) *out++ = sqrtf((sq + part) / (float)n);
    if (cfg->stats & TF_DSP_FLATTEN_STDEV) *out++ = sqrtf(c.variance);
    if (cfg->stats & TF_DSP_FLATTEN_SKEWNESS) *out++ = skewness;
    if (cfg->stats & TF_DSP_FLATTEN_KURTOSIS) *out++ = kurtosis;
    return out;
}

/* ------------------------------------------------------------------------------------------ */
/* Real FFT: an n/2-point complex radix-2 FFT of the packed signal, then the split step, evaluated
 * only for the bins the features need. Twiddles come from a quarter sine table in flash. */

typedef struct {
    const float *quarter_sin; /* sin(2 pi i / table_n), i = 0 .. table_n / 4 */
    uint32_t table_n;
} tf_twiddles_t;

/* cos and sin of 2 pi m / n for 0 <= m <= n / 2. */
static void twiddle(const tf_twiddles_t *tw, uint32_t m, uint32_t n, float *cs, float *sn)
{
    const uint32_t q = tw->table_n / 4u;
    const uint32_t t = m * (tw->table_n / n);
    if (t <= q) {
        *sn = tw->quarter_sin[t];
        *cs = tw->quarter_sin[q - t];
    } else {
        *sn = tw->quarter_sin[2u * q - t];
        *cs = -tw->quarter_sin[t - q];
    }
}

/* Small functions in the FFT's loops: inlined even at -Os (the call costs more than the body). */
#if defined(__GNUC__)
#define TF_INLINE static inline __attribute__((always_inline))
#define TF_NOINLINE __attribute__((noinline))
#else
#define TF_INLINE static
#define TF_NOINLINE
#endif

/* w = wr - i ws = exp(-2 pi i t / table_n) for 0 <= t <= table_n / 2. */
TF_INLINE void table_twiddle(const tf_twiddles_t *tw, uint32_t t, float *wr, float *ws)
{
    const uint32_t q = tw->table_n / 4u;
    const float *qs = tw->quarter_sin;
    if (t <= q) {
        *ws = qs[t];
        *wr = qs[q - t];
    } else {
        *ws = qs[2u * q - t];
        *wr = -qs[t - q];
    }
}

/* In-place complex FFT of h points, z interleaved {re, im}; n = 2 h is the real FFT length.
 * `reordered`: z is already in bit-reversed order (the caller wrote it so).
 * Radix 2, decimation in time: the first stage (twiddle 1) without multiplications, then two
 * stages per pass over the data (same arithmetic as one stage at a time, half the loads and
 * stores), and a last single stage when the count is odd. */
static void complex_fft(const tf_twiddles_t *tw, float *z, uint32_t h, int reordered)
{
    const uint32_t unit = tw->table_n / (2u * h); /* table steps per 2 pi / n */
    float *const end = z + 2 * h;
    uint32_t i, j, bit, len;

    for (i = 1, j = 0; i < h && !reordered; i++) {
        for (bit = h >> 1; j & bit; bit >>= 1) {
            j ^= bit;
        }
        j ^= bit;
        if (i < j) {
            float t = z[2 * i];
            z[2 * i] = z[2 * j];
            z[2 * j] = t;
            t = z[2 * i + 1];
            z[2 * i + 1] = z[2 * j + 1];
            z[2 * j + 1] = t;
        }
    }
    for (i = 0; i + 1u < h; i += 2u) {
        float *a = z + 2 * i;
        const float br = a[2], bi = a[3];
        a[2] = a[0] - br;
        a[3] = a[1] - bi;
        a[0] += br;
        a[1] += bi;
    }
    for (len = 4; 2u * len <= h; len <<= 2) {
        /* stage `len` on (i, i + half) and (i + len, i + len + half), then stage 2 len on
         * (i, i + len) and (i + half, i + len + half) */
        const uint32_t half = len >> 1;
        for (j = 0; j < half; j++) {
            float w1r, w1s, w2r, w2s, w3r, w3s;
            float *p0 = z + 2 * j;
            table_twiddle(tw, 2u * j * (h / len) * unit, &w1r, &w1s);
            table_twiddle(tw, j * (h / len) * unit, &w2r, &w2s);
            table_twiddle(tw, (j + half) * (h / len) * unit, &w3r, &w3s);
            for (; p0 < end; p0 += 4 * len) {
                float *p1 = p0 + 2 * half, *p2 = p0 + 2 * len, *p3 = p2 + 2 * half;
                const float x0r = p0[0], x0i = p0[1], x1r = p1[0], x1i = p1[1];
                const float x2r = p2[0], x2i = p2[1], x3r = p3[0], x3i = p3[1];
                const float t1r = x1r * w1r + x1i * w1s, t1i = x1i * w1r - x1r * w1s;
                const float t3r = x3r * w1r + x3i * w1s, t3i = x3i * w1r - x3r * w1s;
                const float y0r = x0r + t1r, y0i = x0i + t1i, y1r = x0r - t1r, y1i = x0i - t1i;
                const float y2r = x2r + t3r, y2i = x2i + t3i, y3r = x2r - t3r, y3i = x2i - t3i;
                const float u2r = y2r * w2r + y2i * w2s, u2i = y2i * w2r - y2r * w2s;
                const float u3r = y3r * w3r + y3i * w3s, u3i = y3i * w3r - y3r * w3s;
                p0[0] = y0r + u2r;
                p0[1] = y0i + u2i;
                p2[0] = y0r - u2r;
                p2[1] = y0i - u2i;
                p1[0] = y1r + u3r;
                p1[1] = y1i + u3i;
                p3[0] = y1r - u3r;
                p3[1] = y1i - u3i;
            }
        }
    }
    if (len <= h) { /* one stage left */
        const uint32_t half = len >> 1;
        for (j = 0; j < half; j++) {
            float wr, ws;
            float *a = z + 2 * j;
            table_twiddle(tw, 2u * j * (h / len) * unit, &wr, &ws);
            for (; a < end; a += 2 * len) {
                float *b = a + 2 * half;
                const float ar = a[0], ai = a[1], br = b[0], bi = b[1];
                const float tr = br * wr + bi * ws, ti = bi * wr - br * ws;
                a[0] = ar + tr;
                a[1] = ai + ti;
                b[0] = ar - tr;
                b[1] = ai - ti;
            }
        }
    }
}

/* power[k] = |X_k|^2 * scale of the real FFT, k = 0 .. h, from the complex FFT z of the packed
 * signal: bins k and h - k share their inputs and twiddle (cos and sin of pi - x). */
static void real_power(const tf_twiddles_t *tw, const float *z, uint32_t h, float scale, float *power)
{
    const uint32_t q = tw->table_n / 4u, unit = tw->table_n / (2u * h);
    const float *qs = tw->quarter_sin;
    uint32_t k;
    power[0] = (z[0] + z[1]) * (z[0] + z[1]) * scale;
    power[h] = (z[0] - z[1]) * (z[0] - z[1]) * scale;
    for (k = 1; 2u * k <= h; k++) {
        const float *zk = z + 2 * k, *zm = z + 2 * (h - k);
        const float a = zk[0], b = zk[1], c = zm[0], d = zm[1];
        const float er = 0.5f * (a + c), ei = 0.5f * (b - d);
        const float or_ = 0.5f * (b + d), oi = -0.5f * (a - c);
        const uint32_t t = k * unit; /* < q: the angle is below pi / 2 */
        const float ws = qs[t], wr = qs[q - t];
        const float p = wr * or_ + ws * oi, r = wr * oi - ws * or_;
        float xr = er + p, xi = ei + r;
        power[k] = (xr * xr + xi * xi) * scale;
        xr = er - p;
        xi = r - ei;
        power[h - k] = (xr * xr + xi * xi) * scale;
    }
}

/* |X_k|^2 of the real FFT from the complex FFT z of the packed signal (0 <= k <= h). */
static float bin_power(const tf_twiddles_t *tw, const float *z, uint32_t h, uint32_t k)
{
    const uint32_t kk = k % h, mk = (h - k) % h;
    const float a = z[2 * kk], b = z[2 * kk + 1], c = z[2 * mk], d = z[2 * mk + 1];
    const float er = 0.5f * (a + c), ei = 0.5f * (b - d);
    const float or_ = 0.5f * (b + d), oi = -0.5f * (a - c);
    float wr, ws, xr, xi;
    twiddle(tw, k, 2u * h, &wr, &ws);
    xr = er + wr * or_ + ws * oi;
    xi = ei + wr * oi - ws * or_;
    return xr * xr + xi * xi;
}

/* ------------------------------------------------------------------------------------------ */
/* Spectral analysis, one axis: sig (window_len floats) and fft (fft_length floats) are scratch. */

/* log10 with + - * / only, so every IEEE float target (host, Cortex-M, AVR) gives the same bits
 * (C libraries' log10f differ by an ulp). x = m 2^e with m in [sqrt(1/2), sqrt(2)); ln m from the
 * atanh series of s = (m - 1) / (m + 1), |s| <= 0.172. Error ~2 ulp, far inside the parity bound. */
static TF_NOINLINE float portable_log10f(float x)
{
    uint32_t bits;
    int32_t e;
    float m, s, s2, ln_m;
    if (!(x > 0.0f) || x > 3.4e38f) {
        return log10f(x);
    }
    memcpy(&bits, &x, sizeof bits);
    if ((bits >> 23) == 0u) { /* subnormal: scale into the normal range first */
        return portable_log10f(x * 16777216.0f) - 7.22471989f;
    }
    e = (int32_t)(bits >> 23) - 127;
    bits = (bits & 0x007FFFFFu) | 0x3F800000u;
    memcpy(&m, &bits, sizeof m);
    if (m > 1.41421356f) {
        m *= 0.5f;
        e += 1;
    }
    s = (m - 1.0f) / (m + 1.0f);
    s2 = s * s;
    ln_m = 2.0f * s * (1.0f + s2 * (0.333333343f + s2 * (0.2f + s2 * (0.142857149f + s2 * 0.111111112f))));
    /* e * log10(2), split so the large part is exact */
    return (float)e * 0.301025390625f + ((float)e * 4.60503907e-06f + ln_m * 0.434294492f);
}

/* Natural log in the same portable way (x > 0 finite; anything else goes to logf). */
static float portable_lnf(float x)
{
    uint32_t bits;
    int32_t e;
    float m, s, s2, ln_m;
    if (!(x > 0.0f) || x > 3.4e38f) {
        return logf(x);
    }
    memcpy(&bits, &x, sizeof bits);
    if ((bits >> 23) == 0u) {
        return portable_lnf(x * 16777216.0f) - 16.6355323f;
    }
    e = (int32_t)(bits >> 23) - 127;
    bits = (bits & 0x007FFFFFu) | 0x3F800000u;
    memcpy(&m, &bits, sizeof m);
    if (m > 1.41421356f) {
        m *= 0.5f;
        e += 1;
    }
    s = (m - 1.0f) / (m + 1.0f);
    s2 = s * s;
    ln_m = 2.0f * s * (1.0f + s2 * (0.333333343f + s2 * (0.2f + s2 * (0.142857149f + s2 * 0.111111112f))));
    /* e * ln(2), split so the large part is exact */
    return (float)e * 0.693145751953125f + ((float)e * 1.42860677e-06f + ln_m);
}

/* Version 2's spectrum: per bin the maximum of |X_k|^2 / N over frames starting at 0, hop, ...
 * while the start is inside the window, zero-padded past its end (a frame starting at the end is
 * all zeros and cannot raise a maximum). */
static void max_hold_spectrum(const tf_dsp_spectral_config_t *cfg, const tf_twiddles_t *tw,
                              const float *sig, uint32_t n, float *fft, float *spec)
{
    const uint32_t nfft = cfg->fft_length, h = nfft / 2u;
    const float inv_n = 1.0f / (float)nfft;
    uint32_t start, i, k;

    for (k = 0; k <= h; k++) {
        spec[k] = 0.0f;
    }
    for (start = 0; start < n; start += cfg->hop) {
        for (i = 0; i < nfft; i++) {
            fft[i] = start + i < n ? sig[start + i] : 0.0f;
        }
        complex_fft(tw, fft, h, 0);
        real_power(tw, fft, h, inv_n, spec + h + 1u);
        for (k = 0; k <= h; k++) {
            const float p = spec[h + 1u + k];
            spec[k] = p > spec[k] ? p : spec[k];
        }
    }
}

/* The parts of one spectral axis (and the log) are kept out of line (TF_NOINLINE): inlined into
 * one function they would share one stack frame holding the locals of all of them at once, with
 * the FFT's frame on top of it (the deployed library's RAM is its static buffers plus this peak). */

/* Scales and filters the axis into sig, writes RMS, skewness and kurtosis, and centres sig (all
 * zeros when constant). Returns the variance. */
static TF_NOINLINE float spectral_time_stats(const tf_dsp_spectral_config_t *cfg, const float *x, uint32_t n,
                                             uint32_t stride, float *sig, float *out)
{
    float skewness = 0.0f, kurtosis = 0.0f;
    uint32_t i, s;
    tf_centre_t c;

    for (i = 0; i < n; i++) {
        sig[i] = sample_at(x, i, stride, cfg->scale);
    }
    for (s = 0; s < cfg->sections; s++) {
        /* Direct form II transposed, as scipy.signal.sosfilt, from a zero state. */
        const float *q = cfg->sos + 5u * s;
        const float b0 = q[0], b1 = q[1], b2 = q[2], a1 = q[3], a2 = q[4];
        float z1 = 0.0f, z2 = 0.0f;
        for (i = 0; i < n; i++) {
            const float v = sig[i];
            const float y = b0 * v + z1;
            z1 = b1 * v - a1 * y + z2;
            z2 = b2 * v - a2 * y;
            sig[i] = y;
        }
    }
    c = centre(sig, n, 1u, 1.0f);
    if (!c.constant) {
        shape(sig, n, 1u, 1.0f, &c, &skewness, &kurtosis);
    }
    for (i = 0; i < n; i++) {
        sig[i] = c.constant ? 0.0f : (sig[i] - c.hi) - c.lo;
    }
    out[0] = sqrtf(c.variance);
    out[1] = skewness;
    out[2] = kurtosis;
    return c.variance;
}

/* Version 1: each band's power summed over the frames (not yet averaged). */
static TF_NOINLINE void averaged_band_power(const tf_dsp_spectral_config_t *cfg, const tf_twiddles_t *tw,
                                            const float *sig, uint32_t n, float *fft, float *power)
{
    const uint32_t nfft = cfg->fft_length, h = nfft / 2u;
    uint32_t i, f, b, k;

    for (b = 0; b < cfg->bands; b++) {
        power[b] = 0.0f;
    }
    for (f = 0; f < cfg->frames; f++) {
        uint32_t start = f * (uint32_t)cfg->hop;
        if (start > n - nfft) {
            start = n - nfft;
        }
        for (i = 0; i < nfft; i++) {
            fft[i] = sig[start + i];
        }
        complex_fft(tw, fft, h, 0);
        for (b = 0; b < cfg->bands; b++) {
            const uint16_t *bins = cfg->band_bins + 2u * b;
            for (k = bins[0]; k < bins[1]; k++) {
                power[b] += bin_power(tw, fft, h, k);
            }
        }
    }
}

/* Version 2: spectral skewness and kurtosis of the max-hold spectrum into shape_out[0..1], each
 * band's summed maximum power into power. */
static TF_NOINLINE void max_hold_band_power(const tf_dsp_spectral_config_t *cfg, const tf_twiddles_t *tw,
                                            const float *sig, uint32_t n, float *fft, float *shape_out,
                                            float *power)
{
    const uint32_t h = cfg->fft_length / 2u;
    float *spec = fft + cfg->fft_length; /* 2 (h + 1) floats: the maximum, one frame's power */
    uint32_t b, k;
    tf_centre_t sc;

    max_hold_spectrum(cfg, tw, sig, n, fft, spec);
    sc = centre(spec, h + 1u, 1u, 1.0f);
    shape_out[0] = 0.0f;
    shape_out[1] = 0.0f;
    if (!sc.constant) {
        shape(spec, h + 1u, 1u, 1.0f, &sc, &shape_out[0], &shape_out[1]);
    }
    for (b = 0; b < cfg->bands; b++) {
        const uint16_t *bins = cfg->band_bins + 2u * b;
        float sum = 0.0f;
        for (k = bins[0]; k < bins[1]; k++) {
            sum += spec[k];
        }
        power[b] = sum;
    }
}

static float *run_spectral_axis(const tf_dsp_spectral_config_t *cfg, const float *x, uint32_t n,
                                uint32_t stride, float *sig, float *fft, float *out)
{
    const uint32_t stats = cfg->max_hold ? 5u : 3u;
    const tf_twiddles_t tw = {cfg->quarter_sin, cfg->table_n};
    float *power = out + stats;
    float norm, variance;
    uint32_t b;

    variance = spectral_time_stats(cfg, x, n, stride, sig, out);
    if (cfg->max_hold) {
        max_hold_band_power(cfg, &tw, sig, n, fft, out + 3, power);
        norm = 1.0f;
    } else {
        averaged_band_power(cfg, &tw, sig, n, fft, power);
        norm = 1.0f / ((float)cfg->fft_length * (float)cfg->frames);
    }
    for (b = 0; b < cfg->bands; b++) {
        const uint16_t *bins = cfg->band_bins + 2u * b;
        float p = power[b] * norm / (float)(bins[1] - bins[0]);
        if (cfg->take_log) {
            p = portable_log10f(p + (TF_DSP_LOG_FLOOR_ABS + TF_DSP_LOG_FLOOR_REL * variance));
        }
        power[b] = p;
    }
    return out + stats + cfg->bands;
}

/* ------------------------------------------------------------------------------------------ */
/* Audio blocks (MFCC, MFE, spectrogram): one frame at a time into its row of frames x coefficients.
 * Scratch: fft (fft_length floats), power (fft_length / 2 + 1), mel (filters); with the MFCC
 * normalization, frames x coefficients + 4 coefficients floats afterwards (same memory). */

/* The pre-emphasised frame `f`, cut or zero-padded to fft_length, into its power spectrum
 * |X_k|^2 / fft_length, k = 0 .. fft_length / 2. */
static void audio_frame_power(const tf_dsp_audio_config_t *cfg, const float *x, uint32_t n,
                              uint32_t stride, uint32_t f, float *fft, float *power)
{
    const uint32_t nfft = cfg->fft_length, h = nfft / 2u, start = f * cfg->frame_stride;
    const uint32_t used = cfg->frame_length < nfft ? cfg->frame_length : nfft;
    const uint32_t shift = cfg->pre_shift;
    const tf_twiddles_t tw = {cfg->quarter_sin, cfg->table_n};
    const float scale = cfg->input_scale, cof = cfg->pre_cof;
    const int32_t back = -(int32_t)(shift * stride);
    const uint16_t *rev = cfg->bit_reverse;
    const float *cur = x + start * stride;
    uint32_t i = 0;

    /* Sample i goes to fft[2 rev[i / 2] + i % 2]: the complex FFT's input order (pairs of samples
     * are its complex points), so it skips its own reordering pass. (x - cof x') * scale equals
     * x * scale - cof * (x' * scale) exactly: scale is 1 or a power of two. */
#define TF_FRAME_SLOT(i) (2u * (uint32_t)rev[(i) >> 1] + ((i) & 1u))
    if (cof != 0.0f) {
        /* the first `shift` samples of the window take their delayed sample from its end */
        for (; i < used && (start + i < shift || (i & 1u)); i++, cur += stride) {
            const float *prev = start + i < shift ? x + (start + i + n - shift) * stride : cur + back;
            fft[TF_FRAME_SLOT(i)] = (cur[0] - cof * prev[0]) * scale;
        }
        for (; i + 1u < used; i += 2u, cur += 2u * stride) {
            float *slot = fft + 2u * (uint32_t)rev[i >> 1];
            slot[0] = (cur[0] - cof * cur[back]) * scale;
            slot[1] = (cur[stride] - cof * cur[(int32_t)stride + back]) * scale;
        }
        if (i < used) {
            fft[TF_FRAME_SLOT(i)] = (cur[0] - cof * cur[back]) * scale;
            i++;
        }
    } else {
        for (; i < used; i++, cur += stride) {
            fft[TF_FRAME_SLOT(i)] = cur[0] * scale;
        }
    }
    for (; i < nfft; i++) {
        fft[TF_FRAME_SLOT(i)] = 0.0f;
    }
#undef TF_FRAME_SLOT
    complex_fft(&tw, fft, h, 1);
    real_power(&tw, fft, h, 1.0f / (float)nfft, power);
}

/* Mel filter energies of one power spectrum; an exact zero becomes TF_DSP_ZERO_STANDIN. */
TF_INLINE float mel_energy(const tf_dsp_audio_config_t *cfg, const float *power, uint32_t filter,
                        const float **weights)
{
    const uint16_t *band = cfg->filter_bins + 2u * filter;
    const float *w = *weights;
    float e = 0.0f;
    uint32_t j;
    for (j = 0; j < band[1]; j++) {
        e += w[j] * power[band[0] + j];
    }
    *weights = w + band[1];
    return e == 0.0f ? TF_DSP_ZERO_STANDIN : e;
}

/* (10 log10(max(p, floor)) - noise floor) / (12 dB - noise floor) */
static float db_above_floor(float p, float noise_floor_db)
{
    const float db = 10.0f * portable_log10f(p > TF_DSP_DB_FLOOR ? p : TF_DSP_DB_FLOOR);
    return (db - noise_floor_db) / (12.0f - noise_floor_db);
}

/* Round half to even for 0 <= v < 2^22 without libm (rintf is a library call on a Cortex-M4). */
static float round_even(float v)
{
    volatile float big = 8388608.0f; /* volatile: keep (v + 2^23) - 2^23 from being folded */
    return (v + big) - big;
}

/* One frame's coefficients into row[0 .. coefficients). */
static void audio_frame(const tf_dsp_block_t *block, const float *x, uint32_t n, uint32_t stride,
                        uint32_t f, float *scratch, float *row)
{
    const tf_dsp_audio_config_t *cfg = (const tf_dsp_audio_config_t *)block->config;
    const uint32_t h = cfg->fft_length / 2u;
    float *fft = scratch, *power = block->type == TF_DSP_SPECTROGRAM ? row : scratch + cfg->fft_length;
    float *mel = power + h + 1u;
    const float *weights = cfg->filter_weights;
    uint32_t i, k, c;

    audio_frame_power(cfg, x, n, stride, f, fft, power);
    if (block->type == TF_DSP_SPECTROGRAM) {
        for (k = 0; k <= h; k++) {
            const float v = db_above_floor(row[k], cfg->noise_floor_db);
            row[k] = v > 0.0f ? v : 0.0f;
        }
    } else if (block->type == TF_DSP_MFE) {
        for (i = 0; i < cfg->filters; i++) {
            float v = db_above_floor(mel_energy(cfg, power, i, &weights), cfg->noise_floor_db);
            v = round_even((v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v) * 256.0f);
            row[i] = (v > 255.0f ? 255.0f : v) * (1.0f / 256.0f);
        }
    } else {
        float total = 0.0f;
        for (k = 0; k <= h; k++) {
            total += power[k];
        }
        for (i = 0; i < cfg->filters; i++) {
            mel[i] = portable_lnf(mel_energy(cfg, power, i, &weights));
        }
        row[0] = portable_lnf(total == 0.0f ? TF_DSP_ZERO_STANDIN : total);
        for (c = 1; c < cfg->coefficients; c++) {
            const float *d = cfg->dct + (c - 1u) * cfg->filters;
            float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
            for (i = 0; i + 3u < cfg->filters; i += 4u) { /* four sums: fewer loop steps */
                s0 += d[i] * mel[i];
                s1 += d[i + 1u] * mel[i + 1u];
                s2 += d[i + 2u] * mel[i + 2u];
                s3 += d[i + 3u] * mel[i + 3u];
            }
            for (; i < cfg->filters; i++) {
                s0 += d[i] * mel[i];
            }
            row[c] = (s0 + s1) + (s2 + s3);
        }
    }
}

/* The normalization window's padded positions: frames mirrored at both ends (numpy's "symmetric"
 * padding, repeated when the window is longer than the frames). Position p has the phase
 * p mod (2 frames); phase j is frame j, or 2 frames - 1 - j in the mirrored half. */
static uint32_t mirror_phase(int32_t p, uint32_t frames)
{
    const int32_t period = 2 * (int32_t)frames;
    int32_t j = p % period;
    return (uint32_t)(j < 0 ? j + period : j);
}

TF_INLINE uint32_t mirror_row(uint32_t j, uint32_t frames)
{
    return j < frames ? j : 2u * frames - 1u - j;
}

TF_INLINE uint32_t mirror_next(uint32_t j, uint32_t frames)
{
    return j + 1u == 2u * frames ? 0u : j + 1u;
}

/* Sliding mean and variance normalization of v [frames][cols] into out (see workers/dsp/audio.py):
 * out = (v - local mean) / (local std of the mean-removed values + eps), 0 where the spread is
 * below TF_DSP_CONSTANT_REL_STD of the level. Window sums run over deviations from the first frame,
 * so a constant column sums to exact zeros. Pass 1 keeps the local means (as deviations from the
 * first frame) in out; pass 2 runs on groups of columns, as many as `room` scratch floats hold
 * (frames + 2 each: a copy of the column's means and two sums; at least one), and recomputes the
 * mean-removed values from v and the means where needed (the same float operations, so the same
 * bits as keeping them in a frames x cols buffer). Scratch: max(frames + 2, cols) floats at least. */
static void normalize_window(const float *v, uint32_t frames, uint32_t cols, uint32_t win,
                             float *scratch, uint32_t room, float *out)
{
    const int32_t pad = (int32_t)(win - 1u) / 2;
    const float inv_win = 1.0f / (float)win;
    /* padded positions as phases in the mirror's period of 2 frames, stepped without a division:
     * the window's first position, and the positions entering and leaving it at frame 0 */
    const uint32_t first = mirror_phase(-pad, frames), enter = mirror_phase(pad + 1, frames);
    uint32_t group = room / (frames + 2u);
    float *s1 = scratch;
    uint32_t i, c, c0, g, k, j, j_in, j_gone;

    /* pass 1, all columns at once: local means into out */
    for (c = 0; c < cols; c++) {
        s1[c] = 0.0f;
    }
    for (k = 0, j = first; k < win; k++, j = mirror_next(j, frames)) {
        const float *row = v + mirror_row(j, frames) * cols;
        for (c = 0; c < cols; c++) {
            s1[c] += row[c] - v[c];
        }
    }
    for (i = 0, j_in = enter, j_gone = first; i < frames; i++) {
        const float *in = v + mirror_row(j_in, frames) * cols;
        const float *gone = v + mirror_row(j_gone, frames) * cols;
        for (c = 0; c < cols; c++) {
            out[i * cols + c] = s1[c] * inv_win;
            s1[c] += (in[c] - v[c]) - (gone[c] - v[c]);
        }
        j_in = mirror_next(j_in, frames);
        j_gone = mirror_next(j_gone, frames);
    }
    /* pass 2, `group` columns at a time: local spread of the mean-removed values */
    group = group < 1u ? 1u : group > cols ? cols : group;
    for (c0 = 0; c0 < cols; c0 += group) {
        const uint32_t m = cols - c0 < group ? cols - c0 : group;
        float *mean_d = scratch, *t1 = scratch + frames * m, *t2 = t1 + m; /* mean_d [frames][m] */
        const float *base = v + c0;
        for (i = 0; i < frames; i++) {
            for (g = 0; g < m; g++) {
                mean_d[i * m + g] = out[i * cols + c0 + g];
            }
        }
        for (g = 0; g < m; g++) {
            t1[g] = 0.0f;
            t2[g] = 0.0f;
        }
        for (k = 0, j = first; k < win; k++, j = mirror_next(j, frames)) {
            const uint32_t r = mirror_row(j, frames);
            const float *row = v + r * cols + c0, *mean_r = mean_d + r * m;
            for (g = 0; g < m; g++) {
                const float x = (row[g] - base[g]) - mean_r[g];
                t1[g] += x;
                t2[g] += x * x;
            }
        }
        for (i = 0, j_in = enter, j_gone = first; i < frames; i++) {
            const uint32_t r_in = mirror_row(j_in, frames), r_gone = mirror_row(j_gone, frames);
            const float *row_in = v + r_in * cols + c0, *mean_in = mean_d + r_in * m;
            const float *row_gone = v + r_gone * cols + c0, *mean_gone = mean_d + r_gone * m;
            const float *row = v + i * cols + c0, *mean_i = mean_d + i * m;
            for (g = 0; g < m; g++) {
                const float in = (row_in[g] - base[g]) - mean_in[g];
                const float gone = (row_gone[g] - base[g]) - mean_gone[g];
                const float m1 = t1[g] * inv_win, var = t2[g] * inv_win - m1 * m1;
                const float sd = var > 0.0f ? sqrtf(var) : 0.0f;
                const float level = base[g] + mean_i[g];
                const float x = (row[g] - base[g]) - mean_i[g];
                out[i * cols + c0 + g] =
                    sd <= TF_DSP_CONSTANT_REL_STD * (fabsf(level) + 1.0f) ? 0.0f : x / (sd + TF_DSP_NORM_EPS);
                t1[g] += in - gone;
                t2[g] += in * in - gone * gone;
            }
            j_in = mirror_next(j_in, frames);
            j_gone = mirror_next(j_gone, frames);
        }
    }
}

/* An audio block on one axis. With keep > 0 the first `keep` frames of the previous window's
 * rows (moved to the front) are reused, except those the circular pre-emphasis reaches. */
static int run_audio(const tf_dsp_block_t *block, const float *x, uint32_t n, uint32_t stride,
                     uint32_t keep, float *scratch, float *out)
{
    const tf_dsp_audio_config_t *cfg = (const tf_dsp_audio_config_t *)block->config;
    const uint32_t cols = cfg->coefficients, frames = cfg->frames;
    const int normalize = block->type == TF_DSP_MFCC && cfg->norm_window > 0u;
    float *rows = normalize ? cfg->history : out;
    uint32_t f, first_clean = 0;

    if (cfg->fft_length < 4u || cfg->table_n % cfg->fft_length != 0u || cfg->frame_stride == 0u ||
        (frames - 1u) * cfg->frame_stride + cfg->frame_length > n || (normalize && cfg->history == NULL) ||
        cfg->bit_reverse == NULL ||
        (uint32_t)frames * cols != block->features_count) {
        return TF_DSP_ERR_CONFIG;
    }
    if (keep > 0u) {
        memmove(rows, rows + (frames - keep) * cols, (size_t)keep * cols * sizeof(float));
        if (cfg->pre_cof != 0.0f) {
            first_clean = (cfg->pre_shift + cfg->frame_stride - 1u) / cfg->frame_stride;
        }
    }
    for (f = 0; f < frames; f++) {
        if (f < keep && f >= first_clean) {
            continue;
        }
        audio_frame(block, x, n, stride, f, scratch, rows + f * cols);
    }
    if (normalize) {
        const uint32_t room = tf_dsp_block_scratch_floats(block, n);
        normalize_window(rows, frames, cols, cfg->norm_window, scratch, room, out);
    }
    return TF_DSP_OK;
}

/* ------------------------------------------------------------------------------------------ */

uint32_t tf_dsp_block_scratch_floats(const tf_dsp_block_t *block, uint32_t window_len)
{
    if (block->type == TF_DSP_SPECTRAL) {
        const tf_dsp_spectral_config_t *cfg = (const tf_dsp_spectral_config_t *)block->config;
        return window_len + cfg->fft_length + (cfg->max_hold ? 2u * (cfg->fft_length / 2u + 1u) : 0u);
    }
    if (block->type == TF_DSP_MFCC || block->type == TF_DSP_MFE || block->type == TF_DSP_SPECTROGRAM) {
        const tf_dsp_audio_config_t *cfg = (const tf_dsp_audio_config_t *)block->config;
        uint32_t frame = cfg->fft_length;
        if (block->type != TF_DSP_SPECTROGRAM) {
            frame += cfg->fft_length / 2u + 1u + cfg->filters;
        }
        if (block->type == TF_DSP_MFCC && cfg->norm_window > 0u) {
            /* normalize_window: the pass 1 sums, then at least one column's means and sums */
            const uint32_t norm = cfg->frames + 2u > cfg->coefficients ? cfg->frames + 2u : cfg->coefficients;
            return norm > frame ? norm : frame;
        }
        return frame;
    }
    return 0u;
}

int tf_dsp_block_raw(const tf_dsp_block_t *block, const float *window, uint32_t n, uint32_t stride,
                     uint32_t shift, float *out, float *scratch)
{
    (void)shift;
    (void)scratch;
    if (block->type != TF_DSP_RAW || n * block->axes_count != block->features_count) {
        return TF_DSP_ERR_CONFIG;
    }
    run_raw((const tf_dsp_raw_config_t *)block->config, block, window, n, stride, out);
    return TF_DSP_OK;
}

int tf_dsp_block_flatten(const tf_dsp_block_t *block, const float *window, uint32_t n, uint32_t stride,
                         uint32_t shift, float *out, float *scratch)
{
    float *const first = out;
    uint32_t a;
    (void)shift;
    (void)scratch;
    if (block->type != TF_DSP_FLATTEN) {
        return TF_DSP_ERR_CONFIG;
    }
    for (a = 0; a < block->axes_count; a++) {
        out = run_flatten_axis((const tf_dsp_flatten_config_t *)block->config, window + block->axes[a], n, stride,
                               out);
    }
    return (uint32_t)(out - first) == block->features_count ? TF_DSP_OK : TF_DSP_ERR_CONFIG;
}

int tf_dsp_block_spectral(const tf_dsp_block_t *block, const float *window, uint32_t n, uint32_t stride,
                          uint32_t shift, float *out, float *scratch)
{
    const tf_dsp_spectral_config_t *cfg = (const tf_dsp_spectral_config_t *)block->config;
    const uint32_t stats = cfg->max_hold ? 5u : 3u;
    uint32_t a;
    (void)shift;
    if (block->type != TF_DSP_SPECTRAL || cfg->fft_length < 4u || cfg->fft_length > n ||
        cfg->table_n % cfg->fft_length != 0u || (cfg->max_hold && cfg->hop == 0u) ||
        block->axes_count * (stats + cfg->bands) != block->features_count) {
        return TF_DSP_ERR_CONFIG;
    }
    for (a = 0; a < block->axes_count; a++) {
        out = run_spectral_axis(cfg, window + block->axes[a], n, stride, scratch, scratch + n, out);
    }
    return TF_DSP_OK;
}

/* shift: frames reused from the previous window when it is a multiple of the frame stride. */
int tf_dsp_block_audio(const tf_dsp_block_t *block, const float *window, uint32_t n, uint32_t stride,
                       uint32_t shift, float *out, float *scratch)
{
    const tf_dsp_audio_config_t *cfg = (const tf_dsp_audio_config_t *)block->config;
    uint32_t keep = 0u;
    if ((block->type != TF_DSP_MFCC && block->type != TF_DSP_MFE && block->type != TF_DSP_SPECTROGRAM) ||
        block->axes_count != 1u || cfg->frame_stride == 0u) {
        return TF_DSP_ERR_CONFIG;
    }
    if (shift > 0u && shift % cfg->frame_stride == 0u && shift / cfg->frame_stride < cfg->frames) {
        keep = cfg->frames - shift / cfg->frame_stride;
    }
    return run_audio(block, window + block->axes[0], n, stride, keep, scratch, out);
}

static int run_block(const tf_dsp_impulse_t *impulse, const tf_dsp_block_t *block, const float *window,
                     uint32_t shift, float *out, float *scratch)
{
    uint32_t a;
    for (a = 0; a < block->axes_count; a++) {
        if (block->axes[a] >= impulse->axes_count) {
            return TF_DSP_ERR_CONFIG;
        }
    }
    if (block->run == NULL || tf_dsp_block_scratch_floats(block, impulse->window_len) > impulse->scratch_floats) {
        return TF_DSP_ERR_CONFIG;
    }
    return block->run(block, window, impulse->window_len, impulse->axes_count, shift, out, scratch);
}

int tf_dsp_run_impulse_shifted(const tf_dsp_impulse_t *impulse, const float *window, uint32_t shift,
                               float *features, float *scratch)
{
    float *out = features;
    uint32_t bi;
    for (bi = 0; bi < impulse->blocks_count; bi++) {
        const int err = run_block(impulse, &impulse->blocks[bi], window, shift, out, scratch);
        if (err != TF_DSP_OK) {
            return err;
        }
        out += impulse->blocks[bi].features_count;
    }
    return TF_DSP_OK;
}

int tf_dsp_run_impulse(const tf_dsp_impulse_t *impulse, const float *window, float *features,
                       float *scratch)
{
    return tf_dsp_run_impulse_shifted(impulse, window, 0u, features, scratch);
}
