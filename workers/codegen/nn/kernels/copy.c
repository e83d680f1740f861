/* RESHAPE-like ops normally alias their input; a copy is emitted only when the
 * result must land in the caller's output buffer. */
typedef struct {
    int bytes;
} tf_nn_copy_params_t;

static void tf_nn_copy(const tf_nn_copy_params_t *p, const void *input, void *output)
{
    memcpy(output, input, (size_t)p->bytes);
}
