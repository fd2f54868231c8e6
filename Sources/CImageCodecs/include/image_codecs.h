#ifndef ONNXSCOPE_IMAGE_CODECS_H
#define ONNXSCOPE_IMAGE_CODECS_H
#include <stddef.h>
#include <stdint.h>

/// Decodes a PNG or JPEG held in memory to 8-bit RGB, row-major, 3 bytes per pixel.
/// On success returns 0 and sets *rgb (free with onnxscope_free_image), *width, *height.
/// On failure returns -1 and writes a message into error (never exits the process: libjpeg's
/// default error handler would).
int onnxscope_decode_image(const uint8_t *bytes, size_t count, uint8_t **rgb, int *width, int *height,
                           char *error, size_t error_size);
void onnxscope_free_image(uint8_t *rgb);
#endif
