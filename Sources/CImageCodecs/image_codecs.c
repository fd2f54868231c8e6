// PNG (libpng's simplified API) and JPEG (libjpeg) decoding for image calibration folders.
#include "image_codecs.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>
#include <jpeglib.h>

static int decode_png(const uint8_t *bytes, size_t count, uint8_t **rgb, int *w, int *h, char *error, size_t n) {
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, bytes, count)) {
        snprintf(error, n, "PNG: %s", image.message);
        return -1;
    }
    image.format = PNG_FORMAT_RGB;
    if (image.width == 0 || image.height == 0 || image.width > 32768 || image.height > 32768) {
        snprintf(error, n, "PNG: %ux%u is not a usable size", image.width, image.height);
        png_image_free(&image);
        return -1;
    }
    size_t size = (size_t)image.width * image.height * 3;
    uint8_t *out = malloc(size);
    if (!out) { png_image_free(&image); snprintf(error, n, "PNG: out of memory"); return -1; }
    if (!png_image_finish_read(&image, NULL, out, 0, NULL)) {
        snprintf(error, n, "PNG: %s", image.message);
        free(out);
        return -1;
    }
    *rgb = out; *w = (int)image.width; *h = (int)image.height;
    return 0;
}

struct jpeg_failure { struct jpeg_error_mgr base; jmp_buf jump; char message[JMSG_LENGTH_MAX]; };

static void jpeg_fail(j_common_ptr info) {
    struct jpeg_failure *f = (struct jpeg_failure *)info->err;
    (*info->err->format_message)(info, f->message);
    longjmp(f->jump, 1);
}

static void jpeg_quiet(j_common_ptr info, int level) { (void)info; (void)level; }

static int decode_jpeg(const uint8_t *bytes, size_t count, uint8_t **rgb, int *w, int *h, char *error, size_t n) {
    struct jpeg_decompress_struct info;
    struct jpeg_failure failure;
    uint8_t *volatile out = NULL;
    info.err = jpeg_std_error(&failure.base);
    failure.base.error_exit = jpeg_fail;
    failure.base.emit_message = jpeg_quiet;
    if (setjmp(failure.jump)) {
        snprintf(error, n, "JPEG: %s", failure.message);
        jpeg_destroy_decompress(&info);
        free(out);
        return -1;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, (unsigned char *)bytes, (unsigned long)count);
    jpeg_read_header(&info, TRUE);
    info.out_color_space = JCS_RGB;
    jpeg_start_decompress(&info);
    if (info.output_components != 3 || info.output_width > 32768 || info.output_height > 32768) {
        snprintf(error, n, "JPEG: %u components at %ux%u", info.output_components, info.output_width, info.output_height);
        jpeg_destroy_decompress(&info);
        return -1;
    }
    size_t stride = (size_t)info.output_width * 3;
    out = malloc(stride * info.output_height);
    if (!out) { jpeg_destroy_decompress(&info); snprintf(error, n, "JPEG: out of memory"); return -1; }
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = out + stride * info.output_scanline;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    *w = (int)info.output_width; *h = (int)info.output_height;
    jpeg_destroy_decompress(&info);
    *rgb = out;
    return 0;
}

int onnxscope_decode_image(const uint8_t *bytes, size_t count, uint8_t **rgb, int *width, int *height,
                           char *error, size_t error_size) {
    if (count >= 8 && memcmp(bytes, "\x89PNG\r\n\x1a\n", 8) == 0)
        return decode_png(bytes, count, rgb, width, height, error, error_size);
    if (count >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
        return decode_jpeg(bytes, count, rgb, width, height, error, error_size);
    snprintf(error, error_size, "not a PNG or JPEG file");
    return -1;
}

void onnxscope_free_image(uint8_t *rgb) { free(rgb); }
