// libFuzzer entry point for the image decoders of Sources/CTorchImage (built with
// AddressSanitizer by scripts/fuzz-images). FUZZ_FORMAT picks the decoder at compile time;
// every read mode is tried, and a decoded image must be as large as it says.
#include "CTorchImage.h"
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    for (int mode = 0; mode <= 4; mode++) {
        ti_image image;
#if FUZZ_PNG
        int status = ti_decode_png(data, size, mode, 178956970, &image);
#else
        int status = ti_decode_jpeg(data, size, mode, 178956970, 4096, &image);
#endif
        if (status == 0) {
            size_t expected = (size_t)image.width * image.height * (size_t)image.channels;
            if (image.size != expected) abort();
            volatile uint8_t sink = 0;
            for (size_t i = 0; i < image.size; i++) sink ^= image.pixels[i];   // every byte readable
            (void)sink;
            ti_free(image.pixels);
        }
    }
    return 0;
}
