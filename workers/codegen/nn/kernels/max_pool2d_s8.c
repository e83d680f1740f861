typedef struct {
    int batches;
    int in_h, in_w, channels;
    int out_h, out_w;
    int k_h, k_w;
    int stride_h, stride_w;
    int pad_h, pad_w;
    int32_t act_min;
    int32_t act_max;
} tf_nn_max_pool2d_s8_params_t;

#if TF_NN_DSP
/* Four lanes at once: SSUB8 sets each lane's GE flag where a >= b, SEL then picks a there, else b. */
static inline int32_t tf_nn_max4_s8(int32_t a, int32_t b)
{
    int32_t r;
    __asm__("ssub8 %0, %1, %2\n\tsel %0, %1, %2" : "=&r"(r) : "r"(a), "r"(b) : "cc");
    return r;
}

/* SSUB8 then SEL with the operands swapped: b where a >= b, else a. */
static inline int32_t tf_nn_min4_s8(int32_t a, int32_t b)
{
    int32_t r;
    __asm__("ssub8 %0, %1, %2\n\tsel %0, %2, %1" : "=&r"(r) : "r"(a), "r"(b) : "cc");
    return r;
}
#endif

/* Per output pixel and channel, the maximum over the window's pixels (walked with a pointer, no index
 * arithmetic per tap), clamped. With the DSP extension four channels at a time (SSUB8 + SEL). */
static void tf_nn_max_pool2d_s8(const tf_nn_max_pool2d_s8_params_t *p, const int8_t *input, int8_t *output)
{
    const int channels = p->channels;
    const int row = p->in_w * channels;
#if TF_NN_DSP
    /* act_min and act_max (int8 range) in every lane */
    const int32_t lo = (int32_t)((uint32_t)(uint8_t)p->act_min * 0x01010101u);
    const int32_t hi = (int32_t)((uint32_t)(uint8_t)p->act_max * 0x01010101u);
#endif
    int b, oy, ox, c, ky, kx;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *image = input + b * p->in_h * row;
        for (oy = 0; oy < p->out_h; ++oy) {
            for (ox = 0; ox < p->out_w; ++ox) {
                const int y0 = oy * p->stride_h - p->pad_h;
                const int x0 = ox * p->stride_w - p->pad_w;
                const int ky_start = y0 < 0 ? -y0 : 0;
                const int kx_start = x0 < 0 ? -x0 : 0;
                const int ky_end = p->k_h < p->in_h - y0 ? p->k_h : p->in_h - y0;
                const int kx_end = p->k_w < p->in_w - x0 ? p->k_w : p->in_w - x0;
                int8_t *out = output + ((b * p->out_h + oy) * p->out_w + ox) * channels;
                c = 0;
#if TF_NN_DSP
                for (; c + 4 <= channels; c += 4) {
                    int32_t m = (int32_t)0x80808080u; /* -128 in every lane */
                    for (ky = ky_start; ky < ky_end; ++ky) {
                        const int8_t *px = image + (y0 + ky) * row + (x0 + kx_start) * channels + c;
                        for (kx = kx_start; kx < kx_end; ++kx, px += channels) {
                            m = tf_nn_max4_s8(m, tf_nn_load4(px));
                        }
                    }
                    m = tf_nn_min4_s8(tf_nn_max4_s8(m, lo), hi);
                    memcpy(out + c, &m, sizeof m);
                }
#endif
                for (; c < channels; ++c) {
                    int32_t max = -128;
                    for (ky = ky_start; ky < ky_end; ++ky) {
                        const int8_t *px = image + (y0 + ky) * row + (x0 + kx_start) * channels + c;
                        for (kx = kx_start; kx < kx_end; ++kx, px += channels) {
                            max = *px > max ? *px : max;
                        }
                    }
                    out[c] = (int8_t)tf_nn_clamp(max, p->act_min, p->act_max);
                }
            }
        }
    }
}
