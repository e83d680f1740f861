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

/* cos and sin of 2 pi m / n for 0 <= m <= n / 2. */
static void twiddle(const tf_dsp_spectral_config_t *cfg, uint32_t m, uint32_t n, float *cs, float *sn)
{
    const uint32_t q = (uint32_t)cfg->table_n / 4u;
    const uint32_t t = m * ((uint32_t)cfg->table_n / n);
    if (t <= q) {
        *sn = cfg->quarter_sin[t];
        *cs = cfg->quarter_sin[q - t];
    } else {
        *sn = cfg->quarter_sin[2u * q - t];
        *cs = -cfg->quarter_sin[t - q];
    }
}

/* In-place complex FFT of h points, z interleaved {re, im}; n = 2 h is the real FFT length. */
static void complex_fft(const tf_dsp_spectral_config_t *cfg, float *z, uint32_t h)
{
    uint32_t i, j, bit, len;

    for (i = 1, j = 0; i < h; i++) {
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
    for (len = 2; len <= h; len <<= 1) {
        const uint32_t half = len >> 1, step = h / len;
        for (j = 0; j < half; j++) {
            float wr, ws; /* w = wr - i ws = exp(-2 pi i j / len) */
            twiddle(cfg, 2u * j * step, 2u * h, &wr, &ws);
            for (i = j; i < h; i += len) {
                float *a = z + 2 * i, *b = z + 2 * (i + half);
                const float tr = b[0] * wr + b[1] * ws;
                const float ti = b[1] * wr - b[0] * ws;
                b[0] = a[0] - tr;
                b[1] = a[1] - ti;
                a[0] += tr;
                a[1] += ti;
            }
        }
    }
}

/* |X_k|^2 of the real FFT from the complex FFT z of the packed signal (0 <= k <= h). */
static float bin_power(const tf_dsp_spectral_config_t *cfg, const float *z, uint32_t h, uint32_t k)
{
    const uint32_t kk = k % h, mk = (h - k) % h;
    const float a = z[2 * kk], b = z[2 * kk + 1], c = z[2 * mk], d = z[2 * mk + 1];
    const float er = 0.5f * (a + c), ei = 0.5f * (b - d);
    const float or_ = 0.5f * (b + d), oi = -0.5f * (a - c);
    float wr, ws, xr, xi;
    twiddle(cfg, k, 2u * h, &wr, &ws);
    xr = er + wr * or_ + ws * oi;
    xi = ei + wr * oi - ws * or_;
    return xr * xr + xi * xi;
}

/* ------------------------------------------------------------------------------------------ */
/* Spectral analysis, one axis: sig (window_len floats) and fft (fft_length floats) are scratch. */

/* log10 with + - * / only, so every IEEE float target (host, Cortex-M, AVR) gives the same bits
 * (C libraries' log10f differ by an ulp). x = m 2^e with m in [sqrt(1/2), sqrt(2)); ln m from the
 * atanh series of s = (m - 1) / (m + 1), |s| <= 0.172. Error ~2 ulp, far inside the parity bound. */
static float portable_log10f(float x)
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

static float *run_spectral_axis(const tf_dsp_spectral_config_t *cfg, const float *x, uint32_t n,
                                uint32_t stride, float *sig, float *fft, float *out)
{
    const uint32_t nfft = cfg->fft_length, h = nfft / 2u;
    float *power = out + 3;
    float skewness = 0.0f, kurtosis = 0.0f, norm;
    uint32_t i, s, f, b, k;
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
        complex_fft(cfg, fft, h);
        for (b = 0; b < cfg->bands; b++) {
            const uint16_t *bins = cfg->band_bins + 2u * b;
            for (k = bins[0]; k < bins[1]; k++) {
                power[b] += bin_power(cfg, fft, h, k);
            }
        }
    }
    norm = 1.0f / ((float)nfft * (float)cfg->frames);
    for (b = 0; b < cfg->bands; b++) {
        const uint16_t *bins = cfg->band_bins + 2u * b;
        float p = power[b] * norm / (float)(bins[1] - bins[0]);
        if (cfg->take_log) {
            p = portable_log10f(p + (TF_DSP_LOG_FLOOR_ABS + TF_DSP_LOG_FLOOR_REL * c.variance));
        }
        power[b] = p;
    }
    return out + 3u + cfg->bands;
}

/* ------------------------------------------------------------------------------------------ */

uint32_t tf_dsp_block_scratch_floats(const tf_dsp_block_t *block, uint32_t window_len)
{
    if (block->type == TF_DSP_SPECTRAL) {
        const tf_dsp_spectral_config_t *cfg = (const tf_dsp_spectral_config_t *)block->config;
        return window_len + cfg->fft_length;
    }
    return 0u;
}

int tf_dsp_run_impulse(const tf_dsp_impulse_t *impulse, const float *window, float *features,
                       float *scratch)
{
    const uint32_t n = impulse->window_len, stride = impulse->axes_count;
    float *out = features;
    uint32_t bi, a;

    for (bi = 0; bi < impulse->blocks_count; bi++) {
        const tf_dsp_block_t *block = &impulse->blocks[bi];
        float *const block_out = out;
        for (a = 0; a < block->axes_count; a++) {
            if (block->axes[a] >= stride) {
                return TF_DSP_ERR_CONFIG;
            }
        }
        if (tf_dsp_block_scratch_floats(block, n) > impulse->scratch_floats) {
            return TF_DSP_ERR_CONFIG;
        }
        switch (block->type) {
        case TF_DSP_RAW:
            run_raw((const tf_dsp_raw_config_t *)block->config, block, window, n, stride, out);
            out += n * block->axes_count;
            break;
        case TF_DSP_FLATTEN:
            for (a = 0; a < block->axes_count; a++) {
                out = run_flatten_axis((const tf_dsp_flatten_config_t *)block->config,
                                       window + block->axes[a], n, stride, out);
            }
            break;
        case TF_DSP_SPECTRAL: {
            const tf_dsp_spectral_config_t *cfg = (const tf_dsp_spectral_config_t *)block->config;
            if (cfg->fft_length < 4u || cfg->fft_length > n || cfg->table_n % cfg->fft_length != 0u) {
                return TF_DSP_ERR_CONFIG;
            }
            for (a = 0; a < block->axes_count; a++) {
                out = run_spectral_axis(cfg, window + block->axes[a], n, stride, scratch,
                                        scratch + n, out);
            }
            break;
        }
        default:
            return TF_DSP_ERR_CONFIG;
        }
        if ((uint32_t)(out - block_out) != block->features_count) {
            return TF_DSP_ERR_CONFIG;
        }
    }
    return TF_DSP_OK;
}
