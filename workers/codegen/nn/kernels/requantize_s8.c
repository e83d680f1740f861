/* int8 -> int8 QUANTIZE (rescale), and standalone RELU/RELU6 which TFLite also
 * runs as a rescale followed by a clamp. */
typedef struct {
    int size;
    int32_t input_zero_point;
    int32_t output_zero_point;
    int32_t multiplier;
    int shift;
    int32_t act_min;
    int32_t act_max;
} tf_nn_requantize_s8_params_t;

static void tf_nn_requantize_s8(const tf_nn_requantize_s8_params_t *p, const int8_t *input, int8_t *output)
{
    int i;
    for (i = 0; i < p->size; ++i) {
        const int32_t v = tf_nn_multiply_by_quantized_multiplier((int32_t)input[i] - p->input_zero_point,
                                                                 p->multiplier, p->shift) +
                          p->output_zero_point;
        output[i] = (int8_t)tf_nn_clamp(v, p->act_min, p->act_max);
    }
}
