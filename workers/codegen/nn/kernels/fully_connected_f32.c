typedef struct {
    int batches;
    int accum_depth;
    int out_depth;
    float act_min;
    float act_max;
    const float *weights; /* [out_depth][accum_depth] */
    const float *bias;    /* [out_depth] or NULL */
} tf_nn_fully_connected_f32_params_t;

static void tf_nn_fully_connected_f32(const tf_nn_fully_connected_f32_params_t *p,
                                      const float *input, float *output)
{
    int b, o, d;
    for (b = 0; b < p->batches; ++b) {
        const float *x = input + b * p->accum_depth;
        for (o = 0; o < p->out_depth; ++o) {
            const float *w = p->weights + o * p->accum_depth;
            float total = 0.0f;
            for (d = 0; d < p->accum_depth; ++d) {
                total += x[d] * w[d];
            }
            if (p->bias != NULL) {
                total += p->bias[o];
            }
            output[b * p->out_depth + o] = tf_nn_clamp_f32(total, p->act_min, p->act_max);
        }
    }
}
