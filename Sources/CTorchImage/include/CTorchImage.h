// PNG and JPEG decoding and encoding over libpng and libjpeg-turbo, made safe to call from
// Swift: every library error (libpng's longjmp, libjpeg's error_exit) is caught here and
// comes back as a non-zero status with the library's message, never as a crash, and no
// pixel buffer is allocated before the declared size has been checked against limits.
#ifndef SWIFTTORCH_CTORCHIMAGE_H
#define SWIFTTORCH_CTORCHIMAGE_H
#include <stddef.h>
#include <stdint.h>

// torchvision's ImageReadMode values.
enum { TI_MODE_UNCHANGED = 0, TI_MODE_GRAY = 1, TI_MODE_GRAY_ALPHA = 2, TI_MODE_RGB = 3, TI_MODE_RGB_ALPHA = 4 };

// A decoded image (HWC, 8 bits per sample; `pixels` from malloc, freed with ti_free) or an
// encoded file (`pixels` holds `size` bytes). On failure `message` says what went wrong.
typedef struct {
    uint8_t *pixels;
    size_t size;
    uint32_t width, height;
    int channels;
    char message[256];
} ti_image;

// Decoders: 0 on success. `max_pixels` bounds width × height whatever the file says; the
// PNG decoder also refuses an image whose raw data could not come from `size` bytes of
// deflate stream, the JPEG decoder one larger than `max_pixels_per_byte` × `size`.
int ti_decode_png(const uint8_t *data, size_t size, int mode, uint64_t max_pixels, ti_image *out);
int ti_decode_jpeg(const uint8_t *data, size_t size, int mode, uint64_t max_pixels, uint64_t max_pixels_per_byte,
                   ti_image *out);
// 1 when `data` starts with the format's signature.
int ti_is_png(const uint8_t *data, size_t size);
int ti_is_jpeg(const uint8_t *data, size_t size);

// Encoders over HWC 8-bit pixels: PNG takes 1–4 channels (grey, grey+alpha, RGB, RGBA) and a
// zlib level 0–9, JPEG 1 or 3 channels and a quality 1–100. 0 on success, the file in `out`.
int ti_encode_png(const uint8_t *pixels, uint32_t width, uint32_t height, int channels, int level, ti_image *out);
int ti_encode_jpeg(const uint8_t *pixels, uint32_t width, uint32_t height, int channels, int quality, ti_image *out);

void ti_free(void *pointer);
#endif
