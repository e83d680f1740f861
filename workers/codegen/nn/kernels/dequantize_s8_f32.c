typedef struct {
    int size;
    double scale; /* TFLite dequantizes in double precision */
    int32_t zero_point;
} tf_nn_dequantize_s8_f32_params_t;

static void tf_nn_dequantize_s8_f32(const tf_nn_dequantize_s8_f32_params_t *p,
                                    const int8_t *input, float *output)
{
    int i;
    for (i = 0; i < p->size; ++i) {
        output[i] = (float)(p->scale * (double)((int32_t)input[i] - p->zero_point));
    }
}
