// JPEG through libjpeg-turbo, with torchvision's modes (decode_jpeg.cpp): colour images come
// back as RGB (CMYK/YCCK converted), grey stays one channel unless RGB is asked for.
// libjpeg reports fatal errors through error_exit, which must not return: ours longjmps
// back here. A file that ends early (libjpeg's "premature end of JPEG file" warning, after
// which it would invent grey pixels) is an error too, as a truncated PNG is.
#include "CTorchImage.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

typedef struct {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
    char *message;
} jpeg_guard;

static void on_error_exit(j_common_ptr info) {
    jpeg_guard *guard = (jpeg_guard *)info->err;
    char text[JMSG_LENGTH_MAX];
    (*info->err->format_message)(info, text);
    snprintf(guard->message, 256, "%s", text);
    longjmp(guard->jump, 1);
}

static void on_emit_message(j_common_ptr info, int level) {
    // Level -1 is a warning about corrupt data; only the end of the data is fatal here.
    if (level == -1 && info->err->msg_code == JWRN_JPEG_EOF) {
        jpeg_guard *guard = (jpeg_guard *)info->err;
        snprintf(guard->message, 256, "truncated file (premature end of JPEG data)");
        longjmp(guard->jump, 1);
    }
    if (level == -1) info->err->num_warnings++;
}

static void on_output_message(j_common_ptr info) { (void)info; }

// libjpeg's standard error manager with our exits: fatal errors and truncation jump back to
// the caller's setjmp with the message in `message`; other warnings are only counted.
static struct jpeg_error_mgr *guard_errors(jpeg_guard *guard, char *message) {
    guard->message = message;
    struct jpeg_error_mgr *manager = jpeg_std_error(&guard->manager);
    manager->error_exit = on_error_exit;
    manager->emit_message = on_emit_message;
    manager->output_message = on_output_message;
    return manager;
}

int ti_is_jpeg(const uint8_t *data, size_t size) { return size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff; }

int ti_decode_jpeg(const uint8_t *data, size_t size, int mode, uint64_t max_pixels, uint64_t max_pixels_per_byte,
                   ti_image *out) {
    memset(out, 0, sizeof *out);
    if (!ti_is_jpeg(data, size)) {
        snprintf(out->message, sizeof out->message, "not a JPEG file (bad signature)");
        return 1;
    }
    if (mode != TI_MODE_UNCHANGED && mode != TI_MODE_GRAY && mode != TI_MODE_RGB) {
        snprintf(out->message, sizeof out->message, "read mode %d is not supported for JPEG files", mode);
        return 1;
    }
    struct jpeg_decompress_struct info;
    jpeg_guard guard;
    info.err = guard_errors(&guard, out->message);
    uint8_t *volatile pixels = NULL, *volatile cmyk = NULL;
    if (setjmp(guard.jump)) {
        jpeg_destroy_decompress(&info);
        free(pixels);
        free(cmyk);
        return 1;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_read_header(&info, TRUE);
    uint64_t count = (uint64_t)info.image_width * info.image_height;
    // Checked before jpeg_start_decompress, which allocates per-image buffers (a whole
    // coefficient array for progressive files).
    if (count > max_pixels || count > (uint64_t)size * max_pixels_per_byte) {
        snprintf(out->message, sizeof out->message, "image of %u×%u pixels is larger than %zu bytes of JPEG data can hold",
                 (unsigned)info.image_width, (unsigned)info.image_height, size);
        jpeg_destroy_decompress(&info);
        return 1;
    }
    int gray = info.jpeg_color_space == JCS_GRAYSCALE;
    if (mode == TI_MODE_GRAY || (mode == TI_MODE_UNCHANGED && gray)) {
        info.out_color_space = JCS_GRAYSCALE;
    } else if (info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK) {
        info.out_color_space = JCS_CMYK;   // converted to RGB below, as torchvision does
    } else {
        info.out_color_space = JCS_RGB;
    }
    jpeg_start_decompress(&info);
    int channels = info.out_color_space == JCS_GRAYSCALE ? 1 : 3;
    size_t stride = (size_t)info.output_width * (size_t)channels;
    size_t row_samples = (size_t)info.output_width * (size_t)info.output_components;
    pixels = malloc(stride * info.output_height ? stride * info.output_height : 1);
    if (info.out_color_space == JCS_CMYK) cmyk = malloc(row_samples ? row_samples : 1);
    if (!pixels || (info.out_color_space == JCS_CMYK && !cmyk)) {
        snprintf(out->message, sizeof out->message, "out of memory");
        longjmp(guard.jump, 1);
    }
    while (info.output_scanline < info.output_height) {
        uint8_t *row = pixels + (size_t)info.output_scanline * stride;
        JSAMPROW target = cmyk ? cmyk : row;
        if (jpeg_read_scanlines(&info, &target, 1) != 1) break;
        if (cmyk) {
            // Adobe's inverted CMYK, as torchvision converts it: channel = C·K / 255.
            for (size_t x = 0; x < info.output_width; x++) {
                int k = cmyk[4 * x + 3];
                for (int c = 0; c < 3; c++) row[3 * x + c] = (uint8_t)(cmyk[4 * x + c] * k / 255);
            }
        }
    }
    free(cmyk);
    cmyk = NULL;
    jpeg_finish_decompress(&info);
    out->width = info.output_width;
    out->height = info.output_height;
    out->channels = channels;
    out->size = stride * info.output_height;
    out->pixels = pixels;
    jpeg_destroy_decompress(&info);
    return 0;
}

int ti_encode_jpeg(const uint8_t *pixels, uint32_t width, uint32_t height, int channels, int quality, ti_image *out) {
    memset(out, 0, sizeof *out);
    if (channels != 1 && channels != 3) {
        snprintf(out->message, sizeof out->message, "JPEG needs 1 or 3 channels, got %d", channels);
        return 1;
    }
    struct jpeg_compress_struct info;
    jpeg_guard guard;
    info.err = guard_errors(&guard, out->message);
    unsigned char *buffer = NULL;
    unsigned long size = 0;
    if (setjmp(guard.jump)) {
        jpeg_destroy_compress(&info);
        free(buffer);
        return 1;
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, &buffer, &size);
    info.image_width = width;
    info.image_height = height;
    info.input_components = channels;
    info.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    jpeg_start_compress(&info, TRUE);
    size_t stride = (size_t)width * (size_t)channels;
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)info.next_scanline * stride);
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    out->pixels = buffer;
    out->size = size;
    out->width = width;
    out->height = height;
    out->channels = channels;
    return 0;
}
