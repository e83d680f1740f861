/* Mean over a contiguous run of axes, seen as [outer][reduce][inner]. The
 * 1/reduce factor is folded into the multiplier at generation time. */
typedef struct {
    int outer;
    int reduce;
    int inner;
    int32_t input_zero_point_times_reduce;
    int32_t output_offset;
    int32_t multiplier;
    int shift;
} tf_nn_mean_s8_params_t;

static void tf_nn_mean_s8(const tf_nn_mean_s8_params_t *p, const int8_t *input, int8_t *output)
{
    int o, r, i;
    for (o = 0; o < p->outer; ++o) {
        for (i = 0; i < p->inner; ++i) {
            int32_t acc = 0;
            for (r = 0; r < p->reduce; ++r) {
                acc += input[(o * p->reduce + r) * p->inner + i];
            }
            acc = tf_nn_multiply_by_quantized_multiplier(acc - p->input_zero_point_times_reduce,
                                                         p->multiplier, p->shift);
            output[o * p->inner + i] = (int8_t)tf_nn_clamp(acc + p->output_offset, -128, 127);
        }
    }
}
