// PNG through libpng, with torchvision's mode conversions (decode_png.cpp): palette and
// low-bit grey expanded, alpha stripped or added, RGB→grey with weights 0.2989/0.587.
// Differences, because SwiftTorch has no uint16 dtype: 16-bit samples are scaled to 8 bits;
// and palette images come back as RGB(A) in mode UNCHANGED instead of raw palette indices.
#include "CTorchImage.h"
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t *data;
    size_t left;
    char *message;
} png_reader;

// libpng's error callback must not return: record the message, then jump back to the
// setjmp of the decoding or encoding function.
static void on_error(png_structp png, png_const_charp text) {
    char *message = (char *)png_get_error_ptr(png);
    if (message) snprintf(message, 256, "%s", text);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp text) { (void)png; (void)text; }

static void read_memory(png_structp png, png_bytep output, size_t count) {
    png_reader *reader = (png_reader *)png_get_io_ptr(png);
    if (count > reader->left) png_error(png, "truncated file (the data ends early)");
    memcpy(output, reader->data, count);
    reader->data += count;
    reader->left -= count;
}

// libpng's read or write struct with our error callbacks (messages land in out->message).
static png_structp start(ti_image *out, int writing) {
    png_structp png = writing ? png_create_write_struct(PNG_LIBPNG_VER_STRING, out->message, on_error, on_warning)
                              : png_create_read_struct(PNG_LIBPNG_VER_STRING, out->message, on_error, on_warning);
    if (!png) snprintf(out->message, sizeof out->message, "libpng could not start");
    return png;
}

int ti_is_png(const uint8_t *data, size_t size) { return size >= 8 && png_sig_cmp(data, 0, 8) == 0; }

void ti_free(void *pointer) { free(pointer); }

int ti_decode_png(const uint8_t *data, size_t size, int mode, uint64_t max_pixels, ti_image *out) {
    memset(out, 0, sizeof *out);
    if (!ti_is_png(data, size)) {
        snprintf(out->message, sizeof out->message, "not a PNG file (bad signature)");
        return 1;
    }
    png_structp png = start(out, 0);
    if (!png) return 1;
    png_infop info = png_create_info_struct(png);
    // Changed after setjmp, read after a longjmp: volatile, so the jump does not lose it.
    uint8_t *volatile pixels = NULL;
    png_reader reader = {data + 8, size - 8, out->message};
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, info ? &info : NULL, NULL);
        free(pixels);
        if (!out->message[0]) snprintf(out->message, sizeof out->message, "corrupt PNG data");
        return 1;
    }
    // libpng refuses larger headers itself; ancillary chunks are capped at 8 MB by default.
    png_uint_32 limit = max_pixels > 0x7fffffff ? 0x7fffffff : (png_uint_32)max_pixels;
    png_set_user_limits(png, limit, limit);
    png_set_sig_bytes(png, 8);
    png_set_read_fn(png, &reader, read_memory);
    png_read_info(png, info);

    png_uint_32 width, height;
    int depth, color, interlace;
    png_get_IHDR(png, info, &width, &height, &depth, &color, &interlace, NULL, NULL);
    int in_channels = png_get_channels(png, info);
    // Raw (filtered) image bytes the file's deflate stream must expand to; deflate cannot
    // exceed 1032:1, so a header claiming more than the file can hold is refused before any
    // pixel buffer exists.
    uint64_t row_bytes = ((uint64_t)width * (uint64_t)in_channels * (uint64_t)depth + 7) / 8 + 1;
    if ((uint64_t)width * height > max_pixels || row_bytes * height > (uint64_t)size * 1032 + 1024) {
        snprintf(out->message, sizeof out->message, "image of %u×%u pixels is larger than %zu bytes of PNG data can hold",
                 (unsigned)width, (unsigned)height, size);
        png_destroy_read_struct(&png, &info, NULL);
        return 1;
    }

    if (depth == 16) png_set_scale_16(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    int is_palette = (color & PNG_COLOR_MASK_PALETTE) != 0;
    int has_color = (color & PNG_COLOR_MASK_COLOR) != 0;
    int has_alpha = (color & PNG_COLOR_MASK_ALPHA) != 0;
    int channels = in_channels;
    if (is_palette) {
        png_set_palette_to_rgb(png);
        has_alpha = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
        if (has_alpha) png_set_tRNS_to_alpha(png);
        channels = has_alpha ? 4 : 3;
    }
    switch (mode) {
    case TI_MODE_UNCHANGED:
        break;
    case TI_MODE_GRAY:
        if (has_alpha) png_set_strip_alpha(png);
        if (has_color) png_set_rgb_to_gray(png, 1, 0.2989, 0.587);
        channels = 1;
        break;
    case TI_MODE_GRAY_ALPHA:
        if (!has_alpha) png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
        if (has_color) png_set_rgb_to_gray(png, 1, 0.2989, 0.587);
        channels = 2;
        break;
    case TI_MODE_RGB:
        if (!has_color) png_set_gray_to_rgb(png);
        if (has_alpha) png_set_strip_alpha(png);
        channels = 3;
        break;
    case TI_MODE_RGB_ALPHA:
        if (!has_color) png_set_gray_to_rgb(png);
        if (!has_alpha) png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
        channels = 4;
        break;
    default:
        snprintf(out->message, sizeof out->message, "unknown read mode %d", mode);
        png_destroy_read_struct(&png, &info, NULL);
        return 1;
    }
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t stride = (size_t)width * (size_t)channels;
    if (png_get_rowbytes(png, info) != stride) {
        snprintf(out->message, sizeof out->message, "unsupported PNG layout (%d-bit, colour type %d)", depth, color);
        png_destroy_read_struct(&png, &info, NULL);
        return 1;
    }
    pixels = malloc(stride * height ? stride * height : 1);
    if (!pixels) png_error(png, "out of memory");
    for (int pass = 0; pass < passes; pass++)
        for (png_uint_32 row = 0; row < height; row++) png_read_row(png, pixels + row * stride, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    out->pixels = pixels;
    out->size = stride * height;
    out->width = width;
    out->height = height;
    out->channels = channels;
    return 0;
}

typedef struct {
    uint8_t *data;
    size_t size, capacity;
} png_writer;

static void write_memory(png_structp png, png_bytep bytes, size_t count) {
    png_writer *writer = (png_writer *)png_get_io_ptr(png);
    if (writer->size + count > writer->capacity) {
        size_t capacity = writer->capacity ? writer->capacity : 4096;
        while (capacity < writer->size + count) capacity *= 2;
        uint8_t *grown = realloc(writer->data, capacity);
        if (!grown) png_error(png, "out of memory");
        writer->data = grown;
        writer->capacity = capacity;
    }
    memcpy(writer->data + writer->size, bytes, count);
    writer->size += count;
}

static void flush_memory(png_structp png) { (void)png; }

int ti_encode_png(const uint8_t *pixels, uint32_t width, uint32_t height, int channels, int level, ti_image *out) {
    memset(out, 0, sizeof *out);
    static const int types[] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA};
    if (channels < 1 || channels > 4) {
        snprintf(out->message, sizeof out->message, "PNG needs 1 to 4 channels, got %d", channels);
        return 1;
    }
    png_structp png = start(out, 1);
    if (!png) return 1;
    png_infop info = png_create_info_struct(png);
    png_writer writer = {NULL, 0, 0};
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, info ? &info : NULL);
        free(writer.data);
        if (!out->message[0]) snprintf(out->message, sizeof out->message, "PNG encoding failed");
        return 1;
    }
    png_set_write_fn(png, &writer, write_memory, flush_memory);
    png_set_compression_level(png, level);
    png_set_IHDR(png, info, width, height, 8, types[channels], PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    size_t stride = (size_t)width * (size_t)channels;
    for (uint32_t row = 0; row < height; row++) png_write_row(png, pixels + row * stride);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    out->pixels = writer.data;
    out->size = writer.size;
    out->width = width;
    out->height = height;
    out->channels = channels;
    return 0;
}
